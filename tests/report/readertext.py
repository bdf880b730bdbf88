"""Scan the visible text of a rendered page for what a reader should not see: repository paths,
snake_case code identifiers, "+-" or "--" between numbers, decimals with more than three
significant figures. The appendix for reproducers (from id='appendix') and quoted source text
(class 'quote') are left out."""

from __future__ import annotations

import html
import re

PATH = re.compile(r"\S*(?:src/|docs/|\.py\b|\.yaml\b)\S*")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DASHES = re.compile(r"\+-\s*\d|\d\s*--\s*\d|\d\s*-\s*-\s*\d|[(\s]-\d")
DECIMAL = re.compile(r"(?<![\d.,])\d[\d,]*\.\d+(?![.\d])")
#: data file names a reader looks up (named as the source of the events)
DATA_FILE = re.compile(r"[\w.-]+\.(?:txt|csv|json|gz)\b")


def visible_text(page: str) -> str:
    body = page.split("id='appendix'")[0]
    body = re.sub(r"<(td|span|p) class='quote'>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", body, flags=re.S)
    return DATA_FILE.sub(" ", html.unescape(body))


def problems(page: str) -> list[str]:
    text = visible_text(page)
    found = [f"path {m}" for m in PATH.findall(text)]
    found += [f"identifier {m}" for m in SNAKE.findall(text)]
    found += [f"dashes {m!r}" for m in DASHES.findall(text)]
    for m in DECIMAL.findall(text):
        if len(m.replace(",", "").replace(".", "").lstrip("0")) > 3:
            found.append(f"more than 3 significant figures {m}")
    return found
