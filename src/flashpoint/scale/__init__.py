"""Scale-out: a local process pool (``--workers N``) and Dask (``--scheduler ADDRESS``).

Both stream Reports back in input order to the single writer (``flashpoint.store.ingest``).
Extractors are named by spec ``"module:factory"`` so worker processes can build them once.
"""
from flashpoint.scale.common import DEFAULT_EXTRACTOR, batched, get_extractor, run_batch  # noqa: F401
