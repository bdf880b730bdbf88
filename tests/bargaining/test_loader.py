"""Reading actor tables: CSV/YAML/JSON, shipped examples, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tightrope.bargaining import EXAMPLES, Actors, load_actors
from tightrope.errors import InputError

GOOD = "actor,capability,position,salience\nA,1,0,0.5\nB,2,10,1\nC,1,5,0\n"


def write(tmp_path: Path, text: str, name: str = "actors.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_roundtrip_and_ranges(tmp_path: Path) -> None:
    a = load_actors(write(tmp_path, GOOD))
    assert a.names == ("A", "B", "C")
    assert a.salience.tolist() == [0.5, 1.0, 0.0]
    assert not a.has_ranges
    text = ("Actor,Capability,Position,Salience,position_low,position_high,note\n"
            "A,1,0,0.5,0,5,first\nB,2,10,1,8,10,\n")
    a = load_actors(write(tmp_path, text))
    assert a.has_ranges
    assert a.low["position"].tolist() == [0.0, 8.0]
    assert a.high["capability"].tolist() == [1.0, 2.0]


@pytest.mark.parametrize(("text", "needle"), [
    ("actor,capability,position,salience\nA,1,0,80\nB,1,10,0.5\n", "line 2, field salience"),
    ("actor,capability,position,salience\nA,1,0,0.5\n", "at least two actors"),
    ("actor,capability,position,salience\nA,1,5,0.5\nB,2,5,1\n", "same position"),
    ("actor,capability,position\nA,1,0\nB,1,10\n", "missing column salience"),
    ("A,1,0,0.5\nB,1,10,0.5\n", "missing columns"),
    ("actor,capability,position,salince\nA,1,0,0.5\nB,1,10,0.5\n", "missing column"),
    ("actor,capability,position,salience,colour\nA,1,0,0.5,red\nB,1,10,0.5,blue\n",
     "unknown column 'colour'"),
    ("actor,capability,position,salience\nA,one,0,0.5\nB,1,10,0.5\n",
     "line 2, field capability: expected a number"),
    ("actor,capability,position,salience\nA,0,0,0.5\nB,1,10,0.5\n", "not positive"),
    ("actor,capability,position,salience\nA,1,0,0.5\nA,1,10,0.5\n", "appears twice"),
    ("actor,capability,position,salience\nA,1,0,0\nB,1,10,0\n", "salience 0"),
    ("actor,capability,position,salience,position_low,position_high\nA,1,0,0.5,1,5\n"
     "B,1,10,0.5,,\n", "outside its range"),
    ("", "empty"),
    ("actor,capability,position,salience\nA,1,0,0.5,extra\nB,1,10,0.5\n",
     "line 2: 5 fields, expected 4"),
    ("actor,capability,position,salience\n\"A,x\",1,0,0.5\nB,1,10,0.5,,\n",
     "line 3: 6 fields, expected 4"),
    ("actor,capability,position,salience\nA,1,1e308,0.5\nB,1,10,0.5\n",
     "line 2, field position: position 1e+308 is out of range"),
    ("actor,capability,position,salience\nA,1,-2e9,0.5\nB,1,10,0.5\n",
     "line 2, field position: position -2e+09 is out of range"),
    ("actor,capability,position,salience\nA,1e308,0,0.5\nB,1,10,0.5\n",
     "line 2, field capability: capability 1e+308 is out of range"),
    ("actor,capability,position,salience\nA,1,inf,0.5\nB,1,10,0.5\n",
     "line 2, field position: expected a finite number"),
    ("actor,capability,position,salience,position_low,position_high\nA,1,0,0.5,-1e300,5\n"
     "B,1,10,0.5,,\n", "line 2, field position_low: position -1e+300 is out of range"),
])
def test_csv_errors_are_one_line_with_location(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(InputError) as e:
        load_actors(write(tmp_path, text))
    msg = e.value.one_line()
    assert needle in msg
    assert "actors.csv" in msg
    assert e.value.exit_code == 2


def test_missing_file_and_unknown_example() -> None:
    with pytest.raises(InputError, match="file not found"):
        load_actors("no-such-example")


def test_yaml_forms(tmp_path: Path) -> None:
    y = ("title: t\nactors:\n"
         "  - actor: A\n    capability: {value: 2, low: 1, high: 3, rationale: why}\n"
         "    position: 10\n    salience: 0.5\n"
         "  - {actor: B, capability: 1, position: 0, salience: 1}\n")
    a = load_actors(write(tmp_path, y, "a.yaml"))
    assert a.meta["title"] == "t"
    assert a.low["capability"].tolist() == [1.0, 1.0]
    assert a.meta["rationale"] == {"A": {"capability": "why"}}
    j = [{"actor": "A", "capability": 1, "position": 0, "salience": 0.5},
         {"actor": "B", "capability": 1, "position": 3, "salience": 0.5}]
    assert load_actors(write(tmp_path, json.dumps(j), "a.json")).n == 2


def test_yaml_errors_name_line_and_field(tmp_path: Path) -> None:
    y = ("actors:\n  - {actor: A, capability: 1, position: 0, salience: 0.5}\n"
         "  - actor: B\n    capability: 1\n    position: 4\n    salience: 1.5\n")
    with pytest.raises(InputError) as e:
        load_actors(write(tmp_path, y, "a.yaml"))
    assert "line 6, field actors[1].salience" in e.value.one_line()
    y = "actors:\n  - {actor: A, capability: 1, position: 0}\n"
    with pytest.raises(InputError, match="missing salience"):
        load_actors(write(tmp_path, y, "b.yaml"))
    with pytest.raises(InputError, match="no 'actors' list"):
        load_actors(write(tmp_path, "title: x\n", "c.yaml"))


@pytest.mark.parametrize(("text", "needle"), [
    ("  - {actor: B, capability: 1, position: 1.0e+308, salience: 1}\n",
     r"d.yaml:line 3, field actors\[1\].position: position 1e\+308 is out of range"),
    ("  - actor: B\n    capability: {value: 1, low: 0.5, high: 1.0e+300}\n"
     "    position: 5\n    salience: 1\n",
     r"d.yaml:line 4, field actors\[1\].capability.high: capability 1e\+300 is out of range"),
    ("  - {actor: B, capability: 1, position: .inf, salience: 1}\n",
     r"d.yaml:line 3, field actors\[1\].position: non-finite number"),
])
def test_yaml_numbers_must_be_finite_and_in_range(tmp_path: Path, text: str, needle: str
                                                  ) -> None:
    y = "actors:\n  - {actor: A, capability: 1, position: 0, salience: 0.5}\n" + text
    with pytest.raises(InputError, match=needle):
        load_actors(write(tmp_path, y, "d.yaml"))
    j = [{"actor": "A", "capability": 1, "position": 1e308, "salience": 0.5},
         {"actor": "B", "capability": 1, "position": 3, "salience": 0.5}]
    with pytest.raises(InputError, match=r"position 1e\+308 is out of range"):
        load_actors(write(tmp_path, json.dumps(j), "a.json"))


@pytest.mark.parametrize("name", [n for n in EXAMPLES if n.startswith("kaz-")])
def test_kazakhstan_examples_are_labelled_assumptions(name: str) -> None:
    a = load_actors(name)
    assert "illustrative" in a.meta["status"]
    assert a.meta["example"] == name
    for f in ("capability", "position", "salience"):
        assert np.all(a.low[f] < a.high[f]), (name, f)
    rationale = a.meta["rationale"]
    assert set(rationale) == set(a.names)
    assert all(set(v) == {"capability", "position", "salience"} for v in rationale.values())
    joined = " ".join(a.names).lower()
    for who in ("presidency", "russia", "china", "european union", "united states", "turkey"):
        assert who in joined, (name, who)
    assert any(w in joined for w in ("business", "firms", "banks", "shippers", "investors"))
    assert a.position.min() >= 0 and a.position.max() <= 100


def test_actors_are_read_only() -> None:
    a = Actors.from_columns(["a", "b"], [1, 1], [0, 1], [1, 1])
    with pytest.raises(ValueError):
        a.position[0] = 3.0
