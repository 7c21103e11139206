"""``flashpoint ingest`` and ``flashpoint events`` (store, query, export, explain)."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import List, Optional

import typer

from flashpoint.cli.app import app
from flashpoint.export.status import status_help

DB_HELP = "Database: a SQLite path (default ./flashpoint.db or $FLASHPOINT_DB) or postgresql://user:pw@host/db"


@app.command("ingest")
def ingest_cmd(
    inputs: List[str] = typer.Argument(..., help="Files (.txt .html .jsonl), directories, or '-' for stdin."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", help="Local worker processes (on Linux forked from one loaded pipeline, else each loads its own)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    batch_size: int = typer.Option(32, "--batch-size", help="Articles per committed batch."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date for inputs without one."),
    extractor: Optional[str] = typer.Option(None, "--extractor", hidden=True,
                                            help="module:factory of the extractor (tests/benchmarks)."),
    no_dedup: bool = typer.Option(False, "--no-dedup", help="Do not merge reports of the same event."),
    no_embed: bool = typer.Option(False, "--no-embed", help="Dedup with token Jaccard instead of MiniLM."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    json_out: bool = typer.Option(False, "--json", help="Print the run statistics as JSON."),
) -> None:
    """Extract events from articles into the store: idempotent (content hash), resumable, deduplicated."""
    from flashpoint.store.db import StoreError
    from flashpoint.store.ingest import ingest

    pub = date.fromisoformat(published) if published else None
    try:
        stats = ingest(inputs, db, workers=workers, scheduler=scheduler, batch_size=batch_size,
                       extractor=extractor, published=pub, dedup=not no_dedup, embedder=None if no_embed else True,
                       progress=not quiet and sys.stderr.isatty())
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:  # committed batches stay; the open one is rolled back
        typer.echo("interrupted: the batches already committed are stored; run the same command again to resume",
                   err=True)
        raise typer.Exit(130)
    if json_out:
        typer.echo(json.dumps(stats.as_dict()))
    else:
        typer.echo(f"read {stats.read}, ingested {stats.ingested}, skipped {stats.skipped}, failed {stats.failed}, "
                   f"events {stats.events} ({stats.merged} merged into earlier events), "
                   f"{stats.articles_per_s:.1f} articles/s", err=True)
        for e in stats.errors[:10]:
            typer.echo(f"  error: {e}", err=True)
    if stats.unrecorded:  # not stored (database busy): the rerun retries them
        raise typer.Exit(1)


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
    limit: Optional[int] = typer.Option(None, "--limit"),
    modified_since: Optional[str] = typer.Option(None, "--modified-since",
                                                 help="Only events created/changed after this ISO datetime (sync)."),
    explain_id: Optional[str] = typer.Option(None, "--explain", help="Show why reports merged into event ID."),
    changes: Optional[int] = typer.Option(None, "--changes-since",
                                          help="Print the change log (insert/merge/delete) after this cursor."),
    delete_id: Optional[str] = typer.Option(None, "--delete", help="Delete event ID (logged for sync)."),
    status: Optional[List[str]] = typer.Option(None, "--status", help=status_help(
        "Hypothetical, historical and denied events are left out unless selected.")),
) -> None:
    """Query and export stored events (canonical, deduplicated, with all their sources)."""
    from flashpoint.export.formats import FORMATS, write_events
    from flashpoint.store.db import normalise_url
    from flashpoint.store.query import changes_since, explain, query_events

    url = normalise_url(db)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        typer.echo(f"no database at {url[len('sqlite:///'):]} (run `flashpoint ingest` first or pass --db)", err=True)
        raise typer.Exit(1)

    if explain_id:
        try:
            info = explain(db, explain_id)
        except KeyError:
            typer.echo(f"no event {explain_id}", err=True)
            raise typer.Exit(1)
        _print_explain(info, fmt)
        return
    if delete_id:
        from flashpoint.store import open_store
        from flashpoint.store.write import delete_event

        with open_store(db).engine.begin() as conn:
            ok = delete_event(conn, delete_id, "deleted from the command line")
        typer.echo(f"deleted {delete_id}" if ok else f"no event {delete_id}", err=True)
        raise typer.Exit(0 if ok else 1)
    if changes is not None:
        for ch in changes_since(db, changes):
            typer.echo(json.dumps(ch, default=str))
        return
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        rows = query_events(db, since=since, until=until, bbox=bbox, country=country, event_type=event_type,
                            actor=actor, text=text, limit=limit, modified_since=modified_since, statuses=status)
    except ValueError as exc:
        raise typer.BadParameter(str(exc))
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet needs -o FILE", param_hint="--format")
    n = write_events(rows, fmt, output, statuses=status)
    if output is not None:
        typer.echo(f"{n} events -> {output}", err=True)


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
