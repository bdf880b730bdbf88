"""Helpers for figure tests: perceptual colour distance and (colour, dash) pairs of traces."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from matplotlib.colors import to_rgb


def _lab(colour: str) -> tuple[float, float, float]:
    rgb = [((v + 0.055) / 1.055) ** 2.4 if v > 0.04045 else v / 12.92 for v in to_rgb(colour)]
    m = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
    xyz = [sum(m[i][j] * rgb[j] for j in range(3)) for i in range(3)]
    white = (0.95047, 1.0, 1.08883)
    f = [(t / w) ** (1 / 3) if t / w > 0.008856 else 7.787 * t / w + 16 / 116
         for t, w in zip(xyz, white, strict=True)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference (about 2.3 is just noticeable; below ~30 reads as 'the same
    hue' in a small line legend)."""
    return float(sum((x - y) ** 2 for x, y in zip(_lab(a), _lab(b), strict=True)) ** 0.5)


def assert_distinguishable(styles: Sequence[tuple[str, str]], min_delta_e: float = 35.0) -> None:
    """Every two series differ in line style, or in colour by at least ``min_delta_e``."""
    assert len(styles) > 1
    assert len(set(styles)) == len(styles), styles
    for (c1, d1), (c2, d2) in itertools.combinations(styles, 2):
        assert d1 != d2 or delta_e(c1, c2) >= min_delta_e, (c1, d1, c2, d2)
