"""The balance over camps: maths (property tests), ideal points, the world index and CLI."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clirun import run
from tightrope.exposure.camps import lean_balance, lean_interval, weighted_overall
from tightrope.exposure.idealpoints import fit_ideal_points, held_out_log_likelihood
from tightrope.exposure.validation import auc

ties = st.lists(st.floats(0, 1), min_size=3, max_size=3)


@given(ties)
def test_lean_balance_in_unit_interval_and_symmetric(t: list[float]) -> None:
    b = float(lean_balance(np.array(t)))
    assert 0.0 <= b <= 1.0
    assert b == pytest.approx(float(lean_balance(np.array(t[::-1]))))


@given(ties, ties)
def test_lean_interval_contains_every_point_of_the_box(a: list[float], b: list[float]) -> None:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    blo, bhi = lean_interval(lo[None], hi[None])
    rng = np.random.default_rng(0)
    pts = lo + rng.random((200, 3)) * (hi - lo)
    vals = lean_balance(pts)
    assert np.all(vals >= blo[0] - 1e-9) and np.all(vals <= bhi[0] + 1e-9)


def test_lean_balance_single_patron_zero_and_unknown_camps_excluded() -> None:
    assert float(lean_balance(np.array([1.0, 0.0, 0.0]))) == 0.0
    assert float(lean_balance(np.array([np.nan, 0.2, 0.2]))) == 1.0
    assert math.isnan(float(lean_balance(np.array([np.nan, np.nan, 0.3]))))
    with pytest.raises(ValueError):
        lean_balance(np.array([1.5, 0.0, 0.0]))


@given(st.lists(st.floats(0, 1), min_size=1, max_size=6))
def test_weighted_overall_is_a_mean_of_its_inputs(v: list[float]) -> None:
    x = np.array(v)
    o = float(weighted_overall(x, np.ones_like(x)))
    assert min(v) - 1e-12 <= o <= max(v) + 1e-12


def test_auc_counts_ties_half() -> None:
    assert auc([1.0, 0.0], [0.5]) == 0.5
    assert auc([0.9], [0.1, 0.2]) == 1.0
    assert math.isnan(auc([], [0.1]))


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 10_000))
def test_ideal_points_recover_simulated_positions(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_c, n_r = 40, 300
    theta = rng.normal(0, 1, n_c)
    a, b = rng.normal(0, 1.5, n_r), rng.normal(0, 1, n_r)
    ci, rj = np.meshgrid(np.arange(n_c), np.arange(n_r), indexing="ij")
    ci, rj = ci.ravel(), rj.ravel()
    p = 1 / (1 + np.exp(-(a[rj] * theta[ci] + b[rj])))
    y = (rng.random(p.size) < p).astype(float)
    names = tuple(f"C{i}" for i in range(n_c))
    ip = fit_ideal_points(ci, rj, y, names, reference=names[int(np.argmax(theta))])
    assert np.corrcoef(ip.theta[:, 0], theta)[0, 1] > 0.9
    assert np.all(ip.se > 0)


def _votes_2d(seed: int, n_c: int = 40, n_r: int = 400
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, (n_c, 2))
    a, b = rng.normal(0, 1.5, (n_r, 2)), rng.normal(0, 1, n_r)
    ci, rj = np.meshgrid(np.arange(n_c), np.arange(n_r), indexing="ij")
    ci, rj = ci.ravel(), rj.ravel()
    p = 1 / (1 + np.exp(-(np.einsum("kd,kd->k", theta[ci], a[rj]) + b[rj])))
    return theta, ci, rj, (rng.random(p.size) < p).astype(float)


def test_two_dimensional_points_recover_simulated_distances() -> None:
    # the space is identified up to rotation, so compare distances, not coordinates
    theta, ci, rj, y = _votes_2d(5)
    names = tuple(f"C{i}" for i in range(len(theta)))
    ip = fit_ideal_points(ci, rj, y, names, reference="C0", dims=2)
    true = np.linalg.norm(theta[:, None] - theta[None], axis=-1)
    fit = np.linalg.norm(ip.theta[:, None] - ip.theta[None], axis=-1)
    iu = np.triu_indices(len(theta), 1)
    assert np.corrcoef(true[iu], fit[iu])[0, 1] > 0.9
    assert ip.cov.shape == (len(theta), 2, 2)
    assert np.all(np.linalg.eigvalsh(ip.cov) > 0)  # covariances positive definite
    assert np.all(ip.theta[0] > 0)  # every axis signed by the reference


def test_held_out_votes_choose_the_true_number_of_dimensions() -> None:
    theta, ci, rj, y = _votes_2d(8)
    ll = {d: held_out_log_likelihood(ci, rj, y, len(theta), dims=d, seed=1) for d in (1, 2)}
    assert ll[2] > ll[1]
    # and one dimension is not beaten by two when the votes have one
    rng = np.random.default_rng(3)
    th, a, b = rng.normal(0, 1, 40), rng.normal(0, 1.5, 400), rng.normal(0, 1, 400)
    p = 1 / (1 + np.exp(-(a[rj] * th[ci] + b[rj])))
    y1 = (rng.random(p.size) < p).astype(float)
    ll1 = {d: held_out_log_likelihood(ci, rj, y1, 40, dims=d, seed=1) for d in (1, 2)}
    assert ll1[1] >= ll1[2] - 0.002


@pytest.fixture(scope="module")
def world(loaded_db: Path):  # type: ignore[no-untyped-def]
    from tightrope.exposure.world import world_balance
    from tightrope.store import open_store

    with open_store(loaded_db, read_only=True) as s:
        return world_balance(s, runs=200)


def test_world_lists_every_factbook_country_and_channels_discriminate(world) -> None:  # type: ignore[no-untyped-def]
    assert len(world.countries) == len({c.iso3 for c in world.countries}) >= 240
    spread = world.spread()
    for ch in ("alignment", "security", "institutions", "trade"):
        assert spread[ch]["n"] >= 180
        assert spread[ch]["iqr"] >= 0.1, ch


def test_world_institutions_no_longer_near_one_for_aligned_states(world) -> None:  # type: ignore[no-untyped-def]
    # the issue: institutions scored 0.98-1.00 for Belarus, Poland, Israel, South Korea
    for iso in ("BLR", "POL", "KOR"):
        assert world.by_iso3(iso).channel_index["institutions"] <= 0.75


def test_world_eu_counts_inside_the_west_camp(world) -> None:  # type: ignore[no-untyped-def]
    pol = world.by_iso3("POL")
    assert pol.camp_of == "WEST" and pol.leading_camp == "WEST"


def test_world_unknown_channels_are_not_imputed(world) -> None:  # type: ignore[no-untyped-def]
    vnm = world.by_iso3("VNM")
    assert math.isnan(vnm.channel_index["investment"])
    assert math.isnan(vnm.channel_index["energy"])
    assert vnm.n_channels == 4
    kaz = world.by_iso3("KAZ")
    # method v2: the headline rests on the four channels that cover every country; the
    # curated ones stay in the detail
    assert kaz.n_channels == 4
    assert kaz.curated_channels == ["investment", "energy"]


def test_world_trade_censoring_is_a_range_not_a_midpoint(world) -> None:  # type: ignore[no-untyped-def]
    kaz = world.by_iso3("KAZ")
    lo, hi = kaz.channel_band["trade"]
    assert lo < hi
    assert "lower bound" in kaz.notes["trade"]


def test_world_bands_contain_values_and_ranking_is_ordered(world) -> None:  # type: ignore[no-untyped-def]
    ranked = [c for c in world.ranked() if c.rank is not None]
    assert [c.rank for c in ranked] == list(range(1, len(ranked) + 1))
    vals = [c.overall for c in ranked]
    assert vals == sorted(vals, reverse=True)
    assert all(c.n_channels >= 3 for c in ranked)


def test_validation_reports_auc_and_explains_misses(world) -> None:  # type: ignore[no-untyped-def]
    from tightrope.exposure.validation import validate

    v = validate(world)
    first, held = v["in_sample_v1_set"], v["seen_v3_set"]
    assert v["held_out"] is None and "no held-out set" in v["held_out_note"]
    assert 0.0 <= held["auc"] <= 1.0 and 0.0 <= first["auc"] <= 1.0
    assert first["n_hedging"] == 8 and first["n_aligned"] == 10
    assert held["n_hedging"] == 4 and held["n_aligned"] == 3
    v2set = v["in_sample_v2_set"]
    assert v2set["n_hedging"] == 5 and v2set["n_aligned"] == 9
    assert all(m["channels"] for m in held["misses"] + first["misses"])
    assert 0.0 <= v["ukraine_2022"]["auc"] <= 1.0


def test_world_cli_json_lists_every_country(loaded_db: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["world", "--json", "--runs", "50", "--db", str(loaded_db)], capsys)
    assert code == 0
    d = json.loads(out)
    assert d["schema"] == "tightrope.world/4"
    assert len(d["countries"]) >= 240
    for c in d["countries"]:
        assert c["iso3"] and c["name"]
        assert set(c["overall"]) >= {"value", "band", "class"}
        assert set(c["camp_ties"]) >= {"WEST", "RUS", "CHN"}
        assert set(c["channels"]) == {"alignment", "security", "institutions", "trade",
                                      "investment", "energy"}


def test_world_cli_writes_csv_html_png(loaded_db: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    h, p, c = tmp_path / "w.html", tmp_path / "w.png", tmp_path / "w.csv"
    code, _, _ = run(["world", "--runs", "50", "--db", str(loaded_db), "--html", str(h),
                      "--png", str(p), "--csv", str(c)], capsys)
    assert code == 0
    assert "Choropleth" in h.read_text() or "choropleth" in h.read_text()
    assert "sortable" in h.read_text()
    assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = c.read_text().splitlines()
    assert lines[0].startswith("rank,member_rank,iso3,name,overall") and len(lines) >= 241


def test_world_cli_missing_folder_is_a_one_line_error(loaded_db: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    code, _, err = run(["world", "--db", str(loaded_db), "--csv",
                        str(tmp_path / "nope" / "w.csv")], capsys)
    assert code == 2
    assert "does not exist" in err and "Traceback" not in err


def test_compare_json_carries_camp_balance_with_world_rank(
        loaded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["compare", "BLR", "KAZ", "--json", "--runs", "50", "--db",
                        str(loaded_db)], capsys)
    assert code == 0
    for c in json.loads(out)["countries"]:
        cb = c["camp_balance"]
        assert cb["iso3"] == c["iso3"] and cb["rank"] >= 1 and cb["ranked_among"] >= 150


def test_report_markdown_has_the_camp_section(loaded_db: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kaz.md"
    code, _, _ = run(["report", "KAZ", "-o", str(out), "--format", "md", "--runs", "50",
                      "--db", str(loaded_db)], capsys)
    assert code == 0
    text = out.read_text()
    assert "## Balance between camps" in text
    assert re.search(r"rank \d+ of \d+ states outside the camps", text)
