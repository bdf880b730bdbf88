"""ICEWS events: the Dataverse release and the two benchmark (temporal knowledge graph) forms.

* **Dataverse** (Boschee et al.): TAB-separated with a header of named columns; read are
  ``Event ID``, ``Event Date`` (YYYY-MM-DD), ``Source Name``, ``Source Country``,
  ``CAMEO Code``, ``Intensity`` (ICEWS's -10...+10 CAMEO-scale score), ``Target Name`` and
  ``Target Country``; others (Event Text, sectors, geography, Story ID) are ignored.
* **TKG ID form** (RE-GCN / NEC TKG-Forecasting-Evaluation): ``subject_id relation_id
  object_id time [flag]`` with ``entity2id.txt`` and ``relation2id.txt`` beside the file.
  ``time`` counts hours since 2014-01-01 (ICEWS14), hours since 2018-01-01 (ICEWS18) or days
  since 2005-01-01 (ICEWS05-15); the folder name tells which, or pass ``time_unit``/``base``.
* **Named form** (García-Durán et al. 2018, "mmkb"): ``subject relation object YYYY-MM-DD``.

The benchmark forms have no event id: an event's key is a content hash of (subject, label,
object, date) after normalising names (underscores become spaces), so the same fact read from
both forms is stored once. Relations are CAMEO *labels*; the store maps them to codes with
:meth:`tightrope.ingest.cameo.CameoTable.code_for_label`.

References:
    Boschee, E. et al. (2015). ICEWS Coded Event Data. Harvard Dataverse, doi:10.7910/DVN/28075.
    García-Durán, A., Dumančić, S. & Niepert, M. (2018). Learning sequence encoders for
    temporal knowledge graph completion. EMNLP.
    Li, Z. et al. (2021). Temporal knowledge graph reasoning based on evolutional
    representation learning (RE-GCN). SIGIR.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from tightrope.errors import InputError, ParameterError
from tightrope.ingest.eventformat import EventFormat

__all__ = [
    "ICEWS_REQUIRED",
    "TKG_CLOCKS",
    "TkgClock",
    "icews_format",
    "mmkb_format",
    "read_id_map",
    "tkg_clock",
    "tkg_format",
]

#: Dataverse columns read (by name).
ICEWS_REQUIRED = (
    "Event ID", "Event Date", "Source Name", "Source Country", "CAMEO Code", "Intensity",
    "Target Name", "Target Country",
)


@dataclass(frozen=True, slots=True)
class TkgClock:
    """How a TKG ``time`` value becomes a date: ``base`` + time // (24 if hours else 1) days."""

    base: dt.date
    unit: str  # "hours" | "days"

    def __post_init__(self) -> None:
        if self.unit not in ("hours", "days"):
            raise ParameterError("TKG time unit", self.unit, "hours or days")


#: Folder-name pattern -> clock, per the benchmark's documentation.
TKG_CLOCKS: dict[str, TkgClock] = {
    r"ICEWS0?5-?15": TkgClock(dt.date(2005, 1, 1), "days"),
    r"ICEWS14": TkgClock(dt.date(2014, 1, 1), "hours"),
    r"ICEWS18": TkgClock(dt.date(2018, 1, 1), "hours"),
}


def tkg_clock(folder: Path) -> tuple[str, TkgClock] | None:
    """Benchmark name and clock inferred from a folder name such as ``ICEWS05-15``."""
    for pattern, clock in TKG_CLOCKS.items():
        m = re.search(pattern, folder.name, re.IGNORECASE)
        if m:
            return m.group(0).upper(), clock
    return None


def icews_format(header: list[str], source: str) -> EventFormat:
    """The Dataverse format for a file with this header line."""
    pos = {h.strip(): i for i, h in enumerate(header)}
    missing = [c for c in ICEWS_REQUIRED if c not in pos]
    if missing:
        raise InputError(
            f"ICEWS header lacks {', '.join(repr(m) for m in missing)}",
            source=source, where="line 1",
            expected="the Dataverse columns " + ", ".join(ICEWS_REQUIRED),
        )
    return EventFormat("icews", "icews", tuple(sorted(pos[k] for k in ICEWS_REQUIRED)),
                       columns={k: pos[k] for k in ICEWS_REQUIRED}, width=len(header),
                       header=True)


def read_id_map(path: Path) -> pa.Table:
    """``name<TAB>id`` lines (entity2id.txt, relation2id.txt) as a table (id, name).

    Underscores in names become spaces, so ICEWS14/05-15 names equal the named form's.
    """
    ids: list[int] = []
    names: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            name, sep, num = line.rstrip("\n").rpartition("\t")
            if not sep or not num.strip().lstrip("-").isdigit():
                raise InputError("not a 'name<TAB>id' line", source=str(path),
                                 where=f"line {no}", expected="name, a TAB, an integer id")
            ids.append(int(num))
            names.append(name.strip().replace("_", " "))
    return pa.table({"id": pa.array(ids, pa.int64()), "name": pa.array(names, pa.string())})


def tkg_format(
    file: Path, *, clock: TkgClock | None = None, width: int = 4
) -> EventFormat:
    """The ID form for ``file``, whose folder holds entity2id.txt and relation2id.txt."""
    folder = file.parent
    maps = {n: folder / f"{n}2id.txt" for n in ("entity", "relation")}
    for p in maps.values():
        if not p.is_file():
            raise InputError(f"the TKG ID form needs {p.name} beside the file", source=str(file),
                             expected=f"{p} (name<TAB>id per line)")
    named = tkg_clock(folder)
    if clock is None:
        if named is None:
            raise InputError(
                "cannot tell the time unit of this TKG file from its folder name",
                source=str(file), expected="a folder named ICEWS14, ICEWS18 or ICEWS05-15, or "
                "a time unit (hours or days) with a base date YYYY-MM-DD")
        clock = named[1]
    dataset = f"icews-tkg:{named[0] if named else folder.name}"
    return EventFormat("icews-tkg", dataset, (0, 1, 2, 3), width=width, base_date=clock.base,
                       time_divisor=24 if clock.unit == "hours" else 1,
                       tables={"_ent": read_id_map(maps["entity"]),
                               "_rel": read_id_map(maps["relation"])})


def mmkb_format(file: Path) -> EventFormat:
    """The named form: ``subject<TAB>relation<TAB>object<TAB>YYYY-MM-DD``."""
    m = re.search(r"icews[_-]?(\d{2,4}(?:-\d{2,4})?)", file.name, re.IGNORECASE)
    dataset = f"mmkb:icews{m.group(1)}" if m else "mmkb"
    return EventFormat("mmkb", dataset, (0, 1, 2, 3), width=4)
