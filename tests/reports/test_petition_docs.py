"""Petition documents (《信访工作条例》 2022): the acceptance letter of Art. 23 and
the handling opinion of Art. 32 with its three outcomes in the regulation's words."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from reports import registry
from reports.docmodel import (
    Petition,
    PetitionAcceptance,
    PetitionIntake,
    PetitionOpinion,
    PetitionOutcome,
)
from reports.fonts import MissingGlyphError
from reports.petition_docs import acceptance_title, render_acceptance, render_opinion
from tests.reports.test_official import (
    CENTRE,
    EXT_B_NAME,
    assert_layout,
    both_texts,
    flat,
    needs_ext_b_font,
    needs_poppler,
    pdf_body_text,
    pdffonts_rows,
    worker,
)

NUMBER = "城信〔2026〕第77号"
OFFICE = CENTRE.petition_office


def _petition(**changes) -> Petition:
    values = dict(
        centre=CENTRE, number=NUMBER,
        petitioners=(worker(side="信访人", occupation="", id_number=""),),
        received_on=dt.date(2026, 11, 2), form="走访", matter="小区加装电梯施工影响通行",
        request="要求施工单位设置安全通道并恢复小区绿化",
        facts_reasons="施工单位自10月起占用小区主干道，未设安全通道",
    )
    values.update(changes)
    return Petition(**values)


def _opinion(outcome=PetitionOutcome.SUPPORT, **changes) -> PetitionOpinion:
    values = dict(
        petition=_petition(), issued_on=dt.date(2026, 12, 20), accepted_on=dt.date(2026, 11, 5),
        outcome=outcome, investigation="本机关会同街道、住建部门于11月10日现场查看",
        facts_found="施工单位未按施工方案设置安全通道",
        opinion="责令施工单位于2026年12月31日前设置安全通道并恢复绿化。",
        legal_basis="《建设工程安全生产管理条例》第三十条", review_body="杭州市城东区人民政府",
    )
    values.update(changes)
    return PetitionOpinion(**values)


SAMPLES = {
    "petition_acceptance": lambda: PetitionAcceptance(petition=_petition(), issued_on=dt.date(2026, 11, 5)),
    "petition_opinion": lambda: _opinion(),
}


def test_every_petition_document_has_a_sample_here():
    assert set(SAMPLES) == {k for k in registry.KINDS if k.startswith("petition_")}


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_document_states_every_required_part_in_both_formats(kind):
    needs_ext_b_font()
    texts = assert_layout(kind, SAMPLES[kind](), EXT_B_NAME, OFFICE, NUMBER, "小区加装电梯施工影响通行")
    assert texts["pdf"].startswith(flat(OFFICE + registry.KINDS[kind].name))


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_pdf_embeds_its_fonts_and_prints_the_extension_b_name(kind):
    needs_ext_b_font()
    pdf = registry.KINDS[kind].render(SAMPLES[kind](), "pdf")
    assert all(" yes yes yes " in " ".join(r.split()) + " " for r in pdffonts_rows(pdf))
    assert f"{EXT_B_NAME}：" in pdf_body_text(pdf)


# --------------------------------------------------------------------------
# 受理告知书 (Art. 23)
# --------------------------------------------------------------------------

def test_the_acceptance_tells_the_route_procedure_and_periods():
    for text in both_texts("petition_acceptance", SAMPLES["petition_acceptance"]()).values():
        assert "你于2026年11月2日以走访形式提出的关于小区加装电梯施工影响通行的信访事项" in text
        assert "本机关决定予以受理" in text and "现将处理途径和程序告知如下：" in text
        assert "自受理之日起60日内办结" in text and "延长期限不得超过30日" in text
        assert "自收到书面答复之日起30日内请求原办理机关、单位的上一级机关、单位复查" in text


def test_a_forwarded_or_misdirected_petition_says_where_it_goes():
    forwarded = PetitionAcceptance(petition=_petition(), issued_on=dt.date(2026, 11, 5),
                                   decision=PetitionIntake.FORWARD, to_body="城东区住房和城乡建设局")
    redirected = PetitionAcceptance(petition=_petition(), issued_on=dt.date(2026, 11, 5),
                                    decision=PetitionIntake.REDIRECT, to_body="杭州市中级人民法院")
    for text in both_texts("petition_acceptance", forwarded).values():
        assert text.startswith(flat(OFFICE + "信访事项转送告知书"))
        assert "已将该信访事项转送（交办）城东区住房和城乡建设局处理" in text
    for text in both_texts("petition_acceptance", redirected).values():
        assert text.startswith(flat(OFFICE + acceptance_title(PetitionIntake.REDIRECT)))
        assert "不属于本机关、本系统职权范围" in text and "请你向杭州市中级人民法院提出" in text
    with pytest.raises(ValueError):
        render_acceptance(dataclasses.replace(forwarded, to_body=""))


def test_a_group_visit_is_addressed_to_its_representatives_and_limited_to_five():
    group = _petition(petitioners=tuple(worker(side="信访人", name=f"居民{i}") for i in range(12)),
                      representatives=("张一", "李二", EXT_B_NAME))
    texts = both_texts("petition_acceptance", PetitionAcceptance(petition=group, issued_on=dt.date(2026, 11, 5)))
    for text in texts.values():
        assert f"张一、李二、{EXT_B_NAME}（信访人代表）：" in text
        assert "你们（共12人）于2026年11月2日" in text
    with pytest.raises(ValueError, match="5人"):
        _petition(representatives=("甲", "乙", "丙", "丁", "戊", "己"))


# --------------------------------------------------------------------------
# 信访处理意见书 (Art. 32): 予以支持 / 作出解释说明 / 不予支持
# --------------------------------------------------------------------------

@pytest.mark.parametrize("outcome, wording", [
    (PetitionOutcome.SUPPORT, "你的请求事实清楚，符合《建设工程安全生产管理条例》第三十条的规定，本机关予以支持。"),
    (PetitionOutcome.EXPLAIN, "你的请求事由合理，但缺乏法律依据，本机关作出解释说明如下。"),
    (PetitionOutcome.REJECT, "你的请求缺乏事实根据或者不符合《建设工程安全生产管理条例》第三十条的规定，本机关不予支持。"),
])
def test_the_opinion_uses_the_words_of_article_32(outcome, wording):
    for text in both_texts("petition_opinion", _opinion(outcome)).values():
        assert wording in text
        assert "信访人投诉请求：要求施工单位设置安全通道并恢复小区绿化。" in text
        assert "事实和理由：施工单位自10月起占用小区主干道，未设安全通道。" in text
        assert "法律法规依据：《建设工程安全生产管理条例》第三十条。" in text
        assert "可以自收到本意见书之日起30日内向杭州市城东区人民政府请求复查" in text
        assert ("本机关将督促有关机关、单位执行" in text) == (outcome is PetitionOutcome.SUPPORT)


def test_the_three_outcomes_are_the_regulations_words():
    assert [o.value for o in PetitionOutcome] == ["予以支持", "作出解释说明", "不予支持"]


def test_an_unprintable_character_in_a_petitioners_name_is_named():
    petition = _petition(petitioners=(worker(side="信访人", name="王\ue123"),))
    with pytest.raises(MissingGlyphError, match="U\\+E123"):
        render_opinion(_opinion(petition=petition))
