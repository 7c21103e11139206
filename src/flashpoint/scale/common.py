"""Shared helpers for the local pool and Dask: extractor specs loaded once per process."""
from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import os
import threading
from itertools import islice
from typing import Iterable, Iterator

from flashpoint.model import Article, Report
from flashpoint.settings import settings

DEFAULT_EXTRACTOR = "flashpoint.pipeline:default_pipeline"
_CACHE: dict[str, object] = {}
_LOCK = threading.Lock()


def batched(items: Iterable, n: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, max(1, n))):
        yield chunk


def resolve(spec: str):
    mod, _, attr = spec.partition(":")
    obj = importlib.import_module(mod)
    for part in (attr or "").split("."):
        if part:
            obj = getattr(obj, part)
    return obj


def tune_malloc() -> bool:
    """Undo the allocator setting Dask's nanny gives its workers (``MALLOC_TRIM_THRESHOLD_=65536``).

    Setting that variable also freezes glibc's mmap threshold at 128 KiB, so every larger numpy/spaCy buffer
    is mmap'ed and unmapped again: extraction + embeddings in a Dask worker cost 126 instead of 104-107 ms CPU
    per FA-KES article. With the variable set (only then), raise the mmap threshold to 32 MiB and the trim
    threshold to 64 MiB. ``FLASHPOINT_MALLOC_TUNE=0`` leaves the allocator alone."""
    if not settings().malloc_tune or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, 32 * 2**20)) and bool(libc.mallopt(m_trim_threshold, 64 * 2**20))
    except (OSError, AttributeError):  # not glibc
        return False


def get_extractor(spec: str = DEFAULT_EXTRACTOR):
    """``"module:factory"`` -> object with ``extract_many``; built once per process (cached global)."""
    ex = _CACHE.get(spec)
    if ex is None:
        with _LOCK:
            ex = _CACHE.get(spec)
            if ex is None:
                tune_malloc()
                ex = resolve(spec)()
                _CACHE[spec] = ex
    return ex


_RUN_LOCKS: dict[str, threading.Lock] = {}


def run_batch(spec: str, batch: list[Article], embed: bool = False) -> list:
    """Extract one batch with the process's cached extractor. Calls are serialised per process: the
    spaCy pipeline object is not shared by concurrent threads (run Dask workers with --nthreads 1).

    With ``embed`` the items are ``(report, {event index: vector})`` pairs: the dedup embeddings are
    computed here, in the worker, so the single writer only writes (``flashpoint.store.embeddings``)."""
    ex = get_extractor(spec)
    with _LOCK:
        lock = _RUN_LOCKS.setdefault(spec, threading.Lock())
    with lock:
        reports = _run(ex, batch)
        if not embed:
            return reports
        from flashpoint.store.embeddings import report_embeddings

        return list(zip(reports, report_embeddings(reports)))


def _run(ex, batch: list[Article]) -> list[Report]:
    try:
        return list(ex.extract_many(batch, batch_size=len(batch)))
    except Exception as exc:  # noqa: BLE001 - one bad batch must not stop the run
        out = []
        for a in batch:
            try:
                out.extend(ex.extract_many([a], batch_size=1))
            except Exception as e2:  # noqa: BLE001
                out.append(Report(id=a.id, title=a.title, source=a.source, url=a.url,
                                  errors=[f"{a.id}: extraction failed: {type(e2).__name__}: {e2}"]))
        del exc
        return out
