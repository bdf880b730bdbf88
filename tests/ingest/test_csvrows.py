"""CSV/TSV rows by header name: a row with a different field count is an error, not a shift."""

from __future__ import annotations

import doctest

import pytest

from tightrope.errors import InputError
from tightrope.ingest import csvrows
from tightrope.ingest.csvrows import dict_rows


def test_doctests() -> None:
    result = doctest.testmod(csvrows)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("lines", "needle"),
    [
        (["a,b,c", "1,2,3", "4,5,6,7"], "t.csv:line 3: 4 fields, expected 3 as in the header"),
        (["a,b,c", "1,2"], "t.csv:line 2: 2 fields, expected 3"),
        (["a,b,c", '"1,x",2,3', "1,2,3,"], "t.csv:line 3: 4 fields, expected 3"),
    ],
)
def test_rows_of_the_wrong_width_name_file_and_line(lines: list[str], needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        list(dict_rows(lines, "t.csv"))


def test_rows_by_name_with_line_numbers() -> None:
    got = list(dict_rows(["a\tb", "1\t2", "", '3\t"x\ny"'], "t.tsv", delimiter="\t"))
    assert got == [(2, {"a": "1", "b": "2"}), (4, {"a": "3", "b": "x\ny"})]
    assert list(dict_rows([], "empty.csv")) == []
