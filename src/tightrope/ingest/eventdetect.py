"""Which event format a file is in, from its first line and its folder."""

from __future__ import annotations

import re

from tightrope.errors import InputError
from tightrope.ingest.eventfiles import Source
from tightrope.ingest.eventformat import FORMATS, EventFormat
from tightrope.ingest.gdelt import GDELT_WIDTHS, gdelt_format
from tightrope.ingest.icews import TkgClock, icews_format, mmkb_format, tkg_format

__all__ = ["detect_format", "first_line"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^-?\d+$")


def first_line(source: Source, limit: int = 1 << 20) -> str:
    """The first non-empty line of a stream (decoded leniently; at most ``limit`` bytes)."""
    with source.open() as fh:
        data = fh.read(limit)
    for raw in data.split(b"\n"):
        if raw.strip():
            return raw.decode("utf-8", "replace").rstrip("\r")
    raise InputError("the file is empty", source=source.label, expected="event lines")


def _sniff(fields: list[str], source: Source) -> str:
    if "Event ID" in fields and "Event Date" in fields:
        return "icews"
    if len(fields) in GDELT_WIDTHS and _INT.match(fields[0]):
        return "gdelt"
    folder = source.path.parent
    if (len(fields) in (4, 5) and all(_INT.match(f.strip()) for f in fields[:4])
            and (folder / "entity2id.txt").is_file()):
        return "icews-tkg"
    if len(fields) == 4 and _DATE.match(fields[3].strip()):
        return "mmkb"
    raise InputError(
        f"cannot tell the event format from the first line ({len(fields)} fields)",
        source=source.label, where="line 1",
        expected="GDELT (57/58/61 fields), ICEWS with a header, the TKG ID form or "
        "'subject relation object YYYY-MM-DD'; or name the format explicitly",
    )


def detect_format(source: Source, fmt: str = "auto", clock: TkgClock | None = None) -> EventFormat:
    """The :class:`EventFormat` of a source; ``fmt`` 'auto' sniffs the first line."""
    if fmt != "auto" and fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", expected="auto, " + ", ".join(FORMATS))
    fields = first_line(source).split("\t")
    name = _sniff(fields, source) if fmt == "auto" else fmt
    if name == "gdelt":
        if len(fields) not in GDELT_WIDTHS:
            raise InputError(f"line 1 has {len(fields)} fields", source=source.label,
                             where="line 1", expected="57, 58 or 61 TAB-separated GDELT fields")
        return gdelt_format(len(fields))
    if name == "icews":
        return icews_format(fields, source.label)
    if name == "icews-tkg":
        if source.member is not None:
            raise InputError("the TKG ID form cannot be read from inside a zip",
                             source=source.label, expected="the extracted folder")
        return tkg_format(source.path, clock=clock, width=len(fields))
    return mmkb_format(source.path)
