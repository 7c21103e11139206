"""Issue #12 leftovers (docs/RELIABILITY.md "Leftovers"): every mode of `flashpoint events` on a database that is
not a flashpoint store, unique ids in `flashpoint extract` output, streamed exports, and a Dask worker killed
mid-ingest. Invented inputs only; no models."""
import sqlite3

import pytest
from typer.testing import CliRunner

import flashpoint.cli  # noqa: F401 - registers the commands
from flashpoint.cli.app import EXIT_USAGE, app
from flashpoint.store import ingest
from store_helpers import corpus, fake_extract_many

EVENTS_MODES = ([], ["--explain", "x"], ["--changes-since", "0"], ["--delete", "x"])


def _foreign(path):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.commit()
    con.close()


def _not_sqlite(path):
    path.write_bytes(bytes(range(256)) * 20)


@pytest.mark.parametrize("make", [_foreign, _not_sqlite], ids=["foreign", "not-sqlite"])
@pytest.mark.parametrize("mode", EVENTS_MODES, ids=["query", "explain", "changes-since", "delete"])
def test_every_events_mode_on_a_database_that_is_not_a_store_is_a_usage_error(tmp_path, make, mode):
    """--explain, --changes-since and --delete printed a NotAFlashpointStore traceback where the query path gave a
    one-line usage error."""
    path = tmp_path / "other.db"
    make(path)
    before = path.read_bytes()
    res = CliRunner().invoke(app, ["events", "--db", str(path), *mode])
    assert res.exit_code == EXIT_USAGE, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    assert "--db" in res.output and ("not a flashpoint store" in res.output or "not a SQLite database" in res.output)
    assert path.read_bytes() == before


def test_events_modes_on_a_corrupt_store_are_one_line(tmp_path):
    """A flashpoint store whose pages were overwritten: every mode fails with one line, no traceback."""
    arts, reps = corpus()
    db = tmp_path / "corrupt.db"
    ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    con.close()
    data = bytearray(db.read_bytes())
    page = 4096
    data[page:] = b"\xa5" * (len(data) - page)  # the header survives; every table page is garbage
    db.write_bytes(bytes(data))
    for mode in EVENTS_MODES:
        res = CliRunner().invoke(app, ["events", "--db", str(db), *mode])
        assert res.exit_code != 0 and isinstance(res.exception, SystemExit), (mode, res.output)
        lines = [x for x in res.output.splitlines() if x.strip()]
        assert "Traceback" not in res.output and len([x for x in lines if "rror" in x]) == 1, (mode, res.output)


# -- duplicate article ids in one `flashpoint extract` run ---------------------------------------------------------

class _EventPerArticle:
    """Stands in for the spaCy pipeline: one event per article, its id built from the article id as
    events/extract.py builds it (``<article id>-E<n>``)."""

    def extract_many(self, articles, batch_size=16):
        from flashpoint.model import Event, Report

        for a in articles:
            yield Report(id=a.id, events=[Event(event_id=f"{a.id}-E1", event_date="2021-05-01", time_precision=1,
                                                 event_type="Battles", sub_event_type="Armed clash")])


@pytest.fixture
def fake_pipeline(monkeypatch):
    import flashpoint.pipeline

    monkeypatch.setattr(flashpoint.pipeline, "default_pipeline", lambda: _EventPerArticle())


def test_extract_duplicate_article_ids_give_unique_event_ids_and_a_warning(tmp_path, fake_pipeline):
    """Two (three) input records with the same id gave the same event ids in one output."""
    import json

    src = tmp_path / "dup.jsonl"
    recs = [{"id": "dup", "text": "Rebels attacked Kafr Alpha."}, {"id": "dup", "text": "The army shelled Beta."},
            {"id": "dup#2", "text": "Rebels attacked Gamma."}, {"id": "other", "text": "Rebels attacked Delta."},
            {"id": "dup", "text": "Rebels attacked Epsilon."}]
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(src), "--quiet"])
    assert res.exit_code == 0, res.output  # a warning, not a failure
    out = [json.loads(x) for x in res.stdout.splitlines()]
    ids = [r["id"] for r in out]
    assert ids == ["dup", "dup#2", "dup#2#2", "other", "dup#3"]
    event_ids = [e["event_id"] for r in out for e in r["events"]]
    assert len(event_ids) == len(set(event_ids)) == 5
    assert out[0]["errors"] == [] and out[3]["errors"] == []
    assert "already used" in out[1]["errors"][0] and ": warning: " in out[1]["errors"][0]
    assert res.stderr.count("already used") == 3


def test_extract_many_duplicate_ids_give_unique_event_ids(fake_pipeline):
    import flashpoint

    df = flashpoint.extract_many([{"id": "x", "text": "a"}, {"id": "x", "text": "b"}, "c"])
    assert list(df["article_id"]) == ["x", "x#2", "article-2"]
    assert df["event_id"].is_unique
    assert [e for e in df.attrs["errors"] if "already used" in e] and len(df.attrs["errors"]) == 1


# -- a Dask worker killed mid-ingest -------------------------------------------------------------------------------

DASK_N = 120
DASK_DELAY_S = "0.05"  # seconds per article in the workers: long enough to kill one in the middle of a batch


def _snapshot(db):
    con = sqlite3.connect(db)
    try:
        return (con.execute("SELECT article_id, content_hash, status, n_events FROM articles ORDER BY 1").fetchall(),
                con.execute("SELECT event_id FROM events ORDER BY 1").fetchall(),
                con.execute("SELECT s.event_id, a.article_id FROM event_sources s JOIN articles a "
                            "ON a.id = s.article_pk ORDER BY 1, 2").fetchall())
    finally:
        con.close()


def _kill_a_busy_worker(client, db, deadline_s: float) -> int:
    """SIGKILL the process of a worker that is running a batch, once some articles are stored. Returns its pid."""
    import os
    import signal
    import time

    deadline = time.time() + deadline_s
    while time.time() < deadline:
        busy = [w for w, keys in client.processing().items() if keys]
        if busy and db.exists() and _stored(db) >= 20:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            return pid
        time.sleep(0.02)
    raise AssertionError("no busy worker to kill")


def _stored(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_dask_worker_killed_mid_ingest_loses_and_duplicates_nothing(tmp_path, monkeypatch):
    """Item 4: a Dask worker process killed (SIGKILL) while it extracts a batch. The scheduler gives the batch to
    another worker; the ingest finishes with every article once, and a rerun skips them all: the store equals
    one uninterrupted single-process run."""
    import threading

    distributed = pytest.importorskip("distributed")
    from flashpoint.scale.fake import FakeExtractor, synthetic_articles

    arts = synthetic_articles(DASK_N, seed=11, fail_every=47)
    ref = tmp_path / "ref.db"
    ingest(arts, ref, extract_many=FakeExtractor(delay=0).extract_many, embedder=None, batch_size=8)
    monkeypatch.setenv("FLASHPOINT_FAKE_DELAY", DASK_DELAY_S)  # the worker processes inherit it
    db = tmp_path / "dask.db"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        result = {}
        run = threading.Thread(target=lambda: result.update(stats=ingest(
            arts, db, scheduler=cluster.scheduler_address, extractor="flashpoint.scale.fake:FakeExtractor",
            embedder=None, batch_size=8)))
        run.start()
        killed = _kill_a_busy_worker(client, db, deadline_s=120)
        run.join(timeout=240)
        assert not run.is_alive() and "stats" in result, "the ingest did not finish after a worker was killed"
        s = result["stats"]
        assert killed and (s.ingested + s.failed, s.unrecorded) == (DASK_N, 0)
        rerun = ingest(arts, db, scheduler=cluster.scheduler_address, extractor="flashpoint.scale.fake:FakeExtractor",
                       embedder=None, batch_size=8)
    assert (rerun.skipped, rerun.ingested) == (DASK_N, 0)
    got = _snapshot(db)
    assert len({a[1] for a in got[0]}) == len(got[0]) and len(set(got[1])) == len(got[1])
    assert got == _snapshot(ref)


# -- exports streamed, not held in memory ---------------------------------------------------------------------------

@pytest.fixture
def store_rows(tmp_path):
    from flashpoint.store import query_events

    arts, reps = corpus()
    db = tmp_path / "s.db"
    ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None)
    return db, query_events(db, statuses="all")


@pytest.mark.parametrize("fmt", ["json", "acled-csv", "plover", "cameo", "geojson"])
def test_exports_are_written_while_the_rows_are_read(store_rows, fmt):
    """`flashpoint events` exports built every row in memory before writing the first: the rows are now written
    as they come (the first is in the output before the last is read)."""
    import io

    from flashpoint.export.formats import write_events

    _db, rows = store_rows
    assert len(rows) >= 3
    out = io.StringIO()
    seen_when_last_read = []

    def rows_one_by_one():
        for i, r in enumerate(rows):
            if i == len(rows) - 1:
                seen_when_last_read.append(out.getvalue())
            yield r

    write_events(rows_one_by_one(), fmt, out, statuses="all")
    assert rows[0]["event_id"][:8] in seen_when_last_read[0] or "SYR" in seen_when_last_read[0]
    assert len(seen_when_last_read[0]) > 0 and len(out.getvalue()) > len(seen_when_last_read[0])


def test_streamed_json_and_geojson_are_the_documents_json_dump_writes(store_rows):
    import io
    import json
    import warnings

    from flashpoint.export.formats import _json_row, _jsonable, geojson, write_events

    _db, rows = store_rows
    for fmt in ("json", "geojson"):
        out = io.StringIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            write_events(iter(rows), fmt, out, statuses="all")
            want = io.StringIO()
            doc = [_json_row(r) for r in rows] if fmt == "json" else geojson(rows)
            json.dump(doc, want, ensure_ascii=False, indent=1 if fmt == "json" else None, default=_jsonable)
        assert out.getvalue() == want.getvalue() + "\n"
    empty = io.StringIO()
    write_events(iter([]), "json", empty)
    assert json.loads(empty.getvalue()) == []


def test_iter_events_reads_in_chunks_and_equals_query_events(store_rows):
    from flashpoint.store.query import iter_events

    db, rows = store_rows
    it = iter_events(db, statuses="all", chunk_size=1)
    assert not isinstance(it, list)
    assert list(it) == rows  # sources and alternatives attached chunk by chunk: the same
    assert list(iter_events(db, statuses="all", chunk_size=2, limit=2)) == rows[:2]
    with pytest.raises(ValueError):
        iter_events(db, limit=-1)  # checked at the call, not when the first row is read
