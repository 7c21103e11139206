"""Hard-wrapped text unwrapped before spaCy (issue #13 item 2).

Wire copy, radio transcripts, e-mails and text taken from PDFs are often wrapped at a fixed width:

    THE POLICE SAID THAT THREE MEN ARMED WITH RIFLES KIDNAPPED A
    TRADE UNION LEADER IN THE TOWN YESTERDAY.

The pipeline reads a line break as the end of a sentence (headlines and captions have no final period), so every
line of such a text became a sentence of its own: "TRADE UNION LEADER IN THE TOWN YESTERDAY." has no verb, and
"KIDNAPPED A" no object. In a text whose lines are mostly of one wrapping width, a single line break after a full
line is a space: it is replaced by one, so every character keeps its place and every offset into the Doc is an
offset into the article. Blank lines (paragraphs), indented lines and breaks after short lines (a headline, a
dateline, a list) are kept.
"""
from __future__ import annotations

# a wrapped line is this long (a fixed width of 60-80 characters, less the last word that did not fit)
WRAP_MIN_CHARS = 40
WRAP_MAX_CHARS = 100
# the text is hard-wrapped when at least this share of its non-final paragraph lines are wrapped lines ...
HARD_WRAP_SHARE = 0.8
# ... and it has at least this many of them
HARD_WRAP_MIN_LINES = 3


def _inner_lines(lines: list[str]) -> list[str]:
    """The lines followed by another non-blank line of the same paragraph."""
    return [a for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]


def is_hard_wrapped(text: str) -> bool:
    """Most lines inside the paragraphs of ``text`` are of a wrapping width."""
    inner = _inner_lines(text.split("\n"))
    wrapped = sum(1 for a in inner if WRAP_MIN_CHARS <= len(a.rstrip()) <= WRAP_MAX_CHARS)
    return wrapped >= HARD_WRAP_MIN_LINES and wrapped >= HARD_WRAP_SHARE * len(inner)


def unwrap(text: str) -> str:
    """``text`` with the line breaks inside its wrapped paragraphs made spaces (same length); other texts as
    they are."""
    if "\n" not in text or not is_hard_wrapped(text):
        return text
    lines = text.split("\n")
    out = []
    for k, line in enumerate(lines):
        out.append(line)
        if k == len(lines) - 1:
            break
        nxt = lines[k + 1]
        joined = WRAP_MIN_CHARS <= len(line.rstrip()) <= WRAP_MAX_CHARS and nxt.strip() and not nxt[:1].isspace()
        out.append(" " if joined else "\n")
    return "".join(out)
