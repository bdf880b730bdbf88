"""Reading actor tables: CSV, YAML/JSON, or a shipped example by name.

CSV: a header row with ``actor,capability,position,salience`` (any order, any case), then one
row per actor. Optional Monte Carlo ranges: ``<field>_low`` and ``<field>_high`` columns (both),
and an optional ``note`` column. YAML/JSON: either a list of records with the same keys, or a
mapping with an ``actors:`` list plus free description keys; in YAML a field may be a number or
``{value, low, high, rationale}``.

Every problem raises :class:`~tightrope.errors.InputError` naming the file, the line and the
field.
"""

from __future__ import annotations

import csv
import io
import math
from importlib import resources
from pathlib import Path
from typing import Any, Final

from tightrope.bargaining.actors import FIELDS, Actors
from tightrope.errors import InputError
from tightrope.ingest.yamlio import Located, read_limited_text, read_structured

__all__ = ["EXAMPLES", "actors_from_csv_text", "example_path", "load_actors"]

#: Shipped examples: name -> file in tightrope/data/bargaining.
EXAMPLES: Final = {
    "ec-car-emissions": "ec-car-emissions.csv",
    "kaz-sanctions": "kaz-sanctions.yaml",
    "kaz-latin-script": "kaz-latin-script.yaml",
    "kaz-middle-corridor": "kaz-middle-corridor.yaml",
}
#: Descriptions for examples whose file format (CSV) cannot carry them.
_EXAMPLE_META: Final[dict[str, dict[str, Any]]] = {
    "ec-car-emissions": {
        "title": "EC car-emission standards (Bueno de Mesquita 1994)",
        "scale": {"unit": "position on Bueno de Mesquita's (1994) issue scale (4-10)"},
        "status": "published inputs",
    },
}
REQUIRED: Final = ("actor", *FIELDS)
#: Largest |position| and capability accepted. An assumption, not a source figure: published
#: scales run 0-10 or 0-100 (Bueno de Mesquita 1994); 1e9 leaves room for any unit while
#: keeping the model's sums of squares and products far from float64 overflow.
MAGNITUDE_MAX: Final = 1e9
OPTIONAL: Final = (*(f"{f}_{e}" for f in FIELDS for e in ("low", "high")), "note")


def example_path(name: str) -> Path:
    """Path of a shipped example file."""
    ref = resources.files("tightrope.data").joinpath("bargaining", EXAMPLES[name])
    return Path(str(ref))


def load_actors(spec: str | Path) -> Actors:
    """Actors from a CSV/YAML/JSON path or a shipped example name (see :data:`EXAMPLES`)."""
    if isinstance(spec, str) and spec in EXAMPLES and not Path(spec).exists():
        actors = load_actors(example_path(spec))
        return Actors.from_columns(actors.names, actors.capability, actors.position,
                                   actors.salience, low=actors.low, high=actors.high,
                                   meta={**_EXAMPLE_META.get(spec, {}), **actors.meta,
                                         "example": spec}, source=spec)
    path = Path(spec)
    if not path.exists():
        raise InputError("file not found", source=str(path),
                         expected="a CSV/YAML file or an example: " + ", ".join(EXAMPLES))
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return _from_structured(read_structured(path))
    return _from_csv(path)


def _number(text: Any, src: str, where: str) -> float:
    if isinstance(text, bool):
        raise InputError(f"expected a number, found {text!r}", source=src, where=where)
    try:
        v = float(str(text).strip()) if not isinstance(text, int | float) else text
    except ValueError:
        raise InputError(f"expected a number, found {str(text)!r}", source=src,
                         where=where) from None
    if not math.isfinite(v):
        raise InputError(f"expected a finite number, found {text!r}", source=src, where=where)
    return float(v)


def _check_value(field: str, v: float, src: str, where: str) -> None:
    if field in ("position", "capability") and abs(v) > MAGNITUDE_MAX:
        raise InputError(f"{field} {v:g} is out of range", source=src, where=where,
                         expected=f"a {field} of magnitude at most {MAGNITUDE_MAX:g}")
    if field == "salience" and not 0.0 <= v <= 1.0:
        raise InputError(f"salience {v:g} is outside [0, 1]", source=src, where=where,
                         expected="a salience between 0 and 1 (divide percentages by 100)")
    if field == "capability" and v <= 0:
        raise InputError(f"capability {v:g} is not positive", source=src, where=where,
                         expected="capability > 0")


def _from_csv(path: Path) -> Actors:
    return actors_from_csv_text(read_limited_text(path, encoding="utf-8-sig"), str(path))


def actors_from_csv_text(text: str, source: str) -> Actors:
    """Actors from the text of a CSV table (see the module notes); errors name ``source``.

    >>> actors_from_csv_text("actor,capability,position,salience\\nA,1,0,1\\nB,2,10,1",
    ...                      "upload.csv").names
    ('A', 'B')
    """
    src = source
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    rows: list[tuple[int, list[str]]] = []
    for r in reader:
        if any(c.strip() for c in r):
            rows.append((reader.line_num, r))
    if not rows:
        raise InputError("the file is empty", source=src,
                         expected="a header row: actor,capability,position,salience")
    header = [h.strip().lower() for h in rows[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError("missing column" + ("s " if len(missing) > 1 else " ")
                         + ", ".join(missing), source=src, where="line 1",
                         expected="a header row with actor,capability,position,salience")
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(f"unknown column {unknown[0]!r}", source=src, where="line 1",
                         expected="columns among " + ", ".join(REQUIRED + OPTIONAL))
    col = {h: i for i, h in enumerate(header)}
    records: list[dict[str, Any]] = []
    for line, row in rows[1:]:
        if len(row) > len(header):
            raise InputError(f"{len(row)} fields, expected {len(header)}", source=src,
                             where=f"line {line}",
                             expected=f"{len(header)} comma-separated fields, as in the header")
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        rec: dict[str, Any] = {"_line": line, "actor": row[col["actor"]].strip()}
        for f in FIELDS:
            where = f"line {line}, field {f}"
            rec[f] = _number(row[col[f]], src, where)
            _check_value(f, rec[f], src, where)
            lo_c, hi_c = f"{f}_low", f"{f}_high"
            if (lo_c in col) != (hi_c in col):
                raise InputError(f"{lo_c} and {hi_c} must come together", source=src,
                                 where="line 1")
            if lo_c in col and row[col[lo_c]].strip():
                for c in (lo_c, hi_c):
                    rec[c] = _number(row[col[c]], src, f"line {line}, field {c}")
                    _check_value(f, rec[c], src, f"line {line}, field {c}")
        records.append(rec)
    return _build(records, src, {})


def _field(doc: Located, path: tuple[str | int, ...], node: Any, f: str,
           rec: dict[str, Any]) -> None:
    where = doc.where(path)
    if isinstance(node, dict):
        if "value" not in node:
            raise doc.error(path, f"{f} has no 'value'", expected="{value, low, high, rationale}")
        rec[f] = _number(node["value"], doc.source, doc.where((*path, "value")))
        if ("low" in node) != ("high" in node):
            raise doc.error(path, f"{f} needs both 'low' and 'high' or neither")
        if "low" in node:
            for end in ("low", "high"):
                at = doc.where((*path, end))
                rec[f"{f}_{end}"] = _number(node[end], doc.source, at)
                _check_value(f, rec[f"{f}_{end}"], doc.source, at)
        if "rationale" in node:
            rec.setdefault("_rationale", {})[f] = str(node["rationale"])
    else:
        rec[f] = _number(node, doc.source, where)
    _check_value(f, rec[f], doc.source, where)


def _from_structured(doc: Located) -> Actors:
    data = doc.data
    meta: dict[str, Any] = {}
    base: tuple[str | int, ...] = ()
    if isinstance(data, dict):
        if "actors" not in data:
            raise doc.error((), "no 'actors' list", expected="a mapping with an 'actors:' list")
        meta = {k: v for k, v in data.items() if k != "actors"}
        data, base = data["actors"], ("actors",)
    if not isinstance(data, list):
        raise doc.error(base, "actors must be a list of records",
                        expected="- {actor: ..., capability: ..., position: ..., salience: ...}")
    records = []
    for i, item in enumerate(data):
        path = (*base, i)
        if not isinstance(item, dict):
            raise doc.error(path, "an actor must be a mapping")
        missing = [k for k in REQUIRED if k not in item]
        if missing:
            raise doc.error(path, "missing " + ", ".join(missing),
                            expected="keys actor, capability, position, salience")
        rec: dict[str, Any] = {"actor": str(item["actor"]).strip(), "_line": doc.where(path)}
        for f in FIELDS:
            _field(doc, (*path, f), item[f], f, rec)
        records.append(rec)
    return _build(records, doc.source, meta)


def _build(records: list[dict[str, Any]], src: str, meta: dict[str, Any]) -> Actors:
    names = [r["actor"] for r in records]
    low = {f: [r.get(f"{f}_low", r[f]) for r in records] for f in FIELDS}
    high = {f: [r.get(f"{f}_high", r[f]) for r in records] for f in FIELDS}
    rationale = {r["actor"]: r["_rationale"] for r in records if "_rationale" in r}
    if rationale:
        meta = {**meta, "rationale": rationale}
    return Actors.from_columns(names, [r["capability"] for r in records],
                               [r["position"] for r in records],
                               [r["salience"] for r in records], low=low, high=high,
                               meta=meta, source=src)
