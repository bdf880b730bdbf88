"""CAMEO event codes: names, Goldstein scores and QuadClass.

The shipped table ``data/cameo/eventcodes.tsv`` was built by :func:`build_table` from GDELT's
published lookup files ``CAMEO.eventcodes.txt`` and ``CAMEO.goldsteinscale.txt`` (see
``data/cameo/SOURCE.md``). QuadClass follows the GDELT 1.0/2.0 event codebooks: it is a function
of the two-digit CAMEO root code (01-05 verbal cooperation = 1, 06-09 material cooperation = 2,
10-14 verbal conflict = 3, 15-20 material conflict = 4).

ICEWS distributes events with CAMEO *labels* ("Make statement") rather than codes. A label is
matched to a code by :meth:`CameoTable.code_for_label`: first the shipped alias table
``data/cameo/icews_labels.tsv`` (labels of the CAMEO 1.1b3 codebook that GDELT's lookup file
words differently), then the GDELT description after :func:`normalise_label`.

References:
    Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Event and Actor
    Codebook*, version 1.1b3. Pennsylvania State University.
    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
    Conflict Resolution* 36(2), 369-385.
    The GDELT Project, *GDELT 2.0 Event Database Codebook* (2015), field QuadClass.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tightrope.ingest.csvrows import dict_rows

__all__ = [
    "QUAD_NAMES",
    "CameoCode",
    "CameoTable",
    "build_table",
    "cameo_table",
    "normalise_label",
    "parse_eventcodes",
    "parse_goldstein",
    "quad_class",
]

#: QuadClass number -> name, as in the GDELT codebook.
QUAD_NAMES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

_FUSED = re.compile(r"^(?P<name>.*?)(?P<code>\d{2,4}):\[(?P<g>-?\d+(?:\.\d+)?)\]\s*(?P<rest>.*)$")
_CODE = re.compile(r"^\d{2,4}$")
_NOT_SPECIFIED = re.compile(r",?\s*not spec(ified)?\s+below\s*$", re.IGNORECASE)


def quad_class(code: str) -> int:
    """QuadClass (1-4) of a CAMEO code, from its two-digit root.

    >>> quad_class("043"), quad_class("0874"), quad_class("112"), quad_class("190")
    (1, 2, 3, 4)
    """
    if not _CODE.match(code):
        raise ValueError(f"not a CAMEO code: {code!r} (expected 2-4 digits such as '043')")
    root = int(code[:2])
    if 1 <= root <= 5:
        return 1
    if 6 <= root <= 9:
        return 2
    if 10 <= root <= 14:
        return 3
    if 15 <= root <= 20:
        return 4
    raise ValueError(f"CAMEO root {code[:2]} of {code!r} is outside 01-20")


def normalise_label(text: str) -> str:
    """Key for matching event labels: ASCII, lower case, no 'not specified below', no punctuation.

    >>> normalise_label("Threaten non-force, not specified below")
    'threaten non force'
    >>> normalise_label("Use_conventional_military_force")
    'use conventional military force'
    """
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip()
    s = _NOT_SPECIFIED.sub("", s)
    s = s.lower().replace("matyerial", "material")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in s).split())


def parse_eventcodes(path: Path) -> tuple[dict[str, str], dict[str, float]]:
    """Read GDELT's ``CAMEO.eventcodes.txt``: code -> description.

    Also returns Goldstein scores embedded in fused lines: the 2020 file has code 106 fused into
    the 1056 line (``1056<TAB>Demand de-escalation of military engagement106:[-5.0] Demand
    withdrawal``); such a line yields both codes, and 106's score -5.0.
    """
    names: dict[str, str] = {}
    embedded: dict[str, float] = {}
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    for row in rows[1:]:
        if len(row) < 2 or not _CODE.match(row[0].strip()):
            continue
        code, desc = row[0].strip(), row[1].strip()
        m = _FUSED.match(desc)
        if m:
            names[code] = m["name"].strip()
            names[m["code"]] = m["rest"].strip()
            embedded[m["code"]] = float(m["g"])
        else:
            names[code] = desc
    return names, embedded


def parse_goldstein(path: Path) -> dict[str, float]:
    """Read GDELT's ``CAMEO.goldsteinscale.txt``: code -> Goldstein score (-10 ... +10)."""
    out: dict[str, float] = {}
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    for row in rows[1:]:
        if len(row) >= 2 and _CODE.match(row[0].strip()):
            out[row[0].strip()] = float(row[1])
    return out


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code. ``goldstein`` is on the -10 (conflict) ... +10 (cooperation) scale."""

    code: str
    name: str
    goldstein: float
    quad_class: int

    def __post_init__(self) -> None:
        if not -10.0 <= self.goldstein <= 10.0:
            raise ValueError(f"Goldstein score {self.goldstein} of {self.code} outside [-10, 10]")
        if self.quad_class != quad_class(self.code):
            raise ValueError(f"QuadClass {self.quad_class} of {self.code} disagrees with its root")


def build_table(eventcodes: Path, goldstein: Path) -> list[CameoCode]:
    """The code table from GDELT's two lookup files (every code that has a Goldstein score)."""
    names, embedded = parse_eventcodes(eventcodes)
    scores = {**embedded, **parse_goldstein(goldstein)}
    missing = sorted(set(names) - set(scores))
    if missing:
        raise ValueError(f"codes without a Goldstein score: {', '.join(missing)}")
    return [
        CameoCode(code, names[code], scores[code], quad_class(code))
        for code in sorted(names, key=lambda c: (c[:2], c))
    ]


class CameoTable:
    """Look-up of CAMEO codes by code or by (ICEWS) event label."""

    def __init__(self, codes: Iterable[CameoCode], aliases: dict[str, str]) -> None:
        self.codes = {c.code: c for c in codes}
        self._by_label: dict[str, str] = {}
        for c in self.codes.values():
            if len(c.code) > 2:  # roots are upper-case chapter titles, not event labels
                self._by_label.setdefault(normalise_label(c.name), c.code)
        for label, code in aliases.items():
            if code not in self.codes:
                raise ValueError(f"alias {label!r} points to unknown CAMEO code {code}")
            self._by_label[normalise_label(label)] = code

    def get(self, code: str) -> CameoCode | None:
        return self.codes.get(code)

    def normalise_code(self, raw: str) -> str | None:
        """The table's code for a raw code field, repairing a lost leading zero ('43' -> '043')."""
        s = raw.strip()
        if s in self.codes:
            return s
        if s.isdigit() and "0" + s in self.codes and len(s) in (2, 3):
            return "0" + s
        return None

    def code_for_label(self, label: str) -> str | None:
        """CAMEO code of an event label such as 'Make statement' (None when unmatched)."""
        return self._by_label.get(normalise_label(label.replace("_", " ")))


def _read_data(name: str) -> str:
    return resources.files("tightrope.data").joinpath("cameo", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def cameo_table() -> CameoTable:
    """The shipped CAMEO table with the ICEWS label aliases (read once per process)."""
    codes = [
        CameoCode(r["code"], r["name"], float(r["goldstein"]), int(r["quad_class"]))
        for _, r in dict_rows(_read_data("eventcodes.tsv").splitlines(), "cameo/eventcodes.tsv",
                              delimiter="\t")
    ]
    aliases = {
        r["label"]: r["code"]
        for _, r in dict_rows(_read_data("icews_labels.tsv").splitlines(),
                              "cameo/icews_labels.tsv", delimiter="\t")
    }
    return CameoTable(codes, aliases)
