"""spaCy component ``fp_toponyms``: toponym recognition and resolution (doc._.toponyms, doc._.focus_country).

Runs first among the flashpoint components. The gazetteer index is opened lazily on the first doc
(built into the cache on first use).
"""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("fp_toponyms")
def make_toponyms(nlp: Language, name: str):
    from flashpoint.geo.geoparse import geoparse_doc
    from flashpoint.nlp import register_extensions

    register_extensions()

    def fp_toponyms(doc: Doc) -> Doc:
        try:
            tops, focus = geoparse_doc(doc)
        except Exception as exc:  # never kill the pipeline over geocoding
            if Doc.has_extension("errors"):
                errs = doc._.errors if doc._.errors is not None else []
                errs.append(f"fp_toponyms: {type(exc).__name__}: {exc}")
                doc._.errors = errs
            tops, focus = [], None
        if Doc.has_extension("toponyms"):
            doc._.toponyms = tops
            doc._.focus_country = focus
        return doc

    return fp_toponyms
