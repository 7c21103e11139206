"""Article -> Report: runs spaCy and the flashpoint components over one Doc per article."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from flashpoint.model import Article, Report
from flashpoint.nlp import COMPONENTS, load_nlp, new_doc


class Pipeline:
    def __init__(self, model: str | None = None, components: tuple[str, ...] = COMPONENTS):
        self.nlp = load_nlp(model, tuple(components))

    def extract(self, article: Article) -> Report:
        return next(iter(self.extract_many([article])))

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Report]:
        """Reports in input order. A failure in one article becomes that report's error."""
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[Report]:
        docs = [new_doc(self.nlp, a) for a in batch]
        try:
            parsed = list(self.nlp.pipe(docs))
        except Exception:  # isolate the failing article, keep the rest
            parsed = []
            for d in docs:
                try:
                    parsed.append(self.nlp(d))
                except Exception as exc:  # noqa: BLE001
                    d._.errors = [f"{d._.article.id}: extraction failed: {type(exc).__name__}: {exc}"]
                    parsed.append(d)
        for doc in parsed:
            yield to_report(doc)


def to_report(doc) -> Report:
    art: Article = doc._.article
    return Report(
        id=art.id,
        title=art.title,
        published=art.published,
        source=art.source,
        url=art.url,
        events=doc._.events or [],
        toponyms=doc._.toponyms or [],
        actors=doc._.actors or [],
        relations=doc._.relations or [],
        quotes=doc._.quotes or [],
        claims=doc._.claims or [],
        errors=doc._.errors or [],
    )


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
