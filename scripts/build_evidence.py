"""Rebuild the shipped evidence table from ../shared/data (maintainers only).

    python scripts/build_evidence.py [--shared ../shared/data] [--seed 0]

Writes src/tightrope/data/evidence/rates.json: per reference class and hostility rung the
partially pooled rate per dyad-year with its 90% interval (COW MID 5.0, GML MID 2.2.1), every
dyad's rate for single-power classes, quarterly ICEWS coercion rates by relation temperature,
and the covariate model's odds ratios. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from tightrope.evidence.estimates import covariate_model, icews_estimates, mid_estimates
from tightrope.evidence.rate import INTERVAL_LEVEL

OUT = Path(__file__).resolve().parents[1] / "src" / "tightrope" / "data" / "evidence"


def _round(d: dict[str, object]) -> dict[str, object]:
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in d.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    ests = [*mid_estimates(a.shared, a.seed), *icews_estimates(a.shared, a.seed)]
    cov = [*covariate_model(a.shared, "display"), *covariate_model(a.shared, "force")]
    doc = {
        "built": date.today().isoformat(), "script": "scripts/build_evidence.py",
        "seed": a.seed, "interval_level": INTERVAL_LEVEL,
        "method": "empirical-Bayes beta-binomial across dyads (marginal likelihood, weak "
                  "hyperprior, Laplace draws); covariates: pooled logit, SEs clustered by dyad",
        "estimates": [_round(e.to_dict()) for e in ests],
        "covariates": [_round(c) for c in cov],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    # one record a line: small, and diffs show which estimate moved
    head = {k: v for k, v in doc.items() if k not in ("estimates", "covariates")}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ',\n"estimates": [']
    lines.append(",\n".join(json.dumps(e, ensure_ascii=False) for e in doc["estimates"]))
    lines.append('],\n"covariates": [')
    lines.append(",\n".join(json.dumps(c, ensure_ascii=False) for c in doc["covariates"]))
    lines.append("]}\n")
    (OUT / "rates.json").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {len(ests)} estimates and {len(cov)} odds ratios to {OUT / 'rates.json'}")


if __name__ == "__main__":
    main()
