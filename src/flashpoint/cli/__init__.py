"""``flashpoint`` command line: a thin layer over the library, one module per concern.

app.py       the typer app and the conventions every command shares (exit codes, --debug, --version, -h)
common.py    input/output/--db checks, atomic outputs, the progress bar
records.py   JSONL records for classify and geoparse (per-line errors, in order)
extract.py   extract, eval            (lead)
geo.py       geoparse, gazetteer ...  (geo)
classify.py  classify, train          (event classifier)
store.py     ingest, events           (store / export / scale)
"""
from flashpoint.cli import classify, extract, geo, store  # noqa: F401  (each registers its commands)
from flashpoint.cli.app import app


def main() -> None:
    app()
