"""Initial schema: articles, events, event_sources, actors, places, relations, quotes, claims, event_log.

On PostgreSQL, when the PostGIS extension can be created, events also get a
``geom geometry(Point, 4326)`` column kept in sync with lat/lon by a trigger, with a
GiST index; otherwise bbox queries use the plain (lat, lon) index.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from flashpoint.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_POSTGIS_TRIGGER = """
CREATE OR REPLACE FUNCTION flashpoint_events_geom() RETURNS trigger AS $$
BEGIN
  IF NEW.lat IS NULL OR NEW.lon IS NULL THEN
    NEW.geom := NULL;
  ELSE
    NEW.geom := ST_SetSRID(ST_MakePoint(NEW.lon, NEW.lat), 4326);
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind=bind)
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except Exception:  # noqa: BLE001 - PostGIS not installed: plain lat/lon + btree index
        return
    bind.execute(sa.text("ALTER TABLE events ADD COLUMN geom geometry(Point, 4326)"))
    bind.execute(sa.text("CREATE INDEX ix_events_geom ON events USING GIST (geom)"))
    bind.execute(sa.text(_POSTGIS_TRIGGER))
    bind.execute(sa.text(
        "CREATE TRIGGER events_geom BEFORE INSERT OR UPDATE OF lat, lon ON events "
        "FOR EACH ROW EXECUTE FUNCTION flashpoint_events_geom()"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("DROP TRIGGER IF EXISTS events_geom ON events"))
        bind.execute(sa.text("DROP FUNCTION IF EXISTS flashpoint_events_geom()"))
    metadata.drop_all(bind=bind)
