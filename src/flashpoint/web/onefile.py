"""``flashpoint map``: the map page as ONE self-contained HTML file — script, styles, basemap and events
inlined — to mail to a colleague or attach to a report. It opens from disk with the network off.

The events travel as JSON in ``<script type="application/json">`` with ``<``, ``>``, ``&`` and the JS line
separators escaped, so no article text can close the tag; the page's own Content-Security-Policy allows only
the inlined script and styles (by hash) and no network at all."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from flashpoint.store.db import Store, open_store
from flashpoint.web import queries as qy

STATIC_DIR = Path(__file__).parent / "static"
# events one file holds at most (the page keeps every event in memory)
MAX_ONEFILE_EVENTS = 50_000
# characters of context kept around an evidence sentence when its paragraph is very long
MAX_PARAGRAPH_CHARS = 2_000
_CSS_LINK = '<link rel="stylesheet" href="/static/app.css">'
_JS_TAG = '<script src="/static/app.js"></script>'
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def script_json(value) -> str:
    """JSON safe inside a <script> element: no ``</script>``, ``<!--`` or line separators can appear."""
    return _escape_json_text(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))


def _escape_json_text(text: str) -> str:
    """Escape ``<``, ``>``, ``&``, U+2028/9 in JSON text (they can only occur inside its strings)."""
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def build_html(rows: list[dict], title: str = "flashpoint events") -> str:
    """The one-file map of ``rows`` (event dicts with ``sources``, as ``queries.with_sources`` gives)."""
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    css = (STATIC_DIR / "app.css").read_text(encoding="utf-8")
    js = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    world = _escape_json_text((STATIC_DIR / "world.json").read_text(encoding="utf-8"))
    admin1 = _escape_json_text((STATIC_DIR / "admin1.json").read_text(encoding="utf-8"))
    if _CSS_LINK not in page or _JS_TAG not in page:
        raise RuntimeError("static/index.html lacks the asset tags the one-file map replaces (rebuild web/)")
    js = js.replace("</script", "<\\/script")  # the bundle must not close its own tag
    csp = (f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    head = (f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            f"<style>{css}</style>")
    data = script_json({"events": rows})
    body = (f'<script type="application/json" id="fp-data">{data}</script>\n'
            f'<script type="application/json" id="fp-world">{world}</script>\n'
            f'<script type="application/json" id="fp-admin1">{admin1}</script>\n'
            f"<script>{js}</script>")
    page = page.replace(_CSS_LINK, head).replace(_JS_TAG, body)
    return page.replace("<title>flashpoint — event map</title>", f"<title>{_escape_text(title)}</title>")


def _escape_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def store_rows(db: "str | Store | None", limit: int = MAX_ONEFILE_EVENTS) -> list[dict]:
    """Every canonical event of the store (any status; the page filters), with sources, oldest first."""
    store = open_store(db)
    rows, _ = qy.page(store, qy.EventFilter(status=["all"]), limit=limit, sort="date")
    return [_jsonable(r) for r in qy.with_sources(store, rows)]


def _jsonable(row: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def paragraph(text: str, start: Optional[int], sentence: Optional[str]) -> Optional[dict]:
    """The paragraph (blank-line separated) holding the sentence at ``start``: {text, start, end} with the
    sentence's offsets inside it; None when the sentence cannot be found in the text."""
    if not sentence:
        return None
    if start is None or text[start:start + len(sentence)] != sentence:
        start = text.find(sentence)
        if start < 0:
            return None
    end = start + len(sentence)
    lo = max((m.end() for m in _PARAGRAPH_BREAK.finditer(text, 0, start)), default=0)
    nxt = _PARAGRAPH_BREAK.search(text, end)
    hi = nxt.start() if nxt else len(text)
    lo, hi = max(lo, start - MAX_PARAGRAPH_CHARS // 2), min(hi, end + MAX_PARAGRAPH_CHARS // 2)
    return {"text": text[lo:hi], "start": start - lo, "end": end - lo}


def input_rows(inputs: Iterable[str], published: Optional[date] = None, extractor: Optional[str] = None,
               limit: int = MAX_ONEFILE_EVENTS) -> tuple[list[dict], list[str]]:
    """Extract the articles into a temporary store (deduplicated as ``ingest`` does) and return its events,
    each source with its paragraph; and the per-article errors."""
    from flashpoint.ingest import read_inputs
    from flashpoint.store.ingest import ingest

    inputs = list(inputs)
    texts = {a.id: a.text for a in read_inputs(inputs, published=published) if hasattr(a, "text")}
    with tempfile.TemporaryDirectory(prefix="flashpoint-map-") as tmp:
        store = Store(Path(tmp) / "map.db")
        try:
            stats = ingest(inputs, store, published=published, extractor=extractor, embedder=None)
            rows = store_rows(store, limit)
        finally:
            store.close()
    for r in rows:
        for s in r["sources"]:
            text = texts.get(s["article_id"])
            s["paragraph"] = paragraph(text, s.get("start"), s.get("sentence")) if text else None
    return rows, stats.errors
