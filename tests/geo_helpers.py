"""Shared helpers of the geo tests."""


def spans_of(text, names):
    """Character spans of ``names`` in ``text``, each searched after the previous one, so a repeated name gets
    its next copy (falls back to the first copy when none follows)."""
    out, pos = [], 0
    for n in names:
        s = text.index(n, pos if text.find(n, pos) >= 0 else 0)
        out.append((s, s + len(n)))
        pos = s + len(n)
    return out
