"""Every country's tie to every camp, channel by channel, from data that covers every country.

Each channel gives, per country and camp, a central tie in [0, 1], a [low, high] range and a
sampler for the Monte Carlo band. NaN = unknown, or the camp is the country itself.
See docs/balance-validation.md for the method of each channel.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from tightrope._types import FloatArray
from tightrope.exposure.campdata import CAMPS, DEPTH_CLASSES, BalanceData
from tightrope.store import balance as q
from tightrope.store import queries
from tightrope.store.db import Store

__all__ = ["HEADLINE_CHANNELS", "WORLD_CHANNELS", "ChannelTies", "WorldInputs", "distance_ties",
           "read_world_inputs"]

#: Channels of the world index, in display order.
WORLD_CHANNELS: Final = ("alignment", "security", "institutions", "trade", "investment",
                         "energy")
#: Channels measured for every country: the headline portfolio and the ranking rest on these
#: (investment and energy are curated for two countries and stay in the per-channel detail).
HEADLINE_CHANNELS: Final = ("alignment", "security", "institutions", "trade")
ENERGY_INDICATORS: Final = ("oil_export_transit_share", "gas_import_share")
_ALLIANCE_SCORE: Final = {"defense": 1.0, "offense": 1.0, "neutral": 0.5, "consul": 0.5,
                          "nonagg": 0.25}
_FULL: Final = {"member"}
_OBSERVER_WORDS: Final = ("observer", "partner", "dialogue", "associate")

Sampler = Callable[[np.random.Generator, int], FloatArray]


@dataclass
class ChannelTies:
    """Ties of every country to every camp on one channel: arrays of shape (countries, camps)."""

    channel: str
    central: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    #: per country: a short provenance note (what the tie rests on)
    notes: list[str]
    sources: tuple[str, ...]
    sampler: Sampler | None = None

    def sample(self, rng: np.random.Generator, runs: int) -> NDArray[np.float64]:
        """(runs, countries, camps) draws: the channel's own sampler, else uniform on ranges."""
        if self.sampler is not None:
            return self.sampler(rng, runs)
        u = rng.random((runs, *self.central.shape))
        return np.asarray(self.low + u * (self.high - self.low), dtype=float)


@dataclass
class WorldInputs:
    iso3: tuple[str, ...]
    names: dict[str, str]
    channels: dict[str, ChannelTies]
    #: per country: MIDs and land borders with each camp (context, not in the index)
    context: list[dict[str, Any]] = field(default_factory=list)


def _not_applicable(data: BalanceData, iso3: tuple[str, ...]) -> NDArray[np.bool_]:
    """True where the camp consists of the country alone (a pole is not tied to itself)."""
    out = np.zeros((len(iso3), len(CAMPS)), dtype=bool)
    for k, c in enumerate(CAMPS):
        members = data.camps[c].members
        for i, x in enumerate(iso3):
            out[i, k] = not (members - {x})
    return out


def distance_ties(theta: NDArray[np.float64], points: NDArray[np.float64]
                   ) -> NDArray[np.float64]:
    """Ties from ideal-point proximity: ``t_k = max(0, 1 - ||theta - theta_k|| / D)``.

    ``theta`` (..., dims) the state's ideal point; ``points`` (..., camps, dims) the camps'
    ideal points; ``D`` the largest distance between two camps' points (per row); distances
    are Euclidean. A state at a camp's point has tie 1 to it; a tie falls to 0 at distance D.

    >>> distance_ties(np.array([0.0]), np.array([[0.0], [-1.0], [-2.0]])).tolist()
    [1.0, 0.5, 0.0]
    """
    th = np.asarray(theta, dtype=float)[..., None, :]
    pts = np.asarray(points, dtype=float)
    between = np.sqrt(np.sum((pts[..., :, None, :] - pts[..., None, :, :]) ** 2, axis=-1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        d = np.nanmax(between, axis=(-2, -1))[..., None]
    dist = np.sqrt(np.sum((th - pts) ** 2, axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.clip(1.0 - dist / d, 0.0, 1.0)
    return np.asarray(np.where(d > 0, out, np.nan), dtype=float)


#: draws and seed of the alignment channel's own 90% range (the index's band draws separately)
_RANGE_DRAWS, _RANGE_SEED = 1000, 20230601


def _alignment(data: BalanceData, iso3: tuple[str, ...]) -> ChannelTies:
    n = len(iso3)
    dims = len(next(iter(data.ideal.values())).theta) if data.ideal else 1
    theta = np.full((n, dims), np.nan)
    chol = np.zeros((n, dims, dims))
    for i, x in enumerate(iso3):
        if x in data.ideal:
            theta[i] = data.ideal[x].theta
            chol[i] = np.linalg.cholesky(np.array(data.ideal[x].cov))
    pos = {x: i for i, x in enumerate(iso3)}
    # per country and camp, the camp's leaders other than the country itself place the camp
    sets = [[[pos[x] for x in data.camps[c].leaders if x != y and x in pos and x in data.ideal]
             for c in CAMPS] for y in iso3]

    def points(th: NDArray[np.float64]) -> NDArray[np.float64]:
        # th: (runs, n, dims) -> camp ideal points (runs, n, camps, dims)
        out = np.full((th.shape[0], n, len(CAMPS), dims), np.nan)
        for i, per_camp in enumerate(sets):
            for k, s in enumerate(per_camp):
                if s:
                    out[:, i, k] = th[:, s].mean(axis=1)
        return out

    na = _not_applicable(data, iso3)
    central = distance_ties(theta[None], points(theta[None]))[0]
    central[na] = np.nan

    def sampler(rng: np.random.Generator, runs: int) -> NDArray[np.float64]:
        z = rng.standard_normal((runs, n, dims))
        th = theta[None] + np.einsum("nab,rnb->rna", chol, z)
        out = distance_ties(th, points(th))
        out[:, na] = np.nan
        return out

    # the channel's own range: 5th-95th percentile of the ties over draws of every point
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        draws = sampler(np.random.default_rng(_RANGE_SEED), _RANGE_DRAWS)
        low, high = np.nanpercentile(draws, [5, 95], axis=0)
    nan = na | np.isnan(central)
    low[nan] = np.nan
    high[nan] = np.nan

    def where(x: str) -> str:
        p = data.ideal[x]
        coords = ", ".join(f"{t:+.2f}" for t in p.theta)
        se = ", ".join(f"{s:.2f}" for s in p.se)
        return (f"UN ideal point ({coords}) (s.e. {se}; {dims} dimension"
                f"{'s' if dims > 1 else ''}, {p.n_votes} votes, sessions "
                f"{data.ideal_sessions}); tie = proximity to each camp's ideal point")

    notes = [where(x) if x in data.ideal else "no ideal point: no votes under this country's "
             "code in the 2010-2019 voting data" for x in iso3]
    src = ("Voeten, UN General Assembly voting data (unvotes, to 2020); ideal points in "
           f"{dims} dimension{'s' if dims > 1 else ''} estimated by Tightrope (dimensions "
           "chosen by held-out vote likelihood)",)
    return ChannelTies("alignment", central, low, high, notes, src, sampler)


def _security(store: Store, data: BalanceData, iso3: tuple[str, ...]) -> ChannelTies:
    states = q.system_states(store)
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for r in q.all_alliances(store):
        score, kind = max(((_ALLIANCE_SCORE[k], k) for k in _ALLIANCE_SCORE if r[k]),
                          default=(0.0, ""))
        # an obligation either way ties the pair (ATOP dyads are directed and may be
        # asymmetric: the US obliged to defend Japan, Japan only to consult)
        for x, y in ((r["a"], r["b"]), (r["b"], r["a"])):
            camp = data.camp_of(y)
            if camp and x != y and score > best.get((x, camp), (0.0, ""))[0]:
                best[(x, camp)] = (score, f"ATOP {kind} with {y}")
    n = len(iso3)
    t = np.full((n, len(CAMPS)), np.nan)
    notes = []
    for i, x in enumerate(iso3):
        if x not in states:
            notes.append("not a state of the COW system: no ATOP coverage")
            continue
        parts = []
        for k, c in enumerate(CAMPS):
            if not data.camps[c].members - {x}:
                continue
            score, why = best.get((x, c), (0.0, ""))
            if c == "WEST" and x in data.mnna and score < 0.5:
                score, why = 0.5, "US Major Non-NATO Ally"
            t[i, k] = score
            if why:
                parts.append(f"{c}: {why}")
        notes.append("; ".join(parts) or "no ATOP obligation with any camp in 2018")
    src = ("ATOP v5 (Leeds et al. 2002), obligations in force in 2018", data.mnna_source)
    return ChannelTies("security", t, t.copy(), t.copy(), notes, src)


def _status_class(status: str, depth_class: str) -> str | None:
    s = (status or "").lower()
    if s in _FULL:
        return depth_class
    if any(w in s for w in _OBSERVER_WORDS):
        return "observer"
    return None


def _institutions(data: BalanceData, iso3: tuple[str, ...]) -> ChannelTies:
    has = np.zeros((len(iso3), len(CAMPS), len(DEPTH_CLASSES)), dtype=bool)
    pos = {x: i for i, x in enumerate(iso3)}
    why: dict[int, list[str]] = defaultdict(list)
    for r in data.memberships_2020:
        i = pos.get(r["iso3"])
        org = data.orgs.get(r["org"])
        if org is None:
            continue
        cls = _status_class(r["status"], org.depth_class)
        if i is None or cls is None:
            continue
        for c in org.camps:
            has[i, CAMPS.index(c), DEPTH_CLASSES.index(cls)] = True
        why[i].append(f"{r['org']} ({cls})")
    listed = {r["iso3"] for r in data.memberships_2020}
    known = np.array([x in listed for x in iso3])
    na = _not_applicable(data, iso3)
    mask = ~known[:, None] | na

    def ties(depths: NDArray[np.float64]) -> NDArray[np.float64]:
        # depths: (runs, classes) -> (runs, n, camps)
        out = (has[None] * depths[:, None, None, :]).max(axis=-1)
        out[:, mask] = np.nan
        return np.asarray(out, dtype=float)

    d = data.depth
    central = ties(np.array([[d[c].value for c in DEPTH_CLASSES]]))[0]
    low = ties(np.array([[d[c].low for c in DEPTH_CLASSES]]))[0]
    high = ties(np.array([[d[c].high for c in DEPTH_CLASSES]]))[0]

    def sampler(rng: np.random.Generator, runs: int) -> NDArray[np.float64]:
        lo = np.array([d[c].low for c in DEPTH_CLASSES])
        hi = np.array([d[c].high for c in DEPTH_CLASSES])
        return ties(lo + rng.random((runs, len(DEPTH_CLASSES))) * (hi - lo))

    notes = [", ".join(why[i]) if why[i] else
             ("no membership of a camp's organisation" if known[i]
              else "the Factbook lists no organisations") for i in range(len(iso3))]
    eds = sorted({r["edition"] for r in data.memberships_2020})
    src = (f"CIA World Factbook, edition of {', '.join(eds)} (international organization "
           "participation); organisation depths: Tightrope assumptions",)
    return ChannelTies("institutions", central, low, high, notes, src, sampler)


def _flow_tie(rows: list[dict[str, Any]], members: set[str]) -> tuple[float, float] | None:
    if not rows:
        return None
    listed = sum(r["share"] for r in rows if r["partner"] in members)
    n_listed = len({r["partner"] for r in rows if r["partner"] in members})
    floor = min(r["share"] for r in rows)
    total = sum(r["share"] for r in rows)
    unlisted = len(members) - n_listed
    return listed, listed + max(0.0, min(unlisted * floor, 1.0 - total))


def _trade(data: BalanceData, iso3: tuple[str, ...]) -> ChannelTies:
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in data.trade_2010s:
        by[(r["iso3"], r["flow"])].append(r)
    n = len(iso3)
    central = np.full((n, len(CAMPS)), np.nan)
    low, high = central.copy(), central.copy()
    notes, years = [], set()
    for i, x in enumerate(iso3):
        flows = [by.get((x, f), []) for f in ("exports", "imports")]
        if not any(flows):
            notes.append("the Factbook lists no trade partners")
            continue
        for rows in flows:
            years |= {r["year"] for r in rows}
        for k, c in enumerate(CAMPS):
            members = set(data.camps[c].members) - {x}
            if c == "WEST":
                members |= {"EUU"}
            if not members - {"EUU"}:
                continue
            ft = [t for t in (_flow_tie(rows, members) for rows in flows) if t is not None]
            lo = float(np.mean([a for a, _ in ft]))
            hi = float(np.mean([b for _, b in ft]))
            central[i, k], low[i, k], high[i, k] = lo, lo, min(hi, 1.0)
        yrs = sorted({r["year"] for rows in flows for r in rows})
        eds = sorted({r["edition"] for rows in flows for r in rows})
        notes.append(f"listed partners ({', '.join(map(str, yrs))}; Factbook edition of "
                     f"{', '.join(eds)}): " + "; ".join(
            f"{f} " + ", ".join(f"{r['partner']} {r['share']:.0%}" for r in rows)
            for f, rows in zip(("exports", "imports"), flows, strict=True) if rows)
            + " (value: listed shares, a lower bound; unlisted camp members censored below "
              "the smallest listed share)")
    yr = f"{min(years)}-{max(years)}" if years else ""
    src = (f"CIA World Factbook, top trade partners ({yr}; per country the newest edition "
           "with lists for 2010-2019, editions of 2020-2026)",)
    return ChannelTies("trade", central, low, high, notes, src)


def _curated(store: Store, data: BalanceData, iso3: tuple[str, ...],
             channel: str) -> ChannelTies:
    rows = q.camp_ties(store, (channel,))
    n = len(iso3)
    central = np.full((n, len(CAMPS)), np.nan)
    low, high = central.copy(), central.copy()
    notes = []
    sources: set[str] = set()
    for i, x in enumerate(iso3):
        mine = [r for r in rows if r["src"] == x]
        if channel == "investment":
            ind = "fdi_gross_share"
        else:
            ind = next((e for e in ENERGY_INDICATORS if any(r["indicator"] == e for r in mine)),
                       "")
        mine = [r for r in mine if r["indicator"] == ind and r["kind"] != "unknown"
                and r["value"] is not None]
        if not mine:
            notes.append(f"no sourced {channel} figures: unknown, not imputed")
            continue
        used = []
        for k, c in enumerate(CAMPS):
            members = set(data.camps[c].members) | ({"EUU"} if c == "WEST" else set())
            part = [r for r in mine if r["dst"] in members and r["dst"] != x]
            if not part:
                continue
            central[i, k] = min(1.0, sum(r["value"] for r in part))
            low[i, k] = min(1.0, sum(r["low"] for r in part))
            high[i, k] = min(1.0, sum(r["high"] for r in part))
            used += [f"{r['dst']} {r['value']:.0%}" for r in part]
            sources |= {r["source"] for r in part if r["source"]}
        notes.append(f"{ind}: " + ", ".join(used) if used else f"{ind}: no camp figure")
    return ChannelTies(channel, central, low, high, notes, tuple(sorted(sources)))


def _context(store: Store, data: BalanceData, iso3: tuple[str, ...]) -> list[dict[str, Any]]:
    borders: dict[str, set[str]] = defaultdict(set)
    for a, b in queries.border_pairs(store):
        borders[a].add(b)
        borders[b].add(a)
    out = []
    for x in iso3:
        ctx: dict[str, Any] = {}
        for c in CAMPS:
            members = data.camps[c].members - {x}
            disputes = [(b, *data.mids[(x, b)]) for b in sorted(members) if (x, b) in data.mids]
            ctx[c] = {"land_border_with": sorted(borders[x] & members),
                      "disputes_2000_2014": [{"with": b, "n": n, "max_hostility": h,
                                              "source": "COW MID v5 (Palmer et al. 2022)",
                                              "year": 2014}
                                             for b, n, h in disputes]}
        out.append(ctx)
    return out


def read_world_inputs(store: Store, data: BalanceData) -> WorldInputs:
    """Every Factbook country's ties to every camp on every channel."""
    rows = q.all_countries(store)
    iso3 = tuple(r["iso3"] for r in rows)
    names = {r["iso3"]: r["name"] for r in rows}
    ch = {
        "alignment": _alignment(data, iso3),
        "security": _security(store, data, iso3),
        "institutions": _institutions(data, iso3),
        "trade": _trade(data, iso3),
        "investment": _curated(store, data, iso3, "investment"),
        "energy": _curated(store, data, iso3, "energy"),
    }
    return WorldInputs(iso3, names, ch, _context(store, data, iso3))
