"""Cases imported from an earlier register: each record checked, numbers kept,
the year counters raised past the imported numbers."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from hall.domain import cases as rules
from hall.domain.cases import AgentInput, CaseState, Category, PartyInput, RiskLevel, Source
from hall.domain.clock import local_day
from hall.domain.roles import Role, parse_roles
from hall.store.case_models import Case, CaseMediator
from hall.store.db import Database
from hall.store.models import User

from ..base import Actor, InvalidInput, unit_of_work
from ..base import uow_today as _today
from ..numbering import MEDIATION_CASE, raise_number
from ..views import JsonView
from ._common import CASE_SEQ_MAX, _insert_party, case_pattern, timeline
from .parties import _AGENT_FIELDS, _PARTY_FIELDS

# =================================================================== import
#: A checked record: (the record, category, subcategory, its source, risk and
#: state, registration time, mediator, checked parties).
_Planned = tuple[dict[Any, Any], Category, str | None, dict[str, Source | RiskLevel | CaseState],
                 dt.datetime, User | None, list[PartyInput]]


@dataclass(frozen=True)
class ImportReport(JsonView):
    total: int
    imported: list[str] = field(default_factory=list)   # case numbers
    skipped: list[str] = field(default_factory=list)    # already in the hall (idempotent)
    errors: list[str] = field(default_factory=list)


class ImportRejected(InvalidInput):
    """The file had bad records: nothing was imported; ``errors`` lists each."""

    def __init__(self, errors: list[str]):
        super().__init__(f"导入失败：共{len(errors)}处错误，未导入任何案件", errors=errors)
        self.errors = errors


_CASE_KEYS = {"number", "category", "subcategory", "source", "risk", "state", "registered_at", "facts",
              "claims", "mediator", "police_flag", "police_note", "parties", "state_reason", "transfer_target"}
_PARTY_KEYS = _PARTY_FIELDS - {"visitor_id"} | {"agents"}
_AGENT_KEYS = _AGENT_FIELDS


def _when(value: Any, what: str) -> dt.datetime:
    """An ISO date or datetime; a time without zone is the hall's (Asia/Shanghai)."""
    from hall.domain.clock import HALL_TZ

    text = str(value or "").strip()
    if not text:
        raise ValueError(f"缺少{what}")
    try:
        if len(text) == 10:
            d = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(d, dt.time(9, 0), tzinfo=HALL_TZ)
        else:
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=HALL_TZ)
    except ValueError:
        raise ValueError(f"{what}“{text}”格式不正确，应为 YYYY-MM-DD 或 ISO 时间") from None
    return moment.astimezone(dt.UTC)


def _party_from(raw: Any, i: int) -> PartyInput:
    if not isinstance(raw, dict):
        raise ValueError(f"第{i}个当事人应为对象")
    unknown = set(raw) - _PARTY_KEYS
    if unknown:
        raise ValueError(f"第{i}个当事人含有未知字段：{'、'.join(sorted(unknown))}")
    agents = []
    for j, a in enumerate(raw.get("agents") or [], 1):
        if not isinstance(a, dict) or set(a) - _AGENT_KEYS:
            raise ValueError(f"第{i}个当事人的第{j}个代理人格式不正确（可用字段：{'、'.join(sorted(_AGENT_KEYS))}）")
        fields: dict[str, Any] = {k: (str(v) if v is not None else None) for k, v in a.items()}   # checked later
        agents.append(AgentInput(**fields))
    values = {k: v for k, v in raw.items() if k != "agents"}
    if values.get("birth_date"):
        try:
            values["birth_date"] = dt.date.fromisoformat(str(values["birth_date"]))
        except ValueError:
            raise ValueError(f"第{i}个当事人的出生日期格式不正确") from None
    return PartyInput(**{**values, "agents": tuple(agents)})


def import_cases(db: Database, actor: Actor, records: Sequence[Any], *, lines: Sequence[int | None] | None = None,
                 origin: str = "") -> ImportReport:
    """Load cases with parties and agents from another system: all or nothing.

    Every record is checked first (fields, categories, states, dates, every
    party and agent as at the window, the mediator's account); if any is
    bad, nothing is imported and :class:`ImportRejected` lists every error
    with the record's index (and line, when given). A case whose number is
    already in the hall is skipped, so a file can be imported twice. A number
    written in the centre's own pattern keeps its year and sequence, and the
    year's counter moves past it.
    """
    actor.require("case.import")
    errors: list[str] = []
    with unit_of_work(db, actor, "case.import") as uow:
        today = _today(uow)
        pattern = case_pattern(uow.s)
        mediators = {u.username: u for u in uow.s.execute(select(User)).scalars()}
        numbers = [str(r.get("number") or "").strip() for r in records if isinstance(r, dict)]
        existing = set()
        for i in range(0, len(numbers), 500):
            existing |= set(uow.s.execute(select(Case.number).where(Case.number.in_(numbers[i:i + 500]))).scalars())
        seen: set[str] = set()
        plan: list[tuple[str, _Planned | None]] = []
        for idx, raw in enumerate(records, 1):
            line = lines[idx - 1] if lines and idx - 1 < len(lines) else None
            where = f"第{idx}条" + (f"（第{line}行）" if line else "")
            problems: list[str] = []
            if not isinstance(raw, dict):
                errors.append(f"{where}：记录应为 JSON 对象")
                continue
            number = str(raw.get("number") or "").strip()
            if number:
                where += f"案号“{number}”"
            unknown = set(raw) - _CASE_KEYS
            if unknown:
                problems.append(f"含有未知字段：{'、'.join(sorted(unknown))}")
            if not number:
                problems.append("缺少案号")
            elif len(number) > 64:
                problems.append("案号过长")
            elif number in seen:
                problems.append("案号在文件中重复")
            seen.add(number)
            try:
                cat = Category.parse(raw.get("category"), "纠纷类别")
                sub = rules.parse_subcategory(cat, raw.get("subcategory"))
            except ValueError as exc:
                problems.append(str(exc))
                cat, sub = None, None
            parsed: dict[str, Source | RiskLevel | CaseState] = {}
            for key, cls, what, default in (("source", Source, "案件来源", Source.APPLICATION.value),
                                            ("risk", RiskLevel, "风险等级", RiskLevel.LOW.value),
                                            ("state", CaseState, "案件状态", CaseState.REGISTERED.value)):
                try:
                    parsed[key] = cls.parse(raw.get(key) or default, what)
                except ValueError as exc:
                    problems.append(str(exc))
            try:
                registered = _when(raw.get("registered_at"), "登记时间")
                if local_day(registered) > today:
                    problems.append("登记时间晚于今天")
            except ValueError as exc:
                problems.append(str(exc))
                registered = None
            med = None
            if raw.get("mediator"):
                med = mediators.get(str(raw["mediator"]))
                if med is None:
                    problems.append(f"没有用户名为“{raw['mediator']}”的调解员")
                elif Role.MEDIATOR not in parse_roles(med.roles):
                    problems.append(f"{med.display_name}不是调解员")
            parties_raw = raw.get("parties")
            checked: list[PartyInput] = []
            if not isinstance(parties_raw, list) or not parties_raw:
                problems.append("至少要有一方当事人")
            else:
                for i, pr in enumerate(parties_raw, 1):
                    try:
                        p = _party_from(pr, i)
                    except (ValueError, TypeError) as exc:
                        problems.append(str(exc))
                        continue
                    res = rules.check_party(p, today)
                    problems += [f"第{i}个当事人：{e}" for e in res.errors]
                    checked.append(res.party)
            ys = rules.parse_case_number(pattern, number)
            if ys and not (1 <= ys[1] <= CASE_SEQ_MAX and 1949 <= ys[0] <= 9999):
                # the year's counter goes on from the imported number: keep it where it can count
                problems.append(f"案号 {number} 的年份或序号超出可用范围（序号 1–{CASE_SEQ_MAX}）")
            if problems or cat is None or registered is None:   # a None was noted in problems
                errors += [f"{where}：{p}" for p in problems]
                continue
            if number in existing:
                plan.append((number, None))
                continue
            plan.append((number, (raw, cat, sub, parsed, registered, med, checked)))
        if errors:
            raise ImportRejected(errors)
        report = ImportReport(len(records))
        bumps: dict[int, int] = {}
        for number, item in plan:
            if item is None:
                report.skipped.append(number)
                continue
            raw, cat, sub, parsed, registered, med, checked = item
            ys = rules.parse_case_number(pattern, number)
            year, seq = ys if ys else (local_day(registered).year, None)
            if seq is not None:
                bumps[year] = max(bumps.get(year, 0), seq)
            state = parsed["state"]
            c = Case(number=number, year=year, seq=seq, category=cat.value, subcategory=sub,
                     source=parsed["source"].value, risk=parsed["risk"].value,
                     police_flag=bool(raw.get("police_flag")), police_note=str(raw.get("police_note") or ""),
                     police_flagged_at=registered if raw.get("police_flag") else None,
                     facts=str(raw.get("facts") or "").strip(), claims=str(raw.get("claims") or "").strip(),
                     state=state.value, state_reason=str(raw.get("state_reason") or ""),
                     transfer_target=str(raw.get("transfer_target") or "")[:200], ticket_id=None,
                     registered_by=None, mediator_id=med.id if med else None, imported_from=origin[:64],
                     created_at=registered, updated_at=uow.now,
                     accepted_at=registered if state is not CaseState.REGISTERED else None,
                     closed_at=registered if state is CaseState.CLOSED else None)
            uow.s.add(c)
            uow.s.flush()
            for i, p in enumerate(checked):
                _insert_party(uow, c.id, p, i)
            if med is not None:
                uow.s.add(CaseMediator(case_id=c.id, mediator_id=med.id, assigned_at=registered,
                                       assigned_by=None, release_reason=""))
            timeline(uow, c.id, "imported", f"从{origin or '其他系统'}导入（原状态：{state.label}）")
            report.imported.append(number)
        for year, top in bumps.items():
            raise_number(uow, MEDIATION_CASE, year, top)
        uow.audit("case.import", "case", "", origin=origin, imported=len(report.imported),
                  skipped=len(report.skipped))
        if report.imported:
            uow.event("case.imported", count=len(report.imported))
        return report
