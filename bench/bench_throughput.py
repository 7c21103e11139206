"""End-to-end throughput of ``flashpoint ingest`` against a bare spaCy ``nlp.pipe``, in one run.

Measures, over the same texts (default: the 300 FA-KES dev articles; ``--ngec N`` adds N
synthetic NGEC stories for larger runs):

* bare ``nlp.pipe`` of the base spaCy model (flashpoint.nlp.load_base()): articles/s, words/s
* end to end, in process (extract + geocode + code + dedup + store into SQLite): articles/s, words/s
  and the ratio bare / end-to-end
* ``--workers 2`` local process pool (wall time includes each worker loading the pipeline)
* Dask LocalCluster (processes) with 1 and 2 workers (wall time includes model loading on the workers)
* peak RSS of this process and of each worker
* cold start of ``flashpoint extract`` on one article (subprocess wall time)

Prints a table and writes JSON (``--json``, default bench/throughput.json).

    .venv/bin/python bench/bench_throughput.py [--data ../shared/data] [--limit N] [--ngec N] [--skip-dask]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _rss_mb_self() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _rss_mb_children() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def _worker_rss() -> float:
    """Current RSS of a Dask worker after the run (ru_maxrss would include the parent's, inherited at fork)."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def load_articles(data_dir: Path, limit: int | None, ngec: int):
    from flashpoint.model import Article

    arts = []
    with open(data_dir / "fakes_dev.jsonl", encoding="utf-8") as fh:
        seen = set()
        for line in fh:
            r = json.loads(line)
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            arts.append(Article(id=r["id"], text=r["text"], title=r.get("title"), source=r.get("source"),
                                published=date.fromisoformat(r["date"])))
    if ngec:
        with open(data_dir / "ngec_synthetic.jsonl", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= ngec:
                    break
                r = json.loads(line)
                arts.append(Article(id=r["id"], text=r["text"], title=r.get("title"), source=r.get("source")))
    if limit:
        arts = arts[:limit]
    return arts


def _row(name, n, words, secs, **extra):
    return {"run": name, "articles": n, "seconds": round(secs, 2), "articles_per_s": round(n / secs, 2),
            "words_per_s": round(words / secs, 1), **extra}


def run_ingest(arts, db, **kw):
    from flashpoint.store import ingest

    t = time.perf_counter()
    s = ingest(arts, db, **kw)
    secs = time.perf_counter() - t
    return s, secs


def cold_start(tmp: Path, art) -> float | None:
    exe = shutil.which("flashpoint", path=str(Path(sys.executable).parent)) or None
    cmd = [exe] if exe else [sys.executable, "-c", "from flashpoint.cli import main; main()"]
    f = tmp / "one.txt"
    f.write_text(art.text, encoding="utf-8")
    t = time.perf_counter()
    p = subprocess.run(cmd + ["extract", str(f)], capture_output=True, text=True, timeout=600)
    secs = time.perf_counter() - t
    if p.returncode != 0:
        print(f"cold start: flashpoint extract failed: {p.stderr[-500:]}", file=sys.stderr)
        return None
    return secs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--ngec", type=int, default=0)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-pool", action="store_true")
    ap.add_argument("--dask-only", action="store_true")
    ap.add_argument("--json", default=str(HERE / "throughput.json"))
    args = ap.parse_args(argv)
    from flashpoint.paths import shared_data_dir

    d = shared_data_dir(args.data)
    if d is None:
        print("shared data not found; nothing to measure", file=sys.stderr)
        return 0
    arts = load_articles(d, args.limit, args.ngec)
    texts = [a.text for a in arts]
    words = sum(len(t.split()) for t in texts)
    n = len(arts)
    out = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
           "corpus": {"articles": n, "words": words, "source": "FA-KES dev" + (f" + {args.ngec} NGEC" if args.ngec else "")},
           "runs": []}
    tmp = Path(tempfile.mkdtemp(prefix="fp-bench-"))
    try:
        from flashpoint.nlp import load_base

        if args.dask_only:
            args.skip_pool = True
        if not args.dask_only:
            t = time.perf_counter()
            nlp = load_base()
            load_base_s = time.perf_counter() - t
            t = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=16):
                pass
            bare = time.perf_counter() - t
            out["runs"].append(_row("bare nlp.pipe (base spaCy model)", n, words, bare, load_s=round(load_base_s, 2)))
            del nlp

            from flashpoint.pipeline import default_pipeline

            t = time.perf_counter()
            default_pipeline()
            load_pipe_s = time.perf_counter() - t
            t = time.perf_counter()
            n_ev = sum(len(r.events) for r in default_pipeline().extract_many(arts))
            out["runs"].append(_row("extract only, in process (Pipeline.extract_many)", n, words,
                                    time.perf_counter() - t, events=n_ev))
            s, secs = run_ingest(arts, tmp / "e2e.db")
            out["runs"].append(_row("end to end, in process (extract+store, SQLite)", n, words, secs,
                                    load_s=round(load_pipe_s, 2), events=s.events, merged=s.merged, failed=s.failed,
                                    peak_rss_mb=round(_rss_mb_self(), 1), load_avg_1min=round(os.getloadavg()[0], 1)))
            out["ratio_bare_over_end_to_end"] = round(secs / bare, 2)

        if not args.skip_pool:
            peaks: dict[int, float] = {}

            def sample(_stats=None):  # RSS of the pool's worker processes, sampled after every batch
                try:
                    import psutil

                    for ch in psutil.Process().children(recursive=True):
                        try:
                            rss = ch.memory_info().rss / 2**20
                        except psutil.Error:
                            continue
                        if rss > 100:  # skip the small resource tracker
                            peaks[ch.pid] = max(peaks.get(ch.pid, 0.0), rss)
                except ImportError:
                    pass

            import threading

            stop = threading.Event()

            def sampler():
                while not stop.wait(0.5):
                    sample()

            th = threading.Thread(target=sampler, daemon=True)
            th.start()
            try:
                s, secs = run_ingest(arts, tmp / "pool2.db", workers=2)
            finally:
                stop.set()
                th.join()
            out["runs"].append(_row("end to end, --workers 2 (process pool, incl. model load)", n, words, secs,
                                    events=s.events,
                                    worker_peak_rss_mb=[round(v, 1) for v in peaks.values()] or None))

        if not args.skip_dask:
            from distributed import Client, LocalCluster

            for k in (1, 2):
                with LocalCluster(n_workers=k, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  env={"FLASHPOINT_ORT_THREADS": "1", "OMP_NUM_THREADS": "1"}) as cl, \
                        Client(cl) as client:
                    s, secs = run_ingest(arts, tmp / f"dask{k}.db", client=client, batch_size=32)
                    rss = client.run(_worker_rss)
                    out["runs"].append(_row(f"end to end, Dask LocalCluster {k} worker(s) (incl. model load)", n,
                                            words, secs, events=s.events, load_avg_1min=round(os.getloadavg()[0], 1),
                                            worker_peak_rss_mb=[round(v, 1) for v in rss.values()]))
        cs = cold_start(tmp, arts[0])
        out["cold_start_extract_s"] = None if cs is None else round(cs, 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\ncorpus: {n} articles, {words} words ({out['corpus']['source']}); {os.cpu_count()} CPUs")
    print(f"{'run':<62}{'art/s':>8}{'words/s':>10}{'secs':>8}  extra")
    for r in out["runs"]:
        extra = {k: v for k, v in r.items() if k not in ("run", "articles", "seconds", "articles_per_s",
                                                         "words_per_s")}
        print(f"{r['run']:<62}{r['articles_per_s']:>8.2f}{r['words_per_s']:>10.0f}{r['seconds']:>8.1f}  {extra}")
    print(f"bare nlp.pipe is {out.get('ratio_bare_over_end_to_end')}x faster than end to end")
    print(f"cold start `flashpoint extract` on one article: {out.get('cold_start_extract_s')} s")
    Path(args.json).write_text(json.dumps(out, indent=1))
    print(f"-> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
