"""The typer application every CLI module registers its commands on."""
import typer

app = typer.Typer(
    name="flashpoint",
    help="Conflict news in; mapped, source-attributed ACLED / CAMEO / PLOVER event data out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# the web commands (serve, map) register themselves on this app
import flashpoint.cli.web  # noqa: E402,F401
