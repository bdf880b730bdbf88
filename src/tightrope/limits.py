"""Upper bounds on the sizes a user may ask for (runs, samples, rounds, …).

One place for the caps, so that a typo such as ``--runs 1000000000000`` is refused at once
instead of running until killed. The dashboard (``tightrope.web``) holds the same caps for its
API; where a command-line default or documented run is larger than the dashboard's cap
(``simulate --runs``, the robustness study), the command line has its own, larger bound: a
local batch run may take minutes, a dashboard request should not. Ground floor: no imports.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_SEED",
    "MAX_BARGAIN_ROUNDS",
    "MAX_BARGAIN_RUNS",
    "MAX_CORRIDOR_ROUTES",
    "MAX_CORRIDOR_RUNS",
    "MAX_EXPOSURE_RUNS",
    "MAX_HORIZON",
    "MAX_ROBUST_RUNS",
    "MAX_ROBUST_SAMPLES",
    "MAX_SEARCH_SIZE",
    "MAX_SEED",
    "MAX_SIMULATE_RUNS",
    "MAX_SOBOL_N",
]

#: The one default seed of every stochastic command (documented in docs/cli.md).
DEFAULT_SEED: Final = 20240101
#: numpy's SeedSequence takes any non-negative integer; 2**63 - 1 keeps seeds storable as a
#: signed 64-bit integer (DuckDB BIGINT, JSON readers that use int64).
MAX_SEED: Final = 2**63 - 1

#: Trajectories of ``simulate``. The dashboard caps a request at 20,000 (its MAX_RUNS); the
#: documented command-line results use 100,000 runs, so the command line allows 200,000.
MAX_SIMULATE_RUNS: Final = 200_000
#: Quarters of a simulation (the dashboard's cap, routes_simulate.MAX_HORIZON).
MAX_HORIZON: Final = 80
#: Futures (``--samples``) and runs per future of ``robust``. The dashboard caps these at 256
#: and 1,000 for interactive use; the command-line defaults (1,000 and 2,000) are larger, so
#: the command line allows 8 times the default.
MAX_ROBUST_SAMPLES: Final = 8_000
MAX_ROBUST_RUNS: Final = 20_000
#: NSGA-II population, generations, common futures of ``robust --search``.
MAX_SEARCH_SIZE: Final = 1_000
#: Sobol' base sample N of ``robust`` (evaluations grow as N × (groups + 2)).
MAX_SOBOL_N: Final = 8_192
#: Monte Carlo runs and rounds of ``bargain`` (the dashboard's caps, routes_bargain).
MAX_BARGAIN_RUNS: Final = 2_000
MAX_BARGAIN_ROUNDS: Final = 100
#: Monte Carlo runs and routes listed by ``corridors`` (the dashboard's caps, routes_corridors).
MAX_CORRIDOR_RUNS: Final = 500
MAX_CORRIDOR_ROUTES: Final = 5
#: Monte Carlo draws of the exposure band (``compare``, ``report``).
MAX_EXPOSURE_RUNS: Final = 200_000
