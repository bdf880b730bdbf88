"""A small HTTP server on 127.0.0.1 for the fetch tests: serves fixture files (with Range
support) and misbehaves on purpose, per path: 404, truncated body, slow answer, reset
connection, a truncated first answer, a server that ignores Range."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: How a path misbehaves.
MODES = ("ok", "404", "truncate", "slow", "reset", "truncate-once", "no-range", "trickle")


@dataclass
class Route:
    body: bytes
    mode: str = "ok"
    hits: int = 0


@dataclass
class FixtureServer:
    """Routes by path; ``log`` records (path, Range header) of every request."""

    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, str | None]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def add(self, path: str, body: bytes, mode: str = "ok") -> None:
        assert mode in MODES
        self.routes["/" + path.lstrip("/")] = Route(body, mode)

    def requests_for(self, suffix: str) -> list[tuple[str, str | None]]:
        return [r for r in self.log if r[0].endswith(suffix)]


def _handler(srv: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _send(self, code: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(code)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            rng = self.headers.get("Range")
            srv.log.append((self.path, rng))
            route = srv.routes.get(self.path)
            if route is None or route.mode == "404":
                self._send(404, b"not found", {"Content-Length": "9"})
                return
            route.hits += 1
            body, mode = route.body, route.mode
            if mode == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            if mode == "slow":
                for _ in range(100):  # at most 5 s, or until the test ends
                    if srv.stop.wait(0.05):
                        return
                self._send(200, body, {"Content-Length": str(len(body))})
                return
            if mode == "trickle":  # a byte every 50 ms: never idle long enough to time out
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for k in range(len(body)):
                    if srv.stop.wait(0.05):
                        return
                    self.wfile.write(body[k:k + 1])
                    self.wfile.flush()
                return
            start = 0
            if rng and rng.startswith("bytes=") and mode != "no-range":
                start = int(rng[6:].split("-")[0])
            if mode == "truncate" or (mode == "truncate-once" and route.hits == 1):
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                self.wfile.write(body[start:start + (len(body) - start) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if start:
                self._send(206, body[start:], {
                    "Content-Length": str(len(body) - start),
                    "Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"})
            else:
                self._send(200, body, {"Content-Length": str(len(body))})

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeout test) is expected


@contextmanager
def serve() -> Iterator[FixtureServer]:
    """A FixtureServer on 127.0.0.1 (a free port), stopped at the end."""
    srv = FixtureServer()
    httpd = _Server(("127.0.0.1", 0), _handler(srv))
    srv.port = httpd.server_address[1]
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.stop.set()
        httpd.shutdown()
        httpd.server_close()
        t.join(5)
        time.sleep(0)
