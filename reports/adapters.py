"""From the facts the services gather to the inputs of the renderers.

The services hand out plain data: ``hall.services.arbitration.document_facts``
(a dict, labour arbitration); mediation cases and petitions already come as
typed facts (:class:`reports.facts_mediation.MediationFacts`, built by
``hall.services.documents.document_facts``, and
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
    Centre,
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
    PetitionAcceptance,
    PetitionOpinion,
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
from reports.facts import CentreProfile, MissingFacts
from reports.facts_mediation import MEDIATION_KINDS, MediationDocument, MediationFacts
from reports.facts_petition import PETITION_KINDS, PetitionFacts

__all__ = [
    "MissingFacts", "MEDIATION_KINDS", "ARBITRATION_KINDS", "PETITION_KINDS", "AREA_OF",
    "centre_from_profile", "with_capitals",
    "mediation_input", "arbitration_case", "arbitration_input",
    "petition_input", "adapt", "served_documents_for",
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


def _items(text: str) -> list[str]:
    """The numbered items of a free text: one per line; a single line is split at its full stops
    only when it carries its own numbers (1. / 一、 / （一）)."""
    lines = _lines(text)
    out = []
    for line in lines:
        line = re.sub(r"^\s*(?:[0-9]+[.、．)]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*", "", line)
        if line:
            out.append(line)
    return out


_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?元(?!（大写)")


def with_capitals(text: str) -> str:
    """Every ``12000元`` of a free text as ``12,000.00元（大写：人民币壹万贰仟元整）``.

    A figure already followed by its capitals is left as it is.
    """
    def repl(m: re.Match) -> str:
        amount = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        return rmb.figures_and_capitals(amount)

    return _AMOUNT.sub(repl, text or "")


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

def mediation_input(kind: str, facts: MediationFacts, *, session_id: int | None = None,
                    side: str | None = None) -> MediationDocument:
    """The docmodel input of a mediation ``kind`` (a key of :data:`MEDIATION_KINDS`).

    The mediation service builds the typed :class:`~reports.facts_mediation.MediationFacts`,
    which makes the document itself.
    """
    return facts.document(kind, session_id=session_id, side=side)


# ==========================================================================
# labour arbitration
# ==========================================================================

_CAUSES = {"remuneration": "劳动报酬争议", "compensation": "经济补偿争议", "damages": "赔偿金争议",
           "injury_medical": "工伤医疗费争议", "confirm_relation": "确认劳动关系争议",
           "social_insurance": "社会保险争议", "dismissal": "辞退争议"}

_SIDE_WORDS = {"applicant": "申请人", "respondent": "被申请人", "tribunal": "", "worker": "劳动者",
               "employer": "用人单位"}


def _cause(claims: Sequence[Mapping[str, Any]]) -> str:
    kinds = {c.get("kind") for c in claims}
    if len(kinds) == 1:
        return _CAUSES.get(next(iter(kinds)) or "", "劳动争议")
    return "劳动争议"


def _arb_agents(agents: Sequence[Mapping[str, Any]], side: str, role: str) -> tuple[Agent, ...]:
    out = []
    for a in agents or ():
        who = str(a.get("side") or a.get("for") or "")
        if a.get("name") and who in (side, role):
            kind = "法定代理人" if a.get("kind") in ("legal", "statutory") else "委托代理人"
            out.append(Agent(name=str(a["name"]), kind=kind,
                             description=str(a.get("work_unit") or a.get("relation") or ""),
                             authority=str(a.get("authority") or a.get("scope_label") or ""),
                             phone=_full(a.get("phone"))))
    return tuple(out)


def _arb_party(p: Mapping[str, Any], label: str, agents: tuple[Agent, ...] = ()) -> Person | Organisation:
    if "credit_code" in p or "legal_rep" in p or p.get("kind") == "organisation":
        return Organisation(side=label, name=_text(p, "name"), credit_code=_text(p, "credit_code"),
                            address=_text(p, "address"), mailing_address=_text(p, "mailing_address"),
                            phone=_full(p.get("phone")), legal_rep=_text(p, "legal_rep"),
                            legal_rep_title=_text(p, "legal_rep_title"), agents=agents)
    return Person(side=label, name=_text(p, "name"), sex=_text(p, "sex"), ethnicity=_text(p, "ethnicity"),
                  birth_date=_date(p.get("birth_date")), occupation=_text(p, "occupation"),
                  work_unit=_text(p, "employer") or _text(p, "work_unit"), address=_text(p, "address"),
                  mailing_address=_text(p, "mailing_address"), phone=_full(p.get("phone")),
                  id_number=_full(p.get("id_number")), agents=agents)


def _claim(c: Mapping[str, Any]) -> Claim:
    text = str(c.get("description") or c.get("kind_label") or "").strip()
    money = c.get("amount") or None
    if money:
        amount = _decimal(money.get("figures"))
        words = str(money.get("words") or "") or None
        if amount is not None:
            return Claim(text=text, amount=amount, amount_capitals=words)
        text += f"{money.get('figures')}元"
    return Claim(text=text)


def _tribunal(members: Sequence[Mapping[str, Any]], clerk: str) -> Tribunal | None:
    if not members:
        return None
    sole = [str(m.get("name")) for m in members if m.get("role") == "sole"]
    presiding = [str(m.get("name")) for m in members if m.get("role") == "presiding"]
    others = tuple(str(m.get("name")) for m in members if m.get("role") == "member")
    try:
        if sole:
            return Tribunal(sole=sole[0], clerk=clerk)
        return Tribunal(presiding=presiding[0] if presiding else "", members=others, clerk=clerk)
    except ValueError:
        raise MissingFacts("仲裁庭组成不完整（应为首席仲裁员和两名仲裁员，或者独任仲裁员）") from None


def arbitration_case(facts: Mapping[str, Any], *, profile: Mapping[str, Any] | None = None,
                     clerk: str = "") -> ArbitrationCase:
    """The :class:`ArbitrationCase` of a ``document_facts`` dict.

    Before acceptance the case has no 案号: its documents carry the 收件号.
    ``clerk`` is the 书记员 named under the tribunal (the service records none).
    """
    applicant, respondent = facts.get("applicant") or {}, facts.get("respondent") or {}
    if not applicant.get("name") or not respondent.get("name"):
        raise MissingFacts("仲裁案件缺少申请人或被申请人")
    agents = facts.get("agents") or ()
    app_role = "worker" if "credit_code" not in applicant else "employer"
    resp_role = "employer" if app_role == "worker" else "worker"
    third = tuple(_arb_party(p, "第三人") for p in facts.get("other_parties") or () if p.get("name"))
    claims = list(facts.get("claims") or ())
    return ArbitrationCase(
        centre=centre_from_profile(profile, commission=str(facts.get("commission") or ""),
                                   name=str(facts.get("centre") or ""), address=str(facts.get("address") or ""),
                                   phone=str(facts.get("phone") or "")),
        number=str(facts.get("case_number") or facts.get("receipt_number") or ""),
        applicants=(_arb_party(applicant, "申请人", _arb_agents(agents, "applicant", app_role)),),
        respondents=(_arb_party(respondent, "被申请人", _arb_agents(agents, "respondent", resp_role)),),
        third_parties=third,
        cause=_cause(claims),
        claims=tuple(_claim(c) for c in claims if c.get("description") or c.get("amount")),
        facts_reasons=str(facts.get("facts_reasons") or ""),
        evidence=tuple(Evidence(name=str(e.get("name") or ""), source=str(e.get("source") or ""),
                                purpose=str(e.get("purpose") or "")) for e in facts.get("evidence") or ()
                       if e.get("name")),
        witnesses=tuple(Witness(name=str(w.get("name") or ""), address=str(w.get("address") or ""))
                        for w in facts.get("witnesses") or () if w.get("name")),
        received_on=_date(facts.get("received_on")),
        accepted_on=_date(facts.get("accepted_on")),
        tribunal=_tribunal(facts.get("tribunal") or (), clerk),
        simplified=bool(facts.get("simplified")),
    )


def _hearing(h: Mapping[str, Any], room: str, address: str, which: str = "start") -> Hearing:
    day = _date(h.get("date"))
    if day is None:
        raise MissingFacts("开庭日期不明")
    hh, mm = (int(x) for x in str(h.get(which) or h.get("start") or "09:00").split(":")[:2])
    return Hearing(starts_at=dt.datetime(day.year, day.month, day.day, hh, mm), room=room, address=address)


def _addressee(case: ArbitrationCase, side: str | None, default: str = "applicant"):
    side = side or default
    if side == "applicant":
        return case.applicants[0]
    if side == "respondent":
        return case.respondents[0]
    raise MissingFacts(f"受送达人应为申请人（applicant）或被申请人（respondent），不是“{side}”")


_SPEAKER = re.compile(r"^\s*([^：:，。；\s]{1,12})[：:]\s*(.*)$")


def _speaker_lines(text: str) -> list[tuple[str, str]]:
    """``仲裁员：……`` lines as (speaker, text); a line without a speaker continues the one before."""
    out: list[tuple[str, str]] = []
    for line in _lines(text):
        m = _SPEAKER.match(line)
        if m and m.group(2):
            out.append((m.group(1), m.group(2).strip()))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line)
        else:
            out.append(("记录", line))
    return out


_TITLES = {"receipt": "收件回执", "supplement_notice": "补正通知书", "acceptance_notice": "受理通知书",
           "refusal_notice": "不予受理通知书", "response_notice": "应诉通知书", "application_copy": "仲裁申请书副本",
           "defence_copy": "答辩书副本", "tribunal_notice": "仲裁庭组成通知书", "hearing_notice": "开庭通知书",
           "postponement_notice": "延期开庭通知书", "mediation_statement": "仲裁调解书", "award": "仲裁裁决书",
           "extension_notice": "延长审理期限通知书", "withdrawal_decision": "决定书"}


def served_documents_for(state: Mapping[str, Any], side: str) -> tuple[str, ...]:
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


def _served_documents(facts: Mapping[str, Any], kinds: Sequence[str] | str | None, side: str) -> tuple[str, ...]:
    number = str(facts.get("case_number") or facts.get("receipt_number") or "")
    if kinds is None:
        kinds = served_documents_for({"outcome": "award" if facts.get("award_date") else "",
                                      "hearing": bool(facts.get("hearing")), "tribunal": bool(facts.get("tribunal")),
                                      "accepted": bool(facts.get("accepted_on"))}, side)
    elif isinstance(kinds, str):
        kinds = (kinds,)
    out = []
    for k in kinds:
        title = _TITLES.get(k) or k
        out.append(f"{title}（{number}）" if number else title)
    return tuple(out)


def arbitration_input(kind: str, facts: Mapping[str, Any], *, profile: Mapping[str, Any] | None = None,
                      side: str | None = None, clerk: str = "", received_at: dt.datetime | None = None,
                      served_document: str | Sequence[str] | None = None, service_method: str = "直接送达") -> Any:
    """The docmodel input of an arbitration ``kind`` (a key of :data:`ARBITRATION_KINDS`).

    ``facts`` is what ``document_facts`` returned for ``ARBITRATION_KINDS[kind]``.
    ``side`` (``applicant``/``respondent``) picks the addressee of a notice to
    one party (hearing, postponement, response, service receipt); ``clerk`` is
    the clerk who receives, signs or records; ``received_at`` the moment the
    application was handed in (收件回执).
    """
    if kind not in ARBITRATION_KINDS:
        raise MissingFacts(f"“{kind}”不是劳动人事争议仲裁文书")
    recorder = str(facts.get("recorder") or "") if kind == "arbitration_hearing_record" else ""
    case = arbitration_case(facts, profile=profile, clerk=recorder or clerk)
    today = _date(facts.get("date"))
    if today is None:
        raise MissingFacts("缺少文书日期，不能出具文书")
    number = str(facts.get("case_number") or "")

    if kind == "arbitration_receipt":
        moment = received_at or facts.get("received_at")
        if not isinstance(moment, dt.datetime):
            raise MissingFacts("缺少收件时间，不能出具收件回执")
        # The application (or the record of an oral one) is handed in as the original; evidence as copies.
        materials = tuple(Material(name=str(m), original=str(m).endswith(("申请书", "申请笔录")))
                          for m in facts.get("materials") or () if m)
        if not materials:
            raise MissingFacts("没有收到的材料，不能出具收件回执")
        return ApplicationReceipt(case=case, received_at=moment, materials=materials,
                                  receipt_number=str(facts.get("receipt_number") or ""), receiver=clerk,
                                  complete=not facts.get("missing_items"))
    if kind == "arbitration_correction":
        items = tuple(str(i) for i in facts.get("items") or () if str(i).strip())
        if not items:
            raise MissingFacts("本案没有需要补正的材料，不能出具补正通知书")
        return CorrectionNotice(case=case, issued_on=_date(facts.get("notice_on")) or today, items=items)
    if kind == "arbitration_acceptance":
        if not number or not case.accepted_on:
            raise MissingFacts("案件尚未受理，不能出具受理通知书")
        contact = "，".join(x for x in (clerk, case.centre.phone) if x)
        return AcceptanceNotice(case=case, issued_on=case.accepted_on, contact=contact)
    if kind == "arbitration_rejection":
        refused = _date(facts.get("refused_on"))
        reasons = tuple(_lines(str(facts.get("reasons") or ""), split_semicolons=True))
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
        h = facts.get("hearing")
        if not h:
            raise MissingFacts("本案没有安排开庭")
        room, address = str(h.get("room") or ""), case.centre.address
        hearing = _hearing(h, room, address)
        if kind == "arbitration_hearing_notice":
            return HearingNotice(case=case, addressee=_addressee(case, side), hearing=hearing, issued_on=today)
        if kind == "arbitration_postponement":
            previous = facts.get("previous_hearing")
            record = dict(facts.get("postponement") or {})
            if previous:
                original, new = _hearing(previous, room, address), hearing
            elif h.get("state") == "postponed":
                original, new = hearing, None
            else:
                raise MissingFacts("该次开庭没有延期，不能出具延期开庭通知书")
            if record.get("decision") and record.get("decision") != "准许延期":
                raise MissingFacts("延期开庭请求未获准许，不能出具延期开庭通知书")
            return PostponementNotice(case=case, addressee=_addressee(case, side), original=original, new=new,
                                      issued_on=_date(record.get("decided_on")) or today,
                                      reason=str(record.get("reason") or ""),
                                      requested_by=_SIDE_WORDS.get(str(record.get("requested_by") or ""), ""))
        attendees = []
        if facts.get("applicant_present") is not False:
            attendees.append(Participant(name=case.applicants[0].name, role="申请人"))
        if facts.get("respondent_present") is not False:
            attendees.append(Participant(name=case.respondents[0].name, role="被申请人"))
        record_text = str(facts.get("record_text") or "")
        if not record_text.strip():
            raise MissingFacts("该次开庭尚无庭审记录，不能出具庭审笔录")
        entries = tuple(Statement(speaker=s, text=t) for s, t in _speaker_lines(record_text))
        return HearingRecord(case=case, hearing=hearing, ended_at=_hearing(h, room, address, "end").starts_at,
                             attendees=tuple(attendees),
                             sections=(RecordSection(title="庭审情况", entries=entries),))
    if kind == "arbitration_mediation_statement":
        terms_text = str(facts.get("terms") or "")
        made = _date(facts.get("made_on"))
        if not terms_text.strip() or made is None:
            raise MissingFacts("本案未以调解结案，不能出具仲裁调解书")
        terms = tuple(AgreementTerm(content=with_capitals(t)) for t in _items(terms_text))
        return ArbitralMediation(case=case, terms=terms, issued_on=made)
    if kind == "arbitration_award":
        made = _date(facts.get("award_date"))
        result = _items(str(facts.get("result") or ""))
        if made is None or not result:
            raise MissingFacts("本案尚未作出裁决，不能出具仲裁裁决书")
        if case.tribunal is None:
            raise MissingFacts("本案没有仲裁庭，不能出具仲裁裁决书")
        if facts.get("choose_part"):
            raise MissingFacts("本案裁决既有终局裁决事项又有非终局裁决事项，已分别制作两份裁决书："
                               "请选择“终局裁决事项”或者“非终局裁决事项”（第四十七条）")
        missing = [label for key, label in (("facts_found", "经审理查明的事实"), ("reasons", "裁决理由"),
                                            ("costs", "仲裁费用的承担"))
                   if not str(facts.get(key) or "").strip()]
        if missing:
            raise MissingFacts("裁决书缺少" + "、".join(missing) + "（《劳动争议调解仲裁法》第四十六条），不能出具")
        return Award(case=case, issued_on=made, result=tuple(AwardItem(text=with_capitals(r)) for r in result),
                     final=bool(facts.get("final")), part_label=str(facts.get("part_label") or ""),
                     applicant_statement=case.facts_reasons, reasons=str(facts.get("reasons") or ""),
                     facts_found=str(facts.get("facts_found") or ""), costs=str(facts.get("costs") or ""),
                     respondent_defence=str(facts.get("defence_summary") or ""),
                     respondent_absent=bool(facts.get("default")))
    if kind == "arbitration_extension_notice":
        ext = dict(facts.get("extension") or {})
        if not ext.get("approved_by"):
            raise MissingFacts("本案没有经批准的延长审理期限，不能出具延长审理期限通知书")
        return ExtensionNotice(case=case, issued_on=_date(ext.get("on")) or today,
                               approved_on=_date(ext.get("on")), approved_by=str(ext["approved_by"]),
                               reason=str(ext.get("reason") or ""), days=int(ext.get("days") or 15),
                               original_due=_date(ext.get("original_due")) or _date(ext.get("new_due")),
                               new_due=_date(ext.get("new_due")))
    if kind == "arbitration_withdrawal_decision":
        outcome = str(facts.get("outcome") or "")
        decided = _date(facts.get("decided_on"))
        if outcome not in ("withdrawn", "deemed_withdrawn") or decided is None:
            raise MissingFacts("本案没有撤回或者视为撤回仲裁申请，不能出具决定书")
        if outcome == "withdrawn":
            what = str(facts.get("reasons") or "").strip()
            text = f"申请人于{cn_date(decided)}向本委申请撤回仲裁申请" + (f"，理由是：{what}" if what else "")
            return WithdrawalDecision(case=case, issued_on=decided, deemed=False, facts=text)
        return WithdrawalDecision(case=case, issued_on=decided, deemed=True,
                                  facts=str(facts.get("reasons") or "无正当理由拒不到庭"),
                                  hearing_on=_date(facts.get("hearing_on")),
                                  notice_served_on=_date(facts.get("notice_served_on")))
    if kind == "arbitration_recusal_decision":
        r = dict(facts.get("recusal") or {})
        if not r.get("decided_on"):
            raise MissingFacts("本案没有已作出的回避决定，不能出具回避决定书")
        return RecusalDecision(case=case, issued_on=_date(r["decided_on"]), member=str(r["member"]),
                               member_role=str(r.get("role_label") or "仲裁员"),
                               applied_by=str(r.get("applied_by_label") or ""),
                               applied_on=_date(r.get("applied_on")), ground=str(r.get("ground_text") or ""),
                               ground_basis=str(r.get("basis") or ""), granted=r.get("decision") == "granted",
                               reason=str(r.get("reason") or ""), decided_by=str(r.get("decided_by") or ""),
                               replacement=str(r.get("replacement") or ""))
    if kind == "arbitration_oral_application":
        if facts.get("channel") != "oral":
            raise MissingFacts("本案是书面申请，没有口头申请笔录")
        moment = received_at or facts.get("received_at")
        if not isinstance(moment, dt.datetime):
            raise MissingFacts("缺少收件时间，不能制作口头申请笔录")
        if not case.claims or not case.facts_reasons.strip():
            raise MissingFacts("口头申请笔录须记明仲裁请求和所根据的事实、理由（第二十八条）")
        return OralApplicationRecord(case=case, recorded_at=moment, place=case.centre.address or case.centre.name,
                                     recorder=clerk or str(facts.get("recorder") or ""))
    # service receipt
    party = _addressee(case, side)
    return ServiceReceipt(case=case, documents=_served_documents(facts, served_document, side or "applicant"),
                          recipient=party.name, address=party.mailing_address or party.address,
                          method=service_method, server=clerk, issued_on=today)


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
