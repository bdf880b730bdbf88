"""The world model: frozen, validated value objects. No I/O, no heavy imports."""

from tightrope.world.model import (
    CHANNELS,
    MEMBERSHIP_KINDS,
    Bloc,
    Border,
    Country,
    EthnicGroup,
    Event,
    Membership,
    Resource,
    Sea,
    Tie,
    TradePartner,
    check_iso3,
)

__all__ = [
    "CHANNELS",
    "MEMBERSHIP_KINDS",
    "Bloc",
    "Border",
    "Country",
    "EthnicGroup",
    "Event",
    "Membership",
    "Resource",
    "Sea",
    "Tie",
    "TradePartner",
    "check_iso3",
]

from tightrope._entry import make_callable

# calling the package, ``tightrope.world(...)``, calls :func:`tightrope.api.world`
make_callable(__name__)
