"""Stage ``emit``: ``flashpoint.model.Event`` records from the final candidates.

Reads each candidate (type, actors, place, date, status, tolls, mentions); writes nothing back. Event ids are
``<article id>-E<n>`` in the order given; the evidence is the trigger's sentence without its surrounding
whitespace, ``mentions`` every folded mention.
"""
from __future__ import annotations

from flashpoint.events import codes, roles
from flashpoint.events.candidate import Cand
from flashpoint.events.story import STORY_FRAME
from flashpoint.events.text import _doc_text, _span_text
from flashpoint.model import Event, Span

# an event coded from the PLOVER model's reading of the headline (``story``: "Foreign Ministers Meet in Oslo"), with
# no lexicon trigger, is less sure than any triggered event: it never outranks one (FA-KES "the article's main
# event", the most confident of equal tolls, stays the triggered "chemical weapons" event of "U.S. leaves door open
# to new U.N. vote on Syria")
MODEL_ONLY_PENALTY = 0.25

def to_events(doc, cands: list[Cand]) -> list[Event]:
    art = doc._.article
    aid = art.id if art is not None else "doc"
    text = _doc_text(doc)
    events = []
    for n, c in enumerate(cands, 1):
        et, dt = codes.acled_types(c.sub_event_type)
        pt, pm = c.plover or codes.plover_of_subtype(c.sub_event_type) or codes.plover_for(c.cameo)
        sent = c.sent
        stext = _span_text(sent)
        lstrip = len(stext) - len(stext.lstrip())
        rstrip = len(stext.rstrip())
        ev_start = sent.start_char + lstrip
        ev_end = sent.start_char + rstrip
        conf = 0.35 + 0.15 * (c.actor1 is not None) + 0.15 * (c.location is not None and not c.loc_inherited) \
            + 0.1 * (not c.group.generic) + 0.05 * (c.date_explicit) + 0.1 * (c.group.weight >= 3)
        if c.status in ("hypothetical", "historical"):
            conf -= 0.1
        if c.group.frame == STORY_FRAME:
            conf -= MODEL_ONLY_PENALTY
        fat = c.fat.get("fatalities")
        civ = c.fat.get("civilian_fatalities")
        mentions = [_trimmed_span(text, a, b) for a, b in sorted(set(c.mentions))]
        events.append(Event(
            event_id=f"{aid}-E{n}",
            event_date=c.date.isoformat() if c.date else None,
            time_precision=c.precision,
            event_type=et, sub_event_type=c.sub_event_type, disorder_type=dt,
            cameo_code=c.cameo, plover_type=pt, plover_mode=pm,
            actor1=roles.name_of(c.actor1), assoc_actor_1=[a for a in c.assoc1 if a],
            actor2=roles.name_of(c.actor2), assoc_actor_2=[a for a in c.assoc2 if a],
            location=c.location, fatalities=fat, civilian_fatalities=civ,
            status=c.status, attribution=c.attribution, trigger=c.trigger_text,
            evidence=Span(text=text[ev_start:ev_end], start=ev_start, end=ev_end),
            mentions=[m for m in mentions if m.text],
            confidence=round(max(0.05, min(0.99, conf)), 2),
        ))
    return events


def _trimmed_span(text: str, start: int, end: int) -> Span:
    """The sentence span without its surrounding whitespace."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end = start + len(piece.strip())
    return Span(text=text[start:end], start=start, end=end)
