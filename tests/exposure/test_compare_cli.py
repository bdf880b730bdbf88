"""``tightrope compare`` for KAZ, JOR and countries drawn at random; the Markdown report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clirun import run
from tightrope.ingest.codes import country_codes
from tightrope.store import open_store


def _countries(db: Path) -> list[str]:
    with open_store(db, read_only=True) as s:
        return [r["iso3"] for r in s.query(
            "SELECT DISTINCT iso3 FROM trade_partners ORDER BY iso3")]


def test_compare_kaz_jor(loaded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["compare", "KAZ", "Jordan", "--json", "--runs", "100",
                        "--db", str(loaded_db)], capsys)
    assert code == 0
    data = json.loads(out)
    kaz, jor = data["countries"]
    assert kaz["iso3"] == "KAZ" and jor["iso3"] == "JOR"
    assert kaz["missing_channels"] == [] and jor["missing_channels"] == []
    assert 0 <= kaz["balance_index"]["overall"]["value"] <= 1


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_compare_random_countries(loaded_db: Path, capsys: pytest.CaptureFixture[str],
                                  data: st.DataObject) -> None:
    pool = [c for c in _countries(loaded_db) if c not in {"KAZ", "JOR"}]
    picks = data.draw(st.lists(st.sampled_from(pool), min_size=3, max_size=3, unique=True))
    code, out, err = run(["compare", "KAZ", "JOR", *picks, "--json", "--runs", "50",
                          "--db", str(loaded_db)], capsys)
    assert code == 0, err
    rows = json.loads(out)["countries"]
    assert [r["iso3"] for r in rows] == ["KAZ", "JOR", *picks]
    for r in rows[2:]:
        # no curated overlay: the channels only curated data can fill are reported missing
        assert "investment" in r["missing_channels"]
        assert set(r["missing_channels"]) <= {"investment", "energy", "society", "trade",
                                              "alignment", "security", "institutions"}
        ov = r["balance_index"]["overall"]["value"]
        assert ov is None or 0 <= ov <= 1
        for u in r["unknown_cells"]:
            assert u["reason"]


def test_compare_text_and_errors(loaded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["compare", "KAZ", "JOR", "Mongolia", "--runs", "50",
                        "--db", str(loaded_db)], capsys)
    assert code == 0 and "per-power mean" in out and "channels without data" in out
    # the camp headline comes first, with rank, and before the per-power detail
    assert out.index("Headline: hedging between") < out.index("Detail: spread of ties")
    assert re.search(r"│ rank\s+│ \d+ of \d+", out)
    code, _, err = run(["compare", "KAZ", "--db", str(loaded_db)], capsys)
    assert code == 2 and "at least two" in err
    code, _, err = run(["compare", "KAZ", "Narnia", "--db", str(loaded_db)], capsys)
    assert code == 2 and "unknown country 'Narnia'" in err
    code, _, err = run(["compare", "KAZ", "JOR", "--powers", "RUS", "--db", str(loaded_db)],
                       capsys)
    assert code == 2 and "fewer than two powers" in err


def test_markdown_report(loaded_db: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kaz.md"
    code, _, err = run(["report", "KAZ", "-o", str(out), "--format", "md", "--runs", "100",
                        "--db", str(loaded_db)], capsys)
    assert code == 0, err
    md = out.read_text()
    for heading in ("## Dependence matrix", "## Balance index", "## Threat ring",
                    "## Where the op-ed's figures differ from the data", "## Assumptions"):
        assert heading in md
    assert "| Russia |" in md and "7,644" in md


def test_codes_cover_factbook_partners() -> None:
    assert country_codes().resolve("Gambia, The") == "GMB"
