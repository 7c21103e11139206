"""Stage ``story``: the article's lead event and its PLOVER type, from the PLOVER model.

The PLOVER heads (``classify.EventClassifier.predict_plover``) were trained on whole stories, headline first
(NGEC's MIT stories, never the held-back fifth). Read over the article's headline and lead sentence they tell the
type of the event the story is about: "Foreign Ministers Meet in Oslo to Discuss Fishing Rights" is a CONSULT
story, whatever "the war that killed thousands" in its third sentence makes the ACLED detector find. This stage
runs after the events are ordered by first mention and reads the candidates the earlier stages kept:

- the story type: the model over ``"<headline>\\n<lead sentence>"`` (the article's title; without one, the
  first sentence is the headline and the second the lead);
- the lead event: the first asserted candidate whose PLOVER type is the story's (an ACLED event through
  ``acled_to_plover.json``, an interaction through the model) is moved first; an interaction there takes the
  story's mode when the model gives one that the PLOVER manual lists for the type (``codes.codebook_mode``);
- the story's own event: when the article has a headline, no asserted candidate has the story's type and the
  model is confident (>= ``STORY_EVENT_MIN_CONF``) of a type that is not a violent ACLED event's
  (``ACLED_ONLY_TYPES``: an assault the ACLED detector did not find is not asserted on the model's word), one event
  is added first, anchored on the lead sentence's main verb, with the actors of that sentence, its status and date
  read as an interaction's (``verbal``); an interaction the verbal coder found in the lead sentence is that event
  (it takes the story's type and mode instead). "Coalition Calls for Holding Regime Accountable for Chemical
  Attacks" leads with the call (REQUEST); the attacks stay ACLED events. The event has no lexicon trigger, and
  ``emit`` ranks it below every triggered event (``emit.MODEL_ONLY_PENALTY``);
- a story whose first asserted event is a deadly violent ACLED event told in the lead sentence ("Rebels shelled
  the town of Maarat on Monday, killing three civilians") is that event's report: the model does not run.

The PLOVER type of every other event is left as the earlier stages set it (``emit``: the model's for an
interaction, the ACLED sub-type's for an ACLED event).
"""
from __future__ import annotations

import re
from itertools import islice

from flashpoint.events import codes, verbal
from flashpoint.events.candidate import ASSERTED, VIOLENT_FRAMES, Cand
from flashpoint.events.classify import get_classifier
from flashpoint.events.event_time import _date_for
from flashpoint.events.lexicon import TriggerGroup
from flashpoint.events.status import status_of

# the model's confidence from which the story's own event is added when no event of its type was found
STORY_EVENT_MIN_CONF = 0.5
# PLOVER types whose events are violent ACLED events: asserted by the ACLED detector only (a strike or a sit-in the
# detector's protest lexicon does not know is still told by the story: "Teachers Walk Out Over Unpaid Wages")
ACLED_ONLY_TYPES = frozenset({"ASSAULT"})
# template slots of a headline ("{country_1} Teachers Strike"): the words the model was trained with in their place
_SLOT_COUNTRY = re.compile(r"\{country_\d+\}")
_SLOT_OTHER = re.compile(r"\{[a-z_0-9]+\}")
STORY_FRAME = "story"
STORY_WEIGHT = 1
# the main verb of the lead sentence: its dependency root, else its first verb
MAIN_VERB_POS = ("VERB", "AUX")


def clean_headline(title: str) -> str:
    """A headline as the model was trained on it: template slots ("{country_1}") read "Country" / "X"."""
    return _SLOT_OTHER.sub("X", _SLOT_COUNTRY.sub("Country", title or "")).strip()


def story_text(doc) -> tuple[str, object | None]:
    """(model input "<headline>\\n<lead sentence>", the lead sentence span or None)."""
    art = doc._.article
    title = clean_headline(getattr(art, "title", None) or "") if art is not None else ""
    sents = list(islice((s for s in doc.sents if s.text.strip()), 2))  # (only the first two are read)
    if not sents:
        return title, None
    if title:
        return f"{title}\n{sents[0].text.strip()}", sents[0]
    lead = sents[1] if len(sents) > 1 else sents[0]
    return "\n".join(s.text.strip() for s in sents[:2]), lead


def story_plover(text: str) -> dict:
    """The model's PLOVER prediction for a story text ({"plover_type", "plover_mode", "confidence", "scores"})."""
    return get_classifier().predict_plover([text])[0]


def plover_of(c: Cand) -> tuple[str | None, str | None]:
    """The PLOVER (type, mode) ``emit`` gives a candidate."""
    return c.plover or codes.plover_of_subtype(c.sub_event_type) or codes.plover_for(c.cameo)


def lead_story(doc, cands: list[Cand]) -> list[Cand]:
    """The candidates with the story's lead event first (moved, or added: see the module docstring)."""
    text, lead_sent = story_text(doc)
    if lead_sent is None or _lead_is_told(doc, lead_sent, cands):
        return cands
    pred = story_plover(text)
    ptype = pred["plover_type"]
    pmode = codes.codebook_mode(ptype, pred["plover_mode"])
    match = next((c for c in cands if c.status in ASSERTED and plover_of(c)[0] == ptype), None)
    if match is not None:
        if match.sub_event_type is None and pmode:
            match.plover = (ptype, pmode)
        return [match] + [c for c in cands if c is not match]
    if ptype in ACLED_ONLY_TYPES or pred["confidence"] < STORY_EVENT_MIN_CONF or not _has_title(doc):
        return cands
    told = next((c for c in cands if c.sub_event_type is None and c.status in ASSERTED
                 and lead_sent.start <= c.sent.start < lead_sent.end), None)
    if told is not None:  # the lead sentence's interaction is the story's event: the story's type
        told.plover = (ptype, pmode)
        return [told] + [c for c in cands if c is not told]
    ev = story_event(doc, lead_sent, (ptype, pmode))
    return [ev] + cands if ev is not None else cands


def _lead_is_told(doc, lead_sent, cands: list[Cand]) -> bool:
    """The first asserted event is a deadly violent ACLED event told in the lead sentence: the story is its report
    ("Rebels shelled the town of Maarat on Monday, killing three civilians") and the model need not run."""
    first = next((c for c in cands if c.status in ASSERTED), None)
    return first is not None and first.group.frame in VIOLENT_FRAMES and bool(first.fat.get("fatalities")) \
        and lead_sent.start <= first.first[0] < lead_sent.end  # its first mention (a restated headline's, too)


def _has_title(doc) -> bool:
    art = doc._.article
    return bool(art is not None and (getattr(art, "title", None) or "").strip())


def _main_verb(sent):
    root = sent.root
    if root.pos_ in MAIN_VERB_POS:
        return root
    return next((t for t in sent if t.pos_ in MAIN_VERB_POS), root)


def story_event(doc, sent, plover: tuple[str, str | None]) -> Cand | None:
    """The story's event on its lead sentence: trigger its main verb, actors its first two actor units (the
    verb's subject first), status and date as an interaction's; None when the status drops it."""
    v = _main_verb(sent)
    st = status_of(v)
    if st.drop:
        return None
    units, by_code = verbal.actor_units(doc, sent)
    subj = {t.i for c in v.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    units.sort(key=lambda u: (not any(t.i in subj for t in u[1]), u[0].i))
    c = Cand(group=_group(), trig=v, start=v.i, end=v.i + 1, sent=sent, order=-1)
    c.status, c.sub_event_type, c.plover = st.status, None, plover
    if units:
        c.actor1 = by_code[units[0][2][0]]
    if len(units) > 1:
        c.actor2 = by_code[units[1][2][0]]
    _date_for(doc, c, verbal._default_date(doc))
    return c


def _group() -> TriggerGroup:
    return TriggerGroup(name="story", sub_event_type="", cameo="", frame=STORY_FRAME, cause="none",
                        weight=STORY_WEIGHT, generic=True)
