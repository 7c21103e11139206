"""``--scheduler tcp://host:port``: extraction on an existing Dask cluster.

Workers build the extractor once (cached module global, warmed by a worker plugin);
batches are submitted with a bounded in-flight window and the reports come back in
input order to the single writer in this process.
"""
from __future__ import annotations

import os
from collections import deque
from typing import Iterable, Iterator

from flashpoint.model import Article, Report
from flashpoint.scale.common import batched, get_extractor, run_batch


class LoadExtractor:
    """Dask worker plugin: load the extractor when the worker starts (or when registered)."""

    name = "flashpoint-extractor"

    def __init__(self, spec: str):
        self.spec = spec

    def setup(self, worker=None):
        # one ONNX thread per worker thread: the cluster's parallelism is its workers x threads, and more
        # intra-op threads than that oversubscribe the cores (the local pool does the same)
        os.environ.setdefault("FLASHPOINT_ORT_THREADS", str(max(1, int(getattr(worker, "nthreads", 1) or 1))))
        get_extractor(self.spec)

    def teardown(self, worker=None):
        pass


def _register(client, spec: str) -> None:
    try:
        from distributed.diagnostics.plugin import WorkerPlugin

        plugin = type("FlashpointLoadExtractor", (LoadExtractor, WorkerPlugin), {})(spec)
        if hasattr(client, "register_plugin"):
            client.register_plugin(plugin, name=LoadExtractor.name)
        else:  # older distributed
            client.register_worker_plugin(plugin, name=LoadExtractor.name)
    except Exception:  # noqa: BLE001 - the cached global still loads lazily on first batch
        pass


def dask_extract(articles: Iterable[Article], spec: str, scheduler=None, batch_size: int = 16,
                 window: int | None = None, client=None, preload: bool = True, embed: bool = False) -> Iterator:
    """Reports in input order from a Dask cluster (``scheduler`` address or an existing ``client``);
    ``(report, embeddings)`` pairs with ``embed`` (see ``run_batch``)."""
    from distributed import Client

    own = client is None
    client = client or Client(scheduler)
    try:
        if preload:
            _register(client, spec)
        nworkers = max(1, len(client.scheduler_info().get("workers", {})))
        window = window or 2 * nworkers
        pending: deque = deque()
        for batch in batched(articles, batch_size):
            pending.append(client.submit(run_batch, spec, batch, embed, pure=False))
            while len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if own:
            client.close()
