"""CLI and API conventions (issue 12: M2, M3, M6, L, item 5): exit codes 0/1/2, one-line errors (tracebacks only
with --debug), untrusted text never read as Rich markup, per-line errors in classify/geoparse, validated filters,
atomic -o, -h/--version/flags, one settings object for every FLASHPOINT_* variable, the DataFrame API.

Invented inputs only; the store tests use hand-built reports (no models) unless a test says otherwise."""
from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from flashpoint.cli import app
from flashpoint.model import Actor, Article, Event, Location, Report, Span

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "flashpoint"
runner = CliRunner()
FAKE = ["--extractor", "flashpoint.scale.fake:FakeExtractor", "--no-embed", "--quiet"]
HOSTILE = "[/x] [link=http://evil.example]click me[/link]"


def _no_traceback(res) -> None:
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit), \
        res.output


# ------------------------------------------------------------------ M2: untrusted text is never Rich markup
def _hostile_report() -> Report:
    ev = Event(event_id="h[/x]-E1", event_date="2016-03-0[/x]", event_type="Battles", sub_event_type="Armed clash",
               actor1=HOSTILE, location=Location(name="[/b]Idlib", lat=35.9, lon=36.6, country="SY"),
               evidence=Span(text="Rebels [/x] attacked.", start=0, end=21))
    return Report(id="h[/x]", title=HOSTILE, events=[ev],
                  errors=[f"h[/x]: warning: {HOSTILE}"])


@pytest.fixture
def hostile_extract(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    Path("in.txt").write_text("stands for the hand-built report", encoding="utf-8")
    monkeypatch.setattr("flashpoint.cli.extract.iter_reports", lambda inputs, pub, bs: iter([_hostile_report()]))


def test_markup_in_titles_and_cells_is_printed_literally(hostile_extract):
    res = runner.invoke(app, ["extract", "in.txt", "-f", "table"])
    assert res.exit_code == 0, res.output
    _no_traceback(res)
    flat = re.sub(r"[\s│┃]+", " ", res.stdout)
    assert "[link=http://evil.example]click me[/link]" in flat  # shown as text, so no hyperlink is made
    assert "[/x]" in flat and "\x1b]8;" not in res.stdout  # no OSC-8 hyperlink escape


def test_markup_in_errors_is_printed_literally(hostile_extract):
    res = runner.invoke(app, ["extract", "in.txt"])
    assert res.exit_code == 0, res.output  # a warning is not a failure
    assert f"warning h[/x]: warning: {HOSTILE}" in res.stderr


def test_events_table_prints_markup_literally(store_db):
    res = runner.invoke(app, ["events", "--db", store_db, "-f", "table", "--status", "all"])
    assert res.exit_code == 0, res.output
    assert "[/x]" in res.stdout and "[link=http://evil.example]" in re.sub(r"[\s│]+", "", res.stdout)


# ------------------------------------------------------------------ M3: classify and geoparse, line by line
BAD_LINES = [
    json.dumps({"id": "g1", "text": "Government warplanes bombed a market in Idlib, killing 12."}),
    "{oops",
    json.dumps({"id": "notext"}),
    json.dumps(["a", "list"]),
    json.dumps({"text": "Rebels shelled an army post near Aleppo."}),
    json.dumps({"id": "span", "text": "Clashes in Homs.", "toponyms": [{"start": -5, "end": 500}]}),
    json.dumps({"id": "rev", "text": "Clashes in Homs.", "toponyms": [{"start": 15, "end": 11}]}),
    json.dumps({"id": "ok-span", "text": "Clashes in Homs.", "toponyms": [{"start": 11, "end": 15}]}),
]


def _jsonl(tmp_path, lines) -> str:
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(p)


def _rows(res) -> list[dict]:
    return [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]


@pytest.mark.slow
def test_classify_bad_lines_are_per_line_errors_and_ids_hold_with_batch_size_1(tmp_path):
    res = runner.invoke(app, ["classify", _jsonl(tmp_path, BAD_LINES), "--batch-size", "1"])
    assert res.exit_code == 1, res.output
    _no_traceback(res)
    rows = _rows(res)
    assert len(rows) == len(BAD_LINES)  # one output line per input line, in order
    name = str(tmp_path / "in.jsonl")
    assert [r["id"] for r in rows] == ["g1", f"{name}:2", "notext", f"{name}:4", f"{name}:5", "span", "rev",
                                       "ok-span"]
    assert [bool(r.get("errors")) for r in rows] == [False, True, True, True, False, False, False, False]
    assert "missing or empty 'text'" in rows[2]["errors"][0]  # not labelled "none"
    assert rows[0]["sub_event_type"] and "sub_event_type" not in rows[2]


@pytest.mark.slow
def test_classify_records_without_ids_get_their_input_position():
    from flashpoint.events.classify import classify_records

    recs = [{"text": "Rebels shelled an army post."}, {"text": "Police arrested ten protesters."},
            {"id": "x", "text": "Talks were held."}]
    assert [r["id"] for r in classify_records(recs, batch_size=1)] == [0, 1, "x"]


@pytest.mark.slow
def test_geoparse_bad_lines_and_bad_spans(tmp_path):
    path = _jsonl(tmp_path, BAD_LINES)
    res = runner.invoke(app, ["geoparse", path, "--given-spans", "--country", "Syria"])
    assert res.exit_code == 1, res.output
    rows = _rows(res)
    assert [r["id"] for r in rows][-3:] == ["span", "rev", "ok-span"] and len(rows) == len(BAD_LINES)
    assert "span -5..500 is not inside the text" in rows[5]["errors"][0]
    assert "span 15..11" in rows[6]["errors"][0]
    assert [t["name"] for t in rows[7]["toponyms"]] == ["Homs"]
    res = runner.invoke(app, ["geoparse", path])  # without --given-spans the spans are not read
    assert res.exit_code == 1 and len(_rows(res)) == len(BAD_LINES)
    assert any(t["name"] == "Idlib" for t in _rows(res)[0]["toponyms"])


# ------------------------------------------------------------------ M6 and exit codes
def test_ingest_exit_codes_and_mistyped_path(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "a", "text": "Rebels shelled Idlib on Monday.", "published": "2016-03-01"})
                    + "\n", encoding="utf-8")
    db = str(tmp_path / "x.db")
    for _ in range(2):  # the second run is the same: not "skipped 1"
        res = runner.invoke(app, ["ingest", str(good), str(tmp_path / "tpyo.jsonl"), "--db", db, *FAKE])
        assert res.exit_code == 2 and "no such file or directory" in res.output and "tpyo.jsonl" in res.output
    assert not Path(db).exists()  # nothing was started
    assert runner.invoke(app, ["ingest", str(good), "--db", db, *FAKE]).exit_code == 0
    assert runner.invoke(app, ["ingest", str(good), "--db", db, *FAKE]).exit_code == 0  # skipped: still ok
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(bad), "--db", db, *FAKE])
    assert res.exit_code == 1 and "malformed JSON" in res.output


def test_extract_missing_input_and_bad_output_are_usage_errors(tmp_path):
    assert runner.invoke(app, ["extract", str(tmp_path / "nope.txt")]).exit_code == 2
    (tmp_path / "a.txt").write_text("Troops shelled the village.", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "dir" / "o.json")])
    assert res.exit_code == 2 and "does not exist" in res.output
    res = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path)])
    assert res.exit_code == 2 and "is a directory" in res.output


# ------------------------------------------------------------------ L: one-line errors, no tracebacks
def _one_line_error(res, code: int, *needles: str) -> None:
    assert res.exit_code == code, res.output
    assert isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    for n in needles:
        assert n in res.output, res.output


def test_bad_db_values(tmp_path):
    good = tmp_path / "g.jsonl"
    good.write_text(json.dumps({"id": "a", "text": "Rebels shelled Idlib."}) + "\n", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["ingest", str(good), "--db", str(tmp_path / "no" / "x.db"), *FAKE]), 2,
                    "does not exist")
    _one_line_error(runner.invoke(app, ["ingest", str(good), "--db", "foo://x/y", *FAKE]), 2, "bad database URL")
    notdb = tmp_path / "not.db"
    notdb.write_text("not a database, a text file\n" * 100, encoding="utf-8")
    _one_line_error(runner.invoke(app, ["events", "--db", str(notdb)]), 2, "is not a SQLite database")


def test_unreachable_postgres_is_one_line_without_the_password(tmp_path):
    pytest.importorskip("psycopg2")
    good = tmp_path / "g.jsonl"
    good.write_text(json.dumps({"id": "a", "text": "Rebels shelled Idlib."}) + "\n", encoding="utf-8")
    url = "postgresql://someone:s3cretpw@127.0.0.1:1/nodb"  # port 1: connection refused at once
    res = runner.invoke(app, ["ingest", str(good), "--db", url, *FAKE])
    _one_line_error(res, 1, "database error")
    assert "s3cretpw" not in res.output


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    from flashpoint.store import open_store

    db = tmp_path / "s.db"
    open_store(str(db))  # an empty flashpoint store

    def broken(*a, **k):
        raise RuntimeError("the query broke")

    monkeypatch.setattr("flashpoint.store.query.iter_events", broken)
    res = runner.invoke(app, ["--debug", "events", "--db", str(db)])
    assert res.exit_code == 1 and isinstance(res.exception, RuntimeError)  # the exception itself propagates


def test_bad_scheduler_and_bad_environment(tmp_path, monkeypatch):
    good = tmp_path / "g.jsonl"
    good.write_text(json.dumps({"id": "a", "text": "Rebels shelled Idlib."}) + "\n", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["ingest", str(good), "--db", str(tmp_path / "d.db"), "--scheduler",
                                        "nonsense", *FAKE]), 2, "scheduler address")
    monkeypatch.setenv("FLASHPOINT_ORT_THREADS", "many")
    _one_line_error(runner.invoke(app, ["events", "--db", str(tmp_path / "d.db")]), 2, "FLASHPOINT_ORT_THREADS")


def test_disk_full_is_one_line(tmp_path, hostile_extract):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    _one_line_error(runner.invoke(app, ["extract", "in.txt", "-o", "/dev/full"]), 1, "No space left on device")


def test_crashed_run_keeps_the_previous_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("in.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous run\n", encoding="utf-8")

    def crash(inputs, pub, bs):
        yield _hostile_report()
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("flashpoint.cli.extract.iter_reports", crash)
    res = runner.invoke(app, ["extract", "in.txt", "-o", str(out)])
    _one_line_error(res, 1, "Input/output error")
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.jsonl"]  # no temp file left
    monkeypatch.setattr("flashpoint.cli.extract.iter_reports", lambda i, p, b: iter([_hostile_report()]))
    assert runner.invoke(app, ["extract", "in.txt", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "h[/x]"


# ------------------------------------------------------------------ events filters
@pytest.fixture
def store_db(tmp_path):
    """A store with three invented events: literal % and _ in actor names, hostile markup in one."""
    from flashpoint.store import ingest

    def rep(i: int, actor: str, day: str) -> Report:
        text = f"Article {i}: {actor} attacked a post on {day}."
        ev = Event(event_id=f"a{i}-E1", event_date=day, event_type="Battles", sub_event_type="Armed clash",
                   actor1=actor, location=Location(name="Idlib", lat=35.9 + i, lon=36.6, country="SY",
                                                   admin1="Idlib"),
                   evidence=Span(text=text, start=0, end=len(text)))
        return Report(id=f"a{i}", events=[ev], actors=[Actor(name=actor)])

    reps = [rep(1, "100% Brigade", "2016-03-01"), rep(2, "Rebels_North", "2016-03-05"), rep(3, HOSTILE, "2016-04-01")]
    arts = [Article(id=r.id, text=r.events[0].evidence.text, published=date(2016, 4, 2)) for r in reps]
    path = tmp_path / "e.db"
    ingest(arts, path, extract_many=lambda a: (next(r for r in reps if r.id == x.id) for x in a), embedder=None,
           dedup=False)
    return str(path)


def _events(db: str, *args: str) -> list[dict]:
    res = runner.invoke(app, ["events", "--db", db, "-f", "json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_events_filters_are_validated(store_db):
    assert len(_events(store_db)) == 3
    assert _events(store_db, "--limit", "0") == []
    assert len(_events(store_db, "--limit", "2")) == 2
    assert [e["actor1"] for e in _events(store_db, "--actor", "%")] == ["100% Brigade"]
    assert [e["actor1"] for e in _events(store_db, "--actor", "_")] == ["Rebels_North"]
    assert len(_events(store_db, "--country", "Syria")) == len(_events(store_db, "--country", "SYR")) == 3
    assert len(_events(store_db, "--since", "2016-03-02", "--until", "2016-03-31")) == 1
    for args, hint in ((["--country", "Narnia"], "Narnia"), (["--since", "2016-13-01"], "2016-13-01"),
                       (["--until", "yesterday"], "yesterday"), (["--limit", "-1"], "--limit"),
                       (["--bbox", "1,2,x,4"], "bbox"), (["--modified-since", "garbage"], "--modified-since"), (["--since", "2016-05-01", "--until", "2016-04-01"],
                                                         "after")):
        res = runner.invoke(app, ["events", "--db", store_db, *args])
        assert res.exit_code == 2 and hint in res.output, (args, res.output)


def test_country_codes():
    from flashpoint.store.query import country_code

    assert [country_code(c) for c in ("SY", "syr", "Syria", "Mexico", "MEX", "Kosovo", "Russia")] == [
        "SY", "SY", "SY", "MX", "MX", "XK", "RU"]
    with pytest.raises(ValueError, match="unknown country"):
        country_code("Narnia")


@pytest.mark.slow
def test_gazetteer_lookup_country_by_name():
    by_name = runner.invoke(app, ["gazetteer", "lookup", "Tijuana", "--country", "Mexico"])
    by_code = runner.invoke(app, ["gazetteer", "lookup", "Tijuana", "--country", "MX"])
    assert by_name.exit_code == 0 and json.loads(by_name.stdout)["country"] == "MX"
    assert by_name.stdout == by_code.stdout
    assert runner.invoke(app, ["gazetteer", "lookup", "Tijuana", "--country", "Narnia"]).exit_code == 2


# ------------------------------------------------------------------ item 5: help, version, flags, progress
def _command_paths(cmd: click.Command, prefix=()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, sub in getattr(cmd, "commands", {}).items():
        out += _command_paths(sub, prefix + (name,))
    return out


def test_every_command_has_h_and_help_and_shows_flags_as_flags():
    paths = _command_paths(typer.main.get_command(app))
    assert len(paths) >= 10
    for path in paths:
        for opt in ("-h", "--help"):
            res = runner.invoke(app, [*path, opt])
            assert res.exit_code == 0 and "Usage:" in res.output, (path, opt, res.output)
            assert "<bool>" not in res.output, (path, res.output)
    ingest_help = runner.invoke(app, ["ingest", "-h"]).output
    assert re.search(r"--no-dedup\s+Do not merge", ingest_help)


def test_version():
    from flashpoint import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"flashpoint {__version__}"


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    from flashpoint.cli.common import progress_bar, show_progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert show_progress() is False
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert show_progress() is True and show_progress(quiet=True) is False
    with progress_bar("x", enabled=False) as ticker:
        ticker.advance(3)
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------ item 5: one settings object
def _env_names_in_source() -> set[str]:
    names = set()
    for p in SRC.rglob("*.py"):
        names |= set(re.findall(r"FLASHPOINT_[A-Z][A-Z0-9_]*", p.read_text(encoding="utf-8")))
    return names - {"FLASHPOINT_"}


def test_every_environment_variable_is_a_setting_read_one_way():
    from flashpoint.settings import Settings, env_name

    fields = {env_name(f) for f in Settings.model_fields}
    assert len(fields) >= 17
    assert _env_names_in_source() <= fields
    for p in SRC.rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        assert not re.search(r"(environ\.get|getenv|environ\[)\(?\s*[\"']FLASHPOINT_", text), p
        assert not re.search(r"environ\.get\((ENV|MODEL_ENV|ENV_EXTRA)\b", text), p


def test_readme_documents_every_environment_variable():
    from flashpoint.settings import Settings, env_name

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"^## Environment variables\n(.*?)(?=^## )", readme, flags=re.S | re.M)
    assert table, "README.md has no '## Environment variables' section"
    missing = [env_name(f) for f in Settings.model_fields if f"`{env_name(f)}`" not in table.group(1)]
    assert not missing


def test_settings_validate_and_follow_the_environment(monkeypatch):
    from flashpoint.settings import SettingsError, settings

    monkeypatch.setenv("FLASHPOINT_ORT_THREADS", "3")
    monkeypatch.setenv("FLASHPOINT_TRIAGE", "yes")
    monkeypatch.setenv("FLASHPOINT_DB", "")  # empty counts as unset
    s = settings()
    assert s.ort_threads == 3 and s.triage is True and s.db is None
    monkeypatch.setenv("FLASHPOINT_ORT_THREADS", "4")
    assert settings().ort_threads == 4
    monkeypatch.setenv("FLASHPOINT_START_METHOD", "teleport")
    with pytest.raises(SettingsError, match="FLASHPOINT_START_METHOD"):
        settings()


# ------------------------------------------------------------------ item 5: the DataFrame API
def test_load_events_refuses_a_missing_path(tmp_path):
    import flashpoint

    with pytest.raises(FileNotFoundError):
        flashpoint.load_events(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_load_events_is_a_dataframe(store_db):
    import flashpoint

    df = flashpoint.load_events(store_db, actor="%")
    assert list(df["actor1"]) == ["100% Brigade"] and "sources" in df.columns


@pytest.mark.slow
def test_extract_many_is_a_dataframe():
    import pandas as pd

    import flashpoint

    df = flashpoint.extract_many(["Government warplanes bombed a market in Idlib on Monday, killing 12.",
                                  {"id": "d", "text": "Rebels attacked an army checkpoint near Aleppo on Sunday.",
                                   "published": "2016-03-02"}, {"id": "empty"}], published="2016-03-01")
    assert isinstance(df, pd.DataFrame)
    assert set(df["article_id"]) == {"article-0", "d"}
    assert list(df.columns[:2]) == ["article_id", "title"] and {"lat", "lon", "status", "evidence"} <= set(df)
    assert any(e.startswith("article-2: not an article") for e in df.attrs["errors"])
