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
import yaml.resolver

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


_MAP: Final = "tag:yaml.org,2002:map"
_SEQ: Final = "tag:yaml.org,2002:seq"
#: libyaml's event parser when PyYAML was built with it (about 20x faster), else PyYAML's own
_LOADER: Final[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Frame:
    """An open mapping or list while the event stream is turned into data."""

    __slots__ = ("data", "key", "key_line", "path")

    def __init__(self, data: dict[str, Any] | list[Any], path: PathKey) -> None:
        self.data = data
        self.path = path
        self.key: str | None = None  # a mapping's key waiting for its value
        self.key_line = 0


class _Builder:
    """Turns the YAML event stream into plain Python data, recording the line of every key.

    Events are consumed one at a time with an explicit stack (no recursion): an alias or anchor
    stops the read at once (nothing is ever expanded), and so does a list or mapping opened
    deeper than MAX_DEPTH. Scalars get the tags of YAML's safe schema (int, float, bool, null,
    date) and are built by PyYAML's safe constructor.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[PathKey, int] = {}
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()

    def error(self, line: int, path: PathKey, message: str, expected: str) -> InputError:
        return InputError(message, source=self.source, where=_where(line, path),
                          expected=expected)

    def build(self, text: str) -> Any:
        stack: list[_Frame] = []
        root: list[Any] = []
        documents = 0
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.error(line, (), "more than one YAML document",
                                     "a single document (no second '---')")
                continue
            if isinstance(event, yaml.AliasEvent):
                raise self.error(line, self._path(stack), f"YAML alias *{event.anchor} is not "
                                 "accepted", "the value written out in full")
            if isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                self._place(stack, root, done.data, line)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue  # stream and document boundaries
            path = self._path(stack)
            if event.anchor is not None:
                raise self.error(line, path, f"YAML anchor &{event.anchor} is not accepted",
                                 "no anchors or aliases")
            if isinstance(event, yaml.ScalarEvent):
                self._place(stack, root, event, line)
                continue
            if isinstance(event, yaml.CollectionStartEvent):
                is_map = isinstance(event, yaml.MappingStartEvent)
                tag = event.tag if event.tag not in (None, "!") else (_MAP if is_map else _SEQ)
                if tag != (_MAP if is_map else _SEQ):
                    raise self.error(line, path, f"YAML tag {tag} is not accepted",
                                     "a plain list or mapping")
                if len(stack) >= MAX_DEPTH:
                    raise self.error(line, path, f"nested more than {MAX_DEPTH} levels deep",
                                     "a flatter document")
                if stack and isinstance(stack[-1].data, dict) and stack[-1].key is None:
                    raise self.error(line, path, "a mapping key is itself a list or mapping",
                                     "a plain key such as 'name:'")
                path = self._child_path(stack, line)
                stack.append(_Frame({} if is_map else [], path))
        return root[0] if root else None

    @staticmethod
    def _path(stack: list[_Frame]) -> PathKey:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.data, dict):
            return (*top.path, top.key) if top.key is not None else top.path
        return (*top.path, len(top.data))

    def _child_path(self, stack: list[_Frame], line: int) -> PathKey:
        """The path of a value starting here, and its line (the key's line wins in a mapping)."""
        path = self._path(stack)
        self.lines.setdefault(path, line)
        return path

    def _place(self, stack: list[_Frame], root: list[Any], item: Any, line: int) -> None:
        top = stack[-1] if stack else None
        if isinstance(item, yaml.ScalarEvent):
            if top is not None and isinstance(top.data, dict) and top.key is None:
                self._key(top, str(item.value), line)
                return
            path = self._child_path(stack, line)
            item = self.scalar(item, line, path)
        if top is None:
            root.append(item)
        elif isinstance(top.data, dict):
            assert top.key is not None
            top.data[top.key] = item
            top.key = None
        else:
            top.data.append(item)

    def _key(self, top: _Frame, key: str, line: int) -> None:
        assert isinstance(top.data, dict)
        path = (*top.path, key)
        if key in top.data:
            raise self.error(line, path, f"key {key!r} appears twice in this mapping (first on "
                             f"line {self.lines[path]})", "each key once")
        self.lines[path] = line
        top.key = key

    def scalar(self, event: yaml.ScalarEvent, line: int, path: PathKey) -> Any:
        """int, float, bool, null, date or str, as YAML's safe schema resolves the scalar."""
        tag = event.tag
        if tag in (None, "!"):
            tag = self.resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, None, None, event.style)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError) as e:
            raise self.error(line, path, f"invalid value {event.value!r} ({e})",
                             _expected_for(tag)) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(line, path, f"non-finite number {event.value!r}",
                             "a finite number")
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
    builder = _Builder(source)
    try:
        data = builder.build(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        if isinstance(e, yaml.reader.ReaderError):
            where = f"character {e.position + 1}"
            problem = f"character {e.character!r} is not allowed in YAML"
        else:
            problem = getattr(e, "problem", None) or str(e)
        if "maximum nesting depth" in problem:  # libyaml's own limit, met while looking ahead
            raise InputError(f"nested more than {MAX_DEPTH} levels deep", source=source,
                             where=where, expected="a flatter document") from None
        raise InputError(f"invalid YAML: {problem}", source=source, where=where) from None
    if data is None and not builder.lines:
        raise InputError("the file is empty", source=source, expected="a YAML mapping")
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
