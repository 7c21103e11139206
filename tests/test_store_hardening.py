"""Store and ingest hardening (issue #12: H4, H5, M4, M7, M9, low items): each test reproduces a defect.

Figures for docs/RELIABILITY.md ("Store and ingest") come from these tests."""
import importlib
import sqlite3
import subprocess
import sys
import time
from datetime import date

import numpy as np
import pytest
import sqlalchemy as sa

from flashpoint.model import Article, Claim, Report, Span
from flashpoint.store import counts, ingest, load_events, query_events
from flashpoint.store import db as store_db
from flashpoint.store.db import NotAFlashpointStore, Store, StoreNotFound
from flashpoint.store.identity import identity_hash
from store_helpers import art, corpus, ev, fake_extract_many

ingest_mod = importlib.import_module("flashpoint.store.ingest")  # the module (flashpoint.store.ingest is also a function)
SHELL = ("Explosions/Remote violence", "Shelling/artillery/missile attack")


def _fake_embedder(texts):
    return np.ones((len(texts), 8), dtype=np.float32)


def _rows(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# -- H4: a far-future date in a deduplicating ingest ------------------------------------------------------------

def test_year_9999_event_date_does_not_crash_dedup_ingest(tmp_path):
    """H4: "published":"9999-12-31" gave events dated 9999-12-31; the candidate date window overflowed
    (OverflowError in _candidates via warm_embeddings) and the whole run died with 0 rows."""
    a1 = Article(id="far", text="Government artillery shelled Kafr Alpha, a monitor said.", published=date.max)
    a2 = Article(id="near", text="Rebels shelled Kafr Alpha again.", published=date(2021, 5, 2))
    reps = [Report(id="far", events=[ev("x", "9999-12-31", *SHELL, "Army", "Kafr Alpha", 36.2, 37.1, 1, a1.text)]),
            Report(id="near", events=[ev("y", "9999-12-30", *SHELL, "Rebels", "Kafr Alpha", 36.2, 37.1, 1,
                                         a2.text)])]
    db = tmp_path / "far.db"
    s = ingest([a1, a2], db, extract_many=fake_extract_many(reps), embedder=_fake_embedder, batch_size=2)
    assert (s.ingested, s.failed) == (2, 0)
    assert counts(db)["events_total"] == 2


def test_date_window_is_clamped_to_the_calendar():
    from flashpoint.store.dedup import date_range, shift_date

    assert shift_date(date.max, 3) == date.max and shift_date(date.min, -3) == date.min
    assert date_range("9999-12-31", 1)[1] == "9999-12-31"


# -- H5: transient database errors are retried, never stored as failures ------------------------------------------

def _flaky_writer(monkeypatch, fail_ids, times):
    """write_article raising OperationalError ("database is locked") for ``fail_ids``, ``times`` times each."""
    real = ingest_mod.write_article
    left = {i: times for i in fail_ids}

    def write(conn, article, report, **kw):
        if left.get(article.id, 0) > 0 and report is not None:
            left[article.id] -= 1
            raise sa.exc.OperationalError("INSERT INTO events ...", {}, sqlite3.OperationalError("database is locked"))
        return real(conn, article, report, **kw)

    monkeypatch.setattr(ingest_mod, "write_article", write)
    monkeypatch.setattr(ingest_mod, "TRANSIENT_BACKOFF_S", 0.0)


def test_transient_error_retried_then_stored(tmp_path, monkeypatch):
    arts, reps = corpus()
    _flaky_writer(monkeypatch, {"a2"}, ingest_mod.TRANSIENT_RETRIES)
    s = ingest(arts, tmp_path / "r.db", extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    assert (s.ingested, s.failed, s.unrecorded) == (4, 1, 0)  # a5 is the corpus's extraction failure


def test_transient_error_leaves_article_unrecorded_and_rerun_stores_it(tmp_path, monkeypatch):
    """H5: a lock/statement timeout stored the article as failed under its hash; the rerun skipped it forever."""
    arts, reps = corpus()
    db = tmp_path / "r.db"
    _flaky_writer(monkeypatch, {"a2"}, 100)
    s1 = ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    assert (s1.ingested, s1.unrecorded) == (3, 1) and "a2: not stored" in " ".join(s1.errors)
    assert [r[0] for r in _rows(db, "SELECT article_id FROM articles ORDER BY article_id")] == ["a1", "a3", "a4", "a5"]
    monkeypatch.undo()
    s2 = ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    assert (s2.ingested, s2.skipped, s2.failed) == (1, 4, 0)
    assert _rows(db, "SELECT status FROM articles WHERE article_id='a2'") == [("ok",)]


def test_lost_connection_mid_batch_retries_the_batch(tmp_path, monkeypatch):
    """The connection dies in the middle of a batch (a database restart): the batch is written again on a new
    connection; nothing is stored as failed, nothing twice."""
    arts, reps = corpus()
    real = ingest_mod.write_article
    lost = []

    def write(conn, article, report, **kw):
        if article.id == "a2" and not lost:
            lost.append(article.id)
            conn.invalidate()
            raise sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("server closed the connection"),
                                          connection_invalidated=True)
        return real(conn, article, report, **kw)

    monkeypatch.setattr(ingest_mod, "write_article", write)
    monkeypatch.setattr(ingest_mod, "TRANSIENT_BACKOFF_S", 0.0)
    db = tmp_path / "lost.db"
    s = ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    assert lost == ["a2"] and (s.ingested, s.failed, s.unrecorded) == (4, 1, 0)
    assert _rows(db, "SELECT count(*), count(DISTINCT content_hash) FROM articles") == [(5, 5)]
    assert counts(db)["events_total"] == 4


def test_locked_sqlite_file_fails_cleanly_then_resumes(tmp_path, monkeypatch):
    """Another process holds the write lock for longer than the busy timeout: every article of the batch is
    left unrecorded (none stored as failed), and a rerun stores them all."""
    arts, reps = corpus()
    db = tmp_path / "locked.db"
    Store(db).close()
    monkeypatch.setattr(store_db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(ingest_mod, "TRANSIENT_BACKOFF_S", 0.0)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        s1 = ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (s1.ingested, s1.failed, s1.unrecorded) == (0, 5, 5)
    assert _rows(db, "SELECT count(*) FROM articles") == [(0,)]
    s2 = ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    assert (s2.ingested, s2.failed, s2.skipped) == (4, 1, 0)


def test_cli_ingest_exits_1_when_articles_are_left_unrecorded(tmp_path, monkeypatch):
    """H5/M6: the run that could not store its articles exited 0."""
    from typer.testing import CliRunner

    import flashpoint.cli  # noqa: F401 - registers the commands
    from flashpoint.cli.app import app

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "x1", "text": "Rebels shelled Kafr Alpha on Monday."}\n', encoding="utf-8")
    db = tmp_path / "cli.db"
    Store(db).close()
    monkeypatch.setattr(store_db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(ingest_mod, "TRANSIENT_BACKOFF_S", 0.0)
    monkeypatch.setenv("FLASHPOINT_INGEST_THREAD", "0")
    args = ["ingest", str(src), "--db", str(db), "--extractor", "flashpoint.scale.fake:FakeExtractor", "--no-embed",
            "--quiet"]
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        res = CliRunner().invoke(app, args)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert res.exit_code == 1 and "x1: not stored" in res.output
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and "ingested 1" in again.output


def test_nul_surrogate_and_long_claim_source_are_stored(tmp_path):
    """H5/H2: PostgreSQL refuses NUL characters and claims.source over 256 characters (SQLite took them);
    no driver encodes a lone surrogate. Text is cleaned before any write, on every database."""
    text = "Rebels attacked Kafr Alpha \ud800 on Sunday,\x00 killing 3."
    a = Article(id="nul\x00id", text=text, title="Title\x00 with NUL \udc80", source="wire\x00",
                published=date(2021, 5, 2))
    e = ev("e", "2021-05-02", *SHELL, "Rebels\x00", "Kafr Alpha", 36.2, 37.1, 3, text)
    rep = Report(id=a.id, events=[e], claims=[Claim(subject="killed", value=3, source="x" * 300,
                                                    evidence=Span(text="killing 3\x00", start=0, end=10))])
    db = tmp_path / "nul.db"
    s = ingest([a], db, extract_many=fake_extract_many([rep]), embedder=None)
    assert (s.ingested, s.failed) == (1, 0)
    title, source, aid = _rows(db, "SELECT title, source, article_id FROM articles")[0]
    assert title == "Title with NUL \ufffd" and source == "wire" and aid == "nulid"
    assert _rows(db, "SELECT length(source) FROM claims") == [(300,)]
    ev_row = _rows(db, "SELECT actor1, evidence FROM events")[0]
    assert "\x00" not in ev_row[0] + ev_row[1] and "\ufffd" in ev_row[1]
    again = ingest([a], db, extract_many=fake_extract_many([rep]), embedder=None)
    assert again.skipped == 1  # the identity of a text with a surrogate is stable


def test_lone_surrogate_in_a_deduplicating_batch(tmp_path):
    """H2 in the writer: the batch's embedding warm-up hashed the text as strict UTF-8 (UnicodeEncodeError)."""
    a1 = Article(id="s1", text="Rebels attacked Kafr Alpha \ud800 on Sunday.", published=date(2021, 5, 2))
    a2 = Article(id="s2", text="The army shelled Kafr Alpha on Sunday.", published=date(2021, 5, 2))
    reps = [Report(id=a.id, events=[ev("e", "2021-05-02", *SHELL, "Rebels", "Kafr Alpha", 36.2, 37.1, 1, a.text)])
            for a in (a1, a2)]
    s = ingest([a1, a2], tmp_path / "s.db", extract_many=fake_extract_many(reps), embedder=_fake_embedder,
               batch_size=2)
    assert (s.ingested, s.failed) == (2, 0)


def test_store_error_of_one_article_is_recorded_and_run_goes_on(tmp_path, monkeypatch):
    """A data error (not transient) is this article's failure, recorded; the others are stored."""
    arts, reps = corpus()
    real = ingest_mod.write_article

    def write(conn, article, report, **kw):
        if article.id == "a3" and report is not None:
            raise sa.exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("CHECK constraint failed"))
        return real(conn, article, report, **kw)

    monkeypatch.setattr(ingest_mod, "write_article", write)
    db = tmp_path / "d.db"
    s = ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=10)
    assert (s.ingested, s.failed, s.unrecorded) == (3, 2, 0)
    assert _rows(db, "SELECT status FROM articles WHERE article_id='a3'") == [("error",)]


# -- M4: reading never alters a database; a missing store is an error ---------------------------------------------

def _foreign(path):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('mine')")
    con.commit()
    con.close()


def _state(path):
    con = sqlite3.connect(path)
    try:
        return (sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master")),
                con.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        con.close()


def test_query_refuses_a_foreign_sqlite_file_without_touching_it(tmp_path):
    """M4: `events --db other.db` gave another application's database 9 tables and WAL mode."""
    path = tmp_path / "other.db"
    _foreign(path)
    before = _state(path)
    for call in (lambda: query_events(path), lambda: counts(path), lambda: load_events(path)):
        with pytest.raises(NotAFlashpointStore, match="not a flashpoint store"):
            call()
    with pytest.raises(NotAFlashpointStore):
        ingest([art(1, "Rebels shelled Kafr Alpha.")], path, extract_many=fake_extract_many([]), embedder=None)
    assert _state(path) == before == (["notes"], "delete")
    assert not (tmp_path / "other.db-wal").exists()


def test_events_cli_on_foreign_file_is_a_clear_error(tmp_path):
    from typer.testing import CliRunner

    from flashpoint.cli.app import app
    import flashpoint.cli  # noqa: F401 - registers the commands

    path = tmp_path / "other.db"
    _foreign(path)
    res = CliRunner().invoke(app, ["events", "--db", str(path)])
    assert res.exit_code != 0 and "not a flashpoint store" in res.output
    assert "Traceback" not in res.output and _state(path) == (["notes"], "delete")


def test_load_events_on_a_missing_path_raises_and_creates_nothing(tmp_path):
    """M4/L: load_events() on a mistyped path created an empty database and migrated it to read."""
    path = tmp_path / "typo.db"
    with pytest.raises(StoreNotFound, match="no flashpoint store"):
        load_events(path)
    assert not path.exists()


def test_reading_a_store_does_not_write_to_it(tmp_path):
    arts, reps = corpus()
    db = tmp_path / "s.db"
    ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None)
    st = Store(db, read_only=True)
    with st.engine.connect() as c:
        with pytest.raises(sa.exc.OperationalError, match="readonly|read-only|query_only|attempt to write"):
            c.exec_driver_sql("DELETE FROM event_log")
    st.close()
    assert len(query_events(db)) == 3


# -- M7: identity = id/url/source/date + text; identical copies become sources -------------------------------------

def test_corrected_reingest_with_a_publication_date_is_not_skipped(tmp_path):
    """M7: the text-only hash skipped a re-ingest that added the missing publication date."""
    text = "Rebels shelled Kafr Alpha yesterday, killing 3."
    first = Article(id="r1", text=text)
    fixed = Article(id="r1", text=text, published=date(2021, 5, 2))
    rep = Report(id="r1", events=[ev("e", "2021-05-01", *SHELL, "Rebels", "Kafr Alpha", 36.2, 37.1, 3, text)])
    db = tmp_path / "m7.db"
    ingest([first], db, extract_many=fake_extract_many([rep]), embedder=None)
    s = ingest([fixed], db, extract_many=fake_extract_many([rep]), embedder=None)
    assert (s.ingested, s.skipped) == (1, 0)
    assert {r[0] for r in _rows(db, "SELECT published FROM articles")} == {"2021-05-02", None}


@pytest.mark.parametrize("same_run", [False, True])
def test_second_outlets_identical_copy_is_recorded_as_a_source(tmp_path, same_run):
    """M7: another outlet's identical wire copy was dropped (same text hash): its source was never recorded.
    Now it is one more source of the same events, with no event duplicated."""
    arts, reps = corpus()
    copy = Article(id="other-outlet-1", text=arts[0].text, source="Other Outlet", title="t1 (copy)",
                   published=arts[0].published, url="https://other.example/1")
    db = tmp_path / f"copy{same_run}.db"
    if same_run:
        s = ingest(arts + [copy], db, extract_many=fake_extract_many(reps), embedder=None, batch_size=2)
    else:
        ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None, batch_size=2)
        s = ingest(arts + [copy], db, extract_many=fake_extract_many(reps), embedder=None)
    assert s.copies == 1 and s.failed == (1 if same_run else 0)
    c = counts(db)
    assert c["events_total"] == 4 and c["articles_ok"] == 5
    (shelling,) = [r for r in query_events(db) if r["n_sources"] > 1]
    outlets = {x["article_id"]: x["source"] for x in shelling["sources"]}
    assert outlets["other-outlet-1"] == "Other Outlet" and set(outlets) == {"a1", "a2", "other-outlet-1"}
    again = ingest([copy], db, extract_many=fake_extract_many(reps), embedder=None)
    assert again.skipped == 1 and counts(db) == c


def test_relative_dates_without_publication_date_do_not_anchor_to_today(events_of):
    """M7: without a publication date, "yesterday" was dated from the day of the run."""
    evs = events_of("Gunmen killed three villagers yesterday in the town of Kafr Nabl in Idlib province.", None)
    today = date.today()
    assert all((e.event_date or "")[:10] not in (today.isoformat(), date.fromordinal(today.toordinal() - 1)
                                                  .isoformat()) for e in evs)


# -- M9: overlapping and concurrent ingests ------------------------------------------------------------------------

def test_overlapping_ingest_meanwhile_is_skipped_not_integrity_error(tmp_path):
    """M9: an article stored by another ingest between this run's read of known hashes and its write raised a
    raw IntegrityError (UNIQUE content_hash)."""
    arts, reps = corpus()
    db = tmp_path / "o.db"
    Store(db).close()
    inner = fake_extract_many(reps)

    def racing(articles):
        items = iter(articles)
        first = next(items)
        # the other ingest stores the whole corpus while this one is extracting
        ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None)
        yield from inner([first, *items])

    s = ingest(arts, db, extract_many=racing, embedder=None, batch_size=10)
    assert (s.skipped, s.ingested, s.failed) == (5, 0, 0)
    assert counts(db)["events_total"] == 4


_OPEN_AT = ("import sys, time; from flashpoint.store.db import Store; "
            "time.sleep(max(0.0, float(sys.argv[2]) - time.time())); Store(sys.argv[1]).close()")


def test_concurrent_first_runs_on_a_new_sqlite_file(tmp_path):
    """M9: two first runs on a new file failed during schema creation (table exists / database is locked).
    Three processes open a new file at the same instant, twice."""
    for k in range(2):
        path = tmp_path / f"new{k}.db"
        start = time.time() + 2.0  # after every process has imported flashpoint
        procs = [subprocess.Popen([sys.executable, "-c", _OPEN_AT, str(path), str(start)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], [o[1][-500:] for o in outs]
        assert _rows(path, "SELECT version_num FROM alembic_version") == [("0006",)]  # the head migration


# -- low: duplicate ids, constraints, migration of an older store -------------------------------------------------

def test_duplicate_article_ids_give_distinct_event_ids(tmp_path):
    a = Article(id="dup", text="Rebels shelled Kafr Alpha.", published=date(2021, 5, 2))
    b = Article(id="dup", text="The army shelled Beta Town.", published=date(2021, 5, 2))
    reps = {0: Report(id="dup", events=[ev("e", "2021-05-01", *SHELL, "Rebels", "Kafr Alpha", 36.2, 37.1, 1,
                                           a.text)]),
            1: Report(id="dup", events=[ev("e", "2021-05-01", *SHELL, "Army", "Beta Town", 35.0, 40.5, 1, b.text)])}

    def extract_many(articles):
        for i, _a in enumerate(articles):
            yield reps[i]

    db = tmp_path / "dup.db"
    s = ingest([a, b], db, extract_many=extract_many, embedder=None, dedup=False)
    assert s.ingested == 2
    ids = [r[0] for r in _rows(db, "SELECT event_id FROM events")]
    assert len(ids) == len(set(ids)) == 2


def test_constraints_refuse_duplicates_and_orphans(tmp_path):
    arts, reps = corpus()
    db = tmp_path / "c.db"
    ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None)
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys=ON")
    ev0, pk0 = con.execute("SELECT event_id, article_pk FROM events LIMIT 1").fetchone()
    bad = [
        ("INSERT INTO event_sources (event_id, canonical_id, article_pk) VALUES (?, ?, ?)", (ev0, ev0, pk0)),
        ("UPDATE events SET merged_into = 'ev-nowhere' WHERE event_id = ?", (ev0,)),
        ("UPDATE events SET merged_into = event_id WHERE event_id = ?", (ev0,)),
        ("INSERT INTO event_sources (event_id, canonical_id, article_pk) VALUES (?, 'ev-nowhere', ?)", (ev0, pk0)),
        ("UPDATE articles SET status = 'maybe'", ()),
        ("INSERT INTO event_log (ts, op, event_id) VALUES ('2021-01-01', 'oops', 'x')", ()),
    ]
    for sql, args in bad:
        with pytest.raises(sqlite3.IntegrityError):
            con.execute(sql, args)
    con.close()


def _make_0002_store(path, arts, reps):
    """A store as the previous version wrote it: content_hash = text hash, no text_hash, no new indexes."""
    ingest(arts, path, extract_many=fake_extract_many(reps), embedder=None)
    con = sqlite3.connect(path)
    for idx in ("ix_articles_text_hash", "uq_events_article_idx", "uq_event_sources_event_article"):
        con.execute(f"DROP INDEX {idx}")
    con.execute("UPDATE articles SET content_hash = text_hash")
    con.execute("ALTER TABLE articles DROP COLUMN text_hash")
    con.execute("UPDATE alembic_version SET version_num = '0002'")
    con.commit()
    con.close()


def test_migration_0003_keeps_an_older_store_resumable(tmp_path):
    arts, reps = corpus()
    db = tmp_path / "old.db"
    _make_0002_store(db, arts, reps)
    s = ingest(arts, db, extract_many=fake_extract_many(reps), embedder=None)
    assert (s.skipped, s.ingested) == (5, 0)  # the re-keyed identities are those of the same items
    assert {r[0] for r in _rows(db, "SELECT content_hash FROM articles")} == {identity_hash(a) for a in arts}
    names = {r[0] for r in _rows(db, "SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"uq_events_article_idx", "uq_event_sources_event_article", "ix_articles_text_hash"} <= names
