"""``flashpoint classify`` and ``flashpoint train`` (the learned event classifier)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from flashpoint.cli.app import EXIT_FAILED, app
from flashpoint.cli.common import check_inputs, check_output, err_line, output_stream, progress_bar, show_progress
from flashpoint.cli.records import process_in_order, read_records


CLASSIFY_TEXT_KEYS = ("text", "sentence", "notes", "body", "title")  # what the classifier reads, in order


@app.command("classify")
def classify_cmd(
    input: str = typer.Argument(..., metavar="INPUT",
                                help="JSONL with 'id' and 'text' (or 'sentence') per line; '-' for stdin"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="write JSONL here (default: stdout; the "
                                          "file is replaced only when the run completes)"),
    plover: bool = typer.Option(False, "--plover", help="also predict PLOVER type and mode"),
    batch_size: int = typer.Option(256, min=1, help="sentences per embedding batch"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
):
    """Classify sentences into ACLED sub-event types (or not-an-event): one JSON line per input line.

    A bad line (malformed JSON, no text) gets {"id", "errors"} instead and the rest go on; exit code 1 then.
    A line without an id gets FILE:LINE as its id."""
    from flashpoint.events.classify import classify_records

    check_inputs([input])
    check_output(output)
    records = read_records(input, CLASSIFY_TEXT_KEYS)
    with output_stream(output) as out, progress_bar("classifying", enabled=show_progress(quiet)) as ticker:
        n_bad = process_in_order(records, lambda recs: classify_records(recs, batch_size=batch_size, plover=plover),
                                 batch_size, out, ticker)
    if n_bad:
        err_line(f"{n_bad} line(s) failed")
        raise typer.Exit(EXIT_FAILED)


@app.command("train")
def train_cmd(
    out_dir: Optional[Path] = typer.Option(None, help="where to write heads.npz/labels.json (default: package data)"),
    examples_dir: Optional[Path] = typer.Option(None, help="training/examples folder (default: the repo's)"),
    data_dir: Optional[Path] = typer.Option(None, help="shared dev data (NGEC) folder"),
):
    """Retrain the classifier heads (same code path as `python training/train_classifier.py`)."""
    from flashpoint.events.classify import train_classifier

    summary = train_classifier(out_dir=out_dir, examples_dir=examples_dir, data_dir=data_dir,
                               log=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(summary, indent=1))
