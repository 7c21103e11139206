"""``flashpoint geoparse`` and ``flashpoint gazetteer ...`` (thin layer over flashpoint.geo)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from flashpoint.cli.app import EXIT_FAILED, app
from flashpoint.cli.common import check_inputs, check_output, err_line, output_stream, progress_bar, show_progress

gazetteer_app = typer.Typer(help="Offline gazetteer index: build, import, look up.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


GEOPARSE_CHUNK = 64  # records per spaCy pass (output stays in input order)


def _country(value: Optional[str]) -> Optional[str]:
    """--country as ISO2, from an ISO2/ISO3 code or a name; an unknown country is a usage error."""
    if value is None:
        return None
    from flashpoint.store.query import country_code

    try:
        return country_code(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--country") from None


@app.command("geoparse")
def geoparse_cmd(
    input: str = typer.Argument(..., metavar="INPUT",
                                help="JSONL with {id, text[, toponyms:[{start,end}]]} per line ('-' = stdin)"),
    given_spans: bool = typer.Option(False, "--given-spans", help="resolve only the spans given in each input"),
    country: Optional[str] = typer.Option(None, "--country", help="focus-country hint (ISO code or name)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="write JSONL here (default: stdout; the "
                                          "file is replaced only when the run completes)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Recognise and resolve toponyms: one JSON line {id, toponyms:[...]} per input line.

    A bad line (malformed JSON, no text, with --given-spans a span outside the text) gets {"id", "errors"}
    instead and the rest go on; exit code 1 then."""
    from flashpoint.cli.records import check_spans, process_in_order, read_records
    from flashpoint.geo.cli_api import geoparse_records

    hint = _country(country)
    check_inputs([input])
    check_output(output)
    records = read_records(input, ("text",), check_spans if given_spans else None)
    with output_stream(output) as out, progress_bar("geoparsing", enabled=show_progress(quiet)) as ticker:
        n_bad = process_in_order(records, lambda recs: geoparse_records(recs, given_spans=given_spans,
                                                                        focus_hint=hint),
                                 GEOPARSE_CHUNK, out, ticker)
    if n_bad:
        err_line(f"{n_bad} line(s) failed")
        raise typer.Exit(EXIT_FAILED)


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

    typer.echo(str(build(index_path(), progress=show_progress())))


@gazetteer_app.command("lookup")
def gazetteer_lookup(name: str = typer.Argument(..., metavar="NAME", help="Place name."),
                     country: Optional[str] = typer.Option(None, "--country",
                                                           help="Only inside this country (ISO code or name).")
                     ) -> None:
    """Resolve one name; prints the chosen place as JSON (or null)."""
    from flashpoint.geo.geoparse import resolve_name

    loc = resolve_name(name, _country(country))
    typer.echo(json.dumps(loc.model_dump(mode="json") if loc else None, ensure_ascii=False))
