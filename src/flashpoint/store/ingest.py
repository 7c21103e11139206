"""``flashpoint ingest``: read -> extract (in process, process pool or Dask) -> single writer.

* Idempotent: an article whose content hash is already stored is skipped.
* Resumable after ``kill -9``: one transaction per batch, one SAVEPOINT per article;
  a killed run loses at most the open batch, which the next run redoes.
* Per-article failures (unreadable input, extraction error, write error) are recorded
  in ``articles`` (status/error) and never stop the run.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

import numpy as np
import sqlalchemy as sa

from flashpoint.model import Article, Report
from flashpoint.store.db import Store, open_store
from flashpoint.store.schema import articles
from flashpoint.store.write import write_article
from flashpoint.settings import settings

ExtractMany = Callable[[Iterable[Article]], Iterator[Report]]


@dataclass
class IngestStats:
    read: int = 0
    skipped: int = 0  # already stored (same content hash) or repeated in the input
    ingested: int = 0  # articles written with status ok
    failed: int = 0  # articles written with status error / unreadable
    events: int = 0
    merged: int = 0  # events merged into an event of another article
    words: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def articles_per_s(self) -> float:
        return (self.ingested + self.failed) / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["errors"] = self.errors[:50]
        d["articles_per_s"] = round(self.articles_per_s, 2)
        return d


def _estimate_total(inputs: Sequence) -> Optional[int]:
    """Cheap article count for the progress bar (jsonl lines, files); None if unknown (stdin)."""
    n = 0
    for p in inputs:
        if isinstance(p, Article):
            n += 1
            continue
        if str(p) == "-":
            return None
        path = Path(p)
        files = [f for f in sorted(path.rglob("*")) if f.is_file()] if path.is_dir() else [path]
        for f in files:
            if f.suffix.lower() == ".jsonl":
                try:
                    with open(f, "rb") as fh:
                        n += sum(1 for line in fh if line.strip())
                except OSError:
                    n += 1
            else:
                n += 1
    return n


def _source_items(inputs: Sequence, published: Optional[date]) -> Iterator:
    paths = [p for p in inputs if not isinstance(p, Article)]
    for p in inputs:
        if isinstance(p, Article):
            yield p
    if paths:
        from flashpoint.ingest import read_inputs

        yield from read_inputs([str(p) for p in paths], published=published)


def _unreadable_article(err) -> Article:
    item = str(getattr(err, "item", err))
    return Article(id=item[:512], text=f"[unreadable input {item}: {getattr(err, 'message', '')}]",
                   source=None)


def make_extract_many(workers: int = 1, scheduler: Optional[str] = None, extractor: Optional[str] = None,
                      batch_size: int = 16, client=None, embed: bool = False) -> ExtractMany:
    """The extraction stage for the given scale-out options (items in input order).

    With ``embed`` the stage yields ``(report, {event index: vector})`` pairs: the MiniLM dedup
    embeddings are computed next to the extraction (in each worker, batched), not in the writer."""
    from flashpoint.scale.common import DEFAULT_EXTRACTOR, get_extractor, batched

    spec = extractor or DEFAULT_EXTRACTOR
    if scheduler or client is not None:
        from flashpoint.scale.dask_backend import dask_extract

        return lambda arts: dask_extract(arts, spec, scheduler=scheduler, batch_size=batch_size, client=client,
                                         embed=embed)
    if workers and workers > 1:
        from flashpoint.scale.local import LocalPool

        return LocalPool(spec, workers=workers, batch_size=batch_size, embed=embed)  # started now, before threads
    if not embed:
        return lambda arts: get_extractor(spec).extract_many(arts, batch_size=batch_size)

    def in_process(arts: Iterable[Article]) -> Iterator:
        from flashpoint.store.embeddings import report_embeddings

        ex = get_extractor(spec)
        for chunk in batched(arts, batch_size):
            reports = list(ex.extract_many(chunk, batch_size=batch_size))
            yield from zip(reports, report_embeddings(reports))

    return in_process


def ingest(
    inputs: Sequence,
    db: "str | os.PathLike | Store | None" = None,
    *,
    workers: int = 1,
    scheduler: Optional[str] = None,
    batch_size: int = 32,
    extractor: Optional[str] = None,
    extract_many: Optional[ExtractMany] = None,
    published: Optional[date] = None,
    dedup: bool = True,
    embedder: "Callable[[list[str]], np.ndarray] | None | bool" = True,
    progress: bool = False,
    client=None,
    on_batch: Optional[Callable[[IngestStats], None]] = None,
    embed_in: Optional[str] = None,
) -> IngestStats:
    """Ingest ``inputs`` (paths, '-' or Article objects) into ``db``.

    ``extract_many`` (a callable: iterable of Articles -> Reports in the same order) overrides
    the extraction stage; otherwise ``workers``/``scheduler``/``extractor`` ("module:factory")
    choose it. ``embedder=True`` uses MiniLM when installed (else token Jaccard), ``None``/False
    forces Jaccard, or pass a callable ``texts -> (n, d) array``.

    ``embed_in`` (default: ``FLASHPOINT_EMBED_IN``, else ``"workers"`` on Dask and ``"writer"`` otherwise)
    says where the default MiniLM dedup embeddings are computed: ``"writer"`` embeds lazily, only the evidence
    of the pairs a comparison reaches (``dedup.could_merge``; 22% fewer texts on FA-KES, same merges), which
    costs the least CPU in total; ``"workers"`` embeds every mergeable event's evidence next to the
    extraction, which keeps the single writer light when many workers feed it. A custom embedder always runs
    in the writer, lazily.
    """
    store = open_store(db)
    embed_in = (embed_in or settings().embed_in
                or ("workers" if (scheduler or client is not None) else "writer"))
    if embed_in not in ("writer", "workers"):
        raise ValueError(f"embed_in must be 'writer' or 'workers', not {embed_in!r}")
    embed_in_stage = embedder is True and dedup and extract_many is None and embed_in == "workers"
    if embedder is True:
        from flashpoint.store.dedup import default_embedder

        embedder = default_embedder()
    embedder = embedder or None
    embed_in_stage = embed_in_stage and embedder is not None
    stats = IngestStats()
    t0 = time.perf_counter()
    with store.engine.connect() as conn:
        known = set(conn.execute(sa.select(articles.c.content_hash)).scalars())
    pending: deque[Article] = deque()
    unreadable: list = []

    def fresh() -> Iterator[Article]:
        for item in _source_items(inputs, published):
            stats.read += 1
            if not isinstance(item, Article):  # IngestError
                art = _unreadable_article(item)
                if art.content_hash in known:
                    stats.skipped += 1
                else:
                    known.add(art.content_hash)
                    unreadable.append((art, str(item)))
                continue
            h = item.content_hash
            if h in known:
                stats.skipped += 1
                continue
            known.add(h)
            pending.append(item)
            yield item

    if extract_many is None:
        extract_many = make_extract_many(workers, scheduler, extractor, batch_size=min(batch_size, 16),
                                         client=client, embed=embed_in_stage)
        if not scheduler and client is None and (workers or 1) <= 1 and _threaded():
            extract_many = _in_thread(extract_many)
        elif dedup and embedder is not None and not embed_in_stage:
            _warm_writer(embedder)  # while the workers load their models

    prog = None
    if progress:
        prog = _Progress(_estimate_total(inputs))
    try:
        with store.engine.connect() as conn:
            batch: list[tuple[Article, Optional[Report], Optional[str], Optional[dict]]] = []
            for item in extract_many(fresh()):
                rep, embs = item if isinstance(item, tuple) else (item, None)
                art = pending.popleft()
                err = None
                if rep.id != art.id:  # contract broken by the extractor: do not mis-attribute events
                    err, rep, embs = f"extractor returned report {rep.id!r} for article {art.id!r}", None, None
                batch.append((art, rep, err, embs))
                if len(batch) >= batch_size:
                    _flush(conn, batch, unreadable, stats, dedup, embedder)
                    batch = []
                    if prog:
                        prog.update(stats, time.perf_counter() - t0)
                    if on_batch:
                        on_batch(stats)
            while pending:  # extractor yielded fewer reports than articles
                art = pending.popleft()
                batch.append((art, None, "extractor returned no report", None))
            _flush(conn, batch, unreadable, stats, dedup, embedder)
            if on_batch:
                on_batch(stats)
    finally:
        stats.seconds = time.perf_counter() - t0
        if prog:
            prog.update(stats, stats.seconds)
            prog.stop()
    return stats


def _warm_writer(embedder) -> None:
    """Load what the writer's dedup needs (onnxruntime session, tokenizer, place name sets) up front, so it
    happens while pool or Dask workers load their models rather than on the first article."""
    from flashpoint.store import dedup as dd

    dd.warm(with_model=embedder is dd._minilm)


def _threaded() -> bool:
    return settings().ingest_thread


def _in_thread(extract_many: ExtractMany, depth: int = 32) -> ExtractMany:
    """Run an in-process extraction stage in a background thread, ``depth`` items ahead of the writer, so the
    writer's embedding (onnxruntime) and SQLite calls, which release the GIL, use the second core while the
    next articles are parsed. Items keep their order; an exception in the stage is raised in the writer."""
    import queue
    import threading

    done = object()

    def run(arts: Iterable[Article]) -> Iterator:
        q: "queue.Queue" = queue.Queue(maxsize=depth)
        stop = threading.Event()

        def produce():
            try:
                for item in extract_many(arts):
                    while not stop.is_set():
                        try:
                            q.put(("item", item), timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                q.put(("end", done))
            except BaseException as exc:  # noqa: BLE001 - handed to the writer
                q.put(("error", exc))

        th = threading.Thread(target=produce, name="flashpoint-extract", daemon=True)
        th.start()
        try:
            while True:
                kind, val = q.get()
                if kind == "item":
                    yield val
                elif kind == "error":
                    raise val
                else:
                    break
        finally:
            stop.set()
            th.join(timeout=5)

    return run


def _embeddings(batch) -> dict[tuple[int, int], np.ndarray]:
    """Embeddings of the batch's mergeable events computed by the extraction stage (``embed_in="workers"``);
    the writer embeds whatever else a comparison needs itself, lazily (``write.write_article``)."""
    out: dict[tuple[int, int], np.ndarray] = {}
    for bi, (_art, rep, err, pre) in enumerate(batch):
        if rep is not None and not err and pre:
            out.update({(bi, ei): v for ei, v in pre.items()})
    return out


def _flush(conn: sa.Connection, batch, unreadable, stats: IngestStats, dedup: bool, embedder) -> None:
    if not batch and not unreadable:
        return
    embs = _embeddings(batch) if dedup else {}
    if dedup and embedder is not None and len(batch) > 1:
        from flashpoint.store.write import warm_embeddings

        with conn.begin():  # read only
            warm_embeddings(conn, [(art, rep) for art, rep, err, pre in batch
                                   if rep is not None and not err and not pre and rep.events], embedder)
    with conn.begin():
        while unreadable:  # pop one by one: the extraction thread may append meanwhile
            art, msg = unreadable.pop(0)
            with conn.begin_nested():
                write_article(conn, art, None, error=msg, dedup=False)
            stats.failed += 1
            stats.errors.append(msg)
        for bi, (art, rep, err, _pre) in enumerate(batch):
            ev_embs = {ei: v for (b, ei), v in embs.items() if b == bi}
            failed_msg = err
            if rep is not None and not err and rep.failures and not rep.events:
                failed_msg = "; ".join(rep.failures)
            try:
                with conn.begin_nested():
                    res = write_article(conn, art, rep if not err else None, error=failed_msg,
                                        dedup=dedup, embeddings=ev_embs, embedder=embedder)
            except Exception as exc:  # noqa: BLE001 - write error: record the article as failed
                msg = f"{art.id}: store failed: {type(exc).__name__}: {exc}"
                with conn.begin_nested():
                    write_article(conn, art, None, error=msg, dedup=False)
                stats.failed += 1
                stats.errors.append(msg)
                continue
            stats.words += len(art.text.split())
            if res.status == "ok":
                stats.ingested += 1
            else:
                stats.failed += 1
                stats.errors.append(failed_msg or "")
            stats.events += res.events
            stats.merged += res.merged


class _Progress:
    """rich progress bar: articles, articles/s, events, merged, errors, ETA."""

    def __init__(self, total: Optional[int]):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.p = Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} art/s"), TextColumn("events {task.fields[events]}"),
            TextColumn("merged {task.fields[merged]}"), TextColumn("[red]errors {task.fields[errors]}"),
            TextColumn("skipped {task.fields[skipped]}"), TimeRemainingColumn(), transient=False)
        self.task = self.p.add_task("ingest", total=total, rate=0.0, events=0, merged=0, errors=0, skipped=0)
        self.p.start()

    def update(self, s: IngestStats, elapsed: float) -> None:
        done = s.ingested + s.failed + s.skipped
        self.p.update(self.task, completed=done, rate=(s.ingested + s.failed) / elapsed if elapsed else 0.0,
                      events=s.events, merged=s.merged, errors=s.failed, skipped=s.skipped)

    def stop(self) -> None:
        self.p.stop()


def content_hash_of(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
