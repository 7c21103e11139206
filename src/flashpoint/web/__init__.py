"""The web side of flashpoint: the REST API and map page of ``flashpoint serve`` (``api.py``), their read-only
queries (``queries.py``) and the one-file map of ``flashpoint map`` (``onefile.py``). The page's built assets
are in ``static/`` (source: ``web/`` at the project root, ``npm run build``)."""
