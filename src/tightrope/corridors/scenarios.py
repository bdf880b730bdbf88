"""Disruption scenarios: which edges to close or degrade, declared as data.

A scenario is a list of actions; each selects edges and closes them or changes their figures.
Selection criteria of different kinds must all hold (``{modes: [sea], corridors: [suez]}`` =
sea edges of the Suez corridor); values within one kind are alternatives. Numbers may be exact
or ranges (assumptions) that Monte Carlo samples.

The YAML form (shipped ``scenarios.yaml`` or a user's file)::

    scenarios:
      my-closure:
        title: "Kuryk ferries stop"
        actions:
          - select: {edges: [kuryk-alat]}
            close: true
          - select: {tags: [caspian-weather]}
            extra_days: {value: 3, low: 1, high: 6, rationale: "queue"}

A file holding a single scenario may put ``actions`` at the top level instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from tightrope.corridors.model import EdgeState, Range, Sampler
from tightrope.corridors.network import MODES, Edge, Network
from tightrope.errors import InputError
from tightrope.ingest.yamlio import Located

__all__ = ["Action", "Effect", "Scenario", "Selector", "apply_scenarios", "parse_scenarios"]

FACTORS: Final = ("capacity_factor", "days_factor", "cost_factor")
EXTRAS: Final = ("extra_days", "extra_cost_usd", "extra_risk_usd")
SELECT_KINDS: Final = ("edges", "tags", "nodes", "countries", "modes", "corridors")
KINDS: Final = ("disruption", "conditions", "improvement")


@dataclass(frozen=True, slots=True)
class Selector:
    """Edges to act on. An empty kind does not constrain; all given kinds must hold."""

    edges: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    nodes: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    corridors: frozenset[str] = frozenset()

    def matches(self, e: Edge) -> bool:
        checks = (
            not self.edges or e.id in self.edges,
            not self.tags or bool(self.tags & e.tags),
            not self.nodes or e.a in self.nodes or e.b in self.nodes,
            not self.countries or any(c in self.countries for c, _ in e.countries),
            not self.modes or e.mode in self.modes,
            not self.corridors or e.corridor in self.corridors,
        )
        return all(checks)

    def to_dict(self) -> dict[str, list[str]]:
        return {k: sorted(getattr(self, k)) for k in SELECT_KINDS if getattr(self, k)}


@dataclass(frozen=True, slots=True)
class Action:
    """Close the selected edges, or multiply/add to their figures."""

    select: Selector
    close: bool = False
    changes: tuple[tuple[str, Range], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"select": self.select.to_dict()}
        if self.close:
            out["close"] = True
        for k, r in self.changes:
            out[k] = r.to_dict()
        return out


@dataclass(frozen=True)
class Scenario:
    """A named set of actions; ``kind`` is disruption, conditions or improvement."""

    name: str
    title: str
    actions: tuple[Action, ...]
    kind: str = "disruption"
    description: str = ""
    sources: tuple[str, ...] = ()
    origin: str = "shipped"

    def ranges(self) -> list[tuple[str, Range]]:
        """Every uncertain number in the scenario, keyed for samplers and reports."""
        return [(f"scenario.{self.name}.{i}.{k}", r)
                for i, a in enumerate(self.actions) for k, r in a.changes]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "kind": self.kind,
                "description": self.description, "sources": list(self.sources),
                "origin": self.origin, "actions": [a.to_dict() for a in self.actions]}


@dataclass
class Effect:
    """What scenarios did to one edge (for tables and the map)."""

    edge: str
    closed: bool = False
    changes: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"edge": self.edge, "closed": self.closed, "changes": self.changes,
                "scenarios": self.scenarios}


def apply_scenarios(net: Network, state: EdgeState, scenarios: Sequence[Scenario],
                    s: Sampler) -> tuple[EdgeState, dict[str, Effect]]:
    """A new state with the scenarios applied in order, and the effect on each touched edge."""
    out = state.copy()
    effects: dict[str, Effect] = {}
    for sc in scenarios:
        for i, act in enumerate(sc.actions):
            vals = {k: s.pick(f"scenario.{sc.name}.{i}.{k}", r.low, r.value, r.high)
                    for k, r in act.changes}
            chosen = [j for j, e in enumerate(net.edges) if act.select.matches(e)]
            gates = net.gate_weights(chosen)
            for j in chosen:
                e = net.edges[j]
                eff = effects.setdefault(e.id, Effect(e.id))
                if sc.name not in eff.scenarios:
                    eff.scenarios.append(sc.name)
                if act.close:
                    out.open[j] = False
                    eff.closed = True
                _change(out, j, vals, gates[j], eff)
    return out, effects


def _change(st: EdgeState, j: int, vals: dict[str, float], gate: float, eff: Effect) -> None:
    if "capacity_factor" in vals:
        st.capacity[j] *= vals["capacity_factor"]
    if "days_factor" in vals:
        st.days[j] *= vals["days_factor"]
    if "cost_factor" in vals:
        st.cost[j] *= vals["cost_factor"]
    # extras may be negative (an improvement) but never push a figure below zero
    st.days[j] = max(0.0, st.days[j] + vals.get("extra_days", 0.0))
    st.cost[j] = max(0.0, st.cost[j] + vals.get("extra_cost_usd", 0.0))
    # a risk premium is paid once per passage through the selection (see gate_weights)
    st.risk[j] = max(0.0, st.risk[j] + gate * vals.get("extra_risk_usd", 0.0))
    for k in vals:
        label = k.replace("_", " ")
        if label not in eff.changes:
            eff.changes.append(label)


# --- parsing -----------------------------------------------------------------------------


def parse_scenarios(doc: Located, net: Network, *, origin: str = "shipped",
                    country_resolver: Any = None) -> dict[str, Scenario]:
    """Scenarios from a parsed YAML document; errors name the file, line and field."""
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "a scenario file must be a mapping",
                        expected="'scenarios:' or 'actions:' at the top level")
    if "scenarios" in data:
        block = data["scenarios"]
        if not isinstance(block, dict) or not block:
            raise doc.error(("scenarios",), "'scenarios' must map names to scenarios")
        return {str(name): _scenario(doc, ("scenarios", str(name)), str(name), spec, net,
                                     origin, country_resolver)
                for name, spec in block.items()}
    if "actions" in data:
        name = str(data.get("name") or "custom")
        return {name: _scenario(doc, (), name, data, net, origin, country_resolver)}
    raise doc.error((), "no scenarios found", expected="'scenarios:' or 'actions:'")


def _scenario(doc: Located, path: tuple[str | int, ...], name: str, spec: Any, net: Network,
              origin: str, resolver: Any) -> Scenario:
    if not isinstance(spec, dict):
        raise doc.error(path, f"scenario {name!r} must be a mapping")
    known = {"name", "title", "kind", "description", "sources", "actions"}
    for k in spec:
        if k not in known:
            raise doc.error((*path, k), f"unknown scenario field {k!r}",
                            expected=", ".join(sorted(known)))
    kind = str(spec.get("kind", "disruption"))
    if kind not in KINDS:
        raise doc.error((*path, "kind"), f"unknown scenario kind {kind!r}",
                        expected=" or ".join(KINDS))
    acts = spec.get("actions")
    if not isinstance(acts, list) or not acts:
        raise doc.error((*path, "actions"), "a scenario needs a non-empty list of actions")
    actions = tuple(_action(doc, (*path, "actions", i), a, net, resolver)
                    for i, a in enumerate(acts))
    srcs = spec.get("sources") or []
    if not isinstance(srcs, list):
        raise doc.error((*path, "sources"), "sources must be a list of source ids")
    return Scenario(name, str(spec.get("title") or name), actions, kind,
                    str(spec.get("description") or ""), tuple(str(x) for x in srcs), origin)


def _action(doc: Located, path: tuple[str | int, ...], a: Any, net: Network,
            resolver: Any) -> Action:
    if not isinstance(a, dict):
        raise doc.error(path, "an action must be a mapping with 'select' and a change")
    allowed = {"select", "close", *FACTORS, *EXTRAS}
    for k in a:
        if k not in allowed:
            raise doc.error((*path, k), f"unknown action field {k!r}",
                            expected=", ".join(sorted(allowed)))
    sel = _selector(doc, (*path, "select"), a.get("select"), net, resolver)
    close = a.get("close", False)
    if not isinstance(close, bool):
        raise doc.error((*path, "close"), "close must be true or false")
    changes = tuple((k, _range(doc, (*path, k), a[k], k)) for k in (*FACTORS, *EXTRAS) if k in a)
    if not close and not changes:
        raise doc.error(path, "the action changes nothing",
                        expected="close: true or a factor / extra")
    if not any(sel.matches(e) for e in net.edges):
        raise doc.error((*path, "select"), "the selection matches no edge")
    return Action(sel, close, changes)


def _strings(doc: Located, path: tuple[str | int, ...], v: Any) -> list[str]:
    if isinstance(v, str):
        return [v]
    if isinstance(v, list) and all(isinstance(x, str | int) for x in v):
        return [str(x) for x in v]
    raise doc.error(path, "expected a name or a list of names")


def _selector(doc: Located, path: tuple[str | int, ...], v: Any, net: Network,
              resolver: Any) -> Selector:
    if not isinstance(v, dict) or not v:
        raise doc.error(path, "select must be a mapping",
                        expected="one or more of " + ", ".join(SELECT_KINDS))
    parts: dict[str, frozenset[str]] = {}
    tags = {t for e in net.edges for t in e.tags}
    corridors = {e.corridor for e in net.edges}
    for k, raw in v.items():
        if k not in SELECT_KINDS:
            raise doc.error((*path, k), f"cannot select by {k!r}",
                            expected=", ".join(SELECT_KINDS))
        vals = _strings(doc, (*path, k), raw)
        if k == "edges":
            bad = [x for x in vals if not net.has_edge(x)]
            if bad:
                raise doc.error((*path, k), f"unknown edge {bad[0]!r}",
                                expected="an edge id from edges.csv, e.g. 'aktau-alat'")
        elif k == "nodes":
            try:
                vals = [net.resolve(x).id for x in vals]
            except InputError as err:
                raise doc.error((*path, k), err.args[0].split(": ", 1)[-1]) from None
        elif k == "countries":
            vals = [_country(doc, (*path, k), x, resolver) for x in vals]
        else:
            allowed = {"tags": tags, "modes": set(MODES), "corridors": corridors}[k]
            bad = [x for x in vals if x not in allowed]
            if bad:
                raise doc.error((*path, k), f"unknown {k[:-1]} {bad[0]!r}",
                                expected=", ".join(sorted(allowed)))
        parts[k] = frozenset(vals)
    return Selector(**parts)


def _country(doc: Located, path: tuple[str | int, ...], q: str, resolver: Any) -> str:
    if resolver is None:
        from tightrope.ingest.codes import country_codes

        resolver = country_codes()
    try:
        return str(resolver.resolve(q))
    except InputError as err:
        raise doc.error(path, " ".join(str(err).split())) from None


def _range(doc: Located, path: tuple[str | int, ...], v: Any, key: str) -> Range:
    if isinstance(v, bool):
        raise doc.error(path, f"{key} must be a number")
    if isinstance(v, int | float):
        r = Range.exact(float(v))
    elif isinstance(v, dict):
        try:
            value = float(v["value"])
            r = Range(value, float(v.get("low", value)), float(v.get("high", value)),
                      str(v.get("rationale", "")), tuple(str(x) for x in v.get("sources", [])))
        except KeyError:
            raise doc.error(path, f"{key} needs a 'value'") from None
        except (TypeError, ValueError) as err:
            raise doc.error(path, f"bad {key}: {err}",
                            expected="{value: N, low: L, high: H, rationale: '...'}") from None
        if r.low != r.high and not r.rationale.strip():
            raise doc.error(path, f"{key} has a range but no rationale",
                            expected="a 'rationale' saying why the range is what it is")
    else:
        raise doc.error(path, f"{key} must be a number or a {{value, low, high}} mapping")
    if key in FACTORS and r.low < 0:
        raise doc.error(path, f"{key} must not be negative")
    return r


def describe(scenarios: Iterable[Scenario]) -> str:
    """'a + b' for a list of scenario names."""
    return " + ".join(s.name for s in scenarios) or "baseline"
