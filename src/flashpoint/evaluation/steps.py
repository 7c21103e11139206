"""The steps of ``flashpoint eval``, one per step of ``../shared/eval/dev_scores.sh`` and with the same names.

Each step strips its dev set as dev_scores.sh does (only id, text, title, source, url and published reach the
product), runs it through the library path of ``flashpoint extract ... --format json`` (or ``flashpoint geoparse``),
writes the JSON lines the command would write, reads them back and scores them with flashpoint's port of the shared
scorer. Nothing is inferred at scoring time that the product did not write.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Optional

from flashpoint.evaluation import articles, cameo, fakes, geo, india, muc4, plover, satp, seed
from flashpoint.evaluation.common import read_jsonl, reports_by_id
from flashpoint.evaluation.inputs import ids_only, strip_article, strip_gold, title_story, write_jsonl

SEED_NAME = "trtworld-aleppo-offensive"
SEED_PUBLISHED = date(2015, 10, 27)
EXTRACT_BATCH_SIZE = 16   # flashpoint extract's default --batch-size
GEO_SETS = ("geowebnews", "geovirus")
ROOT = Path(__file__).resolve().parents[3]


@dataclass
class StepResult:
    name: str
    lines: list[str] = field(default_factory=list)
    results: dict = field(default_factory=dict)
    skipped: Optional[str] = None
    reports_with_errors: int = 0

    def to_json(self) -> dict:
        out = {"name": self.name, "lines": self.lines, "results": _public(self.results),
               "reports_with_errors": self.reports_with_errors}
        return {**out, "skipped": self.skipped} if self.skipped else out


def _public(x):
    """Results without the private (``_``-prefixed) keys the summary lines use."""
    if isinstance(x, dict):
        return {k: _public(v) for k, v in x.items() if not str(k).startswith("_")}
    return x


class Runner:
    """Runs dev sets through the product, keeping each input and output JSONL in ``workdir``."""

    def __init__(self, data_dir: Optional[Path], workdir: Path):
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.workdir = Path(workdir)
        self.with_errors: dict[str, int] = {}
        self._extracted: dict[str, list[dict]] = {}

    def data(self, name: str) -> Optional[Path]:
        path = self.data_dir / name if self.data_dir is not None else None
        return path if path is not None and path.is_file() else None

    def extract(self, key: str, rows: Optional[Iterable[dict]] = None, source: Optional[Path] = None,
                published: Optional[date] = None) -> list[dict]:
        """``flashpoint extract IN --format json`` on the stripped ``rows`` (or the file ``source``): the report
        dicts, read back from the JSON lines written to ``workdir/KEY.jsonl``. Cached per key for one run."""
        from flashpoint.cli.extract import iter_reports  # the command's own loop: same reader, pipeline, batches

        if key in self._extracted:
            return self._extracted[key]
        if rows is not None:
            source = self.workdir / f"{key}_in.jsonl"
            write_jsonl(rows, source)
        out = self.workdir / f"{key}.jsonl"
        with_errors = 0
        with open(out, "w", encoding="utf-8") as fh:
            for rep in iter_reports([str(source)], published, EXTRACT_BATCH_SIZE):
                with_errors += bool(rep.failures)
                fh.write(json.dumps(rep.to_json_dict(), ensure_ascii=False) + "\n")
        self.with_errors[key] = with_errors
        self._extracted[key] = read_jsonl(out)
        return self._extracted[key]

    def geoparse(self, key: str, rows: list[dict], given_spans: bool) -> list[dict]:
        """``flashpoint geoparse IN [--given-spans]`` on the stripped ``rows``, read back from ``workdir/KEY.jsonl``."""
        from flashpoint.geo.cli_api import geoparse_records

        source, out = self.workdir / f"{key}_in.jsonl", self.workdir / f"{key}.jsonl"
        write_jsonl(rows, source)
        with open(out, "w", encoding="utf-8") as fh:
            for rec in geoparse_records(read_jsonl(source), given_spans=given_spans, focus_hint=None):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return read_jsonl(out)


def seed_files(data_dir: Optional[Path]) -> Optional[tuple[Path, Path]]:
    """The founding article and its gold: ``DATA/../seed`` (as dev_scores.sh), else the copies in the checkout."""
    cands = [(Path(data_dir).parent / "seed",) * 2] if data_dir is not None else []
    cands.append((ROOT / "samples", ROOT / "tests" / "fixtures"))
    for text_dir, gold_dir in cands:
        text, gold = text_dir / f"{SEED_NAME}.txt", gold_dir / f"{SEED_NAME}.gold.json"
        if text.is_file() and gold.is_file():
            return text, gold
    return None


def step_seed(run: Runner) -> StepResult:
    paths = seed_files(run.data_dir)
    if paths is None:
        return StepResult("seed", skipped="seed: the founding article or its gold annotation is not present")
    gold = json.loads(paths[1].read_text(encoding="utf-8"))
    reps = run.extract("seed", source=paths[0], published=SEED_PUBLISHED)
    if len(reps) != 1:
        return StepResult("seed", lines=[f"expected one report line, got {len(reps)}"])
    res = seed.score(gold, reps[0], strict=True)
    places = seed.score_places(gold, reps[0])
    return StepResult("seed", [seed.summary(res, strict=True), seed.places_summary(places)],
                      {"strict": res, "places": places}, reports_with_errors=run.with_errors["seed"])


def _fakes_reports(run: Runner) -> Optional[dict[str, dict]]:
    path = run.data("fakes_dev.jsonl")
    if path is None:
        return None
    return reports_by_id(run.extract("fakes", rows=(strip_article(g) for g in read_jsonl(path))))


def step_fakes(run: Runner) -> StepResult:
    reps = _fakes_reports(run)
    if reps is None:
        return StepResult("fakes", skipped=f"fakes: {run.data_dir}/fakes_dev.jsonl not present")
    res = fakes.score(read_jsonl(run.data("fakes_dev.jsonl")), reps)
    return StepResult("fakes", [fakes.summary(res)], res, reports_with_errors=run.with_errors["fakes"])


def step_fakes_events(run: Runner) -> StepResult:
    gold = run.data("fakes_dev_events.jsonl")
    reps = _fakes_reports(run) if gold is not None else None
    if reps is None:
        return StepResult("fakes-events", skipped=f"fakes-events: {run.data_dir}/fakes_dev.jsonl or "
                                                  "fakes_dev_events.jsonl not present")
    res = articles.score(read_jsonl(gold), reps)
    return StepResult("fakes-events", [articles.summary(res)], res, reports_with_errors=run.with_errors["fakes"])


def step_geo(run: Runner) -> StepResult:
    out = StepResult("geo")
    for name in GEO_SETS:
        path = run.data(f"geo_{name}.jsonl")
        if path is None:
            out.lines.append(f"geo: {run.data_dir}/geo_{name}.jsonl not present")
            continue
        rows = read_jsonl(path)
        gold = {str(g["id"]): g for g in rows}
        out.results[name] = {}
        for given, key in ((True, "given_spans"), (False, "end_to_end")):
            preds = run.geoparse(f"{name}.{'spans' if given else 'text'}",
                                 [strip_gold(g, spans=given) for g in rows], given)
            res = geo.score(gold, {str(p["id"]): p for p in preds}, given_spans=given, name=name)
            out.results[name][key] = res
            out.lines.append(geo.summary(res, given_spans=given))
    return out


def step_plover(run: Runner) -> StepResult:
    path = run.data("ngec_synthetic.jsonl")
    if path is None:
        return StepResult("plover", skipped=f"plover: {run.data_dir}/ngec_synthetic.jsonl not present")
    rows = read_jsonl(path)
    fold = [title_story(g) for g in rows if plover.in_fold(g)]
    reps = reports_by_id(run.extract("plover", rows=fold))
    keep = {g["id"] for g in fold}
    res = plover.score([g for g in rows if g["id"] in keep], reps)
    return StepResult("plover", [plover.summary(res)], res, reports_with_errors=run.with_errors["plover"])


# steps that extract every row of one file and score the reports with one scorer:
# name -> (file, name of the kept JSON, what the pipeline is given of a row, score, summary line)
SCORED_SETS = {
    "petrarch": ("petrarch_unit_tests.jsonl", "petr", ids_only, cameo.score_petrarch, cameo.petrarch_summary),
    "cameo": ("conflibert_cameo_train.jsonl", "cameo", ids_only, cameo.score_pentaclass, cameo.pentaclass_summary),
    "india": ("india_police_sents_dev.jsonl", "india", strip_article, india.score, india.summary),
    "muc4": ("muc4_dev.jsonl", "muc4", strip_article, muc4.score, muc4.summary),
    "satp": ("satp_relevant_dev.jsonl", "satp", strip_article, satp.score, satp.summary),
}


def _scored_step(name: str) -> Callable[[Runner], StepResult]:
    filename, key, given, score, summary = SCORED_SETS[name]

    def step(run: Runner) -> StepResult:
        path = run.data(filename)
        if path is None:
            return StepResult(name, skipped=f"{name}: {run.data_dir}/{filename} not present")
        gold = read_jsonl(path)
        res = score(gold, reports_by_id(run.extract(key, rows=map(given, gold))))
        return StepResult(name, [summary(res)], res, reports_with_errors=run.with_errors[key])

    return step


STEPS: dict[str, Callable[[Runner], StepResult]] = {
    "seed": step_seed, "fakes": step_fakes, "fakes-events": step_fakes_events, "geo": step_geo,
    "petrarch": _scored_step("petrarch"), "cameo": _scored_step("cameo"), "plover": step_plover,
    **{name: _scored_step(name) for name in ("india", "muc4", "satp")},
}
