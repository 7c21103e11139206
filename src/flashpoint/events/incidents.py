"""Stage ``incidents``: every mention of one happening becomes one event. Placeholder."""
from __future__ import annotations


def consolidate(doc, cands: list) -> list:
    return cands
