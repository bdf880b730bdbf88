"""Print and share: `demo --pdf` (Chromium print-to-PDF) and `--summary-png`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clirun import run
from tightrope.report.judgements import balance_judgement
from tightrope.report.share import CHROMIUM, write_pdf, write_summary_png


def test_missing_chromium_is_one_line_exit_4(tmp_path: Path, loaded_db: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIGHTROPE_CHROMIUM", str(tmp_path / "no-chromium"))
    code, out, err = run(["demo", "--quick", "-o", str(tmp_path / "b"), "--db", str(loaded_db),
                          "--pdf", str(tmp_path / "b.pdf")], capsys)
    assert code == 4 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Chromium" in err and "Traceback" not in err
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.parametrize("flag", ["--pdf", "--summary-png"])
def test_output_in_a_missing_folder_is_exit_2(flag: str, tmp_path: Path, loaded_db: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["demo", "--quick", "-o", str(tmp_path / "b"), "--db", str(loaded_db),
                        flag, str(tmp_path / "nowhere" / "x")], capsys)
    assert code == 2 and flag in err and len(err.strip().splitlines()) == 1
    assert "stage" not in err  # no progress line before the error


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="needs Chromium")
def test_pdf_uses_the_print_style(tmp_path: Path) -> None:
    from tightrope.report.offline import page

    html = tmp_path / "p.html"
    html.write_text(page("T", ["<h2>One</h2>" + "<table>" + "<tr><td>x</td></tr>" * 200
                               + "</table>", "<h2>Two</h2><p>y</p>"], with_maps=False))
    assert "break-before:page" in html.read_text() and "tr{break-inside:avoid}" in html.read_text()
    pdf = write_pdf(html, tmp_path / "p.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and not (tmp_path / "p.pdf.part").exists()
    import re

    # section two starts a page of its own: more pages than the table alone needs
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 3


def test_summary_png(tmp_path: Path) -> None:
    from matplotlib.image import imread

    j = balance_judgement({"name": "Kazakhstan", "overall": {
        "value": 0.81, "band": [0.72, 0.9], "class": "balanced"}}, "q-balance")
    assert j is not None
    p = write_summary_png("Briefing: Kazakhstan", [j, j], tmp_path / "s.png")
    img = imread(p)
    assert img.shape[1] > img.shape[0] > 800
    assert (img[..., :3] < 0.5).any()  # text was drawn
