"""The founding article through the whole pipeline: what score_seed.py does not check (dates, Russia's part)."""
import json
from datetime import date

import pytest

from conftest import FIXTURES


@pytest.fixture(scope="module")
def seed_report(pipeline, seed_text):
    from flashpoint.model import Article

    gold = json.loads((FIXTURES / "trtworld-aleppo-offensive.gold.json").read_text(encoding="utf-8"))
    report = pipeline.extract(Article(id="seed", text=seed_text, published=date(2015, 10, 27)))
    return report, gold


def test_seed_russia_backs_the_offensive(seed_report):
    """The events matched to the offensive (E1) and its air strikes (E2) name Russia as actor1 or backer."""
    from flashpoint.evaluation.seed import match_events

    report, gold = seed_report
    events = json.loads(json.dumps(report.to_json_dict()))["events"]
    matched = match_events(gold, events)
    for gid in ("E1", "E2"):
        assert gid in matched, gid
        e = events[matched[gid]]
        assert any("Russia" in (a or "") for a in [e["actor1"], *e["assoc_actor_1"]]), (gid, e["actor1"])


def test_seed_dates(seed_report):
    report, _ = seed_report
    adv = [e for e in report.events if e.trigger == "advanced"]
    assert adv and adv[0].event_date == "2015-10-27" and adv[0].time_precision == 1
    hist = [e for e in report.events if e.status == "historical"]
    assert hist and hist[0].event_date.startswith("2013")
