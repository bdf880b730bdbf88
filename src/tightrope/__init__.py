"""Tightrope: decision support for the foreign policy of a middle power between great powers."""

__version__ = "0.1.0"

__all__ = ["__version__"]
