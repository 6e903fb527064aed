"""街道吹哨、部门报到: the rules of summoning departments, as data.

Kinds of whistle (日常哨 / 攻坚哨 / 应急哨) with their response and solution
periods (settings the administrator edits, checked here), department kinds,
the states of a whistle and of one department's summons, the intake record
fields of the grid platform and the 12345 hotline, and the monthly two-way
assessment (部门 scored on 应哨报到、解决问题效果、群众满意度 and the
street's own rating; the street on the quality of its whistles, closure and
its residents' satisfaction). Pure functions, no I/O.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class WhistleKind(str, enum.Enum):
    DAILY = "daily"
    TOUGH = "tough"
    EMERGENCY = "emergency"

    @property
    def label(self) -> str:
        return {"daily": "日常哨", "tough": "攻坚哨", "emergency": "应急哨"}[self.value]

    @property
    def case_by_case(self) -> bool:
        """重点哨 (攻坚/应急) are assessed case by case (一案一评)."""
        return self is not WhistleKind.DAILY


class DepartmentKind(str, enum.Enum):
    RESIDENT = "resident"
    ROTATING = "rotating"
    ON_CALL = "on_call"
    EXTERNAL = "external"

    @property
    def label(self) -> str:
        return {"resident": "常驻", "rotating": "轮驻", "on_call": "随驻", "external": "外部单位"}[self.value]


class WhistleState(str, enum.Enum):
    OPEN = "open"            # departments summoned, work under way
    CLOSED = "closed"        # the centre confirmed closure
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"open": "办理中", "closed": "已办结", "cancelled": "已撤销"}[self.value]


class SummonsState(str, enum.Enum):
    SUMMONED = "summoned"    # 已吹哨, waiting for 报到
    REPORTED = "reported"    # 已报到, working
    RESOLVED = "resolved"    # result submitted
    RETURNED = "returned"    # returned to the centre with a reason
    WITHDRAWN = "withdrawn"  # the whistle was cancelled

    @property
    def label(self) -> str:
        return {"summoned": "待报到", "reported": "已报到", "resolved": "已办理",
                "returned": "已退回", "withdrawn": "已撤回"}[self.value]


class EventSource(str, enum.Enum):
    GRID = "grid"
    HOTLINE = "12345"
    WALK_IN = "walk_in"

    @property
    def label(self) -> str:
        return {"grid": "网格事件", "12345": "12345工单", "walk_in": "来访"}[self.value]


REPORT_MODES = {"on_site": "现场报到", "remote": "远程报到"}
SATISFACTION_CHANNELS = {"visit": "上门回访", "phone": "电话回访", "kiosk": "评价器"}
SATISFACTION_LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
REPLY_KINDS = ("电话", "短信", "书面", "网络")


# ------------------------------------------------------------ settings
DEADLINES_KEY = "whistle.deadlines"
WEIGHTS_KEY = "whistle.weights"

#: per kind: hours to 报到, working days to a result.
DEFAULT_DEADLINES: dict[str, dict[str, int]] = {
    "daily": {"response_hours": 24, "solution_days": 5},
    "tough": {"response_hours": 4, "solution_days": 15},
    "emergency": {"response_hours": 1, "solution_days": 1},
}

#: The assessment's weights (points out of 100) and negative-list deductions.
DEFAULT_WEIGHTS: dict[str, Any] = {
    # department, from the records (sum 100)
    "dept_report": 40, "dept_solve": 40, "dept_satisfaction": 20,
    # the street's own rating of a department, in % of its total (兰山区: 30%)
    "street_share": 30,
    # negative list of 日常哨 (points off 100 per summons)
    "deduct_late_report": 10, "deduct_late_solution": 10, "deduct_escalated": 10, "deduct_returned": 5,
    # street, from the records (sum 100)
    "street_quality": 40, "street_closure": 30, "street_satisfaction": 30,
}

_DEPT_SUM = ("dept_report", "dept_solve", "dept_satisfaction")
_STREET_SUM = ("street_quality", "street_closure", "street_satisfaction")


def _int(value: Any, label: str, lo: int, hi: int) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{label}应为 {lo} 到 {hi} 的整数")
    try:
        n = int(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        raise ValueError(f"{label}“{value}”不是整数") from None
    if not isinstance(n, int) or not lo <= n <= hi:
        raise ValueError(f"{label}应为 {lo} 到 {hi} 的整数")
    return n


def check_deadlines(value: Any) -> dict[str, dict[str, int]]:
    """The per-kind periods, complete and in range, or ValueError (Chinese)."""
    if not isinstance(value, Mapping):
        raise ValueError("吹哨期限设置应为按哨类分列的对象")
    out, problems = {}, []
    for kind in WhistleKind:
        given = dict(DEFAULT_DEADLINES[kind.value])
        given.update(dict(value.get(kind.value) or {}))
        try:
            out[kind.value] = {
                "response_hours": _int(given["response_hours"], f"{kind.label}报到时限（小时）", 1, 720),
                "solution_days": _int(given["solution_days"], f"{kind.label}办结时限（工作日）", 1, 120)}
        except ValueError as exc:
            problems.append(str(exc))
    unknown = sorted(set(value) - {k.value for k in WhistleKind})
    problems += [f"未知的哨类“{k}”" for k in unknown]
    if problems:
        raise ValueError("；".join(problems))
    return out


def check_weights(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise ValueError("考核权重设置应为对象")
    unknown = sorted(set(value) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ValueError("未知的考核权重：" + "、".join(unknown))
    out = {k: _int(value.get(k, d), _WEIGHT_LABELS[k], 0, 100) for k, d in DEFAULT_WEIGHTS.items()}
    problems = []
    if sum(out[k] for k in _DEPT_SUM) != 100:
        problems.append("部门考核三项权重（报到、办理、满意度）之和应为100")
    if sum(out[k] for k in _STREET_SUM) != 100:
        problems.append("街道考核三项权重（吹哨质量、办结、满意度）之和应为100")
    if problems:
        raise ValueError("；".join(problems))
    return out


_WEIGHT_LABELS = {
    "dept_report": "应哨报到权重", "dept_solve": "解决问题效果权重", "dept_satisfaction": "群众满意度权重",
    "street_share": "街道评价占部门总分比例", "deduct_late_report": "逾期报到扣分",
    "deduct_late_solution": "逾期办结扣分", "deduct_escalated": "被督办扣分", "deduct_returned": "退回扣分",
    "street_quality": "吹哨质量权重", "street_closure": "办结率权重", "street_satisfaction": "街道满意度权重",
}

#: For ``hall.services.admin.SETTING_CHECKS``.
SETTING_CHECKS = {DEADLINES_KEY: check_deadlines, WEIGHTS_KEY: check_weights}


# ------------------------------------------------------------ departments
@dataclass(frozen=True)
class DepartmentDef:
    code: str
    name: str
    kind: str = DepartmentKind.EXTERNAL.value
    contacts: tuple[dict[str, Any], ...] = ()
    services: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    active: bool = True


def department_problems(d: Mapping[str, Any], known_services: set[str] | None = None) -> tuple[DepartmentDef | None, list[str]]:
    """One department as data (config file, admin form): the definition or what is wrong."""
    problems = []
    code = str(d.get("code", "")).strip()
    name = str(d.get("name", "")).strip()
    who = f"部门“{name or code or '（未命名）'}”"
    if not code or len(code) > 32 or not all(c.isalnum() or c in "_-." for c in code):
        problems.append(f"{who}的代码应为 1-32 位字母、数字、下划线、点或减号")
    if not name or len(name) > 64:
        problems.append(f"{who}的名称不能为空且不超过64字")
    kind = str(d.get("kind", DepartmentKind.EXTERNAL.value))
    if kind not in {k.value for k in DepartmentKind}:
        problems.append(f"{who}的入驻方式“{kind}”不正确（常驻 resident / 轮驻 rotating / 随驻 on_call / 外部 external）")
    contacts = []
    for c in d.get("contacts") or []:
        if not isinstance(c, Mapping) or not str(c.get("name", "")).strip():
            problems.append(f"{who}的联系人须有姓名")
            continue
        contacts.append({"name": str(c["name"]).strip(), "phone": str(c.get("phone", "")).strip(),
                         "title": str(c.get("title", "")).strip()})
    services = tuple(str(s) for s in d.get("services") or [])
    if known_services is not None:
        problems += [f"{who}承办的业务“{s}”不存在" for s in services if s not in known_services]
    categories = tuple(str(s).strip() for s in d.get("categories") or [] if str(s).strip())
    if problems:
        return None, problems
    return DepartmentDef(code, name, kind, tuple(contacts), services, categories,
                         bool(d.get("active", True))), []


def departments_for(category: str, departments: Sequence[DepartmentDef]) -> list[str]:
    """Codes of the active departments that answer for a category (suggestion)."""
    c = (category or "").strip()
    if not c:
        return []
    return [d.code for d in departments if d.active and any(x and (x in c or c in x) for x in d.categories)]


# ------------------------------------------------------------ intake records
#: field -> accepted column names (as the platforms export them, and plain keys)
GRID_FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "event_id", "事件编号", "事件编码", "编号"),
    "grid_code": ("grid_code", "网格编码", "网格编号", "网格"),
    "street": ("street", "所属街道", "街道"),
    "reporter": ("reporter", "上报人", "网格员"),
    "place": ("place", "地点", "事发地点", "发生地点"),
    "category": ("category", "事件类别", "类别", "事件类型"),
    "description": ("description", "事件描述", "描述", "内容"),
    "reported_at": ("reported_at", "上报时间", "发现时间"),
    "resident_name": ("resident_name", "当事人", "联系人"),
    "resident_phone": ("resident_phone", "联系电话", "电话"),
    "attachments": ("attachments", "附件", "照片"),
}
HOTLINE_FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "order_number", "工单编号", "工单号"),
    "street": ("street", "所属街道", "承办街道", "街道"),
    "resident_name": ("resident_name", "诉求人", "来电人", "姓名"),
    "resident_phone": ("resident_phone", "联系电话", "来电号码", "电话"),
    "place": ("place", "地点", "诉求地点", "地址"),
    "category": ("category", "诉求类别", "类别", "问题分类"),
    "description": ("description", "诉求内容", "内容", "问题描述"),
    "reported_at": ("reported_at", "派单时间", "受理时间", "来电时间"),
    "reply_due": ("reply_due", "办结时限", "答复时限", "办理时限"),
    "reply_kind": ("reply_kind", "答复方式", "回复方式"),
    "attachments": ("attachments", "附件"),
}
REQUIRED = {
    EventSource.GRID: ("external_id", "grid_code", "reporter", "place", "category", "description", "reported_at"),
    EventSource.HOTLINE: ("external_id", "resident_name", "description", "reported_at", "reply_due", "reply_kind"),
}
FIELD_LABELS = {"external_id": "编号", "grid_code": "网格编码", "street": "街道", "reporter": "上报人",
                "place": "地点", "category": "类别", "description": "内容", "reported_at": "上报/派单时间",
                "resident_name": "诉求人/当事人", "resident_phone": "联系电话", "reply_due": "办结时限",
                "reply_kind": "答复方式", "attachments": "附件"}


def fields_for(source: EventSource) -> dict[str, tuple[str, ...]]:
    return GRID_FIELDS if source is EventSource.GRID else HOTLINE_FIELDS


def _strptime_any(text: str, formats: Sequence[str]) -> dt.datetime | None:
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_moment(value: Any, tz: dt.tzinfo) -> dt.datetime:
    """"2026-11-20 08:30", "2026/11/20 8:30:00", "2026-11-20T08:30+08:00", a date, a datetime."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0, 0))
    else:
        text = str(value).strip().replace("/", "-").replace("T", " ")
        parsed = _strptime_any(text, ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"))
        if parsed is not None:
            moment = parsed
        else:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(f"时间“{value}”格式不正确，应为 YYYY-MM-DD HH:MM") from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class IntakeRecord:
    source: str
    external_id: str
    values: dict[str, Any] = field(default_factory=dict)


def check_record(source: EventSource, raw: Mapping[str, Any], tz: dt.tzinfo) -> tuple[IntakeRecord | None, list[str]]:
    """Map one exported row onto our fields; (record, []) or (None, problems)."""
    aliases = fields_for(source)
    lookup = {str(k).strip(): v for k, v in raw.items() if k is not None}
    values: dict[str, Any] = {}
    for f, names in aliases.items():
        for n in names:
            if n in lookup and lookup[n] not in (None, ""):
                values[f] = lookup[n]
                break
    problems = [f"缺少{FIELD_LABELS[f]}" for f in REQUIRED[source]
                if not str(values.get(f, "")).strip()]
    for f in ("reported_at", "reply_due"):
        if f in values and str(values[f]).strip():
            try:
                values[f] = parse_moment(values[f], tz)
            except ValueError as exc:
                problems.append(f"{FIELD_LABELS[f]}{exc}")
    for f, v in list(values.items()):
        if f not in ("reported_at", "reply_due", "attachments"):
            values[f] = str(v).strip()
            limit = 4000 if f == "description" else 200
            if len(values[f]) > limit:
                problems.append(f"{FIELD_LABELS[f]}超过{limit}字")
    if source is EventSource.HOTLINE and values.get("reply_kind") and values["reply_kind"] not in REPLY_KINDS:
        problems.append(f"答复方式“{values['reply_kind']}”不正确（可用：{'、'.join(REPLY_KINDS)}）")
    if isinstance(values.get("reported_at"), dt.datetime) and isinstance(values.get("reply_due"), dt.datetime) \
            and values["reply_due"] < values["reported_at"]:
        problems.append("办结时限早于派单时间")
    att = values.get("attachments") or []
    if isinstance(att, str):
        att = [a.strip() for a in att.replace("；", ";").replace("，", ";").replace(",", ";").split(";") if a.strip()]
    if not isinstance(att, (list, tuple)) or not all(isinstance(a, str) for a in att):
        problems.append("附件应为文件名列表")
        att = []
    values["attachments"] = list(att)
    if problems:
        return None, problems
    return IntakeRecord(source.value, values.pop("external_id"), values), []


# ------------------------------------------------------------ assessment
def score(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 2) if whole else 100.0


@dataclass(frozen=True)
class SummonsFacts:
    """What the assessment needs of one summons in the month."""

    summons_id: int
    whistle_number: str
    kind: str
    reported_on_time: bool | None    # None: not reported (yet)
    resolved_on_time: bool | None    # None: no result (yet)
    escalated: bool
    returned: bool
    review_score: int | None         # 一案一评 of this department on this whistle
    satisfaction: int | None         # the resident's rating of the whistle


def street_rating(f: SummonsFacts, w: Mapping[str, int]) -> float:
    """The street's rating of one summons: 一案一评 for 重点哨, the negative list for 日常哨."""
    if WhistleKind(f.kind).case_by_case and f.review_score is not None:
        return float(f.review_score)
    if f.returned:   # a return with its reason: only the return itself counts
        return float(max(100 - w["deduct_returned"] - (w["deduct_escalated"] if f.escalated else 0), 0))
    pts = 100
    if f.reported_on_time is False or f.reported_on_time is None:
        pts -= w["deduct_late_report"]
    if f.resolved_on_time is False:
        pts -= w["deduct_late_solution"]
    if f.escalated:
        pts -= w["deduct_escalated"]
    return float(max(pts, 0))


def department_score(facts: Sequence[SummonsFacts], w: Mapping[str, int], adjustment: float = 0.0) -> dict[str, Any]:
    """A department's month: the figures, the points and the total."""
    counted = [f for f in facts if not f.returned]
    n = len(counted)
    reported = sum(1 for f in counted if f.reported_on_time)
    resolved = [f for f in counted if f.resolved_on_time is not None]
    on_time = sum(1 for f in resolved if f.resolved_on_time)
    rated = [f for f in counted if f.satisfaction is not None]
    satisfied = sum(1 for f in rated if (f.satisfaction or 0) >= 4)
    report_rate = score(reported, n)
    solve_rate = score(on_time, n)
    sat_rate = score(satisfied, len(rated))
    system = round((report_rate * w["dept_report"] + solve_rate * w["dept_solve"]
                    + sat_rate * w["dept_satisfaction"]) / 100.0, 2)
    ratings = [street_rating(f, w) for f in facts]
    street = round(sum(ratings) / len(ratings), 2) if ratings else 100.0
    share = w["street_share"]
    total = round(system * (100 - share) / 100.0 + street * share / 100.0 + adjustment, 2)
    return {"summons": len(facts), "counted": n, "reported_on_time": reported, "resolved": len(resolved),
            "resolved_on_time": on_time, "rated": len(rated), "satisfied": satisfied,
            "returned": len(facts) - n, "escalated": sum(1 for f in facts if f.escalated),
            "report_rate": report_rate, "solve_rate": solve_rate, "satisfaction_rate": sat_rate,
            "system_score": system, "street_score": street, "adjustment": adjustment, "total": total}


@dataclass(frozen=True)
class WhistleFacts:
    number: str
    closed: bool
    well_aimed: bool            # no summoned department returned it as not its duty
    satisfaction: int | None


def street_score(facts: Sequence[WhistleFacts], w: Mapping[str, int], adjustment: float = 0.0) -> dict[str, Any]:
    n = len(facts)
    closed = sum(1 for f in facts if f.closed)
    aimed = sum(1 for f in facts if f.well_aimed)
    rated = [f for f in facts if f.satisfaction is not None]
    satisfied = sum(1 for f in rated if (f.satisfaction or 0) >= 4)
    quality, closure, sat = score(aimed, n), score(closed, n), score(satisfied, len(rated))
    total = round((quality * w["street_quality"] + closure * w["street_closure"]
                   + sat * w["street_satisfaction"]) / 100.0 + adjustment, 2)
    return {"whistles": n, "closed": closed, "well_aimed": aimed, "rated": len(rated), "satisfied": satisfied,
            "quality_rate": quality, "closure_rate": closure, "satisfaction_rate": sat,
            "adjustment": adjustment, "total": total}


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not 1 <= month <= 12:
        raise ValueError(f"月份“{month}”不正确")
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)
