import io
import json

from flashpoint.ingest import IngestError, read_inputs
from flashpoint.ingest.readers import read_stream
from flashpoint.model import Article


def _split(items):
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, IngestError)]
    return arts, errs


def test_txt_title_and_body(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Clashes in Idlib\n\nRebels attacked an army post on Monday.\n", encoding="utf-8")
    (art,), errs = _split(list(read_inputs([str(p)])))
    assert not errs
    assert art.id == "a" and art.title == "Clashes in Idlib"
    assert "Rebels attacked" in art.text


def test_bad_items_are_errors_and_batch_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x7fELF\x00\x00\x01binary")
    lines = [json.dumps({"id": "ok1", "text": "Gunmen killed two men.", "published": "2020-01-02"}),
             "{not json", json.dumps({"id": "nt"}), json.dumps(["list"]),
             json.dumps({"id": "bad-date", "text": "x", "published": "yesterday"}),
             json.dumps({"id": "ok2", "text": "Protesters rallied in Baghdad."})]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, errs = _split(list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")])))
    assert [a.id for a in arts] == ["ok1", "ok2"]
    assert str(arts[0].published) == "2020-01-02"
    msgs = " | ".join(str(e) for e in errs)
    assert "empty input" in msgs and "binary" in msgs and "malformed JSON" in msgs
    assert "missing or empty 'text'" in msgs and "expected a JSON object" in msgs
    assert "bad 'published'" in msgs and "no such file" in msgs
    assert any(e.item.endswith("batch.jsonl:2") for e in errs)


def test_html_main_text(tmp_path):
    html = ("<html><head><title>Strike hits market</title></head><body><nav>Home | World</nav>"
            "<article><h1>Strike hits market</h1><p>" + "An air strike hit a crowded market in Idlib on "
            "Sunday, killing at least 12 civilians, a monitor said. " * 3 + "</p></article>"
            "<footer>Copyright</footer></body></html>")
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    (art,), errs = _split(list(read_inputs([str(p)])))
    assert not errs
    assert "killing at least 12 civilians" in art.text
    assert "Copyright" not in art.text


def test_stdin_plain_and_jsonl():
    (a,), _ = _split(list(read_stream(io.BytesIO(b"Troops shelled the village."))))
    assert a.text.startswith("Troops")
    arts, errs = _split(list(read_stream(io.BytesIO(b'{"id":"x","text":"t1"}\n{"id":"y","text":"t2"}\n'))))
    assert [x.id for x in arts] == ["x", "y"] and not errs


def test_content_hash_ignores_whitespace():
    a = Article(id="1", text="Rebels  attacked\nthe town.")
    b = Article(id="2", text="Rebels attacked the town. ")
    assert a.content_hash == b.content_hash
    assert a.content_hash != Article(id="3", text="Rebels attacked the city.").content_hash


def test_empty_text_is_an_empty_report_with_a_warning_not_a_failure(tmp_path):
    """#13: '"text": ""' is an article with nothing to report; a record without any text stays an error (#12)."""
    lines = [json.dumps({"id": "blank", "text": ""}), json.dumps({"id": "spaces", "text": "  \n "}),
             json.dumps({"id": "none"}), json.dumps({"id": "ok", "text": "Gunmen killed two men."})]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, errs = _split(list(read_inputs([str(tmp_path / "b.jsonl")])))
    assert [a.id for a in arts] == ["blank", "spaces", "ok"]
    assert all(any("empty 'text'" in w for w in a.read_warnings) for a in arts[:2]) and not arts[2].read_warnings
    assert len(errs) == 1 and "missing or empty 'text'" in errs[0].message and errs[0].item.endswith(":3")
