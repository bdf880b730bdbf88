"""`tightrope demo --quick`: every section present and traceable, offline in chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser import chromium_page, external
from tests.clirun import run
from tightrope.report.briefing import QUESTIONS

#: The briefing tests check structure, evidence, provenance and progress, not sampling error:
#: the fixture runs ``demo --quick`` with a sixth of its (already small) sample sizes.
SHRINK = 6


@pytest.fixture(scope="module")
def briefing(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tightrope.briefing.run import BriefingSettings
    from tightrope.cli.app import main

    def runs(self: BriefingSettings, full: int, quick: int) -> int:
        return max(2, quick // SHRINK) if self.quick else full

    out = tmp_path_factory.mktemp("demo")
    db = out / "demo.duckdb"
    shutil.copy(loaded_db, db)
    import contextlib
    import io

    err = io.StringIO()  # not a terminal, as in a pipe or a log file
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(BriefingSettings, "runs", runs)
        try:
            with contextlib.redirect_stderr(err):
                main(["demo", "--quick", "-o", str(out / "briefing"), "--db", str(db),
                      "--seed", "3"])
        except SystemExit as e:
            assert e.code in (0, None)
    (out / "stderr.txt").write_text(err.getvalue())
    return out / "briefing"


def sections(html: str) -> dict[str, str]:
    parts = re.split(r"<h2 id='q-([a-z]+)'>", html)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_every_question_has_a_section(briefing: Path) -> None:
    html = (briefing / "briefing.html").read_text()
    secs = sections(html)
    assert list(secs) == [k for k, _, _ in QUESTIONS]
    for key, body in secs.items():
        low = body.lower()
        assert "source" in low or "assumption" in low or "not answered" in low, key
    md = (briefing / "briefing.md").read_text()
    for _, heading, _ in QUESTIONS:
        assert f"## {heading}" in md


def test_answered_sections_carry_their_evidence(briefing: Path) -> None:
    secs = sections((briefing / "briefing.html").read_text())
    assert "7,644" in secs["claims"] and "differs" in secs["claims"]
    assert "TKM" in secs["claims"]  # the Caspian littoral the op-ed left out
    assert "Balance index" in secs["balance"] or "balance index" in secs["balance"]
    assert "Monte Carlo" in secs["bargaining"] and "assumption" in secs["bargaining"]
    assert "Back-test" in secs["corridors"]
    assert "P(catastrophe)" in secs["minefield"] and "First mistakes" in secs["minefield"]


def test_minefield_opens_with_base_rates(briefing: Path) -> None:
    from tightrope.evidence import estimate

    body = sections((briefing / "briefing.html").read_text())["minefield"]
    e = estimate("mid.russia_post_soviet.force")
    first = body.index("Base rates first")
    strategies = re.search(r"<h2[^>]*>Strategies", body)
    assert strategies is not None
    assert first < strategies.start() and first < body.index("First mistakes")
    assert f"in {e.events} of {e.trials} dyad-years" in body
    assert "reference class [band]" in body and "Where better data would change" in body
    md = (briefing / "briefing.md").read_text()
    assert "Base rates first" in md and "simulated" in md


def test_events_from_shared_data(briefing: Path, shared_data: Path) -> None:
    secs = sections((briefing / "briefing.html").read_text())
    assert "Change points and the events around them" in secs["events"]
    assert "icews_2005-2015_test.txt" in secs["events"]
    assert "Next month" in secs["events"] and "KAZ→RUS" in secs["events"]
    m = json.loads((briefing / "manifest.json").read_text())
    assert any(i["name"].startswith("events:") for i in m["inputs"])


def test_manifest(briefing: Path) -> None:
    m = json.loads((briefing / "manifest.json").read_text())
    assert m["schema"] == "tightrope.manifest/1" and m["tightrope_version"]
    p = m["parameters"]
    assert m["seed"] == 3 and p["seeds"]["exposure_band"] == 3 and p["quick"] is True
    assert "SFC64" in m["rng"] and "PCG64" in m["rng"]
    assert any(i["name"].startswith("store:world") for i in m["inputs"])
    assert all(len(v) == 64 for v in p["outputs"].values())
    for name in p["outputs"]:
        rel = name.split("(")[-1].rstrip(")")
        assert (briefing / rel).exists(), rel
    pngs = list((briefing / "figures").rglob("*.png"))
    assert len(pngs) >= 9


def test_demo_bad_output_path(tmp_path: Path, loaded_db: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(["demo", "--quick", "-o", str(blocker / "sub"), "--db", str(loaded_db)],
                       capsys)
    assert code == 2 and "file" in err and "Traceback" not in err


@pytest.mark.browser
def test_briefing_opens_offline(briefing: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((briefing / "briefing.html").as_uri())
        page.wait_for_function("document.querySelectorAll('.choroplethlocation').length > 20",
                               timeout=30_000)
        assert page.locator("img").count() >= 1
    assert errors == []
    assert external(requests) == []


def test_briefing_explains_the_camp_index_and_ranks_kazakhstan(briefing: Path) -> None:
    secs = sections((briefing / "briefing.html").read_text())
    bal = secs["balance"]
    assert "What changed" in bal and "AUC" in bal
    assert re.search(r"Balance between camps: Kazakhstan", bal)
    assert re.search(r"rank \d+ of \d+ states outside the camps", bal)
    assert "rank" in (briefing / "briefing.md").read_text()


def test_numbers_read_like_numbers(briefing: Path) -> None:
    """Ranges never print "--" (two minus signs): negative values use U+2212 and "to"; no
    HTML entity leaks into the text; the corridor revenue reads "−186 (−263 to −109)"."""
    for name in ("briefing.html", "briefing.md"):
        text = (briefing / name).read_text()
        visible = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", text, flags=re.S)
        assert not re.search(r"\d\s*[-–]\s*-\d|\d--\d", visible), name
        assert "&ocirc;" not in text and "&amp;ocirc;" not in text
    corridors = sections((briefing / "briefing.html").read_text())["corridors"]
    assert re.search(r"\d (\(−?[\d.,]+ to −?[\d.,]+\))", corridors)


def test_briefing_opens_with_key_judgements_and_contents(briefing: Path) -> None:
    """Bottom line up front: key judgements with ICD 203 words, confidence and a link to the
    evidence, then a table of contents whose links all resolve, before the first section."""
    from tightrope.report.likelihood import ICD203

    html = (briefing / "briefing.html").read_text()
    kj = html.index("Key judgements")
    assert kj < html.index("<h2 id='q-exposure'>")
    block = html[kj:html.index("<h2 id='q-exposure'>")]
    items = re.findall(r"<li><b>([^<]+)</b>(.*?)</li>", block, flags=re.S)
    assert len(items) >= 4
    words = {w for w, _, _ in ICD203}
    ids = set(re.findall(r"\sid='([^']+)'", html))
    for word, rest in items:
        assert all(w.lower() in words for w in word.split(" to ")), word
        assert re.search(r"(high|moderate|low) confidence", rest, flags=re.I)
        anchor = re.search(r"href='#([^']+)'", rest)
        assert anchor is not None and anchor.group(1) in ids
    toc = re.findall(r"<nav class='toc'>.*?</nav>", block, flags=re.S)
    assert len(toc) == 1
    targets = re.findall(r"href='#([^']+)'", toc[0])
    assert [t for t in targets if t.startswith("q-")] == [f"q-{k}" for k, _, _ in QUESTIONS]
    assert all(t in ids for t in targets)
    md = (briefing / "briefing.md").read_text()
    assert md.index("## Key judgements") < md.index("## 1.")


def test_reader_text_outside_the_appendix(briefing: Path) -> None:
    """Kazakhstan's briefing and its Jordan comparison: no repository paths, no code
    identifiers, no "+-"/"--" ranges, no decimals beyond 3 significant figures — the appendix
    for reproducers holds the files and parameter names."""
    from tests.report.readertext import problems

    page = (briefing / "briefing.html").read_text()
    assert "Jordan" in page and "id='appendix'" in page
    assert problems(page) == []
    appendix = page.split("id='appendix'")[1]
    assert "docs/minefield.md" in appendix and "kaz-sanctions.yaml" in appendix


def test_progress_lines_on_stderr_when_not_a_terminal(briefing: Path) -> None:
    """In a pipe the demo says what it is doing: one plain line per stage on stderr, with the
    share of stages done rising from 0% and the last stage the writing of the briefing."""
    from tightrope.briefing.run import STEPS

    err = (briefing.parent / "stderr.txt").read_text()
    lines = [x for x in err.splitlines() if x.startswith("tightrope demo: stage")]
    total = len(STEPS) + 1
    assert len(lines) == total
    found = [re.fullmatch(r"tightrope demo: stage (\d+) of (\d+) \((\d+)% done\): (.+)", x)
             for x in lines]
    assert all(found)
    stages = [(int(m[1]), int(m[2]), int(m[3]), m[4]) for m in found if m]
    assert [s[0] for s in stages] == list(range(1, total + 1))
    assert all(s[1] == total for s in stages)
    assert [s[2] for s in stages] == [round(100 * i / total) for i in range(total)]
    assert [s[3] for s in stages] == [st.label for st in STEPS] + ["writing the briefing"]
