"""The work behind each job kind, run in a worker process (see :mod:`tightrope.web.jobs`).

Each runner takes the validated request as a plain dict and a
:class:`tightrope.progress.Progress` callback, and returns a JSON-ready dict. They call the
same services as the CLI.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tightrope.progress import Progress

__all__ = ["RUNNERS"]



def _bargain(p: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from tightrope.bargaining import Actors, forecast, load_actors

    if p.get("example") is not None:
        acts = load_actors(p["example"])
    elif p.get("upload") is not None:
        from tightrope.web.routes_bargain import CsvUpload

        acts = CsvUpload(**p["upload"]).actors()
    else:
        rows = p["actors"]
        acts = Actors.from_columns([r["actor"] for r in rows], [r["capability"] for r in rows],
                                   [r["position"] for r in rows], [r["salience"] for r in rows],
                                   source="web request")
    out: dict[str, Any] = forecast(acts, p["variant"], p["rounds"], p["runs"], p["seed"],
                                   progress=progress).to_json()
    return out


def _corridors(p: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from tightrope import corridors
    from tightrope.report.corridors import corridor_map

    res = corridors.disrupt(p["scenarios"], method=p["method"], runs=p["runs"], seed=p["seed"],
                            progress=progress)
    return {"result": res.to_json(), "figure": json.loads(corridor_map(res).to_json())}


def _simulate(p: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from tightrope import minefield

    if p["strategy"] == "all":
        out: dict[str, Any] = minefield.compare(p["scenario"], "all", p["runs"], p["seed"],
                                                p["horizon"], floor=p["floor"],
                                                progress=progress).to_json()
        return out
    single: dict[str, Any] = minefield.simulate(p["scenario"], p["strategy"], p["runs"],
                                                p["seed"], p["horizon"], floor=p["floor"],
                                                progress=progress).to_json()
    return {"scenario": p["scenario"], "title": single["title"], "results": [single]}


def _robust(p: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from tightrope.minefield.robust import robust_analysis

    out: dict[str, Any] = robust_analysis(
        p["scenario"], p["samples"], p["runs"], p["seed"],
        progress=progress).to_json()
    return out


RUNNERS: dict[str, Callable[[dict[str, Any], Progress], dict[str, Any]]] = {
    "bargain": _bargain,
    "corridors": _corridors,
    "simulate": _simulate,
    "robust": _robust,
}
