"""Tracked deadlines: every statutory period of a case, watched.

The rule (length, counting, roll-over, extension, restart, suspension, its
article) lives in ``hall.domain.deadlines``; this module stores one row per
watched period, keeps its due date current, and lists the board. Holiday
schedules an administrator enters take precedence over the packaged
calendar, and entering one recomputes every open due date.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from hall.domain import deadlines as rules
from hall.domain.clock import local_day
from hall.domain.workcalendar import WorkCalendar, YearSchedule
from hall.store.db import Database
from hall.store.models import HolidaySchedule, TrackedDeadline

from .base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, get_setting, unit_of_work
from .views import JsonView

AGREED = "agreement.performance"
#: Periods whose due date the caller fixes (kept in ``agreed_due``): a term the
#: parties agreed, or one the centre's settings give (吹哨报到).
FIXED_DUE = frozenset({AGREED, "whistle.response", "whistle.solution"})
#: Setting: {rule code: "calendar" | "workdays"} for the rules whose counting is configurable.
COUNTING_SETTING = "deadlines.counting"
#: Rules whose extension needs an approval recorded by their area's service, not the board.
APPROVED_EXTENSIONS = {"labour.award": "请在仲裁案件的“延长审理期限”中录入批准的仲裁委员会主任和延期理由"
                                       "（《劳动争议调解仲裁法》第四十三条）"}


@dataclass(frozen=True)
class DeadlineView(JsonView):
    id: int
    rule_code: str
    name: str
    basis: str
    subject_type: str
    subject_id: int
    case_number: str
    label: str
    start_date: dt.date
    due_date: dt.date
    state: str
    state_label: str
    days_left: int | None
    met_on: dt.date | None
    explanation: str
    coverage_note: str | None
    extensions: int
    can_extend: bool


# ---------------------------------------------------------------- calendar
def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar with every schedule the admin entered."""
    scheds = []
    for row in session.execute(select(HolidaySchedule)).scalars():
        scheds.append(YearSchedule(
            row.year, [(dt.date.fromisoformat(d), n) for d, n in row.holidays],
            [dt.date.fromisoformat(d) for d in row.swapped_workdays]))
    return WorkCalendar(schedules=scheds)


def set_year_schedule(db: Database, actor: Actor, schedule: YearSchedule,
                      notes: Mapping[dt.date, str] | None = None) -> int:
    """Enter (or replace) a year's official holidays; recompute open deadlines.

    Each day whose working/closed state changes gets its own audit row
    (``calendar.day``: before, after, the holiday's name and the admin's note
    for that day). Returns how many open deadlines changed their due date.
    """
    with unit_of_work(db, actor, "centre.configure") as uow:
        before = calendar(uow.s)
        row = uow.s.get(HolidaySchedule, schedule.year)
        values = dict(holidays=[[d.isoformat(), n] for d, n in schedule.holidays],
                      swapped_workdays=[d.isoformat() for d in schedule.swapped_workdays],
                      entered_by=actor.username, entered_at=uow.now)
        if row is None:
            uow.s.add(HolidaySchedule(year=schedule.year, **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)
        uow.s.flush()
        from .holidays import day_differences

        names = schedule.holiday_map()
        for day, was, now in day_differences(before, before.with_schedule(schedule), schedule.year):
            uow.audit("calendar.day", "calendar_day", day.isoformat(), working_before=was, working_after=now,
                      name=names.get(day, ""), note=(notes or {}).get(day, ""))
        changed = recompute_open(uow)
        uow.audit("calendar.schedule", "holiday_schedule", schedule.year,
                  holidays=len(schedule.holidays), swapped=len(schedule.swapped_workdays),
                  recomputed=changed)
        uow.event("calendar.changed", year=schedule.year, recomputed=changed)
        return changed


def year_schedule(db: Database, year: int) -> YearSchedule | None:
    with db.read() as s:
        return calendar(s).schedules.get(year)


# ------------------------------------------------------------- counting
@dataclass(frozen=True)
class CountingView(JsonView):
    rule_code: str
    name: str
    basis: str
    counting: str          # calendar / workdays (in force)
    default: str           # the rule's own default
    note: str              # why the default is what it is


def countings(session: Session) -> dict[str, str]:
    """The per-rule counting the administrator chose (rule code → calendar/workdays)."""
    raw = get_setting(session, COUNTING_SETTING, {}) or {}
    return {k: v for k, v in dict(raw).items() if v in ("calendar", "workdays")}


def rule_in_force(code: str, chosen: dict[str, str] | None = None) -> rules.DeadlineRule:
    """The rule as counted here: its default, or the administrator's choice when configurable."""
    r = rules.rule(code)
    want = (chosen or {}).get(code)
    if want and r.counting_configurable:
        return r.with_counting(rules.Counting.WORKDAYS if want == "workdays" else rules.Counting.CALENDAR)
    return r


def counting_settings(db: Database) -> list[CountingView]:
    """Every rule whose counting is configurable, with the setting in force, its default and basis."""
    with db.read() as s:
        chosen = countings(s)
    return [CountingView(r.code, r.name, r.basis, rule_in_force(r.code, chosen).counting.value, r.counting.value,
                         r.note) for r in rules.RULES.values() if r.counting_configurable]


def set_counting(db: Database, actor: Actor, rule_code: str, counting: str) -> int:
    """Count ``rule_code`` in calendar days or working days; recompute open due dates.

    Audited; returns how many open due dates moved.
    """
    actor.require("centre.configure")  # before looking at the input
    if counting not in ("calendar", "workdays"):
        raise InvalidInput("计算方式应为自然日（calendar）或工作日（workdays）")
    try:
        r = rules.rule(rule_code)
    except KeyError:
        raise InvalidInput(f"未知的期限规则：{rule_code}") from None
    if not r.counting_configurable:
        raise InvalidInput(f"“{r.name}”（{r.basis}）的计算方式由法律规定，不能修改")
    with unit_of_work(db, actor, "centre.configure") as uow:
        from hall.store.models import Setting

        row = uow.s.get(Setting, COUNTING_SETTING)
        # the setting this function writes: rule code → counting
        current = dict(cast("dict[str, str]", row.value) or {}) if row is not None else {}
        before = current.get(rule_code, r.counting.value)
        if counting == r.counting.value:
            current.pop(rule_code, None)
        else:
            current[rule_code] = counting
        if row is None:
            uow.s.add(Setting(key=COUNTING_SETTING, value=current))
        else:
            row.value = current
        uow.s.flush()
        changed = recompute_open(uow)
        uow.audit("deadline.counting", "deadline_rule", None, rule=rule_code, before=before, after=counting,
                  recomputed=changed)
        uow.event("calendar.changed", rule=rule_code, recomputed=changed)
        return changed


# ------------------------------------------------------------------ rows
def _fixed_due(d: TrackedDeadline) -> dt.date:
    """The agreed date of a row of FIXED_DUE (track() requires one); else its stored due date."""
    return d.agreed_due if d.agreed_due is not None else d.due_date


def _result(d: TrackedDeadline, cal: WorkCalendar, today: dt.date,
            chosen: dict[str, str] | None = None) -> rules.DeadlineResult | None:
    if d.rule_code in FIXED_DUE:
        return None
    return _computed(d, cal, today, chosen)


def _computed(d: TrackedDeadline, cal: WorkCalendar, today: dt.date,
              chosen: dict[str, str] | None = None) -> rules.DeadlineResult:
    """The period of a statutory rule's row as the rules count it."""
    return rules.compute(
        rule_in_force(d.rule_code, chosen), d.start_date, cal, extensions=d.extensions,
        restarts=[(dt.date.fromisoformat(day), code) if code else dt.date.fromisoformat(day)
                  for day, code in d.restarts],
        suspensions=[(dt.date.fromisoformat(a), dt.date.fromisoformat(b) if b else None, label)
                     for a, b, label in d.suspensions],
        today=today, met_on=d.met_on)


def recompute(uow: UnitOfWork, row: TrackedDeadline, cal: WorkCalendar | None = None) -> bool:
    """Bring one row's stored due date up to date inside the caller's
    transaction (after a restart, suspension, service date...)."""
    try:
        res = _result(row, cal or calendar(uow.s), local_day(uow.now), countings(uow.s))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    new_due = _fixed_due(row) if res is None else res.due
    changed = new_due != row.due_date
    row.due_date = new_due
    uow.event("deadline.changed", deadline_id=row.id, case_number=row.case_number)
    return changed


def recompute_open(uow: UnitOfWork) -> int:
    """Recompute every open deadline (the holiday calendar changed); returns
    how many due dates moved."""
    cal = calendar(uow.s)
    chosen = countings(uow.s)
    n = 0
    for d in uow.s.execute(select(TrackedDeadline).where(
            TrackedDeadline.active.is_(True), TrackedDeadline.met_on.is_(None))).scalars():
        res = _result(d, cal, local_day(uow.now), chosen)
        new_due = _fixed_due(d) if res is None else res.due
        if new_due != d.due_date:
            d.due_date = new_due
            n += 1
    return n


def track(uow: UnitOfWork, rule_code: str, subject_type: str, subject_id: int, start: dt.date, *,
          case_number: str = "", label: str = "", agreed_due: dt.date | None = None,
          agreed_basis: str = "") -> int:
    """Start watching a period inside the caller's transaction; returns its id.

    ``rule_code`` is a statutory rule of ``hall.domain.deadlines.RULES``, or
    ``"agreement.performance"`` with ``agreed_due`` for a date the parties
    agreed (a performance term of a mediation agreement).
    """
    if rule_code in FIXED_DUE:
        if agreed_due is None:
            raise InvalidInput("约定履行期限需要给出日期")
        due = agreed_due
    else:
        try:
            rule = rule_in_force(rule_code, countings(uow.s))
        except KeyError:
            raise InvalidInput(f"未知的期限规则：{rule_code}") from None
        due = rules.compute(rule, start, calendar(uow.s), today=local_day(uow.now)).due
    row = TrackedDeadline(rule_code=rule_code, subject_type=subject_type, subject_id=subject_id,
                          case_number=case_number, label=label or "", start_date=start, due_date=due,
                          agreed_due=agreed_due, agreed_basis=agreed_basis, extensions=0, restarts=[],
                          suspensions=[], active=True, created_at=uow.now)
    uow.s.add(row)
    uow.s.flush()
    uow.event("deadline.tracked", deadline_id=row.id, case_number=case_number, rule=rule_code)
    return row.id


def close_for_subject(uow: UnitOfWork, subject_type: str, subject_id: int, rule_code: str | None = None) -> int:
    """Stop watching a subject's periods (case withdrawn, closed...)."""
    n = 0
    stmt = select(TrackedDeadline).where(TrackedDeadline.subject_type == subject_type,
                                         TrackedDeadline.subject_id == subject_id,
                                         TrackedDeadline.active.is_(True))
    if rule_code:
        stmt = stmt.where(TrackedDeadline.rule_code == rule_code)
    for d in uow.s.execute(stmt).scalars():
        d.active = False
        n += 1
    return n


def _change(db: Database, actor: Actor, deadline_id: int, action: str, apply) -> DeadlineView:
    with unit_of_work(db, actor, "deadline.manage") as uow:
        d = uow.s.execute(uow.lock_for_update(
            select(TrackedDeadline).where(TrackedDeadline.id == deadline_id))).scalar_one_or_none()
        if d is None or not d.active:
            raise NotFound(f"没有编号为 {deadline_id} 的期限")
        apply(d)
        cal = calendar(uow.s)
        today = local_day(uow.now)
        try:
            res = _result(d, cal, today, countings(uow.s))
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        if res is not None:
            d.due_date = res.due
        uow.audit(action, "deadline", d.id, rule=d.rule_code, case_number=d.case_number)
        uow.event("deadline.changed", deadline_id=d.id, case_number=d.case_number)
        return _view(d, cal, today, res)


def mark_met(db: Database, actor: Actor, deadline_id: int, on: dt.date) -> DeadlineView:
    """The act the period asks for was done on ``on`` (e.g. the notice served)."""
    def apply(d):
        if d.met_on is not None:
            raise Conflict("该期限已完成")
        d.met_on = on
    return _change(db, actor, deadline_id, "deadline.met", apply)


def extend(db: Database, actor: Actor, deadline_id: int) -> DeadlineView:
    """Record an approved extension (e.g. 劳动争议调解仲裁法第四十三条: +15 days, once)."""
    def apply(d):
        if d.rule_code == AGREED:
            raise InvalidInput("约定履行期限不能在此延长，请修改协议")
        if d.rule_code in FIXED_DUE:
            raise InvalidInput("吹哨报到时限不能在此延长")
        rule = rules.rule(d.rule_code)
        if rule.extension is None:
            raise InvalidInput(f"“{rule.name}”依法不能延长")
        if d.rule_code in APPROVED_EXTENSIONS:
            raise Conflict(f"“{rule.name}”的延长须经批准：{APPROVED_EXTENSIONS[d.rule_code]}")
        if d.extensions >= rule.extension.max_times:
            raise Conflict(f"“{rule.name}”只能延长{rule.extension.max_times}次，已延长过")
        d.extensions += 1
    return _change(db, actor, deadline_id, "deadline.extend", apply)


def restart(db: Database, actor: Actor, deadline_id: int, on: dt.date, event_code: str) -> DeadlineView:
    """The period starts again (办案规则第四十六条: claims changed, party added...)."""
    def apply(d):
        rule = rules.rule(d.rule_code)
        try:
            rule.restart_event(event_code)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        d.restarts = [*d.restarts, [on.isoformat(), event_code]]
    return _change(db, actor, deadline_id, "deadline.restart", apply)


def suspend(db: Database, actor: Actor, deadline_id: int, first: dt.date, label: str = "") -> DeadlineView:
    def apply(d):
        rule = rules.rule(d.rule_code)
        if not rule.suspendable:
            raise InvalidInput(f"“{rule.name}”不能中止")
        if any(last is None for _, last, _ in d.suspensions):
            raise Conflict("该期限已在中止中")
        d.suspensions = [*d.suspensions, [first.isoformat(), None, label]]
    return _change(db, actor, deadline_id, "deadline.suspend", apply)


def resume(db: Database, actor: Actor, deadline_id: int, last: dt.date) -> DeadlineView:
    """End an open suspension; ``last`` is its last day."""
    def apply(d):
        open_ = [s for s in d.suspensions if s[1] is None]
        if not open_:
            raise Conflict("该期限没有中止")
        if last < dt.date.fromisoformat(open_[0][0]):
            raise InvalidInput("恢复日期早于中止日期")
        d.suspensions = [[a, b if b else last.isoformat(), lab] for a, b, lab in d.suspensions]
    return _change(db, actor, deadline_id, "deadline.resume", apply)


# ------------------------------------------------------------------ board
def _view(d: TrackedDeadline, cal: WorkCalendar, today: dt.date,
          res: rules.DeadlineResult | None = None, *, explain: bool = True,
          chosen: dict[str, str] | None = None) -> DeadlineView:
    if d.rule_code in FIXED_DUE:
        due = _fixed_due(d)
        if d.met_on:
            state = rules.DeadlineState.MET if d.met_on <= due else rules.DeadlineState.MET_LATE
        elif due < today:
            state = rules.DeadlineState.OVERDUE
        elif due == today:
            state = rules.DeadlineState.DUE_TODAY
        else:
            state = rules.DeadlineState.OPEN
        name = "约定履行期限" if d.rule_code == AGREED else rules.rule(d.rule_code).name
        return DeadlineView(d.id, d.rule_code, name, d.agreed_basis or "调解协议约定",
                            d.subject_type, d.subject_id, d.case_number, d.label, d.start_date, due,
                            state.value, state.label, None if d.met_on else (due - today).days, d.met_on,
                            f"协议约定于{rules.cn_date(due)}前履行" if d.rule_code == AGREED
                            else f"按设定时限应于{rules.cn_date(due)}前完成", cal.coverage_note(due), 0, False)
    res = res or _computed(d, cal, today, chosen)
    rule = res.rule
    state_label = res.state.label
    waiting = [lab for _a, last, lab in d.suspensions if last is None and str(lab).startswith("等待")]
    if res.state is rules.DeadlineState.SUSPENDED and waiting:
        state_label = waiting[0]          # e.g. 等待申请人补正: the clock is the applicant's, not overdue
    return DeadlineView(
        d.id, d.rule_code, rule.name, rule.basis, d.subject_type, d.subject_id, d.case_number,
        d.label, d.start_date, res.due, res.state.value, state_label, res.days_left, d.met_on,
        res.explanation if explain else "", res.coverage_note, d.extensions,
        bool(rule.extension and d.extensions < rule.extension.max_times and not d.met_on
             and not (res.state is rules.DeadlineState.OVERDUE)))


def list_deadlines(db: Database, *, when: str = "open", case_number: str | None = None,
                   subject: tuple[str, int] | None = None, limit: int = 500,
                   explain: bool = True) -> list[DeadlineView]:
    """The deadlines board, soonest first.

    ``when``: ``overdue``, ``today``, ``week`` (the next seven days), ``open``
    (all not yet met) or ``all``. The filter runs on the stored due date, so
    the board stays one indexed query however many cases are open.
    """
    today = local_day(db.clock.now())
    stmt = select(TrackedDeadline).where(TrackedDeadline.active.is_(True))
    if when != "all":
        stmt = stmt.where(TrackedDeadline.met_on.is_(None))
    if when == "overdue":
        stmt = stmt.where(TrackedDeadline.due_date < today)
    elif when == "today":
        stmt = stmt.where(TrackedDeadline.due_date == today)
    elif when == "week":
        stmt = stmt.where(and_(TrackedDeadline.due_date >= today,
                               TrackedDeadline.due_date <= today + dt.timedelta(days=6)))
    elif when not in ("open", "all"):
        raise InvalidInput(f"未知的期限筛选：{when}（可用 overdue / today / week / open / all）")
    if case_number:
        stmt = stmt.where(TrackedDeadline.case_number == case_number)
    if subject:
        stmt = stmt.where(TrackedDeadline.subject_type == subject[0],
                          TrackedDeadline.subject_id == subject[1])
    stmt = stmt.order_by(TrackedDeadline.due_date, TrackedDeadline.id).limit(limit)
    with db.read() as s:
        cal = calendar(s)
        chosen = countings(s)
        views = [_view(d, cal, today, explain=explain, chosen=chosen) for d in s.execute(stmt).scalars()]
    if when in ("overdue", "today"):  # a stopped clock (e.g. waiting for the applicant) is neither
        views = [v for v in views if v.state != rules.DeadlineState.SUSPENDED.value]
    return views
