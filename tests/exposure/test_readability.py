"""Exposure figures: every power in the threat-ring table is drawn; ticks are readable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.exposure import ExposureResult, ExposureSettings, exposure_profile
from tightrope.report.exposure import exposure_figures
from tightrope.store import open_store


@pytest.fixture(scope="module", params=["KAZ", "VNM"])
def res(request: pytest.FixtureRequest, loaded_db: Path) -> ExposureResult:
    with open_store(loaded_db, read_only=True) as s:
        return exposure_profile(s, request.param, ExposureSettings(runs=200, seed=3))


def test_threat_ring_draws_every_neighbour_in_the_table(res: ExposureResult) -> None:
    fig = exposure_figures(res)["threat"]
    drawn = {x for tr in fig.data for x in tr.x}
    table = {n["name"] for n in res.threat.neighbours}
    assert table and drawn == table


def test_threat_ring_tick_labels_differ(res: ExposureResult) -> None:
    fig = exposure_figures(res)["threat"]
    labels = list(fig.layout.yaxis.ticktext)
    assert len(labels) > 1 and len(set(labels)) == len(labels)
