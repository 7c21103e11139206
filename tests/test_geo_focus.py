"""The article's focus country comes from the places where things happen, not from a source's base ("the
Britain-based monitor"), a speaker ("Moscow said"), a currency or a country's name modifying a noun ("US-led
coalition", "US warplanes") -- issue #11, on invented sentences."""
import pytest

from flashpoint.geo.resolve import Mention, NONLITERAL_VOTE, gather, vote_focus


@pytest.fixture(scope="module")
def geo():
    from flashpoint.geo.cli_api import geo_nlp

    return geo_nlp()


def _types(doc) -> dict:
    return {t.name: t.type for t in doc._.toponyms}


def test_source_base_abroad_is_not_the_focus(geo):
    doc = geo("A car bomb exploded in the town of Manbij in Aleppo province on Tuesday, killing 12 people, a "
              "Britain-based monitor said. The London-based group said the toll could rise.")
    assert doc._.focus_country == "SY"
    assert _types(doc)["Britain"] == "modifier" and _types(doc)["London"] == "modifier"


def test_source_base_against_one_town(geo):
    doc = geo("A suicide bomber blew himself up at a checkpoint in the city of Hasakah on Sunday, killing nine "
              "people, a monitor said. The Britain-based monitor said the blast also wounded 20.")
    assert doc._.focus_country == "SY"


def test_speaking_capital_is_not_the_focus(geo):
    doc = geo("Moscow said on Monday that its forces had not struck civilian targets. Missiles hit a "
              "residential building in the Ukrainian city of Kharkiv overnight, killing three people, local "
              "officials said.")
    assert doc._.focus_country == "UA"
    assert _types(doc)["Moscow"] == "metonymic"
    kh = next(t for t in doc._.toponyms if t.name == "Kharkiv")
    assert kh.country == "UA"


def test_country_leading_a_coalition_is_not_the_focus(geo):
    doc = geo("US-led coalition strikes on Raqqa killed at least 15 civilians on Wednesday, activists said. "
              "The US-led coalition said it was investigating. US warplanes also struck near Deir ez-Zor.")
    assert doc._.focus_country == "SY"
    raqqa = next(t for t in doc._.toponyms if t.name == "Raqqa")
    assert raqqa.country == "SY"


def test_a_us_story_stays_in_the_us(geo):
    doc = geo("Police in Houston, Texas said on Friday that two men were shot dead outside a bar.")
    assert doc._.focus_country == "US"
    # ("Houston, Texas said": the state holds the city, it does not speak)
    assert _types(doc)["Texas"] == "literal"


def test_nonliteral_mentions_nearly_do_not_vote():
    ms = [Mention(text="Britain", use="modifier"), Mention(text="Aleppo")]
    gather(ms)
    focus, votes = vote_focus(ms)
    assert focus == "SY" and votes["GB"] == pytest.approx(1.5 * NONLITERAL_VOTE)


def test_a_town_modifying_a_noun_still_votes():
    # "the Aleppo countryside": a town's name before a noun is still where things happen
    ms = [Mention(text="Aleppo", use="noun_modifier")]
    gather(ms)
    assert vote_focus(ms)[0] == "SY"


def test_hasakah_actor_country_ignores_the_monitors_base(nlp):
    from flashpoint.model import Article
    from flashpoint.nlp import new_doc

    text = ("A suicide bomber blew himself up at a checkpoint in the city of Hasakah on Sunday, killing nine "
            "people, a monitor said. The Britain-based monitor said the blast also wounded 20. Islamic State "
            "claimed responsibility for the bombing.")
    doc = nlp(new_doc(nlp, Article(id="t", text=text, published="2016-05-10")))
    names = {a.canonical for a in doc._.actors}
    assert "Islamic State (Syria)" in names and not any("United Kingdom" in n for n in names)


def test_headline_run_into_byline_is_still_a_place(geo):
    # "Twin blasts kill 30 Kurdish fighters in Syria Monitor AFP": spaCy makes Syria modify "AFP"
    doc = geo("Twin blasts kill 30 Kurdish fighters in Syria Monitor AFP Monday. Two suicide bombers struck "
              "fighters in the town of Tal Abyad on the border with Turkey.")
    assert _types(doc)["Syria"] == "literal"


def test_country_before_a_common_noun_after_in_is_an_actor(geo):
    doc = geo("Twelve civilians were killed in US airstrikes on Raqqa on Monday, activists said.")
    assert _types(doc)["US"] == "modifier"
    assert doc._.focus_country == "SY"


def test_news_outlet_named_after_a_town_is_not_a_place(geo):
    # once the focus is Syria, "al-Mayadeen" would resolve to the Syrian town
    doc = geo("A U.S. missile strike on an airbase near the Syrian city of Homs on Friday caused deaths, the governor "
              "said in a phone interview with Lebanese TV station al-Mayadeen.")
    assert doc._.focus_country == "SY"
    assert "al-Mayadeen" not in _types(doc)
