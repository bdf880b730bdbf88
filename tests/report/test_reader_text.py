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


@pytest.mark.parametrize("iso3", ["KAZ", "JOR"])
def test_exposure_report_reader_text(iso3: str, loaded_db: Path) -> None:
    """The exposure report of Kazakhstan and of Jordan: key judgements first, then text with
    no paths, identifiers, double dashes or over-precise decimals before the assumptions."""
    from tightrope.exposure import ExposureSettings, exposure_profile
    from tightrope.exposure.world import camp_balance_entries
    from tightrope.report.exposure import exposure_html
    from tightrope.report.judgements import balance_judgement, slug
    from tightrope.report.world import camp_balance_html
    from tightrope.store import open_store

    from .readertext import problems

    with open_store(loaded_db, read_only=True) as store:
        res = exposure_profile(store, iso3, ExposureSettings(runs=100, seed=1))
        cb = camp_balance_entries(store, [iso3], seed=1, runs=100).get(iso3)
    j = balance_judgement(cb, slug("Balance between camps"))
    assert j is not None
    page = exposure_html(res, [camp_balance_html(cb)], [j])
    assert page.index("Key judgements") < page.index("How exposed, how balanced")
    assert f"id='{j.anchor}'" in page
    body = page.split("<h2 id='assumptions'>")[0]
    assert problems(body) == []
