"""Every document the hall prints, as data: KIND → name, input type, renderer, required parts.

The CLI and the UI list :data:`KINDS` to offer documents, and call
:func:`render` with a kind (or just the input object) and a format.

``required_parts`` are the fixed texts every rendering of the kind carries,
whatever the case: the title, the statutory sentences, the labels of the
layout.  The tests render each kind in both formats and look for each of
them in the extracted text (PDF via ``pdftotext``, DOCX via python-docx),
with line breaks and spaces removed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reports import arbitration_docs as arb
from reports import mediation_docs as med
from reports import petition_docs as pet
from reports.docmodel import (
    AcceptanceNotice,
    Agreement,
    ApplicationReceipt,
    ArbitralMediation,
    Award,
    CorrectionNotice,
    Document,
    ExtensionNotice,
    FollowUp,
    HearingNotice,
    HearingRecord,
    OralApplicationRecord,
    PetitionAcceptance,
    PetitionOpinion,
    PostponementNotice,
    RecusalDecision,
    Registration,
    RejectionNotice,
    ResponseNotice,
    RightsNotice,
    ServiceReceipt,
    SessionMinutes,
    Termination,
    TribunalNotice,
    WithdrawalDecision,
)
from reports.official import FORMATS, GB_T_9704, PageSettings, render_pdf_batch
from reports.official import render as render_document

__all__ = ["DocumentKind", "KINDS", "FORMATS", "kind_of", "render", "render_batch", "build"]


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    name: str                                   # Chinese name shown to staff
    input_type: type
    build: Callable[[Any], Document]
    render: Callable[[Any, str], bytes]
    required_parts: tuple[str, ...]
    basis: str                                  # where the layout comes from
    area: str                                   # 人民调解 / 劳动人事争议仲裁 / 信访


_MED_LAW = "《中华人民共和国人民调解法》"
_ARB_LAW = "《中华人民共和国劳动争议调解仲裁法》"
_PET = "《信访工作条例》"

_ALL = (
    # ------------------------------------------------------------ mediation
    DocumentKind(
        "mediation_agreement", "人民调解协议书", Agreement, med.build_agreement, med.render_agreement,
        (
            "人民调解协议书", "当事人基本情况", "纠纷主要事实、争议事项：", med.AGREEMENT_OPENING,
            "履行方式、期限：", med.effect_sentence(), "当事人各执一份，人民调解委员会留存一份",
            "（签名并按指印）：", "人民调解员（签名）：", "记录人（签名）：",
        ),
        f"{_MED_LAW}第二十八条、第二十九条、第三十一条、第三十三条", "人民调解",
    ),
    DocumentKind(
        "mediation_minutes", "调解笔录", SessionMinutes, med.build_minutes, med.render_minutes,
        (
            "调解笔录", "时间：", "地点：", "事由：", "当事人：", "参加人：", "调解员：", "记录人：",
            "告知事项", "当事人陈述", "事实核对", "风险提示", "调解结果", "（签名或按指印）：",
            "记录人（签名）：",
        ),
        f"{_MED_LAW}第二十二条至第二十七条；《人民法院在线调解规则》第十七条、第二十一条", "人民调解",
    ),
    DocumentKind(
        "mediation_registration", "人民调解受理登记表", Registration, med.build_registration,
        med.render_registration,
        ("人民调解受理登记表", "登记日期", "纠纷类型", "纠纷来源", "纠纷简要情况", "当事人申请事项",
         "受理意见", "登记人", "第十七条"),
        f"{_MED_LAW}第十七条、第二十七条", "人民调解",
    ),
    DocumentKind(
        "mediation_rights_notice", "人民调解当事人权利义务告知书", RightsNotice, med.build_rights_notice,
        med.render_rights_notice,
        ("人民调解当事人权利义务告知书", *med.RIGHTS, *med.DUTIES, "第二十三条", "第二十四条", "不收取任何费用"),
        f"{_MED_LAW}第三条、第四条、第二十三条、第二十四条", "人民调解",
    ),
    DocumentKind(
        "mediation_attendance_notice", "调解通知书", med.AttendanceNotice, med.build_attendance_notice,
        med.render_attendance_notice,
        ("调解通知书", "进行调解", "请你方准时参加", "可以拒绝调解", "不收取任何费用"),
        f"{_MED_LAW}第三条、第四条、第十七条、第二十三条", "人民调解",
    ),
    DocumentKind(
        "mediation_follow_up", "人民调解回访记录", FollowUp, med.build_follow_up, med.render_follow_up,
        ("人民调解回访记录", "回访时间", "回访方式", "调解协议", "回访情况", "当事人意见", "处理意见",
         "回访人（签名）", "第三十一条"),
        f"{_MED_LAW}第三十一条、第三十二条", "人民调解",
    ),
    DocumentKind(
        "mediation_termination", "终止调解告知书", Termination, med.build_termination, med.render_termination,
        ("终止调解告知书", "本委员会决定终止调解", "第二十六条", "可以依法通过下列途径维护自己的权利"),
        f"{_MED_LAW}第二十六条", "人民调解",
    ),
    # ---------------------------------------------------------- arbitration
    DocumentKind(
        "arbitration_receipt", "收件回执", ApplicationReceipt, arb.build_receipt, arb.render_receipt,
        ("收件回执", "材料名称", "份数", "原件/复印件", "收件人（签名）：", "申请人（签收）："),
        "《劳动人事争议仲裁办案规则》第二十九条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_correction", "补正通知书", CorrectionNotice, arb.build_correction, arb.render_correction,
        ("补正通知书", "一次性告知", "需要补正的全部材料如下：", "第二十八条", "第二十九条", "收件回执"),
        f"{_ARB_LAW}第二十八条；《劳动人事争议仲裁办案规则》第二十九条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_acceptance", "受理通知书", AcceptanceNotice, arb.build_acceptance, arb.render_acceptance,
        ("受理通知书", "符合受理条件", "本委决定予以受理", "案号为", "十日内提交答辩书", "四十五日内",
         "第二十九条"),
        f"{_ARB_LAW}第二十九条、第三十条、第三十二条、第四十三条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_rejection", "不予受理通知书", RejectionNotice, arb.build_rejection, arb.render_rejection,
        ("不予受理通知书", "不符合受理条件，理由如下：", "本委决定不予受理", "向人民法院提起诉讼", "第二十九条"),
        f"{_ARB_LAW}第二十九条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_response_notice", "应诉通知书", ResponseNotice, arb.build_response_notice,
        arb.render_response_notice,
        ("应诉通知书", "仲裁申请书副本", "十日内向本委提交答辩书", "不影响仲裁程序的进行", "第三十条",
         "可以缺席裁决"),
        f"{_ARB_LAW}第三十条、第三十六条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_tribunal_notice", "仲裁庭组成通知书", TribunalNotice, arb.build_tribunal_notice,
        arb.render_tribunal_notice,
        ("仲裁庭组成通知书", "仲裁庭组成情况", "回避申请", "第三十三条", *arb.RECUSAL_GROUNDS),
        f"{_ARB_LAW}第三十一条至第三十三条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_hearing_notice", "开庭通知书", HearingNotice, arb.build_hearing_notice,
        arb.render_hearing_notice,
        ("开庭通知书", "开庭审理", "准时到庭", "开庭三日前请求延期开庭", "第三十五条", "第三十六条"),
        f"{_ARB_LAW}第三十五条、第三十六条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_postponement", "延期开庭通知书", PostponementNotice, arb.build_postponement,
        arb.render_postponement,
        ("延期开庭通知书", "原定于", "本委决定延期开庭", "第三十六条"),
        f"{_ARB_LAW}第三十五条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_hearing_record", "庭审笔录", HearingRecord, arb.build_hearing_record,
        arb.render_hearing_record,
        ("庭审笔录", "案由：", "时间：", "地点：", "仲裁庭：", "书记员：", "到庭人员：", "是否申请仲裁员回避",
         "有权申请补正", "第四十条", "书记员（签名）："),
        f"{_ARB_LAW}第三十八条、第四十条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_mediation_statement", "仲裁调解书", ArbitralMediation, arb.build_mediation_statement,
        arb.render_mediation_statement,
        ("仲裁调解书", "申请人的仲裁请求：", "双方当事人自愿达成如下协议：", "经双方当事人签收后，发生法律效力",
         "第四十二条"),
        f"{_ARB_LAW}第四十二条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_award", "仲裁裁决书", Award, arb.build_award, arb.render_award,
        ("仲裁裁决书", "申请人请求：", "经审理查明：", "本委认为：", "裁决如下：",
         "自收到本裁决书之日起十五日内向人民法院提起诉讼", "第五十一条"),
        f"{_ARB_LAW}第四十六条至第五十一条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_service_receipt", "送达回证", ServiceReceipt, arb.build_service_receipt,
        arb.render_service_receipt,
        ("送达回证", "送达文书名称及文号", "受送达人", "送达地址", "送达方式", "送达人", "签名或者盖章",
         "收到日期", "代收人及代收理由", "第八十七条"),
        "《中华人民共和国民事诉讼法》第八十七条至第八十九条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_extension_notice", "延长审理期限通知书", ExtensionNotice, arb.build_extension_notice,
        arb.render_extension_notice,
        ("延长审理期限通知书", "审理期限原定于", "经本委主任", "批准", "延长期限不得超过十五日", "第四十三条第一款"),
        f"{_ARB_LAW}第四十三条第一款", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_withdrawal_decision", "决定书", WithdrawalDecision,
        arb.build_withdrawal_decision, arb.render_withdrawal_decision,
        ("决定书", "申请人", "被申请人", "决定如下：", "撤回仲裁申请"),
        f"{_ARB_LAW}第三十六条第一款、第四十一条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_recusal_decision", "回避决定书", RecusalDecision, arb.build_recusal_decision,
        arb.render_recusal_decision,
        ("回避决定书", "申请", "回避，理由是：", "决定如下：", "第三十三条", "本决定由本委主任"),
        f"{_ARB_LAW}第三十三条", "劳动人事争议仲裁",
    ),
    DocumentKind(
        "arbitration_oral_application", "口头申请笔录", OralApplicationRecord, arb.build_oral_application,
        arb.render_oral_application,
        ("口头申请笔录", "时间：", "地点：", "记录人：", "第二十八条第三款", "仲裁请求：", "事实和理由：",
         "申请人确认无误", "申请人（签名或者按指印）："),
        f"{_ARB_LAW}第二十八条", "劳动人事争议仲裁",
    ),
    # ------------------------------------------------------------ petitions
    DocumentKind(
        "petition_acceptance", "信访事项受理告知书", PetitionAcceptance, pet.build_acceptance,
        pet.render_acceptance,
        ("信访事项", "告知书", "本机关已于", "收到并登记", "第二十三条"),
        f"{_PET}第二十三条", "信访",
    ),
    DocumentKind(
        "petition_opinion", "信访处理意见书", PetitionOpinion, pet.build_opinion, pet.render_opinion,
        ("信访处理意见书", "信访人投诉请求：", "事实和理由：", "处理意见：", "法律法规依据：", "请求复查",
         "第三十五条"),
        f"{_PET}第三十一条第六项、第三十二条、第三十五条", "信访",
    ),
)

KINDS: dict[str, DocumentKind] = {k.kind: k for k in _ALL}
_BY_TYPE: dict[type, DocumentKind] = {k.input_type: k for k in _ALL}


def kind_of(data: Any) -> DocumentKind:
    """The kind whose input type ``data`` is."""
    try:
        return _BY_TYPE[type(data)]
    except KeyError:
        raise TypeError(f"no document takes a {type(data).__name__}") from None


def build(data: Any) -> Document:
    return kind_of(data).build(data)


def render(data: Any, fmt: str = "pdf", kind: str | None = None) -> bytes:
    """Render ``data`` as ``"pdf"`` or ``"docx"``; ``kind`` (if given) must match its type."""
    entry = kind_of(data)
    if kind is not None and kind != entry.kind:
        raise TypeError(f"{type(data).__name__} is the input of {entry.kind}, not {kind}")
    return render_document(entry.build(data), fmt)


def render_batch(items: Iterable[Any], settings: PageSettings = GB_T_9704) -> bytes:
    """Many documents (typically a day's hearing notices) as ONE PDF.

    Each document starts on a new page and has its own page numbers.
    """
    docs: Sequence[Document] = [build(item) for item in items]
    return render_pdf_batch(docs, settings)
