"""The command line: one thin sub-command module per capability."""

#: Nothing is re-exported: import the sub-module you need (tightrope.cli.<module>).
__all__: list[str] = []
