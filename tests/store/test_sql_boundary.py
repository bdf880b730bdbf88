"""SQL lives in tightrope.store: no other module runs a statement or holds SQL text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "src" / "tightrope"

#: What a SQL statement looks like in a string (upper-case keywords, as the project writes SQL).
SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bCREATE\s+(OR\s+REPLACE\s+)?"
    r"(TEMP\s+|TEMPORARY\s+)?(TABLE|VIEW|INDEX|SEQUENCE)\b|\bDELETE\s+FROM\b|"
    r"\bUPDATE\s+\w+\s+SET\b|\bDROP\s+(TABLE|VIEW)\b|\bCOPY\s*\(|\bALTER\s+TABLE\b|"
    r"\bATTACH\b\s+'|\bPRAGMA\s+\w+"
)
#: Methods that run SQL on a DuckDB connection or relation.
RUNNERS = {"execute", "executemany", "sql", "query", "from_query"}


def _outside_store() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "store" not in p.relative_to(PKG).parts[:1])


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def sql_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal (not a docstring) that reads as SQL."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    skip |= {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
                           if isinstance(v, ast.Constant | ast.FormattedValue))
            if SQL.search(text):
                found.append((node.lineno, text))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in skip and SQL.search(node.value)):
            found.append((node.lineno, node.value))
    return sorted(found)


def sql_calls(source: str) -> list[tuple[int, str]]:
    """(line, method) of every call ``x.execute(...)``, ``x.sql(...)``, ``x.query("...")``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in RUNNERS):
            # pandas' DataFrame.query takes an expression, not SQL; a Store/DuckDB one takes
            # SQL text. Flag every call whose receiver is not obviously a DataFrame.
            if node.func.attr == "query" and isinstance(node.func.value, ast.Name) \
                    and node.func.value.id in {"df", "frame", "pdf"}:
                continue
            found.append((node.lineno, node.func.attr))
    return sorted(found)


@pytest.mark.parametrize("path", _outside_store(), ids=lambda p: str(p.relative_to(PKG)))
def test_no_sql_outside_store(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert sql_strings(source) == [], f"{path.relative_to(PKG)} holds SQL text"
    assert sql_calls(source) == [], f"{path.relative_to(PKG)} runs SQL"


def test_the_scan_finds_sql() -> None:
    """The detectors fire on the forms that used to be spread through the analyses."""
    src = '''
"""Docstring naming a SELECT ... FROM is prose."""
rows = store.query("SELECT * FROM countries WHERE iso3 = ?", [iso3])
cur = store.con.execute(f"SELECT count(*) FROM {t}")
store.con.execute("COPY (SELECT 1) TO 'x'")
con.sql("INSERT INTO t VALUES (1)")
MULTI = """
WITH mine AS (SELECT org FROM memberships)
SELECT * FROM mine"""
'''
    assert [line for line, _ in sql_strings(src)] == [3, 4, 5, 6, 7]
    assert [m for _, m in sql_calls(src)] == ["query", "execute", "execute", "sql"]


def test_store_answers_the_analyses(tmp_path: Path) -> None:
    """The query functions run against a fresh store (schema only) and return typed empties."""
    from tightrope.store import eventqueries as eq
    from tightrope.store import open_store
    from tightrope.store import queries as q

    with open_store(tmp_path / "s.duckdb") as s:
        assert q.country(s, "KAZ") is None
        assert q.country_names(s) == {}
        assert q.bloc_members(s, "EUU") == []
        assert q.table_rows(s, ["countries", "borders"]) == {"countries": 0, "borders": 0}
        assert q.shared_orgs(s, "KAZ", {"RUS"}, ("security",)) == {}
        assert q.unga_agreement(s, "KAZ", "RUS", (2000, 2020))["n"] is None
        assert eq.has_events(s) is False
        with pytest.raises(ValueError, match="no table"):
            q.table_rows(s, ["countries; DROP TABLE countries"])
