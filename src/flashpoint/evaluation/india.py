"""IndiaPoliceEvents sentences: the rules of ``../shared/eval/score_india_police.py``.

Only asserted events count. A state security actor is an event's actor1 or assoc_actor_1 whose CAMEO code ends in
COP, MIL or SPY (a plain name takes its code from the report's ``actors``; an actor without a code counts when its
name holds a security word). ARREST <- sub-type Arrests; KILL <- state security actor1 and fatalities > 0;
FORCE <- KILL, a protest-force sub-type, or a state security actor1 on a violent event type; ANY_ACTION <- any of
those or any asserted event with a state security actor. FAIL is not mapped (shown, left out of the macro F1).
"""
from __future__ import annotations

import re

from flashpoint.evaluation.common import ASSERTED, prf

LABELS = ["KILL", "ARREST", "ANY_ACTION", "FAIL", "FORCE"]   # column order of `labels` in the gold file
MAPPED = ["KILL", "ARREST", "FORCE", "ANY_ACTION"]
SECURITY = re.compile(r"\b(police|policemen|policeman|cops?|constables?|constabulary|gendarm\w*|army|military|"
                      r"soldiers?|troops?|security forces?|paramilitar\w*|armed forces|intelligence|"
                      r"rapid action force|crpf|bsf|srp)\b", re.I)
SECURITY_CODES = ("COP", "MIL", "SPY")
FORCE_SUBTYPES = {"Excessive force against protesters", "Protest with intervention"}
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def state_security(actor, report: dict) -> bool:
    if not actor:
        return False
    if isinstance(actor, dict):
        code = str(actor.get("cameo") or "").upper()
        names = [str(actor.get(k) or "") for k in ("canonical", "name")]
    else:
        code, names = "", [str(actor)]
        for a in report.get("actors") or []:
            if names[0] in (a.get("canonical"), a.get("name")) and a.get("cameo"):
                code = str(a["cameo"]).upper()
                break
    if code:
        return code.endswith(SECURITY_CODES)
    return any(SECURITY.search(n) for n in names)


def predict(report: dict) -> set[str]:
    got = set()
    for e in report.get("events") or []:
        if e.get("status") not in ASSERTED:
            continue
        sub, typ = e.get("sub_event_type"), e.get("event_type")
        state = any(state_security(a, report) for a in [e.get("actor1")] + list(e.get("assoc_actor_1") or []))
        fat = e.get("fatalities")
        kill = state and isinstance(fat, int) and fat > 0
        force = kill or sub in FORCE_SUBTYPES or (state and typ in VIOLENT_TYPES)
        arrest = sub == "Arrests"
        got |= {label for label, on in (("KILL", kill), ("FORCE", force), ("ARREST", arrest),
                                        ("ANY_ACTION", kill or force or arrest or state)) if on}
    return got


def score(gold: list[dict], reps: dict[str, dict]) -> dict:
    """score_india_police.py's result (its --json dict)."""
    counts = {label: [0, 0, 0] for label in LABELS}   # tp, fp, fn
    missing = 0
    for g in gold:
        rep = reps.get(str(g["id"]))
        missing += rep is None
        pred = predict(rep) if rep else set()
        truth = {label for label, v in zip(LABELS, g["labels"]) if v}
        for label in LABELS:
            counts[label][0] += label in truth and label in pred
            counts[label][1] += label not in truth and label in pred
            counts[label][2] += label in truth and label not in pred
    res = {"n": len(gold), "missing_reports": missing, "per_label": {}}
    for label in MAPPED + ["FAIL"]:
        tp, fp, fn = counts[label]
        p, r, f = prf(tp, fp, fn)
        res["per_label"][label] = {"gold": tp + fn, "pred": tp + fp, "precision": round(p, 4),
                                   "recall": round(r, 4), "f1": round(f, 4), "mapped": label in MAPPED}
    res["macro_f1"] = round(sum(res["per_label"][label]["f1"] for label in MAPPED) / len(MAPPED), 4)
    return res


def summary(res: dict) -> str:
    """score_india_police.py's summary line."""
    per = ", ".join(f"{label} {res['per_label'][label]['f1']:.3f}" for label in MAPPED)
    missing = res["missing_reports"]
    return (f"india police sents ({res['n']}): macro F1 {res['macro_f1']:.3f} ({per}); FAIL not mapped "
            f"({res['per_label']['FAIL']['gold']} gold)" + (f"; {missing} reports missing" if missing else ""))
