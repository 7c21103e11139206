"""The founding article against its hand annotation: the rules of ``../shared/eval/score_seed.py`` and
``seed_places.py``, applied to the one report that ``flashpoint extract ARTICLE --published 2015-10-27 --format json``
writes.

Events: each gold event (in gold order) takes the first unused event with an accepted status ("reported" also
accepts "claimed"), an accepted sub-type, a matching actor1 (regular expressions per gold actor; the Syrian state
never matches a rebel name) and a place within the gold distance. Traps: asserted events whose evidence holds a
trap phrase, or with 1,000 or more fatalities. Places: gold places with coordinates named by a resolved toponym
within 10 km (30 km for a province the gold accepts at admin1). Quotes, claims and relations by their gold keys.
Extra: asserted events matching no gold event and holding no optional event's key phrase. ``--strict`` (the
event-coding issue) needs all 13 events, all relations and at most 3 extras; the default needs 11 and at most 5.
"""
from __future__ import annotations

import re

from flashpoint.evaluation.common import ASSERTED, evidence_text, km

ACTOR_PATTERNS = {
    "Military Forces of Syria": r"(syria|regime|assad|government|army|saa)",
    "Military Forces of Russia": r"russia",
    "Syrian rebels": r"(rebel|opposition|insurgent|ahrar|nusra|free syrian|islamist)",
    "Jabhat al-Nusra": r"(nusra|tahrir al.?sham|\bhts\b|qaeda)",
    "Ahrar al-Sham": r"ahrar",
    "Iran-backed militias": r"iran",
    "Hezbollah": r"hez?b[uo]llah",
    "Iraqi militias": r"iraq",
    "Al Qaeda": r"qaeda",
}
SYRIAN_STATE = "Military Forces of Syria"
NOT_REGIME = r"(rebel|opposition|nusra|ahrar|insurgent)"
ANCHOR_PLACE = "Khan Toman"          # a gold place without coordinates lies within UNPLACED_MAX_KM of it
UNPLACED_MAX_KM = 25
PLACE_KM = 10
PROVINCE_KM = 30                     # a province written as such, where the gold note accepts admin1
TRAP_PHRASES = ("could be retaken", "were able to control")
TRAP_FATALITIES = 1000
OPTIONAL_PHRASES = ("september 30", "fortification", "kefraya", "foua")
UN_TOLL = 250000                     # the claim the United Nations makes; the other one is SOHR's
HISTORICAL_EVENT = "E10"
NEED_EVENTS = {True: 13, False: 11}  # by --strict
MAX_EXTRA = {True: 3, False: 5}
NEED_PLACES, NEED_QUOTES, NEED_CLAIMS = 12, 3, 2
SYRIA_BOX = (32.3, 37.4, 35.6, 42.4)  # lat min, lat max, lon min, lon max (also holds Lebanon, Jordan, Iraq)
SYRIA_CODES = ("SY", "SYR")


def as_list(x) -> list:
    return x if isinstance(x, list) else [x]


def norm(s) -> str:
    return re.sub(r"[^a-z]", "", (s or "").lower())


def actor_text(a) -> str:
    if not a:
        return ""
    if isinstance(a, str):  # an actor given as a plain name
        a = {"canonical": a}
    return " ".join(str(a.get(k) or "") for k in ("canonical", "name", "country", "cameo")).lower()


def actor_matches(gold_name: str | None, pred) -> bool:
    if gold_name is None:
        return True
    text = actor_text(pred)
    if not text or not re.search(ACTOR_PATTERNS[gold_name], text):
        return False
    return not (gold_name == SYRIAN_STATE and re.search(NOT_REGIME, text))


def place_ok(p: dict, t: dict) -> bool:
    """Toponym t (resolved) is gold place p: within 10 km, or within 30 km for a province the gold accepts at admin1."""
    d = km(t["lat"], t["lon"], p["lat"], p["lon"])
    name = str(t.get("text") or t.get("name") or "")
    return d <= PLACE_KM or ("admin1" in (p.get("note") or "")
                             and bool(re.search(r"province|governorate", name, re.I)) and d <= PROVINCE_KM)


def _location_ok(g: dict, loc: dict, places: dict) -> bool:
    ok = False
    for gl in as_list(g["location"]):
        if gl is None:
            ok = ok or not loc.get("lat")
            continue
        p = places[gl]
        if loc.get("lat") is None or loc.get("lon") is None:
            ok = ok or (p["lat"] is None and norm(loc.get("name")) == norm(gl))
            continue
        if p["lat"] is None:
            anchor = places[ANCHOR_PLACE]
            ok = ok or km(loc["lat"], loc["lon"], anchor["lat"], anchor["lon"]) <= g.get("max_km", UNPLACED_MAX_KM)
        else:
            ok = ok or km(loc["lat"], loc["lon"], p["lat"], p["lon"]) <= g["max_km"]
    return ok


def match_events(gold: dict, events: list[dict]) -> dict[str, int]:
    """Gold event id -> index of the event that matched it (one-to-one, in gold order)."""
    places = {p["mention"]: p for p in gold["places"]}
    matched: dict[str, int] = {}
    for g in gold["events"]:
        statuses = as_list(g["status"])
        if "reported" in statuses:
            statuses = statuses + ["claimed"]
        for i, e in enumerate(events):
            if i in matched.values() or e.get("status") not in statuses \
                    or e.get("sub_event_type") not in g["sub_event_type"]:
                continue
            if actor_matches(g["actor1"], e.get("actor1")) and _location_ok(g, e.get("location") or {}, places):
                matched[g["id"]] = i
                break
    return matched


def count_traps(events: list[dict]) -> int:
    traps = 0
    for e in events:
        if e.get("status") not in ASSERTED:
            continue
        ev = evidence_text(e).lower()
        if any(p in ev for p in TRAP_PHRASES) or (e.get("fatalities") or 0) >= TRAP_FATALITIES:
            traps += 1
    return traps


def places_found(gold: dict, toponyms: list[dict]) -> list[str]:
    """Gold places with coordinates that some resolved toponym names within the distance (gold order)."""
    topo = [t for t in toponyms if t.get("lat") is not None and t.get("lon") is not None]
    return [p["mention"] for p in gold["places"] if p["lat"] is not None and any(
        norm(p["mention"]) in norm(t.get("text") or t.get("name")) and place_ok(p, t) for t in topo)]


def count_quotes(gold: dict, quotes: list[dict]) -> int:
    ok = 0
    for q in gold["quotes"]:
        for pq in quotes:
            if norm(q["starts"]) in norm(pq.get("text")):
                spk = (str(pq.get("speaker") or "") + " " + str(pq.get("affiliation") or "")).lower()
                if ("issa" in q["speaker"].lower() and "issa" in spk) or ("source" in q["speaker"] and "source" in spk):
                    ok += 1
                    break
    return ok


def _claim_source_ok(value: float, src: str) -> bool:
    if value == UN_TOLL:
        return "united nations" in src or bool(re.search(r"\bun\b", src))
    return "sohr" in src or "observatory" in src


def count_claims(gold: dict, claims: list[dict]) -> tuple[int, bool]:
    """Gold claims found with their source, and whether a found one is flagged as conflicting."""
    ok, conflict = 0, False
    for c in gold["claims"]:
        for pc in claims:
            try:
                val = float(str(pc.get("value")).replace(",", ""))
            except ValueError:
                continue
            if val == c["value"] and _claim_source_ok(c["value"], str(pc.get("source") or "").lower()):
                ok += 1
                conflict = conflict or bool(pc.get("conflicts_with"))
                break
    return ok, conflict


def count_relations(gold: dict, rels: list[dict]) -> int:
    ok = 0
    for r in gold["relations"]:
        for pr in rels:
            a = pr.get("actor") if isinstance(pr.get("actor"), dict) else {"canonical": pr.get("actor")}
            t = pr.get("target") if isinstance(pr.get("target"), dict) else {"canonical": pr.get("target")}
            if ((pr.get("relation") or "").split() or [""])[0] == r["relation"].split()[0] \
                    and actor_matches(r["actor"], a) and actor_matches(r["target"], t):
                ok += 1
                break
    return ok


def count_extra(events: list[dict], used: set[int]) -> int:
    """Asserted events that match no gold event and hold no optional event's key phrase."""
    return sum(1 for i, e in enumerate(events) if i not in used and e.get("status") in ASSERTED
               and not any(p in evidence_text(e).lower() for p in OPTIONAL_PHRASES))


def score(gold: dict, report: dict, strict: bool = False) -> dict:
    """score_seed.py's result (its --json dict) plus ``passes``: every threshold holds."""
    events = report.get("events") or []
    matched = match_events(gold, events)
    found, used = list(matched), set(matched.values())
    claims, conflict = count_claims(gold, report.get("claims") or [])
    res = {
        "events_found": len(found), "events_total": len(gold["events"]), "found": found,
        "historical_E10": HISTORICAL_EVENT in found, "traps_asserted": count_traps(events),
        "places_within_10km": len(places_found(gold, report.get("toponyms") or [])),
        "places_resolvable": sum(1 for p in gold["places"] if p["lat"] is not None),
        "relations": count_relations(gold, report.get("relations") or []),
        "quotes": count_quotes(gold, report.get("quotes") or []), "claims": claims,
        "claims_conflict_flagged": conflict, "unmatched_asserted_events": count_extra(events, used),
        "events_without_evidence": sum(1 for e in events if not evidence_text(e).strip()),
    }
    res["passes"] = (len(found) >= NEED_EVENTS[strict] and res["unmatched_asserted_events"] <= MAX_EXTRA[strict]
                     and res["events_without_evidence"] == 0
                     and (res["relations"] == len(gold["relations"]) or not strict)
                     and res["historical_E10"] and res["traps_asserted"] == 0
                     and res["places_within_10km"] >= NEED_PLACES and res["quotes"] == NEED_QUOTES
                     and claims == NEED_CLAIMS and conflict)
    return res


def summary(res: dict, strict: bool = False) -> str:
    """score_seed.py's summary line."""
    return (f"seed: events {res['events_found']}/13, E10 historical {res['historical_E10']}, "
            f"traps {res['traps_asserted']}, places {res['places_within_10km']}/13, "
            f"relations {res['relations']}/5, quotes {res['quotes']}/3, claims {res['claims']}/2 "
            f"conflict {res['claims_conflict_flagged']}, extra asserted {res['unmatched_asserted_events']} "
            f"(max {MAX_EXTRA[strict]}), without evidence {res['events_without_evidence']}")


def names_place(text, g: str) -> bool:
    """True when the toponym text is the gold place name, as whole words ("Lebanese" does not name "Banes")."""
    words = re.findall(r"[a-z]+", (text or "").lower())
    return g in {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def _abroad(t: dict) -> bool:
    lat_lo, lat_hi, lon_lo, lon_hi = SYRIA_BOX
    in_box = lat_lo <= t["lat"] <= lat_hi and lon_lo <= t["lon"] <= lon_hi
    return not in_box or str(t.get("country") or "SY").upper() not in SYRIA_CODES


def score_places(gold: dict, report: dict) -> dict:
    """seed_places.py: gold places within 10 km, those missing, and gold place names resolved outside Syria."""
    topo = [t for t in report.get("toponyms") or [] if t.get("lat") is not None and t.get("lon") is not None]
    ok = places_found(gold, topo)
    gold_names = [norm(p["mention"]) for p in gold["places"]]
    outside = [t.get("text") or t.get("name") for t in topo
               if _abroad(t) and any(names_place(t.get("text") or t.get("name"), g) for g in gold_names)]
    missing = [p["mention"] for p in gold["places"] if p["lat"] is not None and p["mention"] not in ok]
    return {"within_10km": len(ok), "missing": missing, "outside_syria": outside,
            "passes": not missing and not outside}


def places_summary(res: dict) -> str:
    return f"seed places within 10 km {res['within_10km']}/13 (missing {res['missing']}); outside Syria {res['outside_syria']}"
