"""Read and validate a scenario file (YAML or JSON) into a :class:`Scenario`.

Every error names the file, the line and the field, what was found and what was expected
(:meth:`tightrope.ingest.yamlio.Located.error`). The format is documented in docs/minefield.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tightrope.errors import InputError
from tightrope.ingest.codes import country_codes
from tightrope.ingest.yamlio import Located, read_structured
from tightrope.minefield.spec import (
    COERCION_RUNGS,
    MAX_MOVES,
    OBJECTIVES,
    REWARD_RUNGS,
    CatastropheSpec,
    Lever,
    MoveSpec,
    PowerSpec,
    Scenario,
    SequenceSpec,
    ShockSpec,
)
from tightrope.minefield.values import (
    ANY,
    ATTITUDE,
    NONNEG,
    PROBABILITY,
    SIGNED_FRACTION,
    Domain,
    Param,
    is_log_scale,
    origin_of,
    parse_value,
)

__all__ = ["parse_scenario"]

PathKey = tuple[str | int, ...]
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP = {"scenario", "title", "description", "focal", "start", "horizon_quarters",
        "dependence_channels", "attitude_bands", "dynamics", "powers", "reactions", "moves",
        "shocks", "catastrophes", "objectives", "strategies", "sources"}
_POWER = {"name", "country", "rationale", "note", "attitude", "leverage", "dependence",
          "red_line", "sensitivity", "rewards", "coercion", "effects", "deters"}
_SENSITIVITY = ("coercion_attitude", "reward_attitude", "leverage", "red_line")
_REWARD_FIELDS = {"gain": (NONNEG, "pct_gdp"), "dependence": (SIGNED_FRACTION, "relative"),
                  "attitude": (ATTITUDE, "attitude")}
_COERCION_FIELDS = {"loss": (NONNEG, "pct_gdp"), "catastrophe_probability": (PROBABILITY, "share")}
_MOVE = {"label", "mechanism", "rationale", "gain", "attitude", "dependence", "alignment"}
_SHOCK = {"label", "rationale", "rate", "duration_quarters", "gain", "attitude", "coercion",
          "rewards", "per_use"}
DURATION: Domain = Domain(1.0, 400.0, "a number of quarters in [1, 400]")


class _Reader:
    """Walks the document, registers parameters and raises located errors."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.params: dict[str, Param] = {}
        #: "reactions.<rung>" or "powers.<p>.effects.<rung>" -> catastrophe kind named there
        self.cat_kinds: dict[str, tuple[str, PathKey]] = {}

    def err(self, path: PathKey, msg: str, expected: str | None = None) -> InputError:
        return self.doc.error(path, msg, expected)

    def mapping(self, path: PathKey, raw: Any, allowed: set[str] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.err(path, f"found {type(raw).__name__}", expected="a mapping")
        if allowed is not None:
            for k in raw:
                if k not in allowed:
                    raise self.err((*path, k), f"unknown key {k!r}",
                                   expected="one of " + ", ".join(sorted(allowed)))
        for k in required:
            if k not in raw:
                raise self.err(path, f"missing `{k}`")
        return raw

    def key(self, path: PathKey, k: str, what: str) -> str:
        if not _KEY.match(k):
            raise self.err(path, f"{what} key {k!r} is not a simple name",
                           expected="lower-case letters, digits and _ (e.g. 'russia')")
        return k

    def text(self, path: PathKey, raw: Any, default: str = "") -> str:
        if raw is None:
            return default
        if not isinstance(raw, str):
            raise self.err(path, f"found {raw!r}", expected="text")
        return raw.strip()

    def value(self, path: PathKey, raw: Any, unit: str, domain: Domain,
              rationale: str | None) -> None:
        name = ".".join(str(p) for p in path)
        v = parse_value(self.doc, path, raw, unit=unit, domain=domain, rationale=rationale)
        log = is_log_scale(self.doc, path, raw)
        if log and v.low <= 0:
            raise self.err(path, "a log-scale range must be positive",
                           expected="low > 0, or drop `log`")
        self.params[name] = Param(name, v, self.doc.where(path), log, origin_of(raw))

    def per_power(self, path: PathKey, raw: Any, powers: set[str], unit: str, domain: Domain,
                  rationale: str | None) -> None:
        for p, v in self.mapping(path, raw).items():
            if p not in powers:
                raise self.err((*path, p), f"unknown power {p!r}",
                               expected="one of " + ", ".join(sorted(powers)))
            self.value((*path, p), v, unit, domain, rationale)


def _resolve_country(r: _Reader, path: PathKey, raw: Any) -> tuple[str, str]:
    name = r.text(path, raw)
    if not name:
        raise r.err(path, "empty country", expected="a country name or ISO code")
    try:
        iso3 = country_codes().resolve(name)
    except InputError as e:
        raise r.err(path, e.one_line()) from None
    row = country_codes().rows.get(iso3)
    return iso3, row.name if row else name


def _powers(r: _Reader, raw: Any, channels: tuple[str, ...]) -> tuple[PowerSpec, ...]:
    top = r.mapping(("powers",), raw)
    if len(top) < 2:
        raise r.err(("powers",), "a scenario needs at least two powers")
    keys = {r.key(("powers", k), k, "power") for k in top}
    out = []
    for k, body in top.items():
        base: PathKey = ("powers", k)
        b = r.mapping(base, body, _POWER, ("attitude", "leverage", "dependence", "sensitivity"))
        why = r.text((*base, "rationale"), b.get("rationale")) or None
        iso3 = _resolve_country(r, (*base, "country"), b["country"])[0] if "country" in b else None
        r.value((*base, "attitude"), b["attitude"], "attitude", ATTITUDE, why)
        lev = b["leverage"]
        from_exp = isinstance(lev, dict) and lev.get("from_exposure") is True
        if from_exp:
            r.mapping((*base, "leverage"), lev, {"from_exposure"})
        else:
            r.value((*base, "leverage"), lev, "share", PROBABILITY, why)
        dep = r.mapping((*base, "dependence"), b["dependence"], set(channels), channels)
        for c in channels:
            r.value((*base, "dependence", c), dep[c], "share", NONNEG, why)
        if "red_line" in b:
            r.value((*base, "red_line"), b["red_line"], "alignment", ATTITUDE, why)
        sens = r.mapping((*base, "sensitivity"), b["sensitivity"], set(_SENSITIVITY),
                         _SENSITIVITY[:3] + (("red_line",) if "red_line" in b else ()))
        for s, v in sens.items():
            r.value((*base, "sensitivity", s), v, "logit", NONNEG, why)
        _ladder(r, (*base, "rewards"), b.get("rewards", {}), REWARD_RUNGS, why)
        _ladder(r, (*base, "coercion"), b.get("coercion", {}), COERCION_RUNGS, why)
        _effects(r, (*base, "effects"), b.get("effects", {}), why)
        deters = r.mapping((*base, "deters"), b.get("deters", {}))
        for q in deters:
            if q == k:
                raise r.err((*base, "deters", q), "a power cannot deter itself")
        r.per_power((*base, "deters"), deters, keys, "logit", NONNEG, why)
        name = r.text((*base, "name"), b.get("name"), k.replace("_", " ").title())
        out.append(PowerSpec(k, name, iso3, from_exp, r.text((*base, "note"), b.get("note"))))
    return tuple(out)


def _ladder(r: _Reader, path: PathKey, raw: Any, rungs: tuple[str, ...], why: str | None) -> None:
    m = r.mapping(path, raw, set(rungs))
    prev: tuple[str, float] | None = None
    for rung in rungs:
        if rung not in m:
            continue
        r.value((*path, rung), m[rung], "share", PROBABILITY, why)
        v = r.params[".".join((*map(str, path), rung))].central
        if prev is not None and v > prev[1] + 1e-12:
            raise r.err((*path, rung), f"P(at least {rung}) = {v:g} exceeds P(at least "
                        f"{prev[0]}) = {prev[1]:g}",
                        expected="probabilities that do not rise along the ladder "
                        + " < ".join(rungs))
        prev = (rung, v)


def _effects(r: _Reader, path: PathKey, raw: Any, why: str | None) -> None:
    """Reaction effects per rung (defaults under `reactions`, overrides under a power)."""
    m = r.mapping(path, raw, {*REWARD_RUNGS, *COERCION_RUNGS, "rationale"})
    why = r.text((*path, "rationale"), m.get("rationale")) or why
    for rung, body in m.items():
        if rung == "rationale":
            continue
        fields = _REWARD_FIELDS if rung in REWARD_RUNGS else _COERCION_FIELDS
        allowed = set(fields) | ({"catastrophe"} if rung in COERCION_RUNGS else set())
        b = r.mapping((*path, rung), body, allowed | {"rationale"})
        w = r.text((*path, rung, "rationale"), b.get("rationale")) or why
        for f, (dom, unit) in fields.items():
            if f in b:
                r.value((*path, rung, f), b[f], unit, dom, w)
        if "catastrophe" in b:
            kind = r.text((*path, rung, "catastrophe"), b["catastrophe"])
            r.cat_kinds[".".join((*map(str, path), rung))] = (kind, (*path, rung, "catastrophe"))


def _moves(r: _Reader, raw: Any, powers: set[str]) -> tuple[MoveSpec, ...]:
    top = r.mapping(("moves",), raw)
    if not top:
        raise r.err(("moves",), "the catalogue of moves is empty")
    if len(top) > MAX_MOVES:
        raise r.err(("moves",), f"{len(top)} moves", expected=f"at most {MAX_MOVES} moves")
    out = []
    for k, body in top.items():
        base: PathKey = ("moves", r.key(("moves", k), k, "move"))
        b = r.mapping(base, body, _MOVE)
        why = r.text((*base, "rationale"), b.get("rationale")) or None
        if "gain" in b:
            r.value((*base, "gain"), _model_gain(r, (*base, "gain"), b["gain"]), "pct_gdp", ANY,
                    why)
        r.per_power((*base, "attitude"), b.get("attitude", {}), powers, "attitude", ATTITUDE, why)
        r.per_power((*base, "dependence"), b.get("dependence", {}), powers, "relative",
                    SIGNED_FRACTION, why)
        r.per_power((*base, "alignment"), b.get("alignment", {}), powers, "alignment", ATTITUDE,
                    why)
        out.append(MoveSpec(k, r.text((*base, "label"), b.get("label"), k),
                            r.text((*base, "mechanism"), b.get("mechanism"))))
    return tuple(out)


def _model_gain(r: _Reader, path: PathKey, raw: Any) -> Any:
    """``gain: {model: corridors/<scenario>}`` takes a move's payoff from the corridor market
    model (percentage points of GDP per quarter), as tabulated in the shipped
    ``corridors/move_gains.json`` (rebuilt from the model by a script; a test keeps the two in
    step), so the Minefield needs no corridor computation of its own."""
    if not (isinstance(raw, dict) and "model" in raw):
        return raw
    ref = r.text((*path, "model"), raw["model"])
    kind, _, name = ref.partition("/")
    gains = _corridor_move_gains()
    if kind != "corridors" or name not in gains or set(raw) != {"model"}:
        raise r.err((*path, "model"), f"cannot take a gain from {ref!r}",
                    expected="{model: corridors/<scenario>} with one of: "
                             + ", ".join(f"corridors/{g}" for g in sorted(gains)))
    g = gains[name]
    return {k: g[k] for k in ("value", "low", "high", "rationale")}


@cache
def _corridor_move_gains() -> dict[str, dict[str, Any]]:
    text = resources.files("tightrope.data").joinpath("corridors", "move_gains.json")
    gains: dict[str, dict[str, Any]] = json.loads(text.read_text("utf-8"))["gains"]
    return gains


def _shocks(r: _Reader, raw: Any, powers: set[str], moves: set[str]) -> tuple[ShockSpec, ...]:
    out = []
    for k, body in r.mapping(("shocks",), raw).items():
        base: PathKey = ("shocks", r.key(("shocks", k), k, "shock"))
        b = r.mapping(base, body, _SHOCK, ("rate",))
        why = r.text((*base, "rationale"), b.get("rationale")) or None
        r.value((*base, "rate"), b["rate"], "per_quarter", NONNEG, why)
        if "duration_quarters" in b:
            r.value((*base, "duration_quarters"), b["duration_quarters"], "quarters", DURATION,
                    why)
        if "gain" in b:
            r.value((*base, "gain"), _model_gain(r, (*base, "gain"), b["gain"]), "pct_gdp", ANY,
                    why)
        r.per_power((*base, "attitude"), b.get("attitude", {}), powers, "attitude", ATTITUDE, why)
        r.per_power((*base, "coercion"), b.get("coercion", {}), powers, "logit", ANY, why)
        r.per_power((*base, "rewards"), b.get("rewards", {}), powers, "logit", ANY, why)
        move, cap = None, 0
        if "per_use" in b:
            pu = r.mapping((*base, "per_use"), b["per_use"], {"move", "gain", "cap"},
                           ("move", "gain", "cap"))
            move = r.text((*base, "per_use", "move"), pu["move"])
            if move not in moves:
                raise r.err((*base, "per_use", "move"), f"unknown move {move!r}",
                            expected="a key of `moves`")
            cap = pu["cap"]
            if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
                raise r.err((*base, "per_use", "cap"), f"cap is {cap!r}",
                            expected="a whole number of quarters >= 1")
            r.value((*base, "per_use", "gain"), pu["gain"], "pct_gdp", ANY, why)
        out.append(ShockSpec(k, r.text((*base, "label"), b.get("label"), k), move, cap))
    return tuple(out)


def _catastrophes(r: _Reader, raw: Any) -> tuple[CatastropheSpec, ...]:
    top = r.mapping(("catastrophes",), raw)
    if not top:
        raise r.err(("catastrophes",), "no catastrophe conditions")
    out = []
    for k, body in top.items():
        base: PathKey = ("catastrophes", r.key(("catastrophes", k), k, "catastrophe"))
        b = r.mapping(base, body, {"label", "description", "rationale", "economic_trigger",
                                   "evidence", "evidence_note"})
        why = r.text((*base, "rationale"), b.get("rationale")) or None
        econ = "economic_trigger" in b
        if econ:
            t = r.mapping((*base, "economic_trigger"), b["economic_trigger"],
                          {"gain_below", "hazard"}, ("gain_below", "hazard"))
            r.value((*base, "economic_trigger", "gain_below"), t["gain_below"], "pct_gdp", ANY,
                    why)
            r.value((*base, "economic_trigger", "hazard"), t["hazard"], "share", PROBABILITY,
                    why)
        out.append(CatastropheSpec(k, r.text((*base, "label"), b.get("label"), k),
                                   r.text((*base, "description"), b.get("description")), econ,
                                   _evidence_names(r, (*base, "evidence"), b.get("evidence")),
                                   r.text((*base, "evidence_note"), b.get("evidence_note"))))
    return tuple(out)


def _evidence_names(r: _Reader, path: PathKey, raw: Any) -> tuple[str, ...]:
    """A list of shipped evidence estimates (per dyad-year), each checked to exist."""
    from tightrope.evidence import estimate

    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise r.err(path, f"found {raw!r}", expected="a list of evidence estimate names")
    for i, name in enumerate(raw):
        try:
            e = estimate(name)
        except InputError as err:
            raise r.err((*path, i), str(err)) from None
        if e.per != "dyad-year":
            raise r.err((*path, i), f"{name} is a rate per {e.per}",
                        expected="a rate per dyad-year (a MID estimate)")
    return tuple(raw)


def _strategies(r: _Reader, raw: Any, moves: set[str]
                ) -> tuple[tuple[SequenceSpec, ...], tuple[Lever, ...], bool]:
    b = r.mapping(("strategies",), raw, {"balancer", "sequences"})
    bal = r.mapping(("strategies", "balancer"), b.get("balancer", {}),
                    {"floor", "respect_red_lines"})
    floor = bal.get("floor", {"value": 0.0, "low": -0.5, "high": 0.5})
    fp: PathKey = ("strategies", "balancer", "floor")
    f = r.mapping(fp, floor, {"value", "low", "high"}, ("value", "low", "high"))
    vals = [f[k] for k in ("value", "low", "high")]
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in vals) or not (
            -1 <= vals[1] <= vals[0] <= vals[2] <= 1):
        raise r.err(fp, f"floor is {f!r}", expected="-1 <= low <= value <= high <= 1")
    respect = bal.get("respect_red_lines", True)
    if not isinstance(respect, bool):
        raise r.err(("strategies", "balancer", "respect_red_lines"), f"found {respect!r}",
                    expected="true or false")
    seqs = []
    for k, body in r.mapping(("strategies", "sequences"), b.get("sequences", {})).items():
        base: PathKey = ("strategies", "sequences", r.key(("strategies", "sequences", k), k,
                                                          "sequence"))
        s = r.mapping(base, body, {"moves", "repeat", "description"}, ("moves",))
        ms = s["moves"]
        if not isinstance(ms, list) or not ms:
            raise r.err((*base, "moves"), "empty or not a list", expected="a list of move keys")
        for i, m in enumerate(ms):
            if m not in moves:
                raise r.err((*base, "moves", i), f"unknown move {m!r}",
                            expected="a key of `moves`")
        rep = s.get("repeat", "cycle")
        if rep not in ("cycle", "hold_last"):
            raise r.err((*base, "repeat"), f"found {rep!r}", expected="cycle or hold_last")
        seqs.append(SequenceSpec(k, tuple(ms), rep))
    lever = Lever("balancer.floor", float(vals[0]), float(vals[1]), float(vals[2]))
    return tuple(seqs), (lever,), respect


def _header(r: _Reader, d: dict[str, Any], stem: str) -> dict[str, Any]:
    h = d.get("horizon_quarters", 40)
    if isinstance(h, bool) or not isinstance(h, int) or not 1 <= h <= 400:
        raise r.err(("horizon_quarters",), f"found {h!r}", expected="a whole number in 1..400")
    ch = d.get("dependence_channels", ["overall"])
    if (not isinstance(ch, list) or not ch or not all(isinstance(c, str) and _KEY.match(c)
                                                      for c in ch) or len(set(ch)) != len(ch)):
        raise r.err(("dependence_channels",), f"found {ch!r}",
                    expected="a list of distinct simple names, e.g. [trade, investment]")
    bands = d.get("attitude_bands", [-0.5, 0.0, 0.5])
    if (not isinstance(bands, list) or not all(isinstance(x, int | float) for x in bands)
            or any(not -1 < x < 1 for x in bands) or sorted(bands) != bands):
        raise r.err(("attitude_bands",), f"found {bands!r}",
                    expected="increasing band edges inside (-1, 1), e.g. [-0.5, 0, 0.5]")
    iso3, focal = _resolve_country(r, ("focal",), d["focal"])
    return {"key": r.text(("scenario",), d.get("scenario"), stem), "horizon": h,
            "channels": tuple(ch), "bands": tuple(float(x) for x in bands), "iso3": iso3,
            "focal": focal}


def _check_catastrophe_links(r: _Reader, powers: tuple[PowerSpec, ...],
                             cats: tuple[CatastropheSpec, ...]) -> None:
    """Every named kind exists; every catastrophe probability has a kind to lead to."""
    ckeys = {c.key for c in cats}
    for kind, path in r.cat_kinds.values():
        if kind not in ckeys:
            raise r.err(path, f"unknown catastrophe {kind!r}",
                        expected="one of " + ", ".join(sorted(ckeys)))
    for p in powers:
        for rung in COERCION_RUNGS:
            name = f"powers.{p.key}.effects.{rung}.catastrophe_probability"
            if name in r.params and f"powers.{p.key}.effects.{rung}" not in r.cat_kinds \
                    and f"reactions.{rung}" not in r.cat_kinds:
                raise r.err(("powers", p.key, "effects", rung), "a catastrophe probability "
                            "without a `catastrophe` kind", expected="catastrophe: <kind>")
    for rung in COERCION_RUNGS:
        if f"reactions.{rung}.catastrophe_probability" in r.params \
                and f"reactions.{rung}" not in r.cat_kinds:
            raise r.err(("reactions", rung), "a catastrophe probability without a "
                        "`catastrophe` kind", expected="catastrophe: <kind>")


def parse_scenario(path: Path) -> Scenario:
    """Parse and validate a scenario file; raises InputError naming file, line and field."""
    doc = read_structured(path)
    r = _Reader(doc)
    d = r.mapping((), doc.data, _TOP, ("focal", "powers", "moves", "catastrophes"))
    h = _header(r, d, path.stem)
    powers = _powers(r, d["powers"], h["channels"])
    pkeys = {p.key for p in powers}
    cats = _catastrophes(r, d["catastrophes"])
    _effects(r, ("reactions",), d.get("reactions", {}), None)
    _check_catastrophe_links(r, powers, cats)
    dyn = r.mapping(("dynamics",), d.get("dynamics", {}),
                    {"reversion", "noise", "rationale", "dependence_reversion"},
                    ("reversion", "noise"))
    why = r.text(("dynamics", "rationale"), dyn.get("rationale")) or None
    r.value(("dynamics", "reversion"), dyn["reversion"], "per_quarter", PROBABILITY, why)
    r.value(("dynamics", "noise"), dyn["noise"], "attitude_sd", NONNEG, why)
    if "dependence_reversion" in dyn:
        r.value(("dynamics", "dependence_reversion"), dyn["dependence_reversion"], "per_quarter",
                PROBABILITY, why)
    moves = _moves(r, d["moves"], pkeys)
    mkeys = {m.key for m in moves}
    shocks = _shocks(r, d.get("shocks", {}), pkeys, mkeys)
    obj = r.mapping(("objectives",), d.get("objectives", dict(OBJECTIVES)), set(OBJECTIVES))
    for k, v in obj.items():
        if v != OBJECTIVES[k]:
            raise r.err(("objectives", k), f"found {v!r}", expected=OBJECTIVES[k])
    seqs, levers, respect = _strategies(r, d.get("strategies", {}), mkeys)
    return Scenario(
        key=h["key"], title=r.text(("title",), d.get("title"), h["key"]),
        focal_iso3=h["iso3"], focal_name=h["focal"], start=str(d.get("start", "")),
        horizon=h["horizon"], channels=h["channels"], attitude_bands=h["bands"],
        powers=powers, moves=moves, shocks=shocks, catastrophes=cats, sequences=seqs,
        levers=levers, respect_red_lines=respect, params=r.params, source=str(path),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        description=r.text(("description",), d.get("description")),
        objectives=dict(obj) or dict(OBJECTIVES),
        catastrophe_of={k: v[0] for k, v in r.cat_kinds.items()},
    )
