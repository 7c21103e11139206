"""PLOVER type and mode of whole stories: the rules of ``../shared/eval/score_plover_stories.py``.

The set is the fifth of the NGEC synthetic stories whose sha1(title) % 5 == 0 (``in_fold``). A story is right when
its gold type is the ``plover_type`` of its first asserted event that has one (stories lead with their event). Also:
gold type among any asserted event's types, type precision (distinct predicted types that are the gold type over all
distinct predicted types) and mode accuracy on the stories whose type is right and whose gold has a mode. Only what
extraction writes on its events is read; there is no classifier here.
"""
from __future__ import annotations

import hashlib

from flashpoint.evaluation.common import asserted

FOLDS = 5


def in_fold(row: dict) -> bool:
    """The scored fifth: sha1 of the title (whole headline) modulo 5 is 0."""
    return int(hashlib.sha1((row.get("title") or "").encode()).hexdigest(), 16) % FOLDS == 0


def score(gold: list[dict], reps: dict[str, dict]) -> dict:
    n = first = anyhit = npred = mode_n = mode_ok = 0
    for g in gold:
        want = str(g.get("plover_event") or "").upper()
        if not want:
            continue
        n += 1
        evs = asserted(reps.get(str(g["id"])) or {})
        types = [str(e.get("plover_type") or "").upper() for e in evs if e.get("plover_type")]
        if types and types[0] == want:
            first += 1
            if g.get("plover_mode"):
                mode_n += 1
                lead = next(e for e in evs if e.get("plover_type"))
                mode_ok += str(lead.get("plover_mode") or "").upper() == str(g["plover_mode"]).upper()
        anyhit += want in types
        npred += len(set(types))
    return {"stories": n, "type_lead": first / max(1, n), "type_any": anyhit / max(1, n),
            "type_precision": anyhit / max(1, npred), "mode_when_type_right": mode_ok / max(1, mode_n),
            "mode_n": mode_n}


def summary(res: dict) -> str:
    """score_plover_stories.py's line."""
    return (f"plover stories ({res['stories']}): type of the lead event {res['type_lead']:.3f}; "
            f"gold type among events {res['type_any']:.3f}; type precision {res['type_precision']:.3f}; "
            f"mode (type right) {res['mode_when_type_right']:.3f} of {res['mode_n']}")
