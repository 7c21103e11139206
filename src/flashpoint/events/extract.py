"""Event extraction: the orchestrator of the event stages, over one typed candidate (``candidate.Cand``).

Entry point: ``extract_events(doc) -> list[Event]`` on a Doc that went through spaCy's parser (and, when
present, fp_toponyms / fp_actors / fp_claims). The stages run in this order, each in its own module, whose
docstring says what it reads and writes:

1. candidates (``candidates``): triggers -> one candidate each, with its status, roles (``roles_stage``), date
   (``event_time``) and sentence casualty counts;
2. place of each clause (``clause_place._expand_locations``);
3. discourse and type (``discourse``): anaphors inherit their event's place and actor, the sub-event type;
4. article-level rules (``refine``), the optional classifier tie-break, not-events (``not_events``);
5. place checks (``place.place_events``);
6. incidents (``merge.dedupe``, ``merge.merge_incidents``, ``incidents.consolidate``), then the places of the
   merged incidents (``place.place_unplaced``);
7. emit (``emit.to_events``), in the order of each event's first mention.
"""
from __future__ import annotations

from flashpoint.events import incidents, not_events, place, refine
from flashpoint.events.candidate import Cand
from flashpoint.events.candidates import extract_candidates, find_triggers
from flashpoint.events.clause_place import _expand_locations
from flashpoint.events.discourse import _classifier_subtypes, _discourse, _link_subjects, _resolve_subtype
from flashpoint.events.emit import to_events
from flashpoint.events.merge import dedupe, merge_incidents
from flashpoint.model import Event

__all__ = ["extract", "extract_events", "extract_candidates", "find_triggers", "dedupe", "merge_incidents",
           "to_events"]


def extract(doc) -> tuple[list[Event], list[Cand]]:
    cands = extract_candidates(doc)
    cands = _expand_locations(doc, cands)
    _discourse(cands, doc)
    _link_subjects(cands)
    for c in cands:
        _resolve_subtype(c)
    cands = refine.refine(doc, cands)
    _classifier_subtypes(cands)
    cands = not_events.filter_not_events(doc, cands)
    place.place_events(doc, cands)
    cands = dedupe(cands)
    cands = merge_incidents(cands)
    cands = incidents.consolidate(doc, cands)
    place.place_unplaced(doc, cands)
    # events in the order of their first mention (a lede restated later keeps the lede's place)
    cands.sort(key=lambda c: c.first)
    return to_events(doc, cands), cands


def extract_events(doc) -> list[Event]:
    return extract(doc)[0]
