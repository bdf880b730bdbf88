"""Print and share: the briefing as a PDF (Chromium's print-to-PDF through Playwright, with the
page's print style sheet) and a one-page summary PNG of the key judgements."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from pathlib import Path

from tightrope.errors import DataUnavailableError, MissingExtraError
from tightrope.report.judgements import Judgement

__all__ = ["CHROMIUM", "check_pdf_tools", "write_pdf", "write_summary_png"]

#: The Chromium that prints the PDF (TIGHTROPE_CHROMIUM overrides).
CHROMIUM = "/usr/bin/chromium"


def _chromium() -> Path:
    return Path(os.environ.get("TIGHTROPE_CHROMIUM", CHROMIUM))


def check_pdf_tools() -> None:
    """Fail before any work when Playwright or Chromium is missing (exit 4, one line)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise MissingExtraError("pdf", "printing the briefing to PDF", ["playwright"]) from None
    exe = _chromium()
    if not exe.is_file():
        raise DataUnavailableError(
            f"printing a PDF needs Chromium at {exe} (not found); install chromium or set "
            "TIGHTROPE_CHROMIUM to its path")


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print ``html_path`` to ``pdf_path`` (A4) with the print style sheet; the page may not
    reach the network (every request other than file: and data: is aborted)."""
    from playwright.sync_api import Error, Route, sync_playwright

    check_pdf_tools()
    tmp = pdf_path.with_name(pdf_path.name + ".part")

    def local_only(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            route.abort()

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(_chromium()))
            try:
                page = browser.new_page()
                page.route("**/*", local_only)
                page.goto(html_path.resolve().as_uri(), wait_until="load")
                page.emulate_media(media="print")
                page.pdf(path=str(tmp), format="A4", print_background=True,
                         margin={"top": "14mm", "bottom": "14mm", "left": "12mm",
                                 "right": "12mm"})
            finally:
                browser.close()
    except Error as e:
        tmp.unlink(missing_ok=True)
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise DataUnavailableError(f"Chromium could not print the PDF: {first}") from None
    os.replace(tmp, pdf_path)
    return pdf_path


def write_summary_png(title: str, judgements: Sequence[Judgement], path: Path,
                      footer: str = "") -> Path:
    """One page (A4 landscape proportions) with the key judgements: likelihood word,
    probability, the claim with its headline numbers, and the confidence level."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11.7, 8.3), dpi=110)
    fig.text(0.04, 0.95, title, fontsize=17, weight="bold", va="top")
    fig.text(0.04, 0.905, "Key judgements", fontsize=12, color="#444", va="top")
    y = 0.86
    for i, j in enumerate(judgements, 1):
        head = f"{i}. {j.likelihood.capitalize()} ({j.probability_text})"
        fig.text(0.04, y, head, fontsize=11.5, weight="bold", va="top", color="#1f3b57")
        y -= 0.034
        body = textwrap.wrap(j.claim, 125)
        fig.text(0.06, y, "\n".join(body), fontsize=10.5, va="top", linespacing=1.35)
        y -= 0.026 * len(body) + 0.004
        fig.text(0.06, y, f"{j.confidence.level.capitalize()} confidence", fontsize=9,
                 va="top", color="#666", style="italic")
        y -= 0.042
    if not judgements:
        fig.text(0.04, y, "No key judgement could be formed in this run.", fontsize=11)
    from tightrope.report.likelihood import ICD203_CITATION

    note = (f"Likelihood words: {ICD203_CITATION}. " + footer).strip()
    fig.text(0.04, 0.03, "\n".join(textwrap.wrap(note, 160)), fontsize=8, color="#555")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    fig.savefig(tmp, format="png")
    os.replace(tmp, path)
    return path
