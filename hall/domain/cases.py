"""People's mediation cases as rules and data (《人民调解法》, 2010).

Pure: no I/O, no clock (pass ``today``). ``hall.services.cases`` and
``hall.services.mediation`` store what these rules decide.

* Categories: the fifteen categories of the mediation statistics, with
  detail subcategories where the hall needs them (labour disputes).
* Sources: a party's application or the committee's own initiative
  (第十七条), or a dispute handed over by a court, the police or a
  department (委托移送, 第十八条).
* The case state machine (:func:`transition`), refusing any other move with
  a Chinese message that names the state and the action.
* Case numbers from a pattern such as ``（{year}）东人调字第{seq}号``.
* Parties (people and organisations) and their agents, checked as the
  window types them (:func:`check_party`, :func:`check_agent`).
* Recusal (:func:`recusal_conflicts`): a mediator is conflicted when the same
  ID number, or the same name and phone number, appears among the parties or
  agents of the case.
* Agreements: amounts in figures and in Chinese capitals
  (:func:`hall.domain.money.capitals`), who must sign before it takes effect and how
  many copies are made (第二十九条), oral agreements (第二十八条、第三十条),
  and the agreement's text as it is frozen (:func:`render_agreement_text`).
* The structure of the 调解笔录 (:data:`MINUTES_FIELDS`).
"""
from __future__ import annotations

import datetime as dt
import enum
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Self

from hall.domain import money as rmb
from hall.domain import statemachine
from hall.domain.identity import check_credit_code, check_phone, check_resident_id
from hall.domain.names import PARTY_NAME_MAX, PERSON_NAME_MAX, check_person_name
from hall.domain.numerals import cardinal

LAW = "《中华人民共和国人民调解法》"

__all__ = [
    "Category", "SUBCATEGORIES", "Source", "RiskLevel", "CaseState", "CaseAction",
    "IllegalTransition", "transition", "allowed_actions", "DEFAULT_CASE_PATTERN",
    "format_case_number", "parse_case_number", "check_case_pattern", "Side", "PartyKind",
    "AgentScope", "AgentInput", "PartyInput", "PartyCheck", "check_party", "check_agent",
    "PersonRef", "recusal_conflicts", "SignerKind",
    "SIGN_METHODS", "signer_key", "missing_signoffs", "copies_required", "AgreementState",
    "Performance", "FollowUpMethod", "ReferralKind", "ReferralState", "referral_transition",
    "SessionMode", "ParticipantRole", "Presence", "IdentityMethod", "SessionOutcome",
    "MINUTES_FIELDS", "check_minutes", "failure_routes", "TERMINATION_NOTICE",
    "AgreementParty", "AgreementTermText", "AgreementText", "render_agreement_text",
    "DocumentKind", "normalise_name",
]


class _Labelled(str, enum.Enum):
    """A str enum whose members carry a Chinese label (``_LABELS`` of the class)."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self]

    @classmethod
    def parse(cls, value: object, what: str) -> Self:
        """The member for a code or a Chinese label; ``ValueError`` naming the choices."""
        if isinstance(value, cls):
            return value
        text = str(value or "").strip()
        for m in cls:
            if text in (m.value, m.label):
                return m
        choices = "、".join(f"{m.value}={m.label}" for m in cls)
        raise ValueError(f"未知的{what}：{text or '（空）'}（可用：{choices}）")


_LABELS: dict[type, dict[Any, str]] = {}


def _labels(cls: type[enum.Enum], mapping: dict[str, str]) -> None:
    _LABELS[cls] = {cls(k): v for k, v in mapping.items()}


# --------------------------------------------------------------- categories
class Category(_Labelled):
    """The case categories of the people's mediation statistics."""

    MARRIAGE_FAMILY = "marriage_family"
    NEIGHBOURHOOD = "neighbourhood"
    HOUSING_LAND = "housing_land"
    CONTRACT = "contract"
    BUSINESS = "business"
    DAMAGES = "damages"
    FOREST_LAND = "forest_land"
    EXPROPRIATION = "expropriation"
    POLLUTION = "pollution"
    LABOUR = "labour"
    CONSUMER = "consumer"
    MEDICAL = "medical"
    TRAFFIC = "traffic"
    PROPERTY_MANAGEMENT = "property_management"
    OTHER = "other"


_labels(Category, {
    "marriage_family": "婚姻家庭", "neighbourhood": "邻里", "housing_land": "房屋宅基地",
    "contract": "合同", "business": "生产经营", "damages": "损害赔偿", "forest_land": "山林土地",
    "expropriation": "征地拆迁", "pollution": "环境污染", "labour": "劳动争议", "consumer": "消费",
    "medical": "医疗", "traffic": "道路交通事故", "property_management": "物业", "other": "其它",
})

#: Detail subcategories (code -> label) of a category; the statistics count the
#: category, the hall's labour desk the detail.
SUBCATEGORIES: dict[Category, dict[str, str]] = {
    Category.LABOUR: {
        "unpaid_wages": "拖欠工资",
        "labour_contract": "劳动合同",
        "work_injury": "工伤",
        "social_insurance": "社会保险",
        "severance": "经济补偿",
        "overtime": "加班费",
        "dismissal": "解除劳动关系",
        "other": "其他劳动争议",
    },
}


def subcategory_label(category: Category, code: str | None) -> str:
    if not code:
        return ""
    return SUBCATEGORIES.get(category, {}).get(code, code)


def parse_subcategory(category: Category, value: object) -> str | None:
    """The subcategory code for a code or label of ``category``; None if empty."""
    text = str(value or "").strip()
    if not text:
        return None
    choices = SUBCATEGORIES.get(category, {})
    for code, label in choices.items():
        if text in (code, label):
            return code
    if not choices:
        raise ValueError(f"“{category.label}”类纠纷没有细分类别")
    listed = "、".join(f"{c}={lab}" for c, lab in choices.items())
    raise ValueError(f"未知的{category.label}细分类别：{text}（可用：{listed}）")


class Source(_Labelled):
    APPLICATION = "application"
    INITIATIVE = "initiative"
    REFERRED = "referred"


_labels(Source, {"application": "当事人申请", "initiative": "主动调解", "referred": "委托移送"})

SOURCE_BASIS = {
    Source.APPLICATION: f"{LAW}第十七条",
    Source.INITIATIVE: f"{LAW}第十七条",
    Source.REFERRED: f"{LAW}第十八条",
}


class RiskLevel(_Labelled):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


_labels(RiskLevel, {"low": "低", "medium": "中", "high": "高（可能激化）"})


# ------------------------------------------------------------ state machine
class CaseState(_Labelled):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    MEDIATING = "mediating"
    AGREEMENT = "agreement"
    FAILED = "failed"
    TRANSFERRED = "transferred"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self in (CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.MEDIATING)


_labels(CaseState, {
    "registered": "已登记", "accepted": "已受理", "mediating": "调解中", "agreement": "达成协议",
    "failed": "调解不成", "transferred": "已移送", "closed": "已结案",
})


class CaseAction(_Labelled):
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    REACH_AGREEMENT = "reach_agreement"
    TERMINATE = "terminate"
    TRANSFER = "transfer"
    CLOSE = "close"


_labels(CaseAction, {
    "accept": "受理", "decline": "不予受理", "start": "开始调解", "reach_agreement": "达成调解协议",
    "terminate": "终止调解", "transfer": "移送", "close": "结案",
})

S, A = CaseState, CaseAction

#: (state, action) -> next state. Anything not listed is refused.
#: * ``decline``: a party clearly refuses mediation (第十七条) or the dispute
#:   is not one the committee handles; the registration is closed.
#: * ``terminate``: mediation fails, or a party asks to end it (第二十三条第二
#:   项, 第二十六条); allowed before the first session as well.
#: * ``transfer``: to labour arbitration, a court or a department, from any
#:   open state or after failure.
TRANSITIONS: dict[tuple[CaseState, CaseAction], CaseState] = {
    (S.REGISTERED, A.ACCEPT): S.ACCEPTED,
    (S.REGISTERED, A.DECLINE): S.CLOSED,
    (S.REGISTERED, A.TRANSFER): S.TRANSFERRED,
    (S.ACCEPTED, A.START): S.MEDIATING,
    (S.ACCEPTED, A.TERMINATE): S.FAILED,
    (S.ACCEPTED, A.TRANSFER): S.TRANSFERRED,
    (S.MEDIATING, A.REACH_AGREEMENT): S.AGREEMENT,
    (S.MEDIATING, A.TERMINATE): S.FAILED,
    (S.MEDIATING, A.TRANSFER): S.TRANSFERRED,
    (S.AGREEMENT, A.CLOSE): S.CLOSED,
    (S.FAILED, A.TRANSFER): S.TRANSFERRED,
    (S.FAILED, A.CLOSE): S.CLOSED,
    (S.TRANSFERRED, A.CLOSE): S.CLOSED,
}


IllegalTransition = statemachine.IllegalTransition

#: The mediation procedure's transition table with its refusal sentence.
MACHINE: statemachine.StateMachine[CaseState, CaseAction] = statemachine.StateMachine(
    TRANSITIONS, lambda st, ac: f"案件当前状态为“{st.label}”，不能执行“{ac.label}”")


def transition(state: CaseState | str, action: CaseAction | str) -> CaseState:
    """The state after ``action``; :class:`IllegalTransition` if refused."""
    return MACHINE.check(CaseState(state), CaseAction(action))


def allowed_actions(state: CaseState | str) -> list[CaseAction]:
    return MACHINE.actions(CaseState(state))


# -------------------------------------------------------------- case numbers
DEFAULT_CASE_PATTERN = "（{year}）人调字第{seq}号"
_FIELDS = {"year", "seq"}


def check_case_pattern(pattern: str) -> list[str]:
    """Problems of a case-number pattern (empty when usable)."""
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]
    except ValueError as exc:
        return [f"案号格式“{pattern}”无法解析：{exc}"]
    out = []
    if "seq" not in names:
        out.append(f"案号格式“{pattern}”缺少序号 {{seq}}")
    if "year" not in names:
        out.append(f"案号格式“{pattern}”缺少年份 {{year}}")
    unknown = [n for n in names if n.split(":")[0] not in _FIELDS]
    if unknown:
        out.append(f"案号格式“{pattern}”含有未知字段：{'、'.join(unknown)}（只能用 {{year}} 和 {{seq}}）")
    return out


def format_case_number(pattern: str, year: int, seq: int) -> str:
    """``("（{year}）东人调字第{seq}号", 2026, 12)`` → ``（2026）东人调字第12号``.

    ``{seq:03d}`` pads the sequence. The sequence restarts every year.
    """
    problems = check_case_pattern(pattern)
    if problems:
        raise ValueError("；".join(problems))
    if seq < 1:
        raise ValueError("案号序号从1开始")
    return pattern.format(year=year, seq=seq)


def parse_case_number(pattern: str, number: str) -> tuple[int, int] | None:
    """(year, seq) of a number written with ``pattern``, or None if it is not."""
    if check_case_pattern(pattern):
        return None
    regex = ""
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        regex += re.escape(literal)
        if name is not None:
            regex += r"(?P<year>\d{4})" if name == "year" else r"(?P<seq>\d+)"
    m = re.fullmatch(regex, number.strip())
    if not m:
        return None
    return int(m.group("year")), int(m.group("seq"))


# ------------------------------------------------------------------ parties
class Side(_Labelled):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    THIRD = "third"


_labels(Side, {"applicant": "申请人", "respondent": "被申请人", "third": "第三人"})


class PartyKind(_Labelled):
    PERSON = "person"
    ORGANISATION = "organisation"


_labels(PartyKind, {"person": "自然人", "organisation": "法人或其他组织"})


class AgentScope(_Labelled):
    GENERAL = "general"
    SPECIAL = "special"


_labels(AgentScope, {"general": "一般授权", "special": "特别授权"})

SEXES = ("男", "女")


def normalise_name(name: object) -> str:
    """NFC, surrounding and inner whitespace dropped for Chinese names."""
    text = unicodedata.normalize("NFC", str(name or "")).strip()
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        text = "".join(text.split())
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class AgentInput:
    """An agent (委托代理人) of a party as typed at the window."""

    name: str
    id_number: str | None = None
    phone: str | None = None
    relation: str = ""          # 律师、近亲属、同事、单位工作人员…
    scope: str = AgentScope.GENERAL.value
    authorisation: str = ""     # the text of the power of attorney, or its summary


@dataclass(frozen=True)
class PartyInput:
    """A party as typed at the window. Only what is given is checked."""

    name: str
    side: str = Side.APPLICANT.value
    kind: str = PartyKind.PERSON.value
    sex: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    credit_code: str | None = None
    occupation: str | None = None
    address: str | None = None
    phone: str | None = None
    legal_rep: str | None = None
    legal_rep_title: str | None = None
    visitor_id: int | None = None
    agents: tuple[AgentInput, ...] = ()


@dataclass(frozen=True)
class PartyCheck:
    """Outcome of :func:`check_party`: errors block, warnings are shown."""

    party: PartyInput
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def _blank(v: object) -> str | None:
    text = unicodedata.normalize("NFC", str(v)).strip() if v is not None else ""
    return text or None


def check_party(p: PartyInput, today: dt.date) -> PartyCheck:
    """Check and normalise a party.

    People: the name is required; an ID number is optional but must be a
    valid resident ID when given (GB 11643-1999), and then gives the sex and
    birth date (a different sex or birth date typed by hand is an error).
    Organisations: the name is required; a unified social credit code that
    fails its check character is a warning only (some codes in real use are
    reported to fail it); a missing legal representative is a warning
    (labour arbitration needs it, 《劳动争议调解仲裁法》第二十八条).
    A phone number must be a valid mainland number when given.
    """
    errors: list[str] = []
    warnings: list[str] = []
    name = normalise_name(p.name)
    label = name or "当事人"
    try:
        side = Side.parse(p.side, "当事人地位").value
    except ValueError as exc:
        errors.append(str(exc))
        side = p.side
    try:
        kind = PartyKind.parse(p.kind, "当事人类型")
    except ValueError as exc:
        errors.append(str(exc))
        kind = PartyKind.PERSON
    if not name:
        errors.append("当事人姓名或名称不能为空")
    else:
        chk = check_person_name(p.name, max_len=PARTY_NAME_MAX, what="当事人姓名或名称",
                                organisation=kind is not PartyKind.PERSON)
        if not chk.ok:
            errors.append(chk.message)
            label = "当事人"
    phone = _blank(p.phone)
    if phone:
        pc = check_phone(phone)
        if not pc.ok:
            errors.append(f"{label}：{pc.message}")
        else:
            phone = pc.normalized
    fields: dict[str, Any] = dict(name=name, side=side, kind=kind.value, phone=phone,
                  ethnicity=_blank(p.ethnicity), occupation=_blank(p.occupation),
                  address=_blank(p.address), legal_rep=None, legal_rep_title=None,
                  id_number=None, credit_code=None, sex=None, birth_date=None)
    if kind is PartyKind.PERSON:
        sex = _blank(p.sex)
        if sex is not None and sex not in SEXES:
            errors.append(f"{label}：性别应为“男”或“女”")
        birth = p.birth_date
        idn = _blank(p.id_number)
        if idn:
            check = check_resident_id(idn, today=today)
            if not check.ok:
                errors.append(f"{label}：{check.message}")
            else:
                idn = check.normalized
                if sex and sex in SEXES and sex != check.sex:
                    errors.append(f"{label}：性别“{sex}”与身份证号（{check.sex}）不符")
                if birth and birth != check.birth_date:
                    errors.append(f"{label}：出生日期与身份证号不符")
                sex = sex or check.sex
                birth = birth or check.birth_date
        if birth and birth > today:
            errors.append(f"{label}：出生日期晚于今天")
        if _blank(p.credit_code):
            errors.append(f"{label}：自然人不填统一社会信用代码")
        fields.update(sex=sex, birth_date=birth, id_number=idn)
    else:
        code = _blank(p.credit_code)
        if code:
            cc = check_credit_code(code)
            code = cc.normalized
            if not cc.ok:
                warnings.append(f"{label}：{cc.warning}")
        if _blank(p.id_number):
            errors.append(f"{label}：单位当事人请填写统一社会信用代码，不填身份证号")
        rep = normalise_name(p.legal_rep) or None
        if not rep:
            warnings.append(f"{label}：未填写法定代表人（主要负责人）")
        else:
            rc = check_person_name(p.legal_rep, what=f"{label}的法定代表人（主要负责人）姓名")
            if not rc.ok:
                errors.append(rc.message)
        fields.update(credit_code=code, legal_rep=rep, legal_rep_title=_blank(p.legal_rep_title))
    agents = []
    for i, a in enumerate(p.agents, 1):
        ac = check_agent(a, today, owner=label, index=i)
        errors.extend(ac[1])
        agents.append(ac[0])
    party = replace(p, agents=tuple(agents), **fields)
    return PartyCheck(party, tuple(errors), tuple(warnings))


def check_agent(a: AgentInput, today: dt.date, *, owner: str = "当事人",
                index: int = 1) -> tuple[AgentInput, list[str]]:
    """Check and normalise an agent; returns (agent, errors)."""
    errors = []
    name = normalise_name(a.name)
    label = f"{owner}的代理人{name or index}"
    if not name:
        errors.append(f"{owner}的第{index}个代理人姓名不能为空")
    else:
        chk = check_person_name(a.name, max_len=PERSON_NAME_MAX, what=f"{owner}的第{index}个代理人姓名")
        if not chk.ok:
            errors.append(chk.message)
    idn = _blank(a.id_number)
    if idn:
        check = check_resident_id(idn, today=today)
        if check.ok:
            idn = check.normalized
        else:
            errors.append(f"{label}：{check.message}")
    phone = _blank(a.phone)
    if phone:
        pc = check_phone(phone)
        if pc.ok:
            phone = pc.normalized
        else:
            errors.append(f"{label}：{pc.message}")
    try:
        scope = AgentScope.parse(a.scope or AgentScope.GENERAL.value, "授权范围").value
    except ValueError as exc:
        errors.append(f"{label}：{exc}")
        scope = a.scope
    return replace(a, name=name, id_number=idn, phone=phone, scope=scope,
                   relation=(a.relation or "").strip(), authorisation=(a.authorisation or "").strip()), errors


# ------------------------------------------------------------------ recusal
@dataclass(frozen=True)
class PersonRef:
    """Someone whose identity is compared for recusal."""

    name: str
    id_number: str | None = None
    phone: str | None = None
    role: str = ""   # "申请人", "被申请人的代理人", ...


def recusal_conflicts(mediator: PersonRef, people: Iterable[PersonRef]) -> list[str]:
    """Why ``mediator`` may not mediate a case with these parties and agents.

    Conflicted when the same ID number, or the same name together with the
    same phone number, appears as a party or an agent (a mediator mediating
    their own dispute, or one they act in). Empty list: no conflict found.
    A name alone never conflicts: namesakes are common.
    """
    out = []
    m_id = (mediator.id_number or "").upper() or None
    m_name = normalise_name(mediator.name)
    m_phone = mediator.phone or None
    for p in people:
        who = f"{p.role}{normalise_name(p.name)}" if p.role else normalise_name(p.name)
        if m_id and (p.id_number or "").upper() == m_id:
            out.append(f"调解员与{who}身份证号相同")
        elif m_phone and m_name and normalise_name(p.name) == m_name and p.phone == m_phone:
            out.append(f"调解员与{who}姓名、电话相同")
    return out


# -------------------------------------------------------------- agreements
class AgreementState(_Labelled):
    DRAFT = "draft"
    SIGNING = "signing"
    EFFECTIVE = "effective"
    SUPERSEDED = "superseded"


_labels(AgreementState, {"draft": "草稿", "signing": "签署中", "effective": "已生效",
                         "superseded": "已被更正版本取代"})


class SignerKind(_Labelled):
    PARTY = "party"
    MEDIATOR = "mediator"
    SEAL = "seal"


_labels(SignerKind, {"party": "当事人", "mediator": "人民调解员", "seal": "人民调解委员会印章"})

#: How a signature was given (第二十九条: 签名、盖章或者按指印; electronic
#: signature for online mediation, 《人民法院在线调解规则》第十九条).
SIGN_METHODS = ("签名", "盖章", "按指印", "签名并按指印", "电子签名")


def signer_key(kind: SignerKind | str, party_id: int | None = None) -> str:
    member = SignerKind(kind)
    if member is SignerKind.PARTY:
        if party_id is None:
            raise ValueError("当事人签署需指明当事人")
        return f"party:{party_id}"
    return str(member.value)


def missing_signoffs(party_ids: Iterable[int], signed: Iterable[str]) -> list[str]:
    """Signer keys still missing before a written agreement takes effect.

    第二十九条第二款: every party signs, seals or fingerprints; the mediator
    signs; the committee's seal is added.
    """
    needed = [signer_key(SignerKind.PARTY, pid) for pid in party_ids]
    needed += [SignerKind.MEDIATOR.value, SignerKind.SEAL.value]
    have = set(signed)
    return [k for k in needed if k not in have]


def copies_required(n_parties: int) -> int:
    """第二十九条第二款: one copy per party and one kept by the committee."""
    if n_parties < 1:
        raise ValueError("调解协议至少要有一方当事人")
    return n_parties + 1


class Performance(_Labelled):
    PERFORMED = "performed"
    PARTLY = "partly"
    NOT_PERFORMED = "not"
    REFUSED = "refused"


_labels(Performance, {"performed": "已履行", "partly": "部分履行", "not": "未履行", "refused": "拒绝履行"})


class FollowUpMethod(_Labelled):
    PHONE = "phone"
    VISIT = "visit"
    ON_SITE = "on_site"
    MESSAGE = "message"
    OTHER = "other"


_labels(FollowUpMethod, {"phone": "电话回访", "visit": "上门回访", "on_site": "来访回访",
                         "message": "短信/微信回访", "other": "其他"})


# --------------------------------------------------------------- referrals
class ReferralKind(_Labelled):
    ROOM = "room"
    SERVICE = "service"
    DEPARTMENT = "department"
    COUNSELLING = "counselling"


_labels(ReferralKind, {"room": "调解室", "service": "窗口业务", "department": "职能部门",
                       "counselling": "心理咨询"})


class ReferralState(_Labelled):
    OPEN = "open"
    ARRANGED = "arranged"
    DONE = "done"
    CANCELLED = "cancelled"


_labels(ReferralState, {"open": "待安排", "arranged": "已安排", "done": "已完成", "cancelled": "已取消"})

_REFERRAL_MOVES = {
    (ReferralState.OPEN, "arrange"): ReferralState.ARRANGED,
    (ReferralState.ARRANGED, "arrange"): ReferralState.ARRANGED,   # rescheduled
    (ReferralState.OPEN, "complete"): ReferralState.DONE,
    (ReferralState.ARRANGED, "complete"): ReferralState.DONE,
    (ReferralState.OPEN, "cancel"): ReferralState.CANCELLED,
    (ReferralState.ARRANGED, "cancel"): ReferralState.CANCELLED,
}
_REFERRAL_ACTIONS = {"arrange": "安排", "complete": "完成", "cancel": "取消"}


def referral_transition(state: ReferralState | str, action: str) -> ReferralState:
    st = ReferralState(state)
    try:
        return _REFERRAL_MOVES[(st, action)]
    except KeyError:
        raise ValueError(f"转介当前状态为“{st.label}”，不能{_REFERRAL_ACTIONS.get(action, action)}") from None


# ---------------------------------------------------------------- sessions
class SessionMode(_Labelled):
    ON_SITE = "on_site"
    VIDEO = "video"
    MIXED = "mixed"


_labels(SessionMode, {"on_site": "现场调解", "video": "视频调解", "mixed": "现场与视频结合"})


class ParticipantRole(_Labelled):
    PARTY = "party"
    AGENT = "agent"
    MEDIATOR = "mediator"
    RECORDER = "recorder"
    INTERPRETER = "interpreter"
    OTHER = "other"


_labels(ParticipantRole, {"party": "当事人", "agent": "代理人", "mediator": "调解员", "recorder": "记录人",
                          "interpreter": "翻译人员", "other": "其他参与人员"})


class Presence(_Labelled):
    ON_SITE = "on_site"
    REMOTE = "remote"


_labels(Presence, {"on_site": "现场", "remote": "远程"})


class IdentityMethod(_Labelled):
    """How a participant's identity was checked (《人民法院在线调解规则》第十七条)."""

    ID_CARD_ON_SITE = "id_card_on_site"
    ID_CARD_ON_CAMERA = "id_card_on_camera"
    FACE_VERIFICATION = "face_verification"
    ID_CARD_READER = "id_card_reader"
    KNOWN_TO_MEDIATOR = "known_to_mediator"
    AUTHORISATION_LETTER = "authorisation_letter"
    STAFF = "staff"
    OTHER = "other"


_labels(IdentityMethod, {
    "id_card_on_site": "现场查验身份证件", "id_card_on_camera": "镜头前出示身份证件",
    "face_verification": "人脸识别核验", "id_card_reader": "身份证阅读器读取",
    "known_to_mediator": "调解员熟识", "authorisation_letter": "查验授权委托书及身份证件",
    "staff": "本中心工作人员", "other": "其他方式",
})


class SessionOutcome(_Labelled):
    AGREEMENT = "agreement"
    FAILED = "failed"
    ADJOURNED = "adjourned"


_labels(SessionOutcome, {"agreement": "达成协议", "failed": "调解不成", "adjourned": "择期继续调解"})

#: The 调解笔录's text fields, in the order the record is written: after the
#: header (time, place, matter, parties, participants, mediator, recorder —
#: taken from the session), the body, then the read-back note.
MINUTES_FIELDS: tuple[tuple[str, str], ...] = (
    ("subject", "事由"),
    ("place", "地点"),
    ("rights_notice", "告知当事人权利义务"),          # the mediator's statement
    ("rights_answer", "当事人对权利义务告知的表示"),   # the party's acknowledgement, separate
    ("principles", "调解原则及参加人员"),
    ("statements", "各方当事人陈述"),
    ("fact_check", "核实纠纷事实"),
    ("risk_warning", "风险提示"),
    ("agreement", "达成协议的内容"),
    ("failure_reason", "调解不成的原因"),
    ("next_routes", "后续途径"),
    ("read_back", "笔录已向当事人宣读/交其阅看"),
)
_MINUTES_KEYS = {k for k, _ in MINUTES_FIELDS}
MAX_MINUTES_CHARS = 200_000


def check_minutes(minutes: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise minutes: known keys only; ``statements`` is a list of
    ``{"speaker": str, "party_id": int | None, "text": str}``, the rest text."""
    if not isinstance(minutes, Mapping):
        raise ValueError("调解笔录格式不正确")
    unknown = sorted(set(minutes) - _MINUTES_KEYS)
    if unknown:
        raise ValueError(f"调解笔录含有未知栏目：{'、'.join(map(str, unknown))}")
    out: dict[str, Any] = {}
    total = 0
    for key, label in MINUTES_FIELDS:
        if key not in minutes or minutes[key] is None:
            continue
        value = minutes[key]
        if key == "statements":
            if not isinstance(value, (list, tuple)):
                raise ValueError("“各方当事人陈述”应为列表")
            rows = []
            for item in value:
                if not isinstance(item, Mapping):
                    raise ValueError("“各方当事人陈述”的每一项应含发言人和内容")
                text = str(item.get("text") or "")
                pid = item.get("party_id")
                rows.append({"speaker": str(item.get("speaker") or ""),
                             "party_id": int(pid) if pid not in (None, "") else None, "text": text})
                total += len(text)
            out[key] = rows
        else:
            if not isinstance(value, str):
                raise ValueError(f"“{label}”应为文字")
            out[key] = value
            total += len(value)
    if total > MAX_MINUTES_CHARS:
        raise ValueError("调解笔录过长")
    return out


# ---------------------------------------------------------------- failure
TERMINATION_NOTICE = (
    "经调解，双方未能达成调解协议。依据《中华人民共和国人民调解法》第二十六条，本委员会终止调解，"
    "并告知当事人：可以依法通过仲裁、行政、司法等途径维护自己的权利。")


def failure_routes(category: Category | str) -> list[str]:
    """The routes the parties are told of when mediation fails (第二十六条)."""
    cat = Category(category)
    if cat is Category.LABOUR:
        return ["向劳动人事争议仲裁委员会申请劳动争议仲裁（《劳动争议调解仲裁法》第五条）",
                "依法向劳动保障监察机构投诉、举报",
                "对仲裁裁决不服的，可以依法向人民法院提起诉讼"]
    routes = ["依法向人民法院提起诉讼"]
    if cat in (Category.HOUSING_LAND, Category.FOREST_LAND, Category.EXPROPRIATION,
               Category.POLLUTION, Category.MEDICAL, Category.TRAFFIC, Category.CONSUMER,
               Category.PROPERTY_MANAGEMENT):
        routes.insert(0, "向有关行政机关申请处理（行政途径）")
    if cat in (Category.CONTRACT, Category.BUSINESS):
        routes.insert(0, "依约定向仲裁机构申请仲裁")
    return routes


# ------------------------------------------------------ agreement rendering
@dataclass(frozen=True)
class AgreementParty:
    side: str
    kind: str
    name: str
    sex: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    occupation: str | None = None
    address: str | None = None
    phone: str | None = None
    id_number: str | None = None
    credit_code: str | None = None
    legal_rep: str | None = None
    legal_rep_title: str | None = None
    agents: tuple[str, ...] = ()   # "李律师（某律师事务所律师，特别授权）"


@dataclass(frozen=True)
class AgreementTermText:
    content: str
    obligor: str | None = None
    obligee: str | None = None
    amount: Decimal | None = None
    method: str | None = None
    due_date: dt.date | None = None


@dataclass(frozen=True)
class AgreementText:
    committee: str
    number: str
    parties: tuple[AgreementParty, ...]
    facts: str
    terms: tuple[AgreementTermText, ...]
    liability: str = ""
    version: int = 1
    oral: bool = False
    copies: int = 0


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _party_line(p: AgreementParty) -> str:
    side = Side(p.side).label
    bits: list[str] = []
    if p.kind == PartyKind.ORGANISATION.value:
        if p.credit_code:
            bits.append(f"统一社会信用代码{p.credit_code}")
        if p.address:
            bits.append(f"住所地{p.address}")
        if p.legal_rep:
            bits.append(f"法定代表人{p.legal_rep}" + (f"，{p.legal_rep_title}" if p.legal_rep_title else ""))
        if p.phone:
            bits.append(f"联系电话{p.phone}")
    else:
        for v in (p.sex, p.ethnicity):
            if v:
                bits.append(v)
        if p.birth_date:
            bits.append(f"{_cn_date(p.birth_date)}出生")
        if p.occupation:
            bits.append(p.occupation)
        if p.id_number:
            bits.append(f"公民身份号码{p.id_number}")
        if p.address:
            bits.append(f"住{p.address}")
        if p.phone:
            bits.append(f"联系电话{p.phone}")
    line = f"{side}：{p.name}" + ("，" + "，".join(bits) if bits else "") + "。"
    for agent in p.agents:
        line += f"\n委托代理人：{agent}。"
    return line


def _term_line(i: int, t: AgreementTermText) -> str:
    text = t.content.strip().rstrip("。；;.")
    extra = []
    if t.amount is not None:
        extra.append(f"金额{rmb.figures_and_capitals(t.amount)}")
    if t.obligor or t.obligee or t.method or t.due_date:
        who = f"由{t.obligor}" if t.obligor else ""
        when = f"于{_cn_date(t.due_date)}前" if t.due_date else ""
        how = f"以{t.method}方式" if t.method else ""
        to = f"向{t.obligee}" if t.obligee else ""
        perf = f"{who}{when}{how}{to}履行".strip()
        if perf != "履行":
            extra.append(perf)
    return f"{cardinal(i)}、{text}" + ("，" + "，".join(extra) if extra else "") + "。"


def render_agreement_text(a: AgreementText) -> str:
    """The agreement as plain text: what is frozen, hashed and printed.

    Layout of a 人民调解协议书 in common practice: title, number, the parties
    (第二十九条第一项), the main facts and the disputed matters with each
    side's responsibility (第二项), the agreed terms with the way and time of
    performance (第三项), the effect and copies sentence (第二十九条第二款)
    and the note on judicial confirmation (第三十三条). An oral agreement is
    recorded by the mediator (第二十八条) and takes effect when reached
    (第三十条).
    """
    lines = [a.committee, "口头调解协议记录" if a.oral else "人民调解协议书", a.number]
    if a.version > 1:
        lines[-1] += f"（第{a.version}版，更正前一版本）"
    lines.append("")
    lines.append("当事人：" if a.parties else "当事人：（未列明）")
    lines.extend(_party_line(p) for p in a.parties)
    lines.append("")
    lines.append("纠纷主要事实、争议事项：")
    lines.append(a.facts.strip() or "（未填写）")
    if a.liability.strip():
        lines.append("")
        lines.append("各方当事人的责任：")
        lines.append(a.liability.strip())
    lines.append("")
    lines.append("经调解，自愿达成如下协议：" if not a.oral else "经调解，当事人口头达成如下协议：")
    if a.terms:
        lines.extend(_term_line(i, t) for i, t in enumerate(a.terms, 1))
    else:
        lines.append("（无）")
    lines.append("")
    if a.oral:
        lines.append("当事人认为无需制作调解协议书，采取口头协议方式，由人民调解员记录协议内容"
                     "（《中华人民共和国人民调解法》第二十八条）。本口头协议自各方当事人达成协议之日起生效"
                     "（同法第三十条）。")
    else:
        lines.append("本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                     f"本协议书一式{cardinal(a.copies) if a.copies > 0 else a.copies}份，"
                     "当事人各执一份，人民调解委员会留存一份。")
    lines.append("经人民调解委员会调解达成调解协议后，双方当事人认为有必要的，可以自调解协议生效之日起三十日内"
                 "共同向人民法院申请司法确认（《中华人民共和国人民调解法》第三十三条）。")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- documents
class DocumentKind(_Labelled):
    """Documents of a mediation case file (第二十七条: 调解登记、调解工作记录、
    调解协议书 and what goes with them)."""

    APPLICATION = "application"
    REGISTRATION = "registration"
    MINUTES = "minutes"
    AGREEMENT = "agreement"
    ORAL_AGREEMENT = "oral_agreement"
    TERMINATION = "termination"
    REFERRAL = "referral"
    FOLLOW_UP = "follow_up"
    AUTHORISATION = "authorisation"
    EVIDENCE_LIST = "evidence_list"
    ARBITRATION_APPLICATION = "arbitration_application"
    ATTENDANCE_NOTICE = "attendance_notice"
    OTHER = "other"


_labels(DocumentKind, {
    "application": "人民调解申请书", "registration": "人民调解登记表", "minutes": "调解笔录",
    "agreement": "人民调解协议书", "oral_agreement": "口头调解协议登记", "termination": "终止调解告知书",
    "referral": "转介单", "follow_up": "回访记录", "authorisation": "授权委托书",
    "evidence_list": "证据材料清单", "arbitration_application": "劳动人事争议仲裁申请书",
    "attendance_notice": "调解通知书", "other": "其他文书",
})


def age_on(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def labels_of(cls: type[_Labelled]) -> list[tuple[str, str]]:
    """(code, label) pairs of one of this module's enums, for forms."""
    return [(m.value, m.label) for m in cls]
