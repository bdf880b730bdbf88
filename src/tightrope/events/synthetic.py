"""Synthetic GDELT-shaped event files, for benchmarks and tests (never for analysis).

Rows have the exact GDELT 2.0 layout (61 tab-separated fields, or the 57/58 of GDELT 1.0);
event codes, Goldstein scores and QuadClass come from the shipped CAMEO table, so an ingest of
the file behaves as it would on real data. Dates, actors and mention counts are drawn from
``rng``; the values mean nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from tightrope.ingest.cameo import cameo_table
from tightrope.ingest.gdelt import GDELT_WIDTHS

__all__ = ["SYNTHETIC_COUNTRIES", "gdelt_table", "write_gdelt"]

#: Actor countries drawn (ISO3; "" = an actor without a country code, as GDELT often has).
SYNTHETIC_COUNTRIES = (
    "KAZ", "RUS", "CHN", "USA", "TUR", "IRN", "DEU", "FRA", "ITA", "POL", "JOR", "ISR",
    "SAU", "UZB", "KGZ", "GBR", "JPN", "IND", "",
)


def _dates(rng: np.random.Generator, n: int, start: str, end: str) -> np.ndarray:
    lo = np.datetime64(start, "D").astype(np.int64)
    hi = np.datetime64(end, "D").astype(np.int64)
    return (rng.integers(lo, hi + 1, n)).astype("datetime64[D]")


def gdelt_table(
    rng: np.random.Generator,
    n: int,
    *,
    first_id: int = 1,
    width: int = 61,
    start: str = "2005-01-01",
    end: str = "2015-12-31",
) -> pa.Table:
    """``n`` GDELT-shaped rows as a table of ``width`` string columns (57, 58 or 61)."""
    if width not in GDELT_WIDTHS:
        raise ValueError(f"GDELT rows have 57, 58 or 61 fields, not {width}")
    table = cameo_table()
    codes = np.array([c for c in table.codes if len(c) > 2])
    gold = np.array([table.codes[c].goldstein for c in codes])
    quad = np.array([table.codes[c].quad_class for c in codes])
    countries = np.array(SYNTHETIC_COUNTRIES)
    days = _dates(rng, n, start, end)
    ymd = np.char.replace(days.astype(str), "-", "")
    pick = rng.integers(0, len(codes), n)
    a1 = countries[rng.integers(0, len(countries), n)]
    a2 = countries[rng.integers(0, len(countries), n)]
    empty = np.full(n, "", dtype=object)

    def s(x: np.ndarray) -> pa.Array:
        return pa.array(np.asarray(x).astype(str), pa.string())

    year = ymd.astype("U4")
    doy = (days - days.astype("datetime64[Y]")).astype(np.int64)
    fraction = np.round(year.astype(np.int64) + doy / 365.0, 4)
    cols: list[pa.Array] = [pa.array(np.arange(first_id, first_id + n).astype(str))]
    cols += [s(ymd), s(ymd.astype("U6")), s(year), s(fraction)]
    for actor in (a1, a2):
        cols += [s(actor), s(actor), s(actor)] + [pa.array(empty, pa.string())] * 7
    event = codes[pick]
    cols += [s(rng.integers(0, 2, n)), s(event), s(event.astype("U3")), s(event.astype("U2")),
             s(quad[pick]), s(gold[pick]),
             s(rng.integers(1, 21, n)), s(rng.integers(1, 5, n)), s(rng.integers(1, 21, n)),
             s(np.round(rng.normal(0, 3, n), 3))]
    geo = 7 if width in (57, 58) else 8
    cols += [pa.array(empty, pa.string())] * (3 * geo)
    cols.append(s(np.char.add(ymd, "000000")) if width == 61 else s(ymd))
    if width != 57:
        cols.append(pa.array(np.full(n, "https://example.org/synthetic"), pa.string()))
    assert len(cols) == width
    return pa.table(cols, names=[f"c{i}" for i in range(width)])


def write_gdelt(path: Path, table: pa.Table) -> None:
    """Write a GDELT-shaped table as GDELT does: no header, TAB-separated, no quoting."""
    pacsv.write_csv(
        table,
        str(path),
        write_options=pacsv.WriteOptions(
            include_header=False, delimiter="\t", quoting_style="none"
        ),
    )
