"""Fixtures for the minefield tests: the shipped scenarios and a small synthetic one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.minefield import Scenario, load_scenario

TINY = """
scenario: tiny
focal: Kazakhstan
horizon_quarters: 12
dependence_channels: [trade, security]
dynamics:
  rationale: "test dynamics"
  reversion: [0.1, 0.05, 0.2]
  noise: [0.05, 0.0, 0.1]
  dependence_reversion: [0.05, 0.0, 0.1]
powers:
  north:
    country: Russia
    rationale: "test power"
    attitude: [0.2, 0.0, 0.4]
    leverage: [0.7, 0.5, 0.9]
    dependence: {trade: {value: 0.2, source: "test source", year: 2023}, security: [0.6, 0.4, 0.8]}
    red_line: [-0.5, -0.7, -0.3]
    sensitivity: {coercion_attitude: [3, 2, 4], reward_attitude: [2, 1, 3], leverage: [2, 1, 3], red_line: [2, 1, 3]}
    rewards: {trade_deal: [0.3, 0.1, 0.5], investment: [0.1, 0.05, 0.2]}
    coercion: {information_campaign: [0.3, 0.1, 0.5], sanctions: [0.1, 0.05, 0.2], intervention: [0.01, 0.005, 0.02]}
  east:
    country: China
    rationale: "test power"
    attitude: [0.5, 0.3, 0.7]
    leverage: [0.4, 0.2, 0.6]
    dependence: {trade: [0.25, 0.2, 0.3], security: [0.1, 0.05, 0.2]}
    sensitivity: {coercion_attitude: [3, 2, 4], reward_attitude: [2, 1, 3], leverage: [1, 0, 2]}
    rewards: {trade_deal: [0.3, 0.1, 0.5], investment: [0.2, 0.1, 0.3]}
    coercion: {information_campaign: [0.1, 0.05, 0.2], border_incident: [0.01, 0.005, 0.02]}
    deters: {north: [1.0, 0.0, 2.0]}
  west:
    rationale: "test bloc"
    attitude: [0.4, 0.2, 0.6]
    leverage: [0.3, 0.1, 0.5]
    dependence: {trade: [0.3, 0.2, 0.4], security: [0.05, 0.0, 0.1]}
    red_line: [-0.7, -0.9, -0.5]
    sensitivity: {coercion_attitude: [3, 2, 4], reward_attitude: [2, 1, 3], leverage: [1, 0, 2], red_line: [2, 1, 3]}
    rewards: {trade_deal: [0.3, 0.1, 0.5], investment: [0.2, 0.1, 0.3]}
    coercion: {information_campaign: [0.1, 0.05, 0.2], sanctions: [0.05, 0.02, 0.1]}
reactions:
  rationale: "test effects"
  trade_deal: {gain: [0.05, 0.0, 0.1], dependence: [0.01, 0.0, 0.02]}
  investment: {gain: [0.15, 0.1, 0.2], dependence: [0.02, 0.0, 0.04], attitude: [0.02, 0.0, 0.05]}
  information_campaign: {loss: [0.02, 0.0, 0.05], catastrophe: unrest, catastrophe_probability: [0.01, 0.0, 0.02]}
  sanctions: {loss: [0.3, 0.1, 0.5]}
  border_incident: {loss: [0.1, 0.0, 0.2], catastrophe: region, catastrophe_probability: [0.2, 0.1, 0.3]}
  intervention: {loss: [2, 1, 3], catastrophe: invasion, catastrophe_probability: [1.0, 0.8, 1.0]}
moves:
  hold: {label: "Hold"}
  lean_north:
    rationale: "test move"
    gain: [0.05, 0.0, 0.1]
    attitude: {north: [0.1, 0.05, 0.15], west: [-0.05, -0.1, 0.0]}
    dependence: {north: [0.03, 0.0, 0.05]}
    alignment: {north: [0.8, 0.6, 1.0], west: [-0.8, -1.0, -0.6]}
  lean_east:
    rationale: "test move"
    gain: [0.1, 0.05, 0.15]
    attitude: {east: [0.08, 0.05, 0.1], north: [-0.04, -0.08, 0.0]}
    dependence: {east: [0.03, 0.0, 0.05]}
    alignment: {east: [0.7, 0.5, 0.9], north: [-0.3, -0.5, -0.1]}
  lean_west:
    rationale: "test move"
    gain: [0.12, 0.05, 0.2]
    attitude: {west: [0.08, 0.05, 0.1], north: [-0.1, -0.15, -0.05]}
    dependence: {west: [0.03, 0.0, 0.05], north: [-0.02, -0.04, 0.0]}
    alignment: {west: [0.8, 0.6, 1.0], north: [-0.6, -0.8, -0.4]}
shocks:
  crisis:
    rationale: "test shock"
    rate: [0.1, 0.05, 0.2]
    duration_quarters: [2, 1, 3]
    gain: [-0.2, -0.4, 0.0]
    attitude: {north: [-0.05, -0.1, 0.0]}
    coercion: {north: [0.5, 0.0, 1.0]}
  storm:
    rationale: "test shock"
    rate: [0.2, 0.1, 0.3]
    per_use: {move: lean_west, gain: [-0.02, -0.04, 0.0], cap: 4}
catastrophes:
  invasion: {label: "Invasion"}
  region: {label: "Loss of a region"}
  unrest:
    label: "Unrest"
    rationale: "test trigger"
    economic_trigger: {gain_below: [-1.0, -2.0, -0.5], hazard: [0.1, 0.05, 0.2]}
strategies:
  balancer: {floor: {value: 0.1, low: -0.5, high: 0.5}}
  sequences:
    zigzag: {moves: [lean_east, lean_west], repeat: cycle}
"""


@pytest.fixture
def tiny_path(tmp_path: Path) -> Path:
    p = tmp_path / "tiny.yaml"
    p.write_text(TINY, encoding="utf-8")
    return p


@pytest.fixture
def tiny(tiny_path: Path) -> Scenario:
    return load_scenario(tiny_path)


@pytest.fixture(scope="session")
def kazakhstan() -> Scenario:
    return load_scenario("kazakhstan-2023")


@pytest.fixture(scope="session")
def jordan() -> Scenario:
    return load_scenario("jordan-2024")
