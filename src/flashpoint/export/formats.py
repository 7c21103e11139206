"""Exporting stored events (rows from ``flashpoint.store.query_events``) in every output format.

``write_events(rows, fmt, fh_or_path)`` with fmt in FORMATS. Parquet needs a path (binary).
Every format writes only the rows whose status is selected (default: reported and claimed;
``statuses="all"`` for every row, see ``flashpoint.export.status``) and carries a ``status``
column / field.
"""
from __future__ import annotations

import csv
import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Iterable

from flashpoint.export.acled import event_row, iso3, write_acled_csv
from flashpoint.export.status import StatusSelection, row_status, select_rows
from flashpoint.model import Event, Location, Span

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


def acled_rows(rows: Iterable[dict]) -> list[dict]:
    out = []
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
        srcs = [s.get("source") or s.get("article_id") for s in r.get("sources") or []]
        out.append(event_row(row_to_event(r), sources=srcs, inter=inter, timestamp=_epoch(r.get("last_modified")),
                             extra_tags=tags))
    return out


def plover_record(r: dict) -> dict:
    srcs = r.get("sources") or []
    first = srcs[0] if srcs else {}
    rec = {
        "id": r["event_id"],
        "has_event": bool(r.get("plover_type")),
        "date": r.get("event_date"),
        "actor": [{"entity_text": r["actor1"]}] if r.get("actor1") else [],
        "recipient": [{"entity_text": r["actor2"]}] if r.get("actor2") else [],
        "event": [r["plover_type"].upper()] if r.get("plover_type") else [],
        "mode": [r["plover_mode"].lower()] if r.get("plover_mode") else [],
        "event_loc": {
            "extracted_place": r.get("location"), "resolved_place": r.get("location"),
            "geonameid": r.get("geonameid"), "lat": r.get("lat"), "lon": r.get("lon"),
            "province": r.get("admin1"), "district": r.get("admin2"),
            "country_code": iso3(r.get("country")) or None,
            "resolution": {1: 5, 2: 4, 3: 3}.get(r.get("geo_precision")) if r.get("geo_precision") else None,
        },
        "event_text": [r["evidence"]] if r.get("evidence") else [],
        "text": r.get("evidence"),
        "dead": r.get("fatalities"),
        "cite_info": {"publication": first.get("source"), "url": first.get("url"), "title": first.get("title")},
        "coder": "flashpoint",
        "coded_date": _jsonable(r.get("last_modified")),
        "status": row_status(r),
        "comment": f"status={row_status(r)}; sources={r.get('n_sources', 1)}",
    }
    if r.get("cameo_code"):
        rec["cameo_code"] = r["cameo_code"]
    return rec


CAMEO_COLUMNS = ("event_id", "date", "year", "month", "day", "source", "target", "code", "root_code", "quad_class",
                 "location", "latitude", "longitude", "country_code", "admin1", "fatalities", "status", "sources",
                 "urls")


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
        "sources": ";".join(dict.fromkeys(s.get("source") or s.get("article_id") or "" for s in srcs)),
        "urls": ";".join(dict.fromkeys(s["url"] for s in srcs if s.get("url"))),
    }


def geojson(rows: Iterable[dict]) -> dict:
    """RFC 7946 FeatureCollection; coordinates are [lon, lat]; events without coordinates get geometry null."""
    feats = []
    for r in rows:
        geom = None
        if r.get("lat") is not None and r.get("lon") is not None:
            geom = {"type": "Point", "coordinates": [round(float(r["lon"]), 6), round(float(r["lat"]), 6)]}
        props = {k: _jsonable(v) for k, v in r.items() if k not in ("lat", "lon", "embedding")}
        props["status"] = row_status(r)
        feats.append({"type": "Feature", "id": r["event_id"], "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def dataframe(rows: list[dict]):
    """Flat pandas frame (nested values as JSON strings) - what Parquet stores."""
    import pandas as pd

    flat = []
    for r in rows:
        f = {}
        for k, v in r.items():
            if k == "embedding":
                continue
            f[k] = json.dumps(v, default=_jsonable, ensure_ascii=False) if isinstance(v, (list, dict)) else v
        f["status"] = row_status(r)
        flat.append(f)
    df = pd.DataFrame(flat)
    for c in ("created_at", "last_modified"):
        if c in df:
            df[c] = pd.to_datetime(df[c], utc=True)
    return df


def write_events(rows: list[dict], fmt: str, out: "IO[str] | str | Path | None" = None,
                 statuses: StatusSelection = None) -> int:
    """Write the rows with a selected status (default: reported and claimed; ``"all"`` for every row) in
    ``fmt``. ``out`` is a text handle or a path (parquet: a path is required). Returns rows written."""
    import sys

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    rows = select_rows(rows, statuses)
    if fmt == "parquet":
        if out is None or hasattr(out, "write"):
            raise ValueError("parquet needs -o FILE")
        dataframe(rows).to_parquet(out, index=False)
        return len(rows)
    close = False
    if out is None:
        fh = sys.stdout
    elif hasattr(out, "write"):
        fh = out
    else:
        fh = open(out, "w", encoding="utf-8", newline="")
        close = True
    try:
        if fmt == "json":
            json.dump([{**{k: _jsonable(v) for k, v in r.items() if k != "embedding"}, "status": row_status(r)}
                       for r in rows], fh,
                      ensure_ascii=False, indent=1, default=_jsonable)
            fh.write("\n")
        elif fmt == "acled-csv":
            write_acled_csv(acled_rows(rows), fh)
        elif fmt == "plover":
            for r in rows:
                fh.write(json.dumps(plover_record(r), ensure_ascii=False, default=_jsonable) + "\n")
        elif fmt == "cameo":
            w = csv.DictWriter(fh, fieldnames=list(CAMEO_COLUMNS), delimiter="\t", lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow(cameo_record(r))
        elif fmt == "geojson":
            json.dump(geojson(rows), fh, ensure_ascii=False, default=_jsonable)
            fh.write("\n")
        elif fmt == "table":
            print_table(rows, fh)
    finally:
        if close:
            fh.close()
    return len(rows)


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
