"""spaCy component ``fp_claims``: quotes with speakers and numeric claims (doc._.quotes, doc._.claims).

Runs after fp_toponyms and fp_actors. When ``doc._.actors`` holds actor mentions with a
canonical name that is a spelling variant of the mention, a claim source or quote
affiliation equal to that mention takes the canonical spelling; nothing depends on
``doc._.actors`` being populated.
"""

from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.claims.claims import find_claims
from flashpoint.claims.quotes import find_quotes


def _canonical_map(doc: Doc) -> dict[str, str]:
    """surface name -> canonical, only for spelling variants ("Bashar al Assad" -> "Bashar al-Assad").

    Semantic re-mappings of the actor coder ("Russia" -> "Military Forces of Russia") are
    right for event actors but wrong for the author of a statement, so they are skipped.
    """
    from rapidfuzz import fuzz

    out: dict[str, str] = {}
    for a in getattr(doc._, "actors", None) or []:
        name = getattr(a, "name", None)
        canon = getattr(a, "canonical", None)
        if name and canon and fuzz.token_sort_ratio(name.lower(), canon.lower()) >= 85:
            out.setdefault(name.strip().lower(), canon)
    return out


def annotate(doc: Doc) -> Doc:
    """Set ``doc._.quotes`` and ``doc._.claims`` on a parsed Doc."""
    errors = doc._.errors if isinstance(doc._.errors, list) else []
    canon = _canonical_map(doc)
    try:
        quotes = find_quotes(doc)
        for q in quotes:
            if q.affiliation and q.affiliation.lower() in canon:
                q.affiliation = canon[q.affiliation.lower()]
    except Exception as exc:  # noqa: BLE001 - a component must not kill the pipeline: recorded in the errors
        quotes = []
        errors.append(f"fp_claims quotes: {type(exc).__name__}: {exc}")
    try:
        claims = find_claims(doc)
        for c in claims:
            if c.source and c.source.lower() in canon and "(" not in c.source:
                c.source = canon[c.source.lower()]
    except Exception as exc:  # noqa: BLE001 - recorded in the article's errors
        claims = []
        errors.append(f"fp_claims claims: {type(exc).__name__}: {exc}")
    doc._.quotes = quotes
    doc._.claims = claims
    if doc._.errors is None:
        doc._.errors = errors
    return doc


@Language.factory(
    "fp_claims",
    requires=["doc.sents", "token.dep", "doc.ents", "doc._.actors"],
    assigns=["doc._.quotes", "doc._.claims", "doc._.errors"],
)
def make_claims(nlp: Language, name: str):
    from flashpoint.nlp import register_extensions

    register_extensions()

    def fp_claims(doc: Doc) -> Doc:
        return annotate(doc)

    return fp_claims
