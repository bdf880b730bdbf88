"""The Dask engine over a Parquet export gives the same monthly series as DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.errors import InputError
from tightrope.events import temperature
from tightrope.events.scale import dask_client, export_parquet
from tightrope.store import open_store


@pytest.fixture(scope="module")
def parquet_dir(icews_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "events"
    with open_store(icews_db, read_only=True) as s:
        summary = export_parquet(s, out)
        n = s.query("SELECT count(*) AS n FROM events")[0]["n"]
    assert summary.rows == n and summary.files >= 11  # one folder per year
    return out


def test_local_cluster_gives_identical_series(icews_db: Path, parquet_dir: Path) -> None:
    with open_store(icews_db) as s, dask_client(workers=2) as client:
        for power in ("RUS", "EUU"):
            a = temperature(s, "KAZ", power, "2005-01", "2015-12")
            b = temperature(s, "KAZ", power, "2005-01", "2015-12", engine="dask",
                            parquet=parquet_dir, client=client)
            assert a.outbound == b.outbound and a.inbound == b.inbound
            assert b.manifest.parameters["engine"] == "dask"


def test_default_scheduler_and_dataset_filter(icews_db: Path, parquet_dir: Path) -> None:
    with open_store(icews_db) as s:
        ds = ["mmkb:icews2005-2015"]
        a = temperature(s, "KAZ", "CHN", "2012-01", "2015-12", datasets=ds)
        b = temperature(s, "KAZ", "CHN", "2012-01", "2015-12", datasets=ds, engine="dask",
                        parquet=parquet_dir)
        full = temperature(s, "KAZ", "CHN", "2012-01", "2015-12")
    assert a.outbound == b.outbound and a.inbound == b.inbound
    assert sum(a.outbound.events) < sum(full.outbound.events)


def test_export_refuses_a_non_empty_folder(icews_db: Path, parquet_dir: Path) -> None:
    with open_store(icews_db, read_only=True) as s, pytest.raises(InputError, match="not empty"):
        export_parquet(s, parquet_dir)
    with open_store(icews_db) as s, pytest.raises(InputError, match="Parquet export"):
        temperature(s, "KAZ", "RUS", engine="dask", parquet=None)
