"""MUC-4 reports: the rules of ``../shared/eval/score_muc4.py``.

Incident events are asserted events of type Violence against civilians or Explosions/Remote violence, or of
sub-type Looting/property destruction, Mob violence or Violent demonstration. Detection per document (gold: the
document has a template). Role fillers, micro over documents: perpetrator organisation <- the distinct actor1 /
assoc_actor_1 of the incident events; victim/target <- actor2 / assoc_actor_2. A predicted actor (its canonical
name, its name as written and every name the report's ``actors`` gives that canonical name) matches a gold entity
when a name shares a non-stop token with one of the entity's mentions.
"""
from __future__ import annotations

import re

from flashpoint.evaluation.common import ASSERTED

INCIDENT_TYPES = {"Violence against civilians", "Explosions/Remote violence"}
INCIDENT_SUBTYPES = {"Looting/property destruction", "Mob violence", "Violent demonstration"}
STOP = {"the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "by", "with", "from", "de", "del", "la", "las",
        "el", "los", "y", "unidentified", "unknown"}
ROLES = (("perp_org", "actor1", "assoc_actor_1"), ("victim_target", "actor2", "assoc_actor_2"))


def tokens(s) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", str(s or "").lower()) if t not in STOP}


def prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def incident_events(report: dict) -> list[dict]:
    return [e for e in report.get("events") or [] if e.get("status") in ASSERTED
            and (e.get("event_type") in INCIDENT_TYPES or e.get("sub_event_type") in INCIDENT_SUBTYPES)]


def fillers(report: dict, events: list[dict], key: str, assoc: str) -> list[list[set[str]]]:
    """Distinct predicted actors for one role, each as the token sets of its names."""
    names: dict[str, set] = {}
    for a in report.get("actors") or []:
        if a.get("canonical"):
            names.setdefault(a["canonical"], set()).add(a.get("name"))
    out: dict[str, set] = {}
    for e in events:
        for a in [e.get(key)] + list(e.get(assoc) or []):
            own = {a.get("canonical"), a.get("name")} if isinstance(a, dict) else {a}
            own = {str(x) for x in own if x}
            if not own:
                continue
            k = sorted(own)[0] if not isinstance(a, dict) else str(a.get("canonical") or a.get("name"))
            out.setdefault(k, set()).update(own | {str(x) for x in names.get(k, set()) if x})
    return [v for v in ([t for t in (tokens(x) for x in n) if t] for n in out.values()) if v]


def match(filler: list[set[str]], entity: list[str]) -> bool:
    return any(f & tokens(m) for f in filler for m in entity)


def _role_counts(c: list[int], ents: list[list[str]], preds: list) -> None:
    ents = [e for e in ents if any(tokens(m) for m in e)]
    c[0] += sum(1 for f in preds if any(match(f, e) for e in ents))
    c[1] += len(preds)
    c[2] += sum(1 for e in ents if any(match(f, e) for f in preds))
    c[3] += len(ents)


def score(gold: list[dict], reps: dict[str, dict]) -> dict:
    """score_muc4.py's result (its --json dict)."""
    det = [0, 0, 0]   # tp, fp, fn
    roles = {"perp_org": [0, 0, 0, 0], "victim_target": [0, 0, 0, 0]}   # matched pred, n pred, matched gold, n gold
    missing = 0
    for g in gold:
        rep = reps.get(str(g["id"]))
        missing += rep is None
        rep = rep or {}
        evs = incident_events(rep)
        truth, pred = bool(g.get("has_template")), bool(evs)
        det[0] += truth and pred
        det[1] += pred and not truth
        det[2] += truth and not pred
        gr = g["roles"]
        gold_ents = {"perp_org": gr["perp_organization_id"], "victim_target": gr["hum_tgt_name"] + gr["phys_tgt_id"]}
        for role, key, assoc in ROLES:
            _role_counts(roles[role], gold_ents[role], fillers(rep, evs, key, assoc))
    p, r, f = prf(det[0], det[0] + det[1], det[0], det[0] + det[2])
    res = {"n": len(gold), "missing_reports": missing,
           "detection": {"gold": det[0] + det[2], "pred": det[0] + det[1], "precision": round(p, 4),
                         "recall": round(r, 4), "f1": round(f, 4)}}
    for role, c in roles.items():
        rp, rr, rf = prf(c[0], c[1], c[2], c[3])
        res[role] = {"gold_entities": c[3], "pred_fillers": c[1], "precision": round(rp, 4), "recall": round(rr, 4),
                     "f1": round(rf, 4)}
    res["role_macro_f1"] = round((res["perp_org"]["f1"] + res["victim_target"]["f1"]) / 2, 4)
    return res


def summary(res: dict) -> str:
    """score_muc4.py's summary line."""
    d, po, vt = res["detection"], res["perp_org"], res["victim_target"]
    missing = res["missing_reports"]
    return (f"muc4 ({res['n']} docs): incident P/R/F1 {d['precision']:.3f}/{d['recall']:.3f}/{d['f1']:.3f}; "
            f"perp org {po['precision']:.3f}/{po['recall']:.3f}/{po['f1']:.3f}; "
            f"victim/target {vt['precision']:.3f}/{vt['recall']:.3f}/{vt['f1']:.3f}; "
            f"role macro F1 {res['role_macro_f1']:.3f}" + (f"; {missing} reports missing" if missing else ""))
