"""Services for the CLI, the web dashboard, the demo and the robust analysis.

* :func:`load_scenario` — a shipped scenario by name (``kazakhstan-2023``) or a file path;
* :func:`simulate` — one strategy → :class:`~tightrope.minefield.results.SimulationResult`;
* :func:`compare` — several strategies on the same random numbers → :class:`Comparison`;
* :func:`evaluate_batch` — many parameter vectors × trajectories at once → :class:`BatchOutcomes`
  (what ``tightrope robust`` calls).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tightrope.errors import InputError, ParameterError
from tightrope.minefield.engine import run_engine
from tightrope.minefield.model import compile_model
from tightrope.minefield.parse import parse_scenario
from tightrope.minefield.registry import all_strategies, resolve_strategy
from tightrope.minefield.results import SimulationResult, summarise, wilson
from tightrope.minefield.spec import Scenario
from tightrope.minefield.strategies import Strategy
from tightrope.minefield.values import Param
from tightrope.progress import Progress
from tightrope.provenance import Assumption, Fact, Provenance

__all__ = [
    "BatchOutcomes",
    "Comparison",
    "LeverageSource",
    "compare",
    "evaluate_batch",
    "load_scenario",
    "read_scenario",
    "resolve_exposure_leverage",
    "shipped_scenarios",
    "simulate",
]


def shipped_scenarios() -> list[str]:
    """Names of the scenarios shipped in tightrope/data/scenarios."""
    root = resources.files("tightrope.data").joinpath("scenarios")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def _path_of(name: str | Path) -> Path:
    p = Path(name)
    if p.is_file():
        return p
    stem = p.name[:-5] if p.name.endswith(".yaml") else p.name
    if stem in shipped_scenarios() and p.parent == Path("."):
        return Path(str(resources.files("tightrope.data").joinpath("scenarios", f"{stem}.yaml")))
    raise InputError(f"no scenario file or shipped scenario named {str(name)!r}",
                     expected="a YAML path or one of " + ", ".join(shipped_scenarios()))


def read_scenario(name: str | Path) -> Scenario:
    """Parse a scenario (shipped name or path) without resolving ``from_exposure`` leverage."""
    return parse_scenario(_path_of(name))


#: Where ``leverage: {from_exposure: true}`` is read from: called with the focal country's ISO3
#: code and the wanted powers' codes, returns each power's leverage share in [0, 1] (a number,
#: or a :class:`Fact`/:class:`Assumption`). The caller wires it to the exposure profile (the CLI
#: passes ``tightrope.exposure.leverage_shares`` bound to the store), so this package needs no
#: import of :mod:`tightrope.exposure`.
LeverageSource = Callable[[str, list[str]], Mapping[str, object]]


def load_scenario(name: str | Path, leverage: LeverageSource | None = None) -> Scenario:
    """Parse a scenario (shipped name or path); leverage ``from_exposure`` is read from
    ``leverage`` (see :data:`LeverageSource`)."""
    sc = read_scenario(name)
    if any(p.leverage_from_exposure for p in sc.powers):
        sc = resolve_exposure_leverage(sc, leverage)
    return sc


def resolve_exposure_leverage(sc: Scenario, leverage: LeverageSource | None) -> Scenario:
    """Fill ``leverage: {from_exposure: true}`` from ``leverage`` (the exposure profile)."""
    wanted = [p.key for p in sc.powers if p.leverage_from_exposure]
    if leverage is None:
        raise InputError("leverage `from_exposure: true` needs the exposure profile from the "
                         "store, and none was given", source=sc.source,
                         where="powers." + wanted[0] + ".leverage",
                         expected="an explicit {value, low, high, rationale} leverage")
    got = leverage(sc.focal_iso3, [sc.power(k).iso3 or k for k in wanted])
    params: dict[str, Param] = {}
    for k in wanted:
        key = sc.power(k).iso3 or k
        v = got.get(key, got.get(k)) if isinstance(got, Mapping) else None
        if isinstance(v, int | float):
            v = Fact(float(v), "share", Provenance("tightrope.exposure dependence matrix", None))
        if not isinstance(v, Fact | Assumption) or not 0 <= v.value <= 1:
            raise InputError(f"the exposure module gave no leverage in [0, 1] for {k}",
                             source=sc.source, where=f"powers.{k}.leverage")
        params[f"powers.{k}.leverage"] = Param(f"powers.{k}.leverage", v, "exposure module")
    return sc.with_params(params)


def _check_runs(runs: int, horizon: int | None) -> None:
    if runs < 1:
        raise ParameterError("runs", runs, "a whole number >= 1")
    if horizon is not None and not 1 <= horizon <= 400:
        raise ParameterError("horizon", horizon, "quarters in 1..400")


def simulate(scenario: Scenario | str | Path, strategy: str | Strategy = "balancer",
             runs: int = 10_000, seed: int = 0, horizon: int | None = None, *,
             floor: float | None = None, progress: Progress | None = None) -> SimulationResult:
    """Simulate one strategy on a scenario; reproducible from ``seed``.

    >>> r = simulate("kazakhstan-2023", "isolation", runs=200, seed=1, horizon=4)
    >>> 0.0 <= r.ci[0] <= r.p_catastrophe <= r.ci[1] <= 1.0
    True
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    _check_runs(runs, horizon)
    st = resolve_strategy(strategy, sc, floor) if isinstance(strategy, str) else strategy
    md = compile_model(sc, horizon=horizon)
    raw = run_engine(md, st, runs, seed, progress=progress)
    extra = {"balancer_floor": float(np.mean(getattr(st, "floor", math.nan)))} \
        if hasattr(st, "floor") else {}
    return summarise(raw, sc, extra)


@dataclass
class Comparison:
    """Several strategies on the same random numbers (common random numbers)."""

    scenario: Scenario
    results: list[SimulationResult]
    checks: list[dict[str, Any]] = field(default_factory=list)

    def result(self, strategy: str) -> SimulationResult:
        for r in self.results:
            if r.strategy == strategy:
                return r
        raise KeyError(strategy)

    def to_json(self) -> dict[str, Any]:
        return {"scenario": self.scenario.key, "title": self.scenario.title,
                "results": [r.to_json() for r in self.results],
                "balancer_vs_bandwagon": self.checks}


def paired_difference(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> tuple[float, float, float]:
    """Mean of a − b per trajectory with a 95% normal interval (paired: same random numbers)."""
    d = a.astype(np.float64) - b.astype(np.float64)
    m = float(d.mean())
    se = float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.inf
    return m, m - 1.959963984540054 * se, m + 1.959963984540054 * se


def _balancer_checks(results: list[SimulationResult]) -> list[dict[str, Any]]:
    bal = next((r for r in results if r.strategy == "balancer"), None)
    if bal is None:
        return []
    out = []
    for r in results:
        if not r.strategy.startswith("bandwagon:"):
            continue
        diff, lo, hi = paired_difference(bal.catastrophe_flags, r.catastrophe_flags)
        verdict = "balancer lower" if hi < 0 else "bandwagon lower" if lo > 0 else "no difference"
        out.append({"bandwagon": r.strategy, "p_balancer": bal.p_catastrophe,
                    "p_bandwagon": r.p_catastrophe, "difference": diff,
                    "difference_ci95": [lo, hi], "verdict": verdict})
    return out


def compare(scenario: Scenario | str | Path, strategies: str | Sequence[str | Strategy] = "all",
            runs: int = 10_000, seed: int = 0, horizon: int | None = None, *,
            floor: float | None = None, progress: Progress | None = None) -> Comparison:
    """Run several strategies with the same seed; ``"all"`` = balancer, isolation, bandwagon
    with each power and the file's sequences. Adds the balancer-vs-bandwagon checks."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    _check_runs(runs, horizon)
    if isinstance(strategies, str):
        sts: list[Strategy] = (all_strategies(sc, floor) if strategies == "all"
                               else [resolve_strategy(strategies, sc, floor)])
    else:
        sts = [resolve_strategy(s, sc, floor) if isinstance(s, str) else s for s in strategies]
    md = compile_model(sc, horizon=horizon)
    T = md.horizon
    results = []
    for i, st in enumerate(sts):
        def step(t: int, n: int, message: str = "", i: int = i, name: str = st.name) -> None:
            if progress is not None:
                progress(i * T + t, len(sts) * T, name)

        raw = run_engine(md, st, runs, seed, progress=step)
        results.append(summarise(raw, sc))
    return Comparison(sc, results, _balancer_checks(results))


@dataclass
class BatchOutcomes:
    """Outcomes per parameter sample (arrays of shape (S,)) for the robust analysis."""

    names: list[str]
    p_catastrophe: NDArray[np.float64]
    gain_mean: NDArray[np.float64]
    gain_p10: NDArray[np.float64]
    autonomy_mean: NDArray[np.float64]
    by_kind: dict[str, NDArray[np.float64]]
    runs: int
    seed: int
    strategy: str

    def p_catastrophe_ci(self) -> NDArray[np.float64]:
        """(S, 2) Wilson 95% intervals."""
        k = np.rint(self.p_catastrophe * self.runs).astype(int)
        return np.asarray([wilson(int(x), self.runs) for x in k])

    def table(self) -> dict[str, NDArray[np.float64]]:
        out = {"p_catastrophe": self.p_catastrophe, "gain_mean": self.gain_mean,
               "gain_p10": self.gain_p10, "autonomy_mean": self.autonomy_mean}
        out.update({f"p_{k}": v for k, v in self.by_kind.items()})
        return out


def evaluate_batch(scenario: Scenario, strategy: str | Strategy,
                   values: Mapping[str, ArrayLike], runs: int, seed: int,
                   horizon: int | None = None, *, max_trajectories: int = 1 << 19,
                   progress: Progress | None = None) -> BatchOutcomes:
    """Evaluate S parameter vectors × ``runs`` trajectories each, vectorised.

    ``values`` maps parameter names (see ``scenario.uncertainties()``) to arrays of S values;
    parameters left out keep their central value. All samples share the same random numbers
    (common random numbers), so results do not depend on how samples are chunked: chunks of at
    most ``max_trajectories`` samples × runs are simulated one after the other.
    A Balancer whose ``floor`` is an array gives one floor per sample (a lever).
    """
    st = resolve_strategy(strategy, scenario) if isinstance(strategy, str) else strategy
    floor = getattr(st, "floor", None)
    sizes = [np.size(v) for v in values.values()]
    if floor is not None and np.ndim(floor) == 1:
        sizes.append(len(floor))
    md_all = compile_model(scenario, values, samples=max(sizes, default=1), horizon=horizon)
    S = md_all.samples
    per = max(1, max_trajectories // max(runs, 1))
    cols: dict[str, list[NDArray[np.float64]]] = {"p": [], "g": [], "g10": [], "a": []}
    kinds: list[NDArray[np.float64]] = []
    for lo in range(0, S, per):
        hi = min(S, lo + per)
        sub = compile_model(scenario, _slice(values, lo, hi, S), samples=hi - lo, horizon=horizon)
        st_chunk = st
        if floor is not None and np.ndim(floor) == 1:
            from dataclasses import replace
            st_chunk = replace(st, floor=np.asarray(floor)[lo:hi], _cached=None)  # type: ignore
        raw = run_engine(sub, st_chunk, runs, seed, analysis=False)
        cols["p"].append(raw.catastrophe.mean(axis=1))
        cols["g"].append(raw.gain.mean(axis=1))
        cols["g10"].append(np.quantile(raw.gain, 0.1, axis=1))
        cols["a"].append(raw.autonomy.mean(axis=1))
        kinds.append(np.stack([(raw.cat_kind == k).mean(axis=1)
                               for k in range(len(sub.catastrophes))], axis=1))
        if progress is not None:
            progress(hi, S)
    kk = np.concatenate(kinds)
    return BatchOutcomes(
        names=list(values), p_catastrophe=np.concatenate(cols["p"]),
        gain_mean=np.concatenate(cols["g"]), gain_p10=np.concatenate(cols["g10"]),
        autonomy_mean=np.concatenate(cols["a"]),
        by_kind={c: kk[:, i] for i, c in enumerate(md_all.catastrophes)},
        runs=runs, seed=seed, strategy=st.name)


def _slice(values: Mapping[str, ArrayLike], lo: int, hi: int, S: int) -> dict[str, Any]:
    out = {}
    for k, v in values.items():
        a = np.atleast_1d(np.asarray(v, dtype=np.float64))
        out[k] = a[lo:hi] if len(a) == S else a
    return out

