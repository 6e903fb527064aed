"""From the facts the services gather to the inputs of the renderers.

The services hand out plain data: ``hall.services.documents.document_data``
(a dict, mediation cases); labour arbitration and petitions already come as
typed facts (:class:`reports.facts_arbitration.ArbitrationFacts`, built by
``hall.services.arbitration.document_facts``;
:class:`reports.facts_petition.PetitionFacts`, built by
``hall.services.petitions.document_facts``), which make their own documents. The functions below turn
that data into the exact :mod:`reports.docmodel` input of each kind of
:data:`reports.registry.KINDS`. They never call a service and never touch the
database: ``hall.services.render`` gathers, adapts, renders and registers.

What they take care of:

* the header: the committee, commission or petition office from the centre's
  profile (``mediation_committee``, ``arbitration_commission``,
  ``petition_office``, plus ``seal_text`` and ``basic_court`` when set);
* parties with the label the document uses: 甲方/乙方/丙方 in people's
  mediation (one letter per side, 甲方一/甲方二 when a side has several),
  申请人/被申请人/第三人 in arbitration, 信访人 for petitions;
* ID numbers and phone numbers exactly as the service gives them — a number
  the service masked (the actor may not see it) is left off rather than
  printed half-hidden;
* amounts as ``Decimal`` with the capitals the service computed (the
  docmodel checks that both say the same amount); amounts written into free
  text (``12000元``) get their capitals too;
* dates as ``date``; hearing times as hall wall-clock ``datetime``.

Anything a document cannot be made without (an award not yet made, a
petition with no decision) raises :class:`MissingFacts`, whose message is
Chinese and names what is missing.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from reports.docmodel import (
    Agent,
    Agreement,
    AgreementTerm,
    Centre,
    FollowUp,
    MediationCase,
    MinutesResult,
    Organisation,
    Participant,
    Person,
    PetitionAcceptance,
    PetitionOpinion,
    Registration,
    RightsNotice,
    SessionMinutes,
    Signatories,
    Statement,
    Termination,
    cn_numeral,
)
from reports.facts import CentreProfile, MissingFacts
from reports.facts_arbitration import (
    ARBITRATION_KINDS,
    ArbitrationDocument,
    ArbitrationFacts,
    served_documents_for,
    with_capitals,
)
from reports.facts_arbitration import speaker_lines as _speaker_lines
from reports.facts_petition import PETITION_KINDS, PetitionFacts

__all__ = [
    "MissingFacts", "MEDIATION_KINDS", "ARBITRATION_KINDS", "PETITION_KINDS", "AREA_OF",
    "centre_from_profile", "mediation_side_labels", "with_capitals",
    "mediation_case", "mediation_input", "arbitration_input",
    "petition_input", "adapt", "served_documents_for",
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

AREA_OF: dict[str, str] = {
    **{k: "mediation" for k in MEDIATION_KINDS},
    **{k: "arbitration" for k in ARBITRATION_KINDS},
    **{k: "petition" for k in PETITION_KINDS},
}


# ==========================================================================
# small readers
# ==========================================================================

def _get(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` for a mapping, ``obj.key`` for a view; ``default`` when absent or None."""
    if isinstance(obj, Mapping):
        value = obj.get(key, default)
    else:
        value = getattr(obj, key, default)
    return default if value is None else value


def _text(obj: Any, key: str) -> str:
    value = _get(obj, key, "")
    return value.strip() if isinstance(value, str) else str(value)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _full(value: Any) -> str:
    """An ID or phone number as printed: a masked one (the actor may not see it) is left off."""
    text = str(value or "").strip()
    return "" if "*" in text or "＊" in text else text


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).replace(",", "").replace("，", "").removesuffix("元").strip())
    except InvalidOperation:
        return None


def _lines(text: str, *, split_semicolons: bool = False) -> list[str]:
    """Non-empty lines of a free text (and its ；-separated parts when asked)."""
    parts = re.split(r"[\r\n]+" + ("|[；;]" if split_semicolons else ""), text or "")
    return [p.strip() for p in parts if p and p.strip()]


# ==========================================================================
# the centre
# ==========================================================================

def centre_from_profile(profile: Mapping[str, Any] | None, *, committee: str = "", commission: str = "",
                        name: str = "", address: str = "", phone: str = "") -> Centre:
    """The bodies named on the documents, from the centre's profile (``centre.profile``).

    Explicit arguments (what a service already resolved) win over the profile.
    """
    return CentreProfile.from_mapping(profile).centre(committee=committee, commission=commission, name=name,
                                                      address=address, phone=phone)


# ==========================================================================
# people's mediation
# ==========================================================================

_LETTERS = "甲乙丙丁戊己庚辛壬癸"
_SIDE_ORDER = {"applicant": 0, "respondent": 1, "third": 2}


def mediation_side_labels(parties: Sequence[Mapping[str, Any]]) -> list[str]:
    """甲方 for the applicants, 乙方 for the respondents, 丙方 for third parties
    (one letter per side present, in that order); 甲方一、甲方二 when a side has several."""
    sides = sorted({_SIDE_ORDER.get(str(p.get("side")), 3) for p in parties})
    letter = {s: _LETTERS[i] + "方" for i, s in enumerate(sides)}
    counts: dict[int, int] = {}
    for p in parties:
        s = _SIDE_ORDER.get(str(p.get("side")), 3)
        counts[s] = counts.get(s, 0) + 1
    seen: dict[int, int] = {}
    out = []
    for p in parties:
        s = _SIDE_ORDER.get(str(p.get("side")), 3)
        seen[s] = seen.get(s, 0) + 1
        out.append(letter[s] + (cn_numeral(seen[s]) if counts[s] > 1 else ""))
    return out


def _mediation_agent(a: Mapping[str, Any]) -> Agent:
    scope = _text(a, "scope_label")
    authorisation = _text(a, "authorisation")
    authority = scope
    if authorisation:
        authority = f"{scope}（{authorisation}）" if scope else authorisation
    return Agent(name=_text(a, "name"), kind="委托代理人", description=_text(a, "relation"),
                 authority=authority, phone=_full(a.get("phone")))


def _mediation_party(p: Mapping[str, Any], side: str) -> Person | Organisation:
    agents = tuple(_mediation_agent(a) for a in p.get("agents") or ())
    if p.get("kind") == "organisation":
        return Organisation(side=side, name=_text(p, "name"), credit_code=_text(p, "credit_code"),
                            address=_text(p, "address"), phone=_full(p.get("phone")),
                            legal_rep=_text(p, "legal_rep"), legal_rep_title=_text(p, "legal_rep_title"),
                            agents=agents)
    return Person(side=side, name=_text(p, "name"), sex=_text(p, "sex"), ethnicity=_text(p, "ethnicity"),
                  birth_date=_date(p.get("birth_date")), age=p.get("age"), occupation=_text(p, "occupation"),
                  address=_text(p, "address"), phone=_full(p.get("phone")), id_number=_full(p.get("id_number")),
                  agents=agents)


def _recorder(data: Mapping[str, Any], session: Mapping[str, Any] | None = None) -> str:
    if session is not None and session.get("recorder"):
        return str(session["recorder"])
    for s in reversed(list(data.get("sessions") or ())):
        if s.get("recorder"):
            return str(s["recorder"])
    return ""


def mediation_case(data: Mapping[str, Any]) -> MediationCase:
    """The :class:`MediationCase` of a ``document_data`` dict."""
    case = data.get("case") or {}
    parties_data = list(data.get("parties") or ())
    if len(parties_data) < 2:
        raise MissingFacts(f"案件{case.get('number', '')}当事人不足两方，不能制作调解文书")
    labels = mediation_side_labels(parties_data)
    parties = tuple(_mediation_party(p, label) for p, label in zip(parties_data, labels))
    agreement = data.get("agreement") or {}
    mediator = str(case.get("mediator") or data.get("mediator") or "")
    return MediationCase(
        centre=centre_from_profile(data.get("centre"), committee=str(data.get("committee") or "")),
        number=str(case.get("number") or ""),
        category=str(case.get("category_label") or case.get("category") or ""),
        parties=parties,
        facts=str(agreement.get("facts") or case.get("facts") or "").strip(),
        claims=tuple(_lines(str(case.get("claims") or ""))),
        responsibilities=str(agreement.get("liability") or "").strip(),
        source=str(case.get("source_label") or "当事人申请"),
        accepted_on=_date(case.get("accepted_on")),
        mediators=(mediator,) if mediator else (),
        recorder=_recorder(data),
    )


_SUBJECT_WORDS = ("甲方", "乙方", "丙方", "丁方", "申请人", "被申请人", "第三人", "双方", "各方", "当事人", "由")


def _party_label(case: MediationCase, name: str) -> str:
    """``乙方东湖科技有限公司`` for a party's name (the name alone if it is not a party's)."""
    for p in case.parties:
        if p.name == name:
            return f"{p.side}{p.name}"
    return name


def _term(case: MediationCase, t: Mapping[str, Any]) -> AgreementTerm:
    content = str(t.get("content") or "").strip()
    obligor = str(t.get("obligor") or "").strip()
    obligee = str(t.get("obligee") or "").strip()
    names = [p.name for p in case.parties]
    speaks_for_itself = content.startswith(_SUBJECT_WORDS) or any(content.startswith(n) for n in names)
    prefix = ""
    if obligor and not speaks_for_itself:
        prefix = _party_label(case, obligor)
        if obligee and obligee not in content and not content.startswith("向"):
            prefix += f"向{_party_label(case, obligee)}"
    return AgreementTerm(
        content=content, obligor=prefix, obligee=obligee,
        amount=_decimal(t.get("amount")), amount_capitals=t.get("amount_capitals") or None,
        method=str(t.get("method") or ""), due_date=_date(t.get("due_date")),
    )


def _agreement(data: Mapping[str, Any], case: MediationCase) -> Agreement:
    a = data.get("agreement")
    if not a:
        raise MissingFacts(f"案件{case.number}尚无调解协议，不能制作人民调解协议书")
    if a.get("oral"):
        raise MissingFacts("当事人采取口头协议方式的，不制作调解协议书，协议内容记入调解笔录"
                           "（《中华人民共和国人民调解法》第二十八条）")
    if not a.get("terms"):
        raise MissingFacts(f"案件{case.number}的调解协议尚无协议条款")
    mediators = tuple(str(g.get("by_name")) for g in a.get("signoffs") or ()
                      if g.get("kind") == "mediator" and g.get("by_name"))
    copies = a.get("copies") or None
    number = case.number
    if (a.get("version") or 1) > 1:
        number = f"{case.number}（第{a['version']}版）"
    return Agreement(
        case=case,
        terms=tuple(_term(case, t) for t in a["terms"]),
        number=number,
        copies=copies if copies and copies >= len(case.parties) + 1 else None,
        signatories=Signatories(mediators=mediators or case.mediators, recorder=case.recorder,
                                signed_on=_date(a.get("effective_on"))),
        # Signing has begun: the paper is the text fixed at the first signature.
        frozen_text=str(a.get("text") or "") if a.get("state") not in (None, "draft") else "",
        frozen_sha256=str(a.get("text_sha256") or ""),
    )


def _participant(case: MediationCase, parties: Sequence[Mapping[str, Any]], p: Mapping[str, Any]) -> Participant:
    name = str(p.get("name") or "")
    role = str(p.get("role_label") or p.get("role") or "")
    for party, model in zip(parties, case.parties):
        if p.get("role") == "party" and party.get("name") == name:
            role = model.side
        elif p.get("role") == "agent" and any(ag.get("name") == name for ag in party.get("agents") or ()):
            role = f"{model.side}委托代理人"
    return Participant(name=name, role=role, remote=p.get("presence") == "remote",
                       location=str(p.get("remote_location") or ""), identity_check=str(p.get("identity") or ""))


def _statements(value: Any) -> tuple[Statement, ...]:
    if isinstance(value, str):
        return tuple(Statement(speaker=s, text=t) for s, t in _speaker_lines(value))
    out = []
    for item in value or ():
        if isinstance(item, Mapping) and (item.get("text") or "").strip():
            out.append(Statement(speaker=str(item.get("speaker") or "当事人"), text=str(item["text"]).strip()))
    return tuple(out)


def _minutes(data: Mapping[str, Any], case: MediationCase, session_id: int | None) -> SessionMinutes:
    sessions = list(data.get("sessions") or ())
    if session_id is not None:
        sessions = [s for s in sessions if s.get("id") == session_id]
    if not sessions:
        raise MissingFacts(f"案件{case.number}尚无调解记录，不能制作调解笔录")
    s = sessions[-1]
    m = dict(s.get("minutes") or {})
    agreement = data.get("agreement") or {}
    outcome = s.get("outcome")
    if outcome == "agreement":
        result = MinutesResult(agreed=True, summary=str(m.get("agreement") or ""),
                               oral=bool(agreement.get("oral")),
                               agreement_number="" if agreement.get("oral") or not agreement else case.number)
    else:
        routes = tuple(_lines(str(m.get("next_routes") or ""), split_semicolons=True))
        if not routes and data.get("termination"):
            routes = tuple(data["termination"].get("routes") or ())
        summary = str(m.get("failure_reason") or "")
        if outcome == "adjourned" and not summary:
            summary = "本次调解未达成协议，择期继续调解"
        result = MinutesResult(agreed=False, summary=summary, next_routes=routes)
    started = s.get("started_at")
    if not isinstance(started, dt.datetime):
        raise MissingFacts("该次调解没有开始时间，不能制作调解笔录")
    kw: dict[str, Any] = {}
    # What the mediator told the parties is the mediator's statement; what a
    # party answered is recorded separately, and only when it was recorded.
    if m.get("rights_notice"):
        kw["rights_notice"] = str(m["rights_notice"])
    kw["rights_answer"] = str(m.get("rights_answer") or "")
    if m.get("risk_warning"):
        kw["risk_warning"] = str(m["risk_warning"])
    if m.get("read_back"):
        kw["read_back"] = str(m["read_back"])
    if s.get("recorded"):
        kw["recording_note"] = "经参加人同意，本次调解进行了录音录像。"
    participants = tuple(_participant(case, data.get("parties") or (), p) for p in s.get("participants") or ())
    mediator = str(s.get("mediator") or "")
    fact_check = str(m.get("fact_check") or "")
    if m.get("principles"):
        fact_check = (str(m["principles"]) + ("\n" + fact_check if fact_check else "")).strip()
    return SessionMinutes(
        case=case, started_at=started, ended_at=s.get("ended_at"), place=str(s.get("place") or ""),
        matter=str(m.get("subject") or ""), participants=participants,
        mediators=(mediator,) if mediator else case.mediators, recorder=str(s.get("recorder") or case.recorder),
        statements=_statements(m.get("statements")), fact_check=fact_check, result=result, **kw,
    )


def _registration(data: Mapping[str, Any], case: MediationCase) -> Registration:
    c = data.get("case") or {}
    registered = _date(c.get("registered_on"))
    if registered is None:
        raise MissingFacts(f"案件{case.number}没有登记日期")
    source = case.source
    form = {"当事人申请": "当事人申请", "主动调解": "主动调解", "委托移送": "委托移送"}.get(source, source)
    accepted = c.get("accepted_on") is not None
    declined = str(c.get("state") or "") in ("declined", "rejected", "refused")
    return Registration(
        case=case, registered_on=registered, application_form=form,
        requests="；".join(case.claims), accepted=accepted or not declined,
        decision_note=str(c.get("state_reason") or "") if declined else "",
    )


def _follow_up(data: Mapping[str, Any], case: MediationCase) -> FollowUp:
    rows = list(data.get("follow_ups") or ())
    if not rows:
        raise MissingFacts(f"案件{case.number}尚无回访记录，不能制作人民调解回访记录")
    f = rows[-1]
    at = f.get("at")
    agreement = data.get("agreement") or {}
    performance = str(f.get("performance") or "")
    note = str(f.get("note") or "").strip()
    findings = f"协议履行情况：{performance}。" if performance else ""
    if note:
        findings += note if note.endswith("。") else note + "。"
    return FollowUp(
        case=case, visited_on=_date(at) or _date(data.get("generated_on")),
        method=str(f.get("method") or "电话回访"), agreement_number=case.number,
        agreement_date=_date(agreement.get("effective_on")), findings=findings,
        visitor=str(f.get("by") or ""),
    )


def _termination(data: Mapping[str, Any], case: MediationCase) -> Termination:
    t = data.get("termination")
    if not t or not t.get("reason"):
        raise MissingFacts(f"案件{case.number}未终止调解，不能制作终止调解告知书")
    c = data.get("case") or {}
    decided = _date(c.get("closed_on")) or _date(data.get("generated_on"))
    kw = {}
    if t.get("routes"):
        kw["routes"] = tuple(str(r).rstrip("。；;") + "；" for r in t["routes"][:-1]) + (
            str(t["routes"][-1]).rstrip("。；;") + "。",)
    return Termination(case=case, decided_on=decided, reason=str(t["reason"]), **kw)


def _attendance_notice(data: Mapping[str, Any], case: MediationCase, side: str | None) -> Any:
    from reports.mediation_docs import AttendanceNotice

    parties = list(data.get("parties") or ())
    want = side or "respondent"
    index = next((i for i, p in enumerate(parties) if p.get("side") == want), None)
    if index is None:
        raise MissingFacts(f"案件{case.number}没有{'被申请人' if want == 'respondent' else '申请人'}，不能制作调解通知书")
    generated = data.get("generated_at")
    upcoming = [b for b in data.get("bookings") or () if isinstance(b.get("start"), dt.datetime)
                and (generated is None or b["start"] >= generated)]
    if not upcoming:
        raise MissingFacts(f"案件{case.number}尚未预约调解室和时间，不能制作调解通知书")
    b = min(upcoming, key=lambda x: x["start"])
    centre = data.get("centre") or {}
    place = str(b.get("room") or "")
    if centre.get("address"):
        place = f"{centre['address']}{centre.get('name') or ''}{place}"
    return AttendanceNotice(case=case, addressee=case.parties[index], starts_at=b["start"], place=place,
                            mediator=str(b.get("mediator") or (case.mediators[0] if case.mediators else "")),
                            issued_on=_date(data.get("generated_on")))


def mediation_input(kind: str, data: Mapping[str, Any], *, session_id: int | None = None,
                    side: str | None = None) -> Any:
    """The docmodel input of a mediation ``kind`` (a key of :data:`MEDIATION_KINDS`)."""
    if kind not in MEDIATION_KINDS:
        raise MissingFacts(f"“{kind}”不是人民调解文书")
    case = mediation_case(data)
    if kind == "mediation_agreement":
        return _agreement(data, case)
    if kind == "mediation_minutes":
        return _minutes(data, case, session_id)
    if kind == "mediation_registration":
        return _registration(data, case)
    if kind == "mediation_rights_notice":
        return RightsNotice(case=case, notified_on=_date(data.get("generated_on")))
    if kind == "mediation_follow_up":
        return _follow_up(data, case)
    if kind == "mediation_attendance_notice":
        return _attendance_notice(data, case, side)
    return _termination(data, case)


# ==========================================================================
# labour arbitration
# ==========================================================================

def arbitration_input(kind: str, facts: ArbitrationFacts, **options: Any) -> ArbitrationDocument:
    """The docmodel input of an arbitration ``kind`` (a key of :data:`ARBITRATION_KINDS`).

    The arbitration service builds the typed :class:`~reports.facts_arbitration.ArbitrationFacts`,
    which make the document themselves (``options``: ``side``, ``clerk``, ``received_at``,
    ``served_document``, see :meth:`~reports.facts_arbitration.ArbitrationFacts.document`).
    """
    return facts.document(kind, **options)


# ==========================================================================
# petitions
# ==========================================================================

def petition_input(kind: str, facts: PetitionFacts) -> PetitionAcceptance | PetitionOpinion:
    """The docmodel input of a petition ``kind`` (``petition_acceptance`` / ``petition_opinion``).

    The petition service builds the typed :class:`~reports.facts_petition.PetitionFacts`,
    which makes the letter itself.
    """
    return facts.document(kind)


# ==========================================================================
# one entry point
# ==========================================================================

def adapt(kind: str, facts: Any, **options: Any) -> Any:
    """The docmodel input of any registry ``kind`` from its area's facts.

    ``options`` go to :func:`mediation_input`, :func:`arbitration_input` or
    :func:`petition_input`.
    """
    area = AREA_OF.get(kind)
    if area == "mediation":
        return mediation_input(kind, facts, **options)
    if area == "arbitration":
        return arbitration_input(kind, facts, **options)
    if area == "petition":
        return petition_input(kind, facts, **options)
    raise MissingFacts(f"未知的文书种类：{kind}")
