"""The director's overview and the centre's monthly report.

:func:`overview` is what the director's dashboard shows for any period: the
statistics (:func:`hall.services.stats.compute`), the waiting time by hour of
arrival, the deadlines at risk and the low ratings waiting for follow-up.

:func:`monthly_data` gathers one calendar month into the plain
:class:`reports.monthly.MonthlyData` the renderer takes; every figure in it
is the figure ``stats.compute`` gives for that month (the report adds no
definitions of its own), plus

* the waiting time by hour of arrival: ``queue.waiting`` grouped by the hall
  hour of ``issued_at`` (``records_for("queue.waiting", period, hour=h)``
  lists a bar's tickets);
* visits per business day;
* the deadlines at risk when the report is made: overdue, or due within the
  next seven days (``deadlines.list_deadlines`` ``overdue`` + ``week``);
* the month's ratings of 2 stars or less with their follow-up.

:func:`render_monthly` renders it as PDF or XLSX.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from hall.domain.clock import as_utc, local_day, to_local
from hall.store.db import Database
from hall.store.models import Ticket
from reports import monthly as rm

from . import deadlines as dl
from . import satisfaction as sat
from . import stats
from .base import Actor, InvalidInput
from .centre import centre_profile
from .views import JsonView

CORE_SECTIONS = ("queue", "appointments", "satisfaction")


# --------------------------------------------------------------- figures
def _duration(d: dict | None) -> rm.Duration:
    d = d or {}
    return rm.Duration(int(d.get("n") or 0), d.get("mean"), d.get("p50"), d.get("p90"))


def waiting_by_hour(db: Database, actor: Actor, period: stats.Period) -> list[rm.HourRow]:
    """Visits and waiting time (``queue.waiting``) by the hall hour the ticket
    was issued, over the hours that had any visit or any called ticket."""
    actor.require(stats.ACTION)
    with db.read() as s:
        ctx = stats.StatsContext(s, period, stats.Sql(db.is_postgres), db.clock.now())
        hour = ctx.sql.local_hour(Ticket.issued_at)
        base = [Ticket.business_day >= period.start, Ticket.business_day < period.end]
        visits: dict[int, int] = dict(s.execute(select(hour, func.count()).where(
            *base, Ticket.transferred_from_id.is_(None)).group_by(hour)).tuples().all())
        waits = stats.durations(ctx, ctx.sql.minutes(Ticket.issued_at, Ticket.called_at),
                                base + [Ticket.called_at.is_not(None)], group=hour)
    hours = sorted({int(h) for h in visits} | {int(h) for h in waits})
    return [rm.HourRow(h, int(visits.get(h, 0)), _duration(waits.get(h))) for h in hours]


def visits_by_day(db: Database, actor: Actor, period: stats.Period) -> list[rm.DayRow]:
    """Tickets and visits of each business day of the period that had any."""
    actor.require(stats.ACTION)
    with db.read() as s:
        rows = s.execute(
            select(Ticket.business_day, func.count(),
                   func.count(Ticket.id).filter(Ticket.transferred_from_id.is_(None)))
            .where(Ticket.business_day >= period.start, Ticket.business_day < period.end)
            .group_by(Ticket.business_day).order_by(Ticket.business_day)).all()
    return [rm.DayRow(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)), int(t), int(v))
            for d, t, v in rows]


def deadlines_at_risk(db: Database, limit: int = 500) -> list[dl.DeadlineView]:
    """Open deadlines already overdue, then those due within the next seven days."""
    return (dl.list_deadlines(db, when="overdue", limit=limit, explain=False)
            + dl.list_deadlines(db, when="week", limit=limit, explain=False))


# --------------------------------------------------------------- overview
@dataclass(frozen=True)
class Overview(JsonView):
    """Everything the director's dashboard shows for one period."""

    report: stats.StatsReport
    hours: tuple[rm.HourRow, ...]
    deadlines: tuple[dl.DeadlineView, ...]
    low_ratings: tuple[sat.RatingView, ...]
    high_risk: tuple[HighRiskCase, ...] = ()


def overview(db: Database, actor: Actor, period: stats.Period, *, include_resolved: bool = False) -> Overview:
    """The dashboard's figures for ``period``; deadlines and low ratings as of now."""
    report = stats.compute(db, actor, period)
    return Overview(report, tuple(waiting_by_hour(db, actor, period)), tuple(deadlines_at_risk(db)),
                    tuple(sat.low_ratings(db, actor, include_resolved=include_resolved)),
                    tuple(high_risk_cases(db, actor)))


# ---------------------------------------------------------------- monthly
def check_month(year: int, month: int) -> stats.Period:
    if not (isinstance(year, int) and 2000 <= year <= 2100 and isinstance(month, int) and 1 <= month <= 12):
        raise InvalidInput(f"月份不正确：{year}-{month}")
    return stats.Period.month(year, month)


_month = check_month


def parse_month(text: str) -> tuple[int, int]:
    """``"2026-10"`` -> ``(2026, 10)``."""
    try:
        year, month = (int(x) for x in str(text).strip().split("-"))
        _month(year, month)
    except (ValueError, InvalidInput):
        raise InvalidInput(f"月份“{text}”格式不正确，应为 YYYY-MM，例如 2026-10") from None
    return year, month


def _low_ratings_of(db: Database, actor: Actor, period: stats.Period) -> list[sat.RatingView]:
    """The period's ratings of 2 stars or less, resolved or not, oldest first
    (exactly the records of ``satisfaction.low``)."""
    wanted = {r.id for r in stats.records_for(db, actor, "satisfaction.low", period)}
    if not wanted:
        return []
    views = [v for v in sat.low_ratings(db, actor, include_resolved=True, limit=1_000_000) if v.id in wanted]
    return sorted(views, key=lambda v: (v.rated_at, v.id))


PAYLOAD_SECTIONS = ("queue", "appointments", "satisfaction", "cases", "case_outcomes", "arbitration",
                    "petitions", "deadlines")
TREND_SECTIONS = ("queue", "satisfaction", "cases", "case_outcomes", "arbitration", "petitions")


def month_payload(db: Database, actor: Actor, year: int, month: int,
                  sections: tuple[str, ...] = PAYLOAD_SECTIONS) -> dict:
    """A month's figures as plain JSON data: what a snapshot freezes."""
    actor.require("stats.read")  # before looking at the input
    period = check_month(year, month)
    report = stats.compute(db, actor, period, [x for x in sections
                                               if x in {p.section for p in stats.providers()}])
    out = {"month": f"{year:04d}-{month:02d}", "computed_at": report.to_json()["computed_at"],
           "sections": report.to_json()["sections"]}
    if "queue" in sections:
        out["by_hour"] = [{"hour": h.hour, "visits": h.visits, "waiting": asdict(h.waiting)}
                          for h in waiting_by_hour(db, actor, period)]
        out["by_day"] = [{"day": d.day.isoformat(), "tickets": d.tickets, "visits": d.visits}
                         for d in visits_by_day(db, actor, period)]
    return out


def _ratio(part, whole) -> rm.Ratio:
    return rm.Ratio(int(part or 0), int(whole or 0))


def _pct_change(now, before) -> float | None:
    if now is None or before is None or not before:
        return None
    return round((now - before) / before, 4)


@dataclass(frozen=True)
class HighRiskCase(JsonView):
    id: int
    number: str
    category_name: str
    risk_label: str
    police_flag: bool
    police_note: str
    state_name: str
    mediator_name: str
    accepted_at: dt.datetime | None


def high_risk_cases(db: Database, actor: Actor) -> list[HighRiskCase]:
    """Open mediation cases of high risk or flagged to the police (人民调解法第二十五条),
    as of now: the list a director reports upward."""
    from sqlalchemy import or_

    from hall.domain.cases import CaseState, Category, RiskLevel
    from hall.store.case_models import Case
    from hall.store.models import User

    actor.require(stats.ACTION)
    open_states = [CaseState.REGISTERED.value, CaseState.ACCEPTED.value, CaseState.MEDIATING.value]
    with db.read() as s:
        rows = s.execute(
            select(Case.id, Case.number, Case.category, Case.risk, Case.police_flag, Case.police_note, Case.state,
                   User.display_name, Case.accepted_at)
            .outerjoin(User, User.id == Case.mediator_id)
            .where(Case.state.in_(open_states), or_(Case.risk == RiskLevel.HIGH.value, Case.police_flag.is_(True)))
            .order_by(Case.police_flag.desc(), Case.accepted_at, Case.id)).all()

    def label(cls, code):
        try:
            return cls(code).label
        except ValueError:
            return code or ""
    return [HighRiskCase(r[0], r[1], label(Category, r[2]), label(RiskLevel, r[3]), bool(r[4]), r[5] or "",
                         label(CaseState, r[6]), r[7] or "未指派", as_utc(r[8]) if r[8] else None) for r in rows]


def _trend_payload(db: Database, actor: Actor, year: int, month: int) -> dict:
    from . import snapshots

    found = snapshots.snapshot(db, year, month)
    if found is not None:
        return found.payload
    return month_payload(db, actor, year, month, TREND_SECTIONS)


def _months_back(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) - n
    return k // 12, k % 12 + 1


@dataclass(frozen=True)
class TrendRow(JsonView):
    year: int
    month: int
    visits: int
    visits_mom: float | None      # 环比
    visits_yoy: float | None      # 同比
    cases_accepted: int
    cases_mom: float | None
    cases_yoy: float | None
    concluded: int
    success: int
    arbitration_received: int
    petitions_received: int
    ratings: int
    satisfied: int


def trends(db: Database, actor: Actor, year: int, month: int, months: int = 12) -> list[TrendRow]:
    """The last ``months`` months up to ``year-month``: visits and cases accepted
    with 环比 (on the month before) and 同比 (on the same month a year before),
    mediation outcomes, arbitration and petitions received, 满意率. A frozen
    month's figures are its snapshot's."""
    actor.require(stats.ACTION)
    today = local_day(db.clock.now())
    cache: dict[tuple[int, int], dict] = {}

    def figures(y: int, m: int) -> dict | None:
        if (y, m) > (today.year, today.month) or y < 2000:
            return None
        if (y, m) not in cache:
            sec = _trend_payload(db, actor, y, m)["sections"]
            cache[(y, m)] = {
                "visits": sec["queue"]["visits"], "accepted": sec["cases"]["accepted"],
                "concluded": sec.get("case_outcomes", {}).get("concluded", 0),
                "success": sec.get("case_outcomes", {}).get("success", 0),
                "arbitration": sec["arbitration"]["received"], "petitions": sec["petitions"]["received"],
                "ratings": sec["satisfaction"]["count"], "satisfied": sec["satisfaction"].get("satisfied", 0)}
        return cache[(y, m)]

    out = []
    for back in range(months - 1, -1, -1):
        y, m = _months_back(year, month, back)
        cur = figures(y, m)
        if cur is None:
            continue
        prev = figures(*_months_back(y, m, 1))
        last_year = figures(y - 1, m)
        out.append(TrendRow(
            y, m, cur["visits"], _pct_change(cur["visits"], prev and prev["visits"]),
            _pct_change(cur["visits"], last_year and last_year["visits"]), cur["accepted"],
            _pct_change(cur["accepted"], prev and prev["accepted"]),
            _pct_change(cur["accepted"], last_year and last_year["accepted"]), cur["concluded"], cur["success"],
            cur["arbitration"], cur["petitions"], cur["ratings"], cur["satisfied"]))
    return out


def _breakdown_tables(sec: dict, mediators: dict) -> list[rm.TableSpec]:
    """The breakdowns the statistics compute, as tables of the report."""
    T, I, R, MONEY = rm.TEXT, rm.INT, rm.RATIO, rm.MONEY
    out: list[rm.TableSpec] = []
    co, cs = sec.get("case_outcomes"), sec.get("cases")
    if co is not None:
        cols: tuple[rm.Col, ...] = (rm.Col("类别", T, 1.6), rm.Col("调解终结", I, 0.9), rm.Col("达成协议", I, 0.9),
                rm.Col("调解不成", I, 0.9), rm.Col("调解成功率", R, 1.5), rm.Col("协议履行率", R, 1.5),
                rm.Col("回访率", R, 1.5), rm.Col("协议金额(元)", MONEY, 1.4))

        def outcome_row(name, x):
            return (name, x["concluded"], x["success"], x["failed"], _ratio(x["success"], x["concluded"]),
                    _ratio(x["performed"], x["success"]), _ratio(x["followed_up"], x["success"]),
                    x["amount"])
        note = ("按结果发生月统计：达成协议按协议生效日期，调解不成按终止日期。调解成功率 = 达成协议 ÷ 调解终结；"
                "协议履行率 = 月末前最近一次回访为“已履行”的协议 ÷ 达成协议；回访率 = 月末前已回访 ÷ 达成协议。")
        for key, title, name_key in (("by_category", "人民调解结果（按纠纷类别）", "name"),
                                     ("by_source", "人民调解结果（按案件来源）", "name"),
                                     ("by_mediator", "人民调解结果（按调解员）", "name")):
            rows = [outcome_row(x[name_key], x) for x in co[key]]
            if rows:
                rows.append(outcome_row("合计", co))
            out.append(rm.TableSpec(f"outcomes_{key}", title.replace("人民调解结果", "调解结果")[:31], title, cols,
                                    tuple(rows), note=note, chart_cols=(2, 3),
                                    empty="本月没有调解终结的案件。"))
    if cs is not None:
        cols = (rm.Col("类别", T, 1.6), rm.Col("受理", I, 0.8), rm.Col("其中达成协议", I, 1.0),
                rm.Col("调解成功率", R, 1.5), rm.Col("协议履行率", R, 1.5), rm.Col("回访率", R, 1.5),
                rm.Col("协议金额(元)", MONEY, 1.4))

        def cohort_row(name, x):
            return (name, x["accepted"], x["success"], _ratio(x["success"], x["accepted"]),
                    _ratio(x["performed"], x["success"]), _ratio(x["followed_up"], x["success"]), x["amount"])
        rows = [cohort_row(x["name"], x) for x in cs["by_category"]]
        rows += [cohort_row("合计", cs)] if rows else []
        out.append(rm.TableSpec(
            "cases_cohort", "本月受理案件去向", "本月受理案件的调解情况（按受理月，截至制表时）", cols, tuple(rows),
            note="按受理月统计：本月受理的案件，跟踪至制表时；以后月份达成的协议也计入，故与“按结果发生月”不同。"
                 "调解成功率 = 达成协议 ÷ 受理。", empty="本月没有受理的调解案件。"))
    if cs is not None or co is not None:
        # per-mediator workload: cases accepted this month and outcomes this month
        acc = {x["mediator"]: x for x in (cs or {}).get("by_mediator", [])}
        res = {x["mediator"]: x for x in (co or {}).get("by_mediator", [])}
        keys = sorted(set(acc) | set(res), key=lambda k: (k is None, k or 0))
        rows = []
        for k in keys:
            a, r = acc.get(k, {}), res.get(k, {})
            rows.append(((a or r).get("name") or mediators.get(k, "未指派"), a.get("accepted", 0),
                         r.get("concluded", 0), r.get("success", 0),
                         _ratio(r.get("success", 0), r.get("concluded", 0)), r.get("amount")))
        out.append(rm.TableSpec(
            "mediators", "调解员工作量", "调解员工作量",
            (rm.Col("调解员", T, 1.4), rm.Col("本月受理", I), rm.Col("本月调解终结", I), rm.Col("达成协议", I),
             rm.Col("调解成功率", R, 1.5), rm.Col("协议金额(元)", MONEY, 1.3)), tuple(rows),
            note="本月受理按受理日期；调解终结、达成协议按结果发生日期。", chart_cols=(1, 2),
            empty="本月调解员没有受理或终结的案件。"))
    ar, pe, q = sec.get("arbitration"), sec.get("petitions"), sec.get("queue")
    dept = []
    if q is not None:
        dept.append(("窗口服务（排队叫号）", q["visits"], q["finished"], "来访人次 / 窗口办结"))
    if co is not None and cs is not None:
        dept.append(("人民调解", cs["accepted"], co["concluded"], "受理 / 调解终结"))
    if ar is not None:
        dept.append(("劳动人事争议仲裁", ar["accepted"], ar["closed"], "受理 / 审结（不含不予受理）"))
    if pe is not None:
        dept.append(("信访", pe["accepted"], pe["closed"], "受理 / 办结"))
    if dept:
        out.append(rm.TableSpec("departments", "各部门工作量", "各部门工作量",
                                (rm.Col("部门", T, 2.0), rm.Col("受理", I), rm.Col("办结", I), rm.Col("口径", T, 2.2)),
                                tuple(dept), chart_cols=(1, 2)))
    def shares(key: str, sheet: str, title: str, kind: str, items: list, note: str, empty: str) -> None:
        """A table of counts by ``kind``, each with its share, and their total."""
        total = sum(x["count"] for x in items)
        rows = tuple((x["name"], x["count"], _ratio(x["count"], total)) for x in items)
        out.append(rm.TableSpec(
            key, sheet, title, (rm.Col(kind, T, 2), rm.Col("件数", I), rm.Col("占比", R, 1.5)),
            rows + (("合计", total, _ratio(total, total)),) if rows else (),
            note=note, empty=empty, chart_cols=(1,)))

    if ar is not None:
        shares("arbitration", "仲裁结案方式", "劳动人事争议仲裁结案方式", "结案方式", ar["by_outcome"],
               f"本月收件 {ar['received']} 件，受理 {ar['accepted']} 件，审结 {ar['closed']} 件（不含不予受理）；"
               "结案方式按结案日期统计，含不予受理。", "本月无仲裁结案。")
    if pe is not None:
        shares("petitions", "信访处理意见", "信访处理意见", "处理意见", pe["by_opinion"],
               f"本月登记 {pe['received']} 件，受理 {pe['accepted']} 件，办结 {pe['closed']} 件；"
               "处理意见按出具日期统计。", "本月未出具信访处理意见。")
    dl_ = sec.get("deadlines")
    if dl_ is not None:
        dl_rows = tuple((x["name"], x["met"], x["on_time"], x["late"], _ratio(x["on_time"], x["met"]))
                        for x in dl_["by_rule"])
        out.append(rm.TableSpec(
            "deadlines_by_rule", "期限按期完成", "法定期限按期完成情况（按期限种类）",
            (rm.Col("期限", T, 2.6), rm.Col("完成", I), rm.Col("按期", I), rm.Col("逾期", I),
             rm.Col("按期完成率", R, 1.5)),
            dl_rows + (("合计", dl_["met"], dl_["on_time"], dl_["late"], _ratio(dl_["on_time"], dl_["met"])),)
            if dl_rows else (), note="按完成日期统计本月完成的期限；按期 = 完成日不晚于到期日。",
            empty="本月没有完成的法定期限。"))
    return out


def _queue_from(sec: dict):
    q = sec["queue"]
    queue = rm.QueueTotals(
        q["tickets"], q["visits"], q["called"], q["finished"], q["no_show"], q["transferred"], q["cancelled"],
        q["no_show_rate"], q["transfer_rate"], _duration(q["waiting"]), _duration(q["walking"]),
        _duration(q["service_time"]), q.get("service_no_start", 0))
    services = tuple(rm.ServiceRow(
        s["service"], s["name"], s["tickets"], s["visits"], s["called"], s["finished"], s["no_show"],
        s["transferred"], s["transferred_in"], s["cancelled"], _duration(s["waiting"]),
        _duration(s["service_time"])) for s in q["by_service"])
    ratings_by_window = {w["window"]: w for w in sec["satisfaction"]["by_window"]}
    windows = tuple(rm.WindowRow(
        w["window"], w["number"], w["name"], w["called"], w["finished"], w["no_show"], w["service_time_mean"],
        w["days"], w["open_minutes"], w["busy_minutes"], w["idle_minutes"],
        ratings_by_window.get(w["window"], {}).get("count", 0),
        ratings_by_window.get(w["window"], {}).get("mean"), w.get("days_without_record", 0))
        for w in q["by_window"])
    return queue, services, windows


def whistle_tables(db: Database, actor: Actor, year: int, month: int) -> list[rm.TableSpec]:
    """The month's 吹哨报到 two-way assessment as report tables: closure and
    on-time rates, departments, streets, and the whistles behind every figure
    (``whistle.monthly_assessment``; an actor who may not read whistles gets none)."""
    actor.require("stats.read")
    if not actor.may("whistle.read"):
        return []
    from . import whistle

    a = whistle.monthly_assessment(db, actor, year, month)
    w = a.weights
    T, I, S, R = rm.TEXT, rm.INT, rm.SCORE, rm.RATIO

    def nums(v) -> str:
        return "、".join(v) or "—"
    rates = (
        ("办结率（吹哨）", a.closed, a.whistles, a.records["closed"]),
        ("按时办结率（部门办理）", a.on_time_summons, a.resolved_summons,
         [f"{n}（{d.name}）" for d in a.departments for n in d.records["resolved_on_time"]]),
    )
    out = [rm.TableSpec(
        "whistle_rates", "吹哨报到办结", "吹哨报到：办结率与按时办结率",
        (rm.Col("指标", T, 1.6), rm.Col("分子", I, 0.6), rm.Col("分母", I, 0.6), rm.Col("比率", R, 1.3),
         rm.Col("分子对应的吹哨", T, 4.0)),
        tuple((name, part, whole, rm.Ratio(part, whole), nums(recs)) for name, part, whole, recs in rates),
        note="统计当月发出（按发出时刻所在日）、未撤销的吹哨。办结率 = 已办结 ÷ 吹哨；按时办结率 = 不晚于办结时限提交结果的"
             "部门办理 ÷ 已提交结果的部门办理（退回的不计）。吹哨报到各表按制表时的记录计算，不在月度冻结数据之内。",
        empty="本月没有吹哨。")]
    dept_note = (f"系统得分 = 报到得分率×{w['dept_report']}% + 办理得分率×{w['dept_solve']}% + "
                 f"满意度得分率×{w['dept_satisfaction']}%（退回的召集不计；无评价的得分率计 100）；街道评价：攻坚哨、应急哨一案一评，"
                 f"日常哨按负面清单自100分扣减（逾期报到−{w['deduct_late_report']}、逾期办结−"
                 f"{w['deduct_late_solution']}、被督办−{w['deduct_escalated']}、退回−{w['deduct_returned']}）；"
                 f"总分 = 系统得分×{100 - w['street_share']}% + 街道评价×{w['street_share']}% + 加减分。")
    out.append(rm.TableSpec(
        "whistle_departments", "吹哨部门考核", "吹哨报到：部门考核",
        (rm.Col("部门", T, 1.5), rm.Col("召集", I, 0.6), rm.Col("按时报到", I, 0.7), rm.Col("按时办结", I, 0.7),
         rm.Col("满意/已评", T, 0.7), rm.Col("督办", I, 0.5), rm.Col("退回", I, 0.5), rm.Col("报到得分率", S, 0.8),
         rm.Col("办理得分率", S, 0.8), rm.Col("满意度得分率", S, 0.9), rm.Col("系统得分", S, 0.8),
         rm.Col("街道评价", S, 0.8), rm.Col("加减分", S, 0.7), rm.Col("总分", S, 0.8)),
        tuple((d.name, f["summons"], f["reported_on_time"], f["resolved_on_time"], f"{f['satisfied']}/{f['rated']}",
               f["escalated"], f["returned"], f["report_rate"], f["solve_rate"], f["satisfaction_rate"],
               f["system_score"], f["street_score"], f["adjustment"], f["total"])
              for d in a.departments for f in (d.figures,)),
        note=dept_note, empty="本月没有召集部门。"))
    out.append(rm.TableSpec(
        "whistle_streets", "吹哨街道考核", "吹哨报到：街道考核",
        (rm.Col("街道", T, 1.5), rm.Col("吹哨", I, 0.6), rm.Col("办结", I, 0.6), rm.Col("吹哨准确", I, 0.7),
         rm.Col("满意/已评", T, 0.7), rm.Col("吹哨质量", S, 0.8), rm.Col("办结率", S, 0.8), rm.Col("满意率", S, 0.8),
         rm.Col("加减分", S, 0.7), rm.Col("总分", S, 0.8)),
        tuple((x.street, f["whistles"], f["closed"], f["well_aimed"], f"{f['satisfied']}/{f['rated']}",
               f["quality_rate"], f["closure_rate"], f["satisfaction_rate"], f["adjustment"], f["total"])
              for x in a.streets for f in (x.figures,)),
        note=f"总分 = 吹哨质量×{w['street_quality']}% + 办结率×{w['street_closure']}% + "
             f"满意率×{w['street_satisfaction']}% + 加减分；吹哨质量 = 没有部门退回的吹哨 ÷ 吹哨；满意率 = 4 星及以上 ÷ 已评价（无评价计 100）。",
        empty="本月没有吹哨。"))
    labels = {"summons": "召集", "reported_on_time": "按时报到", "resolved_on_time": "按时办结", "satisfied": "满意",
              "escalated": "被督办", "returned": "退回", "adjustment": "加减分", "whistles": "吹哨", "closed": "办结",
              "well_aimed": "吹哨准确"}
    detail = [(f"部门：{d.name}", labels.get(k, k), len(v), nums(v)) for d in a.departments for k, v in d.records.items()]
    detail += [(f"街道：{x.street}", labels.get(k, k), len(v), nums(v)) for x in a.streets for k, v in x.records.items()]
    out.append(rm.TableSpec(
        "whistle_records", "吹哨考核明细", "吹哨报到：各项考核数字对应的吹哨",
        (rm.Col("对象", T, 1.6), rm.Col("指标", T, 0.9), rm.Col("件数", I, 0.6), rm.Col("吹哨编号或加减分理由", T, 5.0)),
        tuple(detail), empty="本月没有吹哨。"))
    return out


def monthly_data(db: Database, actor: Actor, year: int, month: int) -> rm.MonthlyData:
    """A calendar month's report data (figures as ``stats.compute`` gives them).

    A future month is refused. The current month is reported as of now and
    says so (截至) on every page. A month that is over is frozen by its first
    report: the report prints the frozen figures with their SHA-256 and lists
    every figure a re-run computes differently."""
    from . import snapshots

    actor.require("stats.read")  # before reading the input

    period = check_month(year, month)
    now = db.clock.now()
    today = local_day(now)
    if period.start > today:
        raise InvalidInput(f"{year}年{month}月尚未开始，不能生成月报")
    current = period.end > today
    actor.require(stats.ACTION)
    snap = None if current else snapshots.ensure_frozen(db, actor, year, month)
    live = month_payload(db, actor, year, month)
    payload = snap.payload if snap is not None else live
    changes = tuple(rm.ChangeRow(snapshots.label_of(c.path), c.frozen, c.now) for c in snapshots.diff(snap.payload, live)) \
        if snap is not None else ()
    sec = payload["sections"]
    queue, services, windows = _queue_from(sec)
    ap, st = sec["appointments"], sec["satisfaction"]
    appointments = rm.AppointmentTotals(ap["all"], ap["booked"], ap["kept"], ap["late"], ap["missed"],
                                        ap["cancelled"], ap["missed_rate"], ap["late_rate"])
    satisfaction = rm.SatisfactionTotals(st["count"], st["mean"],
                                         tuple(st["distribution"][str(k)] for k in range(1, 6)),
                                         st["low"], st["low_unresolved"], st.get("satisfied", 0),
                                         tuple((x["name"], x["count"], x["satisfied"], x["mean"])
                                               for x in st.get("by_source", ())))
    hours = tuple(rm.HourRow(h["hour"], h["visits"], _duration(h["waiting"])) for h in payload.get("by_hour", ()))
    days = tuple(rm.DayRow(dt.date.fromisoformat(d["day"]), d["tickets"], d["visits"])
                 for d in payload.get("by_day", ()))
    at_risk = tuple(rm.DeadlineRow(d.case_number or "", d.label or "", d.name, d.basis, d.due_date,
                                   d.state_label, d.days_left, d.state == "overdue")
                    for d in deadlines_at_risk(db))
    low = tuple(rm.LowRatingRow(
        to_local(v.rated_at).replace(tzinfo=None), v.rating, v.service_name or "", v.window_number,
        v.ticket_number or "", "、".join(v.tag_labels), v.comment, v.resolved, v.follow_up_note)
        for v in _low_ratings_of(db, actor, period))
    risky = tuple(rm.RiskRow(c.number, c.category_name, c.risk_label, c.police_flag, c.police_note, c.state_name,
                             c.mediator_name,
                             to_local(c.accepted_at).replace(tzinfo=None) if c.accepted_at else None)
                  for c in high_risk_cases(db, actor))
    trend = tuple(rm.TrendRow(f"{t.year}-{t.month:02d}", t.visits, t.visits_mom, t.visits_yoy, t.cases_accepted,
                              t.cases_mom, t.cases_yoy, t.concluded, t.success, t.arbitration_received,
                              t.petitions_received, t.ratings, t.satisfied)
                  for t in trends(db, actor, year, month))
    name = centre_profile(db).get("name") or "服务中心"
    local_now = to_local(as_utc(now)).replace(tzinfo=None)
    frozen = None
    if snap is not None:
        frozen = rm.FrozenInfo(snap.sha256, to_local(snap.frozen_at).replace(tzinfo=None), snap.frozen_by_name)
    return rm.MonthlyData(
        name, year, month, period.start, period.end, local_now,
        queue, services, windows, hours, days, appointments, satisfaction, at_risk, low,
        tuple(_breakdown_tables(sec, {})) + tuple(whistle_tables(db, actor, year, month)),
        as_of=local_now if current else None, frozen=frozen,
        changes=changes, high_risk=risky, trends=trend)


def render_monthly(db: Database, actor: Actor, year: int, month: int, fmt: str = "pdf") -> bytes:
    """The month's report as ``"pdf"`` or ``"xlsx"`` bytes."""
    actor.require("stats.read")  # before reading the input
    if fmt not in rm.FORMATS:
        raise InvalidInput(f"未知的月报格式：{fmt}（可用 {'、'.join(rm.FORMATS)}）")
    return rm.render(monthly_data(db, actor, year, month), fmt)


def last_month(db: Database) -> tuple[int, int]:
    """The calendar month before today's (the usual report to make)."""
    first = local_day(db.clock.now()).replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


__all__ = ["HighRiskCase", "Overview", "TrendRow", "check_month", "high_risk_cases", "month_payload", "trends", "deadlines_at_risk", "last_month", "monthly_data", "overview", "parse_month",
           "render_monthly", "visits_by_day", "waiting_by_hour", "whistle_tables"]
