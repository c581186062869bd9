"""Bundled journey stage sets (YAML), read through importlib.resources."""
