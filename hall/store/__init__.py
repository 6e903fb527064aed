"""Persistence: mapped classes, engine and session factory, migrations."""
from .db import Database, SchemaError, resolve_url

__all__ = ["Database", "SchemaError", "resolve_url"]
