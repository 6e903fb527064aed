"""Plain read-only results that services hand to the UI and the CLI.

No ORM object ever leaves ``hall.services``: widgets hold these dataclasses.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import Field, asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar


def _jsonable(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class JsonView:
    """The base of the views, every one of them a dataclass."""

    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def to_json(self) -> dict:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class TicketView(JsonView):
    id: int
    number: str
    service: str            # service code
    service_name: str
    status: str
    business_day: dt.date
    issued_at: dt.datetime
    priority_reason: str | None = None
    priority_label: str | None = None
    window: str | None = None  # window code
    window_name: str | None = None
    window_number: int | None = None
    called_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    outcome: str | None = None
    recall_count: int = 0
    ahead: int | None = None
    masked_name: str = ""
    visitor_id: int | None = None
    visitor_name: str = ""        # staff surfaces only, never the board
    transferred_from: int | None = None
    transferred_to: int | None = None
    status_url: str | None = None  # the visitor's status page (only when just issued)
    wait_text: str | None = None   # "约 15–25 分钟" (only when just issued)
    held_at: dt.datetime | None = None   # 挂起: since when (staff surfaces only)
    hold_reason: str | None = None


@dataclass(frozen=True)
class ServiceQueue(JsonView):
    code: str
    name: str
    prefix: str
    waiting: int
    oldest_issued_at: dt.datetime | None
    #: Whether tickets of this service are issued now: some window that serves
    #: it is in season and not closed by its weekly hours today.
    offered: bool = True
    closed_reason: str = ""


@dataclass(frozen=True)
class WindowView(JsonView):
    code: str
    number: int
    name: str
    state: str
    services: tuple[str, ...]
    in_season: bool
    current: TicketView | None = None
    #: Why the window takes no tickets today (out of season, not its day,
    #: today's hours over), empty while it does.
    closed_reason: str = ""
    area: str = ""


@dataclass(frozen=True)
class QueueSnapshot(JsonView):
    at: dt.datetime
    services: list[ServiceQueue] = field(default_factory=list)
    windows: list[WindowView] = field(default_factory=list)

    @property
    def waiting_total(self) -> int:
        return sum(s.waiting for s in self.services)


@dataclass(frozen=True)
class EventView(JsonView):
    id: int
    at: dt.datetime
    kind: str
    payload: dict
    workstation: str = ""
