"""Opening a store: URL handling, SQLite pragmas (WAL), automatic Alembic migration.

Writers (``Store(db)``) create and migrate the schema; readers (``Store(db, read_only=True)``, used by every
query) never create, migrate or alter anything: a missing SQLite file or a database that is not a flashpoint
store is refused with a clear error, and a read-only SQLite connection keeps the file's journal mode."""
from __future__ import annotations

import os
import sqlite3
from functools import cached_property
from pathlib import Path

import sqlalchemy as sa
from flashpoint.settings import settings

DEFAULT_DB = "flashpoint.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another writer's batch before a transient error
PG_MIGRATION_LOCK = 7_212_003_001  # pg_advisory_xact_lock key serialising schema creation / migration
STORE_TABLES = frozenset({"alembic_version", "articles", "events"})  # what makes a database a flashpoint store
# tables an empty database may already hold without being another application's (PostGIS, SQLite internals)
NEUTRAL_TABLES = frozenset({"spatial_ref_sys", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})


class StoreError(ValueError):
    """The database cannot be used as a flashpoint store (missing, or another application's database)."""


class StoreNotFound(StoreError):
    """A read of a SQLite store that does not exist."""


class NotAFlashpointStore(StoreError):
    """A database that holds tables but is not a flashpoint store: never migrated or altered."""


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


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (None for other databases and in-memory SQLite)."""
    if not url.startswith("sqlite:///") or url in ("sqlite:///", "sqlite:///:memory:"):
        return None
    return Path(url[len("sqlite:///"):])


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # let SQLAlchemy (not pysqlite) emit BEGIN, so SAVEPOINTs work (SQLAlchemy's documented recipe)
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # first: switching to WAL may wait for a lock
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses no committed batch
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_reader_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA query_only=ON")  # a reader cannot write, whatever it is asked
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # writers take the write lock when their transaction starts (BEGIN IMMEDIATE): two ingests into one file
    # then wait for each other's batch instead of failing on a stale WAL snapshot (SQLITE_BUSY_SNAPSHOT)
    immediate = conn.get_execution_options().get("flashpoint_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, read_only: bool = False) -> sa.Engine:
    if url.startswith("sqlite"):
        eng = sa.create_engine(url, future=True)
        sa.event.listen(eng, "connect", _sqlite_reader_pragmas if read_only else _sqlite_pragmas)
        sa.event.listen(eng, "begin", _sqlite_begin)
        return eng
    opts = {"postgresql_readonly": True} if read_only and url.startswith("postgresql") else {}
    return sa.create_engine(url, future=True, pool_pre_ping=True, execution_options=opts)


def _sqlite_tables(path: Path) -> set[str]:
    """Table names of an existing SQLite file, read without changing it (read-only URI connection)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:  # not a database at all (a text file, random bytes)
        raise NotAFlashpointStore(f"{path} is not a SQLite database ({exc}); flashpoint leaves it untouched"
                                  ) from exc


def check_store(url: str, engine: sa.Engine | None = None, read_only: bool = False) -> None:
    """Refuse what is not a flashpoint store before anything is written to it: a missing file (read), a file with
    other tables and no flashpoint schema, a database that is not SQLite. An empty database is fine to write."""
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() or path.stat().st_size == 0:
            if read_only:
                raise StoreNotFound(f"no flashpoint store at {path} (run `flashpoint ingest` first or pass --db)")
            return
        tables = _sqlite_tables(path)
    elif engine is not None and not url.startswith("sqlite"):
        tables = set(sa.inspect(engine).get_table_names())
    else:
        return
    tables -= NEUTRAL_TABLES
    if not tables and not read_only:
        return
    missing = STORE_TABLES - tables
    if missing:
        where = path or engine.url.render_as_string(hide_password=True)
        raise NotAFlashpointStore(
            f"{where} is not a flashpoint store (no {', '.join(sorted(missing))} table); "
            "flashpoint does not migrate or alter another application's database")


def migrate(engine: sa.Engine) -> str:
    """Bring the schema to Alembic head (idempotent; concurrent first runs wait for each other). Returns the
    head revision."""
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
        with engine.connect() as conn:
            conn.execution_options(flashpoint_write=True)
            with conn.begin():
                # one migrator at a time: SQLite's BEGIN IMMEDIATE above, PostgreSQL's advisory lock here; the
                # revision is read again under the lock, so a second first run finds the schema made
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
    return head


class Store:
    """One database (SQLite or PostgreSQL) behind the same API.

    ``read_only``: for queries; never creates, migrates or alters the database (see the module doc)."""

    def __init__(self, db: str | os.PathLike | None = None, migrate_schema: bool = True, read_only: bool = False):
        self.url = normalise_url(db)
        self.read_only = read_only
        check_store(self.url, read_only=read_only)  # SQLite: before any connection switches the file to WAL
        self.engine = make_engine(self.url, read_only=read_only)
        if not self.url.startswith("sqlite"):
            check_store(self.url, self.engine, read_only=read_only)
        if migrate_schema and not read_only:
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

    def writer(self) -> sa.Connection:
        """A connection for writing: on SQLite its transactions take the write lock when they begin."""
        conn = self.engine.connect()
        conn.execution_options(flashpoint_write=True)
        return conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"


def open_store(db: "str | os.PathLike | Store | None" = None, read_only: bool = False) -> Store:
    return db if isinstance(db, Store) else Store(db, read_only=read_only)
