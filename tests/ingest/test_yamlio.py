"""The one safe YAML/JSON reader: hostile input gives InputError (file, line, field) quickly.

The time budget is set by the inputs: each hostile file is small (or refused by size before it
is read), so a reader that expanded aliases, recursed or read it all would hang or fail here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tightrope.bargaining.loader import load_actors
from tightrope.errors import InputError
from tightrope.ingest import yamlio
from tightrope.ingest.overlay import read_overlays
from tightrope.ingest.yamlio import MAX_BYTES, MAX_DEPTH, parse_structured, read_structured
from tightrope.minefield.parse import parse_scenario

# nine levels of nine aliases: 9**9 (387 million) leaves when expanded
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

HOSTILE_YAML: dict[str, bytes] = {
    "alias bomb": BOMB.encode(),
    "one alias": b"x: &base {a: 1}\ny: *base\n",
    "merge key": b"x: &base {a: 1}\ny:\n  <<: *base\n",
    "deep flow nesting": b"x: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
    "deep block nesting": b"x:\n" + b"- " * 20_000 + b"1\n",
    "deep mappings": b"x: " + b"{a: " * 20_000 + b"1" + b"}" * 20_000 + b"\n",
    "just too deep": b"x: " + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"\n",
    "huge file": b"x: " + b"a" * (MAX_BYTES + 10) + b"\n",
    "duplicate key": b"country: KAZ\nname: x\ncountry: RUS\n",
    "duplicate nested key": b"a:\n  b: 1\n  b: 2\n",
    "impossible date": b"start: 2023-13-45\n",
    "impossible day": b"start: 2023-02-30\n",
    "infinite number": b"x: .inf\n",
    "not a number": b"x: .nan\n",
    "huge integer": b"x: " + b"9" * 5000 + b"\n",
    "python tag": b"x: !!python/object/apply:os.system ['true']\n",
    "binary junk": bytes(range(256)) * 8,
    "NUL in UTF-8": b"x: a\x00b\n",
    "empty file": b"",
    "only a comment": b"# nothing\n",
    "two documents": b"a: 1\n---\nb: 2\n",
    "syntax error": b"a: [1, 2\n",
}

HOSTILE_JSON: dict[str, bytes] = {
    "NaN": b'{"x": NaN}',
    "Infinity": b'{"x": [1, -Infinity]}',
    "overflow": b'{"x": 1e400}',
    "deep": b"[" * 20_000 + b"]" * 20_000,
    "just too deep": b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
    "duplicate key": b'{"a": 1,\n "a": 2}',
    "huge integer": b'{"x": ' + b"9" * 5000 + b"}",
    "huge file": b'{"x": "' + b"a" * (MAX_BYTES + 10) + b'"}',
    "binary junk": bytes(range(256)),
    "empty file": b"",
}

# every reader of user YAML in the package, all built on read_structured
READERS: dict[str, Callable[[Path], Any]] = {
    "read_structured": read_structured,
    "bargaining actors": load_actors,
    "minefield scenario": parse_scenario,
    "overlay": lambda p: read_overlays([p]),
}


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("case", list(HOSTILE_YAML))
def test_hostile_yaml_is_an_input_error(tmp_path: Path, case: str, reader: str) -> None:
    p = tmp_path / "hostile.yaml"
    p.write_bytes(HOSTILE_YAML[case])
    with pytest.raises(InputError, match=r"hostile\.yaml"):
        READERS[reader](p)


@pytest.mark.parametrize("case", list(HOSTILE_JSON))
@pytest.mark.parametrize("reader", ["read_structured", "bargaining actors"])
def test_hostile_json_is_an_input_error(tmp_path: Path, case: str, reader: str) -> None:
    p = tmp_path / "hostile.json"
    p.write_bytes(HOSTILE_JSON[case])
    with pytest.raises(InputError, match=r"hostile\.json"):
        READERS[reader](p)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: x\nwhen:\n  start: 2023-13-45\n",
         r"line 3, field when.start: invalid value '2023-13-45'.*expected a real date"),
        ("country: KAZ\nties: []\ncountry: RUS\n",
         r"line 3, field country: key 'country' appears twice .*first on line 1"),
        ("a:\n  - b: 1\n  - b: &x 2\n", r"line 3, field a\[1\]\.b: YAML anchor &x is not accepted"),
        ("a: 1\nb:\n  c: " + "[" * 70 + "]" * 70 + "\n",
         rf"line 3, field b\.c(\[0\])+: nested more than {MAX_DEPTH} levels deep"),
        ("a:\n  x: .inf\n", r"line 2, field a.x: non-finite number '.inf'"),
    ],
)
def test_errors_name_line_and_field(tmp_path: Path, text: str, needle: str) -> None:
    p = tmp_path / "doc.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=needle):
        read_structured(p)


def test_json_errors_name_the_line(tmp_path: Path) -> None:
    p = tmp_path / "doc.json"
    p.write_text('{"a": 1,\n "b": [1,\n  NaN]}', encoding="utf-8")
    with pytest.raises(InputError, match=r"doc.json:line 3: non-finite number NaN"):
        read_structured(p)
    p.write_text('{"a": 1,\n "a": 2}', encoding="utf-8")
    with pytest.raises(InputError, match=r"doc.json:line 2: key 'a' appears twice"):
        read_structured(p)


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "big.yaml"
    with p.open("wb") as fh:  # sparse: no disk used
        fh.truncate(100 * MAX_BYTES)

    def no_reading(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("the oversized file was opened")

    for name in ("open", "read_text", "read_bytes"):
        monkeypatch.setattr(Path, name, no_reading)
    with pytest.raises(InputError, match=r"big.yaml: the file is 500.0 MB, too large"):
        read_structured(p)


def test_limits_leave_ordinary_documents_alone(tmp_path: Path) -> None:
    depth = MAX_DEPTH - 1  # the document mapping is level 1
    doc = parse_structured("a: " + "[" * depth + "1" + "]" * depth + "\n"
                           "d: 2023-12-31\nn: 1.5e+3\ns: 'x: &y *z'\n", "ok.yaml")
    inner: Any = doc.data["a"]
    for _ in range(depth):
        inner = inner[0]
    assert inner == 1
    assert doc.data["d"] == dt.date(2023, 12, 31)
    assert doc.data["n"] == 1500.0 and doc.data["s"] == "x: &y *z"
    assert doc.where(("s",)) == "line 4, field s"
    j = tmp_path / "ok.json"
    j.write_text('{"a": [1.5, {"b": null}], "c": "NaN"}', encoding="utf-8")
    assert read_structured(j).data == {"a": [1.5, {"b": None}], "c": "NaN"}


@pytest.mark.parametrize("case", ["alias bomb", "deep block nesting", "deep mappings",
                                  "duplicate key", "impossible date", "NUL in UTF-8"])
def test_pure_python_parser_refuses_too(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """The same limits hold when PyYAML was built without libyaml."""
    monkeypatch.setattr(yamlio, "_LOADER", yaml.SafeLoader)
    with pytest.raises(InputError, match=r"hostile\.yaml"):
        parse_structured(HOSTILE_YAML[case].decode(), "hostile.yaml")
