"""``flashpoint geoparse`` and ``flashpoint gazetteer ...`` (thin layer over flashpoint.geo)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from flashpoint.cli.app import app

gazetteer_app = typer.Typer(help="Offline gazetteer index: build, import, look up.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


def _read_jsonl(path: str):
    fh = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)


@app.command("geoparse")
def geoparse_cmd(
    input: str = typer.Argument(..., help="JSONL with {id, text[, toponyms:[{start,end}]]} per line ('-' = stdin)"),
    given_spans: bool = typer.Option(False, "--given-spans", help="resolve only the spans given in each input"),
    country: Optional[str] = typer.Option(None, "--country", help="focus-country hint (ISO2)"),
) -> None:
    """Recognise and resolve toponyms: one JSON line {id, toponyms:[...]} per input line."""
    from flashpoint.geo.cli_api import geoparse_records

    for out in geoparse_records(list(_read_jsonl(input)), given_spans=given_spans, focus_hint=country):
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


@gazetteer_app.command("import")
def gazetteer_import(file: Path = typer.Argument(..., exists=True, help="GeoNames dump (allCountries.txt, SY.txt) "
                                                                      "or WOF-style TSV export")) -> None:
    """Add a GeoNames dump or a WOF export to the index (rebuilds it). A file that cannot be imported is not
    registered."""
    from flashpoint.geo.gazetteer import GazetteerImportError, import_file

    try:
        out = import_file(file)
    except GazetteerImportError as exc:
        typer.echo(f"error: {exc} (not registered)", err=True)
        raise typer.Exit(1)
    typer.echo(f"index: {out}")


@gazetteer_app.command("remove")
def gazetteer_remove(
    name: Optional[str] = typer.Argument(None, help="Path or file name of a registered import."),
    all_: bool = typer.Option(False, "--all", help="Unregister every import (back to the packaged index)."),
) -> None:
    """Unregister an imported file: the index is used (or rebuilt) without it."""
    from flashpoint.geo.gazetteer import remove_import

    if (name is None) == (not all_):
        raise typer.BadParameter("give the import's NAME or --all")
    gone = remove_import(None if all_ else name)
    if not gone:
        typer.echo(f"no registered import {name}", err=True)
        raise typer.Exit(1)
    for p in gone:
        typer.echo(f"removed {p}")


@gazetteer_app.command("build")
def gazetteer_build() -> None:
    """Build (or rebuild) the index in the cache directory."""
    from flashpoint.geo.gazetteer import build, index_path

    typer.echo(str(build(index_path(), progress=True)))


@gazetteer_app.command("lookup")
def gazetteer_lookup(name: str, country: Optional[str] = typer.Option(None, "--country")) -> None:
    """Resolve one name; prints the chosen place as JSON (or null)."""
    from flashpoint.geo.geoparse import resolve_name

    loc = resolve_name(name, country)
    typer.echo(json.dumps(loc.model_dump(mode="json") if loc else None, ensure_ascii=False))
