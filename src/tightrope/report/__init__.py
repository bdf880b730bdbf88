"""Rendering of results: HTML, Markdown and PNG. Consumes result objects only."""
