import csv
import io
import json

import pandas as pd
import pytest

from flashpoint.export.acled import ACLED_COLUMNS
from flashpoint.export.formats import FORMATS, write_events
from flashpoint.store import ingest, query_events
from store_helpers import corpus, fake_extract_many


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    arts, reps = corpus()
    path = tmp_path_factory.mktemp("exp") / "fp.db"
    ingest(arts, path, extract_many=fake_extract_many(reps), embedder=None)
    return query_events(path)


def _text(rows, fmt):
    buf = io.StringIO()
    write_events(rows, fmt, buf)
    return buf.getvalue()


def test_acled_csv_from_store(rows):
    got = list(csv.DictReader(io.StringIO(_text(rows, "acled-csv"))))
    assert len(got) == 3 and list(got[0]) == list(ACLED_COLUMNS) + ["status"]
    assert {r["status"] for r in got} == {"reported"}
    merged = next(r for r in got if "sources=2" in r["tags"])
    assert merged["source"] == "wire; other"
    assert "fatalities reported as 10 (a1) | 12 (a2)" in merged["tags"]
    assert merged["inter1"] == "1" and merged["country"] == "Syria" and merged["iso"] == "760"
    assert all(r["timestamp"].isdigit() for r in got)


def test_geojson_is_rfc7946(rows):
    fc = json.loads(_text(rows, "geojson"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 3
    for f, r in zip(fc["features"], rows):
        assert f["type"] == "Feature" and set(f) >= {"geometry", "properties"}
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point"
        assert (lon, lat) == (pytest.approx(r["lon"]), pytest.approx(r["lat"]))  # lon first
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        json.dumps(f["properties"])  # plain JSON


def test_plover_jsonl_required_fields(rows):
    lines = _text(rows, "plover").strip().splitlines()
    assert len(lines) == 3
    for line in lines:
        rec = json.loads(line)
        assert {"id", "date", "actor", "event"} <= set(rec)
        assert rec["event"] == ["ASSAULT"] and isinstance(rec["actor"], list)
        assert rec["event_loc"]["country_code"] == "SYR"


def test_cameo_tsv(rows):
    got = list(csv.DictReader(io.StringIO(_text(rows, "cameo")), delimiter="\t"))
    assert len(got) == 3 and got[0]["code"] == "195" and got[0]["quad_class"] == "4"
    assert got[0]["date"] == "20210501"


def test_parquet_roundtrip(rows, tmp_path):
    p = tmp_path / "ev.parquet"
    write_events(rows, "parquet", p)
    df = pd.read_parquet(p)
    assert len(df) == 3 and list(df["event_id"]) == [r["event_id"] for r in rows]
    assert df["lat"].tolist() == pytest.approx([r["lat"] for r in rows])
    assert [json.loads(s) for s in df["alternatives"]] == [r["alternatives"] for r in rows]
    assert json.loads(df["sources"].iloc[0])[0]["article_id"] == rows[0]["sources"][0]["article_id"]


def test_json_and_table(rows):
    data = json.loads(_text(rows, "json"))
    assert [d["event_id"] for d in data] == [r["event_id"] for r in rows]
    assert "event_id" in _text(rows, "table")
    assert set(FORMATS) == {"table", "json", "acled-csv", "plover", "cameo", "geojson", "parquet"}
