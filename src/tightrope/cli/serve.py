"""``tightrope serve``: the dashboard on 127.0.0.1:8000."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from tightrope.cli.common import DbOption, err_console
from tightrope.errors import InputError

__all__ = ["register"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Required to bind a non-loopback address.")] = False,
) -> None:
    """Serve the API (/api, /docs) and the dashboard page from this machine."""
    if not _is_loopback(host):
        if not allow_remote:
            raise InputError(f"--host {host} is not a loopback address",
                             expected="127.0.0.1, or --allow-remote to expose the dashboard")
        err_console.print(f"[bold yellow]warning:[/] serving on {host}:{port}: anyone who can "
                          "reach this address can use the dashboard; there is no login.")
    import uvicorn

    from tightrope.web import WebSettings, create_app

    app = create_app(WebSettings(db=db))
    err_console.print(f"Tightrope dashboard on http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
