"""Library code has no global side effects: rendering a PNG leaves matplotlib's backend and
rcParams as the caller set them, and never loads pyplot (its global figure manager)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys
from pathlib import Path
import matplotlib
out, db = Path(sys.argv[1]), Path(sys.argv[2])
before = (matplotlib.get_backend(), dict(matplotlib.rcParams))

from tightrope import corridors
from tightrope.exposure import ExposureSettings, exposure_profile
from tightrope.minefield import compare, load_scenario
from tightrope.minefield.robust import RobustSettings, SearchSettings, robust_analysis
from tightrope.report.corridors import write_map_png
from tightrope.report.exposure import write_pngs
from tightrope.report.minefield import write_minefield_png
from tightrope.report.robust import write_robust_png
from tightrope.store import open_store

sc = load_scenario("kazakhstan-2023")
write_minefield_png(compare(sc, ["balancer", "isolation"], runs=200, seed=1), out / "m.png")
write_map_png(corridors.disrupt(["red-sea"], runs=0), out / "c.png")
with open_store(db) as store:
    write_pngs(exposure_profile(store, "KAZ", ExposureSettings(runs=20)), out / "exposure")
settings = RobustSettings(search=SearchSettings(population=4, generations=1, futures=2, runs=10),
                          sobol_n=2, sobol_runs=10)
r = robust_analysis(sc, samples=4, runs=10, seed=1, settings=settings,
                    strategies="balancer,isolation")
write_robust_png(r, out / "r.png")
after = (matplotlib.get_backend(), dict(matplotlib.rcParams))
changed = sorted(k for k in before[1] if str(before[1][k]) != str(after[1].get(k)))
print(json.dumps({"backend": [before[0], after[0]], "changed": changed,
                  "pyplot": "matplotlib.pyplot" in sys.modules}))
"""


def test_png_writers_leave_matplotlib_state_alone(tmp_path: Path, loaded_db: Path) -> None:
    import json
    import os

    env = {**os.environ, "MPLBACKEND": "svg"}  # a caller's choice that is not Agg
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), str(loaded_db)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["backend"] == ["svg", "svg"]
    assert got["changed"] == []
    assert got["pyplot"] is False
    pngs = sorted(p.name for p in tmp_path.rglob("*.png"))
    assert {"m.png", "c.png", "r.png"} <= set(pngs) and len(pngs) >= 7
