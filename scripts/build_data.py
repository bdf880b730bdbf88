"""Build the small data files Tightrope ships from ../shared/data (run by maintainers, not users).

    python scripts/build_data.py [--shared ../shared/data]

Writes src/tightrope/data/factbook.json.gz (the Factbook fields Tightrope reads, verbatim text,
for every entry) and src/tightrope/data/countries.csv (ISO3/ISO2/GEC codes and names).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from pathlib import Path

import pycountry

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

# Factbook entries whose Internet code is missing or shared; ISO 3166 user-assigned X.. codes for
# entities without an ISO code of their own.
OVERRIDES = {
    "fr": ("FRA", "FR"),
    "uk": ("GBR", "GB"),
    "kv": ("XKX", "XK"),
    "we": ("XWB", "PS"),
    "gz": ("XGZ", "PS"),
    "sx": ("SGS", "GS"),
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
    "XWB": ["West Bank"],
    "XGZ": ["Gaza Strip", "Gaza"],
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
    extract: dict[str, dict[str, object]] = {}
    rows = []
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
        short = (names.get("conventional short form") or {}).get("text", "")
        long_ = (names.get("conventional long form") or {}).get("text", "")
        if gec in OVERRIDES:
            iso3, iso2 = OVERRIDES[gec]
        else:
            inet = d.get("Communications", {}).get("Internet country code", {}).get("text", "")
            m = re.match(r"\s*\.([a-z]{2})\b", inet)
            c = pycountry.countries.get(alpha_2=m.group(1).upper()) if m else None
            if c is None:
                continue  # no ISO code: oceans, the World entry, uninhabited territories
            iso3, iso2 = c.alpha_3, c.alpha_2
        short = short if short and short.lower() != "none" else ""
        pc = pycountry.countries.get(alpha_3=iso3)
        name = short or (pc.name if pc else iso3)
        aliases = {name, short, long_} | set(ALIASES.get(iso3, []))
        if pc is not None:
            aliases |= {pc.name, getattr(pc, "common_name", ""), getattr(pc, "official_name", "")}
        aliases = {a for a in aliases if a and a.lower() != "none" and not re.search(r"[;()|]", a)}
        rows.append([iso3, iso2, gec, rel, name, "|".join(sorted(aliases))])
    with gzip.open(out_dir / "factbook.json.gz", "wt", encoding="utf-8", compresslevel=9) as g:
        json.dump(extract, g, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(out_dir / "countries.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["iso3", "iso2", "gec", "factbook_file", "name", "aliases"])
        w.writerows(sorted(rows))
    print(f"{len(extract)} Factbook entries, {len(rows)} with ISO codes")


if __name__ == "__main__":
    main()
