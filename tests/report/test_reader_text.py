"""Reader-facing text: ranges of negative numbers, Goldstein means, uncut names, no entities."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.clirun import run
from tightrope.report.corridors import _band
from tightrope.report.numbers import MINUS


def test_corridor_band_of_negative_values() -> None:
    text = _band([-263.4, -109.2])
    assert "--" not in text and "-" not in text
    assert text == f"{MINUS}263 to {MINUS}109"


def test_profile_does_not_cut_names(loaded_db: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tightrope.cli.common import console

    monkeypatch.setattr(console, "width", 3000)
    code, out, _ = run(["profile", "KAZ", "--db", str(loaded_db)], capsys)
    assert code == 0
    code, js, _ = run(["profile", "KAZ", "--json", "--db", str(loaded_db)], capsys)
    sources = [str(m["source"]) for m in json.loads(js)["memberships"]
               if m["joined"] is not None or m["kind"]]
    assert any(len(s) > 70 for s in sources)  # the ones that used to be cut at 70
    flat = " ".join(out.split())
    for s in sources:
        assert " ".join(s.split()) in flat


def test_no_html_entities_in_profiles(loaded_db: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, js, _ = run(["profile", "CIV", "--json", "--db", str(loaded_db)], capsys)
    assert code == 0
    assert not re.search(r"&[a-z]+;", js)
    assert "Côte d'Ivoire" in js or "Côte d\\u2019Ivoire" in js or "C\\u00f4te" in js
