"""Country outlines from the shipped TopoJSON, for static (matplotlib) maps.

TopoJSON stores shared borders once as quantised, delta-encoded arcs; a polygon ring is a list
of arc indices (a negative index ~i means arc i reversed). See the TopoJSON specification
(github.com/topojson/topojson-specification), sections 2.1.3 (transforms) and 2.2 (arcs).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from tightrope._types import FloatArray

__all__ = ["country_rings"]

Ring = FloatArray


@lru_cache(maxsize=2)
def _topology(name: str) -> dict[str, object]:
    text = resources.files("tightrope.data").joinpath("maps", name).read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def _decode_arcs(topo: dict[str, object]) -> list[Ring]:
    tr = topo.get("transform")
    arcs = topo["arcs"]
    assert isinstance(arcs, list)
    out: list[Ring] = []
    for arc in arcs:
        a = np.asarray(arc, dtype=float)[:, :2]
        if isinstance(tr, dict):
            a = np.cumsum(a, axis=0) * np.asarray(tr["scale"]) + np.asarray(tr["translate"])
        out.append(a)
    return out


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    parts = []
    for k, i in enumerate(indices):
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(a if k == 0 else a[1:])
    return np.concatenate(parts)


def _unwrap(ring: Ring) -> Ring:
    """Rings crossing the antimeridian (Chukotka, Fiji) are moved east of 180 so they do not
    smear across the map."""
    if ring.shape[0] > 1 and np.abs(np.diff(ring[:, 0])).max() > 180:
        ring = ring.copy()
        ring[:, 0] = np.where(ring[:, 0] < 0, ring[:, 0] + 360, ring[:, 0])
    return ring


@lru_cache(maxsize=2)
def country_rings(name: str = "world_110m.json") -> dict[str, list[Ring]]:
    """ISO3 -> list of rings (N x 2 arrays of lon, lat) for every country in the topology."""
    topo = _topology(name)
    arcs = _decode_arcs(topo)
    objects = topo["objects"]
    assert isinstance(objects, dict)
    out: dict[str, list[Ring]] = {}
    for g in objects["countries"]["geometries"]:
        iso = g.get("id")
        if not iso:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else (
            [g["arcs"]] if g["type"] == "Polygon" else [])
        rings = [_unwrap(_ring(r, arcs)) for poly in polys for r in poly]
        out.setdefault(str(iso), []).extend(rings)
    return out
