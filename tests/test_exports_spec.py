"""Exports to spec (issue 12, item 7): GeoParquet typed and stable, GeoJSON without coordinate-less features,
ACLED CSV as ACLED's codebook has it, PLOVER JSONL as the PLOVER manual has it, and the flashpoint version in
every output. Invented rows shaped as ``flashpoint.store.query_events`` returns them; no models are loaded."""
from __future__ import annotations

import csv
import io
import json
import re
import struct
from datetime import date, datetime, timezone

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import flashpoint
from flashpoint.cli import app
from flashpoint.export.acled import ACLED_CSV_COLUMNS, event_row, report_rows, write_acled_csv
from flashpoint.export.common import ExportWarning, neutralise_formula, outlet
from flashpoint.export.formats import write_events
from flashpoint.export.parquet import GEOMETRY_COLUMN, PARQUET_SCHEMA
from flashpoint.export.plover import codebook, plover_event
from flashpoint.model import Actor, Event, Location, Report, Span

VERSION = flashpoint.__version__
ACLED_ID = re.compile(r"^[A-Z]{3}\d+$")
runner = CliRunner()


def row(eid="e1", **kw) -> dict:
    """One stored-event row as query_events returns it (all columns, plus sources/n_sources/alternatives)."""
    base = {c: None for c in (f.name for f in PARQUET_SCHEMA) if c != GEOMETRY_COLUMN}
    base.update(event_id=eid, idx=0, event_date="2015-10-27", time_precision=1, event_type="Battles",
                sub_event_type="Armed clash", disorder_type="Political violence", cameo_code="190",
                plover_type="ASSAULT", plover_mode="firearms", actor1="Military Forces of Syria", assoc_actor_1=[],
                inter1=1, actor2="Syrian rebels", assoc_actor_2=[], inter2=2, location="Kafr Test", lat=36.2,
                lon=37.1, country="SY", admin1="Aleppo", geo_precision=1, fatalities=4, status="reported",
                evidence="Troops clashed with rebels in Kafr Test.", confidence=0.7,
                created_at=datetime(2021, 5, 2, tzinfo=timezone.utc),
                last_modified=datetime(2021, 5, 2, tzinfo=timezone.utc),
                sources=[{"article_id": "a1", "source": "wire", "url": "https://example.org/1", "title": "t"}],
                n_sources=1, alternatives={})
    base.update(kw)
    return base


def text_of(rows, fmt, **kw) -> str:
    buf = io.StringIO()
    write_events(rows, fmt, buf, **kw)
    return buf.getvalue()


# ---------------------------------------------------------------- GeoParquet


def _parquet(rows, tmp_path, name="ev.parquet"):
    p = tmp_path / name
    write_events(rows, "parquet", p, statuses="all")
    return p


def test_parquet_columns_are_typed(tmp_path):
    p = _parquet([row(), row("e2", fatalities=None, event_date=None, lat=None, lon=None)], tmp_path)
    schema = pq.read_schema(p)
    assert schema.field("event_date").type == pa.date32()
    assert schema.field("fatalities").type == pa.int64() and schema.field("inter1").type == pa.int32()
    assert schema.field("cameo_code").type == pa.string() and schema.field("country").type == pa.string()
    df = pd.read_parquet(p)
    assert df["event_date"].iloc[0] == date(2015, 10, 27) and df["event_date"].iloc[1] is None
    assert str(df["fatalities"].dtype) == "Int64" and df["fatalities"].iloc[0] == 4
    assert pd.isna(df["fatalities"].iloc[1])
    assert df["cameo_code"].iloc[0] == "190"  # a code stays text ("190", never 190.0)


def test_parquet_geometry_is_wkb_point_with_geoparquet_metadata(tmp_path):
    p = _parquet([row(), row("e2", lat=None, lon=None)], tmp_path)
    table = pq.read_table(p)
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == GEOMETRY_COLUMN and geo["version"].startswith("1.")
    col = geo["columns"][GEOMETRY_COLUMN]
    assert col["encoding"] == "WKB" and col["geometry_types"] == ["Point"]
    assert "crs" not in col  # absent = OGC:CRS84 (lon, lat)
    assert col["bbox"] == [37.1, 36.2, 37.1, 36.2]
    wkb = table.column(GEOMETRY_COLUMN).to_pylist()
    assert wkb[1] is None
    order, kind, x, y = struct.unpack("<BIdd", wkb[0])
    assert (order, kind, x, y) == (1, 1, 37.1, 36.2)  # little endian Point, x = lon, y = lat


def test_parquet_schema_is_the_same_every_run(tmp_path):
    full = _parquet([row()], tmp_path, "full.parquet")
    # every optional column empty in every row: before, such columns were typed null
    sparse = _parquet([{"event_id": "e9", "status": "reported"}], tmp_path, "sparse.parquet")
    empty = _parquet([], tmp_path, "empty.parquet")
    schemas = [pq.read_schema(p).remove_metadata() for p in (full, sparse, empty)]
    assert schemas[0] == schemas[1] == schemas[2] == PARQUET_SCHEMA
    assert not any(pa.types.is_null(f.type) for f in schemas[1])


def test_parquet_schema_covers_every_stored_column():
    from flashpoint.store.query import _PUBLIC

    assert set(_PUBLIC) | {"sources", "n_sources", "alternatives"} <= set(PARQUET_SCHEMA.names)


# ---------------------------------------------------------------- GeoJSON


def test_geojson_leaves_out_events_without_coordinates_with_a_count():
    rows = [row(), row("e2", lat=None, lon=None), row("e3", lat=None, lon=None)]
    with pytest.warns(ExportWarning, match=r"^2 event\(s\) without coordinates"):
        fc = json.loads(text_of(rows, "geojson"))
    assert [f["id"] for f in fc["features"]] == ["e1"]
    assert all(f["geometry"] is not None for f in fc["features"])
    assert fc["flashpoint_version"] == VERSION


def test_geojson_events_cli_prints_the_warning(tmp_path, monkeypatch):
    rows = [row(), row("e2", lat=None, lon=None)]
    monkeypatch.setattr("flashpoint.store.query.iter_events", lambda *a, **k: iter(rows))  # what `events` reads
    db = tmp_path / "x.db"
    db.write_bytes(b"")
    out = tmp_path / "e.geojson"
    res = runner.invoke(app, ["events", "--db", str(db), "--format", "geojson", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "warning: 1 event(s) without coordinates left out" in res.output
    assert len(json.loads(out.read_text())["features"]) == 1


# ---------------------------------------------------------------- ACLED CSV


def _acled(rows, **kw) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text_of(rows, "acled-csv", **kw))))


def test_acled_inter_codes_never_0_for_an_actor():
    rows = [row(inter1=None, inter2=None, actor1="Some New Brigade", actor2="Another Group"),
            row("e2", inter1=None, inter2=None, actor1="Unidentified Armed Group (Syria)",
                actor2="Civilians (Syria)", event_type="Violence against civilians", sub_event_type="Attack"),
            row("e3", actor2=None, inter2=None)]
    got = _acled(rows)
    assert (got[0]["inter1"], got[0]["inter2"], got[0]["interaction"]) == ("", "", "")  # unknown: empty, not 0
    assert (got[1]["inter1"], got[1]["inter2"], got[1]["interaction"]) == ("3", "7", "37")
    assert (got[2]["inter1"], got[2]["inter2"], got[2]["interaction"]) == ("1", "0", "10")  # no actor 2: 0
    for r in got:
        assert r["inter1"] != "0"
        assert r["inter2"] != "0" or not r["actor2"]


def test_acled_inter_from_a_report_with_an_actor_of_unknown_type():
    ev = Event(event_id="r-E1", event_type="Battles", sub_event_type="Armed clash", actor1="Alpha Army",
               actor2="Beta Front")
    rows = report_rows(Report(id="r", events=[ev], actors=[Actor(name="Alpha Army", inter=1)]), timestamp=1)
    assert rows[0]["inter1"] == 1 and rows[0]["inter2"] == "" and rows[0]["interaction"] == ""


def test_acled_source_is_the_outlet_or_url_host_never_the_file_name():
    rows = [row(sources=[{"article_id": "trtworld-aleppo-offensive", "source": None,
                          "url": "https://www.trtworld.com/mea/x"}]),
            row("e2", sources=[{"article_id": "samples/a.txt", "source": None, "url": None}]),
            row("e3", sources=[{"article_id": "a1", "source": "AFP", "url": "https://x.org/1"},
                               {"article_id": "a2", "source": None, "url": "https://news.example.com/2"}])]
    got = _acled(rows)
    assert [r["source"] for r in got] == ["trtworld.com", "", "AFP; news.example.com"]
    rep = Report(id="trtworld-aleppo-offensive", url="https://www.trtworld.com/x",
                 events=[Event(event_id="trtworld-aleppo-offensive-E1")])
    assert report_rows(rep, timestamp=1)[0]["source"] == "trtworld.com"
    assert outlet(None, "not a url") == "" and outlet(" Reuters ", "https://x.org") == "Reuters"


def test_acled_ids_are_iso3_and_a_number_stable_per_event():
    got = _acled([row("fakes-1923848154-E1"), row("fakes-1923848154-E2"),
                  row("x-E1", country=None, location=None, lat=None, lon=None)])
    assert all(ACLED_ID.match(r["event_id_cnty"]) for r in got)
    assert got[0]["event_id_cnty"].startswith("SYR") and got[2]["event_id_cnty"].startswith("XXX")
    assert got[0]["event_id_cnty"] != got[1]["event_id_cnty"]
    assert got[0]["event_id_cnty"] == _acled([row("fakes-1923848154-E1")])[0]["event_id_cnty"]
    assert "flashpoint id=fakes-1923848154-E1" in got[0]["tags"]


def test_acled_date_style_option():
    iso = _acled([row(event_date="2015-10-05")])[0]
    acled = _acled([row(event_date="2015-10-05")], date_style="acled")[0]
    assert iso["event_date"] == "2015-10-05"
    assert acled["event_date"] == "05 October 2015" and acled["year"] == "2015"
    assert acled["notes"].startswith("On 05 October 2015, Troops") and iso["notes"].startswith("On 2015-10-05, ")
    ev = Event(event_id="r-E1", event_date="2015-10-27")
    assert report_rows(Report(id="r", events=[ev]), timestamp=1, date_style="acled")[0]["event_date"] == \
        "27 October 2015"
    with pytest.raises(ValueError, match="date style"):
        event_row(ev, date_style="us")


def test_acled_date_style_on_the_command_line(monkeypatch, tmp_path):
    ev = Event(event_id="r-E1", event_date="2015-10-27", event_type="Battles")
    monkeypatch.setattr("flashpoint.cli.extract.iter_reports",
                        lambda inputs, pub, bs: iter([Report(id="r", events=[ev])]))
    x = tmp_path / "x.txt"
    x.write_text("Rebels attacked an army post.", encoding="utf-8")  # (the input must exist; its text is not read)
    res = runner.invoke(app, ["extract", str(x), "--format", "acled-csv", "--date-style", "acled"])
    assert res.exit_code == 0, res.output
    assert next(csv.DictReader(io.StringIO(res.stdout)))["event_date"] == "27 October 2015"
    assert runner.invoke(app, ["extract", str(x), "--format", "acled-csv", "--date-style", "us"]).exit_code == 2


def test_acled_csv_neutralises_spreadsheet_formulas():
    rows = [row(actor1="=HYPERLINK(\"http://evil\",\"x\")", location="+cmd|' /C calc'!A0", lat=-33.5, lon=-70.25,
                sources=[{"article_id": "a", "source": "@SUM(1+1)", "url": None}],
                evidence="-2+3 said the monitor")]
    got = _acled(rows)[0]
    assert got["actor1"].startswith("'=") and got["location"].startswith("'+") and got["source"] == "'@SUM(1+1)"
    assert got["latitude"] == "-33.5000" and got["longitude"] == "-70.2500"  # numbers are left alone
    assert got["notes"].startswith("On 2015-10-27, -2+3")  # not at the start of the cell: harmless
    cameo = next(csv.DictReader(io.StringIO(text_of(rows, "cameo")), delimiter="\t"))
    assert cameo["source"].startswith("'=") and cameo["location"].startswith("'+")
    assert neutralise_formula("-5") == "'-5" and neutralise_formula(-5) == -5 and neutralise_formula("ok") == "ok"


def test_acled_csv_from_a_report_neutralises_too():
    ev = Event(event_id="r-E1", actor1="=1+1", event_type="Battles",
               location=Location(name="Kafr", lat=-1.5, lon=2.0, country="SY"))
    buf = io.StringIO()
    write_acled_csv(report_rows(Report(id="r", source="-outlet", events=[ev]), timestamp=1), buf)
    got = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert got["actor1"] == "'=1+1" and got["source"] == "'-outlet" and got["latitude"] == "-1.5000"
    assert list(got) == list(ACLED_CSV_COLUMNS)


# ---------------------------------------------------------------- PLOVER


def _plover(rows, **kw) -> list[dict]:
    return [json.loads(line) for line in text_of(rows, "plover", **kw).splitlines()]


def test_plover_modes_are_the_manuals():
    book = codebook()
    assert plover_event("ASSAULT", "massacre") == ("ASSAULT", "targeted")
    assert plover_event("ASSAULT", "cleansing") == ("ASSAULT", None)
    assert plover_event("COERCE", "ban") == ("COERCE", "restrict")
    assert plover_event("FIGHT", None) == ("ASSAULT", None)
    assert plover_event("assault", "Aerial") == ("ASSAULT", "aerial")
    assert plover_event("STATEMENT", "x") == (None, None)
    rows = [row(plover_mode=m) for m in ("massacre", "execute", "cleansing", "firearms", "return")]
    rows.append(row(plover_type="RETREAT", plover_mode="return"))
    for rec in _plover(rows):
        assert rec["event"] and rec["event"][0] in book["modes"]
        assert all(m in book["modes"][rec["event"][0]] for m in rec["mode"])
    assert [r["mode"] for r in _plover(rows)] == [["targeted"], ["targeted"], [], ["firearms"], [], []]


def test_plover_has_context_and_version():
    recs = _plover([row(cameo_code="1951", sub_event_type="Chemical weapon", plover_mode="unconventional"),
                    row("e2", cameo_code="190"), row("e3", cameo_code=None, sub_event_type="Attack")])
    assert "cbrn" in recs[0]["context"]  # chemical weapon, whatever the CAMEO table adds
    assert all(isinstance(r["context"], list) and set(r["context"]) <= set(codebook()["contexts"]) for r in recs)
    for r in recs:
        assert r["version"] == VERSION and r["coder"] == f"flashpoint {VERSION}"
        assert {"id", "date", "actor", "event"} <= set(r)


def test_plover_never_exports_denied_hypothetical_or_historical_events():
    rows = [row("e1"), row("e2", status="claimed"), row("e3", status="denied"), row("e4", status="hypothetical"),
            row("e5", status="historical")]
    with pytest.warns(ExportWarning, match="^3 denied, hypothetical or historical"):
        recs = _plover(rows, statuses="all")
    assert [r["id"] for r in recs] == ["e1", "e2"]
    with pytest.warns(ExportWarning, match="^1 "):
        assert _plover(rows, statuses="denied,reported") == _plover([rows[0]])


# ---------------------------------------------------------------- the flashpoint version in every output


def test_every_output_names_the_flashpoint_version(tmp_path):
    rows = [row()]
    assert f"[coded by flashpoint {VERSION}]" in _acled(rows)[0]["notes"]
    assert _plover(rows)[0]["coder"] == f"flashpoint {VERSION}"
    assert next(csv.DictReader(io.StringIO(text_of(rows, "cameo")), delimiter="\t"))["coder"] == \
        f"flashpoint {VERSION}"
    assert json.loads(text_of(rows, "json"))[0]["flashpoint_version"] == VERSION
    assert json.loads(text_of(rows, "geojson"))["flashpoint_version"] == VERSION
    assert pq.read_schema(_parquet(rows, tmp_path)).metadata[b"flashpoint_version"].decode() == VERSION
    ev = Event(event_id="r-E1", evidence=Span(text="x", start=0, end=1))
    assert Report(id="r", events=[ev]).to_json_dict()["flashpoint_version"] == VERSION
    notes = report_rows(Report(id="r", events=[ev]), timestamp=1)[0]["notes"]
    assert notes.endswith(f"[coded by flashpoint {VERSION}]")


def test_extract_json_line_names_the_version(monkeypatch, tmp_path):
    monkeypatch.setattr("flashpoint.cli.extract.iter_reports", lambda inputs, pub, bs: iter([Report(id="r")]))
    x = tmp_path / "x.txt"
    x.write_text("Rebels attacked an army post.", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(x)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout.splitlines()[0])["flashpoint_version"] == VERSION
