"""``flashpoint`` command line: a thin layer over the library, one module per concern.

extract.py   extract, eval            (lead)
geo.py       geoparse, gazetteer ...  (geo)
classify.py  classify, train          (event classifier)
store.py     ingest, events           (store / export / scale)
"""
import importlib

from flashpoint.cli.app import app

for _mod in ("extract", "geo", "classify", "store"):
    try:
        importlib.import_module(f"flashpoint.cli.{_mod}")
    except ModuleNotFoundError as exc:  # a module not written yet
        if exc.name != f"flashpoint.cli.{_mod}":
            raise


def main() -> None:
    app()
