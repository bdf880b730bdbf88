"""Coded events in the store: schema, streaming transactional ingest, status.

``ingest_events`` reads each file in chunks (:mod:`tightrope.ingest.eventfiles`), stages the
chunks in a temporary DuckDB table with the SQL of the file's format, maps CAMEO labels and
codes, places and actor names, and appends the new events to ``events`` — all inside one
transaction for the whole call. A crash, a kill or Ctrl-C before the commit leaves the store as
it was. Each event has a key (``id_space``, ``event_id``): the GDELT or ICEWS event id, or for
the benchmark forms a content hash of (subject, label, object, date); rows whose key is already
stored are counted as duplicates and skipped, so ingesting a file twice adds nothing. Lines
that cannot be read go to ``event_quarantine`` with file, line and reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tightrope import __version__
from tightrope.errors import StoreError
from tightrope.ingest.actors import actor_resolver
from tightrope.ingest.cameo import cameo_table, normalise_label
from tightrope.ingest.codes import country_codes
from tightrope.ingest.eventdetect import detect_format
from tightrope.ingest.eventfiles import (
    DEFAULT_CHUNK_BYTES,
    Chunk,
    HashingReader,
    Source,
    prefetched,
    read_chunks,
    sources_of,
)
from tightrope.ingest.eventformat import STAGE_COLUMNS, EventFormat
from tightrope.ingest.icews import TkgClock
from tightrope.store.db import Store

__all__ = [
    "EVENTS_SCHEMA",
    "FileSummary",
    "IngestSummary",
    "ensure_events_schema",
    "events_status",
    "ingest_events",
]

EVENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id_space VARCHAR NOT NULL, event_id BIGINT NOT NULL, dataset VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    source_actor VARCHAR, source_iso3 VARCHAR, target_actor VARCHAR, target_iso3 VARCHAR,
    cameo_code VARCHAR, quad_class TINYINT, goldstein DOUBLE, goldstein_from VARCHAR,
    num_mentions INTEGER, file_sha256 VARCHAR NOT NULL, line BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_quarantine (
    file VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, line BIGINT NOT NULL,
    reason VARCHAR NOT NULL, raw VARCHAR, format VARCHAR, quarantined_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS event_files (
    file VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, format VARCHAR, dataset VARCHAR,
    rows_read BIGINT, stored BIGINT, duplicates BIGINT, quarantined BIGINT, seconds DOUBLE,
    ingested_at TIMESTAMP, tightrope_version VARCHAR
);
"""

#: progress(bytes_done, bytes_total)
Progress = Callable[[int, int], None]


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


def _register_lookups(con: duckdb.DuckDBPyConnection) -> None:
    table = cameo_table()
    codes = list(table.codes.values())
    con.register("_cameo", pa.table({
        "code": [c.code for c in codes],
        "goldstein": pa.array([c.goldstein for c in codes], pa.float64()),
        "quad_class": pa.array([c.quad_class for c in codes], pa.int8()),
    }))
    con.register("_iso3", pa.table({"code": [*country_codes().rows, "PSE"]}))
    con.execute(f"CREATE OR REPLACE TEMP TABLE _stage ({STAGE_COLUMNS})")
    con.execute("CREATE OR REPLACE TEMP TABLE _rej (line BIGINT, reason VARCHAR, raw VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _labels (raw VARCHAR, code VARCHAR, norm VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _codes (raw VARCHAR, code VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _places (name VARCHAR, iso3 VARCHAR)")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _actors "
        "(name VARCHAR, iso3 VARCHAR, start_date DATE, end_date DATE, how VARCHAR)"
    )


def _stage_chunk(con: duckdb.DuckDBPyConnection, fmt: EventFormat, chunk: Chunk) -> None:
    tbl = chunk.table.append_column("line", pa.array(chunk.lines, pa.int64()))
    con.register("_chunk", tbl)
    try:
        con.execute(f"INSERT INTO _stage {fmt.stage_sql}")
        lo, hi = (int(chunk.lines[0]), int(chunk.lines[-1])) if len(chunk.lines) else (0, -1)
        bad = con.execute(
            "SELECT line, reason FROM _stage WHERE reason IS NOT NULL AND line BETWEEN ? AND ?",
            [lo, hi],
        ).fetchall()
    finally:
        con.unregister("_chunk")
    rows = [(r.line, r.reason, r.raw) for r in chunk.rejects]
    if bad:
        index = {int(n): i for i, n in enumerate(chunk.lines.tolist())}
        cols = chunk.table.columns
        for line, reason in bad:
            i = index[int(line)]
            rows.append((line, reason, "\t".join(str(c[i].as_py()) for c in cols)[:400]))
    if rows:
        con.executemany("INSERT INTO _rej VALUES (?, ?, ?)", rows)


def _fill_maps(con: duckdb.DuckDBPyConnection, fmt: EventFormat) -> None:
    """Map the distinct labels, codes, places and actor names of the staged rows."""
    table, resolver = cameo_table(), actor_resolver()
    labels = con.execute(
        "SELECT DISTINCT label_raw FROM _stage WHERE label_raw IS NOT NULL "
        "AND label_raw NOT IN (SELECT raw FROM _labels)").fetchall()
    if labels:
        con.executemany("INSERT INTO _labels VALUES (?, ?, ?)", [
            (r, table.code_for_label(r), normalise_label(r.replace("_", " "))) for (r,) in labels])
    codes = con.execute(
        "SELECT DISTINCT code_raw FROM _stage WHERE code_raw IS NOT NULL "
        "AND code_raw NOT IN (SELECT raw FROM _codes)").fetchall()
    if codes:
        con.executemany("INSERT INTO _codes VALUES (?, ?)",
                        [(r, table.normalise_code(r)) for (r,) in codes])
    places = con.execute(
        "SELECT DISTINCT p FROM (SELECT source_place AS p FROM _stage UNION "
        "SELECT target_place FROM _stage) WHERE p IS NOT NULL "
        "AND p NOT IN (SELECT name FROM _places)").fetchall()
    if places:
        con.executemany("INSERT INTO _places VALUES (?, ?)",
                        [(p, resolver.place(p)) for (p,) in places])
    if fmt.name == "gdelt":
        return
    names = con.execute(
        "SELECT DISTINCT a FROM (SELECT source_actor AS a FROM _stage UNION "
        "SELECT target_actor FROM _stage) WHERE a IS NOT NULL "
        "AND a NOT IN (SELECT name FROM _actors)").fetchall()
    rows: list[tuple[Any, ...]] = []
    for (name,) in names:
        for p in resolver.periods(name):
            rows.append((name, p.iso3, p.start or dt.date(1, 1, 1), p.end or dt.date(9999, 12, 31),
                         p.how))
    if rows:
        con.executemany("INSERT INTO _actors VALUES (?, ?, ?, ?, ?)", rows)


_KEYED = """
WITH s AS (
    SELECT st.*, coalesce(cd.code, lb.code, st.code_raw) AS cameo_code, lb.norm AS label_norm
    FROM _stage st
    LEFT JOIN _codes cd ON cd.raw = st.code_raw
    LEFT JOIN _labels lb ON lb.raw = st.label_raw
    WHERE st.reason IS NULL
), k AS (
    SELECT s.*, CASE WHEN s.id_space = 'sha' THEN CAST(md5_number_lower(concat_ws('|',
            coalesce(s.source_actor, ''), coalesce(s.label_norm, s.label_raw, ''),
            coalesce(s.target_actor, ''), CAST(s.event_date AS VARCHAR))) >> 1 AS BIGINT)
        ELSE s.event_id END AS key
    FROM s
)"""

_FINAL = "INSERT INTO events " + _KEYED + """, d AS (
    SELECT * FROM k {dedupe}
)
SELECT d.id_space, d.key, $dataset, d.event_date,
    d.source_actor, coalesce(d.source_iso3, sp.iso3, sa.iso3),
    d.target_actor, coalesce(d.target_iso3, tp.iso3, ta.iso3),
    d.cameo_code, coalesce(d.quad_class, cm.quad_class), coalesce(d.goldstein, cm.goldstein),
    CASE WHEN d.goldstein IS NOT NULL THEN d.goldstein_from
         WHEN cm.goldstein IS NOT NULL THEN 'cameo-table' END,
    d.num_mentions, $sha, d.line
FROM d
LEFT JOIN _cameo cm ON cm.code = d.cameo_code
LEFT JOIN _places sp ON sp.name = d.source_place
LEFT JOIN _places tp ON tp.name = d.target_place
LEFT JOIN _actors sa ON sa.name = d.source_actor
    AND d.event_date BETWEEN sa.start_date AND sa.end_date
LEFT JOIN _actors ta ON ta.name = d.target_actor
    AND d.event_date BETWEEN ta.start_date AND ta.end_date
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id_space = d.id_space AND e.event_id = d.key)
"""


def _ingest_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    fmt: EventFormat,
    step: Callable[[int], None],
    chunk_bytes: int,
) -> FileSummary:
    t0 = time.perf_counter()
    con.execute("DELETE FROM _stage")
    con.execute("DELETE FROM _rej")
    for name, tbl in fmt.tables.items():
        con.register(name, tbl)
    with HashingReader(source.open()) as rd:
        chunks = read_chunks(rd, include=fmt.include, width=fmt.width, header=fmt.header,
                             chunk_bytes=chunk_bytes)
        for chunk in prefetched(chunks):
            _stage_chunk(con, fmt, chunk)
            step(rd.bytes_read)
        sha = rd.sha256.hexdigest()
    _fill_maps(con, fmt)
    (valid,) = con.execute("SELECT count(*) FROM _stage WHERE reason IS NULL").fetchone() or (0,)
    # The window that drops repeated keys within a file is costly; run it only when needed.
    (repeats,) = con.execute(
        _KEYED + " SELECT count(*) - count(DISTINCT (id_space, key)) FROM k").fetchone() or (0,)
    dedupe = "QUALIFY row_number() OVER (PARTITION BY id_space, key ORDER BY line) = 1"
    row = con.execute(_FINAL.format(dedupe=dedupe if repeats else ""),
                      {"dataset": fmt.dataset, "sha": sha}).fetchone()
    stored = int(row[0]) if row else 0
    (quarantined,) = con.execute("SELECT count(*) FROM _rej").fetchone() or (0,)
    con.execute(
        "INSERT INTO event_quarantine SELECT ?, ?, r.line, r.reason, r.raw, ?, now() FROM _rej r "
        "WHERE NOT EXISTS (SELECT 1 FROM event_quarantine q WHERE q.file_sha256 = ? "
        "AND q.line = r.line)", [source.label, sha, fmt.name, sha])
    for name in fmt.tables:
        con.unregister(name)
    summary = FileSummary(source.label, sha, fmt.name, fmt.dataset, int(valid) + int(quarantined),
                          stored, int(valid) - stored, int(quarantined),
                          time.perf_counter() - t0)
    con.execute(
        "INSERT INTO event_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
        [summary.file, sha, fmt.name, fmt.dataset, summary.rows_read, stored,
         summary.duplicates, summary.quarantined, summary.seconds, __version__])
    return summary


def _unmapped(con: duckdb.DuckDBPyConnection, shas: list[str]) -> dict[str, Any]:
    where = "file_sha256 IN (SELECT unnest($shas))"
    actors = con.execute(f"""
        SELECT actor, count(*) AS n FROM (
            SELECT source_actor AS actor FROM events WHERE {where} AND source_iso3 IS NULL
            UNION ALL
            SELECT target_actor FROM events WHERE {where} AND target_iso3 IS NULL)
        WHERE actor IS NOT NULL GROUP BY actor ORDER BY n DESC, actor""",
        {"shas": shas}).fetchall()
    labels = con.execute("""
        SELECT s.label_raw, count(*) AS n FROM _stage s JOIN _labels l ON l.raw = s.label_raw
        WHERE l.code IS NULL AND s.reason IS NULL GROUP BY 1 ORDER BY n DESC""").fetchall()
    (unlabelled,) = con.execute(
        f"SELECT count(*) FROM events WHERE {where} AND goldstein IS NULL", {"shas": shas}
    ).fetchone() or (0,)
    return {
        "unmapped_actor_mentions": sum(int(n) for _, n in actors),
        "unmapped_actors": [(str(a), int(n)) for a, n in actors[:20]],
        "unlabelled_events": int(unlabelled),
        "unmatched_labels": [(str(a), int(n)) for a, n in labels[:20]],
    }


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
) -> IngestSummary:
    """Stream event files into the store in one transaction; see the module docstring.

    ``fmt`` is 'auto' (sniffed per file) or one of gdelt, icews, icews-tkg, mmkb; ``clock``
    overrides the time unit of TKG ID files. Raises InputError (nothing written) when a file
    is missing or its format cannot be told; StoreError when the database fails.
    """
    t0 = time.perf_counter()
    con = store.con
    ensure_events_schema(con)
    sources = [s for p in paths for s in sources_of(Path(p))]
    formats = [detect_format(s, fmt, clock) for s in sources]
    sizes = [s.size() for s in sources]
    total = sum(sizes)
    report = progress or (lambda _done, _total: None)
    files: list[FileSummary] = []
    con.execute("BEGIN TRANSACTION")
    try:
        _register_lookups(con)
        done = 0
        for source, f, size in zip(sources, formats, sizes, strict=True):
            files.append(_ingest_source(con, source, f, _offset(report, done, total),
                                        chunk_bytes))
            done += size
            report(done, total)
        extra = _unmapped(con, [f.file_sha256 for f in files])
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
    return IngestSummary(files, time.perf_counter() - t0, **extra)


def events_status(store: Store, top: int = 15) -> dict[str, Any]:
    """What the event tables hold: per dataset counts and dates, files, quarantine, unmapped."""
    ensure_events_schema(store.con)
    datasets = store.query(
        "SELECT dataset, count(*) AS events, min(event_date) AS first, max(event_date) AS last, "
        "count(*) FILTER (WHERE source_iso3 IS NULL OR target_iso3 IS NULL) AS partly_unmapped, "
        "count(*) FILTER (WHERE goldstein IS NULL) AS unscored "
        "FROM events GROUP BY dataset ORDER BY dataset")
    files = store.query(
        "SELECT file, file_sha256, format, dataset, rows_read, stored, duplicates, quarantined, "
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
