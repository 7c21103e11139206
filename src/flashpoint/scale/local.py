"""``--workers N``: a local process pool; each worker has the extractor loaded once, results stream
back in input order to the single writer (bounded in-flight window, so memory stays flat).

On Linux, when a fork is safe (``default_start_method``), the workers are forked from a parent that has loaded
the extractor: the model, dictionaries and matchers are loaded once and shared copy-on-write, instead of each
worker importing and loading its own (~1.4 s CPU per worker). Otherwise, or with
``FLASHPOINT_START_METHOD=spawn``, each worker loads its own copy.
The parent also builds the parts the components make lazily on first use (``Pipeline.warm``: the actor
resolver's blank pipeline and matchers, dateparser, the admin areas of a country; 2.3 s CPU here), which each
worker otherwise built again for itself. On an idle machine that is wall-neutral (the workers built them in
parallel: 20.1 vs 20.6 art/s on 26 Nov); on a shared one it is (workers - 1) x 2.3 s of CPU less."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
from collections import deque
from typing import Iterable, Iterator, Optional

from flashpoint.model import Article
from flashpoint.scale.common import batched, get_extractor, run_batch
from flashpoint.settings import settings


def _init(spec: str) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool (and reports once), workers stay quiet
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("FLASHPOINT_ORT_THREADS", "1")
    get_extractor(spec)  # load models once per worker process (already there when forked from a loaded parent)


def _work(spec: str, batch: list[Article], embed: bool = False) -> list:
    return run_batch(spec, batch, embed)


def default_start_method() -> str:
    """``FLASHPOINT_START_METHOD`` if set, else ``fork`` on Linux when forking is safe here (the parent loads
    once, workers share it), else ``spawn``. A fork copies only the calling thread: it is not used when other
    threads run in this process or onnxruntime has started (its global thread pools and locks would be copied
    half-held, and a worker opening a session could hang), nor off Linux (macOS system libraries)."""
    env = settings().start_method
    if env:
        return env
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return "spawn"
    emb = sys.modules.get("flashpoint.nlp.embed")
    if emb is not None and emb.sessions_started():
        return "spawn"
    return "fork"


class LocalPool:
    """A started process pool for one extraction stage: ``pool(articles)`` yields results in input order
    (``(report, embeddings)`` pairs with ``embed``, see ``run_batch``) and shuts the pool down at the end.

    The pool starts when the object is made, so a writer can create it before starting threads of its own
    (onnxruntime, progress bar): a fork then copies a process with one thread."""

    def __init__(self, spec: str, workers: int = 2, batch_size: int = 16, window: Optional[int] = None,
                 start_method: Optional[str] = None, embed: bool = False):
        self.spec, self.batch_size, self.embed = spec, batch_size, embed
        self.window = window or 2 * workers
        self.start_method = start_method or default_start_method()
        if self.start_method == "fork":
            ex = get_extractor(spec)  # load here once: forked workers inherit it ready to run
            warm = getattr(ex, "warm", None)  # a custom extractor need not have one
            if callable(warm):
                warm()
        ctx = mp.get_context(self.start_method)
        self.pool = ctx.Pool(workers, initializer=_init, initargs=(spec,))

    def __call__(self, articles: Iterable[Article]) -> Iterator:
        pending: deque = deque()
        try:
            for batch in batched(articles, self.batch_size):
                pending.append(self.pool.apply_async(_work, (self.spec, batch, self.embed)))
                while len(pending) >= self.window:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def pool_extract(articles: Iterable[Article], spec: str, workers: int = 2, batch_size: int = 16,
                 window: Optional[int] = None, start_method: Optional[str] = None, embed: bool = False) -> Iterator:
    """Reports in input order, computed by ``workers`` processes (``(report, embeddings)`` pairs with
    ``embed``, see ``run_batch``)."""
    yield from LocalPool(spec, workers, batch_size, window, start_method, embed)(articles)
