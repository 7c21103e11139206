"""Dedup embeddings computed next to the extraction (workers) instead of in the single writer."""
import logging
import sqlite3

import numpy as np
import pytest

from flashpoint.store import ingest
from flashpoint.store.embeddings import needs_embedding, report_embeddings
from store_helpers import corpus, fake_extract_many


class CountingEmbedder:
    """Deterministic keyword-presence vectors; records every text it is asked to embed."""

    WORDS = ("shell", "clash", "attack", "kafr alpha", "beta", "killing", "killed", "monitor")

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, texts):
        self.seen.extend(texts)
        out = np.full((len(texts), len(self.WORDS) + 1), 0.1, dtype=np.float32)
        for i, t in enumerate(texts):
            for j, w in enumerate(self.WORDS):
                out[i, j] += float(w in t.lower())
        return out / np.linalg.norm(out, axis=1, keepdims=True)



def _snap(db):
    """(event_id, merged_into, embedding) of every stored event, in id order."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT event_id, merged_into, embedding FROM events ORDER BY event_id").fetchall()
    finally:
        con.close()

def test_only_mergeable_events_once_per_distinct_text():
    _arts, reps = corpus()
    rep = reps[0].model_copy(deep=True)
    ev = rep.events[0]
    twin = ev.model_copy(deep=True)  # same sentence, second event: embedded once
    hist = ev.model_copy(deep=True, update={"status": "historical"})  # never merges: not embedded
    undated = ev.model_copy(deep=True, update={"event_date": None})
    rep.events = [ev, twin, hist, undated]
    emb = CountingEmbedder()
    out = report_embeddings([rep, None, reps[4]], emb)
    assert [needs_embedding(e) for e in rep.events] == [True, True, False, False]
    assert sorted(out[0]) == [0, 1] and out[1] == {} and out[2] == {}
    assert np.array_equal(out[0][0], out[0][1])
    assert emb.seen == [ev.evidence.text]
    report_embeddings([rep], emb)  # cached per process: no second call
    assert emb.seen == [ev.evidence.text]


def test_failing_embedder_leaves_it_to_the_writer():
    _arts, reps = corpus()

    def broken(texts):
        raise RuntimeError("no model")

    assert report_embeddings(reps[:2], broken) == [None, None]


def test_writer_uses_the_stage_embeddings(tmp_path):
    """Items of the extraction stage may be (report, embeddings) pairs: the writer stores those vectors and
    computes none itself; the merges equal a run where the writer embedded everything."""
    arts, reps = corpus()
    emb = CountingEmbedder()
    by_id = {r.id: r for r in reps}

    def stage(items):
        items = list(items)
        rs = [by_id[a.id] for a in items]
        return iter(list(zip(rs, report_embeddings(rs, emb))))

    writer_emb = CountingEmbedder()
    ingest(arts, tmp_path / "stage.db", extract_many=stage, embedder=writer_emb)
    assert writer_emb.seen == []  # the writer only writes
    ingest(arts, tmp_path / "writer.db", extract_many=lambda xs: (by_id[a.id] for a in xs),
           embedder=CountingEmbedder())

    a, b = _snap(tmp_path / "stage.db"), _snap(tmp_path / "writer.db")
    assert [x[:2] for x in a] == [x[:2] for x in b]  # same events, same merges
    assert any(m for _e, m, _v in a)  # the corpus's re-report merged
    assert all(v is not None for _e, _m, v in a)  # the stage embeds every mergeable event
    # the writer embeds lazily: only the events a comparison reached, with the same vectors
    stored = [(x, y) for x, y in zip(a, b) if y[2] is not None]
    assert stored and len(stored) < len(a)
    assert all(x[2] == y[2] for x, y in stored)


def test_writer_embeds_only_pairs_that_could_merge(tmp_path):
    """The lazy writer embeds the evidence of a new event and of the candidates it could merge with; an event
    with no such candidate (the first report, a far-away or another-week event) is never embedded."""
    arts, reps = corpus()
    emb = CountingEmbedder()
    ingest(arts, tmp_path / "lazy.db", extract_many=fake_extract_many(reps), embedder=emb)
    assert sorted(emb.seen) == sorted([arts[0].text, arts[1].text])  # a1 and its re-report a2, once each
    snap = {e: (m, v) for e, m, v in _snap(tmp_path / "lazy.db")}
    merged = [e for e, (m, _v) in snap.items() if m]
    assert len(merged) == 1
    assert sum(v is not None for _m, v in snap.values()) == 2


def test_could_merge_never_drops_a_merge():
    """``could_merge`` (text-free) is False only for pairs ``decide`` rejects at any text similarity."""
    from itertools import product

    from flashpoint.store import dedup as dd
    from flashpoint.store.write import event_rows

    _arts, reps = corpus()
    rows = []
    for k, rep in enumerate(reps):
        rows += event_rows(k, f"{k:016d}", rep, None)
    for a, b in product(rows, rows):
        f = dd.features(a, b, text=False)
        for sim in (-1.0, 0.0, 0.3, 0.5, 0.7, 0.9, 1.0):
            g = dict(f, text_method="minilm-cosine", text_sim=sim)
            if dd.decide(g)[0]:
                assert dd.could_merge(f)


def test_pool_workers_embed_and_match_one_process(tmp_path):
    """MiniLM embeddings computed in 2 pool workers give the same store (vectors and merges) as one process
    computing them next to its own extraction; the lazy writer gives the same merges and, where it stored a
    vector, the same vector."""
    import pytest

    from flashpoint.scale.fake import synthetic_articles
    from flashpoint.store.dedup import default_embedder

    if default_embedder() is None:
        pytest.skip("MiniLM packages not installed")
    arts = synthetic_articles(48, seed=11)
    fake = "flashpoint.scale.fake:FakeExtractor"
    ingest(arts, tmp_path / "one.db", extractor=fake, batch_size=16, embed_in="workers")
    ingest(arts, tmp_path / "two.db", extractor=fake, workers=2, batch_size=16, embed_in="workers")
    ingest(arts, tmp_path / "lazy2.db", extractor=fake, workers=2, batch_size=16)  # default: the writer, lazily

    one, two, lazy = (_snap(tmp_path / f"{n}.db") for n in ("one", "two", "lazy2"))
    assert one == two
    assert all(v is not None and len(v) == 384 * 4 for _e, _m, v in one)
    assert sum(1 for _e, m, _v in one if m) > 0
    assert [x[:2] for x in lazy] == [x[:2] for x in one]
    assert 0 < sum(v is not None for _e, _m, v in lazy) < len(lazy)
    assert all(y[2] is None or y[2] == x[2] for x, y in zip(one, lazy))


def test_embedder_failure_is_logged_and_a_bug_is_raised(caplog):
    """The failures the writer recovers from leave the batch to it, with a log line; a bug is not swallowed."""
    _arts, reps = corpus()

    def unreadable(texts):
        raise OSError("model.onnx: input/output error")

    with caplog.at_level(logging.WARNING, logger="flashpoint.store.embeddings"):
        assert report_embeddings(reps[:2], unreadable) == [None, None]
    assert "OSError: model.onnx: input/output error" in caplog.text

    def buggy(texts):
        return texts.lower()  # AttributeError: a list has no lower()

    with pytest.raises(AttributeError):
        report_embeddings(reps[:2], buggy)


def test_onnxruntime_errors_leave_it_to_the_writer():
    ort_state = pytest.importorskip("onnxruntime.capi.onnxruntime_pybind11_state")
    _arts, reps = corpus()

    def invalid(texts):
        raise ort_state.InvalidArgument("Got invalid dimensions for input: input_ids")

    assert report_embeddings(reps[:2], invalid) == [None, None]
