"""The flashpoint event store: SQLite (default, ``flashpoint.db``) or PostgreSQL (+PostGIS), one API.

    from flashpoint.store import ingest, query_events, load_events
    ingest(["articles.jsonl"], "flashpoint.db")
    df = load_events("flashpoint.db", country="SY", since="2020-01-01")
"""
from flashpoint.store.db import NotAFlashpointStore, Store, StoreError, StoreNotFound, normalise_url, open_store  # noqa: F401,E501
from flashpoint.store.ingest import IngestStats, ingest  # noqa: F401
from flashpoint.store.query import changes_since, counts, explain, load_events, query_events  # noqa: F401
