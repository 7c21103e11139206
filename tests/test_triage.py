from flashpoint.nlp.triage import reduce_text, split_sentences

TEXT = ("Clashes near Idlib\n\n"
        "The weather was mild on Sunday. Markets opened as usual in the old city. "
        "Government troops shelled the village of Kafr Nabl, killing three civilians. "
        "Lt. Col. Ahmed spoke to reporters. "
        "\"We will return,\" a resident said.\n"
        "Football fans celebrated the cup final.")


def test_split_sentences_respects_newlines_and_abbreviations():
    sents = [TEXT[s:e] for s, e in split_sentences(TEXT)]
    assert sents[0] == "Clashes near Idlib"
    assert "Lt. Col. Ahmed spoke to reporters." in sents
    assert sents[-1] == "Football fans celebrated the cup final."
    assert all(s == s.strip() and s for s in sents)


def test_reduce_keeps_event_sentences_and_maps_offsets_back():
    reduced, offsets, frac = reduce_text(TEXT)
    assert "shelled the village" in reduced and "We will return" in reduced
    assert "Markets opened" not in reduced and "Football fans" not in reduced
    assert 0 < frac < 1
    for needle in ("Kafr Nabl", "three civilians", "We will return", "Clashes near Idlib"):
        i = reduced.index(needle)
        s, e = offsets(i), offsets(i + len(needle), is_end=True)
        assert TEXT[s:e] == needle


def test_reduce_is_identity_when_everything_is_kept():
    text = "Rebels attacked an army post. Two soldiers were killed."
    reduced, offsets, frac = reduce_text(text)
    assert reduced == text and frac == 1.0 and offsets.identity


# --- fp_fast_attrs: cached attribute_ruler + lemmatizer must annotate exactly like the model's components ---

TRICKY = ("There is no water. There are 3 dead, aren't there? Let's go, y'all, we're gonna win, ain't it? "
          "I got ta see it. C'mon! Nothin' left.  \n\n  Double  spaces\tand tabs. He did it; did he? I have.")


def _annotations(doc):
    return [(t.text, t.tag_, t.dep_, t.pos_, str(t.morph), t.lemma_, t.head.i) for t in doc]


_MODELS: dict = {}


def _models():
    """The model as shipped and a copy with fp_fast_attrs, loaded once for this module."""
    if not _MODELS:
        import spacy

        from flashpoint.nlp import fastattrs, model_name

        _MODELS["ref"], _MODELS["fast"] = spacy.load(model_name()), spacy.load(model_name())
        assert fastattrs.install(_MODELS["fast"])
    return _MODELS["ref"], _MODELS["fast"]


def _compare(texts):
    ref, fast = _models()
    assert "fp_fast_attrs" in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    for a, b in zip(ref.pipe(texts), fast.pipe(texts)):
        assert _annotations(a) == _annotations(b)
        assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
    comp = fast.get_pipe("fp_fast_attrs")
    assert comp.cache  # keys were learned
    for a, b in zip(ref.pipe(texts), fast.pipe(texts)):  # second pass: from the cache
        assert _annotations(a) == _annotations(b)


def test_fast_attrs_equal_the_model_components(seed_text):
    _compare([seed_text, TRICKY, "", "Let's", "there is"])


def test_fast_attrs_equal_on_fakes_articles(shared_data):
    import json

    texts = []
    with open(shared_data / "fakes_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) >= 25:
                break
    _compare(texts)


def test_load_nlp_uses_fast_attrs(nlp):
    from flashpoint.nlp import fastattrs

    if fastattrs.enabled():
        assert "fp_fast_attrs" in nlp.pipe_names
        assert nlp.pipe_names.index("fp_fast_attrs") < nlp.pipe_names.index("fp_toponyms")
