"""Dedup embeddings computed next to the extraction (workers) instead of in the single writer."""
import sqlite3

import numpy as np

from flashpoint.store import ingest
from flashpoint.store.embeddings import needs_embedding, report_embeddings
from store_helpers import corpus


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
    assert a == b
    assert any(m for _e, m, _v in a)  # the corpus's re-report merged
    assert all(v is not None for _e, _m, v in a)


def test_pool_workers_embed_and_match_one_process(tmp_path):
    """MiniLM embeddings computed in 2 pool workers give the same store (vectors and merges) as one process
    computing them next to its own extraction."""
    import pytest

    from flashpoint.scale.fake import synthetic_articles
    from flashpoint.store.dedup import default_embedder

    if default_embedder() is None:
        pytest.skip("MiniLM packages not installed")
    arts = synthetic_articles(48, seed=11)
    fake = "flashpoint.scale.fake:FakeExtractor"
    ingest(arts, tmp_path / "one.db", extractor=fake, batch_size=16)
    ingest(arts, tmp_path / "two.db", extractor=fake, workers=2, batch_size=16)

    one, two = _snap(tmp_path / "one.db"), _snap(tmp_path / "two.db")
    assert one == two
    assert all(v is not None and len(v) == 384 * 4 for _e, _m, v in one)
    assert sum(1 for _e, m, _v in one if m) > 0
