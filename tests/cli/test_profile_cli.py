"""``tightrope profile`` and ``tightrope data``: output, JSON schema, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.clirun import run
from tightrope.store import open_store
from tightrope.store.load import WORLD_TABLES

OVERLAY_DIR = Path(__file__).resolve().parents[2] / "src/tightrope/data/overlays"




@pytest.fixture
def store_copy(loaded_db: Path, tmp_path: Path) -> Path:
    p = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, p)
    return p


def numbers_without_provenance(obj: Any, path: str = "") -> list[str]:
    """Paths of numbers in the profile JSON that sit in no object with a source and year."""
    skip = {"year", "joined", "low", "high", "littoral_year", "runs", "seed"}
    bad: list[str] = []
    if isinstance(obj, dict):
        sourced = ("source" in obj and "year" in obj) or obj.get("kind") in {
            "assumption", "unknown", "derived"}
        for k, v in obj.items():
            if isinstance(v, int | float) and not isinstance(v, bool) and k not in skip:
                if not sourced:
                    bad.append(f"{path}.{k}")
            else:
                bad += numbers_without_provenance(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            bad += numbers_without_provenance(v, f"{path}[{i}]")
    return bad


def test_profile_kaz_json(store_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["profile", "KAZ", "--json", "--db", str(store_copy)], capsys)
    assert code == 0
    p = json.loads(out)
    assert p["schema"] == "tightrope.profile/1"
    borders = {b["iso3"]: b for b in p["borders"]}
    assert {k: b["length_km"] for k, b in borders.items()} == {
        "RUS": 7644, "UZB": 2330, "CHN": 1765, "KGZ": 1212, "TKM": 413}
    for b in p["borders"]:
        assert b["source"] == "CIA World Factbook" and b["year"] is None  # undated in the Factbook
        assert "undated in the Factbook" in b["where"]
    assert p["coastline"]["littoral_states"] == ["AZE", "IRN", "KAZ", "RUS", "TKM"]
    assert "KGZ" not in p["coastline"]["littoral_states"]  # the op-ed's error
    assert numbers_without_provenance(p) == []
    orgs = {m["org"]: m for m in p["memberships"]}
    assert orgs["CSTO"]["kind"] == "security" and orgs["OTS"]["joined"] == 2009
    assert orgs["OSCE"]["joined"] == 1992
    assert {t["iso3"] for t in p["trade"]["exports"]} == {"CHN", "GBR", "RUS", "TUR", "ITA"}
    assert any(u["field"].startswith("ties.investment") for u in p["unknowns"])


@pytest.mark.parametrize("query", ["Jordan", "jo", "JOR", "jordan"])
def test_profile_jordan_by_any_name(store_copy: Path, query: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["profile", query, "--db", str(store_copy)], capsys)
    assert code == 0
    assert "Jordan (JOR)" in out and "Saudi Arabia" in out and "731 km" in out


def test_profile_other_country_json(store_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["profile", "Mongolia", "--json", "--db", str(store_copy)], capsys)
    assert code == 0
    p = json.loads(out)
    assert {b["iso3"] for b in p["borders"]} == {"CHN", "RUS"}
    assert p["coastline"]["littoral_states"] == []
    assert numbers_without_provenance(p) == []


def test_unknown_country_one_line_with_suggestions(store_copy: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["profile", "Kazakstan", "--db", str(store_copy)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unknown country 'Kazakstan'" in err and "Kazakhstan (KAZ)" in err


def test_empty_store_is_loaded_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.duckdb"
    code, out, err = run(["profile", "KAZ", "--json", "--db", str(db)], capsys)
    assert code == 0 and "empty" in err
    assert json.loads(out)["country"]["iso3"] == "KAZ"


def test_corrupted_overlay_one_line_and_store_unchanged(
    store_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(store_copy) as s:
        before = {t: s.query(f"SELECT * FROM {t} ORDER BY ALL") for t in WORLD_TABLES}
    bad = tmp_path / "kazakhstan.yaml"
    text = (OVERLAY_DIR / "kazakhstan.yaml").read_text()
    bad.write_text(text.replace("value: 0.455", "value: [0.455"))
    args = ["data", "load", "--db", str(store_copy), "--force"]
    for f in sorted(OVERLAY_DIR.glob("*.yaml")):
        args += ["--overlay", str(bad if f.name == "kazakhstan.yaml" else f)]
    code, _out, err = run(args, capsys)
    assert code == 2
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert "kazakhstan.yaml:line" in err and "invalid YAML" in err
    with open_store(store_copy) as s:
        after = {t: s.query(f"SELECT * FROM {t} ORDER BY ALL") for t in WORLD_TABLES}
    assert after == before


def test_bad_value_in_overlay_names_field(store_copy: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "kazakhstan.yaml"
    bad.write_text((OVERLAY_DIR / "kazakhstan.yaml").read_text().replace(
        "value: 0.455", "value: 4.55"))
    code, _, err = run(["data", "load", "--db", str(store_copy), "--overlay", str(bad)], capsys)
    assert code == 2
    assert "kazakhstan.yaml:line 26, field ties[0].value: value 4.55 outside [0.388, 0.5]" in err


def test_data_status(store_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["data", "status", "--json", "--db", str(store_copy)], capsys)
    assert code == 0
    st = json.loads(out)
    world = next(r for r in st["loads"] if r["dataset"] == "world")
    assert len(world["content_hash"]) == 64 and "factbook" in world["origin"]
    assert st["tables"]["countries"] > 230
    code, out, _ = run(["data", "load", "--db", str(store_copy)], capsys)
    assert code == 0 and "nothing changed" in out


def test_unusable_store_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_text("this is not a database")
    code, _, err = run(["profile", "KAZ", "--db", str(junk)], capsys)
    assert code == 3 and "junk.duckdb" in err and "Traceback" not in err


def test_malformed_json_overlay_and_bad_factbook_path(
    store_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "extra.json"
    bad.write_text('{"country": "KAZ", "ties": [\n  {"to": "RUS",}\n]}')
    code, _, err = run(["data", "load", "--db", str(store_copy), "--overlay", str(bad)], capsys)
    assert code == 2 and "extra.json:line 2" in err and "invalid JSON" in err
    code, _, err = run(["data", "load", "--db", str(store_copy), "--factbook",
                        str(tmp_path / "nowhere")], capsys)
    assert code == 2 and "nowhere" in err and "not a directory" in err
    missing = tmp_path / "missing.yaml"
    code, _, err = run(["data", "load", "--db", str(store_copy), "--overlay", str(missing)],
                       capsys)
    assert code == 2 and "missing.yaml" in err and "file not found" in err
