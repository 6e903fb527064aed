"""Persistence: mapped classes, engine and session factory, migrations."""
from .db import Database, resolve_url
from .migrate import SchemaError

__all__ = ["Database", "SchemaError", "resolve_url"]
