"""The Kazakhstan briefing (``tightrope demo``): runs every capability on the shipped data and
collects the results and a manifest. Rendering lives in :mod:`tightrope.report.briefing`."""

from tightrope.briefing.run import Briefing, BriefingSettings, run_briefing

__all__ = ["Briefing", "BriefingSettings", "run_briefing"]
