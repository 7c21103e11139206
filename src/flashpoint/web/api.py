"""The web app of ``flashpoint serve``: a read-only REST API over the store, the map page at ``/`` and
OpenAPI at ``/docs`` (Swagger UI served from the package: no CDN), plus ``POST /api/articles`` when the
server was started with a token.

    from flashpoint.web.api import create_app
    app = create_app("flashpoint.db")            # uvicorn.run(app)
"""
from __future__ import annotations

import io
import secrets
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Iterable, Literal, Optional

import orjson
import sqlalchemy as sa
from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles

from flashpoint.export.formats import write_events
from flashpoint.export.status import parse_statuses
from flashpoint.store.db import Store, open_store
from flashpoint.web import models as m
from flashpoint.web import queries as qy
from flashpoint.web.cache import MAX_CACHED_PAGES, DataVersion
from flashpoint.web.security import SecurityHeaders

STATIC_DIR = Path(__file__).parent / "static"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
# rows one download (CSV / GeoJSON) holds at most; the X-Flashpoint-Truncated header says when it was cut
MAX_DOWNLOAD_ROWS = 100_000
MAX_LIST_SIZE = 1000
MAX_EVENT_ID_CHARS = 80  # events.event_id is VARCHAR(80)
DEFAULT_LIST_SIZE = 100
# longest free-text filter value (actor, text, admin1, type names)
MAX_FILTER_CHARS = 200
BBOX_PATTERN = r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$"
COUNTRY_PATTERN = r"^[A-Za-z]{2,3}$"
TRUNCATED_HEADER = "X-Flashpoint-Truncated"
# bytes of the SQLite file each server connection maps (the file's pages are shared with the OS cache)
SQLITE_MMAP_BYTES = 1 << 30

SortName = Literal["date", "-date", "fatalities", "-fatalities"]
Text = Annotated[Optional[str], Query(max_length=MAX_FILTER_CHARS)]


def _text(description: str):
    return Query(None, max_length=MAX_FILTER_CHARS, description=description)


async def event_filter(
    since: Optional[date] = Query(None, description="events on or after this date"),
    until: Optional[date] = Query(None, description="events on or before this date"),
    bbox: Optional[str] = Query(None, pattern=BBOX_PATTERN, description="min_lon,min_lat,max_lon,max_lat"),
    country: Optional[str] = Query(None, pattern=COUNTRY_PATTERN, description="ISO alpha-2 or alpha-3"),
    admin1: Optional[str] = _text("first-level administrative area, exact"),
    event_type: Optional[str] = _text("ACLED event type"),
    sub_event_type: Optional[str] = _text("ACLED sub-event type"),
    actor: Optional[str] = _text("substring of actor1 / actor2"),
    status: list[str] = Query([], description="reported, claimed (default), denied, hypothetical, historical "
                                              "or all; repeat or comma-separate"),
    min_fatalities: Optional[int] = Query(None, ge=0),
    text: Optional[str] = _text("substring of the evidence sentence"),
) -> qy.EventFilter:
    """The shared filter of the events list, the stats and the downloads (validated here: 422 on error).
    ``async``: it only checks values, so it runs on the event loop (no thread hop per request)."""
    f = qy.EventFilter(since=since, until=until, bbox=bbox, country=country, admin1=admin1, event_type=event_type,
                       sub_event_type=sub_event_type, actor=actor, status=status, min_fatalities=min_fatalities,
                       text=text)
    try:
        parse_statuses(status or None)
        if bbox:
            qy.parse_bbox(bbox)
        if country:
            qy.country_code(country)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    return f


Filter = Annotated[qy.EventFilter, Depends(event_filter)]


def create_app(db=None, *, token: Optional[str] = None, cors_origins: Iterable[str] = (),
               extractor: Optional[str] = None) -> FastAPI:
    """The app over ``db`` (path, URL or Store). ``token`` enables ``POST /api/articles`` for that bearer token;
    ``cors_origins`` lists the origins allowed to call the API from a browser (none by default);
    ``extractor`` ("module:factory") overrides the extraction of posted articles (tests)."""
    store = open_store(db)
    _map_sqlite_file(store)
    app = FastAPI(title="flashpoint", version="1", docs_url=None, redoc_url=None,
                  description="Conflict events extracted from news: filter, page, download (read-only unless the "
                              "server was started with --token).")
    app.state.store = store
    _read_routes(app, store)
    _download_routes(app, store)
    _page_routes(app)
    if token:
        _write_routes(app, store, token, extractor)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    origins = list(cors_origins)
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"], allow_headers=[])
    app.add_middleware(SecurityHeaders)
    return app


def _map_sqlite_file(store: Store) -> None:
    """The server's SQLite connections read the file through mmap (no read() call and copy per page: the events
    query of the bench mix took ~25% less CPU, bench/bench_api.py); connections opened before are dropped."""
    if store.dialect != "sqlite":
        return

    def on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")

    sa.event.listen(store.engine, "connect", on_connect)
    store.engine.dispose()


# how `flashpoint serve --workers N` hands its options to the worker processes (uvicorn imports the factory)
SERVE_DB_ENV = "FLASHPOINT_SERVE_DB"
SERVE_TOKEN_ENV = "FLASHPOINT_SERVE_TOKEN"
SERVE_CORS_ENV = "FLASHPOINT_SERVE_CORS"


def app_from_env() -> FastAPI:
    """The app with the options ``flashpoint serve`` put in the environment (uvicorn ``factory=True``)."""
    from flashpoint.settings import settings

    s = settings()
    cors = [o for o in (s.serve_cors or "").split(" ") if o]
    return create_app(s.serve_db or None, token=s.serve_token or None, cors_origins=cors)


def _filter_key(f: qy.EventFilter) -> tuple:
    """A hashable form of a filter (its list of statuses as a tuple)."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in vars(f).items())


def _page_body(store: Store, fkey: tuple, limit: int, sort: str, cursor: Optional[str]) -> bytes:
    """The JSON of one events page. The rows are the EventPage's fields already (PUBLIC_COLUMNS): serialised by
    orjson (dates and datetimes as ISO 8601) without re-validating them (the hot path)."""
    f = qy.EventFilter(**{k: list(v) if isinstance(v, tuple) else v for k, v in fkey})
    rows, nxt = qy.page(store, f, limit=limit, sort=sort, cursor=cursor)
    return orjson.dumps({"items": rows, "next_cursor": nxt, "limit": limit, "sort": sort})


def _events_pages(store: Store):
    """``body(f, limit, sort, cursor)``: the page's JSON bytes, reused for an identical query while the data
    version has not changed (``flashpoint.web.cache``)."""
    version = DataVersion(store)

    @lru_cache(maxsize=MAX_CACHED_PAGES)
    def cached(_version: int, fkey: tuple, limit: int, sort: str, cursor: Optional[str]) -> bytes:
        return _page_body(store, fkey, limit, sort, cursor)

    def body(f: qy.EventFilter, limit: int, sort: str, cursor: Optional[str]) -> bytes:
        v = version.current()
        if v is None:
            return _page_body(store, _filter_key(f), limit, sort, cursor)
        return cached(v, _filter_key(f), limit, sort, cursor)

    return body


def _read_routes(app: FastAPI, store: Store) -> None:
    events_page = _events_pages(store)

    @app.get("/api/events", response_model=m.EventPage, tags=["events"])
    def list_events(f: Filter, limit: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
                    sort: SortName = qy.DEFAULT_SORT, cursor: Optional[str] = Query(None, max_length=1000)):
        """Canonical (deduplicated) events matching every filter, one page at a time."""
        try:
            body = events_page(f, limit, sort, cursor)
        except qy.CursorError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        return Response(body, media_type="application/json")

    @app.get("/api/events/{event_id}", response_model=m.EventDetail, tags=["events"])
    def get_event(event_id: str = PathParam(max_length=MAX_EVENT_ID_CHARS)):
        """One event with every source article and its evidence sentence (a merged report's id answers
        with its canonical event)."""
        ev = qy.event(store, event_id)
        if ev is None:
            raise HTTPException(status_code=404, detail="no such event")
        return ev

    @app.get("/api/actors", response_model=list[m.ActorOut], tags=["actors"])
    def list_actors(q: Text = None, limit: int = Query(DEFAULT_LIST_SIZE, ge=1, le=MAX_LIST_SIZE)):
        """Actors of the events (most events first) with their relations (supports, allied with ...)."""
        return qy.actor_list(store, q, limit)

    @app.get("/api/places", response_model=list[m.PlaceOut], tags=["places"])
    def list_places(q: Text = None, country: Optional[str] = Query(None, pattern=COUNTRY_PATTERN),
                    limit: int = Query(DEFAULT_LIST_SIZE, ge=1, le=MAX_LIST_SIZE)):
        """Places of the events (most events first) with coordinates and precision."""
        try:
            return qy.place_list(store, q, country, limit)
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc

    @app.get("/api/stats", response_model=m.Stats, tags=["stats"])
    def get_stats(f: Filter):
        """Counts of the filtered events by day, event type and actor."""
        return qy.stats(store, f)


def _download(store: Store, f: qy.EventFilter, sort: str, fmt: str) -> tuple[str, bool]:
    rows, nxt = qy.page(store, f, limit=MAX_DOWNLOAD_ROWS, sort=sort)
    buf = io.StringIO()
    write_events(qy.with_sources(store, rows), fmt, buf, statuses="all")  # the filter chose the statuses
    return buf.getvalue(), nxt is not None


def _download_routes(app: FastAPI, store: Store) -> None:
    @app.get("/api/events.csv", tags=["downloads"], response_class=Response,
             responses={200: {"content": {"text/csv": {}}}})
    def download_csv(f: Filter, sort: SortName = qy.DEFAULT_SORT):
        """The filtered events as ACLED CSV (31 columns + status)."""
        body, cut = _download(store, f, sort, "acled-csv")
        return Response(body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="events.csv"', TRUNCATED_HEADER: str(cut).lower()})

    @app.get("/api/events.geojson", tags=["downloads"], response_class=Response,
             responses={200: {"content": {"application/geo+json": {}}}})
    def download_geojson(f: Filter, sort: SortName = qy.DEFAULT_SORT):
        """The filtered events as a GeoJSON FeatureCollection."""
        body, cut = _download(store, f, sort, "geojson")
        return Response(body, media_type="application/geo+json", headers={
            "Content-Disposition": 'attachment; filename="events.geojson"', TRUNCATED_HEADER: str(cut).lower()})


DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flashpoint API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger/init.js"></script></body></html>
"""


def _page_routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/docs", include_in_schema=False)
    def docs():
        return HTMLResponse(DOCS_HTML)


def _write_routes(app: FastAPI, store: Store, token: str, extractor: Optional[str]) -> None:
    bearer = HTTPBearer(auto_error=False)

    def require_token(cred: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
        if cred is None or not secrets.compare_digest(cred.credentials.encode(), token.encode()):
            raise HTTPException(status_code=401, detail="a valid bearer token is required",
                                headers={"WWW-Authenticate": "Bearer"})

    @app.post("/api/articles", response_model=m.IngestOut, tags=["write"], dependencies=[Depends(require_token)])
    def post_articles(body: m.ArticlesIn, request: Request):
        """Extract events from the articles and store them (idempotent: a stored text is skipped)."""
        from flashpoint.model import Article
        from flashpoint.store.ingest import ingest

        arts = [Article(**a.model_dump()) for a in body.articles]
        stats = ingest(arts, store, extractor=extractor, embedder=None)
        return {**stats.as_dict()}
