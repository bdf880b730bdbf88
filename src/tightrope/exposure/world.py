"""The world balance index: every Factbook country's balance over camps, ranked, with a band.

Method v4 (v3's headline over inputs that all describe the 2010s) and validation:
docs/balance-validation.md. Each camp's portfolio tie ``T_k`` is its
tie averaged over the known channels that cover every country (alignment, security,
institutions, trade). Headline: the hedging index ``H = sqrt(P * T_(2))`` with evenness
``P = 1 - (T_(1) - T_(2))`` (method v2's headline, still reported as ``evenness_v2``)
(:mod:`tightrope.exposure.camps`). Per channel ``B_c = 1 - (t_(1) - t_(2))``, reported beneath,
and their mean (``channel_mean``). Band = 5th-95th percentile over seeded draws of every range
(ideal points, organisation depths, censored trade shares, channel weights).

The world ranking ranks the states outside every camp; camp members (``camps.yaml``) are
ranked among themselves in a separate list (``member_rank``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from tightrope.exposure.campdata import CAMPS, BalanceData, balance_data
from tightrope.exposure.camps import hedging_index, lean_balance, portfolio_ties, weighted_overall
from tightrope.exposure.worldinputs import (
    HEADLINE_CHANNELS,
    WORLD_CHANNELS,
    WorldInputs,
    read_world_inputs,
)
from tightrope.provenance import Assumption
from tightrope.store.db import Store

__all__ = ["WORLD_SCHEMA", "CountryBalance", "WorldBalance", "band_class", "camp_balance_entries",
           "world_balance"]

WORLD_SCHEMA: Final = "tightrope.world/4"
METHOD_VERSION: Final = 4
#: Class boundaries: thirds of the scale, fixed before validation.
CLASSES: Final = ((2 / 3, "balanced"), (1 / 3, "leaning"), (0.0, "aligned"))
#: A value resting on fewer headline channels is listed but not ranked (a territory with one known
#: channel is not comparable with a state measured on four).
MIN_CHANNELS_TO_RANK: Final = 3
CHANNEL_WEIGHT: Final = Assumption(1.0, 0.5, 1.5, "weight",
                                   "channels count equally; range ±50% sampled in the band")


def band_class(value: float, strongest_tie: float | None = None) -> str | None:
    """'balanced' (>= 2/3), 'leaning' (>= 1/3) or 'aligned'; below 1/3 with a strongest
    portfolio tie under 1/3 (when given), 'weakly tied'. None when unknown."""
    if math.isnan(value):
        return None
    name = next(name for edge, name in CLASSES if value >= edge)
    if (name == "aligned" and strongest_tie is not None and not math.isnan(strongest_tie)
            and strongest_tie < CLASSES[1][0]):
        return "weakly tied"
    return name


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 4)


@dataclass
class CountryBalance:
    iso3: str
    name: str
    overall: float
    band: tuple[float, float]
    channel_index: dict[str, float]
    channel_band: dict[str, tuple[float, float]]
    ties: dict[str, dict[str, float]]  # channel -> camp -> central tie
    notes: dict[str, str]
    sources: dict[str, tuple[str, ...]]
    leading_camp: str | None
    camp_of: str | None
    context: dict[str, Any]
    #: camp -> portfolio tie (mean tie over the known headline channels)
    camp_ties: dict[str, float]
    channel_mean: float
    channel_mean_band: tuple[float, float]
    #: method v2's headline P = 1 - (T_(1) - T_(2)), the evenness factor of H
    evenness_v2: float = math.nan
    evenness_v2_band: tuple[float, float] = (math.nan, math.nan)
    #: rank in the world ranking (states outside every camp)
    rank: int | None = None
    #: rank among camp members (a separate list)
    member_rank: int | None = None

    @property
    def strongest_tie(self) -> float:
        v = [t for t in self.camp_ties.values() if not math.isnan(t)]
        return max(v) if v else math.nan

    @property
    def klass(self) -> str | None:
        return band_class(self.overall, self.strongest_tie)

    @property
    def n_channels(self) -> int:
        """How many headline channels (those that cover every country) are known."""
        return len(self.known_channels)

    @property
    def known_channels(self) -> list[str]:
        return [c for c in HEADLINE_CHANNELS if not math.isnan(self.channel_index[c])]

    @property
    def curated_channels(self) -> list[str]:
        """Known channels outside the headline (curated for a few countries)."""
        return [c for c, v in self.channel_index.items()
                if c not in HEADLINE_CHANNELS and not math.isnan(v)]

    def to_json(self, data: BalanceData | None = None) -> dict[str, Any]:
        chans = {}
        for c, v in self.channel_index.items():
            chans[c] = {
                "value": _num(v), "band": [_num(self.channel_band[c][0]),
                                           _num(self.channel_band[c][1])],
                "kind": "unknown" if math.isnan(v) else "derived",
                "in_headline": c in HEADLINE_CHANNELS,
                "ties": {k: _num(t) for k, t in self.ties[c].items()} | {"kind": "derived"},
                "basis": self.notes[c],
                "sources": list(self.sources[c]) if not math.isnan(v) else [],
            }
        return {
            "iso3": self.iso3, "name": self.name, "rank": self.rank, "kind": "derived",
            "overall": {"value": _num(self.overall), "band": [_num(self.band[0]),
                                                              _num(self.band[1])],
                        "class": self.klass, "kind": "derived"
                        if not math.isnan(self.overall) else "unknown"},
            "evenness_v2": {"value": _num(self.evenness_v2),
                            "band": [_num(self.evenness_v2_band[0]),
                                     _num(self.evenness_v2_band[1])],
                            "kind": "unknown" if math.isnan(self.evenness_v2) else "derived"},
            "ranking": "camp members" if self.camp_of else "world",
            "member_rank": self.member_rank,
            "camp_ties": {k: _num(v) for k, v in self.camp_ties.items()} | {"kind": "derived"},
            "channel_mean": {"value": _num(self.channel_mean),
                             "band": [_num(self.channel_mean_band[0]),
                                      _num(self.channel_mean_band[1])],
                             "kind": "unknown" if math.isnan(self.channel_mean) else "derived"},
            "leading_camp": self.leading_camp, "member_of_camp": self.camp_of,
            "n_channels": self.n_channels, "known_channels": self.known_channels,
            "curated_channels": self.curated_channels,
            "channels": chans, "context": self.context,
        }


@dataclass
class WorldBalance:
    countries: list[CountryBalance]
    seed: int
    runs: int
    data: BalanceData

    def by_iso3(self, iso3: str) -> CountryBalance | None:
        return next((c for c in self.countries if c.iso3 == iso3), None)

    def ranked(self) -> list[CountryBalance]:
        """The world ranking first, then camp members by their rank among members, then the
        unranked; each by overall index, highest first, then by iso3."""
        return sorted(self.countries, key=lambda c: (
            c.rank is None, c.member_rank is None, math.isnan(c.overall),
            -np.nan_to_num(c.overall), c.iso3))

    def n_ranked(self) -> int:
        """How many states the world ranking holds."""
        return sum(1 for c in self.countries if c.rank is not None)

    def n_member_ranked(self) -> int:
        return sum(1 for c in self.countries if c.member_rank is not None)

    def would_rank(self, value: float) -> int | None:
        """The place a value would take in the world ranking (1 + states above it)."""
        if math.isnan(value):
            return None
        return 1 + sum(1 for c in self.countries if c.rank is not None and c.overall > value)

    def median_ranked(self) -> float:
        """Median headline value of the world ranking (the validation's miss line)."""
        v = [c.overall for c in self.countries if c.rank is not None]
        return float(np.median(v)) if v else math.nan

    def spread(self) -> dict[str, dict[str, float | int | None]]:
        """Per channel, across countries: count, mean, standard deviation, IQR."""
        out: dict[str, dict[str, float | int | None]] = {}
        for ch in WORLD_CHANNELS:
            v = np.array([c.channel_index[ch] for c in self.countries])
            v = v[~np.isnan(v)]
            if v.size == 0:
                out[ch] = {"n": 0, "mean": None, "sd": None, "iqr": None}
                continue
            q1, q3 = np.percentile(v, [25, 75])
            out[ch] = {"n": int(v.size), "mean": round(float(v.mean()), 3),
                       "sd": round(float(v.std()), 3), "iqr": round(float(q3 - q1), 3)}
        return out

    def to_json(self) -> dict[str, Any]:
        d = self.data
        return {
            "schema": WORLD_SCHEMA,
            "method": {
                "camps": {c.code: {"name": c.name, "members": sorted(c.members),
                                   "sources": list(c.sources)} for c in d.camps.values()},
                "version": METHOD_VERSION,
                "overall": "hedging index: T_k = mean tie to camp k over the known headline "
                           "channels (equal weights); P = 1 - (T_(1) - T_(2)); "
                           "overall = sqrt(P * T_(2))",
                "evenness_v2": "P = 1 - (T_(1) - T_(2)), method v2's headline",
                "headline_channels": list(HEADLINE_CHANNELS),
                "channel_index": "B_c = 1 - (t_(1) - t_(2)): one minus the margin between the "
                                 "two strongest camp ties, ties in [0, 1]",
                "channel_mean": "mean of the known headline channel indices (secondary)",
                "alignment_tie": "max(0, 1 - ||theta - theta_k|| / D): Euclidean proximity "
                                 "of the UN ideal point to each camp's, D the largest "
                                 "distance between two camps' points; dimensions chosen by "
                                 "held-out vote likelihood",
                "period": "the 2010s: UN votes 2010-2019, ATOP 2018, Factbook memberships "
                          "of November 2020, trade partner lists for 2010-2019",
                "band": "5th-95th percentile over seeded draws of ideal points, organisation "
                        "depths, censored trade shares and channel weights",
                "classes": "balanced >= 2/3 > leaning >= 1/3 > aligned (strongest portfolio "
                           "tie >= 1/3) or weakly tied (strongest tie < 1/3)",
                "assumptions": {"channel_weight": asdict(CHANNEL_WEIGHT),
                                "organisation_depth": {k: asdict(a)
                                                       for k, a in d.depth.items()}},
                "ranking": f"states outside every camp with at least {MIN_CHANNELS_TO_RANK} "
                           "known headline channels are ranked (rank); camp members are "
                           "ranked among themselves (member_rank); the others are listed "
                           "with their value, unranked",
                "documentation": "docs/balance-validation.md",
            },
            "seed": self.seed, "runs": self.runs,
            "channel_spread": self.spread(),
            "countries": [c.to_json() for c in self.ranked()],
        }


def _pct(a: NDArray[np.float64]) -> NDArray[np.float64]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanpercentile(a, [5, 95], axis=0))


@dataclass
class _Computed:
    idx: NDArray[np.float64]  # (n, channels): per-channel index, all channels
    ch_band: NDArray[np.float64]  # (2, n, channels)
    camp_ties: NDArray[np.float64]  # (n, camps): portfolio ties over the headline channels
    overall: NDArray[np.float64]  # (n,)
    band: NDArray[np.float64]  # (2, n)
    evenness: NDArray[np.float64]  # (n,)
    evenness_band: NDArray[np.float64]  # (2, n)
    channel_mean: NDArray[np.float64]  # (n,)
    channel_mean_band: NDArray[np.float64]  # (2, n)


def _compute(inp: WorldInputs, seed: int, runs: int) -> _Computed:
    chans = [inp.channels[c] for c in WORLD_CHANNELS]
    head = [WORLD_CHANNELS.index(c) for c in HEADLINE_CHANNELS]
    central = np.stack([ch.central for ch in chans], axis=1)  # (n, C, K)
    idx = lean_balance(central)  # (n, C)
    camp_t = portfolio_ties(central[:, head], np.ones(len(head)))
    overall = hedging_index(camp_t)
    evenness = lean_balance(camp_t)
    ch_mean = weighted_overall(idx[:, head], np.ones(len(head)))
    streams = np.random.SeedSequence(seed).spawn(len(chans) + 1)
    draws = np.stack([ch.sample(np.random.default_rng(s), runs)
                      for ch, s in zip(chans, streams, strict=False)], axis=2)  # (runs, n, C, K)
    idx_draws = lean_balance(draws)  # (runs, n, C)
    w = CHANNEL_WEIGHT
    wd = w.low + np.random.default_rng(streams[-1]).random((runs, 1, len(head))) * (
        w.high - w.low)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        camp_draws = portfolio_ties(draws[:, :, head], wd)
        overall_draws = hedging_index(camp_draws)
        even_draws = lean_balance(camp_draws)
    mean_draws = weighted_overall(idx_draws[:, :, head], wd)
    return _Computed(idx, _pct(idx_draws), camp_t, overall, _pct(overall_draws), evenness,
                     _pct(even_draws), ch_mean, _pct(mean_draws))


def world_balance(store: Store, *, seed: int = 20230601, runs: int = 1000,
                  data: BalanceData | None = None) -> WorldBalance:
    """The balance index of every Factbook country, with its band and basis."""
    if runs < 1:
        raise ValueError("runs must be >= 1")
    data = data or balance_data()
    inp = read_world_inputs(store, data)
    r = _compute(inp, seed, runs)
    out = []
    for i, x in enumerate(inp.iso3):
        ties = {c: {k: float(inp.channels[c].central[i, j]) for j, k in enumerate(CAMPS)}
                for c in WORLD_CHANNELS}
        camp_t = {k: float(r.camp_ties[i, j]) for j, k in enumerate(CAMPS)}
        finite = {k: v for k, v in camp_t.items() if not math.isnan(v)}
        lead = max(finite, key=lambda k: finite[k]) if finite else None
        out.append(CountryBalance(
            iso3=x, name=inp.names[x], overall=float(r.overall[i]),
            band=(float(r.band[0, i]), float(r.band[1, i])),
            channel_index={c: float(r.idx[i, j]) for j, c in enumerate(WORLD_CHANNELS)},
            channel_band={c: (float(r.ch_band[0, i, j]), float(r.ch_band[1, i, j]))
                          for j, c in enumerate(WORLD_CHANNELS)},
            ties=ties, notes={c: inp.channels[c].notes[i] for c in WORLD_CHANNELS},
            sources={c: inp.channels[c].sources for c in WORLD_CHANNELS},
            leading_camp=lead, camp_of=data.camp_of(x), context=inp.context[i],
            camp_ties=camp_t, channel_mean=float(r.channel_mean[i]),
            channel_mean_band=(float(r.channel_mean_band[0, i]),
                               float(r.channel_mean_band[1, i])),
            evenness_v2=float(r.evenness[i]),
            evenness_v2_band=(float(r.evenness_band[0, i]), float(r.evenness_band[1, i]))))
    res = WorldBalance(out, seed, runs, data)
    rankable = [c for c in res.ranked()
                if not math.isnan(c.overall) and c.n_channels >= MIN_CHANNELS_TO_RANK]
    for rank, c in enumerate((c for c in rankable if c.camp_of is None), start=1):
        c.rank = rank
    for rank, c in enumerate((c for c in rankable if c.camp_of is not None), start=1):
        c.member_rank = rank
    return res


def camp_balance_entries(store: Store, iso3s: list[str], *, seed: int = 20230601,
                         runs: int = 500) -> dict[str, dict[str, Any]]:
    """The world entries (value, band, channels, rank among all countries) of some countries."""
    w = world_balance(store, seed=seed, runs=runs)
    out = {}
    for x in iso3s:
        c = w.by_iso3(x)
        if c is not None:
            out[x] = c.to_json() | {"ranked_among": w.n_ranked(),
                                    "members_ranked": w.n_member_ranked(),
                                    "would_rank": w.would_rank(c.overall),
                                    "method": "docs/balance-validation.md"}
    return out
