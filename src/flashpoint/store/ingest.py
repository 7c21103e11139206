"""``flashpoint ingest``: read -> extract (in process, process pool or Dask) -> single writer.

* Idempotent: an article whose content hash is already stored is skipped.
* Resumable after ``kill -9``: one transaction per batch, one SAVEPOINT per article;
  a killed run loses at most the open batch, which the next run redoes.
* Per-article failures (unreadable input, extraction error, data error) are recorded
  in ``articles`` (status/error) and never stop the run.
* A transient database error (lock or statement timeout, deadlock, "database is locked") is retried
  (``TRANSIENT_RETRIES``); an article that still meets one is left unrecorded, never stored as failed, so the
  next run retries it (``IngestStats.unrecorded``).
* Concurrent ingests of overlapping input: each identity is stored once (INSERT ... ON CONFLICT DO NOTHING);
  on SQLite writers take the write lock per batch (BEGIN IMMEDIATE) and wait for each other.
"""
from __future__ import annotations

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
from flashpoint.settings import settings
from flashpoint.store.identity import identity_hash, text_hash
from flashpoint.store.write import WriteResult, find_original, write_article, write_copy

ExtractMany = Callable[[Iterable[Article]], Iterator[Report]]


@dataclass
class IngestStats:
    read: int = 0
    skipped: int = 0  # already stored (same content hash) or repeated in the input
    ingested: int = 0  # articles written with status ok
    failed: int = 0  # articles that failed: written with status error, or left unrecorded (below)
    unrecorded: int = 0  # failed on a transient database error (lock, timeout, deadlock) after every retry:
    #                      not stored at all, so a rerun retries them
    copies: int = 0  # identical copies of a stored text (another id/url/outlet): recorded as more sources
    events: int = 0
    merged: int = 0  # events merged into an event of another article
    words: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def articles_per_s(self) -> float:
        return (self.ingested + self.failed) / self.seconds if self.seconds else 0.0

    def add(self, other: "IngestStats") -> None:
        """Count ``other`` (one committed batch) into these totals."""
        for f in ("skipped", "ingested", "failed", "unrecorded", "copies", "events", "merged", "words"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.errors += other.errors

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
        feed = _Feed(conn, inputs, published, stats)

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
        with store.writer() as conn:
            _write_all(conn, extract_many(feed), feed, stats, batch_size, prog, on_batch, t0, dedup=dedup,
                       embedder=embedder)
    finally:
        stats.seconds = time.perf_counter() - t0
        if prog:
            prog.update(stats, stats.seconds)
            prog.stop()
    return stats


def _write_all(conn: sa.Connection, reports: Iterable, feed: "_Feed", stats: IngestStats, batch_size: int, prog,
               on_batch, t0: float, *, dedup: bool, embedder) -> None:
    """The single writer: the extraction stage's reports, ``batch_size`` articles per committed transaction."""
    batch: list[tuple[Article, Optional[Report], Optional[str], Optional[dict]]] = []
    for item in reports:
        rep, embs = item if isinstance(item, tuple) else (item, None)
        art = feed.pending.popleft()
        err = None
        if rep.id != art.id:  # contract broken by the extractor: do not mis-attribute events
            err, rep, embs = f"extractor returned report {rep.id!r} for article {art.id!r}", None, None
        batch.append((art, rep, err, embs))
        if len(batch) >= batch_size:
            _flush(conn, batch, feed, stats, dedup, embedder)
            batch = []
            if prog:
                prog.update(stats, time.perf_counter() - t0)
            if on_batch:
                on_batch(stats)
    while feed.pending:  # extractor yielded fewer reports than articles
        art = feed.pending.popleft()
        batch.append((art, None, "extractor returned no report", None))
    _flush(conn, batch, feed, stats, dedup, embedder, final=True)
    if on_batch:
        on_batch(stats)


class _Feed:
    """The run's input items that need writing, in input order: an item whose identity is stored (or came
    earlier in the input) is skipped; an unreadable one goes to ``unreadable``; one whose text and date are
    those of an article stored or extracted earlier (another outlet's wire copy) goes to ``copies`` and is
    linked to that article's events instead of being extracted again; the rest are yielded for extraction and
    kept in ``pending`` until their report comes back."""

    def __init__(self, conn: sa.Connection, inputs: Sequence, published: Optional[date], stats: IngestStats):
        self.known = set(conn.execute(sa.select(articles.c.content_hash)).scalars())
        self.texts = {(h, p) for h, p in conn.execute(
            sa.select(articles.c.text_hash, articles.c.published).where(articles.c.status == "ok"))}
        self.inputs, self.published, self.stats = inputs, published, stats
        self.pending: deque[Article] = deque()
        self.unreadable: list[tuple[Article, str]] = []
        self.copies: list[Article] = []

    def __iter__(self) -> Iterator[Article]:
        for item in _source_items(self.inputs, self.published):
            self.stats.read += 1
            if not isinstance(item, Article):  # IngestError
                art = _unreadable_article(item)
                if self._seen(art):
                    continue
                self.unreadable.append((art, str(item)))
                continue
            if self._seen(item):
                continue
            key = (text_hash(item.text), item.published.isoformat() if item.published else None)
            if key in self.texts:
                self.copies.append(item)
                continue
            self.texts.add(key)
            self.pending.append(item)
            yield item

    def _seen(self, art: Article) -> bool:
        h = identity_hash(art)
        if h in self.known:
            self.stats.skipped += 1
            return True
        self.known.add(h)
        return False


TRANSIENT_RETRIES = 3  # retries of an article (or a whole batch) after a transient database error
TRANSIENT_BACKOFF_S = 0.5  # wait before the first retry; doubled before each next one


def is_transient(exc: BaseException) -> bool:
    """A database error that a later attempt may not meet: lock or statement timeout, deadlock, serialisation
    failure, "database is locked", a lost connection (SQLAlchemy's OperationalError family, pool timeouts)."""
    if isinstance(exc, (sa.exc.OperationalError, sa.exc.TimeoutError)):
        return True
    return isinstance(exc, sa.exc.DBAPIError) and bool(exc.connection_invalidated)


class _BatchLost(Exception):
    """The batch's transaction is gone (the connection was lost): the whole batch is retried on a new one."""


def _backoff(attempt: int) -> None:
    time.sleep(TRANSIENT_BACKOFF_S * (2 ** attempt))


def _not_stored(label: str, exc: BaseException) -> str:
    return (f"{label}: not stored: database busy after {TRANSIENT_RETRIES + 1} attempts "
            f"({type(exc).__name__}: {str(exc).splitlines()[0][:200]}); a rerun retries it")


def _attempt(conn: sa.Connection, write: Callable[[], WriteResult], label: str, out: IngestStats
             ) -> Optional[WriteResult]:
    """``write()`` in its own SAVEPOINT, retried on transient errors; None (counted as unrecorded, never stored
    as failed: the rerun retries it) when every attempt met one. Other errors propagate."""
    for attempt in range(TRANSIENT_RETRIES + 1):
        try:
            with conn.begin_nested():
                return write()
        except sa.exc.PendingRollbackError as exc:
            raise _BatchLost(str(exc)) from exc
        except (sa.exc.DBAPIError, sa.exc.TimeoutError) as exc:
            if not is_transient(exc):
                raise
            if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
                raise _BatchLost(str(exc)) from exc
            if attempt == TRANSIENT_RETRIES:
                out.failed += 1
                out.unrecorded += 1
                out.errors.append(_not_stored(label, exc))
                return None
            _backoff(attempt)
    return None


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


def _flush(conn: sa.Connection, batch, feed: _Feed, stats: IngestStats, dedup: bool, embedder,
           final: bool = False) -> None:
    """Write one batch in one transaction (each article in a SAVEPOINT). A transient error on the whole
    transaction (BEGIN or COMMIT: a lock held elsewhere) retries the batch; after the last retry its articles
    are left unrecorded, with an error each, for the rerun."""
    if not batch and not feed.unreadable and not feed.copies:
        return
    if dedup and embedder is not None and len(batch) > 1:
        _warm(conn, batch, embedder)
    unreadable = []
    while feed.unreadable:  # pop one by one: the extraction thread may append meanwhile
        unreadable.append(feed.unreadable.pop(0))
    copies = list(feed.copies)
    for attempt in range(TRANSIENT_RETRIES + 1):
        out = IngestStats()
        try:
            with conn.begin():
                done_copies = _write_batch(conn, batch, unreadable, copies, out, dedup, embedder, final)
            break
        except (sa.exc.DBAPIError, sa.exc.TimeoutError, _BatchLost) as exc:
            if not isinstance(exc, _BatchLost) and not is_transient(exc):
                raise
            if conn.invalidated or conn.in_transaction():
                conn.rollback()  # a lost connection reconnects on the next BEGIN
            if attempt == TRANSIENT_RETRIES:
                done_copies = copies if final else []  # else they wait for the next batch
                items = [a for a, *_ in batch] + [a for a, _m in unreadable] + done_copies
                out = IngestStats(failed=len(items), unrecorded=len(items),
                                  errors=[_not_stored(a.id, exc) for a in items])
                break
            _backoff(attempt)
    for a in done_copies:
        feed.copies.remove(a)
    stats.add(out)


def _warm(conn: sa.Connection, batch, embedder) -> None:
    from flashpoint.store.write import warm_embeddings

    conn.execution_options(flashpoint_write=False)  # read only: no SQLite write lock while the model runs
    try:
        with conn.begin():
            warm_embeddings(conn, [(art, rep) for art, rep, err, pre in batch
                                   if rep is not None and not err and not pre and rep.events], embedder)
    except (sa.exc.DBAPIError, sa.exc.TimeoutError) as exc:  # an optimisation: the writes embed what they need
        if not is_transient(exc):
            raise
    finally:
        conn.execution_options(flashpoint_write=True)


def _write_batch(conn: sa.Connection, batch, unreadable, copies: list[Article], out: IngestStats, dedup: bool,
                 embedder, final: bool) -> list[Article]:
    """The batch's unreadable items, articles and the identical copies whose original is now stored (with
    ``final``, every copy). Counts go to ``out``; returns the copies dealt with."""
    for art, msg in unreadable:
        res = _attempt(conn, lambda: write_article(conn, art, None, error=msg, dedup=False), art.id, out)
        _count(out, art, res, msg)
    embs = _embeddings(batch) if dedup else {}
    for bi, (art, rep, err, _pre) in enumerate(batch):
        ev_embs = {ei: v for (b, ei), v in embs.items() if b == bi}
        failed_msg = err
        if rep is not None and not err and rep.failures and not rep.events:
            failed_msg = "; ".join(rep.failures)
        try:
            res = _attempt(conn, lambda: write_article(conn, art, rep if not err else None, error=failed_msg,
                                                       dedup=dedup, embeddings=ev_embs, embedder=embedder),
                           art.id, out)
        except _BatchLost:
            raise
        except Exception as exc:  # noqa: BLE001 - a data error: recorded as this article's failure
            failed_msg = f"{art.id}: store failed: {type(exc).__name__}: {exc}"
            res = _record_failure(conn, art, failed_msg, out)
        _count(out, art, res, failed_msg)
    return _write_copies(conn, copies, out, final)


def _record_failure(conn: sa.Connection, art: Article, msg: str, out: IngestStats) -> Optional[WriteResult]:
    """Store ``art`` as failed with ``msg``; when even that write fails, leave it unrecorded with both errors."""
    try:
        return _attempt(conn, lambda: write_article(conn, art, None, error=msg, dedup=False), art.id, out)
    except _BatchLost:
        raise
    except Exception as exc:  # noqa: BLE001 - recorded in the run's errors; the rerun retries the article
        out.failed += 1
        out.unrecorded += 1
        out.errors.append(f"{msg}; recording the failure failed too: {type(exc).__name__}: {exc}")
        return None


def _count(out: IngestStats, art: Article, res: Optional[WriteResult], failed_msg: Optional[str]) -> None:
    if res is None:  # left unrecorded (already counted)
        return
    if res.status == "duplicate":  # stored meanwhile by a concurrent ingest
        out.skipped += 1
        return
    out.words += len(art.text.split())
    if res.status == "ok":
        out.ingested += 1
    else:
        out.failed += 1
        out.errors.append(failed_msg or "")
    out.events += res.events
    out.merged += res.merged


def _write_copies(conn: sa.Connection, copies: list[Article], out: IngestStats, final: bool) -> list[Article]:
    """Copies whose original article is stored: linked as more sources of its events. With ``final`` the rest
    (their original failed or was left unrecorded) are left unrecorded too, for the rerun."""
    done = []
    for art in copies:
        original = find_original(conn, art)
        if original is None:
            if final:
                out.failed += 1
                out.unrecorded += 1
                out.errors.append(f"{art.id}: not stored: the article with the same text was not stored")
                done.append(art)
            continue
        res = _attempt(conn, lambda: write_copy(conn, art, original), art.id, out)
        done.append(art)
        if res is None:
            continue
        if res.status == "duplicate":
            out.skipped += 1
        else:
            out.copies += 1
            out.ingested += 1
            out.words += len(art.text.split())
    return done


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
    """The whitespace-normalised text's sha256 (``articles.text_hash``; the item identity is ``identity_hash``)."""
    return text_hash(text)
