"""The web filter indexes of 0004 with ``event_id`` after ``event_date``: the API's order (newest first, the
event id breaking ties) then comes from the index itself.

With 0004's indexes SQLite sorted each date's events by id in a temporary B-tree ("USE TEMP B-TREE FOR RIGHT
PART OF ORDER BY"), reading every row of the first dates (~250 per day over 1,000,000 events) to return 100; now
it reads the 100 rows it returns. The latest events: 3.2 -> 1.6 ms CPU per query (bench/bench_api.py,
docs/PERFORMANCE.md). Same names, same filtered columns after the order columns.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_web_canonical_filter": "merged_into, event_date, event_id, deleted, status, country, event_type, fatalities, "
                               "lat, lon, actor1, actor2",
    "ix_web_country_filter": "country, merged_into, event_date, event_id, deleted, status, fatalities",
}
PREVIOUS = {
    "ix_web_canonical_filter": "merged_into, event_date, deleted, status, country, event_type, fatalities, lat, lon, "
                               "actor1, actor2",
    "ix_web_country_filter": "country, merged_into, event_date, deleted, status, fatalities",
}


def _replace(indexes: dict[str, str]) -> None:
    for name, cols in indexes.items():
        op.get_bind().execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
        op.get_bind().execute(sa.text(f"CREATE INDEX {name} ON events ({cols})"))


def upgrade() -> None:
    _replace(INDEXES)


def downgrade() -> None:
    _replace(PREVIOUS)
