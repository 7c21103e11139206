"""Per-error dump for the GeoWebNews / GeoVirus scorers: recognition FN/FP by gold type, and resolution
misses (> 161 km on the gold spans) with our answer and the distance.

    .venv/bin/python bench/geo_errors.py [geowebnews|geovirus] [OUT.json]
"""
from __future__ import annotations

import collections
import json
import sys


def main(which: str = "geowebnews", out: str | None = None) -> None:
    from flashpoint.evaluation.geo import _rows
    from flashpoint.geo.cli_api import geo_nlp
    from flashpoint.paths import shared_data_dir

    d = shared_data_dir()
    if d is None:
        print("no shared data")
        return
    rows = _rows(d / f"geo_{which}.jsonl", None)
    nlp = geo_nlp()
    fn, fp = [], []
    for r, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=8)):
        gold = {(t["start"], t["end"]): t for t in r["toponyms"]}
        pred = {(t.start, t.end): t for t in (doc._.toponyms or [])}
        for k, t in gold.items():
            if k not in pred:
                ov = [p.name for (a, b), p in pred.items() if a < k[1] and k[0] < b]
                fn.append({"id": r["id"], "name": t["name"], "type": t.get("type"), "overlap": ov,
                           "ctx": r["text"][max(0, k[0] - 40):k[1] + 40].replace("\n", " ")})
        for k, p in pred.items():
            if k not in gold:
                ov = [t["name"] for (a, b), t in gold.items() if a < k[1] and k[0] < b]
                fp.append({"id": r["id"], "name": p.name, "ptype": p.type, "overlap": ov,
                           "ctx": r["text"][max(0, k[0] - 40):k[1] + 40].replace("\n", " ")})
    from flashpoint.evaluation.geo import _run_geo
    res = _run_geo(which, d / f"geo_{which}.jsonl", None, details=True)
    print(json.dumps(res["metrics"], indent=1))
    print("FN by type", collections.Counter(x["type"] for x in fn).most_common())
    print("FN partial-overlap", sum(1 for x in fn if x["overlap"]), "of", len(fn))
    print("FP by our type", collections.Counter(x["ptype"] for x in fp).most_common())
    print("FP partial-overlap", sum(1 for x in fp if x["overlap"]), "of", len(fp))
    print("resolution misses by gold type", collections.Counter(x["type"] for x in res["misses"]).most_common())
    print("resolution misses by our fcode", collections.Counter(x["pred_fc"] for x in res["misses"]).most_common())
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump({"metrics": res["metrics"], "fn": fn, "fp": fp, "misses": res["misses"]}, fh, indent=1,
                      ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
