"""Writing one article + its Report into the store (inside the caller's transaction)."""
from __future__ import annotations

import logging
import math
from functools import lru_cache
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Optional

import numpy as np
import sqlalchemy as sa

from flashpoint.model import Article, Report
from flashpoint.store import dedup as dd
from flashpoint.store.identity import ARTICLE_ID_MAX, clean_text, clean_value, identity_hash, text_hash
from flashpoint.store.schema import (actors, articles, claims, event_log, event_sources, events, places, quotes,
                                     relations)

log = logging.getLogger(__name__)

# fields a later source may fill on the canonical event when the first report left them empty
_FILLABLE = ("event_date", "event_type", "sub_event_type", "disorder_type", "cameo_code", "plover_type",
             "plover_mode", "actor1", "actor2", "inter1", "inter2", "location", "geonameid", "lat", "lon",
             "country", "admin1", "admin2", "geo_precision", "fatalities", "civilian_fatalities")


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class WriteResult:
    article_pk: int
    events: int = 0
    merged: int = 0
    status: str = "ok"  # ok | error | duplicate (stored meanwhile by another writer: nothing written)
    linked: int = 0  # events this article was added to as another source (identical copy)


def event_id_for(content_hash: str, idx: int) -> str:
    """Stable, deterministic id: same article text + same position -> same id on every run."""
    return f"ev-{content_hash[:16]}-{idx}"


def _inter_map(report: Report) -> dict[str, int]:
    from flashpoint.export.acled import actor_inter_map

    return actor_inter_map(report.actors)


def event_rows(article_pk: int, content_hash: str, report: Report, ts: datetime) -> list[dict]:
    inter = _inter_map(report)
    rows = []
    for i, ev in enumerate(report.events):
        loc = ev.location
        rows.append({
            "event_id": event_id_for(content_hash, i),
            "article_pk": article_pk,
            "idx": i,
            "event_date": ev.event_date,
            "time_precision": ev.time_precision,
            "event_type": ev.event_type,
            "sub_event_type": ev.sub_event_type,
            "disorder_type": ev.disorder_type,
            "cameo_code": ev.cameo_code,
            "plover_type": ev.plover_type,
            "plover_mode": ev.plover_mode,
            "actor1": ev.actor1,
            "assoc_actor_1": list(ev.assoc_actor_1),
            "inter1": inter.get((ev.actor1 or "").lower()),
            "actor2": ev.actor2,
            "assoc_actor_2": list(ev.assoc_actor_2),
            "inter2": inter.get((ev.actor2 or "").lower()),
            "location": (loc.canonical or loc.name) if loc else None,
            "geonameid": loc.geonameid if loc else None,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "country": loc.country if loc else None,
            "admin1": loc.admin1 if loc else None,
            "admin2": loc.admin2 if loc else None,
            "geo_precision": loc.geo_precision if loc else None,
            "fatalities": ev.fatalities,
            "civilian_fatalities": ev.civilian_fatalities,
            "status": ev.status,
            "attribution": ev.attribution,
            "trigger": ev.trigger,
            "evidence": ev.evidence.text if ev.evidence else None,
            "evidence_start": ev.evidence.start if ev.evidence else None,
            "evidence_end": ev.evidence.end if ev.evidence else None,
            "confidence": ev.confidence,
            "embedding": None,
            "merged_into": None,
            "merge_info": None,
            "deleted": False,
            "created_at": ts,
            "last_modified": ts,
        })
    return rows


# what dedup reads from a candidate (features, fills, ids): no JSON or timestamp columns to decode
_CANDIDATE_COLUMNS = [col for col in events.c
                      if col.name not in ("assoc_actor_1", "assoc_actor_2", "merge_info", "created_at",
                                          "last_modified")]


@lru_cache(maxsize=16)
def _candidate_query(has_country: bool, has_point: bool, has_admin1: bool):
    """The prefilter SELECT for one shape of event row, built once; values come as bind parameters."""
    c = events.c
    bp = sa.bindparam
    # within the row's own window, or within the widest window for month-precision candidates; written as
    # "widest window AND (own window OR month precision)" (the own window lies inside the widest) so the
    # (merged_into, event_date) index answers it with one range scan
    date_cond = sa.and_(
        c.event_date.between(bp("w_lo"), bp("w_hi")),
        sa.or_(c.event_date.between(bp("d_lo"), bp("d_hi")), c.time_precision >= 2),
    )
    conds = [c.merged_into.is_(None), date_cond, c.deleted.is_(False), c.article_pk != bp("article_pk"),
             sa.or_(c.status.is_(None), c.status.in_(sorted(s for s in dd.MERGEABLE_STATUS if s)))]
    if has_country:
        conds.append(sa.or_(c.country.is_(None), c.country == bp("country")))
    if has_point:
        near = [c.lat.is_(None), sa.and_(c.lat.between(bp("lat_lo"), bp("lat_hi")),
                                         c.lon.between(bp("lon_lo"), bp("lon_hi")))]
        if has_admin1:
            near.append(c.admin1 == bp("admin1"))
        conds.append(sa.or_(*near))
    return sa.select(*_CANDIDATE_COLUMNS).where(*conds).order_by(c.event_id).limit(500)


def _candidates(conn: sa.Connection, row: dict, exclude_canonical: set[str]) -> list[dict]:
    """Canonical events that could be the same as ``row``: date window (wider for month-precision
    candidates), same or unknown country, near in space or same admin1 or unplaced; prefiltered in SQL."""
    d = dd._date(row["event_date"])
    if d is None or row.get("status") not in dd.MERGEABLE_STATUS:
        return []
    w = dd.day_window(row["time_precision"])
    wmax = max(dd.DEFAULT.day_tolerance)
    params = {"d_lo": dd.shift_date(d, -w).isoformat(), "d_hi": dd.shift_date(d, w).isoformat(),
              "w_lo": dd.shift_date(d, -wmax).isoformat(), "w_hi": dd.shift_date(d, wmax).isoformat(),
              "article_pk": row["article_pk"]}
    has_country = bool(row.get("country"))
    if has_country:
        params["country"] = row["country"]
    has_point = row.get("lat") is not None and row.get("lon") is not None
    has_admin1 = has_point and bool(row.get("admin1"))
    if has_point:
        dlat = dd.DEFAULT.km_max / 111.0
        dlon = dlat / max(0.1, math.cos(math.radians(row["lat"])))
        params.update(lat_lo=row["lat"] - dlat, lat_hi=row["lat"] + dlat, lon_lo=row["lon"] - dlon,
                      lon_hi=row["lon"] + dlon)
        if has_admin1:
            params["admin1"] = row["admin1"]
    q = _candidate_query(has_country, has_point, has_admin1)
    return [dict(r._mapping) for r in conn.execute(q, params) if r.event_id not in exclude_canonical]


@lru_cache(maxsize=32)
def _insert_ignore_stmt(dialect: str, table: sa.Table, key: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c.id)


def _insert_ignore(conn: sa.Connection, table: sa.Table, row: dict, key: str):
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id: None when another writer stored the row first."""
    return conn.execute(_insert_ignore_stmt(conn.dialect.name, table, key), row).scalar_one_or_none()


@lru_cache(maxsize=32)
def _bounds(table: sa.Table) -> dict[str, int]:
    return {c.name: c.type.length for c in table.c if getattr(c.type, "length", None)}


def fit_row(table: sa.Table, row: dict, warnings: list[str]) -> dict:
    """``row`` as every database stores it: text cleaned (``identity.clean_text``: no NUL, no lone surrogate),
    strings longer than their column cut to its length, each cut recorded in ``warnings``."""
    bounds = _bounds(table)
    out = {}
    for k, v in row.items():
        if v.__class__ is str:
            if not v.isascii() or "\x00" in v:  # plain ASCII without NUL needs no cleaning
                v = clean_text(v)
            n = bounds.get(k)
            if n and len(v) > n:
                warnings.append(f"{table.name}.{k} cut from {len(v)} to {n} characters")
                v = v[:n]
        elif isinstance(v, (list, dict)):
            v = clean_value(v)
        out[k] = v
    return out


def article_row(article: Article, status: str, errors: list[str], n_events: int, ts: datetime) -> dict:
    return {
        "article_id": clean_text(article.id)[:ARTICLE_ID_MAX],
        "content_hash": identity_hash(article),
        "text_hash": text_hash(article.text),
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "n_words": len(article.text.split()),
        "status": status,
        "error": "\n".join(errors) or None,
        "n_events": n_events,
        "ingested_at": ts,
    }


def _part_rows(pk: int, report: Report) -> dict[sa.Table, list[dict]]:
    return {
        actors: [{"article_pk": pk, "name": a.name, "canonical": a.canonical, "actor_id": a.actor_id,
                  "kind": a.kind, "inter": a.inter, "country": a.country, "cameo": a.cameo,
                  "start": a.start, "end": a.end} for a in report.actors],
        places: [{"article_pk": pk, "name": t.name, "canonical": t.canonical, "geonameid": t.geonameid,
                  "lat": t.lat, "lon": t.lon, "country": t.country, "admin1": t.admin1, "admin2": t.admin2,
                  "feature_code": t.feature_code, "geo_precision": t.geo_precision, "type": t.type,
                  "start": t.start, "end": t.end, "score": t.score} for t in report.toponyms],
        relations: [{"article_pk": pk, "actor": r.actor, "relation": r.relation, "target": r.target,
                     "evidence": r.evidence.text if r.evidence else None} for r in report.relations],
        quotes: [{"article_pk": pk, "speaker": q.speaker, "affiliation": q.affiliation, "outlet": q.outlet,
                  "text": q.text, "start": q.evidence.start if q.evidence else None,
                  "end": q.evidence.end if q.evidence else None} for q in report.quotes],
        claims: [{"article_pk": pk, "idx": i, "subject": c.subject, "value": c.value, "qualifier": c.qualifier,
                  "unit": c.unit, "source": c.source, "evidence": c.evidence.text if c.evidence else None,
                  "start": c.evidence.start if c.evidence else None,
                  "end": c.evidence.end if c.evidence else None, "conflicts_with": list(c.conflicts_with)}
                 for i, c in enumerate(report.claims)],
    }


def write_article(
    conn: sa.Connection,
    article: Article,
    report: Optional[Report],
    *,
    error: Optional[str] = None,
    dedup: bool = True,
    embeddings: Optional[dict[int, np.ndarray]] = None,
    embedder: Optional[Callable[[list[str]], np.ndarray]] = None,
) -> WriteResult:
    """Insert the article, its report's parts and events (deduplicated). Caller owns the transaction.

    An article whose identity another writer stored meanwhile is left alone (``status == "duplicate"``)."""
    ts = now()
    errors = list(report.errors) if report is not None else []
    if error:
        errors.insert(0, error)
    status = "ok" if report is not None and not error else "error"
    warnings: list[str] = []
    art = fit_row(articles, article_row(article, status, errors, len(report.events) if report is not None else 0,
                                        ts), warnings)
    pk = _insert_ignore(conn, articles, art, "content_hash")
    if pk is None:
        return WriteResult(article_pk=-1, status="duplicate")
    res = WriteResult(article_pk=pk, status=status)
    if report is None:
        return res

    def many(table, rows, fitted=False):
        if rows:
            conn.execute(sa.insert(table), rows if fitted else [fit_row(table, r, warnings) for r in rows])

    for table, rows in _part_rows(pk, report).items():
        many(table, rows)
    _write_events(conn, pk, art["content_hash"], report, ts, res, many, warnings,
                  dedup=dedup, embeddings=embeddings, embedder=embedder)
    if warnings:
        note = [f"{article.id}: warning: {w}" for w in warnings]
        conn.execute(sa.update(articles).where(articles.c.id == pk)
                     .values(error=clean_text("\n".join(errors + note))))
    return res


def _write_events(conn: sa.Connection, pk: int, identity: str, report: Report, ts: datetime, res: WriteResult,
                  many, warnings: list[str], *, dedup: bool, embeddings, embedder) -> None:
    """The report's events: each merged into a stored canonical event (dedup) or stored as a new one."""
    used: set[str] = set()  # canonical events this article already reports (never merge two of its events)
    rows = [fit_row(events, r, warnings) for r in event_rows(pk, identity, report, ts)]
    for row in rows:
        if embeddings and row["idx"] in embeddings:
            row["embedding"] = np.asarray(embeddings[row["idx"]], dtype=np.float32).tobytes()
    # candidates of every row, fetched up front (with the text-free features of each pair) so the evidence texts
    # the article's comparisons need are embedded in one batch; valid until a merge fills fields of a canonical
    # event (the later rows then query again). The article's own rows are written together at the end: no
    # candidate query can see them (a row never merges with an event of its own article).
    prefetched = _prefetch(conn, rows, embedder) if dedup and rows else None
    new_events, log, sources = [], [], []
    for i, row in enumerate(rows):
        target, info = (None, None)
        if dedup:
            known = None
            if prefetched is not None:
                cands = [c for eid, (c, _f) in prefetched[i].items() if eid not in used]
                known = {eid: f for eid, (_c, f) in prefetched[i].items()}
            else:
                cands = _candidates(conn, row, used)
            if embedder is not None and cands:
                cands = _embed_lazily(conn, row, cands, embedder, gated=prefetched is not None)
            target, info = dd.best_match(row, cands, known=known)
        if target is not None:
            row["merged_into"] = target["event_id"]
            row["merge_info"] = info
            canonical = target["event_id"]
            used.add(canonical)
            fill = {k: row[k] for k in _FILLABLE if target.get(k) is None and row.get(k) is not None}
            if fill:
                prefetched = None  # a canonical event changed: the prefetched candidate rows are stale
            conn.execute(sa.update(events).where(events.c.event_id == canonical)
                         .values(last_modified=ts, **fill))
            log.append({"ts": ts, "op": "merge", "event_id": row["event_id"], "target_id": canonical,
                        "detail": {"score": info["score"], "filled": sorted(fill)}})
            res.merged += 1
        else:
            canonical = row["event_id"]
            used.add(canonical)
            log.append({"ts": ts, "op": "insert", "event_id": canonical, "target_id": None, "detail": None})
        new_events.append(row)
        sources.append({"event_id": row["event_id"], "canonical_id": canonical, "article_pk": pk,
                        "sentence": row["evidence"], "start": row["evidence_start"], "end": row["evidence_end"]})
        res.events += 1
    many(events, new_events, fitted=True)  # fitted when made (dedup compared the stored values)
    many(event_log, log)
    many(event_sources, sources)


def find_original(conn: sa.Connection, article: Article) -> Optional[dict]:
    """The stored article (status ok) with the same text and publication date as ``article``, if any."""
    pub = article.published.isoformat() if article.published else None
    r = conn.execute(sa.select(articles.c.id, articles.c.article_id, articles.c.n_events)
                     .where(articles.c.text_hash == text_hash(article.text), articles.c.status == "ok",
                            articles.c.published.is_not_distinct_from(pub))
                     .order_by(articles.c.id).limit(1)).first()
    return dict(r._mapping) if r is not None else None


def write_copy(conn: sa.Connection, article: Article, original: dict) -> WriteResult:
    """Record ``article``, an identical copy of the stored article ``original`` (same text and date; another id,
    url or outlet, e.g. a second outlet's wire story): one more source of each event extracted from that text,
    no new event. Caller owns the transaction; ``status == "duplicate"`` when another writer stored it first."""
    ts = now()
    note = [f"{article.id}: warning: same text as article {original['article_id']!r}: recorded as another "
            "source of its events, not extracted again"]
    art = fit_row(articles, article_row(article, "ok", note, original["n_events"], ts), [])
    pk = _insert_ignore(conn, articles, art, "content_hash")
    if pk is None:
        return WriteResult(article_pk=-1, status="duplicate")
    es = event_sources.c
    linked = [{"event_id": r.event_id, "canonical_id": r.canonical_id, "article_pk": pk, "sentence": r.sentence,
               "start": r.start, "end": r.end}
              for r in conn.execute(sa.select(es.event_id, es.canonical_id, es.sentence, es.start, es.end)
                                    .where(es.article_pk == original["id"]).order_by(es.id))]
    if linked:
        conn.execute(sa.insert(event_sources), linked)
        conn.execute(sa.update(events).where(events.c.event_id.in_({x["canonical_id"] for x in linked}))
                     .values(last_modified=ts))  # their source lists changed: incremental sync picks them up
    return WriteResult(article_pk=pk, status="ok", linked=len(linked))


_EMBEDDER_WARNED: set[str] = set()


def _warn_embedder_failed(exc: BaseException) -> None:
    """One warning per kind of embedder failure and process: dedup then compares evidence by token Jaccard."""
    kind = type(exc).__name__
    if kind not in _EMBEDDER_WARNED:
        _EMBEDDER_WARNED.add(kind)
        log.warning("dedup embedder failed (%s: %s): evidence compared by token Jaccard instead", kind, exc)


def _embeddable(x: dict) -> bool:
    return x.get("embedding") is None and bool((x.get("evidence") or "").strip())


def _embed_rows(conn: sa.Connection, need: list[dict], embedder, own: set[int]) -> bool:
    """Give every row of ``need`` its evidence embedding (each distinct text once, through the per-process text
    cache); candidates (stored rows, not in ``own``) get it saved in the store. False when the embedder fails."""
    from flashpoint.store.embeddings import cached_vectors, embedder_errors

    try:
        by_text = cached_vectors([x["evidence"] for x in need], embedder)
    except embedder_errors() as exc:  # no embeddings: Jaccard decides, and the log says so
        _warn_embedder_failed(exc)
        return False
    saved = []
    for x in need:
        x["embedding"] = by_text[x["evidence"]].tobytes()
        if id(x) not in own:
            saved.append({"eid": x["event_id"], "emb": x["embedding"]})
    if saved:
        conn.execute(sa.update(events).where(events.c.event_id == sa.bindparam("eid"))
                     .values(embedding=sa.bindparam("emb")), saved)
    return True


def _could_merge(row: dict, c: dict) -> bool:
    return dd.could_merge(dd.features(row, c, text=False))


def _prefetch(conn: sa.Connection, rows: list[dict], embedder) -> list[dict[str, tuple[dict, dict]]]:
    """For every row, its candidates that could merge with it (``dedup.could_merge``), by event id, each with
    the pair's text-free features (candidate dicts are shared between rows); with an embedder, one batched call
    embeds the evidence of those rows and candidates."""
    shared: dict[str, dict] = {}
    out: list[dict[str, tuple[dict, dict]]] = []
    need: dict[int, dict] = {}
    for row in rows:
        poss: dict[str, tuple[dict, dict]] = {}
        for c in _candidates(conn, row, set()):
            c = shared.setdefault(c["event_id"], c)
            f = dd.features(row, c, text=False)
            if dd.could_merge(f):
                poss[c["event_id"]] = (c, f)
        out.append(poss)
        if poss and embedder is not None:
            for x in (row, *(c for c, _f in poss.values())):
                if _embeddable(x):
                    need.setdefault(id(x), x)
    if need:
        _embed_rows(conn, list(need.values()), embedder, {id(r) for r in rows})
    return out


def warm_embeddings(conn: sa.Connection, items: list[tuple[Article, Report]], embedder) -> int:
    """Before a batch of articles is written: one embedder call (through the per-process text cache) for the
    evidence of the batch's events that could merge with an event already stored, and of those stored events.
    ``write_article`` then finds these vectors in the cache instead of calling the model once per article with a
    few texts (small calls cost ~25% more per text). Events of the same batch that match each other are still
    embedded when written. Changes no decision and no stored row. Returns the number of texts asked for."""
    from flashpoint.store.embeddings import cached_vectors, embedder_errors

    texts: set[str] = set()
    ts = now()
    for art, rep in items:
        stored_need: list[str] = []
        for row in event_rows(-1, identity_hash(art), rep, ts):
            if not (row.get("evidence") or "").strip():
                continue
            poss = [c for c in _candidates(conn, row, set()) if _could_merge(row, c)]
            if poss:
                texts.add(row["evidence"])
                stored_need += [c["evidence"] for c in poss
                                if c.get("embedding") is None and (c.get("evidence") or "").strip()]
        texts.update(stored_need)
    if texts:
        try:
            cached_vectors(texts, embedder)
        except embedder_errors() as exc:  # the writer tries again per article, and warns there
            log.debug("embedding prefetch failed (%s); the writer tries again per article", exc)
            return 0
    return len(texts)


def _embed_lazily(conn: sa.Connection, row: dict, cands: list[dict], embedder, gated: bool = False
                  ) -> list[dict]:
    """Keep the candidates that could merge with ``row`` (``dedup.could_merge``: the others are rejected
    whatever their texts say; ``gated``: already checked); make sure they and ``row`` carry an evidence
    embedding (computed only now, when a text comparison is really needed, and saved for later)."""
    live = cands if gated else [c for c in cands if _could_merge(row, c)]
    if not live:
        return []
    need = [x for x in [row, *live] if _embeddable(x)]
    if need:
        _embed_rows(conn, need, embedder, {id(row)})
    return live


def delete_event(conn: sa.Connection, event_id: str, reason: str = "") -> bool:
    """Mark a canonical event (and its merged rows) deleted; logged for incremental sync."""
    ts = now()
    n = conn.execute(sa.update(events).where(sa.or_(events.c.event_id == event_id,
                                                    events.c.merged_into == event_id))
                     .values(deleted=True, last_modified=ts)).rowcount
    if n:
        conn.execute(sa.insert(event_log).values(ts=ts, op="delete", event_id=event_id, target_id=None,
                                                 detail={"reason": reason} if reason else None))
    return bool(n)
