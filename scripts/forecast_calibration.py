"""Calibration of the monthly QuadClass forecast on Kazakhstan's dyads (ICEWS05-15 files).

    python scripts/forecast_calibration.py [--shared ../shared/data] [--db PATH]
                                           [--json FILE] [--png FILE]

Without --db the ICEWS05-15 benchmark files (named 20% sample 2005-2015, ID valid/test
2013-11 to 2015-12) are ingested into a temporary store. Parameters are chosen on the months
2008-01 to 2014-12, the months of 2015 are held out; prints the Brier scores, the skill
against climatology and the reliability table, and writes a reliability diagram with --png.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tightrope.events.forecast_calibration import Calibration, calibrate
from tightrope.store import open_store
from tightrope.store.events import ingest_events

ROOT = Path(__file__).resolve().parents[1]


def icews0515_files(shared: Path) -> list[Path]:
    d = shared / "icews-tkg"
    return [*sorted((d / "mmkb" / "icews05-15").glob("*.txt")),
            d / "nec-tkg-forecasting-evaluation" / "ICEWS05-15" / "valid.txt",
            d / "nec-tkg-forecasting-evaluation" / "ICEWS05-15" / "test.txt"]


def reliability_png(c: Calibration, path: Path) -> None:
    fig = Figure(figsize=(5, 5), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, label="perfect reliability")
    rel = c.held_out.reliability
    ax.scatter([r["mean_forecast"] for r in rel], [r["observed"] for r in rel],
               s=[20 + 2 * r["weight_events"] ** 0.8 for r in rel], color="#1f77b4",
               label="held-out 2015 (size: events)")
    ax.set_xlabel("forecast share of a QuadClass")
    ax.set_ylabel("observed share")
    ax.set_title(f"Kazakhstan dyads, QuadClass, one month ahead\nBrier skill vs climatology "
                 f"{c.held_out.skill:+.2f} ({c.held_out.events} events)", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    fig.savefig(path, dpi=120)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT / ".." / "shared" / "data")
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--png", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "icews0515.duckdb"
        with open_store(db) as store:
            if args.db is None:
                ingest_events(store, icews0515_files(args.shared))
            c = calibrate(store)
    d = c.to_dict()
    print(f"dyads: {', '.join(c.dyads)}")
    print(f"chosen on {c.tune_months.start}..{c.tune_months.end}: half-life "
          f"{c.params.half_life_months:g} months, base-rate weight {c.params.prior_events:g}")
    for name in ("tuning", "held_out"):
        b = d[name]
        print(f"{name:9} months {b['months_scored']:4d} events {b['events']:5d}  Brier "
              f"{b['brier_model']:.4f} vs climatology {b['brier_climatology']:.4f}  "
              f"skill {b['brier_skill']:+.3f}")
    print("reliability (held out): forecast -> observed (events x classes)")
    for r in c.held_out.reliability:
        print(f"  {r['bin_lo']:.1f}-{r['bin_hi']:.1f}: {r['mean_forecast']:.3f} -> "
              f"{r['observed']:.3f} ({r['weight_events']:.0f})")
    if args.json:
        args.json.write_text(json.dumps(d, indent=2), encoding="utf-8")
    if args.png:
        reliability_png(c, args.png)
        print(f"reliability diagram written to {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
