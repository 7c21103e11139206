"""``flashpoint extract`` and ``flashpoint eval``."""
from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flashpoint.cli.app import EXIT_FAILED, app
from flashpoint.cli.common import (Ticker, atomic_path, check_inputs, check_output, err_line, output_stream,
                                   parse_date, progress_bar, show_progress)
from flashpoint.export.acled import DATE_STYLE_HELP, DATE_STYLES
from flashpoint.export.status import StatusSelection, parse_statuses, select_events, status_help

TABLE_WIDTH = 160  # columns of --format table written to a file or a pipe


class Format(str, Enum):
    json = "json"
    table = "table"
    acled_csv = "acled-csv"


def iter_reports(inputs: list[str], published: Optional[date], batch_size: int = 16) -> Iterator:
    """Reports in input order; unreadable items become Reports holding only the error."""
    from flashpoint.ingest import IngestError, read_inputs
    from flashpoint.model import Report, RunIds
    from flashpoint.pipeline import default_pipeline

    pipe = None
    pending = []
    ids = RunIds()  # a duplicate article id is reported as "<id>#2" (event ids stay unique)

    def flush():
        nonlocal pipe
        if not pending:
            return
        pipe = pipe or default_pipeline()
        for rep in pipe.extract_many(list(pending), batch_size=batch_size):
            yield ids.report(rep)
        pending.clear()

    for item in read_inputs(inputs, published=published):
        if isinstance(item, IngestError):
            yield from flush()
            yield Report(id=item.item, errors=[str(item)])
        else:
            pending.append(ids.article(item))
            if len(pending) >= batch_size:
                yield from flush()
    yield from flush()


def events_table(reports: list, console: Console, statuses: StatusSelection = None) -> None:
    """One table per article: the events with a selected status (default reported, claimed), compactly."""
    for r in reports:
        if r.failures and not r.events:
            continue
        title = f"{r.id}" + (f" — {r.title}" if r.title else "") + (f" ({r.published})" if r.published else "")
        # article text (titles, names, dates) is untrusted: Text objects, never read as Rich markup
        t = Table(title=Text(title), title_justify="left", expand=False, show_lines=False)
        t.add_column("#", no_wrap=True)
        t.add_column("date", no_wrap=True)
        t.add_column("sub-event type")
        t.add_column("actor1 (with backers)")
        t.add_column("actor2")
        t.add_column("location")
        t.add_column("status")
        t.add_column("fat.", justify="right")
        t.add_column("CAMEO / PLOVER")
        shown = select_events(r.events, statuses)
        for e in shown:
            loc = e.location
            where = "-"
            if loc is not None:
                where = loc.canonical or loc.name
                if loc.lat is not None:
                    where += f" ({loc.lat:.2f}, {loc.lon:.2f})"
            a1 = e.actor1 or "-"
            if e.assoc_actor_1:
                more = f" +{len(e.assoc_actor_1) - 1}" if len(e.assoc_actor_1) > 1 else ""
                a1 += f" (with {e.assoc_actor_1[0]}{more})"
            status = e.status + (f" ({e.attribution})" if e.attribution else "")
            cells = (e.event_id.rsplit("-", 1)[-1], e.event_date or "-", e.sub_event_type or "-", a1,
                     e.actor2 or "-", where, status, "" if e.fatalities is None else str(e.fatalities),
                     f"{e.cameo_code or '-'} / {e.plover_type or '-'}")
            t.add_row(*(Text(c) for c in cells))
        console.print(t)
        console.print(Text(f"  {len(r.toponyms)} toponyms, {len(r.actors)} actor mentions, "
                      f"{len(r.relations)} relations, {len(r.quotes)} quotes, {len(r.claims)} claims"
                      + (f", {len(r.events) - len(shown)} event(s) of other statuses not shown (--status all)"
                         if len(shown) < len(r.events) else "") + "\n"))


@app.command()
def extract(
    inputs: list[str] = typer.Argument(..., metavar="INPUT",
                                       help=".txt .html .jsonl .json .csv .tsv files, directories, or - for stdin."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date YYYY-MM-DD (for "
                                            "articles that carry none); resolves 'on Tuesday' etc."),
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (one object per article per line), "
                               "table, or acled-csv."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout (the file "
                                          "is replaced only when the run completes)."),
    batch_size: int = typer.Option(16, min=1, help="Articles per spaCy batch."),
    status: Optional[list[str]] = typer.Option(None, "--status", help=status_help(
        "Applies to table and acled-csv; json keeps every event with its status.")),
    date_style: str = typer.Option("iso", "--date-style", help=DATE_STYLE_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Extract events, places, actors, quotes and claims from articles.

    Exit code 0 when every article was extracted, 1 when an item failed (its error is in the output), 2 on a
    usage error."""
    pub = parse_date(published, "--published")
    if date_style not in DATE_STYLES:
        raise typer.BadParameter(f"choose one of {', '.join(DATE_STYLES)}", param_hint="--date-style")
    try:
        statuses = parse_statuses(status)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--status") from None
    check_inputs(inputs)
    check_output(output)
    if status and fmt is Format.json:
        err_line("note: --status does not apply to --format json (every event is kept with its status)")
    with output_stream(output) as out:
        with progress_bar("extracting", enabled=show_progress(quiet)) as ticker:
            n_ok, n_err, reports = _extract_to(out, iter_reports(inputs, pub, batch_size), fmt, ticker)
        _write_datasets(out, reports, fmt, statuses, to_terminal=output is None and sys.stdout.isatty(),
                        date_style=date_style)
    if n_err:
        err_line(f"{n_ok} article(s) extracted, {n_err} item(s) failed")
        raise typer.Exit(EXIT_FAILED)


def _extract_to(out, reports, fmt: "Format", ticker: Ticker) -> tuple[int, int, list]:
    """Stream JSON lines (or collect the reports for a table / CSV); print each error and warning to stderr."""
    n_ok = n_err = 0
    kept = []
    for rep in reports:
        failures = rep.failures
        for e in rep.errors:
            ticker.line(*(("red", "error") if e in failures else ("yellow", "warning")), e)
        n_err += bool(failures)
        n_ok += not failures
        ticker.advance()
        if fmt is Format.json:
            out.write(json.dumps(rep.to_json_dict(), ensure_ascii=False) + "\n")
            out.flush()
        else:
            kept.append(rep)
    return n_ok, n_err, kept


def _write_datasets(out, reports: list, fmt: "Format", statuses, to_terminal: bool,
                    date_style: str = "iso") -> None:
    if fmt is Format.table:
        console = (Console(markup=False, highlight=False) if to_terminal
                   else Console(file=out, width=TABLE_WIDTH, markup=False, highlight=False))
        events_table(reports, console, statuses)
    elif fmt is Format.acled_csv:
        from flashpoint.export.acled import report_rows, write_acled_csv

        rows = [row for rep in reports for row in report_rows(rep, statuses=statuses, date_style=date_style)]
        write_acled_csv(rows, out)


@app.command("eval")
def evaluate(
    steps: Optional[list[str]] = typer.Argument(None, help="Steps of ../shared/eval/dev_scores.sh to run (default: "
                                                "all): seed fakes fakes-events geo petrarch cameo plover india "
                                                "muc4 satp."),
    data: Optional[Path] = typer.Option(None, "--data", help="Dev-set folder (default ../shared/data or "
                                        "$FLASHPOINT_DATA); the founding article is read from DATA/../seed."),
    output: Path = typer.Option(Path("eval-results.json"), "-o", "--output", help="JSON results file."),
    keep: Optional[Path] = typer.Option(None, "--keep", help="Keep each step's inputs and the JSON the product "
                                        "wrote here (as dev_scores.sh's OUT=DIR); default: a temporary folder."),
) -> None:
    """Score what users get: each dev set through extract / geoparse, scored by the shared scorers' rules."""
    import tempfile

    from flashpoint import paths
    from flashpoint.evaluation import STEP_NAMES

    chosen = steps or list(STEP_NAMES)
    unknown = [s for s in chosen if s not in STEP_NAMES]
    if unknown:
        raise typer.BadParameter(f"unknown step(s) {', '.join(unknown)}; known: {', '.join(STEP_NAMES)}")
    check_output(output)
    data_dir = paths.shared_data_dir(data)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        results = _run_eval_steps(chosen, data_dir, keep)
    else:
        with tempfile.TemporaryDirectory(prefix="flashpoint-eval-") as tmp:
            results = _run_eval_steps(chosen, data_dir, Path(tmp))
    with atomic_path(output) as path:
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    typer.echo(f"results written to {output}")


def _run_eval_steps(chosen: list[str], data_dir: Optional[Path], workdir: Path) -> dict:
    """Run the steps in order, printing each step's summary lines as the shared scorers print them."""
    from flashpoint.evaluation.steps import STEPS, Runner

    runner = Runner(data_dir, workdir)
    results = {}
    for name in chosen:
        if data_dir is None and name != "seed":
            msg = "dev data folder not found (../shared/data); set --data or FLASHPOINT_DATA"
            typer.echo(f"skipped {name}: {msg}")
            results[name] = {"name": name, "skipped": msg}
            continue
        res = STEPS[name](runner)
        results[name] = res.to_json()
        if res.skipped:
            typer.echo(f"skipped {name}: {res.skipped}")
        for line in res.lines:
            typer.echo(line)
        if res.reports_with_errors:
            err_line(f"{name}: {res.reports_with_errors} report(s) carry errors (scored as written)")
    return results
