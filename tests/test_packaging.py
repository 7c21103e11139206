"""Packaging and supply chain (issue 12, item 6): hashed pins, the build configuration, CITATION.cff, the
Dockerfile, and no network at run time. The wheel itself is built, installed in a fresh venv and run on the
founding article by ``make wheel-smoke`` (a step of .ci/run)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml

import flashpoint

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "trtworld-aleppo-offensive.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s\\]+)")
SHA256 = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")
BLOCKED_MARK = "NETWORK ATTEMPT"
# seconds the blocked-network subprocess may take (it loads the spaCy model and the gazetteer index)
SUBPROCESS_TIMEOUT_S = 600


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_entries(path: Path) -> list[str]:
    """Each requirement of a pip requirements file as one string (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    return [ln.split(" #")[0].strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@pytest.mark.parametrize("name", ["requirements.lock", "requirements-models.txt", "requirements-build.txt"])
def test_every_pin_carries_a_sha256_hash(name):
    entries = requirement_entries(ROOT / name)
    assert entries
    for e in entries:
        assert PIN.match(e), f"{name}: not pinned with ==: {e[:60]}"
        assert SHA256.search(e), f"{name}: no sha256 hash: {e[:60]}"


def _lock_names() -> set[str]:
    return {_norm(PIN.match(e).group(1)) for e in requirement_entries(ROOT / "requirements.lock")}


def test_every_dependency_of_the_package_is_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = list(project["dependencies"]) + [d for extra in ("postgres", "test", "train")
                                            for d in project["optional-dependencies"][extra]]
    names = {_norm(re.match(r"[A-Za-z0-9._-]+", d).group(0)) for d in deps}
    assert names - _lock_names() == set()


def test_build_configuration():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    backend = cfg["build-system"]["requires"]
    build_pins = {_norm(PIN.match(e).group(1)): e.split()[0] for e in
                  requirement_entries(ROOT / "requirements-build.txt")}
    assert [build_pins["setuptools"]] == backend  # the same setuptools with and without build isolation
    assert "build" in build_pins
    assert cfg["project"]["dynamic"] == ["version"]
    assert cfg["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "flashpoint.__version__"}
    assert "data/**/*" in cfg["tool"]["setuptools"]["package-data"]["flashpoint"]
    assert cfg["project"]["scripts"]["flashpoint"] == "flashpoint.cli:main"


def test_citation_cff_is_cff_1_2_0():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and cff["message"]
    assert isinstance(cff["title"], str) and cff["title"]
    assert cff["authors"] and all(a.get("name") or a.get("family-names") for a in cff["authors"])
    assert cff["version"] == flashpoint.__version__
    assert cff["type"] in ("software", "dataset") and cff["license"] == "MIT"


def test_dockerfile_runs_flashpoint_as_non_root_from_the_hashed_lock():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.\d+-slim$", text, re.M)
    assert "--require-hashes -r /tmp/req/requirements.lock" in text
    assert "--require-hashes -r /tmp/req/requirements-models.txt" in text
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert text.rstrip().splitlines()[-2:] == ['ENTRYPOINT ["flashpoint"]', 'CMD ["--help"]']


# Runs before flashpoint is imported. socket.socket is replaced by a class whose network operations (connect,
# sendto) raise, and create_connection / getaddrinfo (DNS) raise too; each attempt is also reported on stderr,
# so one that a library catches and ignores still fails the test. Creating a socket is allowed: urllib3 makes an
# AF_INET6 socket at import to learn whether the machine has IPv6, which sends nothing.
_BLOCK = textwrap.dedent(f"""
    import socket, sys

    def _report(what):
        sys.stderr.write("{BLOCKED_MARK} " + what + "\\n")
        sys.stderr.flush()
        return OSError("network access blocked by test_packaging")

    class _NoNetworkSocket(socket.socket):
        def connect(self, address):
            if self.family != socket.AF_UNIX:
                raise _report(f"connect({{address!r}})")
            return super().connect(address)

        def connect_ex(self, address):
            if self.family != socket.AF_UNIX:
                raise _report(f"connect_ex({{address!r}})")
            return super().connect_ex(address)

        def sendto(self, *args):
            raise _report(f"sendto{{args[1:]!r}}")

    def _no_connection(address, *args, **kwargs):
        raise _report(f"create_connection({{address!r}})")

    def _no_lookup(host, *args, **kwargs):
        raise _report(f"getaddrinfo({{host!r}})")

    socket.socket = _NoNetworkSocket
    socket.create_connection = _no_connection
    socket.getaddrinfo = _no_lookup
""")

_RUN = textwrap.dedent("""
    import json
    import flashpoint
    text = open(sys.argv[1], encoding="utf-8").read()
    report = flashpoint.extract(text, published="2015-10-27", id="seed")
    print(json.dumps({"events": len(report.events), "failures": report.failures}))
""")


@pytest.mark.slow
def test_pipeline_runs_with_sockets_blocked():
    """Import, model and gazetteer loading and extraction of the founding article open no socket."""
    proc = subprocess.run([sys.executable, "-c", _BLOCK + _RUN, str(SEED)], capture_output=True, text=True,
                          timeout=SUBPROCESS_TIMEOUT_S, cwd=ROOT)
    assert BLOCKED_MARK not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["events"] > 0 and out["failures"] == []


def test_the_socket_block_catches_a_connection():
    """The blocker the test above relies on does report an attempt (so that test can fail)."""
    for attempt in ("import urllib.request; urllib.request.urlopen('http://127.0.0.1:9/')",
                    "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.connect(('127.0.0.1', 9))",
                    "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.1', 9))"):
        probe = _BLOCK + f"try:\n    {attempt}\nexcept OSError:\n    pass\n"
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
        assert BLOCKED_MARK in proc.stderr and proc.returncode == 0, (attempt, proc.stderr[-500:])
