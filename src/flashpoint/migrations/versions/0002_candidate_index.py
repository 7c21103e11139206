"""Index for the dedup candidate search: canonical events (merged_into IS NULL) by date.

Without it SQLite answered each new event's candidate query by walking every canonical event
(index on merged_into alone), so ingest time grew with the store's size.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # databases created at 0001 by this version already have it (0001 creates the current metadata)
    op.get_bind().execute(sa.text(
        "CREATE INDEX IF NOT EXISTS ix_events_canonical_date ON events (merged_into, event_date)"))


def downgrade() -> None:
    op.get_bind().execute(sa.text("DROP INDEX IF EXISTS ix_events_canonical_date"))
