"""Opening a store: URL handling, SQLite pragmas (WAL), automatic Alembic migration."""
from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

import sqlalchemy as sa
from flashpoint.settings import settings

DEFAULT_DB = "flashpoint.db"


def normalise_url(db: str | os.PathLike | None) -> str:
    """``None`` -> ``$FLASHPOINT_DB`` or ./flashpoint.db; a path -> sqlite URL; URLs pass through."""
    db = db or settings().db or DEFAULT_DB
    s = str(db)
    if "://" in s:
        if s.startswith("postgres://"):
            s = "postgresql://" + s[len("postgres://"):]
        if s.startswith("postgresql://"):  # no driver named: use the one installed (psycopg 3, else psycopg2)
            s = f"postgresql+{_pg_driver()}://" + s[len("postgresql://"):]
        return s
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def _pg_driver() -> str:
    import importlib.util

    return "psycopg" if importlib.util.find_spec("psycopg") else "psycopg2"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # let SQLAlchemy (not pysqlite) emit BEGIN, so SAVEPOINTs work (SQLAlchemy's documented recipe)
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses no committed batch
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        eng = sa.create_engine(url, future=True)
        sa.event.listen(eng, "connect", _sqlite_pragmas)
        sa.event.listen(eng, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return eng
    return sa.create_engine(url, future=True, pool_pre_ping=True)


def migrate(engine: sa.Engine) -> str:
    """Bring the schema to Alembic head (idempotent). Returns the head revision."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    import flashpoint.migrations as mig

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(mig.__file__).parent))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return head


class Store:
    """One database (SQLite or PostgreSQL) behind the same API."""

    def __init__(self, db: str | os.PathLike | None = None, migrate_schema: bool = True):
        self.url = normalise_url(db)
        self.engine = make_engine(self.url)
        if migrate_schema:
            migrate(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @cached_property
    def postgis(self) -> bool:
        if self.dialect != "postgresql":
            return False
        with self.engine.connect() as c:
            return bool(c.execute(sa.text(
                "SELECT 1 FROM information_schema.columns WHERE table_name='events' AND column_name='geom'"
            )).first())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"


def open_store(db: "str | os.PathLike | Store | None" = None) -> Store:
    return db if isinstance(db, Store) else Store(db)
