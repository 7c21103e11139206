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
