"""Every mapped module, imported once so ``Base.metadata`` knows all tables.

A new module of mapped classes (one per area of the hall) adds its import
here; Alembic's environment and the tests read the metadata through this.
"""
from . import (
    arbitration_models,  # noqa: F401  labour arbitration, petitions
    case_models,  # noqa: F401  people's mediation: cases, sessions, agreements, documents
    centre_models,  # noqa: F401  window hours, appointments, satisfaction ratings
    models,  # noqa: F401  queue, users, events, audit, tracked deadlines
    report_models,  # noqa: F401  frozen monthly figures
    status_models,  # noqa: F401  public status tokens, wait estimates, notices
    whistle_models,  # noqa: F401  departments, grid/12345 intake, whistles, summons
)
from .models import Base

__all__ = ["Base"]
