"""街道吹哨、部门报到: departments, whistles, the department's side, closure,
satisfaction, 一案一评, escalation (督办) and the monthly two-way assessment.

The periods (报到 within hours, 办结 within working days, per kind of whistle)
are settings; each summons's two due moments are fixed when the whistle is
blown and tracked on the deadline board (rules ``whistle.response`` and
``whistle.solution``). A department liaison sees only its own department's
summons, and of the resident only the name and phone its summons needs.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hall.domain import deadlines as dl_rules
from hall.domain import whistle as rules
from hall.domain.clock import HALL_TZ, UTC, as_utc, local_day, to_local
from hall.domain.roles import Role
from hall.store.case_models import Case, RoomBooking
from hall.store.db import Database
from hall.store.models import Room, Service, Setting, Ticket, TrackedDeadline, User
from hall.store.whistle_models import (
    AssessmentAdjustment,
    Department,
    DepartmentMember,
    IntakeEvent,
    Summons,
    SummonsAction,
    Whistle,
    WhistleMeeting,
)

from . import deadlines as dl
from .base import (
    ACTION_LABELS,
    Actor,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    UnitOfWork,
    get_setting,
    got_by_id,
    unit_of_work,
)
from .numbering import next_number
from .views import JsonView

ACTION_LABELS.update({
    "whistle.read": "查看吹哨报到", "whistle.intake": "导入网格事件和12345工单",
    "whistle.issue": "吹哨（召集部门）", "whistle.close": "确认办结、督办、回访满意度",
    "whistle.assess": "吹哨报到考核（一案一评、加减分）", "whistle.respond": "部门报到与办理",
})

MAX_MEETING = dt.timedelta(hours=12)


# ================================================================ departments
@dataclass(frozen=True)
class DepartmentView(JsonView):
    code: str
    name: str
    kind: str
    kind_label: str
    contacts: tuple
    services: tuple
    categories: tuple
    active: bool
    members: tuple = ()


def _dept_view(s, d: Department) -> DepartmentView:
    members = tuple(s.execute(select(User.username).join(DepartmentMember, DepartmentMember.user_id == User.id)
                              .where(DepartmentMember.department_id == d.id).order_by(User.username)).scalars())
    return DepartmentView(d.code, d.name, d.kind, rules.DepartmentKind(d.kind).label, tuple(d.contacts or ()),
                          tuple(d.services or ()), tuple(d.categories or ()), bool(d.active), members)


def list_departments(db: Database, *, include_inactive: bool = False) -> list[DepartmentView]:
    with db.read() as s:
        stmt = select(Department).order_by(Department.sort_order, Department.id)
        if not include_inactive:
            stmt = stmt.where(Department.active.is_(True))
        return [_dept_view(s, d) for d in s.execute(stmt).scalars()]


def _service_codes(s) -> set[str]:
    return set(s.execute(select(Service.code)).scalars())


def _put_department(s, d: rules.DepartmentDef, order: int | None = None) -> bool:
    row = s.execute(select(Department).where(Department.code == d.code)).scalar_one_or_none()
    values = dict(name=d.name, kind=d.kind, contacts=list(d.contacts), services=list(d.services),
                  categories=list(d.categories), active=d.active)
    if row is None:
        if order is None:
            order = len(s.execute(select(Department.id)).all())
        s.add(Department(code=d.code, sort_order=order, **values))
        s.flush()
        return True
    if order is not None:
        values["sort_order"] = order
    if any(getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        return True
    return False


def save_department(db: Database, actor: Actor, data: Mapping) -> DepartmentView:
    """Add a department or change one (by its code). Admin only."""
    with unit_of_work(db, actor, "centre.configure") as uow:
        d, problems = rules.department_problems(data, _service_codes(uow.s))
        if problems or d is None:   # None comes with its problems
            raise InvalidInput("；".join(problems))
        if _put_department(uow.s, d):
            uow.audit("department.save", "department", d.code, name=d.name, kind=d.kind, active=d.active)
            uow.event("whistle.departments_changed", code=d.code)
        row = uow.s.execute(select(Department).where(Department.code == d.code)).scalar_one()
        return _dept_view(uow.s, row)


def set_department_active(db: Database, actor: Actor, code: str, active: bool) -> DepartmentView:
    with unit_of_work(db, actor, "centre.configure") as uow:
        row = _department(uow.s, code)
        if row.active != active:
            row.active = active
            uow.audit("department.active", "department", code, active=active)
            uow.event("whistle.departments_changed", code=code)
        return _dept_view(uow.s, row)


def set_department_members(db: Database, actor: Actor, code: str, usernames: Sequence[str]) -> DepartmentView:
    """The accounts that act for a department (each needs the 部门联络员 role)."""
    with unit_of_work(db, actor, "centre.configure") as uow:
        row = _department(uow.s, code)
        users = []
        for name in usernames:
            u = uow.s.execute(select(User).where(User.username == name)).scalar_one_or_none()
            if u is None:
                raise NotFound(f"没有用户名为“{name}”的账户")
            if Role.DEPARTMENT.value not in u.roles.split(","):
                raise InvalidInput(f"账户“{name}”没有“部门联络员”角色")
            users.append(u)
        for m in uow.s.execute(select(DepartmentMember).where(DepartmentMember.department_id == row.id)).scalars():
            uow.s.delete(m)
        uow.s.flush()
        for u in users:
            uow.s.add(DepartmentMember(department_id=row.id, user_id=u.id))
        uow.s.flush()
        uow.audit("department.members", "department", code, members=sorted(u.username for u in users))
        return _dept_view(uow.s, row)


def _department(s, code: str) -> Department:
    row = s.execute(select(Department).where(Department.code == code)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"没有代码为“{code}”的部门")
    return row


# ---- in the centre's configuration export / import
def export_departments(s) -> list[dict]:
    out = []
    for d in s.execute(select(Department).order_by(Department.sort_order, Department.id)).scalars():
        members = sorted(s.execute(select(User.username).join(DepartmentMember, DepartmentMember.user_id == User.id)
                                   .where(DepartmentMember.department_id == d.id)).scalars())
        out.append({"code": d.code, "name": d.name, "kind": d.kind, "contacts": list(d.contacts or []),
                    "services": list(d.services or []), "categories": list(d.categories or []),
                    "members": members, "active": bool(d.active)})
    return out


def department_config_problems(rows: Any, service_codes: set[str]) -> list[str]:
    if rows is None:
        return []
    if not isinstance(rows, list):
        return ["departments 应为部门列表"]
    problems, codes = [], []
    for r in rows:
        if not isinstance(r, Mapping):
            problems.append("部门应为对象")
            continue
        _, p = rules.department_problems(r, service_codes)
        problems += p
        codes.append(str(r.get("code", "")))
    problems += [f"部门代码“{c}”重复" for c in sorted({c for c in codes if codes.count(c) > 1})]
    return problems


def import_departments(uow: UnitOfWork, rows: list | None) -> int:
    """Apply checked department rows inside the import's transaction; count changes.
    Departments missing from the data are deactivated (history refers to them)."""
    if rows is None:
        return 0
    s, n, seen = uow.s, 0, set()
    for order, r in enumerate(rows):
        d, problems = rules.department_problems(r)
        if d is None:   # the rows were checked before the import began
            raise InvalidInput("配置有误：" + "；".join(problems))
        seen.add(d.code)
        n += _put_department(s, d, order)
        row = s.execute(select(Department).where(Department.code == d.code)).scalar_one()
        wanted = set()
        for name in r.get("members") or []:
            uid = s.execute(select(User.id).where(User.username == name)).scalar_one_or_none()
            if uid is not None:
                wanted.add(uid)
        have = set(s.execute(select(DepartmentMember.user_id)
                             .where(DepartmentMember.department_id == row.id)).scalars())
        if wanted != have:
            for m in s.execute(select(DepartmentMember).where(DepartmentMember.department_id == row.id)).scalars():
                if m.user_id not in wanted:
                    s.delete(m)
            for uid in wanted - have:
                s.add(DepartmentMember(department_id=row.id, user_id=uid))
            n += 1
    for row in s.execute(select(Department)).scalars():
        if row.code not in seen and row.active:
            row.active = False
            n += 1
    s.flush()
    return n


# ================================================================ settings
def settings_of(s) -> tuple[dict, dict]:
    deadlines = rules.check_deadlines(get_setting(s, rules.DEADLINES_KEY, {}) or {})
    weights = rules.check_weights(get_setting(s, rules.WEIGHTS_KEY, {}) or {})
    return deadlines, weights


def whistle_settings(db: Database) -> dict:
    with db.read() as s:
        d, w = settings_of(s)
        return {"deadlines": d, "weights": w}


def _set(db: Database, actor: Actor, key: str, value: dict, check) -> dict:
    try:
        clean = check(value)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with unit_of_work(db, actor, "centre.configure") as uow:
        row = uow.s.get(Setting, key)
        old = row.value if row else None
        if old != clean:
            if row is None:
                uow.s.add(Setting(key=key, value=clean))
            else:
                row.value = clean
            uow.audit("whistle.settings", "setting", key, old=old, new=clean)
            uow.event("settings.changed", key=key)
        return clean


def set_deadlines(db: Database, actor: Actor, value: Mapping) -> dict:
    """报到 hours and 办结 working days per kind (audited; new whistles use them)."""
    return _set(db, actor, rules.DEADLINES_KEY, dict(value), rules.check_deadlines)


def set_weights(db: Database, actor: Actor, value: Mapping) -> dict:
    return _set(db, actor, rules.WEIGHTS_KEY, dict(value), rules.check_weights)


def due_moments(s, kind: rules.WhistleKind, issued: dt.datetime, deadlines: Mapping) -> tuple[dt.datetime, dt.datetime]:
    """(报到 by, 办结 by): hours after the whistle; the end of the Nth working day."""
    conf = deadlines[kind.value]
    response = issued + dt.timedelta(hours=conf["response_hours"])
    rule = replace(dl_rules.rule("whistle.solution"), length=conf["solution_days"])
    day = dl_rules.compute(rule, local_day(issued), dl.calendar(s)).due
    solution = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), HALL_TZ).astimezone(UTC)
    return response, solution


# ================================================================ views
@dataclass(frozen=True)
class ActionView(JsonView):
    id: int
    at: dt.datetime
    author: str
    kind: str
    text: str
    files: tuple


@dataclass(frozen=True)
class SummonsView(JsonView):
    id: int
    whistle_id: int
    whistle_number: str
    kind: str
    kind_label: str
    department_code: str
    department_name: str
    state: str
    state_label: str
    matter: str
    place: str
    response_due_at: dt.datetime
    solution_due_at: dt.datetime
    reported_at: dt.datetime | None
    reported_by: str
    report_mode: str
    result: str
    resolved_at: dt.datetime | None
    return_reason: str
    escalations: tuple
    response_late: bool
    solution_late: bool
    review_score: int | None
    review_note: str
    resident_name: str
    resident_phone: str
    actions: tuple = ()


@dataclass(frozen=True)
class MeetingView(JsonView):
    id: int
    room_code: str
    room_name: str
    start: dt.datetime
    end: dt.datetime
    note: str


@dataclass(frozen=True)
class WhistleView(JsonView):
    id: int
    number: str
    kind: str
    kind_label: str
    matter: str
    place: str
    street: str
    subject_type: str
    subject_label: str
    state: str
    state_label: str
    issued_at: dt.datetime
    response_due_at: dt.datetime
    solution_due_at: dt.datetime
    closed_at: dt.datetime | None
    closure_note: str
    satisfaction: int | None
    satisfaction_channel: str
    resident_name: str
    summons: tuple = ()
    meetings: tuple = ()

    @property
    def departments(self) -> str:
        return "、".join(x.department_name for x in self.summons)


def _late(due: dt.datetime, done: dt.datetime | None, now: dt.datetime) -> bool:
    return (done or now) > due


def _summons_view(s, sm: Summons, w: Whistle, d: Department, now: dt.datetime, *, actions: bool = False,
                  resident: bool = True) -> SummonsView:
    acts: tuple[ActionView, ...] = ()
    if actions:
        acts = tuple(ActionView(a.id, a.at, a.author, a.kind, a.text, tuple(a.files or ()))
                     for a in s.execute(select(SummonsAction).where(SummonsAction.summons_id == sm.id)
                                        .order_by(SummonsAction.id)).scalars())
    open_ = sm.state in (rules.SummonsState.SUMMONED.value, rules.SummonsState.REPORTED.value)
    return SummonsView(
        sm.id, w.id, w.number, w.kind, rules.WhistleKind(w.kind).label, d.code, d.name, sm.state,
        rules.SummonsState(sm.state).label, w.matter, w.place, sm.response_due_at, sm.solution_due_at,
        sm.reported_at, sm.reported_by, sm.report_mode, sm.result, sm.resolved_at, sm.return_reason,
        tuple(tuple(e) for e in sm.escalations or ()),
        sm.state != "returned" and _late(sm.response_due_at, sm.reported_at, now),
        (open_ or sm.resolved_at is not None) and _late(sm.solution_due_at, sm.resolved_at, now),
        sm.review_score, sm.review_note, w.resident_name if resident else "",
        w.resident_phone if resident else "", acts)


def _whistle_view(s, w: Whistle, now: dt.datetime, *, detail: bool = False) -> WhistleView:
    rows = s.execute(select(Summons, Department).join(Department, Department.id == Summons.department_id)
                     .where(Summons.whistle_id == w.id).order_by(Summons.id)).all()
    summons = tuple(_summons_view(s, sm, w, d, now, actions=detail) for sm, d in rows)
    meetings: tuple[MeetingView, ...] = ()
    if detail:
        meetings = tuple(MeetingView(m.id, r.code, r.name, m.start, m.end, m.note) for m, r in s.execute(
            select(WhistleMeeting, Room).join(Room, Room.id == WhistleMeeting.room_id)
            .where(WhistleMeeting.whistle_id == w.id, WhistleMeeting.state == "booked")
            .order_by(WhistleMeeting.start)).all())
    return WhistleView(w.id, w.number, w.kind, rules.WhistleKind(w.kind).label, w.matter, w.place, w.street,
                       w.subject_type, w.subject_label, w.state, rules.WhistleState(w.state).label, w.issued_at,
                       w.response_due_at, w.solution_due_at, w.closed_at, w.closure_note, w.satisfaction,
                       w.satisfaction_channel, w.resident_name, summons, meetings)


def list_whistles(db: Database, actor: Actor, *, state: str | None = None, limit: int = 500) -> list[WhistleView]:
    actor.require("whistle.read")
    with db.read() as s:
        stmt = select(Whistle).order_by(Whistle.id.desc()).limit(limit)
        if state:
            stmt = stmt.where(Whistle.state == state)
        now = db.clock.now()
        return [_whistle_view(s, w, now) for w in s.execute(stmt).scalars()]


def whistle_detail(db: Database, actor: Actor, whistle_id: int) -> WhistleView:
    actor.require("whistle.read")
    with db.read() as s:
        w = s.get(Whistle, whistle_id)
        if w is None:
            raise NotFound(f"没有编号为 {whistle_id} 的吹哨事项")
        return _whistle_view(s, w, db.clock.now(), detail=True)


# ================================================================ whistle
def _next_number(uow: UnitOfWork) -> str:
    year = to_local(uow.now).year
    prefix = f"CS{year}-"
    last = uow.s.execute(select(Whistle.number).where(Whistle.number.like(prefix + "%"))
                         .order_by(Whistle.number.desc()).limit(1)).scalar_one_or_none()
    seq = next_number(uow, "whistle", year, first=int(last[len(prefix):]) + 1 if last else 1)
    return f"{prefix}{seq:05d}"


def _book_meeting(uow: UnitOfWork, w: Whistle, room: str, start: dt.datetime, end: dt.datetime, note: str) -> int:
    """The room calendar's rules: the room free of mediation bookings and other meetings."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("会商时间需带时区")
    if end <= start:
        raise InvalidInput("会商结束时间应晚于开始时间")
    if end - start > MAX_MEETING:
        raise InvalidInput("一次会商不能超过12小时")
    if end <= uow.now:
        raise InvalidInput("不能预约已经过去的时间")
    s = uow.s
    r = s.execute(uow.lock_for_update(select(Room).where(Room.code == room))).scalar_one_or_none()
    if r is None or not r.active:
        raise NotFound(f"没有代码为“{room}”的房间")
    clash = s.execute(select(RoomBooking, Case.number).join(Case, Case.id == RoomBooking.case_id).where(
        RoomBooking.room_id == r.id, RoomBooking.state == "booked", RoomBooking.start < end,
        RoomBooking.end > start).limit(1)).first()
    if clash is not None:
        b, number = clash
        raise Conflict(f"{r.name}在该时段已被预约（预约号{b.id}：{_span(b.start, b.end)}，案件{number}）")
    other = s.execute(select(WhistleMeeting, Whistle.number).join(Whistle, Whistle.id == WhistleMeeting.whistle_id)
                      .where(WhistleMeeting.room_id == r.id, WhistleMeeting.state == "booked",
                             WhistleMeeting.start < end, WhistleMeeting.end > start).limit(1)).first()
    if other is not None:
        m, number = other
        raise Conflict(f"{r.name}在该时段已有会商（{_span(m.start, m.end)}，吹哨{number}）")
    m = WhistleMeeting(whistle_id=w.id, room_id=r.id, start=start, end=end, state="booked", note=note,
                       created_at=uow.now)
    s.add(m)
    s.flush()
    return m.id


def _span(a: dt.datetime, b: dt.datetime) -> str:
    a, b = to_local(a), to_local(b)
    return f"{a:%Y-%m-%d %H:%M}—{b:%H:%M}"


def _summon(uow: UnitOfWork, w: Whistle, dept: Department, response: dt.datetime, solution: dt.datetime,
            deadlines: Mapping) -> Summons:
    sm = Summons(whistle_id=w.id, department_id=dept.id, state="summoned", response_due_at=response,
                 solution_due_at=solution, escalations=[], reported_by="", report_mode="", result="",
                 return_reason="", review_note="")
    uow.s.add(sm)
    uow.s.flush()
    conf = deadlines[w.kind]
    kind = rules.WhistleKind(w.kind)
    sm.response_deadline_id = dl.track(
        uow, "whistle.response", "whistle_summons", sm.id, local_day(w.issued_at), case_number=w.number,
        label=f"{dept.name}报到", agreed_due=local_day(response),
        agreed_basis=f"{kind.label}：吹哨后{conf['response_hours']}小时内报到")
    sm.solution_deadline_id = dl.track(
        uow, "whistle.solution", "whistle_summons", sm.id, local_day(w.issued_at), case_number=w.number,
        label=f"{dept.name}办结", agreed_due=local_day(solution - dt.timedelta(seconds=1)),
        agreed_basis=f"{kind.label}：{conf['solution_days']}个工作日内办结")
    return sm


def issue_whistle(db: Database, actor: Actor, *, kind: str, departments: Sequence[str], matter: str,
                  place: str, street: str = "", subject_type: str = "", subject_id: int | None = None,
                  meeting: Mapping | None = None) -> WhistleView:
    """Blow a whistle: summon departments for a matter (from an event, a ticket, a case, or none).

    ``meeting``: ``{"room": code, "start": aware datetime, "end": ..., "note": ""}`` books an
    on-site meeting (会商) under the room calendar's conflict rules.
    """
    actor.require("whistle.issue")  # before looking at the input
    try:
        k = rules.WhistleKind(kind)
    except ValueError:
        raise InvalidInput(f"哨类“{kind}”不正确（日常 daily / 攻坚 tough / 应急 emergency）") from None
    matter, place = (matter or "").strip(), (place or "").strip()
    problems = []
    if not matter:
        problems.append("请填写事项内容")
    if not place:
        problems.append("请填写地点")
    codes = list(dict.fromkeys(c for c in departments if c))
    if not codes:
        problems.append("请至少选择一个部门")
    if problems:
        raise InvalidInput("；".join(problems))
    if subject_type not in ("", "event", "ticket", "case"):
        raise InvalidInput(f"来源类型“{subject_type}”不正确")
    with unit_of_work(db, actor, "whistle.issue") as uow:
        s = uow.s
        deadlines, _ = settings_of(s)
        depts = []
        for c in codes:
            d = _department(s, c)
            if not d.active:
                raise Conflict(f"部门“{d.name}”已停用")
            depts.append(d)
        label, name, phone, ev = "", "", "", None
        if subject_type == "event":
            ev = s.execute(uow.lock_for_update(select(IntakeEvent).where(IntakeEvent.id == subject_id))).scalar_one_or_none()
            if ev is None:
                raise NotFound(f"没有编号为 {subject_id} 的事件")
            if ev.state != "new":
                raise Conflict(f"{rules.EventSource(ev.source).label}{ev.external_id}已吹哨或已办结")
            label = f"{rules.EventSource(ev.source).label}{ev.external_id}"
            name, phone = ev.resident_name, ev.resident_phone
            street = street or ev.street
        elif subject_type == "ticket":
            t = s.get(Ticket, subject_id)
            if t is None:
                raise NotFound(f"没有编号为 {subject_id} 的排队号")
            label = f"排队号{t.number}"
            if t.visitor is not None:
                name, phone = t.visitor.name or "", t.visitor.phone or ""
        elif subject_type == "case":
            case = s.get(Case, subject_id)
            if case is None:
                raise NotFound(f"没有编号为 {subject_id} 的案件")
            label = f"案件{case.number}"
        if not street:
            street = str((get_setting(s, "centre.profile", {}) or {}).get("name", ""))
        response, solution = due_moments(s, k, uow.now, deadlines)
        w = Whistle(number=_next_number(uow), kind=k.value, matter=matter, place=place, street=street[:64],
                    subject_type=subject_type, subject_id=subject_id, subject_label=label, resident_name=name,
                    resident_phone=phone, state="open", issued_at=uow.now,
                    issued_by=actor.user_id, response_due_at=response, solution_due_at=solution,
                    closure_note="", satisfaction_channel="", satisfaction_note="")
        s.add(w)
        s.flush()
        for d in depts:
            _summon(uow, w, d, response, solution, deadlines)
        if ev is not None:
            ev.state, ev.whistle_id = "whistled", w.id
        if meeting:
            _book_meeting(uow, w, meeting["room"], meeting["start"], meeting["end"], meeting.get("note", ""))
        uow.audit("whistle.issue", "whistle", w.number, kind=k.value, departments=codes, subject=label,
                  meeting=bool(meeting))
        uow.event("whistle.issued", whistle_id=w.id, number=w.number, departments=codes)
        return _whistle_view(s, w, uow.now, detail=True)


def resolve_subject(db: Database, actor: Actor, subject_type: str, ref: str) -> int:
    """The id of a case (by its number) or of today's ticket (by its number), to whistle from."""
    actor.require("whistle.issue")
    ref = (ref or "").strip()
    if not ref:
        raise InvalidInput("请填写排队号或案件编号")
    with db.read() as s:
        if subject_type == "case":
            cid = s.execute(select(Case.id).where(Case.number == ref)).scalar_one_or_none()
            if cid is None:
                raise NotFound(f"没有编号为“{ref}”的案件")
            return cid
        if subject_type == "ticket":
            tid = s.execute(select(Ticket.id).where(Ticket.number == ref.upper(),
                                                    Ticket.business_day == local_day(db.clock.now()))
                            .order_by(Ticket.id.desc())).scalars().first()
            if tid is None:
                raise NotFound(f"今天没有号码为“{ref}”的排队号")
            return tid
    raise InvalidInput(f"来源类型“{subject_type}”不正确")


def book_meeting(db: Database, actor: Actor, whistle_id: int, room: str, start: dt.datetime,
                 end: dt.datetime, note: str = "") -> WhistleView:
    with unit_of_work(db, actor, "whistle.issue") as uow:
        w = _whistle(uow, whistle_id, open_only=True)
        mid = _book_meeting(uow, w, room, start, end, note)
        uow.audit("whistle.meeting", "whistle", w.number, meeting_id=mid, room=room)
        uow.event("whistle.changed", whistle_id=w.id)
        return _whistle_view(uow.s, w, uow.now, detail=True)


def add_departments(db: Database, actor: Actor, whistle_id: int, departments: Sequence[str]) -> WhistleView:
    """Summon more departments (e.g. after one returned the summons)."""
    with unit_of_work(db, actor, "whistle.issue") as uow:
        w = _whistle(uow, whistle_id, open_only=True)
        deadlines, _ = settings_of(uow.s)
        response, solution = due_moments(uow.s, rules.WhistleKind(w.kind), uow.now, deadlines)
        added = []
        for c in dict.fromkeys(departments):
            d = _department(uow.s, c)
            if uow.s.execute(select(Summons.id).where(Summons.whistle_id == w.id,
                                                     Summons.department_id == d.id)).first():
                raise Conflict(f"已向{d.name}吹哨")
            if not d.active:
                raise Conflict(f"部门“{d.name}”已停用")
            _summon(uow, w, d, response, solution, deadlines)
            added.append(c)
        if not added:
            raise InvalidInput("请至少选择一个部门")
        uow.audit("whistle.summon_more", "whistle", w.number, departments=added)
        uow.event("whistle.issued", whistle_id=w.id, number=w.number, departments=added)
        return _whistle_view(uow.s, w, uow.now, detail=True)


def _whistle(uow: UnitOfWork, whistle_id: int, *, open_only: bool = False) -> Whistle:
    w = uow.s.execute(uow.lock_for_update(select(Whistle).where(Whistle.id == whistle_id))).scalar_one_or_none()
    if w is None:
        raise NotFound(f"没有编号为 {whistle_id} 的吹哨事项")
    if open_only and w.state != "open":
        raise Conflict(f"吹哨{w.number}当前为“{rules.WhistleState(w.state).label}”")
    return w


def _meet(uow: UnitOfWork, deadline_id: int | None) -> None:
    if deadline_id is None:
        return
    row = uow.s.get(TrackedDeadline, deadline_id)
    if row is not None and row.met_on is None:
        row.met_on = local_day(uow.now)
        uow.event("deadline.changed", deadline_id=row.id, case_number=row.case_number)


def _stop(uow: UnitOfWork, deadline_id: int | None) -> None:
    row = uow.s.get(TrackedDeadline, deadline_id) if deadline_id else None
    if row is not None and row.active and row.met_on is None:
        row.active = False
        uow.event("deadline.changed", deadline_id=row.id, case_number=row.case_number)


# ================================================================ the department's side
def my_departments(db: Database, actor: Actor) -> list[DepartmentView]:
    actor.require("whistle.respond")
    with db.read() as s:
        rows = s.execute(select(Department).join(DepartmentMember, DepartmentMember.department_id == Department.id)
                         .where(DepartmentMember.user_id == actor.user_id).order_by(Department.id)).scalars()
        return [_dept_view(s, d) for d in rows]


def _dept_ids(s, actor: Actor) -> set[int]:
    return set(s.execute(select(DepartmentMember.department_id)
                         .where(DepartmentMember.user_id == actor.user_id)).scalars())


def my_summons(db: Database, actor: Actor, *, open_only: bool = False) -> list[SummonsView]:
    """The summons of the liaison's own department(s), newest first."""
    actor.require("whistle.respond")
    with db.read() as s:
        ids = _dept_ids(s, actor)
        if not ids:
            return []
        stmt = (select(Summons, Whistle, Department).join(Whistle, Whistle.id == Summons.whistle_id)
                .join(Department, Department.id == Summons.department_id)
                .where(Summons.department_id.in_(ids)).order_by(Summons.id.desc()))
        if open_only:
            stmt = stmt.where(Summons.state.in_(("summoned", "reported")))
        now = db.clock.now()
        return [_summons_view(s, sm, w, d, now) for sm, w, d in s.execute(stmt).all()]


def summons_detail(db: Database, actor: Actor, summons_id: int) -> SummonsView:
    """One summons with its actions. A department sees only its own; the centre sees all."""
    if not (actor.may("whistle.respond") or actor.may("whistle.read")):
        raise PermissionDenied(f"当前账户（{actor.username}）无权查看部门办理情况")
    with db.read() as s:
        row = s.execute(select(Summons, Whistle, Department).join(Whistle, Whistle.id == Summons.whistle_id)
                        .join(Department, Department.id == Summons.department_id)
                        .where(Summons.id == summons_id)).first()
        if row is None or (not actor.may("whistle.read") and row[0].department_id not in _dept_ids(s, actor)):
            raise NotFound(f"没有编号为 {summons_id} 的召集事项")
        sm, w, d = row
        return _summons_view(s, sm, w, d, db.clock.now(), actions=True)


def _whistle_row(s: Session, whistle_id: int) -> Whistle:
    return got_by_id(s, Whistle, whistle_id, "吹哨事项")


def _department_row(s: Session, department_id: int) -> Department:
    return got_by_id(s, Department, department_id, "部门")


def _own_summons(uow: UnitOfWork, summons_id: int) -> tuple[Summons, Whistle, Department]:
    if uow.actor is None:
        raise PermissionDenied("未登录，不能执行此操作")
    sm = uow.s.execute(uow.lock_for_update(select(Summons).where(Summons.id == summons_id))).scalar_one_or_none()
    if sm is None or sm.department_id not in _dept_ids(uow.s, uow.actor):
        raise NotFound(f"没有编号为 {summons_id} 的召集事项")
    w = _whistle_row(uow.s, sm.whistle_id)
    if w.state != "open":
        raise Conflict(f"吹哨{w.number}已{rules.WhistleState(w.state).label}")
    return sm, w, _department_row(uow.s, sm.department_id)


def _store(db: Database, files: Sequence) -> list[tuple[str, int, str]]:
    """Copy attachments into the evidence store before the transaction."""
    from pathlib import Path

    from .documents import store_file

    out = []
    for f in files or ():
        sha, size = store_file(db, f)
        out.append((sha, size, Path(f).name))
    return out


def _attach(uow: UnitOfWork, stored: list[tuple[str, int, str]]) -> list[dict]:
    import mimetypes

    from .documents import ensure_stored

    out = []
    for sha, size, name in stored:
        fid = ensure_stored(uow, sha, size, mimetypes.guess_type(name)[0] or "application/octet-stream", name)
        out.append({"stored_file_id": fid, "sha256": sha, "name": name, "size": size})
    return out


def _action(uow: UnitOfWork, sm: Summons, kind: str, text_: str, files: list[dict] | None = None) -> None:
    a = uow.actor
    uow.s.add(SummonsAction(summons_id=sm.id, at=uow.now, user_id=a.user_id if a else None,
                            author=(a.display_name or a.username) if a else "", kind=kind, text=text_,
                            files=files or []))


def report(db: Database, actor: Actor, summons_id: int, who: str, mode: str = "on_site") -> SummonsView:
    """报到: who came (or answered), on site or remote, now."""
    who = (who or "").strip()
    if not who:
        raise InvalidInput("请填写报到人员")
    if mode not in rules.REPORT_MODES:
        raise InvalidInput("报到方式应为现场报到或远程报到")
    with unit_of_work(db, actor, "whistle.respond") as uow:
        sm, w, d = _own_summons(uow, summons_id)
        if sm.state != "summoned":
            raise Conflict(f"{d.name}已{rules.SummonsState(sm.state).label}")
        sm.state, sm.reported_at, sm.reported_by, sm.report_mode = "reported", uow.now, who[:64], mode
        _meet(uow, sm.response_deadline_id)
        _action(uow, sm, "report", f"{rules.REPORT_MODES[mode]}：{who}")
        late = uow.now > sm.response_due_at
        uow.audit("whistle.report", "whistle_summons", sm.id, whistle=w.number, department=d.code, mode=mode,
                  late=late)
        uow.event("whistle.reported", whistle_id=w.id, summons_id=sm.id, department=d.code)
        return _summons_view(uow.s, sm, w, d, uow.now, actions=True)


def _reported_summons(uow: UnitOfWork, summons_id: int, doing: str) -> tuple[Summons, Whistle, Department]:
    """The actor's department's summons, once it has reported (报到) and is not yet resolved."""
    sm, w, d = _own_summons(uow, summons_id)
    if sm.state != "reported":
        raise Conflict(f"请先报到再{doing}" if sm.state == "summoned"
                       else f"{d.name}已{rules.SummonsState(sm.state).label}")
    return sm, w, d


def record_action(db: Database, actor: Actor, summons_id: int, text_: str, files: Sequence = ()) -> SummonsView:
    """处置情况: what was done, with photos or papers (kept in the evidence store)."""
    text_ = (text_ or "").strip()
    if not text_ and not files:
        raise InvalidInput("请填写处置情况或添加附件")
    actor.require("whistle.respond")
    stored = _store(db, files)
    with unit_of_work(db, actor, "whistle.respond") as uow:
        sm, w, d = _reported_summons(uow, summons_id, "记录处置情况")
        _action(uow, sm, "action", text_, _attach(uow, stored))
        uow.audit("whistle.action", "whistle_summons", sm.id, whistle=w.number, files=len(stored))
        uow.event("whistle.changed", whistle_id=w.id)
        return _summons_view(uow.s, sm, w, d, uow.now, actions=True)


def submit_result(db: Database, actor: Actor, summons_id: int, result: str, files: Sequence = ()) -> SummonsView:
    result = (result or "").strip()
    if not result:
        raise InvalidInput("请填写办理结果")
    actor.require("whistle.respond")
    stored = _store(db, files)
    with unit_of_work(db, actor, "whistle.respond") as uow:
        sm, w, d = _reported_summons(uow, summons_id, "提交办理结果")
        sm.state, sm.result, sm.resolved_at = "resolved", result, uow.now
        _meet(uow, sm.solution_deadline_id)
        _action(uow, sm, "result", result, _attach(uow, stored))
        uow.audit("whistle.result", "whistle_summons", sm.id, whistle=w.number, department=d.code,
                  late=uow.now > sm.solution_due_at)
        uow.event("whistle.resolved", whistle_id=w.id, summons_id=sm.id, department=d.code)
        return _summons_view(uow.s, sm, w, d, uow.now, actions=True)


def return_summons(db: Database, actor: Actor, summons_id: int, reason: str) -> SummonsView:
    """退回: not this department's duty (or another reason), always with the reason, to the centre."""
    actor.require("whistle.respond")  # before looking at the input
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput("退回须写明理由（至少4个字）")
    with unit_of_work(db, actor, "whistle.respond") as uow:
        sm, w, d = _own_summons(uow, summons_id)
        if sm.state not in ("summoned", "reported"):
            raise Conflict(f"{d.name}已{rules.SummonsState(sm.state).label}，不能退回")
        sm.state, sm.returned_at, sm.return_reason = "returned", uow.now, reason
        _stop(uow, sm.response_deadline_id)
        _stop(uow, sm.solution_deadline_id)
        _action(uow, sm, "return", reason)
        uow.audit("whistle.return", "whistle_summons", sm.id, whistle=w.number, department=d.code)
        uow.event("whistle.returned", whistle_id=w.id, summons_id=sm.id, department=d.code, reason=reason)
        return _summons_view(uow.s, sm, w, d, uow.now, actions=True)


# ================================================================ the centre: 督办, closure, rating
@dataclass(frozen=True)
class EscalationView(JsonView):
    summons_id: int
    whistle_number: str
    department_name: str
    what: str
    due_at: dt.datetime


def escalate_overdue(db: Database, actor: Actor) -> list[EscalationView]:
    """督办: every summons past its 报到 or 办结 moment gets one escalation of that kind (idempotent)."""
    with unit_of_work(db, actor, "whistle.close") as uow:
        out = []
        rows = uow.s.execute(uow.lock_for_update(
            select(Summons).join(Whistle, Whistle.id == Summons.whistle_id)
            .where(Whistle.state == "open", Summons.state.in_(("summoned", "reported")))
            .order_by(Summons.id))).scalars().all()
        for sm in rows:
            done = {e[1] for e in sm.escalations or ()}
            for what, due, pending in (("response", sm.response_due_at, sm.state == "summoned"),
                                       ("solution", sm.solution_due_at, True)):
                if pending and uow.now > due and what not in done:
                    out.append(_escalate(uow, sm, what, ""))
        return out


def escalate(db: Database, actor: Actor, summons_id: int, note: str) -> EscalationView:
    """A 督办 by hand (e.g. the resident called again)."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写督办意见")
    with unit_of_work(db, actor, "whistle.close") as uow:
        sm = uow.s.execute(uow.lock_for_update(select(Summons).where(Summons.id == summons_id))).scalar_one_or_none()
        if sm is None:
            raise NotFound(f"没有编号为 {summons_id} 的召集事项")
        if sm.state not in ("summoned", "reported"):
            raise Conflict("该部门已办理或已退回，无需督办")
        return _escalate(uow, sm, "manual", note)


_WHAT = {"response": "逾期未报到", "solution": "逾期未办结", "manual": "督办"}


def _escalate(uow: UnitOfWork, sm: Summons, what: str, note: str) -> EscalationView:
    w = _whistle_row(uow.s, sm.whistle_id)
    d = _department_row(uow.s, sm.department_id)
    sm.escalations = [*(sm.escalations or []), [uow.now.isoformat(), what, note]]
    _action(uow, sm, "escalation", f"{_WHAT[what]}{'：' + note if note else ''}")
    uow.audit("whistle.escalate", "whistle_summons", sm.id, whistle=w.number, department=d.code, what=what)
    uow.event("whistle.escalated", whistle_id=w.id, summons_id=sm.id, department=d.code, what=what)
    due = sm.response_due_at if what == "response" else sm.solution_due_at
    return EscalationView(sm.id, w.number, d.name, _WHAT[what], due)


def confirm_closure(db: Database, actor: Actor, whistle_id: int, note: str = "") -> WhistleView:
    """The centre confirms the matter solved: every department still summoned has a result."""
    with unit_of_work(db, actor, "whistle.close") as uow:
        w = _whistle(uow, whistle_id, open_only=True)
        rows = uow.s.execute(select(Summons, Department).join(Department, Department.id == Summons.department_id)
                             .where(Summons.whistle_id == w.id)).all()
        pending = [d.name for sm, d in rows if sm.state in ("summoned", "reported")]
        if pending:
            raise Conflict(f"以下部门尚未提交办理结果：{'、'.join(pending)}")
        results = [f"{d.name}：{sm.result}" for sm, d in rows if sm.state == "resolved"]
        if not results:
            raise Conflict("没有部门提交办理结果（均已退回），请改派部门")
        w.state, w.closed_at, w.closed_by, w.closure_note = "closed", uow.now, actor.user_id, (note or "").strip()
        if w.subject_type == "event" and w.subject_id:
            ev = uow.s.get(IntakeEvent, w.subject_id)
            if ev is not None:
                ev.state, ev.closed_at = "closed", uow.now
                ev.result = "；".join(results) + (f"。{w.closure_note}" if w.closure_note else "")
        uow.audit("whistle.close", "whistle", w.number)
        uow.event("whistle.closed", whistle_id=w.id, number=w.number)
        return _whistle_view(uow.s, w, uow.now, detail=True)


def record_satisfaction(db: Database, actor: Actor, whistle_id: int, rating: int, channel: str,
                        note: str = "") -> WhistleView:
    """The resident's satisfaction from a visit or phone follow-up, 1-5 (the kiosk's
    comes from the resident with the code: ``rate_by_resident_code``)."""
    actor.require("whistle.close")  # before looking at the input
    if channel not in rules.SATISFACTION_CHANNELS or channel == "kiosk":
        raise InvalidInput("回访方式应为上门回访或电话回访（评价器的评价由群众凭评价码提交）")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("满意度应为1到5")
    with unit_of_work(db, actor, "whistle.close") as uow:
        w = _whistle(uow, whistle_id)
        if w.state != "closed":
            raise Conflict("办结后才能回访满意度")
        old = w.satisfaction
        w.satisfaction, w.satisfaction_channel = rating, channel
        w.satisfaction_note, w.satisfaction_at = (note or "").strip(), uow.now
        uow.audit("whistle.satisfaction", "whistle", w.number, rating=rating, channel=channel, previous=old)
        uow.event("whistle.changed", whistle_id=w.id)
        return _whistle_view(uow.s, w, uow.now, detail=True)


def resident_code(db: Database, actor: Actor, whistle_id: int) -> str:
    """The resident's code of a closed whistle, told (or printed) at closure:
    typed at the kiosk, it rates the handling (``rate_by_resident_code``)."""
    actor.require("whistle.close")  # before looking at the input
    from . import satisfaction as sat

    with db.read() as s:
        w = s.get(Whistle, whistle_id)
        if w is None:
            raise NotFound(f"没有编号为 {whistle_id} 的吹哨事项")
        if w.state != "closed":
            raise Conflict("办结后才有群众评价码")
    code = sat.whistle_code_for_id(whistle_id, sat.whistle_salt(db))
    if code is None:   # an id beyond what a code can name
        raise Conflict("此吹哨事项没有群众评价码")
    return code


@dataclass(frozen=True)
class KioskWhistleRating(JsonView):
    """What the kiosk learns of a rated whistle: its number and the rating, nothing of the resident."""

    whistle_number: str
    rating: int
    rating_label: str
    channel: str
    rated_at: dt.datetime


def rate_by_resident_code(db: Database, code: str, rating: int, tags: Sequence[str] = (), comment: str = "",
                          *, actor: Actor | None = None) -> KioskWhistleRating:
    """The resident rates a closed whistle at the kiosk with its resident code
    (no sign-in: the code is the key). Stored as the whistle's satisfaction
    with the channel ``kiosk``; it counts in the month's assessment. A whistle
    is rated once (a kiosk rating does not replace a follow-up's), within
    ``WHISTLE_CODE_VALID_DAYS`` days of its closure."""
    from . import satisfaction as sat

    rating, tags, comment = sat._check(rating, tags, comment)
    salt = sat.whistle_salt(db)
    whistle_id = sat.whistle_id_for_code(code, salt)
    if whistle_id is None:
        raise InvalidInput("吹哨事项评价码应为 S 开头的 7 位字母或数字（不含 0、1、I、O），请核对")
    with unit_of_work(db, actor) as uow:
        w = uow.s.execute(uow.lock_for_update(select(Whistle).where(Whistle.id == whistle_id))).scalar_one_or_none()
        if w is None or w.state == "cancelled":
            raise NotFound("评价码无效，请核对办结时告知的评价码")
        if w.state != "closed":
            raise Conflict("该事项尚未办结，办结后才能评价")
        if as_utc(w.closed_at) + dt.timedelta(days=sat.WHISTLE_CODE_VALID_DAYS) < uow.now:
            raise Conflict(f"评价码已过期（办结后 {sat.WHISTLE_CODE_VALID_DAYS} 天内有效）")
        if w.satisfaction is not None:
            raise Conflict("该事项已经评价过了，每件事项只能评价一次")
        note = "、".join(sat.REASON_TAGS[t] for t in tags)
        if comment:
            note = f"{note}；{comment}" if note else comment
        w.satisfaction, w.satisfaction_channel = rating, "kiosk"
        w.satisfaction_note, w.satisfaction_at = note, uow.now
        uow.audit("whistle.satisfaction", "whistle", w.number, rating=rating, channel="kiosk", tags=list(tags))
        uow.event("whistle.changed", whistle_id=w.id)
        return KioskWhistleRating(w.number, rating, rules.SATISFACTION_LABELS[rating], "kiosk", uow.now)


def review_case(db: Database, actor: Actor, whistle_id: int, department: str, score: int, note: str) -> WhistleView:
    """一案一评: the centre's score (0-100) of one department on one 攻坚/应急 whistle."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise InvalidInput("一案一评分数应为0到100的整数")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写评价意见")
    with unit_of_work(db, actor, "whistle.assess") as uow:
        w = _whistle(uow, whistle_id)
        if not rules.WhistleKind(w.kind).case_by_case:
            raise InvalidInput("日常哨按负面清单考核，不做一案一评")
        if w.state != "closed":
            raise Conflict("办结后才能一案一评")
        d = _department(uow.s, department)
        sm = uow.s.execute(select(Summons).where(Summons.whistle_id == w.id, Summons.department_id == d.id)
                           ).scalar_one_or_none()
        if sm is None:
            raise NotFound(f"吹哨{w.number}没有召集{d.name}")
        sm.review_score, sm.review_note = score, note
        uow.audit("whistle.review", "whistle_summons", sm.id, whistle=w.number, department=d.code, score=score)
        uow.event("whistle.changed", whistle_id=w.id)
        return _whistle_view(uow.s, w, uow.now, detail=True)


def adjust(db: Database, actor: Actor, month: str, target_type: str, target: str, points: float,
           reason: str) -> int:
    """加减分: points added or deducted directly in a month, with the reason."""
    actor.require("whistle.assess")  # before looking at the input
    try:
        year, mon = (int(x) for x in month.split("-"))
        rules.month_bounds(year, mon)
    except ValueError:
        raise InvalidInput(f"月份“{month}”格式不正确，应为 YYYY-MM") from None
    if target_type not in ("department", "street"):
        raise InvalidInput("加减分对象应为部门或街道")
    if not (reason or "").strip():
        raise InvalidInput("加减分须写明理由")
    if not -100 <= float(points) <= 100 or float(points) == 0:
        raise InvalidInput("加减分应在-100到100之间且不为0")
    with unit_of_work(db, actor, "whistle.assess") as uow:
        if target_type == "department":
            _department(uow.s, target)
        row = AssessmentAdjustment(month=f"{year:04d}-{mon:02d}", target_type=target_type, target=target,
                                   points=float(points), reason=reason.strip(), at=uow.now, user_id=actor.user_id)
        uow.s.add(row)
        uow.s.flush()
        uow.audit("whistle.adjust", target_type, target, month=row.month, points=float(points))
        return row.id


# ================================================================ assessment
@dataclass(frozen=True)
class DepartmentScore(JsonView):
    code: str
    name: str
    figures: dict
    #: figure -> the records behind it (whistle numbers)
    records: dict


@dataclass(frozen=True)
class StreetScore(JsonView):
    street: str
    figures: dict
    records: dict


@dataclass(frozen=True)
class Assessment(JsonView):
    month: str
    weights: dict
    whistles: int
    closed: int
    closure_rate: float
    resolved_summons: int
    on_time_summons: int
    on_time_rate: float
    departments: tuple
    streets: tuple
    records: dict


def monthly_assessment(db: Database, actor: Actor, year: int, month: int) -> Assessment:
    """The month's two-way assessment of whistles blown in that month (local days).

    Every figure lists the whistle numbers behind it (``records``).
    """
    actor.require("whistle.read")
    try:
        first, last = rules.month_bounds(year, month)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    lo = dt.datetime.combine(first, dt.time(0), HALL_TZ).astimezone(UTC)
    hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), HALL_TZ).astimezone(UTC)
    key = f"{year:04d}-{month:02d}"
    with db.read() as s:
        _, weights = settings_of(s)
        now = db.clock.now()
        ws = list(s.execute(select(Whistle).where(Whistle.issued_at >= lo, Whistle.issued_at < hi,
                                                  Whistle.state != "cancelled").order_by(Whistle.id)).scalars())
        by_id = {w.id: w for w in ws}
        summons = s.execute(select(Summons, Department).join(Department, Department.id == Summons.department_id)
                            .where(Summons.whistle_id.in_(list(by_id) or [-1])).order_by(Summons.id)).all()
        adjustments = list(s.execute(select(AssessmentAdjustment).where(AssessmentAdjustment.month == key)).scalars())
    per_dept: dict[str, list] = {}
    names: dict[str, str] = {}
    returned_of: dict[int, bool] = {}
    resolved = on_time = 0
    resolved_recs, on_time_recs = [], []
    for sm, d in summons:
        w = by_id[sm.whistle_id]
        names[d.code] = d.name
        returned = sm.state == "returned"
        returned_of[w.id] = returned_of.get(w.id, False) or returned
        reported_ok = None if sm.reported_at is None else sm.reported_at <= sm.response_due_at
        if sm.reported_at is None and not returned and now > sm.response_due_at:
            reported_ok = False
        resolved_ok = None if sm.resolved_at is None else sm.resolved_at <= sm.solution_due_at
        if sm.resolved_at is None and not returned and now > sm.solution_due_at:
            resolved_ok = False
        if sm.resolved_at is not None:
            resolved += 1
            resolved_recs.append(w.number)
            if resolved_ok:
                on_time += 1
                on_time_recs.append(w.number)
        per_dept.setdefault(d.code, []).append(rules.SummonsFacts(
            sm.id, w.number, w.kind, reported_ok, resolved_ok, bool(sm.escalations), returned,
            sm.review_score, w.satisfaction))
    adj: dict[tuple[str, str], list[AssessmentAdjustment]] = {}
    for a in adjustments:
        adj.setdefault((a.target_type, a.target), []).append(a)
    departments = []
    for code, facts in sorted(per_dept.items(), key=lambda kv: names[kv[0]]):
        extra = adj.get(("department", code), [])
        fig = rules.department_score(facts, weights, sum(a.points for a in extra))
        recs = {"summons": [f.whistle_number for f in facts],
                "reported_on_time": [f.whistle_number for f in facts if f.reported_on_time and not f.returned],
                "resolved_on_time": [f.whistle_number for f in facts if f.resolved_on_time and not f.returned],
                "satisfied": [f.whistle_number for f in facts
                              if not f.returned and f.satisfaction is not None and f.satisfaction >= 4],
                "escalated": [f.whistle_number for f in facts if f.escalated],
                "returned": [f.whistle_number for f in facts if f.returned],
                "adjustment": [f"{a.points:+g}：{a.reason}" for a in extra]}
        departments.append(DepartmentScore(code, names[code], fig, recs))
    per_street: dict[str, list] = {}
    for w in ws:
        per_street.setdefault(w.street or "（未注明街道）", []).append(rules.WhistleFacts(
            w.number, w.state == "closed", not returned_of.get(w.id, False), w.satisfaction))
    streets = []
    for street, facts in sorted(per_street.items()):
        extra = adj.get(("street", street), [])
        fig = rules.street_score(facts, weights, sum(a.points for a in extra))
        recs = {"whistles": [f.number for f in facts], "closed": [f.number for f in facts if f.closed],
                "well_aimed": [f.number for f in facts if f.well_aimed],
                "satisfied": [f.number for f in facts if f.satisfaction is not None and f.satisfaction >= 4],
                "adjustment": [f"{a.points:+g}：{a.reason}" for a in extra]}
        streets.append(StreetScore(street, fig, recs))
    closed = [w.number for w in ws if w.state == "closed"]
    return Assessment(key, dict(weights), len(ws), len(closed), rules.score(len(closed), len(ws)), resolved,
                      on_time, rules.score(on_time, resolved), tuple(departments), tuple(streets),
                      {"whistles": [w.number for w in ws], "closed": closed, "resolved": resolved_recs,
                       "on_time": on_time_recs})


def whistles_by_number(db: Database, actor: Actor, numbers: Sequence[str]) -> list[WhistleView]:
    """The whistles behind a figure of the assessment, in the order given."""
    actor.require("whistle.read")
    wanted = list(dict.fromkeys(str(n) for n in numbers))
    if not wanted:
        return []
    with db.read() as s:
        found = {w.number: w for w in s.execute(select(Whistle).where(Whistle.number.in_(wanted))).scalars()}
        now = db.clock.now()
        return [_whistle_view(s, found[n], now) for n in wanted if n in found]


def assessment_xlsx(a: Assessment) -> bytes:
    """The assessment as a workbook: departments, streets, the records behind each figure."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    sh.title = "部门考核"
    sh.append([f"{a.month} 吹哨报到双向考核", "", f"办结率 {a.closure_rate}%", f"按时办结率 {a.on_time_rate}%"])
    sh.append(["部门", "召集", "按时报到", "按时办结", "满意", "被督办", "退回", "报到得分率", "办理得分率",
               "满意度得分率", "系统得分", "街道评价", "加减分", "总分"])
    for d in a.departments:
        f = d.figures
        sh.append([d.name, f["summons"], f["reported_on_time"], f["resolved_on_time"], f["satisfied"],
                   f["escalated"], f["returned"], f["report_rate"], f["solve_rate"], f["satisfaction_rate"],
                   f["system_score"], f["street_score"], f["adjustment"], f["total"]])
    st = wb.create_sheet("街道考核")
    st.append(["街道", "吹哨", "办结", "吹哨准确", "满意", "吹哨质量", "办结率", "满意率", "加减分", "总分"])
    for x in a.streets:
        f = x.figures
        st.append([x.street, f["whistles"], f["closed"], f["well_aimed"], f["satisfied"], f["quality_rate"],
                   f["closure_rate"], f["satisfaction_rate"], f["adjustment"], f["total"]])
    rec = wb.create_sheet("明细")
    rec.append(["对象", "指标", "记录"])
    for d in a.departments:
        for k, v in d.records.items():
            rec.append([d.name, k, "、".join(v)])
    for x in a.streets:
        for k, v in x.records.items():
            rec.append([x.street, k, "、".join(v)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
