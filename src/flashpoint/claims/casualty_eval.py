"""Article-level casualty counts from ``find_casualties`` and a FA-KES check.

``article_casualties(doc)`` gives one number per field for a whole article with a simple,
documented rule (the events engineer's FA-KES scorer can call it or refine it):

the first sentence that reports an exact number of people killed describes the main
event (see the function's docstring).

``run(data_dir, limit)`` measures exact-match accuracy of those numbers against
``fakes_dev.jsonl`` (gold.nb_civilians etc.; a missing prediction counts as 0, as the
FA-KES annotators wrote 0 when an article gave no number).
"""
from __future__ import annotations

import json
from pathlib import Path

from flashpoint.claims.numbers import CIVILIAN_GROUPS, find_casualties, vague_phrases

NONCIVILIAN_GROUPS = ("combatants", "soldiers", "militants")


def article_casualties(doc) -> dict[str, int]:
    """Casualty numbers of an article's main event (FA-KES style), lead-first rule.

    The main event of a news article is the one of its first sentence that reports
    people killed: take the first sentence with an exact (not vague, not aggregate,
    not subset) "killed" count; its largest civilian/unspecified-people count is the
    civilian toll, its largest soldiers/combatants/militants count the non-civilian
    toll, and the children/women counts of that sentence (subsets included) fill those.
    Articles without such a sentence get 0 (FA-KES writes 0 for "not reported").
    """
    vague = {v for v, _ in vague_phrases()}
    best = {"nb_civilians": 0, "nb_noncivilians": 0, "nb_children": 0, "nb_women": 0}
    for sent in doc.sents:
        cas = [c for c in find_casualties(sent) if c.outcome == "killed" and not c.aggregate
               and c.count is not None and c.qualifier not in vague]
        main = [c for c in cas if not c.subset]
        if not main:
            continue
        civ = [c.count for c in main if c.group in CIVILIAN_GROUPS]
        non = [c.count for c in main if c.group in NONCIVILIAN_GROUPS]
        best["nb_civilians"] = max(civ, default=0)
        best["nb_noncivilians"] = max(non, default=0)
        best["nb_children"] = max((c.count for c in cas if c.group == "children"), default=0)
        best["nb_women"] = max((c.count for c in cas if c.group == "women"), default=0)
        break
    return best


def run(data_dir: Path, limit: int | None = None, nlp=None) -> dict:
    """Exact-match accuracy of ``article_casualties`` on FA-KES dev."""
    path = Path(data_dir) / "fakes_dev.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if limit:
        rows = rows[:limit]
    if nlp is None:
        from flashpoint.nlp import load_base

        nlp = load_base()
    fields = ("nb_civilians", "nb_noncivilians", "nb_children", "nb_women")
    hits = {f: 0 for f in fields}
    errors = []
    texts = [r["text"] for r in rows]
    for row, doc in zip(rows, nlp.pipe(texts, batch_size=16)):
        pred = article_casualties(doc)
        for f in fields:
            gold = row["gold"].get(f) or 0
            if pred[f] == gold:
                hits[f] += 1
            elif f == "nb_civilians":
                errors.append({"id": row["id"], "gold": gold, "pred": pred[f]})
    n = len(rows)
    metrics = {f"{f}_exact": round(hits[f] / n, 4) if n else 0.0 for f in fields}
    return {"name": "fakes-casualties", "n": n, "metrics": metrics, "errors": errors}


if __name__ == "__main__":  # pragma: no cover
    import sys

    from flashpoint.paths import shared_data_dir

    d = shared_data_dir()
    if d is None:
        sys.exit("shared data not found")
    lim = int(sys.argv[1]) if len(sys.argv) > 1 else None
    res = run(d, lim)
    print(json.dumps({k: v for k, v in res.items() if k != "errors"}, indent=1))
    for e in res["errors"][:60]:
        print(e)
