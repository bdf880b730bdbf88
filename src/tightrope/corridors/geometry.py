"""Where to draw a route: each leg along its waypoints; sea legs on great circles.

A route on a map must follow its legs (a sea leg round Iberia, not a straight line across
Europe). Each edge is drawn through its waypoints (``edges.csv``); on sea and ferry legs each
segment between two points is interpolated on the great circle (spherical linear
interpolation of unit vectors), the way ships sail. Land legs follow their waypoints: a great
circle would send the Trans-Siberian over the Arctic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from tightrope.corridors.network import Network

__all__ = ["edge_points", "great_circle", "label_nodes", "route_points"]

Point = tuple[float, float]  # (lat, lon) in degrees
EARTH_KM = 6371.0


def great_circle(a: Point, b: Point, step_km: float = 250.0) -> list[Point]:
    """Points from ``a`` to ``b`` (both included) on the great circle, about ``step_km``
    apart.

    >>> great_circle((0.0, 0.0), (0.0, 90.0), step_km=5000)[1]
    (0.0, 45.0)
    """
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    p = (math.cos(la1) * math.cos(lo1), math.cos(la1) * math.sin(lo1), math.sin(la1))
    q = (math.cos(la2) * math.cos(lo2), math.cos(la2) * math.sin(lo2), math.sin(la2))
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(p, q, strict=True))))
    omega = math.acos(dot)
    n = max(1, math.ceil(omega * EARTH_KM / step_km))
    if omega < 1e-9:
        return [a, b]
    out = []
    for i in range(n + 1):
        t = i / n
        s1, s2 = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
        x, y, z = (s1 * u + s2 * v for u, v in zip(p, q, strict=True))
        out.append((round(math.degrees(math.atan2(z, math.hypot(x, y))), 4),
                    round(math.degrees(math.atan2(y, x)), 4)))
    out[0], out[-1] = a, b
    return out


def edge_points(net: Network, i: int, from_node: str | None = None,
                step_km: float = 250.0) -> list[Point]:
    """The drawn line of edge ``i``: its ends and waypoints (on great circles at sea),
    starting at ``from_node`` (default the edge's first node)."""
    e = net.edges[i]
    a, b = net.node(e.a), net.node(e.b)
    pts: list[Point] = [(a.lat, a.lon), *e.waypoints, (b.lat, b.lon)]
    if from_node is not None and from_node == e.b:
        pts.reverse()
    if e.mode not in ("sea", "ferry"):
        return pts  # land legs follow their line's waypoints; a great circle would not
    out: list[Point] = [pts[0]]
    for p, q in pairwise(pts):
        out.extend(great_circle(p, q, step_km)[1:])
    return out


def route_points(net: Network, nodes: Sequence[str], edges: Sequence[int],
                 step_km: float = 250.0) -> list[Point]:
    """A whole route's line, leg after leg, in travel order."""
    out: list[Point] = []
    for start, i in zip(nodes, edges, strict=False):
        pts = edge_points(net, i, start, step_km)
        out.extend(pts if not out else pts[1:])
    return out


def label_nodes(net: Network, priority: Sequence[str], min_deg: float = 3.0) -> list[str]:
    """Node ids to label, greedily in ``priority`` order, skipping any node closer than
    ``min_deg`` (degrees, on the map's plate carrée) to one already labelled: fewer labels,
    none on top of another."""
    placed: list[tuple[float, float]] = []
    out = []
    for nid in priority:
        if not net.has_node(nid):
            continue
        n = net.node(nid)
        if all(math.hypot(n.lat - la, n.lon - lo) >= min_deg for la, lo in placed):
            placed.append((n.lat, n.lon))
            out.append(nid)
    return out
