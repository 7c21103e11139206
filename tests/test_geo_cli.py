"""`flashpoint geoparse` output shape."""
import json

from typer.testing import CliRunner

from flashpoint.cli import app


def _run(tmp_path, rows, *args):
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["geoparse", str(p), *args])
    assert res.exit_code == 0, res.output
    return [json.loads(l) for l in res.output.splitlines() if l.strip()]


def test_geoparse_given_spans(tmp_path):
    text = "Shelling hit Homs and Hama, Syria, on Friday."
    spans = [{"start": text.index(w), "end": text.index(w) + len(w)} for w in ("Homs", "Hama", "Syria")]
    out = _run(tmp_path, [{"id": "a", "text": text, "toponyms": spans}], "--given-spans")
    assert len(out) == 1 and out[0]["id"] == "a"
    tops = out[0]["toponyms"]
    assert [(t["start"], t["end"]) for t in tops] == [(s["start"], s["end"]) for s in spans]
    for t in tops:
        assert {"name", "start", "end", "lat", "lon", "country", "geonameid", "type", "geo_precision"} <= set(t)
        assert t["country"] == "SY"


def test_geoparse_end_to_end(tmp_path):
    out = _run(tmp_path, [{"id": "x", "text": "Clashes were reported in Aleppo, Syria."},
                          {"id": "y", "text": "Nothing here."}])
    assert [o["id"] for o in out] == ["x", "y"]
    names = {t["name"] for t in out[0]["toponyms"]}
    assert "Aleppo" in names
    assert out[1]["toponyms"] == []
