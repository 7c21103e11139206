"""``flashpoint ingest`` and ``flashpoint events`` (store, query, export, explain)."""
from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from flashpoint.cli.app import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, app
from flashpoint.cli.common import (atomic_path, check_db, check_inputs, check_output, check_scheduler, err_line,
                                   parse_date, show_progress)
from flashpoint.export.acled import DATE_STYLE_HELP, DATE_STYLES
from flashpoint.export.common import ExportWarning
from flashpoint.export.status import status_help

INGEST_ERRORS_SHOWN = 10  # per-item errors printed after an ingest (all of them are in the database)

DB_HELP = "Database: a SQLite path (default ./flashpoint.db or $FLASHPOINT_DB) or postgresql://user:pw@host/db"


@app.command("ingest")
def ingest_cmd(
    inputs: List[str] = typer.Argument(..., metavar="INPUT",
                                       help="Files (.txt .html .jsonl .json .csv .tsv), directories, or '-' for stdin."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Local worker processes (on Linux forked from one loaded pipeline, else each loads its own)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per committed batch."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date for inputs without one."),
    extractor: Optional[str] = typer.Option(None, "--extractor", hidden=True,
                                            help="module:factory of the extractor (tests/benchmarks)."),
    no_dedup: bool = typer.Option(False, "--no-dedup", help="Do not merge reports of the same event."),
    no_embed: bool = typer.Option(False, "--no-embed", help="Dedup with token Jaccard instead of MiniLM."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    json_out: bool = typer.Option(False, "--json", help="Print the run statistics as JSON."),
) -> None:
    """Extract events from articles into the store: idempotent (content hash), resumable, deduplicated.

    Exit code 0 when every article was stored or already there, 1 when an item failed or was left unrecorded (the
    database was busy: the rerun retries it), 2 on a usage error (a missing input path is one: nothing is recorded
    for it), 130 when interrupted."""
    from flashpoint.store.db import StoreError
    from flashpoint.store.ingest import ingest

    pub = parse_date(published, "--published")
    check_inputs(inputs)
    check_db(db)
    check_scheduler(scheduler)
    try:
        stats = ingest(inputs, db, workers=workers, scheduler=scheduler, batch_size=batch_size, extractor=extractor,
                       published=pub, dedup=not no_dedup, embedder=None if no_embed else True,
                       progress=show_progress(quiet))
    except StoreError as exc:
        err_line(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE)
    except KeyboardInterrupt:  # committed batches stay; the open one is rolled back
        err_line("interrupted: the batches already committed are stored; run the same command again to resume")
        raise typer.Exit(EXIT_INTERRUPTED)
    if json_out:
        typer.echo(json.dumps(stats.as_dict()))
    else:
        typer.echo(f"read {stats.read}, ingested {stats.ingested}, skipped {stats.skipped}, failed {stats.failed}, "
                   f"events {stats.events} ({stats.merged} merged into earlier events), "
                   f"{stats.articles_per_s:.1f} articles/s", err=True)
        for e in stats.errors[:INGEST_ERRORS_SHOWN]:
            err_line(f"  error: {e}")
    if stats.failed or stats.unrecorded:
        raise typer.Exit(EXIT_FAILED)


@app.command("events")
def events_cmd(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    since: Optional[str] = typer.Option(None, "--since", help="Events on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Events on or before this date."),
    bbox: Optional[str] = typer.Option(None, "--bbox", help="min_lon,min_lat,max_lon,max_lat"),
    country: Optional[str] = typer.Option(None, "--country", help="ISO2/ISO3 code or country name."),
    event_type: Optional[str] = typer.Option(None, "--type", help="ACLED type/sub-type, PLOVER type or CAMEO prefix."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Substring of actor1/actor2."),
    text: Optional[str] = typer.Option(None, "--text", help="Substring of the evidence sentence."),
    fmt: str = typer.Option("table", "--format", "-f",
                            help="table | json | acled-csv | plover | cameo | geojson | parquet"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to FILE (required for parquet)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="At most this many events (0: none)."),
    modified_since: Optional[str] = typer.Option(None, "--modified-since",
                                                 help="Only events created/changed after this ISO datetime (sync)."),
    explain_id: Optional[str] = typer.Option(None, "--explain", help="Show why reports merged into event ID."),
    changes: Optional[int] = typer.Option(None, "--changes-since",
                                          help="Print the change log (insert/merge/delete) after this cursor."),
    delete_id: Optional[str] = typer.Option(None, "--delete", help="Delete event ID (logged for sync)."),
    status: Optional[List[str]] = typer.Option(None, "--status", help=status_help(
        "Hypothetical, historical and denied events are left out unless selected.")),
    date_style: str = typer.Option("iso", "--date-style", help=DATE_STYLE_HELP),
) -> None:
    """Query and export stored events (canonical, deduplicated, with all their sources).

    Exit code 0 on success (also when no event matches), 1 when --explain or --delete names no event, 2 on a
    usage error (a bad filter, or no database at --db)."""
    from flashpoint.export.formats import FORMATS
    from flashpoint.store.db import normalise_url
    from flashpoint.store.query import changes_since, explain

    filters = _event_filters(since, until, country, bbox, modified_since)
    check_output(output)
    url = normalise_url(db)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        err_line(f"no database at {url[len('sqlite:///'):]} (run `flashpoint ingest` first or pass --db)")
        raise typer.Exit(EXIT_USAGE)

    with _store_usage_errors():
        if explain_id:
            try:
                info = explain(db, explain_id)
            except KeyError:
                err_line(f"no event {explain_id}")
                raise typer.Exit(EXIT_FAILED)
            _print_explain(info, fmt)
            return
        if delete_id:
            from flashpoint.store import open_store
            from flashpoint.store.write import delete_event

            with open_store(db).engine.begin() as conn:
                ok = delete_event(conn, delete_id, "deleted from the command line")
            err_line(f"deleted {delete_id}" if ok else f"no event {delete_id}")
            raise typer.Exit(0 if ok else EXIT_FAILED)
        if changes is not None:
            for ch in changes_since(db, changes):
                typer.echo(json.dumps(ch, default=str))
            return
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet needs -o FILE", param_hint="--format")
    if date_style not in DATE_STYLES:
        raise typer.BadParameter(f"choose one of {', '.join(DATE_STYLES)}", param_hint="--date-style")
    with _store_usage_errors():
        _export(db, fmt, output, status, date_style, limit=limit, event_type=event_type, actor=actor, text=text,
                **filters)


@contextmanager
def _store_usage_errors() -> Iterator[None]:
    """A --db that is not a flashpoint store (another application's database, a file that is not SQLite) is a
    usage error naming --db, whichever mode of ``flashpoint events`` opened it."""
    from flashpoint.store.db import StoreError

    try:
        yield
    except StoreError as exc:
        raise typer.BadParameter(str(exc), param_hint="--db") from None


def _event_filters(since: Optional[str], until: Optional[str], country: Optional[str], bbox: Optional[str],
                   modified_since: Optional[str]) -> dict:
    """The validated filters of ``flashpoint events`` (each bad value a usage error naming its option)."""
    from flashpoint.store.query import parse_ts, country_code, parse_bbox

    out = {"since": parse_date(since, "--since"), "until": parse_date(until, "--until"), "bbox": None,
           "country": None, "modified_since": modified_since}
    if out["since"] and out["until"] and out["since"] > out["until"]:
        raise typer.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    try:
        out["country"] = country_code(country) if country is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--country") from None
    try:
        out["bbox"] = parse_bbox(bbox)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--bbox") from None
    try:
        out["modified_since"] = parse_ts(modified_since) if modified_since else None
    except ValueError:
        raise typer.BadParameter(f"{modified_since!r} is not an ISO date-time", param_hint="--modified-since") from None
    return out


def _export(db: Optional[str], fmt: str, output: Optional[Path], status: Optional[List[str]], date_style: str,
            **filters) -> None:
    from flashpoint.export.formats import write_events
    from flashpoint.store.db import StoreError
    from flashpoint.store.query import iter_events

    try:
        rows = iter_events(db, statuses=status, **filters)  # streamed: read in chunks while they are written
    except StoreError:
        raise
    except ValueError as exc:  # --status
        raise typer.BadParameter(str(exc)) from None
    with warnings.catch_warnings(record=True, category=ExportWarning) as caught:
        warnings.simplefilter("always", ExportWarning)
        if output is None:
            write_events(rows, fmt, None, statuses=status, date_style=date_style)
        else:
            with atomic_path(output) as path:
                n = write_events(rows, fmt, path, statuses=status, date_style=date_style)
    for w in caught:
        err_line(f"warning: {w.message}")
    if output is not None:
        err_line(f"{n} events -> {output}")


def _print_explain(info: dict, fmt: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(info, default=str, indent=1))
        return
    c = info["canonical"]
    typer.echo(f"event {info['event_id']}: {c['event_date']} {c['sub_event_type'] or c['event_type']} "
               f"{c['actor1'] or '?'} vs {c['actor2'] or '-'} at {c['location'] or '?'} "
               f"({c['admin1'] or ''}) fatalities={c['fatalities']}")
    typer.echo(f"  first reported by {c['article']} [{c['outlet']}]: {c['evidence']}")
    if not info["merged"]:
        typer.echo("  no other report merged into it")
    for m in info["merged"]:
        why = m["why"] or {}
        f = why.get("features", {})
        typer.echo(f"  + {m['event_id']} from {m['article']} [{m['outlet']}]: {why.get('reason')}")
        typer.echo(f"      days apart {f.get('days_apart')} (window {f.get('day_window')}), km {f.get('km')}, "
                   f"same admin1 {f.get('same_admin1')}, type same {f.get('type_same')}, "
                   f"actors {f.get('actor_sim')}, text {f.get('text_method')} {f.get('text_sim')}, "
                   f"fatalities {f.get('fatalities')}")
        typer.echo(f"      {m['evidence']}")
