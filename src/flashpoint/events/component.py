"""spaCy component ``fp_events``: who did what to whom, where, when (doc._.events)."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory(
    "fp_events",
    requires=["doc.sents", "token.dep", "token.lemma", "doc.ents", "doc._.article", "doc._.toponyms",
              "doc._.focus_country", "doc._.actors", "doc._.relations"],
    assigns=["doc._.events", "doc._.errors"],
)
def make_events(nlp: Language, name: str):
    from flashpoint.actors.periods import name_events
    from flashpoint.events.extract import extract_events

    def fp_events(doc: Doc) -> Doc:
        try:
            # ACLED's state-actor names carry the period of the event's date: "Military Forces of Ukraine (2019-)"
            doc._.events = name_events(extract_events(doc))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            art = doc._.article
            errs = list(doc._.errors or [])
            errs.append(f"{getattr(art, 'id', 'doc')}: fp_events failed: {type(exc).__name__}: {exc}")
            doc._.errors = errs
            doc._.events = []
        return doc

    return fp_events
