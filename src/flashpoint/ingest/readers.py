"""Input readers (placeholder signature; the lead is filling this in)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from flashpoint.model import Article


@dataclass
class IngestError:
    item: str  # "file.jsonl:17", "doc.txt", "<stdin>"
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.message}"


def read_inputs(paths: Iterable[str], published: date | None = None) -> Iterator[Article | IngestError]:
    raise NotImplementedError
