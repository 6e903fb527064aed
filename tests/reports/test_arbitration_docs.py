"""Labour-arbitration documents: what each must state (《劳动争议调解仲裁法》,
办案规则), in both formats, and a day's hearing notices printed as one PDF."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import time
from decimal import Decimal

import docx
import pytest

from reports import registry
from reports.arbitration_docs import (
    RECUSAL_GROUNDS,
    build_tribunal_notice,
    render_award,
    render_hearing_notices,
)
from reports.docmodel import (
    AcceptanceNotice,
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
    Participant,
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
)
from reports.fonts import MissingGlyphError
from tests.reports.test_official import (
    CENTRE,
    COMPANY,
    EXT_B_NAME,
    assert_layout,
    both_texts,
    company,
    flat,
    needs_ext_b_font,
    needs_poppler,
    pdf_body_text,
    pdf_page_count,
    pdf_pages_text,
    pdffonts_rows,
    worker,
)

NUMBER = "城劳人仲案字〔2026〕第315号"
COMMISSION = CENTRE.arbitration_commission
HEARING = Hearing(starts_at=dt.datetime(2026, 12, 10, 9, 30), room="第一仲裁庭")
THREE = Tribunal(presiding="孙首席", members=("钱仲裁", "吴仲裁"), clerk="郑书记")


def _applicant(**changes):
    return worker(side="申请人", **changes)


def _respondent(**changes):
    return company(side="被申请人", agents=(), **changes)


def _case(**changes) -> ArbitrationCase:
    values = dict(
        centre=CENTRE, number=NUMBER, applicants=(_applicant(),), respondents=(_respondent(),),
        cause="劳动报酬争议",
        claims=(Claim(text="裁决被申请人支付申请人2026年9月至10月工资", amount=Decimal("12000")),
                Claim(text="裁决被申请人支付申请人解除劳动合同经济补偿", amount=Decimal("7000"))),
        facts_reasons="申请人于2025年3月入职被申请人处，被申请人拖欠工资。",
        evidence=(Evidence(name="劳动合同", source="申请人持有"),),
        received_on=dt.date(2026, 11, 20), accepted_on=dt.date(2026, 11, 23), tribunal=THREE,
    )
    values.update(changes)
    return ArbitrationCase(**values)


def _award(**changes) -> Award:
    values = dict(
        case=_case(), issued_on=dt.date(2026, 12, 18), final=True,
        applicant_statement="申请人月工资6000元，被申请人未支付2026年9月至10月工资。",
        respondent_defence="被申请人承认拖欠工资，但认为不应支付经济补偿。",
        facts_found="被申请人未支付申请人2026年9月至10月工资共计12000元。",
        reasons="用人单位应当及时足额支付劳动报酬。",
        basis="《中华人民共和国劳动合同法》第三十条",
        result=(AwardItem(text="被申请人于本裁决生效之日起五日内支付申请人2026年9月至10月工资",
                          amount=Decimal("12000")),
                AwardItem(text="驳回申请人的其他仲裁请求")),
    )
    values.update(changes)
    return Award(**values)


def _hearing_notice(**changes) -> HearingNotice:
    values = dict(case=_case(), addressee=_applicant(), hearing=HEARING, issued_on=dt.date(2026, 11, 25))
    values.update(changes)
    return HearingNotice(**values)


SAMPLES = {
    "arbitration_receipt": lambda: ApplicationReceipt(
        case=_case(), received_at=dt.datetime(2026, 11, 20, 10, 15), receipt_number="收字〔2026〕第0901号",
        materials=(Material(name="仲裁申请书", copies=2, pages=3), Material(name="劳动合同", pages=6, original=True)),
        receiver="郑书记"),
    "arbitration_correction": lambda: CorrectionNotice(
        case=_case(), issued_on=dt.date(2026, 11, 20), deadline=dt.date(2026, 11, 27),
        items=("仲裁申请书未载明被申请人的法定代表人姓名、职务", "未按被申请人人数提交仲裁申请书副本",
               "证据未注明来源")),
    "arbitration_acceptance": lambda: AcceptanceNotice(
        case=_case(), issued_on=dt.date(2026, 11, 23), evidence_deadline=dt.date(2026, 12, 3)),
    "arbitration_rejection": lambda: RejectionNotice(
        case=_case(), issued_on=dt.date(2026, 11, 23),
        reasons=("申请人与被申请人之间系劳务关系，不属于劳动争议仲裁受理范围",)),
    "arbitration_response_notice": lambda: ResponseNotice(case=_case(), issued_on=dt.date(2026, 11, 24)),
    "arbitration_tribunal_notice": lambda: TribunalNotice(case=_case(), issued_on=dt.date(2026, 11, 24)),
    "arbitration_hearing_notice": lambda: _hearing_notice(),
    "arbitration_postponement": lambda: PostponementNotice(
        case=_case(), addressee=_respondent(), original=HEARING, issued_on=dt.date(2026, 12, 5),
        new=Hearing(starts_at=dt.datetime(2026, 12, 17, 14, 0), room="第二仲裁庭"),
        reason="法定代表人出国参加展会", requested_by="被申请人"),
    "arbitration_hearing_record": lambda: HearingRecord(
        case=_case(), hearing=HEARING, ended_at=dt.datetime(2026, 12, 10, 11, 0),
        attendees=(Participant(name=EXT_B_NAME, role="申请人", identity_check="核验居民身份证原件"),
                   Participant(name="李晓红", role="被申请人委托代理人", remote=True, location="宁波",
                               identity_check="视频核验身份证件")),
        sections=(RecordSection(title="仲裁请求及答辩", entries=(
            Statement(speaker="申请人", text="请求如申请书所列。"),
            Statement(speaker="被申请人", text="承认拖欠工资。"))),)),
    "arbitration_mediation_statement": lambda: ArbitralMediation(
        case=_case(), issued_on=dt.date(2026, 12, 10),
        terms=(AgreementTerm(obligor="被申请人", content="于2026年12月20日前支付申请人工资及经济补偿共计",
                             amount=Decimal("16000")),
               AgreementTerm(content="双方劳动关系于2026年11月30日解除"))),
    "arbitration_award": lambda: _award(),
    "arbitration_service_receipt": lambda: ServiceReceipt(
        case=_case(), documents=(f"开庭通知书（{NUMBER}）",), recipient=EXT_B_NAME,
        address="杭州市城东区幸福街道和平路12号", server="郑书记", issued_on=dt.date(2026, 11, 25)),
    "arbitration_extension_notice": lambda: ExtensionNotice(
        case=_case(), issued_on=dt.date(2026, 12, 20), approved_on=dt.date(2026, 12, 20), approved_by="周主任",
        reason="需要对考勤记录进行鉴定", days=15, original_due=dt.date(2027, 1, 7), new_due=dt.date(2027, 1, 22)),
    "arbitration_withdrawal_decision": lambda: WithdrawalDecision(
        case=_case(), issued_on=dt.date(2026, 12, 10), deemed=True, facts="无正当理由拒不到庭",
        hearing_on=dt.date(2026, 12, 10), notice_served_on=dt.date(2026, 12, 2)),
    "arbitration_recusal_decision": lambda: RecusalDecision(
        case=_case(), issued_on=dt.date(2026, 12, 2), member="钱仲裁", member_role="仲裁员", applied_by="被申请人",
        applied_on=dt.date(2026, 12, 1), ground="与本案有利害关系", ground_basis="第三十三条第一款第（二）项",
        granted=True, reason="钱仲裁与申请人代理人系同一律师事务所", decided_by="周主任", replacement="赵仲裁"),
    "arbitration_oral_application": lambda: OralApplicationRecord(
        case=_case(), recorded_at=dt.datetime(2026, 11, 20, 10, 15), place="城东区社会治理中心劳动仲裁窗口",
        recorder="郑书记"),
}


def test_every_arbitration_document_has_a_sample_here():
    assert set(SAMPLES) == {k for k in registry.KINDS if k.startswith("arbitration_")}


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_document_states_every_required_part_in_both_formats(kind):
    needs_ext_b_font()
    names = [EXT_B_NAME, COMMISSION]
    if kind != "arbitration_service_receipt":
        names.append(COMPANY)
    if kind not in ("arbitration_receipt", "arbitration_oral_application"):
        names.append(NUMBER)
    texts = assert_layout(kind, SAMPLES[kind](), *names)
    assert texts["pdf"].startswith(flat(COMMISSION + registry.KINDS[kind].name))


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_pdf_embeds_its_fonts_and_prints_the_extension_b_name(kind):
    needs_ext_b_font()
    pdf = registry.KINDS[kind].render(SAMPLES[kind](), "pdf")
    rows = pdffonts_rows(pdf)
    assert all(" yes yes yes " in " ".join(r.split()) + " " for r in rows), rows
    assert EXT_B_NAME in pdf_body_text(pdf)


# --------------------------------------------------------------------------
# Application and acceptance
# --------------------------------------------------------------------------

def test_the_correction_notice_lists_every_missing_item_in_one_notice():
    for text in both_texts("arbitration_correction", SAMPLES["arbitration_correction"]()).values():
        assert "现一次性告知你需要补正的全部材料如下：" in text
        assert "一、仲裁申请书未载明被申请人的法定代表人姓名、职务；" in text
        assert "二、未按被申请人人数提交仲裁申请书副本；" in text
        assert "三、证据未注明来源。" in text
        assert "请于2026年11月27日前向本委补正上述全部材料" in text


def test_a_correction_notice_without_items_is_refused():
    with pytest.raises(ValueError):
        CorrectionNotice(case=_case(), issued_on=dt.date(2026, 11, 20), items=())


def test_the_receipt_lists_the_materials_and_says_acceptance_is_not_decided():
    for text in both_texts("arbitration_receipt", SAMPLES["arbitration_receipt"]()).values():
        assert "2026年11月20日（星期五）上午10时15分收到" in text
        assert "仲裁申请书" in text and "劳动合同" in text and "原件" in text and "复印件" in text
        assert "不表示本委已受理" in text and "五日内决定是否受理" in text


def test_the_rejection_gives_reasons_and_the_right_to_sue():
    rejection = dataclasses.replace(SAMPLES["arbitration_rejection"](), competent_body="城西区劳动人事争议仲裁委员会")
    for text in both_texts("arbitration_rejection", rejection).values():
        assert "一、申请人与被申请人之间系劳务关系，不属于劳动争议仲裁受理范围。" in text
        assert "可以就该劳动争议事项向人民法院提起诉讼" in text
        assert "可以向城西区劳动人事争议仲裁委员会申请仲裁" in text
    with pytest.raises(ValueError):
        RejectionNotice(case=_case(), issued_on=dt.date(2026, 11, 23), reasons=())


def test_the_response_notice_gives_ten_days_for_the_defence():
    for text in both_texts("arbitration_response_notice", SAMPLES["arbitration_response_notice"]()).values():
        assert "你单位应当在收到仲裁申请书副本之日起十日内向本委提交答辩书" in text
        assert "附：仲裁申请书副本一份" in text
        assert "法定代表人身份证明书" in text


def test_the_acceptance_notice_gives_the_case_number_and_the_periods():
    for text in both_texts("arbitration_acceptance", SAMPLES["arbitration_acceptance"]()).values():
        assert f"案号为{NUMBER}" in text
        assert "请于2026年12月3日前向本委提交证据" in text
        assert "首席仲裁员孙首席、仲裁员钱仲裁、吴仲裁" in text


# --------------------------------------------------------------------------
# Tribunal and hearing
# --------------------------------------------------------------------------

def test_the_tribunal_notice_names_three_arbitrators_or_a_sole_one():
    for text in both_texts("arbitration_tribunal_notice", SAMPLES["arbitration_tribunal_notice"]()).values():
        assert "首席仲裁员：孙首席" in text and "仲裁员：钱仲裁、吴仲裁" in text and "书记员：郑书记" in text
        for ground in RECUSAL_GROUNDS:
            assert flat(ground) in text
    sole = TribunalNotice(case=_case(tribunal=Tribunal(sole="孙独任", clerk="郑书记"), simplified=True),
                          issued_on=dt.date(2026, 11, 24))
    for text in both_texts("arbitration_tribunal_notice", sole).values():
        assert "本案适用简易处理，由仲裁员孙独任独任仲裁。" in text


def test_a_tribunal_is_three_with_a_presiding_arbitrator_or_one():
    with pytest.raises(ValueError):
        Tribunal(presiding="孙", members=("钱",))
    with pytest.raises(ValueError):
        Tribunal(sole="孙", presiding="钱")
    with pytest.raises(ValueError):
        build_tribunal_notice(TribunalNotice(case=_case(tribunal=None), issued_on=dt.date(2026, 11, 24)))


def test_the_hearing_notice_gives_date_time_place_and_the_consequence_for_the_reader():
    to_applicant = both_texts("arbitration_hearing_notice", _hearing_notice())
    to_respondent = both_texts("arbitration_hearing_notice", _hearing_notice(addressee=_respondent()))
    for text in to_applicant.values():
        assert "定于2026年12月10日（星期四）上午9时30分在城东区和平路88号第一仲裁庭开庭审理" in text
        assert "请你准时到庭" in text
        assert "可以视为撤回仲裁申请" in text and "缺席裁决" not in text
    for text in to_respondent.values():
        assert "请你单位准时到庭" in text
        assert "可以缺席裁决" in text and "视为撤回" not in text


def test_a_hearing_notice_fits_on_one_page():
    assert pdf_page_count(registry.render(_hearing_notice())) == 1


def test_the_postponement_gives_the_new_date_or_says_it_will_follow():
    for text in both_texts("arbitration_postponement", SAMPLES["arbitration_postponement"]()).values():
        assert "原定于2026年12月10日（星期四）上午9时30分" in text
        assert "被申请人以法定代表人出国参加展会为由，在开庭三日前请求延期开庭" in text
        assert "现改定于2026年12月17日（星期四）下午2时在城东区和平路88号第二仲裁庭开庭审理" in text
    later = dataclasses.replace(SAMPLES["arbitration_postponement"](), new=None, requested_by="",
                                reason="首席仲裁员回避")
    for text in both_texts("arbitration_postponement", later).values():
        assert "因首席仲裁员回避，本委决定延期开庭。" in text and "开庭时间另行通知。" in text


def test_the_hearing_record_is_signed_by_arbitrators_recorder_and_parties():
    for text in both_texts("arbitration_hearing_record", SAMPLES["arbitration_hearing_record"]()).values():
        for label in ("申请人（签名）：", "被申请人（签名）：", "首席仲裁员（签名）：", "仲裁员（签名）：",
                      "书记员（签名）："):
            assert label in text
        assert "李晓红（被申请人委托代理人，远程视频参加，所在地：宁波，身份核验：视频核验身份证件）" in text
        assert "二、仲裁请求及答辩" in text and "申请人：请求如申请书所列。" in text


# --------------------------------------------------------------------------
# Mediation statement and award
# --------------------------------------------------------------------------

def test_the_mediation_statement_states_claims_and_the_agreed_result():
    for text in both_texts("arbitration_mediation_statement", SAMPLES["arbitration_mediation_statement"]()).values():
        assert "一、裁决被申请人支付申请人2026年9月至10月工资12,000.00元（大写：人民币壹万贰仟元整）。" in text
        assert "共计16,000.00元（大写：人民币壹万陆仟元整）" in text
        assert "本调解书经双方当事人签收后，发生法律效力" in text
        assert "二〇二六年十二月十日" in text


def test_a_final_award_carries_the_wording_of_articles_47_to_49():
    for text in both_texts("arbitration_award", _award(final=True)).values():
        assert "本裁决为终局裁决，裁决书自作出之日起发生法律效力" in text
        assert "劳动者对本裁决不服的，可以自收到本裁决书之日起十五日内向人民法院提起诉讼" in text
        assert "可以自收到本裁决书之日起三十日内向劳动争议仲裁委员会所在地的中级人民法院申请撤销裁决" in text
        assert "第五十条" not in text


def test_a_non_final_award_carries_the_wording_of_article_50():
    for text in both_texts("arbitration_award", _award(final=False)).values():
        assert "当事人对本裁决不服的，可以自收到本裁决书之日起十五日内向人民法院提起诉讼；期满不起诉的，本裁决书发生法律效力" in text
        assert "终局裁决" not in text and "申请撤销裁决" not in text


def test_the_award_states_claims_facts_reasons_result_and_date_in_that_order():
    text = flat(pdf_body_text(render_award(_award())))
    order = [
        "仲裁裁决书", NUMBER, f"申请人：{EXT_B_NAME}，男", f"被申请人：{COMPANY}", "法定代表人：王建国，总经理。",
        "本委于2026年11月23日受理后", "申请人请求：", "一、裁决被申请人支付申请人2026年9月至10月工资12,000.00元",
        "申请人称：", "被申请人辩称：", "经审理查明：", "本委认为：",
        "依照《中华人民共和国劳动合同法》第三十条之规定，裁决如下：",
        "一、被申请人于本裁决生效之日起五日内支付申请人2026年9月至10月工资12,000.00元（大写：人民币壹万贰仟元整）。",
        "二、驳回申请人的其他仲裁请求。", "本裁决为终局裁决",
        "首席仲裁员孙首席仲裁员钱仲裁仲裁员吴仲裁二〇二六年十二月十八日（印章）书记员郑书记",
    ]
    positions = [text.find(flat(part)) for part in order]
    assert -1 not in positions, [p for p, i in zip(order, positions) if i < 0]
    assert positions == sorted(positions)


def test_a_default_award_says_the_respondent_did_not_appear():
    for text in both_texts("arbitration_award", _award(respondent_absent=True, respondent_defence="")).values():
        assert "无正当理由拒不到庭，本委依法缺席裁决" in text
        assert "被申请人未到庭，亦未提交答辩意见。" in text


def test_an_award_needs_a_tribunal_and_a_result():
    with pytest.raises(ValueError):
        _award(case=_case(tribunal=None))
    with pytest.raises(ValueError):
        _award(result=())


@needs_poppler
def test_the_award_numbers_its_pages():
    pdf = render_award(_award(reasons="用人单位应当及时足额支付劳动报酬。" * 40))
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"—{n}—" in flat(page)


def test_the_award_docx_keeps_the_arbitrators_in_an_editable_table():
    document = docx.Document(io.BytesIO(render_award(_award(), "docx")))
    rows = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert ["首席仲裁员", "孙首席"] in rows
    assert ["仲\u3000裁\u3000员", "钱仲裁"] in rows
    assert ["书\u3000记\u3000员", "郑书记"] in rows


def test_an_unprintable_character_in_the_award_is_named():
    with pytest.raises(MissingGlyphError) as info:
        render_award(_award(reasons="见附件\U0002fffd。"))
    assert info.value.char == "\U0002fffd"


# --------------------------------------------------------------------------
# Service
# --------------------------------------------------------------------------

def test_the_service_receipt_leaves_the_date_and_signature_to_the_recipient():
    texts = both_texts("arbitration_service_receipt", SAMPLES["arbitration_service_receipt"]())
    assert "受送达人签名或者盖章签名或者盖章：收到日期：年月日代收人及代收理由" in texts["docx"]
    assert f"开庭通知书（{NUMBER}）" in texts["docx"]
    for text in texts.values():
        # A PDF table reads back row by row, cells side by side: look for the pieces.
        assert "签名或者盖章：" in text and "收到日期：年月日" in text
        assert "受送达人在送达回证上的签收日期为送达日期" in text


# --------------------------------------------------------------------------
# A day's hearing notices, printed at once
# --------------------------------------------------------------------------

@needs_poppler
def test_fifty_hearing_notices_print_as_one_pdf():
    needs_ext_b_font()
    notices = []
    for i in range(25):
        case = _case(number=f"城劳人仲案字〔2026〕第{400 + i}号",
                     applicants=(_applicant(name=f"{EXT_B_NAME}{i}" if i % 5 == 0 else f"申请人{i}号"),))
        hearing = Hearing(starts_at=dt.datetime(2026, 12, 10, 9 + i % 8, 0), room="第一仲裁庭")
        for party in (case.applicants[0], case.respondents[0]):
            notices.append(HearingNotice(case=case, addressee=party, hearing=hearing, issued_on=dt.date(2026, 12, 1)))
    started = time.perf_counter()
    pdf = registry.render_batch(notices)
    elapsed = time.perf_counter() - started
    assert pdf == render_hearing_notices(notices)
    pages = pdf_pages_text(pdf)
    assert len(pages) == pdf_page_count(pdf) >= 50
    text = flat("".join(pages))
    assert text.count("开庭通知书") == 50
    for i in range(25):
        assert f"城劳人仲案字〔2026〕第{400 + i}号" in text
    assert f"{EXT_B_NAME}0：" in text
    # Each notice starts on its own page and numbers from 1.
    assert sum(1 for p in pages if flat(p).startswith(flat(COMMISSION + "开庭通知书"))) == 50
    assert flat("".join(pages)).count("—1—") == 50
    print(f"\n50 hearing notices: {len(pages)} pages in {elapsed:.2f} s")
