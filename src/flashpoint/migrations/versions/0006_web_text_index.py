"""A partial index for the web API's text filter (``/api/events?text=...``, ``flashpoint.web.queries.page``) on
SQLite: canonical events by date with their status and evidence sentence.

"Every event with 'car bomb' in its evidence": the text filter is a substring (``evidence LIKE '%car bomb%'``), so
no index finds the words; with ``ix_web_canonical_filter`` SQLite read each canonical event's table row (one
seek each) to test its sentence, newest first. Here the sentence is in the index, so SQLite tests it there and
seeks only the rows it returns: a month + text over 1,000,000 events 3.6 -> 2.3 ms (a rare phrase 26 -> 12 ms),
a rare phrase over all ten years 2.5 s -> 0.36 s of CPU (bench/bench_api.py, docs/PERFORMANCE.md).

Partial (``merged_into IS NULL AND evidence IS NOT NULL``): only canonical events with a sentence, and no other
query can use it (SQLite takes a partial index only for a query whose WHERE implies the index's), so the dedup
candidate query and the other filters keep their plans. The page query asks for it by name (``INDEXED BY``) when
it filters by text (SQLite's planner does not count the LIKE that the index answers).

SQLite only: PostgreSQL refuses B-tree entries over ~2.7 KB, and an evidence sentence may be longer (its text
search is pg_trgm's business).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NAME = "ix_web_text_filter"
COLUMNS = "event_date, event_id, deleted, status, evidence"
WHERE = "merged_into IS NULL AND evidence IS NOT NULL"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.get_bind().execute(sa.text(f"CREATE INDEX IF NOT EXISTS {NAME} ON events ({COLUMNS}) WHERE {WHERE}"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.get_bind().execute(sa.text(f"DROP INDEX IF EXISTS {NAME}"))
