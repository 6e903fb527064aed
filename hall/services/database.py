"""The database as the interface sees it: open it, name it, tell its failures apart.

The interface never imports SQLAlchemy or ``hall.store`` (an import contract
checks it); what it needs of them is here: the :class:`Database` handle, the
address variable, the address fit to show (never the password), the address
of the notification connection, and the exception classes a workstation
tells apart (the server cannot be reached, the address is malformed, the
database refused).
"""
from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from hall.store.db import ENV_URL, Database
from hall.store.migrate import SchemaError

__all__ = ["ENV_URL", "BadAddress", "Database", "DatabaseError", "SchemaError", "Unreachable",
           "listen_address", "shown_url"]

#: The server cannot be reached, or refused the connection or the statement for
#: a reason of its own (network, busy, shut down): worth retrying later.
Unreachable = OperationalError
#: Any other error the database layer raised.
DatabaseError = SQLAlchemyError
#: The address cannot be read, or names a driver that is not installed.
BadAddress = (ArgumentError, NoSuchModuleError)


def shown_url(url: str) -> str:
    """A database address fit to show: never the password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def listen_address(url: str) -> str:
    """The libpq address of a PostgreSQL database ``url`` (whatever its driver), password included."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
