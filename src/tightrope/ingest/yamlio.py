"""YAML and JSON reading with line numbers, so errors can name the line a user must fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tightrope.errors import InputError

__all__ = ["Located", "read_structured"]

PathKey = tuple[str | int, ...]


class Located:
    """A parsed document and the line (1-based) of every mapping key and list item in it."""

    def __init__(self, data: Any, lines: dict[PathKey, int], source: str) -> None:
        self.data = data
        self.lines = lines
        self.source = source

    def where(self, path: PathKey) -> str:
        """'line N, field a.b[2].c' for a path, using the nearest known line."""
        p = tuple(path)
        while p and p not in self.lines:
            p = p[:-1]
        line = self.lines.get(p)
        dotted = ""
        for k in path:
            dotted += f"[{k}]" if isinstance(k, int) else (f".{k}" if dotted else str(k))
        loc = f"line {line}" if line else ""
        return ", ".join(x for x in (loc, f"field {dotted}" if dotted else "") if x)

    def error(self, path: PathKey, message: str, expected: str | None = None) -> InputError:
        return InputError(message, source=self.source, where=self.where(path), expected=expected)


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for k, v in node.value:
            key = (
                yaml.safe_load(yaml.serialize(k)) if not isinstance(k, yaml.ScalarNode) else k.value
            )
            key = str(key)
            lines[(*path, key)] = k.start_mark.line + 1
            out[key] = _walk(v, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(v, (*path, i), lines) for i, v in enumerate(node.value)]
    # scalars: let the safe constructor resolve types (int, float, bool, null, date)
    return yaml.safe_load(yaml.serialize(node))


def read_structured(path: Path) -> Located:
    """Read a YAML or JSON file; malformed input raises InputError naming file and line."""
    src = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", source=src) from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read file: {e}", source=src, expected="UTF-8 text") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(
                f"invalid JSON: {e.msg}", source=src, where=f"line {e.lineno}, column {e.colno}"
            ) from None
        return Located(data, {}, src)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(f"invalid YAML: {problem}", source=src, where=where) from None
    if node is None:
        raise InputError("the file is empty", source=src, expected="a YAML mapping")
    lines: dict[PathKey, int] = {}
    return Located(_walk(node, (), lines), lines, src)
