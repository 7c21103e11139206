"""Geoparsing: the rules of ``../shared/eval/score_geo.py`` on what ``flashpoint geoparse`` writes.

Recognition: a gold toponym with coordinates is found when an unused predicted span overlaps it (inexact match, as
in Gritta et al.); gold toponyms without coordinates are not scored, and a predicted span overlapping one is neither
a true nor a false positive. Resolution: error in km on the matched spans (an unresolved one, and with
``given_spans`` a missed one, counts 20,039 km); acc@161, median km, and the mean of ln(error + 1) over
ln(20,039 + 1) (lower is better).
"""
from __future__ import annotations

import math

from flashpoint.evaluation.common import km

MAX_ERROR_KM = 20039.0
ACC_KM = 161


def _overlaps(p: dict, t: dict) -> bool:
    return p["start"] < t["end"] and t["start"] < p["end"]


def _has_span(p: dict) -> bool:
    return p.get("start") is not None and p.get("end") is not None


def score_doc(g: dict, pts: list[dict], given_spans: bool, errors: list[float]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, unresolved) of one document; appends the resolution errors."""
    gts = [t for t in g["toponyms"] if t.get("lat") is not None]
    unscored = [t for t in g["toponyms"] if t.get("lat") is None]
    used: set[int] = set()
    tp = fn = unresolved = 0
    for t in gts:
        hit = next((i for i, p in enumerate(pts) if i not in used and _has_span(p) and _overlaps(p, t)), None)
        if hit is None:
            fn += 1
            if given_spans:
                unresolved += 1
                errors.append(MAX_ERROR_KM)
            continue
        used.add(hit)
        tp += 1
        p = pts[hit]
        if p.get("lat") is None or p.get("lon") is None:
            unresolved += 1
            errors.append(MAX_ERROR_KM)
        else:
            errors.append(km(t["lat"], t["lon"], p["lat"], p["lon"]))
    fp = sum(1 for i, p in enumerate(pts) if i not in used
             and not (_has_span(p) and any(_overlaps(p, t) for t in unscored)))
    return tp, fp, fn, unresolved


def score(gold: dict[str, dict], pred: dict[str, dict], given_spans: bool = False, name: str = "geo") -> dict:
    """score_geo.py's result (its --json dict); ``gold`` and ``pred`` keyed by str(id)."""
    tp = fp = fn = unresolved = 0
    errors: list[float] = []
    for gid, g in gold.items():
        counts = score_doc(g, (pred.get(gid) or {}).get("toponyms") or [], given_spans, errors)
        tp, fp, fn, unresolved = (a + b for a, b in zip((tp, fp, fn, unresolved), counts))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    errors.sort()
    n = len(errors)
    acc = sum(1 for e in errors if e <= ACC_KM) / n if n else 0.0
    median = errors[n // 2] if n else float("nan")
    auc = (sum(math.log(e + 1) for e in errors) / (n * math.log(MAX_ERROR_KM + 1))) if n else float("nan")
    return {"name": name, "docs": len(gold), "gold_toponyms": tp + fn, "precision": round(prec, 4),
            "recall": round(rec, 4), "f1": round(f1, 4), "resolved_pairs": n, "unresolved": unresolved,
            "acc161": round(acc, 4), "median_km": round(median, 1), "auc": round(auc, 4),
            "_exact": {"precision": prec, "recall": rec, "f1": f1, "acc161": acc, "median_km": median, "auc": auc}}


def summary(res: dict, given_spans: bool = False) -> str:
    """score_geo.py's summary line."""
    x = res["_exact"]
    if given_spans:
        return (f"{res['name']} (gold spans): acc@161 {x['acc161']:.3f}, median {x['median_km']:.1f} km, "
                f"AUC {x['auc']:.3f}, unresolved {res['unresolved']}/{res['resolved_pairs']}")
    return (f"{res['name']} (end to end): P {x['precision']:.3f} R {x['recall']:.3f} F1 {x['f1']:.3f}; "
            f"acc@161 of found {x['acc161']:.3f}, median {x['median_km']:.1f} km")
