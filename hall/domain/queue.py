"""Queue rules: ticket numbers, business days, priorities and who is called next.

Everything here is pure. ``hall.services.queue`` stores the result of these
rules (the ticket's ``queue_key``) so the database can order the queue with an
index; :func:`pick_next` is the same rule in plain Python, used as the model
the database implementation is tested against.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .clock import local_day


class TicketStatus(str, enum.Enum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.ON_HOLD)


STATUS_LABELS = {
    TicketStatus.WAITING: "等候中",
    TicketStatus.CALLED: "已叫号",
    TicketStatus.SERVING: "办理中",
    TicketStatus.FINISHED: "已办结",
    TicketStatus.NO_SHOW: "过号",
    TicketStatus.TRANSFERRED: "已转移",
    TicketStatus.CANCELLED: "已取消",
    TicketStatus.EXPIRED: "已失效",
    TicketStatus.ON_HOLD: "已挂起",
}


class PriorityReason(str, enum.Enum):
    PREGNANT = "pregnant"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    VETERAN = "veteran"
    DISTRESSED = "distressed"
    APPOINTMENT = "appointment"

    @property
    def label(self) -> str:
        return PRIORITY_LABELS[self]


PRIORITY_LABELS = {
    PriorityReason.PREGNANT: "孕妇",
    PriorityReason.ELDERLY: "70岁以上老人",
    PriorityReason.DISABLED: "残疾人",
    PriorityReason.VETERAN: "退役军人",
    PriorityReason.DISTRESSED: "情绪激动/需安抚",
    PriorityReason.APPOINTMENT: "预约",
}

#: Default weight of each reason, in minutes of waiting it is worth. A centre
#: may override these per service (``services.priority_weights``).
DEFAULT_PRIORITY_WEIGHTS: dict[PriorityReason, int] = {
    PriorityReason.PREGNANT: 60,
    PriorityReason.ELDERLY: 45,
    PriorityReason.DISABLED: 60,
    PriorityReason.VETERAN: 30,
    PriorityReason.DISTRESSED: 60,
    PriorityReason.APPOINTMENT: 40,
}

#: After this many priority calls in a row at one window, the window calls an
#: ordinary visitor if one waits, so ordinary visitors are never starved.
DEFAULT_PRIORITY_CAP = 3

#: Minutes of waiting a ticket "loses" for each step down a window's order of
#: preference: a window serves its own service first, others when they wait long.
DEFAULT_RANK_PENALTY_MINUTES = 10

ELDERLY_AGE = 70


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str


#: How a visit at a window ended (``finish --outcome``).
OUTCOMES: dict[str, Outcome] = {o.code: o for o in (
    Outcome("resolved", "当场办结"),
    Outcome("consulted", "咨询解答"),
    Outcome("case_opened", "登记立案（转调解）"),
    Outcome("referred", "转交职能部门"),
    Outcome("arbitration", "引导申请劳动仲裁"),
    Outcome("litigation", "引导诉讼"),
    Outcome("materials_missing", "材料不全，告知补正"),
    Outcome("other", "其他"),
)}
DEFAULT_OUTCOME = "resolved"


def format_ticket_number(prefix: str, seq: int) -> str:
    """``("L", 7)`` -> ``"L007"``. Past 999 the number simply grows (``L1000``)."""
    if seq < 1:
        raise ValueError("ticket sequence starts at 1")
    return f"{prefix}{seq:03d}"


def business_day(now: dt.datetime, *, carry_over: bool = False,
                 oldest_waiting_day: dt.date | None = None) -> dt.date:
    """The day whose numbering a new ticket joins.

    Normally the Asia/Shanghai calendar day: numbering restarts at 001 at local
    midnight and yesterday's waiting tickets are no longer called. A service
    that carries its queue over night keeps numbering on the day of its oldest
    still-waiting ticket, so a number is never on the board twice; it starts
    a new day once that queue has emptied.
    """
    today = local_day(now)
    if carry_over and oldest_waiting_day is not None and oldest_waiting_day < today:
        return oldest_waiting_day
    return today


def callable_day(ticket_day: dt.date, today: dt.date, carry_over: bool) -> bool:
    """Whether a waiting ticket issued on ``ticket_day`` may still be called."""
    return carry_over or ticket_day >= today


def queue_key(issued_at: dt.datetime, weight_minutes: int) -> int:
    """The stored ordering key: arrival in seconds, moved forward by the weight.

    Ordering by ``weight + minutes waited`` (highest first) is the same as
    ordering by ``issued - weight`` (lowest first), and the latter does not
    change as time passes, so it can be stored and indexed.
    """
    return int(issued_at.timestamp()) - int(weight_minutes) * 60


def weight_for(reason: PriorityReason | None,
               overrides: Mapping[str, int] | None = None) -> int:
    if reason is None:
        return 0
    if overrides and reason.value in overrides:
        return int(overrides[reason.value])
    return DEFAULT_PRIORITY_WEIGHTS[reason]


#: The call rule for booked visitors, as the front desk, the admin and the
#: engine say it (:func:`pick_next`).
BOOKED_CALL_RULE = ("按时签到的预约者在该业务的下一个空闲窗口优先叫号；"
                    "若有孕妇、老人、残疾人等法定优先者在等候，先叫法定优先者")


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as the call rule sees it. ``has_priority``: any
    priority weight (a statutory reason or a booking); ``booked``: an on-time
    booked visitor (the ``appointment`` reason). A ticket put on hold
    (挂起: the visitor went to fetch a document) keeps its key and priority
    but is never called until it is taken off hold."""

    ticket_id: int
    service_code: str
    queue_key: int
    has_priority: bool
    booked: bool = False
    held: bool = False

    @property
    def statutory(self) -> bool:
        return self.has_priority and not self.booked


def call_order_key(c: Candidate, ranks: Mapping[str, int], rank_penalty_minutes: int) -> tuple[int, int]:
    return (c.queue_key + ranks[c.service_code] * rank_penalty_minutes * 60, c.ticket_id)


def pick_next(candidates: Iterable[Candidate], ranks: Mapping[str, int], *,
              consecutive_priority: int, cap: int = DEFAULT_PRIORITY_CAP,
              rank_penalty_minutes: int = DEFAULT_RANK_PENALTY_MINUTES) -> Candidate | None:
    """Who a window with service preference ``ranks`` calls next.

    While an on-time booked visitor waits for a service of this window, the
    window calls a statutory-priority visitor if one waits for it, else the
    booked visitor (:data:`BOOKED_CALL_RULE`; each group by the order below).
    Otherwise: best score first (priority weight + waiting time − rank
    penalty), ties by arrival; once the window has made ``cap`` priority calls
    in a row, an ordinary visitor is called first if any waits. Held tickets
    are skipped.
    """
    pool = [c for c in candidates if c.service_code in ranks and not c.held]
    if not pool:
        return None
    booked = [c for c in pool if c.booked]
    if booked:
        statutory = [c for c in pool if c.statutory]
        return min(statutory or booked, key=lambda c: call_order_key(c, ranks, rank_penalty_minutes))
    if cap > 0 and consecutive_priority >= cap:
        ordinary = [c for c in pool if not c.has_priority]
        if ordinary:
            pool = ordinary
    return min(pool, key=lambda c: call_order_key(c, ranks, rank_penalty_minutes))


def next_consecutive_priority(previous: int, called_has_priority: bool) -> int:
    return previous + 1 if called_has_priority else 0


def call_order(candidates: Iterable[Candidate], ranks: Mapping[str, int], *,
               consecutive_priority: int, cap: int = DEFAULT_PRIORITY_CAP,
               rank_penalty_minutes: int = DEFAULT_RANK_PENALTY_MINUTES,
               limit: int | None = None) -> list[Candidate]:
    """The order a window would call these tickets in if nobody else arrived:
    :func:`pick_next` again and again, the priority cap included (held
    tickets are not in it)."""
    pool = [c for c in candidates if c.service_code in ranks and not c.held]
    out: list[Candidate] = []
    streak = consecutive_priority
    while pool and (limit is None or len(out) < limit):
        c = pick_next(pool, ranks, consecutive_priority=streak, cap=cap,
                      rank_penalty_minutes=rank_penalty_minutes)
        if c is None:
            break
        out.append(c)
        pool.remove(c)
        streak = next_consecutive_priority(streak, c.has_priority)
    return out


def priority_from_age(birth_date: dt.date | None, today: dt.date) -> PriorityReason | None:
    """Suggest the elderly priority from an ID card's birth date (70+)."""
    if birth_date is None:
        return None
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return PriorityReason.ELDERLY if age >= ELDERLY_AGE else None


def ranks_from_order(service_codes: Sequence[str]) -> dict[str, int]:
    return {code: i for i, code in enumerate(service_codes)}
