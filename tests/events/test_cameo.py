"""CAMEO table: built from the official lookups (both editions), quirks, QuadClass, labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.ingest.cameo import (
    CameoCode,
    build_table,
    cameo_table,
    normalise_label,
    parse_eventcodes,
    quad_class,
)


def test_shipped_table_equals_both_official_editions(shared_data: Path) -> None:
    d = shared_data / "gdelt-cameo"
    shipped = {c.code: c for c in cameo_table().codes.values()}
    for edition in ("lookups-moxious-2020", "lookups-undp-2013"):
        built = build_table(d / edition / "CAMEO.eventcodes.txt",
                            d / edition / "CAMEO.goldsteinscale.txt")
        assert [c.code for c in built] == list(shipped)
        for c in built:
            s = shipped[c.code]
            assert (s.goldstein, s.quad_class) == (c.goldstein, c.quad_class)
            if c.code != "044":  # the mis-encoded description is repaired in the shipped copy
                assert s.name == c.name


def test_fused_106_line_is_split(shared_data: Path) -> None:
    names, embedded = parse_eventcodes(
        shared_data / "gdelt-cameo/lookups-moxious-2020/CAMEO.eventcodes.txt")
    assert names["1056"] == "Demand de-escalation of military engagement"
    assert names["106"] == "Demand withdrawal"
    assert embedded == {"106": -5.0}
    assert cameo_table().get("106") == CameoCode("106", "Demand withdrawal", -5.0, 3)


def test_codes_are_strings_with_leading_zeros() -> None:
    t = cameo_table()
    assert t.get("043") is not None and t.get("43") is None
    assert t.normalise_code("43") == "043"
    assert t.normalise_code("211") == "0211"
    assert t.normalise_code("999") is None
    assert t.get("044").name == "Meet at a 'third' location"  # type: ignore[union-attr]


@pytest.mark.parametrize(("code", "quad"), [("010", 1), ("057", 1), ("0874", 2), ("094", 2),
                                             ("10", 3), ("145", 3), ("150", 4), ("2042", 4)])
def test_quad_class_from_root(code: str, quad: int) -> None:
    assert quad_class(code) == quad
    assert cameo_table().codes[code].quad_class == quad


@pytest.mark.parametrize("bad", ["", "21x", "00", "210", "4"])
def test_quad_class_rejects_non_codes(bad: str) -> None:
    with pytest.raises(ValueError):
        quad_class(bad)


def test_gdelt_file_goldstein_and_quadclass_match_the_table(shared_data: Path) -> None:
    t = cameo_table()
    lines = (shared_data / "gdelt-cameo/20180101000000.export.CSV").read_text(
        encoding="utf-8").splitlines()
    for line in lines:
        f = line.split("\t")
        code = t.codes[f[26]]
        assert float(f[30]) == code.goldstein
        assert int(f[29]) == code.quad_class


def test_every_icews_label_in_the_shared_files_has_a_code(icews_dir: Path) -> None:
    labels: set[str] = set()
    for p in icews_dir.glob("nec-tkg-forecasting-evaluation/*/relation2id.txt"):
        labels |= {ln.split("\t")[0] for ln in p.read_text(encoding="utf-8").splitlines()}
    for p in icews_dir.glob("mmkb/*/*.txt"):
        labels |= {ln.split("\t")[1] for ln in p.read_text(encoding="utf-8").splitlines()}
    t = cameo_table()
    unmatched = sorted(lb for lb in labels if t.code_for_label(lb) is None)
    assert len(labels) > 250
    assert unmatched == []


@pytest.mark.parametrize(("label", "code"), [
    ("Make statement", "010"), ("Make_an_appeal_or_request", "020"), ("Accuse", "112"),
    ("Use conventional military force", "190"), ("Demand mediation", "108"),
    ("Demand meeting, negotiation", "106"), ("Threaten non force", "131"),
    ("Meet at a 'third' location", "044"), ("Sign formal agreement", "057"),
])
def test_label_to_code(label: str, code: str) -> None:
    assert cameo_table().code_for_label(label) == code


def test_normalise_label() -> None:
    assert normalise_label("Conduct suicide, car, or other non-military bombing, not spec below") \
        == "conduct suicide car or other non military bombing"
    assert normalise_label("Express intent to provide matyerial aid, not specified below") \
        == "express intent to provide material aid"
