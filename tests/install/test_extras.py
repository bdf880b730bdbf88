"""The core install works without the optional extras; commands that need one name it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tightrope.errors import MissingExtraError
from tightrope.extras import require_extra

#: Run Python with the extras' modules made unimportable (as if never installed).
BLOCK = (
    "import sys\n"
    "for m in ('fastapi', 'uvicorn', 'starlette', 'dask', 'distributed'):\n"
    "    sys.modules[m] = None\n"
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK + code], capture_output=True,
                          text=True, timeout=300)


def test_core_packages_import_without_the_extras() -> None:
    code = (
        "import importlib, pkgutil, tightrope\n"
        "skip = ('tightrope.web', 'tightrope.minefield.robust.distributed')\n"
        "for m in pkgutil.walk_packages(tightrope.__path__, 'tightrope.'):\n"
        "    if not m.name.startswith(skip):\n"
        "        importlib.import_module(m.name)\n"
        "from tightrope.cli.app import main\n"
        "main(['profile', 'KAZ', '--json'])\n"
    )
    r = _run(code)
    assert r.returncode == 0, r.stderr[-2000:]
    assert '"iso3": "KAZ"' in r.stdout


def test_serve_without_the_web_extra_names_it(db_path: object) -> None:
    r = _run("from tightrope.cli.app import main\nmain(['serve'])\n")
    assert r.returncode == 4, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "tightrope[web]" in lines[0] and "Traceback" not in r.stderr


def test_require_extra_reports_each_missing_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingExtraError) as e:
        require_extra("dask", "the Dask engine")
    assert e.value.missing == ["distributed"] and e.value.exit_code == 4
    require_extra("web", "the dashboard")  # installed here: no error
