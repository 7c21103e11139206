"""``--workers N``: a local process pool; each worker loads the extractor once, results stream
back in input order to the single writer (bounded in-flight window, so memory stays flat)."""
from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from typing import Iterable, Iterator

from flashpoint.model import Article, Report
from flashpoint.scale.common import batched, get_extractor, run_batch


def _init(spec: str) -> None:
    os.environ.setdefault("FLASHPOINT_ORT_THREADS", "1")
    get_extractor(spec)  # load models once per worker process


def _work(spec: str, batch: list[Article], embed: bool = False) -> list:
    return run_batch(spec, batch, embed)


def pool_extract(articles: Iterable[Article], spec: str, workers: int = 2, batch_size: int = 16,
                 window: int | None = None, start_method: str = "spawn", embed: bool = False) -> Iterator:
    """Reports in input order, computed by ``workers`` processes (``(report, embeddings)`` pairs with
    ``embed``, see ``run_batch``)."""
    ctx = mp.get_context(start_method)
    window = window or 2 * workers
    with ctx.Pool(workers, initializer=_init, initargs=(spec,)) as pool:
        pending: deque = deque()
        for batch in batched(articles, batch_size):
            pending.append(pool.apply_async(_work, (spec, batch, embed)))
            while len(pending) >= window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
