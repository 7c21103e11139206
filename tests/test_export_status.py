"""Non-asserted events (hypothetical, historical, denied) are out of the event-row outputs by default;
``--status`` / ``statuses=`` brings them back, and every format carries a status column."""
import csv
import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from flashpoint.cli import app
from flashpoint.export.acled import ACLED_COLUMNS, ACLED_CSV_COLUMNS, report_rows, write_acled_csv
from flashpoint.export.common import ExportWarning
from flashpoint.export.formats import CAMEO_COLUMNS, FORMATS, write_events
from flashpoint.export.status import STATUSES, parse_statuses, select_events
from flashpoint.store import ingest, query_events
from status_helpers import ARTICLES, ASSERTED, articles, report_for

runner = CliRunner()
NON_ASSERTED = {"hypothetical", "historical", "denied"}
TEXT_FORMATS = [f for f in FORMATS if f != "parquet"]


def _mixed_report():
    """One invented report with an event of each status (s1..s5 of status_helpers, in one article)."""
    reps = [report_for(a) for a in articles()]
    return reps[0].model_copy(update={"events": [r.events[0] for r in reps]})


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("status") / "fp.db"
    reps = {a.id: report_for(a) for a in articles()}
    ingest(articles(), path, extract_many=lambda arts: (reps[a.id] for a in arts), embedder=None)
    return path


def test_parse_statuses():
    assert parse_statuses(None) == {"reported", "claimed"}
    assert parse_statuses([]) == {"reported", "claimed"}
    assert parse_statuses("all") == set(STATUSES)
    assert parse_statuses(["historical,denied"]) == parse_statuses(["historical", "denied"]) == {"historical",
                                                                                                 "denied"}
    assert parse_statuses(" Reported ") == {"reported"}
    with pytest.raises(ValueError, match="unknown status rumoured"):
        parse_statuses("reported,rumoured")


def test_select_events_keeps_order():
    evs = _mixed_report().events
    assert [e.status for e in select_events(evs)] == ["reported", "claimed"]
    assert [e.event_id for e in select_events(evs, "all")] == [e.event_id for e in evs]
    assert [e.status for e in select_events(evs, ["denied"])] == ["denied"]


def test_report_rows_drop_non_asserted_by_default():
    rep = _mixed_report()
    assert {e.status for e in rep.events} == set(STATUSES)
    assert [r["status"] for r in report_rows(rep, timestamp=1)] == ["reported", "claimed"]
    assert len(report_rows(rep, timestamp=1, statuses="all")) == 5
    assert [r["status"] for r in report_rows(rep, timestamp=1, statuses="historical")] == ["historical"]


def test_acled_csv_status_is_the_column_after_acleds_31():
    buf = io.StringIO()
    write_acled_csv(report_rows(_mixed_report(), timestamp=1, statuses="all"), buf)
    got = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(got[0]) == list(ACLED_COLUMNS) + ["status"] == list(ACLED_CSV_COLUMNS)
    assert [r["status"] for r in got] == ["reported", "claimed", "hypothetical", "historical", "denied"]
    assert "status=hypothetical" in got[2]["tags"]  # still in tags too, but not only there


def test_query_events_filters_in_the_database(db):
    assert {r["status"] for r in query_events(db)} == ASSERTED
    assert len(query_events(db, statuses="all")) == len(ARTICLES)
    assert [r["status"] for r in query_events(db, statuses=["historical"])] == ["historical"]
    # the limit applies after the status filter: two asserted events, not the first two by date
    assert {r["status"] for r in query_events(db, limit=2)} == ASSERTED


def _write(rows, fmt, statuses=None):
    buf = io.StringIO()
    n = write_events(rows, fmt, buf, statuses=statuses)
    return n, buf.getvalue()


def _statuses_in(fmt: str, text: str) -> list[str]:
    if fmt == "acled-csv":
        return [r["status"] for r in csv.DictReader(io.StringIO(text))]
    if fmt == "cameo":
        return [r["status"] for r in csv.DictReader(io.StringIO(text), delimiter="\t")]
    if fmt == "plover":
        return [json.loads(line)["status"] for line in text.splitlines()]
    if fmt == "geojson":
        return [f["properties"]["status"] for f in json.loads(text)["features"]]
    if fmt == "json":
        return [r["status"] for r in json.loads(text)]
    return [s for s in STATUSES if s in text]  # table: which statuses are printed


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_every_format_drops_non_asserted_by_default_and_has_status(db, fmt):
    rows = query_events(db, statuses="all")
    n, text = _write(rows, fmt)
    assert n == 2 and sorted(_statuses_in(fmt, text)) == sorted(ASSERTED)
    if fmt == "plover":  # PLOVER records only asserted events, whatever the selection (test_exports_spec)
        with pytest.warns(ExportWarning, match="3 denied, hypothetical or historical"):
            n, text = _write(rows, fmt, statuses="all")
        assert n == 2 and sorted(_statuses_in(fmt, text)) == sorted(ASSERTED)
        return
    n, text = _write(rows, fmt, statuses="all")
    assert n == 5 and sorted(_statuses_in(fmt, text)) == sorted(STATUSES)


def test_table_and_cameo_have_a_status_column(db):
    assert "status" in CAMEO_COLUMNS
    header = _write(query_events(db), "table")[1].splitlines()[1]
    assert "status" in header


def test_parquet_status_column(db, tmp_path):
    rows = query_events(db, statuses="all")
    p = tmp_path / "ev.parquet"
    assert write_events(rows, "parquet", p) == 2
    assert set(pd.read_parquet(p)["status"]) == ASSERTED
    assert write_events(rows, "parquet", p, statuses="all") == 5
    assert set(pd.read_parquet(p)["status"]) == set(STATUSES)


def test_ingest_events_acled_csv_round_trip(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(a.model_dump_json() + "\n" for a in articles()), encoding="utf-8")
    dbp = str(tmp_path / "rt.db")
    r = runner.invoke(app, ["ingest", str(src), "--db", dbp, "--extractor", "status_helpers:StatusExtractor",
                            "--no-embed", "--quiet", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout.strip().splitlines()[-1])["events"] == len(ARTICLES)

    def export(*extra):
        res = runner.invoke(app, ["events", "--db", dbp, "--format", "acled-csv", *extra])
        assert res.exit_code == 0, res.output
        return list(csv.DictReader(io.StringIO(res.stdout)))

    default = export()
    assert len(default) == 2 and not {r["status"] for r in default} & NON_ASSERTED
    assert not any("status=hypothetical" in r["tags"] or "status=historical" in r["tags"] for r in default)
    assert sorted(r["status"] for r in export("--status", "all")) == sorted(STATUSES)
    assert sorted(r["status"] for r in export("--status", "historical,denied")) == ["denied", "historical"]
    assert sorted(r["status"] for r in export("--status", "historical", "--status", "denied")) == [
        "denied", "historical"]
    out = tmp_path / "e.geojson"
    r = runner.invoke(app, ["events", "--db", dbp, "--format", "geojson", "-o", str(out)])
    assert r.exit_code == 0 and "2 events" in r.output
    assert {f["properties"]["status"] for f in json.loads(out.read_text())["features"]} == ASSERTED
    r = runner.invoke(app, ["events", "--db", dbp, "--status", "rumoured"])
    assert r.exit_code != 0 and "unknown status" in r.output


@pytest.fixture
def fake_extract(monkeypatch, tmp_path):
    """``flashpoint extract`` on hand-built reports (no models)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("stands for the hand-built report", encoding="utf-8")  # inputs must exist
    monkeypatch.setattr("flashpoint.cli.extract.iter_reports", lambda inputs, pub, bs: iter([_mixed_report()]))


def test_extract_acled_csv_and_table_default_and_all(fake_extract, tmp_path):
    res = runner.invoke(app, ["extract", "x.txt", "--format", "acled-csv"])
    assert res.exit_code == 0, res.output
    assert [r["status"] for r in csv.DictReader(io.StringIO(res.stdout))] == ["reported", "claimed"]
    res = runner.invoke(app, ["extract", "x.txt", "--format", "acled-csv", "--status", "all"])
    assert len(list(csv.DictReader(io.StringIO(res.stdout)))) == 5
    out = tmp_path / "t.txt"
    res = runner.invoke(app, ["extract", "x.txt", "--format", "table", "-o", str(out)])
    table = out.read_text()
    assert res.exit_code == 0 and "claimed" in table and not NON_ASSERTED & set(table.split())
    assert "3 event(s) of other statuses not shown" in table
    runner.invoke(app, ["extract", "x.txt", "--format", "table", "-o", str(out), "--status", "all"])
    assert NON_ASSERTED <= set(out.read_text().split())


def test_extract_json_keeps_every_event_with_its_status(fake_extract):
    res = runner.invoke(app, ["extract", "x.txt"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout.splitlines()[0])
    assert [e["status"] for e in report["events"]] == ["reported", "claimed", "hypothetical", "historical",
                                                       "denied"]
    assert runner.invoke(app, ["extract", "x.txt", "--format", "acled-csv", "--status", "bogus"]).exit_code != 0
