"""``flashpoint serve`` (REST API + map page) and ``flashpoint map`` (the map as one HTML file)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import List, Optional

import typer

from flashpoint.cli.app import app

DB_HELP = "Database: a SQLite path (default ./flashpoint.db or $FLASHPOINT_DB) or postgresql://user:pw@host/db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_ENV = "FLASHPOINT_API_TOKEN"


def _require_sqlite_file(db: Optional[str]) -> None:
    from flashpoint.store.db import normalise_url

    url = normalise_url(db)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        typer.echo(f"no database at {url[len('sqlite:///'):]} (run `flashpoint ingest` first or pass --db)", err=True)
        raise typer.Exit(1)


@app.command("serve")
def serve_cmd(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option(DEFAULT_HOST, "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="TCP port."),
    token: Optional[str] = typer.Option(None, "--token", envvar=TOKEN_ENV,
                                        help="Enable POST /api/articles for this bearer token "
                                             f"(or ${TOKEN_ENV}); read-only without it."),
    cors_origin: Optional[List[str]] = typer.Option(None, "--cors-origin",
                                                    help="Allow browser calls from this origin (repeat); "
                                                         "none by default."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Server processes (one per core)."),
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the event map (at /) over the store."""
    import os

    import uvicorn

    from flashpoint.web import api

    _require_sqlite_file(db)
    typer.echo(f"flashpoint: map at http://{host}:{port}/  API docs at http://{host}:{port}/docs"
               + ("  (POST /api/articles enabled)" if token else "  (read-only)"), err=True)
    if workers == 1:
        uvicorn.run(api.create_app(db, token=token, cors_origins=cors_origin or ()), host=host, port=port,
                    log_level="warning")
        return
    os.environ[api.SERVE_DB_ENV] = db or ""
    os.environ[api.SERVE_TOKEN_ENV] = token or ""
    os.environ[api.SERVE_CORS_ENV] = " ".join(cors_origin or ())
    uvicorn.run("flashpoint.web.api:app_from_env", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


@app.command("map")
def map_cmd(
    inputs: Optional[List[str]] = typer.Argument(None, help="Articles (.txt .html .jsonl, directories) to extract "
                                                             "and map; or give --db."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP + " (used when no INPUT is given)"),
    output: Path = typer.Option(..., "-o", "--output", help="The HTML file to write."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date for inputs without one."),
    title: str = typer.Option("flashpoint events", "--title", help="Title of the page."),
    extractor: Optional[str] = typer.Option(None, "--extractor", hidden=True,
                                            help="module:factory of the extractor (tests)."),
) -> None:
    """Write the event map as ONE self-contained HTML file (data, script, basemap inlined; works offline)."""
    from flashpoint.web.onefile import build_html, input_rows, store_rows

    errors: list[str] = []
    if inputs:
        pub = date.fromisoformat(published) if published else None
        rows, errors = input_rows(inputs, published=pub, extractor=extractor)
    else:
        _require_sqlite_file(db)
        rows = store_rows(db)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(build_html(rows, title=title), encoding="utf-8")
    for e in errors[:10]:
        typer.echo(f"  error: {e}", err=True)
    typer.echo(f"{len(rows)} events -> {output.resolve()}", err=True)
    typer.echo(str(output.resolve()))
