"""Per-component ms/article over the first N FA-KES dev articles.

    .venv/bin/python bench/bench_events.py [N]
"""
import json
import sys
import time
from datetime import date

from flashpoint.model import Article
from flashpoint.paths import shared_data_dir
from flashpoint.pipeline import Pipeline

n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
rows = [json.loads(x) for x in (shared_data_dir() / "fakes_dev.jsonl").open(encoding="utf-8")][:n]
nlp = Pipeline().nlp
tot: dict[str, float] = {}
# warm up (lazy models, lexicons)
for _ in range(2):
    d = nlp.make_doc(rows[0]["text"])
    d._.article = Article(id="w", text=rows[0]["text"])
    for name, proc in nlp.pipeline:
        d = proc(d)
for r in rows:
    art = Article(id=r["id"], text=r["text"], title=r.get("title"),
                  published=date.fromisoformat(r["date"]) if r.get("date") else None)
    doc = nlp.make_doc(r["text"])
    doc._.article = art
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        doc = proc(doc)
        tot[name] = tot.get(name, 0.0) + time.perf_counter() - t
for name, s in tot.items():
    print(f"{name:20s} {1000 * s / len(rows):7.1f} ms/article")
print(f"{'TOTAL':20s} {1000 * sum(tot.values()) / len(rows):7.1f} ms/article")
