"""spaCy component ``fp_actors``: finds actor mentions and alliances (doc._.actors, doc._.relations).

Runs after ``fp_toponyms`` (which sets ``doc._.focus_country``, ISO2). Internal mention
objects (token offsets, dictionary entries) are kept in ``doc.user_data[doc_keys.ACTOR_MENTIONS]``
for the helpers in :mod:`flashpoint.actors`.
"""


from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.actors.dictionary import get_dictionary
from flashpoint.actors.mentions import ActorMatcher
from flashpoint.actors.relations import find_relations
from flashpoint.nlp import doc_keys

_MATCHERS: dict[int, ActorMatcher] = {}


def matcher_for(nlp: Language) -> ActorMatcher:
    key = id(nlp.vocab)
    am = _MATCHERS.get(key)
    if am is None or am.d is not get_dictionary():
        am = _MATCHERS[key] = ActorMatcher(nlp.make_doc, nlp.vocab, get_dictionary())
    return am


def focus_iso3(doc: Doc, am: ActorMatcher) -> "Optional[str]":
    fc = getattr(doc._, "focus_country", None) if Doc.has_extension("focus_country") else None
    c = am.d.country(fc) if fc else None
    return c.iso3 if c else None


def annotate(doc: Doc, am: ActorMatcher) -> Doc:
    mentions, focus = am.find(doc, focus_iso3(doc, am))
    doc.user_data[doc_keys.ACTOR_MENTIONS] = mentions
    doc.user_data[doc_keys.ACTOR_FOCUS] = focus
    actors = [m.actor(doc) for m in mentions if m.emit]
    relations = find_relations(doc, mentions, am, focus)
    if Doc.has_extension("actors"):
        doc._.actors = actors
        doc._.relations = relations
    return doc


@Language.factory(
    "fp_actors",
    requires=["doc.sents", "token.dep", "doc.ents", "doc._.focus_country"],
    assigns=["doc._.actors", "doc._.relations", "doc._.errors"],
)
def make_actors(nlp: Language, name: str):
    am = matcher_for(nlp)

    def fp_actors(doc: Doc) -> Doc:
        try:
            return annotate(doc, am)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            if Doc.has_extension("errors"):
                doc._.errors = (doc._.errors or []) + [f"fp_actors: {type(exc).__name__}: {exc}"]
            return doc

    return fp_actors
