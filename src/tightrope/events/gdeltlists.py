"""GDELT's published file lists: which event export files cover a date range, with size and MD5.

* GDELT 1.0 (``events/``): ``md5sums`` has one line ``<md5>  <name>`` per file (the format of
  ``md5sum``) and ``filesizes`` one line ``<bytes> <name>``. Names are ``YYYY.zip`` (1979-2005,
  a year), ``YYYYMM.zip`` (2006 to March 2013, a month) and ``YYYYMMDD.export.CSV.zip`` (a
  day, from 1 April 2013).
* GDELT 2.0 (``gdeltv2/``): ``masterfilelist.txt`` has one line ``<bytes> <md5> <url>`` per
  file, every 15 minutes since 18 February 2015; the event exports are
  ``YYYYMMDDHHMMSS.export.CSV.zip`` (the mentions and GKG files beside them are not read).

Lines that do not have that form are skipped (the published master list has a few).

References:
    The GDELT Project, *GDELT 2.0: Our Global World in Realtime* (blog, 19 February 2015) and
    the raw data file index at data.gdeltproject.org; Leetaru, K. & Schrodt, P. A. (2013),
    GDELT: Global Data on Events, Location and Tone, 1979-2012, ISA Annual Convention.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tightrope.errors import InputError
from tightrope.ingest.download import RemoteFile

__all__ = [
    "GDELT_BASE",
    "GdeltList",
    "covers",
    "gdelt_list",
    "parse_master",
    "parse_v1",
    "select",
]

#: The prefix of every address in GDELT's lists; ``--mirror`` replaces it.
GDELT_BASE = "http://data.gdeltproject.org/"

_MD5 = re.compile(r"^[0-9a-fA-F]{32}$")
_V1 = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\.export\.CSV)?\.zip$")
_V2 = re.compile(r"^(\d{14})\.export\.CSV\.zip$")


@dataclass(frozen=True)
class GdeltList:
    """Where an edition's lists are, relative to the base address."""

    version: int
    lists: tuple[str, ...]
    folder: str


def gdelt_list(version: int) -> GdeltList:
    """The lists of GDELT ``version`` 1 or 2."""
    if version == 1:
        return GdeltList(1, ("events/md5sums", "events/filesizes"), "events/")
    if version == 2:
        return GdeltList(2, ("gdeltv2/masterfilelist.txt",), "gdeltv2/")
    raise InputError(f"GDELT version {version}", expected="1 (daily files) or 2 (15-minute)")


def _rebase(url: str, base: str) -> str:
    return base + url[len(GDELT_BASE):] if url.startswith(GDELT_BASE) else url


def _v1_span(name: str) -> tuple[dt.date, dt.date] | None:
    """The days a GDELT 1.0 file covers, from its name (None: not an event file)."""
    m = _V1.match(name)
    if not m:
        return None
    y, mo, d, export = m.group(1), m.group(2), m.group(3), m.group(4)
    try:
        if d and export:
            day = dt.date(int(y), int(mo), int(d))
            return day, day
        if mo and not d and not export:
            first = dt.date(int(y), int(mo), 1)
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        if not mo and not export:
            return dt.date(int(y), 1, 1), dt.date(int(y), 12, 31)
    except ValueError:
        return None
    return None


def _v2_stamp(name: str) -> dt.datetime | None:
    m = _V2.match(name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S")
    except ValueError:
        return None


@dataclass(frozen=True)
class Listed:
    """A listed export file and the first and last day it covers."""

    file: RemoteFile
    first: dt.date
    last: dt.date


def _lines(text: str | Iterable[str]) -> Iterable[str]:
    return text.splitlines() if isinstance(text, str) else text


def parse_master(text: str | Iterable[str], base: str = GDELT_BASE) -> list[Listed]:
    """The event exports of a GDELT 2.0 ``masterfilelist.txt`` (addresses moved to ``base``).

    >>> [x.file.name for x in parse_master(
    ...     "150383 297a16b493de7cf6ca809a7cc31d0b93 "
    ...     "http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip\\n"
    ...     "318084 bb27f78ba45f69a17ea6ed7755e9f8ff "
    ...     "http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip\\n")]
    ['20150218230000.export.CSV.zip']
    """
    out = []
    for line in _lines(text):
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or not _MD5.match(parts[1]):
            continue
        name = parts[2].rsplit("/", 1)[-1]
        stamp = _v2_stamp(name)
        if stamp is None:
            continue
        out.append(Listed(RemoteFile(_rebase(parts[2], base), name, int(parts[0]),
                                     parts[1].lower()), stamp.date(), stamp.date()))
    return out


def parse_v1(md5sums: str | Iterable[str], filesizes: str | Iterable[str],
             base: str = GDELT_BASE) -> list[Listed]:
    """The event files of GDELT 1.0's ``md5sums`` with the sizes of ``filesizes``.

    A file in one list but not the other is left out: it cannot be verified.
    """
    sizes: dict[str, int] = {}
    for line in _lines(filesizes):
        parts = line.split()
        if len(parts) == 2:
            num = [p for p in parts if p.isdigit()]
            names = [p for p in parts if not p.isdigit()]
            if len(num) == 1 and len(names) == 1:
                sizes[names[0].lstrip("*")] = int(num[0])
    out = []
    for line in _lines(md5sums):
        parts = line.split()
        if len(parts) != 2 or not _MD5.match(parts[0]):
            continue
        name = parts[1].lstrip("*")
        span = _v1_span(name)
        if span is None or name not in sizes:
            continue
        url = _rebase(GDELT_BASE + "events/" + name, base)
        out.append(Listed(RemoteFile(url, name, sizes[name], parts[0].lower()), *span))
    return out


def select(listed: Iterable[Listed], first: dt.date, last: dt.date) -> list[RemoteFile]:
    """The listed files that overlap ``first`` ... ``last``, in date order, without repeats."""
    seen: dict[str, Listed] = {}
    for x in listed:
        if x.last >= first and x.first <= last:
            seen.setdefault(x.file.name, x)
    return [x.file for x in sorted(seen.values(), key=lambda x: (x.first, x.file.name))]


def covers(listed: Iterable[Listed], last: dt.date) -> bool:
    """Whether the list reaches ``last`` (else a cached copy is too old and is fetched anew)."""
    return any(x.last >= last for x in listed)
