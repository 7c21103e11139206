"""Answers of identical filtered queries, reused while the database has not changed (SQLite).

"The map loads the latest events of Syria every morning": many clients send the same ``/api/events`` query, and
until an ingest commits, its answer is the same bytes. ``DataVersion`` tells when anything was committed (SQLite's
``PRAGMA data_version`` on a dedicated connection: it changes when any other connection or process commits); the
version is part of the cache key, so a page cached before a commit is never served after it (stale entries age
out of the LRU). PostgreSQL stores have no version here: nothing is cached."""
from __future__ import annotations

import sqlite3
import threading
from typing import Optional

from flashpoint.store.db import SQLITE_BUSY_TIMEOUT_MS, Store, sqlite_path

# answers kept per server process (LRU); a page of 100 events is ~60 KB, of 1000 (the largest) ~600 KB
MAX_CACHED_PAGES = 256


class DataVersion:
    """``current()``: a number that changes whenever a commit reaches the store's database; None when unknown
    (not SQLite), and then callers must not cache."""

    def __init__(self, store: Store):
        path = sqlite_path(store.url)
        self._lock = threading.Lock()
        self._conn: Optional[sqlite3.Connection] = None
        if path is not None:
            self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                                         timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)

    def current(self) -> Optional[int]:
        if self._conn is None:
            return None
        with self._lock:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
