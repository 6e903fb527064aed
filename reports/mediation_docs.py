"""Documents of people's mediation (《中华人民共和国人民调解法》).

Each document has a ``build_*`` function (data → laid-out
:class:`reports.docmodel.Document`) and a ``render_*`` function
(data, ``"pdf"``/``"docx"`` → bytes):

=========================  ===================================  ==========================
document                   function                             basis
=========================  ===================================  ==========================
人民调解协议书              :func:`render_agreement`             Art. 28-29, 31, 33
调解笔录                    :func:`render_minutes`               Art. 22-27; 在线调解规则 17
人民调解受理登记表          :func:`render_registration`          Art. 17, 27
当事人权利义务告知书        :func:`render_rights_notice`         Art. 3-4, 23-24, 26, 29, 33
人民调解回访记录            :func:`render_follow_up`             Art. 31-33
终止调解告知书              :func:`render_termination`           Art. 26 (23 (2))
调解通知书                  :func:`render_attendance_notice`     Art. 17, 23, 4
=========================  ===================================  ==========================

The wording quotes the statute where the statute has words for it
(rights, duties, effect of the agreement, copies, routes after failure).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import zip_longest

from hall.domain import money as rmb
from reports.docmodel import (
    PARTY_TABLE_WIDTHS,
    Agreement,
    AttendanceNotice,
    Block,
    Cell,
    DocNumber,
    Document,
    FollowUp,
    MediationCase,
    Organisation,
    Para,
    ParaKind,
    Participant,
    Registration,
    RightsNotice,
    Run,
    SessionMinutes,
    SignatureBlock,
    Table,
    Termination,
    Title,
    body,
    cn_date,
    cn_datetime,
    cn_numeral,
    flush,
    heading,
    labelled,
    note,
    numbered,
    party_names,
    party_rows,
    party_table,
)
from reports.official import render

__all__ = [
    "AGREEMENT_OPENING",
    "build_agreement", "render_agreement",
    "build_minutes", "render_minutes",
    "build_registration", "render_registration",
    "build_rights_notice", "render_rights_notice",
    "build_follow_up", "render_follow_up",
    "build_termination", "render_termination",
    "AttendanceNotice", "build_attendance_notice", "render_attendance_notice",
    "copies_sentence", "effect_sentence", "judicial_confirmation_sentence",
]

LAW = "《中华人民共和国人民调解法》"
AGREEMENT_OPENING = "经调解，自愿达成如下协议："


def _header(case: MediationCase, name: str) -> list[Block]:
    blocks: list[Block] = [Title((case.centre.committee_name, name))]
    if case.number:
        blocks.append(DocNumber(case.number))
    return blocks


def _sides(case: MediationCase) -> str:
    """``甲方𠮷野家明、乙方某公司``."""
    return "、".join(f"{p.side}{p.name}" for p in case.parties)


def _issuer(case: MediationCase, date: dt.date | None) -> SignatureBlock:
    return SignatureBlock(issuer=case.centre.committee_name, seal=case.centre.seal_text, date=cn_date(date))


# --------------------------------------------------------------------------
# 人民调解协议书
# --------------------------------------------------------------------------

def effect_sentence() -> str:
    """Art. 29 (2), in the statute's words."""
    return "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"


def copies_sentence(copies: int, parties: int) -> str:
    """``本协议一式三份，当事人各执一份，人民调解委员会留存一份。`` (N+1, Art. 29)."""
    text = f"本协议一式{cn_numeral(copies)}份，当事人各执一份，人民调解委员会留存一份"
    extra = copies - parties - 1
    if extra > 0:
        text += f"，其余{cn_numeral(extra)}份备用"
    return text + "。"


def judicial_confirmation_sentence(court: str) -> str:
    return (
        f"双方当事人认为有必要的，可以自本协议生效之日起三十日内，共同向{court}申请司法确认"
        f"（{LAW}第三十三条、《中华人民共和国民事诉讼法》第二百零五条）。"
    )


def _performance(agreement: Agreement) -> str:
    if agreement.performance:
        return agreement.performance
    parts = []
    for index, term in enumerate(agreement.terms, start=1):
        bits = []
        if term.method:
            bits.append(term.method)
        if term.due_date:
            bits.append(f"于{cn_date(term.due_date)}前履行完毕")
        if bits:
            parts.append(f"第{cn_numeral(index)}项：{'，'.join(bits)}")
    if not parts:
        return "按上述协议约定的方式和期限履行。"
    return "；".join(parts) + "。"


def _agreement_signers(agreement: Agreement) -> tuple[tuple[str, str], ...]:
    case = agreement.case
    left: list[str] = []
    if agreement.signatories.parties:
        left = [f"{name}（签名并按指印）：" for name in agreement.signatories.parties]
    else:
        for party in case.parties:
            if isinstance(party, Organisation):
                left.append(f"{party.side}（盖章）：")
                left.append(f"{party.side}代表（签名）：")
            else:
                left.append(f"{party.side}（签名并按指印）：")
    mediators = agreement.signatories.mediators or case.mediators or ("",)
    right = ["人民调解员（签名）：" for _ in mediators] + ["记录人（签名）："]
    return tuple((a or "", b or "") for a, b in zip_longest(left, right))


def frozen_hash_sentence(sha256: str) -> str:
    return f"本协议书文本于首次签署时固定，文本校验值（SHA-256）：{sha256}"


def _frozen_blocks(agreement: Agreement) -> list[Block]:
    """The body of a signed agreement, line by line from its frozen text.

    The text is checked against its hash first: a paper that differs from
    what the first signer signed is never printed.
    """
    import hashlib

    text = agreement.frozen_text
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != agreement.frozen_sha256:
        raise ValueError("调解协议的固定文本与签署时的校验值不符，不能打印")
    lines = text.split("\n")
    committee, title, number = (lines + ["", "", ""])[:3]
    blocks: list[Block] = [Title((committee, title))]
    if number:
        blocks.append(DocNumber(number))
    performance_shown = False
    for line in lines[3:]:
        line = line.strip()
        if not line:
            continue
        if line == "当事人：":
            blocks.append(Para((Run("当事人基本情况", emphasis=True),), ParaKind.FLUSH, keep_with_next=True))
        elif line.endswith("：") and len(line) <= 30:
            blocks.append(Para((Run(line, emphasis=True),), ParaKind.FLUSH, keep_with_next=True))
        else:
            if line.startswith("本协议自") and not performance_shown:
                blocks.append(Para((Run("履行方式、期限：", emphasis=True),), ParaKind.FLUSH, keep_with_next=True))
                blocks.append(body("按上述协议约定的方式和期限履行。"))
                performance_shown = True
            blocks.append(body(line))
    return blocks


def build_agreement(agreement: Agreement) -> Document:
    """人民调解协议书, laid out as DOMAIN.md describes (Art. 28-29).

    A signed agreement (``frozen_text``) is typeset from its frozen text
    with the text's hash printed under it, so every signer signs, and every
    copy shows, the same paper (Art. 29).
    """
    case = agreement.case
    if agreement.frozen_text and not agreement.oral:
        blocks = _frozen_blocks(agreement)
        blocks.append(note(frozen_hash_sentence(agreement.frozen_sha256)))
        blocks.append(SignatureBlock(
            signers=_agreement_signers(agreement),
            issuer=case.centre.committee_name,
            seal=case.centre.seal_text,
            date=cn_date(agreement.signatories.signed_on),
        ))
        number = agreement.number or case.number
        return Document("mediation_agreement", f"人民调解协议书 {number}".strip(), tuple(blocks),
                        author=case.centre.committee_name)
    if agreement.oral:
        raise ValueError(
            "当事人采取口头协议方式的，不制作调解协议书，由人民调解员在调解笔录中记录协议内容"
            f"（{LAW}第二十八条）"
        )
    case = agreement.case
    blocks = [Title((case.centre.committee_name, "人民调解协议书"))]
    number = agreement.number or case.number
    if number:
        blocks.append(DocNumber(number))
    blocks.append(Para((Run("当事人基本情况", emphasis=True),), ParaKind.FLUSH, keep_with_next=True))
    blocks.append(party_table(case.parties))
    blocks.append(Para((Run("纠纷主要事实、争议事项：", emphasis=True),), ParaKind.FLUSH, keep_with_next=True))
    if case.facts:
        blocks.append(body(case.facts))
    if case.dispute_items:
        blocks.append(body("争议事项：", case.dispute_items))
    if case.responsibilities:
        blocks.append(body("各方当事人的责任：", case.responsibilities))
    blocks.append(Para((Run(AGREEMENT_OPENING, emphasis=True),), ParaKind.FLUSH, keep_with_next=True))
    items = [term.sentence() for term in agreement.terms] + [
        c if c.endswith("。") else c + "。" for c in agreement.other_clauses
    ]
    blocks.extend(numbered(items))
    blocks.append(Para((Run("履行方式、期限：", emphasis=True),), ParaKind.FLUSH, keep_with_next=True))
    blocks.append(body(_performance(agreement)))
    total = agreement.total_amount
    if sum(1 for t in agreement.terms if t.amount is not None) > 1:
        blocks.append(body(f"以上款项合计{rmb.figures_and_capitals(total)}。"))
    blocks.append(body(
        "本协议具有法律约束力，当事人应当按照约定履行（" + LAW + "第三十一条）。" + effect_sentence()
    ))
    blocks.append(body(copies_sentence(agreement.copy_count, len(case.parties))))
    if agreement.judicial_confirmation_note:
        blocks.append(body(judicial_confirmation_sentence(case.centre.basic_court)))
    blocks.append(SignatureBlock(
        signers=_agreement_signers(agreement),
        issuer=case.centre.committee_name,
        seal=case.centre.seal_text,
        date=cn_date(agreement.signatories.signed_on),
    ))
    return Document("mediation_agreement", f"人民调解协议书 {number}".strip(), tuple(blocks),
                    author=case.centre.committee_name)


def render_agreement(agreement: Agreement, fmt: str = "pdf") -> bytes:
    return render(build_agreement(agreement), fmt)


# --------------------------------------------------------------------------
# 调解笔录
# --------------------------------------------------------------------------

def _participant(p: Participant) -> str:
    bits = [p.role, p.presence]
    if p.remote and p.location:
        bits.append(f"所在地：{p.location}")
    if p.identity_check:
        bits.append(f"身份核验：{p.identity_check}")
    return f"{p.name}（{'，'.join(bits)}）"


def _span(started: dt.datetime, ended: dt.datetime | None) -> str:
    text = cn_datetime(started, weekday=False)
    if ended is not None:
        end = cn_datetime(ended, weekday=False)
        same_day = cn_date(started) == cn_date(ended)
        text += "至" + (end[len(cn_date(ended)):] if same_day else end)
    return text


def build_minutes(minutes: SessionMinutes) -> Document:
    """调解笔录: header, notices, statements, fact check, risk warning, result, read-back."""
    case = minutes.case
    mediators = minutes.mediators or case.mediators
    recorder = minutes.recorder or case.recorder
    blocks = _header(case, "调解笔录")
    header = [
        ("时间：", _span(minutes.started_at, minutes.ended_at)),
        ("地点：", minutes.place),
        ("事由：", minutes.matter or f"{case.category}纠纷"),
        ("当事人：", _sides(case)),
        ("参加人：", "；".join(_participant(p) for p in minutes.participants) or "无"),
        ("调解员：", "、".join(mediators)),
        ("记录人：", recorder),
    ]
    blocks += [Para((Run(label, emphasis=True), value), ParaKind.FLUSH) for label, value in header]
    blocks.append(heading("一、告知事项"))
    blocks.append(labelled("调解员：", minutes.rights_notice))
    if minutes.rights_answer:
        blocks.append(labelled("当事人：", minutes.rights_answer))
    if minutes.has_remote:
        blocks.append(labelled(
            "调解员：",
            "本次调解有当事人或参加人通过视频远程参加，调解开始前已逐一核实其身份（见参加人身份核验情况）。"
            "虚假调解的，应当承担相应的法律后果（《人民法院在线调解规则》第十七条）。",
        ))
    if minutes.recording_note:
        blocks.append(labelled("录音录像：", minutes.recording_note))
    blocks.append(heading("二、当事人陈述"))
    if minutes.statements:
        blocks += [labelled(f"{s.speaker}：", s.text) for s in minutes.statements]
    else:
        blocks.append(body("（无）"))
    blocks.append(heading("三、事实核对"))
    blocks.append(body(minutes.fact_check or "（无）"))
    blocks.append(heading("四、风险提示"))
    blocks.append(body(minutes.risk_warning))
    blocks.append(heading("五、调解结果"))
    result = minutes.result
    if result.agreed:
        text = "经调解，当事人自愿达成协议"
        if result.summary:
            text += "：" + result.summary.rstrip("。") + "。"
        else:
            text += "。"
        if result.oral:
            text += (f"当事人认为无需制作调解协议书，采取口头协议方式，人民调解员已记录协议内容；"
                     f"口头调解协议自各方当事人达成协议之日起生效（{LAW}第二十八条、第三十条）。")
        elif result.agreement_number:
            text += f"已制作人民调解协议书（{result.agreement_number}）。"
        blocks.append(body(text))
    else:
        reason = result.summary.rstrip("。") if result.summary else "当事人未能达成协议"
        blocks.append(body(f"调解不成。原因：{reason}。"))
        routes = result.next_routes or (
            "依法申请仲裁", "依法通过行政途径解决", "依法向人民法院提起诉讼",
        )
        blocks.append(body(
            f"调解员已告知当事人，可以依法通过仲裁、行政、司法等途径维护自己的权利（{LAW}第二十六条）："
            + "；".join(r.rstrip("。；;") for r in routes) + "。"
        ))
    blocks.append(body(minutes.read_back))
    left = [f"{p.side}（签名或按指印）：" for p in case.parties]
    right = ["调解员（签名）：" for _ in (mediators or ("",))] + ["记录人（签名）："]
    blocks.append(SignatureBlock(signers=tuple((a or "", b or "") for a, b in zip_longest(left, right))))
    return Document("mediation_minutes", f"调解笔录 {case.number}".strip(), tuple(blocks),
                    author=case.centre.committee_name)


def render_minutes(minutes: SessionMinutes, fmt: str = "pdf") -> bytes:
    return render(build_minutes(minutes), fmt)


# --------------------------------------------------------------------------
# 人民调解受理登记表
# --------------------------------------------------------------------------

def build_registration(reg: Registration) -> Document:
    case = reg.case
    blocks = _header(case, "人民调解受理登记表")
    rows: list[tuple[Cell, ...]] = [
        (Cell("登记日期", emphasis=True), Cell(cn_date(reg.registered_on)),
         Cell("纠纷类型", emphasis=True), Cell(case.category)),
        (Cell("纠纷来源", emphasis=True), Cell(case.source),
         Cell("申请方式", emphasis=True), Cell(reg.application_form)),
    ]
    if reg.referred_by:
        rows.append((Cell("移送单位", emphasis=True), Cell(reg.referred_by, span=3)))
    for party in case.parties:
        rows.extend(party_rows(party))
    requests = reg.requests or "；".join(case.claims)
    if reg.accepted:
        decision = "予以受理。"
        if case.mediators:
            decision += f"指派（选定）人民调解员：{'、'.join(case.mediators)}。"
    else:
        decision = "不予受理。" + (reg.decision_note or "")
    rows += [
        (Cell("纠纷简要情况", emphasis=True), Cell(case.facts, span=3, min_lines=4)),
        (Cell("当事人申请事项", emphasis=True), Cell(requests, span=3, min_lines=2)),
        (Cell("受理意见", emphasis=True), Cell(decision, span=3, min_lines=2)),
        (Cell("登记人", emphasis=True), Cell(reg.registrar),
         Cell("当事人（签名）", emphasis=True), Cell("", min_lines=2)),
    ]
    blocks.append(Table(tuple(rows), PARTY_TABLE_WIDTHS))
    blocks.append(note(
        f"注：当事人可以向人民调解委员会申请调解，人民调解委员会也可以主动调解；当事人一方明确拒绝调解的，"
        f"不得调解（{LAW}第十七条）。人民调解委员会调解民间纠纷，不收取任何费用（第四条）。"
    ))
    return Document("mediation_registration", f"人民调解受理登记表 {case.number}".strip(), tuple(blocks),
                    author=case.centre.committee_name)


def render_registration(reg: Registration, fmt: str = "pdf") -> bytes:
    return render(build_registration(reg), fmt)


# --------------------------------------------------------------------------
# 当事人权利义务告知书
# --------------------------------------------------------------------------

RIGHTS = (
    "选择或者接受人民调解员；",
    "接受调解、拒绝调解或者要求终止调解；",
    "要求调解公开进行或者不公开进行；",
    "自主表达意愿、自愿达成调解协议。",
)
DUTIES = (
    "如实陈述纠纷事实；",
    "遵守调解现场秩序，尊重人民调解员；",
    "尊重对方当事人行使权利。",
)


def _bracketed(items: Iterable[str], start: int = 1) -> list[Para]:
    return [body(f"（{cn_numeral(start + i)}）{text}") for i, text in enumerate(items)]


def build_rights_notice(notice: RightsNotice) -> Document:
    case = notice.case
    blocks = _header(case, "人民调解当事人权利义务告知书")
    blocks.append(flush(f"{_sides(case)}："))
    blocks.append(body(
        f"根据{LAW}的规定，人民调解委员会调解民间纠纷，在当事人自愿、平等的基础上进行，"
        "不违背法律、法规和国家政策，尊重当事人的权利，不因调解而阻止当事人依法通过仲裁、行政、司法等途径"
        "维护自己的权利（第三条）；调解民间纠纷，不收取任何费用（第四条）。"
        "现将当事人在人民调解活动中享有的权利和应当履行的义务告知如下："
    ))
    blocks.append(heading("一、当事人在人民调解活动中享有下列权利（第二十三条）"))
    blocks += _bracketed(RIGHTS)
    blocks.append(heading("二、当事人在人民调解活动中履行下列义务（第二十四条）"))
    blocks += _bracketed(DUTIES)
    blocks.append(heading("三、其他事项"))
    blocks += _bracketed((
        "达成调解协议的，可以制作调解协议书；当事人认为无需制作调解协议书的，可以采取口头协议方式，"
        "人民调解员记录协议内容（第二十八条）。",
        "调解协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效，"
        "具有法律约束力，当事人应当按照约定履行（第二十九条、第三十一条）。",
        "双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请司法确认（第三十三条）。",
        "调解不成的，人民调解员终止调解，并告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利（第二十六条）。",
    ))
    blocks.append(body("以上内容已告知，当事人已阅读并知悉。"))
    left = [f"{p.side}（签名）：" for p in case.parties]
    blocks.append(SignatureBlock(
        signers=tuple((a, "") for a in left),
        issuer=case.centre.committee_name,
        seal=case.centre.seal_text,
        date=cn_date(notice.notified_on),
    ))
    return Document("mediation_rights_notice", f"人民调解当事人权利义务告知书 {case.number}".strip(),
                    tuple(blocks), author=case.centre.committee_name)


def render_rights_notice(notice: RightsNotice, fmt: str = "pdf") -> bytes:
    return render(build_rights_notice(notice), fmt)


# --------------------------------------------------------------------------
# 回访记录
# --------------------------------------------------------------------------

def build_follow_up(follow: FollowUp) -> Document:
    case = follow.case
    blocks = _header(case, "人民调解回访记录")
    agreement = follow.agreement_number or case.number
    if follow.agreement_date:
        agreement = f"{agreement}（{cn_date(follow.agreement_date)}签订）"
    rows: list[tuple[Cell, ...]] = [
        (Cell("回访时间", emphasis=True), Cell(cn_date(follow.visited_on)),
         Cell("回访方式", emphasis=True), Cell(follow.method)),
        (Cell("当事人", emphasis=True), Cell(_sides(case), span=3)),
        (Cell("被回访人", emphasis=True), Cell("、".join(follow.visited) or party_names(case.parties), span=3)),
        (Cell("调解协议", emphasis=True), Cell(agreement, span=3)),
    ]
    blocks.append(Table(tuple(rows), PARTY_TABLE_WIDTHS))
    if follow.performance:
        perf_rows: list[tuple[Cell, ...]] = [(
            Cell("序号", emphasis=True), Cell("协议条款", emphasis=True),
            Cell("履行情况", emphasis=True), Cell("备注", emphasis=True),
        )]
        for i, item in enumerate(follow.performance, start=1):
            perf_rows.append((Cell(str(i), align="center"), Cell(item.term), Cell(item.status, align="center"),
                              Cell(item.note)))
        blocks.append(Table(tuple(perf_rows), (1.0, 6.0, 2.2, 2.6), header_rows=1))
    rows2: list[tuple[Cell, ...]] = [
        (Cell("回访情况", emphasis=True), Cell(follow.findings, span=3, min_lines=3)),
        (Cell("当事人意见", emphasis=True), Cell(follow.opinions, span=3, min_lines=2)),
        (Cell("处理意见", emphasis=True), Cell(follow.next_step, span=3, min_lines=2)),
        (Cell("回访人（签名）", emphasis=True), Cell(follow.visitor),
         Cell("记录人（签名）", emphasis=True), Cell(follow.recorder)),
    ]
    blocks.append(Table(tuple(rows2), (3.3, 3.3, 2.6, 2.8)))
    blocks.append(note(
        f"注：人民调解委员会应当对调解协议的履行情况进行监督，督促当事人履行约定的义务（{LAW}第三十一条）。"
        "当事人之间就调解协议的履行或者调解协议的内容发生争议的，一方当事人可以向人民法院提起诉讼（第三十二条）。"
    ))
    return Document("mediation_follow_up", f"人民调解回访记录 {case.number}".strip(), tuple(blocks),
                    author=case.centre.committee_name)


def render_follow_up(follow: FollowUp, fmt: str = "pdf") -> bytes:
    return render(build_follow_up(follow), fmt)


# --------------------------------------------------------------------------
# 终止调解告知书
# --------------------------------------------------------------------------

def build_termination(term: Termination) -> Document:
    case = term.case
    addressees = term.addressees or case.parties
    blocks = _header(case, "终止调解告知书")
    blocks.append(flush("、".join(p.name for p in addressees) + "："))
    accepted = f"本委员会于{cn_date(case.accepted_on)}受理" if case.accepted_on else "本委员会受理"
    reason = term.reason.rstrip("。")
    blocks.append(body(
        f"{_sides(case)}之间的{case.category}纠纷，{accepted}并进行了调解。{reason}。"
        f"根据{LAW}第二十六条的规定，本委员会决定终止调解。"
    ))
    blocks.append(body("你（你们）可以依法通过下列途径维护自己的权利："))
    blocks.extend(numbered([r for r in term.routes]))
    blocks.append(body(
        "人民调解委员会调解民间纠纷，不得因调解而阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利"
        f"（{LAW}第三条）。"
    ))
    blocks.append(_issuer(case, term.decided_on))
    return Document("mediation_termination", f"终止调解告知书 {case.number}".strip(), tuple(blocks),
                    author=case.centre.committee_name)


def render_termination(term: Termination, fmt: str = "pdf") -> bytes:
    return render(build_termination(term), fmt)


# --------------------------------------------------------------------------
# 调解通知书
# --------------------------------------------------------------------------

def build_attendance_notice(notice: AttendanceNotice) -> Document:
    case, who = notice.case, notice.addressee
    blocks = _header(case, "调解通知书")
    blocks.append(flush(f"{who.name}："))
    others = "、".join(f"{p.side}{p.name}" for p in case.parties if p.name != who.name)
    matter = f"{case.category}纠纷" if case.category and not case.category.endswith("纠纷") else (case.category or "纠纷")
    blocks.append(body(
        f"{others}与你方{matter}一案，本委员会已受理。"
        f"定于{cn_datetime(notice.starts_at)}在{notice.place}进行调解"
        + (f"，由人民调解员{notice.mediator}主持" if notice.mediator else "") + "。请你方准时参加。"))
    org = isinstance(who, Organisation)
    blocks.append(body(
        "请法定代表人（主要负责人）参加，或者委托代理人参加，代理人应携带授权委托书和本人身份证件。"
         if org else "请携带本人身份证件；委托代理人参加的，代理人应携带授权委托书和本人身份证件。"))
    if notice.bring:
        blocks.append(body("请携带与本纠纷有关的材料：" + "；".join(notice.bring) + "。"))
    blocks.append(body(
        f"人民调解在当事人自愿、平等的基础上进行，你方可以接受调解，也可以拒绝调解"
        f"（{LAW}第三条、第十七条、第二十三条）；不同意调解或者不能按时参加的，请于调解前告知本委员会。"
        "人民调解不收取任何费用（第四条）。"))
    contact = "联系人：" + (notice.mediator or "人民调解员")
    phone = notice.contact_phone or case.centre.phone
    if phone:
        contact += f"，联系电话：{phone}"
    blocks.append(body(contact + "。"))
    blocks.append(_issuer(case, notice.issued_on))
    return Document("mediation_attendance_notice", f"调解通知书 {case.number}".strip(), tuple(blocks),
                    author=case.centre.committee_name)


def render_attendance_notice(notice: AttendanceNotice, fmt: str = "pdf") -> bytes:
    return render(build_attendance_notice(notice), fmt)
