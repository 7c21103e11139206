"""Indexes for the web API's filtered events query (``flashpoint serve``, ``flashpoint.web.queries.page``).

The API pages canonical events newest first under filters. Walking ``ix_events_canonical_date`` costs one table
seek per row it checks, so a month of 1,000,000 events filtered by actor or box took 70-140 ms on SQLite
(bench/bench_api.py). These two indexes hold the filtered columns next to the date, so SQLite checks them in the
index and seeks only the rows it returns:

* ``ix_web_canonical_filter``: canonical events by date, with status, country, type, fatalities, point and actors;
* ``ix_web_country_filter``: one country's canonical events by date (the country's latest events, with no date
  range, without sorting the whole country).

p95 of the bench's filter mix over 1,000,000 events: 150 ms without them, 32 ms with them (docs/PERFORMANCE.md).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# name -> columns. Both start like ix_events_canonical_date (merged_into, event_date), so SQLite's planner also
# answers the dedup candidate query (store/write.py) from ix_web_canonical_filter, checking country, point and
# status in the index before any table seek.
INDEXES = {
    "ix_web_canonical_filter": "merged_into, event_date, deleted, status, country, event_type, fatalities, lat, lon, "
                               "actor1, actor2",
    "ix_web_country_filter": "country, merged_into, event_date, deleted, status, fatalities",
}


def upgrade() -> None:
    for name, cols in INDEXES.items():
        op.get_bind().execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON events ({cols})"))


def downgrade() -> None:
    for name in INDEXES:
        op.get_bind().execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
