"""Orchestration of the briefing: one step per question the op-ed raises.

Each step calls a capability's service and stores its result object; a capability that is not
available (no data, not installed) is recorded as skipped with the reason, so the briefing says
what it could not answer instead of failing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tightrope.exposure import ExposureResult, ExposureSettings, exposure_profile
from tightrope.io import shared_data_dirs
from tightrope.manifest import Input, Manifest
from tightrope.progress import Progress
from tightrope.store.db import Store
from tightrope.store.eventqueries import event_files
from tightrope.store.queries import loads

__all__ = ["Briefing", "BriefingSettings", "Step", "run_briefing"]

@dataclass(frozen=True)
class BriefingSettings:
    """Parameters of a briefing run. ``quick`` shrinks every sample size (for CI)."""

    focal: str = "KAZ"
    comparison: str = "JOR"
    seed: int = 7
    quick: bool = False
    exposure_runs: int = 2000
    event_paths: tuple[Path, ...] = ()

    def runs(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass
class Briefing:
    settings: BriefingSettings
    exposure: dict[str, ExposureResult] = field(default_factory=dict)
    #: the world balance-between-camps entries of the focal and comparison countries
    camp_balance: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    seeds: dict[str, int] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    #: step -> the random generator it drew with, read from its result's manifest
    rngs: dict[str, str] = field(default_factory=dict)
    started: str = ""

    def manifest(self, outputs: dict[str, str], seconds: float | None = None) -> Manifest:
        """Versions, input hashes, seed and generators, parameters and output hashes."""
        return Manifest(
            "demo", tuple(Input(k, v) for k, v in self.inputs.items()), self.settings.seed,
            "; ".join(f"{k}: {v}" for k, v in self.rngs.items()) or "none used",
            {**self.parameters, "seeds": self.seeds, "skipped": self.skipped,
             "outputs": outputs, "started_utc": self.started, "seconds": seconds})


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    run: Callable[[Store, Briefing], None]


def _exposure(store: Store, b: Briefing) -> None:
    s = b.settings
    settings = ExposureSettings(runs=s.runs(s.exposure_runs, 300), seed=s.seed)
    for iso3 in (s.focal, s.comparison):
        b.exposure[iso3] = exposure_profile(store, iso3, settings)
    b.seeds["exposure_band"] = settings.seed
    from tightrope.exposure.world import camp_balance_entries

    b.camp_balance = camp_balance_entries(store, [s.focal, s.comparison], seed=s.seed,
                                          runs=s.runs(1000, 200))
    b.parameters["exposure"] = {"runs": settings.runs,
                                "powers": {k: list(v.powers) for k, v in b.exposure.items()},
                                "alignment_years": list(settings.alignment_years)}


def shared_event_files() -> list[Path]:
    """The ICEWS 2005-15 benchmark files in ../shared/data, when that folder is present
    (``TIGHTROPE_SHARED_DATA``, the folder beside the repository, or beside the working
    directory)."""
    for c in shared_data_dirs():
        if (c / "icews-tkg").is_dir():
            root = c / "icews-tkg"
            tkg = root / "nec-tkg-forecasting-evaluation" / "ICEWS05-15"
            return sorted([*root.glob("mmkb/icews05-15/*.txt"),
                           *(tkg / f for f in ("valid.txt", "test.txt") if (tkg / f).exists())])
    return []


def _events(store: Store, b: Briefing) -> None:
    from tightrope.events import panel
    from tightrope.events.explain import explain_panel, has_events

    s = b.settings
    if not has_events(store, s.focal):
        b.skipped["events"] = ("no coded event data with Kazakhstan in the store: give "
                               "--events FILE… or put ../shared/data beside the repository")
        return
    powers = (list(b.exposure[s.focal].powers) if s.focal in b.exposure
              else ["RUS", "CHN", "USA", "EUU", "TUR", "IRN"])
    p = panel(store, s.focal, powers, "2005-01", "2015-12")
    d = p.to_dict()
    from tightrope.events.forecast_service import forecast_block

    b.results["events"] = {"panel": p, "explanations": explain_panel(store, d),
                           "forecast": forecast_block(store, s.focal, powers)}
    for r in event_files(store):
        b.inputs[f"events:{Path(r['file']).name}"] = r["file_sha256"]
    b.parameters["events"] = {"from": "2005-01", "to": "2015-12",
                              "method": d["temperatures"][0]["parameters"]}


def _robust(store: Store, b: Briefing) -> None:
    from tightrope.minefield.robust import robust_analysis

    s = b.settings
    samples, runs = s.runs(200, 32), s.runs(400, 100)
    b.results["robust"] = robust_analysis("kazakhstan-2023", samples=samples, runs=runs,
                                          seed=s.seed)
    b.seeds["robust"] = s.seed
    b.rngs["robust"] = b.results["robust"].table.manifest.rng or ""
    b.parameters["robust"] = {"scenario": "kazakhstan-2023", "samples": samples,
                              "runs": runs, "sampler": "Latin hypercube", "engine": "local"}


def _bargaining(store: Store, b: Briefing) -> None:
    from tightrope.bargaining import forecast

    s = b.settings
    runs = s.runs(1000, 100)
    b.results["bargaining"] = forecast("kaz-sanctions", "scholz", rounds=30, runs=runs,
                                       seed=s.seed)
    b.seeds["bargaining"] = s.seed
    b.rngs["bargaining"] = b.results["bargaining"].manifest().rng or ""
    b.parameters["bargaining"] = {"issue": "kaz-sanctions", "variant": "scholz",
                                  "rounds": 30, "runs": runs}


#: The disruptions the briefing runs (names of shipped corridor scenarios).
CORRIDOR_SCENARIOS = ("russia-transit", "russia-risk", "red-sea-risk", "caspian-storm",
                      "dostyk-closure")


def _corridors(store: Store, b: Briefing) -> None:
    from tightrope import corridors

    s = b.settings
    runs = s.runs(200, 30)
    b.results["corridors"] = {
        "disruptions": {name: corridors.disrupt([name], runs=runs, seed=s.seed)
                        for name in CORRIDOR_SCENARIOS},
        "backtest": corridors.backtest(runs=s.runs(100, 20), seed=s.seed),
    }
    b.seeds["corridors"] = s.seed
    b.rngs["corridors"] = b.results["corridors"]["backtest"].manifest.rng or ""
    b.parameters["corridors"] = {"scenarios": list(CORRIDOR_SCENARIOS), "runs": runs,
                                 "method": "mincost"}


def _minefield(store: Store, b: Briefing) -> None:
    from tightrope import minefield

    s = b.settings
    runs = s.runs(20_000, 1_000)
    b.results["minefield"] = {
        key: minefield.compare(key, "all", runs=runs, seed=s.seed)
        for key in ("kazakhstan-2023", "jordan-2024")
    }
    b.seeds["minefield"] = s.seed
    b.rngs["minefield"] = b.results["minefield"]["kazakhstan-2023"].results[0].manifest.rng or ""
    b.parameters["minefield"] = {"scenarios": ["kazakhstan-2023", "jordan-2024"],
                                 "strategies": "all", "runs": runs}


STEPS: list[Step] = [
    Step("exposure", "exposure and balance", _exposure),
    Step("events", "relation temperature", _events),
    Step("minefield", "minefield: balancer vs bandwagon", _minefield),
    Step("robust", "robust strategies across sampled futures", _robust),
    Step("bargaining", "bargaining forecast (sanctions enforcement)", _bargaining),
    Step("corridors", "corridor disruptions and back-test", _corridors),
]


def _store_inputs(store: Store) -> dict[str, str]:
    out = {}
    for r in loads(store):
        out[f"store:{r['dataset']}"] = r["content_hash"]
    return out


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_briefing(store: Store, settings: BriefingSettings,
                 progress: Progress | None = None) -> Briefing:
    """Run every step; ``progress(steps done, steps, label of the next)`` is called before
    each step and once more when all are done."""
    b = Briefing(settings, started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    b.inputs = _store_inputs(store)
    b.parameters["quick"] = settings.quick
    for i, step in enumerate(STEPS):
        if progress:
            progress(i, len(STEPS), step.label)
        step.run(store, b)
    if progress:
        progress(len(STEPS), len(STEPS), "done")
    return b
