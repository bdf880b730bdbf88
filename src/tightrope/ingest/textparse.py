"""Parsers for the Factbook's human-readable text fields.

The Factbook writes numbers as prose ("13,364 km", "$288.406 billion (2024 est.)",
"China 16%, UK 15% (2023)"). Formats vary between countries, so every parser either returns a
value or raises :class:`ParseFailure` with the reason; callers record failures, never guess.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = [
    "BorderItem",
    "ParseFailure",
    "PercentItem",
    "clean",
    "drop_parens",
    "parse_borders",
    "parse_km",
    "parse_money_usd_bn",
    "parse_number",
    "parse_orgs",
    "parse_percent",
    "parse_percent_list",
    "parse_year",
    "split_outside_parens",
]


class ParseFailure(ValueError):
    """A text field could not be read; the message says why."""


_TAG = re.compile(r"<[^>]+>")


def clean(text: str) -> str:
    """Strip HTML tags and entities, collapse whitespace."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ").split())


_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"


def parse_number(text: str) -> float:
    """'13,364' -> 13364.0; '10.5' -> 10.5. Raises ParseFailure on anything else."""
    m = re.fullmatch(_NUM, text.strip())
    if not m:
        raise ParseFailure(f"not a number: {text!r}")
    whole = m.group(1).replace(",", "")
    return float(whole + ("." + m.group(2) if m.group(2) else ""))


def parse_km(text: str) -> float:
    """The first '<number> km' in ``text`` -> kilometres."""
    m = re.search(_NUM + r"\s*km\b", clean(text))
    if not m:
        raise ParseFailure(f"no length in km in {text!r}")
    return parse_number(m.group(0).replace("km", ""))


def parse_year(text: str) -> int | None:
    """Year of a Factbook figure: "(2023 est.)", "(2023)", "(FY2023)" -> 2023; None if absent."""
    years = re.findall(r"\((?:FY\s?)?(\d{4})(?:/\d{2,4})?(?:\s*est\.?)?\)", text)
    return int(years[-1]) if years else None


def parse_percent(text: str) -> float:
    """'0.9% of GDP (2024 est.)' -> 0.9 (percent, not share)."""
    m = re.search(r"(-?\d+(?:\.\d+)?)\s*%", clean(text))
    if not m:
        raise ParseFailure(f"no percentage in {text!r}")
    return float(m.group(1))


_SCALE = {"trillion": 1000.0, "billion": 1.0, "million": 1e-3}


def parse_money_usd_bn(text: str) -> float:
    """'$288.406 billion (2024 est.)' -> 288.406 (US$ billion)."""
    m = re.search(r"-?\$\s?" + _NUM + r"\s*(trillion|billion|million)?", clean(text))
    if not m:
        raise ParseFailure(f"no dollar amount in {text!r}")
    num = parse_number(m.group(1) + ("." + m.group(2) if m.group(2) else ""))
    scale = _SCALE[m.group(3)] if m.group(3) else 1e-9
    return num * scale


def split_outside_parens(text: str, seps: str = ",;") -> list[str]:
    """Split on any of ``seps`` that is not inside parentheses."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        # a comma between digits is a thousands separator ("1,765"), not a list separator
        digit_comma = ch == "," and text[i + 1 : i + 2].isdigit()
        if ch in seps and depth == 0 and not digit_comma:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


@dataclass(frozen=True, slots=True)
class BorderItem:
    """One neighbour in a 'border countries' field. ``name`` has any qualifier removed."""

    name: str
    length_km: float
    note: str


_BORDER = re.compile(
    r"^(?P<name>.+?)\s*(?:\((?P<qual>[^)]*)\))?\s+(?P<num>"
    + _NUM
    + r")\s*km\s*(?:\((?P<note>.*)\))?$"
)


def parse_borders(text: str) -> list[BorderItem]:
    """'China 1,765 km; Russia 7,644 km' -> items. Segments for the same neighbour are summed
    ('China (southeast) 4,133 km and China (south) 46 km' -> China 4,179 km, with a note)."""
    txt = clean(text)
    items: dict[str, tuple[float, list[str]]] = {}
    order: list[str] = []
    for seg in split_outside_parens(txt):
        for piece in re.split(r"(?<=km)\s+and\s+", seg):
            m = _BORDER.match(piece.strip())
            if not m:
                raise ParseFailure(f"cannot read border segment {piece!r}")
            name = m.group("name").strip()
            km = parse_number(m.group("num"))
            notes = [n for n in (m.group("qual"), m.group("note")) if n]
            if name in items:
                prev_km, prev_notes = items[name]
                items[name] = (prev_km + km, prev_notes + notes)
            else:
                items[name] = (km, notes)
                order.append(name)
    return [BorderItem(n, items[n][0], "; ".join(items[n][1])) for n in order]


def drop_parens(text: str) -> str:
    """Remove parenthesised remarks, nested ones included: 'Danish (includes Greenlandic (who
    are Inuit) and Faroese) 84.2%' -> 'Danish 84.2%'."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return " ".join("".join(out).split())


@dataclass(frozen=True, slots=True)
class PercentItem:
    """One 'name NN%' item. ``qualifier`` keeps the Factbook's words ('at least', 'more than',
    'less than', 'approximately', 'range'); ``low``/``high`` bound the value where they imply
    bounds ('at least 99%' -> 99..100, '75-80%' -> 75..80, '<1%' -> 0..1)."""

    name: str
    percent: float
    qualifier: str = ""
    low: float | None = None
    high: float | None = None

    @property
    def as_printed(self) -> str:
        """The figure as the Factbook prints it, for labels: 'at least 99%', '70-75%'."""
        if self.low is not None and self.qualifier in ("range", "approximately"):
            words = "" if self.qualifier == "range" else "approximately "
            return f"{words}{self.low:g}-{self.high:g}%"
        pct = self.high if self.qualifier == "less than" else self.percent
        return f"{self.qualifier} {pct:g}%".strip()


_QUALIFIERS = {
    "at least": "at least", "more than": "more than", "over": "more than", ">": "more than",
    "less than": "less than", "under": "less than", "<": "less than",
    "approximately": "approximately", "about": "approximately", "roughly": "approximately",
    "nearly": "approximately", "almost": "approximately", "~": "approximately",
}
_PCT_ITEM = re.compile(
    r"\s*(?P<name>[^%]+?)\s*(?:(?<=\s)(?P<qual>at least|more than|less than|over|under|"
    r"approximately|about|roughly|nearly|almost)\s+|(?P<sym>[~<>])\s?|(?<=\s))"
    r"(?P<pct>\d+(?:\.\d+)?)(?:\s?-\s?(?P<pct2>\d+(?:\.\d+)?))?%\s*(?:,|$)"
)


def _percent_item(m: re.Match[str]) -> PercentItem:
    name = m.group("name").strip(" ,")
    qual = _QUALIFIERS.get(m.group("qual") or m.group("sym") or "", "")
    pct = float(m.group("pct"))
    if m.group("pct2"):
        hi = float(m.group("pct2"))
        if hi < pct:
            raise ParseFailure(f"range {pct}-{hi}% runs backwards")
        return PercentItem(name, (pct + hi) / 2, qual or "range", pct, hi)
    if qual in ("at least", "more than"):
        return PercentItem(name, pct, qual, pct, 100.0)
    if qual == "less than":
        # the midpoint of 0..pct, with the bounds kept ("<1%" was always read as 0.5)
        return PercentItem(name, pct / 2, qual, 0.0, pct)
    return PercentItem(name, pct, qual)


def parse_percent_list(text: str) -> tuple[list[PercentItem], int | None]:
    """'China 16%, UK 15%, Gambia, The 4% (2023)' -> items and year 2023.

    A comma inside a name ('Gambia, The') is kept: an item ends only at 'NN%'. Qualifiers
    ('at least 99%', 'more than 95%', '<1%', '~50%', '70-75%') become a value with bounds (see
    :class:`PercentItem`). Parenthesised remarks, nested ones too, are dropped.
    """
    txt = clean(text)
    year = parse_year(txt)
    body = drop_parens(txt).strip().rstrip(".")
    items: list[PercentItem] = []
    pos = 0
    for m in _PCT_ITEM.finditer(body):
        if m.start() != pos:
            raise ParseFailure(f"unreadable text {body[pos : m.start()]!r} in percent list")
        items.append(_percent_item(m))
        pos = m.end()
    if pos != len(body) or not items:
        raise ParseFailure(f"cannot read percent list {body!r}")
    return items, year


def parse_orgs(text: str) -> list[tuple[str, str]]:
    """'CSTO, NAM (observer), OSCE (partner)' -> [('CSTO','member'), ('NAM','observer'), ...]."""
    out: list[tuple[str, str]] = []
    for part in split_outside_parens(clean(text), ","):
        m = re.fullmatch(r"(.+?)\s*\(([^)]*)\)", part)
        if m:
            out.append((m.group(1).strip(), m.group(2).strip()))
        else:
            out.append((part, "member"))
    return out
