"""Verified downloads over HTTP: bounded concurrency, retries with back-off, resume, checksums.

Published data sets (GDELT's file lists, the Factbook archive) are fetched with httpx. A file is
written to ``NAME.part`` beside its destination and renamed only after its size and MD5 match
what the file list promised, so a reader never sees half a file. A ``.part`` left by an
interrupted run is resumed with an HTTP Range request; a server that ignores the Range header
(answers 200) restarts the file. Timeouts, dropped or reset connections, truncated bodies and
5xx answers are retried with exponential back-off; a 4xx answer is final. Every failure ends
in one :class:`FetchError` naming the address and what went wrong.

References:
    RFC 9110, *HTTP Semantics* (2022), section 14 (range requests).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import platformdirs

from tightrope import __version__
from tightrope.errors import InputError, ParameterError
from tightrope.progress import Progress

__all__ = [
    "FetchError",
    "FetchSettings",
    "RemoteFile",
    "default_cache_dir",
    "download_all",
    "http_client",
]

_CHUNK = 1 << 16
#: After the first timeout period, a transfer slower than this on average (bytes a second) is
#: dropped and retried: a server trickling a byte now and then never trips the read timeout.
MIN_RATE = 1_000
#: The most bytes accepted for a file whose size is not listed (the Factbook archive).
MAX_UNLISTED = 2_000_000_000


def default_cache_dir() -> Path:
    """``$TIGHTROPE_CACHE``, else the user cache directory of tightrope (platformdirs)."""
    env = os.environ.get("TIGHTROPE_CACHE")
    return Path(env) if env else Path(platformdirs.user_cache_dir("tightrope"))


class FetchError(InputError):
    """A download failed: the address could not be reached, answered an error, or sent a
    file that does not match its published size or checksum (exit 2; nothing was stored)."""


@dataclass(frozen=True)
class FetchSettings:
    """How downloads behave. ``workers`` files at once; each request is tried ``1 + retries``
    times, waiting ``backoff_s * 2**k`` seconds (at most 60) before retry ``k + 1``;
    ``timeout_s`` bounds connecting and each read."""

    workers: int = 4
    retries: int = 3
    backoff_s: float = 1.0
    timeout_s: float = 30.0

    def __post_init__(self) -> None:
        if not 1 <= self.workers <= 32:
            raise ParameterError("workers", self.workers, "1 to 32 parallel downloads")
        if not 0 <= self.retries <= 20:
            raise ParameterError("retries", self.retries, "0 to 20")
        if not 0 <= self.backoff_s <= 600:
            raise ParameterError("back-off", self.backoff_s, "0 to 600 seconds")
        if not 0 < self.timeout_s <= 3600:
            raise ParameterError("timeout", self.timeout_s, "more than 0, at most 3600 seconds")

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff_s * 2**attempt, 60.0))


@dataclass(frozen=True)
class RemoteFile:
    """A file as a published list describes it: address, local name, size and MD5 (hex)."""

    url: str
    name: str
    size: int | None = None
    md5: str | None = None


def http_client(settings: FetchSettings) -> httpx.Client:
    """An httpx client with the settings' timeout, redirects followed, a named user agent."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.timeout_s),
        follow_redirects=True,
        headers={"User-Agent": f"tightrope/{__version__}"},
        limits=httpx.Limits(max_connections=settings.workers + 1),
    )


class _Retry(Exception):
    """One attempt failed in a way worth another try."""


class _Stopped(Exception):
    """Another download failed; this one gives up quietly."""


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _describe(e: BaseException, url: str) -> str:
    if isinstance(e, httpx.ConnectError | httpx.ConnectTimeout):
        return (f"cannot connect to {_host(url)} ({e or type(e).__name__}); this command needs "
                "an internet connection, or --mirror with a reachable copy")
    if isinstance(e, httpx.TimeoutException):
        return f"no answer within the timeout ({type(e).__name__})"
    if isinstance(e, httpx.RemoteProtocolError):
        return f"the connection ended early ({e})"
    if isinstance(e, httpx.NetworkError):
        return f"the connection failed ({e or type(e).__name__})"
    return str(e)


def _status(r: httpx.Response) -> None:
    if r.status_code >= 500 or r.status_code == 429:
        raise _Retry(f"the server answered HTTP {r.status_code}")
    if r.status_code >= 400:
        raise FetchError(f"the server answered HTTP {r.status_code} {r.reason_phrase}",
                         source=str(r.request.url), expected="a published file")


def _attempts(url: str, settings: FetchSettings, stop: threading.Event | None,
              attempt: Callable[[], bytes | None]) -> bytes | None:
    """Run ``attempt`` until it returns, retrying transient failures with back-off."""
    last: BaseException | None = None
    for k in range(settings.retries + 1):
        if k and stop is not None and stop.wait(settings.delay(k - 1)):
            raise _Stopped
        if k and stop is None:
            time.sleep(settings.delay(k - 1))
        try:
            return attempt()
        except (_Retry, httpx.TransportError) as e:
            last = e
    assert last is not None
    raise FetchError(f"{_describe(last, url)}; gave up after {settings.retries + 1} attempts",
                     source=url)


def _verify(part: Path, f: RemoteFile) -> str | None:
    """Why ``part`` is not ``f`` (size or MD5 differ), or None when it is."""
    size = part.stat().st_size
    if f.size is not None and size != f.size:
        return f"received {size:,} bytes, the file list says {f.size:,}"
    if f.md5 is not None:
        h = hashlib.md5(usedforsecurity=False)
        with part.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != f.md5.lower():
            return f"MD5 {h.hexdigest()} differs from the listed {f.md5.lower()}"
    return None


def _fetch_once(client: httpx.Client, f: RemoteFile, part: Path,
                on_bytes: Callable[[int], None], stop: threading.Event,
                timeout_s: float) -> None:
    have = part.stat().st_size if part.exists() else 0
    if have and f.size is not None and have >= f.size:
        if have == f.size and _verify(part, f) is None:
            return
        on_bytes(-have)  # complete but wrong, or too long: start again
        part.unlink()
        have = 0
    # identity: Range counts bytes of the file itself, not of a compressed transfer
    headers = {"Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
    with client.stream("GET", f.url, headers=headers) as r:
        if r.status_code == 416:  # asked beyond the end: start again
            on_bytes(-have)
            part.unlink(missing_ok=True)
            raise _Retry("the server refused to resume (HTTP 416)")
        _status(r)
        resumed = r.status_code == 206 and r.headers.get(
            "content-range", "").startswith(f"bytes {have}-")
        if have and not resumed:
            on_bytes(-have)
            have = 0
        limit = f.size if f.size is not None else MAX_UNLISTED
        t0, got = time.monotonic(), 0
        with part.open("ab" if have else "wb") as out:
            for chunk in r.iter_raw():  # as it arrives: a cut keeps what came
                if stop.is_set():
                    raise _Stopped
                got += len(chunk)
                elapsed = time.monotonic() - t0
                if elapsed > timeout_s and got < MIN_RATE * elapsed:
                    raise _Retry(f"the server sends less than {MIN_RATE:,} bytes a second")
                have += len(chunk)
                if have > limit:
                    raise FetchError(f"the server sent more than {limit:,} bytes",
                                     source=f.url, expected="the size in the file list"
                                     if f.size is not None else "a smaller file")
                out.write(chunk)
                on_bytes(len(chunk))


def _download(client: httpx.Client, f: RemoteFile, dest: Path, settings: FetchSettings,
              on_bytes: Callable[[int], None], stop: threading.Event) -> Path:
    part = dest.with_name(dest.name + ".part")
    if part.exists():
        on_bytes(part.stat().st_size)

    def once() -> None:
        _fetch_once(client, f, part, on_bytes, stop, settings.timeout_s)
        why = _verify(part, f)
        if why is not None:
            on_bytes(-part.stat().st_size)
            part.unlink()
            raise _Retry(why)
        return None

    _attempts(f.url, settings, stop, once)
    part.replace(dest)
    return dest


class _Tally:
    """Bytes and files done, reported through one Progress callback (thread-safe)."""

    def __init__(self, files: Sequence[RemoteFile], progress: Progress | None) -> None:
        self.total = sum(f.size or 0 for f in files)
        self.n = len(files)
        self.bytes = self.files = 0
        self.lock = threading.Lock()
        self.progress = progress

    def add(self, nbytes: int = 0, files: int = 0) -> None:
        with self.lock:
            self.bytes += nbytes
            self.files += files
            if self.progress is not None:
                done = max(0, min(self.bytes, self.total))
                if self.files < self.n:  # done == total only when every file is in
                    done = min(done, max(self.total - 1, 0))
                self.progress(done, self.total, f"{self.files}/{self.n} files")


def download_all(
    files: Sequence[RemoteFile],
    folder: Path,
    settings: FetchSettings,
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Download ``files`` into ``folder`` (``settings.workers`` at a time), each verified
    against its listed size and MD5; a file already there under its name is not fetched again.

    Returns the paths in the order of ``files``. The first failure stops the others and raises
    :class:`FetchError`; files completed before it stay, partial ones stay as ``.part`` to be
    resumed by the next call.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tally = _Tally(files, progress)
    stop = threading.Event()
    own = client is None
    cl = client or http_client(settings)

    def one(f: RemoteFile) -> Path:
        dest = folder / f.name
        if not dest.exists():
            _download(cl, f, dest, settings, lambda n: tally.add(n), stop)
        else:
            tally.add(f.size or 0)
        tally.add(files=1)
        return dest

    try:
        with ThreadPoolExecutor(max_workers=settings.workers) as pool:
            futures = [pool.submit(one, f) for f in files]
            try:
                done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            except BaseException:  # Ctrl-C: the workers stop at their next chunk
                stop.set()
                for fu in futures:
                    fu.cancel()
                raise
            errors = [e for fu in done if (e := fu.exception()) is not None
                      and not isinstance(e, _Stopped)]
            if errors:
                stop.set()
                for fu in futures:
                    fu.cancel()
                raise errors[0]
            return [fu.result() for fu in futures]
    finally:
        if own:
            cl.close()
