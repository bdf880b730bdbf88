"""Entry point: ``tightrope <command>``. Errors become one line and an exit code."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any, NoReturn

import typer
from rich.markup import escape

from tightrope import __version__
from tightrope.cli.common import err_console
from tightrope.errors import InputError, TightropeError

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
                   "bargain", "corridors", "serve", "demo", "world", "evidence")


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


def _command_path(e: BaseException, argv: list[str] | None = None) -> str:
    """The command the error belongs to: from the error's context, else (a parser error such
    as an option without its value has none) the sub-command names at the start of argv."""
    ctx = getattr(e, "ctx", None)
    path = getattr(ctx, "command_path", None)
    if path:
        return str(path)
    words = ["tightrope"]
    cmd: Any = typer.main.get_command(app)
    for token in (sys.argv[1:] if argv is None else argv):
        sub = getattr(cmd, "commands", {}).get(token)
        if token.startswith("-") or sub is None:
            break
        words.append(token)
        cmd = sub
    return " ".join(words)


def _is_click_error(e: BaseException) -> bool:
    """A click usage or parameter error, whichever click is installed: typer >= 0.29 vendors
    its own click, whose exceptions are not ``click.ClickException``; so duck-type."""
    return isinstance(getattr(e, "exit_code", None), int) and callable(
        getattr(e, "format_message", None))


def _click_error(e: Exception, argv: list[str] | None = None) -> NoReturn:
    """One line (and a --help hint for usage errors) instead of click's usage block."""
    code = int(getattr(e, "exit_code", 2))
    if type(e).__name__ == "NoArgsIsHelpError":  # a group called without a sub-command
        ctx = getattr(e, "ctx", None)
        typer.echo(ctx.get_help() if ctx is not None else str(e), err=True)
        sys.exit(code)
    msg = " ".join(str(e.format_message()).split())  # type: ignore[attr-defined]
    hint = f" (see '{_command_path(e, argv)} --help')" if code == 2 else ""
    err_console.print(f"[bold red]error:[/] {escape(msg + hint)}", highlight=False,
                      soft_wrap=True)
    sys.exit(code)


def _tightrope_error(e: TightropeError) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {escape(e.one_line())}", highlight=False,
                      soft_wrap=True)
    sys.exit(e.exit_code)


def _interrupted() -> NoReturn:
    err_console.print("interrupted")
    sys.exit(130)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a TightropeError or a usage error prints one line on stderr and exits
    with its code (docs/cli.md). Exit 130 is kept for a real interrupt (Ctrl-C)."""
    try:
        rv = app(args=argv, prog_name="tightrope", standalone_mode=False)
    except TightropeError as e:
        _tightrope_error(e)
    except KeyboardInterrupt:
        _interrupted()
    except Exception as e:
        kind = type(e).__name__
        if kind == "Exit" and isinstance(getattr(e, "exit_code", None), int):
            sys.exit(e.exit_code)  # type: ignore[attr-defined]
        if kind == "Abort":
            # click turns EOFError (e.g. a truncated .gz) into Abort too: only an
            # interrupt, or an Abort raised on purpose, is exit 130.
            cause = e.__cause__ or e.__context__
            if cause is None or isinstance(cause, KeyboardInterrupt):
                _interrupted()
            if isinstance(cause, EOFError):
                _tightrope_error(InputError(
                    f"the input ended unexpectedly ({cause or 'EOFError'})",
                    expected="a complete file; a download or copy may have been cut short"))
            raise cause from None
        if _is_click_error(e):
            _click_error(e, argv)
        raise
    if isinstance(rv, int) and not isinstance(rv, bool) and rv != 0:
        # non-standalone click returns the code of an Exit (typer: 130 after Ctrl-C)
        if rv == 130:
            _interrupted()
        sys.exit(rv)


if __name__ == "__main__":
    main()
