"""Readers, one module per source, turning raw files into validated world records."""
