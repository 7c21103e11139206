"""Helpers the dev-set scorers share: JSONL reading, reports keyed by id, great-circle distance, P/R/F1."""
from __future__ import annotations

import json
import math
import os
from typing import Iterable

EARTH_RADIUS_KM = 6371.0
ASSERTED = frozenset({"reported", "claimed"})  # "asserted" in every scorer: status reported or claimed


def read_jsonl(path: str | os.PathLike) -> list[dict]:
    """Every non-blank line of a JSONL file, parsed."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def reports_by_id(reports: Iterable[dict]) -> dict[str, dict]:
    """Reports keyed by ``str(id)``; a later report with the same id replaces an earlier one (as the scorers read)."""
    return {str(r.get("id")): r for r in reports}


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius)."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def asserted(report: dict) -> list[dict]:
    """The report's events whose status is reported or claimed."""
    return [e for e in report.get("events") or [] if e.get("status") in ASSERTED]


def evidence_text(event: dict) -> str:
    return (event.get("evidence") or {}).get("text") or ""
