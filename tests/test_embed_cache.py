"""M10: a corrupt cached ONNX dedup graph silently fell back to Jaccard (95 merges instead of 152), never rebuilt.
M12: onnxruntime wrote a device id and a telemetry queue under ~/.cache/Microsoft."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from flashpoint.nlp import embed as E

TEXTS = ["Government artillery shelled Kafr Alpha on Monday.", "Rebels attacked an army post near Beta Town."]


def _models_installed() -> bool:
    try:
        E._model_path()
        E._tokenizer_path()
        import onnx  # noqa: F401
    except (E.EmbeddingUnavailable, ImportError):
        return False
    return True


pytestmark = pytest.mark.skipif(not _models_installed(), reason="MiniLM packages / onnx not installed")


def _clear():
    E.dedup_model_path.cache_clear()
    E._session.cache_clear()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real build of the dedup graph (with its checksum file), copied into each test's cache."""
    d = tmp_path_factory.mktemp("graph")
    old = os.environ.get("FLASHPOINT_CACHE")
    os.environ["FLASHPOINT_CACHE"] = str(d)
    _clear()
    try:
        graph = E.dedup_model_path()
        ref = E.embed_dedup(TEXTS)
    finally:
        if old is None:
            del os.environ["FLASHPOINT_CACHE"]
        else:
            os.environ["FLASHPOINT_CACHE"] = old
        _clear()
    return graph, ref


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch, built):
    monkeypatch.setenv("FLASHPOINT_CACHE", str(tmp_path))
    monkeypatch.delenv("FLASHPOINT_DEDUP_QUANT", raising=False)
    graph, _ref = built
    for f in (graph, E._checksum_path(graph)):
        shutil.copy(f, tmp_path / f.name)
    _clear()
    yield tmp_path
    _clear()


def test_corrupt_cached_graph_is_detected_and_rebuilt(fresh_cache, built, caplog, monkeypatch):
    pristine, ref = built
    graph = E.dedup_model_path()
    assert graph.parent == fresh_cache and E.graph_intact(graph)
    np.testing.assert_allclose(E.embed_dedup(TEXTS), ref, atol=1e-6)
    with open(graph, "r+b") as fh:  # bytes zeroed in the middle: same size, other content
        fh.seek(graph.stat().st_size // 2)
        fh.write(b"\x00" * 4096)
    assert not E.graph_intact(graph)
    rebuilt = []

    def build(dst):  # the real build is what the module fixture ran; here it is only counted
        rebuilt.append(dst)
        shutil.copy(pristine, dst.with_name("x.tmp"))
        E._write_checksum(dst.with_name("x.tmp"), dst)
        dst.with_name("x.tmp").replace(dst)

    monkeypatch.setattr(E, "_build_dedup_graph", build)
    _clear()
    with caplog.at_level("WARNING"):
        again = E.embed_dedup(TEXTS)
    assert rebuilt == [graph] and "corrupt" in caplog.text and E.graph_intact(graph)
    np.testing.assert_allclose(again, ref, atol=1e-6)


def test_graph_that_does_not_load_is_discarded_with_a_warning(fresh_cache, caplog):
    graph = E.dedup_model_path()
    graph.write_bytes(b"not an onnx graph")
    E._write_checksum(graph, graph)  # a checksum that matches: only loading can tell
    E._session.cache_clear()
    with caplog.at_level("WARNING"):
        vec = E.embed_dedup(TEXTS[:1])
    assert "does not load" in caplog.text and not graph.exists()
    np.testing.assert_allclose(vec, E.embed(TEXTS[:1]), atol=1e-5)  # the exact model, said so in the log


def test_no_telemetry_files_under_home(tmp_path, built):
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "cache").mkdir()
    for f in (built[0], E._checksum_path(built[0])):
        shutil.copy(f, tmp_path / "cache" / f.name)
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), FLASHPOINT_CACHE=str(tmp_path / "cache"))
    code = "from flashpoint.nlp.embed import embed_dedup; print(embed_dedup(['Rebels shelled Aleppo.']).shape)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert not (home / ".cache" / "Microsoft").exists(), sorted(str(p) for p in Path(home).rglob("*"))
