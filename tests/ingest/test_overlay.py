"""Curated overlays: the shipped ones validate; broken ones fail with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.errors import InputError
from tightrope.ingest.overlay import packaged_overlays, read_overlays
from tightrope.provenance import Assumption, Fact, Unknown

GOOD = """\
country: KAZ
memberships:
  - {org: CSTO, kind: security, joined: 1994, source: "CST in force 20 Apr 1994", year: 1994}
ties:
  - to: RUS
    channel: energy
    indicator: oil_export_transit_share
    value: 0.8
    unit: share
    year: 2023
    source: "Reuters"
"""


def write(tmp_path: Path, text: str, name: str = "ov.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_shipped_overlays_validate() -> None:
    data = read_overlays()
    assert {b.code for b in data.blocs} >= {"EUU"}
    eu = next(b for b in data.blocs if b.code == "EUU")
    assert len(eu.members) == 27
    caspian = next(s for s in data.seas if s.sea == "Caspian Sea")
    assert caspian.littoral == ("AZE", "IRN", "KAZ", "RUS", "TKM")
    kinds = {type(t.value) for t in data.ties}
    assert kinds == {Fact, Assumption, Unknown}
    for t in data.ties:
        if isinstance(t.value, Fact):
            assert t.value.provenance.source and t.value.provenance.year
    assert len(packaged_overlays()) >= 3


def test_good_user_overlay(tmp_path: Path) -> None:
    data = read_overlays([write(tmp_path, GOOD)])
    assert data.ties[0].value == Fact(0.8, "share", data.ties[0].value.provenance)  # type: ignore[union-attr]
    assert "ov.yaml: line 5" in data.ties[0].value.provenance.where  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("old", "new", "pattern"),
    [
        ("value: 0.8", "value: 1.8", r"ov.yaml:line 8, field ties\[0\].value: share 1.8 out of range"),
        ('    source: "Reuters"\n', "", r"line 5, field ties\[0\].source: missing field 'source'"),
        ("to: RUS", "to: XYZ", r"line 5, field ties\[0\].to: unknown country code 'XYZ'"),
        ("channel: energy", "channel: oil", r"field ties\[0\].channel: channel 'oil'"),
        ("kind: security", "kind: military", r"memberships\[0\].kind: kind 'military'"),
        ("year: 2023", "year: twenty", r"field ties\[0\].year: 'year' is 'twenty'"),
        ("value: 0.8", "value: 0.8\n    low: 0.9\n    high: 1.0", r"value 0.8 outside \[0.9, 1.0\]"),
    ],
)
def test_bad_field_names_file_line_and_expectation(
    tmp_path: Path, old: str, new: str, pattern: str
) -> None:
    with pytest.raises(InputError, match=pattern) as e:
        read_overlays([write(tmp_path, GOOD.replace(old, new))])
    assert e.value.exit_code == 2


def test_malformed_yaml_names_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"ov.yaml:line 4, column 1: invalid YAML"):
        read_overlays([write(tmp_path, "country: KAZ\nties:\n  - {to: RUS, channel: [\n")])


def test_empty_and_unknown_top_level(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_overlays([write(tmp_path, "")])
    with pytest.raises(InputError, match="no 'country'"):
        read_overlays([write(tmp_path, "foo: 1\n")])


def test_assumption_needs_range_and_rationale(tmp_path: Path) -> None:
    text = GOOD.replace("    value: 0.8\n", "    assumption: {value: 0.8, low: 0.5}\n")
    with pytest.raises(InputError, match=r"assumption.high: missing field 'high'"):
        read_overlays([write(tmp_path, text)])


@pytest.mark.parametrize(
    ("old", "new", "pattern"),
    [
        ("value: 0.8\n    unit: share", "value: .nan\n    unit: km",
         r"ov.yaml:line 8, field ties\[0\].value: non-finite number '.nan' \(expected a finite number"),
        ("value: 0.8\n    unit: share", "value: .inf\n    unit: km",
         r"field ties\[0\].value: non-finite number '.inf' \(expected a finite number"),
        ("indicator: oil_export_transit_share", 'indicator: " "',
         r"line 7, field ties\[0\].indicator: empty indicator \(expected an indicator name"),
    ],
)
def test_overlay_values_the_model_rejects_are_input_errors(
    tmp_path: Path, old: str, new: str, pattern: str
) -> None:
    """A non-finite number or a blank name is the file's fault: file, line and field, not a
    ValueError from the value objects."""
    with pytest.raises(InputError, match=pattern):
        read_overlays([write(tmp_path, GOOD.replace(old, new))])
