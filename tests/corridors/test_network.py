"""Node look-up and the once-per-passage risk weights."""

from __future__ import annotations

import pytest

from tests.corridors.helpers import make_network
from tightrope.corridors.data import load_data
from tightrope.corridors.network import node_key
from tightrope.errors import InputError


@pytest.mark.parametrize("query,expected", [
    ("Xian", "xian"), ("XI'AN", "xian"), ("xi an", "xian"), ("Constanta", "constanta"),
    ("constanța", "constanta"), ("MALASZEWICZE", "malaszewicze"), ("Małaszewicze", "malaszewicze"),
    ("Baku", "alat"), ("Alyat", "alat"), ("Khorgos/Altynkol", "khorgos"), ("Altynkol", "altynkol"), ("Dostyk", "dostyk"),
    ("bab_el_mandeb", "bab_el_mandeb"), ("Bab-el-Mandeb", "bab_el_mandeb")])
def test_resolve_ignores_case_accents_and_punctuation(query: str, expected: str) -> None:
    assert load_data().network.resolve(query).id == expected


def test_unknown_node_suggests_close_names() -> None:
    with pytest.raises(InputError) as err:
        load_data().network.resolve("Duisberg")
    assert "did you mean Duisburg" in str(err.value)
    with pytest.raises(InputError) as err2:
        load_data().network.resolve("qqqqqq")
    assert "did you mean" not in str(err2.value)


def test_node_key_transliterates() -> None:
    assert node_key("Łódź") == "lodz"
    assert node_key("İstanbul") == "istanbul"


def test_a_passage_through_a_tagged_region_weighs_one() -> None:
    # n0 - n1 = n2 = n3 - n4 with '=' tagged: entering and leaving cost 1/2 each
    net = make_network(5, [(0, 1, 1, 1, 1), (1, 2, 1, 1, 1), (2, 3, 1, 1, 1), (3, 4, 1, 1, 1)],
                       tags={1: "x", 2: "x"})
    w = net.tag_weights("x")
    assert w == {1: 0.5, 2: 0.5}
    single = make_network(3, [(0, 1, 1, 1, 1), (1, 2, 1, 1, 1)], tags={1: "x"})
    assert single.tag_weights("x") == {1: 1.0}  # a dead end counts as a boundary


def test_shipped_routes_pay_each_risk_once() -> None:
    from tightrope import corridors

    for a, b in (("Xian", "Duisburg"), ("Shanghai", "Rotterdam")):
        for o in corridors.route(a, b, k=6).options:
            expected = {"northern": 100, "suez": 50, "cape": 0}.get(o.corridor)
            if expected is not None:
                assert o.risk_usd == pytest.approx(expected), (o.corridor, o.edges)


def test_network_rejects_inconsistent_data() -> None:
    with pytest.raises(ValueError, match="unknown node"):
        make_network(2, [(0, 5, 1, 1, 1)])
    with pytest.raises(ValueError, match="second edge"):
        make_network(2, [(0, 1, 1, 1, 1), (1, 0, 1, 1, 1)])
