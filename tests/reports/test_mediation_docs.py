"""People's-mediation documents: what each must state (《人民调解法》), in both
formats, with a party whose name has a CJK Extension B character."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import cn2an
import docx
import pytest

from reports import registry
from reports.docmodel import (
    Agreement,
    AgreementTerm,
    FollowUp,
    MediationCase,
    MinutesResult,
    Participant,
    Registration,
    RightsNotice,
    SessionMinutes,
    Signatories,
    Statement,
    Termination,
    TermPerformance,
)
from reports.fonts import MissingGlyphError
from reports.mediation_docs import (
    AGREEMENT_OPENING,
    DUTIES,
    RIGHTS,
    build_agreement,
    copies_sentence,
    render_agreement,
    render_minutes,
)
from tests.reports.test_official import (
    CENTRE,
    COMPANY,
    EXT_B_NAME,
    assert_layout,
    both_texts,
    company,
    docx_text,
    ext_b_face,
    flat,
    needs_ext_b_font,
    needs_poppler,
    pdf_body_text,
    pdf_page_count,
    pdf_pages_text,
    pdffonts_rows,
    worker,
)

NUMBER = "（2026）城东人调字第128号"


def _case(**changes) -> MediationCase:
    values = dict(
        centre=CENTRE, number=NUMBER, category="劳动争议", parties=(worker(), company()),
        facts="甲方自2025年3月起在乙方从事电焊工作。2026年9月至10月，乙方未按时足额支付甲方工资。",
        claims=("甲方要求乙方支付拖欠工资12000元。",),
        dispute_items="乙方应否支付甲方2026年9月至10月工资及支付数额。",
        responsibilities="乙方未按约定支付劳动报酬，应承担主要责任。",
        accepted_on=dt.date(2026, 11, 20), mediators=("陈调解",), recorder="周记录",
    )
    values.update(changes)
    return MediationCase(**values)


def _agreement(**changes) -> Agreement:
    values = dict(
        case=_case(),
        terms=(
            AgreementTerm(obligor="乙方", content="向甲方支付2026年9月至10月工资{金额}",
                          amount=Decimal("12000"), method="银行转账", due_date=dt.date(2026, 12, 1)),
            AgreementTerm(obligor="乙方", content="向甲方支付经济补偿", amount=Decimal("3500.50"),
                          due_date=dt.date(2026, 12, 15)),
            AgreementTerm(obligor="甲方", content="于收到上述款项后三日内办理离职交接手续"),
        ),
        other_clauses=("双方就本纠纷再无其他争议",),
        signatories=Signatories(signed_on=dt.date(2026, 11, 23)),
    )
    values.update(changes)
    return Agreement(**values)


def _minutes(**changes) -> SessionMinutes:
    values = dict(
        case=_case(), started_at=dt.datetime(2026, 11, 23, 9, 0), ended_at=dt.datetime(2026, 11, 23, 11, 30),
        place="城东区社会治理服务中心金牌调解室",
        participants=(
            Participant(name=EXT_B_NAME, role="甲方", identity_check="核验居民身份证原件"),
            Participant(name="李晓红", role="乙方委托代理人", remote=True, location="幸福街道便民服务站",
                        identity_check="视频核验居民身份证及授权委托书"),
        ),
        recording_note="经全体参加人同意，本次调解同步录音录像。",
        statements=(
            Statement(speaker=f"甲方{EXT_B_NAME}", text="9月和10月的工资一直没发，共12000元。"),
            Statement(speaker="乙方委托代理人李晓红", text="公司承认拖欠工资，愿意支付。"),
        ),
        fact_check="双方确认：甲方2026年9月至10月工资共计12000元未支付。",
        result=MinutesResult(agreed=True, summary="乙方于2026年12月1日前支付甲方工资12000元",
                             agreement_number=NUMBER),
    )
    values.update(changes)
    return SessionMinutes(**values)


def _attendance():
    from reports.mediation_docs import AttendanceNotice

    case = _case()
    return AttendanceNotice(case=case, addressee=case.parties[-1],
                            starts_at=dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                            place="东湖区人民路88号金牌调解室", mediator="周国平", issued_on=dt.date(2026, 11, 23),
                            bring=("劳动合同", "工资发放记录"))


SAMPLES = {
    "mediation_agreement": lambda: _agreement(),
    "mediation_minutes": lambda: _minutes(),
    "mediation_registration": lambda: Registration(
        case=_case(), registered_on=dt.date(2026, 11, 20), application_form="书面申请",
        requests="要求乙方支付拖欠工资12000元。", registrar="周记录"),
    "mediation_rights_notice": lambda: RightsNotice(case=_case(), notified_on=dt.date(2026, 11, 23)),
    "mediation_attendance_notice": lambda: _attendance(),
    "mediation_follow_up": lambda: FollowUp(
        case=_case(), visited_on=dt.date(2026, 12, 5), agreement_date=dt.date(2026, 11, 23),
        visited=(EXT_B_NAME,),
        performance=(TermPerformance(term="乙方支付工资12,000.00元", status="已履行", note="12月1日到账"),),
        findings="甲方确认已收到工资。", opinions="满意。", next_step="继续督促履行第二项。",
        visitor="陈调解", recorder="周记录"),
    "mediation_termination": lambda: Termination(
        case=_case(), decided_on=dt.date(2026, 11, 30), reason="经调解，双方对经济补偿数额分歧较大，未能达成协议"),
}


def test_every_mediation_document_has_a_sample_here():
    assert set(SAMPLES) == {k for k in registry.KINDS if k.startswith("mediation_")}


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_document_states_every_required_part_in_both_formats(kind):
    needs_ext_b_font()
    texts = assert_layout(kind, SAMPLES[kind](), EXT_B_NAME, COMPANY, CENTRE.committee_name, NUMBER)
    assert texts["pdf"].startswith(flat(CENTRE.committee_name + registry.KINDS[kind].name))


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_pdf_embeds_its_fonts_and_prints_the_extension_b_name(kind):
    needs_ext_b_font()
    pdf = registry.KINDS[kind].render(SAMPLES[kind](), "pdf")
    rows = pdffonts_rows(pdf)
    assert all(" yes yes yes " in " ".join(r.split()) + " " for r in rows), rows
    assert any(ext_b_face() in r for r in rows)
    assert EXT_B_NAME in pdf_body_text(pdf)


# --------------------------------------------------------------------------
# 人民调解协议书
# --------------------------------------------------------------------------

@needs_poppler
def test_the_agreement_follows_the_layout_in_order():
    text = flat(pdf_body_text(render_agreement(_agreement())))
    order = [
        "城东区人民调解委员会人民调解协议书", NUMBER, "当事人基本情况", EXT_B_NAME, COMPANY,
        "纠纷主要事实、争议事项：", AGREEMENT_OPENING, "一、乙方向甲方支付", "二、乙方向甲方支付经济补偿",
        "三、甲方于收到上述款项后", "四、双方就本纠纷再无其他争议。", "履行方式、期限：",
        "本协议自各方当事人签名、盖章或者按指印", "本协议一式三份", "申请司法确认",
        "甲方（签名并按指印）：", "人民调解员（签名）：", "乙方（盖章）：", "记录人（签名）：",
        "城东区人民调解委员会（印章）", "2026年11月23日",
    ]
    positions = [text.find(flat(part)) for part in order]
    assert -1 not in positions, [p for p, i in zip(order, positions) if i < 0]
    assert positions == sorted(positions)


def test_the_agreement_shows_each_partys_details():
    texts = both_texts("mediation_agreement", _agreement())
    for text in texts.values():
        for detail in ("甲方", "男", "汉族", "1990年5月6日", "电焊工", "13812345678", "11010519491231002X",
                       "和平路12号3幢2单元501室", "乙方", "91330100MA2B3C4D5E", "法定代表人", "王建国", "总经理",
                       "委托代理人", "李晓红", "特别授权"):
            assert flat(detail) in text, detail


def test_amounts_appear_in_figures_and_in_capitals_in_both_formats():
    texts = both_texts("mediation_agreement", _agreement())
    for text in texts.values():
        assert "12,000.00元（大写：人民币壹万贰仟元整）" in text
        assert "3,500.50元（大写：人民币叁仟伍佰元伍角整）" in text
        assert "合计15,500.50元（大写：人民币壹万伍仟伍佰元伍角整）" in text
        assert "履行期限：2026年12月1日前" in text


@pytest.mark.parametrize("parties, copies", [(2, "三"), (3, "四"), (5, "六")])
def test_copies_are_one_per_party_plus_one_for_the_committee(parties, copies):
    people = tuple(worker(side=f"当事人{i}", name=f"张{i}", id_number="") for i in range(parties - 1))
    agreement = _agreement(case=_case(parties=(*people, company())))
    assert agreement.copy_count == parties + 1
    sentence = f"本协议一式{copies}份，当事人各执一份，人民调解委员会留存一份。"
    assert copies_sentence(parties + 1, parties) == sentence
    for text in both_texts("mediation_agreement", agreement).values():
        assert sentence in text


def test_fewer_copies_than_parties_plus_one_are_refused():
    with pytest.raises(ValueError, match="第二十九条"):
        _agreement(copies=2)
    assert "其余二份备用" in copies_sentence(5, 2)


def test_the_judicial_confirmation_note_is_optional():
    with_note = both_texts("mediation_agreement", _agreement())
    without = both_texts("mediation_agreement", _agreement(judicial_confirmation_note=False))
    for fmt in ("pdf", "docx"):
        assert "自本协议生效之日起三十日内，共同向城东区人民法院申请司法确认" in with_note[fmt]
        assert "第三十三条" in with_note[fmt]
        assert "司法确认" not in without[fmt]


def test_an_oral_agreement_gets_no_written_agreement():
    with pytest.raises(ValueError, match="第二十八条"):
        build_agreement(_agreement(oral=True))


def test_capitals_typed_by_hand_must_match_the_figures():
    with pytest.raises(ValueError, match="不符"):
        AgreementTerm(content="支付", amount=Decimal("12000"), amount_capitals="人民币壹万元整")
    term = AgreementTerm(content="支付", amount=Decimal("12000"), amount_capitals="壹万贰仟元整")
    assert "（大写：人民币壹万贰仟元整）" in term.sentence()
    # cn2an's spelling (no 整 after 角) is the same amount.
    AgreementTerm(content="支付", amount=Decimal("1680.5"), amount_capitals=cn2an.an2cn("1680.5", "rmb"))


def test_an_amount_with_more_than_two_decimals_is_refused():
    with pytest.raises(ValueError, match="两"):
        AgreementTerm(content="支付", amount=Decimal("1.005"))


def test_the_agreement_docx_has_the_party_table_and_the_signature_rows():
    document = docx.Document(io.BytesIO(render_agreement(_agreement(), "docx")))
    party_table = document.tables[0]
    assert [c.text for c in party_table.rows[0].cells] == ["甲方", EXT_B_NAME, "性别", "男"]
    signatures = document.tables[-1]
    assert signatures.rows[0].cells[0].text == "甲方（签名并按指印）："
    assert signatures.rows[0].cells[1].text == "人民调解员（签名）："


def test_a_name_no_font_can_print_stops_the_agreement_pdf_and_is_named():
    agreement = _agreement(case=_case(parties=(worker(name="张\ue000明"), company())))
    with pytest.raises(MissingGlyphError) as info:
        render_agreement(agreement, "pdf")
    assert info.value.char == "\ue000"
    assert "U+E000" in str(info.value)


@needs_poppler
def test_the_long_agreement_numbers_its_pages():
    pdf = render_agreement(_agreement(case=_case(facts="甲方自2025年3月起在乙方从事电焊工作。" * 30)))
    pages = pdf_pages_text(pdf)
    assert len(pages) == pdf_page_count(pdf) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"—{n}—" in flat(page)


# --------------------------------------------------------------------------
# Money in capitals
# --------------------------------------------------------------------------

# --------------------------------------------------------------------------
# 调解笔录
# --------------------------------------------------------------------------

def test_minutes_record_presence_and_identity_checks_and_the_online_warning():
    for text in both_texts("mediation_minutes", _minutes()).values():
        assert flat(f"{EXT_B_NAME}（甲方，现场参加，身份核验：核验居民身份证原件）") in text
        assert "李晓红（乙方委托代理人，远程视频参加，所在地：幸福街道便民服务站" in text
        assert "《人民法院在线调解规则》第十七条" in text
        assert "虚假调解" in text
        assert "同步录音录像" in text
        assert f"甲方{EXT_B_NAME}：9月和10月的工资一直没发" in text
        assert "已制作人民调解协议书（2026）城东人调字第128号" in flat(text).replace("（（", "（")


def test_minutes_of_a_failed_session_give_the_reason_and_the_routes():
    failed = _minutes(result=MinutesResult(agreed=False, summary="双方对赔偿数额分歧较大"))
    for text in both_texts("mediation_minutes", failed).values():
        assert "调解不成。原因：双方对赔偿数额分歧较大。" in text
        assert "仲裁、行政、司法等途径" in text and "第二十六条" in text


def test_minutes_record_an_oral_agreement():
    oral = _minutes(result=MinutesResult(agreed=True, summary="乙方当场支付甲方工资12000元", oral=True))
    for text in both_texts("mediation_minutes", oral).values():
        assert "采取口头协议方式" in text and "第二十八条、第三十条" in text


def test_minutes_without_remote_participants_carry_no_online_warning():
    on_site = _minutes(participants=(Participant(name=EXT_B_NAME, role="甲方", identity_check="核验身份证"),))
    assert "在线调解规则" not in flat(docx_text(render_minutes(on_site, "docx")))


# --------------------------------------------------------------------------
# The other mediation documents
# --------------------------------------------------------------------------

def test_the_rights_notice_quotes_articles_23_and_24():
    for text in both_texts("mediation_rights_notice", SAMPLES["mediation_rights_notice"]()).values():
        for item in RIGHTS + DUTIES:
            assert flat(item) in text, item
        assert "不收取任何费用" in text


def test_the_registration_form_records_refusal_with_its_reason():
    refused = Registration(case=_case(), registered_on=dt.date(2026, 11, 20), accepted=False,
                           decision_note="乙方明确拒绝调解（人民调解法第十七条）。")
    for text in both_texts("mediation_registration", refused).values():
        assert "不予受理。乙方明确拒绝调解" in text


def test_the_follow_up_lists_how_each_term_was_performed():
    for text in both_texts("mediation_follow_up", SAMPLES["mediation_follow_up"]()).values():
        assert "乙方支付工资12,000.00元" in text and "已履行" in text and "12月1日到账" in text
        assert "电话回访" in text


def test_the_termination_notice_names_the_routes_of_article_26():
    for text in both_texts("mediation_termination", SAMPLES["mediation_termination"]()).values():
        assert "一、申请仲裁" in text and "二、行政途径" in text and "三、司法途径" in text
        assert "经调解，双方对经济补偿数额分歧较大，未能达成协议。" in text
    custom = dataclasses.replace(SAMPLES["mediation_termination"](),
                                 routes=("向城东区劳动人事争议仲裁委员会申请劳动争议仲裁。",))
    for text in both_texts("mediation_termination", custom).values():
        assert "一、向城东区劳动人事争议仲裁委员会申请劳动争议仲裁。" in text
