"""GDELT's file lists: parsing, selection by date range, the cache's coverage check; and the
docstring examples of the fetch modules."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib

import pytest

from tightrope.errors import InputError
from tightrope.events.fetch import FetchRequest
from tightrope.events.gdeltlists import covers, parse_master, parse_v1, select
from tightrope.ingest.download import FetchSettings

MASTER = """\
150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip
318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip
10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip
149211 2a91041d7e72b0fc6a629e2ff867b240 http://data.gdeltproject.org/gdeltv2/20150218231500.export.CSV.zip

 http://data.gdeltproject.org/gdeltv2/20150219000000.export.CSV.zip
158842 a5298ce3c6df1a8a759c61b5c0b6f8bb http://data.gdeltproject.org/gdeltv2/20150219000000.export.CSV.zip
"""


def test_master_list_keeps_exports_with_size_and_md5_and_moves_them_to_the_mirror() -> None:
    listed = parse_master(MASTER, "http://127.0.0.1:9/m/")
    assert [(x.file.name, x.file.size, x.file.md5) for x in listed] == [
        ("20150218230000.export.CSV.zip", 150383, "297a16b493de7cf6ca809a7cc31d0b93"),
        ("20150218231500.export.CSV.zip", 149211, "2a91041d7e72b0fc6a629e2ff867b240"),
        ("20150219000000.export.CSV.zip", 158842, "a5298ce3c6df1a8a759c61b5c0b6f8bb"),
    ]
    assert listed[0].file.url == "http://127.0.0.1:9/m/gdeltv2/20150218230000.export.CSV.zip"
    day = dt.date(2015, 2, 18)
    assert [f.name for f in select(listed, day, day)] == [
        "20150218230000.export.CSV.zip", "20150218231500.export.CSV.zip"]
    assert covers(listed, dt.date(2015, 2, 19)) and not covers(listed, dt.date(2015, 2, 20))


def test_v1_lists_cover_years_months_and_days() -> None:
    sums = ("aa" * 16 + "  1979.zip\n" + "bb" * 16 + "  200602.zip\n"
            + "cc" * 16 + "  20130401.export.CSV.zip\n" + "dd" * 16 + "  20130402.export.CSV.zip\n"
            + "ee" * 16 + "  GDELT.MASTERREDUCEDV2.1979-2013.zip\n")
    sizes = "10 1979.zip\n20 200602.zip\n30 20130401.export.CSV.zip\n"  # 0402 has no size
    listed = parse_v1(sums, sizes)
    spans = {x.file.name: (x.first, x.last) for x in listed}
    assert spans == {
        "1979.zip": (dt.date(1979, 1, 1), dt.date(1979, 12, 31)),
        "200602.zip": (dt.date(2006, 2, 1), dt.date(2006, 2, 28)),
        "20130401.export.CSV.zip": (dt.date(2013, 4, 1), dt.date(2013, 4, 1)),
    }
    got = select(listed, dt.date(1979, 6, 1), dt.date(2006, 2, 1))
    assert [f.name for f in got] == ["1979.zip", "200602.zip"]
    assert got[0].url == "http://data.gdeltproject.org/events/1979.zip"


@pytest.mark.parametrize("kwargs", [
    {"first": dt.date(2023, 1, 2), "last": dt.date(2023, 1, 1)},
    {"first": dt.date(2023, 1, 1), "last": dt.date(2023, 1, 1), "version": 3},
    {"first": dt.date(2023, 1, 1), "last": dt.date(2023, 1, 1), "mirror": "ftp://x/"},
    {"first": dt.date(2023, 1, 1), "last": dt.date(2023, 1, 1), "countries": frozenset()},
])
def test_bad_requests_are_input_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        FetchRequest(**kwargs)  # type: ignore[arg-type]


def test_settings_are_bounded() -> None:
    with pytest.raises(InputError):
        FetchSettings(workers=0)
    with pytest.raises(InputError):
        FetchSettings(timeout_s=0)
    assert FetchSettings(backoff_s=1.0).delay(10) == 60.0


@pytest.mark.parametrize("module", ["tightrope.events.gdeltlists", "tightrope.store.worlddiff"])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
