"""The REST API of ``flashpoint serve`` (httpx through FastAPI's TestClient)."""
import base64
import csv
import hashlib
import io
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from flashpoint.cli import app as cli_app
from flashpoint.model import Article

from flashpoint.scale.fake import synthetic_articles
from flashpoint.store import ingest
from flashpoint.web.api import MAX_PAGE_SIZE, TRUNCATED_HEADER, create_app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "trtworld-aleppo-offensive.txt"
FAKE = "flashpoint.scale.fake:FakeExtractor"
TOKEN = "s3cret-token"
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_client(tmp_path_factory):
    """A store of the founding article (the real pipeline, published 2015-10-27)."""
    db = tmp_path_factory.mktemp("web") / "seed.db"
    stats = ingest([str(SEED)], str(db), published=date(2015, 10, 27), embedder=None)
    assert stats.ingested == 1 and stats.events > 0
    with TestClient(create_app(str(db))) as client:
        yield client


@pytest.fixture(scope="module")
def fake_client(tmp_path_factory):
    """A synthetic store (no models): 300 articles of the fake extractor, with re-reports merged."""
    db = tmp_path_factory.mktemp("webfake") / "fake.db"
    ingest(synthetic_articles(300, seed=7), str(db), extractor=FAKE, embedder=None)
    with TestClient(create_app(str(db), token=TOKEN, extractor=FAKE)) as client:
        yield client


@pytest.mark.slow
def test_openapi_lists_events_collection_and_it_returns_the_founding_articles_events(seed_client):
    spec = seed_client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"] and "get" in spec["paths"]["/api/events"]
    assert "/api/articles" not in spec["paths"]  # read-only without --token
    page = seed_client.get("/api/events", params={"limit": 100}).json()
    assert page["items"] and page["next_cursor"] is None
    assert {e["status"] for e in page["items"]} <= {"reported", "claimed"}
    assert any(e["location"] == "Khan Tuman" and e["country"] == "SY" for e in page["items"])
    every = seed_client.get("/api/events", params={"status": "all", "limit": 100}).json()["items"]
    assert len(every) > len(page["items"])
    assert "hypothetical" in {e["status"] for e in every}


@pytest.mark.slow
def test_one_event_has_its_source_and_evidence_span(seed_client):
    first = seed_client.get("/api/events", params={"event_type": "Battles", "limit": 1}).json()["items"][0]
    ev = seed_client.get(f"/api/events/{first['event_id']}").json()
    assert ev["n_sources"] == 1
    src = ev["sources"][0]
    assert src["article_id"] == "trtworld-aleppo-offensive" and src["sentence"] == ev["evidence"]
    text = SEED.read_text(encoding="utf-8")
    assert src["start"] is not None and src["sentence"] in text
    assert seed_client.get("/api/events/no-such-event").status_code == 404


@pytest.mark.slow
def test_page_has_security_headers_and_no_foreign_assets(seed_client):
    r = seed_client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assets = re.findall(r'(?:src|href)="([^"]*)"', r.text)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    assert "access-control-allow-origin" not in seed_client.get(
        "/api/events", headers={"Origin": "https://evil.example"}).headers
    docs = seed_client.get("/docs")
    assert docs.status_code == 200 and "https://" not in docs.text and "<script>" not in docs.text


def test_filters_narrow_and_combine(fake_client):
    allv = fake_client.get("/api/events", params={"limit": MAX_PAGE_SIZE}).json()["items"]
    assert len(allv) > 100
    one = allv[0]
    for params, keep in [
        ({"event_type": one["event_type"]}, lambda e: e["event_type"] == one["event_type"]),
        ({"sub_event_type": one["sub_event_type"]}, lambda e: e["sub_event_type"] == one["sub_event_type"]),
        ({"actor": one["actor1"].upper()[:6]}, lambda e: one["actor1"][:6].lower() in (e["actor1"] or "").lower()),
        ({"admin1": one["admin1"]}, lambda e: e["admin1"] == one["admin1"]),
        ({"min_fatalities": 20}, lambda e: (e["fatalities"] or 0) >= 20),
        ({"since": "2020-06-01", "until": "2020-06-30"}, lambda e: "2020-06-01" <= e["event_date"] <= "2020-06-30"),
        ({"bbox": "36,33,38,35"}, lambda e: 33 <= e["lat"] <= 35 and 36 <= e["lon"] <= 38),
        ({"country": "SYR"}, lambda e: e["country"] == "SY"),
        ({"text": "village1"}, lambda e: "village1" in e["evidence"].lower()),
    ]:
        got = fake_client.get("/api/events", params={**params, "limit": MAX_PAGE_SIZE}).json()["items"]
        want = [e for e in allv if keep(e)]
        assert sorted(e["event_id"] for e in got) == sorted(e["event_id"] for e in want), params
        assert got, params
    none = fake_client.get("/api/events", params={"country": "FR"}).json()["items"]
    assert none == []


def test_like_wildcards_in_text_are_literal(fake_client):
    assert fake_client.get("/api/events", params={"text": "%"}).json()["items"] == []
    assert fake_client.get("/api/events", params={"actor": "_"}).json()["items"] == []


def test_cursor_pagination_walks_every_event_once_in_order(fake_client):
    total = fake_client.get("/api/stats").json()["total"]
    for sort in ("date", "-date", "-fatalities", "fatalities"):
        seen, cursor = [], None
        while True:
            params = {"limit": 37, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = fake_client.get("/api/events", params=params).json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        ids = [e["event_id"] for e in seen]
        assert len(ids) == len(set(ids)) == total, sort
        key = "event_date" if "date" in sort else "fatalities"
        vals = [(e[key] is not None, e[key] if e[key] is not None else 0, e["event_id"]) for e in seen]
        assert vals == sorted(vals, reverse=sort.startswith("-")), sort


def test_bad_input_is_rejected(fake_client):
    for params in [{"limit": MAX_PAGE_SIZE + 1}, {"limit": 0}, {"since": "yesterday"}, {"bbox": "1,2,3"},
                   {"bbox": "40,0,30,10"}, {"country": "Syria!"}, {"status": "maybe"}, {"sort": "actor1"},
                   {"min_fatalities": -1}, {"text": "x" * 1000}]:
        assert fake_client.get("/api/events", params=params).status_code == 422, params
    assert fake_client.get("/api/events", params={"cursor": "not-a-cursor"}).status_code == 400
    assert fake_client.get("/api/events/" + "x" * 200).status_code == 422
    c = fake_client.get("/api/events", params={"limit": 1, "sort": "date"}).json()["next_cursor"]
    assert fake_client.get("/api/events", params={"cursor": c, "sort": "-date"}).status_code == 400


def test_injection_attempts_are_plain_values(fake_client):
    for v in ["' OR 1=1 --", "x\" OR \"1\"=\"1", "'); DROP TABLE events; --"]:
        r = fake_client.get("/api/events", params={"actor": v, "text": v, "admin1": v})
        assert r.status_code == 200 and r.json()["items"] == []
    assert fake_client.get("/api/stats").json()["total"] > 0


def test_stats_actors_places(fake_client):
    st = fake_client.get("/api/stats").json()
    assert st["total"] == sum(d["events"] for d in st["by_day"]) == sum(t["events"] for t in st["by_type"])
    assert st["by_actor"] and st["by_actor"][0]["events"] >= st["by_actor"][-1]["events"]
    narrowed = fake_client.get("/api/stats", params={"event_type": "Protests"}).json()
    assert [t["event_type"] for t in narrowed["by_type"]] == ["Protests"]
    actors = fake_client.get("/api/actors", params={"q": "army"}).json()
    assert [a["name"] for a in actors] == ["Northern Army"] and actors[0]["events"] > 0
    places = fake_client.get("/api/places", params={"limit": 5}).json()
    assert len(places) == 5 and all(p["lat"] is not None for p in places)


def test_downloads_follow_the_filter(fake_client):
    params = {"event_type": "Protests"}
    n = fake_client.get("/api/stats", params=params).json()["total"]
    r = fake_client.get("/api/events.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers[TRUNCATED_HEADER] == "false"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == n and {x["event_type"] for x in rows} == {"Protests"}
    assert list(rows[0])[:2] == ["event_id_cnty", "event_date"] and list(rows[0])[-1] == "status"
    gj = json.loads(fake_client.get("/api/events.geojson", params=params).text)
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == n
    assert gj["features"][0]["geometry"]["type"] == "Point"


def test_posting_articles_needs_the_token(fake_client):
    body = {"articles": [{"id": "posted-1", "text": "On 2021-03-04, Valley Militia attacked Zedtown, killing 3."}]}
    assert fake_client.post("/api/articles", json=body).status_code == 401
    assert fake_client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert fake_client.post("/api/articles", json={"articles": []}, headers=auth).status_code == 422
    assert fake_client.post("/api/articles", json={"articles": [{"id": "x", "text": "t", "evil": 1}]},
                            headers=auth).status_code == 422
    r = fake_client.post("/api/articles", json=body, headers=auth)
    assert r.status_code == 200 and r.json()["ingested"] == 1 and r.json()["events"] == 1
    got = fake_client.get("/api/events", params={"text": "zedtown"}).json()["items"]
    assert [e["location"] for e in got] == ["Zedtown"]


def test_a_repeated_query_sees_what_another_process_ingested(tmp_path):
    """Pages of identical queries are reused until the database changes (PRAGMA data_version): "the map reloads
    Syria's latest events" must show the article `flashpoint ingest` stored a minute ago, not the cached page."""
    db = str(tmp_path / "cache.db")
    ingest(synthetic_articles(5, seed=3), db, extractor=FAKE, embedder=None)
    params = {"text": "zzcached", "limit": 10}
    with TestClient(create_app(db)) as client:
        first = client.get("/api/events", params=params)
        assert first.json()["items"] == [] and client.get("/api/events", params=params).content == first.content
        art = Article(id="late-1", text="On 2021-03-04, Valley Militia attacked Zedtown zzcached, killing 3.")
        assert ingest([art], db, extractor=FAKE, embedder=None).events == 1  # its own connection, as a CLI would
        got = client.get("/api/events", params=params).json()["items"]
        assert [e["location"] for e in got] == ["Zedtown"]


def test_data_version_changes_only_on_commits(tmp_path):
    from flashpoint.store.db import Store
    from flashpoint.web.cache import DataVersion

    db = str(tmp_path / "v.db")
    ingest(synthetic_articles(2, seed=4), db, extractor=FAKE, embedder=None)
    with Store(db, read_only=True) as store:
        version = DataVersion(store)
        v0 = version.current()
        assert isinstance(v0, int) and version.current() == v0  # reading changes nothing
        ingest(synthetic_articles(2, seed=5), db, extractor=FAKE, embedder=None)
        assert version.current() != v0
        version.close()


def test_without_token_there_is_no_write_endpoint(tmp_path):
    with TestClient(create_app(str(tmp_path / "empty.db"))) as client:
        r = client.post("/api/articles", json={"articles": [{"id": "a", "text": "b"}]},
                        headers={"Authorization": "Bearer anything"})
        assert r.status_code in (404, 405)
        assert client.get("/api/events").json()["items"] == []


def test_cors_is_closed_unless_origins_are_given(tmp_path):
    db = str(tmp_path / "c.db")
    with TestClient(create_app(db)) as closed, TestClient(create_app(db, cors_origins=["http://a.example"])) as op:
        h = {"Origin": "http://a.example"}
        assert "access-control-allow-origin" not in closed.get("/api/events", headers=h).headers
        assert op.get("/api/events", headers=h).headers["access-control-allow-origin"] == "http://a.example"


class _Scripts(HTMLParser):
    """The <script> elements of a page as the browser's tokenizer splits them (raw text up to </script)."""

    def __init__(self):
        super().__init__()
        self.scripts, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = [dict(attrs), ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append(tuple(self._open))
            self._open = None


HOSTILE_TEXT = "</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> \u2028 & </SCRIPT >"


def test_one_file_map_keeps_hostile_text_inside_its_json():
    from flashpoint.web.onefile import build_html

    rows = [{"event_id": "e1", "event_date": "2020-01-02", "lat": 36.2, "lon": 37.1, "evidence": HOSTILE_TEXT,
             "sources": [{"article_id": "a", "title": HOSTILE_TEXT, "url": "javascript:alert(3)"}]}]
    page = build_html(rows, title="</title><script>alert(4)</script>")
    p = _Scripts()
    p.feed(page)
    kinds = [(a.get("type"), a.get("id")) for a, _ in p.scripts]
    assert kinds == [("application/json", "fp-data"), ("application/json", "fp-world"),
                     ("application/json", "fp-admin1"), (None, None)]
    assert json.loads(p.scripts[0][1]) == {"events": rows}
    assert json.loads(p.scripts[2][1])["objects"]["admin1"]["type"] == "MultiLineString"
    assert "<script>alert" not in page and "<title>&lt;/title&gt;" in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    digest = base64.b64encode(hashlib.sha256(p.scripts[3][1].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "connect-src" not in csp and "default-src 'none'" in csp


def _topojson_points(topo: dict) -> list[tuple[float, float]]:
    """Every (lon, lat) of a quantized TopoJSON's arcs (delta-encoded integers + transform)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        for dx, dy in arc:
            x, y = x + dx, y + dy
            out.append((x * sx + tx, y * sy + ty))
    return out


def test_admin1_borders_are_served_with_the_basemap(seed_client):
    """The offline basemap has first-level borders (Natural Earth admin-1): "a province-level ring" means little
    without the provinces. Syria's governorate lines (Aleppo / Idlib / Raqqa ...) lie inside Syria's box."""
    r = seed_client.get("/static/admin1.json")
    assert r.status_code == 200
    topo = r.json()
    assert topo["type"] == "Topology" and topo["objects"]["admin1"]["type"] == "MultiLineString"
    pts = _topojson_points(topo)
    in_syria = [p for p in pts if 35.7 < p[0] < 42.4 and 32.3 < p[1] < 37.3]
    assert len(in_syria) > 50
    assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in pts)


def test_paragraph_of_an_evidence_sentence():
    from flashpoint.web.onefile import paragraph

    text = "Title\n\nFirst para. The town was shelled. More.\n\nOther para."
    got = paragraph(text, text.index("The town"), "The town was shelled.")
    assert got["text"] == "First para. The town was shelled. More."
    assert got["text"][got["start"]:got["end"]] == "The town was shelled."
    assert paragraph(text, 0, "The town was shelled.")["start"] == 12  # a wrong offset: found by text
    assert paragraph(text, None, "not in the text") is None


def test_map_command_writes_one_file_from_articles_and_from_a_store(tmp_path):
    src = tmp_path / "in.jsonl"
    arts = [{"id": "m1", "text": "Intro.\n\nOn 2021-03-04, Valley Militia attacked Zedtown, killing 3 people.\n\nEnd."},
            {"id": "m2", "text": "On 2021-03-05, Northern Army shelled Ytown."}]
    src.write_text("".join(json.dumps(a) + "\n" for a in arts), encoding="utf-8")
    out = tmp_path / "sub" / "map.html"
    r = runner.invoke(cli_app, ["map", str(src), "-o", str(out), "--extractor", FAKE])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == str(out.resolve())
    p = _Scripts()
    p.feed(out.read_text(encoding="utf-8"))
    events = json.loads(p.scripts[0][1])["events"]
    assert sorted(e["location"] for e in events) == ["Ytown", "Zedtown"]
    z = next(e for e in events if e["location"] == "Zedtown")
    para = z["sources"][0]["paragraph"]
    assert para["text"].startswith("On 2021-03-04") and para["text"][para["start"]:para["end"]] == z["evidence"]
    db = tmp_path / "s.db"
    ingest([str(src)], str(db), extractor=FAKE, embedder=None)
    r = runner.invoke(cli_app, ["map", "--db", str(db), "-o", str(tmp_path / "db.html")])
    assert r.exit_code == 0 and "2 events" in r.output
    r = runner.invoke(cli_app, ["map", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 1 and not (tmp_path / "none.db").exists()
    r = runner.invoke(cli_app, ["serve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and not (tmp_path / "none.db").exists()


def test_a_new_store_has_the_web_filter_indexes(tmp_path):
    import sqlalchemy as sa

    from flashpoint.store.db import Store

    with Store(tmp_path / "i.db") as store:
        names = {ix["name"] for ix in sa.inspect(store.engine).get_indexes("events")}
    assert {"ix_web_canonical_filter", "ix_web_country_filter"} <= names
