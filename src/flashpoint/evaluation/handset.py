"""Hand-annotated generalisation set: invented wire-style articles beyond the founding one.

``run(data_dir, limit=None) -> {"name": "handset", "n", "metrics", "articles"}``

The articles and their gold annotations live in ``tests/fixtures/handset/NAME.txt`` +
``NAME.gold.json`` (same format as the founding article's gold file; see the README there).
Each article is run through the full pipeline with ``Article.published`` = the gold's
``publication_date`` and scored with :func:`flashpoint.evaluation.seed.score_report`; this module
only aggregates. ``data_dir`` is not used (the set ships with the repository); when the folder is
absent (e.g. an installed wheel without tests/) the scorer returns ``{"skipped": ...}``.

Aggregate metrics:

* ``event_recall`` = gold events found / gold events (sub-type, actor1 and location must match);
* ``event_precision`` = asserted (reported/claimed) system events matched to a gold event /
  asserted system events;
* ``status_accuracy`` = matched gold events whose status is acceptable / matched gold events;
* ``date_accuracy`` = matched gold events whose system date starts with the gold date (``2014``,
  ``2022-03`` or a full day) / matched gold events with a gold date;
* ``not_events_violated`` = gold not_events with an asserted system event triggered inside them;
* ``place_accuracy`` = gold places resolved within 10 km / gold places with coordinates;
* ``quote_speaker_accuracy``, ``claim_source_accuracy`` = gold quotes (claims) found with the right
  speaker (source) / gold quotes (claims).
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flashpoint.evaluation.seed import ASSERTED, score_report

NAME = "handset"


def handset_dir() -> Path:
    """``tests/fixtures/handset`` relative to the source checkout."""
    return Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "handset"


def load_handset(folder: Path | None = None, limit: int | None = None) -> list[tuple[str, str, dict]]:
    """``[(name, text, gold)]`` for every ``NAME.txt`` with a ``NAME.gold.json`` next to it, sorted by name."""
    folder = Path(folder) if folder is not None else handset_dir()
    if not folder.is_dir():
        return []
    out = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        txt = folder / f"{name}.txt"
        if not txt.exists():
            continue
        out.append((name, txt.read_text(encoding="utf-8"), json.loads(gold_path.read_text(encoding="utf-8"))))
        if limit is not None and len(out) >= limit:
            break
    return out


def _event_brief(ev) -> dict:
    loc = ev.location
    return {"event_id": ev.event_id, "status": ev.status, "sub_event_type": ev.sub_event_type,
            "actor1": ev.actor1, "actor2": ev.actor2, "location": loc.name if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
            "date": ev.event_date, "trigger": ev.trigger}


def score_article(report, gold: dict, text: str) -> dict:
    """score_report plus what the aggregate needs: asserted system events and which of them matched."""
    res = score_report(report, gold, text)
    by_id = {ev.event_id: ev for ev in report.events}
    dates_checked = dates_ok = 0
    for g, row in zip(gold.get("events", []), res["detail"]["events"]):
        if row["found"] and g.get("date"):
            got = by_id[row["event_id"]].event_date or ""
            row["date"], row["gold_date"] = got, g["date"]
            row["date_ok"] = got.startswith(g["date"])  # "2014" accepts 2014-01-01 (year precision)
            dates_checked += 1
            dates_ok += row["date_ok"]
    res["metrics"]["dates_ok"], res["metrics"]["dates_checked"] = dates_ok, dates_checked
    matched = {r["event_id"] for r in res["detail"]["events"] if r["found"]}
    asserted = [ev for ev in report.events if ev.status in ASSERTED]
    res["asserted"] = len(asserted)
    res["asserted_matched"] = sum(ev.event_id in matched for ev in asserted)
    res["unmatched_system_events"] = [_event_brief(ev) for ev in report.events if ev.event_id not in matched]
    res["system_events"] = [_event_brief(ev) for ev in report.events]
    return res


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def aggregate(results: list[dict]) -> dict:
    tot: dict[str, int] = {}
    for r in results:
        m = r["metrics"]
        for k in ("events_found", "events_total", "events_status_ok", "not_events_violated",
                  "places_within_10km", "places_resolvable", "quotes_with_speaker", "quotes_total",
                  "claims_with_source", "claims_total", "relations_found", "relations_total",
                  "dates_ok", "dates_checked"):
            tot[k] = tot.get(k, 0) + m[k]
        tot["not_events_total"] = tot.get("not_events_total", 0) + len(r["detail"]["not_events"])
        tot["quotes_found"] = tot.get("quotes_found", 0) + sum(q["found"] for q in r["detail"]["quotes"])
        tot["claims_found"] = tot.get("claims_found", 0) + sum(c["found"] for c in r["detail"]["claims"])
        tot["asserted_events"] = tot.get("asserted_events", 0) + r["asserted"]
        tot["asserted_matched"] = tot.get("asserted_matched", 0) + r["asserted_matched"]
    tot.update(
        event_recall=_ratio(tot["events_found"], tot["events_total"]),
        event_precision=_ratio(tot["asserted_matched"], tot["asserted_events"]),
        status_accuracy=_ratio(tot["events_status_ok"], tot["events_found"]),
        date_accuracy=_ratio(tot["dates_ok"], tot["dates_checked"]),
        place_accuracy=_ratio(tot["places_within_10km"], tot["places_resolvable"]),
        quote_speaker_accuracy=_ratio(tot["quotes_with_speaker"], tot["quotes_total"]),
        claim_source_accuracy=_ratio(tot["claims_with_source"], tot["claims_total"]),
    )
    return tot


def run(data_dir: Path | None = None, limit: int | None = None, folder: Path | None = None,
        pipeline=None) -> dict:
    """Score every handset article; ``pipeline`` (a Pipeline) defaults to ``default_pipeline()``."""
    from flashpoint.model import Article
    from flashpoint.pipeline import default_pipeline

    items = load_handset(folder, limit)
    if not items:
        return {"name": NAME, "skipped": f"no handset articles found in {folder or handset_dir()}"}
    pipe = pipeline if pipeline is not None else default_pipeline()
    articles = {}
    for name, text, gold in items:
        pub = gold.get("publication_date")
        art = Article(id=name, text=text, published=date.fromisoformat(pub) if pub else None)
        articles[name] = score_article(pipe.extract(art), gold, text)
    return {"name": NAME, "n": len(items), "metrics": aggregate(list(articles.values())), "articles": articles}


def main() -> None:  # pragma: no cover - convenience: python -m flashpoint.evaluation.handset
    import sys

    res = run(None)
    if "skipped" in res:
        print(res["skipped"])
        return
    print(json.dumps(res["metrics"], indent=1))
    if "-v" in sys.argv:
        print(json.dumps(res["articles"], indent=1, default=str))


if __name__ == "__main__":  # pragma: no cover
    main()
