"""What a dev set may show the product: the stripping of ``../shared/eval/strip_articles.py``, ``strip_gold.py``
and ``dev_scores.sh``'s ``ids_only``. Gold labels never reach the pipeline."""
from __future__ import annotations

import json
import os
from typing import Iterable

ARTICLE_FIELDS = ("title", "source", "url")


def strip_article(g: dict) -> dict:
    """id, text, and the title, source, url and published date (or ``date``) a reader may see."""
    out = {"id": g["id"], "text": g["text"]}
    for k in ARTICLE_FIELDS:
        if g.get(k):
            out[k] = g[k]
    if g.get("published") or g.get("date"):
        out["published"] = g.get("published") or g.get("date")
    return out


def strip_gold(g: dict, spans: bool = False) -> dict:
    """A geoparse input: id and text, and with ``spans`` the offsets of the gold toponyms that have coordinates."""
    out = {"id": g["id"], "text": g["text"]}
    if spans:
        out["toponyms"] = [{"start": t["start"], "end": t["end"]} for t in g["toponyms"] if t.get("lat") is not None]
    return out


def ids_only(g: dict) -> dict:
    return {"id": g["id"], "text": g["text"]}


def title_story(g: dict) -> dict:
    """A whole NGEC story: id, text and headline."""
    return {"id": g["id"], "text": g["text"], "title": g.get("title")}


def write_jsonl(rows: Iterable[dict], path: str | os.PathLike) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
