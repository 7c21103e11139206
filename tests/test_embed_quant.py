"""The int8 MiniLM graph used for store dedup evidence (``embed(..., quantized=True)``)."""
from __future__ import annotations

import numpy as np
import pytest

TEXTS = [
    "Government forces shelled the town on Monday, killing five civilians, activists said.",
    "Rebels said they had captured three villages north of the city after heavy fighting.",
    "The ministry denied that any aircraft had struck the market.",
    "Prices of bread rose sharply in the capital last week.",
]


@pytest.fixture()
def emb():
    e = pytest.importorskip("flashpoint.nlp.embed")
    try:
        e._model_path()
        e._tokenizer_path()
    except e.EmbeddingUnavailable:
        pytest.skip("MiniLM packages not installed")
    pytest.importorskip("onnx")
    return e


def test_quantized_close_to_exact_but_not_identical(emb):
    if emb.quantized_model_path() is None:
        pytest.skip("quantised graph unavailable (FLASHPOINT_DEDUP_QUANT=0?)")
    exact = emb.embed(TEXTS)
    q = emb.embed(TEXTS, quantized=True)
    assert q.shape == exact.shape == (len(TEXTS), emb.DIM)
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-4)
    cos = (q * exact).sum(1)
    assert cos.min() > 0.97
    assert not np.array_equal(q, exact)  # really a different (int8) graph
    # pairwise similarities, what dedup thresholds, barely move
    assert np.abs(q @ q.T - exact @ exact.T).max() < 0.08
    # the default stays the exact model (the classifier heads are trained on it)
    assert np.array_equal(emb.embed(TEXTS[:2]), exact[:2])


def test_quantized_graph_cached_by_source_hash_and_versions(emb):
    p = emb.quantized_model_path()
    if p is None:
        pytest.skip("quantised graph unavailable")
    from importlib.metadata import version

    from flashpoint.paths import cache_dir

    assert p.parent == cache_dir() and p.is_file()
    assert emb._model_sha256()[:16] in p.name
    assert version("onnxruntime") in p.name and version("onnx") in p.name


def test_switch_off_uses_exact_model(emb, monkeypatch):
    from flashpoint.store import dedup as dd

    monkeypatch.setenv("FLASHPOINT_DEDUP_QUANT", "0")
    emb.quantized_model_path.cache_clear()
    try:
        assert emb.quantized_model_path() is None
        assert dd.default_embedder() is dd._minilm
    finally:
        monkeypatch.delenv("FLASHPOINT_DEDUP_QUANT")
        emb.quantized_model_path.cache_clear()
    assert dd.default_embedder() is dd._minilm_q
