"""Helpers every command uses: input/output/--db checks (usage errors, exit 2), outputs written atomically,
the progress bar (stderr, only on a terminal), dates, and printing untrusted text without Rich markup."""
from __future__ import annotations

import os
import re
import sys
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Iterator, Optional

import typer

STDIN = "-"
PROGRESS_REFRESH_PER_S = 4  # progress bar redraws per second


def err_line(message: str) -> None:
    """One plain line on stderr (never read as Rich markup: untrusted text is printed as is)."""
    typer.echo(message, err=True)


def parse_date(value: Optional[str], option: str) -> Optional[date]:
    """``YYYY-MM-DD`` -> date; anything else is a usage error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint=option) from None


def check_inputs(inputs: list[str]) -> None:
    """Every input path must exist (``-`` is stdin): a mistyped path is a usage error, before any work."""
    missing = [p for p in inputs if p != STDIN and not Path(p).exists()]
    if missing:
        raise typer.BadParameter(f"no such file or directory: {', '.join(missing)}", param_hint="INPUT")


def check_output(output: Optional[Path], option: str = "-o") -> None:
    """``-o`` must name a file in an existing directory (checked before any work)."""
    if output is None:
        return
    if output.is_dir():
        raise typer.BadParameter(f"{output} is a directory; give a file name", param_hint=option)
    parent = output.expanduser().resolve().parent
    if not parent.is_dir():
        raise typer.BadParameter(f"directory {parent} does not exist", param_hint=option)
    if not os.access(parent, os.W_OK):
        raise typer.BadParameter(f"directory {parent} is not writable", param_hint=option)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path in ``target``'s directory, renamed onto ``target`` only when the block succeeds: a crashed
    or interrupted run leaves the previous file as it was. A special file (``/dev/stdout``, a FIFO) is written
    directly."""
    target = target.expanduser()
    if target.exists() and not target.is_file():
        yield target
        return
    fd, tmp = tempfile.mkstemp(dir=target.resolve().parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def output_stream(output: Optional[Path]) -> Iterator[IO[str]]:
    """stdout, or ``output`` written atomically (see ``atomic_path``)."""
    if output is None:
        yield sys.stdout
        return
    with atomic_path(output) as path, open(path, "w", encoding="utf-8", newline="") as fh:
        yield fh


def check_db(db: Optional[str]) -> None:
    """A SQLite ``--db`` must be in an existing directory; a URL must parse (the password is never echoed)."""
    if db is None:
        return
    if "://" in db:
        import sqlalchemy as sa
        from sqlalchemy.exc import ArgumentError

        try:
            sa.engine.make_url(db)
        except ArgumentError:
            raise typer.BadParameter("not a database URL (want postgresql://user:pw@host/db or a file path)",
                                     param_hint="--db") from None
        return
    parent = Path(db).expanduser().resolve().parent
    if not parent.is_dir():
        raise typer.BadParameter(f"directory {parent} does not exist", param_hint="--db")


_SCHEDULER = re.compile(r"^([a-z][a-z0-9+]*://)?\S+:\d+$")


def check_scheduler(address: Optional[str]) -> None:
    if address is not None and not _SCHEDULER.match(address.strip()):
        raise typer.BadParameter(f"{address!r} is not a scheduler address (want tcp://host:port)",
                                 param_hint="--scheduler")


def show_progress(quiet: bool = False) -> bool:
    """The progress bar is drawn only on a terminal (never into a log file or a pipe) and not with --quiet."""
    return not quiet and sys.stderr.isatty()


class Ticker:
    """What ``progress_bar`` yields: ``advance(n)`` moves the bar; ``line(style, label, text)`` prints one stderr
    line above it (``text`` is untrusted: printed as plain text, never read as Rich markup)."""

    def __init__(self, console, progress=None, task=None):
        self.console, self._progress, self._task = console, progress, task

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def line(self, style: str, label: str, text: str) -> None:
        from rich.text import Text

        self.console.print(Text.assemble((label, style), " ", text), highlight=False, soft_wrap=True)


@contextmanager
def progress_bar(label: str, total: Optional[int] = None, enabled: bool = True) -> Iterator[Ticker]:
    """A rich progress bar on stderr while the block runs (transient); no bar when ``enabled`` is false."""
    from rich.console import Console

    console = Console(stderr=True, markup=False, highlight=False)
    if not enabled:
        yield Ticker(console)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn() if total else TextColumn("{task.completed}"), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True, refresh_per_second=PROGRESS_REFRESH_PER_S) as prog:
        yield Ticker(console, prog, prog.add_task(label, total=total))
