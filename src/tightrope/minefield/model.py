"""Compile a scenario's parameter table into the arrays the engine steps with.

Every array has a leading *sample* axis ``S`` (one row per parameter vector); a plain run is
``S = 1`` at the central values. Powers are laid out in **canonical order** (sorted by key), so
results never depend on the order a file lists them in; results are keyed by power name.

Symbols (docs/minefield.md gives the full model):

* ``a0, lev0, d0`` — initial attitude in [-1, 1], leverage in [0, 1] and aggregate dependence
  (mean over the dependence channels) of each power;
* ``reward_cut[k]`` / ``coerce_cut[k]`` — logit of P(at least rung k) at the initial state,
  made nested along the ladder by :func:`_nested`;
* reaching rung k means every step below was taken: effects (gain, loss, dependence,
  attitude) add up along the ladder and catastrophe chances combine, ``1 − Π_{j<=k} (1 − q_j)``;
  this makes P(catastrophe) non-decreasing in every coercion probability;
* ``beta_c, beta_r, beta_l, rho`` — logit sensitivities to attitude (coercion, reward),
  leverage change and red-line crossing; ``deter[q, p]`` — logit reduction of ``p``'s coercion
  per unit rise of ``q``'s positive attitude.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tightrope._types import FloatArray, IntArray
from tightrope.minefield.spec import COERCION_RUNGS, REWARD_RUNGS, Scenario

__all__ = ["Model", "compile_model", "sample_values"]



@dataclass(frozen=True)
class Model:
    """Arrays of one batch of parameter vectors (shapes in the comments; S = samples)."""

    powers: tuple[str, ...]  # canonical (sorted) order
    moves: tuple[str, ...]
    shocks: tuple[str, ...]
    catastrophes: tuple[str, ...]
    horizon: int
    bands: FloatArray  # (B-1,) attitude band edges
    a0: FloatArray  # (S, P)
    lev0: FloatArray  # (S, P)
    d0: FloatArray  # (S, P)
    beta_c: FloatArray  # (S, P)
    beta_r: FloatArray  # (S, P)
    beta_l: FloatArray  # (S, P)
    rho: FloatArray  # (S, P)
    reward_cut: FloatArray  # (S, P, Kr)
    coerce_cut: FloatArray  # (S, P, Kc)
    # effects of reaching rung k (index 0 = nothing), cumulated over rungs 1..k
    reward_gain: FloatArray  # (S, P, Kr+1)
    reward_dep: FloatArray  # (S, P, Kr+1)
    reward_att: FloatArray  # (S, P, Kr+1)
    coerce_loss: FloatArray  # (S, P, Kc+1)
    cat_prob: FloatArray  # (S, P, Kc+1) P(catastrophe from rungs 1..k) = 1 − Π (1 − q_j)
    cat_kind: IntArray  # (P, Kc+1) catastrophe kind of each single rung, -1 = none
    deter: FloatArray  # (S, P, P) [q, p]
    move_gain: FloatArray  # (S, M)
    move_att: FloatArray  # (S, M, P)
    move_dep: FloatArray  # (S, M, P)
    move_align: FloatArray  # (S, M, P)
    crossed: NDArray[np.bool_]  # (S, M, P) move crosses the power's red line
    shock_p: FloatArray  # (S, H) quarterly probability of onset
    shock_dur: IntArray  # (S, H)
    shock_gain: FloatArray  # (S, H)
    shock_att: FloatArray  # (S, H, P)
    shock_coerce: FloatArray  # (S, H, P)
    shock_reward: FloatArray  # (S, H, P)
    per_use_gain: FloatArray  # (S, H)
    per_use_move: IntArray  # (H,), -1 = none
    per_use_cap: IntArray  # (H,)
    reversion: FloatArray  # (S,) attitude reversion per quarter
    dep_reversion: FloatArray  # (S,) dependence reversion per quarter
    noise: FloatArray  # (S,)
    econ_kind: IntArray  # (E,) index into catastrophes
    econ_threshold: FloatArray  # (S, E)
    econ_hazard: FloatArray  # (S, E)

    @property
    def samples(self) -> int:
        return int(self.a0.shape[0])

    def power_index(self, key: str) -> int:
        return self.powers.index(key)

    def move_index(self, key: str) -> int:
        return self.moves.index(key)


def sample_values(scenario: Scenario, values: Mapping[str, object] | None,
                  samples: int | None = None) -> tuple[dict[str, FloatArray], int]:
    """Per-parameter columns of length S: given values where supplied, central elsewhere."""
    given = {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in (values or {}).items()}
    unknown = set(given) - set(scenario.params)
    if unknown:
        raise KeyError(f"not parameters of {scenario.key}: {', '.join(sorted(unknown))}")
    sizes = {len(v) for v in given.values()}
    if samples is None:
        samples = max(sizes) if sizes else 1
    for k, v in given.items():
        if len(v) not in (1, samples):
            raise ValueError(f"parameter {k} has {len(v)} values for {samples} samples")
    cols = {name: np.broadcast_to(given.get(name, np.asarray([p.central])), (samples,))
            for name, p in scenario.params.items()}
    return cols, samples


def _logit(p: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):
        out: FloatArray = np.log(p) - np.log1p(-p)
    return out


def _nested(p: FloatArray) -> FloatArray:
    """P(at least rung k) = max_{j >= k} p_j along the last axis.

    A rung left out (p = 0) below a given one is skipped (reaching it means going further), and
    a sampled vector that rises along the ladder is made nested: a power willing to go to rung
    j is willing to go to every lower rung.
    """
    out: FloatArray = np.maximum.accumulate(p[..., ::-1], axis=-1)[..., ::-1]
    return out


def compile_model(scenario: Scenario, values: Mapping[str, object] | None = None,
                  samples: int | None = None, horizon: int | None = None) -> Model:
    """Build the engine arrays; ``values`` maps parameter names to S values (central elsewhere).

    Raises KeyError for a name that is not a parameter and ValueError for a length mismatch.
    """
    cols, S = sample_values(scenario, values, samples)
    powers = tuple(sorted(scenario.power_keys))
    moves, P = scenario.move_keys, len(powers)
    shocks = tuple(s.key for s in scenario.shocks)
    cats = tuple(c.key for c in scenario.catastrophes)
    Kc, H = len(COERCION_RUNGS), len(shocks)

    def col(name: str | None, default: float = 0.0) -> FloatArray:
        if name is None or name not in cols:
            return np.full(S, default)
        return np.asarray(cols[name], dtype=np.float64)

    def per_power(prefix: str, default: float = 0.0) -> FloatArray:
        return np.stack([col(f"{prefix.format(p=p)}", default) for p in powers], axis=1)

    a0 = per_power("powers.{p}.attitude")
    lev0 = per_power("powers.{p}.leverage")
    d0 = np.mean([per_power(f"powers.{{p}}.dependence.{c}") for c in scenario.channels], axis=0)
    reward_p = np.stack([per_power(f"powers.{{p}}.rewards.{k}") for k in REWARD_RUNGS], axis=2)
    coerce_p = np.stack([per_power(f"powers.{{p}}.coercion.{k}") for k in COERCION_RUNGS], 2)
    reward_cut = _logit(_nested(reward_p))
    coerce_cut = _logit(_nested(coerce_p))

    def effect(rungs: tuple[str, ...], field_: str) -> FloatArray:
        out = np.zeros((S, P, len(rungs) + 1))
        for i, p in enumerate(powers):
            for k, rung in enumerate(rungs):
                out[:, i, k + 1] = col(scenario.param_name(p, rung, field_))
        return out

    cat_kind = np.full((P, Kc + 1), -1, dtype=np.int64)
    for i, p in enumerate(powers):
        for k, rung in enumerate(COERCION_RUNGS):
            kind = scenario.catastrophe_kind(p, rung)
            cat_kind[i, k + 1] = cats.index(kind) if kind is not None else -1
    # climbing to rung k means taking every step below it: effects add up along the ladder
    step_prob = effect(COERCION_RUNGS, "catastrophe_probability") * (cat_kind >= 0)
    cat_prob: FloatArray = np.asarray(1.0 - np.cumprod(1.0 - step_prob, axis=2), dtype=np.float64)
    deter = np.stack([np.stack([col(f"powers.{q}.deters.{p}") for p in powers], axis=1)
                      for q in powers], axis=1)

    def move_pp(field_: str) -> FloatArray:
        return np.stack([per_power(f"moves.{m}.{field_}.{{p}}") for m in moves], axis=1)

    move_align = move_pp("alignment")
    red = per_power("powers.{p}.red_line", -np.inf)
    crossed = move_align <= red[:, None, :]

    def shock_pp(field_: str) -> FloatArray:
        if not H:
            return np.zeros((S, 0, P))
        return np.stack([per_power(f"shocks.{h}.{field_}.{{p}}") for h in shocks], axis=1)

    def shock_col(field_: str, default: float = 0.0) -> FloatArray:
        if not H:
            return np.zeros((S, 0))
        return np.stack([col(f"shocks.{h}.{field_}", default) for h in shocks], axis=1)

    econ = [c for c in scenario.catastrophes if c.economic]
    E = len(econ)
    trig = "catastrophes.{c}.economic_trigger.{f}"
    return Model(
        powers=powers, moves=moves, shocks=shocks, catastrophes=cats,
        horizon=int(horizon if horizon is not None else scenario.horizon),
        bands=np.asarray(scenario.attitude_bands, dtype=np.float64),
        a0=a0, lev0=lev0, d0=d0,
        beta_c=per_power("powers.{p}.sensitivity.coercion_attitude"),
        beta_r=per_power("powers.{p}.sensitivity.reward_attitude"),
        beta_l=per_power("powers.{p}.sensitivity.leverage"),
        rho=per_power("powers.{p}.sensitivity.red_line"),
        reward_cut=reward_cut, coerce_cut=coerce_cut,
        reward_gain=np.cumsum(effect(REWARD_RUNGS, "gain"), axis=2),
        reward_dep=np.cumsum(effect(REWARD_RUNGS, "dependence"), axis=2),
        reward_att=np.cumsum(effect(REWARD_RUNGS, "attitude"), axis=2),
        coerce_loss=np.cumsum(effect(COERCION_RUNGS, "loss"), axis=2), cat_prob=cat_prob,
        cat_kind=cat_kind,
        deter=deter,
        move_gain=np.stack([col(f"moves.{m}.gain") for m in moves], axis=1),
        move_att=move_pp("attitude"), move_dep=move_pp("dependence"), move_align=move_align,
        crossed=crossed,
        shock_p=-np.expm1(-shock_col("rate")),
        shock_dur=np.maximum(1, np.rint(shock_col("duration_quarters", 1.0))).astype(np.int64),
        shock_gain=shock_col("gain"), shock_att=shock_pp("attitude"),
        shock_coerce=shock_pp("coercion"), shock_reward=shock_pp("rewards"),
        per_use_gain=shock_col("per_use.gain"),
        per_use_move=np.asarray([moves.index(s.per_use_move) if s.per_use_move else -1
                                 for s in scenario.shocks], dtype=np.int64),
        per_use_cap=np.asarray([s.per_use_cap for s in scenario.shocks], dtype=np.int64),
        reversion=col("dynamics.reversion"), noise=col("dynamics.noise"),
        dep_reversion=col("dynamics.dependence_reversion"),
        econ_kind=np.asarray([cats.index(c.key) for c in econ], dtype=np.int64),
        econ_threshold=np.stack([col(trig.format(c=c.key, f="gain_below")) for c in econ], 1)
        if E else np.zeros((S, 0)),
        econ_hazard=np.stack([col(trig.format(c=c.key, f="hazard")) for c in econ], 1)
        if E else np.zeros((S, 0)),
    )
