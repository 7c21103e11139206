"""FA-KES article labels: the rules of ``../shared/eval/score_fakes.py`` on the reports ``flashpoint extract`` writes.

The article's main event is its asserted event with the most fatalities (ties: higher confidence, then first).
Location: the main event's admin1 or canonical name, reduced by ``place_key``, must be a spelling of the gold
governorate. Perpetrator: actor1 by keyword into FA-KES's classes. Cause: from the sub-event type (an "Attack"
whose evidence says "execut..." is an execution). Killed: the main event's fatalities against civilians +
non-civilians, exactly and within 20 %. Over all asserted events: events per article, summed fatalities over summed
gold tolls, and the shares placed at country level or unplaced, placed outside Syria, and dated after publication
or more than 31 days before it. Nothing else is inferred.
"""
from __future__ import annotations

import datetime
import re

from flashpoint.evaluation.common import asserted, evidence_text

GOV = {
    "aleppo": ["aleppo", "halab"],
    "damascus": ["damascus", "dimashq", "rifdimashq", "damascuscountryside", "ruraldamascus", "rifdamascus", "ghouta",
                 "easternghouta"],
    "idlib": ["idlib", "idleb"],
    "deir ezzor": ["deirezzor", "deirezzour", "dayrazzawr", "deiralzour", "deirelzor", "deirazzor", "dayralzawr",
                   "daysazzawr", "deiralzor"],
    "raqqa": ["raqqa", "arraqqah", "alraqqa", "raqqah", "rakka", "arraqqa"],
    "homs": ["homs", "hims"],
    "hasakeh": ["hasakeh", "alhasakah", "hasaka", "hasakah", "hassakeh", "alhasakeh", "alhasaka", "hassaka"],
    "hama": ["hama", "hamah"],
    "daraa": ["daraa", "dara", "deraa"],
    "lattakia": ["latakia", "lattakia", "alladhiqiyah", "ladhiqiyah"],
    "quneitra": ["quneitra", "alqunaytirah", "qunaytirah", "kuneitra"],
    "tartous": ["tartus", "tartous"],
}
PERP = [
    ("the organization of the islamic state in iraq and the levant - isis", r"islamic state|\bisis\b|\bisil\b|daesh|\bis\b"),
    ("al-nusra front", r"nusra|tahrir al.?sham|\bhts\b|fateh al.?sham"),
    ("international coalition forces", r"coalition|united states|\bu\.?s\.?a?\b|american|us-led|france|french|brit|\buk\b"),
    ("self administration forces", r"\bsdf\b|syrian democratic|\bypg\b|kurd|asayish|self.?administration"),
    ("armed opposition groups", r"rebel|opposition|free syrian|\bfsa\b|ahrar|jaish|islamist|armed group"),
    ("syrian government or russian troops", r"syria|regime|government|assad|russia|army|\bsaa\b"),
]
CAUSE = {
    "Air/drone strike": "shelling",
    "Shelling/artillery/missile attack": "shelling",
    "Remote explosive/landmine/IED": "explosion",
    "Suicide bomb": "explosion",
    "Grenade": "explosion",
    "Chemical weapon": "chemical and toxic gases",
    "Armed clash": "shooting",
    "Attack": "shooting",
}
GENERIC = {"governorate", "province", "city", "countryside", "rural", "muhafazat", "district", "of", "the", "town"}
COUNTRY_NAMES = ("syria", "syrian arab republic")
HOME_COUNTRY = "SY"
WINDOW_DAYS = 31          # an event dated more than this many days before publication is outside the window
KILLED_TOLERANCE = 0.2    # "within 20 %"


def norm(s) -> str:
    return re.sub(r"[^a-z]", "", (s or "").lower())


def place_key(s) -> str:
    """One place name reduced to a key: no parenthesis, no generic words ("Homs (Hims)" -> "homs")."""
    s = re.sub(r"\(.*?\)", " ", (s or "").lower())
    s = re.sub(r"['`\u2019\u2018]", "", s)
    return "".join(w for w in re.findall(r"[a-z]+", s) if w not in GENERIC)


def main_event(rep: dict) -> dict | None:
    evs = asserted(rep)
    if not evs:
        return None
    ranked = sorted(enumerate(evs), key=lambda ie: (-(ie[1].get("fatalities") or 0),
                                                    -(ie[1].get("confidence") or 0), ie[0]))
    return ranked[0][1]


def perp_class(actor) -> str:
    actor = {"canonical": actor, "name": actor} if isinstance(actor, str) else actor
    if not actor:
        return "unknown"
    text = " ".join(str(actor.get(k) or "") for k in ("canonical", "name", "country")).lower()
    if re.search(r"unidentified|unknown", text):
        return "unknown"
    return next((cls for cls, pat in PERP if re.search(pat, text)), "unknown")


def cause_class(e: dict | None) -> str:
    if e is None:
        return "unknown"
    if e.get("sub_event_type") == "Attack" and "execut" in evidence_text(e).lower():
        return "execution"
    return CAUSE.get(e.get("sub_event_type"), "unknown")


def _off_window(pub: str, d: str) -> bool:
    try:
        days = (datetime.date.fromisoformat(pub[:10]) - datetime.date.fromisoformat(d[:10])).days
    except ValueError:
        return True
    return days < 0 or days > WINDOW_DAYS


def _event_counts(evs: list[dict], pub) -> tuple[int, int, int]:
    """Asserted events placed at country level or unplaced, placed abroad, dated outside the window."""
    coarse = abroad = off = 0
    for x in evs:
        xl = x.get("location") or {}
        if xl.get("lat") is None or (xl.get("canonical") or xl.get("name") or "").lower() in COUNTRY_NAMES \
                or str(xl.get("geo_precision") or "") == "country":
            coarse += 1
        if xl.get("country") and xl.get("country") != HOME_COUNTRY:
            abroad += 1
        if pub and x.get("event_date"):
            off += _off_window(pub, x["event_date"])
    return coarse, abroad, off


def _main_event_hits(lab: dict, e: dict | None) -> dict[str, int]:
    loc = (e or {}).get("location") or {}
    keys = {place_key(loc.get(k)) for k in ("admin1", "canonical")} - {""}
    total = (lab.get("nb_civilians") or 0) + (lab.get("nb_noncivilians") or 0)
    pred = (e or {}).get("fatalities") or 0
    return {"loc": bool(keys & set(GOV.get(lab["location"], [norm(lab["location"])]))),
            "perp": perp_class((e or {}).get("actor1")) == lab["actor"],
            "cause": cause_class(e) == lab["cause_of_death"], "civ": pred == total,
            "civ20": bool(total and abs(pred - total) <= KILLED_TOLERANCE * total or (not total and not pred))}


def score(gold: list[dict], reps: dict[str, dict]) -> dict:
    """score_fakes.py's result (its --json dict)."""
    n = len(gold)
    t = dict.fromkeys(("loc", "perp", "cause", "civ", "civ20", "missing", "n_ev", "fat_pred", "fat_gold",
                       "coarse", "abroad", "off_date"), 0)
    for g in gold:
        lab, rep = g["gold"], reps.get(str(g["id"]))
        if rep is None:
            t["missing"] += 1
            continue
        evs = asserted(rep)
        t["n_ev"] += len(evs)
        t["fat_pred"] += sum(x.get("fatalities") or 0 for x in evs)
        t["fat_gold"] += (lab.get("nb_civilians") or 0) + (lab.get("nb_noncivilians") or 0)
        for k, v in zip(("coarse", "abroad", "off_date"), _event_counts(evs, g.get("date") or rep.get("published"))):
            t[k] += v
        for k, v in _main_event_hits(lab, main_event(rep)).items():
            t[k] += v
    n_ev = t["n_ev"]
    return {"articles": n, "missing_reports": t["missing"], "location": round(t["loc"] / n, 4),
            "perpetrator": round(t["perp"] / n, 4), "cause": round(t["cause"] / n, 4),
            "killed_exact": round(t["civ"] / n, 4), "killed_within_20pct": round(t["civ20"] / n, 4),
            "asserted_events_per_article": round(n_ev / n, 2),
            "fatality_sum_ratio": round(t["fat_pred"] / t["fat_gold"], 2) if t["fat_gold"] else None,
            "share_country_level_or_unplaced": round(t["coarse"] / n_ev, 3) if n_ev else 0.0,
            "share_outside_syria": round(t["abroad"] / n_ev, 3) if n_ev else 0.0,
            "share_dated_outside_window": round(t["off_date"] / n_ev, 3) if n_ev else 0.0}


def summary(res: dict) -> str:
    """score_fakes.py's summary line."""
    return (f"fakes ({res['articles']}): location {res['location']:.3f}, perpetrator {res['perpetrator']:.3f}, "
            f"cause {res['cause']:.3f}, killed exact {res['killed_exact']:.3f} "
            f"(±20% {res['killed_within_20pct']:.3f}), missing {res['missing_reports']}; "
            f"events/article {res['asserted_events_per_article']}, fatality sum ratio {res['fatality_sum_ratio']}, "
            f"country-level/unplaced {res['share_country_level_or_unplaced']}, "
            f"outside Syria {res['share_outside_syria']}, dated outside window {res['share_dated_outside_window']}")
