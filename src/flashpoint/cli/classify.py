"""``flashpoint classify`` and ``flashpoint train`` (the learned event classifier)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from flashpoint.cli.app import app


@app.command("classify")
def classify_cmd(
    input: Path = typer.Argument(..., help="JSONL with 'id' and 'text' (or 'sentence') per line; '-' for stdin"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="write JSONL here (default: stdout)"),
    plover: bool = typer.Option(False, "--plover", help="also predict PLOVER type and mode"),
    batch_size: int = typer.Option(256, help="sentences per embedding batch"),
):
    """Classify sentences into ACLED sub-event types (or not-an-event): one JSON line per input."""
    from flashpoint.events.classify import classify_records

    src = sys.stdin if str(input) == "-" else open(input, encoding="utf-8")
    records = (json.loads(line) for line in src if line.strip())
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        for row in classify_records(records, batch_size=batch_size, plover=plover):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()
        if src is not sys.stdin:
            src.close()


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
