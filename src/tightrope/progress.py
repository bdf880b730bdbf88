"""The one progress-callback signature, and a helper that joins consecutive stages.

Every long computation takes ``progress: Progress | None`` and calls
``progress(done, total, message)``: ``0 <= done <= total``, ``total`` fixed for the run,
``done`` never decreasing, and ``done == total`` only once all of the work is finished — so
``done / total`` is a true fraction for a progress bar or the dashboard. ``message`` names the
current stage for a person to read.

A computation made of stages (the robust study: experiments, search, Sobol') reports through
:class:`Stages`, which maps each stage's own ``done/total`` onto one overall scale, each stage
weighted by its share of the work.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

__all__ = ["Progress", "Stages"]


class Progress(Protocol):
    """Progress callback: ``done`` of ``total`` units of work are finished (see the module)."""

    def __call__(self, done: int, total: int, message: str = "", /) -> None: ...


class Stages:
    """Consecutive stages reported as one run: ``Stages(progress, {"a": 3, "b": 1})`` gives
    ``stage("a")`` the first 3/4 of the scale and ``stage("b")`` the last quarter.

    Weights are the stages' shares of the work (e.g. trajectories to simulate); a stage of
    weight 0 is not run (its callback is ``None``). The overall total is :attr:`SCALE`. The
    reported ``done`` never decreases and reaches the total only when the last stage that runs
    reports ``done == total``.

    >>> seen = []
    >>> st = Stages(lambda d, t, m="": seen.append((d, t, m)), {"a": 3, "b": 1})
    >>> st.stage("a")(1, 2); st.stage("a")(2, 2); st.stage("b")(1, 1)
    >>> seen
    [(375, 1000, 'a'), (750, 1000, 'a'), (1000, 1000, 'b')]
    """

    SCALE = 1000

    def __init__(self, progress: Progress | None, weights: Mapping[str, float]) -> None:
        if not weights or any(not w >= 0 for w in weights.values()) or not sum(
                weights.values()) > 0:
            raise ValueError(f"stage weights must be >= 0 with a positive sum, got {weights}")
        self._progress = progress
        total = float(sum(weights.values()))
        self._span: dict[str, tuple[float, float]] = {}
        start = 0.0
        for name, w in weights.items():
            self._span[name] = (start, start + w / total)
            start += w / total
        self._last = [k for k, w in weights.items() if w > 0][-1]
        self._done = 0

    def stage(self, name: str) -> Progress | None:
        """The callback for stage ``name`` (``None`` when nobody listens)."""
        progress = self._progress
        lo, hi = self._span[name]
        if progress is None or hi <= lo:
            return None
        final = name == self._last

        def report(done: int, total: int, message: str = "") -> None:
            frac = min(max(done / total, 0.0), 1.0) if total > 0 else 1.0
            if final and frac >= 1.0:
                at = self.SCALE
            else:  # only the last stage's end is the end of the run
                at = min(int(self.SCALE * (lo + (hi - lo) * frac)), self.SCALE - 1)
            self._done = max(self._done, at)
            progress(self._done, self.SCALE, message or name)

        return report
