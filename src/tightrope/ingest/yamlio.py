"""Safe YAML and JSON reading with line numbers, so errors can name the line a user must fix.

Every YAML or JSON file Tightrope reads goes through :func:`read_structured` (a file) or
:func:`parse_structured` (text, e.g. a shipped resource). Hostile or broken input raises
:class:`~tightrope.errors.InputError` naming the file, the line and the field, before it can
cost much time or memory:

- files over :data:`MAX_BYTES` are refused before they are read;
- YAML anchors and aliases are refused (no alias expansion, so no "billion laughs");
- nesting deeper than :data:`MAX_DEPTH` is refused while composing, before recursing further;
- a mapping key given twice is refused (YAML and JSON);
- scalars that cannot be built (an impossible date such as ``2023-13-45``, an integer of
  thousands of digits) and non-finite numbers (``.inf``, ``.nan``, JSON ``NaN``/``Infinity``,
  ``1e400``) are refused.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Final

import yaml
import yaml.constructor
import yaml.reader

from tightrope.errors import InputError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Located",
    "parse_structured",
    "read_limited_text",
    "read_structured",
]

#: Largest YAML/JSON input accepted, in bytes (our scenario and overlay files are < 100 kB).
MAX_BYTES: Final = 5 * 1024 * 1024
#: Deepest nesting of mappings and lists accepted (our formats use fewer than 10 levels).
MAX_DEPTH: Final = 64

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
        loc = f"line {line}" if line else ""
        dotted = _dotted(path)
        return ", ".join(x for x in (loc, f"field {dotted}" if dotted else "") if x)

    def error(self, path: PathKey, message: str, expected: str | None = None) -> InputError:
        return InputError(message, source=self.source, where=self.where(path), expected=expected)


def _dotted(path: PathKey) -> str:
    dotted = ""
    for k in path:
        dotted += f"[{k}]" if isinstance(k, int) else (f".{k}" if dotted else str(k))
    return dotted


def _where(line: int | None, path: PathKey) -> str:
    dotted = _dotted(path)
    parts = (f"line {line}" if line else "", f"field {dotted}" if dotted else "")
    return ", ".join(p for p in parts if p)


class _GuardedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses anchors, aliases and deep nesting while composing.

    The check runs in ``compose_node`` before it recurses into children, so a document nested
    20,000 levels deep stops at level :data:`MAX_DEPTH` instead of exhausting the stack. (The
    scanner and parser below the composer keep explicit stacks and do not recurse.)
    """

    def __init__(self, stream: str, source: str) -> None:
        super().__init__(stream)
        self.source = source
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise InputError(f"YAML alias *{event.anchor} is not accepted", source=self.source,
                             where=_where(line, ()), expected="the value written out in full")
        if getattr(event, "anchor", None) is not None:
            raise InputError(f"YAML anchor &{event.anchor} is not accepted", source=self.source,
                             where=_where(line, ()), expected="no anchors or aliases")
        if isinstance(event, yaml.CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise InputError(f"nested more than {MAX_DEPTH} levels deep", source=self.source,
                                 where=_where(line, ()), expected="a flatter document")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)


_PLAIN_TAGS: Final = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    """Turns a composed node tree into plain Python data, recording the line of every key."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[PathKey, int] = {}
        self.constructor = yaml.constructor.SafeConstructor()

    def error(self, node: yaml.Node, path: PathKey, message: str, expected: str) -> InputError:
        return InputError(message, source=self.source,
                          where=_where(node.start_mark.line + 1, path), expected=expected)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        # depth is bounded by MAX_DEPTH (checked while composing), so recursion here is safe
        self.lines.setdefault(path, node.start_mark.line + 1)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise self.error(node, path, f"YAML tag {node.tag} is not accepted",
                             "a plain list or mapping")
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    raise self.error(k, path, "a mapping key is itself a list or mapping",
                                     "a plain key such as 'name:'")
                key = str(k.value)
                if key in out:
                    raise self.error(k, (*path, key), f"key {key!r} appears twice in this "
                                     f"mapping (first on line {self.lines[(*path, key)]})",
                                     "each key once")
                self.lines[(*path, key)] = k.start_mark.line + 1
                out[key] = self.build(v, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, (*path, i)) for i, v in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: PathKey) -> Any:
        """int, float, bool, null, date or str, as YAML's safe schema resolves the scalar."""
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError) as e:
            raise self.error(node, path, f"invalid value {node.value!r} ({e})",
                             _expected_for(node.tag)) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(node, path, f"non-finite number {node.value!r}", "a finite number")
        return value


def _expected_for(tag: str) -> str:
    kind = tag.rsplit(":", 1)[-1]
    return {"timestamp": "a real date as YYYY-MM-DD", "int": "an integer",
            "float": "a number"}.get(kind, "a valid value (quote it to keep it as text)")


def read_limited_text(path: Path, encoding: str = "utf-8") -> str:
    """A user's input file as text; refused before reading when larger than MAX_BYTES."""
    src = str(path)
    limit = f"at most {MAX_BYTES // (1024 * 1024)} MB"
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"the file is {size / 1024 / 1024:.1f} MB, too large",
                             source=src, expected=limit)
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # a pipe or device can be larger than stat says
    except FileNotFoundError:
        raise InputError("file not found", source=src) from None
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", source=src) from None
    if len(raw) > MAX_BYTES:
        raise InputError("the file is too large", source=src, expected=limit)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text ({e.reason} at byte {e.start})", source=src,
                         expected="UTF-8 text") from None


def read_structured(path: Path) -> Located:
    """Read a YAML or JSON file (JSON by its ``.json`` suffix) safely; see the module notes."""
    path = Path(path)
    text = read_limited_text(path)
    return parse_structured(text, str(path), json_=path.suffix.lower() == ".json")


def parse_structured(text: str, source: str, *, json_: bool = False) -> Located:
    """Parse YAML (or JSON) text read from ``source``; malformed input raises InputError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError("the text is too large", source=source,
                         expected=f"at most {MAX_BYTES // (1024 * 1024)} MB")
    if json_:
        return _parse_json(text, source)
    loader: _GuardedLoader | None = None
    try:
        loader = _GuardedLoader(text, source)  # the reader checks characters here already
        node = loader.get_single_node()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        if isinstance(e, yaml.reader.ReaderError):
            where = f"character {e.position + 1}"
            problem = f"character {e.character!r} is not allowed in YAML"
        else:
            problem = getattr(e, "problem", None) or str(e)
        raise InputError(f"invalid YAML: {problem}", source=source, where=where) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise InputError("the file is empty", source=source, expected="a YAML mapping")
    builder = _Builder(source)
    data = builder.build(node, ())
    return Located(data, builder.lines, source)


class _JsonProblem(Exception):
    def __init__(self, message: str, token: str | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.token = token
        self.key = key


def _no_constant(name: str) -> Any:
    raise _JsonProblem(f"non-finite number {name}", token=name)


def _finite_float(text: str) -> float:
    v = float(text)
    if not math.isfinite(v):
        raise _JsonProblem(f"number {text} overflows to infinity", token=text)
    return v


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _JsonProblem(f"key {k!r} appears twice in one object", key=k)
        out[k] = v
    return out


_JSON_STRING_OR_BARE = re.compile(r'"(?:\\.|[^"\\])*"|([-+0-9.eE]+|NaN|-?Infinity)')


def _json_line(text: str, problem: _JsonProblem) -> int | None:
    """The line of the offending token (outside strings) or key, when it can be found."""
    if problem.key is not None:
        needle = json.dumps(problem.key)
        first = text.find(needle)
        second = text.find(needle, first + 1) if first >= 0 else -1
        return text.count("\n", 0, second) + 1 if second >= 0 else None
    for m in _JSON_STRING_OR_BARE.finditer(text):
        if m.group(1) is not None and m.group(1) == problem.token:
            return text.count("\n", 0, m.start()) + 1
    return None


def _json_depth_ok(data: Any) -> bool:
    """Whether no list or object is nested deeper than MAX_DEPTH (iterative)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        x, d = stack.pop()
        if isinstance(x, dict | list):
            if d > MAX_DEPTH:
                return False
            stack.extend((v, d + 1) for v in (x.values() if isinstance(x, dict) else x))
    return True


def _parse_json(text: str, source: str) -> Located:
    deep = InputError(f"nested more than {MAX_DEPTH} levels deep", source=source,
                      expected="a flatter document")
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as e:
        raise InputError(f"invalid JSON: {e.msg}", source=source,
                         where=f"line {e.lineno}, column {e.colno}") from None
    except _JsonProblem as e:
        line = _json_line(text, e)
        raise InputError(str(e), source=source, where=f"line {line}" if line else None,
                         expected="a finite number" if e.token else "each key once") from None
    except RecursionError:
        raise deep from None
    except ValueError as e:  # e.g. an integer of more than 4,300 digits
        raise InputError(f"invalid JSON value ({e})", source=source) from None
    if not _json_depth_ok(data):
        raise deep
    return Located(data, {}, source)
