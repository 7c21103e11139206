"""CPU cost and agreement of the store's dedup evidence embeddings: exact MiniLM vs the per-token int8 graph.

Over the distinct FA-KES dev articles (extracted once, in process):

* per text: CPU ms (``time.process_time``, all threads of this process) of each embedder over the distinct
  mergeable evidence sentences, in batches of 16 (as the store calls it) and one text per call; cosine of the
  int8 vectors to the exact ones (mean / min) and the largest change of a pairwise similarity
* batch independence: each text embedded alone == the same text embedded in one call with all the others
* end to end of dedup: ``ingest`` of the already extracted reports into a fresh SQLite store (lazy writer-side
  embeddings + dedup + SQLite), CPU ms per article, texts embedded, merged events, and how many events got
  another merge target than with the exact embedder
* the worker path: the same store built from embeddings computed next to the extraction (``report_embeddings``
  over batches of 16 reports, as pool / Dask workers do): its merges must equal the writer path's

    .venv/bin/python bench/bench_dedup_embed.py [--data ../shared/data] [--limit N] [--repeat 3] [--json out.json]

The exact model runs ``FLASHPOINT_ORT_THREADS`` threads (default 2, as the store used it before), the int8 graph
``FLASHPOINT_DEDUP_THREADS`` (default 1); set both to 1 to compare the graphs alone.

FA-KES (CC BY 4.0): Abu Salem et al., ICWSM 2019, doi:10.5281/zenodo.2607278.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _per_text(fn, texts, batch_size, repeat):
    fn(texts[:32], batch_size=batch_size)  # warm (session, tokenizer)
    best, out = None, None
    for _ in range(repeat):
        t = time.process_time()
        out = fn(texts, batch_size=batch_size)
        ms = 1000 * (time.process_time() - t) / len(texts)
        best = ms if best is None else min(best, ms)
    return best, out


def _snap(db):
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT event_id, merged_into FROM events ORDER BY event_id").fetchall())
    finally:
        con.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--repeat", type=int, default=3, help="ingest / per-text runs per embedder (min CPU kept)")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    from flashpoint.paths import shared_data_dir

    d = shared_data_dir(args.data)
    if d is None:
        print("shared data not found; nothing to measure", file=sys.stderr)
        return 0
    from bench_throughput import load_articles

    from flashpoint.nlp import embed as E
    from flashpoint.pipeline import default_pipeline
    from flashpoint.store import dedup as dd
    from flashpoint.store import ingest
    from flashpoint.store.embeddings import clear_cache, needs_embedding, report_embeddings

    if dd.default_embedder() is None:
        print("MiniLM packages not installed; nothing to measure", file=sys.stderr)
        return 0
    arts = load_articles(d, args.limit, 0)
    reports = list(default_pipeline().extract_many(arts))
    by_id = {r.id: r for r in reports}
    texts = sorted({e.evidence.text for r in reports for e in r.events if needs_embedding(e)})
    t0 = time.process_time()
    graph = E.dedup_model_path()
    out: dict = {"articles": len(arts), "events": sum(len(r.events) for r in reports), "texts": len(texts),
                 "dedup_graph": str(graph) if graph else None,
                 "graph_first_use_cpu_s": round(time.process_time() - t0, 2),
                 "ort_threads": E._default_threads(), "dedup_threads": E._dedup_threads()}
    if graph is None:
        print("no int8 dedup graph (onnx missing or FLASHPOINT_DEDUP_QUANT=0): only the exact model", file=sys.stderr)

    # per text
    exact16, v_exact = _per_text(E.embed, texts, 16, args.repeat)
    q16, v_q = _per_text(E.embed_dedup, texts, 16, args.repeat)
    exact1, _ = _per_text(E.embed, texts, 1, 1)
    q1, v_q1 = _per_text(E.embed_dedup, texts, 1, 1)
    cos = (v_q * v_exact).sum(1)
    pair = np.abs(v_q @ v_q.T - v_exact @ v_exact.T)
    allin1 = E.embed_dedup(texts, batch_size=len(texts))  # padded to the longest text
    out["per_text_cpu_ms"] = {"exact_bs16": round(exact16, 2), "int8tok_bs16": round(q16, 2),
                              "exact_bs1": round(exact1, 2), "int8tok_bs1": round(q1, 2)}
    out["int8tok_vs_exact"] = {"cos_mean": round(float(cos.mean()), 4), "cos_min": round(float(cos.min()), 4),
                               "pair_sim_maxdiff": round(float(pair.max()), 4),
                               "pair_sim_meandiff": round(float(pair.mean()), 5)}
    out["batch_independent"] = bool(np.array_equal(v_q, v_q1) and np.array_equal(v_q, allin1))

    # dedup end to end over the extracted reports (lazy writer-side embeddings)
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, emb in (("exact", dd._minilm_exact), ("int8tok", dd._minilm)):
            best = None
            for k in range(args.repeat):
                clear_cache()
                seen: list[str] = []

                def counting(xs, _emb=emb, _seen=seen):
                    _seen.extend(xs)
                    return _emb(xs)

                db = Path(tmp) / f"{name}{k}.db"
                t = time.process_time()
                s = ingest(arts, db, extract_many=lambda a: (by_id[x.id] for x in a), embedder=counting)
                ms = 1000 * (time.process_time() - t) / len(arts)
                if best is None or ms < best["cpu_ms_per_article"]:
                    best = {"cpu_ms_per_article": round(ms, 1), "merged": s.merged, "events": s.events,
                            "texts_embedded": len(seen), "db": db}
            runs[name] = best
        # worker path: embeddings computed per batch of 16 reports next to the extraction
        clear_cache()

        def stage(items):
            rs = [by_id[a.id] for a in items]
            pairs = []
            for i in range(0, len(rs), 16):
                pairs += zip(rs[i:i + 16], report_embeddings(rs[i:i + 16], dd._minilm))
            return iter(pairs)

        s = ingest(arts, Path(tmp) / "workers.db", extract_many=stage, embedder=dd._minilm)
        snaps = {k: _snap(v.pop("db")) for k, v in runs.items()}
        w = _snap(Path(tmp) / "workers.db")
    out["ingest"] = runs
    out["workers_path"] = {"merged": s.merged, "same_merges_as_writer": w == snaps["int8tok"]}
    out["merge_targets_changed_vs_exact"] = sum(snaps["exact"].get(e) != m for e, m in snaps["int8tok"].items())
    print(json.dumps(out, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
