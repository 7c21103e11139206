"""SATP incident summaries: the rules of ``../shared/eval/score_satp.py``.

Relevance: a paragraph is predicted relevant when its report has an asserted event. Attack type, per label over
paragraphs from the asserted events: armed_assault <- Battles or sub-type Attack; bombing_explosion <-
Explosions/Remote violence; kidnapping <- Abduction/forced disappearance; other <- a loose list of sub-types (shown,
left out of the macro F1 over the first three).
"""
from __future__ import annotations

from flashpoint.evaluation.common import asserted, prf

LABELS = ["armed_assault", "bombing_explosion", "kidnapping", "other"]   # column order of `labels` in the gold file
MACRO = ["armed_assault", "bombing_explosion", "kidnapping"]
OTHER_SUBTYPES = {"Looting/property destruction", "Sexual violence", "Mob violence", "Violent demonstration",
                  "Excessive force against protesters"}


def types_of(events: list[dict]) -> set[str]:
    got = set()
    for e in events:
        typ, sub = e.get("event_type"), e.get("sub_event_type")
        if typ == "Battles" or sub == "Attack":
            got.add("armed_assault")
        if typ == "Explosions/Remote violence":
            got.add("bombing_explosion")
        if sub == "Abduction/forced disappearance":
            got.add("kidnapping")
        if sub in OTHER_SUBTYPES:
            got.add("other")
    return got


def _add(c: list[int], truth: bool, pred: bool) -> None:
    c[0] += truth and pred
    c[1] += pred and not truth
    c[2] += truth and not pred


def score(gold: list[dict], reps: dict[str, dict]) -> dict:
    """score_satp.py's result (its --json dict)."""
    rel = [0, 0, 0]
    per = {label: [0, 0, 0] for label in LABELS}
    missing = 0
    for g in gold:
        rep = reps.get(str(g["id"]))
        missing += rep is None
        evs = asserted(rep or {})
        truth = {label for label, v in zip(LABELS, g["labels"]) if v}
        _add(rel, bool(truth), bool(evs))
        pred = types_of(evs)
        for label in LABELS:
            _add(per[label], label in truth, label in pred)
    rp, rr, rf = prf(*rel)
    res = {"n": len(gold), "missing_reports": missing, "gold_negatives": sum(1 for g in gold if not any(g["labels"])),
           "relevance": {"precision": round(rp, 4), "recall": round(rr, 4), "f1": round(rf, 4)}, "types": {},
           "_relevance": (rp, rr, rf)}
    for label in LABELS:
        p, r, f = prf(*per[label])
        res["types"][label] = {"gold": per[label][0] + per[label][2], "pred": per[label][0] + per[label][1],
                               "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    res["type_macro_f1"] = round(sum(res["types"][label]["f1"] for label in MACRO) / len(MACRO), 4)
    return res


def summary(res: dict) -> str:
    """score_satp.py's summary line."""
    rp, rr, rf = res["_relevance"]
    ty = ", ".join(f"{label} {res['types'][label]['f1']:.3f}" for label in LABELS)
    missing = res["missing_reports"]
    return (f"satp ({res['n']}): relevance P/R/F1 {rp:.3f}/{rr:.3f}/{rf:.3f} ({res['gold_negatives']} gold negatives); "
            f"attack-type macro F1 {res['type_macro_f1']:.3f} ({ty})" + (f"; {missing} reports missing" if missing else ""))
