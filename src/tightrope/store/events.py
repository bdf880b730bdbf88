"""Coded events in the store: schema, streaming transactional ingest, status.

``ingest_events`` reads each file in chunks (:mod:`tightrope.ingest.eventfiles`); each chunk
is staged in a temporary DuckDB table with the SQL of the file's format, its CAMEO labels and
codes, places and actor names are mapped, and its new events are appended to ``events``
(:mod:`tightrope.store.eventsql`) — all inside one transaction for the whole call. A crash, a
kill or Ctrl-C before the commit leaves the store as it was. Each event has a key
(``id_space``, ``event_id``): the GDELT or ICEWS event id, or for the benchmark forms a
content hash of (subject, label, object, date); rows whose key is already stored are counted
as duplicates and skipped, so ingesting a file twice adds nothing. Lines that cannot be read
go to ``event_quarantine`` with file, line and reason.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from tightrope import __version__
from tightrope.errors import InputError, StoreError
from tightrope.ingest.eventdetect import detect_format
from tightrope.ingest.eventfiles import (
    DEFAULT_CHUNK_BYTES,
    HashingReader,
    Source,
    batched,
    prefetched,
    read_chunks,
    sources_of,
)
from tightrope.ingest.eventformat import EventFormat
from tightrope.ingest.icews import TkgClock
from tightrope.progress import Progress
from tightrope.store.db import Store
from tightrope.store.eventsql import (
    EVENTS_SCHEMA,
    ValueMaps,
    insert_chunk,
    register_lookups,
    stage_chunk,
)

__all__ = [
    "EVENTS_SCHEMA",
    "FileSummary",
    "IngestSummary",
    "ensure_events_schema",
    "events_status",
    "ingest_events",
]



def ensure_events_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the event tables if they are missing (idempotent; a no-op on a read-only store
    that has them)."""
    have = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    if not {"events", "event_quarantine", "event_files"} <= have:
        con.execute(EVENTS_SCHEMA)


@dataclass(frozen=True)
class FileSummary:
    """What one file contributed. rows_read = stored + duplicates + quarantined."""

    file: str
    file_sha256: str
    format: str
    dataset: str
    rows_read: int
    stored: int
    duplicates: int
    quarantined: int
    seconds: float
    file_id: int = 0


@dataclass(frozen=True)
class IngestSummary:
    """Totals of one ingest call, with what stayed unmapped among the stored events."""

    files: list[FileSummary]
    seconds: float
    unmapped_actor_mentions: int = 0
    unmapped_actors: list[tuple[str, int]] = field(default_factory=list)
    unlabelled_events: int = 0
    unmatched_labels: list[tuple[str, int]] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(int(getattr(f, name)) for f in self.files)

    @property
    def rows_per_second(self) -> float:
        return self.total("rows_read") / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update({k: self.total(k) for k in ("rows_read", "stored", "duplicates", "quarantined")})
        return d


def _ingest_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    fmt: EventFormat,
    file_id: int,
    step: Callable[[int], None],
    chunk_bytes: int,
    maps: ValueMaps,
) -> FileSummary:
    t0 = time.perf_counter()
    con.execute("DELETE FROM _rej")
    for name, tbl in fmt.tables.items():
        con.register(name, tbl)
    valid = stored = 0
    with HashingReader(source.open()) as rd:
        chunks = read_chunks(rd, include=fmt.include, width=fmt.width, header=fmt.header,
                             chunk_bytes=chunk_bytes)
        for chunk in prefetched(batched(chunks), depth=1):
            staged, good = stage_chunk(con, fmt, chunk)
            valid += good
            maps.update(fmt, staged)
            stored += insert_chunk(con, fmt, staged, file_id, frozenset(maps.filled))
            del chunk, staged  # not held while the next batch is read and staged
            step(rd.bytes_read)
        sha = rd.sha256.hexdigest()
    for name in fmt.tables:
        con.unregister(name)
    (quarantined,) = con.execute("SELECT count(*) FROM _rej").fetchone() or (0,)
    if valid == 0 and quarantined:
        _nothing_readable(con, source, int(quarantined))
    con.execute(
        "INSERT INTO event_quarantine SELECT ?, ?, r.line, r.reason, r.raw, ?, now() FROM _rej r "
        "WHERE NOT EXISTS (SELECT 1 FROM event_quarantine q WHERE q.file_sha256 = ? "
        "AND q.line = r.line)", [source.label, sha, fmt.name, sha])
    summary = FileSummary(source.label, sha, fmt.name, fmt.dataset, valid + int(quarantined),
                          stored, valid - stored, int(quarantined), time.perf_counter() - t0,
                          file_id)
    con.execute(
        "INSERT INTO event_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
        [file_id, summary.file, sha, fmt.name, fmt.dataset, summary.rows_read, stored,
         summary.duplicates, summary.quarantined, summary.seconds, __version__])
    return summary


def _nothing_readable(con: duckdb.DuckDBPyConnection, source: Source, rejected: int) -> None:
    """A file none of whose lines could be read is an input error, not a quarantine."""
    line, reason = con.execute("SELECT line, reason FROM _rej ORDER BY line LIMIT 1"
                               ).fetchone() or (0, "")
    raise InputError(
        f"not one line could be read ({rejected:,} rejected; the first, line {line}: {reason})",
        source=source.label, expected="event lines in a known format (GDELT, ICEWS, ICEWS-TKG)")


def _unmapped(con: duckdb.DuckDBPyConnection, ids: list[int], unlabelled: Counter[str]
              ) -> dict[str, Any]:
    where = "file_id IN (SELECT unnest($ids))"
    actors = con.execute(f"""
        SELECT actor, count(*) AS n FROM (
            SELECT source_actor AS actor FROM events WHERE {where} AND source_iso3 IS NULL
            UNION ALL
            SELECT target_actor FROM events WHERE {where} AND target_iso3 IS NULL)
        WHERE actor IS NOT NULL GROUP BY actor ORDER BY n DESC, actor""",
        {"ids": ids}).fetchall()
    (unscored,) = con.execute(
        f"SELECT count(*) FROM events WHERE {where} AND goldstein IS NULL", {"ids": ids}
    ).fetchone() or (0,)
    return {
        "unmapped_actor_mentions": sum(int(n) for _, n in actors),
        "unmapped_actors": [(str(a), int(n)) for a, n in actors[:20]],
        "unlabelled_events": int(unscored),
        "unmatched_labels": unlabelled.most_common(20),
    }


def _setting(text: str) -> str:
    """A DuckDB size setting such as '256MB' (validated: it is pasted into SET)."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]?i?B", text.strip()):
        raise InputError(f"memory limit {text!r} is not a size", expected="e.g. 256MB or 2GB")
    return text.strip()


@contextlib.contextmanager
def _settings(con: duckdb.DuckDBPyConnection, **values: object) -> Iterator[None]:
    """DuckDB settings changed for the block and put back after it (see :func:`_restore`),
    also when it fails. A value of None, or the value already set, leaves a setting alone."""
    before: dict[str, object] = {}
    try:
        for name, value in values.items():
            (now,) = con.execute(f"SELECT current_setting('{name}')").fetchone() or (None,)
            if value is None or str(now) == str(value):
                continue
            before[name] = now
            con.execute(f"SET {name} = '{value}'")
        yield
    finally:
        for name, value in before.items():
            _restore(con, name, value)


def _restore(con: duckdb.DuckDBPyConnection, name: str, value: object) -> None:
    """Put a setting back as it was: RESET when it was the default (exact), else SET the value
    DuckDB printed (a size prints to a tenth of its unit, so a limit such as 1GB comes back to
    within 0.1 MiB)."""
    con.execute(f"RESET {name}")
    (now,) = con.execute(f"SELECT current_setting('{name}')").fetchone() or (None,)
    if str(now) != str(value):
        con.execute(f"SET {name} = '{value}'")


def _cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _offset(report: Progress, base: int, total: int) -> Callable[[int], None]:
    def step(done: int) -> None:
        report(min(base + done, total), total)

    return step


def ingest_events(
    store: Store,
    paths: Sequence[Path],
    *,
    fmt: str = "auto",
    clock: TkgClock | None = None,
    progress: Progress | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    memory_limit: str | None = "128MB",
) -> IngestSummary:
    """Stream event files into the store in one transaction; see the module docstring.

    ``fmt`` is 'auto' (sniffed per file) or one of gdelt, icews, icews-tkg, mmkb; ``clock``
    overrides the time unit of TKG ID files. ``chunk_bytes`` is the block read and parsed at a
    time (the database takes eight blocks at a time) and
    ``memory_limit`` DuckDB's memory limit during the ingest (it spills beyond; the previous
    setting is restored after), which together bound the ingest's memory. DuckDB also runs
    on one core less than the machine has while the reader thread parses (restored after
    too). Raises InputError
    (nothing written) when a file is missing or its format cannot be told; StoreError when the
    database fails.
    """
    t0 = time.perf_counter()
    con = store.con
    ensure_events_schema(con)
    sources = [s for p in paths for s in sources_of(Path(p))]
    formats = [detect_format(s, fmt, clock) for s in sources]
    sizes = [s.size() for s in sources]
    report = progress or (lambda _done, _total, _msg="": None)
    limit = _setting(memory_limit) if memory_limit else None
    # The reader thread parses the next blocks while the database works: leave it a core.
    (threads_now,) = con.execute("SELECT current_setting('threads')").fetchone() or (1,)
    threads = max(1, min(int(threads_now), _cores() - 1))
    with _settings(con, memory_limit=limit, threads=threads):
        files, extra = _ingest_all(store, sources, formats, sizes, report, chunk_bytes)
    return IngestSummary(files, time.perf_counter() - t0, **extra)


def _ingest_all(store: Store, sources: list[Source], formats: list[EventFormat],
                sizes: list[int], report: Progress, chunk_bytes: int
                ) -> tuple[list[FileSummary], dict[str, Any]]:
    """Every source in one transaction: committed whole, or rolled back whole."""
    con = store.con
    total = sum(sizes)
    files: list[FileSummary] = []
    con.execute("BEGIN TRANSACTION")
    try:
        register_lookups(con)
        maps = ValueMaps(con)
        (next_id,) = con.execute(
            "SELECT coalesce(max(file_id), 0) + 1 FROM event_files").fetchone() or (1,)
        done = 0
        for k, (source, f, size) in enumerate(zip(sources, formats, sizes, strict=True)):
            files.append(_ingest_source(con, source, f, int(next_id) + k,
                                        _offset(report, done, total), chunk_bytes, maps))
            done += size
            report(done, total)
        extra = _unmapped(con, [f.file_id for f in files], maps.unlabelled)
        con.execute("COMMIT")
    except BaseException as e:
        con.execute("ROLLBACK")
        if isinstance(e, duckdb.Error):
            raise StoreError(f"{store.path}: event ingest failed and was rolled back ({e})") from e
        raise
    finally:
        for name in ("_cameo", "_iso3"):
            with contextlib.suppress(duckdb.Error):
                con.unregister(name)
    return files, extra


def events_status(store: Store, top: int = 15) -> dict[str, Any]:
    """What the event tables hold: per dataset counts and dates, files, quarantine, unmapped."""
    ensure_events_schema(store.con)
    datasets = store.query(
        "SELECT dataset, count(*) AS events, min(event_date) AS first, max(event_date) AS last, "
        "count(*) FILTER (WHERE source_iso3 IS NULL OR target_iso3 IS NULL) AS partly_unmapped, "
        "count(*) FILTER (WHERE goldstein IS NULL) AS unscored "
        "FROM events GROUP BY dataset ORDER BY dataset")
    files = store.query(
        "SELECT file_id, file, file_sha256, format, dataset, rows_read, stored, duplicates, "
        "quarantined, "
        "round(seconds, 3) AS seconds, ingested_at FROM event_files ORDER BY ingested_at, file")
    reasons = store.query(
        "SELECT reason, count(*) AS n FROM event_quarantine GROUP BY reason ORDER BY n DESC "
        "LIMIT 20")
    unmapped = store.query(
        "SELECT actor, count(*) AS n FROM (SELECT source_actor AS actor FROM events "
        "WHERE source_iso3 IS NULL UNION ALL SELECT target_actor FROM events "
        "WHERE target_iso3 IS NULL) WHERE actor IS NOT NULL GROUP BY actor "
        f"ORDER BY n DESC, actor LIMIT {int(top)}")
    (mentions,) = store.con.execute(
        "SELECT count(source_actor) FILTER (WHERE source_iso3 IS NULL) + "
        "count(target_actor) FILTER (WHERE target_iso3 IS NULL) FROM events").fetchone() or (0,)
    (total,) = store.con.execute(
        "SELECT count(source_actor) + count(target_actor) FROM events").fetchone() or (0,)
    return {"store": str(store.path), "datasets": datasets, "files": files,
            "quarantine_by_reason": reasons, "actor_mentions": int(total or 0),
            "unmapped_actor_mentions": int(mentions or 0), "top_unmapped_actors": unmapped}
