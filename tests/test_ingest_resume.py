"""kill -9 in the middle of an ingest, rerun -> exactly the store of an uninterrupted run."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from flashpoint.scale.fake import FakeExtractor, synthetic_articles
from flashpoint.store import counts, ingest

N = 1000


def _snapshot(path):
    con = sqlite3.connect(path)
    try:
        ev = con.execute("SELECT event_id, merged_into, event_date, event_type, actor1, location, lat, lon, "
                         "fatalities, deleted FROM events ORDER BY event_id").fetchall()
        src = con.execute("SELECT s.event_id, s.canonical_id, a.article_id FROM event_sources s "
                          "JOIN articles a ON a.id = s.article_pk ORDER BY s.event_id").fetchall()
        arts = con.execute("SELECT article_id, content_hash, status, n_events FROM articles "
                           "ORDER BY article_id").fetchall()
    finally:
        con.close()
    return ev, src, arts


def _n_articles(path):
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("resume")
    arts = synthetic_articles(N, seed=7, fail_every=97)
    path = d / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(a.model_dump_json() + "\n")
    return d, path, arts


def _cli(db, corpus_path, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    code = "from flashpoint.cli import main; main()"
    return [sys.executable, "-c", code, "ingest", str(corpus_path), "--db", str(db), "--batch-size", "25",
            "--extractor", "flashpoint.scale.fake:FakeExtractor", "--no-embed", "--quiet"], env


def test_kill9_then_resume_equals_uninterrupted_run(corpus):
    d, path, arts = corpus
    ref = d / "ref.db"
    ingest([str(path)], ref, batch_size=25, extract_many=FakeExtractor(delay=0).extract_many, embedder=None)
    ref_snap = _snapshot(ref)
    assert len(ref_snap[2]) == N and len(ref_snap[0]) > N  # some articles report two events

    db = d / "killed.db"
    cmd, env = _cli(db, path, {"FLASHPOINT_FAKE_DELAY": "0.004"})
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and _n_articles(db) < 150 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = _n_articles(db)
    assert 0 < done < N  # really killed mid-way

    cmd, env = _cli(db, path)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    # exit 1: the rest of the corpus holds failing articles (every 97th), reported per item
    assert out.returncode == 1 and "synthetic failure" in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert _snapshot(db) == ref_snap


def test_same_corpus_twice_changes_nothing(corpus):
    d, path, arts = corpus
    db = d / "twice.db"
    s1 = ingest([str(path)], db, batch_size=50, extract_many=FakeExtractor(delay=0).extract_many, embedder=None)
    c1, snap1 = counts(db), _snapshot(db)
    s2 = ingest([str(path)], db, batch_size=50, extract_many=FakeExtractor(delay=0).extract_many, embedder=None)
    assert s1.ingested + s1.failed == N and s1.failed == N // 97
    assert s2.skipped == N and s2.ingested == 0 and s2.events == 0
    assert counts(db) == c1 and _snapshot(db) == snap1
