"""Quarterly coded coercion by great powers toward their neighbours, from ICEWS events.

Input: the ICEWS 2005-2015 benchmark sample of García-Durán et al. (2018), named actors and ISO
dates (``mmkb/icews05-15``: the valid and test files, a ~20% random sample of the benchmark
spread evenly over 2005-2015; the train file is not in the shared folder). Actors are resolved
to countries by :func:`tightrope.ingest.actors.actor_resolver` (sector actors such as
"Government (Russia)" count for their country), event labels to CAMEO codes and Goldstein
scores by :func:`tightrope.ingest.cameo.cameo_table`.

Coercion, by CAMEO root: 13 threaten, 15 exhibit military posture, 16 reduce relations
(163 embargo/boycott/sanctions counted as ``sanctions``), 17 coerce, 18 assault, 19 fight,
20 unconventional mass violence (the last three as ``force``). A dyad-quarter is a *coercion
quarter* when the power directed at least one such event at the neighbour.

The relation temperature is the one Tightrope computes for a dyad (:mod:`tightrope.events`):
the mean Goldstein score of the events between the two, both directions — here over the four
preceding quarters and unweighted, since the benchmark files carry no mention counts.

Because the files are a sample, rates are rates *in the sample*: a fit and its evaluation must
use the same files (they do in :mod:`tightrope.evidence.backtest`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from tightrope.errors import DataUnavailableError

__all__ = ["CATEGORIES", "COERCION_ROOTS", "ICEWS_DATA", "POST_SOVIET_ISO3", "TEMPERATURE_BINS",
           "coercion_quarters", "icews_events", "temperature_bin"]

COERCION_ROOTS: Final = ("13", "15", "16", "17", "18", "19", "20")
#: Coercion categories (the issue's list) by CAMEO code prefix; 163 before 16.
CATEGORIES: Final = (("sanctions", ("163",)), ("threats", ("13",)),
                     ("military_posture", ("15",)), ("reduced_relations", ("16",)),
                     ("coerce", ("17",)), ("force", ("18", "19", "20")))
POST_SOVIET_ISO3: Final = ("ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU", "LVA", "MDA",
                           "TJK", "TKM", "UKR", "UZB")
#: Great powers and the neighbours whose quarters are counted (COW contiguity, land or sea).
NEIGHBOURS: Final = {
    "RUS": (*POST_SOVIET_ISO3, "CHN", "FIN", "NOR", "POL", "MNG", "PRK", "JPN"),
    "CHN": ("RUS", "MNG", "KAZ", "KGZ", "TJK", "AFG", "PAK", "IND", "NPL", "BTN", "MMR", "LAO",
            "VNM", "PRK", "KOR", "JPN", "PHL", "TWN"),
    "USA": ("CAN", "MEX", "CUB", "BHS", "RUS"),
}
#: Temperature bins on the Goldstein scale (-10 .. +10); ``none`` = no event in four quarters.
TEMPERATURE_BINS: Final = ("hostile", "cool", "warm", "none")
ICEWS_DATA = ("ICEWS coded event data (Boschee et al., Harvard Dataverse), 2005-2015 benchmark "
              "sample of García-Durán et al. (2018), ~20% of events")
_FILES = ("icews_2005-2015_valid.txt", "icews_2005-2015_test.txt")


def temperature_bin(t: float) -> str:
    """Bin of a mean Goldstein score: hostile < 0 <= cool < 3 <= warm; NaN -> none.

    >>> [temperature_bin(x) for x in (-2.0, 1.0, 4.5, float("nan"))]
    ['hostile', 'cool', 'warm', 'none']
    """
    if t != t:
        return "none"
    return "hostile" if t < 0 else "cool" if t < 3 else "warm"


def category_of(code: str) -> str:
    """Coercion category of a CAMEO code ('' when it is not coercion).

    >>> [category_of(c) for c in ("1631", "160", "138", "190", "042")]
    ['sanctions', 'reduced_relations', 'threats', 'force', '']
    """
    for name, prefixes in CATEGORIES:
        if code.startswith(prefixes):
            return name
    return ""


def icews_events(shared: Path) -> pd.DataFrame:
    """Events between resolved countries: src, dst, quarter (Period), root, code, goldstein."""
    return _events(str(shared)).copy()


@lru_cache(maxsize=2)
def _events(shared: str) -> pd.DataFrame:
    from tightrope.ingest.actors import actor_resolver
    from tightrope.ingest.cameo import cameo_table

    folder = Path(shared) / "icews-tkg" / "mmkb" / "icews05-15"
    paths = [folder / f for f in _FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DataUnavailableError(f"ICEWS files not found: {', '.join(missing)} (expected the "
                                   "shared data folder with icews-tkg/mmkb/icews05-15/)")
    d = pd.concat([pd.read_csv(p, sep="\t", header=None, names=["s", "r", "o", "date"],
                               quoting=3, dtype=str) for p in paths], ignore_index=True)
    res, ct = actor_resolver(), cameo_table()
    names = pd.unique(pd.concat([d.s, d.o]))
    iso = {n: res.resolve(n) for n in names}
    codes = {lab: ct.code_for_label(lab) for lab in d.r.unique()}
    d["src"], d["dst"], d["code"] = d.s.map(iso), d.o.map(iso), d.r.map(codes)
    d = d.dropna(subset=["src", "dst", "code"])
    d = d[d.src != d.dst]
    gold = {c: (ct.get(c).goldstein if ct.get(c) else np.nan)  # type: ignore[union-attr]
            for c in d.code.unique()}
    d["goldstein"] = d.code.map(gold)
    d["quarter"] = pd.PeriodIndex(pd.to_datetime(d.date), freq="Q")
    d["root"] = d.code.str[:2]
    return d[["src", "dst", "quarter", "root", "code", "goldstein"]].reset_index(drop=True)


def coercion_quarters(shared: Path, powers: tuple[str, ...] = ("RUS", "CHN", "USA"),
                      first: str = "2005Q1", last: str = "2015Q4") -> pd.DataFrame:
    """Dyad-quarter panel: power, target, quarter, coercion (0/1), events, temperature, bin.

    ``temperature`` is the mean Goldstein of the dyad's events (both directions) over the four
    quarters *before* the quarter, so it is known when the quarter begins.
    """
    ev = icews_events(shared)
    qs = pd.period_range(first, last, freq="Q")
    rows = []
    for p in powers:
        for t in NEIGHBOURS[p]:
            rows += [(p, t, q) for q in qs]
    panel = pd.DataFrame(rows, columns=["power", "target", "quarter"])
    co = ev[ev.root.isin(COERCION_ROOTS)]
    cnt = co.groupby(["src", "dst", "quarter"]).size().rename("events").reset_index()
    cnt = cnt.rename(columns={"src": "power", "dst": "target"})
    panel = panel.merge(cnt, how="left")
    panel["events"] = panel.events.fillna(0).astype(int)
    cat = co.assign(category=[category_of(c) for c in co.code])
    for name, _ in CATEGORIES:
        c = cat[cat.category == name].groupby(["src", "dst", "quarter"]).size()
        c = c.rename(name).reset_index().rename(columns={"src": "power", "dst": "target"})
        panel = panel.merge(c, how="left")
        panel[name] = (panel[name].fillna(0) > 0).astype(int)
    panel["coercion"] = (panel.events > 0).astype(int)
    both = pd.concat([ev.rename(columns={"src": "power", "dst": "target"}),
                      ev.rename(columns={"dst": "power", "src": "target"})])
    g = both.groupby(["power", "target", "quarter"]).goldstein.agg(["sum", "size"]).reset_index()
    panel = panel.merge(g, how="left").fillna({"sum": 0.0, "size": 0})
    panel = panel.sort_values(["power", "target", "quarter"]).reset_index(drop=True)
    by = panel.groupby(["power", "target"])
    s4 = by["sum"].transform(lambda s: s.shift(1).rolling(4, min_periods=1).sum())
    n4 = by["size"].transform(lambda s: s.shift(1).rolling(4, min_periods=1).sum())
    panel["temperature"] = np.where(n4 > 0, s4 / n4.where(n4 > 0, 1), np.nan)
    panel["bin"] = [temperature_bin(x) for x in panel.temperature]
    return panel.drop(columns=["sum", "size"])
