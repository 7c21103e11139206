"""Durability (issue #12, item 4): two ingests into one SQLite file at once, Ctrl-C during an ingest, and the
PostgreSQL side (lock timeouts, NUL characters, long claim sources, concurrent first runs, overlapping writers,
kill -9 and resume). PostgreSQL tests run when FLASHPOINT_TEST_PG is set (see .ci/postgres.sh).

Every test checks: items lost 0, items duplicated 0, crashes 0 (figures in docs/RELIABILITY.md)."""
import importlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from flashpoint.model import Article, Claim, Report, Span
from flashpoint.scale.fake import FakeExtractor, synthetic_articles
from flashpoint.store import ingest, open_store
from flashpoint.store.db import Store, normalise_url
from flashpoint.store.schema import articles, event_sources, events
from store_helpers import corpus, ev, fake_extract_many

ingest_mod = importlib.import_module("flashpoint.store.ingest")
N = 120
PG = os.environ.get("FLASHPOINT_TEST_PG")
SHELL = ("Explosions/Remote violence", "Shelling/artillery/missile attack")


def snapshot(db):
    """Everything a resumed or concurrent run must reproduce: articles, event ids, sources (any database)."""
    with open_store(db, read_only=True).engine.connect() as c:
        arts = sorted(tuple(r) for r in c.execute(sa.select(articles.c.article_id, articles.c.content_hash,
                                                              articles.c.status, articles.c.n_events)))
        evs = sorted(r[0] for r in c.execute(sa.select(events.c.event_id)))
        srcs = sorted(tuple(r) for r in c.execute(
            sa.select(event_sources.c.event_id, articles.c.article_id)
            .join(articles, articles.c.id == event_sources.c.article_pk)))
    return arts, evs, srcs


def assert_no_loss_no_duplicate(got, ref):
    arts, evs, srcs = got
    assert len({a[1] for a in arts}) == len(arts), "an article stored twice"
    assert len(set(evs)) == len(evs) and len(set(srcs)) == len(srcs), "an event or source stored twice"
    assert got == ref


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("durable")
    arts = synthetic_articles(N, seed=3, fail_every=89)
    path = d / "corpus.jsonl"
    path.write_text("".join(a.model_dump_json() + "\n" for a in arts), encoding="utf-8")
    ref = d / "ref.db"
    ingest([str(path)], ref, batch_size=20, extract_many=FakeExtractor(delay=0).extract_many, embedder=None)
    return d, path, snapshot(ref)


def _cli(db, path, delay="0"):
    env = dict(os.environ, FLASHPOINT_FAKE_DELAY=delay)
    cmd = [sys.executable, "-c", "from flashpoint.cli import main; main()", "ingest", str(path), "--db", str(db),
           "--batch-size", "20", "--extractor", "flashpoint.scale.fake:FakeExtractor", "--no-embed", "--quiet"]
    return cmd, env


def _ok_or_only_the_corpus_failure(proc_rc: int, err: str) -> bool:
    """Exit 0, or 1 when the only failed items are the corpus's planted extraction failures (the FakeExtractor's
    "synthetic failure"): a failed item makes ``ingest`` exit 1."""
    errors = [x for x in err.splitlines() if "error:" in x]
    return proc_rc == 0 or (proc_rc == 1 and errors and all("synthetic failure" in x for x in errors))


def _n_articles(db):
    try:
        with open_store(db, read_only=True).engine.connect() as c:
            return c.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
    except (sa.exc.SQLAlchemyError, ValueError):
        return 0


def test_two_ingests_into_one_sqlite_file_at_once(corpus_file):
    """Two processes ingest the same corpus into one new SQLite file at the same time: both finish (their
    batches wait for each other's write lock), and the store is the one a single run makes."""
    d, path, ref = corpus_file
    db = d / "two.db"
    cmd, kw = _cli_popen(db, path)
    procs = [subprocess.Popen(cmd, **kw) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(_ok_or_only_the_corpus_failure(p.returncode, o[1]) for p, o in zip(procs, outs)), [o[1] for o in outs]
    assert_no_loss_no_duplicate(snapshot(db), ref)


def _cli_popen(db, path, delay="0.002"):
    cmd, env = _cli(db, path, delay)
    return cmd, {"env": env, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_leaves_a_consistent_store_and_one_line(corpus_file, workers):
    """Ctrl-C as a terminal sends it: SIGINT to the whole process group (the writer and its pool workers)."""
    d, path, ref = corpus_file
    db = d / f"int{workers}.db"
    cmd, kw = _cli_popen(db, path, delay="0.01")
    # (a run started from a background job inherits SIGINT ignored, and Python then never raises KeyboardInterrupt:
    # the child gets the default disposition back, as a terminal's foreground job has it)
    proc = subprocess.Popen(cmd + ["--workers", workers], start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kw)
    deadline = time.time() + 120
    while time.time() < deadline and _n_articles(db) < 30 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "run finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("interrupted") and "Traceback" not in err
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # every stored article has all its events: batches are all-or-nothing
        assert con.execute("SELECT count(*) FROM articles a WHERE a.status = 'ok' AND a.n_events != "
                           "(SELECT count(*) FROM events e WHERE e.article_pk = a.id)").fetchone()[0] == 0
        done = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()
    assert 0 < done < N
    cmd, env = _cli(db, path)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert _ok_or_only_the_corpus_failure(out.returncode, out.stderr), out.stderr
    assert_no_loss_no_duplicate(snapshot(db), ref)


# -- PostgreSQL --------------------------------------------------------------------------------------------------

@pytest.fixture()
def pg_url():
    if not PG:
        pytest.skip("FLASHPOINT_TEST_PG not set")
    name = f"fp_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(normalise_url(PG), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.SQLAlchemyError as exc:
        pytest.skip(f"cannot create a test database: {exc}")
    url = sa.engine.make_url(normalise_url(PG)).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as c:
        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.mark.postgres
def test_pg_lock_timeout_leaves_articles_unrecorded_and_rerun_stores_them(pg_url, monkeypatch):
    """H5 as reported: lock_timeout with LOCK TABLE events held elsewhere stored the articles as failed under
    their hash, rc 0; after the lock was released the rerun said "skipped"."""
    arts, reps = corpus()
    Store(pg_url).close()
    monkeypatch.setattr(ingest_mod, "TRANSIENT_BACKOFF_S", 0.0)
    timed = pg_url + "?options=-c%20lock_timeout%3D200"
    holder = sa.create_engine(pg_url).connect()
    holder.begin()
    holder.exec_driver_sql("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
    try:
        s1 = ingest(arts, timed, extract_many=fake_extract_many(reps), embedder=None)
    finally:
        holder.rollback()
        holder.close()
    assert (s1.unrecorded, s1.failed) == (4, 5)  # a5 is the corpus's own extraction failure
    s2 = ingest(arts, timed, extract_many=fake_extract_many(reps), embedder=None)
    assert (s2.ingested, s2.skipped, s2.failed) == (4, 1, 0)


@pytest.mark.postgres
def test_pg_connection_killed_mid_batch_then_batch_retried(pg_url, monkeypatch):
    """The server ends the writer's connection (pg_terminate_backend) in the middle of a batch: the batch is
    written again on a new connection."""
    arts, reps = corpus()
    Store(pg_url).close()
    monkeypatch.setattr(ingest_mod, "TRANSIENT_BACKOFF_S", 0.0)
    real, killed = ingest_mod.write_article, []
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")

    def write(conn, article, report, **kw):
        if article.id == "a3" and not killed:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with admin.connect() as c:
                killed.append(c.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})").scalar())
        return real(conn, article, report, **kw)

    monkeypatch.setattr(ingest_mod, "write_article", write)
    s = ingest(arts, pg_url, extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    admin.dispose()
    assert killed == [True] and (s.ingested, s.failed, s.unrecorded) == (4, 1, 0)
    arts_, evs, srcs = snapshot(pg_url)
    assert len(arts_) == 5 and len(evs) == 4 and len(srcs) == 4


@pytest.mark.postgres
def test_pg_accepts_nul_surrogates_and_long_claim_sources(pg_url):
    text = "Rebels attacked Kafr Alpha \ud800 on Sunday,\x00 killing 3."
    a = Article(id="n", text=text, title="Title\x00 with NUL", source="wire", published=date(2021, 5, 2))
    rep = Report(id="n", events=[ev("e", "2021-05-02", *SHELL, "Rebels", "Kafr Alpha", 36.2, 37.1, 3, text)],
                 claims=[Claim(subject="killed", value=3, source="y" * 300, evidence=Span(text="k\x00", start=0,
                                                                                         end=2))])
    s = ingest([a], pg_url, extract_many=fake_extract_many([rep]), embedder=None)
    assert (s.ingested, s.failed, s.unrecorded) == (1, 0, 0)
    with open_store(pg_url, read_only=True).engine.connect() as c:
        assert c.exec_driver_sql("SELECT title FROM articles").scalar() == "Title with NUL"
        assert c.exec_driver_sql("SELECT length(source) FROM claims").scalar() == 300


def _in_threads(fn, n):
    errors, barrier = [], threading.Barrier(n)

    def run():
        try:
            barrier.wait(timeout=30)
            fn()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(f"{type(exc).__name__}: {exc}")

    ts = [threading.Thread(target=run) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(300)
    return errors


@pytest.mark.postgres
def test_pg_concurrent_first_runs_and_overlapping_ingests(pg_url, corpus_file):
    """M9 on PostgreSQL: first runs on an empty database at once (schema creation), then overlapping ingests."""
    _d, path, ref = corpus_file
    assert _in_threads(lambda: Store(pg_url).close(), 4) == []
    errors = _in_threads(lambda: ingest([str(path)], pg_url, batch_size=20, embedder=None,
                                        extract_many=FakeExtractor(delay=0.001).extract_many), 2)
    assert errors == []
    assert_no_loss_no_duplicate(snapshot(pg_url), ref)


@pytest.mark.postgres
def test_pg_kill9_then_resume_equals_uninterrupted_run(pg_url, corpus_file):
    _d, path, ref = corpus_file
    cmd, kw = _cli_popen(pg_url, path, delay="0.01")
    proc = subprocess.Popen(cmd, **kw)
    deadline = time.time() + 120
    while time.time() < deadline and _n_articles(pg_url) < 30 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert 0 < _n_articles(pg_url) < N
    cmd, env = _cli(pg_url, path)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert _ok_or_only_the_corpus_failure(out.returncode, out.stderr), out.stderr
    assert_no_loss_no_duplicate(snapshot(pg_url), ref)


@pytest.mark.postgres
def test_pg_query_refuses_another_applications_database(pg_url):
    """M4 on PostgreSQL: a query never creates the flashpoint tables in a database that is not a store."""
    from flashpoint.store import query_events
    from flashpoint.store.db import NotAFlashpointStore

    eng = sa.create_engine(normalise_url(pg_url))
    with eng.begin() as c:
        c.exec_driver_sql("CREATE TABLE notes (id int)")
    with pytest.raises(NotAFlashpointStore):
        query_events(pg_url)
    with pytest.raises(NotAFlashpointStore):
        ingest([], pg_url, extract_many=fake_extract_many([]), embedder=None)
    assert sorted(t for t in sa.inspect(eng).get_table_names() if t != "spatial_ref_sys") == ["notes"]
    eng.dispose()
