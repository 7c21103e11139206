"""Exporting stored events (rows from ``flashpoint.store.query_events``) in every output format.

``write_events(rows, fmt, fh_or_path)`` with fmt in FORMATS. Parquet needs a path (binary; GeoParquet,
see ``flashpoint.export.parquet``). Every format writes only the rows whose status is selected (default:
reported and claimed; ``statuses="all"`` for every row, see ``flashpoint.export.status``) and carries a
``status`` column / field, and the flashpoint version (``flashpoint_version`` in JSON and GeoJSON,
``coder`` in CAMEO and PLOVER, ``notes`` in the ACLED CSV, file metadata in Parquet). Rows a format
cannot or must not hold (GeoJSON: no coordinates; PLOVER: not asserted, see ``flashpoint.export.plover``)
are left out and counted in an ``ExportWarning``; ``write_events`` returns the rows written.
"""
from __future__ import annotations

import csv
import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Iterable, Iterator

from flashpoint.export.acled import DATE_STYLE_ISO, event_row, iso3, write_acled_csv
from flashpoint.export.common import coder, flashpoint_version, neutralise_formula, outlet, warn_left_out
from flashpoint.export.parquet import write_parquet
from flashpoint.export.plover import plover_records
from flashpoint.export.status import StatusSelection, parse_statuses, row_status
from flashpoint.model import Event, Location, Span

VERSION_FIELD = "flashpoint_version"
GEOJSON_DECIMALS = 6
GEOJSON_LEFT_OUT = "event(s) without coordinates left out of the GeoJSON export"

FORMATS = ("table", "json", "acled-csv", "plover", "cameo", "geojson", "parquet")

_QUAD = {**{f"{i:02d}": 1 for i in range(1, 6)}, **{f"{i:02d}": 2 for i in range(6, 9)},
         **{f"{i:02d}": 3 for i in range(9, 14)}, **{f"{i:02d}": 4 for i in range(14, 21)}}


def _jsonable(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, bytes):
        return None
    return v


def _epoch(v) -> int:
    if isinstance(v, datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=timezone.utc)
        return int(v.timestamp())
    return int(datetime.now(timezone.utc).timestamp())


def row_to_event(r: dict) -> Event:
    loc = None
    if r.get("location") or r.get("lat") is not None or r.get("country"):
        loc = Location(name=r.get("location") or "", lat=r.get("lat"), lon=r.get("lon"), country=r.get("country"),
                       admin1=r.get("admin1"), admin2=r.get("admin2"), geonameid=r.get("geonameid"),
                       geo_precision=r.get("geo_precision"))
    ev = None
    if r.get("evidence"):
        ev = Span(text=r["evidence"], start=r.get("evidence_start") or 0, end=r.get("evidence_end") or 0)
    return Event(
        event_id=r["event_id"], event_date=r.get("event_date"), time_precision=r.get("time_precision") or 3,
        event_type=r.get("event_type"), sub_event_type=r.get("sub_event_type"), disorder_type=r.get("disorder_type"),
        cameo_code=r.get("cameo_code"), plover_type=r.get("plover_type"), plover_mode=r.get("plover_mode"),
        actor1=r.get("actor1"), assoc_actor_1=list(r.get("assoc_actor_1") or []), actor2=r.get("actor2"),
        assoc_actor_2=list(r.get("assoc_actor_2") or []), location=loc, fatalities=r.get("fatalities"),
        civilian_fatalities=r.get("civilian_fatalities"), status=row_status(r),
        attribution=r.get("attribution"), trigger=r.get("trigger"), evidence=ev,
        confidence=r.get("confidence") if r.get("confidence") is not None else 0.5)


def acled_rows(rows: Iterable[dict], date_style: str = DATE_STYLE_ISO) -> list[dict]:
    return list(iter_acled_rows(rows, date_style))


def iter_acled_rows(rows: Iterable[dict], date_style: str = DATE_STYLE_ISO) -> Iterator[dict]:
    """The ACLED CSV rows of stored-event rows, one at a time."""
    for r in rows:
        inter = {}
        if r.get("actor1") and r.get("inter1") is not None:
            inter[r["actor1"].lower()] = r["inter1"]
        if r.get("actor2") and r.get("inter2") is not None:
            inter[r["actor2"].lower()] = r["inter2"]
        tags = [f"sources={r.get('n_sources', 1)}"]
        for f, alts in (r.get("alternatives") or {}).items():
            tags.append(f"{f} reported as " + " | ".join(f"{a['value']} ({', '.join(map(str, a['sources']))})"
                                                      for a in alts))
        srcs = [outlet(s.get("source"), s.get("url")) for s in r.get("sources") or []]
        yield event_row(row_to_event(r), sources=srcs, inter=inter, timestamp=_epoch(r.get("last_modified")),
                        extra_tags=tags, date_style=date_style)


CAMEO_TEXT_COLUMNS = frozenset({"event_id", "source", "target", "location", "admin1", "sources", "urls"})
CAMEO_COLUMNS = ("event_id", "date", "year", "month", "day", "source", "target", "code", "root_code", "quad_class",
                 "location", "latitude", "longitude", "country_code", "admin1", "fatalities", "status", "sources",
                 "urls", "coder")


def cameo_record(r: dict) -> dict:
    code = r.get("cameo_code") or ""
    d = r.get("event_date") or ""
    srcs = r.get("sources") or []
    return {
        "event_id": r["event_id"], "date": d.replace("-", ""), "year": d[:4], "month": d[5:7], "day": d[8:10],
        "source": r.get("actor1") or "", "target": r.get("actor2") or "", "code": code, "root_code": code[:2],
        "quad_class": _QUAD.get(code[:2], ""), "location": r.get("location") or "",
        "latitude": "" if r.get("lat") is None else r["lat"], "longitude": "" if r.get("lon") is None else r["lon"],
        "country_code": iso3(r.get("country")), "admin1": r.get("admin1") or "",
        "fatalities": "" if r.get("fatalities") is None else r["fatalities"], "status": row_status(r),
        "sources": ";".join(dict.fromkeys(o for o in (outlet(s.get("source"), s.get("url")) for s in srcs) if o)),
        "urls": ";".join(dict.fromkeys(s["url"] for s in srcs if s.get("url"))),
        "coder": coder(),
    }


def geojson(rows: Iterable[dict]) -> dict:
    """RFC 7946 FeatureCollection of the events with coordinates ([lon, lat]); events without coordinates
    are left out (RFC 7946 allows a null geometry, but map tools drop or misplace such features) and
    counted in an ExportWarning. ``flashpoint_version`` is a foreign member of the collection."""
    counter = [0]
    feats = list(_features(rows, counter))
    warn_left_out(counter[0], GEOJSON_LEFT_OUT)
    return {"type": "FeatureCollection", VERSION_FIELD: flashpoint_version(), "features": feats}


def _features(rows: Iterable[dict], left_out: list[int]) -> Iterator[dict]:
    """The GeoJSON features of the rows with coordinates; ``left_out[0]`` counts the others."""
    for r in rows:
        if r.get("lat") is None or r.get("lon") is None:
            left_out[0] += 1
            continue
        geom = {"type": "Point", "coordinates": [round(float(r["lon"]), GEOJSON_DECIMALS),
                                                 round(float(r["lat"]), GEOJSON_DECIMALS)]}
        props = {k: _jsonable(v) for k, v in r.items() if k not in ("lat", "lon", "embedding")}
        props["status"] = row_status(r)
        yield {"type": "Feature", "id": r["event_id"], "geometry": geom, "properties": props}


def _write_geojson(rows: Iterable[dict], fh) -> int:
    """``geojson(rows)`` written feature by feature (the same text ``json.dump`` gives); returns features."""
    counter, n = [0], 0
    fh.write(json.dumps({"type": "FeatureCollection", VERSION_FIELD: flashpoint_version()})[:-1] + ', "features": [')
    for feat in _features(rows, counter):
        fh.write((", " if n else "") + json.dumps(feat, ensure_ascii=False, default=_jsonable))
        n += 1
    fh.write("]}\n")
    warn_left_out(counter[0], GEOJSON_LEFT_OUT)
    return n


def _write_json_array(items: Iterable[dict], fh) -> int:
    """A JSON array written item by item (the same text ``json.dump(list, indent=1)`` gives); returns items."""
    n = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=1, default=_jsonable)
        fh.write(("[\n" if n == 0 else ",\n") + "\n".join(" " + line for line in text.split("\n")))
        n += 1
    fh.write("\n]\n" if n else "[]\n")
    return n


def _json_row(r: dict) -> dict:
    return {**{k: _jsonable(v) for k, v in r.items() if k != "embedding"}, "status": row_status(r),
            VERSION_FIELD: flashpoint_version()}


def _write_cameo(rows: Iterable[dict], fh) -> int:
    w = csv.DictWriter(fh, fieldnames=list(CAMEO_COLUMNS), delimiter="\t", lineterminator="\n")
    w.writeheader()
    n = 0
    for r in rows:
        w.writerow({k: neutralise_formula(v) if k in CAMEO_TEXT_COLUMNS else v for k, v in cameo_record(r).items()})
        n += 1
    return n


def write_events(rows: Iterable[dict], fmt: str, out: "IO[str] | str | Path | None" = None,
                 statuses: StatusSelection = None, date_style: str = DATE_STYLE_ISO) -> int:
    """Write the rows with a selected status (default: reported and claimed; ``"all"`` for every row) in
    ``fmt``. ``out`` is a text handle or a path (parquet: a path is required). ``date_style`` is the ACLED
    CSV's event_date style (``iso`` or ``acled``). Returns the rows written (GeoJSON and PLOVER leave
    some out, see the module docstring). ``rows`` may be an iterator (``iter_events``): json, acled-csv,
    plover, cameo and geojson are written row by row without holding the rows; table and parquet hold them."""
    import sys

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    keep = parse_statuses(statuses)
    rows = (r for r in rows if row_status(r) in keep)
    if fmt == "parquet":
        if out is None or hasattr(out, "write"):
            raise ValueError("parquet needs -o FILE")
        return write_parquet(list(rows), out)
    close = False
    if out is None:
        fh = sys.stdout
    elif hasattr(out, "write"):
        fh = out
    else:
        fh = open(out, "w", encoding="utf-8", newline="")
        close = True
    try:
        return _write_text(rows, fmt, fh, date_style)
    finally:
        if close:
            fh.close()


def _write_text(rows: Iterable[dict], fmt: str, fh, date_style: str) -> int:
    if fmt == "json":
        return _write_json_array((_json_row(r) for r in rows), fh)
    if fmt == "acled-csv":
        return write_acled_csv(iter_acled_rows(rows, date_style), fh)
    if fmt == "geojson":
        return _write_geojson(rows, fh)
    n = 0
    if fmt == "plover":
        for rec in plover_records(rows):
            fh.write(json.dumps(rec, ensure_ascii=False, default=_jsonable) + "\n")
            n += 1
    elif fmt == "cameo":
        n = _write_cameo(rows, fh)
    elif fmt == "table":
        rows = list(rows)
        print_table(rows, fh)
        n = len(rows)
    return n


def print_table(rows: list[dict], fh=None) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(show_lines=False)
    for c in ("event_id", "date", "type", "actor1", "actor2", "location", "status", "fat.", "src", "alt"):
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(r["event_id"], r.get("event_date") or "", r.get("sub_event_type") or r.get("event_type") or "",
                  r.get("actor1") or "", r.get("actor2") or "",
                  ", ".join(x for x in (r.get("location"), r.get("admin1"), r.get("country")) if x),
                  row_status(r), "" if r.get("fatalities") is None else str(r["fatalities"]), str(r.get("n_sources", "")),
                  ",".join(r.get("alternatives") or {}))
    Console(file=fh, width=160, markup=False, highlight=False).print(t)  # cells are untrusted text
