"""一案一码: public status tokens, the visitor's status page, the wait range.

A token is 128 random bits handed to the visitor once (the QR on the ticket,
the code on a document); only its SHA-256 is stored. The status page shows
masked data only: never a name, an ID or phone number, nor any fact of the
dispute (信访工作条例 Art. 18, 21: the petitioner can query progress and
results).

The wait range is :mod:`hall.domain.forecast` run on the hall as it stands.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import secrets
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Select, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from hall.domain import forecast
from hall.domain.clock import as_utc, local_day, to_local
from hall.domain.queue import Candidate, TicketStatus
from hall.store.db import Database
from hall.store.models import Service, Setting, Ticket, TrackedDeadline, Window, WindowService
from hall.store.status_models import PublicToken, TicketEstimate

from .base import Actor, InvalidInput, NotFound, UnitOfWork, get_setting, put_setting, unit_of_work
from .views import JsonView

S = TicketStatus

ENABLED_KEY = "status.enabled"
BASE_URL_KEY = "status.base_url"
NEAR_KEY = "notify.near_ahead"
DEFAULT_NEAR = 3
DEFAULT_BASE_URL = "http://hall.lan:8080"

SUBJECT_TYPES = {"ticket": "ticket.issue", "case": "case.register",
                 "arbitration": "arbitration.register", "petition": "petition.register"}

#: How far back finished visits feed the service-time distributions.
HISTORY_DAYS = 28
#: Simulated runs for the range printed at issue: enough for a 20–80 % range
#: rounded to five minutes, few enough that four front desks issuing at once
#: stay fast on a small machine.
ISSUE_RUNS = 40
HISTORY_LIMIT = 20_000
_TIMES_TTL_S = 600.0


# ------------------------------------------------------------------ tokens
def new_token() -> str:
    """128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def mint_token(uow: UnitOfWork, subject_type: str, subject_id: int, *, replace: bool = True,
               token: str | None = None) -> str:
    """A fresh token for the subject inside the caller's transaction; an older
    one stops working (a re-printed slip replaces the lost one). ``replace``
    false: the subject keeps its other tokens (a new subject, or one more
    document handed to a party). ``token``: one drawn already with
    :func:`new_token` and printed on the document being registered."""
    if replace:
        uow.s.execute(update(PublicToken).where(
            PublicToken.subject_type == subject_type, PublicToken.subject_id == subject_id,
            PublicToken.active.is_(True)).values(active=False))
    token = token or new_token()
    uow.s.execute(_TOKEN_INSERT, dict(token_hash=hash_token(token), subject_type=subject_type,
                                      subject_id=subject_id, created_at=uow.now, active=True))
    return token


# Core inserts built once (every ticket issued writes both rows): no ORM
# object to track and flush at commit.
_TOKEN_INSERT = insert(cast(Table, PublicToken.__table__))
_ESTIMATE_INSERT = insert(cast(Table, TicketEstimate.__table__))


def issue_public_token(db: Database, actor: Actor, subject_type: str, subject_id: int) -> str:
    """Hand a visitor (or party) a new status code for a ticket, case,
    arbitration case or petition; the previous code of that subject stops working."""
    if not any(actor.may(p) for p in SUBJECT_TYPES.values()):  # before looking at the input
        actor.require(SUBJECT_TYPES["ticket"])
    if subject_type not in SUBJECT_TYPES:
        raise InvalidInput(f"未知的查询对象：{subject_type}（可用：{'、'.join(SUBJECT_TYPES)}）")
    with unit_of_work(db, actor, SUBJECT_TYPES[subject_type]) as uow:
        if _subject_row(uow.s, subject_type, subject_id) is None:
            raise NotFound(f"没有编号为 {subject_id} 的{_SUBJECT_LABELS[subject_type]}")
        token = mint_token(uow, subject_type, subject_id)
        uow.audit("status.token", subject_type, subject_id)
        return token


_SUBJECT_LABELS = {"ticket": "排队号", "case": "调解案件", "arbitration": "仲裁案件", "petition": "信访事项"}


def _subject_row(s: Session, subject_type: str, subject_id: int):
    from hall.store.arbitration_models import ArbitrationCase, Petition
    from hall.store.case_models import Case

    model = {"ticket": Ticket, "case": Case, "arbitration": ArbitrationCase, "petition": Petition}[subject_type]
    return s.get(model, subject_id)


def status_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{token}"


_settings = cast(Table, Setting.__table__)
_SETTING = select(_settings.c.value).where(_settings.c.key == bindparam("key"))


def base_url(s: Session) -> str:
    return str(s.execute(_SETTING, {"key": BASE_URL_KEY}).scalar_one_or_none() or DEFAULT_BASE_URL)


def is_enabled(db: Database) -> bool:
    with db.read() as s:
        return bool(get_setting(s, ENABLED_KEY, True))


def set_enabled(db: Database, actor: Actor, enabled: bool) -> bool:
    """Turn the public status page on or off (the server answers 503 while off)."""
    with unit_of_work(db, actor, "centre.configure") as uow:
        put_setting(uow.s, ENABLED_KEY, bool(enabled))
        uow.audit("status.enabled" if enabled else "status.disabled", "setting", ENABLED_KEY)
        uow.event("centre.changed", what="status", code=ENABLED_KEY)
        return bool(enabled)


def set_base_url(db: Database, actor: Actor, url: str) -> str:
    """The address printed in the QR code (the status server as the visitors' phones reach it)."""
    actor.require("centre.configure")  # before looking at the input
    url = (url or "").strip().rstrip("/")
    if not (url.startswith("http://") or url.startswith("https://")) or " " in url:
        raise InvalidInput(f"查询地址应以 http:// 或 https:// 开头：{url or '（空）'}")
    with unit_of_work(db, actor, "centre.configure") as uow:
        put_setting(uow.s, BASE_URL_KEY, url)
        uow.audit("status.base_url", "setting", BASE_URL_KEY, url=url)
        return url


def set_near_threshold(db: Database, actor: Actor, ahead: int) -> int:
    """How many people ahead the "your turn is near" message goes out (0–20)."""
    if isinstance(ahead, bool) or not isinstance(ahead, int) or not 0 <= ahead <= 20:
        raise InvalidInput(f"“提前通知人数”应为 0 到 20 之间的整数，而不是 {ahead}")
    with unit_of_work(db, actor, "centre.configure") as uow:
        put_setting(uow.s, NEAR_KEY, ahead)
        uow.audit("status.near_ahead", "setting", NEAR_KEY, ahead=ahead)
        return ahead


def near_threshold_of(db: Database) -> int:
    with db.read() as s:
        return near_threshold(s)


def near_threshold(s: Session) -> int:
    try:
        return max(int(get_setting(s, NEAR_KEY, DEFAULT_NEAR)), 0)
    except (TypeError, ValueError):
        return DEFAULT_NEAR


# ---------------------------------------------------------------- forecast
_times_cache: dict[str, tuple[float, forecast.ServiceTimes]] = {}
_times_lock = threading.Lock()


def service_times(s: Session, now: dt.datetime, cache_key: str | None = None) -> forecast.ServiceTimes:
    """Service-time distributions from the last four weeks' finished visits
    (cached for ten minutes per database)."""
    if cache_key is not None:
        with _times_lock:
            hit = _times_cache.get(cache_key)
        if hit is not None and time.monotonic() - hit[0] < _TIMES_TTL_S:
            return hit[1]
    since = now - dt.timedelta(days=HISTORY_DAYS)
    rows = s.execute(select(Service.code, Ticket.started_at, Ticket.finished_at)
                     .join(Service, Service.id == Ticket.service_id)
                     .where(Ticket.status == S.FINISHED.value, Ticket.finished_at >= since,
                            Ticket.started_at.is_not(None))
                     .order_by(Ticket.finished_at.desc()).limit(HISTORY_LIMIT)).all()
    samples = []
    for code, started, finished in rows:
        started, finished = as_utc(started), as_utc(finished)
        samples.append((code, to_local(started).hour, (finished - started).total_seconds() / 60))
    times = forecast.service_times(samples)
    if cache_key is not None:
        with _times_lock:
            _times_cache[cache_key] = (time.monotonic(), times)
    return times


def forget_service_times(db: Database | None = None) -> None:
    with _times_lock:
        if db is None:
            _times_cache.clear()
        else:
            _times_cache.pop(db.url, None)


@dataclass(frozen=True)
class HallNow:
    candidates: list[Candidate]
    windows: list[forecast.WindowNow]
    times: forecast.ServiceTimes
    cap: int
    penalty: int
    local_minute: float
    service_of: dict[int, str] = field(default_factory=dict)


_t = cast(Table, Ticket.__table__)
_svc = cast(Table, Service.__table__)
_ws = cast(Table, WindowService.__table__)
_win = cast(Table, Window.__table__)


@functools.cache
def _hall_statements():
    """What :func:`hall_now` reads, as Core statements built once (it runs
    before every ticket issued): the callable tickets, the windows' services,
    the visits in progress, the open windows. Built on first use: the queue
    engine, whose rule for a callable ticket they use, imports this module."""
    from . import queue

    waiting = (select(_t.c.id, _svc.c.code, _t.c.queue_key, _t.c.priority_weight, _t.c.priority_reason)
               .select_from(_t.join(_svc, _svc.c.id == _t.c.service_id))
               .where(queue._callable_clause(bindparam("today"))))
    links = (select(_ws.c.window_id, _svc.c.code, _ws.c.rank)
             .select_from(_ws.join(_svc, _svc.c.id == _ws.c.service_id)).where(_svc.c.active.is_(True)))
    busy = (select(_t.c.window_id, _svc.c.code, _t.c.started_at, _t.c.called_at)
            .select_from(_t.join(_svc, _svc.c.id == _t.c.service_id))
            .where(_t.c.status.in_([S.CALLED.value, S.SERVING.value]), _t.c.window_id.is_not(None)))
    windows = (select(_win.c.id, _win.c.code, _win.c.season_start, _win.c.season_end, _win.c.consecutive_priority)
               .where(_win.c.active.is_(True), _win.c.state == "open"))
    return waiting, links, busy, windows


def hall_now(s: Session, now: dt.datetime, cache_key: str | None = None) -> HallNow:
    """The waiting tickets and the open windows, as the forecast needs them."""
    from . import queue

    waiting_stmt, links_stmt, busy_stmt, windows_stmt = _hall_statements()
    today = local_day(now)
    cap, penalty = queue._policy(s)
    rows = s.execute(waiting_stmt, {"today": today}).all()
    candidates = [Candidate(tid, code, key, (weight or 0) > 0, reason == "appointment")
                  for tid, code, key, weight, reason in rows]
    links: dict[int, dict[str, int]] = {}
    for wid, code, rank in s.execute(links_stmt).all():
        links.setdefault(wid, {})[code] = rank
    busy = {wid: (code, started, called) for wid, code, started, called in s.execute(busy_stmt).all()}
    windows = []
    for win in s.execute(windows_stmt).all():
        if win.season_start and not (win.season_start <= today <= (win.season_end or today)):
            continue
        b = busy.get(win.id)
        busy_service, elapsed = None, 0.0
        if b is not None:
            busy_service = b[0]
            since = b[1] or b[2]
            elapsed = max((now - as_utc(since)).total_seconds() / 60, 0.0) if since else 0.0
        windows.append(forecast.WindowNow(win.code, links.get(win.id, {}), busy_service, elapsed,
                                          win.consecutive_priority))
    local = to_local(now)
    return HallNow(candidates, windows, service_times(s, now, cache_key), cap, penalty,
                   local.hour * 60 + local.minute + local.second / 60,
                   {c.ticket_id: c.service_code for c in candidates})


def estimate_ticket(hall: HallNow, ticket_id: int, runs: int = forecast.DEFAULT_RUNS) -> forecast.Estimate | None:
    if ticket_id not in hall.service_of:
        return None
    return forecast.estimate_wait(hall.candidates, hall.windows, hall.times, ticket_id,
                                  local_minute=hall.local_minute, cap=hall.cap,
                                  rank_penalty_minutes=hall.penalty, runs=runs)


def estimate_new(hall: HallNow, service: str, now: dt.datetime,
                 runs: int = 120) -> forecast.Estimate | None:
    """The range a visitor taking an ordinary ticket of ``service`` now would get."""
    # Behind everyone already waiting at this second (ties go by ticket id).
    virtual_id = max((c.ticket_id for c in hall.candidates), default=0) + 1
    virtual = Candidate(virtual_id, service, int(now.timestamp()), False)
    return forecast.estimate_wait([*hall.candidates, virtual], hall.windows, hall.times, virtual_id,
                                  local_minute=hall.local_minute, cap=hall.cap,
                                  rank_penalty_minutes=hall.penalty, runs=runs, seed=zlib.crc32(service.encode()))


_WEIGHTS_OF = select(_svc.c.priority_weights).where(_svc.c.code == bindparam("code"))


def estimate_before_issue(db: Database, service: str, priority: str | None) -> forecast.Estimate | None:
    """The range a ticket of ``service`` issued now will be promised, read
    before the issuing transaction so the simulation never holds the writer
    lock. ``None`` when no open window serves it — or when the forecast fails:
    an estimate never stands in the way of a ticket."""
    from hall.domain import queue as rules

    try:
        now = db.clock.now()
        with db.read() as s:
            weights = s.execute(_WEIGHTS_OF, {"code": service}).one_or_none()
            if weights is None:
                return None
            reason = rules.PriorityReason(priority) if priority else None
            weight = rules.weight_for(reason, weights[0])
            hall = hall_now(s, now, db.url)
        virtual_id = max((c.ticket_id for c in hall.candidates), default=0) + 1
        virtual = Candidate(virtual_id, service, rules.queue_key(now, weight), weight > 0,
                            reason is rules.PriorityReason.APPOINTMENT)
        return forecast.estimate_wait([*hall.candidates, virtual], hall.windows, hall.times, virtual_id,
                                      local_minute=hall.local_minute, cap=hall.cap,
                                      rank_penalty_minutes=hall.penalty, runs=ISSUE_RUNS)
    except Exception:  # noqa: BLE001 - logged; the ticket is issued without a range
        import logging

        logging.getLogger(__name__).warning("no wait estimate for %s", service, exc_info=True)
        return None


def record_issue_estimate(uow: UnitOfWork, ticket_id: int, ahead: int,
                          est: forecast.Estimate | None) -> forecast.Estimate | None:
    """Store the range as the promise made at issue."""
    if est is not None:
        lo, hi = est.low_rounded, est.high_rounded
        uow.s.execute(_ESTIMATE_INSERT, dict(ticket_id=ticket_id, low_minutes=lo, high_minutes=hi,
                                             median_minutes=int(round(est.median)), ahead=ahead,
                                             estimated_at=uow.now))
    return est


def on_ticket_issued(uow: UnitOfWork, ticket_id: int, number: str, service_name: str, ahead: int,
                     notice_to: str | None = None, notice_by: str = "visitor",
                     estimate: forecast.Estimate | None = None) -> tuple[str, str | None]:
    """Inside ``issue_ticket``: the ticket's status link, its promised range,
    and (with consent) the first notice. Returns ``(status url, wait text)``."""
    from . import notices

    url = status_url(base_url(uow.s), mint_token(uow, "ticket", ticket_id, replace=False))
    est = record_issue_estimate(uow, ticket_id, ahead, estimate)
    text = est.text if est is not None else None
    notices.on_issued(uow, ticket_id, number, service_name, ahead, text, url, notice_to, notice_by)
    return url, text


@dataclass(frozen=True)
class ServiceWait(JsonView):
    """The wait a new visitor of one service can expect (the board's line)."""

    code: str
    name: str
    waiting: int
    text: str               # "约 15–25 分钟", or why there is none
    low: int | None = None
    high: int | None = None


def service_waits(db: Database) -> list[ServiceWait]:
    """Per service: how many wait and the range for someone joining now."""
    now = db.clock.now()
    with db.read() as s:
        hall = hall_now(s, now, db.url)
        services = s.execute(select(Service.code, Service.name).where(Service.active.is_(True))
                             .order_by(Service.sort_order, Service.id)).all()
    waiting: dict[str, int] = {}
    for c in hall.candidates:
        waiting[c.service_code] = waiting.get(c.service_code, 0) + 1
    out = []
    for code, name in services:
        est = estimate_new(hall, code, now)
        if est is None:
            out.append(ServiceWait(code, name, waiting.get(code, 0), "暂无窗口办理"))
        else:
            out.append(ServiceWait(code, name, waiting.get(code, 0), est.text,
                                   est.low_rounded, est.high_rounded))
    return out


# ------------------------------------------------------------ status page
@dataclass(frozen=True)
class StatusLine(JsonView):
    label: str
    value: str


@dataclass(frozen=True)
class StatusPage(JsonView):
    """What the public page shows for one token: masked, no facts of the dispute."""

    kind: str               # ticket / case / arbitration / petition
    title: str              # "排队号 L007" / "调解案件 …"
    headline: str           # the one thing the visitor wants to know
    lines: tuple[StatusLine, ...] = ()
    near: bool = False
    centre_name: str = ""
    advice: str = ""


def lookup(db: Database, token: str) -> StatusPage | None:
    """The page for ``token``, or ``None`` for an unknown or retired one."""
    h = hash_token(token or "")
    now = db.clock.now()
    with db.read() as s:
        row = s.execute(select(PublicToken.subject_type, PublicToken.subject_id).where(
            PublicToken.token_hash == h, PublicToken.active.is_(True))).one_or_none()
        if row is None:
            return None
        kind, sid = row
        centre = str((get_setting(s, "centre.profile", {}) or {}).get("name") or "")
        pages: dict[str, Callable[[Session, Database, int, dt.datetime], StatusPage | None]] = {
            "ticket": _ticket_page, "case": _case_page, "arbitration": _arbitration_page,
            "petition": _petition_page}
        page = pages[kind](s, db, sid, now)
    if page is None:
        return None
    return dataclasses.replace(page, centre_name=centre)


def _ticket_page(s: Session, db: Database, ticket_id: int, now: dt.datetime, _hops: int = 0) -> StatusPage | None:
    from . import queue

    t = s.get(Ticket, ticket_id)
    if t is None:
        return None
    svc = s.get(Service, t.service_id)
    if svc is None:
        return None
    title = f"排队号 {t.number}"
    lines = [StatusLine("业务", svc.name), StatusLine("取号时间", to_local(as_utc(t.issued_at)).strftime("%H:%M"))]
    promised = s.get(TicketEstimate, t.id)
    if t.status == S.WAITING.value:
        today = local_day(now)
        if t.business_day < today and not svc.carry_over:
            return StatusPage("ticket", title, "此号已过当日办理时间，请重新取号", tuple(lines))
        ahead = queue._ahead(s, t.service_id, t.queue_key, t.id, today)
        hall = hall_now(s, now, db.url)
        est = estimate_ticket(hall, t.id)
        near = ahead <= near_threshold(s)
        lines.append(StatusLine("前面等候", f"{ahead} 人"))
        lines.append(StatusLine("预计等候", est.text if est else "暂无窗口办理，开窗后估算"))
        if promised is not None:
            lines.append(StatusLine("取号时预计", forecast.range_text(promised.low_minutes, promised.high_minutes)))
        headline = "快到您了，请回到大厅留意叫号" if near else "等候中"
        return StatusPage("ticket", title, headline, tuple(lines), near=near,
                          advice="号码被叫到时请尽快到窗口；过号需重新取号。")
    if t.status in (S.CALLED.value, S.SERVING.value) and t.window_id:
        win = s.get(Window, t.window_id)
        if win is None:
            return None
        verb = "请到" if t.status == S.CALLED.value else "正在"
        headline = f"{verb} {win.number}号窗口（{win.name}）" + ("" if t.status == S.CALLED.value else "办理")
        return StatusPage("ticket", title, headline, tuple(lines), near=True)
    if t.status == S.ON_HOLD.value:
        return StatusPage("ticket", title, "已挂起，暂不叫号", tuple(lines),
                          advice="办好离开时说明的事项后，请到窗口告知工作人员，恢复原来的排队位置。")
    if t.status == S.TRANSFERRED.value and t.transferred_to_id and _hops < 5:
        # The same code follows the visitor to the new ticket (it keeps their place).
        page = _ticket_page(s, db, t.transferred_to_id, now, _hops + 1)
        if page is not None:
            return dataclasses.replace(page, lines=(StatusLine("原号码", t.number), *page.lines),
                                       advice="已为您转到新的业务，新号码保留原来的排队位置。")
    return StatusPage("ticket", title, S(t.status).label, tuple(lines))


_CASE_ADVICE = ("达成调解协议后，双方可自协议生效之日起三十日内共同向人民法院申请司法确认"
                "（《人民调解法》第三十三条）；调解不成的，可依法申请仲裁或提起诉讼。")
_ARB_ADVICE = ("对仲裁裁决不服的，可自收到裁决书之日起十五日内向人民法院提起诉讼"
               "（《劳动争议调解仲裁法》第五十条），终局裁决另有规定。")
_PETITION_ADVICE = ("对处理意见不服的，可自收到书面答复之日起三十日内请求原办理机关的上一级机关复查；"
                    "对复查意见不服的，可自收到之日起三十日内请求复核（《信访工作条例》第三十五、三十六条）。")


def _deadline_lines(s: Session, subject_type: str, subject_id: int) -> list[StatusLine]:
    rows = s.execute(select(TrackedDeadline.label, TrackedDeadline.due_date).where(
        TrackedDeadline.subject_type == subject_type, TrackedDeadline.subject_id == subject_id,
        TrackedDeadline.active.is_(True), TrackedDeadline.met_on.is_(None))
        .order_by(TrackedDeadline.due_date).limit(4)).all()
    return [StatusLine(label or "期限", f"{due:%Y年%m月%d日}前") for label, due in rows]


def _next_and_deadlines(s: Session, what: str, upcoming: Select, subject_type: str,
                        subject_id: int) -> tuple[StatusLine, ...]:
    """The next session (``upcoming``: its start and room, soonest first), then the open deadlines."""
    lines = []
    nxt = s.execute(upcoming.limit(1)).first()
    if nxt:
        lines.append(StatusLine(what, f"{to_local(as_utc(nxt[0])):%m月%d日 %H:%M}，{nxt[1]}"))
    lines += _deadline_lines(s, subject_type, subject_id)
    return tuple(lines)


def _case_page(s: Session, db: Database, case_id: int, now: dt.datetime) -> StatusPage | None:
    from hall.domain.cases import CaseState
    from hall.store.case_models import Case, RoomBooking
    from hall.store.models import Room

    c = s.get(Case, case_id)
    if c is None:
        return None
    upcoming = (select(RoomBooking.start, Room.name).join(Room, Room.id == RoomBooking.room_id)
                .where(RoomBooking.case_id == c.id, RoomBooking.state == "booked", RoomBooking.start >= now)
                .order_by(RoomBooking.start))
    lines = _next_and_deadlines(s, "下次调解", upcoming, "case", c.id)
    return StatusPage("case", f"调解案件 {c.number}", CaseState(c.state).label, lines, advice=_CASE_ADVICE)


def _arbitration_page(s: Session, db: Database, case_id: int, now: dt.datetime) -> StatusPage | None:
    from hall.domain.arbitration import CaseState
    from hall.store.arbitration_models import ArbitrationCase, Hearing
    from hall.store.models import Room

    c = s.get(ArbitrationCase, case_id)
    if c is None:
        return None
    upcoming = (select(Hearing.starts_at, Room.name).join(Room, Room.id == Hearing.room_id)
                .where(Hearing.case_id == c.id, Hearing.state == "scheduled", Hearing.starts_at >= now)
                .order_by(Hearing.starts_at))
    lines = _next_and_deadlines(s, "开庭", upcoming, "arbitration", c.id)
    return StatusPage("arbitration", f"劳动仲裁 {c.number or c.receipt_number}", CaseState(c.state).label,
                      lines, advice=_ARB_ADVICE)


def _petition_page(s: Session, db: Database, pid: int, now: dt.datetime) -> StatusPage | None:
    from hall.domain.petitions import PetitionState
    from hall.store.arbitration_models import Petition

    p = s.get(Petition, pid)
    if p is None:
        return None
    lines = [StatusLine("登记日期", f"{p.received_on:%Y年%m月%d日}")]
    lines += _deadline_lines(s, "petition", p.id)
    return StatusPage("petition", f"信访事项 {p.number}", PetitionState(p.state).label, tuple(lines),
                      advice=_PETITION_ADVICE)


# -------------------------------------------------------------- director
@dataclass(frozen=True)
class PromiseCoverage(JsonView):
    """Promised against actual waits of one service over some days."""

    service: str
    service_name: str
    estimated: int
    within: int
    earlier: int
    later: int
    rate: float | None        # share of called tickets whose wait fell inside the promise
    mean_promised: float | None
    mean_actual: float | None


def promise_coverage(db: Database, actor: Actor, first_day: dt.date, last_day: dt.date) -> list[PromiseCoverage]:
    """How often the range printed at issue held, per service (tickets called
    between ``first_day`` and ``last_day``, hall days)."""
    actor.require("stats.read")
    if last_day < first_day:
        raise InvalidInput("结束日期不能早于开始日期")
    with db.read() as s:
        rows = s.execute(select(Service.code, Service.name, TicketEstimate.low_minutes,
                                TicketEstimate.high_minutes, TicketEstimate.median_minutes,
                                Ticket.issued_at, Ticket.called_at)
                         .join(Ticket, Ticket.id == TicketEstimate.ticket_id)
                         .join(Service, Service.id == Ticket.service_id)
                         .where(Ticket.business_day >= first_day, Ticket.business_day <= last_day,
                                Ticket.called_at.is_not(None))).all()
        names = dict(s.execute(select(Service.code, Service.name).order_by(Service.sort_order, Service.id)).tuples().all())
    per: dict[str, list] = {}
    for code, _name, lo, hi, med, issued, called in rows:
        actual = (as_utc(called) - as_utc(issued)).total_seconds() / 60
        per.setdefault(code, []).append((lo, hi, med, actual))
    out = []
    for code, name in names.items():
        items = per.get(code, [])
        cov = forecast.coverage(code, ((lo, hi, a) for lo, hi, _m, a in items))
        out.append(PromiseCoverage(
            code, name, cov.estimated, cov.within, cov.earlier, cov.later, cov.rate,
            sum(m for _l, _h, m, _a in items) / len(items) if items else None,
            sum(a for *_x, a in items) / len(items) if items else None))
    return out
