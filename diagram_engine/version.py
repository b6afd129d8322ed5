"""The engine's version (one place: the package, the records, the manifest and pyproject read it)."""
__version__ = "0.1.0"
