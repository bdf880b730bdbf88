"""Build the small reference tables Tightrope ships from ../shared/data (maintainers only).

    python scripts/build_reference_tables.py [--shared ../shared/data]

Writes into src/tightrope/data/reference/:
  unga_agreement.csv.gz  UN General Assembly vote agreement, country x power x year, 1991-2019
  atop_2018.csv          ATOP v5 alliance obligations in force in 2018 (directed dyads)
  nmc_2022.csv           COW National Material Capabilities v7.0, 2022 (CINC and components)
  capitals.csv           capital coordinates (COW capitals, latest spell)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from tightrope.ingest.codes import country_codes

COW_OVERRIDES = {260: "DEU", 255: "DEU", 345: "SRB", 437: "CIV", 316: "CZE", 365: "RUS",
                 2: "USA", 710: "CHN", 713: "TWN", 732: "KOR", 731: "PRK", 347: "XKX"}
POWERS_SINGLE = ["USA", "RUS", "CHN", "GBR", "FRA", "DEU", "TUR", "IRN", "ISR", "SAU", "IND",
                 "JPN", "ARE", "EGY", "QAT"]
EU27 = ["AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
        "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
        "SVN", "ESP", "SWE"]
GCC = ["BHR", "KWT", "OMN", "QAT", "SAU", "ARE"]
VOTE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}


def cow_to_iso3(shared: Path) -> dict[int, str]:
    cc = country_codes()
    s = pd.read_csv(shared / "cow-peacesciencer/cow_states.csv").drop_duplicates("ccode",
                                                                               keep="last")
    out = {}
    for _, r in s.iterrows():
        iso = COW_OVERRIDES.get(int(r.ccode)) or cc.lookup_name(str(r.statenme))
        if iso:
            out[int(r.ccode)] = iso
    out.update(COW_OVERRIDES)
    return out


def majority(block: pd.DataFrame, members: list[str]) -> pd.Series:
    """Per roll call, the members' majority position (yes/abstain/no as 1/0.5/0); ties -> mean."""
    sub = block[block.iso3.isin(members)]
    counts = sub.groupby(["rcid", "v"]).size().unstack(fill_value=0)
    top = counts.max(axis=1)
    winners = counts.eq(top, axis=0)
    cols = np.array(counts.columns, dtype=float)
    return pd.Series((winners.to_numpy() * cols).sum(axis=1) / winners.sum(axis=1).to_numpy(),
                     index=counts.index)


def build_unga(shared: Path, out: Path) -> None:
    cc = country_codes()
    votes = pd.read_csv(shared / "unvotes/un_votes.csv", keep_default_na=False)
    calls = pd.read_csv(shared / "unvotes/un_roll_calls.csv", usecols=["rcid", "date"])
    calls["year"] = calls["date"].str[:4].astype(int)
    iso2 = {r.iso2: r.iso3 for r in cc.rows.values() if r.iso2}
    votes["iso3"] = votes["country_code"].map(iso2)
    votes = votes.dropna(subset=["iso3"])
    votes["v"] = votes["vote"].map(VOTE)
    votes = votes.merge(calls[["rcid", "year"]], on="rcid")
    votes = votes[votes.year >= 1991]
    wide = votes.pivot_table(index="rcid", columns="iso3", values="v", aggfunc="first")
    powers = {p: wide[p] for p in POWERS_SINGLE if p in wide}
    powers["EUU"] = majority(votes, EU27).reindex(wide.index)
    powers["GCC"] = majority(votes, GCC).reindex(wide.index)
    year = calls.set_index("rcid")["year"].reindex(wide.index)
    rows = []
    for p, pv in powers.items():
        agree = 1.0 - (wide.sub(pv, axis=0)).abs()
        agree["year"] = year.to_numpy()
        g = agree.groupby("year")
        mean = g.mean().stack().rename("agreement")
        n = g.count().stack().rename("n_votes")
        df = pd.concat([mean, n], axis=1).reset_index()
        df.columns = ["year", "iso3", "agreement", "n_votes"]
        df["power"] = p
        rows.append(df[df.n_votes > 0])
    res = pd.concat(rows)[["iso3", "power", "year", "n_votes", "agreement"]]
    res["agreement"] = res["agreement"].round(4)
    res.sort_values(["iso3", "power", "year"]).to_csv(out / "unga_agreement.csv.gz", index=False)
    print("unga", len(res))


def build_cow(shared: Path, out: Path) -> None:
    m = cow_to_iso3(shared)
    atop = pd.read_csv(shared / "cow-peacesciencer/atop_alliance.csv")
    atop = atop[atop.year == 2018].copy()
    atop["a"] = atop.ccode1.map(m)
    atop["b"] = atop.ccode2.map(m)
    atop = atop.dropna(subset=["a", "b"])
    cols = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    atop = atop[atop[cols].sum(axis=1) > 0]
    atop[["a", "b", *cols]].to_csv(out / "atop_2018.csv", index=False)
    nmc = pd.read_csv(shared / "cow-peacesciencer/cow_nmc.csv")
    nmc = nmc[nmc.year == nmc.year.max()].copy()
    nmc["iso3"] = nmc.ccode.map(m)
    nmc = nmc.dropna(subset=["iso3"])
    nmc[["iso3", "year", "milex", "milper", "tpop", "cinc"]].to_csv(out / "nmc_2022.csv",
                                                                   index=False)
    caps = pd.read_csv(shared / "cow-peacesciencer/cow_capitals.csv")
    caps = caps.sort_values("enddate").drop_duplicates("ccode", keep="last")
    caps["iso3"] = caps.ccode.map(m)
    caps = caps.dropna(subset=["iso3"]).drop_duplicates("iso3", keep="last")
    caps[["iso3", "capital", "lat", "lng"]].to_csv(out / "capitals.csv", index=False)
    print("atop", len(atop), "nmc", len(nmc), "capitals", len(caps))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    args = ap.parse_args()
    shared = Path(args.shared)
    out = Path(__file__).resolve().parents[1] / "src/tightrope/data/reference"
    out.mkdir(exist_ok=True)
    build_cow(shared, out)
    build_unga(shared, out)


if __name__ == "__main__":
    main()
