"""flashpoint: conflict news in, mapped, source-attributed event data out."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Union

from flashpoint.model import Actor, Article, Claim, Event, Location, Quote, Relation, Report, RunIds, Toponym

__version__ = "0.1.0"

__all__ = [
    "extract",
    "extract_many",
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


# the columns of extract_many's frame, in order: the article, then the event as the store keeps it
ARTICLE_COLUMNS = ("article_id", "title", "published", "source", "url")
EVENT_COLUMNS = ("event_id", "event_date", "time_precision", "event_type", "sub_event_type", "disorder_type",
                 "cameo_code", "plover_type", "plover_mode", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
                 "location", "geonameid", "lat", "lon", "country", "admin1", "admin2", "geo_precision",
                 "fatalities", "civilian_fatalities", "status", "attribution", "trigger", "evidence",
                 "evidence_start", "evidence_end", "mentions", "confidence")
EXTRACT_BATCH_SIZE = 16  # articles per spaCy batch


def extract_many(articles: Iterable[Union[str, dict, Article]], *, published: date | str | None = None,
                 batch_size: int = EXTRACT_BATCH_SIZE):
    """Extract events from many articles; a pandas DataFrame with one row per event.

    ``articles``: texts, dicts (``{"id", "text", "title"?, "published"?, "url"?, "source"?}``, as a JSONL line)
    or ``Article`` objects; a text gets the id ``article-<n>`` (its position). ``published`` is used for the
    articles that carry no date. Columns: ``ARTICLE_COLUMNS`` + ``EVENT_COLUMNS`` (the place flattened as the
    store keeps it; ``assoc_actor_*`` and ``mentions`` are lists). Every event of every status is kept
    (filter on ``status``). Per-article errors and warnings do not stop the run: they are in
    ``df.attrs["errors"]`` (a list of "<id>: <message>")."""
    import pandas as pd

    from flashpoint.pipeline import default_pipeline

    pub = date.fromisoformat(published) if isinstance(published, str) else published
    rows, errors = [], []
    ids = RunIds()  # a duplicate article id is reported as "<id>#2" (event ids stay unique)
    arts = (ids.article(a) for a in _articles(articles, pub, errors))
    for rep in default_pipeline().extract_many(arts, batch_size=batch_size):
        ids.report(rep)
        errors += rep.errors
        rows += [_event_row(rep, ev) for ev in rep.events]
    df = pd.DataFrame(rows, columns=list(ARTICLE_COLUMNS + EVENT_COLUMNS))
    df.attrs["errors"] = errors
    return df


def _articles(items: Iterable, published: date | None, errors: list[str]) -> Iterator[Article]:
    """Articles of ``items``; an item that is not one (no text, a bad date) is recorded in ``errors``."""
    from pydantic import ValidationError

    for n, item in enumerate(items):
        try:
            yield _as_article(item, n, published)
        except ValidationError as exc:
            first = exc.errors()[0]
            errors.append(f"article-{n}: not an article: {'.'.join(map(str, first['loc']))}: {first['msg']}")
        except (TypeError, ValueError) as exc:
            errors.append(f"article-{n}: not an article: {exc}")


def _as_article(item: Union[str, dict, Article], n: int, published: date | None) -> Article:
    if isinstance(item, Article):
        return item if item.published or not published else item.model_copy(update={"published": published})
    if isinstance(item, str):
        return Article(id=f"article-{n}", text=item, published=published)
    if isinstance(item, dict):
        rec = {k: item.get(k) for k in ("id", "text", "title", "published", "url", "source")}
        return Article(**{**rec, "id": str(rec["id"] or f"article-{n}"), "published": rec["published"] or published})
    raise TypeError(f"article {n}: expected a text, a dict or an Article, not {type(item).__name__}")


def _event_row(rep: Report, ev: Event) -> dict:
    loc = ev.location
    row = {"article_id": rep.id, "title": rep.title, "published": rep.published, "source": rep.source,
           "url": rep.url}
    row.update(ev.model_dump(exclude={"location", "evidence", "mentions"}))
    row.update({f: getattr(loc, f, None) for f in ("geonameid", "lat", "lon", "country", "admin1", "admin2",
                                                   "geo_precision")})
    row["location"] = (loc.canonical or loc.name) if loc else None
    row["evidence"] = ev.evidence.text if ev.evidence else None
    row["evidence_start"] = ev.evidence.start if ev.evidence else None
    row["evidence_end"] = ev.evidence.end if ev.evidence else None
    row["mentions"] = [m.text for m in ev.mentions]
    return row


def load_events(db: Union[str, os.PathLike] = "flashpoint.db", **filters):
    """Events of a flashpoint database as a pandas DataFrame (GeoDataFrame with geopandas); one row per canonical
    event with its ``sources``. Filters as ``flashpoint.store.query_events`` (``since``, ``until``, ``country``,
    ``bbox``, ``event_type``, ``actor``, ``text``, ``limit``, ``statuses``). A SQLite path that does not exist is
    a ``FileNotFoundError`` (nothing is created)."""
    from flashpoint.store import load_events as _load
    from flashpoint.store.db import normalise_url

    url = normalise_url(db)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        raise FileNotFoundError(f"no flashpoint database at {url[len('sqlite:///'):]}")
    return _load(db, **filters)
