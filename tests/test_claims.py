"""Quotes and numeric claims: the seed article against its gold fixture, and invented text."""
import json
import re
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "trtworld-aleppo-offensive.gold.json"


def _norm(s):
    return re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).strip()


def _same(system, gold):
    """Loose name match: equal after normalising, or one contains the other."""
    a, b = _norm(system), _norm(gold)
    return bool(a and b) and (a == b or a in b or b in a)


@pytest.fixture(scope="module")
def claims_nlp():
    """The spaCy model plus fp_claims only (the component must work alone)."""
    from flashpoint.nlp import load_nlp

    return load_nlp(components=("fp_claims",))


@pytest.fixture(scope="module")
def seed_doc(claims_nlp, seed_text):
    return claims_nlp(seed_text)


@pytest.fixture(scope="module")
def gold():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_seed_quotes_match_gold(seed_doc, gold):
    quotes = seed_doc._.quotes
    assert len(quotes) == len(gold["quotes"])
    for g in gold["quotes"]:
        found = [q for q in quotes if _norm(q.text).startswith(_norm(g["starts"]))]
        assert found, g["starts"]
        q = found[0]
        assert _same(q.speaker, g["speaker"]), (q.speaker, g["speaker"])
        if g.get("affiliation"):
            assert _same(q.affiliation, g["affiliation"]), (q.affiliation, g["affiliation"])
        if g.get("outlet"):
            assert _same(q.outlet, g["outlet"]), (q.outlet, g["outlet"])
        else:
            assert q.outlet is None
        ev = q.evidence
        assert seed_doc.text[ev.start:ev.end] == ev.text
        assert q.text in ev.text


def test_seed_claims_match_gold(seed_doc, gold):
    claims = seed_doc._.claims
    for g in gold["claims"]:
        found = [c for c in claims if c.value == g["value"]]
        assert len(found) == 1, g
        c = found[0]
        assert _same(c.subject, g["subject"]), (c.subject, g["subject"])
        assert _same(c.source, g["source"]), (c.source, g["source"])
        assert c.qualifier == g.get("qualifier")
        if g.get("conflicts_with"):
            others = [claims[i] for i in c.conflicts_with]
            assert any(_same(o.source, g["conflicts_with"].replace(" estimate", "")) for o in others)
        assert seed_doc.text[c.evidence.start:c.evidence.end] == c.evidence.text
    # conflicts are symmetric
    for i, c in enumerate(claims):
        for j in c.conflicts_with:
            assert i in claims[j].conflicts_with


def test_quote_forms(claims_nlp):
    text = (
        'Rebels pushed into the town on Monday. "We will not leave this place until the end," said '
        'Abu Omar, a commander with the Hamza Division, told AFP by telephone.\n\n'
        '“The bombing has not stopped since dawn and people are afraid,” he added.\n\n'
        'Ministry spokesman Ali Hassan said: "The army is advancing on all fronts today."\n\n'
        'The rebels described the offer as "a trap".'
    )
    doc = claims_nlp(text)
    qs = doc._.quotes
    assert len(qs) == 3  # "a trap" is a scare quote
    assert qs[0].speaker == "Abu Omar"
    assert _same(qs[0].affiliation, "Hamza Division")
    assert qs[0].outlet == "AFP"
    assert qs[1].speaker == "Abu Omar" and qs[1].text.startswith("The bombing")
    assert qs[2].speaker == "Ali Hassan" and _same(qs[2].affiliation, "Ministry")


def test_unbalanced_marks_pair():
    from flashpoint.claims.quotes import quote_spans

    text = 'He said "one two three four five” and left. Then “six seven eight nine ten" came.'
    spans = quote_spans(text)
    assert [text[s + 1:e - 1] for s, e in spans] == ["one two three four five", "six seven eight nine ten"]


def test_claims_sources_and_conflicts(claims_nlp):
    text = (
        "At least 12 people were killed in the air strike, the Observatory said. "
        "The UN puts the number of refugees at 5 million, while the government says it is 3 million."
    )
    claims = claims_nlp(text)._.claims
    k = [c for c in claims if c.value == 12][0]
    assert k.source == "Observatory" and k.unit == "killed" and k.qualifier == "at least"
    un = [c for c in claims if c.value == 5_000_000][0]
    gov = [c for c in claims if c.value == 3_000_000][0]
    assert un.source.startswith("United Nations") and gov.source == "government"
    assert _norm(un.subject) == _norm(gov.subject) == "number of refugees"
    assert claims.index(gov) in un.conflicts_with and claims.index(un) in gov.conflicts_with


def test_unsourced_number_is_not_a_claim(claims_nlp):
    doc = claims_nlp("The convoy was carrying 5000 people when it reached the town of 20,000 inhabitants.")
    assert doc._.claims == []


def test_anaphoric_subject_across_sentences(claims_nlp):
    doc = claims_nlp("The UN estimates the death toll at 250,000. The SOHR says the figure is now 350,000.")
    claims = doc._.claims
    assert [c.value for c in claims] == [250000, 350000]
    assert claims[0].subject == claims[1].subject == "death toll"
    assert claims[1].source.endswith("(SOHR)") and claims[1].unit == "killed"
    assert claims[0].conflicts_with == [1] and claims[1].conflicts_with == [0]


def test_according_to_source(claims_nlp):
    doc = claims_nlp("According to the Syrian Network for Human Rights, 30 civilians were killed in the raids.")
    (c,) = doc._.claims
    assert c.source == "Syrian Network for Human Rights" and c.value == 30 and c.unit == "killed"


def test_find_casualties_accepts_a_doc(claims_nlp):
    from flashpoint.claims.numbers import find_casualties

    doc = claims_nlp("Two people were killed on Monday. Five soldiers were wounded on Tuesday.")
    assert [(c.count, c.outcome) for c in find_casualties(doc)] == [(2, "killed"), (5, "wounded")]


def test_interview_outlet(claims_nlp):
    doc = claims_nlp('"We will keep fighting until the last village is free," Ali Hassan said in an interview with Al Jazeera.')
    (q,) = doc._.quotes
    assert q.speaker == "Ali Hassan" and q.outlet == "Al Jazeera"
