"""A country's geopolitical profile, assembled from the store with every figure's source."""

from tightrope.profile.service import PROFILE_SCHEMA, Profile, build_profile

__all__ = ["PROFILE_SCHEMA", "Profile", "build_profile"]
