"""Labour dispute arbitration (劳动争议仲裁) as rules: pure, no I/O.

What a clerk needs decided the same way every time:

* the contents an application must state, and what is missing from one
  (:func:`missing_items`: the whole list at once, it goes into ONE 补正通知);
* case numbers from the commission's pattern and a per-year sequence;
* the case's procedure as a state machine (:func:`next_state`);
* the tribunal: three arbitrators with a presiding one, or a sole arbitrator
  in simplified handling (:func:`simplified_allowed`), and the recusal
  grounds (:data:`RECUSAL_GROUNDS`, :func:`recusal_conflicts`);
* which claims of an award are final (:func:`classify_claims`);
* whether a hearing notice was served early enough (:func:`check_hearing_notice`).

Sources. 《劳动争议调解仲裁法》(2007) was checked against the official text
(``/work/shared/statutes``). 《劳动人事争议仲裁办案规则》(2017, "办案规则") was
not available as text: every point taken from it is marked UNVERIFIED here,
its thresholds come from settings, and the messages name it as the basis only
where DOMAIN.md gives the article.

Where the statute and DOMAIN.md differ:

* Art. 28 of the statute lists the worker's 姓名、性别、年龄、职业、工作单位和住所
  and the employer's 名称、住所和法定代表人或者主要负责人的姓名、职务, the claims,
  facts and reasons, and 证据和证据来源、证人姓名和住所. Date of birth (instead
  of age), ID number, mailing address and phone come from 办案规则 Art. 29
  (UNVERIFIED) as DOMAIN.md reports it. The legal representative may also be
  the 主要负责人 (statute); the field's label says so.
* Art. 47 (1) speaks of 追索 by the worker; a claim brought by an employer is
  never final under it. Per-claim classification ("每项确定的数额均不超过…")
  follows the Supreme People's Court's interpretation and 办案规则 Art. 50
  (both UNVERIFIED here); the amount classified is the amount the award
  decides, falling back to the amount claimed while no award exists.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from hall.domain import deadlines as _deadlines
from hall.domain import statemachine
from hall.domain.identity import check_credit_code, check_phone, check_resident_id
from hall.domain.money import parse_amount
from hall.domain.workcalendar import WorkCalendar

__all__ = [
    "LAW",
    "RULES_2017",
    "RequiredItem",
    "REQUIRED_ITEMS",
    "missing_items",
    "application_warnings",
    "derive_from_id",
    "CLAIM_KINDS",
    "ClaimKind",
    "format_case_number",
    "case_number_pattern_problem",
    "CaseState",
    "IllegalTransition",
    "TRANSITIONS",
    "next_state",
    "allowed_actions",
    "TERMINAL_OUTCOMES",
    "SimplifiedCheck",
    "simplified_allowed",
    "SIMPLIFIED_EXCLUSIONS",
    "TribunalProblem",
    "check_composition",
    "RecusalGround",
    "RECUSAL_GROUNDS",
    "CasePerson",
    "Declaration",
    "Arbitrator",
    "RecusalConflict",
    "recusal_conflicts",
    "ClaimClass",
    "AwardClassification",
    "classify_claims",
    "check_hearing_notice",
    "NoticeTooLate",
    "require_hearing_notice",
    "check_postponement_request",
    "DOCUMENT_KINDS",
    "AWARD_PARTS",
    "COSTS_SENTENCE",
    "award_missing",
]

LAW = "《劳动争议调解仲裁法》"
RULES_2017 = "《劳动人事争议仲裁办案规则》"


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


# ---------------------------------------------------------------------------
# the application (仲裁申请书)


@dataclass(frozen=True)
class RequiredItem:
    """One thing the application must state, with the rule that asks for it."""

    key: str
    label: str
    basis: str
    verified: bool = True


_A28 = f"{LAW}第二十八条第二款"
_R29 = f"{RULES_2017}第二十九条（未经核实）"

#: The application's required contents, in the order of the 补正通知.
REQUIRED_ITEMS: tuple[RequiredItem, ...] = (
    RequiredItem("worker_name", "劳动者姓名", _A28),
    RequiredItem("worker_sex", "劳动者性别", _A28),
    RequiredItem("worker_birth_date", "劳动者出生日期", _R29, verified=False),
    RequiredItem("worker_id_number", "劳动者公民身份号码", _R29, verified=False),
    RequiredItem("worker_occupation", "劳动者职业", _A28),
    RequiredItem("worker_employer", "劳动者工作单位", _A28),
    RequiredItem("worker_address", "劳动者住所", _A28),
    RequiredItem("worker_mailing_address", "劳动者通讯地址", _R29, verified=False),
    RequiredItem("worker_phone", "劳动者联系电话", _R29, verified=False),
    RequiredItem("employer_name", "用人单位名称", _A28),
    RequiredItem("employer_address", "用人单位住所", _A28),
    RequiredItem("employer_legal_rep", "用人单位法定代表人或者主要负责人的姓名", _A28),
    RequiredItem("employer_legal_rep_title", "用人单位法定代表人或者主要负责人的职务", _A28),
    RequiredItem("claims", "仲裁请求", _A28),
    RequiredItem("facts_reasons", "仲裁请求所根据的事实、理由", _A28),
    RequiredItem("evidence", "证据和证据来源", _A28),
)


def missing_items(application: Mapping[str, Any], today: dt.date | None = None) -> list[str]:
    """Everything the application still lacks, in Chinese, all at once.

    The list goes into ONE 补正通知 (办案规则 Art. 29: 一次性告知, UNVERIFIED):
    nothing is held back for a second notice. Beyond the required fields it
    names: a claim without content or with an unreadable amount, evidence
    without its source, a witness without a name or address (Art. 28 (3):
    证人姓名和住所; listing no witness is fine), an ID number that fails the
    check. Date of birth and sex are not asked for when a valid ID number
    gives them (see :func:`derive_from_id`).
    """
    derived = derive_from_id(application.get("worker_id_number"), today)
    out: list[str] = []
    for item in REQUIRED_ITEMS:
        value = application.get(item.key)
        if item.key in ("worker_sex", "worker_birth_date") and derived.get(item.key.removeprefix("worker_")):
            continue
        if _blank(value):
            out.append(item.label)
            continue
        if item.key == "worker_id_number":
            check = check_resident_id(value, today)
            if not check.ok:
                out.append(f"劳动者公民身份号码有误（{check.message}），请核对")
    for i, claim in enumerate(application.get("claims") or [], start=1):
        if not isinstance(claim, Mapping) or _blank(claim.get("description")):
            out.append(f"第{i}项仲裁请求的具体内容")
            continue
        kind = claim.get("kind") or "other"
        if kind not in CLAIM_KINDS:
            out.append(f"第{i}项仲裁请求的类别（{kind}）无法识别")
        raw = claim.get("amount")
        if not _blank(raw):
            try:
                parse_amount(raw)
            except ValueError as exc:
                out.append(f"第{i}项仲裁请求的金额（{exc}）")
        elif kind in CLAIM_KINDS and CLAIM_KINDS[kind].monetary:
            out.append(f"第{i}项仲裁请求（{CLAIM_KINDS[kind].label}）的金额")
    for i, ev in enumerate(application.get("evidence") or [], start=1):
        if not isinstance(ev, Mapping) or _blank(ev.get("name")):
            out.append(f"第{i}项证据的名称")
        elif _blank(ev.get("source")):
            out.append(f"证据“{ev.get('name')}”的来源")
    for i, w in enumerate(application.get("witnesses") or [], start=1):
        if not isinstance(w, Mapping) or _blank(w.get("name")):
            out.append(f"第{i}名证人的姓名")
        elif _blank(w.get("address")):
            out.append(f"证人{w.get('name')}的住所")
    return out


def derive_from_id(id_number: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Sex and date of birth read from a valid resident ID number ({} otherwise)."""
    if _blank(id_number):
        return {}
    check = check_resident_id(id_number, today)
    if not check.ok:
        return {}
    return {"sex": check.sex, "birth_date": check.birth_date, "id_number": check.normalized}


def application_warnings(application: Mapping[str, Any], today: dt.date | None = None) -> list[str]:
    """What the clerk should look at again, without holding the application up.

    A credit code failing its check character is a warning only: some codes
    in real use are reported to fail it. So is a phone number that does not
    look like one, and a sex or birth date that disagrees with the ID number.
    """
    out: list[str] = []
    code = application.get("employer_credit_code")
    if not _blank(code):
        cc = check_credit_code(code)
        if not cc.ok:
            out.append(f"用人单位统一社会信用代码：{cc.warning}")
    phone = application.get("worker_phone")
    if not _blank(phone):
        pc = check_phone(phone)
        if not pc.ok:
            out.append(f"劳动者联系电话：{pc.message}")
    derived = derive_from_id(application.get("worker_id_number"), today)
    if derived:
        sex = application.get("worker_sex")
        if not _blank(sex) and sex != derived["sex"]:
            out.append(f"性别“{sex}”与身份证号码（{derived['sex']}）不一致，请核对")
        birth = application.get("worker_birth_date")
        if isinstance(birth, str) and birth.strip():
            try:
                birth = dt.date.fromisoformat(birth.strip())
            except ValueError:
                out.append(f"出生日期“{birth}”格式不正确")
                birth = None
        if isinstance(birth, dt.date) and birth != derived["birth_date"]:
            out.append(f"出生日期{_deadlines.cn_date(birth)}与身份证号码不一致，请核对")
    return out


# ---------------------------------------------------------------------------
# claims


@dataclass(frozen=True)
class ClaimKind:
    code: str
    label: str
    monetary: bool
    #: Art. 47 (1): 追索劳动报酬、工伤医疗费、经济补偿或者赔偿金 — final up to 12 months' minimum wage.
    final_if_small: bool = False
    #: Art. 47 (2): 因执行国家的劳动标准在工作时间、休息休假、社会保险等方面发生的争议 — final.
    labour_standard: bool = False


CLAIM_KINDS: dict[str, ClaimKind] = {k.code: k for k in (
    ClaimKind("remuneration", "劳动报酬", True, final_if_small=True),
    ClaimKind("injury_medical", "工伤医疗费", True, final_if_small=True),
    ClaimKind("compensation", "经济补偿", True, final_if_small=True),
    ClaimKind("damages", "赔偿金", True, final_if_small=True),
    ClaimKind("working_hours", "工作时间", False, labour_standard=True),
    ClaimKind("rest_leave", "休息休假", False, labour_standard=True),
    ClaimKind("social_insurance", "社会保险", False, labour_standard=True),
    ClaimKind("confirm_relation", "确认劳动关系", False),
    ClaimKind("contract", "订立、履行、变更、解除和终止劳动合同", False),
    ClaimKind("dismissal", "除名、辞退和辞职、离职", False),
    ClaimKind("welfare_training", "福利、培训以及劳动保护", False),
    ClaimKind("other_money", "其他给付", True),
    ClaimKind("other", "其他", False),
)}


# ---------------------------------------------------------------------------
# case numbers


def case_number_pattern_problem(pattern: str) -> str | None:
    """Why a case-number pattern cannot be used (None if it can)."""
    if not pattern or "{year}" not in pattern or "{seq" not in pattern:
        return "案号格式须包含 {year} 和 {seq}，例如：东劳人仲案字〔{year}〕第{seq}号"
    try:
        pattern.format(year=2026, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        return f"案号格式无法使用：{exc}"
    return None


def format_case_number(pattern: str, year: int, seq: int) -> str:
    """``东劳人仲案字〔{year}〕第{seq}号`` → ``东劳人仲案字〔2026〕第12号``.

    The pattern is the commission's (a setting: local variants exist);
    ``{seq:03d}`` pads the number where a commission writes 第012号.
    """
    problem = case_number_pattern_problem(pattern)
    if problem:
        raise ValueError(problem)
    if seq <= 0 or year < 1900:
        raise ValueError("案号的年度或序号不正确")
    return pattern.format(year=year, seq=seq)


# ---------------------------------------------------------------------------
# the procedure


class CaseState(str, Enum):
    RECEIVED = "received"                    # 已收件
    SUPPLEMENT = "supplement_pending"        # 待补正
    ACCEPTED = "accepted"                    # 已受理
    REFUSED = "refused"                      # 不予受理
    SERVED = "served"                        # 已送达被申请人
    DEFENCE = "defence"                      # 已答辩
    TRIBUNAL_FORMED = "tribunal_formed"      # 仲裁庭已组成
    HEARING_SCHEDULED = "hearing_scheduled"  # 已排期开庭
    HEARD = "heard"                          # 已开庭
    MEDIATED = "mediated"                    # 调解结案（仲裁调解书）
    AWARDED = "awarded"                      # 裁决结案（裁决书）
    DEFAULT_AWARDED = "default_awarded"      # 缺席裁决
    WITHDRAWN = "withdrawn"                  # 撤回申请
    DEEMED_WITHDRAWN = "deemed_withdrawn"    # 视为撤回
    CLOSED = "closed"                        # 结案归档

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    CaseState.RECEIVED: "已收件",
    CaseState.SUPPLEMENT: "待补正",
    CaseState.ACCEPTED: "已受理",
    CaseState.REFUSED: "不予受理",
    CaseState.SERVED: "已送达被申请人",
    CaseState.DEFENCE: "已答辩",
    CaseState.TRIBUNAL_FORMED: "仲裁庭已组成",
    CaseState.HEARING_SCHEDULED: "已排期开庭",
    CaseState.HEARD: "已开庭",
    CaseState.MEDIATED: "调解结案",
    CaseState.AWARDED: "裁决结案",
    CaseState.DEFAULT_AWARDED: "缺席裁决",
    CaseState.WITHDRAWN: "撤回申请",
    CaseState.DEEMED_WITHDRAWN: "视为撤回申请",
    CaseState.CLOSED: "已归档",
}

#: Actions and their Chinese names (used in refusals).
ACTION_NAMES = {
    "request_supplement": "通知补正",
    "supplement": "补正申请材料",
    "accept": "受理",
    "refuse": "不予受理",
    "serve_respondent": "送达仲裁申请书副本",
    "record_defence": "收到答辩书",
    "form_tribunal": "组成仲裁庭",
    "schedule_hearing": "安排开庭",
    "postpone": "延期开庭",
    "postpone_undated": "延期开庭（另行通知）",
    "postpone_undated_after_session": "延期续行开庭（另行通知）",
    "record_hearing": "记录庭审",
    "change_claims": "变更仲裁请求",
    "mediate": "制作仲裁调解书",
    "mediation_repudiated": "调解书送达前反悔",
    "award": "裁决",
    "default_award": "缺席裁决",
    "withdraw": "撤回仲裁申请",
    "deem_withdrawn": "视为撤回仲裁申请",
    "close": "结案归档",
    "apply_recusal": "申请仲裁员回避",
    "decide_recusal": "作出回避决定",
}

S = CaseState
_BEFORE_TRIBUNAL = (S.ACCEPTED, S.SERVED, S.DEFENCE)
_PENDING = (S.ACCEPTED, S.SERVED, S.DEFENCE, S.TRIBUNAL_FORMED, S.HEARING_SCHEDULED, S.HEARD)


def _table() -> dict[tuple[CaseState, str], CaseState]:
    t: dict[tuple[CaseState, str], CaseState] = {
        (S.RECEIVED, "request_supplement"): S.SUPPLEMENT,
        (S.SUPPLEMENT, "request_supplement"): S.SUPPLEMENT,   # a further notice after a partial supplement
        (S.SUPPLEMENT, "supplement"): S.RECEIVED,
        (S.RECEIVED, "supplement"): S.RECEIVED,
        (S.RECEIVED, "accept"): S.ACCEPTED,
        (S.RECEIVED, "refuse"): S.REFUSED,
        (S.SUPPLEMENT, "refuse"): S.REFUSED,
        (S.ACCEPTED, "serve_respondent"): S.SERVED,
        (S.TRIBUNAL_FORMED, "serve_respondent"): S.TRIBUNAL_FORMED,
        (S.SERVED, "record_defence"): S.DEFENCE,
        (S.TRIBUNAL_FORMED, "record_defence"): S.TRIBUNAL_FORMED,
        (S.HEARING_SCHEDULED, "record_defence"): S.HEARING_SCHEDULED,
        (S.HEARD, "record_defence"): S.HEARD,
        (S.TRIBUNAL_FORMED, "schedule_hearing"): S.HEARING_SCHEDULED,
        (S.HEARD, "schedule_hearing"): S.HEARING_SCHEDULED,  # a further session
        (S.HEARING_SCHEDULED, "postpone"): S.HEARING_SCHEDULED,
        (S.HEARING_SCHEDULED, "postpone_undated"): S.TRIBUNAL_FORMED,
        (S.HEARING_SCHEDULED, "postpone_undated_after_session"): S.HEARD,
        (S.HEARING_SCHEDULED, "record_hearing"): S.HEARD,
        (S.HEARING_SCHEDULED, "deem_withdrawn"): S.DEEMED_WITHDRAWN,
        (S.HEARD, "deem_withdrawn"): S.DEEMED_WITHDRAWN,
        (S.HEARD, "award"): S.AWARDED,
        (S.HEARD, "default_award"): S.DEFAULT_AWARDED,
        (S.MEDIATED, "mediation_repudiated"): S.HEARD,
    }
    for st in _BEFORE_TRIBUNAL:
        t[(st, "form_tribunal")] = S.TRIBUNAL_FORMED
    for st in (S.TRIBUNAL_FORMED, S.HEARING_SCHEDULED, S.HEARD):
        t[(st, "mediate")] = S.MEDIATED
    for st in (S.RECEIVED, S.SUPPLEMENT, *_PENDING):
        t[(st, "withdraw")] = S.WITHDRAWN
    for st in _PENDING:
        t[(st, "change_claims")] = st
    for st in (S.TRIBUNAL_FORMED, S.HEARING_SCHEDULED, S.HEARD):  # 第三十三条: after the tribunal is formed
        t[(st, "apply_recusal")] = st
        t[(st, "decide_recusal")] = st
    for st in (S.REFUSED, S.MEDIATED, S.AWARDED, S.DEFAULT_AWARDED, S.WITHDRAWN, S.DEEMED_WITHDRAWN):
        t[(st, "close")] = S.CLOSED
    return t


#: (state, action) → the state after it. Anything not listed is refused.
TRANSITIONS: dict[tuple[CaseState, str], CaseState] = _table()

#: States in which the case has ended (the award period is over).
TERMINAL_OUTCOMES = frozenset({S.REFUSED, S.MEDIATED, S.AWARDED, S.DEFAULT_AWARDED, S.WITHDRAWN,
                               S.DEEMED_WITHDRAWN, S.CLOSED})


IllegalTransition = statemachine.IllegalTransition


_HINTS = {
    "schedule_hearing": "须先组成仲裁庭",
    "award": "须先开庭审理",
    "default_award": "须先开庭（被申请人经书面通知无正当理由拒不到庭的，可以缺席裁决）",
    "accept": "申请材料须齐备（待补正的先补正）",
    "form_tribunal": "仲裁庭只能在受理后、开庭前组成",
    "mediate": "须先组成仲裁庭",
    "apply_recusal": "仲裁庭组成后、裁决前才能申请仲裁员回避",
    "decide_recusal": "仲裁庭组成后、裁决前才能作出回避决定",
}


def _refusal(state: CaseState, action: str) -> str:
    hint = _HINTS.get(action, "")
    return f"案件当前状态为“{state.label}”，不能{ACTION_NAMES.get(action, action)}" + (f"：{hint}" if hint else "")


#: The arbitration procedure's transition table with its refusal sentence.
MACHINE: statemachine.StateMachine[CaseState, str] = statemachine.StateMachine(TRANSITIONS, _refusal)


def next_state(state: CaseState | str, action: str) -> CaseState:
    """The state after ``action``; :class:`IllegalTransition` if not allowed now."""
    st = CaseState(state)
    if action not in ACTION_NAMES:
        raise ValueError(f"未知的操作：{action}")
    return MACHINE.check(st, action)


def allowed_actions(state: CaseState | str) -> list[str]:
    return MACHINE.actions(CaseState(state))


# ---------------------------------------------------------------------------
# simplified handling and the tribunal


@dataclass(frozen=True)
class SimplifiedCheck:
    allowed: bool
    reasons: tuple[str, ...]      # grounds that allow it, each with its basis
    obstacles: tuple[str, ...]    # why it is not allowed

    @property
    def text(self) -> str:
        return "；".join(self.reasons if self.allowed else self.obstacles)


_R56 = f"{RULES_2017}第五十六条（未经核实）"
_R57 = f"{RULES_2017}第五十七条（未经核实）"

#: Cases that may not be handled simply whatever the grounds (办案规则 Art. 57, UNVERIFIED).
SIMPLIFIED_EXCLUSIONS: dict[str, str] = {
    "public_interest": "涉及国家利益、社会公共利益",
    "major_impact": "有重大社会影响",
    "respondent_missing": "被申请人下落不明",
    "commission_unsuitable": "仲裁委员会认为不宜简易处理",
}


def simplified_allowed(
    *,
    facts_clear_and_minor: bool = False,
    amount: Decimal | int | str | None = None,
    province_average_annual_wage: Decimal | int | str | None = None,
    both_parties_agree: bool = False,
    exclusions: Iterable[str] = (),
) -> SimplifiedCheck:
    """May the case be heard by a sole arbitrator (简易处理)?

    《劳动争议调解仲裁法》第三十一条 allows a sole arbitrator for simple cases;
    办案规则 Art. 56 (UNVERIFIED) names three alternative grounds: facts clear
    and the dispute minor; the amount in dispute not above the province's
    previous-year average annual wage (a setting); both parties agree.
    Art. 57 (UNVERIFIED) excludes some cases whatever the ground.
    """
    reasons: list[str] = []
    obstacles: list[str] = []
    if facts_clear_and_minor:
        reasons.append(f"事实清楚、权利义务关系明确、争议不大（{_R56}第一项）")
    if amount is not None and not _blank(amount):
        value = parse_amount(amount)
        if province_average_annual_wage is None or _blank(province_average_annual_wage):
            obstacles.append("未设置本省上年度职工年平均工资，不能按标的额判断")
        else:
            limit = parse_amount(province_average_annual_wage)
            if value <= limit:
                reasons.append(f"标的额{value}元不超过本省上年度职工年平均工资{limit}元（{_R56}第二项）")
            else:
                obstacles.append(f"标的额{value}元超过本省上年度职工年平均工资{limit}元")
    if both_parties_agree:
        reasons.append(f"双方当事人同意简易处理（{_R56}第三项）")
    blocked = []
    for code in exclusions:
        if code not in SIMPLIFIED_EXCLUSIONS:
            raise ValueError(f"未知的不宜简易处理情形：{code}")
        blocked.append(f"{SIMPLIFIED_EXCLUSIONS[code]}，不适用简易处理（{_R57}）")
    if blocked:
        return SimplifiedCheck(False, tuple(reasons), tuple(blocked + obstacles))
    if not reasons:
        obstacles.insert(0, f"不符合简易处理的任一条件（{_R56}）")
        return SimplifiedCheck(False, (), tuple(obstacles))
    return SimplifiedCheck(True, tuple(reasons), tuple(obstacles))


class TribunalProblem(ValueError):
    pass


def check_composition(members: Sequence[Mapping[str, Any]], simplified: bool) -> None:
    """Three arbitrators with one presiding, or one sole arbitrator (第三十一条)."""
    names = [str(m.get("name") or "").strip() for m in members]
    if any(not n for n in names):
        raise TribunalProblem("仲裁员姓名不能为空")
    keys = [(m.get("user_id") or n) for m, n in zip(members, names)]
    if len(set(keys)) != len(keys):
        raise TribunalProblem("同一仲裁员不能在仲裁庭中重复出现")
    roles = [m.get("role") for m in members]
    if simplified:
        if len(members) != 1 or roles != ["sole"]:
            raise TribunalProblem(f"简易处理由一名仲裁员独任仲裁（{LAW}第三十一条）")
        return
    if len(members) != 3 or roles.count("presiding") != 1 or roles.count("member") != 2:
        raise TribunalProblem(f"仲裁庭由三名仲裁员组成，设首席仲裁员（{LAW}第三十一条）")


# ---------------------------------------------------------------------------
# recusal (回避)


@dataclass(frozen=True)
class RecusalGround:
    code: str
    text: str
    basis: str


RECUSAL_GROUNDS: dict[str, RecusalGround] = {g.code: g for g in (
    RecusalGround("party_or_relative", "是本案当事人或者当事人、代理人的近亲属",
                  f"{LAW}第三十三条第一款第（一）项"),
    RecusalGround("interest", "与本案有利害关系", f"{LAW}第三十三条第一款第（二）项"),
    RecusalGround("other_relation", "与本案当事人、代理人有其他关系，可能影响公正裁决",
                  f"{LAW}第三十三条第一款第（三）项"),
    RecusalGround("private_contact", "私自会见当事人、代理人，或者接受当事人、代理人的请客送礼",
                  f"{LAW}第三十三条第一款第（四）项"),
)}


@dataclass(frozen=True)
class CasePerson:
    """Someone on a side of the case: a party, a party's legal representative or an agent."""

    name: str
    role: str            # "applicant", "respondent", "other_party", "legal_rep", "agent"
    id_number: str = ""


@dataclass(frozen=True)
class Declaration:
    """Something an arbitrator (or a party's recusal request) states.

    ``ground`` is a key of :data:`RECUSAL_GROUNDS`; ``person`` the party or
    agent concerned (empty for an interest in the case itself).
    """

    ground: str
    person: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Arbitrator:
    name: str
    id_number: str = ""
    declarations: tuple[Declaration, ...] = ()


@dataclass(frozen=True)
class RecusalConflict:
    arbitrator: str
    ground: RecusalGround
    person: str
    detail: str

    @property
    def message(self) -> str:
        who = f"（涉及{self.person}）" if self.person else ""
        extra = f"：{self.detail}" if self.detail else ""
        return f"仲裁员{self.arbitrator}{self.ground.text}{who}{extra}，应当回避（{self.ground.basis}）"


def _same_person(a_name: str, a_id: str, b_name: str, b_id: str) -> bool:
    if a_id and b_id:
        return a_id.strip().upper() == b_id.strip().upper()
    return _norm(a_name) == _norm(b_name) and bool(_norm(a_name))


def _norm(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text or "").split())


def recusal_conflicts(arbitrator: Arbitrator, case_people: Sequence[CasePerson]) -> list[RecusalConflict]:
    """The grounds on which ``arbitrator`` must withdraw from the case (第三十三条).

    Found by comparison: the arbitrator *is* a party (ground 1) or is a
    party's legal representative or agent (ground 2, an interest in the
    case). Found by declaration (the arbitrator's own or a party's recusal
    request): a close relative of a party or agent, an interest, another
    relation that may affect fairness, a private meeting or gifts. A name
    alone can coincide: when both ID numbers are known they decide.
    """
    out: list[RecusalConflict] = []
    for p in case_people:
        if not _same_person(arbitrator.name, arbitrator.id_number, p.name, p.id_number):
            continue
        if p.role in ("applicant", "respondent", "other_party"):
            out.append(RecusalConflict(arbitrator.name, RECUSAL_GROUNDS["party_or_relative"], p.name,
                                       "本人是本案当事人"))
        else:
            what = "代理人" if p.role == "agent" else "法定代表人或者主要负责人"
            out.append(RecusalConflict(arbitrator.name, RECUSAL_GROUNDS["interest"], p.name,
                                       f"本人是本案当事人的{what}"))
    names = {_norm(p.name) for p in case_people}
    for d in arbitrator.declarations:
        ground = RECUSAL_GROUNDS.get(d.ground)
        if ground is None:
            raise ValueError(f"未知的回避事由：{d.ground}")
        if d.person and _norm(d.person) not in names and d.ground != "interest":
            # A relation to someone outside the case is no ground in this case.
            continue
        out.append(RecusalConflict(arbitrator.name, ground, d.person, d.detail))
    return out


# ---------------------------------------------------------------------------
# final award (终局裁决), Art. 47


@dataclass(frozen=True)
class ClaimClass:
    index: int
    kind: str
    kind_label: str
    description: str
    amount: Decimal | None
    final: bool
    reason: str
    basis: str


@dataclass(frozen=True)
class AwardClassification:
    claims: tuple[ClaimClass, ...]
    threshold: Decimal | None
    monthly_minimum_wage: Decimal | None

    @property
    def any_final(self) -> bool:
        return any(c.final for c in self.claims)

    @property
    def any_nonfinal(self) -> bool:
        return any(not c.final for c in self.claims)

    @property
    def mixed(self) -> bool:
        return self.any_final and self.any_nonfinal

    @property
    def label(self) -> str:
        if not self.claims:
            return "无仲裁请求"
        if self.mixed:
            return "部分终局裁决（终局与非终局事项分别制作裁决书）"
        return "终局裁决" if self.any_final else "非终局裁决"

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "any_final": self.any_final,
            "any_nonfinal": self.any_nonfinal,
            "mixed": self.mixed,
            "threshold": None if self.threshold is None else str(self.threshold),
            "monthly_minimum_wage": None if self.monthly_minimum_wage is None else str(self.monthly_minimum_wage),
            "claims": [
                {"index": c.index, "kind": c.kind, "kind_label": c.kind_label, "description": c.description,
                 "amount": None if c.amount is None else str(c.amount), "final": c.final,
                 "reason": c.reason, "basis": c.basis}
                for c in self.claims
            ],
        }


_A47_1 = f"{LAW}第四十七条第（一）项"
_A47_2 = f"{LAW}第四十七条第（二）项"
_A50 = f"{LAW}第五十条"


def classify_claims(
    claims: Sequence[Mapping[str, Any]],
    monthly_minimum_wage: Decimal | int | str | None,
    *,
    applicant_is_worker: bool = True,
) -> AwardClassification:
    """Which claims are finally decided by the award (第四十七条), each with its reason.

    A worker's claim for labour remuneration, work-injury medical costs,
    economic compensation or damages is final when its amount is not above
    twelve months of the local monthly minimum wage (a setting): exactly
    twelve months is final, one fen more is not. Disputes over working hours,
    rest and leave, social insurance under national labour standards are
    final whatever the amount. Everything else, and every claim an employer
    brings, is non-final (第五十条: suit within fifteen days).
    Each claim's ``awarded`` amount is used when present, else ``amount``.
    """
    wage = None if monthly_minimum_wage is None or _blank(monthly_minimum_wage) else parse_amount(monthly_minimum_wage)
    threshold = None if wage is None else wage * 12
    out: list[ClaimClass] = []
    for i, claim in enumerate(claims, start=1):
        kind = CLAIM_KINDS.get(claim.get("kind") or "other", CLAIM_KINDS["other"])
        raw = claim.get("awarded")
        if _blank(raw):
            raw = claim.get("amount")
        amount = None if _blank(raw) else parse_amount(raw)
        desc = str(claim.get("description") or "")
        if not applicant_is_worker:
            out.append(ClaimClass(i, kind.code, kind.label, desc, amount, False,
                                  "用人单位提出的请求不属于劳动者追索的终局裁决事项，为非终局裁决", _A50))
        elif kind.labour_standard:
            out.append(ClaimClass(i, kind.code, kind.label, desc, amount, True,
                                  f"因执行国家的劳动标准在{kind.label}方面发生的争议，为终局裁决", _A47_2))
        elif kind.final_if_small:
            if threshold is None:
                raise ValueError("未设置当地月最低工资标准，不能判断是否为终局裁决")
            if amount is None:
                out.append(ClaimClass(i, kind.code, kind.label, desc, None, False,
                                      f"追索{kind.label}的金额不明，不能认定为终局裁决", _A50))
            elif amount <= threshold:
                out.append(ClaimClass(i, kind.code, kind.label, desc, amount, True,
                                      f"追索{kind.label}{amount}元，不超过当地月最低工资标准{wage}元十二个月金额"
                                      f"{threshold}元，为终局裁决", _A47_1))
            else:
                out.append(ClaimClass(i, kind.code, kind.label, desc, amount, False,
                                      f"追索{kind.label}{amount}元，超过当地月最低工资标准{wage}元十二个月金额"
                                      f"{threshold}元，为非终局裁决", _A50))
        else:
            out.append(ClaimClass(i, kind.code, kind.label, desc, amount, False,
                                  f"{kind.label}争议不属于第四十七条规定的终局裁决事项，为非终局裁决", _A50))
    return AwardClassification(tuple(out), threshold, wage)


# ---------------------------------------------------------------------------
# hearing notice and postponement (第三十五条)


class NoticeTooLate(ValueError):
    """A hearing notice (or a postponement request) later than the statute allows."""

    def __init__(self, check: _deadlines.BeforeCheck):
        self.check = check
        super().__init__(check.message)


def _date_of(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def check_hearing_notice(served_on: dt.date, hearing_day: dt.date | dt.datetime,
                         calendar: WorkCalendar | None = None) -> _deadlines.BeforeCheck:
    """Was the hearing notice served at least five days before the hearing?

    Rule ``labour.hearing_notice`` (第三十五条), read strictly: five clear days
    between the service day and the hearing day.
    """
    return _deadlines.check_before(_deadlines.rule("labour.hearing_notice"), served_on,
                                   _date_of(hearing_day), calendar)


def require_hearing_notice(served_on: dt.date, hearing_day: dt.date | dt.datetime,
                           calendar: WorkCalendar | None = None) -> _deadlines.BeforeCheck:
    """As :func:`check_hearing_notice`, raising :class:`NoticeTooLate` when too late."""
    check = check_hearing_notice(served_on, hearing_day, calendar)
    if not check.ok:
        raise NoticeTooLate(check)
    return check


def check_postponement_request(requested_on: dt.date, hearing_day: dt.date | dt.datetime,
                               calendar: WorkCalendar | None = None) -> _deadlines.BeforeCheck:
    """Was a party's request to postpone made at least three days before (第三十五条)?"""
    return _deadlines.check_before(_deadlines.rule("labour.postponement_request"), requested_on,
                                   _date_of(hearing_day), calendar)


# ---------------------------------------------------------------------------
# documents

#: The documents of the case file a clerk prints (办案规则 Art. 22, UNVERIFIED), by kind.
DOCUMENT_KINDS: dict[str, str] = {
    "receipt": "收件回执",
    "supplement_notice": "补正通知书",
    "acceptance_notice": "受理通知书",
    "refusal_notice": "不予受理通知书",
    "response_notice": "应诉通知书",
    "application_copy": "仲裁申请书副本",
    "defence_copy": "答辩书副本",
    "tribunal_notice": "仲裁庭组成通知书",
    "hearing_notice": "开庭通知书",
    "postponement_notice": "延期开庭通知书",
    "hearing_record": "庭审笔录",
    "extension_notice": "延长审理期限通知书",
    "mediation_statement": "仲裁调解书",
    "award": "仲裁裁决书",
    "award_final": "仲裁裁决书（终局裁决事项）",
    "award_nonfinal": "仲裁裁决书（非终局裁决事项）",
    "withdrawal_decision": "决定书（撤回仲裁申请）",
    "recusal_decision": "回避决定书",
    "oral_application_record": "口头申请笔录",
    "service_receipt": "送达回证",
}



# ---------------------------------------------------------------------------
# the award (第四十六条, 第四十七条)

#: What 第四十六条 requires an award to state, in the order a clerk fills it,
#: plus the costs sentence the practice prints (第五十三条: arbitration is free).
AWARD_PARTS: tuple[tuple[str, str], ...] = (
    ("claims", "仲裁请求"),
    ("facts_found", "争议事实（经审理查明）"),
    ("reasons", "裁决理由"),
    ("result", "裁决结果"),
    ("costs", "仲裁费用的承担"),
    ("date", "裁决日期"),
)
COSTS_SENTENCE = f"本案不收取仲裁费用（{LAW}第五十三条）。"


def award_missing(*, claims: Sequence[Mapping[str, Any]], facts_found: str, reasons: str, result: str,
                  costs: str, date: dt.date | None, results_per_claim: Mapping[int, str] | None = None,
                  split: bool = False, tribunal: bool = True) -> list[str]:
    """What an award still lacks (第四十六条), each as the clerk reads it.

    ``split``: the award has final and non-final items (第四十七条), so each
    claim needs its own result — the two documents print only their items.
    ``tribunal``: the award is signed by the arbitrators; without a tribunal
    it cannot be issued.
    """
    out: list[str] = []
    per = dict(results_per_claim or {})
    given = {"claims": bool(claims), "facts_found": not _blank(facts_found), "reasons": not _blank(reasons),
             "result": not _blank(result) or (bool(claims) and all(not _blank(per.get(i)) for i in
                                                                    range(1, len(claims) + 1))),
             "costs": not _blank(costs), "date": date is not None}
    split_gaps = split and bool(claims) and any(_blank(per.get(i)) for i in range(1, len(claims) + 1))
    for key, label in AWARD_PARTS:
        if key == "result" and split_gaps:
            continue  # named per claim below
        if not given[key]:
            out.append(f"{label}（{LAW}第四十六条）" if key != "costs" else f"{label}（{LAW}第五十三条）")
    if split and claims:
        lacking = [str(i) for i in range(1, len(claims) + 1) if _blank(per.get(i))]
        if lacking:
            out.append(f"第{'、'.join(lacking)}项请求的裁决结果（终局与非终局事项分别制作裁决书，{LAW}第四十七条）")
    if not tribunal:
        out.append(f"仲裁庭（裁决书由仲裁员签名，{LAW}第四十六条）")
    return out
