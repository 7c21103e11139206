"""Loading of the claims lexicons (YAML/TSV files under ``flashpoint/data/claims``)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any


from flashpoint.paths import PACKAGE_DATA, read_yaml

CLAIMS_DATA = PACKAGE_DATA / "claims"


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    return read_yaml(CLAIMS_DATA / name)


@lru_cache(maxsize=None)
def load_acronyms() -> dict[str, str]:
    """``ACRONYM -> full name`` from ``acronyms.tsv`` (lines ``ACR<TAB>Full name``)."""
    out: dict[str, str] = {}
    path = CLAIMS_DATA / "acronyms.tsv"
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0].strip()] = parts[1].strip()
    return out
