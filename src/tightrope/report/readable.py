"""Reader text: code identifiers in the visible text of a page turned into words.

Model keys (``regime_destabilisation``, ``powers.russia.attitude``, ``bandwagon:russia``) are
what the result objects carry; a reader sees words. Only text between tags is changed — not
scripts, styles, attribute values or the figures' data — so anchors and charts keep working.
Numbers read as numbers: a hyphen used as a minus becomes U+2212 and a decimal keeps at most
three significant figures — except in quoted source text (an element of class ``quote``),
which is left as the source wrote it. Files and keys for reproducers belong in an appendix
that is not passed through here.
"""

from __future__ import annotations

import re

from tightrope.report.numbers import MINUS, sig

__all__ = ["readable_html", "readable_text"]

#: identifiers: words joined by "_" or by "." between letters (parameter paths), or
#: "bandwagon:<power>" strategy names
_IDENT = re.compile(r"\b(?:bandwagon:[a-z_]+|[a-z][a-z0-9]*(?:[_.][a-z][a-z0-9]*)*_[a-z0-9_.]*"
                    r"[a-z0-9]|[a-z]+(?:\.[a-z][a-z0-9_]*){2,})\b")
_SOURCE_FILES = ((re.compile(r"\bfacts\.md\b"), "curated facts"),)
_WORDS = {"eaeu": "EAEU", "csto": "CSTO", "nato": "NATO", "eu": "EU", "us": "US",
          "osce": "OSCE", "unga": "UNGA", "fdi": "FDI", "icews": "ICEWS", "lng": "LNG",
          "usa": "the US"}
_PROPER = {"russia", "china", "turkey", "iran", "donbas", "usa", "jordan", "kazakhstan",
           "turkic", "gulf", "israel", "europe", "egypt"}


def _words(ident: str) -> str:
    if ident.startswith("bandwagon:"):
        return "bandwagon with " + _word(ident.split(":", 1)[1].replace("_", " "))
    parts = [p for p in re.split(r"[_.]", ident) if p and p != "powers"]
    return " ".join(_word(p) for p in parts)


def _word(w: str) -> str:
    if w in _WORDS:
        return _WORDS[w]
    return w.capitalize() if w in _PROPER else w


def readable_text(text: str) -> str:
    """Identifiers in plain text turned into words.

    >>> readable_text("regime_destabilisation after deepen_eaeu_csto; bandwagon:russia")
    'regime destabilisation after deepen EAEU CSTO; bandwagon with Russia'
    >>> readable_text("powers.russia.attitude >= 0.02; facts.md; icews_2005-2015_test.txt")
    'Russia attitude >= 0.02; curated facts; icews_2005-2015_test.txt'
    >>> readable_text("change -186.17 (-263.4 to -109.1) in 2022-23, MID 2.2.1, 15.39%")
    'change −186 (−263 to −109) in 2022-23, MID 2.2.1, 15.4%'
    """
    for pat, words in _SOURCE_FILES:
        text = pat.sub(words, text)
    parts = _KEEP.split(text)
    return "".join(p if i % 2 else _numbers(_IDENT.sub(lambda m: _words(m.group(0)), p))
                   for i, p in enumerate(parts))


#: a hyphen used as a minus sign: before a digit, not inside a word or a date range
_HYPHEN_MINUS = re.compile(r"(?<![\w.)\]])-(?=\$?\d)")
#: a decimal number, not part of a version or section number such as 2.2.1
_DECIMAL = re.compile(r"(?<![\d.,])(\d[\d,]*\.\d+)(?![.\d])")


def _numbers(text: str) -> str:
    """Minus signs as U+2212; decimals to at most three significant figures."""
    text = _HYPHEN_MINUS.sub(MINUS, text)

    def three(m: re.Match[str]) -> str:
        raw = m.group(1)
        digits = raw.replace(",", "").replace(".", "").lstrip("0")
        return raw if len(digits) <= 3 else sig(float(raw.replace(",", "")))

    return _DECIMAL.sub(three, text)


#: left as they are: web addresses and data file names (a reader looks them up)
_KEEP = re.compile(r"(https?://\S+|www\.\S+|[\w.-]+\.(?:txt|csv|tsv|json|gz|zip)\b)")


_TAGS = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<(td|span|p) class='quote'>"
                   r".*?</\2>|<[^>]*>)", re.S | re.I)


def readable_html(html_text: str) -> str:
    """:func:`readable_text` applied to the text between the tags of an HTML fragment."""
    out = []
    for i, p in enumerate(_TAGS.split(html_text)):
        k = i % 3
        if k == 0:
            out.append(readable_text(p))
        elif k == 1:  # a tag, or a quoted source text (class 'quote'), kept as it is
            out.append(p)
    return "".join(out)
