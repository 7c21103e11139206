"""parse_number and find_casualties on invented sentences."""
import pytest

from flashpoint.claims.numbers import casualty_totals, find_casualties, is_aggregate, parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("at least 12", (12, "at least")),
        ("more than 250,000", (250000, "more than")),
        ("over 300 people", (300, "more than")),
        ("dozens", (12, "dozens")),
        ("hundreds", (100, "hundreds")),
        ("tens of thousands", (10000, "tens of thousands")),
        ("a dozen", (12, None)),
        ("two dozen", (24, None)),
        ("two", (2, None)),
        ("Eleven", (11, None)),
        ("twenty-five", (25, None)),
        ("one hundred and fifty", (150, None)),
        ("three thousand five hundred", (3500, None)),
        ("a hundred", (100, None)),
        ("1.5 million", (1500000, None)),
        ("2.5m", (2500000, None)),
        ("350,000", (350000, None)),
        ("several", (3, "several")),
        ("a few", (3, "a few")),
        ("a number of", (None, "a number of")),
        ("some 40", (40, "about")),
        ("an estimated 2,000", (2000, "about")),
        ("nearly 70", (70, "nearly")),
        ("up to 20", (20, "up to")),
        ("between 10 and 15", (10, "at least")),
        ("10-15", (10, "at least")),
        ("12 people", (12, None)),
        ("nearly half a million", (500000, "nearly")),
        ("half a dozen", (6, None)),
        ("", (None, None)),
        ("the town", (None, None)),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.fixture(scope="module")
def parse():
    from flashpoint.nlp import load_base

    nlp = load_base()
    return lambda s: nlp(s)[:]


def _by(cas, **kw):
    return [c for c in cas if all(getattr(c, k) == v for k, v in kw.items())]


def test_killing_at_least(parse):
    cas = find_casualties(parse("An air strike hit the market, killing at least 12 people."))
    assert len(cas) == 1
    c = cas[0]
    assert (c.count, c.qualifier, c.outcome, c.group, c.aggregate) == (12, "at least", "killed", None, False)
    assert c.text == "at least 12 people"


def test_passive_killed_and_wounded(parse):
    cas = find_casualties(parse("12 people were killed and 20 others wounded in the attack."))
    assert casualty_totals(cas) == {"killed": 12, "wounded": 20}


def test_civilians_including_children_and_woman(parse):
    cas = find_casualties(parse("The shelling killed 5 civilians including two children and a woman."))
    assert _by(cas, group="civilians")[0].count == 5
    assert _by(cas, group="children")[0].count == 2
    assert _by(cas, group="women")[0].count == 1
    assert _by(cas, group="children")[0].subset
    assert casualty_totals(cas) == {"killed": 5}


def test_left_dead_and_wounded(parse):
    cas = find_casualties(parse("The blast left 7 dead and 20 wounded."))
    assert casualty_totals(cas) == {"killed": 7, "wounded": 20}


def test_a_participle_after_a_bare_number_names_its_outcome(parse):
    # "left at least 100 people killed and over 400 wounded": the parser hangs "400" off "killed"
    cas = find_casualties(parse("Chemical substances were used in the attack which left at least 100 people killed "
                                "and over 400 wounded mostly women and children."))
    assert casualty_totals(cas) == {"killed": 100, "wounded": 400}


def test_death_toll_rose(parse):
    cas = find_casualties(parse("The death toll rose to 30, the Observatory said."))
    assert [(c.count, c.outcome) for c in cas] == [(30, "killed")]


def test_dozens_of_casualties(parse):
    cas = find_casualties(parse("Dozens of casualties were reported."))
    assert [(c.count, c.qualifier, c.outcome) for c in cas] == [(12, "dozens", "casualties")]


def test_suicide_bomber_himself(parse):
    cas = find_casualties(parse("A suicide bomber killed himself and three soldiers."))
    assert _by(cas, group="soldiers")[0].count == 3
    assert _by(cas, group="militants")[0].count == 1
    assert casualty_totals(cas) == {"killed": 4}


def test_combatants_and_soldiers(parse):
    cas = find_casualties(parse("At least 40 rebels and 12 soldiers were killed in the clashes."))
    assert {(c.group, c.count) for c in cas} == {("combatants", 40), ("soldiers", 12)}


def test_other_outcomes(parse):
    cas = find_casualties(parse("Gunmen kidnapped 3 aid workers and 2,000 people fled the area."))
    assert {(c.outcome, c.count) for c in cas} == {("kidnapped", 3), ("displaced", 2000)}
    cas = find_casualties(parse("Regime forces arrested 25 people in the town."))
    assert [(c.outcome, c.count) for c in cas] == [("arrested", 25)]


def test_lives_claimed(parse):
    cas = find_casualties(parse("The attack claimed the lives of 14 people."))
    assert [(c.outcome, c.count) for c in cas] == [("killed", 14)]


def test_among_the_dead(parse):
    cas = find_casualties(parse("Three children and two women were among the dead."))
    assert {(c.group, c.count, c.subset) for c in cas} == {("children", 3, False), ("women", 2, False)}


def test_aggregate_flagged(parse):
    cas = find_casualties(parse("More than 320,000 people have been killed since the conflict began in 2011."))
    assert len(cas) == 1 and cas[0].aggregate and cas[0].count == 320000
    cas = find_casualties(parse("The UN says the war has killed 400,000 people."))
    assert all(c.aggregate for c in cas) and cas


def test_superlative_since_is_not_aggregate(parse):
    cas = find_casualties(parse("The deadliest attack since 2013 killed 30 people in the town."))
    assert [(c.count, c.aggregate) for c in cas] == [(30, False)]
    assert not is_aggregate("The deadliest attack since 2013 killed 30 people.")


def test_no_casualties(parse):
    assert find_casualties(parse("He had two sons and was 45 years old.")) == []
    assert find_casualties(parse("The town, 10 km south of Aleppo, was captured by 300 fighters.")) == []
    assert find_casualties(parse("The town was captured by rebels in 2013.")) == []


def test_offsets_point_into_doc(parse):
    span = parse("Syrian jets killed 9 civilians in the village on Monday.")
    for c in find_casualties(span):
        assert span.doc.text[c.start:c.end] == c.text


def test_half_a_million_displaced(parse):
    cas = find_casualties(parse("The fighting has displaced nearly half a million people."))
    assert [(c.count, c.qualifier, c.outcome) for c in cas] == [(500000, "nearly", "displaced")]


def test_nominal_and_broken_parses(parse):
    cas = find_casualties(parse("The massacre saw the killing of 30 civilians."))
    assert [(c.count, c.outcome, c.group) for c in cas] == [(30, "killed", "civilians")]
    cas = find_casualties(parse("Police put the death toll at 16 earlier."))
    assert [(c.count, c.outcome) for c in cas] == [(16, "killed")]
    cas = find_casualties(parse("The militants executed 12 prisoners."))
    assert [(c.count, c.outcome) for c in cas] == [(12, "killed")]
    cas = find_casualties(parse("Police arrested 20 protesters."))
    assert [(c.count, c.outcome) for c in cas] == [(20, "arrested")]


def test_dates_are_not_counts(parse):
    cas = find_casualties(parse("Published 24 March 2016 Ninety-two civilians were killed in the raids."))
    assert [(c.count, c.group) for c in cas] == [(92, "civilians")]
    # a year after a month and day, with no DATE entity around it ("Mon Jul 18 2016 SDF foiled ...")
    cas = find_casualties(parse("Mon Jul 18 2016 rebels foiled an attack in northern Aleppo 80 fighters killed."))
    assert [c.count for c in cas] == [80]
