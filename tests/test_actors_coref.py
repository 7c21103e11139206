"""Actors round 2: whose army a bare noun means, definite generic nouns and pronouns corefer to named
actors, <actor> + weapon/platform nouns, appositive relations, focus robustness, coref()/conjoined().

All sentences are invented for these tests."""
import pytest

from flashpoint.actors import conjoined, coref

from actor_helpers import run




def by_name(doc):
    return {a.name: a for a in doc._.actors}


# ---------------------------------------------------------------- whose army?
def test_bare_army_is_the_foreign_state_named_with_that_role(actor_nlp):
    doc = run(actor_nlp, "The Israeli military said its jets hit a depot in Rafah. Hamas fired mortars at a border "
                         "post. The army said two soldiers were lightly hurt.", "PS")
    got = by_name(doc)
    assert got["The army"].canonical == "Military Forces of Israel"
    assert got["The army"].kind == "external state forces"
    assert got["soldiers"].canonical == "Military Forces of Israel"
    assert got["its jets"].canonical == "Military Forces of Israel"


def test_bare_army_stays_home_when_home_forces_are_named(actor_nlp):
    doc = run(actor_nlp, "The Lebanese army deployed in Tyre. Israeli drones struck a car near Naqoura. The army "
                         "said it had closed the road.", "LB")
    got = by_name(doc)
    assert got["The army"].canonical == "Military Forces of Lebanon"
    assert got["Israeli drones"].canonical == "Military Forces of Israel"


def test_bare_army_without_any_national_force_takes_the_focus_country(actor_nlp):
    doc = run(actor_nlp, "Troops killed six militants near Garissa on Sunday, the army said.", "KE")
    assert by_name(doc)["Troops"].canonical == "Military Forces of Kenya"


def test_external_and_home_forces_in_a_war_article(actor_nlp):
    doc = run(actor_nlp, "Russian forces shelled Kherson overnight. Ukrainian forces returned fire, the regional "
                         "governor said.", "UA")
    got = by_name(doc)
    assert got["Russian forces"].canonical == "Military Forces of Russia"
    assert got["Russian forces"].kind == "external state forces"
    assert got["Ukrainian forces"].canonical == "Military Forces of Ukraine"
    assert got["Ukrainian forces"].kind == "state forces"


# ---------------------------------------------------------------- definite generic nouns
def test_definite_militants_corefer_to_the_named_group(actor_nlp):
    doc = run(actor_nlp, "Al Shabaab fighters attacked a police station in Beledweyne on Monday. Police said the "
                         "militants looted weapons before fleeing.", "SO")
    assert by_name(doc)["militants"].canonical == "Al Shabaab"


def test_militants_do_not_corefer_to_a_pro_government_militia(actor_nlp):
    doc = run(actor_nlp, "Ansaroul Islam fighters raided a market near Arbinda. Volunteers for the Defense of the "
                         "Homeland (VDP) patrolled the town. Residents fear the militants will return.", "BF")
    assert by_name(doc)["militants"].canonical == "Ansarul Islam"


def test_most_salient_group_wins_over_a_prepositional_one(actor_nlp):
    doc = run(actor_nlp, "Jama'at Nusrat al-Islam wal-Muslimin (JNIM), an offshoot of Al Qaeda, raided a camp in "
                         "Boni. Soldiers said the jihadists stole cattle.", "BF")
    assert by_name(doc)["jihadists"].canonical == "Jama'at Nusrat al-Islam wal-Muslimin"


def test_indefinite_or_unanchored_generic_nouns_stay_generic(actor_nlp):
    doc = run(actor_nlp, "Insurgents ambushed a convoy near Mocimboa da Praia. The attackers burned two trucks.", "MZ")
    got = by_name(doc)
    assert got["Insurgents"].canonical == "Mozambican rebels"
    assert got["attackers"].canonical == "Unidentified Armed Group (Mozambique)"


# ---------------------------------------------------------------- actor + platform
@pytest.mark.parametrize("text,focus,name,canonical", [
    ("Army warplanes bombed a market in Nyala on Friday.", "SD", "Army warplanes", "Military Forces of Sudan"),
    ("Russian kamikaze drones struck a depot in Odesa.", "UA", "Russian kamikaze drones", "Military Forces of Russia"),
    ("Officials say Russian artillery fires at Kupiansk daily.", "UA", "Russian artillery", "Military Forces of Russia"),
    ("A coalition air strike hit a wedding in Hajjah.", "YE", "coalition air strike", "Saudi-led Coalition"),
    ("Regime helicopters dropped barrels on Daraa.", "SY", "Regime helicopters", "Military Forces of Syria"),
])
def test_actor_plus_platform_is_the_operating_force(actor_nlp, text, focus, name, canonical):
    got = by_name(run(actor_nlp, text, focus))
    assert name in got, list(got)
    assert got[name].canonical == canonical


def test_possessed_platform_after_a_state_force(actor_nlp):
    doc = run(actor_nlp, "The Turkish defence ministry said its drones destroyed a PKK shelter in Duhok.", "IQ")
    assert by_name(doc)["its drones"].canonical == "Military Forces of Turkey"


# ---------------------------------------------------------------- dictionary items
def test_african_union_troops_are_the_mission(actor_nlp):
    doc = run(actor_nlp, "Somali soldiers and African Union forces retook Bariire; AU troops held the bridge.", "SO")
    got = by_name(doc)
    assert got["African Union forces"].canonical == "African Union Mission in Somalia"
    assert got["AU troops"].canonical == "African Union Mission in Somalia"
    assert got["African Union forces"].inter == 8


def test_short_iswap_name(actor_nlp):
    doc = run(actor_nlp, "West Africa Province fighters overran a base in Marte.", "NG")
    assert any(a.canonical == "Islamic State West Africa Province" for a in doc._.actors)


def test_monitor_is_a_source_not_an_actor(actor_nlp):
    doc = run(actor_nlp, "Twelve fighters died in Deir ez-Zor, the Britain-based monitor said. The Syrian "
                         "Observatory gave no details.", "SY")
    names = [a.canonical for a in doc._.actors]
    assert not any("Observatory" in n for n in names)
    assert not any("United Kingdom" in n for n in names)


# ---------------------------------------------------------------- relations
def rels(doc):
    return {(r.actor, r.relation, r.target) for r in doc._.relations}


def test_appositive_branch_is_affiliation(actor_nlp):
    doc = run(actor_nlp, "Islamic State West Africa Province (ISWAP), the regional branch of Islamic State, "
                         "raided Baga.", "NG")
    assert ("Islamic State West Africa Province", "affiliated with", "Islamic State (Nigeria)") in rels(doc) or \
        any(r[0] == "Islamic State West Africa Province" and r[1] == "affiliated with" for r in rels(doc))


def test_fighting_alongside_the_army_is_support(actor_nlp):
    doc = run(actor_nlp, "The Civilian Joint Task Force (CJTF), vigilantes who fight alongside the army, lost three men "
                         "near Bama.", "NG")
    assert ("Civilian Joint Task Force", "supports", "Military Forces of Nigeria") in rels(doc)


def test_two_states_fighting_alongside_stay_allies(actor_nlp):
    doc = run(actor_nlp, "Rwandan troops, fighting alongside Mozambican forces, retook Palma.", "MZ")
    r = rels(doc)
    assert ("Military Forces of Rwanda", "allied with", "Military Forces of Mozambique") in r
    assert not any(x[1] == "supports" for x in r)


# ---------------------------------------------------------------- focus robustness
def test_wrong_focus_from_geo_is_overruled_by_the_text(actor_nlp):
    text = ("Russian troops shelled Kharkiv and Sumy overnight, Ukrainian officials said. In Ukraine's Kharkiv "
            "region, Ukrainian police reported two dead in Kupiansk. Ukraine said the troops also hit Izium, and "
            "Kyiv accused Moscow of targeting Ukrainian towns.")
    doc = run(actor_nlp, text, "RU")
    got = by_name(doc)
    assert got["Russian troops"].kind == "external state forces"
    assert got["Ukrainian police"].kind == "state forces"


def test_backed_demonyms_do_not_make_the_focus(actor_nlp):
    doc = run(actor_nlp, "Turkish-backed factions shelled Manbij and Tal Rifaat as Syrian rebels and the Syrian "
                         "army clashed near Aleppo and Idlib.", None)
    assert doc.user_data["fp_actor_focus"] == "SYR"


# ---------------------------------------------------------------- coref() and conjoined()
def test_coref_pronoun_and_mentions(actor_nlp):
    doc = run(actor_nlp, "Boko Haram raided Gwoza on Friday. They burned the market and it said it would "
                         "return.", "NG")
    toks = {t.text: t.i for t in doc}
    assert coref(doc, toks["They"]).canonical == "Boko Haram"
    assert coref(doc, toks["Boko"]).canonical == "Boko Haram"
    assert coref(doc, toks["market"]) is None


def test_conjoined_subjects(actor_nlp):
    doc = run(actor_nlp, "Sudan's army and the paramilitary Rapid Support Forces agreed to a truce in Jeddah.", "SD")
    army = by_name(doc)["Sudan's army"]
    assert [a.canonical for a in conjoined(doc, army)] == ["Rapid Support Forces"]


# ---------------------------------------------------------------- force objects and "<head> of <actor>"
def test_state_noun_before_a_military_object_is_its_forces(actor_nlp):
    doc = run(actor_nlp, "Rebels attacked government positions near Kidal and an army checkpoint in Tessalit.", "ML")
    got = by_name(doc)
    assert got["government"].canonical == "Military Forces of Mali"
    assert got["army"].canonical == "Military Forces of Mali"
    doc = run(actor_nlp, "The government building was closed and army officers met.", "ML")
    assert "government" not in by_name(doc)


def test_generic_head_of_a_named_actor_is_that_actor(actor_nlp):
    doc = run(actor_nlp, "Troops of the African Union Mission in Somalia entered Jowhar.", "SO")
    assert by_name(doc)["Troops"].canonical == "African Union Mission in Somalia"


def test_state_noun_of_a_country(actor_nlp):
    doc = run(actor_nlp, "The Armed Forces of the Russian Federation said security forces of Mali repelled an "
                         "attack.", "ML")
    got = {a.canonical: a for a in doc._.actors}
    assert got["Military Forces of Russia"].kind == "external state forces"
    assert got["Military Forces of Mali"].kind == "state forces"


def test_descriptive_entry_stands_for_the_named_group(actor_nlp):
    doc = run(actor_nlp, "The Syrian Democratic Forces (SDF) said Kurdish fighters held Tal Tamr.", "SY")
    assert by_name(doc)["Kurdish fighters"].canonical == "Syrian Democratic Forces"
    doc = run(actor_nlp, "Kurdish fighters held Tal Tamr.", "SY")
    assert by_name(doc)["Kurdish fighters"].canonical == "Syrian Kurdish forces"


def test_platform_of_a_led_coalition_is_the_coalition(actor_nlp):
    doc = run(actor_nlp, "Warplanes of the Saudi-led coalition struck a market in Saada.", "YE")
    assert {a.canonical for a in doc._.actors} == {"Saudi-led Coalition"}


def test_foreign_force_named_long_before_does_not_capture_the_army(actor_nlp):
    text = ("US troops left a base near Erbil in March. Talks on the withdrawal continued in Baghdad. Oil exports "
            "rose in May. Farmers protested over water. Prices climbed again. On Monday the army said it killed "
            "three militants near Hawija.")
    doc = run(actor_nlp, text, "IQ")
    assert by_name(doc)["the army"].canonical == "Military Forces of Iraq"


def test_actor_noun_before_an_event_noun_is_the_actor(actor_nlp):
    doc = run(actor_nlp, "Police fire tear gas at traders in Quetta\n\nThe army base was quiet.", "PK")
    got = by_name(doc)
    assert got["Police"].canonical == "Police Forces of Pakistan"
    assert "army" not in got


def test_coordinated_demonym_shares_a_government_head(actor_nlp):
    doc = run(actor_nlp, "Qatari and Egyptian mediators said the hostages would be freed in Gaza.", "PS")
    got = by_name(doc)
    assert got["Qatari"].canonical == "Government of Qatar"
    assert got["Egyptian mediators"].canonical == "Government of Egypt"
    assert got["hostages"].kind == "civilians"
