"""Opening the store and its schema.

The store is one DuckDB file. Its path is, in order: the ``--db`` option, the environment
variable ``TIGHTROPE_DB``, or ``tightrope.duckdb`` in the user's data directory
(``platformdirs.user_data_dir("tightrope")``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import platformdirs

from tightrope.errors import StoreError

__all__ = ["SCHEMA", "VALUE_COLUMNS", "Store", "default_db_path", "open_store"]

#: Columns that carry a number with its provenance (see tightrope.provenance).
VALUE_COLUMNS = """
    kind VARCHAR NOT NULL CHECK (kind IN ('fact', 'assumption', 'unknown')),
    value DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR,
    source VARCHAR, year INTEGER, where_read VARCHAR, note VARCHAR
"""

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS loads (
    dataset VARCHAR PRIMARY KEY, origin VARCHAR, content_hash VARCHAR, loaded_at TIMESTAMP,
    n_rows BIGINT, tightrope_version VARCHAR
);
CREATE TABLE IF NOT EXISTS countries (
    iso3 VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, iso2 VARCHAR, gec VARCHAR
);
CREATE TABLE IF NOT EXISTS country_facts (
    iso3 VARCHAR NOT NULL, attribute VARCHAR NOT NULL, {VALUE_COLUMNS}
);
CREATE TABLE IF NOT EXISTS borders (a VARCHAR NOT NULL, b VARCHAR NOT NULL, {VALUE_COLUMNS});
CREATE TABLE IF NOT EXISTS seas (
    sea VARCHAR NOT NULL, iso3 VARCHAR NOT NULL, littoral_source VARCHAR, littoral_year INTEGER,
    {VALUE_COLUMNS}
);
CREATE TABLE IF NOT EXISTS memberships (
    iso3 VARCHAR NOT NULL, org VARCHAR NOT NULL, kind VARCHAR, status VARCHAR, joined INTEGER,
    source VARCHAR, year INTEGER, where_read VARCHAR, note VARCHAR
);
CREATE TABLE IF NOT EXISTS trade_partners (
    iso3 VARCHAR NOT NULL, partner VARCHAR NOT NULL, flow VARCHAR NOT NULL, share DOUBLE,
    source VARCHAR, year INTEGER, where_read VARCHAR
);
CREATE TABLE IF NOT EXISTS ethnic_groups (
    iso3 VARCHAR NOT NULL, grp VARCHAR NOT NULL, share DOUBLE,
    source VARCHAR, year INTEGER, where_read VARCHAR
);
-- added after the first release: stores made before get the columns here
ALTER TABLE ethnic_groups ADD COLUMN IF NOT EXISTS low DOUBLE;
ALTER TABLE ethnic_groups ADD COLUMN IF NOT EXISTS high DOUBLE;
ALTER TABLE ethnic_groups ADD COLUMN IF NOT EXISTS note VARCHAR;
ALTER TABLE trade_partners ADD COLUMN IF NOT EXISTS note VARCHAR;
CREATE TABLE IF NOT EXISTS languages (
    iso3 VARCHAR NOT NULL, language VARCHAR NOT NULL, share DOUBLE, official BOOLEAN,
    source VARCHAR, year INTEGER, where_read VARCHAR
);
CREATE TABLE IF NOT EXISTS resources (
    iso3 VARCHAR NOT NULL, name VARCHAR NOT NULL, source VARCHAR, year INTEGER, where_read VARCHAR
);
CREATE TABLE IF NOT EXISTS ties (
    src VARCHAR NOT NULL, dst VARCHAR NOT NULL, channel VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL, tie_year INTEGER, {VALUE_COLUMNS}, rationale VARCHAR
);
CREATE TABLE IF NOT EXISTS blocs (
    code VARCHAR NOT NULL, name VARCHAR, member VARCHAR NOT NULL, source VARCHAR, year INTEGER
);
CREATE TABLE IF NOT EXISTS curated_events (
    date DATE NOT NULL, actor VARCHAR NOT NULL, target VARCHAR, description VARCHAR,
    source VARCHAR, year INTEGER, where_read VARCHAR, tags VARCHAR
);
CREATE TABLE IF NOT EXISTS unga_agreement (
    iso3 VARCHAR NOT NULL, power VARCHAR NOT NULL, year INTEGER NOT NULL, n_votes INTEGER,
    agreement DOUBLE
);
CREATE TABLE IF NOT EXISTS alliances (
    a VARCHAR NOT NULL, b VARCHAR NOT NULL, defense INTEGER, offense INTEGER, neutral INTEGER,
    nonagg INTEGER, consul INTEGER, year INTEGER, source VARCHAR
);
CREATE TABLE IF NOT EXISTS capabilities (
    iso3 VARCHAR NOT NULL, year INTEGER, milex_kusd DOUBLE, milper_k DOUBLE, tpop_k DOUBLE,
    cinc DOUBLE, source VARCHAR
);
CREATE TABLE IF NOT EXISTS capitals (
    iso3 VARCHAR NOT NULL, capital VARCHAR, lat DOUBLE, lng DOUBLE, source VARCHAR
);
CREATE TABLE IF NOT EXISTS parse_issues (
    dataset VARCHAR, iso3 VARCHAR, file VARCHAR, field VARCHAR, text VARCHAR, reason VARCHAR
);
"""


def default_db_path() -> Path:
    """The store path from ``TIGHTROPE_DB`` or the user data directory."""
    env = os.environ.get("TIGHTROPE_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("tightrope")) / "tightrope.duckdb"


@dataclass
class Store:
    """An open connection to the store file."""

    path: Path
    con: duckdb.DuckDBPyConnection

    def close(self) -> None:
        self.con.close()

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Rows as dicts."""
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description or []]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def is_loaded(self, dataset: str = "world") -> bool:
        return bool(self.query("SELECT 1 FROM loads WHERE dataset = ?", [dataset]))


@contextmanager
def open_store(path: Path | None = None, read_only: bool = False) -> Iterator[Store]:
    """Open (creating if needed) the store; the schema is created on first use."""
    p = path or default_db_path()
    if read_only and not p.exists():
        raise StoreError(f"{p}: no store here yet; run 'tightrope data load'")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(p), read_only=read_only)
    except duckdb.IOException as e:
        raise StoreError(
            f"{p}: cannot open the store ({e}); is another tightrope using it?"
        ) from None
    except duckdb.Error as e:
        raise StoreError(f"{p}: not a usable DuckDB store ({e})") from None
    except OSError as e:
        raise StoreError(f"{p}: cannot create the store ({e})") from None
    try:
        # DuckDB draws a progress bar on standard output for queries over 2 s, which would
        # corrupt the --json output of the commands on a large store
        con.execute("SET enable_progress_bar = false")
        if not read_only:
            con.execute(SCHEMA)
        yield Store(p, con)
    finally:
        con.close()
