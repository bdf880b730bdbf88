"""Request validation errors as one line naming the field, never echoing the input.

FastAPI's default 422 body repeats each bad input; a NaN or Infinity there cannot be encoded as
JSON and turned a client's mistake into a 500, and a long input was sent back whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["field_name", "one_line"]

_SOURCES = ("body", "query", "path", "header", "cookie")
MAX_CHARS = 300


def field_name(loc: Sequence[Any]) -> str:
    """``("body", "actors", 0, "salience")`` -> ``actors[0].salience``.

    >>> field_name(("body", "actors", 0, "salience"))
    'actors[0].salience'
    >>> field_name(("body",))
    'request body'
    """
    parts = list(loc)
    where = parts.pop(0) if parts and parts[0] in _SOURCES else "body"
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or ("request body" if where == "body" else where)


def _message(err: dict[str, Any]) -> str:
    value = err.get("input")
    if err.get("type") == "finite_number" or (isinstance(value, float)
                                               and not math.isfinite(value)):
        return "must be a finite number (NaN and Infinity are not accepted)"
    if err.get("type") == "json_invalid":
        return "is not valid JSON"
    msg = str(err.get("msg", "is not valid"))
    return msg.removeprefix("Value error, ")


def one_line(errors: Sequence[Any]) -> str:
    """The first error as ``field: message`` (with a count of the others), on one line."""
    if not errors:
        return "invalid request"
    first = errors[0]
    loc = first.get("loc", ())
    name = "request body" if first.get("type") == "json_invalid" else field_name(loc)
    text = f"{name}: {_message(first)}"
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more)"
    text = " ".join(text.split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"
