"""Hostile YAML through the commands that read it: exit 2, one line, the store untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.clirun import run
from tests.ingest.test_yamlio import BOMB

DUP_COUNTRY = """\
country: KAZ
ties:
  - {to: CHN, channel: trade, indicator: export_share, value: 0.2, unit: share, year: 2023,
     source: "a source"}
country: RUS
"""


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        pytest.param(BOMB, "YAML anchor &a is not accepted", id="alias-bomb"),
        pytest.param(DUP_COUNTRY, "line 5, field country: key 'country' appears twice",
                     id="duplicate-country"),
        pytest.param("country: KAZ\nevents:\n  - {date: 2023-13-45, what: x}\n",
                     "line 3, field events[0].date: invalid value '2023-13-45'", id="bad-date"),
    ],
)
def test_data_load_overlay_refuses_and_keeps_the_store(
    tmp_path: Path, loaded_db: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str
) -> None:
    db = tmp_path / "store.duckdb"
    shutil.copy(loaded_db, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(text, encoding="utf-8")
    code, _, err = run(["data", "load", "--db", str(db), "--overlay", str(overlay), "--force"],
                       capsys)
    assert code == 2
    assert "overlay.yaml" in err and needle in " ".join(err.split())
    assert "Traceback" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("command", [["simulate"], ["robust"], ["bargain"]])
@pytest.mark.parametrize(
    ("text", "needle"),
    [
        pytest.param(BOMB, "YAML anchor &a is not accepted", id="alias-bomb"),
        pytest.param("x: " + "[" * 20_000 + "]" * 20_000 + "\n",
                     "nested more than 64 levels deep", id="deep-nesting"),
        pytest.param("name: x\nstart: 2023-13-45\n",
                     "line 2, field start: invalid value '2023-13-45'", id="bad-date"),
    ],
)
def test_scenario_commands_refuse_hostile_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], text: str,
    needle: str
) -> None:
    f = tmp_path / "hostile.yaml"
    f.write_text(text, encoding="utf-8")
    code, _, err = run([*command, str(f)], capsys)
    assert code == 2
    assert "hostile.yaml" in err and needle in " ".join(err.split())
