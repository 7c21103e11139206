"""The one data model that flows through every stage: Article in, Report out.

Field names are part of the CLI/JSON contract (see README "Output"): fields may be
added, never renamed.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Status = Literal["reported", "claimed", "denied", "hypothetical", "historical"]
ToponymType = Literal["literal", "demonym", "modifier", "metonymic"]


# an entry of Report.errors that is a warning, not a failure: "<article id>: warning: <text>"
WARNING_MARK = ": warning: "


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    """A piece of the article text: ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int


class Article(_Model):
    id: str
    text: str
    title: Optional[str] = None
    published: Optional[date] = None
    url: Optional[str] = None
    source: Optional[str] = None

    @property
    def content_hash(self) -> str:
        """Stable hash of the text (whitespace-normalised) used for idempotent ingest."""
        norm = " ".join(self.text.split())
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()


class Location(_Model):
    name: str
    canonical: Optional[str] = None
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = None  # ISO 3166-1 alpha-2
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    feature_code: Optional[str] = None
    geo_precision: Optional[int] = None  # 1 the place, 2 near/part of it, 3 region only
    anchor: Optional[str] = None  # "10 km south of Aleppo" -> "Aleppo"

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None


class Toponym(Location):
    start: int
    end: int
    type: ToponymType = "literal"
    score: Optional[float] = None
    # the resolver's reading and scored candidates of the name (place, [(score, Place, match)], final scores),
    # for ``geoparse``'s Mordecai3-style fields (``flashpoint.geo.output_fields``); not part of the model's JSON
    _readings: Optional[tuple] = PrivateAttr(default=None)

    def __getstate__(self):
        # the readings stay in the process that resolved the name: a report sent back by an ``ingest --workers``
        # child does not carry some 60 candidate places per toponym
        st = super().__getstate__()
        priv = st.get("__pydantic_private__")
        if priv and priv.get("_readings") is not None:
            st = {**st, "__pydantic_private__": {**priv, "_readings": None}}
        return st


class Actor(_Model):
    name: str  # as written
    canonical: Optional[str] = None
    actor_id: Optional[str] = None  # stable id (Wikidata QID where one exists)
    kind: Optional[str] = None  # ACLED actor type, in words
    inter: Optional[int] = None  # ACLED actor type code 1..8
    country: Optional[str] = None  # ISO3
    cameo: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    affiliation: Optional[str] = None  # persons: canonical name of the group/state they act for


class Relation(_Model):
    actor: str
    relation: Literal["supports", "allied with", "affiliated with", "opposes"]
    target: str
    evidence: Optional[Span] = None


class Quote(_Model):
    speaker: Optional[str] = None
    affiliation: Optional[str] = None
    outlet: Optional[str] = None
    text: str
    evidence: Optional[Span] = None


class Claim(_Model):
    subject: str
    value: Optional[float] = None
    qualifier: Optional[str] = None  # "at least", "about", "more than" ...
    unit: Optional[str] = None  # "killed", "wounded", "displaced", ...
    source: Optional[str] = None
    evidence: Optional[Span] = None
    conflicts_with: list[int] = Field(default_factory=list)  # indices into Report.claims


class Event(_Model):
    event_id: str
    event_date: Optional[str] = None  # YYYY-MM-DD, or null
    time_precision: int = 3
    event_type: Optional[str] = None
    sub_event_type: Optional[str] = None
    disorder_type: Optional[str] = None
    cameo_code: Optional[str] = None
    plover_type: Optional[str] = None
    plover_mode: Optional[str] = None
    actor1: Optional[str] = None
    assoc_actor_1: list[str] = Field(default_factory=list)
    actor2: Optional[str] = None
    assoc_actor_2: list[str] = Field(default_factory=list)
    location: Optional[Location] = None
    fatalities: Optional[int] = None
    civilian_fatalities: Optional[int] = None
    status: Status = "reported"
    attribution: Optional[str] = None
    trigger: Optional[str] = None
    evidence: Optional[Span] = None
    mentions: list[Span] = Field(default_factory=list)  # every span of the article that reports this incident
    confidence: float = 0.5


def _flashpoint_version() -> str:
    from flashpoint import __version__

    return __version__


class Report(_Model):
    id: str
    title: Optional[str] = None
    published: Optional[date] = None
    source: Optional[str] = None
    url: Optional[str] = None
    events: list[Event] = Field(default_factory=list)
    toponyms: list[Toponym] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    flashpoint_version: str = Field(default_factory=_flashpoint_version)  # the flashpoint that wrote it

    @property
    def failures(self) -> list[str]:
        """The errors that mean the article failed; warnings ("<id>: warning: ...", e.g. a publication date that
        disagrees with the article's printed date) are kept in ``errors`` but are not failures."""
        return [e for e in self.errors if WARNING_MARK not in e]

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")


DUPLICATE_ID_SEP = "#"  # "dup" seen before in the run -> "dup#2", "dup#3", ...


class RunIds:
    """Article ids made unique within one run (``flashpoint extract``, ``extract_many``), so event ids
    (``<article id>-E<n>``) are unique too: an id already used by an earlier article of the run is reported as
    ``<id>#2`` (``#3``, ...) with a warning in that report's ``errors``. The first article keeps its id."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._renamed: dict[str, str] = {}

    def article(self, art: Article) -> Article:
        """``art``, or a copy under the next free ``<id>#<n>`` when its id was seen before in this run."""
        if art.id not in self._seen:
            self._seen.add(art.id)
            return art
        n = 2
        while f"{art.id}{DUPLICATE_ID_SEP}{n}" in self._seen:
            n += 1
        new = f"{art.id}{DUPLICATE_ID_SEP}{n}"
        self._seen.add(new)
        self._renamed[new] = art.id
        return art.model_copy(update={"id": new})

    def report(self, rep: Report) -> Report:
        """``rep`` with the warning of a renamed article added to its errors."""
        old = self._renamed.pop(rep.id, None)
        if old is not None:
            rep.errors.append(f"{rep.id}{WARNING_MARK}id {old!r} was already used by an earlier article of this "
                              f"run; this one is reported as {rep.id!r}")
        return rep
