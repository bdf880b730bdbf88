"""Rendering of results: HTML, Markdown and PNG. Consumes result objects only."""

#: Nothing is re-exported: import the sub-module you need (tightrope.report.<module>).
__all__: list[str] = []
