"""The same store on PostgreSQL (+PostGIS when installed) gives the same results as SQLite.

Runs when FLASHPOINT_TEST_PG=postgresql://... is set (see .ci/postgres.sh); skipped otherwise.
"""
import os
import uuid

import pytest
import sqlalchemy as sa

from flashpoint.scale.fake import FakeExtractor, synthetic_articles
from flashpoint.store.db import normalise_url
from flashpoint.store import changes_since, explain, ingest, open_store, query_events
from store_helpers import corpus, fake_extract_many

pytestmark = pytest.mark.postgres
PG = os.environ.get("FLASHPOINT_TEST_PG")


@pytest.fixture()
def pg_url():
    if not PG:
        pytest.skip("FLASHPOINT_TEST_PG not set")
    name = f"fp_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(normalise_url(PG), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f"CREATE DATABASE {name}")
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"cannot create a test database: {exc}")
    url = sa.engine.make_url(normalise_url(PG)).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as c:
        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


KEYS = ("event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "lat", "lon",
        "country", "admin1", "fatalities", "n_sources", "alternatives")


def _norm(rows):
    return [{k: r[k] for k in KEYS} | {"sources": sorted(s["article_id"] for s in r["sources"])} for r in rows]


def test_postgres_matches_sqlite(pg_url, tmp_path):
    arts, reps = corpus()
    lite = tmp_path / "l.db"
    for db in (lite, pg_url):
        ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=2)
    st = open_store(pg_url)
    assert st.dialect == "postgresql"
    assert _norm(query_events(pg_url)) == _norm(query_events(lite))
    for bbox in ("37.0,36.0,37.5,36.5", "40,34.5,41,35.5", "0,0,1,1"):
        assert _norm(query_events(pg_url, bbox=bbox)) == _norm(query_events(lite, bbox=bbox))
    for kw in ({"since": "2021-05-10"}, {"actor": "rebels"}, {"event_type": "armed clash"}, {"country": "SY"},
               {"text": "artillery"}):
        assert _norm(query_events(pg_url, **kw)) == _norm(query_events(lite, **kw))
    merged = [r for r in query_events(pg_url) if r["n_sources"] > 1][0]
    assert explain(pg_url, merged["event_id"])["merged"][0]["article"] == "a2"
    assert [e["op"] for e in changes_since(pg_url)] == [e["op"] for e in changes_since(lite)]
    # idempotent on PostgreSQL too
    s = ingest(arts, pg_url, extract_many=fake_extract_many(reps), embedder=None)
    assert s.skipped == len(arts) and s.ingested == 0


def test_postgres_synthetic_corpus_same_dedup(pg_url, tmp_path):
    arts = synthetic_articles(200, seed=11, fail_every=40)
    lite = tmp_path / "s.db"
    for db in (lite, pg_url):
        ingest(arts, db, extract_many=FakeExtractor(delay=0).extract_many, embedder=None, batch_size=30)
    a, b = _norm(query_events(pg_url)), _norm(query_events(lite))
    assert len(a) == len(b) and a == b


def test_postgis_geometry_when_available(pg_url):
    st = open_store(pg_url)
    with st.engine.connect() as c:
        has_ext = c.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name='postgis'").first()
    if not has_ext:
        pytest.skip("PostGIS not installed on this server")
    assert st.postgis
    arts, reps = corpus()
    ingest(arts, pg_url, extract_many=fake_extract_many(reps), embedder=None)
    with st.engine.connect() as c:
        n = c.exec_driver_sql("SELECT count(*) FROM events WHERE geom IS NOT NULL "
                              "AND ST_X(geom) = lon AND ST_Y(geom) = lat").scalar()
    assert n == 4


def test_postgres_lazy_writer_embeddings_match_sqlite(pg_url, tmp_path):
    """The writer's lazy embeddings (vectors saved on stored candidates with one executemany UPDATE) give the
    same events, merges and stored vectors on PostgreSQL as on SQLite."""
    import numpy as np

    from flashpoint.store.schema import events

    def emb(texts):
        out = np.full((len(texts), 8), 0.1, dtype=np.float32)
        for i, t in enumerate(texts):
            for j, w in enumerate(("shell", "clash", "attack", "alpha", "beta", "kill", "army", "monitor")):
                out[i, j] += float(w in t.lower())
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    lite = tmp_path / "e.db"
    arts = synthetic_articles(120, seed=5)
    snaps = []
    for db in (lite, pg_url):
        ingest(arts, db, extract_many=FakeExtractor(delay=0).extract_many, embedder=emb, batch_size=16)
        with open_store(db).engine.connect() as c:
            snaps.append([(e, m, None if v is None else bytes(v)) for e, m, v in c.execute(
                sa.select(events.c.event_id, events.c.merged_into, events.c.embedding).order_by(events.c.event_id))])
    assert snaps[0] == snaps[1]
    assert any(m for _e, m, _v in snaps[0]) and any(v is not None for _e, _m, v in snaps[0])
