"""Shipped data files, each folder with a SOURCE note."""

#: Nothing is re-exported: the files are read with importlib.resources.
__all__: list[str] = []
