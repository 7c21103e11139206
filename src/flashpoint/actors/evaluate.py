"""Dev-set scorer for the actor stage on FA-KES (``fakes_dev.jsonl`` in the shared data dir).

FA-KES labels each article with the perpetrator class of its main event (7 classes). This
measures whether the actor stage finds an actor of that class anywhere in the article
(an upper bound for event actor1), and the share of articles whose most frequent armed
non-civilian actor class is the gold class. ``run(data_dir, limit=None) -> dict`` follows the
evaluation registry's contract (name, n, metrics).

    .venv/bin/python -m flashpoint.actors.evaluate [--limit N] [--gaps] [--no-geo]
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Optional

from flashpoint.model import Actor

CLASSES = {
    "syrian government or russian troops": "regime",
    "armed opposition groups": "opposition",
    "the organization of the islamic state in iraq and the levant - isis": "isis",
    "al-nusra front": "nusra",
    "international coalition forces": "coalition",
    "self administration forces": "kurdish",
}


# states whose forces FA-KES counts as "international coalition forces" (coalition members, Turkey)
COALITION_STATES = ("USA", "GBR", "FRA", "TUR", "BEL", "NLD", "AUS", "CAN", "DEU", "DNK", "JOR", "SAU", "ARE")


def actor_class(a: Actor) -> Optional[str]:
    """FA-KES perpetrator class of an extracted actor (None for civilians, media, others)."""
    c = a.canonical or ""
    if c.startswith("Islamic State"):
        return "isis"
    if c in ("Jabhat al-Nusra", "Hayat Tahrir al-Sham"):
        return "nusra"
    if c in ("Syrian Democratic Forces", "People's Protection Units", "Syrian Kurdish forces"):
        return "kurdish"
    if c in ("US-led Coalition",) or (a.inter in (1, 8) and a.country in COALITION_STATES):
        return "coalition"
    if a.country in ("SYR", "RUS") and a.inter in (1, 8) or c in ("National Defence Forces",):
        return "regime"
    if a.kind and a.kind.startswith("person") and a.affiliation:
        return None
    if a.inter == 2 and a.country == "SYR":
        return "opposition"
    return None


def run(data_dir: Path, limit: Optional[int] = None, gaps: bool = False, geo: bool = True) -> dict:
    from flashpoint.nlp import load_nlp, new_doc
    from flashpoint.model import Article

    path = Path(data_dir) / "fakes_dev.jsonl"
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    if limit:
        rows = rows[:limit]
    comps = ("fp_toponyms", "fp_actors") if geo else ("fp_actors",)
    try:
        nlp = load_nlp(components=comps)
    except Exception:  # noqa: BLE001 - geo stage unavailable: the focus country is inferred
        comps = ("fp_actors",)
        nlp = load_nlp(components=comps)
    n = present = top = scored = 0
    mentions = 0
    uncovered: Counter = Counter()
    docs = (new_doc(nlp, Article(id=r["id"], text=r["text"], title=r.get("title"))) for r in rows)
    for r, doc in zip(rows, nlp.pipe(docs, batch_size=16)):
        n += 1
        acts = doc._.actors or []
        mentions += len(acts)
        gold = CLASSES.get((r.get("gold") or {}).get("actor") or "")
        if gaps:
            for ent in doc.ents:
                if ent.label_ in ("ORG", "NORP") and not any(a.start < ent.end_char and a.end > ent.start_char
                                                               for a in acts):
                    uncovered[ent.text] += 1
        if gold is None:
            continue
        scored += 1
        classes = Counter(c for c in (actor_class(a) for a in acts) if c)
        if gold in classes:
            present += 1
        if classes and classes.most_common(1)[0][0] == gold:
            top += 1
    out = {
        "name": "actors-fakes",
        "n": n,
        "components": list(comps),
        "metrics": {
            "articles_with_gold_class": scored,
            "gold_class_present": round(present / scored, 3) if scored else None,
            "gold_class_most_frequent": round(top / scored, 3) if scored else None,
            "mentions_per_article": round(mentions / n, 2) if n else None,
        },
    }
    if gaps:
        out["uncovered_org_norp"] = uncovered.most_common(60)
    return out


def main(argv=None) -> int:
    import argparse

    from flashpoint.paths import shared_data_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--gaps", action="store_true", help="list ORG/NORP entities no actor covers")
    ap.add_argument("--no-geo", action="store_true", help="fp_actors alone (focus country inferred, not from fp_toponyms)")
    args = ap.parse_args(argv)
    d = shared_data_dir(args.data)
    if d is None:
        print("shared data not found")
        return 2
    print(json.dumps(run(d, args.limit, args.gaps, geo=not args.no_geo), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
