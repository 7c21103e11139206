"""Add sha256 hashes to the pins of a requirements file that have none (``make lock-hashes``).

    python tools/lock_hashes.py requirements.lock

Every ``name==version`` line without ``--hash`` gets the hash of the file pip downloads for it on this
machine (``pip download --no-deps``: CPython 3.11, Linux x86_64 here, CI and in the Dockerfile). Lines that
already carry hashes and comments are kept as they are, in order. Needs access to the package index.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[^\]]*\])?==(?P<version>[^\s;\\]+)\s*$")
CONTINUATION = "\\"
HASH_INDENT = "    "


def _entries(lines: list[str]) -> list[list[str]]:
    """Group the lines into requirement entries (a line and its backslash continuations) and single lines."""
    out, cur = [], []
    for line in lines:
        cur.append(line)
        if not line.rstrip().endswith(CONTINUATION):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def file_hashes(name: str, version: str) -> list[str]:
    """sha256 of each file ``pip download --no-deps name==version`` fetches."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp,
                        f"{name}=={version}"], check=True)
        return sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in Path(tmp).iterdir())


def add_hashes(text: str) -> tuple[str, int]:
    """The requirements text with hashes added to unhashed pins, and how many pins got them."""
    out, added = [], 0
    for entry in _entries(text.splitlines()):
        m = PIN.match(entry[0].strip())
        if len(entry) > 1 or not m:
            out.extend(entry)
            continue
        hashes = file_hashes(m["name"], m["version"])
        lines = [f"{entry[0].strip()} {CONTINUATION}"]
        lines += [f"{HASH_INDENT}--hash=sha256:{h}" + (f" {CONTINUATION}" if i < len(hashes) - 1 else "")
                  for i, h in enumerate(hashes)]
        out.extend(lines)
        added += 1
    return "\n".join(out) + "\n", added


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "requirements.lock")
    text, added = add_hashes(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    print(f"{path}: hashes added to {added} pin(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
