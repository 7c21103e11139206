"""Property-based tests (issue #12, item 3): hypothesis strategies for article text, JSONL lines and raw bytes
against the readers, ``extract`` and ``geoparse``. No input may crash, hang or lose an item: every non-blank JSONL
line gives exactly one item naming its line, every string that comes out encodes as UTF-8, every evidence span
points into the article text.

Profiles: ``readers-ci`` (default; a few hundred cases per test, derandomized so CI is stable) and ``fuzz`` (10,000 cases
per test, random; ``FUZZ_EXAMPLES=N`` for another count): ``make fuzz`` or
``HYPOTHESIS_PROFILE=fuzz pytest tests/test_readers_fuzz.py``.
Every crash found becomes a regression test in tests/test_readers_hardening.py.
"""
from __future__ import annotations

import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashpoint.ingest import IngestError, read_inputs
from flashpoint.ingest.limits import scrub
from flashpoint.ingest.readers import read_jsonl, read_stream
from flashpoint.model import Article

_COMMON = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.function_scoped_fixture])
settings.register_profile("readers-ci", max_examples=2000, derandomize=True, **_COMMON)  # 4 x 2,000 + 2 x 1,000 = 10,000 in CI
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10000")), **_COMMON)
PROFILE = "fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "readers-ci"
SPACY_EXAMPLES_CI = 1000  # extract/geoparse load spaCy per case: fewer cases in CI, all of them under `make fuzz`


def fuzz(spacy: bool = False):
    base = settings.get_profile(PROFILE)
    if spacy and PROFILE == "readers-ci":
        return settings(base, max_examples=SPACY_EXAMPLES_CI)
    return settings(base)


# --- strategies -------------------------------------------------------------------------------------------------

SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])
ANY_CHAR = st.one_of(st.characters(codec=None), SURROGATES, st.sampled_from("\n\r\t\x00\u2028\u2029\x85\x0b\ufeff"))
WORDS = ("Rebels attacked killed shelled troops army police Idlib Aleppo Kabul Mosul Raqsa said denied claimed "
         "on Monday 12 three civilians wounded protesters rallied gunmen near km north of the in a and \" ' "
         "( ) - , . ; : ! ? 1,000 2015-10-27 ISIS al-Qaeda killed killed ALL CAPS WERE KILLED").split()
NEWS_TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(ANY_CHAR, max_size=8)), max_size=120).map(" ".join)
ARTICLE_TEXT = st.one_of(st.text(ANY_CHAR, max_size=400), NEWS_TEXT)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(ANY_CHAR))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                                st.dictionaries(st.text(max_size=5), kids,
                                                                                max_size=4)), max_leaves=12)
RECORDS = st.fixed_dictionaries({"text": ARTICLE_TEXT}, optional={
    "id": st.one_of(st.text(ANY_CHAR, max_size=20), st.integers(), JSON_VALUES),
    "title": st.one_of(st.text(ANY_CHAR, max_size=40), JSON_VALUES),
    "published": st.one_of(st.dates().map(str), st.text(max_size=12), JSON_VALUES),
    "url": st.text(max_size=30), "source": st.text(max_size=30)})
# one JSONL line: a record, any JSON value, or any text; never containing "\n" (json.dumps escapes it)
JSONL_LINE = st.one_of(
    RECORDS.map(lambda r: json.dumps(r, ensure_ascii=True)),
    RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False)),
    JSON_VALUES.map(json.dumps),
    st.text(ANY_CHAR, max_size=60).map(lambda s: s.replace("\n", " ").replace("\x00", " ")),
)


def _encodable(item) -> None:
    """Every string a reader hands on can be written as UTF-8 JSON."""
    obj = item.model_dump(mode="json") if isinstance(item, Article) else str(item)
    json.dumps(obj, ensure_ascii=False).encode("utf-8")
    if isinstance(item, Article):
        for w in getattr(item, "read_warnings", ()):
            w.encode("utf-8")


def _line_bytes(line: str) -> bytes:
    return line.encode("utf-8", errors="surrogatepass")


# --- readers ----------------------------------------------------------------------------------------------------

@fuzz()
@given(st.lists(JSONL_LINE, max_size=12))
def test_jsonl_one_item_per_line(lines):
    data = b"\n".join(_line_bytes(ln) for ln in lines) + b"\n"
    items = list(read_jsonl(io.BytesIO(data), "f.jsonl"))
    for item in items:
        _encodable(item)
    raw_lines = data.split(b"\n")
    raw_lines[0] = raw_lines[0].removeprefix(b"\xef\xbb\xbf")
    numbered = [no for no, raw in enumerate(raw_lines, 1) if raw.strip()]
    file_level = [i for i in items if isinstance(i, IngestError) and i.item == "f.jsonl"]
    if file_level:  # no lines, or the whole file refused (binary data): one error
        assert len(items) == 1
        return
    assert len(items) == len(numbered)
    for no, item in zip(numbered, items):
        if isinstance(item, IngestError):
            assert item.item == f"f.jsonl:{no}"


@fuzz()
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".jsonl", ".json", ".csv", ".tsv", ".md"]))
def test_any_bytes_any_file(tmp_path_factory, data, suffix):
    p = tmp_path_factory.mktemp("fz") / f"in{suffix}"
    p.write_bytes(data)
    items = list(read_inputs([str(p)]))
    assert items
    for item in items:
        assert isinstance(item, (Article, IngestError))
        _encodable(item)


@fuzz()
@given(st.one_of(st.binary(max_size=3000), st.lists(JSONL_LINE, max_size=8).map(
    lambda ls: b"\n".join(_line_bytes(x) for x in ls)), ARTICLE_TEXT.map(_line_bytes)))
def test_any_bytes_on_stdin(data):
    items = list(read_stream(io.BytesIO(data)))
    assert items
    for item in items:
        assert isinstance(item, (Article, IngestError))
        _encodable(item)


@fuzz()
@given(st.lists(st.lists(st.text(ANY_CHAR, max_size=30), min_size=1, max_size=4), max_size=8))
def test_csv_rows(tmp_path_factory, rows):
    import csv

    p = tmp_path_factory.mktemp("fz") / "in.csv"
    with open(p, "w", encoding="utf-8", errors="surrogatepass", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows(rows)
    items = list(read_inputs([str(p)]))
    assert items
    for item in items:
        _encodable(item)


# --- extract and geoparse on arbitrary text ------------------------------------------------------------------------

@pytest.mark.slow
@fuzz(spacy=True)
@given(ARTICLE_TEXT, st.one_of(st.none(), st.text(ANY_CHAR, max_size=30)))
def test_extract_any_text(pipeline, text, title):
    art = Article(id="fz", text=text, title=title)
    rep = pipeline.extract(art)
    assert rep.id == "fz" and not rep.failures, rep.failures
    json.dumps(rep.to_json_dict(), ensure_ascii=False).encode("utf-8")
    parsed = scrub(text)[0]  # the pipeline's guard replaces lone surrogates and NUL, one character for one
    for group in (rep.events, rep.quotes, rep.claims, rep.relations):
        for item in group:
            ev = item.evidence
            if ev is not None:
                assert 0 <= ev.start <= ev.end <= len(text) and parsed[ev.start:ev.end] == ev.text


@pytest.mark.slow
@fuzz(spacy=True)
@given(ARTICLE_TEXT)
def test_geoparse_any_text(text):
    from flashpoint.geo.cli_api import geoparse_records

    (out,) = list(geoparse_records([{"id": "g", "text": text}]))
    json.dumps(out, ensure_ascii=False).encode("utf-8")
    for t in out["toponyms"]:
        assert 0 <= t["start"] <= t["end"] <= len(text)
