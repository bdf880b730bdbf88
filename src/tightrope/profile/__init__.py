"""A country's geopolitical profile, assembled from the store with every figure's source."""

from tightrope.profile.service import PROFILE_SCHEMA, Profile, build_profile

__all__ = ["PROFILE_SCHEMA", "Profile", "build_profile"]

from tightrope._entry import make_callable

# calling the package, ``tightrope.profile(...)``, calls :func:`tightrope.api.profile`
make_callable(__name__)
