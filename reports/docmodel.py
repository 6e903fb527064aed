"""Plain data for the hall's documents, and the laid-out body both formats share.

Two halves:

* **Inputs** — frozen dataclasses the services fill from the database and
  hand to a renderer: the centre, parties (people and organisations),
  a mediation case with its agreement, minutes, follow-up and termination,
  a labour-arbitration case with the data of each of its notices and
  instruments, and a petition with its two letters.  Nothing here knows about
  the database or Qt; a renderer takes one of these and returns bytes.
* **Blocks** — the document after wording and before typesetting: a title,
  a number line, paragraphs, tables, signature blocks.  Each renderer builds
  one :class:`Document` of blocks; ``reports.official`` typesets it as PDF
  and ``reports.docx_base`` writes it as DOCX, so both formats always carry
  the same words.

Text helpers for Chinese documents live here as well: dates
(``2026年11月23日`` and ``二〇二六年十一月二十三日``), Chinese numerals and
money in figures and in capitals (``12,000.00元（大写：人民币壹万贰仟元整）``).

Dates and times: a ``datetime`` that carries a time zone is shown in the
hall's zone (Asia/Shanghai); a naive ``datetime`` is taken to be hall
wall-clock time already (a hearing is booked "at 9:30", not at an instant).
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from hall.domain import money as rmb
from hall.domain.clock import HALL_TZ
from hall.domain.numerals import cardinal, digits

__all__ = [
    # text helpers
    "BLANK_DATE", "cn_numeral", "cn_ordinal", "cn_date", "cn_date_upper", "cn_datetime", "cn_weekday",
    # parties
    "Centre", "Agent", "Person", "Organisation", "Party", "party_names",
    # people's mediation
    "MediationCase", "AgreementTerm", "Signatories", "Agreement", "Participant",
    "Statement", "MinutesResult", "SessionMinutes", "Registration", "RightsNotice",
    "TermPerformance", "FollowUp", "Termination", "AttendanceNotice",
    # labour arbitration
    "Claim", "Evidence", "Witness", "Tribunal", "Hearing", "Material", "ArbitrationCase",
    "ApplicationReceipt", "CorrectionNotice", "AcceptanceNotice", "RejectionNotice",
    "ResponseNotice", "TribunalNotice", "HearingNotice", "PostponementNotice",
    "RecordSection", "HearingRecord", "ArbitralMediation", "AwardItem", "Award",
    "ServiceReceipt",
    # petitions
    "Petition", "PetitionIntake", "PetitionAcceptance", "PetitionOutcome", "PetitionOpinion",
    # blocks
    "Run", "Inline", "ParaKind", "Title", "DocNumber", "Para", "Cell", "Table",
    "SignatureBlock", "RoleLines", "Spacer", "PageBreak", "StatusCode", "Block", "Document",
    # composing
    "body", "flush", "heading", "note", "labelled", "sentence", "numbered", "person_details",
    "organisation_details", "agent_line", "party_paragraphs", "party_rows", "party_table",
    "PARTY_TABLE_WIDTHS",
]


# ==========================================================================
# Text helpers
# ==========================================================================

def cn_numeral(n: int) -> str:
    """Chinese numerals as documents write counts: 3 → 三, 10 → 十, 15 → 十五, 105 → 一百零五."""
    if n < 0:
        raise ValueError("a count cannot be negative")
    return cardinal(n)


def cn_ordinal(n: int) -> str:
    """The lead of the n-th numbered item: 1 → 一、, 12 → 十二、."""
    return cn_numeral(n) + "、"


def _local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(HALL_TZ)
    return value


#: A date left blank to be written by hand.  Ideographic spaces: a PDF
#: paragraph collapses runs of ordinary spaces into one.
BLANK_DATE = "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"


def cn_date(value: dt.date | dt.datetime | None, blank: str = BLANK_DATE) -> str:
    """``2026年11月23日`` (GB/T 9704-2012 7.3.5: Arabic numerals, no leading zeros).

    ``None`` gives a blank to be filled in by hand.
    """
    if value is None:
        return blank
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def cn_date_upper(value: dt.date | dt.datetime | None, blank: str = BLANK_DATE) -> str:
    """``二〇二六年十一月二十三日``: the date style of judgments and awards."""
    if value is None:
        return blank
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    year = digits(str(value.year), date_style=True)
    return f"{year}年{cn_numeral(value.month)}月{cn_numeral(value.day)}日"


_WEEKDAYS = "一二三四五六日"


def cn_weekday(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return "星期" + _WEEKDAYS[value.weekday()]


def cn_datetime(value: dt.datetime, weekday: bool = True) -> str:
    """``2026年12月3日（星期四）上午9时30分`` in the hall's time."""
    value = _local(value)
    hour = value.hour
    if hour < 12:
        part, shown = "上午", hour
    elif hour == 12:
        part, shown = "中午", 12
    elif hour < 18:
        part, shown = "下午", hour - 12
    else:
        part, shown = "晚上", hour - 12
    minutes = f"{value.minute}分" if value.minute else ""
    day = cn_date(value.date())
    if weekday:
        day += f"（{cn_weekday(value)}）"
    return f"{day}{part}{shown}时{minutes}"


def _check_capitals(amount: Decimal | None, capitals: str | None, what: str) -> None:
    """A capitals text given by hand must say the same amount as the figures."""
    if amount is None:
        if capitals:
            raise ValueError(f"{what}: amount in capitals given without the amount in figures")
        return
    expected = rmb.capitals(amount)

    def core(text: str) -> str:
        # 人民币 before and 整 after are written or left out by habit (整 after 角 is optional).
        return text.strip().removeprefix("人民币").removesuffix("整")

    if capitals is not None and core(capitals) != core(expected):
        raise ValueError(
            f"{what}: 大写金额“{capitals}”与小写金额 {rmb.figures_yuan(amount)} 不符（应为“{expected}”）"
        )


# ==========================================================================
# The centre and the parties
# ==========================================================================

@dataclass(frozen=True, kw_only=True)
class Centre:
    """The hall and the bodies whose names appear on its documents."""

    name: str                               # 城东区社会治理服务中心
    committee_name: str                     # 城东区人民调解委员会
    arbitration_commission: str             # 城东区劳动人事争议仲裁委员会
    address: str = ""
    phone: str = ""
    #: Printed where a seal is to be stamped, after the body's name at the
    #: foot of a document.  Empty when the paper already carries a printed
    #: or electronic seal.
    seal_text: str = "（印章）"
    petition_office: str = ""               # body answering petitions, e.g. 城东区信访局
    basic_court: str = "有管辖权的人民法院"   # named in the 司法确认 note


@dataclass(frozen=True, kw_only=True)
class Agent:
    """Someone acting for a party: 委托代理人 (with the authority given) or 法定代理人."""

    name: str
    kind: str = "委托代理人"                 # 委托代理人 / 法定代理人 / 指定代理人
    description: str = ""                   # 某律师事务所律师 / 申请人之子
    authority: str = ""                     # 一般授权 / 特别授权（代为承认、放弃、变更请求，进行和解）
    phone: str = ""


@dataclass(frozen=True, kw_only=True)
class Person:
    """A natural person as a party.

    Every field that 《劳动争议调解仲裁法》 Art. 28 and 《劳动人事争议仲裁
    办案规则》 Art. 29 require of a worker is here: 姓名、性别、出生日期（年龄）、
    身份证件号码、职业、工作单位、住所、通讯地址、联系电话.
    """

    side: str                               # 甲方 / 申请人 / 被申请人 / 信访人 ...
    name: str
    sex: str = ""                           # 男 / 女
    ethnicity: str = ""                     # 汉族
    birth_date: dt.date | None = None
    age: int | None = None                  # when the birth date is not known
    occupation: str = ""
    work_unit: str = ""
    address: str = ""                       # 住址 / 住所
    mailing_address: str = ""               # 通讯地址 (送达地址) when not the 住址
    phone: str = ""
    id_number: str = ""
    agents: tuple[Agent, ...] = ()

    is_organisation = False

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return self.age
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass(frozen=True, kw_only=True)
class Organisation:
    """A company or other organisation as a party (用人单位, 物业公司 ...)."""

    side: str
    name: str
    credit_code: str = ""                   # 统一社会信用代码
    address: str = ""                       # 住所
    mailing_address: str = ""
    phone: str = ""
    legal_rep: str = ""
    legal_rep_title: str = ""
    #: 法定代表人, or 主要负责人 for a body without a legal representative.
    legal_rep_label: str = "法定代表人"
    agents: tuple[Agent, ...] = ()

    is_organisation = True


Party = Person | Organisation


def party_names(parties: Sequence[Party]) -> str:
    return "、".join(p.name for p in parties)


# ==========================================================================
# People's mediation — 《人民调解法》
# ==========================================================================

@dataclass(frozen=True, kw_only=True)
class MediationCase:
    """A dispute before the people's mediation committee."""

    centre: Centre
    number: str                             # （2026）城东人调字第12号
    category: str                           # 劳动争议, 邻里 ... (DOMAIN.md statistics list)
    parties: tuple[Party, ...]
    facts: str = ""                         # 纠纷主要事实
    claims: tuple[str, ...] = ()            # what each side asks, one line each
    dispute_items: str = ""                 # 争议事项
    responsibilities: str = ""              # 各方当事人的责任 (Art. 29 (2))
    source: str = "当事人申请"               # 当事人申请 / 主动调解 / 委托移送
    accepted_on: dt.date | None = None
    mediators: tuple[str, ...] = ()
    recorder: str = ""

    def __post_init__(self) -> None:
        if len(self.parties) < 2:
            raise ValueError("a dispute has at least two parties")


@dataclass(frozen=True, kw_only=True)
class AgreementTerm:
    """One numbered term of an agreement.

    ``content`` is the predicate that follows the obligor: with obligor
    ``乙方某公司`` it reads ``于2026年12月1日前向甲方支付2026年9月至10月工资``.
    The amount is written where ``{金额}`` stands in the content, or after it;
    always in figures and in capitals.  ``amount_capitals`` may be typed by
    the clerk; it must then say the same amount as the figures.
    """

    content: str
    obligor: str = ""
    obligee: str = ""
    amount: Decimal | None = None
    amount_capitals: str | None = None
    method: str = ""                        # 银行转账 / 现金 ...
    due_date: dt.date | None = None

    AMOUNT_MARK = "{金额}"

    def __post_init__(self) -> None:
        if self.amount is not None:
            object.__setattr__(self, "amount", rmb.as_money(self.amount))
        _check_capitals(self.amount, self.amount_capitals, "协议条款")

    @property
    def capitals(self) -> str | None:
        if self.amount is None:
            return None
        capitals = self.amount_capitals or rmb.capitals(self.amount)
        return capitals if capitals.startswith("人民币") else "人民币" + capitals

    def sentence(self) -> str:
        """The term as printed, without its number."""
        text = f"{self.obligor}{self.content}".rstrip("。；;.")
        if self.amount is not None:
            money = rmb.figures_and_capitals(self.amount, self.capitals)
            if self.AMOUNT_MARK in text:
                text = text.replace(self.AMOUNT_MARK, money)
            else:
                text = f"{text}{money}"
        tail = []
        if self.method:
            tail.append(f"履行方式：{self.method}")
        if self.due_date:
            tail.append(f"履行期限：{cn_date(self.due_date)}前")
        if tail:
            text += "（" + "；".join(tail) + "）"
        return text + "。"


@dataclass(frozen=True, kw_only=True)
class Signatories:
    """Who signs at the foot of an agreement, and when.

    Empty names are taken from the case (its parties, mediators, recorder);
    a missing date prints as a blank to be written by hand.
    """

    parties: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    recorder: str = ""
    signed_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """A 人民调解协议书 (《人民调解法》 Art. 28-29, 33)."""

    case: MediationCase
    terms: tuple[AgreementTerm, ...]
    number: str = ""                        # defaults to the case number
    performance: str = ""                   # 履行方式、期限; composed from the terms when empty
    #: Copies printed: one per party plus one for the committee (Art. 29).
    #: ``None`` is exactly that; more are allowed, fewer are not.
    copies: int | None = None
    judicial_confirmation_note: bool = True  # Art. 33 / 民事诉讼法 Art. 205
    #: Art. 28: the parties may settle orally; then no 协议书 is made and the
    #: mediator records the content (in the minutes).
    oral: bool = False
    other_clauses: tuple[str, ...] = ()     # 双方就本纠纷再无其他争议 ...
    signatories: Signatories = field(default_factory=Signatories)
    #: The text fixed at the first signature and its SHA-256: once given,
    #: the document is typeset from this text alone, never from live records.
    frozen_text: str = ""
    frozen_sha256: str = ""

    def __post_init__(self) -> None:
        if not self.terms:
            raise ValueError("an agreement has at least one term")
        minimum = len(self.case.parties) + 1
        if self.copies is not None and self.copies < minimum:
            raise ValueError(
                f"调解协议书应当事人各执一份、人民调解委员会留存一份，至少{minimum}份（人民调解法第二十九条）"
            )

    @property
    def copy_count(self) -> int:
        return self.copies if self.copies is not None else len(self.case.parties) + 1

    @property
    def total_amount(self) -> Decimal:
        return sum((t.amount for t in self.terms if t.amount is not None), Decimal("0.00"))


@dataclass(frozen=True, kw_only=True)
class Participant:
    """Someone present at a session, on site or remote, and how they were identified.

    《人民法院在线调解规则》 Art. 17: the identity of every participant is
    checked before the session starts.
    """

    name: str
    role: str                               # 申请人 / 被申请人委托代理人 / 特邀调解员 / 申请人之妻
    remote: bool = False
    location: str = ""                      # where a remote participant is (某镇便民服务站)
    identity_check: str = ""                # 核验居民身份证原件 / 视频核验身份证件

    @property
    def presence(self) -> str:
        return "远程视频参加" if self.remote else "现场参加"


@dataclass(frozen=True, kw_only=True)
class Statement:
    """One entry of a record: who spoke and what was said (问/答 or a party's statement)."""

    speaker: str
    text: str


@dataclass(frozen=True, kw_only=True)
class MinutesResult:
    """How the session ended: an agreement, or failure with the routes left open."""

    agreed: bool
    summary: str = ""                       # the agreement's content, or the reason for failure
    agreement_number: str = ""              # the 协议书 made, if any
    oral: bool = False                      # Art. 28: oral agreement recorded here
    next_routes: tuple[str, ...] = ()       # after failure: 仲裁 / 行政 / 诉讼 (Art. 26)


DEFAULT_RIGHTS_NOTICE = (
    "调解员告知当事人：人民调解委员会调解民间纠纷不收取任何费用；调解遵循自愿、平等原则，"
    "不违背法律、法规和国家政策，不阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利。"
    "当事人享有选择或者接受人民调解员，接受调解、拒绝调解或者要求终止调解，"
    "要求调解公开进行或者不公开进行，自主表达意愿、自愿达成调解协议的权利；"
    "应当如实陈述纠纷事实，遵守调解现场秩序、尊重人民调解员，尊重对方当事人行使权利。"
    "当事人是否申请人民调解员回避？"
)

DEFAULT_RISK_WARNING = (
    "调解员提示：当事人应如实陈述，虚构事实、恶意串通进行虚假调解的，应承担相应法律责任；"
    "调解协议具有法律约束力，当事人应当按照约定履行；为达成协议所作的让步，"
    "不因调解不成而当然成为对当事人不利的依据。"
)

DEFAULT_READ_BACK = "以上笔录已向当事人宣读（或交当事人阅看），当事人确认记录无误。"


@dataclass(frozen=True, kw_only=True)
class SessionMinutes:
    """The 调解笔录 of one session (《人民调解法》 Art. 27; DOMAIN.md structure)."""

    case: MediationCase
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    place: str = ""
    matter: str = ""                        # 事由; defaults to the case category
    participants: tuple[Participant, ...] = ()
    mediators: tuple[str, ...] = ()         # default: the case's
    recorder: str = ""
    rights_notice: str = DEFAULT_RIGHTS_NOTICE
    rights_answer: str = "当事人表示已听清，不申请回避，同意调解。"
    recording_note: str = ""                # consent to audio/video recording, if recorded
    statements: tuple[Statement, ...] = ()
    fact_check: str = ""
    risk_warning: str = DEFAULT_RISK_WARNING
    result: MinutesResult = field(default_factory=lambda: MinutesResult(agreed=False))
    read_back: str = DEFAULT_READ_BACK

    @property
    def has_remote(self) -> bool:
        return any(p.remote for p in self.participants)


@dataclass(frozen=True, kw_only=True)
class Registration:
    """The 人民调解受理登记表: a dispute entered into the register (Art. 17, 27)."""

    case: MediationCase
    registered_on: dt.date
    application_form: str = "口头申请"       # 书面申请 / 口头申请 / 主动调解 / 委托移送
    referred_by: str = ""                   # the court or police station, for 委托移送
    requests: str = ""                      # 当事人申请事项
    accepted: bool = True
    decision_note: str = ""                 # why not accepted (one party refuses: Art. 17)
    registrar: str = ""


@dataclass(frozen=True, kw_only=True)
class RightsNotice:
    """The 人民调解当事人权利义务告知书 (《人民调解法》 Art. 23-24)."""

    case: MediationCase
    notified_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class TermPerformance:
    term: str                               # the term (or its number and gist)
    status: str                             # 已履行 / 部分履行 / 未履行 / 未到期
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class FollowUp:
    """A 回访记录: the committee checks that the agreement is performed (Art. 31)."""

    case: MediationCase
    visited_on: dt.date
    method: str = "电话回访"                 # 上门回访 / 电话回访 / 视频回访
    agreement_number: str = ""
    agreement_date: dt.date | None = None
    visited: tuple[str, ...] = ()           # who was spoken to
    performance: tuple[TermPerformance, ...] = ()
    findings: str = ""                      # 回访情况
    opinions: str = ""                      # 当事人意见
    next_step: str = ""                     # 处理意见
    visitor: str = ""
    recorder: str = ""


DEFAULT_ROUTES = (
    "申请仲裁：属于劳动争议、人事争议等依法可以仲裁的纠纷，可以向有管辖权的仲裁机构申请仲裁；",
    "行政途径：可以依法向有关行政机关申请处理、投诉或者申请行政复议；",
    "司法途径：可以依法向人民法院提起诉讼。",
)


@dataclass(frozen=True, kw_only=True)
class Termination:
    """A 终止调解告知书 (《人民调解法》 Art. 26; Art. 23 (2) when a party asks to stop)."""

    case: MediationCase
    decided_on: dt.date
    reason: str                             # 经调解，双方对赔偿数额分歧较大，未能达成协议
    addressees: tuple[Party, ...] = ()      # default: every party
    routes: tuple[str, ...] = DEFAULT_ROUTES


@dataclass(frozen=True, kw_only=True)
class AttendanceNotice:
    """调解通知书: a party is asked to attend a sitting (Art. 17: mediation
    needs the parties' consent, so it invites and says the party may refuse)."""

    case: MediationCase
    addressee: Party                        # the party summoned
    starts_at: dt.datetime
    place: str
    mediator: str = ""
    issued_on: dt.date | None = None
    contact_phone: str = ""
    bring: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.place:
            raise ValueError("调解通知书应写明调解地点")


# ==========================================================================
# Labour-dispute arbitration — 《劳动争议调解仲裁法》 and 办案规则
# ==========================================================================

@dataclass(frozen=True, kw_only=True)
class Claim:
    """One request of the application (仲裁请求); amounts in figures and capitals."""

    text: str                               # 裁决被申请人支付2026年9月至10月工资
    amount: Decimal | None = None
    amount_capitals: str | None = None

    def __post_init__(self) -> None:
        if self.amount is not None:
            object.__setattr__(self, "amount", rmb.as_money(self.amount))
        _check_capitals(self.amount, self.amount_capitals, "仲裁请求")

    def sentence(self) -> str:
        text = self.text.rstrip("。；;.")
        if self.amount is not None:
            money = rmb.figures_and_capitals(self.amount, self.amount_capitals)
            text = text.replace(AgreementTerm.AMOUNT_MARK, money) if AgreementTerm.AMOUNT_MARK in text else text + money
        return text + "。"


@dataclass(frozen=True, kw_only=True)
class Evidence:
    name: str                               # 劳动合同
    source: str = ""                        # 申请人持有 / 被申请人处
    purpose: str = ""                       # 证明事项
    copies: int = 1
    pages: int | None = None


@dataclass(frozen=True, kw_only=True)
class Witness:
    name: str
    address: str = ""


@dataclass(frozen=True, kw_only=True)
class Tribunal:
    """Art. 31: three arbitrators with a presiding one, or a sole arbitrator."""

    presiding: str = ""
    members: tuple[str, ...] = ()
    sole: str = ""
    clerk: str = ""                         # 书记员

    def __post_init__(self) -> None:
        if self.sole:
            if self.presiding or self.members:
                raise ValueError("a sole arbitrator sits alone")
        elif not self.presiding or len(self.members) != 2:
            raise ValueError("a tribunal has a presiding arbitrator and two members, or a sole arbitrator")

    @property
    def is_sole(self) -> bool:
        return bool(self.sole)

    def roles(self) -> list[tuple[str, str]]:
        if self.sole:
            return [("独任仲裁员", self.sole)]
        return [("首席仲裁员", self.presiding)] + [("仲裁员", m) for m in self.members]


@dataclass(frozen=True, kw_only=True)
class Hearing:
    starts_at: dt.datetime
    room: str                               # 第一仲裁庭
    address: str = ""                       # the building; default the centre's address


@dataclass(frozen=True, kw_only=True)
class Material:
    """One item handed in at the counter (收件回执)."""

    name: str
    copies: int = 1
    pages: int | None = None
    original: bool = False                  # 原件 (returned after checking) or 复印件


@dataclass(frozen=True, kw_only=True)
class ArbitrationCase:
    """A labour-dispute arbitration case."""

    centre: Centre
    number: str                             # 城劳人仲案字〔2026〕第15号 (pattern is a setting)
    applicants: tuple[Party, ...]
    respondents: tuple[Party, ...]
    third_parties: tuple[Party, ...] = ()
    cause: str = "劳动争议"                  # 案由: 劳动报酬争议, 确认劳动关系争议 ...
    claims: tuple[Claim, ...] = ()
    facts_reasons: str = ""
    evidence: tuple[Evidence, ...] = ()
    witnesses: tuple[Witness, ...] = ()
    received_on: dt.date | None = None
    accepted_on: dt.date | None = None
    tribunal: Tribunal | None = None
    simplified: bool = False                # 简易处理 (办案规则 Art. 56-57)

    def __post_init__(self) -> None:
        if not self.applicants or not self.respondents:
            raise ValueError("an arbitration case has an applicant and a respondent")

    @property
    def parties(self) -> tuple[Party, ...]:
        return self.applicants + self.respondents + self.third_parties

    def title_line(self) -> str:
        """申请人张三与被申请人某公司劳动报酬争议一案."""
        return (
            f"申请人{party_names(self.applicants)}与被申请人{party_names(self.respondents)}"
            f"{self.cause}一案"
        )


@dataclass(frozen=True, kw_only=True)
class ApplicationReceipt:
    """收件回执 (办案规则 Art. 29: a receipt for every material handed in)."""

    case: ArbitrationCase
    received_at: dt.datetime
    materials: tuple[Material, ...]
    receipt_number: str = ""
    receiver: str = ""
    complete: bool = True                   # False: a 补正通知书 goes with it


@dataclass(frozen=True, kw_only=True)
class CorrectionNotice:
    """补正通知书: every missing item in ONE notice (办案规则 Art. 29)."""

    case: ArbitrationCase
    issued_on: dt.date
    items: tuple[str, ...]
    deadline: dt.date | None = None
    consequence: str = ""                   # what happens if not corrected (local rule; optional)

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a correction notice lists at least one missing item")


@dataclass(frozen=True, kw_only=True)
class AcceptanceNotice:
    """受理通知书 to the applicant (Art. 29)."""

    case: ArbitrationCase
    issued_on: dt.date
    evidence_deadline: dt.date | None = None
    contact: str = ""                       # 联系人及电话


@dataclass(frozen=True, kw_only=True)
class RejectionNotice:
    """不予受理通知书 with the reasons and the right to sue (Art. 29)."""

    case: ArbitrationCase
    issued_on: dt.date
    reasons: tuple[str, ...]
    basis: str = ""                         # the provision relied on
    competent_body: str = ""                # when another commission has jurisdiction

    def __post_init__(self) -> None:
        if not self.reasons:
            raise ValueError("a rejection states its reasons (Art. 29)")


@dataclass(frozen=True, kw_only=True)
class ResponseNotice:
    """应诉通知书 with the copy of the application (Art. 30: defence within 10 days)."""

    case: ArbitrationCase
    issued_on: dt.date
    respondent: Party | None = None         # default: the first respondent
    evidence_deadline: dt.date | None = None
    contact: str = ""


@dataclass(frozen=True, kw_only=True)
class TribunalNotice:
    """仲裁庭组成通知书 (Art. 31-33), to every party unless one addressee is named."""

    case: ArbitrationCase
    issued_on: dt.date
    addressee: Party | None = None


@dataclass(frozen=True, kw_only=True)
class HearingNotice:
    """开庭通知书 to one party (Art. 35: at least 5 days before the hearing)."""

    case: ArbitrationCase
    addressee: Party
    hearing: Hearing
    issued_on: dt.date
    bring: tuple[str, ...] = (
        "身份证件原件（单位：营业执照副本复印件、法定代表人身份证明书）",
        "授权委托书（委托代理人参加的）",
        "已提交证据的原件",
    )


@dataclass(frozen=True, kw_only=True)
class PostponementNotice:
    """延期开庭通知书 (Art. 35: a request at least 3 days before; the commission decides)."""

    case: ArbitrationCase
    addressee: Party
    original: Hearing
    issued_on: dt.date
    new: Hearing | None = None              # None: the new date will be notified
    reason: str = ""
    requested_by: str = ""                  # 申请人 / 被申请人, or empty when the commission decides


@dataclass(frozen=True, kw_only=True)
class RecordSection:
    title: str                              # 庭审调查 / 举证质证 / 庭审辩论 / 最后陈述 / 庭审调解
    entries: tuple[Statement, ...] = ()


@dataclass(frozen=True, kw_only=True)
class HearingRecord:
    """庭审笔录 (Art. 38, 40), signed by arbitrators, recorder and parties."""

    case: ArbitrationCase
    hearing: Hearing
    ended_at: dt.datetime | None = None
    attendees: tuple[Participant, ...] = ()
    sections: tuple[RecordSection, ...] = ()
    public: bool = True                     # Art. 26
    closing: str = "以上笔录经当事人阅看（或向当事人宣读），当事人认为记录有遗漏或者差错的，有权申请补正（《中华人民共和国劳动争议调解仲裁法》第四十条）。"


@dataclass(frozen=True, kw_only=True)
class ArbitralMediation:
    """仲裁调解书 (Art. 42): the claims and what the parties agreed."""

    case: ArbitrationCase
    terms: tuple[AgreementTerm, ...]
    issued_on: dt.date
    facts: str = ""
    number: str = ""                        # default: the case number

    def __post_init__(self) -> None:
        if not self.terms:
            raise ValueError("a mediation statement records at least one agreed term")


@dataclass(frozen=True, kw_only=True)
class AwardItem:
    text: str                               # 被申请人于本裁决生效之日起五日内支付申请人工资
    amount: Decimal | None = None
    amount_capitals: str | None = None

    def __post_init__(self) -> None:
        if self.amount is not None:
            object.__setattr__(self, "amount", rmb.as_money(self.amount))
        _check_capitals(self.amount, self.amount_capitals, "裁决项")

    def sentence(self) -> str:
        return Claim(text=self.text, amount=self.amount, amount_capitals=self.amount_capitals).sentence()


@dataclass(frozen=True, kw_only=True)
class Award:
    """仲裁裁决书 (Art. 46): claims, facts, reasons, result and date.

    ``final`` is the tribunal's finding under Art. 47 (amount within twelve
    months of the local minimum wage, or a labour-standard dispute); it
    decides the closing paragraph: Art. 48-49 routes for a final award,
    Art. 50 for any other.
    """

    case: ArbitrationCase
    issued_on: dt.date
    result: tuple[AwardItem, ...]
    final: bool
    number: str = ""
    procedure: str = ""                     # composed from the case when empty
    applicant_statement: str = ""           # 申请人称
    respondent_defence: str = ""            # 被申请人辩称
    facts_found: str = ""                   # 经审理查明
    reasons: str = ""                       # 本委认为
    basis: str = ""                         # the articles applied ("依照……之规定")
    respondent_absent: bool = False         # Art. 36 (2): default award
    dissent_noted: bool = False             # Art. 45: a dissenting view recorded
    costs: str = ""                         # 仲裁费用 (Art. 53: arbitration is free)
    part_label: str = ""                    # 终局裁决 / 非终局裁决 when Art. 47 splits the award

    def __post_init__(self) -> None:
        if not self.result:
            raise ValueError("an award has at least one item of result")
        if self.case.tribunal is None:
            raise ValueError("an award is signed by the tribunal: the case has none")


@dataclass(frozen=True, kw_only=True)
class ServiceReceipt:
    """送达回证: the recipient writes the date of receipt and signs (民事诉讼法 Art. 87)."""

    case: ArbitrationCase
    documents: tuple[str, ...]              # 开庭通知书（城劳人仲案字〔2026〕第15号）
    recipient: str
    address: str = ""
    method: str = "直接送达"                 # 直接送达 / 邮寄送达 / 留置送达 / 电子送达
    server: str = ""                        # 送达人
    issued_on: dt.date | None = None


# ==========================================================================
# Petitions — 《信访工作条例》 (2022)
# ==========================================================================

@dataclass(frozen=True, kw_only=True)
class Petition:
    """A petition (信访事项) as registered (Art. 19-20)."""

    centre: Centre
    number: str
    petitioners: tuple[Person | Organisation, ...]
    received_on: dt.date
    form: str = "走访"                       # 走访 / 来信 / 网上信访 / 来电
    representatives: tuple[str, ...] = ()   # Art. 20: at most 5 for a group visit
    matter: str = ""                        # 信访事项
    request: str = ""                       # 投诉请求
    facts_reasons: str = ""
    handling_body: str = ""                 # default: the centre's petition office

    def __post_init__(self) -> None:
        if not self.petitioners:
            raise ValueError("a petition has a petitioner")
        if len(self.representatives) > 5:
            raise ValueError("多人走访提出共同信访事项的，代表人数不得超过5人（信访工作条例第二十条）")

    @property
    def body(self) -> str:
        return self.handling_body or self.centre.petition_office or self.centre.name


class PetitionIntake(enum.Enum):
    """What Art. 23 lets a body tell a petitioner about a petition it received."""

    ACCEPT = "受理"        # within its remit: receipt, route and procedure
    FORWARD = "转送"       # a subordinate body's remit: where it was sent
    REDIRECT = "告知"      # outside the system's remit: which body to go to


@dataclass(frozen=True, kw_only=True)
class PetitionAcceptance:
    """信访事项受理告知书 (Art. 23: in writing, on the spot or within 15 days)."""

    petition: Petition
    issued_on: dt.date
    decision: PetitionIntake = PetitionIntake.ACCEPT
    to_body: str = ""                       # FORWARD / REDIRECT: the body named
    route: str = ""                         # 处理途径和程序 (ACCEPT); a default text is used when empty
    contact: str = ""


class PetitionOutcome(enum.Enum):
    """The three opinions of 《信访工作条例》 Art. 32, in its words."""

    SUPPORT = "予以支持"     # 请求事实清楚，符合法律、法规、规章或者其他有关规定
    EXPLAIN = "作出解释说明"  # 请求事由合理但缺乏法律依据
    REJECT = "不予支持"      # 请求缺乏事实根据或者不符合法律、法规、规章或者其他有关规定


@dataclass(frozen=True, kw_only=True)
class PetitionOpinion:
    """信访处理意见书 (Art. 31 (6), 32, 35)."""

    petition: Petition
    issued_on: dt.date
    outcome: PetitionOutcome
    accepted_on: dt.date | None = None
    investigation: str = ""                 # 调查核实情况 (Art. 31 (6))
    facts_found: str = ""
    opinion: str = ""                       # the body's opinion in its own words
    legal_basis: str = ""                   # the provisions relied on (Art. 32)
    review_body: str = ""                   # the next-higher body for 复查 (Art. 35)


# ==========================================================================
# Blocks: the laid-out body shared by the PDF and the DOCX writers
# ==========================================================================

@dataclass(frozen=True)
class Run:
    """A stretch of text with emphasis (the heading face) or an underline."""

    text: str
    emphasis: bool = False
    underline: bool = False


Inline = str | Run


class ParaKind(enum.Enum):
    BODY = "body"          # first line indented two characters, justified
    FLUSH = "flush"        # no indent: addressee lines (主送), labels
    CENTER = "center"
    RIGHT = "right"
    HEADING = "heading"    # 一、 level heading in the heading face, indented two characters
    NOTE = "note"          # smaller text: notes at the foot of a form


@dataclass(frozen=True)
class Title:
    """The document's title, one centred line per entry."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class DocNumber:
    text: str
    align: str = "right"   # right (instruments) or center (GB/T 9704 发文字号)


@dataclass(frozen=True)
class Para:
    runs: tuple[Inline, ...]
    kind: ParaKind = ParaKind.BODY
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        return "".join(r if isinstance(r, str) else r.text for r in self.runs)


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    emphasis: bool = False
    align: str = "left"    # left / center
    min_lines: float = 1.0  # room to write by hand


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]               # relative column widths
    header_rows: int = 0
    borders: bool = True

    def __post_init__(self) -> None:
        for row in self.rows:
            if sum(c.span for c in row) != len(self.widths):
                raise ValueError(f"a table row spans {sum(c.span for c in row)} columns, not {len(self.widths)}")


@dataclass(frozen=True)
class SignatureBlock:
    """Signatures at the foot of a document.

    ``signers`` are rows of two labels, each followed by room to sign
    (``甲方（签名并按指印）：``).  ``issuer`` (with ``seal``) and ``date``
    follow: the date right-aligned four characters in from the margin and
    the issuer centred over it (GB/T 9704-2012 7.3.5.1).
    """

    signers: tuple[tuple[str, str], ...] = ()
    issuer: str = ""
    seal: str = ""
    date: str = ""


@dataclass(frozen=True)
class RoleLines:
    """Right-aligned ``role name`` lines: the arbitrators under an award."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Spacer:
    lines: float = 1.0


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class StatusCode:
    """一案一码 at the foot of a document handed to a party: a QR code of the
    public status link (an unguessable token, never a database id) with the
    link printed under it. ``url`` None: a preview, which carries no code."""

    url: str | None
    caption: str = "扫码查询办理进度（一案一码）"
    note: str = "本码只显示办理进度，不显示案件内容，请妥善保管。"
    preview_text: str = "正式打印时在此生成查询二维码"

    def lines(self) -> tuple[str, ...]:
        if self.url is None:
            return (self.caption, self.preview_text)
        return (self.caption, self.url, self.note)


Block = Title | DocNumber | Para | Table | SignatureBlock | RoleLines | Spacer | PageBreak | StatusCode


@dataclass(frozen=True)
class Document:
    """One laid-out document, ready for either writer."""

    kind: str
    title: str                              # metadata title
    blocks: tuple[Block, ...]
    author: str = ""

    def texts(self) -> list[str]:
        """Every text the document prints (for the glyph check)."""
        out: list[str] = [self.title]
        for block in self.blocks:
            if isinstance(block, Title):
                out.extend(block.lines)
            elif isinstance(block, DocNumber):
                out.append(block.text)
            elif isinstance(block, Para):
                out.append(block.text)
            elif isinstance(block, Table):
                out.extend(c.text for row in block.rows for c in row)
            elif isinstance(block, SignatureBlock):
                out.extend(t for pair in block.signers for t in pair)
                out.extend((block.issuer, block.seal, block.date))
            elif isinstance(block, RoleLines):
                out.extend(t for pair in block.rows for t in pair)
            elif isinstance(block, StatusCode):
                out.extend(block.lines())
        return out


# ==========================================================================
# Composing blocks: parties, numbered items (shared by every renderer)
# ==========================================================================

def body(*runs: Inline, keep_with_next: bool = False) -> Para:
    return Para(tuple(runs), ParaKind.BODY, keep_with_next)


def flush(*runs: Inline) -> Para:
    return Para(tuple(runs), ParaKind.FLUSH)


def heading(text: str) -> Para:
    return Para((text,), ParaKind.HEADING, True)


def note(text: str) -> Para:
    return Para((text,), ParaKind.NOTE)


def labelled(label: str, text: str) -> Para:
    """``label`` (in the heading face) followed by text: ``仲裁请求：……``.

    A label alone (the list follows) stays with what follows it.
    """
    return Para((Run(label, emphasis=True), text), ParaKind.BODY, keep_with_next=not text)


def numbered(items: Sequence[str], start: int = 1) -> list[Para]:
    """Items as ``一、…`` paragraphs."""
    return [body(f"{cn_ordinal(start + i)}{text}") for i, text in enumerate(items)]


def sentence(text: str) -> str:
    """Text ending with a full stop (or the closing punctuation it already has)."""
    text = text.strip()
    if not text or text.endswith(("。", "！", "？", "；", "：", "）", "」", "”")):
        return text
    return text + "。"


def _join(parts: Sequence[str]) -> str:
    return "，".join(p for p in parts if p)


def person_details(p: Person, on: dt.date | None = None, with_id: bool = True) -> str:
    """``男，汉族，1985年3月2日出生，工人，住……，公民身份号码……，联系电话……``."""
    if p.birth_date:
        born = f"{cn_date(p.birth_date)}出生"
    elif p.age is not None:
        born = f"{p.age}岁"
    else:
        born = ""
    parts = [p.sex, p.ethnicity, born, p.occupation]
    if p.work_unit:
        parts.append(f"工作单位：{p.work_unit}")
    if p.address:
        parts.append(f"住{p.address}")
    if p.mailing_address and p.mailing_address != p.address:
        parts.append(f"通讯地址：{p.mailing_address}")
    if with_id and p.id_number:
        parts.append(f"公民身份号码{p.id_number}")
    if p.phone:
        parts.append(f"联系电话{p.phone}")
    return _join(parts)


def organisation_details(o: Organisation) -> str:
    parts = []
    if o.credit_code:
        parts.append(f"统一社会信用代码{o.credit_code}")
    if o.address:
        parts.append(f"住所地{o.address}")
    if o.mailing_address and o.mailing_address != o.address:
        parts.append(f"通讯地址：{o.mailing_address}")
    if o.phone:
        parts.append(f"联系电话{o.phone}")
    return _join(parts)


def agent_line(a: Agent) -> str:
    parts = [a.name, a.description]
    if a.authority:
        parts.append(f"代理权限：{a.authority}")
    if a.phone:
        parts.append(f"联系电话{a.phone}")
    return f"{a.kind}：{_join(parts)}。"


def party_paragraphs(party: Party, label: str | None = None, with_id: bool = True) -> list[Para]:
    """A party as an instrument writes it: ``申请人：张三，男，……。`` then the
    legal representative and the agents, one paragraph each."""
    label = label or party.side
    if isinstance(party, Person):
        details = person_details(party, with_id=with_id)
        paras = [labelled(f"{label}：", f"{party.name}，{details}。" if details else f"{party.name}。")]
    else:
        details = organisation_details(party)
        paras = [labelled(f"{label}：", f"{party.name}，{details}。" if details else f"{party.name}。")]
        if party.legal_rep:
            rep = _join([party.legal_rep, party.legal_rep_title])
            paras.append(body(f"{party.legal_rep_label}：{rep}。"))
    paras.extend(body(agent_line(a)) for a in party.agents)
    return paras


def party_rows(party: Party) -> list[tuple[Cell, ...]]:
    """A party as rows of a four-column form: label, value, label, value."""
    side = party.side
    rows: list[tuple[Cell, ...]] = []
    if isinstance(party, Person):
        if party.birth_date:
            born_label, born = "出生日期", cn_date(party.birth_date)
        else:
            born_label, born = "年龄", (f"{party.age}岁" if party.age is not None else "")
        rows += [
            (Cell(side, emphasis=True), Cell(party.name), Cell("性别", emphasis=True), Cell(party.sex)),
            (Cell("民族", emphasis=True), Cell(party.ethnicity), Cell(born_label, emphasis=True), Cell(born)),
            (Cell("职业", emphasis=True), Cell(party.occupation), Cell("联系电话", emphasis=True), Cell(party.phone)),
        ]
        if party.id_number:
            rows.append((Cell("公民身份号码", emphasis=True), Cell(party.id_number, span=3)))
        rows.append((Cell("住址", emphasis=True), Cell(party.address, span=3)))
    else:
        rows += [
            (Cell(side, emphasis=True), Cell(party.name, span=3)),
        ]
        if party.credit_code:
            rows.append((Cell("统一社会信用代码", emphasis=True), Cell(party.credit_code, span=3)))
        rows += [
            (Cell("住所", emphasis=True), Cell(party.address, span=3)),
            (Cell(party.legal_rep_label, emphasis=True), Cell(party.legal_rep),
             Cell("职务", emphasis=True), Cell(party.legal_rep_title)),
        ]
        if party.phone:
            rows.append((Cell("联系电话", emphasis=True), Cell(party.phone, span=3)))
    for agent in party.agents:
        rows.append((Cell(agent.kind, emphasis=True), Cell(agent_line(agent).split("：", 1)[1], span=3)))
    return rows


#: label, value, label, value: the first label column holds 统一社会信用代码 on one line.
PARTY_TABLE_WIDTHS = (3.3, 3.5, 2.0, 3.2)


def party_table(parties: Sequence[Party]) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for party in parties:
        rows.extend(party_rows(party))
    return Table(tuple(rows), PARTY_TABLE_WIDTHS)


# ---------------------------------------------------------------------------
# decisions and notices of the procedure (Art. 28, 33, 36, 41, 43)


@dataclass(frozen=True, kw_only=True)
class ExtensionNotice:
    """延长审理期限通知书 (Art. 43 (1)): approved by the commission's chair, at most fifteen days."""

    case: ArbitrationCase
    issued_on: dt.date
    approved_on: dt.date
    approved_by: str
    reason: str
    days: int
    original_due: dt.date
    new_due: dt.date

    def __post_init__(self) -> None:
        if not self.approved_by.strip() or not self.reason.strip():
            raise ValueError("an extension names its approver and its reason (Art. 43)")
        if not 0 < self.days <= 15:
            raise ValueError("an extension is at most fifteen days (Art. 43)")


@dataclass(frozen=True, kw_only=True)
class WithdrawalDecision:
    """决定书 on a withdrawal (Art. 41) or a deemed withdrawal (Art. 36 (1))."""

    case: ArbitrationCase
    issued_on: dt.date
    deemed: bool
    facts: str                              # what happened (the application to withdraw / the absence)
    hearing_on: dt.date | None = None       # deemed: the hearing the applicant did not attend
    notice_served_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.facts.strip():
            raise ValueError("a withdrawal decision states what happened")
        if self.deemed and (self.hearing_on is None or self.notice_served_on is None):
            raise ValueError("a deemed withdrawal names the hearing and the notice served (Art. 36)")


@dataclass(frozen=True, kw_only=True)
class RecusalDecision:
    """回避决定书 (Art. 33): who applied, on which ground, the decision and any replacement."""

    case: ArbitrationCase
    issued_on: dt.date
    member: str
    member_role: str
    applied_by: str
    applied_on: dt.date
    ground: str
    ground_basis: str
    granted: bool
    reason: str
    decided_by: str
    replacement: str = ""

    def __post_init__(self) -> None:
        if self.granted and not self.replacement.strip():
            raise ValueError("a granted recusal names the replacement arbitrator")
        if not self.reason.strip():
            raise ValueError("a recusal decision states its reason")


@dataclass(frozen=True, kw_only=True)
class OralApplicationRecord:
    """口头申请笔录 (Art. 28 (3)): the commission records an oral application."""

    case: ArbitrationCase
    recorded_at: dt.datetime
    place: str
    recorder: str
