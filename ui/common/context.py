"""What a workspace is given: the database, who is signed in, where, and the
shared live event feed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the sign-in window shows before the database layer is imported
    from hall.services import Actor
    from hall.services.database import Database
    from ui.common.live import EventFeed


@dataclass
class Workstation:
    """This computer's place in the hall (a QSettings value, see ``ui.common.settings``)."""

    window_code: str | None = None   # the service window this computer is, if any
    room_code: str | None = None     # the mediation room, if any
    printer: str | None = None       # printer name; None = ask / save as PDF


@dataclass
class AppContext:
    db: Database
    actor: Actor
    feed: EventFeed
    workstation: Workstation = field(default_factory=Workstation)
