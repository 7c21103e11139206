"""`flashpoint eval` reports the numbers of ../shared/eval/dev_scores.sh on the same output.

Where ../shared (next to the project root) is present: the shared scorers (run as scripts, unchanged) and
flashpoint's ports in flashpoint.evaluation score the same JSON that `flashpoint extract --format json` wrote, and
must agree on every number and on the summary line; `flashpoint eval` itself prints the shared scorer's line for the
JSON it kept. FA-KES runs on a small subset (articles that also have full-event gold) to stay fast.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashpoint.cli import app
from flashpoint.evaluation import STEP_NAMES, articles, fakes, seed
from flashpoint.evaluation.common import read_jsonl, reports_by_id
from flashpoint.evaluation.inputs import strip_article, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL, DATA, SEED = SHARED / "eval", SHARED / "data", SHARED / "seed"
SEED_NAME = "trtworld-aleppo-offensive"
N_FAKES = 8          # FA-KES articles in the subset
runner = CliRunner()

pytestmark = pytest.mark.skipif(not (EVAL / "dev_scores.sh").is_file() or not (DATA / "fakes_dev.jsonl").is_file(),
                                reason="../shared (eval scorers and dev data) is not present next to the project")


def scorer(script: str, *args) -> list[str]:
    """The shared scorer's output lines (it runs as a script, with python3 as dev_scores.sh runs it)."""
    python = shutil.which("python3") or sys.executable
    proc = subprocess.run([python, str(EVAL / script), *map(str, args)], capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout.strip(), proc.stderr
    return proc.stdout.strip().splitlines()


def extract(inp: Path, out: Path, *opts: str) -> list[dict]:
    """`flashpoint extract INP --format json -o OUT`; exit 1 only flags reports carrying warnings."""
    res = runner.invoke(app, ["extract", str(inp), *opts, "--format", "json", "-o", str(out)])
    assert res.exit_code in (0, 1) and out.is_file(), res.output
    return read_jsonl(out)


def without_passes(res: dict) -> dict:
    return {k: v for k, v in res.items() if k != "passes"}


@pytest.fixture(scope="module")
def fakes_subset(tmp_path_factory) -> Path:
    """A data folder holding the first N_FAKES FA-KES dev articles that have full-event gold, and that gold."""
    d = tmp_path_factory.mktemp("fakes_subset")
    events = {str(g["id"]): g for g in read_jsonl(DATA / "fakes_dev_events.jsonl")}
    rows, seen = [], set()
    for g in read_jsonl(DATA / "fakes_dev.jsonl"):
        if str(g["id"]) in events and g["id"] not in seen and len(rows) < N_FAKES:
            rows.append(g)
            seen.add(g["id"])
    write_jsonl(rows, d / "fakes_dev.jsonl")
    write_jsonl([events[str(g["id"])] for g in rows], d / "fakes_dev_events.jsonl")
    return d


def test_steps_are_dev_scores_steps():
    text = (EVAL / "dev_scores.sh").read_text(encoding="utf-8")
    shared_steps = re.search(r"steps=\$\{\*:-([^}]*)\}", text).group(1).split()
    assert list(STEP_NAMES) == shared_steps
    from flashpoint.evaluation.steps import STEPS

    assert list(STEPS) == shared_steps


def test_seed_scorer_parity(tmp_path):
    reps = extract(SEED / f"{SEED_NAME}.txt", tmp_path / "seed.jsonl", "--published", "2015-10-27")
    gold = json.loads((SEED / f"{SEED_NAME}.gold.json").read_text(encoding="utf-8"))
    for strict, flag in ((True, ["--strict"]), (False, [])):
        lines = scorer("score_seed.py", SEED / f"{SEED_NAME}.gold.json", tmp_path / "seed.jsonl", "--json", *flag)
        mine = seed.score(gold, reps[0], strict=strict)
        assert without_passes(mine) == json.loads(lines[-2])
        assert seed.summary(mine, strict=strict) == lines[-1]
    places = scorer("seed_places.py", SEED / f"{SEED_NAME}.gold.json", tmp_path / "seed.jsonl")
    assert seed.places_summary(seed.score_places(gold, reps[0])) == places[-1]


def test_fakes_scorers_parity(fakes_subset, tmp_path):
    stripped = scorer("strip_articles.py", fakes_subset / "fakes_dev.jsonl")
    gold = read_jsonl(fakes_subset / "fakes_dev.jsonl")
    assert [json.loads(x) for x in stripped] == [strip_article(g) for g in gold]  # same inputs as dev_scores.sh
    (tmp_path / "in.jsonl").write_text("\n".join(stripped) + "\n", encoding="utf-8")
    reps = reports_by_id(extract(tmp_path / "in.jsonl", tmp_path / "fakes.jsonl"))
    assert len(reps) == N_FAKES

    shared = scorer("score_fakes.py", fakes_subset / "fakes_dev.jsonl", tmp_path / "fakes.jsonl", "--json")
    mine = fakes.score(gold, reps)
    assert mine == json.loads(shared[0])
    assert fakes.summary(mine) == shared[-1]

    shared = scorer("score_articles.py", fakes_subset / "fakes_dev_events.jsonl", tmp_path / "fakes.jsonl", "--json")
    mine = articles.score(read_jsonl(fakes_subset / "fakes_dev_events.jsonl"), reps)
    assert mine == json.loads(shared[-2])
    assert articles.summary(mine) == shared[-1]
    assert mine["gold_events"] > 0 and mine["pred_asserted"] > 0   # the subset exercises the matching


def test_eval_seed_cli_reports_score_seed_strict(tmp_path):
    keep, out = tmp_path / "kept", tmp_path / "results.json"
    res = runner.invoke(app, ["eval", "seed", "--data", str(DATA), "--keep", str(keep), "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = scorer("score_seed.py", SEED / f"{SEED_NAME}.gold.json", keep / "seed.jsonl", "--strict", "--json")
    got = json.loads(out.read_text(encoding="utf-8"))["seed"]
    assert without_passes(got["results"]["strict"]) == json.loads(lines[-2])
    assert got["lines"][0] == lines[-1]
    assert lines[-1] in res.stdout.splitlines()


def test_eval_fakes_cli_reports_the_shared_lines(fakes_subset, tmp_path):
    keep, out = tmp_path / "kept", tmp_path / "results.json"
    res = runner.invoke(app, ["eval", "fakes", "fakes-events", "--data", str(fakes_subset), "--keep", str(keep),
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(read_jsonl(keep / "fakes.jsonl")) == N_FAKES        # one extraction serves both steps
    want = [scorer("score_fakes.py", fakes_subset / "fakes_dev.jsonl", keep / "fakes.jsonl")[-1],
            scorer("score_articles.py", fakes_subset / "fakes_dev_events.jsonl", keep / "fakes.jsonl")[-1]]
    got = json.loads(out.read_text(encoding="utf-8"))
    assert [got["fakes"]["lines"][0], got["fakes-events"]["lines"][0]] == want
    assert [x for x in res.stdout.splitlines() if x in want] == want
