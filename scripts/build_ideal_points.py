"""Build the balance index's reference tables from ../shared/data.

- ``unga_ideal_points.csv``: ideal points of UN members from the roll calls of sessions 65-74
  (2010-2019), see :mod:`tightrope.exposure.idealpoints`. The number of dimensions is chosen
  from 1-3 by the mean log-likelihood of one vote in ten left out (balance method v4), and the
  scores are printed and written to ``unga_dimensions.csv``.
- ``mid_2000_2014.csv``: militarised interstate disputes 2000-2014 per directed dyad.

Usage: ``python scripts/build_ideal_points.py [--shared ../shared/data]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from tightrope.exposure.idealpoints import fit_ideal_points, held_out_log_likelihood
from tightrope.ingest.codes import country_codes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_reference_tables import cow_to_iso3

SESSIONS = (65, 74)
MIN_VOTES = 100
DIMS = (1, 2, 3)
SEED = 20100914
VOTE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
#: Legacy codes of the voting data that stand for a current state in the sessions used: the
#: data keep Serbia's seat under "Yugoslavia" (YU) through 2019 (Montenegro votes as ME since
#: 2006). The other legacy codes (CS, DD, YD, ...) vote only before 1993.
LEGACY_CODES = {"YU": "SRB"}


def build_ideal_points(shared: Path, out: Path) -> None:
    cc = country_codes()
    iso2 = {r.iso2: r.iso3 for r in cc.rows.values() if r.iso2}
    votes = pd.read_csv(shared / "unvotes/un_votes.csv", keep_default_na=False)
    calls = pd.read_csv(shared / "unvotes/un_roll_calls.csv", usecols=["rcid", "session"])
    calls = calls[calls.session.between(*SESSIONS)]
    v = votes.merge(calls, on="rcid")
    v["iso3"] = v["country_code"].map(iso2 | LEGACY_CODES)
    unmapped = sorted(set(v.loc[v.iso3.isna(), "country_code"]))
    if unmapped:
        raise SystemExit(f"un_votes.csv: codes without a state in sessions {SESSIONS}: "
                         f"{', '.join(unmapped)}")
    v = v.dropna(subset=["iso3"])
    v["y"] = v["vote"].map(VOTE)
    n = v.groupby("iso3").size()
    v = v[v.iso3.isin(n[n >= MIN_VOTES].index)]
    countries = tuple(sorted(v.iso3.unique()))
    ci = v.iso3.map({c: k for k, c in enumerate(countries)}).to_numpy()
    rc = {r: k for k, r in enumerate(sorted(v.rcid.unique()))}
    rj = v.rcid.map(rc).to_numpy()
    y = v.y.to_numpy()
    scores = []
    for d in DIMS:
        s = held_out_log_likelihood(ci, rj, y, len(countries), dims=d, seed=SEED)
        scores.append(s)
        print(f"dimensions {d}: held-out mean log-likelihood {s:.5f}", flush=True)
    dims = DIMS[int(np.argmax(scores))]
    pd.DataFrame({"dims": DIMS, "held_out_mean_log_likelihood": np.round(scores, 6),
                  "chosen": [d == dims for d in DIMS]}).to_csv(out / "unga_dimensions.csv",
                                                              index=False)
    ip = fit_ideal_points(ci, rj, y, countries, reference="USA", seed=SEED, dims=dims)
    df = pd.DataFrame({"iso3": countries})
    for k in range(dims):
        df[f"theta{k + 1}"] = ip.theta[:, k].round(4)
    for a in range(dims):
        for b in range(a, dims):
            df[f"cov{a + 1}{b + 1}"] = ip.cov[:, a, b].round(6)
    df["n_votes"] = ip.n_votes
    df["sessions"] = f"{SESSIONS[0]}-{SESSIONS[1]}"
    df.to_csv(out / "unga_ideal_points.csv", index=False)
    print(f"ideal points: {len(df)} countries, {dims} dimension(s), {len(rc)} roll calls, "
          f"{len(v)} votes")


def build_mids(shared: Path, out: Path) -> None:
    cow = cow_to_iso3(shared)
    m = pd.read_csv(shared / "mids/cow_mid_dirdisps.csv")
    m = m[m.year.between(2000, 2014)]
    m["a"] = m.ccode1.map(cow)
    m["b"] = m.ccode2.map(cow)
    m = m.dropna(subset=["a", "b"])
    g = m.groupby(["a", "b"]).agg(n_disputes=("dispnum", "nunique"),
                                  max_hostlev=("hostlev1", "max")).reset_index()
    g.to_csv(out / "mid_2000_2014.csv", index=False)
    print("mids", len(g))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    args = ap.parse_args()
    out = Path(__file__).resolve().parents[1] / "src/tightrope/data/balance"
    np.seterr(over="ignore")
    build_mids(Path(args.shared), out)
    build_ideal_points(Path(args.shared), out)


if __name__ == "__main__":
    main()
