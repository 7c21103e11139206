"""Scale-out: process pool and Dask give the same store as a single process."""
import os
import sqlite3

import pytest

from flashpoint.model import Article
from flashpoint.scale.fake import FakeExtractor, synthetic_articles
from flashpoint.scale.local import pool_extract
from flashpoint.store import ingest, query_events

FAKE = "flashpoint.scale.fake:FakeExtractor"


def _snap(db):
    con = sqlite3.connect(db)
    try:
        return (con.execute("SELECT event_id, merged_into, fatalities FROM events ORDER BY event_id").fetchall(),
                con.execute("SELECT article_id, status FROM articles ORDER BY article_id").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def arts():
    return synthetic_articles(120, seed=5, fail_every=30)


@pytest.fixture(scope="module")
def reference(arts, tmp_path_factory):
    db = tmp_path_factory.mktemp("scale") / "ref.db"
    ingest(arts, db, extract_many=FakeExtractor(delay=0).extract_many, embedder=None, batch_size=16)
    return _snap(db)


def test_pool_streams_reports_in_order(arts):
    reps = list(pool_extract(iter(arts[:40]), FAKE, workers=2, batch_size=3))
    assert [r.id for r in reps] == [a.id for a in arts[:40]]
    assert reps[29].errors and not reps[0].errors


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_start_methods_give_the_same_reports(arts, method):
    reps = list(pool_extract(iter(arts[:24]), FAKE, workers=2, batch_size=5, start_method=method))
    ref = list(FakeExtractor(delay=0).extract_many(arts[:24]))
    assert [r.model_dump() for r in reps] == [r.model_dump() for r in ref]


class _PidExtractor(FakeExtractor):
    """Records the process that built it and the process that ran it."""

    def __init__(self):
        super().__init__(delay=0)
        self.built_in = os.getpid()

    def extract_one(self, art):
        rep = super().extract_one(art)
        rep.errors = [f"built={self.built_in} ran={os.getpid()}"]
        return rep


def make_pid_extractor():
    return _PidExtractor()


def test_forked_workers_use_the_parents_loaded_extractor(arts):
    spec = f"{__name__}:make_pid_extractor"
    reps = list(pool_extract(iter(arts[:12]), spec, workers=2, batch_size=2, start_method="fork"))
    pairs = {tuple(int(x.split("=")[1]) for x in r.errors[0].split()) for r in reps}
    assert {b for b, _ in pairs} == {os.getpid()}  # built once, here, before the fork
    assert all(ran != os.getpid() for _, ran in pairs)  # run in the workers


class _WarmedExtractor(_PidExtractor):
    """Records the process that warmed it (``warm`` builds lazily made parts, as ``Pipeline.warm`` does)."""

    def __init__(self):
        super().__init__()
        self.warmed_in = None

    def warm(self):
        self.warmed_in = os.getpid()

    def extract_one(self, art):
        rep = super().extract_one(art)
        rep.errors = [f"warmed={self.warmed_in}"]
        return rep


def make_warmed_extractor():
    return _WarmedExtractor()


def test_forked_workers_inherit_the_parents_warm_up(arts):
    spec = f"{__name__}:make_warmed_extractor"
    reps = list(pool_extract(iter(arts[:8]), spec, workers=2, batch_size=2, start_method="fork"))
    assert {r.errors[0] for r in reps} == {f"warmed={os.getpid()}"}  # warmed once, here, before the fork


def test_pipeline_warm_up_builds_the_actor_resolver():
    from flashpoint.actors import _blank
    from flashpoint.pipeline import default_pipeline

    _blank.cache_clear()
    default_pipeline().warm()
    assert _blank.cache_info().currsize == 1


def test_pipeline_warm_up_loads_the_story_headline_parser_but_starts_no_onnxruntime():
    # the story stage's second spaCy model is shared by forked workers; an onnxruntime session would stop the fork
    import subprocess
    import sys

    code = ("from flashpoint.pipeline import default_pipeline; from flashpoint.events import classify; "
            "from flashpoint.nlp import embed; default_pipeline().warm(); "
            "print(classify._headline_parser.cache_info().currsize, embed.sessions_started())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1", "False"]


_FORK_CHECK = """
import json, multiprocessing as mp
from flashpoint.geo.gazetteer import get_gazetteer
from flashpoint.geo.names import keys

key = keys("Aleppo")[0]
gaz = get_gazetteer()
want = sorted(p.pid for p in gaz.lookup_keys([key]).get(key, ()))
parent_con = id(gaz.con)
ctx = mp.get_context("fork")
q = ctx.Queue()

def child():
    g = get_gazetteer()
    g._key_cache.clear()  # force a real query on the child's connection
    q.put((id(g.con) != parent_con, sorted(p.pid for p in g.lookup_keys([key]).get(key, ()))))

proc = ctx.Process(target=child)
proc.start()
own, got = q.get(timeout=120)
proc.join(120)
print(json.dumps({"exitcode": proc.exitcode, "own_connection": own, "got": got, "want": want}))
"""


def test_gazetteer_opens_its_own_connection_in_a_forked_child():
    """A forked worker must not use the parent's SQLite connection (fork-safety), and still answers the same.
    Run in a fresh interpreter: forking the test process itself would copy whatever threads earlier tests left."""
    import json
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-c", _FORK_CHECK], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout.strip().splitlines()[-1])
    assert r["exitcode"] == 0
    assert r["own_connection"]
    assert r["got"] == r["want"] and r["want"]


def test_ingest_with_two_workers_equals_one(arts, reference, tmp_path):
    db = tmp_path / "w2.db"
    s = ingest(arts, db, workers=2, extractor=FAKE, embedder=None, batch_size=16)
    assert s.ingested + s.failed == len(arts)
    assert _snap(db) == reference


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as c:
        yield c


def test_dask_scheduler_address_equals_one_process(arts, reference, tmp_path, cluster):
    db = tmp_path / "dask.db"
    s = ingest(arts, db, scheduler=cluster.scheduler_address, extractor=FAKE, embedder=None, batch_size=16)
    assert s.ingested + s.failed == len(arts)
    assert _snap(db) == reference


@pytest.mark.slow
def test_dask_real_pipeline_two_short_articles(tmp_path, pipeline):
    distributed = pytest.importorskip("distributed")
    arts = [
        Article(id="short-1", text="Syrian government forces shelled the town of Saraqib in Idlib province on "
                                   "Monday, killing four civilians, a war monitor said.",
                published="2020-02-04", source="test"),
        Article(id="short-2", text="Turkish drones struck a convoy near Tal Rifaat in northern Aleppo on "
                                   "Tuesday, local sources reported.", published="2020-02-05", source="test"),
        Article(id="short-3", text="Protesters gathered in Idlib city on Friday to demand the release of "
                                   "detainees.", published="2020-02-07", source="test"),
    ]
    db = tmp_path / "real.db"
    # one in-process worker thread: the cached pipeline object is not shared by concurrent threads
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as one:
        s = ingest(arts, db, scheduler=one.scheduler_address, batch_size=2, embedder=None)
    assert s.read == 3 and s.ingested + s.failed == 3
    con = sqlite3.connect(db)
    got = con.execute("SELECT article_id, status, n_events FROM articles ORDER BY article_id").fetchall()
    con.close()
    assert [g[0] for g in got] == ["short-1", "short-2", "short-3"]
    # same events as the in-process pipeline
    direct = {r.id: len(r.events) for r in pipeline.extract_many(arts)}
    assert {g[0]: g[2] for g in got} == direct
    assert len(query_events(db)) <= sum(direct.values())


def test_default_start_method_forks_only_when_safe(monkeypatch):
    import threading

    from flashpoint.nlp import embed as E
    from flashpoint.scale import local

    monkeypatch.delenv("FLASHPOINT_START_METHOD", raising=False)
    monkeypatch.setattr(local.sys, "platform", "linux")
    monkeypatch.setattr(E, "sessions_started", lambda: False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert local.default_start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 3)  # e.g. a progress bar or a Dask thread
    assert local.default_start_method() == "spawn"
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(E, "sessions_started", lambda: True)  # onnxruntime already ran here
    assert local.default_start_method() == "spawn"
    monkeypatch.setenv("FLASHPOINT_START_METHOD", "fork")
    assert local.default_start_method() == "fork"
