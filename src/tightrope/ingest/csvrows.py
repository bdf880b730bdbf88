"""CSV/TSV rows by header name, refusing rows whose field count differs from the header's.

:class:`csv.DictReader` files surplus fields under the key ``None`` and fills missing ones with
``None``, so a shifted row is read silently; here it is an
:class:`~tightrope.errors.InputError` naming the file, the line and the expected count.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from tightrope.errors import InputError

__all__ = ["dict_rows"]


def dict_rows(lines: Iterable[str], source: str, *, delimiter: str = ","
              ) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number of the row's end, row) for each data row of a delimited text with a header.

    Blank lines are skipped; quoting follows :mod:`csv`.

    >>> [r for _, r in dict_rows(["a,b", "1,2"], "t.csv")]
    [{'a': '1', 'b': '2'}]
    >>> list(dict_rows(["a,b", "1,2,3"], "t.csv"))
    Traceback (most recent call last):
    ...
    tightrope.errors.InputError: t.csv:line 2: 3 fields, expected 2 as in the header
    """
    reader = csv.reader(lines, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return
    width = len(header)
    for row in reader:
        if not row:  # a blank line, skipped as csv.DictReader does
            continue
        if len(row) != width:
            raise InputError(f"{len(row)} fields, expected {width} as in the header",
                             source=source, where=f"line {reader.line_num}")
        yield reader.line_num, dict(zip(header, row, strict=True))
