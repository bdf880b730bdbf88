"""Property tests: GDELT rows round-trip through the reader; chunking never changes a read;
temperature maths stays in range."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import duckdb
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tightrope.events.months import MonthRange
from tightrope.events.series import MonthlyAggregate, build_series
from tightrope.ingest.cameo import cameo_table
from tightrope.ingest.eventfiles import batched, read_chunks
from tightrope.store.db import Store
from tightrope.store.events import ingest_events

CODES = sorted(c for c in cameo_table().codes if len(c) > 2)
COUNTRIES = ["KAZ", "RUS", "CHN", "USA", "EUR", "", "PSE"]
name_text = st.text(st.characters(categories=("L", "N", "P", "Zs"), exclude_characters="\t"),
                    max_size=20)


@st.composite
def gdelt_rows(draw: st.DrawFn) -> dict[str, object]:
    code = draw(st.sampled_from(CODES))
    c = cameo_table().codes[code]
    return {
        "id": draw(st.integers(1, 2**62)),
        "date": draw(st.dates(dt.date(1979, 1, 1), dt.date(2030, 12, 31))),
        "a1": draw(name_text), "a1cc": draw(st.sampled_from(COUNTRIES)),
        "a2": draw(name_text), "a2cc": draw(st.sampled_from(COUNTRIES)),
        "code": code, "quad": c.quad_class, "goldstein": c.goldstein,
        "mentions": draw(st.one_of(st.none(), st.integers(0, 10**6))),
    }


def gdelt_line(r: dict[str, object], width: int) -> str:
    f = [""] * width
    d = r["date"]
    assert isinstance(d, dt.date)
    f[0], f[1] = str(r["id"]), d.strftime("%Y%m%d")
    f[6], f[7], f[16], f[17] = str(r["a1"]), str(r["a1cc"]), str(r["a2"]), str(r["a2cc"])
    f[26], f[29], f[30] = str(r["code"]), str(r["quad"]), str(r["goldstein"])
    f[31] = "" if r["mentions"] is None else str(r["mentions"])
    return "\t".join(f)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(gdelt_rows(), min_size=1, max_size=30, unique_by=lambda r: r["id"]),
       st.sampled_from([57, 58, 61]))
def test_gdelt_rows_round_trip(rows: list[dict[str, object]], width: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.CSV"
        path.write_text("\n".join(gdelt_line(r, width) for r in rows) + "\n", encoding="utf-8")
        con = duckdb.connect()
        try:
            store = Store(Path(tmp) / "memory", con)
            summary = ingest_events(store, [path])
            got = {e["event_id"]: e for e in store.query("SELECT * FROM events")}
        finally:
            con.close()
    assert summary.files[0].stored == len(rows) and summary.files[0].quarantined == 0
    for line, r in enumerate(rows, 1):
        e = got[r["id"]]
        assert e["event_date"] == r["date"] and e["line"] == line
        assert e["source_actor"] == (r["a1"] or None) and e["target_actor"] == (r["a2"] or None)
        for side, cc in (("source_iso3", r["a1cc"]), ("target_iso3", r["a2cc"])):
            assert e[side] == (cc if cc in ("KAZ", "RUS", "CHN", "USA", "PSE") else None)
        assert (e["cameo_code"], e["quad_class"], e["goldstein"]) == (
            r["code"], r["quad"], r["goldstein"])
        assert e["num_mentions"] == r["mentions"]


lines_st = st.lists(
    st.one_of(
        st.lists(st.text(st.characters(categories=("L", "N")), max_size=6), min_size=3,
                 max_size=3).map("\t".join),
        st.lists(st.text(st.characters(categories=("L", "N")), max_size=6), min_size=1,
                 max_size=5).map("\t".join),
        st.just(""),
    ),
    max_size=40,
)


def _read(data: bytes, chunk: int, blocks: int = 1
          ) -> tuple[list[tuple[int, str, str, str]], list[tuple[int, str]]]:
    good: list[tuple[int, str, str, str]] = []
    bad: list[tuple[int, str]] = []
    chunks = read_chunks(io.BytesIO(data), include=(0, 1, 2), width=3, chunk_bytes=chunk)
    for c in batched(chunks, blocks):
        cols = [c.table.column(f"c{i}").to_pylist() for i in range(3)]
        good += list(zip(c.lines.tolist(), *cols, strict=True))
        bad += [(r.line, r.reason) for r in c.rejects]
    return good, bad


@settings(max_examples=150, deadline=None)
@given(lines_st, st.integers(1, 64), st.booleans(), st.integers(1, 5))
def test_chunking_never_changes_what_is_read(lines: list[str], chunk: int, final_nl: bool,
                                             blocks: int) -> None:
    """Any block size, and any number of blocks merged for the database, read the same rows,
    line numbers and rejects, in file order."""
    data = ("\n".join(lines) + ("\n" if final_nl and lines else "")).encode()
    good, bad = _read(data, chunk, blocks)
    assert (good, bad) == _read(data, 1 << 20)
    physical = data.decode().split("\n")
    if physical[-1] == "":  # text after the last newline, if empty, is no line
        physical.pop()
    assert good == [(i, *ln.split("\t")) for i, ln in enumerate(physical, 1)
                    if ln and ln.count("\t") == 2]
    assert sorted(n for n, _ in bad) == [i for i, ln in enumerate(physical, 1)
                                         if not ln or ln.count("\t") != 2]


events_st = st.lists(
    st.tuples(st.integers(0, 23),                                   # month index
              st.floats(-10, 10, allow_nan=False),                  # Goldstein
              st.one_of(st.none(), st.integers(0, 500)),            # mentions
              st.one_of(st.none(), st.integers(1, 4)),              # QuadClass
              st.booleans()),                                       # scored?
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(events_st, st.integers(1, 6))
def test_temperature_maths(events: list[tuple[int, float, int | None, int | None, bool]],
                           window: int) -> None:
    months = MonthRange("2010-01", "2011-12").months()
    rows = [{"month": months[m], "events": 1,
             "weight": max(w or 1, 1) if ok else 0,
             "weighted_goldstein": g * max(w or 1, 1) if ok else 0,
             "scored": int(ok), **{f"q{k}": int(q == k) for k in range(1, 5)}}
            for m, g, w, q, ok in events]
    s = build_series(MonthlyAggregate.from_rows(rows, months), "A", "B", window=window)
    assert sum(s.events) == len(events)
    for t in range(len(months)):
        here = [(g, max(w or 1, 1), q, ok) for m, g, w, q, ok in events if m == t]
        scored = [(g, w) for g, w, _, ok in here if ok]
        mean = s.mean_goldstein[t]
        if scored:
            assert mean is not None and -10 <= mean <= 10
            direct = sum(g * w for g, w in scored) / sum(w for _, w in scored)
            assert abs(mean - direct) < 1e-5
        else:
            assert mean is None
        sm = s.smoothed_goldstein[t]
        assert sm is None or -10 <= sm <= 10
        shares = [s.quad_shares[k][t] for k in s.quad_shares]
        if any(q is not None for _, _, q, _ in here):
            assert all(x is not None and 0 <= x <= 1 for x in shares)
            assert abs(sum(x for x in shares if x is not None) - 1) < 1e-5
        else:
            assert all(x is None for x in shares)
    if s.overall_goldstein is not None:
        assert -10 <= s.overall_goldstein <= 10


@given(st.integers(1990, 2030), st.integers(1, 12), st.integers(0, 200))
def test_month_range_length(y: int, m: int, k: int) -> None:
    start = dt.date(y, m, 1)
    end_index = y * 12 + m - 1 + k
    r = MonthRange(f"{start:%Y-%m}", f"{end_index // 12:04d}-{end_index % 12 + 1:02d}")
    months = r.months()
    assert len(months) == k + 1 and months[0] == r.start and months[-1] == r.end
    assert r.first_day == start and r.last_day.day in (28, 29, 30, 31)


def test_clear_level_shift_is_found() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(7))
    months = MonthRange("2005-01", "2008-12").months()
    values = np.r_[np.full(24, 5.0), np.full(24, -4.0)] + rng.normal(0, 0.5, 48)
    rows = [{"month": m, "events": 1, "weight": 1, "weighted_goldstein": v, "scored": 1,
             "q1": 1, "q2": 0, "q3": 0, "q4": 0} for m, v in zip(months, values, strict=True)]
    s = build_series(MonthlyAggregate.from_rows(rows, months), "A", "B")
    assert [c["month"] for c in s.change_points] == ["2007-01"]
    assert s.change_points[0]["mean_before"] > 4 and s.change_points[0]["mean_after"] < -3
    flat = [dict(r, weighted_goldstein=2.0) for r in rows]
    assert build_series(MonthlyAggregate.from_rows(flat, months), "A", "B").change_points == ()
