"""The store's dedup evidence embedder (``flashpoint.nlp.embed.embed_dedup``: per-token int8 MiniLM graph)."""
from __future__ import annotations

import numpy as np
import pytest

TEXTS = [
    "Shelling.",
    "Government forces shelled the town on Monday, killing five civilians, activists said.",
    "Rebels said they had captured three villages north of the city after heavy fighting overnight, and that "
    "government troops had withdrawn towards the airport, leaving weapons and vehicles behind them.",
    "The ministry denied that any aircraft had struck the market.",
    "Prices of bread rose sharply in the capital last week.",
    "A car bomb exploded near a checkpoint, killing at least 12 people, a monitoring group said.",
    "Air strikes killed 12 people near a checkpoint, the monitor said.",
    "",
]


@pytest.fixture()
def E():
    from flashpoint.nlp import embed as e

    try:
        e._model_path()
        e._tokenizer_path()
    except e.EmbeddingUnavailable:
        pytest.skip("MiniLM packages not installed")
    return e


@pytest.fixture()
def graph(E):
    if E.dedup_model_path() is None:
        pytest.skip("int8 dedup graph unavailable (no onnx package, or FLASHPOINT_DEDUP_QUANT=0)")
    return E.dedup_model_path()


def test_vectors_do_not_depend_on_the_batch(E, graph, monkeypatch):
    """The same text gets the same vector, to the bit, alone, in any batch, padded to any length, in any order,
    with one or two onnxruntime threads."""
    alone = np.stack([E.embed_dedup([t])[0] for t in TEXTS])
    assert np.array_equal(E.embed_dedup(TEXTS), alone)
    assert np.array_equal(E.embed_dedup(TEXTS[::-1])[::-1], alone)
    assert np.array_equal(E.embed_dedup(TEXTS * 3, batch_size=5)[: len(TEXTS)], alone)
    assert np.array_equal(E.embed_dedup(TEXTS, threads=1), E.embed_dedup(TEXTS, threads=2))
    # one batch padded to the longest text (the length batching would otherwise keep padding small)
    monkeypatch.setattr(E, "PAD_SLACK", 1e9)
    assert np.array_equal(E.embed_dedup(TEXTS, batch_size=64), alone)


def test_close_to_the_exact_model_but_int8(E, graph):
    exact = E.embed(TEXTS)
    q = E.embed_dedup(TEXTS)
    assert q.shape == exact.shape == (len(TEXTS), E.DIM) and q.dtype == np.float32
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-4)
    assert (q * exact).sum(1)[:-1].min() > 0.99  # the last text is empty: never embedded by the store
    # pairwise similarities, what dedup thresholds, barely move; their order is kept on clear cases
    assert np.abs(q @ q.T - exact @ exact.T).max() < 0.05
    assert not np.array_equal(q, exact)  # really another (int8) graph
    sims = q @ q.T
    assert sims[5, 6] > sims[5, 4] and sims[1, 0] > sims[1, 4]


def test_embed_stays_exact(E, graph):
    """The classifier's ``embed`` still runs the packaged model (its heads were trained on those vectors)."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(E._model_path()), providers=["CPUExecutionProvider"])
    for t in TEXTS[1:3]:
        direct = _run_model(sess, E, t)
        assert np.allclose(E.embed([t])[0], direct, atol=1e-5)
        assert not np.allclose(E.embed_dedup([t])[0], direct, atol=1e-3)


def _nodes(path):
    onnx = pytest.importorskip("onnx")
    return onnx.load(str(path)).graph.node


def _run_model(sess, E, text):
    ids = np.array([E._tokenizer().encode(text).ids], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    if "token_type_ids" in {i.name for i in sess.get_inputs()}:
        feeds["token_type_ids"] = np.zeros_like(ids)
    v = sess.run(None, feeds)[0][0].mean(0)
    return (v / np.linalg.norm(v)).astype(np.float32)


def test_graph_cached_by_source_hash_and_versions(E, graph):
    from importlib.metadata import version

    from flashpoint.paths import cache_dir

    assert graph.parent == cache_dir() and graph.is_file()
    name = graph.name
    assert E._model_sha256()[:16] in name and f"-v{E.DEDUP_GRAPH_VERSION}." in name
    assert version("onnxruntime") in name and version("onnx") in name
    ops = {n.op_type for n in _nodes(graph)}
    assert {"MatMulIntegerToFloat", "QuantizeLinear", "BiasGelu"} <= ops and "IsNaN" not in ops
    # weights and the word-embedding table stay int8: no large fp32 tensor
    onnx = pytest.importorskip("onnx")
    big = [i for i in onnx.load(str(graph)).graph.initializer if np.prod(i.dims) > 100_000]
    assert big and all(i.data_type == onnx.TensorProto.INT8 for i in big)


def test_falls_back_to_the_exact_model(E, monkeypatch):
    """Switched off, or without the ``onnx`` package to build the graph: ``embed_dedup`` is exactly ``embed``
    and the store's embedder is still MiniLM."""
    import sys

    from flashpoint.store import dedup as dd

    for how in ("env", "no-onnx"):
        with monkeypatch.context() as m:
            if how == "env":
                m.setenv("FLASHPOINT_DEDUP_QUANT", "0")
            else:
                m.setitem(sys.modules, "onnx", None)  # import onnx -> ImportError
            E.dedup_model_path.cache_clear()
            try:
                assert E.dedup_model_path() is None
                assert np.array_equal(E.embed_dedup(TEXTS[:3]), E.embed(TEXTS[:3], batch_size=16))
                assert dd.default_embedder() is dd._minilm
            finally:
                E.dedup_model_path.cache_clear()


def test_a_failed_build_falls_back(E, monkeypatch, tmp_path):
    import flashpoint.paths

    def broken(dst):
        raise RuntimeError("unexpected graph")

    monkeypatch.setattr(E, "_build_dedup_graph", broken)
    monkeypatch.setattr(flashpoint.paths, "cache_dir", lambda: tmp_path)
    E.dedup_model_path.cache_clear()
    try:
        assert E.dedup_model_path() is None
        assert list(tmp_path.iterdir()) == []
    finally:
        E.dedup_model_path.cache_clear()


def test_build_replaces_stale_graphs_only(E, graph, monkeypatch, tmp_path):
    """A new build removes finished graphs of other keys/versions, never another process's files in progress."""
    import shutil

    import flashpoint.paths

    stale = tmp_path / "minilm-dedup-int8tok-0000-ort0-onnx0-v1.onnx"
    busy = tmp_path / f"{graph.stem}.99999.tmp.onnx"
    for f in (stale, busy):
        f.write_bytes(b"x")
    monkeypatch.setattr(flashpoint.paths, "cache_dir", lambda: tmp_path)
    E.dedup_model_path.cache_clear()
    try:
        built = E.dedup_model_path()
        assert built == tmp_path / graph.name and built.read_bytes() == graph.read_bytes()  # deterministic
        assert not stale.exists() and busy.exists()
    finally:
        E.dedup_model_path.cache_clear()
    shutil.rmtree(tmp_path, ignore_errors=True)
