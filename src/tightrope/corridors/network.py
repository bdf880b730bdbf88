"""The corridor network as frozen value objects: nodes, edges with figure ranges, look-ups.

A node is a terminal, border station, port or chokepoint; an edge is a leg between two nodes
by one mode (rail, sea, ferry, road) with ranges for days, freight per FEU and capacity per
year, the countries it crosses, gauge breaks and risk tags. Edges are undirected: a route may
use one in either direction.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from tightrope.errors import InputError

__all__ = [
    "CORRIDOR_NAMES",
    "CORRIDOR_PRIORITY",
    "MODES",
    "RISK_TAGS",
    "Basis",
    "Edge",
    "Figure",
    "Mode",
    "Network",
    "Node",
    "Source",
    "corridor_of",
    "node_key",
]

Mode = Literal["rail", "sea", "ferry", "road"]
MODES: Final = ("rail", "sea", "ferry", "road")
RISK_TAGS: Final = ("russia-transit", "red-sea", "iran", "caspian-weather")

#: Path label = the first of these corridors that one of its edges belongs to.
CORRIDOR_PRIORITY: Final = ("southern", "northern", "middle", "cape", "suez")
CORRIDOR_NAMES: Final = {
    "northern": "Northern (via Russia)",
    "middle": "Middle Corridor (Trans-Caspian)",
    "southern": "Southern (via Iran)",
    "suez": "Sea via Suez",
    "cape": "Sea via Cape",
    "other": "Other",
}

_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "ß": "ss",
                           "đ": "d", "Đ": "D", "ə": "e", "Ə": "E"})


def node_key(text: str) -> str:
    """Case-, accent- and punctuation-free key: ``"Xi'an"``, ``"XIAN"`` -> ``"xian"``.

    >>> node_key("Małaszewicze") == node_key("malaszewicze")
    True
    >>> node_key("Constanța")
    'constanta'
    """
    s = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    s = s.encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in s if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Figure:
    """A range [low, high] for an edge figure, the key of its basis (rationale) and its centre.

    ``value`` defaults to the midpoint. Sampling uses a triangular law on [low, high] with its
    mode at ``value``.
    """

    low: float
    high: float
    basis: str
    value: float | None = None

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"figure range [{self.low}, {self.high}] is reversed")
        if self.value is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"figure value {self.value} lies outside [{self.low}, {self.high}]")

    @property
    def central(self) -> float:
        return (self.low + self.high) / 2 if self.value is None else self.value

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.central, "low": self.low, "high": self.high, "basis": self.basis}


@dataclass(frozen=True, slots=True)
class Source:
    """A public source: publisher, year, address and the figures read from it."""

    id: str
    title: str
    publisher: str
    year: int | None
    url: str
    figures: str
    via: str = ""

    def cite(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.publisher}{year}: {self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "publisher": self.publisher,
                "year": self.year, "url": self.url, "figures": self.figures, "via": self.via}


@dataclass(frozen=True, slots=True)
class Basis:
    """Why an edge figure is what it is: fact or assumption, rationale, sources, rule params."""

    key: str
    kind: Literal["fact", "assumption"]
    rationale: str
    sources: tuple[str, ...] = ()
    params: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "rationale": self.rationale,
                "sources": list(self.sources),
                "params": {k: list(v) for k, v in self.params.items()}}


@dataclass(frozen=True, slots=True)
class Node:
    """A place on the network. ``iso3`` is empty for points at sea outside any country."""

    id: str
    name: str
    iso3: str
    lat: float
    lon: float
    kind: str
    gauge_mm: int | None = None
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(f"node {self.id}: coordinates {self.lat}, {self.lon} out of range")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "iso3": self.iso3 or None, "lat": self.lat,
                "lon": self.lon, "kind": self.kind, "gauge_mm": self.gauge_mm,
                "aliases": list(self.aliases)}


@dataclass(frozen=True, slots=True)
class Edge:
    """A leg between nodes ``a`` and ``b``.

    Units: ``days`` in days, ``cost_usd`` in US$ per FEU (freight, excluding the time value of
    the cargo and risk premia), ``capacity_teu`` in TEU per year (westbound, through China-Europe
    containers), ``distance_km`` in km. ``countries`` weights the edge between the countries it
    lies in (km, or weights for sea and ferry legs); empty means international waters.
    """

    id: str
    a: str
    b: str
    mode: Mode
    distance_km: Figure
    days: Figure
    cost_usd: Figure
    capacity_teu: Figure
    rule: str
    countries: tuple[tuple[str, float], ...] = ()
    gauge_break: str = ""
    tags: frozenset[str] = frozenset()
    corridor: str = ""
    waypoints: tuple[tuple[float, float], ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.a == self.b:
            raise ValueError(f"edge {self.id} is a loop at {self.a}")
        if self.mode not in MODES:
            raise ValueError(f"edge {self.id}: unknown mode {self.mode!r}")
        if self.days.low < 0 or self.cost_usd.low < 0 or self.capacity_teu.low < 0:
            raise ValueError(f"edge {self.id}: negative figure")

    def shares(self) -> dict[str, float]:
        """Country -> share of the edge (sums to 1; empty for international waters)."""
        total = sum(w for _, w in self.countries)
        return {c: w / total for c, w in self.countries} if total > 0 else {}

    def other(self, node: str) -> str:
        return self.b if node == self.a else self.a

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "a": self.a, "b": self.b, "mode": self.mode,
                "countries": {c: w for c, w in self.countries},
                "distance_km": self.distance_km.to_dict(), "days": self.days.to_dict(),
                "cost_usd_per_feu": self.cost_usd.to_dict(),
                "capacity_teu_per_year": self.capacity_teu.to_dict(), "rule": self.rule,
                "gauge_break": self.gauge_break or None, "tags": sorted(self.tags),
                "corridor": self.corridor, "note": self.note}


def corridor_of(edges: Iterable[Edge]) -> str:
    """Corridor key of a path: the first of :data:`CORRIDOR_PRIORITY` among its edges."""
    present = {e.corridor for e in edges}
    for c in CORRIDOR_PRIORITY:
        if c in present:
            return c
    return "other"


class Network:
    """Nodes, edges, sources and bases; immutable after construction.

    Raises ``ValueError`` on inconsistent data (duplicate ids, an edge to an unknown node, two
    edges between the same pair of nodes).
    """

    def __init__(self, nodes: Sequence[Node], edges: Sequence[Edge],
                 sources: Mapping[str, Source] | None = None,
                 basis: Mapping[str, Basis] | None = None) -> None:
        self.nodes: tuple[Node, ...] = tuple(nodes)
        self.edges: tuple[Edge, ...] = tuple(edges)
        self.sources: dict[str, Source] = dict(sources or {})
        self.basis: dict[str, Basis] = dict(basis or {})
        self._node = {n.id: n for n in self.nodes}
        if len(self._node) != len(self.nodes):
            raise ValueError("duplicate node id")
        self._edge_index = {e.id: i for i, e in enumerate(self.edges)}
        if len(self._edge_index) != len(self.edges):
            raise ValueError("duplicate edge id")
        pairs: set[frozenset[str]] = set()
        for e in self.edges:
            for end in (e.a, e.b):
                if end not in self._node:
                    raise ValueError(f"edge {e.id} refers to unknown node {end!r}")
            pair = frozenset((e.a, e.b))
            if pair in pairs:
                raise ValueError(f"edge {e.id}: a second edge between {e.a} and {e.b}")
            pairs.add(pair)
        self._gates: dict[frozenset[int], dict[int, float]] = {}
        self._keys: dict[str, str] = {}
        for n in self.nodes:
            for label in (n.id, n.name, *n.aliases):
                self._keys.setdefault(node_key(label), n.id)

    def __len__(self) -> int:
        return len(self.edges)

    def node(self, node_id: str) -> Node:
        return self._node[node_id]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._node

    def edge_index(self, edge_id: str) -> int:
        return self._edge_index[edge_id]

    def has_edge(self, edge_id: str) -> bool:
        return edge_id in self._edge_index

    def resolve(self, query: str) -> Node:
        """The node named by an id, name or alias, ignoring case, accents and punctuation.

        Raises :class:`InputError` with up to three suggestions when nothing matches.
        """
        key = node_key(query)
        hit = self._keys.get(key)
        if hit is not None:
            return self._node[hit]
        close = difflib.get_close_matches(key, list(self._keys), n=6, cutoff=0.6)
        names: list[str] = []
        for k in close:
            name = self._node[self._keys[k]].name
            if name not in names:
                names.append(name)
        hint = f"; did you mean {', '.join(names[:3])}?" if names else ""
        raise InputError(f"unknown corridor node {query!r}{hint}",
                         expected="a node name or id (list them with `tightrope corridors nodes`)")

    def without(self, edge_ids: Iterable[str]) -> Network:
        """The same network minus some edges."""
        drop = set(edge_ids)
        return Network(self.nodes, [e for e in self.edges if e.id not in drop], self.sources,
                       self.basis)

    def reordered(self, node_order: Sequence[int], edge_order: Sequence[int]) -> Network:
        """The same network with nodes and edges listed in another order."""
        return Network([self.nodes[i] for i in node_order],
                       [self.edges[i] for i in edge_order], self.sources, self.basis)

    def gate_weights(self, selected: Iterable[int]) -> dict[int, float]:
        """How much of a once-per-passage charge each selected edge carries.

        A risk premium is counted once per passage through the region the selected edges form:
        half on the edge that enters it and half on the edge that leaves it. An edge weighs
        0.5 for each of its ends that is a boundary node of the region (a node with an edge
        outside the selection, or a dead end), so a route that crosses the region pays 1.
        """
        sel = frozenset(selected)
        hit = self._gates.get(sel)
        if hit is not None:
            return hit
        inside: dict[str, int] = {}
        degree: dict[str, int] = {}
        for i, e in enumerate(self.edges):
            for n in (e.a, e.b):
                degree[n] = degree.get(n, 0) + 1
                if i in sel:
                    inside[n] = inside.get(n, 0) + 1

        def boundary(n: str) -> bool:
            return degree[n] == 1 or inside.get(n, 0) < degree[n]

        out = {i: 0.5 * (boundary(self.edges[i].a) + boundary(self.edges[i].b)) for i in sel}
        self._gates[sel] = out
        return out

    def tag_weights(self, tag: str) -> dict[int, float]:
        """:meth:`gate_weights` of the edges carrying ``tag``."""
        return self.gate_weights(i for i, e in enumerate(self.edges) if tag in e.tags)

    def countries(self) -> list[str]:
        """Every ISO3 code an edge lies in, sorted."""
        return sorted({c for e in self.edges for c, _ in e.countries})

    def sources_for(self, keys: Iterable[str]) -> list[Source]:
        """Sources cited by the given basis keys (deduplicated, in first-seen order)."""
        out: dict[str, Source] = {}
        for k in keys:
            b = self.basis.get(k)
            for sid in b.sources if b else ():
                if sid in self.sources:
                    out.setdefault(sid, self.sources[sid])
        return list(out.values())
