import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    """The full flashpoint spaCy pipeline, loaded once per test session."""
    from flashpoint.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def pipeline():
    from flashpoint.pipeline import default_pipeline

    return default_pipeline()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (ROOT / "samples" / "trtworld-aleppo-offensive.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_data():
    from flashpoint.paths import shared_data_dir

    d = shared_data_dir()
    if d is None:
        pytest.skip("../shared/data not present")
    return d


@pytest.fixture(scope="session")
def events_of(nlp):
    """``events_of(text, published)`` -> the events the full pipeline extracts from one invented article."""
    from flashpoint.model import Article
    from flashpoint.nlp import new_doc

    def _events(text: str, published):
        doc = nlp(new_doc(nlp, Article(id="t", text=text, published=published)))
        return doc._.events

    return _events


@pytest.fixture(scope="session")
def actor_nlp():
    """spaCy model + fp_actors only (fast; the focus country is set by hand)."""
    from flashpoint.nlp import load_nlp

    return load_nlp(components=("fp_actors",))
