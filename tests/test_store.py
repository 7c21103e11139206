import pytest
import sqlalchemy as sa

from flashpoint.store import changes_since, counts, explain, ingest, load_events, open_store, query_events
from flashpoint.store.db import migrate
from flashpoint.store.dedup import decide, features
from flashpoint.store.schema import articles
from flashpoint.store.write import delete_event
from store_helpers import corpus, fake_extract_many


@pytest.fixture()
def db(tmp_path):
    arts, reps = corpus()
    path = tmp_path / "fp.db"
    stats = ingest(arts, path, extract_many=fake_extract_many(reps), embedder=None, batch_size=2)
    return path, stats


def test_open_creates_schema_with_wal_and_alembic(tmp_path):
    st = open_store(tmp_path / "x.db")
    with st.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrate(st.engine)
        names = set(sa.inspect(c).get_table_names())
    assert {"articles", "events", "event_sources", "actors", "places", "relations", "quotes", "claims",
            "event_log"} <= names
    open_store(tmp_path / "x.db")  # reopening is a no-op migration


def test_ingest_stats_and_failure_recorded(db):
    path, s = db
    assert (s.read, s.ingested, s.failed, s.events, s.merged) == (5, 4, 1, 4, 1)
    with open_store(path).engine.connect() as c:
        st, err = c.execute(sa.select(articles.c.status, articles.c.error).where(articles.c.article_id == "a5")).one()
    assert st == "error" and "boom" in err


def test_merge_keeps_sources_and_conflicting_fatalities(db):
    path, _ = db
    rows = query_events(path)
    assert len(rows) == 3
    merged = [r for r in rows if r["n_sources"] == 2]
    assert len(merged) == 1
    m = merged[0]
    assert {s["article_id"] for s in m["sources"]} == {"a1", "a2"}
    alts = {a["value"]: a["sources"] for a in m["alternatives"]["fatalities"]}
    assert alts == {10: ["a1"], 12: ["a2"]}
    info = explain(path, m["event_id"])
    assert info["merged"][0]["article"] == "a2"
    why = info["merged"][0]["why"]
    assert why["features"]["km"] < 5 and why["features"]["days_apart"] == 0 and why["score"] >= 0.55
    # explain also works from the merged row's id
    assert explain(path, info["merged"][0]["event_id"])["event_id"] == m["event_id"]


def test_different_week_and_far_place_do_not_merge():
    _, reps = corpus()
    a1, a3, a4 = (reps[i].events[0].model_dump() for i in (0, 2, 3))
    for other in (a3, a4):
        row = lambda e: {**e, **e["location"], "location": e["location"]["name"],
                         "evidence": (e["evidence"] or {}).get("text")}
        ok, _, reason = decide(features(row(a1), row(other)))
        assert not ok, reason


def test_filters_and_bbox(db):
    path, _ = db
    assert len(query_events(path, bbox="37.0,36.0,37.5,36.5")) == 2  # Kafr Alpha: shelling + clash
    assert [r["location"] for r in query_events(path, bbox=(40, 34.5, 41, 35.5))] == ["Beta Town"]
    assert query_events(path, bbox="0,0,1,1") == []
    assert len(query_events(path, since="2021-05-10")) == 1
    assert len(query_events(path, until="2021-05-01")) == 2
    assert len(query_events(path, event_type="Battles")) == 2
    assert len(query_events(path, event_type="armed clash")) == 2
    assert len(query_events(path, actor="rebels")) == 2
    assert len(query_events(path, country="Syria")) == 3
    assert len(query_events(path, country="IQ")) == 0
    assert len(query_events(path, text="artillery")) == 1
    with pytest.raises(ValueError):
        query_events(path, bbox="1,2,3")


def test_change_feed_and_delete(db):
    path, _ = db
    log = changes_since(path, 0)
    assert [e["op"] for e in log].count("insert") == 3 and [e["op"] for e in log].count("merge") == 1
    cursor = log[-1]["seq"]
    victim = query_events(path, actor="rebels")[0]["event_id"]
    st = open_store(path)
    with st.engine.begin() as c:
        assert delete_event(c, victim, "test")
    before = query_events(path)[0]["last_modified"]
    new = changes_since(path, cursor)
    assert [(e["op"], e["event_id"]) for e in new] == [("delete", victim)]
    assert len(query_events(path)) == 2
    assert counts(path)["events_canonical"] == 2


def test_load_events_dataframe(db):
    path, _ = db
    df = load_events(path)
    assert len(df) == 3 and {"event_id", "lat", "lon", "n_sources", "last_modified"} <= set(df.columns)
    assert str(df["last_modified"].dtype).startswith("datetime64")


def _hash_embedder(texts):
    import zlib

    import numpy as np

    out = np.zeros((len(texts), 256), dtype=np.float32)  # character trigram counts, hashed
    for i, t in enumerate(texts):
        t = t.lower()
        for j in range(len(t) - 2):
            out[i, zlib.crc32(t[j:j + 3].encode()) % 256] += 1.0
        out[i] /= max(1e-9, float(np.linalg.norm(out[i])))
    return out


def test_dedup_with_an_embedder_uses_cosine(tmp_path):
    arts, reps = corpus()
    path = tmp_path / "emb.db"
    s = ingest(arts, path, extract_many=fake_extract_many(reps), embedder=_hash_embedder)
    assert s.merged == 1
    merged = [r for r in query_events(path) if r["n_sources"] == 2][0]
    why = explain(path, merged["event_id"])["merged"][0]["why"]
    assert why["features"]["text_method"] == "minilm-cosine"


def test_real_minilm_embedder_when_installed(tmp_path):
    from flashpoint.store.dedup import default_embedder

    emb = default_embedder()
    if emb is None:
        pytest.skip("MiniLM packages not installed")
    arts, reps = corpus()
    path = tmp_path / "minilm.db"
    s = ingest(arts, path, extract_many=fake_extract_many(reps), embedder=emb)
    assert s.merged == 1 and len(query_events(path)) == 3


def test_modified_since_returns_only_changed_events(tmp_path):
    import time as _t
    from datetime import datetime, timezone

    arts, reps = corpus()
    path = tmp_path / "sync.db"
    ingest(arts[:1] + arts[2:], path, extract_many=fake_extract_many(reps), embedder=None)
    mark = datetime.now(timezone.utc)
    _t.sleep(0.01)
    assert query_events(path, modified_since=mark) == []
    ingest(arts[1:2], path, extract_many=fake_extract_many(reps), embedder=None)  # a2 merges into a1's event
    changed = query_events(path, modified_since=mark.isoformat())
    assert len(changed) == 1 and changed[0]["n_sources"] == 2


def test_synthetic_rereports_merge_exactly(tmp_path):
    """Synthetic corpus: one canonical event per distinct fact, every re-report merged into it."""
    from flashpoint.scale.fake import _SENT, FakeExtractor, synthetic_articles

    arts = synthetic_articles(400, seed=21)
    facts = {(m["date"], m["actor"], m["verb"], m["place"]) for a in arts for m in _SENT.finditer(a.text)}
    path = tmp_path / "syn.db"
    s = ingest(arts, path, extract_many=FakeExtractor(delay=0).extract_many, embedder=None)
    rows = query_events(path)
    assert len(rows) == len(facts)
    got = {(r["event_date"], r["actor1"], r["location"]) for r in rows}
    assert got == {(d, a, p) for d, a, _v, p in facts}
    assert s.merged == s.events - len(facts)


def test_candidate_search_is_an_index_range_scan(db):
    """The dedup candidate query reads canonical events of a date range through the (merged_into, event_date)
    index, not every canonical event: ingest cost must not grow with the size of the store."""
    from flashpoint.store import write as w

    path, _ = db
    st = open_store(path)
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "LIMIT" in statement and "FROM events" in statement:
            seen.append((statement, parameters))

    sa.event.listen(st.engine, "before_cursor_execute", capture)
    row = {"event_date": "2021-05-01", "time_precision": 1, "status": None, "article_pk": 999, "country": "SY",
           "lat": 36.2, "lon": 37.1, "admin1": "Gov A"}
    with st.engine.connect() as c:
        found = w._candidates(c, row, set())
        assert {f["event_id"] for f in found} and all("merge_info" not in f for f in found)
        statement, params = seen[-1]
        plan = " ".join(str(r[-1]) for r in c.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
    # either (merged_into, event_date, ...) index: the web filter index (migration 0004) holds more of the terms
    assert ("ix_events_canonical_date" in plan or "ix_web_canonical_filter" in plan) and "event_date>" in plan


def test_migration_0002_adds_the_index_to_an_0001_database(tmp_path):
    path = tmp_path / "old.db"
    st = open_store(path)
    with st.engine.begin() as c:  # pretend the database was created before 0002
        c.exec_driver_sql("DROP INDEX ix_events_canonical_date")
        c.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    st.close()
    st = open_store(path)
    with st.engine.connect() as c:
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrate(st.engine)
        names = {ix["name"] for ix in sa.inspect(c).get_indexes("events")}
    assert "ix_events_canonical_date" in names


def test_big_city_names_cached_on_disk_equal_the_computed_ones(tmp_path, monkeypatch):
    from flashpoint.store import dedup as dd

    monkeypatch.setenv("FLASHPOINT_CACHE", str(tmp_path))
    dd._big_cities.cache_clear()
    try:
        first = dd._big_cities()  # computed, then written to the cache
        assert list(tmp_path.glob("dedup_big_cities-*.txt"))
        dd._big_cities.cache_clear()
        assert dd._big_cities() == first == dd._compute_big_cities()  # read back from the file
    finally:
        dd._big_cities.cache_clear()
