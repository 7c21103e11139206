"""Item identity, text hash, constraints, Text columns.

* ``articles.text_hash`` (new): the whitespace-normalised text's sha256, which ``content_hash`` held so far;
  ``content_hash`` becomes the item's identity (id, url, source, publication date, text hash:
  ``flashpoint.store.identity.identity_from``), computed here from the stored values, so a store made before
  skips exactly the items it holds when the same input is ingested again.
* unique (events.article_pk, events.idx) and (event_sources.event_id, event_sources.article_pk).
* PostgreSQL: free-text columns that were ``varchar(256)`` become ``text`` (a longer claim source was refused);
  foreign keys ``events.merged_into`` and ``event_sources.canonical_id`` -> ``events.event_id``; check
  constraints on statuses and log operations. Stores created by this version have all of it from 0001 (which
  creates the current tables); older SQLite files get the unique indexes (SQLite cannot add a foreign key or a
  check to an existing table without copying it).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from flashpoint.store.identity import identity_from
from flashpoint.store.schema import WIDENED_TO_TEXT

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 5000  # articles re-keyed per UPDATE batch

_UNIQUE = (("uq_events_article_idx", "events", "article_pk, idx"),
           ("uq_event_sources_event_article", "event_sources", "event_id, article_pk"))
_PG_CONSTRAINTS = {
    "fk_events_merged_into": "ALTER TABLE events ADD CONSTRAINT fk_events_merged_into "
                             "FOREIGN KEY (merged_into) REFERENCES events (event_id)",
    "fk_event_sources_canonical": "ALTER TABLE event_sources ADD CONSTRAINT fk_event_sources_canonical "
                                  "FOREIGN KEY (canonical_id) REFERENCES events (event_id)",
    "ck_articles_status": "ALTER TABLE articles ADD CONSTRAINT ck_articles_status "
                          "CHECK (status IN ('ok', 'error', 'unreadable'))",
    "ck_events_not_self_merged": "ALTER TABLE events ADD CONSTRAINT ck_events_not_self_merged "
                                 "CHECK (merged_into IS NULL OR merged_into <> event_id)",
    "ck_event_log_op": "ALTER TABLE event_log ADD CONSTRAINT ck_event_log_op "
                       "CHECK (op IN ('insert', 'merge', 'delete'))",
}


def _rekey(bind) -> None:
    rows = bind.execute(sa.text("SELECT id, article_id, url, source, published, content_hash FROM articles")).all()
    upd = sa.text("UPDATE articles SET text_hash = :th, content_hash = :ch WHERE id = :id")
    for i in range(0, len(rows), BACKFILL_CHUNK):
        bind.execute(upd, [{"id": r.id, "th": r.content_hash,
                            "ch": identity_from(r.article_id, r.url, r.source, r.published, r.content_hash)}
                           for r in rows[i:i + BACKFILL_CHUNK]])


def upgrade() -> None:
    bind = op.get_bind()
    cols = {c["name"] for c in sa.inspect(bind).get_columns("articles")}
    if "text_hash" not in cols:  # a store made before this version
        op.add_column("articles", sa.Column("text_hash", sa.String(64)))
        _rekey(bind)
    bind.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_articles_text_hash ON articles (text_hash)"))
    for name, table, cols_ in _UNIQUE:
        bind.execute(sa.text(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({cols_})"))
    if bind.dialect.name != "postgresql":
        return
    for table, names in WIDENED_TO_TEXT.items():
        for col in names:
            bind.execute(sa.text(f"ALTER TABLE {table} ALTER COLUMN {col} TYPE text"))
    have = set(bind.execute(sa.text("SELECT conname FROM pg_constraint")).scalars())
    for name, ddl in _PG_CONSTRAINTS.items():
        if name not in have:
            bind.execute(sa.text(ddl))


def downgrade() -> None:
    bind = op.get_bind()
    for name, _t, _c in _UNIQUE:
        bind.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
    if bind.dialect.name == "postgresql":
        for name, ddl in _PG_CONSTRAINTS.items():
            table = ddl.split()[2]
            bind.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"))
