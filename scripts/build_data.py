"""Build the small data files Tightrope ships from ../shared/data (run by maintainers, not users).

    python scripts/build_data.py [--shared ../shared/data]

Writes src/tightrope/data/factbook.json.gz (the Factbook fields Tightrope reads, verbatim text,
for every entry) and src/tightrope/data/countries.csv (ISO3/ISO2/GEC codes and names).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import re
from pathlib import Path
from typing import Any

import pycountry


def _clean(text: str) -> str:
    """HTML tags and entities out ('C&ocirc;te d'Ivoire' -> 'Côte d'Ivoire'), spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\xa0", " ").split())

FIELDS: dict[str, list[str]] = {
    "Government": ["Country name", "International organization participation"],
    "Communications": ["Internet country code"],
    "Geography": ["Land boundaries", "Coastline", "Area", "Natural resources", "Location"],
    "People and Society": ["Population", "Ethnic groups", "Languages", "Religions"],
    "Economy": [
        "Exports - partners",
        "Imports - partners",
        "GDP (official exchange rate)",
        "Exports",
        "Imports",
        "Remittances",
        "Debt - external",
    ],
    "Energy": ["Petroleum", "Natural gas"],
    "Military and Security": ["Military expenditures"],
    "Transnational Issues": ["Refugees and internally displaced persons"],
}

# Factbook entries whose Internet code is missing or shared, and entries without an ISO 3166-1
# code. Scheme (stated in src/tightrope/data/SOURCE.md): ISO3 where one exists; Kosovo XKX
# (the code the EU and IMF use); the World Bank's WLD (World) and EUU (European Union); every
# other entry without an ISO code gets "X" + its Factbook GEC code (ISO 3166-1 reserves X.. for
# user assignment), e.g. Akrotiri (GEC ax) -> XAX.
OVERRIDES = {
    "fr": ("FRA", "FR"),
    "uk": ("GBR", "GB"),
    "kv": ("XKX", "XK"),
    "we": ("PSE", "PS"),
    "gz": ("PSE", "PS"),
    "sx": ("SGS", "GS"),
    "um": ("UMI", "UM"),
    "xx": ("WLD", ""),
    "ee": ("EUU", ""),
}
# Palestine (ISO PSE) is two Factbook entries; one row combines them, named after both.
PSE_NAME = "Palestine (West Bank and Gaza Strip)"
# Entries whose Factbook text carries no short name (or a list of islands as its name).
NAMELESS = {
    "um": "United States Pacific Island Wildlife Refuges",
    "xx": "World",
    "ee": "European Union",
    "oo": "Southern Ocean",
    "xo": "Indian Ocean",
    "xq": "Arctic Ocean",
    "zh": "Atlantic Ocean",
    "zn": "Pacific Ocean",
}
# Extra names under which the Factbook refers to countries in partner and border lists.
ALIASES = {
    "USA": ["US", "USA", "United States"],
    "GBR": ["UK"],
    "ARE": ["UAE"],
    "KOR": ["South Korea", "Korea, South", "S. Korea"],
    "PRK": ["North Korea", "Korea, North"],
    "COD": ["Democratic Republic of the Congo", "DRC", "Congo, Democratic Republic of the"],
    "COG": ["Republic of the Congo", "Congo, Republic of the", "Congo"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "TUR": ["Turkey", "Turkiye", "Türkiye"],
    "MMR": ["Burma", "Myanmar"],
    "CZE": ["Czechia", "Czech Republic"],
    "HKG": ["Hong Kong"],
    "MAC": ["Macau", "Macao"],
    "TWN": ["Taiwan"],
    "RUS": ["Russia"],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "VNM": ["Vietnam"],
    "LAO": ["Laos"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TZA": ["Tanzania"],
    "MDA": ["Moldova"],
    "FSM": ["Micronesia"],
    "GMB": ["Gambia, The", "The Gambia"],
    "BHS": ["Bahamas, The", "The Bahamas"],
    "PSE": ["Palestine", "State of Palestine", "Palestinian Territories", "West Bank and Gaza",
            "West Bank", "Gaza Strip", "Gaza"],
    "XKX": ["Kosovo"],
    "SWZ": ["Eswatini", "Swaziland"],
    "CPV": ["Cabo Verde", "Cape Verde"],
    "TLS": ["Timor-Leste", "East Timor"],
    "VAT": ["Holy See (Vatican City)", "Holy See"],
    "BRN": ["Brunei"],
    "CUW": ["Curacao", "Curaçao"],
    "NLD": ["Netherlands"],
    "NZL": ["NZ"],
    "MKD": ["North Macedonia", "Macedonia"],
    "FRA": ["French Guiana", "Guadeloupe", "Martinique"],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    args = ap.parse_args()
    root = Path(args.shared) / "factbook-json"
    out_dir = Path(__file__).resolve().parents[1] / "src/tightrope/data"
    extract: dict[str, dict[str, Any]] = {}
    rows: dict[str, list[str]] = {}
    for f in sorted(root.glob("*/*.json")):
        rel = f.relative_to(root).as_posix()
        if rel.startswith("meta/"):
            continue
        d = json.loads(f.read_text(encoding="utf-8"))
        gec = f.stem
        pruned = {
            sec: {k: d[sec][k] for k in keys if k in d.get(sec, {})}
            for sec, keys in FIELDS.items()
            if sec in d
        }
        extract[rel] = pruned
        names = d.get("Government", {}).get("Country name", {})
        short = _clean((names.get("conventional short form") or {}).get("text", ""))
        long_ = _clean((names.get("conventional long form") or {}).get("text", ""))
        if gec in OVERRIDES:
            iso3, iso2 = OVERRIDES[gec]
        else:
            inet = d.get("Communications", {}).get("Internet country code", {}).get("text", "")
            m = re.match(r"\s*\.([a-z]{2})\b", inet)
            pc = pycountry.countries.get(alpha_2=m.group(1).upper()) if m else None
            iso3, iso2 = (pc.alpha_3, pc.alpha_2) if pc else ("X" + gec.upper(), "")
        short = short if short and short.lower() != "none" else ""
        pc = pycountry.countries.get(alpha_3=iso3)
        name = NAMELESS.get(gec) or short or (pc.name if pc else iso3)
        aliases = {name, short, long_} | set(ALIASES.get(iso3, []))
        if pc is not None:
            aliases |= {pc.name, getattr(pc, "common_name", ""), getattr(pc, "official_name", "")}
        aliases = {a for a in aliases if a and a.lower() != "none" and not re.search(r"[;()|]", a)}
        if iso3 == "PSE":
            prev = rows.get("PSE")
            files = sorted({rel, *(prev[3].split("|") if prev else [])})
            gecs = sorted({gec, *(prev[2].split("|") if prev else [])})
            old = set(prev[5].split("|")) if prev else set()
            rows[iso3] = [iso3, iso2, "|".join(gecs), "|".join(files), PSE_NAME,
                          "|".join(sorted(aliases | old | {PSE_NAME}))]
            continue
        if iso3 in rows:
            raise SystemExit(f"{rel}: code {iso3} already used by {rows[iso3][3]}")
        rows[iso3] = [iso3, iso2, gec, rel, name, "|".join(sorted(aliases))]
    blob = json.dumps(extract, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # mtime=0: the same edition gives the same bytes
    (out_dir / "factbook.json.gz").write_bytes(
        gzip.compress(blob.encode("utf-8"), compresslevel=9, mtime=0)
    )
    with open(out_dir / "countries.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["iso3", "iso2", "gec", "factbook_file", "name", "aliases"])
        w.writerows(sorted(rows.values()))
    print(f"{len(extract)} Factbook entries, {len(rows)} codes")


if __name__ == "__main__":
    main()
