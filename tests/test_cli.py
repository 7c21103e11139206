"""The CLI contract: extract over mixed good and bad input, JSON shape, eval skipping cleanly."""
import json

from typer.testing import CliRunner

from flashpoint.cli import app

runner = CliRunner()

REPORT_KEYS = {"id", "title", "published", "events", "toponyms", "actors", "relations", "quotes", "claims",
               "errors"}


def test_extract_jsonl_with_bad_items(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    jl = tmp_path / "in.jsonl"
    jl.write_text(json.dumps({"id": "good", "text": "Rebels attacked an army checkpoint near Idlib on Monday.",
                              "published": "2016-03-02"}) + "\n{oops\n", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(tmp_path / "empty.txt"), str(jl)])
    assert res.exit_code == 1  # some items failed, the rest were processed
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 3
    good = [x for x in lines if x["id"] == "good"][0]
    assert REPORT_KEYS <= set(good) and good["errors"] == [] and good["published"] == "2016-03-02"
    bad = [x for x in lines if x["errors"]]
    assert len(bad) == 2
    assert any("empty input" in e for x in bad for e in x["errors"])
    assert any("malformed JSON" in e for x in bad for e in x["errors"])


def test_date_warnings_are_not_failures(tmp_path):
    jl = tmp_path / "in.jsonl"
    jl.write_text(json.dumps({"id": "w", "published": "2016-03-02",
                              "text": "Published March 20 2016\nRebels attacked an army checkpoint near Idlib on "
                                      "Monday."}) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(jl)])
    assert res.exit_code == 0, res.output
    rep = json.loads([x for x in res.stdout.splitlines() if x.startswith("{")][0])
    assert any(": warning: " in e and "2016-03-20" in e for e in rep["errors"])


def test_extract_rejects_bad_date(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Troops shelled the village.", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(p), "--published", "27/10/2015"])
    assert res.exit_code != 0


def test_eval_skips_cleanly_without_data(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASHPOINT_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("flashpoint.paths.shared_data_dir", lambda explicit=None: None)
    out = tmp_path / "r.json"
    res = runner.invoke(app, ["eval", "fakes", "--data", str(tmp_path / "nope"), "-o", str(out)])
    assert res.exit_code == 0, res.stdout
    assert "skipped" in res.stdout
    assert json.loads(out.read_text())["fakes"]["skipped"]
