"""The experiment table: policies × Latin-hypercube futures, with a manifest; Parquet on disk.

One row per (policy, future): the future's index, every uncertainty's value (a column named
after the parameter, e.g. ``powers.russia.attitude``), the lever columns (``policy``,
``lever.balancer_floor``) and the outcomes of :mod:`tightrope.minefield.robust.evaluate`.
:meth:`ExperimentTable.save` writes ``experiments.parquet`` and ``manifest.json`` (tightrope
version, scenario hash, seed, sampler, sizes, uncertainties with ranges, table hash) — like
EMA Workbench's saved results, but columnar and hashed.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tightrope._types import FloatArray
from tightrope.errors import InputError
from tightrope.ingest.yamlio import read_structured
from tightrope.io import atomic_write_bytes, atomic_write_text
from tightrope.manifest import Manifest, rng_name
from tightrope.minefield.results import scenario_inputs
from tightrope.minefield.rng import engine_rng_name
from tightrope.minefield.robust.design import UncertaintySpace, latin_hypercube, streams
from tightrope.minefield.robust.evaluate import (
    CHUNK_TRAJECTORIES,
    TASK_TRAJECTORIES,
    Executor,
    SweepStats,
    sweep,
)
from tightrope.minefield.robust.levers import Policy
from tightrope.minefield.spec import Scenario
from tightrope.progress import Progress

__all__ = ["ExperimentTable", "load_table", "run_experiments"]


@dataclass
class ExperimentTable:
    """Inputs and outcomes of a sweep; ``outcomes[name]`` is (policies, futures)."""

    scenario: str
    policies: list[str]
    floors: list[float]
    names: list[str]
    inputs: FloatArray  # (futures, uncertainties), parameter units
    outcomes: dict[str, FloatArray]
    manifest: Manifest
    stats: SweepStats | None = field(default=None, repr=False)

    @property
    def futures(self) -> int:
        return int(self.inputs.shape[0])

    def outcome(self, name: str, policy: str) -> FloatArray:
        out: FloatArray = self.outcomes[name][self.policies.index(policy)]
        return out

    def frame(self) -> Any:
        """A long pandas DataFrame: one row per (policy, future)."""
        import pandas as pd

        K, F = len(self.policies), self.futures
        cols: dict[str, Any] = {"policy": np.repeat(self.policies, F),
                                "future": np.tile(np.arange(F), K),
                                "lever.balancer_floor": np.repeat(self.floors, F)}
        for j, n in enumerate(self.names):
            cols[n] = np.tile(self.inputs[:, j], K)
        for n, v in self.outcomes.items():
            cols[n] = v.reshape(-1)
        return pd.DataFrame(cols)

    def parquet_bytes(self) -> bytes:
        import pyarrow as pa
        import pyarrow.parquet as pq

        buf = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(self.frame(), preserve_index=False), buf)
        return buf.getvalue()

    def save(self, folder: Path) -> tuple[Path, Path]:
        """Write ``experiments.parquet`` and ``manifest.json`` into ``folder``."""
        folder = Path(folder)
        data = self.parquet_bytes()
        pq_path, man_path = folder / "experiments.parquet", folder / "manifest.json"
        atomic_write_bytes(pq_path, data)
        table = {"file": pq_path.name, "rows": len(self.policies) * self.futures,
                 "sha256": hashlib.sha256(data).hexdigest()}
        man = replace(self.manifest, parameters={**self.manifest.parameters, "table": table})
        atomic_write_text(man_path, man.to_json() + "\n")
        return pq_path, man_path


def _finite(x: float) -> float | None:
    return x if np.isfinite(x) else None


def load_table(folder: Path) -> ExperimentTable:
    """Read a saved table back (checks the Parquet file against the manifest's hash)."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    man_path = folder / "manifest.json"
    try:
        man = Manifest.from_dict(read_structured(man_path).data)
        table = man.parameters["table"]
        data = (folder / table["file"]).read_bytes()
    except InputError:
        raise
    except (OSError, KeyError, TypeError, ValueError) as e:
        raise InputError(f"cannot read a saved experiment table: {e}", source=str(folder),
                         expected="experiments.parquet and manifest.json written by a robust "
                                  "study") from None
    if hashlib.sha256(data).hexdigest() != table["sha256"]:
        raise InputError("experiments.parquet does not match its manifest hash",
                         source=str(folder))
    df = pq.read_table(io.BytesIO(data)).to_pandas()
    policies = list(dict.fromkeys(df["policy"]))
    names = [u["name"] for u in man.parameters["uncertainties"]]
    F = int(df["future"].max()) + 1
    first = df[df["policy"] == policies[0]].sort_values("future")
    outs = [c for c in df.columns if c not in {"policy", "future", "lever.balancer_floor",
                                               *names}]
    outcomes = {c: np.stack([df[df["policy"] == p].sort_values("future")[c].to_numpy(
        dtype=np.float64) for p in policies]) for c in outs}
    floors = [float(df[df["policy"] == p]["lever.balancer_floor"].iloc[0]) for p in policies]
    inputs = first[names].to_numpy(dtype=np.float64).reshape(F, len(names))
    return ExperimentTable(man.parameters["scenario"], policies, floors, names, inputs, outcomes,
                           man)


def run_experiments(scenario: Scenario, policies: Sequence[Policy], samples: int, runs: int,
                    seed: int, horizon: int | None = None, *,
                    space: UncertaintySpace | None = None, executor: Executor | None = None,
                    task_trajectories: int = TASK_TRAJECTORIES,
                    chunk_trajectories: int = CHUNK_TRAJECTORIES,
                    progress: Progress | None = None) -> ExperimentTable:
    """Latin-hypercube futures × policies × ``runs`` trajectories; reproducible from ``seed``.

    The futures come from the ``experiments`` stream of ``seed``; the engine uses ``seed``
    itself (common random numbers across futures and policies).
    """
    if samples < 1 or runs < 1:
        raise InputError(f"{samples} samples × {runs} runs", where="samples, runs",
                         expected="whole numbers >= 1")
    sp = space if space is not None else UncertaintySpace.of(scenario)
    sampler_rng = np.random.default_rng(streams(seed)["experiments"])
    unit = latin_hypercube(samples, sp.dim, sampler_rng)
    values = sp.from_unit(unit)
    sw = sweep(scenario, policies, values, runs, seed, horizon, executor=executor,
               task_trajectories=task_trajectories, chunk_trajectories=chunk_trajectories,
               progress=progress)
    manifest = Manifest("robust.experiments", scenario_inputs(scenario), seed, engine_rng_name(), {
        "scenario": scenario.key,
        "sampler": {"name": "latin_hypercube", "library": "scipy.stats.qmc.LatinHypercube",
                    "scramble": True, "strength": 1, "stream": "SeedSequence(seed).spawn(5)[0]",
                    "rng": rng_name(sampler_rng)},
        "engine_seed": seed, "samples": samples, "runs": runs,
        "horizon": horizon if horizon is not None else scenario.horizon,
        "policies": [{"name": p.name, "strategy": p.strategy,
                      "balancer_floor": _finite(p.lever_value(scenario))} for p in policies],
        "uncertainties": sp.describe(),
        "outcomes": sorted(sw.outcomes),
        "chunking": {"task_trajectories": task_trajectories,
                     "chunk_trajectories": chunk_trajectories},
    })
    return ExperimentTable(scenario.key, list(sw.policies),
                           [p.lever_value(scenario) for p in policies], sp.names,
                           sp.matrix(unit), sw.outcomes, manifest, sw.stats)
