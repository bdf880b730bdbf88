"""Who may talk to the dashboard, and how much they may send: ASGI middleware.

* :class:`HostCheck` answers only requests whose ``Host`` header names this server (loopback
  names by default), so a web page on another site cannot reach the API by re-pointing its own
  DNS name at 127.0.0.1 (DNS rebinding).
* :class:`TokenCheck` requires the access token on every request when the dashboard is served
  beyond loopback: ``Authorization: Bearer <token>``, or the cookie set when the page is
  opened once with ``?token=<token>``.
* :class:`ClientId` gives each browser (or cookie-keeping script) a random id in an HttpOnly
  cookie; jobs are stored with it and shown only to that client.
* :class:`BodyLimit` counts the body while it arrives (declared length or chunked) and answers
  413 as soon as it passes the cap, without reading the rest.

Every refusal is one line of JSON: ``{"detail": "..."}``.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
from collections.abc import Iterable

from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CLIENT_COOKIE",
    "LOOPBACK_HOSTS",
    "TOKEN_COOKIE",
    "BodyLimit",
    "ClientId",
    "HostCheck",
    "TokenCheck",
    "client_id",
    "normalise_host",
]

LOOPBACK_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "[::1]")
TOKEN_COOKIE = "tightrope_token"
CLIENT_COOKIE = "tightrope_client"
_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def normalise_host(value: str) -> str:
    """A host name or address as it is compared: lower case, IPv6 in brackets, no port.

    Raises ``ValueError`` for anything that is neither a DNS name nor an IP address.

    >>> normalise_host("Dash.Example.org")
    'dash.example.org'
    >>> normalise_host("::1")
    '[::1]'
    """
    v = value.strip().lower().rstrip(".")
    bare = v[1:-1] if v.startswith("[") and v.endswith("]") else v
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        if _NAME.match(v) and len(v) <= 253:
            return v
        raise ValueError(f"{value!r} is not a host name or IP address") from None
    return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed


def _host_of(header: str) -> str | None:
    """The host part of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), or None."""
    if header.startswith("["):
        end = header.find("]")
        if end < 0:
            return None
        host, rest = header[: end + 1], header[end + 1:]
    else:
        host, sep, port = header.partition(":")
        rest = sep + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return None
    try:
        return normalise_host(host)
    except ValueError:
        return None


async def _refuse(send: Send, status: int, detail: str,
                  headers: Iterable[tuple[bytes, bytes]] = (), websocket: bool = False) -> None:
    """Answer with ``{"detail": detail}``; the connection is not reused. A websocket is
    closed with code 1008 (policy violation) instead."""
    if websocket:
        await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})
        return
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store"),
                            (b"x-content-type-options", b"nosniff"),
                            (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or []:
        if k == name:
            return bytes(v).decode("latin-1")
    return None


def _cookies(scope: Scope) -> dict[str, str]:
    raw = _header(scope, b"cookie")
    return cookie_parser(raw) if raw else {}


def _cookie(scope: Scope, name: str, value: str) -> str:
    """A session cookie scripts cannot read and other sites cannot send (Secure over HTTPS,
    e.g. behind a TLS proxy that says so)."""
    secure = "; Secure" if scope.get("scheme") in ("https", "wss") else ""
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}"


class HostCheck:
    """Refuse (400) requests whose ``Host`` is not one of ``allowed`` (any port)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(normalise_host(h) for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = _header(scope, b"host")
        host = _host_of(header) if header is not None else None
        if host is None or host not in self.allowed:
            shown = (header or "")[:80]
            await _refuse(send, 400, f"Host {shown!r} is not served here: open the dashboard "
                          "at a loopback address, or start it with --allow-remote NAME",
                          websocket=scope["type"] == "websocket")
            return
        await self.app(scope, receive, send)


class TokenCheck:
    """Require ``token`` on every request (401 without it); ``None`` lets everything through.

    ``GET /?token=…`` with the right token sets an HttpOnly cookie and redirects to ``/``, so
    the token leaves the address bar and the page's own requests carry the cookie."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode() if token else None

    def _ok(self, presented: str | None) -> bool:
        return (self.token is not None and presented is not None
                and hmac.compare_digest(presented.encode("utf-8", "replace"), self.token))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is None or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        auth = _header(scope, b"authorization") or ""
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and self._ok(value.strip()):
            await self.app(scope, receive, send)
            return
        if self._ok(_cookies(scope).get(TOKEN_COOKIE)):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http" and scope["path"] == "/":
            query = Request(scope).query_params.get("token")
            if query is not None and self._ok(query):
                cookie = _cookie(scope, TOKEN_COOKIE, query).encode("latin-1")
                await send({"type": "http.response.start", "status": 303,
                            "headers": [(b"location", b"/"), (b"set-cookie", cookie),
                                        (b"cache-control", b"no-store"),
                                        (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
        await _refuse(send, 401, "this dashboard needs its access token: open the address "
                      "printed by 'tightrope serve' (/?token=...) or send 'Authorization: "
                      "Bearer <token>'", [(b"www-authenticate", b"Bearer")],
                      websocket=scope["type"] == "websocket")


class ClientId:
    """Put the client's id in ``scope["state"]["client_id"]``; issue a cookie to new clients."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cid = _cookies(scope).get(CLIENT_COOKIE, "")
        new = not _CLIENT_ID.match(cid)
        if new:
            cid = secrets.token_urlsafe(18)
        scope = {**scope, "state": {**(scope.get("state") or {}), "client_id": cid}}

        async def send_with_cookie(msg: Message) -> None:
            if new and msg["type"] == "http.response.start":
                cookie = _cookie(scope, CLIENT_COOKIE, cid).encode("latin-1")
                msg = {**msg, "headers": [*msg.get("headers", []), (b"set-cookie", cookie)]}
            await send(msg)

        await self.app(scope, receive, send_with_cookie)


def client_id(request: Request) -> str:
    """The id :class:`ClientId` gave this request's client."""
    return str(getattr(request.state, "client_id", ""))


class BodyLimit:
    """Refuse request bodies above ``limit`` bytes with 413 while they arrive.

    The body is read here (it is small by construction) and handed to the app whole, so the
    cap holds whether the length was declared or the body is chunked, and the app's own body
    parsing cannot turn an overflow into a different error."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            msg = await receive()
            if msg["type"] != "http.request":  # the client went away
                return
            body = msg.get("body", b"")
            size += len(body)
            if size > self.limit:
                await self._too_large(send)
                return
            chunks.append(body)
            if not msg.get("more_body", False):
                break
        whole: Message | None = {"type": "http.request", "body": b"".join(chunks),
                                 "more_body": False}

        async def replay() -> Message:
            nonlocal whole
            if whole is not None:
                msg, whole = whole, None
                return msg
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await _refuse(send, 413, f"request body larger than {self.limit} bytes")
