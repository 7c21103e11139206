"""Exporters: ACLED CSV (``acled``), PLOVER JSONL, CAMEO TSV, GeoJSON, Parquet, JSON (``formats``)."""
