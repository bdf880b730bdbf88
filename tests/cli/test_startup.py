"""The command line loads its heavy dependencies on first use, not at start-up."""

from __future__ import annotations

import subprocess
import sys


def test_starting_the_cli_does_not_load_heavy_libraries() -> None:
    # each of these took 0.2-0.8 s to import and made every command (and --help) slow
    code = ("import sys, tightrope.cli.app; "
            "print(sorted(m for m in ('pandas', 'ruptures', 'networkx', 'scipy.stats', "
            "'scipy.optimize') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
