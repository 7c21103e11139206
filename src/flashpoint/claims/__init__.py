"""Quotes with speakers, numeric claims with sources, and casualty-number parsing.

* ``flashpoint.claims.numbers``: ``parse_number``, ``Casualty``, ``find_casualties``,
  ``casualty_totals``, ``civilian_killed``, ``is_aggregate``.
* ``flashpoint.claims.quotes``: ``find_quotes(doc) -> list[Quote]``, ``quote_spans(text)``.
* ``flashpoint.claims.claims``: ``find_claims(doc) -> list[Claim]``, ``mark_conflicts``.
* ``flashpoint.claims.component``: the spaCy factory ``fp_claims``.

Lexicons are in ``flashpoint/data/claims/`` (numbers.yaml, casualties.yaml,
reporting.yaml, acronyms.tsv).
"""
