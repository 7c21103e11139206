"""Issue #12 H7: pathological inputs finish with bounded work (no timing assertions: the work is counted).

Measured times are in bench/bench_pathological.py and docs/PERFORMANCE.md ("Pathological inputs (#12 H7)")."""
from datetime import date

import pytest
import spacy

from flashpoint.events import candidates as X
from flashpoint.model import Article
from flashpoint.nlp import longruns

PUB = date(2020, 1, 1)


@pytest.fixture
def counted_status(monkeypatch):
    """Counts the per-trigger work: ``status_of`` runs once per examined trigger."""
    calls = []
    real = X.status_of

    def spy(t):
        calls.append(t.i)
        return real(t)

    monkeypatch.setattr(X, "status_of", spy)
    return calls


def _report(pipeline, text: str):
    return pipeline.extract(Article(id="p", text=text, published=PUB))


def test_repeated_trigger_words_are_capped_per_sentence(pipeline, counted_status):
    # "killed " x 300: one sentence of 300 triggers (the x4,000 took 152 s)
    rep = _report(pipeline, "killed " * 300)
    assert 0 < len(counted_status) <= X.MAX_TRIGGERS_PER_SENTENCE
    assert any(e.startswith("p: warning:") and f"over {X.MAX_TRIGGERS_PER_SENTENCE} event triggers" in e
               for e in rep.errors), rep.errors


def test_a_sentence_over_the_token_limit_is_not_examined(pipeline, counted_status, monkeypatch):
    monkeypatch.setattr(X, "MAX_EVENT_SENTENCE_TOKENS", 60)
    rep = _report(pipeline, "Gunmen killed a man, " * 20)  # one comma-spliced run of 100 tokens
    assert counted_status == []
    assert rep.events == []
    assert any("over 60 tokens" in e for e in rep.errors), rep.errors


def test_the_article_budget_stops_later_sentences(pipeline, counted_status, monkeypatch):
    monkeypatch.setattr(X, "MAX_TRIGGERS_PER_ARTICLE", 3)
    text = " ".join(f"Rebels shelled the town on day {k} of the siege." for k in range(1, 9))
    rep = _report(pipeline, text)
    assert len(counted_status) <= 3
    assert any("past the article's budget of 3" in e for e in rep.errors), rep.errors


def test_normal_prose_gets_no_budget_warning(pipeline, counted_status):
    rep = _report(pipeline, "Rebels shelled the town of Idlib on Sunday, killing three people. "
                            "Government forces said they had repelled the attack.")
    assert counted_status and not any("warning" in e and "trigger" in e for e in rep.errors), rep.errors


def test_triggers_are_grouped_by_sentence_in_order(nlp):
    doc = nlp("Rebels attacked Idlib. Troops shelled Hama and killed two men.")
    sents = list(X._sentences(doc))
    trigs = X.find_triggers(doc)
    grouped = X._triggers_by_sentence(doc, sents, trigs)
    flat = [tr for _, ts in grouped for tr in ts]
    assert flat == [tr for tr in trigs if any(s.start <= tr[1] < s.end for s in sents)]
    for sent, ts in grouped:
        assert all(sent.start <= tr[1] < sent.end for tr in ts)


class _CountingNlp:
    """A blank English tokenizer that records the length of every text it is given."""

    def __init__(self):
        self.inner = spacy.blank("en")
        self.lengths: list[int] = []

    def make_doc(self, text):
        self.lengths.append(len(text))
        return self.inner.make_doc(text)


def test_a_long_run_of_quotes_is_tokenised_in_pieces():
    # 50,000 '"' ran past 180 s: spaCy's affix search costs the square of a whitespace-free run
    nlp = _CountingNlp()
    text = "Rebels said " + '"' * 20_000 + " on Sunday."
    doc = longruns.make_doc(nlp, text)
    assert doc.text == text
    assert max(nlp.lengths) <= max(longruns.RUN_PIECE_CHARS, len("Rebels said "), len(" on Sunday."))
    assert [t.idx for t in doc][-3:] == [text.index(" on") + 1, text.index("Sunday"), len(text) - 1]


def test_ordinary_text_is_tokenised_as_before():
    nlp = _CountingNlp()
    text = "Troops shelled Idlib (north-west Syria) on 3 May, https://example.org/a?b=c " + "x" * 900
    doc = longruns.make_doc(nlp, text)
    assert nlp.lengths == [len(text)]
    assert [t.text for t in doc] == [t.text for t in nlp.inner.make_doc(text)]
