"""Streaming tab-separated event files in chunks, with exact line numbers for bad lines.

A file (plain, ``.gz``, or each member of a ``.zip``) is read in blocks of ``chunk_bytes``; a
block is cut at its last newline and split into lines with numpy. Each line's field count is
checked against the file's width (taken from the header or the first line); lines with the
wrong count, empty lines and lines that are not UTF-8 become :class:`Reject` records carrying
the physical line number. The good lines are parsed by ``pyarrow.csv`` (no quoting: the event
formats are plain TSV) into string columns, with a parallel array of line numbers. Python never
holds more than one block of raw bytes (the parsed columns of a batch of blocks wait for the
database, see :func:`batched`), and a SHA-256 of the bytes is computed on the way.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import queue
import threading
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol, TypeVar, cast

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from tightrope.errors import InputError

__all__ = [
    "DEFAULT_CHUNK_BYTES",
    "Chunk",
    "HashingReader",
    "Reject",
    "Source",
    "batched",
    "prefetched",
    "read_chunks",
    "sources_of",
]

#: Bytes read and parsed at a time. Small blocks keep pyarrow's parse (all fields of every
#: line are tokenised before the kept columns are built) in cache and in little memory.
DEFAULT_CHUNK_BYTES = 1 << 20
#: Blocks handed to the database at a time (see :func:`batched`).
BATCH_BLOCKS = 8
_RAW_MAX = 400  # characters of a rejected line kept in the quarantine


@dataclass(frozen=True, slots=True)
class Source:
    """One stream of event lines: a plain/gzip file, or one member of a zip archive."""

    path: Path
    member: str | None = None

    @property
    def label(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def size(self) -> int:
        """Uncompressed size in bytes when known cheaply (for progress), else the file size."""
        if self.member is not None:
            with _unreadable(self.label, 1), zipfile.ZipFile(self.path) as zf:
                return zf.getinfo(self.member).file_size
        return self.path.stat().st_size

    def open(self) -> IO[bytes]:
        """The stream's bytes; a corrupt, truncated or mislabelled file raises InputError."""
        with _unreadable(self.label, 1):
            raw = self._open_raw()
        return cast(IO[bytes], _CheckedReader(raw, self.label))

    def _open_raw(self) -> IO[bytes]:
        if self.member is not None:
            zf = zipfile.ZipFile(self.path)
            return zf.open(self.member)
        if self.path.suffix == ".gz":
            return cast(IO[bytes], gzip.open(self.path, "rb"))
        return self.path.open("rb")


#: What a broken compressed or archived file raises while it is read.
_READ_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile)


def _describe(e: BaseException) -> str:
    if isinstance(e, gzip.BadGzipFile):  # also raised for a wrong CRC at the end
        not_gzip = str(e).startswith("Not a gzipped")
        return "not a gzip file" if not_gzip else f"corrupt gzip data ({e})"
    if isinstance(e, EOFError):
        return "the compressed data ends early (a truncated file?)"
    if isinstance(e, zlib.error):
        return f"corrupt compressed data ({e})"
    if isinstance(e, zipfile.BadZipFile):
        return f"corrupt zip archive ({e})"
    return f"cannot read the file ({getattr(e, 'strerror', None) or e})"


@contextlib.contextmanager
def _unreadable(label: str, line: int) -> Iterator[None]:
    """Turns the errors of a broken file into an InputError naming it and the line reached."""
    try:
        yield
    except _READ_ERRORS as e:
        raise InputError(_describe(e), source=label, where=f"line {line}",
                         expected="a readable plain, .gz or .zip event file") from None


class _CheckedReader(io.RawIOBase):
    """A binary stream whose read errors become InputError with the file and line reached."""

    def __init__(self, raw: IO[bytes], label: str) -> None:
        super().__init__()
        self._raw = raw
        self._label = label
        self._line = 1

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        with _unreadable(self._label, self._line):
            data = self._raw.read(size)
        self._line += data.count(b"\n")
        return data

    def close(self) -> None:
        self._raw.close()
        super().close()


def sources_of(path: Path) -> list[Source]:
    """The streams in a path: each file member of a zip, else the file itself."""
    if not path.is_file():
        raise InputError("no such file", source=str(path), expected="an event file to ingest")
    if zipfile.is_zipfile(path):
        with _unreadable(str(path), 1), zipfile.ZipFile(path) as zf:
            members = [i.filename for i in zf.infolist() if not i.is_dir()]
        if not members:
            raise InputError("the zip archive is empty", source=str(path))
        return [Source(path, m) for m in members]
    return [Source(path)]


class Readable(Protocol):
    """Anything with ``read(size) -> bytes``."""

    def read(self, size: int = -1, /) -> bytes: ...


class HashingReader(io.RawIOBase):
    """Wraps a binary stream; counts bytes and updates a SHA-256 as they are read."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        data = self._raw.read(size)
        self.sha256.update(data)
        self.bytes_read += len(data)
        return data

    def close(self) -> None:
        self._raw.close()
        super().close()


@dataclass(frozen=True, slots=True)
class Reject:
    """A line that could not be read: 1-based line number, reason, the start of its text."""

    line: int
    reason: str
    raw: str


@dataclass
class Chunk:
    """Good rows of one block as string columns ``c<i>``, their line numbers, and the rejects."""

    table: pa.Table
    lines: np.ndarray
    rejects: list[Reject] = field(default_factory=list)
    header: list[str] | None = None


def _parse(body: bytes, width: int, include: Sequence[int]) -> pa.Table:
    names = [f"c{i}" for i in range(width)]
    keep = [f"c{i}" for i in include]
    return pacsv.read_csv(
        pa.BufferReader(body),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
        parse_options=pacsv.ParseOptions(
            delimiter="\t", quote_char=False, escape_char=False, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in keep},
            include_columns=keep,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _slow_parse(
    lines: list[bytes], numbers: np.ndarray, include: Sequence[int]
) -> tuple[pa.Table, np.ndarray, list[Reject]]:
    """Line-by-line fallback for a block with non-UTF-8 bytes or stray carriage returns."""
    cols: list[list[str]] = [[] for _ in include]
    good: list[int] = []
    rejects: list[Reject] = []
    for raw, no in zip(lines, numbers.tolist(), strict=True):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            rejects.append(Reject(no, f"not UTF-8 ({e.reason} at byte {e.start})",
                                  raw.decode("utf-8", "replace")[:_RAW_MAX]))
            continue
        fields = text.rstrip("\r").split("\t")
        for c, i in zip(cols, include, strict=True):
            c.append(fields[i])
        good.append(no)
    table = pa.table(
        {f"c{i}": pa.array(c, pa.string()) for c, i in zip(cols, include, strict=True)}
    )
    return table, np.asarray(good, dtype=np.int64), rejects


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) index ranges where mask is True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


def _fast(buf: bytes, first_line: int, width: int, include: Sequence[int]) -> Chunk | None:
    """The whole block in one parse when every line is well formed, else None.

    pyarrow rejects a block in which any row has the wrong field count; empty lines (which
    pyarrow would read as a row of empty strings) are looked for separately.
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    gaps = np.diff(ends, prepend=-1)
    if (gaps == 1).any() or ((gaps == 2) & (arr[np.maximum(ends - 1, 0)] == 13)).any():
        return None
    n = len(ends) + (0 if buf.endswith(b"\n") else 1)
    try:
        table = _parse(buf, width, include)
    except pa.ArrowInvalid:
        return None
    if table.num_rows != n:
        return None
    return Chunk(table, np.arange(first_line, first_line + n, dtype=np.int64))


def _block(
    buf: bytes, first_line: int, width: int | None, include: Sequence[int], header: bool
) -> tuple[Chunk, int]:
    """Split one newline-terminated block; returns the chunk and the width used."""
    if width is not None and not header:
        fast = _fast(buf, first_line, width, include)
        if fast is not None:
            return fast, width
    arr = np.frombuffer(buf, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    if len(ends) == 0 or ends[-1] != len(arr) - 1:
        ends = np.append(ends, len(arr))
    starts = np.concatenate(([0], ends[:-1] + 1))
    eff = ends.copy()
    nonempty = ends > starts
    cr = np.zeros(len(ends), dtype=bool)
    cr[nonempty] = arr[ends[nonempty] - 1] == 13
    eff[cr] -= 1
    tabs = np.flatnonzero(arr == 9)
    nfields = np.searchsorted(tabs, eff) - np.searchsorted(tabs, starts) + 1
    numbers = np.arange(first_line, first_line + len(ends), dtype=np.int64)
    empty = eff == starts
    head: list[str] | None = None
    skip = np.zeros(len(ends), dtype=bool)
    if header and len(ends):
        head = buf[starts[0] : eff[0]].decode("utf-8", "replace").split("\t")
        skip[0] = True
    if width is None:
        cand = np.flatnonzero(~empty & ~skip)
        width = len(head) if head is not None else int(nfields[cand[0]]) if len(cand) else 1
    good = ~empty & ~skip & (nfields == width)
    rejects = [
        Reject(
            int(numbers[i]),
            "empty line" if empty[i] else f"{int(nfields[i])} fields, expected {width}",
            buf[starts[i] : eff[i]].decode("utf-8", "replace")[:_RAW_MAX],
        )
        for i in np.flatnonzero(~good & ~skip).tolist()
    ]
    idx = np.flatnonzero(good)
    runs = _runs(good)
    body = buf if good.all() else b"".join(buf[starts[a] : ends[b - 1] + 1] for a, b in runs)
    lines = numbers[idx]
    try:
        table = _parse(body, width, include) if len(idx) else _empty(include)
        ok = table.num_rows == len(idx)
    except pa.ArrowInvalid:
        ok = False
    if not ok:
        raw_lines = [buf[starts[i] : eff[i]] for i in idx.tolist()]
        table, lines, more = _slow_parse(raw_lines, lines, include)
        rejects = sorted([*rejects, *more], key=lambda r: r.line)
    return Chunk(table, lines, rejects, head), width


def _empty(include: Sequence[int]) -> pa.Table:
    return pa.table({f"c{i}": pa.array([], pa.string()) for i in include})


def chunk_lines(buf: bytes) -> int:
    """Number of lines in a block (a last line without newline counts)."""
    return buf.count(b"\n") + (0 if buf.endswith(b"\n") else 1)


def read_chunks(
    stream: Readable,
    *,
    include: Sequence[int],
    width: int | None = None,
    header: bool = False,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> Iterator[Chunk]:
    """Chunks of a TSV stream: string columns ``c<i>`` for ``i`` in ``include``.

    ``width`` is the number of fields a line must have (default: the header's, or the first
    non-empty line's). ``header`` skips line 1 and returns its fields in the first chunk.
    """
    line = 1
    rest = b""
    first = True
    while True:
        data = stream.read(chunk_bytes)
        buf = rest + data
        if not buf:
            return
        if data:
            cut = buf.rfind(b"\n")
            if cut < 0:
                rest = buf
                continue
            buf, rest = buf[: cut + 1], buf[cut + 1 :]
        else:
            rest = b""
        chunk, width = _block(buf, line, width, include, header and first)
        line += chunk_lines(buf)
        first = False
        yield chunk
        if not data:
            return


T = TypeVar("T")


def batched(chunks: Iterator[Chunk], blocks: int = BATCH_BLOCKS) -> Iterator[Chunk]:
    """Consecutive chunks merged ``blocks`` at a time, in order (rows, line numbers, rejects).

    The database's work per chunk has a fixed part (several statements), so it takes larger
    batches than the parse needs; the merged table shares the blocks' buffers.
    """
    if blocks < 1:
        raise ValueError("blocks must be >= 1")
    buf: list[Chunk] = []

    def merge() -> Chunk:
        if len(buf) == 1:
            return buf[0]
        return Chunk(pa.concat_tables([c.table for c in buf]),
                     np.concatenate([c.lines for c in buf]),
                     [r for c in buf for r in c.rejects], buf[0].header)

    for chunk in chunks:
        buf.append(chunk)
        if len(buf) == blocks:
            yield merge()
            buf = []
    if buf:
        yield merge()


@dataclass(frozen=True, slots=True)
class _Failed:
    error: BaseException


_DONE = object()


def prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Iterate ``items`` on a background thread, ``depth`` items ahead.

    Reading and parsing the next block (numpy and pyarrow release the GIL) overlaps with the
    database work on the current one. An error in the reader is re-raised here; leaving the
    loop early stops the reader.
    """
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(x: object) -> bool:
        while not stop.is_set():
            try:
                q.put(x, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for x in items:
                if not put(x):
                    return
            put(_DONE)
        except BaseException as e:  # handed to the consumer, which re-raises it
            put(_Failed(e))

    thread = threading.Thread(target=work, name="tightrope-event-reader", daemon=True)
    thread.start()
    try:
        while True:
            x = q.get()
            if x is _DONE:
                return
            if isinstance(x, _Failed):
                raise x.error
            yield x  # type: ignore[misc]
    finally:
        stop.set()
        thread.join(timeout=10)
