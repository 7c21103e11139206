"""FA-KES dev scorer: the article's main event against the gold location / perpetrator / cause / counts.

``run(data_dir, limit=None) -> {"name": "fakes", "n", "metrics", "errors"}``.

Each FA-KES article reports one main violent event. We run the full pipeline (Article.published = the row's
date), pick the main event (most fatalities among violent asserted events, ties -> the earliest), and map it
to FA-KES's label sets with the tables in ``data/events/fakes_maps.yaml``:

* location: the event place -> governorate (Location.admin1, else the place / its name, else the nearest
  governorate capital within 60 km); when the main event has no place, the first governorate-level place
  the article names.
* perpetrator: actor1 -> one of 7 classes by keyword on its canonical name / kind; no actor1 -> "unknown".
* cause: sub-event type and trigger (shelling, explosion, chemical and toxic gases, shooting, execution).
* civilians / children / women: the main event's counts, else the article-level rule of
  ``flashpoint.claims.casualty_eval.article_casualties``; missing = 0 (FA-KES writes 0 for "not reported").

Data: FA-KES (Abu Salem et al., ICWSM 2019; doi:10.5281/zenodo.2607278, CC BY 4.0).
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from flashpoint.paths import PACKAGE_DATA

MAPS_YAML = PACKAGE_DATA / "events" / "fakes_maps.yaml"
HEAD_CHARS = 600
CAUSE_HEAD_CHARS = 600
ANY_EVENT_CAUSE = False
REMOTE_AIR_SHELL = {"Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon"}
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


@lru_cache(maxsize=1)
def maps() -> dict:
    return yaml.safe_load(MAPS_YAML.read_text(encoding="utf-8"))


def _norm(s: str | None) -> str:
    s = (s or "").lower().replace("’", "'").replace("`", "'")
    s = re.sub(r"\b(governorate|province|city|muhafazat|countryside|rural|suburbs?)\b", " ", s)
    return " ".join(s.replace("_", " ").split())


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    idx = {}
    for gov, d in maps()["governorates"].items():
        for a in d["aliases"] + [gov]:
            idx[_norm(a)] = gov
    return idx


def governorate_of_name(name: str | None) -> str | None:
    n = _norm(name)
    if not n:
        return None
    idx = _alias_index()
    if n in idx:
        return idx[n]
    for a, gov in idx.items():
        if a and (n.startswith(a + " ") or n.endswith(" " + a)):
            return gov
    return None


def _km(a, b, c, d) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a, b, c, d))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1, math.sqrt(h)))


def nearest_governorate(lat: float, lon: float, max_km: float = 200) -> str | None:
    best, bd = None, max_km
    for gov, d in maps()["governorates"].items():
        km = _km(lat, lon, *d["capital"])
        if km < bd:
            best, bd = gov, km
    return best


def governorate_of_location(loc) -> str | None:
    if loc is None:
        return None
    for field in ("admin1", "canonical", "name", "anchor"):
        g = governorate_of_name(getattr(loc, field, None))
        if g:
            return g
    fc = (loc.feature_code or "").upper()
    if fc.startswith("PCL") or (loc.geo_precision or 1) >= 3 and not fc.startswith("ADM"):
        return None  # a country or a vague region says nothing about the governorate
    if loc.lat is not None and loc.lon is not None and (loc.country in (None, "SY")):
        return nearest_governorate(loc.lat, loc.lon, max_km=80)
    return None


def perpetrator_class(actor: str | None, extra: str = "") -> str:
    if not actor:
        return "unknown"
    text = f"{actor} {extra}".lower()
    for row in maps()["perpetrators"]:
        for kw in row["keywords"]:
            if re.search(r"(?<![a-z])" + re.escape(kw.lower()) + r"(?![a-z])", text):
                return row["class"]
    return "unknown"


def cause_of(event, cand=None) -> str:
    m = maps()
    if event is None:
        return "unknown"
    c = m["cause_from_subtype"].get(event.sub_event_type or "")
    if c:
        return c
    if cand is not None:
        c = m["cause_from_trigger"].get(cand.group.cause)
        if c:
            return c
    trig = (event.trigger or "").lower()
    if re.search(r"shoot|shot|sniper|gunfire|bullet|open fire|opened fire", trig):
        return "shooting"
    if re.search(r"execut|behead|slaughter", trig):
        return "execution"
    return "unknown"


_NUM_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _title_numbers(title: str | None) -> set[int]:
    out = set()
    for w in re.findall(r"[A-Za-z]+|\d[\d,]*", title or ""):
        w2 = w.replace(",", "")
        if w2.isdigit() and len(w2) < 5:
            out.add(int(w2))
        elif w.lower() in _NUM_WORDS:
            out.add(_NUM_WORDS[w.lower()])
    return out


def main_event(events: list, cands: list | None = None, title: str | None = None):
    """(event, cand) of the article's main event: the asserted violent event whose toll the headline gives, else
    the first asserted violent event that reports deaths (news leads with the main event), else the first
    asserted violent event."""
    pairs = list(zip(events, cands or [None] * len(events)))
    viol = [(e, c) for e, c in pairs if e.event_type in VIOLENT and e.status in ("reported", "claimed")]
    if not viol:
        viol = [(e, c) for e, c in pairs if e.event_type in VIOLENT and e.status != "hypothetical"]
    if not viol:
        return None, None
    with_dead = [(e, c) for e, c in viol if (e.fatalities or 0) > 0]
    nums = _title_numbers(title)
    headline = [(e, c) for e, c in with_dead if e.fatalities in nums]
    return (headline or with_dead or viol)[0]


@lru_cache(maxsize=1)
def _alias_re():
    names = sorted(_alias_index(), key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(re.escape(n) for n in names if len(n) >= 4) + r")(?![a-z])")


EVENT_VOTE = 0.8


def governorate_in_text(text: str, decay: float = 400.0, bonus: str | None = None) -> str | None:
    """The governorate (or its capital) a text is about: mentions weighted by how early they come, plus a
    vote for ``bonus`` (the governorate of the main event's resolved place)."""
    low = text.lower().replace("’", "'")
    votes: Counter = Counter()
    if bonus:
        votes[bonus] += EVENT_VOTE
    for m in _alias_re().finditer(low):
        votes[_alias_index()[m.group(1)]] += 1.0 / (1.0 + m.start() / decay)
    return votes.most_common(1)[0][0] if votes else None


def _plausible(loc) -> bool:
    """Guard against toponym-recognition noise ("Jul", "Deir") before trusting a place for the governorate."""
    if loc is None:
        return False
    n = (loc.name or "").strip()
    return len(n) >= 4 and not re.fullmatch(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\.?", n.lower())


def _article_gov(doc, report) -> str | None:
    for t in report.toponyms or []:
        g = governorate_of_location(t)
        if g:
            return g
    for ent in getattr(doc, "ents", []):
        if ent.label_ in ("GPE", "LOC", "FAC"):
            g = governorate_of_name(ent.text)
            if g:
                return g
    return None


def predict(pipeline, art):
    """Run one article through the pipeline; returns the per-field predictions and the main event."""
    doc = pipeline._doc(art)
    doc = pipeline.nlp(doc)
    return predict_doc(doc)


def predict_doc(doc):
    """FA-KES predictions from a Doc that went through the flashpoint components."""
    from flashpoint.events.extract import extract

    # events and their candidates (to read the trigger's cause); extraction is cheap next to parsing
    try:
        events, cands = extract(doc)
    except Exception:  # noqa: BLE001
        events, cands = list(doc._.events or []), None

    class _R:  # the bits of a Report the fallbacks read
        toponyms = doc._.toponyms or []
    report = _R()
    art0 = doc._.article
    ev, cand = main_event(events, cands, getattr(art0, "title", None) if art0 is not None else None)
    # the headline and lede name the governorate of the main event; else the main event's place
    art = doc._.article
    head = f"{art.title or ''}. {art.text[:HEAD_CHARS]}" if art is not None else doc.text[:HEAD_CHARS]
    gov = governorate_in_text(head, bonus=governorate_of_location(ev.location)
                              if ev is not None and _plausible(ev.location) else None)
    if gov is None:
        for e in events:
            g = governorate_of_location(e.location) if _plausible(e.location) else None
            if g:
                gov = g
                break
    if gov is None:
        gov = _article_gov(doc, report)
    extra = ""
    if ev is not None and ev.actor1:
        for a in doc._.actors or []:
            if (a.canonical or a.name) == ev.actor1:
                extra = f"{a.kind or ''} {a.name}"
                break
    perp = perpetrator_class(ev.actor1 if ev else None, extra)
    why = "actor1" if perp != "unknown" else "none"
    if perp == "unknown" and ev is not None and "unidentified" in (ev.actor1 or "").lower():
        why = "unidentified"  # the text names no perpetrator ("terrorists", "gunmen"): no convention applies
    if why == "none":
        # the main event's perpetrator is often named in another sentence about the same attack
        votes = Counter()
        for e in events:
            if e.event_type in VIOLENT and e.actor1 and e.status in ("reported", "claimed") and ev is not None \
                    and e.sub_event_type == ev.sub_event_type:
                k = perpetrator_class(e.actor1)
                if k != "unknown":
                    votes[k] += 1
        if votes:
            perp = votes.most_common(1)[0][0]
            why = "same-subtype vote"
    if why == "none" and ev is not None and ev.sub_event_type in REMOTE_AIR_SHELL:
        # unattributed air strike / shelling on a place held by one side: FA-KES annotators credit the other side
        held = (ev.evidence.text if ev.evidence else "").lower()
        if re.search(r"\b(rebel|opposition|insurgent)[- ](held|controlled)\b", held) or \
                (ev.actor2 and perpetrator_class(ev.actor2) == "armed opposition groups"):
            perp = "syrian government or russian troops"
            why = "held-by convention"
        elif re.search(r"\b(regime|government)[- ](held|controlled)\b", held):
            perp = "armed opposition groups"
            why = "held-by convention"
    if perp == "unknown" and ev is not None and not ev.actor1 and ev.sub_event_type not in REMOTE_AIR_SHELL:
        # the same FA-KES convention for unattributed killings in the lede: a place "rebel-held" or a chemical
        # attack with no named perpetrator is credited to the government side
        lede = (art.text[:HEAD_CHARS] if art is not None else doc.text[:HEAD_CHARS]).lower()
        if re.search(r"\b(rebel|opposition|insurgent)[- ](held|controlled)\b", lede) or \
                re.search(r"\b(chemical|sarin|chlorine|toxic gas|poison gas)\b", lede):
            perp = "syrian government or russian troops"
            why = "lede convention"
    cause = cause_of(ev, cand)
    pairs = list(zip(events, cands or [None] * len(events)))
    if cause == "unknown" or (cand is not None and cand.group.weight < 4):
        # the weapon is often named in the headline/lede rather than in the sentence with the toll
        lede = [(e, c) for e, c in pairs if e.event_type in VIOLENT and e.status != "hypothetical"
                and c is not None and e.evidence is not None and e.evidence.start < CAUSE_HEAD_CHARS
                and cause_of(e, c) != "unknown"]
        if lede:
            e, c = max(lede, key=lambda ec: (ec[1].group.weight, -ec[0].evidence.start))
            cause = cause_of(e, c)
    if cause == "unknown" and ev is not None and ev.fatalities:
        # the same toll told with its weapon elsewhere ("the army killed 70" ... "warplanes raided X killing 70")
        same = [cause_of(e, c) for e, c in pairs if e is not ev and e.fatalities == ev.fatalities
                and e.event_type in VIOLENT and e.status in ("reported", "claimed")]
        same = [k for k in same if k != "unknown"]
        if same:
            cause = same[0]
    if cause in ("shelling", "unknown", "explosion"):
        # a chemical agent named in the headline/lede before any other weapon: a chemical attack (ACLED codes the
        # chemical weapon whatever delivered it)
        mc = re.search(maps()["chemical_lede"], head, re.I)
        mw = re.search(maps()["other_weapon_lede"], head, re.I)
        if mc and (mw is None or mc.start() < mw.start()):
            cause = "chemical and toxic gases"
    if cause == "unknown" and ANY_EVENT_CAUSE:
        for e, c in pairs:
            if e.event_type in VIOLENT and e.status != "hypothetical":
                k = cause_of(e, c)
                if k != "unknown":
                    cause = k
                    break
    counts = {"nb_civilians": None, "nb_children": None, "nb_women": None}
    if cand is not None:
        counts = {"nb_civilians": cand.fat.get("civilian_fatalities"), "nb_children": cand.fat.get("children"),
                  "nb_women": cand.fat.get("women")}
    try:
        from flashpoint.claims.casualty_eval import article_casualties

        art_c = article_casualties(doc)
    except Exception:  # noqa: BLE001
        art_c = {}
    for k in counts:
        if counts[k] is None:
            counts[k] = art_c.get(k)
    counts = {k: int(v or 0) for k, v in counts.items()}
    return {"location": gov, "actor": perp, "cause_of_death": cause, **counts, "_why_actor": why}, ev


def run(data_dir: Path, limit: int | None = None) -> dict:
    from flashpoint.model import Article
    from flashpoint.pipeline import default_pipeline

    path = Path(data_dir) / "fakes_dev.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if limit:
        rows = rows[:limit]
    pipe = default_pipeline()
    fields = ("location", "actor", "cause_of_death", "nb_civilians", "nb_children", "nb_women")
    hits = Counter()
    errors = []
    confusion: dict[str, Counter] = {f: Counter() for f in ("location", "actor", "cause_of_death")}
    for row in rows:
        pub = date.fromisoformat(row["date"]) if row.get("date") else None
        art = Article(id=row["id"], text=row["text"], title=row.get("title"), published=pub,
                      source=row.get("source"))
        try:
            pred, ev = predict(pipe, art)
        except Exception as exc:  # noqa: BLE001
            pred, ev = {}, None
            errors.append({"id": row["id"], "error": f"{type(exc).__name__}: {exc}"})
        gold = row["gold"]
        wrong = {}
        for f in fields:
            g = gold.get(f)
            if f.startswith("nb_"):
                g = int(g or 0)
            p = pred.get(f)
            if p == g:
                hits[f] += 1
            else:
                wrong[f] = {"gold": g, "pred": p}
                if f in confusion:
                    confusion[f][f"{g} -> {p}"] += 1
        if wrong:
            errors.append({"id": row["id"], "wrong": wrong,
                           "main_event": ev.model_dump(mode="json", exclude={"evidence"}) if ev is not None else None,
                           "evidence": ev.evidence.text[:200] if ev is not None and ev.evidence else None})
    n = len(rows)
    names = {"location": "location_acc", "actor": "perpetrator_acc", "cause_of_death": "cause_acc",
             "nb_civilians": "civilians_killed_exact", "nb_children": "children_killed_exact",
             "nb_women": "women_killed_exact"}
    metrics = {names[f]: round(hits[f] / n, 4) if n else 0.0 for f in fields}
    return {"name": "fakes", "n": n, "metrics": metrics,
            "confusion": {k: dict(v.most_common(12)) for k, v in confusion.items()},
            "errors": errors}


if __name__ == "__main__":  # pragma: no cover
    import sys

    from flashpoint.paths import shared_data_dir

    d = shared_data_dir()
    lim = int(sys.argv[1]) if len(sys.argv) > 1 else None
    res = run(d, limit=lim)
    print(json.dumps({k: res[k] for k in ("name", "n", "metrics", "confusion")}, indent=1))
    out = Path("/tmp/fakes_errors.json")
    out.write_text(json.dumps(res["errors"], indent=1))
