"""Where flashpoint finds its shipped data, its cache, and (optionally) the dev sets."""
from __future__ import annotations

import os
from pathlib import Path

from flashpoint.settings import settings

PACKAGE_DATA = Path(__file__).parent / "data"


def cache_dir() -> Path:
    """Writable cache (built indexes). ``FLASHPOINT_CACHE`` overrides ``~/.cache/flashpoint``."""
    d = settings().cache or Path.home() / ".cache" / "flashpoint"
    d.mkdir(parents=True, exist_ok=True)
    return d


def shared_data_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """The dev-set folder: ``explicit``, else ``FLASHPOINT_DATA``, else ``../shared/data``.

    Returns None when the folder does not exist: callers skip cleanly.
    """
    cands = [explicit, settings().data, Path("../shared/data"),
             Path(__file__).resolve().parents[3] / "shared" / "data"]
    for c in cands:
        if c and Path(c).is_dir():
            return Path(c)
    return None


def read_yaml(path: str | os.PathLike):
    """Parse a YAML data file with libyaml's C loader when PyYAML has it (the actor dictionaries parse ~10x
    faster, which is most of the pipeline's load time), else the pure-Python safe loader; same data either way."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)
