"""The typer application every CLI module registers its commands on, and the conventions every command shares:

- exit codes: 0 every item ok, 1 some items failed (or the run failed: database unreachable, disk full),
  2 usage error (a bad option value, a missing input path, a bad ``FLASHPOINT_*`` variable);
- ``-h``/``--help`` on every command, ``--version``, flags shown as flags (plain help, no ``<bool>`` types);
- an expected failure (OS, database, settings) is one line on stderr; the traceback only with ``--debug``.
"""
from __future__ import annotations

from typing import Any, Optional

import typer
from typer.core import TyperGroup

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
DEBUG_KEY = "flashpoint.debug"


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Failures of the environment rather than of flashpoint: reported in one line (evaluated only when an
    exception propagates, so SQLAlchemy is not imported for ``--help``)."""
    import pydantic
    import sqlalchemy.exc

    from flashpoint.settings import SettingsError

    return (OSError, SettingsError, sqlalchemy.exc.SQLAlchemyError, pydantic.ValidationError, ImportError,
            KeyboardInterrupt)


def describe_error(exc: BaseException) -> tuple[int, str]:
    """(exit code, one-line message) for an expected failure. Never shows a database password."""
    import sqlalchemy.exc

    from flashpoint.settings import SettingsError

    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    if isinstance(exc, SettingsError):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, sqlalchemy.exc.ArgumentError):  # a --db URL SQLAlchemy cannot use
        return EXIT_USAGE, f"bad database URL: {_first_line(exc)}"
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        return EXIT_FAILED, f"database error: {_first_line(exc.orig if exc.orig is not None else exc)}"
    if isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
        return EXIT_FAILED, f"database error: {_first_line(exc)}"
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        return EXIT_FAILED, f"{exc.strerror or _first_line(exc)}{where}"
    if isinstance(exc, ImportError):
        return EXIT_FAILED, f"missing package: {_first_line(exc)}"
    return EXIT_FAILED, f"{type(exc).__name__}: {_first_line(exc)}"


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class FlashpointGroup(TyperGroup):
    """Runs a command; an expected failure becomes one line on stderr and an exit code (see ``describe_error``)."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _expected_errors() as exc:
            if ctx.meta.get(DEBUG_KEY):
                raise
            code, message = describe_error(exc)
            typer.echo(f"error: {message}" + ("" if code == EXIT_INTERRUPTED else " (--debug shows the traceback)"),
                       err=True)
            raise typer.Exit(code) from None


app = typer.Typer(
    name="flashpoint",
    cls=FlashpointGroup,
    help="Conflict news in; mapped, source-attributed ACLED / CAMEO / PLOVER event data out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags shown as flags, help text never read as markup
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from flashpoint import __version__

        typer.echo(f"flashpoint {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks of failures (for bug reports)."),
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True,
                                           help="Print the flashpoint version and exit."),
) -> None:
    """Conflict news in; mapped, source-attributed ACLED / CAMEO / PLOVER event data out.

    Exit codes: 0 all items ok, 1 some items failed, 2 usage error. Environment variables: see the README."""
    from flashpoint.settings import settings

    ctx.meta[DEBUG_KEY] = debug
    settings()  # a bad FLASHPOINT_* value is a usage error before any work starts


# the web commands (serve, map) register themselves on this app
import flashpoint.cli.web  # noqa: E402,F401
