"""spaCy component ``fp_events``: who did what to whom, where, when (doc._.events)."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("fp_events")
def make_events(nlp: Language, name: str):
    def fp_events(doc: Doc) -> Doc:
        return doc

    return fp_events
