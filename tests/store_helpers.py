"""Hand-built articles and reports for the store tests (no models)."""
from datetime import date

from flashpoint.model import Actor, Article, Event, Location, Report, Span

ALEPPO_LIKE = dict(country="SY", admin1="Gov A")


def art(i: int, text: str, source: str = "wire") -> Article:
    return Article(id=f"a{i}", text=text, source=source, title=f"t{i}", published=date(2021, 5, 2),
                   url=f"https://example.org/{i}")


def ev(eid, date_, etype, sub, actor1, place, lat, lon, fat=None, evidence="", actor2=None, admin1="Gov A",
       country="SY", prec=1):
    return Event(event_id=eid, event_date=date_, time_precision=1, event_type=etype, sub_event_type=sub,
                 actor1=actor1, actor2=actor2, fatalities=fat, cameo_code="195", plover_type="ASSAULT",
                 location=Location(name=place, lat=lat, lon=lon, country=country, admin1=admin1, geo_precision=prec),
                 evidence=Span(text=evidence, start=0, end=len(evidence)) if evidence else None)


def corpus():
    """(articles, reports) - a1 and a2 report the same shelling (10 vs 12 dead); a3 is a different event
    far away; a4 is a clash in the same town on another week; a5 fails."""
    arts = [
        art(1, "Government artillery shelled Kafr Alpha on Monday, killing 10 civilians, a monitor said."),
        art(2, "At least 12 people were killed when government forces shelled the town of Kafr Alpha.", "other"),
        art(3, "Rebels clashed with the army near Beta Town in the far east.", "wire"),
        art(4, "Weeks later, rebels attacked an army post in Kafr Alpha.", "wire"),
        art(5, "This article breaks the extractor."),
    ]
    shell = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    reps = [
        Report(id="a1", source="wire", events=[ev("a1-0", "2021-05-01", *shell, "Military Forces of Syria",
               "Kafr Alpha", 36.20, 37.10, 10, arts[0].text)],
               actors=[Actor(name="Military Forces of Syria", inter=1)]),
        Report(id="a2", source="other", events=[ev("a2-0", "2021-05-01", *shell, "Syrian government forces",
               "Kafr Alpha", 36.21, 37.11, 12, arts[1].text)],
               actors=[Actor(name="Syrian government forces", canonical="Military Forces of Syria", inter=1)]),
        Report(id="a3", source="wire", events=[ev("a3-0", "2021-05-01", "Battles", "Armed clash", "Rebels",
               "Beta Town", 35.0, 40.5, None, arts[2].text, actor2="Military Forces of Syria",
               admin1="Gov B")]),
        Report(id="a4", source="wire", events=[ev("a4-0", "2021-05-20", "Battles", "Armed clash", "Rebels",
               "Kafr Alpha", 36.20, 37.10, 2, arts[3].text, actor2="Military Forces of Syria")]),
        Report(id="a5", errors=["a5: extraction failed: RuntimeError: boom"]),
    ]
    return arts, reps


def fake_extract_many(reports):
    by_id = {r.id: r for r in reports}

    def extract_many(articles):
        for a in articles:
            yield by_id[a.id]

    return extract_many
