"""Embeddings + learned event classifier (ACLED sub-types, PLOVER heads)."""
import json

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")


@pytest.fixture(scope="module")
def clf():
    from flashpoint.events.classify import get_classifier

    return get_classifier()


def test_embed_shape_and_norm():
    from flashpoint.nlp.embed import embed

    X = embed(["Warplanes bombed the town overnight.", "", "A second sentence about the weather."])
    assert X.shape == (3, 384)
    assert X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-4)
    assert embed([]).shape == (0, 384)


def test_embed_similarity_sanity():
    from flashpoint.nlp.embed import embed

    a, b, c = embed([
        "Government aircraft bombed a market in the town, killing twelve people.",
        "An air raid on the village market left a dozen civilians dead.",
        "The national football team won the cup final on penalties.",
    ])
    assert a @ b > a @ c + 0.2
    # batch composition must not change a sentence's vector (padding is masked)
    solo = embed(["An air raid on the village market left a dozen civilians dead."])[0]
    assert np.allclose(solo, b, atol=1e-3)


@pytest.mark.parametrize("text,expected", [
    ("A drone strike hit a car carrying two commanders near the town on Tuesday.", "Air/drone strike"),
    ("Warplanes bombed residential areas of the city overnight, killing nine people.", "Air/drone strike"),
    ("A suicide bomber blew himself up at a crowded checkpoint, killing 14 people.", "Suicide bomb"),
    ("Hundreds of teachers marched peacefully to the ministry to demand unpaid wages.", "Peaceful protest"),
    ("Gunmen kidnapped 30 students from a boarding school overnight.", "Abduction/forced disappearance"),
    ("A roadside bomb struck a military patrol, killing three soldiers.", "Remote explosive/landmine/IED"),
])
def test_obvious_subtypes(clf, text, expected):
    p = clf.predict([text])[0]
    assert p["sub_event_type"] == expected
    assert p["event_type"] is not None
    assert abs(sum(p["scores"].values()) - 1.0) < 1e-2


@pytest.mark.parametrize("text", [
    "Manchester United beat Chelsea 3-1 in the Premier League on Saturday.",
    "The central bank left interest rates unchanged at its monthly meeting.",
    "A powerful earthquake damaged hundreds of homes in the mountain villages.",
])
def test_non_events(clf, text):
    p = clf.predict([text])[0]
    assert p["sub_event_type"] is None
    assert p["event_type"] is None


def test_predict_plover_shape(clf):
    out = clf.predict_plover(["Thousands of workers went on strike to demand higher wages.",
                              "Troops fired artillery at rebel positions outside the city."])
    assert [o["plover_type"] for o in out] == ["PROTEST", "ASSAULT"]
    for o in out:
        assert set(o) >= {"plover_type", "plover_mode", "scores"}
        if o["plover_mode"] is not None:
            assert o["plover_mode"] in clf.type_modes[o["plover_type"]]


def test_classify_records_shape():
    from flashpoint.events.classify import classify_records

    recs = [{"id": "a", "text": "Rebels seized control of the town after government troops withdrew."},
            {"id": "b", "text": "The football club signed a new striker."},
            {"id": "c", "sentence": "Police fired tear gas to disperse protesters in the capital."}]
    rows = list(classify_records(iter(recs), batch_size=2))
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    for r in rows:
        assert set(r) == {"id", "event_type", "sub_event_type", "scores"}
        json.dumps(r)
    assert rows[1]["sub_event_type"] is None and rows[1]["event_type"] is None
    assert rows[0]["event_type"] == "Battles"


def test_ngec_split_is_fixed():
    from flashpoint.events.classify import ngec_is_heldout

    ids = [f"Headline number {i}" for i in range(4500)]
    share = sum(map(ngec_is_heldout, ids)) / len(ids)
    assert 0.17 < share < 0.23
    assert ngec_is_heldout(ids[0]) == ngec_is_heldout(ids[0])


def test_story_features_whole_story(clf):
    from flashpoint.events.classify import split_sentences

    story = ("Government Warplanes Strike Rebel-Held Town\n"
             "Aircraft bombed the market on Monday. Medics said 12 people were killed. "
             "Residents fled to nearby villages.")
    assert len(split_sentences(story)) == 4
    F = clf.story_features([story, "Aircraft bombed the market on Monday."])
    assert F.shape == (2, clf.W["type_W"].shape[1])
    # a one-sentence text repeats its embedding in the first/mean blocks
    assert np.allclose(F[1, :384], F[1, 384:768], atol=1e-4)
    out = clf.predict_plover([story])
    assert out[0]["plover_type"] == "ASSAULT"
    # passing per-text sentence embeddings gives the same answer as letting it embed
    X = clf.embed([story])
    assert clf.predict_plover([story], X=X)[0]["plover_type"] == "ASSAULT"


def test_refine_territory():
    from flashpoint.events.classify import refine_territory

    assert refine_territory("Non-state actor overtakes territory", True) == "Government regains territory"
    assert refine_territory("Government regains territory", False) == "Non-state actor overtakes territory"
    assert refine_territory("Government regains territory", None) == "Government regains territory"
    assert refine_territory("Armed clash", True) == "Armed clash"


def test_plover_consistent_with_acled():
    from flashpoint.events.classify import classify_records, consistent_plover

    acled = {"sub_event_type": "Air/drone strike", "confidence": 0.9}
    q = consistent_plover(acled, {"plover_type": "COERCE", "plover_mode": "arrest"})
    assert (q["plover_type"], q["plover_mode"]) == ("ASSAULT", "aerial")
    weak = {"sub_event_type": "Air/drone strike", "confidence": 0.2}
    assert consistent_plover(weak, {"plover_type": "THREATEN", "plover_mode": None})["plover_type"] == "THREATEN"
    assert consistent_plover({"sub_event_type": None, "confidence": 0.9},
                             {"plover_type": "CONSULT", "plover_mode": None})["plover_type"] == "CONSULT"
    rows = list(classify_records([{"id": 1, "text": "A drone strike hit a car carrying two commanders near the town."}],
                                 plover=True))
    assert rows[0]["sub_event_type"] == "Air/drone strike"
    assert (rows[0]["plover_type"], rows[0]["plover_mode"]) == ("ASSAULT", "aerial")


def test_headline_tfidf_matches_sklearn():
    """The numpy re-implementation of char_wb TF-IDF equals scikit-learn's (used at training)."""
    sk = pytest.importorskip("sklearn.feature_extraction.text")
    from flashpoint.events.classify import HeadlineTfidf, headline_char_ngrams

    docs = ["Rebels Quit Peace Talks", "Police  arrest 20 in  crackdown", "Ceasefire holds in the north",
            "Rebels free hostages", "Talks on the ceasefire resume"]
    v = sk.TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1).fit(docs)
    assert sorted(headline_char_ngrams(docs[1])) == sorted(v.build_analyzer()(docs[1]))
    vocab = sorted(v.vocabulary_, key=v.vocabulary_.get)
    mine = HeadlineTfidf(vocab, v.idf_).transform(docs + ["unseen zzz words"]).toarray()
    ref = v.transform(docs + ["unseen zzz words"]).toarray()
    assert np.allclose(mine, ref, atol=1e-5)


def test_own_plover_examples_cover_all_types():
    from flashpoint.events.classify import load_plover_examples

    rows = load_plover_examples()
    if not rows:
        pytest.skip("training/plover not present (not a source checkout)")
    by_type = {}
    for r in rows:
        by_type[r["plover_event"]] = by_type.get(r["plover_event"], 0) + 1
    assert len(by_type) == 16
    assert min(by_type.values()) >= 20
    assert len({r["text"] for r in rows}) == len(rows)  # no duplicates


@pytest.mark.parametrize("headline,expected", [
    ("Opposition figures hold talks with the president in the capital", "CONSULT"),
    ("Court sentences former governor to 15 years in prison", "SANCTION"),
    ("Militants threaten to attack oil installations", "THREATEN"),
    ("Government rejects opposition demand for early vote", "REJECT"),
])
def test_plover_headlines(clf, headline, expected):
    assert clf.predict_plover([headline])[0]["plover_type"] == expected


def test_plover_acled_block(clf):
    """The PLOVER heads see the ACLED head's sub-type probabilities of the headline (last feature block)."""
    from flashpoint.events.classify import acled_block

    assert clf.acled_scale > 0
    F = clf.story_features(["Warplanes bombed the town, killing 12 civilians"])
    k = len(clf.sub_labels)
    assert F.shape[1] == clf.W["type_W"].shape[1]
    start = 2 * 384 + 2 * len(clf.plover_cues)  # after [headline, body mean] and the cue block
    block = F[0, start:start + k]
    assert np.isclose(block.sum(), clf.acled_scale, atol=1e-4)
    assert clf.sub_labels[int(block.argmax())] == "Air/drone strike"
    ref = acled_block(F[:, :384], clf.W["sub_W"], clf.W["sub_b"], clf.acled_scale)
    assert np.allclose(ref, F[:, start:start + k], atol=1e-5)


def test_plover_cues_follow_codebook():
    """Cue words sit under the category reference/plover.md gives them (releases and resignations are
    RETREAT, bans COERCE)."""
    from flashpoint.events.classify import load_plover_cues

    pats = dict(zip(sorted(["ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
                            "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT",
                            "THREATEN"]), load_plover_cues()))
    assert pats["RETREAT"].search("Rebels release hostages") and not pats["CONCEDE"].search("Rebels release hostages")
    assert pats["RETREAT"].search("Defence minister resigns")
    assert pats["COERCE"].search("Government bans opposition party")
    assert not pats["SANCTION"].search("Government bans opposition party")
    assert pats["SANCTION"].search("Leader ejects international observers")


def test_fine_ensemble():
    """beta 0 keeps the type head's ranking; the type|mode head summed per type can overturn a close call."""
    from flashpoint.events.classify import _softmax, fine_ensemble

    LT = np.array([[2.0, 1.9, -1.0]])
    LF = np.array([[-5.0, 4.0, 3.0, -5.0]])  # fine labels of types 0, 1, 1, 2
    f2t = np.array([0, 1, 1, 2])
    assert fine_ensemble(LT, LF, f2t, 0.0).argmax() == 0
    mixed = fine_ensemble(LT, LF, f2t, 0.5)
    assert mixed.argmax() == 1
    assert np.isclose(_softmax(mixed).sum(), 1.0)


def test_shipped_fine_head(clf):
    assert clf.fine_beta > 0
    assert clf.W["fine_W"].shape[0] == len(clf.meta["plover_fine"]) == len(clf.fine_to_type)
    assert set(clf.fine_to_type.tolist()) == set(range(len(clf.plover_types)))


def test_sentence_case():
    from flashpoint.events.classify import sentence_case

    assert sentence_case("Country Threatens to Ban Opposition Parties") == "Country threatens to ban opposition parties"
    assert sentence_case("UN Envoy Meets Rebel Leaders") == "UN envoy meets rebel leaders"  # acronyms kept
    assert sentence_case("Rebels release 12 hostages") == "Rebels release 12 hostages"  # not title case


def test_predicate_cue_features():
    """The headline's main verb and its complement verb get their own cue-class blocks, so an argument noun
    ("sanctions" after "warns of") does not count as the predicate."""
    from flashpoint.events.classify import headline_predicates, load_plover_cues, predicate_cue_features

    types = sorted(["ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
                    "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN"])
    pats = load_plover_cues()
    heads = ["Country Warns Neighbour of New Sanctions", "Government threatens to ban opposition party",
             "Rebels pull out of the northern town"]
    P = headline_predicates(heads)
    assert [k for k, _ in P[1]] == ["root", "comp"]
    F = predicate_cue_features(heads, pats, 0.6)
    n = len(pats)
    assert F.shape == (3, 2 * n)
    root = [{types[j] for j in np.flatnonzero(F[i, :n])} for i in range(3)]
    comp = [{types[j] for j in np.flatnonzero(F[i, n:])} for i in range(3)]
    assert "THREATEN" in root[0] and "SANCTION" not in root[0]
    assert "THREATEN" in root[1] and "COERCE" in comp[1]
    assert "RETREAT" in root[2]
    assert np.isclose(F.max(), 0.6)


def test_shipped_parse_block(clf):
    assert clf.parse_scale > 0
    F = clf.story_features(["Government threatens to ban opposition party"])
    assert F.shape[1] == clf.W["type_W"].shape[1] == 2 * 384 + 4 * len(clf.plover_cues) + len(clf.sub_labels)


def test_own_plover_examples_batches():
    """Own examples carry their batch (1 = written after reading CV errors, 2 = later phrasings), used by
    cv_plover(own_batch2_only=True) for a less optimistic CV."""
    from flashpoint.events.classify import load_plover_examples

    rows = load_plover_examples()
    if not rows:
        pytest.skip("training/plover not present (not a source checkout)")
    batches = [r["batch"] for r in rows]
    assert set(batches) == {1, 2}
    assert batches == sorted(batches)  # batch 1 first in the file
    assert len({r["plover_event"] for r in rows if r["batch"] == 2}) == 16
