"""A dashboard on a free loopback port in a background thread, for the browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tightrope.web import WebSettings, create_app


@contextmanager
def live_dashboard(db: Path, token: str | None = None) -> Iterator[str]:
    """Serve the app on ``db`` (requiring ``token`` if given); yields its base URL and stops
    it afterwards."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(WebSettings(db=db, exposure_runs=200, token=token))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        t.join(timeout=10)
        app.state.jobs.shutdown()
