"""Layering rules from STYLE.md: imports run one way; the ground floor stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "tightrope"

#: room -> rooms it must never import
FORBIDDEN = {
    "world": {"ingest", "store", "exposure", "events", "minefield", "bargaining", "corridors",
              "report", "cli", "web"},
    "ingest": {"exposure", "events", "minefield", "bargaining", "corridors", "report", "cli",
               "web"},
    "store": {"exposure", "minefield", "bargaining", "corridors", "report", "cli", "web"},
    "exposure": {"report", "cli", "web"},
    "events": {"report", "cli", "web"},
    "minefield": {"report", "cli", "web"},
    "bargaining": {"report", "cli", "web"},
    "corridors": {"report", "cli", "web"},
    "profile": {"report", "cli", "web"},
    "evidence": {"minefield", "report", "cli", "web"},
    "report": {"cli", "web"},
}
PLOTTING = {"matplotlib", "plotly", "jinja2", "fastapi", "uvicorn"}
COMPUTE_ROOMS = {"world", "ingest", "store", "exposure", "events", "minefield", "bargaining",
                 "corridors", "profile", "evidence"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_imports_run_one_way(room: str) -> None:
    for f in (PKG / room).rglob("*.py"):
        for mod in imports_of(f):
            parts = mod.split(".")
            if parts[0] == "tightrope" and len(parts) > 1:
                assert parts[1] not in FORBIDDEN[room], f"{f.relative_to(PKG)} imports {mod}"
            if room in COMPUTE_ROOMS:
                assert parts[0] not in PLOTTING, f"{f.relative_to(PKG)} imports {mod}"


def test_world_model_loads_no_heavy_libraries() -> None:
    code = ("import sys, tightrope.world, tightrope.provenance, tightrope.errors; "
            "print(sorted(m for m in ('duckdb', 'pandas', 'numpy', 'plotly') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_is_declared() -> None:
    import tightrope.errors
    import tightrope.provenance
    import tightrope.world

    for mod in (tightrope.errors, tightrope.provenance, tightrope.world):
        for name in mod.__all__:
            assert hasattr(mod, name), f"{mod.__name__}.__all__ lists missing {name}"
