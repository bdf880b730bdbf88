"""Run the CLI in-process and capture its exit code and output (shared by the CLI tests)."""

from __future__ import annotations

import pytest

from tightrope.cli.app import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``tightrope ARGV`` -> (exit code, stdout, stderr)."""
    try:
        main(argv)
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
