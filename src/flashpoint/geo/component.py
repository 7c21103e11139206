"""spaCy component ``fp_toponyms``: toponym recognition and resolution (doc._.toponyms)."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("fp_toponyms")
def make_toponyms(nlp: Language, name: str):
    def fp_toponyms(doc: Doc) -> Doc:
        return doc

    return fp_toponyms
