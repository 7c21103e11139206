"""Dev-set scores that count: ``flashpoint eval`` runs the steps of ``../shared/eval/dev_scores.sh`` (same names,
same stripped inputs, same command-line path) and scores what the product wrote with ports of the shared scorers,
so that it reports the same numbers on the same output.

* ``steps``: the steps (``STEPS``: name -> function of a ``Runner``) and the ``Runner`` that feeds the product;
* ``inputs``: what a dev set may show the product (strip_articles / strip_gold / ids_only);
* one module per scorer: ``seed`` (score_seed, seed_places), ``fakes`` (score_fakes), ``articles``
  (score_articles), ``geo`` (score_geo), ``cameo`` (score_petrarch, score_pentaclass), ``plover``
  (score_plover_stories), ``india``, ``muc4``, ``satp``; ``common``: what they share.

Scorers read report JSON dicts only; they infer nothing the product did not write.
"""
from __future__ import annotations

STEP_NAMES = ("seed", "fakes", "fakes-events", "geo", "petrarch", "cameo", "plover", "india", "muc4", "satp")
