"""Key judgements (bottom line up front) built from computed results, and a table of contents
built from the headings of the sections.

Every judgement states a claim, a likelihood word from ICD 203 for the probability interval
behind it (:mod:`tightrope.report.likelihood`), the probability rounded to what the interval
supports, a confidence level with its reasons, and the anchor of the section with the evidence.
Nothing here holds a number of its own: each figure is read from a result object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tightrope.minefield.results import wilson
from tightrope.report.likelihood import (
    ICD203_CITATION,
    Basis,
    Confidence,
    confidence,
    likelihood_phrase,
    rounded,
    rounded_percent,
)
from tightrope.report.offline import esc

__all__ = ["Judgement", "balance_judgement", "bargaining_judgement", "corridor_judgement",
           "judgements_html", "judgements_markdown", "minefield_judgements",
           "robust_judgement", "slug", "strategy_label", "toc_html", "with_heading_ids"]


@dataclass(frozen=True)
class Judgement:
    """One key judgement: ``claim`` holds with probability ``p`` in ``interval``."""

    claim: str
    #: the central probability; None when only the interval is known (a bound from a band)
    p: float | None
    interval: tuple[float, float]
    evidence: str
    confidence: Confidence
    anchor: str

    @property
    def likelihood(self) -> str:
        return likelihood_phrase(*self.interval)

    @property
    def probability_text(self) -> str:
        lo, hi = self.interval
        a, b = rounded_percent(lo, lo, hi), rounded_percent(hi, lo, hi)
        if self.p is None:
            return (f"at least {a}" if hi >= 1 else f"at most {b}" if lo <= 0
                    else f"between {a} and {b}")
        return f"{rounded_percent(self.p, lo, hi)}; interval {a} to {b}"


def _judge(claim: str, p: float | None, interval: tuple[float, float], evidence: str, basis: Basis,
           anchor: str, validated: bool | None = None,
           spread: tuple[float, float] | None = None) -> Judgement:
    lo, hi = min(interval), max(interval)
    s = spread or (lo, hi)
    return Judgement(claim, p, (lo, hi), evidence,
                     confidence(min(s), max(s), basis, validated), anchor)


def strategy_label(name: str, powers: Mapping[str, str] | None = None) -> str:
    """A strategy's name for readers: "bandwagon:russia" -> "bandwagoning with Russia"."""
    if name.startswith("bandwagon:"):
        key = name.split(":", 1)[1]
        who = (powers or {}).get(key) or key.replace("_", " ").title()
        if who.startswith(("United ", "European ")):
            who = "the " + who
        return f"bandwagoning with {who}"
    return {"balancer": "balancing", "isolation": "isolation",
            "multi_vector_rotation": "multi-vector rotation"}.get(
        name, name.replace("_", " ").replace(":", " "))


def minefield_judgements(comp: Any, robust: Any = None,
                         anchor: str = "q-minefield") -> list[Judgement]:
    """The safest and the riskiest strategy of a minefield comparison, P(catastrophe) within
    the horizon with its Monte Carlo interval; confidence also reads the spread of P across
    the robust analysis' sampled futures when given."""
    results = list(comp.results)
    if not results:
        return []
    powers = {p.key: p.name for p in comp.scenario.powers}
    years = comp.scenario.horizon / 4
    what = " or ".join(c.label.lower() for c in comp.scenario.catastrophes)
    spreads: dict[str, tuple[float, float]] = {}
    if robust is not None:
        for x in robust.to_json()["robustness"]:
            spreads[x["strategy"]] = (x["p_catastrophe_median"], x["p_catastrophe_p90"])
    safest = min(results, key=lambda r: r.p_catastrophe)
    riskiest = max(results, key=lambda r: r.p_catastrophe)
    out = []
    for r, how in ((safest, "the safest of the simulated strategies"),
                   (riskiest, "the riskiest")):
        spread = None
        if r.strategy in spreads:
            m, p90 = spreads[r.strategy]
            spread = (min(r.ci[0], m), max(r.ci[1], p90))
        claim = (f"{comp.scenario.focal_name} suffers a catastrophe ({what}) within "
                 f"{years:g} years if it follows {strategy_label(r.strategy, powers)}, "
                 f"{how}.")
        evidence = (f"{r.runs:,} simulated futures under the scenario's central assumptions; "
                    "95% Wilson interval"
                    + ("; across the sampled futures of the robust analysis P runs from "
                       f"{rounded_percent(spreads[r.strategy][0], *spread)} (median) to "
                       f"{rounded_percent(spreads[r.strategy][1], *spread)} (90th percentile)"
                       if spread else ""))
        out.append(_judge(claim, r.p_catastrophe, r.ci, evidence, "mixed", anchor,
                          spread=spread))
    return out


def robust_judgement(robust: Any, anchor: str = "q-minefield") -> Judgement | None:
    """The top-ranked strategy of the robust analysis meets both thresholds in a sampled
    future: share of futures with its Wilson interval."""
    j = robust.to_json()
    rows = j["robustness"]
    if not rows:
        return None
    top = min(rows, key=lambda x: x["rank"])
    n = int(robust.table.futures)
    k = round(top["satisficing"] * n)
    lo, hi = wilson(k, n)
    thr = j["settings"]["thresholds"]
    claim = (f"{strategy_label(top['strategy']).capitalize()}, the most robust strategy, keeps "
             f"P(catastrophe) below {thr['max_p_catastrophe']:.0%} with a gain above "
             f"{thr['min_gain']:g} points of GDP in a future drawn from the assumption ranges.")
    evidence = f"{k} of {n} Latin hypercube futures; 95% Wilson interval"
    return _judge(claim, k / n, (lo, hi), evidence, "assumption", anchor)


def corridor_judgement(disruptions: Mapping[str, Any], backtest: Any = None,
                       anchor: str = "q-corridors") -> Judgement | None:
    """Kazakhstan's transit revenue falls under the disruption that costs it most. The
    probability of a fall is bounded by the 5–95% band: a band wholly below zero means at
    least 95%, wholly above zero at most 5%, otherwise 5–95%."""
    rows = [(res.to_json(), name) for name, res in disruptions.items()]
    rows = [(j, n) for j, n in rows if j["focal"]["revenue_change_band_usd"]]
    if not rows:
        return None
    j, _ = min(rows, key=lambda t: t[0]["focal"]["revenue_change_usd"])
    k = j["focal"]
    lo_usd, hi_usd = (v / 1e6 for v in k["revenue_change_band_usd"])
    mid = k["revenue_change_usd"] / 1e6
    if hi_usd < 0:
        interval = (0.95, 1.0)
    elif lo_usd > 0:
        interval = (0.0, 0.05)
    else:
        interval = (0.05, 0.95)
    title = j["scenarios"][0]["title"]
    claim = (f"Kazakhstan's transit revenue falls if this happens: {title[0].lower()}"
             f"{title[1:]} (change {rounded(mid, lo_usd, hi_usd)} US$ million a year, "
             f"5–95% band {rounded(lo_usd, lo_usd, hi_usd)} to {rounded(hi_usd, lo_usd, hi_usd)}"
             ").")
    evidence = ("min-cost allocation of China–Europe container demand, Monte Carlo over every "
                "uncertain route figure; probability bounded by the band")
    validated = None
    if backtest is not None:
        goal = backtest.to_json()["goal"]
        validated = bool(goal["met"])
        evidence += ("; back-test against observed changes: direction "
                     + ("right in every row" if goal["direction_right_in_every_row"]
                        else "wrong in some rows")
                     + f", {goal['headline_within_50pct']} of {goal['headline_rows']} headline "
                     f"changes within ±50% (goal {'met' if validated else 'not met'})")
    return _judge(claim, None, interval, evidence, "mixed", anchor, validated)


def bargaining_judgement(result: Any, anchor: str = "q-bargaining") -> Judgement | None:
    """The settlement lies in the upper half of the issue's scale: share of Monte Carlo runs
    whose median position ends there, with its Wilson interval."""
    j = result.to_json()
    mc = j["monte_carlo"]
    if not mc:
        return None
    medians = [m for m in mc["per_run"]["median"] if m == m]
    if not medians:
        return None
    scale = j["input"]["meta"]["scale"]
    k = sum(m > 50 for m in medians)
    n = len(medians)
    lo, hi = wilson(k, n)
    q = mc["median"]
    high = str(scale["high_means"]).split(":")[0].removeprefix("100 = ")
    claim = (f"The contested issue ({scale['unit']}) settles in the upper half of its scale, "
             f"toward {high} (median settlement {rounded(q['p50'], q['p05'], q['p95'])}, "
             f"5–95% {rounded(q['p05'], q['p05'], q['p95'])} to "
             f"{rounded(q['p95'], q['p05'], q['p95'])}).")
    evidence = (f"{k} of {n} Monte Carlo runs of the expected-utility model over the input "
                "ranges; 95% Wilson interval")
    return _judge(claim, k / n, (lo, hi), evidence, "assumption", anchor)


def balance_judgement(cb: Mapping[str, Any] | None, anchor: str) -> Judgement | None:
    """The country stays in its balance class (balanced / leaning / aligned): a 5–95% band
    inside the class means a probability of at least 90%; a band across a class boundary
    leaves 5–95%."""
    if not cb or not cb.get("overall") or cb["overall"].get("value") is None:
        return None
    from tightrope.exposure.world import band_class

    o = cb["overall"]
    v, (lo, hi) = o["value"], o["band"]
    cls = o.get("class") or band_class(v)
    low_cls, high_cls = band_class(lo), band_class(hi)
    if low_cls != high_cls and low_cls and high_cls:
        # the band crosses a class edge: the claim names the classes the band covers, which
        # hold at least 90% of the draws, instead of one class at an uninformative 5-95%
        cls = f"{low_cls} or {high_cls}" if _adjacent(low_cls, high_cls) else \
            f"anywhere from {low_cls} to {high_cls}"
    interval = (0.9, 1.0)
    claim = (f"{cb['name']} was {cls} between the West, Russia and China in the 2010s "
             f"(hedging index {rounded(v, lo, hi)}, 5–95% band {rounded(lo, lo, hi)} to "
             f"{rounded(hi, lo, hi)}, 1 = strong, even ties to two rival camps).")
    evidence = ("hedging index over camps from UN votes of 2010-2019, alliances, memberships "
                "and trade of the 2010s; probability bounded by the band; the index has no "
                "out-of-sample validation against published classifications of hedging and "
                "aligned states")
    return _judge(claim, None, interval, evidence, "data", anchor, validated=False)


def _adjacent(a: str, b: str) -> bool:
    order = ["aligned", "leaning", "balanced"]
    return a in order and b in order and abs(order.index(a) - order.index(b)) == 1


def judgements_html(js: Sequence[Judgement], toc: str = "") -> str:
    """The key-judgements section: one item per judgement, then the table of contents."""
    if not js:
        items = ("<p class='unknown'>No key judgement could be formed: no section of this "
                 "run produced a probability.</p>")
    else:
        items = "<ol class='kj'>" + "".join(
            f"<li><b>{esc(x.likelihood.capitalize())}</b> ({esc(x.probability_text)}): "
            f"{esc(x.claim)} <span class='note'>{esc(x.confidence.text().capitalize())}. "
            f"Evidence: {esc(x.evidence)}; <a href='#{esc(x.anchor)}'>see the section</a>."
            "</span></li>" for x in js) + "</ol>"
    scale = "; ".join(f"{w} {lo:.0%}–{hi:.0%}" for w, lo, hi in _scale())
    return ("<section id='key-judgements'><h2 id='key-judgements-h'>Key judgements</h2>"
            + items + f"<p class='note'>Likelihood words: {esc(ICD203_CITATION)} ({esc(scale)})."
            " A word names the classes the whole interval falls in; a phrase 'A to B' means the "
            "interval spans those classes. Confidence starts high and drops one level for an "
            "interval spanning two classes (two for three or more), for evidence resting partly "
            "on assumptions (two when only on assumptions), and for a method that missed its "
            "validation goal.</p>" + toc + "</section>")


def judgements_markdown(js: Sequence[Judgement]) -> list[str]:
    lines = ["## Key judgements", ""]
    lines += [f"{i}. **{x.likelihood.capitalize()}** ({x.probability_text}): {x.claim} "
              f"{x.confidence.text().capitalize()}. Evidence: {x.evidence}; see "
              f"[the section](#{x.anchor})." for i, x in enumerate(js, 1)]
    return [*lines, "", f"Likelihood words: {ICD203_CITATION}.", ""]


def _scale() -> tuple[tuple[str, float, float], ...]:
    from tightrope.report.likelihood import ICD203

    return ICD203


def slug(text: str) -> str:
    """The anchor id :func:`with_heading_ids` gives a heading with this text."""
    import html

    return re.sub(r"[^a-z0-9]+", "-", html.unescape(text).lower()).strip("-") or "section"


_H2 = re.compile(r"<h2(\s[^>]*)?>(.*?)</h2>", re.S)


def with_heading_ids(sections: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Give every <h2> of the sections an id (kept when present) and return the sections and
    the (id, heading text) pairs in order, for a table of contents."""
    seen: set[str] = set()
    toc: list[tuple[str, str]] = []

    def fix(m: re.Match[str]) -> str:
        attrs, inner = m.group(1) or "", m.group(2)
        text = re.sub(r"<[^>]+>", "", inner).strip()
        found = re.search(r"id=['\"]([^'\"]+)['\"]", attrs)
        hid = found.group(1) if found else slug(text)
        base, i = hid, 2
        while hid in seen and not found:
            hid, i = f"{base}-{i}", i + 1
        seen.add(hid)
        toc.append((hid, text))
        return m.group(0) if found else f"<h2 id='{hid}'{attrs}>{inner}</h2>"

    return [_H2.sub(fix, s) for s in sections], toc


def toc_html(entries: Sequence[tuple[str, str]]) -> str:
    import html

    return ("<nav class='toc'><h3>Contents</h3><ul>" + "".join(
        f"<li><a href='#{esc(i)}'>{esc(html.unescape(t))}</a></li>" for i, t in entries)
        + "</ul></nav>")
