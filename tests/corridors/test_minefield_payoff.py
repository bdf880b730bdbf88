"""The Minefield takes the Middle Corridor move's payoff from the corridor market model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope import corridors
from tightrope.errors import InputError
from tightrope.minefield.parse import parse_scenario

SHIPPED = Path(corridors.__file__).parent.parent / "data" / "scenarios" / "kazakhstan-2023.yaml"
OLD = "    gain: [0.05, -0.05, 0.2]\n    attitude: {russia: [-0.04, -0.08, -0.01]"


def _with_gain(tmp_path: Path, gain: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert OLD in text  # the move this test rewires
    f = tmp_path / "kaz.yaml"
    f.write_text(text.replace(OLD, OLD.replace("[0.05, -0.05, 0.2]", gain)), encoding="utf-8")
    return f


def test_a_move_gain_can_come_from_the_corridor_model(tmp_path: Path) -> None:
    sc = parse_scenario(_with_gain(tmp_path, "{model: corridors/middle-corridor-reform}"))
    g = corridors.move_gain("middle-corridor-reform")
    v = sc.params["moves.middle_corridor.gain"].value
    assert (v.value, v.low, v.high) == (g["value"], g["low"], g["high"])
    assert "market model" in v.rationale


@pytest.mark.parametrize("ref", ["corridors/no-such-move", "oracle/middle-corridor-reform"])
def test_a_bad_model_reference_names_the_file_and_line(tmp_path: Path, ref: str) -> None:
    with pytest.raises(InputError) as e:
        parse_scenario(_with_gain(tmp_path, "{model: " + ref + "}"))
    msg = e.value.one_line()
    assert "kaz.yaml" in msg and "line" in msg and "moves.middle_corridor.gain" in msg


def test_the_shipped_gain_table_is_what_the_model_gives() -> None:
    """The Minefield reads move gains from a shipped table (scripts/build_move_gains.py);
    it must match the corridor model and the data it was built from."""
    import json
    from importlib import resources

    from tightrope.corridors.data import data_sha256

    table = json.loads(resources.files("tightrope.data").joinpath(
        "corridors", "move_gains.json").read_text("utf-8"))
    assert table["corridor_data_sha256"] == data_sha256(), "re-run scripts/build_move_gains.py"
    for name, shipped in table["gains"].items():
        assert shipped == corridors.move_gain(name), f"re-run scripts/build_move_gains.py ({name})"
