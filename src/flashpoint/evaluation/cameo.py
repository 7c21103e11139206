"""CAMEO codes of the extracted events: the rules of ``../shared/eval/score_petrarch.py`` (PETRARCH-2 unit tests)
and ``score_pentaclass.py`` (ConfliBERT's five-class CAMEO sentences). Only the ``cameo_code`` that extraction
writes on its events is read; there is no coder here.

PETRARCH: an expected event (with a valid CAMEO root) is found when some event of its sentence has a code with the
same two-digit root; root precision = distinct predicted roots expected in their sentence / distinct predicted roots
(sentences with only test-only codes left out); no-event sentences should get no root.
Five-class: the first event with a code gives the class (0 = roots 01-02, 1 = 03-05, 2 = 06-08, 3 = 09-13,
4 = 14-20; no event = class 0); accuracy and macro F1.
"""
from __future__ import annotations

import bisect
import collections

ROOT_DIGITS = 2
CLASS_UPPER_ROOTS = (2, 5, 8, 13)   # the last root of classes 0-3; class 4 holds the rest
N_CLASSES = len(CLASS_UPPER_ROOTS) + 1


def _roots(report: dict | None) -> set[str]:
    return {str(e.get("cameo_code") or "")[:ROOT_DIGITS] for e in (report or {}).get("events") or []}


def score_petrarch(gold: list[dict], reps: dict[str, dict], name: str = "petrarch-unit") -> dict:
    total = found = none_total = none_ok = pred_roots = pred_ok = 0
    for g in gold:
        exp = [e for e in g.get("expected") or [] if e.get("code") and e.get("cameo_root_valid", True)]
        roots = _roots(reps.get(str(g["id"])))
        coded = roots - {""}
        if not g.get("expected"):
            none_total += 1
            none_ok += int(not coded)
        total += len(exp)
        found += sum(int(str(e["code"])[:ROOT_DIGITS] in roots) for e in exp)
        if exp or not g.get("expected"):
            pred_roots += len(coded)
            pred_ok += len(coded & {str(e["code"])[:ROOT_DIGITS] for e in exp})
    return {"name": name, "sentences": len(gold), "expected": total, "found": found,
            "root_recall": found / total if total else 0.0, "no_event_sentences": none_total,
            "no_event_left_empty": none_ok, "predicted_roots": pred_roots,
            "root_precision": pred_ok / pred_roots if pred_roots else 0.0,
            "roots_per_sentence": pred_roots / max(1, len(gold))}


def petrarch_summary(res: dict) -> str:
    """score_petrarch.py's line."""
    return (f"{res['name']}: CAMEO root found {res['found']}/{res['expected']} = {res['root_recall']:.3f}; "
            f"no-event sentences left empty {res['no_event_left_empty']}/{res['no_event_sentences']}; "
            f"root precision {res['root_precision']:.3f}, {res['roots_per_sentence']:.2f} roots per sentence")


def five_class(code) -> int:
    try:
        root = int(str(code)[:ROOT_DIGITS])
    except ValueError:
        return 0
    return bisect.bisect_left(CLASS_UPPER_ROOTS, root)


def score_pentaclass(gold: list[dict], reps: dict[str, dict]) -> dict:
    ok = 0
    conf: collections.Counter = collections.Counter()
    for g in gold:
        evs = [e for e in (reps.get(str(g["id"])) or {}).get("events") or [] if e.get("cameo_code")]
        p = five_class(evs[0]["cameo_code"]) if evs else 0
        conf[(g["label_pentaclass"], p)] += 1
        ok += int(p == g["label_pentaclass"])
    f1 = []
    for c in range(N_CLASSES):
        n_pred = sum(v for (_, q), v in conf.items() if q == c)
        n_gold = sum(v for (g_, _), v in conf.items() if g_ == c)
        f1.append(2 * conf[(c, c)] / (n_pred + n_gold) if n_pred + n_gold else 0.0)
    return {"sentences": len(gold), "accuracy": ok / len(gold), "macro_f1": sum(f1) / N_CLASSES,
            "per_class_f1": f1}


def pentaclass_summary(res: dict) -> str:
    """score_pentaclass.py's line."""
    return (f"conflibert-cameo five-class ({res['sentences']}): accuracy {res['accuracy']:.3f}, "
            f"macro F1 {res['macro_f1']:.3f}")
