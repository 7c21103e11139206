"""End-to-end throughput of ``flashpoint ingest`` against a bare spaCy ``nlp.pipe``, in one run.

Measures, over the same texts (default: the distinct FA-KES dev articles; ``--ngec N`` adds N
synthetic NGEC stories for larger runs), wall time AND CPU time (user+system of every process involved:
this one, pool workers, Dask workers), so rows can be judged on a shared, loaded machine:

* bare ``nlp.pipe`` of the base spaCy model (flashpoint.nlp.load_base()): articles/s, words/s, CPU ms/article
* extract only, in process (``Pipeline.extract_many``)
* end to end, in process (extract + geocode + code + dedup embeddings + store into SQLite) with the pipeline
  already loaded and warmed by the row above (a component view)
* ``flashpoint ingest`` (1 process) and ``flashpoint ingest --workers 2``, each in a fresh process as a user runs
  them, end to end (wall time includes loading the pipeline); the ratios end-to-end / bare (throughput, and CPU
  per article) use the fresh 1-process row
* Dask LocalCluster (processes) with 1 and 2 workers, end to end (incl. model loading on the workers)
* Dask extraction only (no writer; workers warmed first): 1 vs 2 workers, the CPU-bound scaling
* peak RSS (VmHWM) of this process and of each worker
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


def _hwm_mb(pid: int | str = "self") -> float | None:
    """Peak resident set (VmHWM) of a process, MB. Unlike ru_maxrss it is not inherited across fork/exec."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def _cpu_self() -> float:
    return time.process_time()  # user + system of every thread of this process


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)  # terminated and reaped children (pool workers)
    return r.ru_utime + r.ru_stime


def _worker_stats() -> dict:
    """Run on a Dask worker: CPU seconds so far and peak RSS of that worker process."""
    import psutil

    t = psutil.Process().cpu_times()
    return {"cpu": t.user + t.system, "hwm_mb": _hwm_mb()}


def _load() -> float:
    return round(os.getloadavg()[0], 1)


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


def _row(name, n, words, secs, cpu=None, **extra):
    r = {"run": name, "articles": n, "seconds": round(secs, 2), "articles_per_s": round(n / secs, 2),
         "words_per_s": round(words / secs, 1)}
    if cpu is not None:
        r["cpu_s"] = round(cpu, 2)
        r["cpu_ms_per_article"] = round(1000 * cpu / n, 1)
        r["cpu_util"] = round(cpu / secs, 2)  # cores kept busy on average
    r.update(extra)
    r["load_avg_1min"] = _load()
    return r


class Timer:
    """Wall and CPU seconds of this process (+ reaped children) over a ``with`` block."""

    def __enter__(self):
        self.w, self.c, self.k = time.perf_counter(), _cpu_self(), _cpu_children()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w
        self.cpu_self = _cpu_self() - self.c
        self.cpu_children = _cpu_children() - self.k
        self.cpu = self.cpu_self + self.cpu_children
        return False


def run_ingest(arts, db, **kw):
    from flashpoint.store import ingest
    from flashpoint.store.embeddings import clear_cache

    clear_cache()  # the writer's text -> vector cache must not carry over from an earlier run of this bench

    with Timer() as t:
        s = ingest(arts, db, **kw)
    return s, t


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


def pool_cli_run(arts, tmp: Path, workers: int = 2) -> dict:
    """``flashpoint ingest --workers N`` in a fresh process, as a user runs it: nothing loaded or warmed by the
    earlier rows of this bench. CPU is that process's plus its (reaped) pool workers'."""
    exe = shutil.which("flashpoint", path=str(Path(sys.executable).parent)) or None
    cmd = [exe] if exe else [sys.executable, "-c", "from flashpoint.cli import main; main()"]
    src = tmp / "articles.jsonl"
    src.write_text("".join(a.model_dump_json() + "\n" for a in arts), encoding="utf-8")
    db = tmp / f"pool{workers}.db"
    with _PoolSampler() as smp, Timer() as t:
        p = subprocess.run(cmd + ["ingest", str(src), "--db", str(db), "--workers", str(workers), "--quiet", "--json"],
                           capture_output=True, text=True, timeout=3600)
    if p.returncode != 0:
        raise RuntimeError(f"flashpoint ingest failed: {p.stderr[-800:]}")
    stats = json.loads(p.stdout[p.stdout.index("{"):])
    workers_rss = [round(v, 1) for pid, v in smp.peaks.items() if pid not in smp.top]
    return {"wall": t.wall, "cpu": t.cpu_children, "events": stats.get("events"), "merged": stats.get("merged"),
            "failed": stats.get("failed"), "writer_peak_rss_mb" if workers > 1 else "peak_rss_mb": [round(smp.peaks[p], 1) for p in smp.top if p in smp.peaks],
            "worker_peak_rss_mb": workers_rss or None}


class _PoolSampler:
    """Peak RSS (VmHWM) of this process's child processes, sampled every 0.5 s while a pool runs."""

    def __init__(self):
        import threading

        self.peaks: dict[int, float] = {}
        self.top: set[int] = set()
        self.stop = threading.Event()
        self.th = threading.Thread(target=self._loop, daemon=True)

    def _sample(self):
        try:
            import psutil
        except ImportError:
            return
        for ch in psutil.Process().children(recursive=True):
            try:
                if ch.ppid() == os.getpid():
                    self.top.add(ch.pid)
            except psutil.Error:
                continue  # a direct child (the flashpoint process itself), not a pool worker
            hwm = _hwm_mb(ch.pid)
            if hwm and hwm > 100:  # skip the small resource tracker
                self.peaks[ch.pid] = max(self.peaks.get(ch.pid, 0.0), hwm)

    def _loop(self):
        while not self.stop.wait(0.5):
            self._sample()

    def __enter__(self):
        self.th.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.th.join()
        return False


def dask_runs(arts, words, tmp: Path, end_to_end: bool = True, extract_only: bool = True) -> list[dict]:
    """Dask LocalCluster, 1 and 2 single-threaded worker processes: end to end into SQLite (model loading
    included, as a user sees it) and extraction only (warmed workers, no writer: the CPU-bound part)."""
    from distributed import Client, LocalCluster

    from flashpoint.scale.common import DEFAULT_EXTRACTOR, run_batch
    from flashpoint.scale.dask_backend import dask_extract

    n, rows = len(arts), []
    env = {"FLASHPOINT_ORT_THREADS": "1", "OMP_NUM_THREADS": "1"}
    for k in (1, 2):
        if end_to_end:
            with LocalCluster(n_workers=k, threads_per_worker=1, processes=True, dashboard_address=":0",
                              env=env) as cl, Client(cl) as client:
                before = client.run(_worker_stats)
                s, t = run_ingest(arts, tmp / f"dask{k}.db", client=client, batch_size=32)
                after = client.run(_worker_stats)
                wcpu = sum(after[w]["cpu"] - before[w]["cpu"] for w in after)
                rows.append(_row(f"end to end, Dask LocalCluster {k} worker(s) (incl. model load)", n, words,
                                 t.wall, cpu=t.cpu + wcpu, events=s.events, merged=s.merged,
                                 writer_cpu_s=round(t.cpu_self, 2),
                                 worker_peak_rss_mb=[round(v["hwm_mb"], 1) for v in after.values()]))
        if extract_only:
            with LocalCluster(n_workers=k, threads_per_worker=1, processes=True, dashboard_address=":0",
                              env=env) as cl, Client(cl) as client:
                # warm every worker (model load, first-call caches) on a small batch each
                warm = [client.submit(run_batch, DEFAULT_EXTRACTOR, arts[i:i + 2], True, pure=False,
                                      workers=[w]) for i, w in enumerate(client.scheduler_info()["workers"])]
                client.gather(warm)
                before = client.run(_worker_stats)
                with Timer() as t:
                    n_ev = sum(len(r.events) for r, _e in dask_extract(arts, DEFAULT_EXTRACTOR, client=client,
                                                                       batch_size=8, embed=True))
                after = client.run(_worker_stats)
                wcpu = {w: after[w]["cpu"] - before[w]["cpu"] for w in after}
                rows.append(_row(f"extract + dedup embeddings only, Dask {k} worker(s) (warm, no writer)", n, words,
                                 t.wall, cpu=t.cpu + sum(wcpu.values()), events=n_ev,
                                 worker_cpu_s=[round(v, 2) for v in wcpu.values()], client_cpu_s=round(t.cpu, 2)))
    return rows


def _print(out: dict) -> None:
    c = out["corpus"]
    print(f"\ncorpus: {c['articles']} articles, {c['words']} words ({c['source']}); {out['machine']['cpus']} CPUs")
    print(f"{'run':<72}{'art/s':>7}{'words/s':>9}{'secs':>7}{'CPU ms/art':>11}{'util':>6}{'load':>6}")
    for r in out["runs"]:
        print(f"{r['run']:<72}{r['articles_per_s']:>7.2f}{r['words_per_s']:>9.0f}{r['seconds']:>7.1f}"
              f"{r.get('cpu_ms_per_article', float('nan')):>11.1f}{r.get('cpu_util', float('nan')):>6.2f}"
              f"{r['load_avg_1min']:>6.1f}")
        extra = {k: v for k, v in r.items() if k not in ("run", "articles", "seconds", "articles_per_s",
                                                         "words_per_s", "cpu_s", "cpu_ms_per_article", "cpu_util",
                                                         "load_avg_1min")}
        if extra:
            print(f"{'':<6}{extra}")
    for k in ("ratio_end_to_end_over_bare", "ratio_end_to_end_over_bare_cpu", "ratio_best_2_workers_over_bare",
              "scaling_dask_end_to_end", "scaling_dask_extract_only", "scaling_dask_extract_only_cpu",
              "cold_start_extract_s"):
        if out.get(k) is not None:
            print(f"{k}: {out[k]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--ngec", type=int, default=0)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-pool", action="store_true")
    ap.add_argument("--skip-cold", action="store_true")
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
           "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), "runs": []}
    runs = out["runs"]
    tmp = Path(tempfile.mkdtemp(prefix="fp-bench-"))
    try:
        from flashpoint.nlp import load_base

        if args.dask_only:
            args.skip_pool = True
        bare = e2e = None
        if not args.dask_only:
            t0 = time.perf_counter()
            nlp = load_base()
            load_base_s = time.perf_counter() - t0
            with Timer() as t:
                for _ in nlp.pipe(texts, batch_size=16):
                    pass
            bare = _row("bare nlp.pipe (base spaCy model, all components)", n, words, t.wall, cpu=t.cpu,
                        load_s=round(load_base_s, 2))
            runs.append(bare)
            del nlp

            from flashpoint.pipeline import default_pipeline

            t0 = time.perf_counter()
            default_pipeline()
            load_pipe_s = time.perf_counter() - t0
            with Timer() as t:
                n_ev = sum(len(r.events) for r in default_pipeline().extract_many(arts))
            runs.append(_row("extract only, in process (Pipeline.extract_many)", n, words, t.wall, cpu=t.cpu,
                             events=n_ev, load_s=round(load_pipe_s, 2)))
            s, t = run_ingest(arts, tmp / "e2e.db")
            runs.append(_row("end to end, in process, pipeline loaded and warmed by the row above", n, words, t.wall,
                             cpu=t.cpu, events=s.events, merged=s.merged, failed=s.failed,
                             peak_rss_mb=round(_hwm_mb() or 0, 1)))
            one = pool_cli_run(arts, tmp, workers=1)
            e2e = _row("end to end, `flashpoint ingest` (1 process, fresh, incl. model load)", n, words,
                       one.pop("wall"), cpu=one.pop("cpu"), **one)
            runs.append(e2e)
            out["ratio_end_to_end_over_bare"] = round(e2e["articles_per_s"] / bare["articles_per_s"], 2)
            out["ratio_end_to_end_over_bare_cpu"] = round(bare["cpu_ms_per_article"] / e2e["cpu_ms_per_article"], 2)

        if not args.skip_pool:
            pool = pool_cli_run(arts, tmp, workers=2)
            pool = _row("end to end, `flashpoint ingest --workers 2` (fresh process, incl. model load)", n, words,
                        pool.pop("wall"), cpu=pool.pop("cpu"), **pool)
            runs.append(pool)
            if bare:
                out["ratio_best_2_workers_over_bare"] = round(pool["articles_per_s"] / bare["articles_per_s"], 2)

        if not args.skip_dask:
            rows = dask_runs(arts, words, tmp)
            runs.extend(rows)
            by = {r["run"]: r for r in rows}
            e1 = next((r for k, r in by.items() if k.startswith("end to end, Dask LocalCluster 1")), None)
            e2 = next((r for k, r in by.items() if k.startswith("end to end, Dask LocalCluster 2")), None)
            x1 = next((r for k, r in by.items() if "Dask 1 worker" in k), None)
            x2 = next((r for k, r in by.items() if "Dask 2 worker" in k), None)
            if e1 and e2:
                out["scaling_dask_end_to_end"] = round(e2["articles_per_s"] / e1["articles_per_s"], 2)
            if x1 and x2:
                out["scaling_dask_extract_only"] = round(x2["articles_per_s"] / x1["articles_per_s"], 2)
                # CPU-bound view: per-article CPU cost stays the same, so with k free cores the speed-up is
                # k x (cpu/article with 1 worker) / (cpu/article with 2 workers)
                out["scaling_dask_extract_only_cpu"] = round(2 * x1["cpu_ms_per_article"] / x2["cpu_ms_per_article"], 2)
        if not args.skip_cold:
            cs = cold_start(tmp, arts[0])
            out["cold_start_extract_s"] = None if cs is None else round(cs, 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    _print(out)
    Path(args.json).write_text(json.dumps(out, indent=1))
    print(f"-> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
