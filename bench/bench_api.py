"""The REST API of ``flashpoint serve`` under load, on loopback, bounded in events, requests and time.

1. Builds (once; reused while it has the asked number of events) a SQLite store of ``--events`` synthetic events
   (default 1,000,000; 10% of them merged reports, a few deleted, every status) by bulk insert — no extraction.
2. Query latency: ``--queries`` filtered events queries (the ``/api/events`` query: ``flashpoint.web.queries.page``,
   100 rows, newest first, on the store as the server opens it), a fixed mix of filter sets drawn with a fixed
   seed; p50 / p95 / max of the wall time in ms, and the CPU per query (what does not depend on the other jobs).
3. Load: starts ``flashpoint serve`` on 127.0.0.1 and sends ``--rate`` requests/s for ``--duration`` s (open loop,
   the same filter mix through HTTP, at most ``--concurrency`` in flight); counts errors; latency percentiles.

Prints a table; ``--json`` writes the figures.

    .venv/bin/python bench/bench_api.py [--db bench/api-bench.db] [--events 1000000] [--duration 60] [--rate 200]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DB = HERE / "api-bench.db"
EVENTS_PER_ARTICLE = 4
MERGED_SHARE = 0.10
DELETED_SHARE = 0.002
FIRST_DAY = date(2015, 1, 1)
N_DAYS = 3650
INSERT_CHUNK = 50_000
SERVER_START_S = 60
PAGE_ROWS = 100
SEED = 14
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
         ("Protests", "Peaceful protest"), ("Riots", "Violent demonstration"),
         ("Strategic developments", "Looting/property destruction")]
STATUSES = ["reported"] * 85 + ["claimed"] * 8 + ["denied", "hypothetical", "historical"] * 2 + [None]
COUNTRIES = {"SY": (32.5, 37.0, 35.8, 42.0), "IQ": (29.5, 37.0, 39.0, 48.0), "YE": (12.8, 18.5, 42.6, 53.0),
             "UA": (44.5, 52.0, 22.5, 40.0), "SD": (9.0, 22.0, 22.0, 38.0), "ML": (10.5, 24.5, -12.0, 4.0),
             "NG": (4.5, 13.5, 3.0, 14.5), "MM": (10.0, 28.0, 92.5, 101.0), "AF": (29.5, 38.0, 61.0, 74.5),
             "SO": (-1.5, 11.5, 41.0, 51.0)}
ACTORS = [f"Actor group {i:03d}" for i in range(200)] + ["Military Forces of Syria", "Islamic State",
                                                          "Military Forces of Russia", "Syrian rebels"]


TIMESTAMP = "2025-01-01 00:00:00.000000"  # as SQLAlchemy stores DateTime in SQLite


def _event_rows(lo: int, n: int, rng: random.Random) -> list[tuple]:
    ts = TIMESTAMP
    countries = list(COUNTRIES)
    rows = []
    for i in range(lo, lo + n):
        et, sub = rng.choice(TYPES)
        cc = rng.choice(countries)
        s, n_, w, e = COUNTRIES[cc]
        day = (FIRST_DAY + timedelta(days=rng.randrange(N_DAYS))).isoformat()
        a1, a2 = rng.choice(ACTORS), rng.choice(ACTORS) if rng.random() < 0.6 else None
        fat = int(rng.expovariate(0.2)) if rng.random() < 0.7 else None
        merged = f"bench-{rng.randrange(i):08d}" if i and rng.random() < MERGED_SHARE else None
        place = f"Place {rng.randrange(5000)}"
        rows.append((f"bench-{i:08d}", i // EVENTS_PER_ARTICLE + 1, i % EVENTS_PER_ARTICLE, day, 1, et, sub,
                     "Political violence", "190", "ASSAULT", "kinetic", a1, "[]", 1, a2, "[]", 3 if a2 else None,
                     place, None, rng.uniform(s, n_), rng.uniform(w, e), cc, f"{cc} province {rng.randrange(10)}",
                     None, rng.choice((1, 1, 1, 2, 3)), fat, None, rng.choice(STATUSES), None, "attacked",
                     f"{a1} attacked {place}, killing {fat or 0} people.", 0, 40, 0.8, None, merged, None,
                     rng.random() < DELETED_SHARE, ts, ts))
    return rows


def build_store(path: Path, n_events: int) -> None:
    """A store with ``n_events`` events (schema by the store's own migrations, rows by bulk insert)."""
    from flashpoint.store.db import Store
    from flashpoint.store.schema import events

    if path.exists():
        with sqlite3.connect(path) as c:
            if c.execute("SELECT count(*) FROM events").fetchone()[0] == n_events:
                return
        path.unlink()
    Store(path).close()
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    cols = [c.name for c in events.columns]
    ts = TIMESTAMP
    n_art = n_events // EVENTS_PER_ARTICLE + 1
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA journal_mode=WAL")
        c.executemany("INSERT INTO articles (id, article_id, content_hash, source, title, published, status, "
                      "n_events, ingested_at) VALUES (?, ?, ?, 'wire', ?, '2025-01-01', 'ok', ?, ?)",
                      [(k, f"art-{k}", f"{k:064d}", f"Article {k}", EVENTS_PER_ARTICLE, ts)
                       for k in range(1, n_art + 1)])
        names = ", ".join('"' + name + '"' for name in cols)
        sql = f"INSERT INTO events ({names}) VALUES ({', '.join('?' * len(cols))})"
        for lo in range(0, n_events, INSERT_CHUNK):
            rows = _event_rows(lo, min(INSERT_CHUNK, n_events - lo), rng)
            assert len(rows[0]) == len(cols)
            c.executemany(sql, rows)
        c.execute("INSERT INTO event_sources (event_id, canonical_id, article_pk, sentence, start, \"end\") "
                  "SELECT event_id, coalesce(merged_into, event_id), article_pk, evidence, 0, 40 FROM events")
        c.execute("ANALYZE")
    print(f"built {n_events:,} events in {time.perf_counter() - t0:.0f} s -> {path}", file=sys.stderr)


def filter_mix(rng: random.Random) -> dict:
    """One request's filters: what the map or an analyst asks — the latest events, of a country, and a month
    of a country, a type, a box, an actor, a phrase, or a country's deadly events."""
    day = FIRST_DAY + timedelta(days=rng.randrange(N_DAYS - 31))
    month = {"since": day.isoformat(), "until": (day + timedelta(days=30)).isoformat()}
    cc = rng.choice(list(COUNTRIES))
    s, n, w, e = COUNTRIES[cc]
    return rng.choice([
        {},
        {"country": cc},
        {**month, "country": cc},
        {**month, "event_type": rng.choice(TYPES)[0]},
        {**month, "bbox": f"{w},{s},{(w + e) / 2},{(s + n) / 2}"},
        {**month, "actor": rng.choice(ACTORS)[-3:]},
        {**month, "text": "killing 1"},
        {"country": cc, "min_fatalities": 5},
    ])


def filter_kind(f: dict) -> str:
    return "+".join(sorted(f)) or "(none)"


def query_latency(db: Path, n: int) -> dict:
    """Latency (wall) and CPU of the filtered events query (page of 100, newest first), overall and per filter
    set, on the store as ``flashpoint serve`` opens it (its connection settings: mmap)."""
    from flashpoint.web import queries as qy
    from flashpoint.web.api import create_app

    store = create_app(str(db)).state.store
    rng = random.Random(SEED)
    times, cpus, rows, by_kind, cpu_by_kind = [], [], 0, {}, {}
    for _ in range(n):
        f = filter_mix(rng)
        flt = qy.EventFilter(**{k: (date.fromisoformat(v) if k in ("since", "until") else v) for k, v in f.items()})
        t0, c0 = time.perf_counter(), time.process_time()
        got, _ = qy.page(store, flt, limit=PAGE_ROWS)
        ms, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        times.append(ms)
        cpus.append(cpu)
        by_kind.setdefault(filter_kind(f), []).append(ms)
        cpu_by_kind.setdefault(filter_kind(f), []).append(cpu)
        rows += len(got)
    store.close()
    kinds = {k: _pcts(v) | {"n": len(v), "cpu_ms_mean": _mean(cpu_by_kind[k])} for k, v in sorted(by_kind.items())}
    return _pcts(times) | {"cpu_ms_mean": _mean(cpus), "cpu_ms_p95": _pcts(cpus)["p95_ms"], "queries": n,
                           "rows_per_query": round(rows / n, 1), "by_filter": kinds}


def _mean(xs: list[float]) -> float:
    return round(statistics.fmean(xs), 2)


def _pcts(ms: list[float]) -> dict:
    q = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
    return {"p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "max_ms": round(max(ms), 1)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Conn:
    """One keep-alive HTTP/1.1 connection (a minimal client: httpx itself cost ~10 ms CPU per request here, as
    much as the server, so it would measure the client)."""

    def __init__(self, host: str, port: int):
        self.host, self.port, self.reader, self.writer = host, port, None, None

    async def get(self, target: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(int(v) for k, _, v in (x.partition(":") for x in lines[1:]) if k.lower() == "content-length")
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _load(host: str, port: int, rate: float, duration: float, concurrency: int) -> dict:
    """Open loop: request k is due at k / rate s; latency counts from when it was due (queueing included)."""
    from urllib.parse import urlencode

    rng = random.Random(SEED + 1)
    queue: asyncio.Queue = asyncio.Queue()
    lat, errors = [], []
    n = int(rate * duration)

    async def worker():
        conn = _Conn(host, port)
        while True:
            item = await queue.get()
            if item is None:
                conn.close()
                return
            due, target = item
            try:
                status = await conn.get(target)
                if status != 200:
                    errors.append(f"HTTP {status}")
            except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration) as exc:
                errors.append(type(exc).__name__)
                conn.close()
                conn = _Conn(host, port)
            lat.append((time.perf_counter() - due) * 1000)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    start = time.perf_counter()
    for k in range(n):
        due = start + k / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((due, "/api/events?" + urlencode({**filter_mix(rng), "limit": PAGE_ROWS})))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    wall = time.perf_counter() - start
    return _pcts(lat) | {"requests": len(lat), "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
                         "achieved_rps": round(len(lat) / wall, 1), "wall_s": round(wall, 1)}


def load_test(db: Path, rate: float, duration: float, concurrency: int, workers: int) -> dict:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", "from flashpoint.cli import main; main()", "serve", "--db", str(db),
                             "--port", str(port), "--workers", str(workers)], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_up(base)
        cpu0, own0 = _tree_cpu_s(proc.pid), time.process_time()
        out = asyncio.run(_load("127.0.0.1", port, rate, duration, concurrency))
        server_cpu, client_cpu = _tree_cpu_s(proc.pid) - cpu0, time.process_time() - own0
        # CPU per request does not depend on what else the machine runs: capacity ~ cores * 1000 / that
        out["server_cpu_ms_per_request"] = round(server_cpu * 1000 / max(1, out["requests"]), 2)
        out["client_cpu_ms_per_request"] = round(client_cpu * 1000 / max(1, out["requests"]), 2)
        return out
    finally:
        proc.terminate()
        proc.wait(10)


def _tree_cpu_s(pid: int) -> float:
    """user + system CPU seconds of a process and its children (the uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _wait_up(base: str) -> None:
    import httpx

    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/stats?since=2099-01-01", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--server-workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    build_store(a.db, a.events)
    out = {"events": a.events, "load_average_before": os.getloadavg(), "query": query_latency(a.db, a.queries)}
    print(f"load average before: {out['load_average_before']}")
    q = out["query"]
    print(f"filtered events query over {a.events:,} events ({q['queries']} queries): p50 {q['p50_ms']} ms, "
          f"p95 {q['p95_ms']} ms, max {q['max_ms']} ms (wall); CPU {q['cpu_ms_mean']} ms per query "
          f"(p95 {q['cpu_ms_p95']})")
    for kind, v in q["by_filter"].items():
        print(f"  {kind:32s} n={v['n']:4d}  p50 {v['p50_ms']:7.1f}  p95 {v['p95_ms']:7.1f}  max {v['max_ms']:7.1f}"
              f"  CPU {v['cpu_ms_mean']:6.2f}")
    if not a.skip_load:
        out["load"] = load_test(a.db, a.rate, a.duration, a.concurrency, a.server_workers)
        print(f"HTTP GET /api/events at {a.rate:g}/s for {a.duration:g} s ({a.server_workers} server processes): "
              f"{out['load']}")
    out["load_average"] = os.getloadavg()
    print(f"load average after the run: {out['load_average']}")
    if a.json:
        a.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
