"""Geoparsing: gazetteer, name matching, toponym recognition and resolution, event locations.

Public API (imports are lazy so ``import flashpoint.geo`` stays cheap):

* ``event_locations(doc, trigger_i, toponyms=None) -> list[Location]``
* ``resolve_name(name, country=None) -> Location | None``
* ``geoparse_records(records, given_spans=False) -> Iterator[dict]``
* ``get_gazetteer()``, ``import_file(path)``
"""
from __future__ import annotations


def event_locations(doc, trigger_i, toponyms=None):
    from flashpoint.geo.event_location import event_locations as _f

    return _f(doc, trigger_i, toponyms)


def resolve_name(name, country=None):
    from flashpoint.geo.geoparse import resolve_name as _f

    return _f(name, country)


def geoparse_records(records, given_spans=False, nlp=None):
    from flashpoint.geo.cli_api import geoparse_records as _f

    return _f(records, given_spans=given_spans, nlp=nlp)


def get_gazetteer():
    from flashpoint.geo.gazetteer import get_gazetteer as _f

    return _f()


def import_file(path):
    from flashpoint.geo.gazetteer import import_file as _f

    return _f(path)


__all__ = ["event_locations", "resolve_name", "geoparse_records", "get_gazetteer", "import_file"]
