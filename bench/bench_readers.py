"""Readers under load (issue #12, M5 and H1): time and peak memory of reading big inputs, each in a fresh
subprocess so peak RSS (ru_maxrss) belongs to that case alone.

* ``jsonl-1m``: a million-line JSONL (about 173 MB) read to the end with ``read_inputs`` (streamed: constant memory)
* ``jsonl-204mb``: the issue's 204 MB JSONL size (1,181,820 lines of 181 bytes), read to the end
* ``long-50mb``: one JSONL line holding a 50 MB article, read; then the pipeline's guard cuts it
  (``limits.MAX_ARTICLE_CHARS``) and ``extract`` runs on it: wall time of read, guard and extract
* ``limit-*``: extract time of the first N characters of FA-KES dev articles and of the issue's repeated
  "Troops shelled Idlib. " (needs ../shared/data for FA-KES; skipped otherwise)

    .venv/bin/python bench/bench_readers.py [--cases jsonl-1m,long-50mb] [--tmp DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINE = json.dumps({"id": "x", "text": "Rebels attacked an army post near Aleppo on Monday, and the army said that "
                   "three soldiers were killed in the fighting that went on for hours, a monitor said."}) + "\n"

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {src!r})
from flashpoint.ingest import read_inputs
case, path = sys.argv[1], sys.argv[2]
t = time.perf_counter(); n = errs = 0
out = {{}}
for item in read_inputs([path]):
    n += 1; errs += not hasattr(item, "text")
    if case == "long-50mb":
        from flashpoint.ingest.limits import guard_article
        t1 = time.perf_counter(); _, text, warnings = guard_article(item); out["guard_s"] = time.perf_counter() - t1
        out["read_s"] = t1 - t
        from flashpoint.pipeline import default_pipeline
        pipe = default_pipeline(); pipe.extract(type(item)(id="warm", text="Troops shelled Idlib."))
        t2 = time.perf_counter(); rep = pipe.extract(item); out["extract_s"] = time.perf_counter() - t2
        out["parsed_chars"] = len(text); out["events"] = len(rep.events); out["warnings"] = len(rep.errors)
out.update(items=n, errors=errs, seconds=round(time.perf_counter() - t, 2),
           peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
print(json.dumps(out))
"""

_LIMIT_CHILD = r"""
import json, sys, time
sys.path.insert(0, {src!r})
from flashpoint.model import Article
from flashpoint.pipeline import default_pipeline
text, sizes = open(sys.argv[1], encoding="utf-8").read(), [int(s) for s in sys.argv[2].split(",")]
pipe = default_pipeline(); pipe.extract(Article(id="warm", text="Troops shelled Idlib."))
res = {{}}
for n in sizes:
    t = time.perf_counter(); rep = pipe.extract(Article(id="x", text=text[:n])); res[n] = round(time.perf_counter() - t, 1)
print(json.dumps(res))
"""


def _make(case: str, tmp: Path) -> Path:
    p = tmp / f"{case}.jsonl"
    if p.exists():
        return p
    with open(p, "w", encoding="utf-8") as fh:
        if case == "jsonl-1m":
            fh.writelines(LINE for _ in range(1_000_000))
        elif case == "jsonl-204mb":
            fh.writelines(LINE for _ in range(204 * 2**20 // len(LINE)))
        elif case == "long-50mb":
            fh.write(json.dumps({"id": "long", "text": "Troops shelled Idlib. " * (50 * 2**20 // 22)}) + "\n")
    return p


def run_case(case: str, tmp: Path) -> dict:
    path = _make(case, tmp)
    code = _CHILD.format(src=str(ROOT / "src"))
    res = subprocess.run([sys.executable, "-c", code, case, str(path)], capture_output=True, text=True, check=True)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["file_mb"] = round(path.stat().st_size / 2**20, 1)
    return out


def run_limits(tmp: Path, sizes=(25_000, 50_000, 100_000)) -> dict:
    texts = {"troops-shelled": "Troops shelled Idlib. " * 10_000}
    fakes = Path(os.environ.get("FLASHPOINT_DATA", ROOT.parent / "shared" / "data")) / "fakes_dev.jsonl"
    if fakes.exists():
        texts["fakes-dev"] = "\n\n".join(json.loads(ln)["text"] for ln in fakes.open(encoding="utf-8"))
    out = {}
    for name, text in texts.items():
        p = tmp / f"limit-{name}.txt"
        p.write_text(text, encoding="utf-8")
        code = _LIMIT_CHILD.format(src=str(ROOT / "src"))
        res = subprocess.run([sys.executable, "-c", code, str(p), ",".join(map(str, sizes))], capture_output=True,
                             text=True, check=True)
        out[f"limit-{name}"] = json.loads(res.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="jsonl-1m,jsonl-204mb,long-50mb,limits")
    ap.add_argument("--tmp", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fp-bench-readers-") as d:
        tmp = args.tmp or Path(d)
        for case in args.cases.split(","):
            t = time.perf_counter()
            res = run_limits(tmp) if case == "limits" else run_case(case, tmp)
            print(f"{case}: {json.dumps(res)} ({time.perf_counter() - t:.0f} s with file creation)", flush=True)


if __name__ == "__main__":
    main()
