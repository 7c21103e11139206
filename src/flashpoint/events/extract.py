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
7. interactions (``verbal``): CAMEO interactions that are not ACLED events (meetings, appeals, threats ...), in
   sentences that hold no ACLED event;
8. order: events in the order of their first mention, then the story's lead event first (``story``: the PLOVER
   model over the headline and lead sentence gives the story's type; its event is moved or added first);
9. emit (``emit.to_events``).
"""
from __future__ import annotations

from flashpoint.events import incidents, not_events, place, refine, story, verbal
from flashpoint.events.candidate import Cand
from flashpoint.events.candidates import extract_candidates, find_triggers
from flashpoint.events.clause_place import _expand_locations
from flashpoint.events.discourse import _classifier_subtypes, _discourse, _link_subjects, _resolve_subtype
from flashpoint.events.emit import to_events
from flashpoint.events.merge import dedupe, merge_incidents
from flashpoint.model import Event

__all__ = ["extract", "extract_events", "extract_candidates", "find_triggers", "dedupe", "merge_incidents",
           "to_events"]


def _clause_places(doc, cands: list[Cand]) -> list[Cand]:
    return _expand_locations(doc, cands)


def _discourse_and_types(doc, cands: list[Cand]) -> list[Cand]:
    _discourse(cands, doc)
    _link_subjects(cands)
    for c in cands:
        _resolve_subtype(c)
    return cands


def _article_rules(doc, cands: list[Cand]) -> list[Cand]:
    return refine.refine(doc, cands)


def _classifier_tie_break(doc, cands: list[Cand]) -> list[Cand]:
    _classifier_subtypes(cands)
    return cands


def _not_events(doc, cands: list[Cand]) -> list[Cand]:
    return not_events.filter_not_events(doc, cands)


def _place_checks(doc, cands: list[Cand]) -> list[Cand]:
    place.place_events(doc, cands)
    return cands


def _restatements(doc, cands: list[Cand]) -> list[Cand]:
    return dedupe(cands)


def _merge_incidents(doc, cands: list[Cand]) -> list[Cand]:
    return merge_incidents(cands)


def _incident_rules(doc, cands: list[Cand]) -> list[Cand]:
    return incidents.consolidate(doc, cands)


def _incident_places(doc, cands: list[Cand]) -> list[Cand]:
    place.place_unplaced(doc, cands)
    return cands


def _interactions(doc, cands: list[Cand]) -> list[Cand]:
    return verbal.interactions(doc, cands)


def _first_mention_order(doc, cands: list[Cand]) -> list[Cand]:
    # events in the order of their first mention (a lede restated later keeps the lede's place)
    cands.sort(key=lambda c: c.first)
    return cands


def _lead_story(doc, cands: list[Cand]) -> list[Cand]:
    return story.lead_story(doc, cands)


# after ``candidates.extract_candidates`` (which gives each candidate its status, roles and date), in order;
# each stage takes and returns the article's candidates
STAGES = (
    _clause_places,
    _discourse_and_types,
    _article_rules,
    _classifier_tie_break,
    _not_events,
    _place_checks,
    _restatements,
    _merge_incidents,
    _incident_rules,
    _incident_places,
    _interactions,
    _first_mention_order,
    _lead_story,
)


def extract(doc) -> tuple[list[Event], list[Cand]]:
    """The events of a parsed Doc, and the candidates they were emitted from."""
    cands = extract_candidates(doc)
    for stage in STAGES:
        cands = stage(doc, cands)
    return to_events(doc, cands), cands


def extract_events(doc) -> list[Event]:
    return extract(doc)[0]
