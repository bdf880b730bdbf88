"""Settings of an exposure analysis: the powers, channel weights and the assumptions it uses.

Every weight below is a modelling assumption (not data): it carries a central value and a range
that the Monte Carlo band samples from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from tightrope.errors import ParameterError
from tightrope.limits import DEFAULT_SEED
from tightrope.provenance import Assumption

__all__ = [
    "CHANNELS",
    "DEFAULT_POWERS",
    "GENERIC_POWERS",
    "ExposureSettings",
    "default_powers",
]

#: Channels of the dependence matrix, in display order.
CHANNELS: Final = (
    "trade",
    "investment",
    "energy",
    "security",
    "society",
    "institutions",
    "alignment",
)

#: Default powers per focal country (bloc codes: EUU = European Union, GCC = Gulf states).
DEFAULT_POWERS: Final[dict[str, tuple[str, ...]]] = {
    "KAZ": ("RUS", "CHN", "EUU", "USA", "TUR", "IRN"),
    "JOR": ("USA", "GCC", "EUU", "ISR", "IRN", "CHN", "RUS"),
}
#: Powers used for any other country.
GENERIC_POWERS: Final = ("USA", "CHN", "RUS", "EUU")


def default_powers(iso3: str) -> tuple[str, ...]:
    """The default powers for a focal country, never including the country itself."""
    powers = DEFAULT_POWERS.get(iso3, GENERIC_POWERS)
    return tuple(p for p in powers if p != iso3)


def _w(value: float, low: float, high: float, why: str) -> Assumption:
    return Assumption(value, low, high, "weight", why)


def _channel_weights() -> dict[str, Assumption]:
    why = "channels count equally unless the analyst says otherwise; range ±50%"
    return {c: _w(1.0, 0.5, 1.5, why) for c in CHANNELS}


def _security_weights() -> dict[str, Assumption]:
    return {
        "defence_pact": _w(0.35, 0.2, 0.5, "a treaty obligation to defend is the strongest "
                           "security tie (ATOP defence clause)"),
        "security_orgs": _w(0.25, 0.1, 0.4, "shared security organisations (CSTO, SCO, NATO "
                            "partnership, OSCE) bind less than a pact"),
        "forces_on_territory": _w(0.25, 0.1, 0.4, "the power's troops or leased military "
                                  "territory on the focal country's soil"),
        "security_aid": _w(0.15, 0.05, 0.3, "military financing from the power"),
    }


def _institution_weights() -> dict[str, Assumption]:
    return {
        "security": _w(3.0, 2.0, 4.0, "security organisations bind members most"),
        "economic": _w(2.0, 1.0, 3.0, "economic unions and banks set rules and money flows"),
        "political": _w(1.0, 0.5, 1.5, "political fora carry voice, little obligation"),
        "cultural": _w(1.0, 0.5, 1.5, "cultural organisations carry identity, no obligation"),
    }


def _society_weights() -> dict[str, Assumption]:
    return {
        "ethnic_kin": _w(1.0, 0.5, 1.5, "a kin minority is a lever for the power"),
        "language": _w(1.0, 0.5, 1.5, "the power's language understood or official"),
        "cultural_tie": _w(0.5, 0.0, 1.0, "curated cultural ties (script, shared organisations "
                           "of language and culture)"),
    }


@dataclass(frozen=True)
class ExposureSettings:
    """One validated, frozen settings object for an exposure analysis."""

    powers: tuple[str, ...] | None = None  # None: default_powers(focal)
    channel_weights: dict[str, Assumption] = field(default_factory=_channel_weights)
    security_weights: dict[str, Assumption] = field(default_factory=_security_weights)
    institution_weights: dict[str, Assumption] = field(default_factory=_institution_weights)
    society_weights: dict[str, Assumption] = field(default_factory=_society_weights)
    #: Kin-minority share at which the ethnic-kin component saturates at 1.
    kin_saturation: Assumption = field(default_factory=lambda: Assumption(
        0.2, 0.1, 0.3, "share", "a fifth of the population sharing the power's ethnicity "
        "gives it full leverage; range 10-30%"))
    #: Years of UN General Assembly votes averaged for diplomatic alignment (inclusive).
    alignment_years: tuple[int, int] = (2015, 2019)
    runs: int = 2000
    seed: int = DEFAULT_SEED  # the one default seed of every command (docs/cli.md)

    def __post_init__(self) -> None:
        unknown = set(self.channel_weights) - set(CHANNELS)
        if unknown:
            raise ParameterError("channel_weights", sorted(unknown),
                                 "channels among " + ", ".join(CHANNELS))
        if self.runs < 1:
            raise ParameterError("runs", self.runs, "a whole number >= 1")
        if self.alignment_years[0] > self.alignment_years[1]:
            raise ParameterError("alignment_years", self.alignment_years,
                                 "a first year no later than the last")
