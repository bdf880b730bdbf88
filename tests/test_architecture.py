"""Layering rules from STYLE.md: imports run one way; the ground floor stays light; every
package declares its public API; library code has no global side effects."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "tightrope"

#: the rooms of the package: every top-level module and subpackage of tightrope
ROOMS = sorted(p.stem for p in PKG.iterdir()
               if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file())

#: ``_entry`` makes three subpackages callable; it imports ``tightrope.api`` only when called
GROUND = {"_types", "errors", "provenance", "progress", "manifest", "io", "extras", "limits",
          "_entry"}
LOWER = GROUND | {"world", "ingest", "store", "evidence"}
ANALYSES = {"exposure", "events", "minefield", "bargaining", "corridors", "profile"}
#: room -> the rooms it may import (besides itself and the ``tightrope`` root, ``__version__``).
#: Analyses never import each other: a piece two of them need moves down a floor, or the caller
#: (briefing, CLI, web) passes the data in.
ALLOWED: dict[str, set[str]] = {
    "_types": set(),
    "errors": set(),
    "provenance": set(),
    "progress": set(),
    "manifest": set(),
    "io": {"errors"},
    "extras": {"errors"},
    "limits": set(),
    "_entry": {"api"},
    "data": set(),
    # the Python entry point: thin wrappers over the analyses, imported lazily
    "api": LOWER | ANALYSES,
    "world": GROUND,
    "ingest": GROUND | {"world"},
    "store": GROUND | {"world", "ingest"},
    # reference classes estimated from data: read by the minefield, import no analysis
    "evidence": GROUND | {"world", "ingest", "store"},
    **{a: LOWER for a in ANALYSES},
    "briefing": LOWER | ANALYSES,
    "report": LOWER | ANALYSES | {"briefing"},
    "cli": set(ROOMS),
    "web": set(ROOMS) - {"cli"},
}
PLOTTING = {"matplotlib", "plotly", "jinja2", "fastapi", "starlette", "uvicorn"}
COMPUTE_ROOMS = LOWER | ANALYSES | {"briefing"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of_source(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module ``source`` (the text of ``module``) may import, in absolute dotted form.

    Catches ``import a.b``, ``from a import b`` (both ``a`` and ``a.b``: ``b`` may be a module),
    relative imports (``from . import b``, ``from ..x import y``), and string literals passed to
    ``importlib.import_module`` / ``__import__``, wherever they are (module level or inside a
    function). When a module name is computed (a variable), the call is recorded as
    :data:`DYNAMIC` and every string literal of the file that names a ``tightrope`` module
    counts as imported: an over-approximation, never a miss.
    """
    package = module if is_package else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                head = ".".join(base + ([node.module] if node.module else []))
            else:
                head = node.module or ""
            out.add(head)
            out |= {f"{head}.{a.name}" for a in node.names if a.name != "*"}
        elif isinstance(node, ast.Call) and node.args:
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            arg = node.args[0]
            if name in {"import_module", "__import__"}:
                out.add(_literal_name(arg))
    if DYNAMIC in out:
        out |= {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)
                and isinstance(n.value, str) and n.value.startswith("tightrope.")}
    return out


#: what :func:`imports_of_source` records for an import whose module name is computed at run time
DYNAMIC = "<dynamic>"


def _literal_name(arg: ast.expr) -> str:
    """The module named by a string literal, or the literal head of an f-string
    (``f"tightrope.web.{name}"`` -> ``tightrope.web``); :data:`DYNAMIC` otherwise."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values:
        head = arg.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return head.value.rstrip(".")
    return DYNAMIC


def _files() -> Iterator[tuple[str, Path]]:
    """(room, file) for every source file below the root ``__init__.py``."""
    for f in sorted(PKG.rglob("*.py")):
        room = f.relative_to(PKG).parts[0].removesuffix(".py")
        if room != "__init__":
            yield room, f


def _rooms_imported(path: Path) -> set[str]:
    mod = _module_name(path)
    rooms = set()
    for m in imports_of_source(path.read_text(encoding="utf-8"), mod, path.name == "__init__.py"):
        parts = m.split(".")
        if parts[0] == "tightrope" and len(parts) > 1 and parts[1] in ROOMS:
            rooms.add(parts[1])
    return rooms


@pytest.mark.parametrize(("source", "module", "expected"), [
    ("import tightrope.web.app", "tightrope.minefield.x", "tightrope.web.app"),
    ("from tightrope import exposure", "tightrope.minefield.x", "tightrope.exposure"),
    ("from tightrope.report import html", "tightrope.minefield.x", "tightrope.report.html"),
    ("from . import engine", "tightrope.minefield.x", "tightrope.minefield.engine"),
    ("from .. import exposure", "tightrope.minefield.x", "tightrope.exposure"),
    ("from ..exposure import matrix", "tightrope.minefield.x", "tightrope.exposure.matrix"),
    ("from ...exposure.matrix import f", "tightrope.minefield.robust.x",
     "tightrope.exposure.matrix"),
    ("def f():\n    import importlib\n    return importlib.import_module('tightrope.exposure')",
     "tightrope.minefield.x", "tightrope.exposure"),
    ("from importlib import import_module\nm = import_module('tightrope.cli')",
     "tightrope.minefield.x", "tightrope.cli"),
    ("m = __import__('tightrope.web')", "tightrope.minefield.x", "tightrope.web"),
    ("import importlib\nm = importlib.import_module(f'tightrope.cli.{x}')", "tightrope.io",
     "tightrope.cli"),
    ("import importlib\nm = importlib.import_module(name)", "tightrope.io", DYNAMIC),
    ("import importlib\nfor n in ('tightrope.web', 'x'):\n    importlib.import_module(n)",
     "tightrope.io", "tightrope.web"),
])
def test_every_import_form_is_seen(source: str, module: str, expected: str) -> None:
    assert expected in imports_of_source(source, module)


def test_relative_import_in_a_package_init() -> None:
    assert "tightrope.minefield.engine" in imports_of_source(
        "from .engine import run", "tightrope.minefield", is_package=True)


def test_every_room_has_a_rule() -> None:
    assert set(ROOMS) == set(ALLOWED), "add the new room to ALLOWED with the rooms it may import"


@pytest.mark.parametrize("room", ROOMS)
def test_imports_run_one_way(room: str) -> None:
    bad = []
    for r, f in _files():
        if r != room:
            continue
        for other in _rooms_imported(f) - ALLOWED[room] - {room}:
            bad.append(f"{f.relative_to(PKG)} imports tightrope.{other}")
        if room in COMPUTE_ROOMS:
            mods = imports_of_source(f.read_text(encoding="utf-8"), _module_name(f))
            bad += [f"{f.relative_to(PKG)} imports {m}" for m in mods
                    if m.split(".")[0] in PLOTTING]
    assert not bad, "\n".join(bad)


def test_the_root_package_imports_only_the_entry_point() -> None:
    """``tightrope/__init__.py`` binds the entry-point functions of :mod:`tightrope.api` (whose
    own imports of the analyses happen when a function is called) and nothing else."""
    init = PKG / "__init__.py"
    rooms = {m.split(".")[1] for m in imports_of_source(init.read_text("utf-8"), "tightrope",
                                                        is_package=True)
             if m.startswith("tightrope.") and m.split(".")[1] in ROOMS}
    assert rooms <= {"api", "corridors", "profile", "world"}, rooms
    api = imports_of_source((PKG / "api.py").read_text("utf-8"), "tightrope.api")
    top_level = {n.module for n in ast.parse((PKG / "api.py").read_text("utf-8")).body
                 if isinstance(n, ast.ImportFrom) and n.module}
    assert top_level <= {"__future__", "collections.abc", "contextlib", "pathlib", "typing",
                         "tightrope.limits"}, top_level
    assert "tightrope.minefield" in api  # inside the functions


def test_world_model_loads_no_heavy_libraries() -> None:
    code = ("import sys, tightrope.world, tightrope.provenance, tightrope.errors, tightrope.io, "
            "tightrope._types, tightrope.progress, tightrope.manifest; "
            "print(sorted(m for m in ('duckdb', 'pandas', 'numpy', 'plotly') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _public_modules() -> list[str]:
    """Every package of tightrope, and the top-level modules."""
    out = ["tightrope"]
    for p in sorted(PKG.rglob("__init__.py")):
        if p.parent != PKG:
            out.append(_module_name(p))
    out += [f"tightrope.{r}" for r in ROOMS if (PKG / f"{r}.py").is_file()]
    return sorted(out)


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 calls isort-style: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


@pytest.mark.parametrize("name", _public_modules())
def test_public_api_is_declared(name: str) -> None:
    mod = importlib.import_module(name)
    assert "__all__" in vars(mod), f"{name} has no __all__"
    names = list(mod.__all__)
    assert all(hasattr(mod, n) for n in names), f"{name}.__all__ lists missing names"
    private = [n for n in names if n.startswith("_") and n != "__version__"]
    assert not private, f"{name}.__all__ lists private names {private}"
    assert len(set(names)) == len(names), f"{name}.__all__ repeats names"
    assert names == sorted(names, key=_isort_key), f"{name}.__all__ is not sorted (RUF022)"


def test_public_modules_cover_every_package() -> None:
    mods = _public_modules()
    for pkg in ("tightrope.briefing", "tightrope.cli", "tightrope.data", "tightrope.ingest",
                "tightrope.minefield.robust", "tightrope.report", "tightrope.web",
                "tightrope.io"):
        assert pkg in mods


def _array_aliases(source: str) -> list[str]:
    """Names bound to a numpy array type at module level (``X = NDArray[...]``,
    ``X: TypeAlias = npt.NDArray[...]``)."""
    out = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value, targets = node.value, (node.targets if isinstance(node, ast.Assign)
                                          else [node.target])
        else:
            continue
        text = ast.unparse(value) if value is not None else ""
        if "NDArray[" in text:
            out += [ast.unparse(t) for t in targets]
    return out


def test_array_alias_detector() -> None:
    src = ("F = NDArray[np.float64]\nG: TypeAlias = npt.NDArray[np.int64]\n"
           "H = 'NDArray[np.bool_]'\nx = 3\n")
    assert _array_aliases(src) == ["F", "G", "H"]


def test_array_aliases_are_defined_once() -> None:
    """FloatArray & co. live in tightrope._types; every other module imports them."""
    found = {str(f.relative_to(PKG)): names for _, f in _files()
             if f.name != "_types.py" and (names := _array_aliases(f.read_text("utf-8")))}
    assert not found, f"array aliases defined outside tightrope._types: {found}"


def test_library_selects_no_matplotlib_backend() -> None:
    """No ``matplotlib.use(...)`` and no pyplot (global figure state) anywhere in the package:
    figures are ``matplotlib.figure.Figure`` objects saved with their own canvas."""
    bad = []
    for _, f in _files():
        source = f.read_text(encoding="utf-8")
        if "matplotlib.pyplot" in imports_of_source(source, _module_name(f)):
            bad.append(f"{f.relative_to(PKG)} imports matplotlib.pyplot")
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "use" and ast.unparse(node.func.value) == "matplotlib"):
                bad.append(f"{f.relative_to(PKG)}:{node.lineno} calls matplotlib.use")
    assert not bad, "\n".join(bad)
