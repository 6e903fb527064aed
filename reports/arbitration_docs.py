"""Documents of labour-dispute arbitration (《中华人民共和国劳动争议调解仲裁法》,
《劳动人事争议仲裁办案规则》 (2017), "办案规则").

Each document has ``build_*`` (data → :class:`reports.docmodel.Document`)
and ``render_*`` (data, ``"pdf"``/``"docx"`` → bytes):

==================  ================================  ======================================
document            function                          basis
==================  ================================  ======================================
收件回执            :func:`render_receipt`            办案规则 Art. 29
补正通知书          :func:`render_correction`         Art. 28; 办案规则 Art. 29 (one notice)
受理通知书          :func:`render_acceptance`         Art. 29-30, 32, 43
不予受理通知书      :func:`render_rejection`          Art. 29 (reasons; right to sue)
应诉通知书          :func:`render_response_notice`    Art. 30 (defence within 10 days), 36
仲裁庭组成通知书    :func:`render_tribunal_notice`    Art. 31-33
开庭通知书          :func:`render_hearing_notice`     Art. 35-36
延期开庭通知书      :func:`render_postponement`       Art. 35
庭审笔录            :func:`render_hearing_record`     Art. 38, 40
仲裁调解书          :func:`render_mediation_statement` Art. 42
仲裁裁决书          :func:`render_award`              Art. 46-51 (two when Art. 47 splits it)
送达回证            :func:`render_service_receipt`    民事诉讼法 Art. 87-89
延长审理期限通知书  :func:`render_extension_notice`   Art. 43 (1)
决定书（撤回）      :func:`render_withdrawal_decision` Art. 36 (1), 41
回避决定书          :func:`render_recusal_decision`   Art. 33
口头申请笔录        :func:`render_oral_application`   Art. 28 (3)
==================  ================================  ======================================

:func:`render_hearing_notices` prints many hearing notices as ONE PDF (a
day's notices in one print job), each with its own page numbers.

Whether a notice was issued in time (5 days before the hearing, 5 days
after acceptance ...) is a deadline question for ``hall.domain.deadlines``
and the services; the renderers print what they are given.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import zip_longest

from reports.docmodel import (
    BLANK_DATE,
    AcceptanceNotice,
    ApplicationReceipt,
    ArbitralMediation,
    ArbitrationCase,
    Award,
    Block,
    Cell,
    CorrectionNotice,
    DocNumber,
    Document,
    ExtensionNotice,
    Hearing,
    HearingNotice,
    HearingRecord,
    OralApplicationRecord,
    Para,
    ParaKind,
    Participant,
    Party,
    PostponementNotice,
    RecusalDecision,
    RejectionNotice,
    ResponseNotice,
    RoleLines,
    Run,
    ServiceReceipt,
    SignatureBlock,
    Table,
    Title,
    TribunalNotice,
    WithdrawalDecision,
    body,
    cn_date,
    cn_date_upper,
    cn_datetime,
    cn_numeral,
    flush,
    heading,
    labelled,
    note,
    numbered,
    party_names,
    party_paragraphs,
)
from reports.official import GB_T_9704, PageSettings, render, render_pdf_batch

__all__ = [
    "LAW",
    "build_receipt", "render_receipt",
    "build_correction", "render_correction",
    "build_acceptance", "render_acceptance",
    "build_rejection", "render_rejection",
    "build_response_notice", "render_response_notice",
    "build_tribunal_notice", "render_tribunal_notice",
    "build_hearing_notice", "render_hearing_notice", "render_hearing_notices",
    "build_postponement", "render_postponement",
    "build_hearing_record", "render_hearing_record",
    "build_mediation_statement", "render_mediation_statement",
    "build_award", "render_award", "finality_paragraphs",
    "build_service_receipt", "render_service_receipt",
    "build_extension_notice", "render_extension_notice",
    "build_withdrawal_decision", "render_withdrawal_decision",
    "build_recusal_decision", "render_recusal_decision",
    "build_oral_application", "render_oral_application",
]

LAW = "《中华人民共和国劳动争议调解仲裁法》"
RULES = "《劳动人事争议仲裁办案规则》"


def _commission(case: ArbitrationCase) -> str:
    return case.centre.arbitration_commission


def _header(case: ArbitrationCase, name: str, number: str | None = None) -> list[Block]:
    blocks: list[Block] = [Title((_commission(case), name))]
    number = case.number if number is None else number
    if number:
        blocks.append(DocNumber(number))
    return blocks


def _issuer(case: ArbitrationCase, date: dt.date | None) -> SignatureBlock:
    return SignatureBlock(issuer=_commission(case), seal=case.centre.seal_text, date=cn_date(date))


def _you(party: Party | None = None, parties: Sequence[Party] = ()) -> str:
    """你 / 你单位 / 你（单位）: how a notice addresses its reader."""
    if party is not None:
        return "你单位" if party.is_organisation else "你"
    kinds = {p.is_organisation for p in parties}
    if kinds == {True}:
        return "你单位"
    if kinds == {False}:
        return "你"
    return "你（单位）"


def _addressee(parties: Sequence[Party]) -> Para:
    return flush("、".join(p.name for p in parties) + "：")


def _doc(kind: str, name: str, case: ArbitrationCase, blocks: list[Block], number: str | None = None) -> Document:
    number = case.number if number is None else number
    return Document(kind, f"{name} {number}".strip(), tuple(blocks), author=_commission(case))


def _tribunal_text(case: ArbitrationCase) -> str:
    tribunal = case.tribunal
    if tribunal is None:
        return ""
    if tribunal.is_sole:
        return f"独任仲裁员{tribunal.sole}"
    return f"首席仲裁员{tribunal.presiding}、仲裁员{'、'.join(tribunal.members)}"


def _place(case: ArbitrationCase, hearing: Hearing) -> str:
    return f"{hearing.address or case.centre.address}{hearing.room}"


def _absence_warning(case: ArbitrationCase, party: Party | None) -> list[str]:
    """Art. 36: what follows from not attending, for the side being told."""
    applicant = ("申请人收到书面开庭通知，无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，"
                 f"可以视为撤回仲裁申请（{LAW}第三十六条第一款）。")
    respondent = ("被申请人收到书面开庭通知，无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，"
                  f"可以缺席裁决（{LAW}第三十六条第二款）。")
    if party is not None and party in case.applicants:
        return [applicant]
    if party is not None and party in case.respondents:
        return [respondent]
    return [applicant, respondent]


# --------------------------------------------------------------------------
# 收件回执
# --------------------------------------------------------------------------

def build_receipt(receipt: ApplicationReceipt) -> Document:
    case = receipt.case
    blocks = _header(case, "收件回执", receipt.receipt_number)
    blocks.append(_addressee(case.applicants))
    you = _you(parties=case.applicants)
    blocks.append(body(
        f"{you}与{party_names(case.respondents)}{case.cause}的仲裁申请材料，"
        f"本委已于{cn_datetime(receipt.received_at)}收到，清单如下："
    ))
    rows: list[tuple[Cell, ...]] = [(
        Cell("序号", emphasis=True), Cell("材料名称", emphasis=True), Cell("份数", emphasis=True),
        Cell("页数", emphasis=True), Cell("原件/复印件", emphasis=True),
    )]
    for i, m in enumerate(receipt.materials, start=1):
        rows.append((
            Cell(str(i), align="center"), Cell(m.name), Cell(str(m.copies), align="center"),
            Cell(str(m.pages) if m.pages is not None else "", align="center"),
            Cell("原件" if m.original else "复印件", align="center"),
        ))
    blocks.append(Table(tuple(rows), (1.0, 6.0, 1.3, 1.3, 2.4), header_rows=1))
    if receipt.complete:
        blocks.append(body(
            "本回执仅证明本委已收到上述材料，不表示本委已受理。本委将自收到仲裁申请之日起五日内决定是否受理，"
            f"并书面通知{you}（{LAW}第二十九条）。"
        ))
    else:
        blocks.append(body(
            f"{you}提交的申请材料不齐备，需要补正的全部材料已以补正通知书一次性告知（{RULES}第二十九条）。"
        ))
    blocks.append(SignatureBlock(
        signers=((f"收件人（签名）：{receipt.receiver}", "申请人（签收）："),),
        issuer=_commission(case), seal=case.centre.seal_text, date=cn_date(receipt.received_at),
    ))
    return _doc("arbitration_receipt", "收件回执", case, blocks, receipt.receipt_number)


def render_receipt(receipt: ApplicationReceipt, fmt: str = "pdf") -> bytes:
    return render(build_receipt(receipt), fmt)


# --------------------------------------------------------------------------
# 补正通知书
# --------------------------------------------------------------------------

def build_correction(notice: CorrectionNotice) -> Document:
    """Every missing item in ONE notice (办案规则 Art. 29)."""
    case = notice.case
    blocks = _header(case, "补正通知书")
    blocks.append(_addressee(case.applicants))
    you = _you(parties=case.applicants)
    received = f"于{cn_date(case.received_on)}" if case.received_on else ""
    blocks.append(body(
        f"{you}{received}提交的与{party_names(case.respondents)}{case.cause}的仲裁申请，经审查，"
        f"仲裁申请书不规范或者材料不齐备。根据{LAW}第二十八条、{RULES}第二十九条的规定，"
        f"现一次性告知{you}需要补正的全部材料如下："
    ))
    blocks.extend(numbered([i if i.endswith(("。", "；")) else i + "；" for i in notice.items[:-1]]
                           + [notice.items[-1].rstrip("；;。") + "。"]))
    deadline = f"请于{cn_date(notice.deadline)}前" if notice.deadline else "请尽快"
    blocks.append(body(f"{deadline}向本委补正上述全部材料。补正全部材料后，本委将出具收件回执。"))
    if notice.consequence:
        blocks.append(body(notice.consequence))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_correction", "补正通知书", case, blocks)


def render_correction(notice: CorrectionNotice, fmt: str = "pdf") -> bytes:
    return render(build_correction(notice), fmt)


# --------------------------------------------------------------------------
# 受理通知书 / 不予受理通知书
# --------------------------------------------------------------------------

def build_acceptance(notice: AcceptanceNotice) -> Document:
    case = notice.case
    blocks = _header(case, "受理通知书")
    blocks.append(_addressee(case.applicants))
    you = _you(parties=case.applicants)
    received = f"本委于{cn_date(case.received_on)}收到" if case.received_on else "本委已收到"
    blocks.append(body(
        f"{you}与{party_names(case.respondents)}{case.cause}的仲裁申请，{received}。经审查，"
        f"符合受理条件，根据{LAW}第二十九条的规定，本委决定予以受理，案号为{case.number}。"
        "现将有关事项通知如下："
    ))
    items = [
        "本委将自受理之日起五日内将仲裁申请书副本送达被申请人；被申请人应当自收到之日起十日内提交答辩书，"
        f"本委收到答辩书后五日内将副本送达{you}（{LAW}第三十条）。",
    ]
    if case.tribunal is not None:
        items.append(f"本案由{_tribunal_text(case)}组成仲裁庭进行审理（{LAW}第三十一条）。")
    else:
        items.append(f"仲裁庭的组成情况，本委将自受理之日起五日内书面通知（{LAW}第三十二条）。")
    evidence = "当事人对自己提出的主张，有责任提供证据"
    if notice.evidence_deadline:
        evidence += f"，请于{cn_date(notice.evidence_deadline)}前向本委提交证据及证据清单"
    items += [
        f"{evidence}（{LAW}第六条）。",
        "委托他人参加仲裁活动的，应当向本委提交有委托人签名或者盖章的委托书，委托书应当载明委托事项和权限"
        f"（{LAW}第二十四条）。",
        _absence_warning(case, case.applicants[0])[0],
        "仲裁庭裁决劳动争议案件，应当自本委受理仲裁申请之日起四十五日内结束；案情复杂需要延期的，"
        f"经本委主任批准可以延期并书面通知当事人，但延长期限不得超过十五日（{LAW}第四十三条）。",
        f"劳动争议仲裁不收费（{LAW}第五十三条）。",
    ]
    blocks.extend(numbered(items))
    if notice.contact:
        blocks.append(body(f"联系人及电话：{notice.contact}"))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_acceptance", "受理通知书", case, blocks)


def render_acceptance(notice: AcceptanceNotice, fmt: str = "pdf") -> bytes:
    return render(build_acceptance(notice), fmt)


def build_rejection(notice: RejectionNotice) -> Document:
    case = notice.case
    blocks = _header(case, "不予受理通知书")
    blocks.append(_addressee(case.applicants))
    you = _you(parties=case.applicants)
    received = f"本委于{cn_date(case.received_on)}收到" if case.received_on else "本委已收到"
    blocks.append(body(
        f"{you}与{party_names(case.respondents)}{case.cause}的仲裁申请，{received}。"
        "经审查，该申请不符合受理条件，理由如下："
    ))
    blocks.extend(numbered([r.rstrip("。；;") + "。" for r in notice.reasons]))
    basis = notice.basis or f"{LAW}第二十九条"
    blocks.append(body(f"根据{basis}的规定，本委决定不予受理。"))
    if notice.competent_body:
        blocks.append(body(f"本案不属于本委管辖，{you}可以向{notice.competent_body}申请仲裁。"))
    blocks.append(body(
        f"{you}对本委不予受理决定不服的，可以就该劳动争议事项向人民法院提起诉讼（{LAW}第二十九条）。"
    ))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_rejection", "不予受理通知书", case, blocks)


def render_rejection(notice: RejectionNotice, fmt: str = "pdf") -> bytes:
    return render(build_rejection(notice), fmt)


# --------------------------------------------------------------------------
# 应诉通知书 / 仲裁庭组成通知书
# --------------------------------------------------------------------------

def build_response_notice(notice: ResponseNotice) -> Document:
    case = notice.case
    respondent = notice.respondent or case.respondents[0]
    you = _you(respondent)
    blocks = _header(case, "应诉通知书")
    blocks.append(_addressee([respondent]))
    accepted = f"本委已于{cn_date(case.accepted_on)}受理" if case.accepted_on else "本委已受理"
    blocks.append(body(
        f"{party_names(case.applicants)}与{you}{case.cause}一案，{accepted}，案号为{case.number}。"
        f"现将仲裁申请书副本送达{you}，并将有关事项通知如下："
    ))
    evidence = (f"{you}对自己提出的主张，有责任提供证据；与争议事项有关的证据属于用人单位掌握管理的，"
                "用人单位应当提供，不提供的，应当承担不利后果")
    if notice.evidence_deadline:
        evidence += f"。请于{cn_date(notice.evidence_deadline)}前向本委提交证据及证据清单"
    items = [
        f"{you}应当在收到仲裁申请书副本之日起十日内向本委提交答辩书，并按申请人人数提交副本。"
        f"未提交答辩书的，不影响仲裁程序的进行（{LAW}第三十条）。",
        f"{evidence}（{LAW}第六条、第三十九条）。",
        ("请提交营业执照副本复印件、法定代表人身份证明书；委托他人参加仲裁活动的，应当提交有委托人签名或者盖章的"
         "委托书，委托书应当载明委托事项和权限" if respondent.is_organisation else
         "请提交身份证件复印件；委托他人参加仲裁活动的，应当提交有委托人签名或者盖章的委托书，"
         "委托书应当载明委托事项和权限") + f"（{LAW}第二十四条）。",
        _absence_warning(case, respondent)[0],
    ]
    blocks.extend(numbered(items))
    if notice.contact:
        blocks.append(body(f"联系人及电话：{notice.contact}"))
    blocks.append(flush("附：仲裁申请书副本一份"))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_response_notice", "应诉通知书", case, blocks)


def render_response_notice(notice: ResponseNotice, fmt: str = "pdf") -> bytes:
    return render(build_response_notice(notice), fmt)


RECUSAL_GROUNDS = (
    "是本案当事人或者当事人、代理人的近亲属的；",
    "与本案有利害关系的；",
    "与本案当事人、代理人有其他关系，可能影响公正裁决的；",
    "私自会见当事人、代理人，或者接受当事人、代理人的请客送礼的。",
)


def build_tribunal_notice(notice: TribunalNotice) -> Document:
    case = notice.case
    if case.tribunal is None:
        raise ValueError("the case has no tribunal yet")
    tribunal = case.tribunal
    addressees = [notice.addressee] if notice.addressee else list(case.applicants + case.respondents)
    blocks = _header(case, "仲裁庭组成通知书")
    blocks.append(_addressee(addressees))
    accepted = f"本委已于{cn_date(case.accepted_on)}受理" if case.accepted_on else "本委已受理"
    blocks.append(body(f"{case.title_line()}，{accepted}。根据{LAW}第三十一条、第三十二条的规定，现将仲裁庭组成情况通知如下："))
    if tribunal.is_sole:
        blocks.append(body(f"本案适用简易处理，由仲裁员{tribunal.sole}独任仲裁。"))
    else:
        blocks.append(body(f"首席仲裁员：{tribunal.presiding}"))
        blocks.append(body(f"仲裁员：{'、'.join(tribunal.members)}"))
    if tribunal.clerk:
        blocks.append(body(f"书记员：{tribunal.clerk}"))
    blocks.append(body(
        f"仲裁员有下列情形之一的，应当回避，当事人也有权以口头或者书面方式提出回避申请（{LAW}第三十三条）："
    ))
    blocks.extend(body(f"（{cn_numeral(i)}）{g}") for i, g in enumerate(RECUSAL_GROUNDS, start=1))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_tribunal_notice", "仲裁庭组成通知书", case, blocks)


def render_tribunal_notice(notice: TribunalNotice, fmt: str = "pdf") -> bytes:
    return render(build_tribunal_notice(notice), fmt)


# --------------------------------------------------------------------------
# 开庭通知书 / 延期开庭通知书
# --------------------------------------------------------------------------

def build_hearing_notice(notice: HearingNotice) -> Document:
    case, hearing, party = notice.case, notice.hearing, notice.addressee
    you = _you(party)
    blocks = _header(case, "开庭通知书")
    blocks.append(_addressee([party]))
    blocks.append(body(
        f"本委受理的{case.title_line()}，定于{cn_datetime(hearing.starts_at)}在{_place(case, hearing)}"
        f"开庭审理。请{you}准时到庭。"
    ))
    if case.tribunal is not None:
        blocks.append(body(f"仲裁庭组成：{_tribunal_text(case)}。"))
    if notice.bring:
        blocks.append(body("到庭时请携带：" + "；".join(b.rstrip("；;。") for b in notice.bring) + "。"))
    blocks.append(body(
        f"当事人有正当理由的，可以在开庭三日前请求延期开庭，是否延期由本委决定（{LAW}第三十五条）。"
        + "".join(_absence_warning(case, party))
    ))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_hearing_notice", "开庭通知书", case, blocks)


def render_hearing_notice(notice: HearingNotice, fmt: str = "pdf") -> bytes:
    return render(build_hearing_notice(notice), fmt)


def render_hearing_notices(notices: Sequence[HearingNotice], settings: PageSettings = GB_T_9704) -> bytes:
    """Many hearing notices as ONE PDF, each on its own pages with its own page numbers."""
    return render_pdf_batch([build_hearing_notice(n) for n in notices], settings)


def build_postponement(notice: PostponementNotice) -> Document:
    case, party = notice.case, notice.addressee
    you = _you(party)
    blocks = _header(case, "延期开庭通知书")
    blocks.append(_addressee([party]))
    text = (f"本委受理的{case.title_line()}，原定于{cn_datetime(notice.original.starts_at)}"
            f"在{_place(case, notice.original)}开庭审理。")
    reason = notice.reason.rstrip("。")
    if notice.requested_by:
        text += f"{notice.requested_by}以{reason}为由，在开庭三日前请求延期开庭，" if reason else \
            f"{notice.requested_by}在开庭三日前请求延期开庭，"
        text += f"经审查，本委决定延期开庭（{LAW}第三十五条）。"
    else:
        text += f"因{reason}，本委决定延期开庭。" if reason else "本委决定延期开庭。"
    blocks.append(body(text))
    if notice.new is not None:
        blocks.append(body(
            f"现改定于{cn_datetime(notice.new.starts_at)}在{_place(case, notice.new)}开庭审理，请{you}准时到庭。"
        ))
    else:
        blocks.append(body("开庭时间另行通知。"))
    blocks.extend(body(w) for w in _absence_warning(case, party))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_postponement", "延期开庭通知书", case, blocks)


def render_postponement(notice: PostponementNotice, fmt: str = "pdf") -> bytes:
    return render(build_postponement(notice), fmt)


# --------------------------------------------------------------------------
# 庭审笔录
# --------------------------------------------------------------------------

def _attendee(p: Participant) -> str:
    bits = [p.role, p.presence]
    if p.remote and p.location:
        bits.append(f"所在地：{p.location}")
    if p.identity_check:
        bits.append(f"身份核验：{p.identity_check}")
    return f"{p.name}（{'，'.join(bits)}）"


def _side_of(case: ArbitrationCase, party: Party) -> str:
    if party in case.applicants:
        return "申请人"
    if party in case.respondents:
        return "被申请人"
    return "第三人"


def build_hearing_record(record: HearingRecord) -> Document:
    case, hearing = record.case, record.hearing
    tribunal = case.tribunal
    blocks = _header(case, "庭审笔录")
    span = cn_datetime(hearing.starts_at, weekday=False)
    if record.ended_at is not None:
        end = cn_datetime(record.ended_at, weekday=False)
        span += "至" + end[len(cn_date(record.ended_at)):] if cn_date(record.ended_at) == cn_date(hearing.starts_at) \
            else "至" + end
    header = [
        ("案由：", case.cause),
        ("当事人：", "；".join(f"{_side_of(case, p)}{p.name}" for p in case.parties)),
        ("时间：", span),
        ("地点：", _place(case, hearing)),
        ("仲裁庭：", _tribunal_text(case) or "（未组庭）"),
        ("书记员：", tribunal.clerk if tribunal else ""),
        ("审理方式：", "公开审理" if record.public else f"不公开审理（{LAW}第二十六条）"),
        ("到庭人员：", "；".join(_attendee(p) for p in record.attendees) or "（无）"),
    ]
    blocks += [Para((Run(label, emphasis=True), value), ParaKind.FLUSH) for label, value in header]
    blocks.append(heading("一、开庭"))
    blocks.append(labelled("书记员：", "查明当事人及其他仲裁参加人到庭情况，宣布仲裁庭纪律。"))
    blocks.append(labelled(
        "仲裁员：",
        f"现在开庭。本庭由{_tribunal_text(case) or '仲裁员'}组成，书记员{tribunal.clerk if tribunal else ''}担任记录。"
        "当事人在仲裁活动中有申请回避、提供证据、质证和辩论、最后陈述、自行和解等权利"
        f"（{LAW}第三十三条、第三十八条、第四十一条）。当事人是否申请仲裁员回避？",
    ))
    for i, section in enumerate(record.sections, start=2):
        blocks.append(heading(f"{cn_numeral(i)}、{section.title}"))
        blocks += [labelled(f"{e.speaker}：", e.text) for e in section.entries] or [body("（无）")]
    blocks.append(body(record.closing))
    left = [f"{_side_of(case, p)}（签名）：" for p in case.parties]
    for p in case.parties:
        if p.agents:
            left.append(f"{_side_of(case, p)}代理人（签名）：")
    right = [f"{role}（签名）：" for role, _ in (tribunal.roles() if tribunal else [("仲裁员", "")])]
    right.append("书记员（签名）：")
    blocks.append(SignatureBlock(signers=tuple((a or "", b or "") for a, b in zip_longest(left, right))))
    return _doc("arbitration_hearing_record", "庭审笔录", case, blocks)


def render_hearing_record(record: HearingRecord, fmt: str = "pdf") -> bytes:
    return render(build_hearing_record(record), fmt)


# --------------------------------------------------------------------------
# 仲裁调解书 / 仲裁裁决书
# --------------------------------------------------------------------------

def _parties_section(case: ArbitrationCase) -> list[Block]:
    blocks: list[Block] = []
    for p in case.applicants:
        blocks += party_paragraphs(p, "申请人")
    for p in case.respondents:
        blocks += party_paragraphs(p, "被申请人")
    for p in case.third_parties:
        blocks += party_paragraphs(p, "第三人")
    return blocks


def _spread(label: str, width: int) -> str:
    """``仲裁员`` → ``仲　裁　员``: role labels of an instrument share one width."""
    gaps = len(label) - 1
    extra = width - len(label)
    if gaps <= 0 or extra <= 0 or extra % gaps:
        return label
    return ("\u3000" * (extra // gaps)).join(label)


def _closing_lines(case: ArbitrationCase, date: dt.date) -> RoleLines:
    tribunal = case.tribunal
    roles = list(tribunal.roles()) if tribunal else []
    if tribunal and tribunal.clerk:
        roles.append(("书记员", tribunal.clerk))
    width = max((len(r) for r, _ in roles), default=0)
    spread = {r: _spread(r, width) for r, _ in roles}
    rows = [(spread[r], n) for r, n in (tribunal.roles() if tribunal else [])]
    rows.append(("", cn_date_upper(date)))
    if case.centre.seal_text:
        rows.append(("", case.centre.seal_text))
    if tribunal and tribunal.clerk:
        rows.append((spread["书记员"], tribunal.clerk))
    return RoleLines(tuple(rows))


def build_mediation_statement(statement: ArbitralMediation) -> Document:
    """仲裁调解书: the claims and the agreed result (Art. 42)."""
    case = statement.case
    number = statement.number or case.number
    blocks = _header(case, "仲裁调解书", number)
    blocks += _parties_section(case)
    accepted = f"本委于{cn_date(case.accepted_on)}受理后" if case.accepted_on else "本委受理后"
    tribunal = f"，由{_tribunal_text(case)}组成仲裁庭进行审理" if case.tribunal else ""
    blocks.append(body(f"{case.title_line()}，{accepted}{tribunal}。"))
    blocks.append(labelled("申请人的仲裁请求：", ""))
    blocks.extend(numbered([c.sentence() for c in case.claims]) or [body("（无）")])
    if statement.facts:
        blocks.append(labelled("案件事实：", statement.facts))
    blocks.append(body("本案在仲裁庭主持下，经调解，双方当事人自愿达成如下协议："))
    blocks.extend(numbered([t.sentence() for t in statement.terms]))
    blocks.append(body(
        "上述协议系双方当事人真实意思表示，不违反法律、行政法规的强制性规定，本委予以确认。"
        f"本调解书经双方当事人签收后，发生法律效力（{LAW}第四十二条）。"
    ))
    blocks.append(_closing_lines(case, statement.issued_on))
    return _doc("arbitration_mediation_statement", "仲裁调解书", case, blocks, number)


def render_mediation_statement(statement: ArbitralMediation, fmt: str = "pdf") -> bytes:
    return render(build_mediation_statement(statement), fmt)


def finality_paragraphs(final: bool) -> list[str]:
    """The closing paragraphs of an award: Art. 47-49 for a final award, Art. 50 otherwise."""
    if final:
        texts = [
            f"本裁决为终局裁决，裁决书自作出之日起发生法律效力（{LAW}第四十七条）。",
            f"劳动者对本裁决不服的，可以自收到本裁决书之日起十五日内向人民法院提起诉讼（{LAW}第四十八条）。",
            f"用人单位有证据证明本裁决有{LAW}第四十九条第一款规定情形之一的，可以自收到本裁决书之日起三十日内"
            "向劳动争议仲裁委员会所在地的中级人民法院申请撤销裁决。",
        ]
    else:
        texts = [
            "当事人对本裁决不服的，可以自收到本裁决书之日起十五日内向人民法院提起诉讼；"
            f"期满不起诉的，本裁决书发生法律效力（{LAW}第五十条）。",
        ]
    texts.append(
        "当事人对发生法律效力的裁决书，应当依照规定的期限履行。一方当事人逾期不履行的，另一方当事人可以"
        f"依照民事诉讼法的有关规定向人民法院申请执行（{LAW}第五十一条）。"
    )
    return texts


def _procedure(award: Award) -> str:
    if award.procedure:
        return award.procedure
    case = award.case
    tribunal = case.tribunal
    if tribunal is None:    # Award itself refuses such a case; the procedure text never reads a missing one
        raise ValueError("an award is signed by the tribunal: the case has none")
    accepted = f"本委于{cn_date(case.accepted_on)}受理后" if case.accepted_on else "本委受理后"
    formed = (f"依法适用简易处理，由仲裁员{tribunal.sole}独任仲裁" if tribunal.is_sole
              else f"依法组成由首席仲裁员{tribunal.presiding}、仲裁员{'、'.join(tribunal.members)}参加的仲裁庭")
    text = f"{case.title_line()}，{accepted}，{formed}，开庭进行了审理。"
    if award.respondent_absent:
        text += (f"申请人{party_names(case.applicants)}到庭参加仲裁活动；被申请人{party_names(case.respondents)}"
                 f"经本委书面通知，无正当理由拒不到庭，本委依法缺席裁决（{LAW}第三十六条第二款）。")
    else:
        text += "双方当事人到庭参加了仲裁活动。"
    return text + "本案现已审理终结。"


def build_award(award: Award) -> Document:
    """仲裁裁决书: claims, facts, reasons, result and date (Art. 46)."""
    case = award.case
    number = award.number or case.number
    blocks = _header(case, "仲裁裁决书", number)
    if award.part_label:
        blocks.insert(1, Para((f"（{award.part_label}）",), ParaKind.CENTER))
    blocks += _parties_section(case)
    blocks.append(body(_procedure(award)))
    blocks.append(labelled("申请人请求：", ""))
    blocks.extend(numbered([c.sentence() for c in case.claims]) or [body("（无）")])
    if award.applicant_statement:
        blocks.append(labelled("申请人称：", award.applicant_statement))
    if award.respondent_defence:
        blocks.append(labelled("被申请人辩称：", award.respondent_defence))
    elif award.respondent_absent:
        blocks.append(labelled("被申请人辩称：", "被申请人未到庭，亦未提交答辩意见。"))
    blocks.append(labelled("经审理查明：", award.facts_found))
    blocks.append(labelled("本委认为：", award.reasons))
    basis = f"依照{award.basis}之规定，" if award.basis else ""
    blocks.append(body(f"{basis}裁决如下："))
    blocks.extend(numbered([item.sentence() for item in award.result]))
    if award.costs:
        blocks.append(body(award.costs))
    blocks.extend(body(t) for t in finality_paragraphs(award.final))
    if award.dissent_noted:
        blocks.append(body(f"仲裁员的不同意见已记入笔录（{LAW}第四十五条）。"))
    blocks.append(_closing_lines(case, award.issued_on))
    name = f"仲裁裁决书（{award.part_label}）" if award.part_label else "仲裁裁决书"
    return _doc("arbitration_award", name, case, blocks, number)


def render_award(award: Award, fmt: str = "pdf") -> bytes:
    return render(build_award(award), fmt)


# --------------------------------------------------------------------------
# 送达回证
# --------------------------------------------------------------------------

def build_service_receipt(receipt: ServiceReceipt) -> Document:
    """送达回证: the recipient writes the date of receipt and signs (民事诉讼法 Art. 87)."""
    case = receipt.case
    blocks = _header(case, "送达回证")
    rows: list[tuple[Cell, ...]] = [
        (Cell("案号", emphasis=True), Cell(case.number, span=3)),
        (Cell("案由", emphasis=True), Cell(case.cause, span=3)),
        (Cell("送达文书名称及文号", emphasis=True), Cell("\n".join(receipt.documents), span=3, min_lines=2)),
        (Cell("受送达人", emphasis=True), Cell(receipt.recipient, span=3)),
        (Cell("送达地址", emphasis=True), Cell(receipt.address, span=3)),
        (Cell("送达方式", emphasis=True), Cell(receipt.method), Cell("送达人", emphasis=True), Cell(receipt.server)),
        (Cell("受送达人签名或者盖章", emphasis=True),
         Cell(f"签名或者盖章：\n\n收到日期：{BLANK_DATE}", span=3, min_lines=3)),
        (Cell("代收人及代收理由", emphasis=True), Cell("", span=3, min_lines=2)),
        (Cell("拒收情况及见证人", emphasis=True), Cell("", span=3, min_lines=2)),
        (Cell("填发日期", emphasis=True), Cell(cn_date(receipt.issued_on)), Cell("备注", emphasis=True), Cell("")),
    ]
    # The label column holds 受送达人签名或者盖章 on one line.
    blocks.append(Table(tuple(rows), (4.2, 3.6, 1.6, 2.6)))
    blocks.append(note(
        "注：受送达人应当在本回证上记明收到日期，签名或者盖章；受送达人在送达回证上的签收日期为送达日期"
        "（《中华人民共和国民事诉讼法》第八十七条）。受送达人的同住成年家属、法人或者其他组织负责收件的人、"
        "代理人或者代收人签收的，其签收日期为送达日期（第八十八条）。受送达人拒绝接收的，送达人可以邀请有关"
        "基层组织或者所在单位的代表到场，说明情况，在送达回证上记明拒收事由和日期，由送达人、见证人签名或者盖章，"
        "把文书留在受送达人的住所，即视为送达（第八十九条）。"
    ))
    blocks.append(_issuer(case, receipt.issued_on))
    return _doc("arbitration_service_receipt", "送达回证", case, blocks)


def render_service_receipt(receipt: ServiceReceipt, fmt: str = "pdf") -> bytes:
    return render(build_service_receipt(receipt), fmt)


# --------------------------------------------------------------------------
# 延长审理期限通知书 (Art. 43)
# --------------------------------------------------------------------------

def build_extension_notice(notice: ExtensionNotice) -> Document:
    case = notice.case
    blocks = _header(case, "延长审理期限通知书")
    blocks.append(_addressee(case.parties))
    blocks.append(body(
        f"{party_names(case.applicants)}与{party_names(case.respondents)}{case.cause}一案，本委于"
        f"{cn_date(case.accepted_on)}受理，审理期限原定于{cn_date(notice.original_due)}届满。"
        f"因{notice.reason.rstrip('。')}，案情复杂需要延期，经本委主任{notice.approved_by}于"
        f"{cn_date(notice.approved_on)}批准，根据{LAW}第四十三条第一款的规定，本案审理期限延长"
        f"{cn_numeral(notice.days)}日，至{cn_date(notice.new_due)}届满。"
    ))
    blocks.append(body("延长期限不得超过十五日，且以一次为限。逾期未作出仲裁裁决的，当事人可以就该劳动争议事项"
                       f"向人民法院提起诉讼（{LAW}第四十三条第一款）。"))
    blocks.append(body("特此通知。"))
    blocks.append(_issuer(case, notice.issued_on))
    return _doc("arbitration_extension_notice", "延长审理期限通知书", case, blocks)


def render_extension_notice(notice: ExtensionNotice, fmt: str = "pdf") -> bytes:
    return render(build_extension_notice(notice), fmt)


# --------------------------------------------------------------------------
# 决定书: 撤回 (Art. 41) / 视为撤回 (Art. 36 (1))
# --------------------------------------------------------------------------

def build_withdrawal_decision(decision: WithdrawalDecision) -> Document:
    case = decision.case
    blocks = _header(case, "决定书")
    blocks += _parties_section(case)
    accepted = f"本委于{cn_date(case.accepted_on)}受理" if case.accepted_on else (
        f"本委于{cn_date(case.received_on)}收到仲裁申请" if case.received_on else "本委收到仲裁申请")
    opening = f"{case.title_line()}，{accepted}。"
    if decision.deemed:
        blocks.append(body(
            opening + f"本委于{cn_date(decision.notice_served_on)}将开庭日期、地点书面通知申请人，"
            f"申请人{party_names(case.applicants)}收到书面通知后，{decision.facts.rstrip('。')}。"
        ))
        blocks.append(body(
            f"本委认为，申请人收到书面通知，无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，可以视为撤回仲裁申请。"
            f"依照{LAW}第三十六条第一款的规定，决定如下："
        ))
        blocks.append(body(f"本案按申请人{party_names(case.applicants)}撤回仲裁申请处理。"))
    else:
        blocks.append(body(opening + f"{decision.facts.rstrip('。')}。"))
        blocks.append(body(
            f"本委认为，申请人撤回仲裁申请是对自己权利的处分，不违反法律规定。依照{LAW}第四十一条的规定，决定如下："
        ))
        blocks.append(body(f"准许申请人{party_names(case.applicants)}撤回仲裁申请。"))
    blocks.append(body("本决定书自送达之日起生效。撤回仲裁申请后，申请人就同一劳动争议可以依法另行申请仲裁，"
                       f"但应当在仲裁时效期间内提出（{LAW}第二十七条）。"))
    blocks.append(_closing_lines(case, decision.issued_on) if case.tribunal else _issuer(case, decision.issued_on))
    return _doc("arbitration_withdrawal_decision", "决定书", case, blocks)


def render_withdrawal_decision(decision: WithdrawalDecision, fmt: str = "pdf") -> bytes:
    return render(build_withdrawal_decision(decision), fmt)


# --------------------------------------------------------------------------
# 回避决定书 (Art. 33)
# --------------------------------------------------------------------------

def build_recusal_decision(decision: RecusalDecision) -> Document:
    case = decision.case
    blocks = _header(case, "回避决定书")
    blocks += _parties_section(case)
    blocks.append(body(
        f"{case.title_line()}，本委于{cn_date(case.accepted_on)}受理。{decision.applied_by}于"
        f"{cn_date(decision.applied_on)}申请{decision.member_role}{decision.member}回避，理由是："
        f"{decision.ground}（{decision.ground_basis}）。"
    ))
    blocks.append(body(f"经审查，{decision.reason.rstrip('。')}。依照{LAW}第三十三条的规定，决定如下："))
    if decision.granted:
        blocks.append(body(f"{decision.member}回避，由{decision.replacement}担任本案{decision.member_role}。"))
        blocks.append(body(f"仲裁庭组成情况变更后，本委将书面通知当事人（{LAW}第三十二条）。"))
    else:
        blocks.append(body(f"驳回{decision.applied_by}要求{decision.member}回避的申请。"))
    blocks.append(body(f"本决定由本委主任{decision.decided_by}作出。"))
    blocks.append(_issuer(case, decision.issued_on))
    return _doc("arbitration_recusal_decision", "回避决定书", case, blocks)


def render_recusal_decision(decision: RecusalDecision, fmt: str = "pdf") -> bytes:
    return render(build_recusal_decision(decision), fmt)


# --------------------------------------------------------------------------
# 口头申请笔录 (Art. 28 (3))
# --------------------------------------------------------------------------

def build_oral_application(record: OralApplicationRecord) -> Document:
    case = record.case
    blocks = _header(case, "口头申请笔录", "")
    head = [("时间：", cn_datetime(record.recorded_at, weekday=False)), ("地点：", record.place),
            ("记录人：", record.recorder), ("案由：", case.cause)]
    blocks += [Para((Run(label, emphasis=True), value), ParaKind.FLUSH) for label, value in head]
    blocks.append(body(f"申请人书写仲裁申请确有困难，口头申请仲裁，本委记入笔录（{LAW}第二十八条第三款）。"))
    blocks += _parties_section(case)
    blocks.append(labelled("仲裁请求：", ""))
    blocks.extend(numbered([c.sentence() for c in case.claims]))
    blocks.append(labelled("事实和理由：", case.facts_reasons))
    if case.evidence:
        blocks.append(labelled("证据和证据来源：", ""))
        blocks.extend(numbered(["；".join(x for x in (e.name, f"来源：{e.source}" if e.source else "",
                                                    f"证明：{e.purpose}" if e.purpose else "") if x)
                                for e in case.evidence]))
    if case.witnesses:
        blocks.append(labelled("证人姓名和住所：", "；".join(
            f"{w.name}（{w.address}）" if getattr(w, "address", "") else w.name for w in case.witnesses)))
    blocks.append(body("以上笔录已向申请人宣读（或交申请人阅看），申请人确认无误。"
                       "本委将把口头申请的内容告知对方当事人。"))
    blocks.append(SignatureBlock(signers=(("申请人（签名或者按指印）：", f"记录人（签名）：{record.recorder}"),),
                                 issuer=_commission(case), seal=case.centre.seal_text,
                                 date=cn_date(record.recorded_at)))
    return _doc("arbitration_oral_application", "口头申请笔录", case, blocks, "")


def render_oral_application(record: OralApplicationRecord, fmt: str = "pdf") -> bytes:
    return render(build_oral_application(record), fmt)
