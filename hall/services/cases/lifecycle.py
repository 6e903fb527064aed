"""A case's way through the state machine: accepting or declining it,
mediation, edits and notes, the police flag, transfer and closing."""
from __future__ import annotations

import re
from typing import Any

from hall.domain import cases as rules
from hall.domain.cases import CaseAction, Category, RiskLevel, Source
from hall.domain.clock import local_day
from hall.store.case_models import Case
from hall.store.db import Database

from .. import deadlines as dl
from ..base import Actor, Conflict, InvalidInput, UnitOfWork, unit_of_work
from ..base import uow_today as _today
from ..case_rows import user_names as _user_names
from ._common import _case, _expect_open, _invalid, _move, _parse, _utc, case_event, timeline
from .views import CaseView, TimelineView, _case_view


# ================================================================ lifecycle
def _watch_duration(uow: UnitOfWork, c: Case) -> None:
    start = local_day(_utc(c.created_at))
    dl.track(uow, "mediation.people_duration", "case", c.id, _today(uow), case_number=c.number,
             label="人民调解一般期限")
    if c.category == Category.LABOUR.value and c.source == Source.APPLICATION.value:
        dl.track(uow, "labour.mediation", "case", c.id, start, case_number=c.number, label="劳动争议调解期限")


def stop_duration_watch(uow: UnitOfWork, c: Case) -> None:
    dl.close_for_subject(uow, "case", c.id, "mediation.people_duration")
    dl.close_for_subject(uow, "case", c.id, "labour.mediation")


def accept_case(db: Database, actor: Actor, case_id: int, note: str = "") -> CaseView:
    """Accept a registered dispute for mediation (受理).

    Starts watching the usual one-month period (《人民调解工作若干规定》第三十三条,
    a reminder, UNVERIFIED) and, for a labour dispute on a party's
    application, the 15 days after which either party may go to arbitration
    (《劳动争议调解仲裁法》第十四条第三款).
    """
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        _move(uow, c, CaseAction.ACCEPT)
        c.accepted_at = uow.now
        _watch_duration(uow, c)
        timeline(uow, c.id, "accepted", "受理" + (f"：{note}" if note else ""))
        uow.audit("case.accept", "case", c.id, number=c.number)
        case_event(uow, "case.accepted", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def decline_case(db: Database, actor: Actor, case_id: int, reason: str) -> CaseView:
    """Not accepted: e.g. a party clearly refuses mediation (人民调解法第十七条)."""
    if not (reason or "").strip():
        raise InvalidInput("请填写不予受理的理由")
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        _move(uow, c, CaseAction.DECLINE)
        c.state_reason = reason.strip()
        c.closed_at = uow.now
        timeline(uow, c.id, "declined", f"不予受理：{reason.strip()}")
        uow.audit("case.decline", "case", c.id, number=c.number)
        case_event(uow, "case.declined", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def start_mediation(db: Database, actor: Actor, case_id: int) -> CaseView:
    """Mediation begins (a mediator must be assigned, 人民调解法第十九条)."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        begin_mediation(uow, c)
        uow.audit("case.start", "case", c.id, number=c.number)
        case_event(uow, "case.mediating", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def begin_mediation(uow: UnitOfWork, c: Case) -> None:
    try:
        rules.transition(c.state, CaseAction.START)
    except rules.IllegalTransition as exc:
        raise Conflict(f"案件{c.number}：{exc}", state=c.state) from None
    if c.mediator_id is None:
        raise Conflict(f"案件{c.number}尚未指派调解员，请先指派")
    _move(uow, c, CaseAction.START)
    name = _user_names(uow.s, [c.mediator_id]).get(c.mediator_id, "")
    timeline(uow, c.id, "mediating", f"开始调解，调解员{name}")


_EDITABLE = ("facts", "claims", "category", "subcategory", "risk", "source")


def update_case(db: Database, actor: Actor, case_id: int, **changes: Any) -> CaseView:
    """Change the facts, claims, category, subcategory, risk or source of an open case."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise InvalidInput(f"不能修改的案件字段：{'、'.join(sorted(unknown))}")
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id)
        _expect_open(c, "修改")
        changed = []
        if "category" in changes and changes["category"] is not None:
            cat = _parse(Category, changes["category"], "纠纷类别")
            if cat.value != c.category:
                c.category = cat.value
                c.subcategory = None
                changed.append("纠纷类别")
        if "subcategory" in changes or "category" in changes:
            try:
                sub = rules.parse_subcategory(Category(c.category), changes.get("subcategory", c.subcategory))
            except ValueError as exc:
                raise _invalid(exc) from None
            if sub != c.subcategory:
                c.subcategory = sub
                changed.append("细分类别")
        if changes.get("risk") is not None:
            rk = _parse(RiskLevel, changes["risk"], "风险等级")
            if rk.value != c.risk:
                c.risk = rk.value
                changed.append("风险等级")
        if changes.get("source") is not None:
            src = _parse(Source, changes["source"], "案件来源")
            if src.value != c.source:
                c.source = src.value
                changed.append("案件来源")
        for key, label in (("facts", "纠纷事实"), ("claims", "当事人请求")):
            if changes.get(key) is not None and changes[key].strip() != getattr(c, key):
                setattr(c, key, changes[key].strip())
                changed.append(label)
        if changed:
            c.updated_at = uow.now
            timeline(uow, c.id, "updated", f"修改{'、'.join(changed)}")
            uow.audit("case.update", "case", c.id, number=c.number, fields=changed)
            case_event(uow, "case.updated", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def record_timeline(db: Database, actor: Actor, case_id: int, text: str, kind: str = "note") -> TimelineView:
    """A free note in the case's work record (调解工作记录, 第二十七条)."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("记录内容不能为空")
    if not re.fullmatch(r"[a-z_]{1,32}", kind):
        raise InvalidInput("记录类型只能用小写字母和下划线")
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id, lock=False)
        row = timeline(uow, c.id, kind, text)
        uow.s.flush()
        uow.audit("case.note", "case", c.id, number=c.number, kind=kind)
        case_event(uow, "case.timeline", c, entry_kind=kind)
        return TimelineView(row.id, _utc(row.at), row.kind, row.text, row.actor_name)


def flag_police(db: Database, actor: Actor, case_id: int, note: str, flagged: bool = True) -> CaseView:
    """A dispute that may turn into a public-order or criminal case is reported
    to the police (人民调解法第二十五条); the flag raises the risk to high."""
    note = (note or "").strip()
    if flagged and not note:
        raise InvalidInput("请填写报告公安机关的情况（时间、对象、事由）")
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id)
        c.police_flag = flagged
        c.police_note = note
        c.police_flagged_at = uow.now if flagged else None
        if flagged:
            c.risk = RiskLevel.HIGH.value
        c.updated_at = uow.now
        timeline(uow, c.id, "police", ("报告公安机关（人民调解法第二十五条）：" if flagged else "取消公安报告标记：") + note)
        uow.audit("case.police_flag", "case", c.id, number=c.number, flagged=flagged)
        case_event(uow, "case.police_flagged", c, flagged=flagged)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


# =========================================================== end of a case
def transfer_case(db: Database, actor: Actor, case_id: int, target: str, reason: str = "") -> CaseView:
    """Hand the dispute to labour arbitration, a court or a department."""
    target = (target or "").strip()
    if not target:
        raise InvalidInput("请填写移送去向（仲裁委员会、人民法院或职能部门）")
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        mark_transferred(uow, c, target, reason)
        uow.audit("case.transfer", "case", c.id, number=c.number, target=target)
        case_event(uow, "case.transferred", c, target=target)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def mark_transferred(uow: UnitOfWork, c: Case, target: str, reason: str = "") -> None:
    _move(uow, c, CaseAction.TRANSFER)
    c.transfer_target = target[:200]
    if reason and not c.state_reason:
        c.state_reason = reason.strip()   # a failure's reason stays the reason on file
    stop_duration_watch(uow, c)
    timeline(uow, c.id, "transferred", f"移送{target}" + (f"：{reason}" if reason else ""))


def close_case(db: Database, actor: Actor, case_id: int, note: str = "") -> CaseView:
    """Close the file (结案, 立卷归档). The performance of an agreement is still
    followed up after closing (第三十一条): those deadlines stay watched."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        _move(uow, c, CaseAction.CLOSE)
        c.closed_at = uow.now
        stop_duration_watch(uow, c)
        timeline(uow, c.id, "closed", "结案" + (f"：{note}" if note else ""))
        uow.audit("case.close", "case", c.id, number=c.number)
        case_event(uow, "case.closed", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))
