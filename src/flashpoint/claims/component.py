"""spaCy component ``fp_claims``: quotes with speakers and numeric claims (doc._.quotes, doc._.claims)."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("fp_claims")
def make_claims(nlp: Language, name: str):
    def fp_claims(doc: Doc) -> Doc:
        return doc

    return fp_claims
