"""Cross-article dedup on FA-KES: precision/recall of "these two articles report the same event".

The 50 hand-judged pairs are in bench/fakes_dedup_pairs.jsonl (ids + judgments only; the
texts are read from the shared dev data). Every article of the sample is run through the
real pipeline and ingested into a fresh store in id order; a pair is predicted "same" when
an event of one article and an event of the other end up in the same canonical event. Rows: ``minilm`` (the
store's default dedup embedder: the per-token int8 graph), ``minilm_exact`` (the exact model) and ``jaccard``.

    python bench/eval_dedup.py [--data ../shared/data] [--json out.json] [--no-embed]

FA-KES (CC BY 4.0): Abu Salem et al., ICWSM 2019, doi:10.5281/zenodo.2607278.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent


def load(data_dir: Path):
    from flashpoint.model import Article

    pairs = [json.loads(line) for line in open(HERE / "fakes_dedup_pairs.jsonl", encoding="utf-8")]
    need = {p["a"] for p in pairs} | {p["b"] for p in pairs}
    arts = {}
    for line in open(data_dir / "fakes_dev.jsonl", encoding="utf-8"):
        r = json.loads(line)
        if r["id"] in need and r["id"] not in arts:
            # FA-KES has no publication date; the event date stands in for it (optimistic for dates)
            arts[r["id"]] = Article(id=r["id"], text=r["text"], title=r.get("title"), source=r.get("source"),
                                    published=date.fromisoformat(r["date"]))
    return pairs, [arts[k] for k in sorted(arts)]


def canonical_sets(db) -> dict[str, set[str]]:
    from flashpoint.store import open_store
    from flashpoint.store.schema import articles, events

    st = open_store(db)
    out: dict[str, set[str]] = {}
    with st.engine.connect() as c:
        q = sa.select(articles.c.article_id, events.c.event_id, events.c.merged_into).join(
            events, events.c.article_pk == articles.c.id)
        for aid, eid, into in c.execute(q):
            out.setdefault(aid, set()).add(into or eid)
    return out


def score(pairs, canon) -> dict:
    tp = fp = fn = tn = 0
    rows = []
    for p in pairs:
        pred = bool(canon.get(p["a"], set()) & canon.get(p["b"], set()))
        gold = p["same_event"]
        tp += pred and gold
        fp += pred and not gold
        fn += (not pred) and gold
        tn += (not pred) and (not gold)
        rows.append({"pair": p["pair"], "gold": gold, "pred": pred})
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"n": len(pairs), "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": round(prec, 3),
            "recall": round(rec, 3), "f1": round(f1, 3), "pairs": rows}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    from flashpoint.paths import shared_data_dir

    d = shared_data_dir(args.data)
    if d is None:
        print("shared data not found; skipping", file=sys.stderr)
        return 0
    pairs, arts = load(d)
    from flashpoint.pipeline import default_pipeline
    from flashpoint.store import ingest
    from flashpoint.nlp.embed import dedup_model_path
    from flashpoint.store.dedup import _minilm_exact, default_embedder

    t0 = time.perf_counter()
    reports = {r.id: r for r in default_pipeline().extract_many(arts)}
    t_extract = time.perf_counter() - t0
    results = {"articles": len(arts), "events": sum(len(r.events) for r in reports.values()),
               "extract_s": round(t_extract, 1)}
    emb = default_embedder()
    # the store's default (the per-token int8 dedup graph when it can be built), the exact MiniLM, token Jaccard
    results["dedup_graph"] = str(dedup_model_path()) if emb is not None else None
    for name, emb in (("minilm", emb), ("minilm_exact", emb and _minilm_exact), ("jaccard", None)):
        if name.startswith("minilm") and emb is None:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "dedup.db"
            s = ingest(arts, db, extract_many=lambda a: (reports[x.id] for x in a), embedder=emb or None)
            res = score(pairs, canonical_sets(db))
            res["merged_events"] = s.merged
            results[name] = res
            unamb = [p for p in pairs if not p.get("ambiguous")]
            results[name + "_unambiguous"] = {k: v for k, v in score(unamb, canonical_sets(db)).items()
                                              if k != "pairs"}
    print(f"{'method':<22}{'n':>4}{'tp':>4}{'fp':>4}{'fn':>4}{'P':>7}{'R':>7}{'F1':>7}")
    for k, v in results.items():
        if isinstance(v, dict):
            print(f"{k:<22}{v['n']:>4}{v['tp']:>4}{v['fp']:>4}{v['fn']:>4}{v['precision']:>7.3f}"
                  f"{v['recall']:>7.3f}{v['f1']:>7.3f}")
    print(f"articles {results['articles']}, events {results['events']}, extraction {results['extract_s']} s; "
          f"merged: " + ", ".join(f"{k} {v['merged_events']}" for k, v in results.items()
                                  if isinstance(v, dict) and "merged_events" in v))
    print(f"minilm = {results['dedup_graph'] or 'exact model (no int8 dedup graph)'}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
