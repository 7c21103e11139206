import json

from typer.testing import CliRunner

from flashpoint.cli import app
from flashpoint.scale.fake import synthetic_articles

runner = CliRunner()


def test_ingest_and_events_cli(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(a.model_dump_json() + "\n" for a in synthetic_articles(60, seed=2)) + "{not json\n",
                   encoding="utf-8")
    db = str(tmp_path / "c.db")
    r = runner.invoke(app, ["ingest", str(src), "--db", db, "--extractor", "flashpoint.scale.fake:FakeExtractor",
                            "--no-embed", "--quiet", "--json"])
    assert r.exit_code == 1, r.output  # one item (the malformed line) failed
    stats = json.loads(r.stdout.strip().splitlines()[-1])
    assert stats["ingested"] == 60 and stats["failed"] == 1 and stats["events"] > 60
    r = runner.invoke(app, ["events", "--db", db, "--format", "json"])
    rows = json.loads(r.stdout)
    assert rows and all(x["merged_into"] is None for x in rows)
    multi = [x for x in rows if x["n_sources"] > 1]
    assert multi
    r = runner.invoke(app, ["events", "--db", db, "--explain", multi[0]["event_id"]])
    assert r.exit_code == 0 and "days apart" in r.stdout
    out = tmp_path / "e.geojson"
    r = runner.invoke(app, ["events", "--db", db, "--format", "geojson", "-o", str(out), "--bbox", "36,33,41,37"])
    assert r.exit_code == 0 and json.loads(out.read_text())["type"] == "FeatureCollection"
    r = runner.invoke(app, ["events", "--db", db, "--format", "parquet"])
    assert r.exit_code != 0
    r = runner.invoke(app, ["events", "--db", db, "--changes-since", "0"])
    assert r.exit_code == 0 and '"op": "insert"' in r.stdout
    victim = rows[0]["event_id"]
    assert runner.invoke(app, ["events", "--db", db, "--delete", victim]).exit_code == 0
    r = runner.invoke(app, ["events", "--db", db, "--changes-since", "0"])
    assert json.loads(r.stdout.strip().splitlines()[-1])["op"] == "delete"
    r = runner.invoke(app, ["events", "--db", db, "--format", "json"])
    assert victim not in {x["event_id"] for x in json.loads(r.stdout)}


def test_events_on_missing_db_fails_cleanly(tmp_path):
    r = runner.invoke(app, ["events", "--db", str(tmp_path / "nope.db")])
    assert r.exit_code == 2 and not (tmp_path / "nope.db").exists()  # a usage error
