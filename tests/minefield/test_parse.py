"""Scenario files: what is accepted, and errors that name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.errors import InputError
from tightrope.minefield import load_scenario, shipped_scenarios
from tightrope.minefield.spec import COERCION_RUNGS

from .conftest import TINY


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def _error(tmp_path: Path, old: str, new: str) -> str:
    assert old in TINY, old
    with pytest.raises(InputError) as e:
        load_scenario(_write(tmp_path, TINY.replace(old, new, 1)))
    return e.value.one_line()


def test_shipped_names_and_paths() -> None:
    assert {"kazakhstan-2023", "jordan-2024"} <= set(shipped_scenarios())
    a = load_scenario("kazakhstan-2023")
    b = load_scenario("kazakhstan-2023.yaml")
    assert a.sha256 == b.sha256 and a.focal_iso3 == "KAZ"
    assert load_scenario(a.source).key == "kazakhstan-2023"
    with pytest.raises(InputError, match="kazakhstan-2023"):
        load_scenario("atlantis-2050")


def test_tiny_is_understood(tiny_path: Path) -> None:
    sc = load_scenario(tiny_path)
    assert sc.power_keys == ("north", "east", "west")
    assert sc.power("north").iso3 == "RUS" and sc.power("west").iso3 is None
    assert sc.params["powers.north.dependence.trade"].value.kind == "fact"
    assert sc.catastrophe_kind("north", "intervention") == "invasion"
    assert sc.catastrophe_kind("east", "sanctions") is None
    assert [c.key for c in sc.catastrophes if c.economic] == ["unrest"]
    assert sc.lever("balancer.floor").value == 0.1
    assert all(p.uncertain for p in sc.uncertainties())
    summary = sc.summary()
    assert summary["focal"]["iso3"] == "KAZ" and len(summary["parameters"]) == len(sc.params)


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("attitude: [0.2, 0.0, 0.4]", "attitude: 0.2", "field powers.north.attitude: found 0.2"),
    ("attitude: [0.2, 0.0, 0.4]", "attitude: [0.2, 0.3, 0.4]", "outside its range"),
    ("attitude: [0.5, 0.3, 0.7]", "attitude: [1.5, 0.3, 1.7]", "a number in [-1, 1]"),
    ('rationale: "test power"\n    attitude: [0.2', 'attitude: [0.2', "needs a `rationale`"),
    ("sanctions: [0.1, 0.05, 0.2], intervention", "sanctions: [0.4, 0.05, 0.5], intervention",
     "exceeds P(at least information_campaign)"),
    ("attitude: {north: [0.1, 0.05, 0.15]", "attitude: {south: [0.1, 0.05, 0.15]",
     "unknown power 'south'"),
    ("catastrophe: unrest", "catastrophe: famine", "unknown catastrophe 'famine'"),
    ("per_use: {move: lean_west", "per_use: {move: lean_south", "unknown move 'lean_south'"),
    ("zigzag: {moves: [lean_east, lean_west]", "zigzag: {moves: [lean_east, fly]",
     "field strategies.sequences.zigzag.moves[1]"),
    ("horizon_quarters: 12", "horizon_quarters: -3", "horizon_quarters"),
    ("focal: Kazakhstan", "focal: Atlantis", "unknown country 'Atlantis'"),
    ("    deters: {north:", "    deter: {north:", "unknown key 'deter'"),
    ("{value: 0.2, source: \"test source\", year: 2023}",
     "{value: 0.2, source: \"test source\", year: 23}", "expected a year like 2023"),
    ("red_line: [2, 1, 3]}\n    rewards: {trade_deal: [0.3, 0.1, 0.5], investment: [0.1",
     "red_line: [2, 1, 3]}\n    rewards: {trade_deal: [1.3, 0.1, 1.5], investment: [0.1",
     "a probability in [0, 1]"),
])
def test_errors_name_file_line_field(tmp_path: Path, old: str, new: str, needle: str) -> None:
    msg = _error(tmp_path, old, new)
    assert "s.yaml" in msg and needle in msg, msg


def test_error_lines_point_at_the_field(tmp_path: Path) -> None:
    msg = _error(tmp_path, "gain: [0.12, 0.05, 0.2]", "gain: 0.12")
    line = next(i for i, s in enumerate(TINY.splitlines(), 1) if "gain: [0.12, 0.05, 0.2]" in s)
    assert f"line {line}, field moves.lean_west.gain" in msg


def test_yaml_syntax_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="invalid YAML"):
        load_scenario(_write(tmp_path, "powers: [unclosed"))


def test_every_shipped_parameter_has_provenance() -> None:
    for name in shipped_scenarios():
        sc = load_scenario(name)
        for p in sc.params.values():
            v = p.value
            assert p.kind in ("fact", "evidence", "judgement"), p.name
            if p.kind == "evidence":
                assert p.origin.startswith("evidence:mid.") and v.low <= v.value <= v.high
                assert "COW MID" in p.citation() or "GML" in p.citation(), p.name
            elif p.origin.startswith("overlay:"):
                assert v.kind == "fact" and v.provenance.source, p.name  # type: ignore[union-attr]
            elif v.kind == "fact":
                assert v.provenance.source.startswith("facts.md"), p.name  # type: ignore[union-attr]
            else:
                assert v.rationale and v.low <= v.value <= v.high, p.name  # type: ignore[union-attr]


def test_kazakhstan_captures_the_op_ed_mechanisms(kazakhstan: object) -> None:
    text = Path(kazakhstan.source).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    for needle in ("border arc", "Russian minority", "CSTO", "counterweight", "largest investor",
                   "OSCE", "Turkic States", "Latin", "Middle Corridor", "sanctions",
                   "Donbas", "CPC", "uranium", "oil", "gas", "attract investment", "Taiwan",
                   "Caspian"):
        assert needle.lower() in text.lower(), needle
    keys = set(kazakhstan.move_keys)  # type: ignore[attr-defined]
    assert {"comply_with_sanctions", "recognise_donbas", "middle_corridor",
            "turkic_latin_script", "osce_diplomacy", "china_counterweight",
            "eu_investment_drive", "investment_attraction", "resource_diplomacy"} <= keys
    rungs = [r for r in COERCION_RUNGS if kazakhstan.has(  # type: ignore[attr-defined]
        f"powers.russia.coercion.{r}")]
    assert rungs == list(COERCION_RUNGS)


def test_log_scale_ranges_and_unit_mapping(kazakhstan: object, tmp_path: Path) -> None:
    import numpy as np

    sc = kazakhstan
    p = sc.params["powers.russia.effects.transit_cutoff.loss"]  # type: ignore[attr-defined]
    assert p.log_scale and not sc.params["powers.russia.attitude"].log_scale  # type: ignore
    lo, mid, hi = p.from_unit(np.array([0.0, 0.5, 1.0]))
    assert lo == pytest.approx(p.low) and hi == pytest.approx(p.high)
    assert mid == pytest.approx(np.sqrt(p.low * p.high))
    vals = sc.from_unit({p.name: np.array([0.5]),  # type: ignore[attr-defined]
                         "powers.russia.attitude": np.array([0.25])})
    assert vals["powers.russia.attitude"][0] == pytest.approx(0.125)
    msg = _error(tmp_path, "attitude: [0.2, 0.0, 0.4]", "attitude: [0.2, 0.0, 0.4, log]")
    assert "log-scale range must be positive" in msg


def _with_moves(n: int) -> str:
    """TINY with ``n`` moves in all (its four plus plain ones)."""
    extra = "".join(f'  m{i}: {{label: "M{i}"}}\n' for i in range(n - 4))
    return TINY.replace('  hold: {label: "Hold"}\n', '  hold: {label: "Hold"}\n' + extra, 1)


def test_move_catalogue_limit_is_what_the_balancer_handles(tmp_path: Path) -> None:
    """A catalogue the parser accepts runs under every strategy; one move more is an input
    error naming the field, not a ValueError from inside the balancer."""
    from tightrope.minefield import simulate

    ok = load_scenario(_write(tmp_path, _with_moves(63)))
    assert len(ok.moves) == 63
    r = simulate(ok, "balancer", runs=8, seed=1, horizon=2)
    assert 0.0 <= r.p_catastrophe <= 1.0
    with pytest.raises(InputError, match=r"field moves: 64 moves \(expected at most 63 moves"):
        load_scenario(_write(tmp_path, _with_moves(64)))


def test_a_parameter_can_take_its_value_from_evidence(tmp_path: Path) -> None:
    from tightrope.evidence import estimate

    p = tmp_path / "s.yaml"
    p.write_text(TINY.replace(
        "intervention: [0.01, 0.005, 0.02]",
        'intervention: {from: "evidence:mid.russia_post_soviet.occupation_or_war.KAZ"}'),
        encoding="utf-8")
    sc = load_scenario(str(p))
    par = sc.params["powers.north.coercion.intervention"]
    e = estimate("mid.russia_post_soviet.occupation_or_war.KAZ", quarterly=True)
    assert (par.central, par.low, par.high) == (e.mean, e.low, e.high)
    assert par.kind == "evidence" and "post-Soviet" in par.citation()
    assert sc.provenance_counts()["evidence"] == 1
    assert sc.summary()["parameters"][par.name]["kind"] == "evidence"
    yearly = estimate("mid.russia_post_soviet.occupation_or_war.KAZ")
    assert yearly.mean > e.mean  # a year holds four quarters of hazard


def test_shared_quantities_come_from_the_overlay(kazakhstan: object) -> None:
    from tightrope.ingest.overlay import read_overlays

    tie = next(t for t in read_overlays().ties if (t.src, t.dst, t.indicator) == (
        "KAZ", "RUS", "oil_export_transit_share"))
    p = kazakhstan.params["powers.russia.dependence.energy_transit"]  # type: ignore[attr-defined]
    assert (p.central, p.low, p.high) == (tie.value.value, tie.value.low, tie.value.high)
    assert p.central > 0.9  # ~96% of oil exports cross Russia (Ministry of Energy, 2024)


@pytest.mark.parametrize(("spec", "needle"), [
    ('{from: "evidence:mid.russia_post_soviet.forse.KAZ"}', "did you mean"),
    ('{from: "evidence:mid.russia_post_soviet.force.KAZ", per: month}', "quarter or year"),
    ('{from: "overlay:KAZ/RUS/energy"}', "overlay:<FOCAL>/<TO>/<channel>/<indicator>"),
    ('{from: "overlay:KAZ/RUS/energy/nothing_here"}', "no overlay figure"),
    ('{from: "somewhere:else"}', "evidence:<estimate name>"),
    ('{from: "evidence:mid.russia_post_soviet.force.KAZ", value: 0.2}', "unknown key"),
])
def test_bad_from_references_name_the_field(tmp_path: Path, spec: str, needle: str) -> None:
    msg = _error(tmp_path, "intervention: [0.01, 0.005, 0.02]", f"intervention: {spec}")
    assert needle in msg and "powers.north.coercion.intervention" in msg.replace("/", ".")


def test_catastrophe_evidence_names_are_checked(tmp_path: Path) -> None:
    good = 'invasion: {label: "Invasion", evidence: [mid.russia_post_soviet.occupation_or_war.KAZ]}'
    p = tmp_path / "ok.yaml"
    p.write_text(TINY.replace('invasion: {label: "Invasion"}', good), encoding="utf-8")
    sc = load_scenario(str(p))
    assert next(c for c in sc.catastrophes if c.key == "invasion").evidence == (
        "mid.russia_post_soviet.occupation_or_war.KAZ",)
    msg = _error(tmp_path, 'invasion: {label: "Invasion"}',
                 'invasion: {label: "Invasion", evidence: [mid.nowhere.war]}')
    assert "catastrophes.invasion.evidence" in msg.replace("/", ".") and "no evidence" in msg
    msg = _error(tmp_path, 'invasion: {label: "Invasion"}',
                 'invasion: {label: "Invasion", evidence: '
                 '[icews.great_power_neighbours.coercion.hostile]}')
    assert "per dyad-year" in msg
