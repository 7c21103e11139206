"""GeoParquet export of stored events: one fixed, typed schema for every run.

- ``event_date`` is a date, counts (``fatalities``, ``civilian_fatalities``, ``n_sources``) and codes
  that are numbers (``inter1``, ``geo_precision``, ...) are nullable integers, names and codes
  (``cameo_code``, ``country``) are strings, ``created_at`` / ``last_modified`` UTC timestamps; nested
  values (``sources``, ``alternatives``, associated actors) are JSON text.
- ``geometry`` is the event's point as WKB (lon, lat; null without coordinates) with GeoParquet 1.1
  ``geo`` file metadata (CRS OGC:CRS84, the default when ``crs`` is absent), so GeoPandas, DuckDB, QGIS
  and GDAL read it as a layer.
- The schema (``PARQUET_SCHEMA``) is the same whatever the rows: an export whose column is empty in
  every row still types it (no ``null``-typed columns), and an empty export has every column.
- The file metadata carries ``flashpoint_version``.
"""
from __future__ import annotations

import json
import struct
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from flashpoint.export.common import flashpoint_version, warn_left_out
from flashpoint.export.status import row_status

GEOMETRY_COLUMN = "geometry"
GEOPARQUET_VERSION = "1.1.0"
# WKB of a 2D point: byte order 1 (little endian), geometry type 1 (Point), x, y as doubles
WKB_POINT = struct.Struct("<BIdd")
WKB_LITTLE_ENDIAN = 1
WKB_POINT_TYPE = 1
VERSION_KEY = b"flashpoint_version"

_STR, _INT, _SMALL, _FLOAT = pa.string(), pa.int64(), pa.int32(), pa.float64()
_TS = pa.timestamp("us", tz="UTC")
PARQUET_SCHEMA = pa.schema([
    ("event_id", _STR), ("idx", _SMALL), ("event_date", pa.date32()), ("time_precision", _SMALL),
    ("event_type", _STR), ("sub_event_type", _STR), ("disorder_type", _STR), ("cameo_code", _STR),
    ("plover_type", _STR), ("plover_mode", _STR),
    ("actor1", _STR), ("assoc_actor_1", _STR), ("inter1", _SMALL),
    ("actor2", _STR), ("assoc_actor_2", _STR), ("inter2", _SMALL),
    ("location", _STR), ("geonameid", _INT), ("lat", _FLOAT), ("lon", _FLOAT), ("country", _STR),
    ("admin1", _STR), ("admin2", _STR), ("geo_precision", _SMALL),
    ("fatalities", _INT), ("civilian_fatalities", _INT), ("status", _STR), ("attribution", _STR),
    ("trigger", _STR), ("evidence", _STR), ("evidence_start", _INT), ("evidence_end", _INT),
    ("confidence", _FLOAT), ("merged_into", _STR), ("created_at", _TS), ("last_modified", _TS),
    ("sources", _STR), ("n_sources", _INT), ("alternatives", _STR),
    (GEOMETRY_COLUMN, pa.binary()),
])
# pandas dtypes that read the nullable integer columns back as integers (not floats with NaN)
_PANDAS_INT = {pa.int64(): "Int64", pa.int32(): "Int32"}


def _json_default(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


def wkb_point(lon, lat) -> bytes | None:
    """A point's WKB, or None without both coordinates."""
    if lon is None or lat is None:
        return None
    return WKB_POINT.pack(WKB_LITTLE_ENDIAN, WKB_POINT_TYPE, float(lon), float(lat))


def _as_date(v) -> tuple[date | None, bool]:
    """(date, ok): ISO text or a date -> date; a value that is no date -> (None, False)."""
    if v is None or v == "":
        return None, True
    if isinstance(v, datetime):
        return v.date(), True
    if isinstance(v, date):
        return v, True
    try:
        return date.fromisoformat(str(v)), True
    except ValueError:
        return None, False


def _as_timestamp(v):
    if isinstance(v, datetime) and v.tzinfo is None:
        return v.replace(tzinfo=timezone.utc)
    return v


def _cell(name: str, typ: pa.DataType, r: dict):
    v = r.get(name)
    if name == "status":
        return row_status(r)
    if v is None:
        return None
    if pa.types.is_string(typ):
        return json.dumps(v, default=_json_default, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)
    if pa.types.is_integer(typ):
        return int(v)
    if pa.types.is_floating(typ):
        return float(v)
    if pa.types.is_timestamp(typ):
        return _as_timestamp(v)
    return v


def events_table(rows: list[dict]) -> pa.Table:
    """The rows as an Arrow table of PARQUET_SCHEMA (plus pandas and GeoParquet metadata)."""
    cols: dict[str, list] = {f.name: [] for f in PARQUET_SCHEMA}
    bad_dates = 0
    for r in rows:
        for f in PARQUET_SCHEMA:
            if f.name == GEOMETRY_COLUMN:
                cols[f.name].append(wkb_point(r.get("lon"), r.get("lat")))
            elif f.name == "event_date":
                d, ok = _as_date(r.get("event_date"))
                bad_dates += not ok
                cols[f.name].append(d)
            else:
                cols[f.name].append(_cell(f.name, f.type, r))
    warn_left_out(bad_dates, "event date(s) that are not YYYY-MM-DD written as null in the Parquet export")
    table = pa.Table.from_pydict(cols, schema=PARQUET_SCHEMA)
    return table.replace_schema_metadata(_metadata(rows))


def _bbox(rows: Iterable[dict]) -> list[float] | None:
    pts = [(float(r["lon"]), float(r["lat"])) for r in rows if r.get("lon") is not None and r.get("lat") is not None]
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return [min(xs), min(ys), max(xs), max(ys)]


def _metadata(rows: list[dict]) -> dict[bytes, bytes]:
    geo_col = {"encoding": "WKB", "geometry_types": ["Point"]}
    bbox = _bbox(rows)
    if bbox:
        geo_col["bbox"] = bbox
    geo = {"version": GEOPARQUET_VERSION, "primary_column": GEOMETRY_COLUMN, "columns": {GEOMETRY_COLUMN: geo_col}}
    pandas_meta = {
        "index_columns": [], "column_indexes": [], "creator": {"library": "flashpoint",
                                                               "version": flashpoint_version()},
        "columns": [{"name": f.name, "field_name": f.name, "pandas_type": "mixed", "numpy_type":
                     _PANDAS_INT.get(f.type, "object"), "metadata": None} for f in PARQUET_SCHEMA],
        "pandas_version": "2.0.0",
    }
    return {b"geo": json.dumps(geo).encode(), VERSION_KEY: flashpoint_version().encode(),
            b"pandas": json.dumps(pandas_meta).encode()}


def write_parquet(rows: list[dict], path: "str | Path") -> int:
    """Write the rows as GeoParquet at ``path``; returns rows written."""
    pq.write_table(events_table(rows), path)
    return len(rows)
