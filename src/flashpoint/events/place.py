"""Stage ``place``: the event's place (see docs / issue #11 item 4). Placeholder, filled in by the place stage."""
from __future__ import annotations


def place_events(doc, cands: list) -> None:
    """Set each candidate's final ``location`` in place."""
    return None
