"""Hard-wrapped text is unwrapped before spaCy (issue #13 item 2), on invented wire copy."""
from flashpoint.model import Article
from flashpoint.nlp import linebreaks

WRAPPED = ("THE POLICE SAID THAT THREE MEN ARMED WITH RIFLES KIDNAPPED A\n"
           "TRADE UNION LEADER IN THE TOWN OF SAN PEDRO YESTERDAY.  THE MEN\n"
           "TOOK HIM TO AN UNKNOWN PLACE IN A RED CAR, WITNESSES SAID.\n"
           "\n"
           "   IN ANOTHER INCIDENT, A BOMB EXPLODED OUTSIDE A BANK IN THE\n"
           "CAPITAL LAST NIGHT, CAUSING HEAVY DAMAGE BUT NO CASUALTIES.")


def test_wrapped_lines_become_one_paragraph_of_the_same_length():
    out = linebreaks.unwrap(WRAPPED)
    assert len(out) == len(WRAPPED)
    assert "KIDNAPPED A TRADE UNION LEADER" in out and "THE MEN TOOK HIM" in out
    assert "WITNESSES SAID.\n\n   IN ANOTHER" in out  # the paragraph break and its indent are kept
    assert "\n" not in out.split("\n\n")[1]


def test_unwrapped_prose_and_short_lines_are_left_alone():
    prose = ("Syrian troops took the town on Monday.\nRebels said they had withdrawn.\n"
             "A car bomb killed five people in the market on Tuesday, the monitor said.")
    assert linebreaks.unwrap(prose) == prose
    headline = "Car bomb kills five\n" + WRAPPED
    assert linebreaks.unwrap(headline).startswith("Car bomb kills five\nTHE POLICE SAID")


def test_a_sentence_across_a_line_break_gives_its_event(pipeline):
    r = pipeline.extract(Article(id="wrapped", text=WRAPPED))
    kidnap = [e for e in r.events if e.sub_event_type == "Abduction/forced disappearance"]
    assert kidnap and kidnap[0].status == "reported", r.events
    # the spans keep the article's own characters, its line break included
    assert "KIDNAPPED A\nTRADE UNION LEADER" in kidnap[0].evidence.text
