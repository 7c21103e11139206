"""Actor-level check on the hand-annotated set (tests/fixtures/handset): for every gold actor
mention found in the text, does the actor stage give it the gold canonical name? And are the
gold relations among ``doc._.relations``?

    .venv/bin/python -m flashpoint.actors.handset_check [-v]

Mentions the stage does not emit at all count as missed; a gold mention that is only a
sub-string of a longer system mention counts when the canonical agrees. Persons and sources
(kind ``person``/``source``/``other``) are scored like the others.
"""
from __future__ import annotations

import json
import re
import sys


def run(verbose: bool = False) -> dict:
    from flashpoint.evaluation.handset import load_handset
    from flashpoint.model import Article
    from flashpoint.nlp import load_nlp, new_doc

    nlp = load_nlp()
    tot = ok = found = rel_tot = rel_ok = 0
    rows = []
    for name, text, gold in load_handset():
        art = Article(id=name, text=text, published=gold.get("publication_date"))
        doc = nlp(new_doc(nlp, art))
        acts = doc._.actors or []
        for ga in gold.get("actors", []):
            for m in ga.get("mention", []):
                for mt in re.finditer(re.escape(m), text):
                    s, e = mt.start(), mt.end()
                    tot += 1
                    hit = [a for a in acts if a.start is not None and a.start < e and a.end > s]
                    got = [a.canonical for a in hit]
                    good = ga["canonical"] in got
                    found += bool(hit)
                    ok += good
                    if not good:
                        rows.append((name, m, ga["canonical"], got))
                    break
        rels = {(r.actor, r.relation, r.target) for r in (doc._.relations or [])}
        for gr in gold.get("relations", []):
            rel_tot += 1
            key = (gr.get("actor"), gr.get("relation"), gr.get("target"))
            if key in rels:
                rel_ok += 1
            else:
                rows.append((name, "REL", key, sorted(rels)))
    if verbose:
        for r in rows:
            print(*r, sep=" | ")
    return {"mentions": tot, "mentions_with_an_actor": found, "canonical_ok": ok,
            "canonical_accuracy": round(ok / tot, 3) if tot else None, "relations": rel_tot, "relations_ok": rel_ok}


if __name__ == "__main__":
    print(json.dumps(run("-v" in sys.argv), indent=1))
