"""Issue #12 H7: wall and CPU seconds of ``flashpoint.extract`` on the pathological inputs, one fresh process each.

    PYTHONPATH=src .venv/bin/python bench/bench_pathological.py [--timeout 600] [CASE ...]

Cases: killed1000 killed2000 killed4000 gunmen1000 quotes50000 (default: all). Each case runs in a child process
(the model warmed on one sentence first) and is stopped at --timeout seconds. Results are in docs/PERFORMANCE.md,
"Pathological inputs (#12 H7)"; no unit test asserts a timing (tests/test_pathological.py counts the work).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

CASES = {
    "killed1000": ("killed ", 1_000),
    "killed2000": ("killed ", 2_000),
    "killed4000": ("killed ", 4_000),
    "gunmen1000": ("Gunmen killed a man, ", 1_000),
    "quotes50000": ('"', 50_000),
}

_CHILD = r"""
import json, sys, time
import flashpoint
unit, n = sys.argv[1], int(sys.argv[2])
flashpoint.extract("Rebels attacked Aleppo on Sunday.", published="2020-01-01")
w, c = time.perf_counter(), time.process_time()
rep = flashpoint.extract(unit * n, published="2020-01-01", id="p")
print(json.dumps({"wall": time.perf_counter() - w, "cpu": time.process_time() - c, "events": len(rep.events),
                  "warnings": [e for e in rep.errors if "warning" in e]}))
"""


def run(name: str, timeout: float) -> dict:
    unit, n = CASES[name]
    try:
        out = subprocess.run([sys.executable, "-c", _CHILD, unit, str(n)], capture_output=True, text=True,
                             timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"case": name, "chars": len(unit) * n, "wall": None, "note": f"still running at {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        return {"case": name, "chars": len(unit) * n, "wall": None, "note": exc.stderr.strip().splitlines()[-1:]}
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return {"case": name, "chars": len(unit) * n, **res}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", default=list(CASES))
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args()
    for name in args.cases:
        print(json.dumps(run(name, args.timeout)), flush=True)


if __name__ == "__main__":
    main()
