"""Pydantic models of the web API's requests and answers (they also make the OpenAPI schema at /docs)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

# the largest article text and title the write endpoint accepts, and articles per request
MAX_ARTICLE_CHARS = 200_000
MAX_TITLE_CHARS = 1_000
MAX_ID_CHARS = 512
MAX_ARTICLES_PER_POST = 50


class Source(BaseModel):
    article_id: str
    source: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None
    sentence: Optional[str] = Field(None, description="the evidence sentence of this article")
    start: Optional[int] = Field(None, description="character offset of the sentence in the article")
    end: Optional[int] = None
    event_id: str = Field(description="the report (row) of this article; merged into the canonical event")


class Event(BaseModel):
    model_config = ConfigDict(extra="ignore")

    event_id: str
    event_date: Optional[str] = None
    time_precision: Optional[int] = None
    event_type: Optional[str] = None
    sub_event_type: Optional[str] = None
    disorder_type: Optional[str] = None
    cameo_code: Optional[str] = None
    plover_type: Optional[str] = None
    plover_mode: Optional[str] = None
    actor1: Optional[str] = None
    assoc_actor_1: Optional[list[str]] = None
    inter1: Optional[int] = None
    actor2: Optional[str] = None
    assoc_actor_2: Optional[list[str]] = None
    inter2: Optional[int] = None
    location: Optional[str] = None
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    geo_precision: Optional[int] = Field(None, description="1 the place itself, 2 near it / its district, "
                                                           "3 the province")
    fatalities: Optional[int] = None
    civilian_fatalities: Optional[int] = None
    status: Optional[str] = None
    attribution: Optional[str] = None
    trigger: Optional[str] = None
    evidence: Optional[str] = None
    evidence_start: Optional[int] = None
    evidence_end: Optional[int] = None
    confidence: Optional[float] = None
    created_at: Optional[datetime] = None
    last_modified: Optional[datetime] = None


class EventDetail(Event):
    sources: list[Source] = []
    n_sources: int = 0


class EventPage(BaseModel):
    items: list[Event]
    next_cursor: Optional[str] = Field(None, description="pass as ?cursor= for the next page; null on the last")
    limit: int
    sort: str


class Relation(BaseModel):
    actor: str
    relation: str
    target: str
    evidence: Optional[str] = None


class ActorOut(BaseModel):
    name: str
    events: int
    kind: Optional[str] = None
    inter: Optional[int] = None
    country: Optional[str] = None
    relations: list[Relation] = []


class PlaceOut(BaseModel):
    location: str
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    geo_precision: Optional[int] = None
    events: int


class Stats(BaseModel):
    total: int
    by_day: list[dict[str, Any]]
    by_type: list[dict[str, Any]]
    by_actor: list[dict[str, Any]]


class ArticleIn(BaseModel):
    """One article to extract and store (the fields of a .jsonl input line)."""
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    text: str = Field(min_length=1, max_length=MAX_ARTICLE_CHARS)
    title: Optional[str] = Field(None, max_length=MAX_TITLE_CHARS)
    published: Optional[date] = None
    url: Optional[str] = Field(None, max_length=MAX_TITLE_CHARS)
    source: Optional[str] = Field(None, max_length=MAX_TITLE_CHARS)


class ArticlesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES_PER_POST)


class IngestOut(BaseModel):
    read: int
    ingested: int
    skipped: int
    failed: int
    events: int
    merged: int
    errors: list[str]
