"""The events page query of the web API on SQLite: the compiled-once SQL read by the driver gives SQLAlchemy's
rows, and the text index of migration 0006 changes the plan, never the answer."""
import sqlite3
from datetime import date

import pytest
import sqlalchemy as sa

from flashpoint.scale.fake import synthetic_articles
from flashpoint.store import ingest
from flashpoint.store.db import Store
from flashpoint.web import queries as qy

FAKE = "flashpoint.scale.fake:FakeExtractor"
F = qy.EventFilter


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """A synthetic store (no models): 120 articles of the fake extractor, re-reports merged; two invented events
    without a status and one without an evidence sentence."""
    db = tmp_path_factory.mktemp("webq") / "fake.db"
    ingest(synthetic_articles(120, seed=11), str(db), extractor=FAKE, embedder=None)
    with sqlite3.connect(db) as con:
        ids = [r[0] for r in con.execute("SELECT event_id FROM events WHERE merged_into IS NULL ORDER BY event_id")]
        con.execute("UPDATE events SET status = NULL WHERE event_id IN (?, ?)", ids[:2])
        con.execute("UPDATE events SET evidence = NULL WHERE event_id = ?", (ids[2],))
    return db


FILTERS = [F(), F(status=["all"]), F(status=["denied", "historical"]), F(text="village1"), F(text="VILLAGE"),
           F(text="shell", since=date(2020, 3, 1), until=date(2020, 9, 30)), F(text="%"), F(actor="a"),
           F(country="SYR", min_fatalities=2), F(bbox="36,33,38,35", since=date(2020, 1, 1)),
           F(text="e", country="SY", status=["all"])]


def _walk(store: Store, f: qy.EventFilter, sort: str, read) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        rows, cursor = read(store, f, sort, cursor)
        pages.append(rows)
        if cursor is None:
            return pages


def _fast(store, f, sort, cursor):
    return qy.page(store, f, limit=23, sort=sort, cursor=cursor)


def _sqlalchemy(store, f, sort, cursor):
    """The same page through SQLAlchemy (its statement, its result types)."""
    values = qy._page_values(f, 23, sort, cursor)
    with store.engine.connect() as conn:
        rows = qy._dicts(conn.execute(qy._page_select(values, sort, "sqlite")))
    nxt = None
    if len(rows) > 23:
        rows = rows[:23]
        nxt = qy.encode_cursor(sort, rows[-1][qy.SORTS[sort][0]], rows[-1]["event_id"])
    return rows, nxt


@pytest.mark.parametrize("sort", list(qy.SORTS))
def test_driver_rows_are_sqlalchemys_rows(store_path, sort):
    with Store(store_path, read_only=True) as store:
        for f in FILTERS:
            fast = _walk(store, f, sort, _fast)
            assert fast == _walk(store, f, sort, _sqlalchemy), (f, sort)
    rows = [r for p in fast for r in p]
    assert all(type(r["created_at"]).__name__ == "datetime" and isinstance(r["assoc_actor_1"], list) for r in rows)


def test_a_new_store_has_the_text_index_and_the_text_page_uses_it(store_path):
    with Store(store_path, read_only=True) as store:
        names = {ix["name"] for ix in sa.inspect(store.engine).get_indexes("events")}
        assert qy.TEXT_INDEX in names
        values = qy._page_values(F(text="village1", since=date(2020, 1, 1)), 100, "-date", None)
        sql, fixed = qy._sqlite_page_sql(tuple(values), qy._missing_counts(values), "-date",
                                         qy._use_text_index(store, values))
        conn = store.engine.raw_connection()
        try:
            plan = " ".join(r[3] for r in conn.driver_connection.execute("EXPLAIN QUERY PLAN " + sql,
                                                                          {**fixed, **values}))
        finally:
            conn.close()
        assert qy.TEXT_INDEX in plan
        # with a country the planner keeps the country index (fewer entries to read)
        assert not qy._use_text_index(store, {**values, "country": "SY"})


def test_text_filter_answers_the_same_without_the_index(store_path, tmp_path):
    """'Rebels shelled the village' is found by the same text with and without migration 0006's index (an older
    store opened read-only has none), every status, sort and page."""
    bare = tmp_path / "bare.db"
    # (SQLite's backup, not a file copy: the store is in WAL mode, and the index may still be in its -wal file)
    with sqlite3.connect(store_path) as src, sqlite3.connect(bare) as dst:
        src.backup(dst)
    with sqlite3.connect(bare) as con:
        con.execute(f"DROP INDEX {qy.TEXT_INDEX}")
    with Store(store_path, read_only=True) as indexed, Store(bare, read_only=True) as plain:
        assert not qy._has_index(plain, qy.TEXT_INDEX)
        for text in ("village1", "SHELL", "ed the", "zzz-not-there", "_", "e"):
            for f in (F(text=text), F(text=text, status=["all"]), F(text=text, since=date(2020, 5, 1))):
                for sort in qy.SORTS:
                    got = _walk(indexed, f, sort, _fast)
                    assert got == _walk(plain, f, sort, _fast), (text, f, sort)
        assert qy.count(indexed, F(text="e", status=["all"])) == qy.count(plain, F(text="e", status=["all"]))
        # the event without a sentence is in the store and never matches a text
        everything = sum(len(p) for p in _walk(indexed, F(status=["all"]), "-date", _fast))
        assert sum(len(p) for p in _walk(indexed, F(text="", status=["all"]), "-date", _fast)) == everything
        assert qy.count(indexed, F(text=" ", status=["all"])) < everything
