"""Readers, one module per source, turning raw files into validated world records."""

#: Nothing is re-exported: import the sub-module you need (tightrope.ingest.<module>).
__all__: list[str] = []
