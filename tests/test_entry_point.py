"""The Python entry point: ``import tightrope`` gives the main functions, documented, returning
plain data; the README's example runs as written."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tightrope

README = Path(__file__).resolve().parents[1] / "README.md"
FUNCTIONS = ["bargain", "compare", "corridors", "profile", "robust", "simulate", "temperature",
             "world"]


def test_the_main_functions_are_public_and_documented() -> None:
    assert set(FUNCTIONS) <= set(tightrope.__all__)
    for name in FUNCTIONS:
        fn = getattr(tightrope, name)
        assert callable(fn), name
        doc = inspect.getdoc(getattr(tightrope.api, name))
        assert doc and len(doc) > 60, f"tightrope.{name} has no real docstring"


def test_subpackage_names_stay_callable_after_their_import(loaded_db: Path) -> None:
    """``tightrope.profile`` is also a subpackage: importing it (as every analysis does) must
    not take the function away."""
    import tightrope.profile as subpackage
    from tightrope.profile import build_profile

    assert tightrope.profile is subpackage and callable(build_profile)
    p = tightrope.profile("kz", db=loaded_db)
    assert p["schema"] == "tightrope.profile/1" and p["country"]["iso3"] == "KAZ"
    assert p["exposure"]["balance_index"]["overall"]["band"][0] is not None
    json.dumps(p, default=str)


def test_import_tightrope_stays_light() -> None:
    code = ("import sys, tightrope; print(sorted(m for m in ('duckdb', 'pandas', 'numpy', "
            "'plotly', 'fastapi') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_store_functions_match_the_cli_json(loaded_db: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.clirun import run

    code, out, _ = run(["compare", "KAZ", "MNG", "--runs", "200", "--json", "--db",
                        str(loaded_db)], capsys)
    assert code == 0
    assert tightrope.compare(["KAZ", "MNG"], runs=200, db=loaded_db) == json.loads(out)


def _readme_python() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "the README has one Python example"
    return blocks[0]


@pytest.mark.slow
def test_readme_example_runs(loaded_db: Path, tmp_path: Path) -> None:
    import os
    import shutil

    db = tmp_path / "store.duckdb"
    shutil.copy(loaded_db, db)
    env = {**os.environ, "TIGHTROPE_DB": str(db)}
    r = subprocess.run([sys.executable, "-c", _readme_python()], capture_output=True,
                       text=True, env=env, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 4  # one line per print
    assert "Traceback" not in r.stderr
