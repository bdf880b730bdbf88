"""Entry point: ``tightrope <command>``. Errors become one line and an exit code."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer
from rich.markup import escape

from tightrope import __version__
from tightrope.cli.common import err_console
from tightrope.errors import TightropeError

__all__ = ["app", "main"]

app = typer.Typer(
    name="tightrope",
    help="Decision support for the foreign policy of a middle power between great powers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Sub-command modules; each defines ``register(app)``. Missing ones are skipped.
COMMAND_MODULES = ("data", "profile", "compare", "report", "events", "simulate", "robust",
                   "bargain", "corridors", "serve", "demo", "evidence")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tightrope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Tightrope: exposure, balance, relations, minefield simulation, bargaining, corridors."""


for _name in COMMAND_MODULES:
    _mod = f"tightrope.cli.{_name}"
    if importlib.util.find_spec(_mod) is not None:
        importlib.import_module(_mod).register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a TightropeError prints one line on stderr and exits with its code."""
    try:
        app(args=argv, standalone_mode=False)
    except TightropeError as e:
        err_console.print(f"[bold red]error:[/] {escape(e.one_line())}", highlight=False,
                          soft_wrap=True)
        sys.exit(e.exit_code)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as e:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(e, click.ClickException):
            e.show()
            sys.exit(e.exit_code)
        raise


if __name__ == "__main__":
    main()
