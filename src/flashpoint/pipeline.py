"""Article -> Report: runs spaCy and the flashpoint components over one Doc per article."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import os

from flashpoint.events.lexicon import headline_common_words
from flashpoint.ingest.limits import guard_article
from flashpoint.model import Article, Report, Span
from flashpoint.nlp import COMPONENTS, casing, doc_keys, linebreaks, load_nlp, new_doc
from flashpoint.nlp.triage import OffsetMap, reduce_text
from flashpoint.settings import settings


# an invented article whose extraction touches the lazily built parts: a relative date ("two days ago" ->
# dateparser) and a placed event (the admin areas of its country)
WARM_UP_TEXT = ("A Syrian army air strike killed five civilians in the town of Saraqeb in Idlib province two days "
                "ago, the Syrian Observatory for Human Rights said.")


def _triage_default() -> bool:
    return settings().triage


class Pipeline:
    """Runs spaCy and the flashpoint components.

    With ``triage`` (off by default; ``FLASHPOINT_TRIAGE=1`` or ``--triage`` turns it on) only the sentences
    that can hold an event, a casualty count, a quote or a claim are parsed (see ``flashpoint.nlp.triage``);
    every offset in the Report still points into the full article text. Triage is faster but the Report's
    toponyms then come only from the kept sentences.
    """

    def __init__(self, model: str | None = None, components: tuple[str, ...] = COMPONENTS,
                 triage: bool | None = None):
        self.nlp = load_nlp(model, tuple(components))
        self.triage = _triage_default() if triage is None else triage

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
        docs = [self._doc(a) for a in batch]
        try:
            parsed = list(self.nlp.pipe(docs))
        except Exception:  # isolate the failing article, keep the rest
            parsed = []
            for d in docs:
                try:
                    parsed.append(self.nlp(d))
                except Exception as exc:  # noqa: BLE001
                    d._.errors = list(d._.errors or []) + [
                        f"{d._.article.id}: extraction failed: {type(exc).__name__}: {exc}"]
                    parsed.append(d)
        for doc in parsed:
            yield to_report(doc)

    def warm(self) -> None:
        """Build what the components load lazily on first use (the actor resolver's matchers, dateparser, the
        gazetteer's per-country tables) by extracting one short invented article. ``ingest --workers`` calls it
        before forking, so the workers share one copy instead of each building its own."""
        from datetime import date as _date

        from flashpoint.actors import resolve_text
        from flashpoint.events import classify

        resolve_text("warm-up")  # the resolver's own blank pipeline and matchers ("regime airstrikes")
        self.extract(Article(id="warm-up", text=WARM_UP_TEXT, published=_date(2016, 1, 2)))
        # the ``story`` stage's PLOVER heads and headline parser (a second spaCy model, 0.5 s CPU), which the
        # warm-up article does not reach (its lead sentence tells a deadly strike); not the MiniLM session:
        # onnxruntime started in a parent makes ``ingest --workers`` spawn instead of fork
        if "fp_events" in self.nlp.pipe_names and classify.get_classifier().parse_scale:
            classify._headline_parser()

    def _doc(self, article: Article):
        # the input guard: a text over limits.MAX_ARTICLE_CHARS is cut (spaCy refuses 1,000,000 characters, E088,
        # and its time and memory grow faster than the text); the reader's warnings and the guard's go to the report
        article, text, warnings = guard_article(article)
        # "... KIDNAPPED A\nTRADE UNION LEADER ...": a hard-wrapped text's line breaks inside a paragraph are spaces
        text = linebreaks.unwrap(text)
        if casing.is_shouting(text):
            # "TERRORISTS OF THE FMLN KILLED TWO PEASANTS": re-cased for the parser, offsets unchanged
            text = casing.normalise_case(text, self.nlp)
        else:
            # "Deadly Blast Hits South Damascus.": a Title-Case headline's event and function words in lower case
            text = casing.lower_headline_words(text, headline_common_words())
        if not self.triage:
            doc = new_doc(self.nlp, article, text=text)
        else:
            reduced, offsets, _ = reduce_text(text)
            doc = new_doc(self.nlp, article, text=reduced)
            doc.user_data[doc_keys.OFFSETS] = offsets
        doc._.errors = warnings
        return doc


def _remap(report: Report, text: str, offsets: OffsetMap) -> Report:
    """Offsets in the triaged text -> offsets in the article text."""

    def span(sp: Span | None) -> Span | None:
        if sp is None:
            return None
        s, e = offsets(sp.start), offsets(sp.end, is_end=True)
        return Span(text=text[s:e], start=s, end=e)

    for t in report.toponyms:
        t.start, t.end = offsets(t.start), offsets(t.end, is_end=True)
    for a in report.actors:
        if a.start is not None and a.end is not None:
            a.start, a.end = offsets(a.start), offsets(a.end, is_end=True)
    for group in (report.events, report.relations, report.quotes, report.claims):
        for item in group:
            item.evidence = span(item.evidence)
    return report


def to_report(doc) -> Report:
    art: Article = doc._.article
    report = Report(
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
    offsets = doc.user_data.get(doc_keys.OFFSETS)
    if offsets is not None and not offsets.identity:
        report = _remap(report, art.text, offsets)
    elif doc.text != art.text[:len(doc.text)]:
        casing.restore_text(report, art.text)  # a re-cased ALL-CAPS article: its own characters in the spans
    return report


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
