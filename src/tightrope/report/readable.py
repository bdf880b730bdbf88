"""Reader text: code identifiers in the visible text of a page turned into words.

Model keys (``regime_destabilisation``, ``powers.russia.attitude``, ``bandwagon:russia``) are
what the result objects carry; a reader sees words. Only text between tags is changed — not
scripts, styles, attribute values or the figures' data — so anchors and charts keep working.
Files and keys for reproducers belong in an appendix that is not passed through here.
"""

from __future__ import annotations

import re

__all__ = ["readable_html", "readable_text"]

#: identifiers: words joined by "_" or by "." between letters (parameter paths), or
#: "bandwagon:<power>" strategy names
_IDENT = re.compile(r"\b(?:bandwagon:[a-z_]+|[a-z][a-z0-9]*(?:[_.][a-z][a-z0-9]*)*_[a-z0-9_.]*"
                    r"[a-z0-9]|[a-z]+(?:\.[a-z][a-z0-9_]*){2,})\b")
_SOURCE_FILES = ((re.compile(r"\bfacts\.md\b"), "curated facts"),)
_WORDS = {"eaeu": "EAEU", "csto": "CSTO", "nato": "NATO", "eu": "EU", "us": "US",
          "osce": "OSCE", "unga": "UNGA", "fdi": "FDI", "icews": "ICEWS", "lng": "LNG"}
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
    """
    for pat, words in _SOURCE_FILES:
        text = pat.sub(words, text)
    parts = _KEEP.split(text)
    return "".join(p if i % 2 else _IDENT.sub(lambda m: _words(m.group(0)), p)
                   for i, p in enumerate(parts))


#: left as they are: web addresses and data file names (a reader looks them up)
_KEEP = re.compile(r"(https?://\S+|www\.\S+|[\w.-]+\.(?:txt|csv|tsv|json|gz|zip)\b)")


_TAGS = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)


def readable_html(html_text: str) -> str:
    """:func:`readable_text` applied to the text between the tags of an HTML fragment."""
    parts = _TAGS.split(html_text)
    return "".join(p if i % 2 else readable_text(p) for i, p in enumerate(parts))
