"""Reading articles: .txt, .html (trafilatura), .jsonl, directories and stdin.

``read_inputs(paths)`` yields ``Article`` objects or ``IngestError`` items, never raises
for a bad item, so a batch always goes on.
"""
from flashpoint.ingest.readers import IngestError, read_inputs  # noqa: F401
