"""Dev-set scorers. Each scorer is ``run(data_dir: Path, limit: int | None = None) -> dict``
returning ``{"name", "n", "metrics": {metric: value}, ...}``; ``flashpoint eval`` prints and saves them.

Scorers are registered by dotted path so that importing this module stays cheap.
"""
from __future__ import annotations

import importlib
from pathlib import Path

SCORERS: dict[str, str] = {
    "seed": "flashpoint.evaluation.seed:run",
    "fakes": "flashpoint.evaluation.fakes:run",
    "fakes-casualties": "flashpoint.claims.casualty_eval:run",
    "fakes-actors": "flashpoint.actors.evaluate:run",
    "handset": "flashpoint.evaluation.handset:run",
    "petrarch": "flashpoint.evaluation.petrarch:run",
    "plover": "flashpoint.evaluation.plover:run",
    "subtypes": "flashpoint.evaluation.plover:run_subtypes",
    "geo-geowebnews": "flashpoint.evaluation.geo:run_geowebnews",
    "geo-geovirus": "flashpoint.evaluation.geo:run_geovirus",
    "event-location": "flashpoint.evaluation.geo:run_event_location",
}


def get_scorer(name: str):
    try:
        target = SCORERS[name]
    except KeyError:
        raise KeyError(f"unknown dev set {name!r}; known: {', '.join(SCORERS)}") from None
    mod, func = target.split(":")
    return getattr(importlib.import_module(mod), func)


def run(name: str, data_dir: Path, limit: int | None = None) -> dict:
    return get_scorer(name)(Path(data_dir), limit=limit)
