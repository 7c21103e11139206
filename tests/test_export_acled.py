import csv
import io

from flashpoint.export.acled import ACLED_COLUMNS, ACLED_CSV_COLUMNS, interaction, report_rows, write_acled_csv
from flashpoint.model import Actor, Event, Location, Report, Span


def _report():
    loc = Location(name="Kafr Test", lat=36.1, lon=37.2, country="SY", admin1="Aleppo", geo_precision=1)
    ev = Event(event_id="r1-e0", event_date="2019-05-03", time_precision=1, event_type="Battles",
               sub_event_type="Armed clash", actor1="Alpha Army", actor2="Beta Brigade", location=loc,
               fatalities=7, status="claimed", evidence=Span(text="Alpha Army clashed with Beta Brigade.", start=0, end=37))
    ev2 = Event(event_id="r1-e1", event_type="Violence against civilians", sub_event_type="Attack",
                actor1="Beta Brigade", actor2="Civilians (Syria)")
    actors = [Actor(name="Alpha Army", inter=1), Actor(name="Beta", canonical="Beta Brigade", inter=3)]
    return Report(id="r1", source="testwire", events=[ev, ev2], actors=actors)


def test_columns_are_acleds_31_in_order():
    assert len(ACLED_COLUMNS) == 31
    assert ACLED_COLUMNS[0] == "event_id_cnty" and ACLED_COLUMNS[-1] == "timestamp"
    assert ACLED_COLUMNS.index("interaction") == 13 and ACLED_COLUMNS.index("latitude") == 22


def test_interaction_codes():
    assert interaction(1, 3) == "13"
    assert interaction(3, 1) == "13"
    assert interaction(6, 0) == "60"
    assert interaction(None, None) == ""


def test_report_rows_and_csv_roundtrip():
    rows = report_rows(_report(), timestamp=1700000000)
    assert len(rows) == 2
    r = rows[0]
    assert r["inter1"] == 1 and r["inter2"] == 3 and r["interaction"] == "13"
    assert r["iso"] == 760 and r["country"] == "Syria" and r["region"] == "Middle East"
    assert r["disorder_type"] == "Political violence"
    assert r["event_id_cnty"].startswith("SYR")
    assert r["year"] == "2019" and r["fatalities"] == 7
    assert "status=claimed" in r["tags"]
    assert r["notes"].startswith("On 2019-05-03, ")
    # second event: no location, civilians targeted, unknown fatalities -> 0 (ACLED convention)
    assert rows[1]["civilian_targeting"] == "Civilian targeting"
    assert rows[1]["inter2"] == 7 and rows[1]["fatalities"] == 0
    buf = io.StringIO()
    assert write_acled_csv(rows, buf) == 2
    back = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(back[0].keys()) == list(ACLED_COLUMNS) + ["status"] == list(ACLED_CSV_COLUMNS)
    assert [b["status"] for b in back] == ["claimed", "reported"]
    assert back[0]["latitude"] == "36.1000" and back[0]["longitude"] == "37.2000"
    assert back[1]["latitude"] == ""
