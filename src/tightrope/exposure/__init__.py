"""Exposure: dependence matrix, multi-vector balance index, threat ring, op-ed claims."""

from tightrope.exposure.balance import balance_index, balance_index_batch, shares
from tightrope.exposure.config import CHANNELS, ExposureSettings, default_powers
from tightrope.exposure.service import (
    EXPOSURE_SCHEMA,
    ExposureResult,
    exposure_profile,
    leverage_for_scenario,
    leverage_shares,
)

__all__ = [
    "CHANNELS",
    "EXPOSURE_SCHEMA",
    "ExposureResult",
    "ExposureSettings",
    "balance_index",
    "balance_index_batch",
    "default_powers",
    "exposure_profile",
    "leverage_for_scenario",
    "leverage_shares",
    "shares",
]
