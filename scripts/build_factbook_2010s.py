"""Build the balance index's 2010s Factbook inputs from the Factbook's own edition history.

Method v4 of the balance index (docs/balance-validation.md) reads trade partners and
organisation memberships for the period of its other inputs (UN votes 2010-2019), not from the
final edition (lists of 2023, memberships of 2025):

- ``factbook_trade_2010s.csv``: per country, the top partner lists of the newest edition whose
  lists (both flows, as given in that edition) are for a year of 2010-2019.
- ``factbook_memberships_2020.csv``: organisation participation as listed in the oldest weekly
  edition (26 November 2020), the nearest to the end of 2019.

Input: a git clone of the public factbook.json repository (github.com/factbook/factbook.json,
CC0), whose commits are the weekly editions since November 2020. Each edition's two fields are
read with the final edition's field reader and parsers (tightrope.ingest.factbook), so names
map to codes the same way.

Usage: ``python scripts/build_factbook_2010s.py --repo PATH/factbook.json``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from tightrope.ingest.codes import country_codes
from tightrope.ingest.factbook import entry_text, org_memberships
from tightrope.ingest.textparse import ParseFailure, parse_percent_list

FIRST_YEAR, LAST_YEAR = 2010, 2019
OUT = Path(__file__).resolve().parents[1] / "src/tightrope/data/balance"


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True,
                          capture_output=True).stdout


def editions(repo: Path) -> list[tuple[str, str]]:
    """(commit, date) of the weekly editions (the repository's "auto-update" commits, from
    November 2020), oldest first. Earlier commits (2014-2017) are a different layout."""
    out = _git(repo, "log", "--reverse", "--format=%H %ad %s", "--date=short").decode()
    eds = []
    for line in out.split("\n"):
        parts = line.split(maxsplit=2)
        if len(parts) == 3 and parts[2].startswith("auto-update"):
            eds.append((parts[0], parts[1]))
    return eds


def read_edition(repo: Path, commit: str) -> tuple[list[list[object]], list[list[object]]]:
    """Trade partner rows and membership rows of one edition.

    Only the two fields the index needs are read, with the parsers of the final edition's
    reader (older editions differ in other fields). Entries are matched by their GEC code: three
    (Azerbaijan, Armenia, Georgia) moved between region folders in 2026. Palestine's two
    entries (West Bank, Gaza Strip) are skipped, as the balance index does not rank it.
    """
    codes = country_codes()
    blob = _git(repo, "archive", "--format=tar", commit)
    by_name: dict[str, dict[str, Any]] = {}
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        for m in tar.getmembers():
            parts = m.name.split("/")
            if len(parts) == 2 and parts[1].endswith(".json") and parts[0] != "meta":
                f = tar.extractfile(m)
                if f is not None:
                    by_name.setdefault(parts[1], json.loads(f.read()))
    trade: list[list[object]] = []
    members: list[list[object]] = []
    for cc in codes.rows.values():
        if len(cc.factbook_files) != 1:
            continue
        entry = by_name.get(cc.factbook_files[0].rsplit("/", 1)[-1])
        if entry is None:
            continue
        for flow in ("exports", "imports"):
            text = entry_text(entry, "Economy", f"{flow.capitalize()} - partners")
            if not text:
                continue
            try:
                items, year = parse_percent_list(text)
            except ParseFailure:
                continue
            for it in items:
                partner = codes.lookup_name(it.name)
                if partner is not None:
                    trade.append([cc.iso3, partner, flow, round(it.percent / 100, 4), year])
        text = entry_text(entry, "Government", "International organization participation")
        members += [[cc.iso3, org, status] for org, status in org_memberships(text or "")]
    return trade, members


def _in_period(year: int | None) -> bool:
    return year is not None and FIRST_YEAR <= year <= LAST_YEAR


def build(repo: Path, step: int) -> None:
    eds = editions(repo)
    picked = eds[::-1][::step]  # newest first, every step-th edition
    if eds[0] not in picked:
        picked.append(eds[0])
    trade: dict[str, list[list[object]]] = {}
    seen: set[str] = set()
    members: list[list[object]] = []
    for k, (commit, date) in enumerate(picked):
        t_rows, m_rows = read_edition(repo, commit)
        rows: dict[str, list[list[object]]] = {}
        years: dict[str, set[int | None]] = {}
        for r in t_rows:
            year = r[4]
            years.setdefault(str(r[0]), set()).add(year if isinstance(year, int) else None)
            rows.setdefault(str(r[0]), []).append([*r, date, commit[:10]])
        for iso3, ys in years.items():
            seen.add(iso3)
            if iso3 not in trade and all(_in_period(y) for y in ys):
                trade[iso3] = rows[iso3]
        print(f"edition {k + 1}/{len(picked)} {date}: {len(trade)} countries with 2010s lists",
              flush=True)
        if k == len(picked) - 1:
            members = [[*r, date, commit[:10]] for r in m_rows]
    with open(OUT / "factbook_trade_2010s.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iso3", "partner", "flow", "share", "year", "edition", "commit"])
        for iso3 in sorted(trade):
            w.writerows(sorted(trade[iso3], key=lambda row: (str(row[2]), -float(str(row[3])))))
    with open(OUT / "factbook_memberships_2020.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iso3", "org", "status", "edition", "commit"])
        w.writerows(sorted(members))
    missing = sorted(seen - set(trade))
    print(f"trade: {len(trade)} countries; no 2010s list in any edition read: "
          f"{', '.join(missing) or 'none'}")
    print(f"memberships: {len(members)} rows from the edition of {eds[0][1]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", required=True, type=Path, help="git clone of factbook.json")
    ap.add_argument("--step", type=int, default=1,
                    help="read every STEP-th edition, newest first (weekly editions change "
                         "partner lists rarely); the oldest edition is always read")
    args = ap.parse_args()
    build(args.repo, args.step)


if __name__ == "__main__":
    main()
