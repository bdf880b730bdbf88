"""SQL and per-chunk steps of the event ingest (used by :mod:`tightrope.store.events`).

Each chunk of a file is staged (as an Arrow table seen as ``_stage``) with its format's SQL, its
distinct labels, codes, places and actor names are mapped (in Python, once per distinct value),
and its good rows are appended to ``events`` unless their key is already there. Nothing here
commits: the caller holds the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from tightrope.ingest.actors import actor_resolver
from tightrope.ingest.cameo import cameo_table, normalise_label
from tightrope.ingest.codes import country_codes
from tightrope.ingest.eventfiles import Chunk
from tightrope.ingest.eventformat import EventFormat
from tightrope.store.stagesql import stage_sql

__all__ = ["ALL_LOOKUPS", "EVENTS_SCHEMA", "ValueMaps", "insert_chunk", "register_lookups",
           "stage_chunk"]

EVENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id_space VARCHAR NOT NULL, event_id BIGINT NOT NULL, dataset VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    source_actor VARCHAR, source_iso3 VARCHAR, target_actor VARCHAR, target_iso3 VARCHAR,
    cameo_code VARCHAR, event_label VARCHAR, quad_class TINYINT, goldstein DOUBLE,
    goldstein_from VARCHAR, num_mentions INTEGER, file_id INTEGER NOT NULL, line BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_quarantine (
    file VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, line BIGINT NOT NULL,
    reason VARCHAR NOT NULL, raw VARCHAR, format VARCHAR, quarantined_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS event_files (
    file_id INTEGER NOT NULL, file VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL,
    format VARCHAR, dataset VARCHAR, rows_read BIGINT, stored BIGINT, duplicates BIGINT,
    quarantined BIGINT, seconds DOUBLE, ingested_at TIMESTAMP, tightrope_version VARCHAR
);
"""

_KEYED = """
WITH s AS (
    SELECT st.*, {cameo_code} AS cameo_code, {label_norm} AS label_norm
    FROM _stage st
    {code_joins}
    WHERE st.reason IS NULL
), k AS (
    SELECT s.*, CASE WHEN s.id_space = 'sha' THEN CAST(md5_number_lower(concat_ws('|',
            coalesce(s.source_actor, ''), coalesce(s.label_norm, s.label_raw, ''),
            coalesce(s.target_actor, ''), CAST(s.event_date AS VARCHAR))) >> 1 AS BIGINT)
        ELSE s.event_id END AS key
    FROM s
)"""

_INSERT = """, d AS (
    SELECT * FROM k {dedupe}
)
SELECT d.id_space, d.key, {dataset}, d.event_date,
    d.source_actor, {source_iso3},
    d.target_actor, {target_iso3},
    d.cameo_code, d.label_raw, coalesce(d.quad_class, cm.quad_class),
    coalesce(d.goldstein, cm.goldstein),
    CASE WHEN d.goldstein IS NOT NULL THEN d.goldstein_from
         WHEN cm.goldstein IS NOT NULL THEN 'cameo-table' END,
    d.num_mentions, {file_id}, d.line
FROM d
LEFT JOIN _cameo cm ON cm.code = d.cameo_code
{place_joins}
{actor_joins}
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id BETWEEN {lo} AND {hi}
                  AND e.id_space = d.id_space AND e.event_id = d.key)
"""

#: Look-up joins, left out while their table is empty (a join with an empty table only
#: contributes NULLs, which the coalesce around it skips).
_JOINS = {
    "code": "LEFT JOIN _codes cd ON cd.raw = st.code_raw",
    "label": "LEFT JOIN _labels lb ON lb.raw = st.label_raw",
    "place": "LEFT JOIN _places sp ON sp.name = d.source_place\n"
             "LEFT JOIN _places tp ON tp.name = d.target_place",
    "actor": "LEFT JOIN _actors sa ON sa.name = d.source_actor\n"
             "    AND d.event_date BETWEEN sa.start_date AND sa.end_date\n"
             "LEFT JOIN _actors ta ON ta.name = d.target_actor\n"
             "    AND d.event_date BETWEEN ta.start_date AND ta.end_date",
}
ALL_LOOKUPS = frozenset(_JOINS)


def _keyed(lookups: frozenset[str]) -> str:
    code = [x for x, on in (("cd.code", "code"), ("lb.code", "label")) if on in lookups]
    return _KEYED.format(
        cameo_code=f"coalesce({', '.join([*code, 'st.code_raw'])})",
        label_norm="lb.norm" if "label" in lookups else "CAST(NULL AS VARCHAR)",
        code_joins="\n    ".join(_JOINS[x] for x in ("code", "label") if x in lookups))


def _iso3(role: str, lookups: frozenset[str]) -> str:
    p = role[0]
    parts = [f"d.{role}_iso3", *([f"{p}p.iso3"] if "place" in lookups else []),
             *([f"{p}a.iso3"] if "actor" in lookups else [])]
    return f"coalesce({', '.join(parts)})"


def register_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """The CAMEO and country-code tables, and the empty temporary tables of an ingest."""
    codes = list(cameo_table().codes.values())
    con.register("_cameo", pa.table({
        "code": [c.code for c in codes],
        "goldstein": pa.array([c.goldstein for c in codes], pa.float64()),
        "quad_class": pa.array([c.quad_class for c in codes], pa.int8()),
    }))
    con.register("_iso3", pa.table({"code": list(country_codes().rows)}))  # PSE included
    con.execute("CREATE OR REPLACE TEMP TABLE _rej (line BIGINT, reason VARCHAR, raw VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _labels (raw VARCHAR, code VARCHAR, norm VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _codes (raw VARCHAR, code VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _places (name VARCHAR, iso3 VARCHAR)")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _actors "
        "(name VARCHAR, iso3 VARCHAR, start_date DATE, end_date DATE, how VARCHAR)"
    )


def _on(con: duckdb.DuckDBPyConnection, staged: pa.Table, sql: str) -> duckdb.DuckDBPyRelation:
    """Run ``sql`` with ``staged`` visible as ``_stage``.

    Per-chunk data is never ``register``-ed: inside the open transaction DuckDB keeps every
    registered view (and its Arrow table) alive until the commit, so memory would grow with the
    file. A relation's ``query`` leaves no catalog entry behind.
    """
    rel = con.from_arrow(staged).query("_stage", sql)
    if rel is None:  # only statements without a result give None; ours all have one
        raise RuntimeError(f"no result from: {sql[:80]}")
    return rel


def stage_chunk(
    con: duckdb.DuckDBPyConnection, fmt: EventFormat, chunk: Chunk
) -> tuple[pa.Table, int]:
    """The chunk through its format's SQL (an Arrow table) and its number of good rows; bad
    rows are added to ``_rej``."""
    tbl = chunk.table.append_column("line", pa.array(chunk.lines, pa.int64()))
    rel = con.from_arrow(tbl).query("_chunk", stage_sql(fmt))
    if rel is None:
        raise RuntimeError("the staging SQL gave no result")
    staged = rel.to_arrow_table()
    bad = _on(con, staged, "SELECT line, reason FROM _stage WHERE reason IS NOT NULL").fetchall()
    rows = [(r.line, r.reason, r.raw) for r in chunk.rejects]
    if bad:
        index = {int(n): i for i, n in enumerate(chunk.lines.tolist())}
        cols = chunk.table.columns
        for line, reason in bad:
            i = index[int(line)]
            rows.append((line, reason, "\t".join(str(c[i].as_py()) for c in cols)[:400]))
    if rows:
        con.executemany("INSERT INTO _rej VALUES (?, ?, ?)", rows)
    return staged, staged.num_rows - len(bad)


class ValueMaps:
    """Maps distinct labels, codes, places and actor names of staged chunks into the temporary
    look-up tables, each value once per ingest; counts events whose label has no code."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.seen: dict[str, set[str]] = {k: set() for k in ("label", "code", "place", "actor")}
        self.no_code: set[str] = set()
        self.unlabelled: Counter[str] = Counter()
        #: Look-up tables (code, label, place, actor) holding at least one row.
        self.filled: set[str] = set()

    def _fresh(self, kind: str, staged: pa.Table, columns: tuple[str, ...]) -> list[str]:
        values: set[str] = set()
        for c in columns:
            col = staged.column(c)
            if col.null_count < len(col):
                values |= {v for v in pc.unique(col).to_pylist() if v is not None}
        new = sorted(values - self.seen[kind])
        self.seen[kind] |= set(new)
        return new

    def update(self, fmt: EventFormat, staged: pa.Table) -> None:
        table, resolver, con = cameo_table(), actor_resolver(), self.con
        labels = self._fresh("label", staged, ("label_raw",))
        if labels:
            rows = [(r, table.code_for_label(r), normalise_label(r.replace("_", " ")))
                    for r in labels]
            self.no_code |= {r for r, code, _ in rows if code is None}
            con.executemany("INSERT INTO _labels VALUES (?, ?, ?)", rows)
            self.filled.add("label")
        if self.no_code and staged.column("label_raw").null_count < staged.num_rows:
            ok = pc.and_(pc.is_null(staged.column("reason")),
                         pc.is_in(staged.column("label_raw"), pa.array(sorted(self.no_code))))
            for item in pc.value_counts(pc.filter(staged.column("label_raw"), ok)).to_pylist():
                self.unlabelled[str(item["values"])] += int(item["counts"])
        codes = self._fresh("code", staged, ("code_raw",))
        if codes:
            con.executemany("INSERT INTO _codes VALUES (?, ?)",
                            [(r, table.normalise_code(r)) for r in codes])
            self.filled.add("code")
        places = self._fresh("place", staged, ("source_place", "target_place"))
        if places:
            con.executemany("INSERT INTO _places VALUES (?, ?)",
                            [(p, resolver.place(p)) for p in places])
            self.filled.add("place")
        if fmt.name == "gdelt":  # GDELT gives country codes; its actor names are not resolved
            return
        names = self._fresh("actor", staged, ("source_actor", "target_actor"))
        periods = [(n, p.iso3, p.start or dt.date(1, 1, 1), p.end or dt.date(9999, 12, 31),
                    p.how) for n in names for p in resolver.periods(n)]
        if periods:
            con.executemany("INSERT INTO _actors VALUES (?, ?, ?, ?, ?)", periods)
            self.filled.add("actor")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def insert_chunk(
    con: duckdb.DuckDBPyConnection, fmt: EventFormat, staged: pa.Table, file_id: int,
    lookups: frozenset[str] = ALL_LOOKUPS,
) -> int:
    """Append the staged chunk's good rows whose key is new; returns how many were stored.

    ``lookups`` names the look-up tables that hold rows (:attr:`ValueMaps.filled`); the
    others are not joined."""
    if staged.num_rows == 0:
        return 0
    keyed = _keyed(lookups)
    if fmt.name in ("gdelt", "icews"):  # keys are the ids: summarise them in Arrow
        ids = pc.filter(staged.column("event_id"), pc.is_null(staged.column("reason")))
        mm = pc.min_max(ids).as_py()
        lo, hi = mm["min"], mm["max"]
        repeats = len(ids) - pc.count_distinct(ids).as_py()
    else:
        ((lo, hi, repeats),) = _on(con, staged, keyed + " SELECT min(key), max(key), "
                                   "count(*) - count(DISTINCT (id_space, key)) FROM k").fetchall()
    if lo is None:
        return 0
    # The window that drops repeated keys within a chunk is costly; run it only when needed.
    dedupe = "QUALIFY row_number() OVER (PARTITION BY id_space, key ORDER BY line) = 1"
    sql = "INSERT INTO events " + keyed + _INSERT.format(
        dedupe=dedupe if repeats else "", dataset=_literal(fmt.dataset), file_id=int(file_id),
        lo=int(lo), hi=int(hi), source_iso3=_iso3("source", lookups),
        target_iso3=_iso3("target", lookups),
        place_joins=_JOINS["place"] if "place" in lookups else "",
        actor_joins=_JOINS["actor"] if "actor" in lookups else "")
    rows = _on(con, staged, sql).fetchall()
    return int(rows[0][0]) if rows else 0
