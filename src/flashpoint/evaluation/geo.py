"""Geoparsing scorers: GeoWebNews, GeoVirus (recognition + resolution) and event-location linking.

Resolution metrics follow Gritta et al., "A Pragmatic Guide to Geoparsing Evaluation" (2020): on the
gold toponym spans, error distance (km) between the predicted and gold coordinates, with an
unresolved toponym counted as the maximum error (20,039 km); accuracy@161km; mean and median error;
AUC of the log error curve (0 best, 1 worst).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Iterable, Optional

MAX_ERR = 20039.0


def _rows(path: Path, limit: Optional[int]) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
                if limit and len(out) >= limit:
                    break
    return out


def auc_log_error(errors: Iterable[float]) -> float:
    """Area under the curve of sorted log(1 + error), normalised to [0, 1] (Gritta et al.)."""
    errs = sorted(float(e) for e in errors)
    if len(errs) < 2:
        return float("nan")
    scaled = [math.log(1 + e) for e in errs]
    area = sum((scaled[i] + scaled[i + 1]) / 2 for i in range(len(scaled) - 1))
    return area / (math.log(MAX_ERR) * (len(scaled) - 1))


def resolution_metrics(errors: list[float]) -> dict:
    if not errors:
        return {}
    s = sorted(errors)
    n = len(s)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return {
        "accuracy_161km": round(sum(e <= 161 for e in s) / n, 4),
        "median_error_km": round(med, 1),
        "mean_error_km": round(sum(s) / n, 1),
        "auc_log_error": round(auc_log_error(s), 4),
    }


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _run_geo(name: str, path: Path, limit: Optional[int], details: bool = False) -> dict:
    from flashpoint.geo.cli_api import geo_nlp
    from flashpoint.geo.geoparse import resolve_spans
    from flashpoint.geo.resolve import haversine

    rows = _rows(path, limit)
    nlp = geo_nlp()
    tp = n_pred = n_gold = 0
    tp_overlap = 0
    errors: list[float] = []
    errors_e2e: list[float] = []
    misses = []
    for r, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=8)):
        gold = [t for t in r["toponyms"]]
        pred = doc._.toponyms or []
        gs = {(t["start"], t["end"]) for t in gold}
        ps = {(t.start, t.end) for t in pred}
        n_gold += len(gs)
        n_pred += len(ps)
        tp += len(gs & ps)
        tp_overlap += sum(1 for (a, b) in gs if any(a < d and c < b for (c, d) in ps))
        # end-to-end resolution on the exactly-matched spans
        pmap = {(t.start, t.end): t for t in pred}
        for t in gold:
            if t.get("lat") is None:
                continue
            p = pmap.get((t["start"], t["end"]))
            if p is not None:
                errors_e2e.append(haversine(p.lat, p.lon, float(t["lat"]), float(t["lon"])) if p.resolved else MAX_ERR)
        # resolution with gold spans
        spans = [(t["start"], t["end"]) for t in gold]
        tops, _ = resolve_spans(r["text"], spans)
        for t, p in zip(gold, tops):
            if t.get("lat") is None:
                continue
            e = haversine(p.lat, p.lon, float(t["lat"]), float(t["lon"])) if p.resolved else MAX_ERR
            errors.append(e)
            if details and e > 161:
                misses.append({"id": r["id"], "name": t["name"], "type": t.get("type"), "gold": [t["lat"], t["lon"]],
                               "pred": p.canonical, "pred_cc": p.country, "pred_fc": p.feature_code,
                               "err_km": round(e)})
    metrics = {"toponym_" + k: v for k, v in _prf(tp, n_pred, n_gold).items()}
    metrics["toponym_recall_overlap"] = round(tp_overlap / n_gold, 4) if n_gold else 0.0
    metrics.update({"gold_spans_" + k: v for k, v in resolution_metrics(errors).items()})
    metrics.update({"e2e_" + k: v for k, v in resolution_metrics(errors_e2e).items()})
    out = {"name": name, "n": len(rows), "n_toponyms": n_gold, "metrics": metrics}
    if details:
        out["misses"] = misses
    return out


def run_geowebnews(data_dir: Path, limit: Optional[int] = None, details: bool = False) -> dict:
    return _run_geo("geo-geowebnews", Path(data_dir) / "geo_geowebnews.jsonl", limit, details)


def run_geovirus(data_dir: Path, limit: Optional[int] = None, details: bool = False) -> dict:
    return _run_geo("geo-geovirus", Path(data_dir) / "geo_geovirus.jsonl", limit, details)


def run_event_location(data_dir: Path, limit: Optional[int] = None, details: bool = False) -> dict:
    """Given the sentence and the event verb, predict the event's place names (strings)."""
    from flashpoint.geo.cli_api import geo_nlp
    from flashpoint.geo.event_location import event_locations

    rows = _rows(Path(data_dir) / "event_location_dev.jsonl", limit)
    nlp = geo_nlp()
    tp = n_pred = n_gold = 0
    neg = neg_ok = 0
    bad = []
    for r, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=64)):
        vs, ve = r["verb_char"]
        span = doc.char_span(vs, ve, alignment_mode="expand")
        if span is None:
            continue
        locs = event_locations(doc, span.root.i)
        pred = {l.name.lower() for l in locs}
        gold = {g.lower() for g in r["event_locations"]}
        # a predicted string matches a gold one if equal or one contains the other ("Aleppo" ~ "Aleppo city")
        matched = {p for p in pred if any(p == g or p in g or g in p for g in gold)}
        tp += len(matched)
        n_pred += len(pred)
        n_gold += len(gold)
        if not gold:
            neg += 1
            neg_ok += not pred
        if details and pred != gold and len(bad) < 300:
            bad.append({"id": r["id"], "verb": r["verb"], "gold": sorted(gold), "pred": sorted(pred),
                        "text": r["text"][:300]})
    m = _prf(tp, n_pred, n_gold)
    m["negative_accuracy"] = round(neg_ok / neg, 4) if neg else None
    out = {"name": "event-location", "n": len(rows), "metrics": m}
    if details:
        out["errors"] = bad
    return out
