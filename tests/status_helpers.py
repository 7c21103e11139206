"""An invented, model-free extractor whose events carry every status (for the status-selection tests).

One event per article; the status is read off a cue word in the text, so an ingest -> events -> export
round trip can check which rows the default outputs keep. Each article is at a different place and date
so dedup never merges them."""
from __future__ import annotations

from typing import Iterable, Iterator

from flashpoint.model import Actor, Article, Event, Location, Report, Span

# cue in the article text -> status of its one event (first match wins; no cue -> reported)
STATUS_CUES = (("could", "hypothetical"), ("in 2012", "historical"), ("denied", "denied"),
               ("claimed", "claimed"))
ASSERTED = {"reported", "claimed"}

ARTICLES = [
    ("s1", "Rebels shelled Kafr Uno on 3 March, killing 4 people.", "Kafr Uno", 36.0, 37.0, "2021-03-03"),
    ("s2", "The Northern Front claimed it attacked an army post in Dos Hills on 5 March.", "Dos Hills",
     34.0, 38.5, "2021-03-05"),
    ("s3", "Officials warned the army could storm Tres Valley next month.", "Tres Valley", 33.0, 40.0,
     "2021-03-20"),
    ("s4", "In 2012, the army captured Quattro Town after a long siege.", "Quattro Town", 35.5, 41.0,
     "2012-06-01"),
    ("s5", "The ministry denied that its jets bombed Cinco Market on 9 March.", "Cinco Market", 32.5, 36.2,
     "2021-03-09"),
]


def status_of(text: str) -> str:
    low = text.lower()
    return next((status for cue, status in STATUS_CUES if cue in low), "reported")


def articles() -> list[Article]:
    return [Article(id=aid, text=text, source="testwire", title=f"title {aid}") for aid, text, *_ in ARTICLES]


def report_for(art: Article) -> Report:
    _, _, place, lat, lon, day = next(a for a in ARTICLES if a[0] == art.id)
    ev = Event(event_id=f"{art.id}-e0", event_date=day, time_precision=1,
               event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
               cameo_code="195", plover_type="ASSAULT", actor1="Test Army",
               location=Location(name=place, lat=lat, lon=lon, country="SY", admin1=f"Gov {art.id}",
                                 geo_precision=1),
               status=status_of(art.text), evidence=Span(text=art.text, start=0, end=len(art.text)))
    return Report(id=art.id, title=art.title, source=art.source, events=[ev],
                  actors=[Actor(name="Test Army", inter=1)])


class StatusExtractor:
    """``--extractor status_helpers:StatusExtractor``."""

    def extract_many(self, arts: Iterable[Article], batch_size: int = 16) -> Iterator[Report]:
        for art in arts:
            yield report_for(art)
