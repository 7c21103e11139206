"""PETRARCH-2 unit tests (petrarch_unit_tests.jsonl) scored against flashpoint's CAMEO coder.

Metrics (events matched one-to-one on the CAMEO root = first two digits of the code):
* root_recall: expected codings whose root is produced for the sentence;
* root_precision: produced codings whose root matches a still-unmatched expected coding;
* full_code_acc: expected codings reproduced with the exact code;
* source_acc / target_acc: among root-matched pairs, share with the exact source / target code
  (the pair chosen for each expected coding prefers the same source and target);
* no_event_acc: records that must give no event and give none.
Records flagged ``expect_error`` (discards, malformed input) count as "expect no event".
"""
from __future__ import annotations

import json
from pathlib import Path


def _root(code: str) -> str:
    return code[:2]


def score_record(expected: list[tuple], produced: list[tuple]) -> dict:
    prod = list(produced)
    used = [False] * len(prod)
    m_root = m_full = m_src = m_tgt = 0
    for s, t, c in expected:
        best, best_score = None, -1
        for j, (ps, pt, pc) in enumerate(prod):
            if used[j] or _root(pc) != _root(c):
                continue
            sc = (pc == c) * 4 + (ps == s) * 2 + (pt == t)
            if sc > best_score:
                best, best_score = j, sc
        if best is None:
            continue
        used[best] = True
        ps, pt, pc = prod[best]
        m_root += 1
        m_full += pc == c
        m_src += ps == s
        m_tgt += pt == t
    return {"n_exp": len(expected), "n_prod": len(prod), "root": m_root, "full": m_full, "src": m_src, "tgt": m_tgt}


def run(data_dir: Path, limit: int | None = None, details: bool = False) -> dict:
    from flashpoint.events.cameo import ActorLookup, VerbLexicon, code_sentence
    from flashpoint.nlp import load_base

    path = Path(data_dir) / "petrarch_unit_tests.jsonl"
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    if limit:
        rows = rows[:limit]
    nlp = load_base()
    lookup, lex = ActorLookup.petrarch_validate(), VerbLexicon.petrarch_validate()
    tot = {"n_exp": 0, "n_prod": 0, "root": 0, "full": 0, "src": 0, "tgt": 0}
    valid = {"n_exp": 0, "root": 0}
    noev_ok = noev_n = 0
    per = []
    for r, doc in zip(rows, nlp.pipe(r["text"] for r in rows)):
        produced = code_sentence(doc, lookup, lex, date=str((r.get("notes") or {}).get("date") or ""))
        exp = [(e["source"], e["target"], e["code"]) for e in r["expected"]]
        sc = score_record(exp, produced)
        for k in tot:
            tot[k] += sc[k]
        vexp = [(e["source"], e["target"], e["code"]) for e in r["expected"] if e.get("cameo_root_valid", True)]
        vs = score_record(vexp, produced)
        valid["n_exp"] += vs["n_exp"]
        valid["root"] += vs["root"]
        notes = r.get("notes") or {}
        if notes.get("expect_no_events") or notes.get("expect_error") or not exp:
            noev_n += 1
            noev_ok += not produced
        if details:
            per.append({"id": r["id"], "text": r["text"], "expected": exp, "produced": produced, **sc})
    m = tot["root"] or 1
    metrics = {
        "root_recall": round(tot["root"] / max(tot["n_exp"], 1), 4),
        "root_precision": round(tot["root"] / max(tot["n_prod"], 1), 4),
        "full_code_acc": round(tot["full"] / max(tot["n_exp"], 1), 4),
        "source_acc": round(tot["src"] / m, 4),
        "target_acc": round(tot["tgt"] / m, 4),
        "root_recall_valid_cameo": round(valid["root"] / max(valid["n_exp"], 1), 4),
        "no_event_acc": round(noev_ok / max(noev_n, 1), 4),
    }
    out = {"name": "petrarch", "n": len(rows), "n_expected": tot["n_exp"], "n_produced": tot["n_prod"],
           "metrics": metrics}
    if details:
        out["records"] = per
    return out
