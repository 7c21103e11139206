"""A fast, deterministic stand-in extractor and a synthetic corpus generator.

For tests and benchmarks of the store / scale-out machinery without loading spaCy:
``FakeExtractor().extract_many(articles)`` turns every sentence of the form
"On YYYY-MM-DD, <Actor> <verb> <Place>, killing <N> ..." into an Event; places get
deterministic coordinates from a hash of their name. ``synthetic_articles(n)`` writes
such articles, including re-reports of the same event by other outlets (for dedup).
"""
from __future__ import annotations

import hashlib
import os
import random
import time
import re
from datetime import date, timedelta
from typing import Iterable, Iterator

from flashpoint.model import Actor, Article, Event, Location, Report, Span
from flashpoint.settings import settings

_SENT = re.compile(
    r"On (?P<date>\d{4}-\d{2}-\d{2}), (?P<actor>[A-Z][\w ]+?) (?P<verb>shelled|attacked|raided|bombed|protested in) "
    r"(?P<place>[A-Z][\w]+)(?:, killing (?P<n>\d+))?[^.]*\.")
_TYPES = {
    "shelled": ("Explosions/Remote violence", "Shelling/artillery/missile attack", "195"),
    "bombed": ("Explosions/Remote violence", "Air/drone strike", "195"),
    "attacked": ("Battles", "Armed clash", "190"),
    "raided": ("Violence against civilians", "Attack", "180"),
    "protested in": ("Protests", "Peaceful protest", "141"),
}
ACTORS = ["Northern Army", "Eastern Brigade", "Valley Militia", "River Front", "Coastal Guard", "Hill Rebels"]
OUTLETS = ["wire-a", "wire-b", "daily-c", "radio-d"]


def place_coords(name: str) -> tuple[float, float, str]:
    h = int(hashlib.sha1(name.encode()).hexdigest(), 16)
    lat = 33.0 + (h % 4000) / 1000.0  # 33..37
    lon = 36.0 + (h // 4000 % 5000) / 1000.0  # 36..41
    return round(lat, 4), round(lon, 4), f"Province{h % 6}"


class FakeExtractor:
    """Deterministic events from text; no models. ``fail_marker`` in a text raises (error-path tests)."""

    fail_marker = "FAIL-THIS-ARTICLE"

    def __init__(self, delay: float | None = None):
        # seconds per article, to make runs long enough to kill mid-way in tests
        self.delay = settings().fake_delay if delay is None else delay

    def extract_one(self, art: Article) -> Report:
        if self.delay:
            time.sleep(self.delay)
        if self.fail_marker in art.text:
            raise RuntimeError("synthetic failure")
        events, actors = [], {}
        for m in _SENT.finditer(art.text):
            et, sub, cameo = _TYPES[m["verb"]]
            lat, lon, adm = place_coords(m["place"])
            actor = m["actor"].strip()
            actors.setdefault(actor, Actor(name=actor, canonical=actor, inter=1 if "Army" in actor else 3))
            events.append(Event(
                event_id=f"{art.id}-e{len(events)}", event_date=m["date"], time_precision=1,
                event_type=et, sub_event_type=sub, cameo_code=cameo, actor1=actor,
                location=Location(name=m["place"], lat=lat, lon=lon, country="SY", admin1=adm, geo_precision=1),
                fatalities=int(m["n"]) if m["n"] else None, trigger=m["verb"],
                evidence=Span(text=m.group(0), start=m.start(), end=m.end()), confidence=0.9))
        return Report(id=art.id, title=art.title, published=art.published, source=art.source, url=art.url,
                      events=events, actors=list(actors.values()))

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Report]:
        for art in articles:
            try:
                yield self.extract_one(art)
            except Exception as exc:  # noqa: BLE001 - same contract as Pipeline: error in the report
                yield Report(id=art.id, title=art.title, source=art.source,
                             errors=[f"{art.id}: extraction failed: {type(exc).__name__}: {exc}"])


def synthetic_articles(n: int, seed: int = 0, fail_every: int = 0) -> list[Article]:
    """``n`` synthetic articles; about a third re-report an earlier article's event (other outlet,
    other wording, sometimes another death toll). ``fail_every=k`` makes every k-th article fail."""
    rng = random.Random(seed)
    arts: list[Article] = []
    base = date(2020, 1, 1)
    facts: list[tuple] = []
    for i in range(n):
        if facts and rng.random() < 0.33:
            d, actor, verb, place, k = rng.choice(facts)
            k2 = k if rng.random() < 0.6 else k + rng.randint(1, 4)
            text = (f"Local sources gave more details. On {d}, {actor} {verb} {place}, killing {k2} people "
                    f"near the main road, witnesses told reporters. Residents fled the area.")
        else:
            d = (base + timedelta(days=rng.randint(0, 700))).isoformat()
            actor, verb = rng.choice(ACTORS), rng.choice(list(_TYPES))
            place, k = f"Village{rng.randint(0, 3000)}", rng.randint(0, 30)
            facts.append((d, actor, verb, place, k))
            text = (f"On {d}, {actor} {verb} {place}, killing {k} people, officials said. "
                    f"The area has seen heavy fighting for weeks. Article number {i}.")
            if rng.random() < 0.2:
                d2 = (date.fromisoformat(d) + timedelta(days=1)).isoformat()
                a2 = rng.choice(ACTORS)
                p2 = f"Village{rng.randint(0, 3000)}"
                text += f" On {d2}, {a2} attacked {p2}, killing {rng.randint(0, 9)} fighters."
        if fail_every and i % fail_every == fail_every - 1:
            text += " " + FakeExtractor.fail_marker
        arts.append(Article(id=f"syn-{seed}-{i:06d}", text=text + f" Ref {seed}/{i}.", source=rng.choice(OUTLETS),
                            title=f"Report {i}", published=date.fromisoformat(d[:10]) + timedelta(days=1)))
    return arts
