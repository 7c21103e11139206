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
