"""The store's tables, defined once (SQLAlchemy Core). Alembic's initial migration creates them.

Design: every event the extractor produces gets a row in ``events`` with a stable,
deterministic ``event_id`` (article content hash + index). When cross-article dedup
decides that it reports an event already stored, the row keeps its data but points
to the canonical event through ``merged_into``; the canonical event's
``last_modified`` moves and the merge is written to ``event_log`` (the feed for
incremental sync). Queries return canonical events (``merged_into IS NULL`` and not
deleted); their sources and conflicting values come from the merged rows.

Constraints (migration 0003 adds them to stores made before): an article is stored once per identity
(``content_hash``: id, url, source, publication date and text), an event once per (article, position), a source
once per (event, article); ``merged_into`` and ``canonical_id`` must name a stored event (foreign keys); statuses
and log operations are closed lists. Free text that may be long (outlets, claim sources, speakers) is ``Text``.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.String(512), nullable=False),  # Article.id (file name, jsonl id ...)
    # identity of the item: sha256 of id, url, source, publication date and text hash (store.identity)
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    # sha256 of the whitespace-normalised text alone: an identical copy (another outlet's wire story) is linked
    # to the events already extracted from it instead of being extracted again (migration 0003)
    sa.Column("text_hash", sa.String(64), index=True),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10)),  # YYYY-MM-DD
    sa.Column("n_words", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False),  # ok | error | unreadable
    sa.Column("error", sa.Text),
    sa.Column("n_events", sa.Integer, nullable=False, default=0),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('ok', 'error', 'unreadable')", name="ck_articles_status"),
)

events = sa.Table(
    "events", metadata,
    sa.Column("event_id", sa.String(80), primary_key=True),
    sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True),
    sa.Column("idx", sa.Integer, nullable=False),  # position of the event in its report
    sa.Column("event_date", sa.String(10), index=True),
    sa.Column("time_precision", sa.Integer),
    sa.Column("event_type", sa.String(64), index=True),
    sa.Column("sub_event_type", sa.String(64)),
    sa.Column("disorder_type", sa.String(64)),
    sa.Column("cameo_code", sa.String(8)),
    sa.Column("plover_type", sa.String(32)),
    sa.Column("plover_mode", sa.String(32)),
    sa.Column("actor1", sa.String(256), index=True),
    sa.Column("assoc_actor_1", sa.JSON),
    sa.Column("inter1", sa.Integer),
    sa.Column("actor2", sa.String(256)),
    sa.Column("assoc_actor_2", sa.JSON),
    sa.Column("inter2", sa.Integer),
    sa.Column("location", sa.String(256)),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(2), index=True),
    sa.Column("admin1", sa.String(128)),
    sa.Column("admin2", sa.String(128)),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("fatalities", sa.Integer),
    sa.Column("civilian_fatalities", sa.Integer),
    sa.Column("status", sa.String(16)),
    sa.Column("attribution", sa.Text),
    sa.Column("trigger", sa.String(128)),
    sa.Column("evidence", sa.Text),
    sa.Column("evidence_start", sa.Integer),
    sa.Column("evidence_end", sa.Integer),
    sa.Column("confidence", sa.Float),
    sa.Column("embedding", sa.LargeBinary),  # float32 evidence embedding (dedup), may be null
    sa.Column("merged_into", sa.String(80), sa.ForeignKey("events.event_id", name="fk_events_merged_into"),
              index=True),
    sa.Column("merge_info", sa.JSON),  # why this row was merged (features + score)
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_modified", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Index("ix_events_lat_lon", "lat", "lon"),  # bbox index (plain lat/lon)
    # dedup candidate search: canonical events (merged_into IS NULL) in a date range (migration 0002)
    sa.Index("ix_events_canonical_date", "merged_into", "event_date"),
    sa.Index("uq_events_article_idx", "article_pk", "idx", unique=True),  # migration 0003
    sa.CheckConstraint("merged_into IS NULL OR merged_into <> event_id", name="ck_events_not_self_merged"),
)

event_sources = sa.Table(
    "event_sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(80), sa.ForeignKey("events.event_id"), nullable=False, index=True),
    sa.Column("canonical_id", sa.String(80), sa.ForeignKey("events.event_id", name="fk_event_sources_canonical"),
              nullable=False, index=True),  # event the source counts for
    sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True),
    sa.Column("sentence", sa.Text),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Index("uq_event_sources_event_article", "event_id", "article_pk", unique=True),  # migration 0003
)


def _article_fk() -> sa.Column:
    return sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True)


actors = sa.Table(
    "actors", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("name", sa.String(256), nullable=False),
    sa.Column("canonical", sa.String(256), index=True),
    sa.Column("actor_id", sa.String(64)),
    sa.Column("kind", sa.String(64)),
    sa.Column("inter", sa.Integer),
    sa.Column("country", sa.String(3)),
    sa.Column("cameo", sa.String(32)),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
)

places = sa.Table(
    "places", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("name", sa.String(256), nullable=False),
    sa.Column("canonical", sa.String(256)),
    sa.Column("geonameid", sa.BigInteger, index=True),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(2)),
    sa.Column("admin1", sa.String(128)),
    sa.Column("admin2", sa.String(128)),
    sa.Column("feature_code", sa.String(16)),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("type", sa.String(16)),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("score", sa.Float),
)

relations = sa.Table(
    "relations", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("relation", sa.String(32), nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text),
)

quotes = sa.Table(
    "quotes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("speaker", sa.Text),
    sa.Column("affiliation", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
)

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("idx", sa.Integer),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("qualifier", sa.String(64)),
    sa.Column("unit", sa.String(64)),
    sa.Column("source", sa.Text),  # was String(256): PostgreSQL refused longer claim sources (migration 0003)
    sa.Column("evidence", sa.Text),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("conflicts_with", sa.JSON),
)

event_log = sa.Table(
    "event_log", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),  # sync cursor
    sa.Column("ts", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("op", sa.String(16), nullable=False),  # insert | merge | delete
    sa.Column("event_id", sa.String(80), nullable=False, index=True),
    sa.Column("target_id", sa.String(80)),  # merge: the canonical event
    sa.Column("detail", sa.JSON),
    sa.CheckConstraint("op IN ('insert', 'merge', 'delete')", name="ck_event_log_op"),
)

# columns whose type migration 0003 widens to Text on PostgreSQL (SQLite does not enforce lengths)
WIDENED_TO_TEXT = {"articles": ("source",), "events": ("attribution",), "relations": ("actor", "target"),
                   "quotes": ("speaker", "affiliation", "outlet"), "claims": ("source",)}
