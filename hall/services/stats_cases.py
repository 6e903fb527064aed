"""Statistics of people's mediation, labour arbitration, petitions and the
statutory deadlines, registered as sections of :mod:`hall.services.stats`.

Every figure is computed by SQL aggregates (``GROUP BY``) and can be listed
with ``stats.records_for`` (same filters as its row or bar).

Section ``cases`` (人民调解，按受理月) — the cohort of cases *accepted* in the
period (``accepted_at`` on one of the period's hall days, Asia/Shanghai), each
followed to today: this view of a past month changes when one of its cases
reaches an agreement later. Section ``case_outcomes`` (按结果发生月) counts
each outcome in the month it happened and does not change once the month is
over; the monthly report uses both, labelled, and freezes them
(``hall.services.snapshots``):

``cases.accepted``     受理数: cases accepted in the period.
``cases.success``      调解成功数: of those, cases with an agreement that took
                       effect (any version; a corrected agreement counts once,
                       per case). 调解成功率 = success / accepted.
``cases.followed_up``  of those, cases whose effective agreement has at least
                       one follow-up (回访).
``cases.performed``    of those, cases whose effective agreement's latest
                       follow-up (by time, then id) says 已履行.
                       协议履行率 = performed / success (agreements reached),
                       as DOMAIN.md defines it; 回访率 = followed_up / success.
                       部分履行 is not counted as performed.
``cases.amount``       协议金额: the sum of the term amounts of the effective
                       agreements of those cases (yuan, as a two-place string);
                       its records are the cases with an amount.

Section ``case_outcomes`` — the outcomes that *happened* in the period:

``case_outcomes.success``   调解成功: cases whose first agreement took effect
                            (``effective_at``) in the period.
``case_outcomes.failed``    调解不成: cases terminated (timeline ``terminated``)
                            in the period, without an agreement in it.
``case_outcomes.concluded`` 调解终结 = success + failed.
                            调解成功率 = success / concluded.
``case_outcomes.followed_up`` of the successes, agreements with a follow-up
                            before the end of the period.
``case_outcomes.performed`` of the successes, agreements whose latest
                            follow-up before the end of the period says 已履行.
                            协议履行率 = performed / success; 回访率 =
                            followed_up / success.
``case_outcomes.amount``    协议金额 of the successes' effective agreements.

A rate (``cases.success_rate``, ``cases.performance_rate``,
``deadlines.on_time_rate``) lists the records it is computed over (its
denominator). Each is given in total and ``by_category`` (Chinese labels), ``by_source`` and
``by_mediator``; filters: ``category``, ``source``, ``mediator`` (user id).

Section ``arbitration`` (劳动人事争议仲裁), by the dates on the case:
``received`` (``received_on``), ``accepted`` (``accepted_on``), ``closed``
(an outcome other than 不予受理 dated in the period, ``outcome_on``) and
``by_outcome`` (every outcome dated in the period, refusals included;
records: ``arbitration.outcomes`` with filter ``outcome``).

Section ``petitions`` (信访): ``received`` (``received_on``), ``accepted``
(``accepted_on``), ``closed`` (``closed_on``), ``opinions`` (``opinion_on``)
by ``opinion_outcome`` (filter ``outcome``).

Section ``deadlines`` (法定期限): deadlines *met* in the period (``met_on``);
``on_time`` those met on or before their ``due_date``; the on-time rate per
rule (``rule_code`` with the rule's name); filters ``rule``, ``subject_type``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from hall.domain import deadlines as dl
from hall.domain.arbitration import CaseState as ArbState
from hall.domain.cases import AgreementState, Category, Performance, Source
from hall.domain.cases import CaseState as CS
from hall.domain.clock import as_utc
from hall.domain.petitions import OPINION_OUTCOMES, OpinionOutcome
from hall.store.arbitration_models import ArbitrationCase, Petition
from hall.store.case_models import Agreement, AgreementTerm, Case, CaseTimelineEntry, FollowUp
from hall.store.models import TrackedDeadline, User

from .base import InvalidInput, NotFound
from .stats import FigureProvider, StatsContext, register_provider
from .views import JsonView


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _check(filters: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(filters) - allowed
    if unknown:
        raise InvalidInput(f"未知的筛选条件：{'、'.join(sorted(unknown))}")


def _money(x) -> str | None:
    return None if x is None else f"{Decimal(x):.2f}"


def _label(enum_cls, code):
    try:
        return enum_cls(code).label
    except ValueError:
        return code or ""


# ================================================================ cases
CASE_FIGURES = {
    "accepted": "受理数",
    "success": "调解成功数",
    "followed_up": "已回访的协议（履行率分母）",
    "performed": "已履行的协议",
    "amount": "协议金额（有金额的案件）",
    "success_rate": "调解成功率（成功 ÷ 受理）",
    "performance_rate": "协议履行率（已履行 ÷ 达成协议）",
    "followup_rate": "回访率（已回访 ÷ 达成协议）",
}
OUTCOME_FIGURES = {
    "concluded": "调解终结（达成协议 + 调解不成）",
    "success": "达成协议（协议当月生效）",
    "failed": "调解不成（当月终止）",
    "followed_up": "月末前已回访的协议",
    "performed": "月末前已履行的协议",
    "amount": "协议金额（当月生效的协议）",
    "success_rate": "调解成功率（达成协议 ÷ 调解终结）",
    "performance_rate": "协议履行率（已履行 ÷ 达成协议）",
    "followup_rate": "回访率（已回访 ÷ 达成协议）",
}
#: A rate lists the records it is computed over (its denominator).
_RATE_BASE = {"success_rate": "accepted", "performance_rate": "success", "followup_rate": "success",
              "on_time_rate": "met"}
_OUTCOME_RATE_BASE = {"success_rate": "concluded", "performance_rate": "success", "followup_rate": "success"}
_FLAGS = ("success", "followed_up", "performed")


def _case_filter_clauses(filters: Mapping[str, Any]) -> list:
    """The clauses for a case table's category, source and mediator filters."""
    clauses: list = []
    if filters.get("category") is not None:
        clauses.append(Case.category == str(filters["category"]))
    if filters.get("source") is not None:
        clauses.append(Case.source == str(filters["source"]))
    if filters.get("mediator") is not None:
        clauses.append(Case.mediator_id == int(filters["mediator"]))
    return clauses


def _agreed_amount():
    """The sum of the amounts in a case's effective agreements (correlated to Case)."""
    ag2 = aliased(Agreement)
    return (select(func.sum(AgreementTerm.amount))
            .join(ag2, ag2.id == AgreementTerm.agreement_id)
            .where(ag2.case_id == Case.id, ag2.state == AgreementState.EFFECTIVE.value)
            .correlate(Case).scalar_subquery())


def _flag(cond):
    return case((cond, 1), else_=0)


def _case_rows(ctx: StatsContext, filters: Mapping[str, Any]):
    """One row per case accepted in the period (and the filters), with 0/1
    flags and the agreed amount, as a subquery."""
    _check(filters, {"category", "source", "mediator"})
    p = ctx.period
    clauses = [Case.accepted_at >= p.utc_start, Case.accepted_at < p.utc_end]
    clauses.extend(_case_filter_clauses(filters))

    ag = aliased(Agreement)
    fu = aliased(FollowUp)
    latest = aliased(FollowUp)
    effective = and_(ag.case_id == Case.id, ag.state == AgreementState.EFFECTIVE.value)
    success = exists().where(Agreement.case_id == Case.id, Agreement.effective_at.is_not(None))
    followed = exists().where(effective, exists().where(fu.agreement_id == ag.id))
    latest_perf = (select(latest.performance).where(latest.agreement_id == ag.id)
                   .order_by(latest.at.desc(), latest.id.desc()).limit(1).correlate(ag).scalar_subquery())
    performed = exists().where(effective, latest_perf == Performance.PERFORMED.value)
    amount = _agreed_amount()

    return (select(Case.id.label("id"), Case.category.label("category"), Case.source.label("source"),
                   Case.mediator_id.label("mediator_id"),
                   _flag(success).label("success"), _flag(followed).label("followed_up"),
                   _flag(performed).label("performed"), amount.label("amount"))
            .where(*clauses).subquery("case_rows"))


def _case_figures(accepted, success, followed, performed, amount) -> dict:
    accepted, success = int(accepted or 0), int(success or 0)
    followed, performed = int(followed or 0), int(performed or 0)
    return {"accepted": accepted, "success": success, "success_rate": _rate(success, accepted),
            "followed_up": followed, "performed": performed,
            "performance_rate": _rate(performed, success), "followup_rate": _rate(followed, success),
            "amount": _money(amount)}


def _outcome_figures(concluded, success, failed, followed, performed, amount) -> dict:
    concluded, success, failed = int(concluded or 0), int(success or 0), int(failed or 0)
    followed, performed = int(followed or 0), int(performed or 0)
    return {"concluded": concluded, "success": success, "failed": failed,
            "success_rate": _rate(success, concluded), "followed_up": followed, "performed": performed,
            "performance_rate": _rate(performed, success), "followup_rate": _rate(followed, success),
            "amount": _money(amount)}


def _outcome_rows(ctx: StatsContext, filters: Mapping[str, Any]):
    """One row per case with an outcome in the period: its first agreement
    took effect in it (success) or it was terminated in it (failed)."""
    _check(filters, {"category", "source", "mediator"})
    p = ctx.period
    first_effective = (select(func.min(Agreement.effective_at)).where(Agreement.case_id == Case.id)
                       .correlate(Case).scalar_subquery())
    terminated = (select(func.min(CaseTimelineEntry.at))
                  .where(CaseTimelineEntry.case_id == Case.id, CaseTimelineEntry.kind == "terminated")
                  .correlate(Case).scalar_subquery())
    in_period_ok = and_(first_effective >= p.utc_start, first_effective < p.utc_end)
    in_period_failed = and_(terminated >= p.utc_start, terminated < p.utc_end)
    clauses = [or_(in_period_ok, in_period_failed)]
    clauses.extend(_case_filter_clauses(filters))
    ag = aliased(Agreement)
    fu = aliased(FollowUp)
    latest = aliased(FollowUp)
    effective = and_(ag.case_id == Case.id, ag.state == AgreementState.EFFECTIVE.value)
    followed = exists().where(effective, exists().where(fu.agreement_id == ag.id, fu.at < p.utc_end))
    latest_perf = (select(latest.performance).where(latest.agreement_id == ag.id, latest.at < p.utc_end)
                   .order_by(latest.at.desc(), latest.id.desc()).limit(1).correlate(ag).scalar_subquery())
    performed = exists().where(effective, latest_perf == Performance.PERFORMED.value)
    amount = _agreed_amount()

    ok = _flag(in_period_ok)
    return (select(Case.id.label("id"), Case.category.label("category"), Case.source.label("source"),
                   Case.mediator_id.label("mediator_id"), literal(1).label("concluded"),
                   ok.label("success"), (1 - ok).label("failed"),
                   _flag(and_(in_period_ok, followed)).label("followed_up"),
                   _flag(and_(in_period_ok, performed)).label("performed"),
                   case((in_period_ok, amount)).label("amount"))
            .where(*clauses).subquery("outcome_rows"))


def _outcomes_compute(ctx: StatsContext) -> dict:
    rows = _outcome_rows(ctx, {})
    sums = (func.count(), func.sum(rows.c.success), func.sum(rows.c.failed), func.sum(rows.c.followed_up),
            func.sum(rows.c.performed), func.sum(rows.c.amount))
    return _breakdowns(ctx, rows, sums, _outcome_figures)


def _breakdowns(ctx: StatsContext, rows, sums, figures) -> dict:
    s = ctx.session
    out = figures(*s.execute(select(*sums).select_from(rows)).one())
    out["amount"] = out["amount"] or "0.00"

    by_category = []
    for code, *vals in s.execute(select(rows.c.category, *sums).group_by(rows.c.category)).all():
        by_category.append({"category": code, "name": _label(Category, code), **figures(*vals)})
    order = {c.value: i for i, c in enumerate(Category)}
    by_category.sort(key=lambda x: (order.get(x["category"], len(order)), x["category"]))

    by_source = []
    for code, *vals in s.execute(select(rows.c.source, *sums).group_by(rows.c.source)
                                 .order_by(rows.c.source)).all():
        by_source.append({"source": code, "name": _label(Source, code), **figures(*vals)})

    by_mediator = []
    for uid, name, *vals in s.execute(
            select(rows.c.mediator_id, User.display_name, *sums).select_from(rows)
            .outerjoin(User, User.id == rows.c.mediator_id)
            .group_by(rows.c.mediator_id, User.display_name).order_by(rows.c.mediator_id)).all():
        by_mediator.append({"mediator": uid, "name": name or "（未指派）", **figures(*vals)})

    out.update(by_category=by_category, by_source=by_source, by_mediator=by_mediator)
    return out


def _cases_compute(ctx: StatsContext) -> dict:
    rows = _case_rows(ctx, {})
    sums = (func.count(), func.sum(rows.c.success), func.sum(rows.c.followed_up),
            func.sum(rows.c.performed), func.sum(rows.c.amount))
    return _breakdowns(ctx, rows, sums, _case_figures)


@dataclass(frozen=True)
class CaseStatRecord(JsonView):
    id: int
    number: str
    category: str
    category_name: str
    source: str
    source_name: str
    state: str
    state_name: str
    mediator_id: int | None
    mediator_name: str
    accepted_at: dt.datetime | None
    amount: str | None
    kind: str = "case"


def _figure_check(group: str, figures: Mapping[str, str], figure: str) -> None:
    if figure not in figures:
        raise NotFound(f"没有统计项 {group}.{figure}")


def _case_table_records(ctx: StatsContext, rows, figure: str, flags: tuple[str, ...]) -> list[CaseStatRecord]:
    """The cases of a case table's rows subquery that count towards figure
    (a flag, the amount, or every row)."""
    where = []
    if figure in flags:
        where.append(rows.c[figure] == 1)
    elif figure == "amount":
        where.append(rows.c.amount.is_not(None))
    found = ctx.session.execute(
        select(Case.id, Case.number, Case.category, Case.source, Case.state, Case.mediator_id,
               User.display_name, Case.accepted_at, rows.c.amount)
        .select_from(rows).join(Case, Case.id == rows.c.id).outerjoin(User, User.id == Case.mediator_id)
        .where(*where).order_by(Case.accepted_at, Case.id)).all()
    return [CaseStatRecord(r[0], r[1], r[2], _label(Category, r[2]), r[3], _label(Source, r[3]), r[4],
                           _label(CS, r[4]), r[5], r[6] or "", as_utc(r[7]) if r[7] else None, _money(r[8]))
            for r in found]


def _cases_records(ctx: StatsContext, figure: str, filters: dict) -> list[CaseStatRecord]:
    _figure_check("cases", CASE_FIGURES, figure)
    return _case_table_records(ctx, _case_rows(ctx, filters), _RATE_BASE.get(figure, figure), _FLAGS)


def _outcomes_records(ctx: StatsContext, figure: str, filters: dict) -> list[CaseStatRecord]:
    _figure_check("case_outcomes", OUTCOME_FIGURES, figure)
    return _case_table_records(ctx, _outcome_rows(ctx, filters), _OUTCOME_RATE_BASE.get(figure, figure),
                               ("success", "failed", "followed_up", "performed"))


# ========================================================== arbitration
OUTCOME_LABELS = {
    "mediation_statement": "仲裁调解书", "award": "裁决", "default_award": "缺席裁决",
    "withdrawn": "撤回申请", "deemed_withdrawn": "视为撤回申请", "refused": "不予受理",
}
ARBITRATION_FIGURES = {"received": "收件数", "accepted": "受理数", "closed": "审结数（不含不予受理）",
                       "outcomes": "结案方式"}


def _arb_figure_clauses(ctx: StatsContext, figure: str) -> list:
    p, A = ctx.period, ArbitrationCase
    if figure == "received":
        return [A.received_on >= p.start, A.received_on < p.end]
    if figure == "accepted":
        return [A.accepted_on >= p.start, A.accepted_on < p.end]
    decided = [A.outcome_on >= p.start, A.outcome_on < p.end, A.outcome != ""]
    if figure == "closed":
        return decided + [A.outcome != "refused"]
    return decided


def _arbitration_compute(ctx: StatsContext) -> dict:
    s, A = ctx.session, ArbitrationCase
    out: dict[str, int | list[dict[str, object]]] = {
        k: int(s.execute(select(func.count()).select_from(A).where(*_arb_figure_clauses(ctx, k))).scalar_one())
        for k in ("received", "accepted", "closed")}
    out["by_outcome"] = [{"outcome": code, "name": OUTCOME_LABELS.get(code, code), "count": int(n)}
                         for code, n in s.execute(select(A.outcome, func.count())
                                                  .where(*_arb_figure_clauses(ctx, "outcomes"))
                                                  .group_by(A.outcome).order_by(A.outcome)).all()]
    return out


@dataclass(frozen=True)
class ArbitrationStatRecord(JsonView):
    id: int
    receipt_number: str
    number: str | None
    state: str
    state_name: str
    received_on: dt.date
    accepted_on: dt.date | None
    outcome: str
    outcome_name: str
    outcome_on: dt.date | None
    kind: str = "arbitration"


def _arbitration_records(ctx: StatsContext, figure: str, filters: dict) -> list[ArbitrationStatRecord]:
    _figure_check("arbitration", ARBITRATION_FIGURES, figure)
    _check(filters, {"outcome"})
    A = ArbitrationCase
    where = _arb_figure_clauses(ctx, figure)
    if filters.get("outcome") is not None:
        where.append(A.outcome == str(filters["outcome"]))
    found = ctx.session.execute(select(A.id, A.receipt_number, A.number, A.state, A.received_on, A.accepted_on,
                                       A.outcome, A.outcome_on).where(*where).order_by(A.id)).all()
    return [ArbitrationStatRecord(r[0], r[1], r[2], r[3], _label(ArbState, r[3]), r[4], r[5], r[6] or "",
                                  OUTCOME_LABELS.get(r[6], r[6] or ""), r[7]) for r in found]


# ============================================================ petitions
PETITION_FIGURES = {"received": "登记数", "accepted": "受理数", "closed": "办结数", "opinions": "出具处理意见"}


def _petition_clauses(ctx: StatsContext, figure: str) -> list:
    p = ctx.period
    col = {"received": Petition.received_on, "accepted": Petition.accepted_on,
           "closed": Petition.closed_on, "opinions": Petition.opinion_on}[figure]
    return [col >= p.start, col < p.end]


def _opinion_label(code: str) -> str:
    try:
        return OPINION_OUTCOMES[OpinionOutcome(code)].label
    except ValueError:
        return code or ""


def _petitions_compute(ctx: StatsContext) -> dict:
    s = ctx.session
    out: dict[str, int | list[dict[str, object]]] = {
        k: int(s.execute(select(func.count()).select_from(Petition).where(*_petition_clauses(ctx, k))).scalar_one())
        for k in PETITION_FIGURES}
    out["by_opinion"] = [{"outcome": code, "name": _opinion_label(code), "count": int(n)}
                         for code, n in s.execute(select(Petition.opinion_outcome, func.count())
                                                  .where(*_petition_clauses(ctx, "opinions"))
                                                  .group_by(Petition.opinion_outcome)
                                                  .order_by(Petition.opinion_outcome)).all()]
    return out


@dataclass(frozen=True)
class PetitionStatRecord(JsonView):
    id: int
    number: str
    state: str
    received_on: dt.date
    accepted_on: dt.date | None
    opinion_outcome: str
    opinion_on: dt.date | None
    closed_on: dt.date | None
    kind: str = "petition"


def _petitions_records(ctx: StatsContext, figure: str, filters: dict) -> list[PetitionStatRecord]:
    _figure_check("petitions", PETITION_FIGURES, figure)
    _check(filters, {"outcome"})
    P = Petition
    where = _petition_clauses(ctx, figure)
    if filters.get("outcome") is not None:
        where.append(P.opinion_outcome == str(filters["outcome"]))
    found = ctx.session.execute(select(P.id, P.number, P.state, P.received_on, P.accepted_on, P.opinion_outcome,
                                       P.opinion_on, P.closed_on).where(*where).order_by(P.id)).tuples().all()
    return [PetitionStatRecord(pid, number, state, received_on, accepted_on, outcome or "", opinion_on, closed_on)
            for pid, number, state, received_on, accepted_on, outcome, opinion_on, closed_on in found]


# ============================================================ deadlines
DEADLINE_FIGURES = {"met": "期内完成的期限（按完成日）", "on_time": "按期完成", "late": "逾期完成",
                    "on_time_rate": "按期完成率"}


def _rule_name(code: str) -> str:
    r = dl.RULES.get(code)
    return r.name if r else code


def _deadline_clauses(ctx: StatsContext, filters: Mapping[str, Any]) -> list:
    _check(filters, {"rule", "subject_type"})
    p, D = ctx.period, TrackedDeadline
    where = [D.met_on >= p.start, D.met_on < p.end]
    if filters.get("rule") is not None:
        where.append(D.rule_code == str(filters["rule"]))
    if filters.get("subject_type") is not None:
        where.append(D.subject_type == str(filters["subject_type"]))
    return where


def _deadlines_compute(ctx: StatsContext) -> dict:
    D = TrackedDeadline
    on_time = func.count(case((D.met_on <= D.due_date, 1)))
    rows = ctx.session.execute(select(D.rule_code, func.count(), on_time).where(*_deadline_clauses(ctx, {}))
                               .group_by(D.rule_code).order_by(D.rule_code)).all()
    by_rule = [{"rule": code, "name": _rule_name(code), "met": int(n), "on_time": int(ok),
                "late": int(n) - int(ok), "on_time_rate": _rate(int(ok), int(n))} for code, n, ok in rows]
    met = sum(r["met"] for r in by_rule)
    ok = sum(r["on_time"] for r in by_rule)
    return {"met": met, "on_time": ok, "late": met - ok, "on_time_rate": _rate(ok, met), "by_rule": by_rule}


@dataclass(frozen=True)
class DeadlineStatRecord(JsonView):
    id: int
    rule: str
    rule_name: str
    subject_type: str
    subject_id: int
    case_number: str
    label: str
    due_date: dt.date
    met_on: dt.date
    on_time: bool
    kind: str = "deadline"


def _deadlines_records(ctx: StatsContext, figure: str, filters: dict) -> list[DeadlineStatRecord]:
    _figure_check("deadlines", DEADLINE_FIGURES, figure)
    figure = _RATE_BASE.get(figure, figure)
    D = TrackedDeadline
    where = _deadline_clauses(ctx, filters)
    if figure == "on_time":
        where.append(D.met_on <= D.due_date)
    elif figure == "late":
        where.append(D.met_on > D.due_date)
    found = ctx.session.execute(select(D.id, D.rule_code, D.subject_type, D.subject_id, D.case_number, D.label,
                                       D.due_date, D.met_on).where(*where).order_by(D.met_on, D.id)).all()
    return [DeadlineStatRecord(r[0], r[1], _rule_name(r[1]), r[2], r[3], r[4] or "", r[5] or "", r[6], r[7],
                               r[7] <= r[6]) for r in found]


register_provider(FigureProvider("cases", "人民调解（按受理月）", CASE_FIGURES, _cases_compute, _cases_records,
                                 ("category", "source", "mediator")))
register_provider(FigureProvider("case_outcomes", "人民调解（按结果发生月）", OUTCOME_FIGURES, _outcomes_compute,
                                 _outcomes_records, ("category", "source", "mediator")))
register_provider(FigureProvider("arbitration", "劳动人事争议仲裁", ARBITRATION_FIGURES, _arbitration_compute,
                                 _arbitration_records, ("outcome",)))
register_provider(FigureProvider("petitions", "信访", PETITION_FIGURES, _petitions_compute,
                                 _petitions_records, ("outcome",)))
register_provider(FigureProvider("deadlines", "法定期限", DEADLINE_FIGURES, _deadlines_compute,
                                 _deadlines_records, ("rule", "subject_type")))

__all__ = ["ArbitrationStatRecord", "CaseStatRecord", "DeadlineStatRecord", "PetitionStatRecord"]
