"""Rebuild src/tightrope/data/corridors/move_gains.json: the payoffs the corridor market model
gives Minefield moves (``gain: {model: corridors/<scenario>}`` in a scenario file).

The Minefield reads this table instead of running the corridor model: analyses do not import
each other. ``tests/corridors/test_minefield_payoff.py`` fails when the model and the table
disagree, so re-run this after changing the corridor model or its data:

    python3 scripts/build_move_gains.py
"""

from __future__ import annotations

import json
from pathlib import Path

from tightrope.corridors import move_gain
from tightrope.corridors.data import data_sha256

#: Corridor scenarios a Minefield move may take its gain from.
MOVES = ("middle-corridor-reform",)
OUT = Path(__file__).resolve().parents[1] / "src" / "tightrope" / "data" / "corridors" / \
    "move_gains.json"


def build() -> dict[str, object]:
    return {"corridor_data_sha256": data_sha256(),
            "gains": {name: move_gain(name) for name in MOVES}}


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
