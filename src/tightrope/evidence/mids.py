"""Directed dyad-years of great powers and their smaller neighbours, with MID hostility levels.

A *reference class* is a set of directed dyads (a great power ``a`` toward a neighbour ``b``)
over a span of years. Each dyad-year gets ``a``'s highest hostility level in any militarised
interstate dispute (MID) with ``b`` ongoing that year (0 when none), the same restricted to
disputes that began that year (onsets), whether ``a`` pressed a territorial revision (GML, to
2010), and the covariates the issue asks about: a defence or non-aggression pact (ATOP),
land contiguity, a strategic rivalry (Thompson & Dreyer), the log capability ratio (CINC) and
UN General Assembly vote agreement (Voeten; the shipped agreement table, 1991-2019).

Hostility levels (COW MID ``hostlev``): 1 no militarised action, 2 threat to use force,
3 display of force, 4 use of force, 5 war. ``hiact`` 14 is occupation of territory.

*References*: Palmer et al. (2022), The MID5 Dataset, 2011-2014, *CMPS* 39(4); Gibler, Miller
& Little (2016), *ISQ* 60(4); Leeds et al. (2002) ATOP; Stinnett et al. (2002) COW Direct
Contiguity; Thompson & Dreyer (2012), *Handbook of International Rivalries*; Singer, Bremer &
Stuckey (1972) NMC; Voeten (2013) UN votes.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from tightrope.errors import DataUnavailableError

__all__ = ["CLASSES", "POST_SOVIET", "RUNGS", "ReferenceClass", "cow_iso3", "dyad_years",
           "mid_files"]

#: COW codes of the fourteen post-Soviet states other than Russia.
POST_SOVIET: Final = (359, 366, 367, 368, 369, 370, 371, 372, 373, 701, 702, 703, 704, 705)
#: Rungs of the hostility ladder: name -> (column, threshold); ``occupation_or_war`` is
#: ``a``'s occupation of territory (hiact 14) or war (hostlev 5).
RUNGS: Final = {"threat": ("hostlev", 2), "display": ("hostlev", 3), "force": ("hostlev", 4),
                "war": ("hostlev", 5), "occupation_or_war": ("occupation_or_war", 1),
                "territorial": ("territorial", 1)}
#: COW codes that are not found by name in the countries table.
_COW_ISO3: Final = {2: "USA", 200: "GBR", 220: "FRA", 255: "DEU", 365: "RUS", 710: "CHN",
                    713: "TWN", 731: "PRK", 732: "KOR", 740: "JPN", 359: "MDA", 366: "EST",
                    367: "LVA", 368: "LTU", 369: "UKR", 370: "BLR", 371: "ARM", 372: "GEO",
                    373: "AZE", 701: "TKM", 702: "TJK", 703: "KGZ", 704: "UZB", 705: "KAZ",
                    663: "JOR", 666: "ISR", 630: "IRN", 640: "TUR", 670: "SAU", 645: "IRQ",
                    652: "SYR", 700: "AFG", 712: "MNG", 750: "IND", 760: "BTN", 770: "PAK",
                    775: "MMR", 790: "NPL", 812: "LAO", 816: "VNM", 840: "PHL"}


@dataclass(frozen=True, slots=True)
class ReferenceClass:
    """Directed dyads (power -> neighbour) over years; ``targets`` None = contiguous minors."""

    key: str
    label: str
    powers: tuple[int, ...]
    first_year: int
    last_year: int
    targets: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise ValueError(f"{self.key}: first year {self.first_year} > last {self.last_year}")


_MAJORS = (2, 200, 220, 255, 365, 710, 740)
CLASSES: Final = {
    "russia_post_soviet": ReferenceClass(
        "russia_post_soviet", "Russia toward the 14 other post-Soviet states, 1992-2014",
        (365,), 1992, 2014, POST_SOVIET),
    "china_neighbours": ReferenceClass(
        "china_neighbours", "China toward its land and sea neighbours (COW contiguity, "
        "water up to 400 miles), 1992-2014", (710,), 1992, 2014),
    "israel_neighbours": ReferenceClass(
        "israel_neighbours", "Israel (a regional, not a COW major, power) toward its land and "
        "sea neighbours, 1992-2014", (666,), 1992, 2014),
    "great_power_neighbours": ReferenceClass(
        "great_power_neighbours", "the seven COW major powers toward their contiguous "
        "non-major neighbours, 1992-2014", _MAJORS, 1992, 2014),
}


def mid_files(shared: Path) -> dict[str, Path]:
    """The input files under ``shared`` (../shared/data); raises when one is absent."""
    files = {
        "dirdisp": shared / "mids" / "cow_mid_dirdisps.csv",
        "gml": shared / "mids" / "gml_dirdisp.csv",
        "contdir": shared / "cow-peacesciencer" / "cow_contdir.csv",
        "atop": shared / "cow-peacesciencer" / "atop_alliance.csv",
        "nmc": shared / "cow-peacesciencer" / "cow_nmc.csv",
        "rivalries": shared / "cow-peacesciencer" / "td_rivalries.csv",
        "states": shared / "cow-peacesciencer" / "cow_states.csv",
    }
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise DataUnavailableError(f"MID reference data not found: {', '.join(missing)} "
                                   "(expected the shared data folder with mids/ and "
                                   "cow-peacesciencer/)")
    return files


def cow_iso3(ccode: int, states: Path | None = None) -> str:
    """ISO3 of a COW code: fixed codes first, else by state name in ``states`` (cow_states).

    'COW<n>' when neither knows the code.
    """
    if int(ccode) in _COW_ISO3:
        return _COW_ISO3[int(ccode)]
    if states is not None:
        return _cow_names(str(states)).get(int(ccode), f"COW{int(ccode)}")
    return f"COW{int(ccode)}"


@lru_cache(maxsize=2)
def _cow_names(states: str) -> dict[int, str]:
    from tightrope.ingest.codes import country_codes

    cc = country_codes()
    t = pd.read_csv(states).drop_duplicates("ccode", keep="last")
    out = {int(r.ccode): iso for r in t.itertuples() if (iso := cc.lookup_name(str(r.statenme)))}
    out.update(_COW_ISO3)
    return out


def _dyads(f: dict[str, Path], rc: ReferenceClass) -> pd.DataFrame:
    states = pd.read_csv(f["states"])
    years = np.arange(rc.first_year, rc.last_year + 1)
    alive = {(int(s.ccode), int(y)) for s in states.itertuples()
             for y in range(max(int(s.styear), rc.first_year), min(int(s.endyear),
                                                                   rc.last_year) + 1)}
    cont = pd.read_csv(f["contdir"])
    cont = cont[cont.ccode1.isin(rc.powers) & cont.conttype.between(1, 5)]
    rows = []
    for a in rc.powers:
        for y in years:
            if rc.targets is not None:
                bs = rc.targets
            else:
                c = cont[(cont.ccode1 == a) & (cont.stdate.str[:4].astype(int) <= y)
                         & (cont.enddate.str[:4].astype(int) >= y)]
                bs = tuple(int(b) for b in c.ccode2.unique() if int(b) not in _MAJORS)
            rows += [(a, b, int(y)) for b in bs if (a, int(y)) in alive and (b, int(y)) in alive]
    return pd.DataFrame(rows, columns=["a", "b", "year"]).drop_duplicates()


def _hostility(f: dict[str, Path], d: pd.DataFrame) -> pd.DataFrame:
    m = pd.read_csv(f["dirdisp"])
    m = m[m.ccode1.isin(d.a.unique())].rename(columns={"ccode1": "a", "ccode2": "b"})
    m["occ"] = ((m.hiact1 == 14) | (m.hostlev1 == 5)).astype(int)
    agg = m.groupby(["a", "b", "year"]).agg(hostlev=("hostlev1", "max"),
                                            occupation_or_war=("occ", "max")).reset_index()
    on = m[m.disponset == 1].groupby(["a", "b", "year"]).agg(
        onset_hostlev=("hostlev1", "max")).reset_index()
    g = pd.read_csv(f["gml"], usecols=["ccode1", "ccode2", "year", "revstate1", "revtype11",
                                       "revtype12"])
    g = g[(g.revstate1 == 1) & ((g.revtype11 == 1) | (g.revtype12 == 1))]
    terr = g.groupby(["ccode1", "ccode2", "year"]).size().rename("territorial").reset_index()
    terr = terr.rename(columns={"ccode1": "a", "ccode2": "b"})
    terr["territorial"] = 1
    out = d.merge(agg, how="left").merge(on, how="left").merge(terr, how="left")
    for c in ("hostlev", "occupation_or_war", "onset_hostlev", "territorial"):
        out[c] = out[c].fillna(0).astype(int)
    # the GML data end in 2010: no territorial coding after that year
    out.loc[out.year > 2010, "territorial"] = -1
    return out


def _covariates(f: dict[str, Path], d: pd.DataFrame) -> pd.DataFrame:
    at = pd.read_csv(f["atop"], usecols=["ccode1", "ccode2", "year", "atop_defense",
                                         "atop_nonagg"])
    at = at.rename(columns={"ccode1": "a", "ccode2": "b"})
    at["alliance"] = ((at.atop_defense == 1) | (at.atop_nonagg == 1)).astype(int)
    out = d.merge(at[["a", "b", "year", "alliance"]], how="left")
    cont = pd.read_csv(f["contdir"])
    land = cont[cont.conttype == 1]
    land_pairs = {(int(r.ccode1), int(r.ccode2)) for r in land.itertuples()
                  if r.enddate[:4] >= "1992"}
    out["land"] = [int((a, b) in land_pairs) for a, b in zip(out.a, out.b, strict=True)]
    riv = pd.read_csv(f["rivalries"])
    rv = {(int(min(r.ccode1, r.ccode2)), int(max(r.ccode1, r.ccode2)), y)
          for r in riv.itertuples()
          for y in range(int(r.styear), int(r.endyear if r.endyear == r.endyear else 2020) + 1)}
    out["rivalry"] = [int((min(a, b), max(a, b), y) in rv)
                      for a, b, y in zip(out.a, out.b, out.year, strict=True)]
    nmc = pd.read_csv(f["nmc"], usecols=["ccode", "year", "cinc"]).set_index(["ccode", "year"])
    ca = nmc.reindex(list(zip(out.a, out.year, strict=True))).cinc.to_numpy()
    cb = nmc.reindex(list(zip(out.b, out.year, strict=True))).cinc.to_numpy()
    out["log_cap_ratio"] = np.log(np.asarray(ca, float) / np.asarray(cb, float))
    ag = _agreement()
    out["b_iso3"] = [cow_iso3(b, f["states"]) for b in out.b]
    out["agreement"] = [ag.get((cow_iso3(b, f["states"]), cow_iso3(a), y), np.nan)
                        for a, b, y in zip(out.a, out.b, out.year, strict=True)]
    out["alliance"] = out["alliance"].fillna(0).astype(int)
    return out


@lru_cache(maxsize=1)
def _agreement() -> dict[tuple[str, str, int], float]:
    """UNGA vote agreement (country, power, year) from the shipped reference table."""
    raw = resources.files("tightrope.data").joinpath("reference", "unga_agreement.csv.gz")
    with raw.open("rb") as fh, gzip.open(fh, "rt", encoding="utf-8") as g:
        t = pd.read_csv(g)
    return {(r.iso3, r.power, int(r.year)): float(r.agreement) for r in t.itertuples()}


def dyad_years(shared: Path, rc: ReferenceClass) -> pd.DataFrame:
    """The dyad-year table of one reference class (columns: a, b, year, hostlev, ...)."""
    return _cached(str(shared), rc).copy()


@lru_cache(maxsize=8)
def _cached(shared: str, rc: ReferenceClass) -> pd.DataFrame:
    f = mid_files(Path(shared))
    d = _dyads(f, rc)
    return _covariates(f, _hostility(f, d)).sort_values(["a", "b", "year"]).reset_index(
        drop=True)
