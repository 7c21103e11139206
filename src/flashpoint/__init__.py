"""flashpoint: conflict news in, mapped, source-attributed event data out."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flashpoint.model import Actor, Article, Claim, Event, Location, Quote, Relation, Report, Toponym

__version__ = "0.1.0"

__all__ = [
    "extract",
    "load_events",
    "Article",
    "Report",
    "Event",
    "Actor",
    "Toponym",
    "Location",
    "Relation",
    "Quote",
    "Claim",
]


def extract(text: str, *, published: date | str | None = None, title: str | None = None,
            id: str = "article") -> Report:
    """Extract events, places, actors, quotes and claims from one article's text."""
    from flashpoint.pipeline import default_pipeline

    art = Article(id=id, text=text, title=title, published=published)
    return default_pipeline().extract(art)


def load_events(db: str = "flashpoint.db"):
    """Events of a flashpoint database as a pandas DataFrame (GeoDataFrame with geopandas)."""
    from flashpoint.store import load_events as _load

    return _load(db)
