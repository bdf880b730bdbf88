"""The embedded DuckDB store: schema, transactional loads, queries."""

from tightrope.store.db import Store, default_db_path, open_store
from tightrope.store.load import LoadSummary, load_world

__all__ = ["LoadSummary", "Store", "default_db_path", "load_world", "open_store"]
