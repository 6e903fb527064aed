"""The facts of a people's mediation case's documents, as the mediation service builds them.

``hall.services.documents.document_facts`` builds one :class:`MediationFacts`
from a case as the actor may see it: the case, its parties (ID and phone
numbers the actor may not see are masked and left off here), the chosen
version of the agreement with its terms, the sessions with their minutes,
the failure, the follow-ups and the bookings. :meth:`MediationFacts.document`
gives the :mod:`reports.docmodel` input of each mediation kind of
:data:`reports.registry.KINDS` (the 调解协议书, 调解笔录, 登记表, 权利义务告知书,
回访记录, 终止调解告知书, 调解通知书), or raises :class:`~reports.facts.MissingFacts`.

Parties are labelled as the documents of people's mediation label them:
甲方 for the applicants, 乙方 for the respondents, 丙方 for third parties (one
letter per side present), 甲方一、甲方二 when a side has several.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reports.docmodel import (
    Agent,
    Agreement,
    AgreementTerm,
    AttendanceNotice,
    FollowUp,
    MediationCase,
    MinutesResult,
    Organisation,
    Participant,
    Person,
    Registration,
    RightsNotice,
    SessionMinutes,
    Signatories,
    Statement,
    Termination,
    cn_numeral,
)
from reports.facts import CentreProfile, MissingFacts, full_number
from reports.facts import speaker_lines as _speaker_lines
from reports.facts import text_lines as _lines

#: what :meth:`MediationFacts.document` gives, one type per kind.
MediationDocument = (Agreement | SessionMinutes | Registration | RightsNotice | FollowUp | AttendanceNotice
                     | Termination)

__all__ = [
    "MEDIATION_KINDS", "MediationDocument", "mediation_side_labels", "MediationAgent", "MediationParty", "MediationTerm",
    "MediationSignoff", "MediationAgreement", "MinutesStatement", "MediationMinutes", "SessionParticipant",
    "MediationSession", "MediationTermination", "MediationFollowUp", "MediationBooking", "MediationFacts",
]

#: registry kind -> the kind the mediation service and the document registry use.
MEDIATION_KINDS: dict[str, str] = {
    "mediation_agreement": "agreement",
    "mediation_minutes": "minutes",
    "mediation_registration": "registration",
    "mediation_rights_notice": "mediation_rights_notice",
    "mediation_follow_up": "follow_up",
    "mediation_termination": "termination",
    "mediation_attendance_notice": "attendance_notice",
}

_LETTERS = "甲乙丙丁戊己庚辛壬癸"
_SIDE_ORDER = {"applicant": 0, "respondent": 1, "third": 2}
_SUBJECT_WORDS = ("甲方", "乙方", "丙方", "丁方", "申请人", "被申请人", "第三人", "双方", "各方", "当事人", "由")
_FORMS = {"当事人申请": "当事人申请", "主动调解": "主动调解", "委托移送": "委托移送"}
_DECLINED = ("declined", "rejected", "refused")


def mediation_side_labels(sides: Iterable[str]) -> list[str]:
    """甲方 for the applicants, 乙方 for the respondents, 丙方 for third parties
    (one letter per side present, in that order); 甲方一、甲方二 when a side has several.

    ``sides``: each party's side (``applicant`` / ``respondent`` / ``third``), in the parties' order.
    """
    order = [_SIDE_ORDER.get(side, 3) for side in sides]
    letter = {s: _LETTERS[i] + "方" for i, s in enumerate(sorted(set(order)))}
    counts: dict[int, int] = {}
    for s in order:
        counts[s] = counts.get(s, 0) + 1
    seen: dict[int, int] = {}
    out = []
    for s in order:
        seen[s] = seen.get(s, 0) + 1
        out.append(letter[s] + (cn_numeral(seen[s]) if counts[s] > 1 else ""))
    return out


# ================================================================ the parties
@dataclass(frozen=True, kw_only=True)
class MediationAgent:
    """A party's agent (委托代理人) as recorded (the phone number possibly masked)."""

    name: str
    relation: str = ""                      # 律师 / 申请人之子
    scope_label: str = ""                   # 一般授权 / 特别授权
    authorisation: str = ""                 # what a special authorisation covers
    phone: str = ""

    def agent(self) -> Agent:
        scope = self.scope_label.strip()
        authorisation = self.authorisation.strip()
        authority = scope
        if authorisation:
            authority = f"{scope}（{authorisation}）" if scope else authorisation
        return Agent(name=self.name.strip(), kind="委托代理人", description=self.relation.strip(),
                     authority=authority, phone=full_number(self.phone))


@dataclass(frozen=True, kw_only=True)
class MediationParty:
    """A party as recorded (ID and phone numbers possibly masked)."""

    side: str                               # applicant / respondent / third
    kind: str                               # person / organisation
    name: str
    sex: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    age: int | None = None
    occupation: str = ""
    address: str = ""
    phone: str = ""
    id_number: str = ""
    credit_code: str = ""
    legal_rep: str = ""
    legal_rep_title: str = ""
    agents: tuple[MediationAgent, ...] = ()

    def party(self, label: str) -> Person | Organisation:
        """The party printed on a document, labelled ``label`` (甲方, 乙方一 ...)."""
        agents = tuple(a.agent() for a in self.agents)
        if self.kind == "organisation":
            return Organisation(side=label, name=self.name.strip(), credit_code=self.credit_code.strip(),
                                address=self.address.strip(), phone=full_number(self.phone),
                                legal_rep=self.legal_rep.strip(), legal_rep_title=self.legal_rep_title.strip(),
                                agents=agents)
        return Person(side=label, name=self.name.strip(), sex=self.sex.strip(), ethnicity=self.ethnicity.strip(),
                      birth_date=self.birth_date, age=self.age, occupation=self.occupation.strip(),
                      address=self.address.strip(), phone=full_number(self.phone),
                      id_number=full_number(self.id_number), agents=agents)


# ================================================================ the agreement
@dataclass(frozen=True, kw_only=True)
class MediationTerm:
    """One term of an agreement: who does what for whom, how much, how and by when."""

    content: str
    obligor: str = ""                       # the name of the party bound
    obligee: str = ""                       # the name of the party it is for
    amount: Decimal | None = None
    amount_capitals: str = ""
    method: str = ""
    due_date: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class MediationSignoff:
    """A signature or seal on the agreement."""

    kind: str                               # party / mediator / seal ...
    by_name: str


@dataclass(frozen=True, kw_only=True)
class MediationAgreement:
    """The chosen version of the case's agreement."""

    version: int
    state: str                              # draft / signing / effective / superseded ...
    oral: bool
    liability: str
    facts: str
    text: str                               # the text fixed at the first signature ("" before)
    text_sha256: str
    copies: int | None
    effective_on: dt.date | None
    terms: tuple[MediationTerm, ...]
    signoffs: tuple[MediationSignoff, ...] = ()


# ================================================================ the sessions
@dataclass(frozen=True, kw_only=True)
class MinutesStatement:
    """What one speaker said, as the minutes record it."""

    speaker: str
    text: str


@dataclass(frozen=True, kw_only=True)
class MediationMinutes:
    """The minutes of a session (the parts of ``hall.domain.cases.MINUTES_FIELDS`` the 调解笔录 prints)."""

    subject: str = ""
    rights_notice: str = ""                 # what the mediator told the parties
    rights_answer: str = ""                 # what a party answered
    principles: str = ""
    statements: str | tuple[MinutesStatement, ...] = ()   # a text of ``说话人：……`` lines, or the statements
    fact_check: str = ""
    risk_warning: str = ""
    agreement: str = ""
    failure_reason: str = ""
    next_routes: str = ""
    read_back: str = ""


@dataclass(frozen=True, kw_only=True)
class SessionParticipant:
    """Someone who took part in a session."""

    role: str                               # party / agent / mediator ...
    role_label: str
    name: str
    presence: str = ""                      # on_site / remote
    remote_location: str = ""
    identity: str = ""                      # how the identity was checked


@dataclass(frozen=True, kw_only=True)
class MediationSession:
    """A mediation session (调解) with its minutes."""

    id: int
    place: str
    started_at: dt.datetime | None          # hall wall-clock
    ended_at: dt.datetime | None
    mediator: str
    recorder: str
    outcome: str                            # agreement / adjourned / failed; "" while open
    recorded: bool                          # audio or video was recorded
    participants: tuple[SessionParticipant, ...] = ()
    minutes: MediationMinutes = MediationMinutes()


# ================================================================ after the sessions
@dataclass(frozen=True, kw_only=True)
class MediationTermination:
    """Mediation failed: the reason on file and the routes the parties are told of (第二十六条)."""

    reason: str
    routes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MediationFollowUp:
    """A visit or call after the agreement (回访)."""

    at: dt.datetime | None
    by: str
    method: str
    performance: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class MediationBooking:
    """A booked sitting: room, time (hall wall-clock) and mediator."""

    start: dt.datetime
    room: str
    mediator: str = ""


# ================================================================ the case
@dataclass(frozen=True, kw_only=True)
class MediationFacts:
    """One mediation case as its documents need it."""

    profile: CentreProfile
    committee: str                          # the 人民调解委员会 the documents are issued by
    number: str
    category: str                           # the category's name (劳动争议 ...)
    source: str                             # 当事人申请 / 主动调解 / 委托移送
    facts: str
    claims: str                             # one request a line
    state: str
    state_reason: str
    registered_on: dt.date | None
    accepted_on: dt.date | None
    closed_on: dt.date | None
    mediator: str
    parties: tuple[MediationParty, ...]
    agreement: MediationAgreement | None
    sessions: tuple[MediationSession, ...]
    termination: MediationTermination | None
    follow_ups: tuple[MediationFollowUp, ...]
    bookings: tuple[MediationBooking, ...]
    generated_on: dt.date
    generated_at: dt.datetime | None

    # ------------------------------------------------------------ the case
    def recorder(self) -> str:
        """The recorder of the latest session that has one."""
        for s in reversed(self.sessions):
            if s.recorder:
                return s.recorder
        return ""

    def case(self) -> MediationCase:
        """The :class:`MediationCase` every mediation document is about."""
        if len(self.parties) < 2:
            raise MissingFacts(f"案件{self.number}当事人不足两方，不能制作调解文书")
        labels = mediation_side_labels(p.side for p in self.parties)
        agreement = self.agreement
        return MediationCase(
            centre=self.profile.centre(committee=self.committee),
            number=self.number,
            category=self.category,
            parties=tuple(p.party(label) for p, label in zip(self.parties, labels)),
            facts=((agreement.facts if agreement else "") or self.facts).strip(),
            claims=tuple(_lines(self.claims)),
            responsibilities=(agreement.liability if agreement else "").strip(),
            source=self.source or "当事人申请",
            accepted_on=self.accepted_on,
            mediators=(self.mediator,) if self.mediator else (),
            recorder=self.recorder(),
        )

    def document(self, kind: str, *, session_id: int | None = None,
                 side: str | None = None) -> MediationDocument:
        """The docmodel input of a mediation ``kind`` (a key of :data:`MEDIATION_KINDS`).

        ``session_id``: the session whose 调解笔录 is made (default: the latest);
        ``side``: whom a 调解通知书 is addressed to (default: the respondent).
        """
        if kind not in MEDIATION_KINDS:
            raise MissingFacts(f"“{kind}”不是人民调解文书")
        case = self.case()
        if kind == "mediation_agreement":
            return self._agreement(case)
        if kind == "mediation_minutes":
            return self._minutes(case, session_id)
        if kind == "mediation_registration":
            return self._registration(case)
        if kind == "mediation_rights_notice":
            return RightsNotice(case=case, notified_on=self.generated_on)
        if kind == "mediation_follow_up":
            return self._follow_up(case)
        if kind == "mediation_attendance_notice":
            return self._attendance_notice(case, side)
        return self._termination(case)

    # ------------------------------------------------------------ 调解协议书
    def _party_label(self, case: MediationCase, name: str) -> str:
        """``乙方东湖科技有限公司`` for a party's name (the name alone if it is not a party's)."""
        for p in case.parties:
            if p.name == name:
                return f"{p.side}{p.name}"
        return name

    def _term(self, case: MediationCase, t: MediationTerm) -> AgreementTerm:
        content = t.content.strip()
        obligor = t.obligor.strip()
        obligee = t.obligee.strip()
        names = [p.name for p in case.parties]
        speaks_for_itself = content.startswith(_SUBJECT_WORDS) or any(content.startswith(n) for n in names)
        prefix = ""
        if obligor and not speaks_for_itself:
            prefix = self._party_label(case, obligor)
            if obligee and obligee not in content and not content.startswith("向"):
                prefix += f"向{self._party_label(case, obligee)}"
        return AgreementTerm(
            content=content, obligor=prefix, obligee=obligee, amount=t.amount,
            amount_capitals=t.amount_capitals or None, method=t.method, due_date=t.due_date,
        )

    def _agreement(self, case: MediationCase) -> Agreement:
        a = self.agreement
        if a is None:
            raise MissingFacts(f"案件{case.number}尚无调解协议，不能制作人民调解协议书")
        if a.oral:
            raise MissingFacts("当事人采取口头协议方式的，不制作调解协议书，协议内容记入调解笔录"
                               "（《中华人民共和国人民调解法》第二十八条）")
        if not a.terms:
            raise MissingFacts(f"案件{case.number}的调解协议尚无协议条款")
        mediators = tuple(g.by_name for g in a.signoffs if g.kind == "mediator" and g.by_name)
        copies = a.copies or None
        number = case.number
        if a.version > 1:
            number = f"{case.number}（第{a.version}版）"
        return Agreement(
            case=case,
            terms=tuple(self._term(case, t) for t in a.terms),
            number=number,
            copies=copies if copies and copies >= len(case.parties) + 1 else None,
            signatories=Signatories(mediators=mediators or case.mediators, recorder=case.recorder,
                                    signed_on=a.effective_on),
            # Signing has begun: the paper is the text fixed at the first signature.
            frozen_text=a.text if a.state != "draft" else "",
            frozen_sha256=a.text_sha256,
        )

    # ------------------------------------------------------------ 调解笔录
    def _participant(self, case: MediationCase, p: SessionParticipant) -> Participant:
        name = p.name
        role = p.role_label or p.role
        for party, model in zip(self.parties, case.parties):
            if p.role == "party" and party.name == name:
                role = model.side
            elif p.role == "agent" and any(ag.name == name for ag in party.agents):
                role = f"{model.side}委托代理人"
        return Participant(name=name, role=role, remote=p.presence == "remote", location=p.remote_location,
                           identity_check=p.identity)

    @staticmethod
    def _statements(value: str | Sequence[MinutesStatement]) -> tuple[Statement, ...]:
        if isinstance(value, str):
            return tuple(Statement(speaker=s, text=t) for s, t in _speaker_lines(value))
        return tuple(Statement(speaker=item.speaker or "当事人", text=item.text.strip())
                     for item in value if item.text.strip())

    def _minutes(self, case: MediationCase, session_id: int | None) -> SessionMinutes:
        sessions = [s for s in self.sessions if session_id is None or s.id == session_id]
        if not sessions:
            raise MissingFacts(f"案件{case.number}尚无调解记录，不能制作调解笔录")
        s = sessions[-1]
        m = s.minutes
        agreement = self.agreement
        if s.outcome == "agreement":
            oral = agreement is not None and agreement.oral
            result = MinutesResult(agreed=True, summary=m.agreement, oral=oral,
                                   agreement_number="" if oral or agreement is None else case.number)
        else:
            routes = tuple(_lines(m.next_routes, split_semicolons=True))
            if not routes and self.termination is not None:
                routes = self.termination.routes
            summary = m.failure_reason
            if s.outcome == "adjourned" and not summary:
                summary = "本次调解未达成协议，择期继续调解"
            result = MinutesResult(agreed=False, summary=summary, next_routes=routes)
        if s.started_at is None:
            raise MissingFacts("该次调解没有开始时间，不能制作调解笔录")
        kw: dict[str, Any] = {}
        # What the mediator told the parties is the mediator's statement; what a
        # party answered is recorded separately, and only when it was recorded.
        if m.rights_notice:
            kw["rights_notice"] = m.rights_notice
        kw["rights_answer"] = m.rights_answer
        if m.risk_warning:
            kw["risk_warning"] = m.risk_warning
        if m.read_back:
            kw["read_back"] = m.read_back
        if s.recorded:
            kw["recording_note"] = "经参加人同意，本次调解进行了录音录像。"
        fact_check = m.fact_check
        if m.principles:
            fact_check = (m.principles + ("\n" + fact_check if fact_check else "")).strip()
        return SessionMinutes(
            case=case, started_at=s.started_at, ended_at=s.ended_at, place=s.place, matter=m.subject,
            participants=tuple(self._participant(case, p) for p in s.participants),
            mediators=(s.mediator,) if s.mediator else case.mediators, recorder=s.recorder or case.recorder,
            statements=self._statements(m.statements), fact_check=fact_check, result=result, **kw,
        )

    # ------------------------------------------------------------ 登记表
    def _registration(self, case: MediationCase) -> Registration:
        if self.registered_on is None:
            raise MissingFacts(f"案件{case.number}没有登记日期")
        declined = self.state in _DECLINED
        return Registration(
            case=case, registered_on=self.registered_on, application_form=_FORMS.get(case.source, case.source),
            requests="；".join(case.claims), accepted=self.accepted_on is not None or not declined,
            decision_note=self.state_reason if declined else "",
        )

    # ------------------------------------------------------------ 回访记录
    def _follow_up(self, case: MediationCase) -> FollowUp:
        if not self.follow_ups:
            raise MissingFacts(f"案件{case.number}尚无回访记录，不能制作人民调解回访记录")
        f = self.follow_ups[-1]
        note = f.note.strip()
        findings = f"协议履行情况：{f.performance}。" if f.performance else ""
        if note:
            findings += note if note.endswith("。") else note + "。"
        return FollowUp(
            case=case, visited_on=f.at.date() if f.at is not None else self.generated_on,
            method=f.method or "电话回访", agreement_number=case.number,
            agreement_date=self.agreement.effective_on if self.agreement is not None else None,
            findings=findings, visitor=f.by,
        )

    # ------------------------------------------------------------ 终止调解告知书
    def _termination(self, case: MediationCase) -> Termination:
        t = self.termination
        if t is None or not t.reason:
            raise MissingFacts(f"案件{case.number}未终止调解，不能制作终止调解告知书")
        kw: dict[str, Any] = {}
        if t.routes:
            kw["routes"] = tuple(r.rstrip("。；;") + "；" for r in t.routes[:-1]) + (
                t.routes[-1].rstrip("。；;") + "。",)
        return Termination(case=case, decided_on=self.closed_on or self.generated_on, reason=t.reason, **kw)

    # ------------------------------------------------------------ 调解通知书
    def _attendance_notice(self, case: MediationCase, side: str | None) -> AttendanceNotice:
        want = side or "respondent"
        index = next((i for i, p in enumerate(self.parties) if p.side == want), None)
        if index is None:
            raise MissingFacts(f"案件{case.number}没有{'被申请人' if want == 'respondent' else '申请人'}，不能制作调解通知书")
        generated = self.generated_at
        upcoming = [b for b in self.bookings if generated is None or b.start >= generated]
        if not upcoming:
            raise MissingFacts(f"案件{case.number}尚未预约调解室和时间，不能制作调解通知书")
        b = min(upcoming, key=lambda x: x.start)
        place = b.room
        if self.profile.address:
            place = f"{self.profile.address}{self.profile.name}{place}"
        return AttendanceNotice(case=case, addressee=case.parties[index], starts_at=b.start, place=place,
                                mediator=b.mediator or (case.mediators[0] if case.mediators else ""),
                                issued_on=self.generated_on)
