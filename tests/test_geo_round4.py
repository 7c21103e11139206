"""Round-4 resolution rules, on invented sentences: a place leading an organisation's name is the
world-known namesake."""
from flashpoint.geo.geoparse import resolve_spans


def _spans(text, names):
    out, pos = [], 0
    for n in names:
        s = text.index(n, pos)
        out.append((s, s + len(n)))
        pos = s + len(n)
    return out


def test_org_lead_is_world_known_namesake():
    text = ("Lawmakers in Boston and Worcester, Massachusetts, asked how Cambridge Analytica obtained the "
            "data of voters in Springfield.")
    tops, focus = resolve_spans(text, _spans(text, ["Boston", "Worcester", "Massachusetts", "Cambridge",
                                                    "Springfield"]))
    assert focus == "US"
    assert tops[3].country == "GB"


def test_local_institution_keeps_story_namesake():
    text = ("Lawmakers in Boston and Worcester, Massachusetts, said Cambridge Police closed two streets near "
            "Somerville.")
    tops, _ = resolve_spans(text, _spans(text, ["Boston", "Worcester", "Massachusetts", "Cambridge",
                                                "Somerville"]))
    assert tops[3].country == "US"
