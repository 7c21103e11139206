"""CAMEO sentence coder on PETRARCH unit-test style sentences (fictional actors of the
PETR.Validate dictionaries) and the trigger -> CAMEO default table."""
import pytest

from flashpoint.events.cameo import ActorLookup, cameo_for_trigger, code_sentence


@pytest.fixture(scope="module")
def parse():
    from flashpoint.nlp import load_base

    nlp = load_base()
    return lambda text: nlp(text)


@pytest.fixture(scope="module")
def lookup():
    return ActorLookup.petrarch_validate()


def test_simple_pattern(parse, lookup):
    out = code_sentence(parse("Arnor is about to restore full diplomatic ties with Gondor."), lookup)
    assert ("ARN", "GON", "064") in out


def test_compound_source(parse, lookup):
    out = code_sentence(parse("Fornost and Gondor welcomed a resumption of formal diplomatic ties with Osgiliath."), lookup)
    assert {("FOR", "OSG", "041"), ("GON", "OSG", "041")} <= set(out)


def test_agent_combination(parse, lookup):
    out = code_sentence(parse("Arnor security officials are about to restore full diplomatic ties with Gondor police."), lookup)
    assert ("ARNGOV", "GONCOP", "064") in out


def test_negation_gives_no_event(parse, lookup):
    assert code_sentence(parse("Gondor did not condemn Arnor on Monday."), lookup) == []
    assert code_sentence(parse("Gondor condemned Arnor on Monday."), lookup) == [("GON", "ARN", "122")]


def test_passive_with_agent(parse, lookup):
    out = code_sentence(parse("Gondor was condemned by Arnor on Monday."), lookup)
    assert ("ARN", "GON", "122") in out


def test_reverse_code(parse, lookup):
    out = code_sentence(parse("Caras Galadhon's new mayor left yesterday for Minas Tirith for meetings with Arnor."), lookup)
    assert ("ELF", "GON", "032") in out and ("GON", "ELF", "033") in out


def test_discard(parse, lookup):
    assert code_sentence(parse("Arnor is about to restore baseball competition with Gondor."), lookup) == []


def test_cameo_for_trigger():
    assert cameo_for_trigger("shell", "Shelling/artillery/missile attack") == "194"
    assert cameo_for_trigger("bomb", "Air/drone strike") == "195"
    assert cameo_for_trigger("kidnap", None) == "181"
    assert cameo_for_trigger("arrest", "Arrests") == "173"
    assert cameo_for_trigger("zzzz", None) is None
    assert cameo_for_trigger("zzzz", "Suicide bomb") == "1831"


def test_pattern_brackets_are_not_words():
    from flashpoint.events.cameo import _parse_pattern

    assert _parse_pattern("* (FOR HELP)", {}) == ([], [[["FOR"]], [["HELP"]]])
    assert _parse_pattern("* {HUMANITARIAN AID}", {}) == ([], [[["HUMANITARIAN"]], [["AID"]]])
