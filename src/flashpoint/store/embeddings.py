"""Dedup embeddings of extracted events, computed where extraction runs (in the workers), not in the writer.

Only the texts dedup can ever compare get an embedding: the evidence of events with a date and a mergeable
status (``needs_embedding``). Each distinct text is embedded once per batch (one batched, length-sorted
onnxruntime call; one session per process) and kept in a small per-process cache, so wire copies of the same
sentence cost nothing. The dedup embeddings (``flashpoint.nlp.embed.embed_dedup``: a per-token int8 MiniLM graph)
do not depend on the batch a text is in, so a store built with the embeddings computed in workers is the same as
one built with them computed in the writer.
"""
from __future__ import annotations

import logging
import sys
from collections import OrderedDict
from typing import Callable, Iterable, Optional, Sequence

import numpy as np

from flashpoint.model import Report

Embedder = Callable[[list[str]], np.ndarray]
CACHE_SIZE = 8192
_CACHES: "dict[object, OrderedDict[str, np.ndarray]]" = {}  # per embedder: text -> vector

log = logging.getLogger(__name__)


def embedder_errors() -> tuple[type[BaseException], ...]:
    """What a failing embedder raises: the model packages missing (``EmbeddingUnavailable``, a RuntimeError), a
    model file unreadable (OSError), no memory for the batch, or onnxruntime's own errors (not RuntimeError
    subclasses; they can only occur when onnxruntime is loaded). Anything else is a bug and is raised."""
    errors: tuple[type[BaseException], ...] = (RuntimeError, OSError, MemoryError)
    ort_state = sys.modules.get("onnxruntime.capi.onnxruntime_pybind11_state")
    if ort_state is not None:
        errors += tuple(v for v in vars(ort_state).values() if isinstance(v, type) and issubclass(v, Exception))
    return errors


def needs_embedding(ev) -> bool:
    """Can this event ever be compared by text with another article's event?"""
    from flashpoint.store.dedup import MERGEABLE_STATUS

    return bool(ev.evidence and ev.evidence.text.strip() and ev.event_date and ev.status in MERGEABLE_STATUS)


def _cached(texts: Sequence[str], embedder: Embedder) -> dict[str, np.ndarray]:
    cache = _CACHES.setdefault(embedder, OrderedDict())
    out: dict[str, np.ndarray] = {}
    missing: list[str] = []
    for t in texts:
        v = cache.get(t)
        if v is None:
            missing.append(t)
        else:
            cache.move_to_end(t)
            out[t] = v
    if missing:
        vecs = np.asarray(embedder(missing), dtype=np.float32)
        for t, v in zip(missing, vecs):
            out[t] = v
            cache[t] = v
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return out


def clear_cache() -> None:
    """Forget every cached vector (benchmarks: each run starts cold, as a fresh process would)."""
    _CACHES.clear()


def cached_vectors(texts: Iterable[str], embedder: Embedder) -> dict[str, np.ndarray]:
    """``{text: vector}`` for the distinct ``texts``, through the per-process, per-embedder text cache (one
    embedder call for the texts not cached yet)."""
    return _cached(sorted(set(texts)), embedder)


def report_embeddings(reports: Iterable[Optional[Report]], embedder: Optional[Embedder] = None
                      ) -> list[Optional[dict[int, np.ndarray]]]:
    """One ``{event index: float32 vector}`` per report (empty when no event needs one).

    ``embedder`` defaults to MiniLM (``flashpoint.nlp.embed.embed``); without the model packages every
    dict is empty and dedup falls back to token Jaccard. When the embedder fails, every entry is None
    (the writer then tries again itself).
    """
    reports = list(reports)
    if embedder is None:
        from flashpoint.store.dedup import default_embedder

        embedder = default_embedder()
    out: list[dict[int, np.ndarray]] = [{} for _ in reports]
    if embedder is None:
        return out
    keys: list[tuple[int, int, str]] = []
    for ri, rep in enumerate(reports):
        if rep is None:
            continue
        for ei, ev in enumerate(rep.events):
            if needs_embedding(ev):
                keys.append((ri, ei, ev.evidence.text))
    if not keys:
        return out
    try:
        by_text = _cached(sorted({t for _, _, t in keys}), embedder)
    except embedder_errors() as exc:  # no embeddings for this batch: the writer tries again
        log.warning("no dedup embeddings for a batch of %d reports (%s: %s): the writer embeds them",
                    len(reports), type(exc).__name__, exc)
        return [None for _ in reports]
    for ri, ei, t in keys:
        out[ri][ei] = by_text[t]
    return out
