"""Score a Report against a hand annotation in the format of the founding article's gold file.

The gold format (``*.gold.json``): ``places``, ``events`` (accepted sub-types, actor1, max_km, status),
``not_events``, ``relations``, ``quotes``, ``claims``. Any article annotated this way can be scored.
"""
from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

from flashpoint.model import Report

ASSERTED = {"reported", "claimed"}
SEED_NAME = "trtworld-aleppo-offensive"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def norm_name(s: str | None) -> str:
    """Actor / speaker name for comparison: lower case, no parentheses, hyphens or articles."""
    if not s:
        return ""
    s = re.sub(r"\([^)]*\)", " ", s.lower())
    s = re.sub(r"[-_'’`]", " ", s)
    s = re.sub(r"\b(the|al|el)\b", " ", s)
    return " ".join(s.split())


def same_actor(pred: str | None, gold: str | None) -> bool:
    if gold is None:
        return pred is None
    a, b = norm_name(pred), norm_name(gold)
    return bool(a) and (a == b or set(b.split()) <= set(a.split()))


def _as_list(x) -> list:
    return x if isinstance(x, list) else [x]


def _place_index(gold: dict) -> dict[str, dict]:
    return {p["mention"].lower(): p for p in gold.get("places", [])}


def _location_ok(loc, gold_loc, max_km: float, places: dict[str, dict]) -> tuple[bool, float | None]:
    """Is the predicted location within max_km of (one of) the gold location(s)?"""
    best = None
    for g in _as_list(gold_loc):
        if g is None:
            return True, None  # no location required
        p = places.get(g.lower())
        if p is None:
            continue
        if p.get("lat") is None:  # place with no confirmed gazetteer entry
            if loc is None or loc.lat is None:
                return True, None
            continue
        if loc is None or loc.lat is None:
            continue
        d = haversine_km(loc.lat, loc.lon, p["lat"], p["lon"])
        best = d if best is None else min(best, d)
        if d <= max_km:
            return True, d
    return False, best


def _pieces_in_text(text: str, not_event_text: str) -> list[tuple[int, int]]:
    spans = []
    for piece in [p.strip() for p in not_event_text.split("...") if p.strip()]:
        i = text.find(piece)
        if i >= 0:
            spans.append((i, i + len(piece)))
    return spans


def _trigger_span(ev) -> tuple[int, int] | None:
    if ev.evidence is None or not ev.trigger:
        return None
    i = ev.evidence.text.find(ev.trigger)
    if i < 0:
        return None
    return ev.evidence.start + i, ev.evidence.start + i + len(ev.trigger)


def score_report(report: Report, gold: dict, text: str) -> dict:
    places = _place_index(gold)
    out: dict = {"events": [], "places": [], "quotes": [], "claims": [], "relations": [], "not_events": []}

    # events: greedy one-to-one matching in gold order
    used: set[int] = set()
    for g in gold.get("events", []):
        match = None
        for i, ev in enumerate(report.events):
            if i in used:
                continue
            if ev.sub_event_type not in g["sub_event_type"]:
                continue
            if not same_actor(ev.actor1, g["actor1"]):
                continue
            ok, _ = _location_ok(ev.location, g.get("location"), g.get("max_km", 10), places)
            if not ok:
                continue
            match = i
            break
        row = {"id": g["id"], "found": match is not None}
        if match is not None:
            used.add(match)
            ev = report.events[match]
            row.update(event_id=ev.event_id, status=ev.status,
                       status_ok=ev.status in _as_list(g.get("status", "reported")))
            russia = "Military Forces of Russia"
            row["russia_involved"] = same_actor(ev.actor1, russia) or any(
                same_actor(a, russia) for a in ev.assoc_actor_1)
        out["events"].append(row)

    # not_events: no asserted event whose trigger lies in the quoted text
    for ne in gold.get("not_events", []):
        spans = _pieces_in_text(text, ne["text"])
        bad = []
        for ev in report.events:
            ts = _trigger_span(ev)
            if ev.status in ASSERTED and ts and any(s <= ts[0] and ts[1] <= e for s, e in spans):
                bad.append(ev.event_id)
            if ev.status in ASSERTED and ev.fatalities and ev.fatalities >= 100000:
                bad.append(ev.event_id)
        out["not_events"].append({"text": ne["text"][:60], "violated_by": sorted(set(bad))})

    # places
    for p in gold.get("places", []):
        cands = [t for t in report.toponyms if t.name.lower() == p["mention"].lower() and t.type == "literal"]
        if p.get("lat") is None:
            if not cands or all(t.lat is None for t in cands):
                out["places"].append({"mention": p["mention"], "ok": True, "km": None, "resolvable": False})
                continue
            anchor = places.get("khan toman")  # gold note: near the offensive's anchor village
            ok = anchor is not None and any(
                t.lat is not None and haversine_km(t.lat, t.lon, anchor["lat"], anchor["lon"]) <= 25 for t in cands)
            out["places"].append({"mention": p["mention"], "ok": ok, "km": None, "resolvable": False})
            continue
        dists = [haversine_km(t.lat, t.lon, p["lat"], p["lon"]) for t in cands if t.lat is not None]
        km = min(dists) if dists else None
        out["places"].append({"mention": p["mention"], "ok": km is not None and km <= 10, "km": km,
                              "resolvable": True})

    # quotes
    for q in gold.get("quotes", []):
        hit = [x for x in report.quotes if x.text.strip(" \"“”'").startswith(q["starts"])]
        sp_ok = any(norm_name(q["speaker"]) in norm_name(x.speaker) or
                    (x.speaker and norm_name(x.speaker) in norm_name(q["speaker"])) for x in hit)
        out["quotes"].append({"starts": q["starts"], "found": bool(hit), "speaker_ok": sp_ok,
                              "speaker": hit[0].speaker if hit else None})

    # claims
    for c in gold.get("claims", []):
        hit = [x for x in report.claims if x.value is not None and abs(x.value - c["value"]) < 0.5]
        src_ok = [x for x in hit if x.source and _source_ok(x.source, c["source"])]
        out["claims"].append({"value": c["value"], "found": bool(hit), "source_ok": bool(src_ok),
                              "conflict_marked": any(x.conflicts_with for x in src_ok)})

    # relations
    for r in gold.get("relations", []):
        ok = any(x.relation == r["relation"] and _actor_like(x.actor, r["actor"]) and
                 _actor_like(x.target, r["target"]) for x in report.relations)
        out["relations"].append({**r, "found": ok})

    ev_found = sum(r["found"] for r in out["events"])
    resolvable = [p for p in out["places"] if p["resolvable"]]
    hist = [r for r in out["events"] if r["found"] and r["status"] == "historical"]
    m = {
        "events_found": ev_found,
        "events_total": len(out["events"]),
        "events_status_ok": sum(r.get("status_ok", False) for r in out["events"]),
        "historical_events_flagged": len(hist),
        "not_events_violated": sum(bool(r["violated_by"]) for r in out["not_events"]),
        "places_within_10km": sum(p["ok"] for p in resolvable),
        "places_resolvable": len(resolvable),
        "unresolvable_places_ok": sum(p["ok"] for p in out["places"] if not p["resolvable"]),
        "quotes_with_speaker": sum(q["speaker_ok"] for q in out["quotes"]),
        "quotes_total": len(out["quotes"]),
        "claims_with_source": sum(c["source_ok"] for c in out["claims"]),
        "claims_conflict_marked": sum(c["conflict_marked"] for c in out["claims"]),
        "claims_total": len(out["claims"]),
        "relations_found": sum(r["found"] for r in out["relations"]),
        "relations_total": len(out["relations"]),
        "russia_backer_or_actor": sum(r.get("russia_involved", False) for r in out["events"]
                                      if r["id"] in ("E1", "E2")),
    }
    return {"metrics": m, "detail": out}


def _source_ok(pred: str, gold: str) -> bool:
    p, g = norm_name(pred), norm_name(gold)
    acronym = re.findall(r"\(([^)]+)\)", gold)
    return p in g or g in p or any(a.lower() == p for a in acronym) or (
        bool(acronym) and acronym[0].lower() in p.split())


def _actor_like(pred: str, gold: str) -> bool:
    """Relation actors: canonical names may differ in form ('Iran-backed militias' ~ 'Militias (Iran)')."""
    if same_actor(pred, gold):
        return True
    stem = lambda w: w[:4]  # noqa: E731  iran/iranian, iraq/iraqi, hezb...
    gp = {stem(w) for w in norm_name(gold).split() if w not in {"backed", "forces", "of", "military"}}
    pp = {stem(w) for w in norm_name(pred).split()}
    return bool(gp) and gp <= pp


def seed_paths(data_dir: Path | None) -> tuple[Path, Path] | None:
    cands = []
    if data_dir is not None:
        cands.append(Path(data_dir).parent / "seed")
    root = Path(__file__).resolve().parents[3]
    cands += [root / "tests" / "fixtures", root / "samples"]
    text = gold = None
    for c in cands:
        if text is None and (c / f"{SEED_NAME}.txt").exists():
            text = c / f"{SEED_NAME}.txt"
        if gold is None and (c / f"{SEED_NAME}.gold.json").exists():
            gold = c / f"{SEED_NAME}.gold.json"
    return (text, gold) if text and gold else None


def run(data_dir: Path | None, limit: int | None = None, published: str = "2015-10-27") -> dict:
    from flashpoint.model import Article
    from flashpoint.pipeline import default_pipeline

    paths = seed_paths(data_dir)
    if paths is None:
        return {"name": "seed", "skipped": "founding article or its gold annotation not found"}
    text = paths[0].read_text(encoding="utf-8")
    gold = json.loads(paths[1].read_text(encoding="utf-8"))
    art = Article(id=SEED_NAME, text=text, published=date.fromisoformat(published))
    report = default_pipeline().extract(art)
    res = score_report(report, gold, text)
    return {"name": "seed", "n": 1, **res}
