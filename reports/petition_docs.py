"""Documents of petition handling (《信访工作条例》, 2022).

==================  ===============================  =================================
document            function                         basis
==================  ===============================  =================================
信访事项受理告知书  :func:`render_acceptance`        Art. 23 (also 转送 / 告知 variants)
信访处理意见书      :func:`render_opinion`           Art. 31 (6), 32, 34-35
==================  ===============================  =================================

The three opinions of Art. 32 keep the statute's words:
予以支持 / 作出解释说明 / 不予支持 (:class:`reports.docmodel.PetitionOutcome`).
"""
from __future__ import annotations

import datetime as dt

from reports.docmodel import (
    Block,
    DocNumber,
    Document,
    Para,
    Petition,
    PetitionAcceptance,
    PetitionIntake,
    PetitionOpinion,
    PetitionOutcome,
    SignatureBlock,
    Title,
    body,
    cn_date,
    flush,
    labelled,
    numbered,
    sentence,
)
from reports.official import render

__all__ = [
    "REGULATION",
    "acceptance_title",
    "build_acceptance", "render_acceptance",
    "build_opinion", "render_opinion",
]

REGULATION = "《信访工作条例》"

_TITLES = {
    PetitionIntake.ACCEPT: "信访事项受理告知书",
    PetitionIntake.FORWARD: "信访事项转送告知书",
    PetitionIntake.REDIRECT: "信访事项告知书",
}


def acceptance_title(decision: PetitionIntake) -> str:
    return _TITLES[decision]


def _you(petition: Petition) -> str:
    if len(petition.petitioners) > 1 or petition.representatives:
        return "你们"
    return "你单位" if petition.petitioners[0].is_organisation else "你"


def _addressee(petition: Petition) -> Para:
    if petition.representatives:
        names = "、".join(petition.representatives)
        return flush(f"{names}（信访人代表）：")
    return flush("、".join(p.name for p in petition.petitioners) + "：")


def _header(petition: Petition, name: str) -> list[Block]:
    blocks: list[Block] = [Title((petition.body, name))]
    if petition.number:
        blocks.append(DocNumber(petition.number))
    blocks.append(_addressee(petition))
    return blocks


def _issuer(petition: Petition, date: dt.date) -> SignatureBlock:
    return SignatureBlock(issuer=petition.body, seal=petition.centre.seal_text, date=cn_date(date))


def _matter(petition: Petition) -> str:
    group = f"（共{len(petition.petitioners)}人）" if len(petition.petitioners) > 1 else ""
    request = f"（投诉请求：{petition.request.rstrip('。')}）" if petition.request else ""
    return (f"{_you(petition)}{group}于{cn_date(petition.received_on)}以{petition.form}形式提出的"
            f"关于{petition.matter}的信访事项{request}")


DEFAULT_ROUTE = (
    "本机关将听取信访人陈述事实和理由，并调查核实，自受理之日起60日内办结，出具信访处理意见书；"
    f"情况复杂的，经本机关负责人批准，可以适当延长办理期限，但延长期限不得超过30日，并告知延期理由"
    f"（{REGULATION}第三十一条第六项、第三十四条）。",
    f"信访人对信访处理意见不服的，可以自收到书面答复之日起30日内请求原办理机关、单位的上一级机关、单位复查"
    f"（{REGULATION}第三十五条）。",
    f"信访人提出信访事项，应当客观真实，对其所提供材料内容的真实性负责（{REGULATION}第十九条第二款），"
    f"并遵守信访秩序（{REGULATION}第二十六条）。",
)


def build_acceptance(notice: PetitionAcceptance) -> Document:
    """Art. 23: receipt, route and procedure (or where the petition went / should go)."""
    petition = notice.petition
    blocks = _header(petition, acceptance_title(notice.decision))
    you = _you(petition)
    intro = f"{_matter(petition)}，本机关已于{cn_date(petition.received_on)}收到并登记。"
    if notice.decision is PetitionIntake.ACCEPT:
        blocks.append(body(
            intro + f"经审查，该信访事项属于本机关职权范围，根据{REGULATION}第二十三条的规定，本机关决定予以受理。"
            f"现将处理途径和程序告知如下："
        ))
        route = [notice.route] if notice.route else list(DEFAULT_ROUTE)
        blocks.extend(numbered(route))
    elif notice.decision is PetitionIntake.FORWARD:
        if not notice.to_body:
            raise ValueError("a forwarded petition names the body it was sent to")
        blocks.append(body(
            intro + f"经审查，该信访事项属于{notice.to_body}职权范围，根据{REGULATION}第二十三条第一款的规定，"
            f"本机关已将该信访事项转送（交办）{notice.to_body}处理，请{you}与其联系。"
        ))
    else:
        if not notice.to_body:
            raise ValueError("a petition outside the remit names the body to turn to")
        blocks.append(body(
            intro + f"经审查，该信访事项不属于本机关、本系统职权范围，根据{REGULATION}第二十三条第一款的规定，"
            f"请{you}向{notice.to_body}提出。"
        ))
    if notice.contact:
        blocks.append(body(f"联系人及电话：{notice.contact}"))
    blocks.append(_issuer(petition, notice.issued_on))
    return Document("petition_acceptance", f"{acceptance_title(notice.decision)} {petition.number}".strip(),
                    tuple(blocks), author=petition.body)


def render_acceptance(notice: PetitionAcceptance, fmt: str = "pdf") -> bytes:
    return render(build_acceptance(notice), fmt)


_OUTCOME_SENTENCE = {
    PetitionOutcome.SUPPORT: "{you}的请求事实清楚，符合{basis}的规定，本机关予以支持。",
    PetitionOutcome.EXPLAIN: "{you}的请求事由合理，但缺乏法律依据，本机关作出解释说明如下。",
    PetitionOutcome.REJECT: "{you}的请求缺乏事实根据或者不符合{basis}的规定，本机关不予支持。",
}


def build_opinion(opinion: PetitionOpinion) -> Document:
    """信访处理意见书: request, facts and reasons, opinion and its legal basis (Art. 32)."""
    petition = opinion.petition
    you = _you(petition)
    blocks = _header(petition, "信访处理意见书")
    accepted = f"本机关于{cn_date(opinion.accepted_on)}受理" if opinion.accepted_on else "本机关已受理"
    blocks.append(body(
        f"{you}于{cn_date(petition.received_on)}以{petition.form}形式提出的关于{petition.matter}的信访事项，"
        f"{accepted}，听取了{you}陈述的事实和理由，并进行了调查核实。现将处理意见答复如下："
    ))
    blocks.append(labelled("信访人投诉请求：", sentence(petition.request) or "（无）"))
    blocks.append(labelled("事实和理由：", sentence(petition.facts_reasons) or "（无）"))
    if opinion.investigation:
        blocks.append(labelled("调查核实情况：", sentence(opinion.investigation)))
    if opinion.facts_found:
        blocks.append(labelled("经调查核实：", sentence(opinion.facts_found)))
    basis = opinion.legal_basis or "法律、法规、规章或者其他有关规定"
    decision = _OUTCOME_SENTENCE[opinion.outcome].format(you=you, basis=basis)
    if opinion.opinion:
        decision += sentence(opinion.opinion)
    if opinion.outcome is PetitionOutcome.SUPPORT:
        decision += "本机关将督促有关机关、单位执行。"
    blocks.append(labelled("处理意见：", decision))
    blocks.append(labelled("法律法规依据：", sentence(opinion.legal_basis or f"{REGULATION}第三十二条")))
    review = opinion.review_body or "本机关的上一级机关、单位"
    blocks.append(body(
        f"如对本处理意见不服，可以自收到本意见书之日起30日内向{review}请求复查（{REGULATION}第三十五条）。"
    ))
    blocks.append(_issuer(petition, opinion.issued_on))
    return Document("petition_opinion", f"信访处理意见书 {petition.number}".strip(), tuple(blocks),
                    author=petition.body)


def render_opinion(opinion: PetitionOpinion, fmt: str = "pdf") -> bytes:
    return render(build_opinion(opinion), fmt)
