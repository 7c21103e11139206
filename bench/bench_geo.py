"""Geoparsing speed/memory: gazetteer open time, resolutions per second (one core), index RSS.

    .venv/bin/python bench/bench_geo.py [N_NAMES]
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n: int = 20000) -> None:
    from flashpoint.geo.gazetteer import Gazetteer, index_path
    from flashpoint.geo.resolve import Mention, resolve
    from flashpoint.paths import shared_data_dir

    path = index_path()
    if not path.exists():
        t = time.perf_counter()
        Gazetteer(path)
        print(f"gazetteer build (first use): {time.perf_counter() - t:.1f} s")
    rss0 = rss_mb()
    t = time.perf_counter()
    g = Gazetteer(path)
    g.lookup("Aleppo")
    t_open = time.perf_counter() - t
    print(f"gazetteer open + first lookup: {t_open * 1000:.0f} ms  (index file {path.stat().st_size / 2**20:.0f} MB)")

    import flashpoint.geo.gazetteer as G
    G._GAZ = g
    # workload: toponym mentions of the dev sets grouped per article (realistic names and contexts)
    docs = []
    d = shared_data_dir()
    if d is not None and (d / "geo_geowebnews.jsonl").exists():
        for fn in ("geo_geowebnews.jsonl", "geo_geovirus.jsonl"):
            for line in open(d / fn, encoding="utf-8"):
                r = json.loads(line)
                docs.append([t["name"] for t in r["toponyms"]])
    else:
        docs = [["Aleppo", "Khan Tuman", "Idlib", "Damascus", "Zirba", "Banes", "Syria"]] * 200
    total = sum(len(x) for x in docs)
    # cold pass (first time each name is seen), then warm passes up to n resolutions
    done = 0
    t = time.perf_counter()
    for names in docs:
        ms = [Mention(text=x) for x in names]
        resolve(ms)
        done += len(ms)
    cold = done / (time.perf_counter() - t)
    done = 0
    t = time.perf_counter()
    while done < n:
        for names in docs:
            ms = [Mention(text=x) for x in names]
            resolve(ms)
            done += len(ms)
            if done >= n:
                break
    warm = done / (time.perf_counter() - t)
    print(f"resolutions/s (one core, {total} mentions in {len(docs)} articles): cold {cold:.0f}/s, warm {warm:.0f}/s")
    print(f"RSS: process {rss_mb():.0f} MB, index share {rss_mb() - rss0:.0f} MB")
    component_cpu()


def component_cpu(limit: int = 300) -> None:
    """CPU time of the fp_toponyms component alone (recognition + resolution) per FA-KES dev article:
    spaCy's own pipes run first (not timed), then ``geoparse_doc`` over the parsed docs, twice (cold
    lookup caches, then warm)."""
    from flashpoint.geo.geoparse import geoparse_doc
    from flashpoint.nlp import load_nlp
    from flashpoint.paths import shared_data_dir

    d = shared_data_dir()
    if d is None or not (d / "fakes_dev.jsonl").exists():
        return
    texts = [json.loads(line)["text"] for line in open(d / "fakes_dev.jsonl", encoding="utf-8")][:limit]
    nlp = load_nlp()
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n.startswith("fp_")]):
        docs = list(nlp.pipe(texts, batch_size=16))
    for label in ("cold", "warm"):
        t = time.process_time()
        for doc in docs:
            geoparse_doc(doc)
        ms = 1000 * (time.process_time() - t) / len(docs)
        print(f"fp_toponyms CPU per FA-KES article ({label} caches, {len(docs)} articles): {ms:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
