"""``tightrope serve``: the dashboard on 127.0.0.1:8000, or for a team with ``--allow-remote``."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tightrope.cli.common import DbOption, err_console
from tightrope.errors import InputError
from tightrope.extras import require_extra

if TYPE_CHECKING:
    from tightrope.web import WebSettings

__all__ = ["register"]

TOKEN_ENV = "TIGHTROPE_TOKEN"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def remote_hosts(values: list[str] | None) -> list[str]:
    """``--allow-remote`` values (repeated and/or comma-separated) as normalised host names."""
    from tightrope.web.security import normalise_host

    out: list[str] = []
    for value in values or []:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                out.append(normalise_host(part))
            except ValueError:
                raise InputError(f"--allow-remote {part.strip()!r} is not a host name or IP "
                                 "address", expected="a name such as dash.example.org or an "
                                 "address such as 10.0.0.5, without scheme or port") from None
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class ServePlan:
    """What ``serve`` will run: the settings, and the token if it was generated here."""

    settings: WebSettings
    generated_token: str | None


def plan(db: Path | None, host: str, allow_remote: list[str] | None,
         environ: Mapping[str, str]) -> ServePlan:
    """Settings for ``serve``: loopback only and no token, or the named hosts with a token."""
    from tightrope.web import WebSettings
    from tightrope.web.security import normalise_host

    hosts = remote_hosts(allow_remote)
    if not hosts:
        if not _is_loopback(host):
            raise InputError(f"--host {host} is not a loopback address",
                             expected="127.0.0.1, or --allow-remote NAME to serve the dashboard "
                                      "to other machines (with an access token)")
        return ServePlan(WebSettings(db=db, warm=True), None)
    if not _is_loopback(host) and not _is_unspecified(host):
        hosts.append(normalise_host(host))
    token = environ.get(TOKEN_ENV) or None
    generated = None
    if token is None:
        token = generated = secrets.token_urlsafe(32)
    try:
        settings = WebSettings(db=db, allowed_hosts=(*LOOPBACK_NAMES, *hosts), token=token,
                               warm=True)
    except InputError as e:
        raise InputError(f"${TOKEN_ENV}: {e.one_line()}") from None
    return ServePlan(settings, generated)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    allow_remote: Annotated[list[str] | None, typer.Option(
        "--allow-remote", metavar="HOST",
        help="Serve clients that reach this server as HOST (a DNS name or IP address; repeat "
             "the option or separate with commas), besides localhost. Every request then needs "
             f"the access token: ${TOKEN_ENV}, or one generated and printed once at start. "
             "Needed to bind a non-loopback --host.")] = None,
) -> None:
    """Serve the API (/api, /docs) and the dashboard page.

    By default only this machine can use it (loopback address and Host names, no token).
    With --allow-remote the named hosts are served too, and every request must carry the
    access token (open /?token=TOKEN once in a browser, or send 'Authorization: Bearer TOKEN').
    Each client sees and cancels only the jobs it started.
    """
    require_extra("web", "the dashboard")
    p = plan(db, host, allow_remote, os.environ)
    import uvicorn

    from tightrope.web import create_app

    app = create_app(p.settings)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    if p.settings.token is None:
        err_console.print(f"Tightrope dashboard on http://{shown}:{port}/ (API docs at /docs)")
    else:
        names = ", ".join(h for h in p.settings.allowed_hosts if h not in LOOPBACK_NAMES)
        err_console.print(f"Tightrope dashboard on http://{shown}:{port}/ for {names}; every "
                          "request needs the access token.", highlight=False)
        if p.generated_token is not None:
            err_console.print(f"Access token (shown once; set ${TOKEN_ENV} to choose one): "
                              f"{p.generated_token}\nOpen http://{names.split(', ')[0]}:{port}"
                              f"/?token={p.generated_token}", highlight=False, soft_wrap=True)
        else:
            err_console.print(f"Access token from ${TOKEN_ENV}.")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
