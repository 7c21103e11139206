"""Per-error dump for the geo step of ``flashpoint eval``: recognition misses and false alarms (by the scorer's
overlap rule) by gold type, and resolution misses (> 161 km on the gold spans) with our answer and the distance.
The set goes through ``flashpoint geoparse`` exactly as ``flashpoint eval geo`` feeds it.

    .venv/bin/python bench/geo_errors.py [geowebnews|geovirus] [OUT.json]
"""
from __future__ import annotations

import collections
import json
import sys
import tempfile
from pathlib import Path


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 40):end + 40].replace("\n", " ")


def recognition_errors(rows: list[dict], preds: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """Gold toponyms with coordinates that no predicted span overlaps; predicted spans overlapping no gold one."""
    fn, fp = [], []
    for r in rows:
        pts = [p for p in (preds.get(str(r["id"])) or {}).get("toponyms") or [] if p.get("start") is not None]
        for t in r["toponyms"]:
            if t.get("lat") is not None and not any(p["start"] < t["end"] and t["start"] < p["end"] for p in pts):
                fn.append({"id": r["id"], "name": t["name"], "type": t.get("type"),
                           "ctx": _context(r["text"], t["start"], t["end"])})
        for p in pts:
            if not any(p["start"] < t["end"] and t["start"] < p["end"] for t in r["toponyms"]):
                fp.append({"id": r["id"], "name": p.get("name"), "ptype": p.get("type"),
                           "ctx": _context(r["text"], p["start"], p["end"])})
    return fn, fp


def resolution_misses(rows: list[dict], preds: dict[str, dict]) -> list[dict]:
    from flashpoint.evaluation.common import km
    from flashpoint.evaluation.geo import ACC_KM

    misses = []
    for r in rows:
        pts = (preds.get(str(r["id"])) or {}).get("toponyms") or []
        by_span = {(p.get("start"), p.get("end")): p for p in pts}
        for t in r["toponyms"]:
            p = by_span.get((t["start"], t["end"]))
            if t.get("lat") is None or p is None:
                continue
            err = km(t["lat"], t["lon"], p["lat"], p["lon"]) if p.get("lat") is not None else None
            if err is None or err > ACC_KM:
                misses.append({"id": r["id"], "name": t["name"], "type": t.get("type"), "gold": [t["lat"], t["lon"]],
                               "pred": p.get("canonical"), "pred_cc": p.get("country"),
                               "pred_fc": p.get("feature_code"), "err_km": None if err is None else round(err)})
    return misses


def main(which: str = "geowebnews", out: str | None = None) -> None:
    from flashpoint.evaluation.common import read_jsonl
    from flashpoint.evaluation.inputs import strip_gold
    from flashpoint.evaluation.steps import Runner
    from flashpoint.paths import shared_data_dir

    d = shared_data_dir()
    if d is None:
        print("no shared data")
        return
    rows = read_jsonl(d / f"geo_{which}.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        run = Runner(d, Path(tmp))
        text = {str(p["id"]): p for p in run.geoparse("text", [strip_gold(g) for g in rows], given_spans=False)}
        spans = {str(p["id"]): p for p in run.geoparse("spans", [strip_gold(g, spans=True) for g in rows], True)}
    fn, fp = recognition_errors(rows, text)
    misses = resolution_misses(rows, spans)
    print("FN by type", collections.Counter(x["type"] for x in fn).most_common())
    print("FP by our type", collections.Counter(x["ptype"] for x in fp).most_common())
    print("resolution misses by gold type", collections.Counter(x["type"] for x in misses).most_common())
    print("resolution misses by our fcode", collections.Counter(x["pred_fc"] for x in misses).most_common())
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump({"fn": fn, "fp": fp, "misses": misses}, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
