"""The administrator's setup of the centre, one change at a time, and as a whole.

Every function here needs ``centre.configure`` (the admin), changes one thing
in one transaction, and audits it with the old and the new values
(``details["changes"] = {field: [old, new]}``); configuration holds no ID
numbers, so none reach the audit log. Bad values are refused with a Chinese
sentence naming the problem, using the catalogue's own checks
(``hall.domain.catalogue.check_catalogue``). What history refers to is
deactivated, never deleted.

``export_config`` gives everything a centre's setup holds as plain data;
``import_config`` installs such data into another database: validated first,
then applied in one transaction (all or nothing), idempotent. Users travel
without password hashes: an imported account gets a generated temporary
password, reported once, and must change it at its first sign-in.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, SupportsInt

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hall.domain import appointments as appt_rules
from hall.domain.catalogue import Season, ServiceDef, WindowDef, check_catalogue, season_from_data
from hall.domain.queue import PriorityReason
from hall.domain.roles import Role, parse_roles
from hall.domain.whistle import SETTING_CHECKS as WHISTLE_SETTING_CHECKS
from hall.domain.workcalendar import YearSchedule
from hall.store.centre_models import Appointment, AppointmentPlan, Rating, WindowHours
from hall.store.db import Database
from hall.store.models import (
    HolidaySchedule,
    Room,
    Service,
    Setting,
    Ticket,
    TicketCounter,
    User,
    Window,
    WindowService,
)

from . import deadlines as deadline_service
from . import users as user_service
from . import whistle as whistle_service
from .base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, checked_name, get_setting, unit_of_work
from .base import put_setting as _put_setting
from .centre import centre_profile, parse_catalogue, refuse_prefix_change
from .views import JsonView

ACTION = "centre.configure"
_UNSET: Any = object()
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")

CONFIG_FORMAT = "hall.centre-config"
CONFIG_VERSION = 1

#: The centre's profile, as the admin edits it (key -> label).
PROFILE_FIELDS: dict[str, str] = {
    "name": "中心名称",
    "short_name": "中心简称",
    "address": "中心地址",
    "phone": "中心电话",
    "mediation_committee": "人民调解委员会名称",
    "mediation_committee_address": "人民调解委员会地址",
    "mediation_case_pattern": "调解案号格式",
    "mediation_document_header": "调解文书抬头",
    "mediation_seal_text": "调解委员会印章文字",
    "arbitration_commission": "劳动人事争议仲裁委员会名称",
    "arbitration_commission_address": "仲裁委员会地址",
    "arbitration_case_pattern": "仲裁案号格式",
    "arbitration_receipt_pattern": "仲裁收件编号格式",
    "petition_case_pattern": "信访编号格式",
    "arbitration_document_header": "仲裁文书抬头",
    "arbitration_seal_text": "仲裁委员会印章文字",
}
CASE_PATTERN_FIELDS = ("mediation_case_pattern", "arbitration_case_pattern", "arbitration_receipt_pattern",
                       "petition_case_pattern")

#: Kinds of rooms (key -> label).
ROOM_KINDS: dict[str, str] = {
    "mediation": "调解室", "counselling": "心理咨询室", "tribunal": "仲裁庭", "media": "媒体室",
    "meeting": "会议室", "reception": "接待室", "other": "其他",
}

PROFILE_KEY = "centre.profile"
KEYWORD_RULES_KEY = "frontdesk.keyword_rules"
#: Settings that never leave the database (secrets of this installation).
PRIVATE_SETTINGS = frozenset({"satisfaction.code_salt"})


# ----------------------------------------------------------- value checks
def _positive_amount(label: str) -> Callable[[Any], Any]:
    def check(value):
        if isinstance(value, bool):
            raise ValueError(f"{label}应为正数")
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", ""))
            except ValueError:
                raise ValueError(f"{label}“{value}”不是数字") from None
        if not isinstance(value, Real) or value != value or value <= 0 or value == float("inf"):
            raise ValueError(f"{label}应为正数")
        return math.trunc(value) if float(value).is_integer() else float(value)
    return check


def _int_between(label: str, lo: int, hi: int, unit: str = "") -> Callable[[Any], int]:
    def check(value):
        if isinstance(value, bool):
            raise ValueError(f"{label}应为 {lo} 到 {hi}{unit} 的整数")
        try:
            number = int(str(value).strip()) if isinstance(value, str) else value
        except ValueError:
            raise ValueError(f"{label}“{value}”不是整数") from None
        if not isinstance(number, int) or not lo <= number <= hi:
            raise ValueError(f"{label}应为 {lo} 到 {hi}{unit} 的整数")
        return number
    return check


#: Settings the admin edits, with their check (returns the stored value or
#: raises ``ValueError`` with a Chinese message). Other settings pass as they are.
SETTING_CHECKS: dict[str, Callable[[Any], Any]] = {
    "queue.priority_cap": _int_between("连续优先叫号上限", 0, 20, "次"),
    "queue.rank_penalty_minutes": _int_between("非本窗口业务的顺位间隔", 0, 240, "分钟"),
    "queue.no_show_return_minutes": _int_between("过号后回来可重新排队的时限", 0, 240, "分钟"),
    "rules.local_monthly_minimum_wage": _positive_amount("当地月最低工资标准"),
    "rules.province_average_annual_wage": _positive_amount("全省上年度职工年平均工资"),
    "appointments.early_minutes": _int_between("预约提前签到时间", 0, 240, "分钟"),
    "appointments.late_minutes": _int_between("预约迟到宽限时间", 0, 240, "分钟"),
}
SETTING_CHECKS.update(WHISTLE_SETTING_CHECKS)   # 吹哨报到: periods per kind, assessment weights


def case_pattern_problem(label: str, pattern: object) -> str | None:
    """Why a case-number pattern cannot be used, or ``None``.

    A pattern holds ``{year}`` and ``{seq}`` (``{seq:03d}`` may pad the
    number) and nothing else in braces: ``（{year}）东人调字第{seq}号``.
    """
    if not isinstance(pattern, str) or not pattern.strip():
        return f"{label}不能为空"
    for name, meaning in (("year", "年份"), ("seq", "序号")):
        if not re.search(r"\{" + name + r"(:[^{}]*)?\}", pattern):
            return f"{label}“{pattern}”缺少 {{{name}}}（{meaning}），应同时包含 {{year}} 和 {{seq}}"
    try:
        pattern.format(year=2026, seq=1)
    except (KeyError, IndexError, ValueError):
        return f"{label}“{pattern}”只能使用 {{year}} 和 {{seq}} 两个占位符"
    return None


def profile_problems(profile: object) -> list[str]:
    out = []
    if not isinstance(profile, Mapping):
        return ["中心信息格式不正确"]
    for key, value in profile.items():
        if key not in PROFILE_FIELDS:
            out.append(f"未知的中心信息项：{key}")
        elif not isinstance(value, str):
            out.append(f"{PROFILE_FIELDS[key]}应为文字")
        elif len(value) > 200:
            out.append(f"{PROFILE_FIELDS[key]}过长（最多 200 字）")
    if not str(profile.get("name", "")).strip():
        out.append("中心名称不能为空")
    for key in CASE_PATTERN_FIELDS:
        if profile.get(key) not in (None, ""):
            problem = case_pattern_problem(PROFILE_FIELDS[key], profile[key])
            if problem:
                out.append(problem)
    return out


def priority_weights_problems(weights: object) -> list[str]:
    if weights is None:
        return []
    if not isinstance(weights, Mapping):
        return ["优先权重应为“优先原因: 分钟数”的对应表"]
    out = []
    for key, value in weights.items():
        try:
            reason = PriorityReason(key)
        except ValueError:
            out.append(f"未知的优先原因：{key}（可用：{'、'.join(r.value + '=' + r.label for r in PriorityReason)}）")
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 480:
            out.append(f"“{reason.label}”的优先权重应为 0 到 480 分钟的整数")
    return out


def keyword_rules_problems(rules: object, service_codes: set[str]) -> list[str]:
    if not isinstance(rules, (list, tuple)):
        return ["关键词规则应为列表：[{\"service\": 业务代码, \"words\": [关键词, ...]}, ...]"]
    out = []
    for i, rule in enumerate(rules, 1):
        if not isinstance(rule, Mapping) or "service" not in rule or "words" not in rule:
            out.append(f"第 {i} 条关键词规则应包含 service 和 words")
            continue
        if rule["service"] not in service_codes:
            out.append(f"第 {i} 条关键词规则的业务“{rule['service']}”不存在")
        words = rule["words"]
        if not isinstance(words, (list, tuple)) or not words:
            out.append(f"第 {i} 条关键词规则至少要有一个关键词")
        elif any(not isinstance(w, str) or not w.strip() for w in words):
            out.append(f"第 {i} 条关键词规则有空的关键词")
    return out


def _clean_rules(rules: Sequence[Mapping]) -> list[dict]:
    return [{"service": r["service"], "words": list(dict.fromkeys(w.strip() for w in r["words"]))}
            for r in rules]


def _room_problems(code: str, name: str, kind: str, capacity: object) -> list[str]:
    out = []
    if not _CODE.match(code or ""):
        out.append(f"房间代码“{code}”只能用小写字母、数字和下划线，以字母开头")
    if not (name or "").strip():
        out.append("房间名称不能为空")
    if kind not in ROOM_KINDS:
        out.append(f"未知的房间类型：{kind}（可用：{'、'.join(k + '=' + v for k, v in ROOM_KINDS.items())}）")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 500:
        out.append("房间容纳人数应为 1 到 500 的整数")
    return out


def _date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{what}“{value}”格式不正确，应为 YYYY-MM-DD") from None


def _season(value: object) -> Season | None:
    if value in (None, "", {}):
        return None
    if isinstance(value, Season):
        return value
    if isinstance(value, Mapping):
        start, end = value.get("start"), value.get("end")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        start, end = value
    else:
        raise InvalidInput("季节性开放日期应写成 {start, end} 或 [开始, 结束]")
    try:
        return season_from_data({"start": start, "end": end, **(
            {"yearly": value["yearly"]} if isinstance(value, Mapping) and "yearly" in value else {})})
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _hours(value: Mapping[str, Any] | None) -> dict[str, list[list[str]]]:
    try:
        return appt_rules.normalise_hours(value or {})
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _year_schedule(year: object, holidays: Sequence, swapped: Sequence) -> YearSchedule:
    try:
        if not isinstance(year, (str, SupportsInt)):   # what int() takes
            raise TypeError
        number = int(year)
    except (TypeError, ValueError):
        raise InvalidInput(f"年份“{year}”不正确") from None
    try:
        days = [(_date(d, "节假日日期"), str(name)) for d, name in holidays]
    except (TypeError, ValueError):
        raise InvalidInput("节假日应写成 [日期, 名称] 的列表") from None
    try:
        return YearSchedule(number, days, [_date(d, "调休上班日") for d in swapped])
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _plan(data: Mapping) -> tuple[appt_rules.SlotPlan, dict]:
    hours = _hours(data.get("hours", appt_rules.DEFAULT_HOURS))
    plan = appt_rules.SlotPlan(
        slot_minutes=data.get("slot_minutes", appt_rules.DEFAULT_SLOT_MINUTES),
        capacity=data.get("capacity", appt_rules.DEFAULT_CAPACITY),
        hours=appt_rules.parse_hours(hours),
        days_ahead=data.get("days_ahead", appt_rules.DEFAULT_DAYS_AHEAD))
    problems = plan.problems()
    if problems:
        raise InvalidInput("预约设置有误：" + "；".join(problems))
    return plan, hours


def _refuse(problems: list[str], lead: str = "") -> None:
    if problems:
        raise InvalidInput(lead + "；".join(dict.fromkeys(problems)))


def _changes(old: Mapping, new: Mapping) -> dict:
    """``{field: [old, new]}`` for the fields that differ (JSON-able values)."""
    def j(v):
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        if isinstance(v, tuple):
            return [j(x) for x in v]
        return v
    return {k: [j(old.get(k)), j(new.get(k))] for k in dict.fromkeys([*old, *new])
            if old.get(k) != new.get(k)}


# ------------------------------------------------------------------ views
@dataclass(frozen=True)
class ServiceDetail(JsonView):
    code: str
    name: str
    prefix: str
    description: str
    carry_over: bool
    priority_weights: dict
    sort_order: int
    active: bool


@dataclass(frozen=True)
class WindowDetail(JsonView):
    code: str
    number: int
    name: str
    services: tuple[str, ...]
    season_start: dt.date | None
    season_end: dt.date | None
    hours: dict
    active: bool
    state: str
    season_yearly: bool = True
    area: str = ""

    @property
    def season(self) -> Season | None:
        if self.season_start is None or self.season_end is None:
            return None
        return Season(self.season_start, self.season_end, yearly=self.season_yearly)


@dataclass(frozen=True)
class RoomDetail(JsonView):
    code: str
    name: str
    kind: str
    capacity: int
    video: bool
    active: bool


@dataclass(frozen=True)
class AccountPassword(JsonView):
    """An account and the temporary password generated for it (shown once)."""

    user: user_service.UserView
    password: str | None


@dataclass(frozen=True)
class ImportResult(JsonView):
    changed: dict
    temporary_passwords: dict = field(default_factory=dict)  # username -> password, shown once


def _service_detail(x: Service) -> ServiceDetail:
    return ServiceDetail(x.code, x.name, x.prefix, x.description or "", bool(x.carry_over),
                         dict(x.priority_weights or {}), x.sort_order, bool(x.active))


def _service_values(x: Service) -> dict:
    d = _service_detail(x)
    return dict(name=d.name, prefix=d.prefix, description=d.description, carry_over=d.carry_over,
                priority_weights=d.priority_weights, sort_order=d.sort_order, active=d.active)


def _window_detail(s: Session, w: Window) -> WindowDetail:
    hours = s.get(WindowHours, w.id)
    return WindowDetail(w.code, w.number, w.name, tuple(link.service.code for link in w.services),
                        w.season_start, w.season_end, dict(hours.hours) if hours else {},
                        bool(w.active), w.state, w.season_yearly is not False, w.area or "")


def _window_values(d: WindowDetail) -> dict:
    return dict(number=d.number, name=d.name, services=list(d.services),
                season_start=d.season_start, season_end=d.season_end, season_yearly=d.season_yearly,
                hours=d.hours, active=d.active, area=d.area)


def _room_detail(r: Room) -> RoomDetail:
    return RoomDetail(r.code, r.name, r.kind, r.capacity, bool(r.video), bool(r.active))


# ----------------------------------------------------------------- helpers
def _service_row(s: Session, code: str) -> Service:
    row = s.execute(select(Service).where(Service.code == code)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"没有代码为“{code}”的业务")
    return row


def _window_row(s: Session, code: str) -> Window:
    row = s.execute(select(Window).where(Window.code == code)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"没有代码为“{code}”的窗口")
    return row


def _room_row(s: Session, code: str) -> Room:
    row = s.execute(select(Room).where(Room.code == code)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"没有代码为“{code}”的房间")
    return row


def _defs(s: Session) -> tuple[dict[str, ServiceDef], dict[str, WindowDef]]:
    """Every service and every active window as catalogue data, by code."""
    services = {x.code: ServiceDef(x.code, x.name, x.prefix, bool(x.carry_over), x.description or "",
                                   dict(x.priority_weights or {}))
                for x in s.execute(select(Service).order_by(Service.sort_order, Service.id)).scalars()}
    windows = {}
    for w in s.execute(select(Window).where(Window.active.is_(True)).order_by(Window.number)).scalars():
        windows[w.code] = WindowDef(w.code, w.number, w.name,
                                    tuple(link.service.code for link in w.services), w.season)
    return services, windows


def _check_defs(services: dict[str, ServiceDef], windows: dict[str, WindowDef]) -> None:
    _refuse(check_catalogue(list(services.values()), list(windows.values())))


def _changed(uow: UnitOfWork, what: str, code: str = "") -> None:
    uow.event("centre.changed", what=what, code=code)


def _setting_row(s: Session, key: str) -> Setting | None:
    return s.get(Setting, key)


# ----------------------------------------------------------------- profile
def update_profile(db: Database, actor: Actor, **changes: object) -> dict:
    """Change fields of the centre's profile (see ``PROFILE_FIELDS``); an empty
    string clears an optional field. Returns the whole profile."""
    with unit_of_work(db, actor, ACTION) as uow:
        old = dict(get_setting(uow.s, PROFILE_KEY, {}) or {})
        new = dict(old)
        for key, value in changes.items():
            if key not in PROFILE_FIELDS:
                raise InvalidInput(f"未知的中心信息项：{key}")
            value = (value or "").strip() if isinstance(value, str) or value is None else value
            if value == "":
                new.pop(key, None)
            else:
                new[key] = value
        _refuse(profile_problems(new))
        diff = _changes(old, new)
        if diff:
            _put_setting(uow.s, PROFILE_KEY, new)
            uow.audit("centre.profile", "centre", "", changes=diff)
            _changed(uow, "profile")
        return new


# ---------------------------------------------------------------- services
def list_all_services(db: Database) -> list[ServiceDetail]:
    """Every service, active or not (the admin's list)."""
    with db.read() as s:
        return [_service_detail(x) for x in
                s.execute(select(Service).order_by(Service.sort_order, Service.id)).scalars()]


def add_service(db: Database, actor: Actor, code: str, name: str, prefix: str, *,
                description: str = "", carry_over: bool = False,
                priority_weights: Mapping[str, int] | None = None) -> ServiceDetail:
    """A new service at the end of the front desk's list."""
    _refuse(priority_weights_problems(priority_weights))
    with unit_of_work(db, actor, ACTION) as uow:
        services, windows = _defs(uow.s)
        if code in services:
            raise Conflict(f"业务代码“{code}”已存在")
        d = ServiceDef(code, (name or "").strip(), (prefix or "").strip(), bool(carry_over),
                       (description or "").strip(), dict(priority_weights or {}))
        services[code] = d
        _check_defs(services, windows)
        order = uow.s.execute(select(func.coalesce(func.max(Service.sort_order), -1))).scalar_one() + 1
        row = Service(code=code, name=d.name, prefix=d.prefix, description=d.description,
                      carry_over=d.carry_over, priority_weights=d.priority_weights,
                      sort_order=order, active=True)
        uow.s.add(row)
        uow.s.flush()
        uow.audit("service.add", "service", code, changes=_changes({}, _service_values(row)))
        _changed(uow, "service", code)
        return _service_detail(row)


def update_service(db: Database, actor: Actor, code: str, *, name: str = _UNSET,
                   prefix: str = _UNSET, description: str = _UNSET, carry_over: bool = _UNSET,
                   priority_weights: Mapping[str, int] = _UNSET,
                   sort_order: int = _UNSET) -> ServiceDetail:
    """Edit a service. Tickets already issued keep their numbers."""
    if priority_weights is not _UNSET:
        _refuse(priority_weights_problems(priority_weights))
    if sort_order is not _UNSET and (isinstance(sort_order, bool) or not isinstance(sort_order, int)):
        raise InvalidInput("排列顺序应为整数")
    with unit_of_work(db, actor, ACTION) as uow:
        row = _service_row(uow.s, code)
        old = _service_values(row)
        services, windows = _defs(uow.s)
        cur = services[code]
        services[code] = ServiceDef(
            code, cur.name if name is _UNSET else (name or "").strip(),
            cur.prefix if prefix is _UNSET else (prefix or "").strip(),
            cur.carry_over if carry_over is _UNSET else bool(carry_over),
            cur.description if description is _UNSET else (description or "").strip(),
            cur.priority_weights if priority_weights is _UNSET else dict(priority_weights or {}))
        _check_defs(services, windows)
        d = services[code]
        refuse_prefix_change(uow, row, d.prefix)
        row.name, row.prefix, row.carry_over = d.name, d.prefix, d.carry_over
        row.description, row.priority_weights = d.description, d.priority_weights
        if sort_order is not _UNSET:
            row.sort_order = sort_order
        diff = _changes(old, _service_values(row))
        if diff:
            uow.audit("service.edit", "service", code, changes=diff)
            _changed(uow, "service", code)
        return _service_detail(row)


def set_service_active(db: Database, actor: Actor, code: str, active: bool) -> ServiceDetail:
    """Deactivate (the front desk no longer offers it; history keeps its name)
    or reactivate a service."""
    with unit_of_work(db, actor, ACTION) as uow:
        row = _service_row(uow.s, code)
        if bool(row.active) != bool(active):
            old = _service_values(row)
            row.active = bool(active)
            uow.audit("service.activate" if active else "service.deactivate", "service", code,
                      changes=_changes(old, _service_values(row)))
            _changed(uow, "service", code)
        return _service_detail(row)


def deactivate_service(db: Database, actor: Actor, code: str) -> ServiceDetail:
    return set_service_active(db, actor, code, False)


def reactivate_service(db: Database, actor: Actor, code: str) -> ServiceDetail:
    return set_service_active(db, actor, code, True)


def delete_service(db: Database, actor: Actor, code: str) -> None:
    """Delete a service nothing refers to (a mistake just made). A service
    that tickets, appointments or ratings refer to is refused: deactivate it."""
    with unit_of_work(db, actor, ACTION) as uow:
        row = _service_row(uow.s, code)
        refs = sum(uow.s.execute(select(func.count()).select_from(model).where(column == row.id)).scalar_one()
                   for model, column in ((Ticket, Ticket.service_id),
                                         (TicketCounter, TicketCounter.service_id),
                                         (Appointment, Appointment.service_id),
                                         (Rating, Rating.service_id)))
        refused = Conflict(f"业务“{row.name}”已有排队、预约或评价记录，不能删除，只能停用"
                           "（停用后导引台不再显示，历史记录仍保留业务名称）")
        if refs:
            raise refused
        for link in uow.s.execute(select(WindowService).where(WindowService.service_id == row.id)).scalars():
            others = uow.s.execute(select(func.count()).select_from(WindowService).where(
                WindowService.window_id == link.window_id, WindowService.service_id != row.id)).scalar_one()
            if not others:
                raise Conflict(f"{link.window.number}号窗口只办理“{row.name}”，请先为该窗口指定其他业务")
        old = _service_values(row)
        uow.s.execute(delete(WindowService).where(WindowService.service_id == row.id))
        uow.s.execute(delete(AppointmentPlan).where(AppointmentPlan.service_id == row.id))
        rules = list(get_setting(uow.s, KEYWORD_RULES_KEY, []) or [])
        kept = [r for r in rules if r.get("service") != code]
        if kept != rules:
            _put_setting(uow.s, KEYWORD_RULES_KEY, kept)
        uow.s.delete(row)
        try:
            uow.s.flush()
        except IntegrityError:  # referred to by a table of another area
            raise refused from None
        uow.audit("service.delete", "service", code, changes=_changes(old, {}))
        _changed(uow, "service", code)


# ----------------------------------------------------------------- windows
def list_windows(db: Database) -> list[WindowDetail]:
    """Every window, active or not, by number."""
    with db.read() as s:
        return [_window_detail(s, w) for w in
                s.execute(select(Window).order_by(Window.number, Window.code)).scalars()]


def _window_services(s: Session, codes: Sequence[str]) -> list[int]:
    if isinstance(codes, str):
        raise InvalidInput("窗口办理的业务应为业务代码列表")
    rows = {x.code: x for x in s.execute(select(Service).where(Service.code.in_(list(codes)))).scalars()}
    problems = []
    for c in codes:
        if c not in rows:
            problems.append(f"业务“{c}”不存在")
        elif not rows[c].active:
            problems.append(f"业务“{rows[c].name}”已停用，不能分配给窗口")
    _refuse(problems)
    return [rows[c].id for c in codes]


def _set_window_hours(s: Session, window_id: int, hours: dict[str, Any]) -> None:
    row = s.get(WindowHours, window_id)
    if hours:
        if row is None:
            s.add(WindowHours(window_id=window_id, hours=hours))
        elif row.hours != hours:
            row.hours = hours
    elif row is not None:
        s.delete(row)


def add_window(db: Database, actor: Actor, code: str, number: int, name: str,
               services: Sequence[str], *, season: Any = None,
               hours: Mapping | None = None, area: str = "") -> WindowDetail:
    """A new window serving ``services`` in order of preference, optionally
    open only in a season (``(start, end)``) and with weekly opening hours,
    in an ``area`` (the floor: a board may show one area only)."""
    season_v = _season(season)
    hours_v = _hours(hours)
    if isinstance(number, bool) or not isinstance(number, int):
        raise InvalidInput("窗口号应为正整数")
    with unit_of_work(db, actor, ACTION) as uow:
        if uow.s.execute(select(Window.id).where(Window.code == code)).first():
            raise Conflict(f"窗口代码“{code}”已存在")
        svc_defs, windows = _defs(uow.s)
        windows[code] = WindowDef(code, number, (name or "").strip(), tuple(services), season_v)
        _check_defs(svc_defs, windows)
        if not (name or "").strip():
            raise InvalidInput("窗口名称不能为空")
        ids = _window_services(uow.s, services)
        row = Window(code=code, number=number, name=name.strip(), state="closed",
                     consecutive_priority=0, active=True,
                     season_start=season_v.start if season_v else None,
                     season_end=season_v.end if season_v else None,
                     season_yearly=season_v.yearly if season_v else True, area=_area(area))
        row.services.extend(WindowService(service_id=sid, rank=i) for i, sid in enumerate(ids))
        uow.s.add(row)
        uow.s.flush()
        _set_window_hours(uow.s, row.id, hours_v)
        uow.s.flush()
        d = _window_detail(uow.s, row)
        uow.audit("window.add", "window", code, changes=_changes({}, _window_values(d)))
        _changed(uow, "window", code)
        return d


#: The longest area name (``windows.area``).
AREA_MAX = 32


def _area(text: Any) -> str:
    """An area as stored: spaces collapsed; control characters and too long refused."""
    area = " ".join(str(text or "").split())
    if any(unicodedata.category(ch)[0] == "C" for ch in area):
        raise InvalidInput("区域名称含有不可见的控制字符，请重新输入")
    if len(area) > AREA_MAX:
        raise InvalidInput(f"区域名称最多 {AREA_MAX} 个字（如“二楼”“东区”）")
    return area


def update_window(db: Database, actor: Actor, code: str, *, number: int = _UNSET,
                  name: str = _UNSET, services: Sequence[str] = _UNSET, season: Any = _UNSET,
                  hours: Mapping | None = _UNSET, area: str = _UNSET) -> WindowDetail:
    """Edit a window; ``season=None`` makes it open all year, ``hours={}``
    clears its opening hours."""
    season_v = _UNSET if season is _UNSET else _season(season)
    hours_v = None if hours is _UNSET else _hours(hours)
    if number is not _UNSET and (isinstance(number, bool) or not isinstance(number, int)):
        raise InvalidInput("窗口号应为正整数")
    with unit_of_work(db, actor, ACTION) as uow:
        row = _window_row(uow.s, code)
        before = _window_detail(uow.s, row)
        svc_defs, windows = _defs(uow.s)
        new_name = before.name if name is _UNSET else (name or "").strip()
        if not new_name:
            raise InvalidInput("窗口名称不能为空")
        new_services = before.services if services is _UNSET else tuple(services)
        new_season = before.season if season_v is _UNSET else season_v
        new_number = before.number if number is _UNSET else number
        if row.active:
            windows[code] = WindowDef(code, new_number, new_name, new_services, new_season)
            _check_defs(svc_defs, windows)
        else:
            _refuse(WindowDef(code, new_number, new_name, new_services, new_season).problems())
        if services is not _UNSET and tuple(services) != before.services:
            ids = _window_services(uow.s, services)
            row.services.clear()
            uow.s.flush()
            row.services.extend(WindowService(service_id=sid, rank=i) for i, sid in enumerate(ids))
        row.number, row.name = new_number, new_name
        row.season_start = new_season.start if new_season else None
        row.season_end = new_season.end if new_season else None
        row.season_yearly = new_season.yearly if new_season else True
        if area is not _UNSET:
            row.area = _area(area)
        if hours_v is not None:
            _set_window_hours(uow.s, row.id, hours_v)
        uow.s.flush()
        uow.s.expire(row, ["services"])
        after = _window_detail(uow.s, row)
        diff = _changes(_window_values(before), _window_values(after))
        if diff:
            uow.audit("window.edit", "window", code, changes=diff)
            _changed(uow, "window", code)
        return after


def set_window_active(db: Database, actor: Actor, code: str, active: bool) -> WindowDetail:
    """Retire a window (its history stays) or bring it back."""
    with unit_of_work(db, actor, ACTION) as uow:
        row = _window_row(uow.s, code)
        before = _window_detail(uow.s, row)
        if bool(row.active) == bool(active):
            return before
        if not active:
            busy = uow.s.execute(select(Ticket.number).where(
                Ticket.window_id == row.id, Ticket.status.in_(["called", "serving"]))).scalars().first()
            if busy:
                raise Conflict(f"{row.number}号窗口的当前号 {busy} 尚未办结，不能停用")
            row.state = "closed"
        else:
            svc_defs, windows = _defs(uow.s)
            windows[code] = WindowDef(code, row.number, row.name, before.services, row.season)
            _check_defs(svc_defs, windows)
        row.active = bool(active)
        uow.s.flush()
        after = _window_detail(uow.s, row)
        uow.audit("window.activate" if active else "window.deactivate", "window", code,
                  changes=_changes(_window_values(before), _window_values(after)))
        _changed(uow, "window", code)
        return after


def window_hours(db: Database, code: str) -> dict:
    with db.read() as s:
        row = _window_row(s, code)
        hours = s.get(WindowHours, row.id)
        return dict(hours.hours) if hours else {}


# ------------------------------------------------------------------- rooms
def list_all_rooms(db: Database) -> list[RoomDetail]:
    with db.read() as s:
        return [_room_detail(r) for r in s.execute(select(Room).order_by(Room.id)).scalars()]


def add_room(db: Database, actor: Actor, code: str, name: str, kind: str, capacity: int = 6,
             video: bool = False) -> RoomDetail:
    actor.require(ACTION)  # before reading the input
    _refuse(_room_problems(code, name, kind, capacity))
    with unit_of_work(db, actor, ACTION) as uow:
        if uow.s.execute(select(Room.id).where(Room.code == code)).first():
            raise Conflict(f"房间代码“{code}”已存在")
        row = Room(code=code, name=name.strip(), kind=kind, capacity=capacity, video=bool(video),
                   active=True)
        uow.s.add(row)
        uow.s.flush()
        uow.audit("room.add", "room", code, changes=_changes({}, _room_detail(row).to_json()))
        _changed(uow, "room", code)
        return _room_detail(row)


def update_room(db: Database, actor: Actor, code: str, *, name: str = _UNSET, kind: str = _UNSET,
                capacity: int = _UNSET, video: bool = _UNSET) -> RoomDetail:
    with unit_of_work(db, actor, ACTION) as uow:
        row = _room_row(uow.s, code)
        before = _room_detail(row)
        new_name = before.name if name is _UNSET else (name or "").strip()
        new_kind = before.kind if kind is _UNSET else kind
        new_capacity = before.capacity if capacity is _UNSET else capacity
        new = dict(name=new_name, kind=new_kind, capacity=new_capacity,
                   video=before.video if video is _UNSET else bool(video))
        _refuse(_room_problems(code, new_name, new_kind, new_capacity))
        for k, v in new.items():
            setattr(row, k, v)
        diff = _changes(before.to_json(), _room_detail(row).to_json())
        if diff:
            uow.audit("room.edit", "room", code, changes=diff)
            _changed(uow, "room", code)
        return _room_detail(row)


def set_room_active(db: Database, actor: Actor, code: str, active: bool) -> RoomDetail:
    with unit_of_work(db, actor, ACTION) as uow:
        row = _room_row(uow.s, code)
        if bool(row.active) != bool(active):
            row.active = bool(active)
            uow.audit("room.activate" if active else "room.deactivate", "room", code,
                      changes={"active": [not active, bool(active)]})
            _changed(uow, "room", code)
        return _room_detail(row)


# ------------------------------------------------------------------- users
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password(length: int = 10) -> str:
    """A random password with letters and digits (no look-alike characters)."""
    while True:
        pw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def _active_admins(s: Session) -> set[str]:
    return {u.username for u in s.execute(select(User).where(User.active.is_(True))).scalars()
            if Role.ADMIN.value in u.roles.split(",")}


def _user_row(s: Session, username: str) -> User:
    u = s.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if u is None:
        raise NotFound(f"没有用户“{username}”")
    return u


def add_user(db: Database, actor: Actor, username: str, display_name: str, roles: str | set[Role],
             password: str | None = None) -> AccountPassword:
    """A new account that must change its password at first sign-in. Without
    ``password`` a temporary one is generated and returned (once)."""
    actor.require(ACTION)
    generated = password is None
    pw = temporary_password() if password is None else password
    try:
        view = user_service.create_user(db, actor, username, display_name, roles, pw,
                                        must_change_password=True)
    except ValueError as exc:  # an unknown role
        raise InvalidInput(str(exc)) from None
    return AccountPassword(view, pw if generated else None)


def update_user(db: Database, actor: Actor, username: str, *, display_name: str = _UNSET,
                roles: str | set[Role] = _UNSET) -> user_service.UserView:
    """Change an account's name or roles. The last active administrator keeps
    the admin role."""
    if roles is not _UNSET:
        try:
            role_set = parse_roles(roles) if isinstance(roles, str) else frozenset(roles)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        if not role_set:
            raise InvalidInput("至少要指定一个角色")
    with unit_of_work(db, actor, ACTION) as uow:
        u = _user_row(uow.s, username)
        old = dict(display_name=u.display_name, roles=u.roles)
        if display_name is not _UNSET:
            u.display_name = checked_name(display_name, required=True)
        if roles is not _UNSET:
            u.roles = ",".join(sorted(r.value for r in role_set))
            if Role.ADMIN not in role_set and _active_admins(uow.s) <= {u.username}:
                raise Conflict("至少要保留一个启用的系统管理员账户")
        diff = _changes(old, dict(display_name=u.display_name, roles=u.roles))
        if diff:
            uow.audit("user.edit", "user", u.id, username=u.username, changes=diff)
        return user_service._view(u, uow.now)


def set_user_active(db: Database, actor: Actor, username: str, active: bool) -> user_service.UserView:
    """Disable or re-enable an account (never deleted); the last active
    administrator cannot be disabled."""
    actor.require(ACTION)
    if not active:
        with db.read() as s:
            _user_row(s, username)
            if _active_admins(s) == {username}:
                raise Conflict("至少要保留一个启用的系统管理员账户，不能停用最后一个管理员")
    return user_service.set_active(db, actor, username, active)


def reset_user_password(db: Database, actor: Actor, username: str,
                        new_password: str | None = None) -> AccountPassword:
    """Set a temporary password (generated when not given, returned once);
    the user must change it at the next sign-in."""
    actor.require(ACTION)
    generated = new_password is None
    pw = temporary_password() if new_password is None else new_password
    view = user_service.reset_password(db, actor, username, pw)
    return AccountPassword(view, pw if generated else None)


def force_password_change(db: Database, actor: Actor, username: str) -> user_service.UserView:
    """The user must choose a new password at the next sign-in."""
    with unit_of_work(db, actor, ACTION) as uow:
        u = _user_row(uow.s, username)
        if not u.must_change_password:
            u.must_change_password = True
            uow.audit("user.force_password_change", "user", u.id, username=u.username,
                      changes={"must_change_password": [False, True]})
        return user_service._view(u, uow.now)


# ------------------------------------------------------- keyword rules
def set_keyword_rules(db: Database, actor: Actor, rules: Sequence[Mapping]) -> list[dict]:
    """Replace the front desk's keyword rules (``[{"service", "words"}]``)."""
    with unit_of_work(db, actor, ACTION) as uow:
        codes = set(uow.s.execute(select(Service.code).where(Service.active.is_(True))).scalars())
        _refuse(keyword_rules_problems(rules, codes))
        new = _clean_rules(rules)
        old = list(get_setting(uow.s, KEYWORD_RULES_KEY, []) or [])
        if old != new:
            _put_setting(uow.s, KEYWORD_RULES_KEY, new)
            uow.audit("centre.keyword_rules", "centre", "", changes={"keyword_rules": [old, new]})
            _changed(uow, "keyword_rules")
        return new


# ---------------------------------------------------------------- settings
def _set_settings(db: Database, actor: Actor, audit_action: str, values: Mapping[str, Any]) -> dict:
    problems, clean = [], {}
    for key, value in values.items():
        try:
            clean[key] = SETTING_CHECKS[key](value)
        except ValueError as exc:
            problems.append(str(exc))
    _refuse(problems)
    with unit_of_work(db, actor, ACTION) as uow:
        diff = {}
        for key, value in clean.items():
            old = _put_setting(uow.s, key, value)
            if old != value:
                diff[key] = [old, value]
        if diff:
            uow.audit(audit_action, "setting", "", changes=diff)
            _changed(uow, "settings")
        return {k: get_setting(uow.s, k) for k in values}


def _set_given(db: Database, actor: Actor, audit_action: str, none_given: str,
               values: Mapping[str, Any]) -> dict:
    """Set the settings among ``values`` that are given (not None); none at all is refused with ``none_given``."""
    given = {key: value for key, value in values.items() if value is not None}
    if not given:
        raise InvalidInput(none_given)
    return _set_settings(db, actor, audit_action, given)


def set_amount_rules(db: Database, actor: Actor, *, local_monthly_minimum_wage: float | None = None,
                     province_average_annual_wage: float | None = None) -> dict:
    """The amounts the statutory rules depend on (positive numbers, yuan)."""
    actor.require(ACTION)  # before reading the input
    return _set_given(db, actor, "centre.amounts", "请至少给出一项金额", {
        "rules.local_monthly_minimum_wage": local_monthly_minimum_wage,
        "rules.province_average_annual_wage": province_average_annual_wage})


def set_queue_policy(db: Database, actor: Actor, *, priority_cap: int | None = None,
                     rank_penalty_minutes: int | None = None,
                     no_show_return_minutes: int | None = None) -> dict:
    actor.require(ACTION)  # before reading the input
    return _set_given(db, actor, "centre.queue_policy", "请至少给出一项排队规则", {
        "queue.no_show_return_minutes": no_show_return_minutes,
        "queue.priority_cap": priority_cap,
        "queue.rank_penalty_minutes": rank_penalty_minutes})


def set_check_in_window(db: Database, actor: Actor, early_minutes: int, late_minutes: int) -> dict:
    """How early a booked visitor may check in, and how late still counts as on time."""
    return _set_settings(db, actor, "centre.check_in_window",
                         {"appointments.early_minutes": early_minutes,
                          "appointments.late_minutes": late_minutes})


def settings(db: Database) -> dict:
    """Every setting except the private ones (the admin's overview)."""
    with db.read() as s:
        return {k: v for k, v in s.execute(select(Setting.key, Setting.value).order_by(Setting.key)).all()
                if k not in PRIVATE_SETTINGS}


# ------------------------------------------------------ appointment plans
def _plan_values(p: AppointmentPlan) -> dict:
    return dict(slot_minutes=p.slot_minutes, capacity=p.capacity, hours=dict(p.hours or {}),
                days_ahead=p.days_ahead, active=bool(p.active))


def set_appointment_plan(db: Database, actor: Actor, service: str, *,
                         slot_minutes: int = appt_rules.DEFAULT_SLOT_MINUTES,
                         capacity: int = appt_rules.DEFAULT_CAPACITY, hours: Mapping | None = None,
                         days_ahead: int = appt_rules.DEFAULT_DAYS_AHEAD, active: bool = True) -> dict:
    """Let ``service`` take appointments: slot length, places per slot, weekly
    hours (default: working days 08:30-12:00, 13:30-17:30), days ahead."""
    _, hours_v = _plan(dict(slot_minutes=slot_minutes, capacity=capacity, days_ahead=days_ahead,
                            hours=appt_rules.DEFAULT_HOURS if hours is None else hours))
    with unit_of_work(db, actor, ACTION) as uow:
        svc = _service_row(uow.s, service)
        row = uow.s.get(AppointmentPlan, svc.id)
        new = dict(slot_minutes=slot_minutes, capacity=capacity, hours=hours_v,
                   days_ahead=days_ahead, active=bool(active))
        old = _plan_values(row) if row else {}
        if row is None:
            uow.s.add(AppointmentPlan(service_id=svc.id, **new))
        else:
            for k, v in new.items():
                setattr(row, k, v)
        diff = _changes(old, new)
        if diff:
            uow.audit("appointment.plan", "service", service, changes=diff)
            _changed(uow, "appointment_plan", service)
        return dict(service=service, **new)


# -------------------------------------------------------- holidays
def set_holiday_schedule(db: Database, actor: Actor, year: int, holidays: Sequence,
                         swapped_workdays: Sequence = (), *, notes: Mapping | None = None) -> int:
    """Enter a year's official holidays (``[(date, name), ...]``) and swapped
    working days; open deadlines are recomputed. Returns how many changed.
    ``notes`` (day → text, at most 100 characters) go into each changed day's
    audit row."""
    actor.require(ACTION)
    schedule = _year_schedule(year, holidays, swapped_workdays)
    checked: dict[dt.date, str] = {}
    for raw, text in dict(notes or {}).items():
        day = _date(raw, "说明的日期")
        if day.year != schedule.year:
            raise InvalidInput(f"说明的日期 {day.isoformat()} 不在 {schedule.year} 年内")
        text = str(text or "").strip()
        if len(text) > 100:
            raise InvalidInput(f"{day.isoformat()} 的说明最多 100 字")
        if text:
            checked[day] = text
    return deadline_service.set_year_schedule(db, actor, schedule, checked)


# --------------------------------------------------------------- export
def export_config(db: Database, actor: Actor) -> dict:
    """Everything a centre's setup holds, as plain JSON-able data (an
    administrator's action: it lists every account).

    Users come without password hashes (nor sign-in state); private settings
    (secrets of this installation) stay behind. ``import_config`` reads it;
    so does ``hall.services.centre.apply_centre`` (the catalogue part).
    """
    actor.require(ACTION)
    with db.read() as s:
        settings_all: dict[str, Any] = dict(s.execute(select(Setting.key, Setting.value)).tuples().all())   # JSON
        services = list(s.execute(select(Service).order_by(Service.sort_order, Service.id)).scalars())
        code_of = {x.id: x.code for x in services}
        hours = {h.window_id: dict(h.hours) for h in s.execute(select(WindowHours)).scalars()}
        windows = []
        for w in s.execute(select(Window).order_by(Window.number, Window.code)).scalars():
            windows.append({
                "code": w.code, "number": w.number, "name": w.name,
                "services": [code_of[link.service_id] for link in w.services],
                "season": w.season.to_data() if w.season else None, "area": w.area or "",
                "hours": hours.get(w.id, {}), "active": bool(w.active)})
        plans = [{"service": code_of[p.service_id], **_plan_values(p)}
                 for p in s.execute(select(AppointmentPlan)).scalars()]
        plans.sort(key=lambda p: p["service"])
        return {
            "format": CONFIG_FORMAT,
            "version": CONFIG_VERSION,
            "centre": dict(settings_all.get(PROFILE_KEY) or {}),
            "settings": {k: settings_all[k] for k in sorted(settings_all)
                         if k not in PRIVATE_SETTINGS and k not in (PROFILE_KEY, KEYWORD_RULES_KEY)},
            "services": [{"code": x.code, "name": x.name, "prefix": x.prefix,
                          "description": x.description or "", "carry_over": bool(x.carry_over),
                          "priority_weights": dict(x.priority_weights or {}), "active": bool(x.active)}
                         for x in services],
            "windows": windows,
            "rooms": [{"code": r.code, "name": r.name, "kind": r.kind, "capacity": r.capacity,
                       "video": bool(r.video), "active": bool(r.active)}
                      for r in s.execute(select(Room).order_by(Room.code)).scalars()],
            "keyword_rules": list(settings_all.get(KEYWORD_RULES_KEY) or []),
            "appointment_plans": plans,
            "users": [{"username": u.username, "display_name": u.display_name,
                       "roles": ",".join(sorted(filter(None, u.roles.split(",")))),
                       "active": bool(u.active)}
                      for u in s.execute(select(User).order_by(User.username)).scalars()],
            "holiday_schedules": [{"year": h.year, "holidays": [list(x) for x in h.holidays],
                                   "swapped_workdays": list(h.swapped_workdays)}
                                  for h in s.execute(select(HolidaySchedule).order_by(HolidaySchedule.year)).scalars()],
            "departments": whistle_service.export_departments(s),
        }


# --------------------------------------------------------------- import
@dataclass
class _Parsed:
    services: list
    windows: list
    rooms: list
    service_rows: list[dict]
    window_rows: list[dict]
    room_rows: list[dict]
    profile: dict | None
    settings: dict
    keyword_rules: list | None
    plans: list[dict]
    users: list[dict]
    schedules: list[YearSchedule]


def check_config(data: Any) -> None:
    """Raise :class:`InvalidInput` naming every problem of a configuration
    (what :func:`import_config` refuses), without writing anything: the
    import page checks a file before it previews it."""
    _validate(data)


def _validate(data: Any) -> _Parsed:
    """Every problem of a configuration, refused together before anything is written."""
    try:
        return _validate_data(data)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:   # a malformed structure
        raise InvalidInput(f"配置格式不正确：{exc}") from None


def _validate_data(data: Any) -> _Parsed:
    if not isinstance(data, Mapping):
        raise InvalidInput("配置文件内容应为一个 JSON 对象")
    if data.get("format", CONFIG_FORMAT) != CONFIG_FORMAT:
        raise InvalidInput(f"这不是服务大厅的配置文件（format 应为 {CONFIG_FORMAT}）")
    try:
        version = int(data.get("version", CONFIG_VERSION))
    except (TypeError, ValueError):
        raise InvalidInput(f"配置文件版本“{data.get('version')}”不正确") from None
    if version > CONFIG_VERSION:
        raise InvalidInput(f"配置文件版本 {data.get('version')} 比本程序新，请升级本程序后再导入")
    problems: list[str] = []
    raw_windows = [dict(x) for x in data.get("windows", []) or []]
    # The catalogue's own checks; window numbers must be unique among the
    # windows in use (a retired window's number may have been given again).
    services, active_windows, rooms = parse_catalogue(
        {**data, "windows": [w for w in raw_windows if w.get("active", True)]})
    retired = [parse_catalogue({"services": data.get("services", []), "windows": [w]})[1][0]
               for w in raw_windows if not w.get("active", True)]
    active_iter, retired_iter = iter(active_windows), iter(retired)
    windows = [next(active_iter) if w.get("active", True) else next(retired_iter) for w in raw_windows]
    codes = {x.code for x in services}
    window_codes = [w.code for w in windows]
    problems += [f"窗口代码“{c}”重复" for c in sorted({c for c in window_codes if window_codes.count(c) > 1})]
    service_rows = [dict(x) for x in data.get("services", [])]
    for row in service_rows:
        problems += priority_weights_problems(row.get("priority_weights"))
    window_rows = raw_windows
    for row in window_rows:
        try:
            row["hours"] = appt_rules.normalise_hours(row.get("hours") or {})
        except ValueError as exc:
            problems.append(f"{row.get('number')}号窗口：{exc}")
    room_rows = [dict(x) for x in data.get("rooms", [])]
    for r in rooms:
        problems += _room_problems(r.code, r.name, r.kind, r.capacity)
    room_codes = [r.code for r in rooms]
    problems += [f"房间代码“{c}”重复" for c in sorted({c for c in room_codes if room_codes.count(c) > 1})]
    profile = None
    if "centre" in data:
        profile = dict(data["centre"] or {})
        problems += profile_problems(profile)
    settings_in = dict(data.get("settings") or {})
    clean_settings = {}
    for key, value in settings_in.items():
        if key in PRIVATE_SETTINGS or key in (PROFILE_KEY, KEYWORD_RULES_KEY):
            continue
        if key in SETTING_CHECKS:
            try:
                value = SETTING_CHECKS[key](value)
            except ValueError as exc:
                problems.append(str(exc))
        clean_settings[key] = value
    rules = None
    if "keyword_rules" in data:
        rule_problems = keyword_rules_problems(data["keyword_rules"], codes)
        problems += rule_problems
        rules = [] if rule_problems else _clean_rules(data["keyword_rules"])
    plans = []
    for p in data.get("appointment_plans", []) or []:
        if p.get("service") not in codes:
            problems.append(f"预约设置的业务“{p.get('service')}”不存在")
            continue
        try:
            _, hours = _plan(p)
        except InvalidInput as exc:
            problems.append(f"“{p['service']}”的{exc}")
            continue
        plans.append(dict(service=p["service"], slot_minutes=p.get("slot_minutes", appt_rules.DEFAULT_SLOT_MINUTES),
                          capacity=p.get("capacity", appt_rules.DEFAULT_CAPACITY), hours=hours,
                          days_ahead=p.get("days_ahead", appt_rules.DEFAULT_DAYS_AHEAD),
                          active=bool(p.get("active", True))))
    users = []
    seen_users: set[str] = set()
    for u in data.get("users", []) or []:
        name = str(u.get("username", ""))
        if not _USERNAME.match(name):
            problems.append(f"用户名“{name}”应为 2-32 位字母、数字、下划线、点或减号")
            continue
        if name.lower() in seen_users:
            problems.append(f"用户名“{name}”重复")
        seen_users.add(name.lower())
        if not str(u.get("display_name", "")).strip():
            problems.append(f"用户“{name}”的姓名不能为空")
        try:
            role_set = parse_roles(str(u.get("roles", "")))
            if not role_set:
                problems.append(f"用户“{name}”至少要有一个角色")
        except ValueError as exc:
            problems.append(f"用户“{name}”：{exc}")
            continue
        users.append(dict(username=name, display_name=str(u.get("display_name", "")).strip(),
                          roles=",".join(sorted(r.value for r in role_set)),
                          active=bool(u.get("active", True))))
    schedules = []
    for h in data.get("holiday_schedules", []) or []:
        try:
            schedules.append(_year_schedule(h.get("year"), h.get("holidays", []),
                                            h.get("swapped_workdays", [])))
        except InvalidInput as exc:
            problems.append(str(exc))
    problems += whistle_service.department_config_problems(data.get("departments"), codes)
    _refuse(problems, "配置有误：")
    return _Parsed(services, windows, rooms, service_rows, window_rows, room_rows, profile,
                   clean_settings, rules, plans, users, schedules)


def import_config(db: Database, actor: Actor, data: Mapping) -> ImportResult:
    """Install another centre's exported setup into this database.

    Validates everything first, then applies it in one transaction (all or
    nothing). Idempotent: a second import of the same data changes nothing.
    Services, windows and rooms missing from the data are deactivated, never
    deleted; accounts missing from it are left as they are. A new account
    gets a temporary password (in the result, shown once) and must change it.
    """
    actor.require(ACTION)
    p = _validate(data)
    changed = {k: 0 for k in ("services", "windows", "rooms", "settings", "appointment_plans",
                              "users", "holiday_schedules", "deadlines_recomputed")}
    passwords: dict[str, str] = {}
    with unit_of_work(db, actor, ACTION) as uow:
        s = uow.s
        # ---- services (prefixes are unique: park the ones that move first)
        by_code = {x.code: x for x in s.execute(select(Service)).scalars()}
        wanted_prefix = {d.code: d.prefix for d in p.services}
        holders = {x.prefix: x for x in by_code.values()}
        for d in p.services:
            holder = holders.get(d.prefix)
            if holder is not None and holder.code not in wanted_prefix:
                raise InvalidInput(f"配置有误：票号前缀“{d.prefix}”已被本库中的业务“{holder.name}”使用，"
                                   "而该业务不在导入的配置中")
        parked = [x for x in by_code.values() if x.code in wanted_prefix and x.prefix != wanted_prefix[x.code]]
        for x in parked:
            refuse_prefix_change(uow, x, wanted_prefix[x.code])
        for i, x in enumerate(parked):
            x.prefix = f"{i:02d}"
        s.flush()
        in_data = set()
        for order, (d, raw) in enumerate(zip(p.services, p.service_rows)):
            in_data.add(d.code)
            values = dict(name=d.name, prefix=d.prefix, carry_over=d.carry_over, description=d.description,
                          priority_weights=d.priority_weights, sort_order=order,
                          active=bool(raw.get("active", True)))
            row = by_code.get(d.code)
            if row is None:
                row = Service(code=d.code, **values)
                s.add(row)
                by_code[d.code] = row
                changed["services"] += 1
            elif any(getattr(row, k) != v for k, v in values.items()) or row in parked:
                for k, v in values.items():
                    setattr(row, k, v)
                changed["services"] += 1
        for code, row in by_code.items():
            if code not in in_data and row.active:
                row.active = False
                changed["services"] += 1
        s.flush()
        # ---- windows
        wins = {x.code: x for x in s.execute(select(Window)).scalars()}
        in_data = set()
        for d, raw in zip(p.windows, p.window_rows):
            in_data.add(d.code)
            values = dict(number=d.number, name=d.name, active=bool(raw.get("active", True)),
                          season_start=d.season.start if d.season else None,
                          season_end=d.season.end if d.season else None,
                          season_yearly=d.season.yearly if d.season else True, area=d.area)
            wanted = [by_code[c].id for c in d.services]
            win = wins.get(d.code)
            touched = False
            if win is None:
                win = Window(code=d.code, state="closed", consecutive_priority=0, **values)
                win.services.extend(WindowService(service_id=sid, rank=i) for i, sid in enumerate(wanted))
                s.add(win)
                s.flush()
                touched = True
            else:
                if any(getattr(win, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(win, k, v)
                    if not values["active"]:
                        win.state = "closed"
                    touched = True
                if [link.service_id for link in win.services] != wanted:
                    win.services.clear()
                    s.flush()
                    win.services.extend(WindowService(service_id=sid, rank=i) for i, sid in enumerate(wanted))
                    touched = True
            current = s.get(WindowHours, win.id)
            if (current.hours if current else {}) != raw["hours"]:
                _set_window_hours(s, win.id, raw["hours"])
                touched = True
            changed["windows"] += touched
        for code, win in wins.items():
            if code not in in_data and win.active:
                win.active = False
                win.state = "closed"
                changed["windows"] += 1
        s.flush()
        numbers = [w.number for w in s.execute(select(Window).where(Window.active.is_(True))).scalars()]
        dup = sorted({n for n in numbers if numbers.count(n) > 1})
        if dup:
            raise InvalidInput(f"配置有误：窗口号 {'、'.join(map(str, dup))} 重复")
        # ---- rooms
        room_rows = {x.code: x for x in s.execute(select(Room)).scalars()}
        in_data = set()
        for d, raw in zip(p.rooms, p.room_rows):
            in_data.add(d.code)
            values = dict(name=d.name, kind=d.kind, capacity=d.capacity, video=d.video,
                          active=bool(raw.get("active", True)))
            room = room_rows.get(d.code)
            if room is None:
                s.add(Room(code=d.code, **values))
                changed["rooms"] += 1
            elif any(getattr(room, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(room, k, v)
                changed["rooms"] += 1
        for code, room in room_rows.items():
            if code not in in_data and room.active:
                room.active = False
                changed["rooms"] += 1
        # ---- settings, profile, keyword rules
        values = dict(p.settings)
        if p.profile is not None:
            values[PROFILE_KEY] = p.profile
        if p.keyword_rules is not None:
            values[KEYWORD_RULES_KEY] = p.keyword_rules
        for key, value in values.items():
            setting_row = s.get(Setting, key)
            if setting_row is None or setting_row.value != value:
                _put_setting(s, key, value)
                changed["settings"] += 1
        # ---- appointment plans
        for plan in p.plans:
            svc = by_code[plan["service"]]
            new = {k: v for k, v in plan.items() if k != "service"}
            plan_row = s.get(AppointmentPlan, svc.id)
            if plan_row is None:
                s.add(AppointmentPlan(service_id=svc.id, **new))
                changed["appointment_plans"] += 1
            elif _plan_values(plan_row) != new:
                for k, v in new.items():
                    setattr(plan_row, k, v)
                changed["appointment_plans"] += 1
        # ---- users (no password hashes travel: new accounts get a temporary one)
        accounts = {u.username.lower(): u for u in s.execute(select(User)).scalars()}
        for u in p.users:
            account = accounts.get(u["username"].lower())
            if account is None:
                pw = temporary_password()
                s.add(User(username=u["username"], display_name=u["display_name"], roles=u["roles"],
                           password_hash=user_service._hasher.hash(pw), active=u["active"],
                           failed_attempts=0, must_change_password=True, created_at=uow.now))
                passwords[u["username"]] = pw
                changed["users"] += 1
            elif (account.display_name, account.roles, bool(account.active)) != (u["display_name"], u["roles"], u["active"]):
                account.display_name, account.roles, account.active = u["display_name"], u["roles"], u["active"]
                changed["users"] += 1
        s.flush()
        changed["departments"] = whistle_service.import_departments(uow, data.get("departments"))
        if not _active_admins(s):
            raise InvalidInput("配置有误：导入后将没有启用的系统管理员账户")
        # ---- holiday schedules (then recompute open deadlines, as entering one does)
        for sched in p.schedules:
            values = dict(holidays=[[d.isoformat(), n] for d, n in sched.holidays],
                          swapped_workdays=[d.isoformat() for d in sched.swapped_workdays])
            sched_row = s.get(HolidaySchedule, sched.year)
            if sched_row is None:
                s.add(HolidaySchedule(year=sched.year, entered_by=actor.username, entered_at=uow.now, **values))
                changed["holiday_schedules"] += 1
            elif (sched_row.holidays, sched_row.swapped_workdays) != (values["holidays"], values["swapped_workdays"]):
                sched_row.holidays, sched_row.swapped_workdays = values["holidays"], values["swapped_workdays"]
                sched_row.entered_by, sched_row.entered_at = actor.username, uow.now
                changed["holiday_schedules"] += 1
        if changed["holiday_schedules"]:
            s.flush()
            changed["deadlines_recomputed"] = deadline_service.recompute_open(uow)
        if any(changed.values()):
            uow.audit("centre.import", "centre", "", **changed,
                      new_users=sorted(passwords))
            _changed(uow, "import")
    return ImportResult(changed, passwords)


__all__ = [
    "AccountPassword", "ImportResult", "PROFILE_FIELDS", "ROOM_KINDS", "RoomDetail", "ServiceDetail",
    "SETTING_CHECKS", "WindowDetail", "add_room", "add_service", "add_user", "add_window",
    "case_pattern_problem", "check_config", "centre_profile", "deactivate_service", "delete_service", "export_config",
    "force_password_change", "import_config", "list_all_rooms", "list_all_services", "list_windows",
    "reactivate_service", "reset_user_password", "set_amount_rules", "set_appointment_plan",
    "set_check_in_window", "set_holiday_schedule", "set_keyword_rules", "set_queue_policy",
    "set_room_active", "set_service_active", "set_user_active", "set_window_active", "settings",
    "temporary_password", "update_profile", "update_room", "update_service", "update_user",
    "update_window", "window_hours",
]
