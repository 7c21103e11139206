"""Round-ups of many countries and divisions named in their own language's form (issue #13 item 4: a containing
region or country named in the text outranks a bigger namesake elsewhere)."""
from flashpoint.geo.geoparse import resolve_spans

from geo_helpers import spans_of


def _read(text, names):
    tops, focus = resolve_spans(text, spans_of(text, names))
    out = {}
    for t in tops:
        out.setdefault(t.name, t)
    return out, focus


ROUNDUP = ("Most of the new cases were again reported by the United States, where Texas, Ohio and Oregon "
           "each confirmed more infections, and the United States expects more. Health officials in Australia "
           "reported 40 cases on Tuesday; most were in Melbourne, where two schools closed. In the United Kingdom, "
           "five people in the Glasgow area were taken to hospital.")


def test_town_in_the_country_just_named_beats_the_focus_countrys_namesake():
    # invented: the story's focus is the US (Melbourne, Florida; Glasgow, Kentucky exist), but each town
    # follows the country it lies in
    t, focus = _read(ROUNDUP, ["United States", "Texas", "Ohio", "Oregon", "United States",
                               "Australia", "Melbourne", "United Kingdom", "Glasgow"])
    assert focus == "US"
    assert t["Melbourne"].country == "AU"
    assert t["Glasgow"].country == "GB"
    assert t["Texas"].country == "US"


def test_focus_country_named_nearby_keeps_its_towns():
    # invented: the nearest country named is the focus country itself: no change
    t, _ = _read("Officials in the United States said the flu reached Melbourne and Orlando in Florida.",
                 ["United States", "Melbourne", "Orlando", "Florida"])
    assert t["Melbourne"].country == "US"


def test_division_named_without_its_generic_word_is_the_division():
    # invented: "Zhejiang Sheng" in the gazetteer; the town Zhijiang shares the name's key
    t, _ = _read("Deaths were reported in the provinces of Anhui, Hunan and Zhejiang, the ministry said.",
                 ["Anhui", "Hunan", "Zhejiang"])
    assert t["Zhejiang"].country == "CN" and t["Zhejiang"].feature_code == "ADM1"
    assert abs(t["Zhejiang"].lat - 29.2) < 1.5 and abs(t["Zhejiang"].lon - 120.3) < 1.5


def test_name_called_a_state_is_not_the_capital():
    # invented: "Washington state" is the state, not the capital city
    t, _ = _read("A cow from a Washington state farm tested positive, officials in Texas said.",
                 ["Washington", "Texas"])
    assert t["Washington"].feature_code == "ADM1"
    assert t["Washington"].lon < -115


def test_bare_name_of_the_capital_stays_the_capital():
    # invented: no state word: the city
    t, _ = _read("Protesters marched in Washington and Baltimore on Sunday.", ["Washington", "Baltimore"])
    assert t["Washington"].feature_code != "ADM1" and t["Washington"].lon > -80


def test_name_sharing_a_countrys_key_is_not_the_country():
    # invented: "Somme" and "Suomi" (Finland) share one normalised key; the written forms differ
    from flashpoint.geo.resolve import country_by_name

    assert country_by_name("Somme") is None
    assert country_by_name("Suomi") == "FI"
    assert country_by_name("Phillipines") == "PH"  # (a misspelling stays close enough)
    t, _ = _read("Two ducks died in the Somme region in the north of France.", ["Somme", "France"])
    assert t["Somme"].country != "FI"
