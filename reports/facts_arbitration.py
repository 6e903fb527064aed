"""The facts of a labour-arbitration case's documents, as the arbitration service builds them.

``hall.services.arbitration.document_facts`` builds one :class:`ArbitrationFacts`
for one document kind of a case, as the actor may see the case (an ID or
phone number the actor may not see is masked by the service and left off
here). The facts hold what every document of the case prints (the parties,
their agents, the claims, the tribunal) and the parts of the document asked
for: the hearing, the postponement, the award (Art. 46, and the part of a
partly final award, Art. 47), the extension of the time limit, the recusal
decision, the withdrawal ...

:meth:`ArbitrationFacts.document` gives the :mod:`reports.docmodel` input of
each kind of :data:`ARBITRATION_KINDS`, or raises
:class:`~reports.facts.MissingFacts` saying, in Chinese, what is missing.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from hall.domain import money as rmb
from reports.docmodel import (
    AcceptanceNotice,
    Agent,
    AgreementTerm,
    ApplicationReceipt,
    ArbitralMediation,
    ArbitrationCase,
    Award,
    AwardItem,
    Claim,
    CorrectionNotice,
    Evidence,
    ExtensionNotice,
    Hearing,
    HearingNotice,
    HearingRecord,
    Material,
    OralApplicationRecord,
    Organisation,
    Participant,
    Person,
    PostponementNotice,
    RecordSection,
    RecusalDecision,
    RejectionNotice,
    ResponseNotice,
    ServiceReceipt,
    Statement,
    Tribunal,
    TribunalNotice,
    WithdrawalDecision,
    Witness,
    cn_date,
)
from reports.facts import CentreProfile, MissingFacts, full_number, speaker_lines
from reports.facts import text_lines as _lines

__all__ = [
    "ARBITRATION_KINDS", "ArbitrationDocument", "ArbitrationParty", "ArbitrationAgent", "ClaimAmount",
    "ArbitrationClaim", "EvidenceItem", "WitnessItem", "Arbitrator", "HearingFacts", "PostponementFacts",
    "RefusalFacts", "CorrectionFacts", "ReceiptFacts", "SettlementFacts", "AwardFacts", "ExtensionFacts",
    "WithdrawalFacts", "RecusalFacts", "ArbitrationFacts", "served_documents_for", "with_capitals",
    "speaker_lines",
]

#: registry kind -> key of ``hall.domain.arbitration.DOCUMENT_KINDS`` (document_facts, 送达 records).
ARBITRATION_KINDS: dict[str, str] = {
    "arbitration_receipt": "receipt",
    "arbitration_correction": "supplement_notice",
    "arbitration_acceptance": "acceptance_notice",
    "arbitration_rejection": "refusal_notice",
    "arbitration_response_notice": "response_notice",
    "arbitration_tribunal_notice": "tribunal_notice",
    "arbitration_hearing_notice": "hearing_notice",
    "arbitration_postponement": "postponement_notice",
    "arbitration_hearing_record": "hearing_record",
    "arbitration_mediation_statement": "mediation_statement",
    "arbitration_award": "award",
    "arbitration_service_receipt": "service_receipt",
    "arbitration_extension_notice": "extension_notice",
    "arbitration_withdrawal_decision": "withdrawal_decision",
    "arbitration_recusal_decision": "recusal_decision",
    "arbitration_oral_application": "oral_application_record",
}

ArbitrationDocument = (
    ApplicationReceipt | CorrectionNotice | AcceptanceNotice | RejectionNotice | ResponseNotice | TribunalNotice
    | HearingNotice | PostponementNotice | HearingRecord | ArbitralMediation | Award | ExtensionNotice
    | WithdrawalDecision | RecusalDecision | OralApplicationRecord | ServiceReceipt
)

_CAUSES = {"remuneration": "劳动报酬争议", "compensation": "经济补偿争议", "damages": "赔偿金争议",
           "injury_medical": "工伤医疗费争议", "confirm_relation": "确认劳动关系争议",
           "social_insurance": "社会保险争议", "dismissal": "辞退争议"}

_SIDE_WORDS = {"applicant": "申请人", "respondent": "被申请人", "tribunal": "", "worker": "劳动者",
               "employer": "用人单位"}

_TITLES = {"receipt": "收件回执", "supplement_notice": "补正通知书", "acceptance_notice": "受理通知书",
           "refusal_notice": "不予受理通知书", "response_notice": "应诉通知书", "application_copy": "仲裁申请书副本",
           "defence_copy": "答辩书副本", "tribunal_notice": "仲裁庭组成通知书", "hearing_notice": "开庭通知书",
           "postponement_notice": "延期开庭通知书", "mediation_statement": "仲裁调解书", "award": "仲裁裁决书",
           "extension_notice": "延长审理期限通知书", "withdrawal_decision": "决定书"}


# ==========================================================================
# free text
# ==========================================================================

def _items(text: str) -> list[str]:
    """The numbered items of a free text: one per line, without their own numbers (1. / 一、 / （一）)."""
    out = []
    for line in _lines(text):
        line = re.sub(r"^\s*(?:[0-9]+[.、．)]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*", "", line)
        if line:
            out.append(line)
    return out


_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?元(?!（大写)")


def with_capitals(text: str) -> str:
    """Every ``12000元`` of a free text as ``12,000.00元（大写：人民币壹万贰仟元整）``.

    A figure already followed by its capitals is left as it is.
    """
    def repl(m: re.Match[str]) -> str:
        amount = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        return rmb.figures_and_capitals(amount)

    return _AMOUNT.sub(repl, text or "")


def _decimal(figures: str) -> Decimal | None:
    text = figures.replace(",", "").replace("，", "").removesuffix("元").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _wall(moment: dt.datetime) -> dt.datetime:
    """A hall time as printed: the wall clock to the minute."""
    return dt.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute)


# ==========================================================================
# the case
# ==========================================================================

@dataclass(frozen=True, kw_only=True)
class ArbitrationParty:
    """The worker, the employer or a third party, as recorded (numbers possibly masked)."""

    name: str
    organisation: bool = False
    sex: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    occupation: str = ""
    work_unit: str = ""
    address: str = ""
    mailing_address: str = ""
    phone: str = ""
    id_number: str = ""
    credit_code: str = ""
    legal_rep: str = ""
    legal_rep_title: str = ""

    def party(self, label: str, agents: tuple[Agent, ...] = ()) -> Person | Organisation:
        """The party printed as ``label`` (申请人 / 被申请人 / 第三人)."""
        if self.organisation:
            return Organisation(side=label, name=self.name.strip(), credit_code=self.credit_code.strip(),
                                address=self.address.strip(), mailing_address=self.mailing_address.strip(),
                                phone=full_number(self.phone), legal_rep=self.legal_rep.strip(),
                                legal_rep_title=self.legal_rep_title.strip(), agents=agents)
        return Person(side=label, name=self.name.strip(), sex=self.sex.strip(), ethnicity=self.ethnicity.strip(),
                      birth_date=self.birth_date, occupation=self.occupation.strip(),
                      work_unit=self.work_unit.strip(), address=self.address.strip(),
                      mailing_address=self.mailing_address.strip(), phone=full_number(self.phone),
                      id_number=full_number(self.id_number), agents=agents)


@dataclass(frozen=True, kw_only=True)
class ArbitrationAgent:
    """Someone acting for a party; ``acts_for`` is ``applicant``/``respondent`` or ``worker``/``employer``."""

    name: str
    acts_for: str
    statutory: bool = False                 # 法定代理人; else 委托代理人
    description: str = ""                   # work unit or relation to the party
    authority: str = ""
    phone: str = ""

    def agent(self) -> Agent:
        return Agent(name=self.name, kind="法定代理人" if self.statutory else "委托代理人",
                     description=self.description, authority=self.authority, phone=full_number(self.phone))


@dataclass(frozen=True, kw_only=True)
class ClaimAmount:
    """An amount in figures (``12,000.00``) and capitals (``人民币壹万贰仟元整``; empty when not computed)."""

    figures: str
    words: str = ""


@dataclass(frozen=True, kw_only=True)
class ArbitrationClaim:
    """One request of the application (仲裁请求), with what the award gave."""

    index: int
    kind: str = ""                          # remuneration, compensation ... ("" for other)
    kind_label: str = ""
    description: str = ""
    amount: ClaimAmount | None = None
    awarded: ClaimAmount | None = None
    result: str = ""

    def claim(self) -> Claim:
        text = (self.description or self.kind_label).strip()
        money = self.amount
        if money is not None:
            amount = _decimal(money.figures)
            if amount is not None:
                return Claim(text=text, amount=amount, amount_capitals=money.words or None)
            text += f"{money.figures}元"
        return Claim(text=text)


@dataclass(frozen=True, kw_only=True)
class EvidenceItem:
    name: str
    source: str = ""
    purpose: str = ""


@dataclass(frozen=True, kw_only=True)
class WitnessItem:
    name: str
    address: str = ""


@dataclass(frozen=True, kw_only=True)
class Arbitrator:
    name: str
    role: str                               # presiding / member / sole


def _tribunal(members: Sequence[Arbitrator], clerk: str) -> Tribunal | None:
    if not members:
        return None
    sole = [m.name for m in members if m.role == "sole"]
    presiding = [m.name for m in members if m.role == "presiding"]
    others = tuple(m.name for m in members if m.role == "member")
    try:
        if sole:
            return Tribunal(sole=sole[0], clerk=clerk)
        return Tribunal(presiding=presiding[0] if presiding else "", members=others, clerk=clerk)
    except ValueError:
        raise MissingFacts("仲裁庭组成不完整（应为首席仲裁员和两名仲裁员，或者独任仲裁员）") from None


def _cause(claims: Sequence[ArbitrationClaim]) -> str:
    kinds = {c.kind for c in claims}
    if len(kinds) == 1:
        return _CAUSES.get(next(iter(kinds)), "劳动争议")
    return "劳动争议"


# ==========================================================================
# the parts of the documents
# ==========================================================================

@dataclass(frozen=True, kw_only=True)
class HearingFacts:
    """One hearing (开庭), at hall time, with its record once held."""

    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str
    state: str                              # scheduled / held / postponed / cancelled
    record_text: str = ""
    applicant_present: bool | None = None
    respondent_present: bool | None = None


@dataclass(frozen=True, kw_only=True)
class PostponementFacts:
    """The postponement a 延期开庭通知书 tells of: the hearing put off and the decision."""

    previous_starts_at: dt.datetime | None = None     # the hearing put off, when a new one is set
    requested_by: str = ""                  # applicant / respondent / tribunal
    reason: str = ""
    decision: str = ""                      # 准许延期 / 不准许延期; "" when not recorded
    decided_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiptFacts:
    """What was handed in at the counter (收件回执)."""

    materials: tuple[str, ...]
    missing_items: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CorrectionFacts:
    """The last 补正通知书: what is to be supplied."""

    items: tuple[str, ...]
    notice_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class RefusalFacts:
    """The decision not to accept (不予受理)."""

    refused_on: dt.date | None
    reasons: str


@dataclass(frozen=True, kw_only=True)
class SettlementFacts:
    """A case closed by mediation (仲裁调解书)."""

    terms: str
    made_on: dt.date | None


@dataclass(frozen=True, kw_only=True)
class AwardFacts:
    """An award (第四十六条), or one part of a partly final one (第四十七条)."""

    made_on: dt.date | None
    result: str
    reasons: str = ""
    facts_found: str = ""
    costs: str = ""
    final: bool = False
    part_label: str = ""                    # 终局裁决事项 / 非终局裁决事项 for one part of a split award
    #: the award was split into two documents and the whole one was asked for.
    choose_part: bool = False
    defence_summary: str = ""
    default: bool = False                   # 缺席裁决


@dataclass(frozen=True, kw_only=True)
class ExtensionFacts:
    """The approved extension of the time limit for the award (第四十三条第一款)."""

    approved_by: str
    approved_on: dt.date
    reason: str = ""
    days: int = 15
    original_due: dt.date | None = None
    new_due: dt.date


@dataclass(frozen=True, kw_only=True)
class WithdrawalFacts:
    """A withdrawal (第四十一条) or a withdrawal deemed for absence (第三十六条第一款)."""

    outcome: str                            # withdrawn / deemed_withdrawn (else no decision)
    decided_on: dt.date | None
    reasons: str = ""
    hearing_on: dt.date | None = None
    notice_served_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class RecusalFacts:
    """A decided application for an arbitrator's recusal (第三十三条)."""

    member: str
    role_label: str = "仲裁员"
    applied_by_label: str = ""
    applied_on: dt.date
    ground_text: str = ""
    basis: str = ""
    granted: bool
    reason: str = ""
    decided_by: str = ""
    decided_on: dt.date
    replacement: str = ""


def served_documents_for(state: Mapping[str, object], side: str) -> tuple[str, ...]:
    """What a 送达回证 is for at a case's stage: the award or mediation statement once made, else the
    notice of the next hearing, the tribunal notice, and after acceptance the acceptance notice (applicant)
    or the response notice with the copy of the application (respondent).

    ``state`` holds ``outcome``, ``hearing`` (a scheduled hearing exists), ``tribunal`` and ``accepted``.
    """
    outcome = str(state.get("outcome") or "")
    if outcome in ("award", "default_award"):
        return ("award",)
    if outcome == "mediation_statement":
        return ("mediation_statement",)
    if state.get("hearing"):
        return ("hearing_notice",)
    if state.get("tribunal"):
        return ("tribunal_notice",)
    if side == "respondent":
        return ("response_notice", "application_copy")
    return ("acceptance_notice",) if state.get("accepted") else ("receipt",)


def _hearing(starts_at: dt.datetime, room: str, address: str) -> Hearing:
    return Hearing(starts_at=_wall(starts_at), room=room, address=address)


def _addressee(case: ArbitrationCase, side: str | None, default: str = "applicant") -> Person | Organisation:
    side = side or default
    if side == "applicant":
        return case.applicants[0]
    if side == "respondent":
        return case.respondents[0]
    raise MissingFacts(f"受送达人应为申请人（applicant）或被申请人（respondent），不是“{side}”")


# ==========================================================================
# the facts
# ==========================================================================

@dataclass(frozen=True, kw_only=True)
class ArbitrationFacts:
    """One labour-arbitration case as one of its documents needs it.

    Before acceptance the case has no 案号: its documents carry the 收件号.
    The parts (``hearing``, ``award`` ...) are given for the document kind
    the facts were gathered for and ``None`` otherwise.
    """

    profile: CentreProfile
    kind: str                               # key of hall.domain.arbitration.DOCUMENT_KINDS
    title: str = ""                         # 仲裁裁决书 ...
    basis: str = ""                         # the articles the document rests on
    case_number: str
    receipt_number: str
    date: dt.date | None                    # the day the document is made
    applicant_side: str                     # worker / employer
    worker: ArbitrationParty
    employer: ArbitrationParty
    other_parties: tuple[ArbitrationParty, ...] = ()
    agents: tuple[ArbitrationAgent, ...] = ()
    claims: tuple[ArbitrationClaim, ...] = ()
    facts_reasons: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    witnesses: tuple[WitnessItem, ...] = ()
    received_on: dt.date | None = None
    accepted_on: dt.date | None = None
    tribunal: tuple[Arbitrator, ...] = ()
    simplified: bool = False
    channel: str = ""                       # written / oral
    received_at: dt.datetime | None = None  # when the application came in (hall time)
    recorder: str = ""                      # who records the hearing (庭审笔录)
    # the document's own parts
    receipt: ReceiptFacts | None = None
    correction: CorrectionFacts | None = None
    refusal: RefusalFacts | None = None
    hearing: HearingFacts | None = None
    postponement: PostponementFacts | None = None
    settlement: SettlementFacts | None = None
    award: AwardFacts | None = None
    extension: ExtensionFacts | None = None
    withdrawal: WithdrawalFacts | None = None
    recusal: RecusalFacts | None = None

    @property
    def number(self) -> str:
        """The 案号, or the 收件号 before acceptance."""
        return self.case_number or self.receipt_number

    @property
    def applicant(self) -> ArbitrationParty:
        return self.worker if self.applicant_side == "worker" else self.employer

    @property
    def respondent(self) -> ArbitrationParty:
        return self.employer if self.applicant_side == "worker" else self.worker

    def _agents(self, side: str, role: str) -> tuple[Agent, ...]:
        return tuple(a.agent() for a in self.agents if a.name and a.acts_for in (side, role))

    def case(self, *, clerk: str = "") -> ArbitrationCase:
        """The :class:`ArbitrationCase`; ``clerk`` is the 书记员 named under the tribunal."""
        applicant, respondent = self.applicant, self.respondent
        if not applicant.name or not respondent.name:
            raise MissingFacts("仲裁案件缺少申请人或被申请人")
        app_role = "worker" if self.applicant_side == "worker" else "employer"
        resp_role = "employer" if app_role == "worker" else "worker"
        return ArbitrationCase(
            centre=self.profile.centre(),
            number=self.number,
            applicants=(applicant.party("申请人", self._agents("applicant", app_role)),),
            respondents=(respondent.party("被申请人", self._agents("respondent", resp_role)),),
            third_parties=tuple(p.party("第三人") for p in self.other_parties if p.name),
            cause=_cause(self.claims),
            claims=tuple(c.claim() for c in self.claims if c.description or c.amount is not None),
            facts_reasons=self.facts_reasons,
            evidence=tuple(Evidence(name=e.name, source=e.source, purpose=e.purpose)
                           for e in self.evidence if e.name),
            witnesses=tuple(Witness(name=w.name, address=w.address) for w in self.witnesses if w.name),
            received_on=self.received_on,
            accepted_on=self.accepted_on,
            tribunal=_tribunal(self.tribunal, clerk),
            simplified=self.simplified,
        )

    def _served(self, kinds: Sequence[str] | str | None, side: str) -> tuple[str, ...]:
        number = self.number
        if kinds is None:
            kinds = served_documents_for({"outcome": "award" if self.award and self.award.made_on else "",
                                          "hearing": self.hearing is not None, "tribunal": bool(self.tribunal),
                                          "accepted": bool(self.accepted_on)}, side)
        elif isinstance(kinds, str):
            kinds = (kinds,)
        out = []
        for k in kinds:
            title = _TITLES.get(k) or k
            out.append(f"{title}（{number}）" if number else title)
        return tuple(out)

    def document(self, kind: str, *, side: str | None = None, clerk: str = "",
                 received_at: dt.datetime | None = None, served_document: str | Sequence[str] | None = None,
                 service_method: str = "直接送达") -> ArbitrationDocument:
        """The docmodel input of an arbitration ``kind`` (a key of :data:`ARBITRATION_KINDS`).

        ``side`` (``applicant``/``respondent``) picks the addressee of a notice to
        one party (hearing, postponement, response, service receipt); ``clerk`` is
        the clerk who receives, signs or records; ``received_at`` the moment the
        application was handed in (收件回执); ``served_document`` the kinds a
        送达回证 is for (default: what the case's stage calls for).
        """
        if kind not in ARBITRATION_KINDS:
            raise MissingFacts(f"“{kind}”不是劳动人事争议仲裁文书")
        recorder = self.recorder if kind == "arbitration_hearing_record" else ""
        case = self.case(clerk=recorder or clerk)
        today = self.date
        if today is None:
            raise MissingFacts("缺少文书日期，不能出具文书")
        number = self.case_number

        if kind == "arbitration_receipt":
            moment = received_at or self.received_at
            if moment is None:
                raise MissingFacts("缺少收件时间，不能出具收件回执")
            got = self.receipt
            # The application (or the record of an oral one) is handed in as the original; evidence as copies.
            materials = tuple(Material(name=m, original=m.endswith(("申请书", "申请笔录")))
                              for m in (got.materials if got else ()) if m)
            if got is None or not materials:
                raise MissingFacts("没有收到的材料，不能出具收件回执")
            return ApplicationReceipt(case=case, received_at=moment, materials=materials,
                                      receipt_number=self.receipt_number, receiver=clerk,
                                      complete=not got.missing_items)
        if kind == "arbitration_correction":
            items = tuple(i for i in (self.correction.items if self.correction else ()) if i.strip())
            if self.correction is None or not items:
                raise MissingFacts("本案没有需要补正的材料，不能出具补正通知书")
            return CorrectionNotice(case=case, issued_on=self.correction.notice_on or today, items=items)
        if kind == "arbitration_acceptance":
            if not number or not case.accepted_on:
                raise MissingFacts("案件尚未受理，不能出具受理通知书")
            contact = "，".join(x for x in (clerk, case.centre.phone) if x)
            return AcceptanceNotice(case=case, issued_on=case.accepted_on, contact=contact)
        if kind == "arbitration_rejection":
            refused = self.refusal.refused_on if self.refusal else None
            reasons = tuple(_lines(self.refusal.reasons if self.refusal else "", split_semicolons=True))
            if refused is None or not reasons:
                raise MissingFacts("本案未作不予受理决定，不能出具不予受理通知书")
            return RejectionNotice(case=case, issued_on=refused, reasons=reasons)
        if kind == "arbitration_response_notice":
            if not number:
                raise MissingFacts("案件尚未受理，不能出具应诉通知书")
            contact = "，".join(x for x in (clerk, case.centre.phone) if x)
            return ResponseNotice(case=case, issued_on=today, respondent=_addressee(case, side, "respondent"),
                                  contact=contact)
        if kind == "arbitration_tribunal_notice":
            if case.tribunal is None:
                raise MissingFacts("本案尚未组成仲裁庭，不能出具仲裁庭组成通知书")
            return TribunalNotice(case=case, issued_on=today,
                                  addressee=_addressee(case, side) if side else None)
        if kind in ("arbitration_hearing_notice", "arbitration_postponement", "arbitration_hearing_record"):
            return self._hearing_document(kind, case, today, side)
        if kind == "arbitration_mediation_statement":
            s = self.settlement
            if s is None or not s.terms.strip() or s.made_on is None:
                raise MissingFacts("本案未以调解结案，不能出具仲裁调解书")
            terms = tuple(AgreementTerm(content=with_capitals(t)) for t in _items(s.terms))
            return ArbitralMediation(case=case, terms=terms, issued_on=s.made_on)
        if kind == "arbitration_award":
            return self._award(case)
        if kind == "arbitration_extension_notice":
            ext = self.extension
            if ext is None or not ext.approved_by:
                raise MissingFacts("本案没有经批准的延长审理期限，不能出具延长审理期限通知书")
            return ExtensionNotice(case=case, issued_on=ext.approved_on, approved_on=ext.approved_on,
                                   approved_by=ext.approved_by, reason=ext.reason, days=ext.days,
                                   original_due=ext.original_due or ext.new_due, new_due=ext.new_due)
        if kind == "arbitration_withdrawal_decision":
            w = self.withdrawal
            if w is None or w.outcome not in ("withdrawn", "deemed_withdrawn") or w.decided_on is None:
                raise MissingFacts("本案没有撤回或者视为撤回仲裁申请，不能出具决定书")
            if w.outcome == "withdrawn":
                what = w.reasons.strip()
                text = f"申请人于{cn_date(w.decided_on)}向本委申请撤回仲裁申请" + (f"，理由是：{what}" if what else "")
                return WithdrawalDecision(case=case, issued_on=w.decided_on, deemed=False, facts=text)
            return WithdrawalDecision(case=case, issued_on=w.decided_on, deemed=True,
                                      facts=w.reasons or "无正当理由拒不到庭",
                                      hearing_on=w.hearing_on, notice_served_on=w.notice_served_on)
        if kind == "arbitration_recusal_decision":
            r = self.recusal
            if r is None:
                raise MissingFacts("本案没有已作出的回避决定，不能出具回避决定书")
            return RecusalDecision(case=case, issued_on=r.decided_on, member=r.member,
                                   member_role=r.role_label or "仲裁员", applied_by=r.applied_by_label,
                                   applied_on=r.applied_on, ground=r.ground_text, ground_basis=r.basis,
                                   granted=r.granted, reason=r.reason, decided_by=r.decided_by,
                                   replacement=r.replacement)
        if kind == "arbitration_oral_application":
            if self.channel != "oral":
                raise MissingFacts("本案是书面申请，没有口头申请笔录")
            moment = received_at or self.received_at
            if moment is None:
                raise MissingFacts("缺少收件时间，不能制作口头申请笔录")
            if not case.claims or not case.facts_reasons.strip():
                raise MissingFacts("口头申请笔录须记明仲裁请求和所根据的事实、理由（第二十八条）")
            return OralApplicationRecord(case=case, recorded_at=moment,
                                         place=case.centre.address or case.centre.name,
                                         recorder=clerk or self.recorder)
        # service receipt
        party = _addressee(case, side)
        return ServiceReceipt(case=case, documents=self._served(served_document, side or "applicant"),
                              recipient=party.name, address=party.mailing_address or party.address,
                              method=service_method, server=clerk, issued_on=today)

    def _hearing_document(self, kind: str, case: ArbitrationCase, today: dt.date,
                          side: str | None) -> HearingNotice | PostponementNotice | HearingRecord:
        h = self.hearing
        if h is None:
            raise MissingFacts("本案没有安排开庭")
        room, address = h.room, case.centre.address
        hearing = _hearing(h.starts_at, room, address)
        if kind == "arbitration_hearing_notice":
            return HearingNotice(case=case, addressee=_addressee(case, side), hearing=hearing, issued_on=today)
        if kind == "arbitration_postponement":
            record = self.postponement or PostponementFacts()
            new: Hearing | None
            if record.previous_starts_at is not None:
                original, new = _hearing(record.previous_starts_at, room, address), hearing
            elif h.state == "postponed":
                original, new = hearing, None
            else:
                raise MissingFacts("该次开庭没有延期，不能出具延期开庭通知书")
            if record.decision and record.decision != "准许延期":
                raise MissingFacts("延期开庭请求未获准许，不能出具延期开庭通知书")
            return PostponementNotice(case=case, addressee=_addressee(case, side), original=original, new=new,
                                      issued_on=record.decided_on or today, reason=record.reason,
                                      requested_by=_SIDE_WORDS.get(record.requested_by, ""))
        attendees = []
        if h.applicant_present is not False:
            attendees.append(Participant(name=case.applicants[0].name, role="申请人"))
        if h.respondent_present is not False:
            attendees.append(Participant(name=case.respondents[0].name, role="被申请人"))
        if not h.record_text.strip():
            raise MissingFacts("该次开庭尚无庭审记录，不能出具庭审笔录")
        entries = tuple(Statement(speaker=s, text=t) for s, t in speaker_lines(h.record_text))
        return HearingRecord(case=case, hearing=hearing, ended_at=_wall(h.ends_at), attendees=tuple(attendees),
                             sections=(RecordSection(title="庭审情况", entries=entries),))

    def _award(self, case: ArbitrationCase) -> Award:
        a = self.award
        made = a.made_on if a else None
        result = _items(a.result) if a else []
        if a is None or made is None or not result:
            raise MissingFacts("本案尚未作出裁决，不能出具仲裁裁决书")
        if case.tribunal is None:
            raise MissingFacts("本案没有仲裁庭，不能出具仲裁裁决书")
        if a.choose_part:
            raise MissingFacts("本案裁决既有终局裁决事项又有非终局裁决事项，已分别制作两份裁决书："
                               "请选择“终局裁决事项”或者“非终局裁决事项”（第四十七条）")
        missing = [label for value, label in ((a.facts_found, "经审理查明的事实"), (a.reasons, "裁决理由"),
                                              (a.costs, "仲裁费用的承担"))
                   if not value.strip()]
        if missing:
            raise MissingFacts("裁决书缺少" + "、".join(missing) + "（《劳动争议调解仲裁法》第四十六条），不能出具")
        return Award(case=case, issued_on=made, result=tuple(AwardItem(text=with_capitals(r)) for r in result),
                     final=a.final, part_label=a.part_label, applicant_statement=case.facts_reasons,
                     reasons=a.reasons, facts_found=a.facts_found, costs=a.costs,
                     respondent_defence=a.defence_summary, respondent_absent=a.default)
