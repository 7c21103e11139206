"""Classifier scorers.

* ``run``: PLOVER type and mode accuracy on the held-back fifth of ngec_synthetic.jsonl
  (rows with sha1(title) % 5 == 0, grouped by headline, never used in training). Input = the
  whole story: headline (placeholders neutralised) + text (``type_acc``, mode accuracies);
  ``type_acc_headline_lead`` uses headline + lead sentence, ``type_acc_title_only`` the headline
  alone. Synthetic stories: says nothing about accuracy on real news.
* ``run_subtypes``: ACLED sub-type accuracy, macro-F1 and confusion matrix on flashpoint's own
  HELD-OUT examples (training/examples): template-disjoint generated sentences (templates with
  index % 5 == 4, never trained on) and the hashed third of the hand-written sentences. Both are
  written by the same people as the training data: an optimistic, in-house estimate.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def run(data_dir: Path, limit: int | None = None) -> dict:
    from flashpoint.events.classify import get_classifier, ngec_input, ngec_is_heldout, ngec_story, ngec_title, norm_mode

    rows = [json.loads(line) for line in open(Path(data_dir) / "ngec_synthetic.jsonl", encoding="utf-8")]
    rows = [r for r in rows if ngec_is_heldout(r)]
    if limit:
        rows = rows[:limit]
    clf = get_classifier()
    preds = clf.predict_plover([ngec_story(r) for r in rows])
    ok_t = sum(p["plover_type"] == r["plover_event"] for p, r in zip(preds, rows))
    preds_hl = clf.predict_plover([ngec_input(r) for r in rows])
    ok_hl = sum(p["plover_type"] == r["plover_event"] for p, r in zip(preds_hl, rows))
    preds_t = clf.predict_plover([ngec_title(r) for r in rows])
    ok_tt = sum(p["plover_type"] == r["plover_event"] for p, r in zip(preds_t, rows))
    with_mode = [(p, r) for p, r in zip(preds, rows) if r.get("plover_mode")]
    ok_m = sum(p["plover_mode"] == norm_mode(r["plover_mode"]) for p, r in with_mode)
    ok_m_all = sum(p["plover_mode"] == norm_mode(r.get("plover_mode")) for p, r in zip(preds, rows))
    per_type: dict[str, list[int]] = {}
    for p, r in zip(preds, rows):
        per_type.setdefault(r["plover_event"], [0, 0])
        per_type[r["plover_event"]][0] += p["plover_type"] == r["plover_event"]
        per_type[r["plover_event"]][1] += 1
    return {
        "name": "plover", "n": len(rows),
        "metrics": {
            "type_acc": round(ok_t / max(len(rows), 1), 4),
            "type_acc_headline_lead": round(ok_hl / max(len(rows), 1), 4),
            "type_acc_title_only": round(ok_tt / max(len(rows), 1), 4),
            "mode_acc_when_gold_mode": round(ok_m / max(len(with_mode), 1), 4),
            "mode_acc_incl_none": round(ok_m_all / max(len(rows), 1), 4),
        },
        "per_type_acc": {k: round(a / n, 3) for k, (a, n) in sorted(per_type.items())},
        "note": "held-back fifth of NGEC synthetic stories (sha1(title) % 5 == 0, headline-grouped); synthetic text",
    }


def run_subtypes(data_dir: Path | None = None, limit: int | None = None, examples_dir: Path | None = None) -> dict:
    from flashpoint.events.classify import NONE_LABEL, get_classifier, load_subtype_examples

    rows = load_subtype_examples(examples_dir, split="heldout")
    if not rows:
        return {"name": "subtypes", "n": 0, "metrics": {}, "note": "training/examples not found (not a source checkout)"}
    if limit:
        rows = rows[:limit]
    clf = get_classifier()
    preds = clf.predict([r["text"] for r in rows])
    gold = [r["sub_event_type"] or NONE_LABEL for r in rows]
    pred = [p["sub_event_type"] or NONE_LABEL for p in preds]
    labels = sorted(set(gold) | set(pred))
    conf = {g: Counter() for g in labels}
    for g, p in zip(gold, pred):
        conf[g][p] += 1
    f1s = []
    for lab in labels:
        tp = conf[lab][lab]
        fp = sum(conf[g][lab] for g in labels if g != lab)
        fn = sum(c for p, c in conf[lab].items() if p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    by_origin = {}
    for o in sorted({r.get("origin", "?") for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.get("origin", "?") == o]
        by_origin[o] = {"n": len(idx), "acc": round(sum(gold[i] == pred[i] for i in idx) / max(len(idx), 1), 4)}
    event_ok = sum((g == NONE_LABEL) == (p == NONE_LABEL) for g, p in zip(gold, pred))
    return {
        "name": "subtypes", "n": len(rows),
        "metrics": {
            "acc": round(sum(g == p for g, p in zip(gold, pred)) / max(len(rows), 1), 4),
            "macro_f1": round(sum(f1s) / max(len(f1s), 1), 4),
            "event_vs_none_acc": round(event_ok / max(len(rows), 1), 4),
        },
        "by_origin": by_origin,
        "confusion": {g: dict(conf[g]) for g in labels},
        "note": "flashpoint's own held-out examples (template-disjoint + hashed third of hand-written); in-house",
    }
