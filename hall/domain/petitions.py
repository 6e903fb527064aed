"""Petitions (信访) as rules: pure, no I/O. Source: 《信访工作条例》(2022), checked
against the official text (``/work/shared/statutes``).

* Art. 19: a petition is normally written and states the petitioner's 姓名
  （名称）、住址 and the 请求、事实、理由; an oral petition is recorded
  truthfully (如实记录) by the staff — :func:`missing_items`.
* Art. 20 (third paragraph): several people *visiting* with a common matter
  choose representatives, no more than five — :func:`check_group`. The
  article speaks of 走访 (visits); a joint letter is not limited.
* Art. 22-23: registration and the 15-day decisions and notices; Art. 34:
  60 days to handle (+30 with approval, the petitioner told why); Art. 35-36:
  review and re-review, each requested within 30 days and answered within 30
  days. The periods themselves are rules of ``hall.domain.deadlines``.
* Art. 28 (third paragraph): staff with a direct interest in the matter or
  the petitioner recuse themselves — :func:`staff_conflicts`.
* Art. 30 (third paragraph) and Art. 46 (5): a whistle-blower's material and
  the circumstances are never disclosed or passed to the person or body
  accused — :func:`redact_whistleblower`, :func:`check_transfer_target`.
* Art. 32: the handling opinion (信访处理意见书) says one of three things:
  予以支持, 作出解释说明, 不予支持 — :data:`OPINION_OUTCOMES`.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from hall.domain import statemachine
from hall.domain.masking import redact_sensitive

__all__ = [
    "REGULATION",
    "CHANNELS",
    "VIAS",
    "MAX_REPRESENTATIVES",
    "missing_items",
    "check_group",
    "GroupTooLarge",
    "PetitionState",
    "IllegalTransition",
    "TRANSITIONS",
    "next_state",
    "OpinionOutcome",
    "OPINION_OUTCOMES",
    "DECISIONS",
    "REDACTED",
    "WHISTLEBLOWER_LABEL",
    "redact_whistleblower",
    "check_transfer_target",
    "TransferToAccused",
    "staff_conflicts",
]

REGULATION = "《信访工作条例》"

#: Art. 19: the form of the petition.
CHANNELS = {"written": "书面", "oral": "口头"}
#: Art. 17: how it reached the hall.
VIAS = {"visit": "走访", "letter": "书信", "online": "信息网络", "phone": "电话", "fax": "传真"}

MAX_REPRESENTATIVES = 5


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


def _norm(text: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


# ---------------------------------------------------------------------------
# registration


def missing_items(petition: Mapping[str, Any]) -> list[str]:
    """What a petition must still state before it is registered (Art. 19), all at once.

    ``petition``: ``channel`` (written / oral), ``petitioners`` (list of
    ``{name, address, ...}``), ``representatives`` (same shape, for a group),
    ``request``, ``facts``, ``reasons``, and for an oral petition
    ``recorded_by`` (the staff member who wrote it down).
    """
    out: list[str] = []
    channel = petition.get("channel") or "written"
    if channel not in CHANNELS:
        out.append(f"信访形式（{channel}）无法识别，应为书面或者口头")
    people = list(petition.get("petitioners") or [])
    if not people:
        out.append("信访人姓名（名称）")
        out.append("信访人住址")
    for i, p in enumerate(people, start=1):
        who = f"第{i}名信访人" if len(people) > 1 else "信访人"
        if not isinstance(p, Mapping) or _blank(p.get("name")):
            out.append(f"{who}姓名（名称）")
            continue
        if _blank(p.get("address")):
            out.append(f"{p['name']}的住址")
    for key, label in (("request", "信访请求"), ("facts", "事实"), ("reasons", "理由")):
        if _blank(petition.get(key)):
            out.append(label)
    if channel == "oral" and _blank(petition.get("recorded_by")):
        out.append("口头信访的记录人（口头提出的信访事项应当如实记录）")
    return out


class GroupTooLarge(ValueError):
    pass


def check_group(group_size: int, representatives: Sequence[Mapping[str, Any]], via: str) -> None:
    """Several people visiting with a common matter: at most five representatives.

    《信访工作条例》第二十条第三款: 多人采用走访形式提出共同的信访事项的，应当推选代表，
    代表人数不得超过5人. A sixth representative is refused with the article.
    """
    if group_size < 1:
        raise ValueError("信访人数至少为1人")
    if len(representatives) > group_size:
        raise ValueError("代表人数不能多于信访人数")
    if via != "visit" or group_size == 1:
        return
    if not representatives:
        raise GroupTooLarge(
            f"{group_size}人采用走访形式提出共同的信访事项，应当推选代表（{REGULATION}第二十条第三款）")
    if len(representatives) > MAX_REPRESENTATIVES:
        raise GroupTooLarge(
            f"多人采用走访形式提出共同的信访事项的，应当推选代表，代表人数不得超过5人"
            f"（{REGULATION}第二十条第三款）；现有代表{len(representatives)}人，请推选不超过5名代表")


# ---------------------------------------------------------------------------
# the procedure


class PetitionState(str, Enum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    TRANSFERRED = "transferred"
    HANDLING = "handling"
    OPINION_ISSUED = "opinion_issued"
    REVIEW_REQUESTED = "review_requested"
    REVIEW_ANSWERED = "review_answered"
    REREVIEW_REQUESTED = "rereview_requested"
    REREVIEW_ANSWERED = "rereview_answered"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    PetitionState.REGISTERED: "已登记",
    PetitionState.ACCEPTED: "已受理",
    PetitionState.NOT_ACCEPTED: "不予受理",
    PetitionState.TRANSFERRED: "已转送",
    PetitionState.HANDLING: "办理中",
    PetitionState.OPINION_ISSUED: "已出具处理意见",
    PetitionState.REVIEW_REQUESTED: "已请求复查",
    PetitionState.REVIEW_ANSWERED: "已作出复查意见",
    PetitionState.REREVIEW_REQUESTED: "已请求复核",
    PetitionState.REREVIEW_ANSWERED: "已作出复核意见",
    PetitionState.CLOSED: "已办结",
}

ACTION_NAMES = {
    "accept": "受理",
    "not_accept": "不予受理",
    "transfer": "转送",
    "handle": "交办理人办理",
    "extend": "延长办理期限",
    "issue_opinion": "出具信访处理意见书",
    "request_review": "请求复查",
    "answer_review": "作出复查意见",
    "request_rereview": "请求复核",
    "rereview_hearing": "复核听证",
    "answer_rereview": "作出复核意见",
    "close": "办结",
}

P = PetitionState

TRANSITIONS: dict[tuple[PetitionState, str], PetitionState] = {
    (P.REGISTERED, "accept"): P.ACCEPTED,
    (P.REGISTERED, "not_accept"): P.NOT_ACCEPTED,
    (P.REGISTERED, "transfer"): P.TRANSFERRED,
    (P.ACCEPTED, "handle"): P.HANDLING,
    (P.HANDLING, "handle"): P.HANDLING,          # another handler (e.g. after a recusal)
    (P.HANDLING, "extend"): P.HANDLING,
    (P.HANDLING, "issue_opinion"): P.OPINION_ISSUED,
    (P.OPINION_ISSUED, "request_review"): P.REVIEW_REQUESTED,
    (P.REVIEW_REQUESTED, "answer_review"): P.REVIEW_ANSWERED,
    (P.REVIEW_ANSWERED, "request_rereview"): P.REREVIEW_REQUESTED,
    (P.REREVIEW_REQUESTED, "rereview_hearing"): P.REREVIEW_REQUESTED,
    (P.REREVIEW_REQUESTED, "answer_rereview"): P.REREVIEW_ANSWERED,
    (P.NOT_ACCEPTED, "close"): P.CLOSED,
    (P.TRANSFERRED, "close"): P.CLOSED,
    (P.OPINION_ISSUED, "close"): P.CLOSED,
    (P.REVIEW_ANSWERED, "close"): P.CLOSED,
    (P.REREVIEW_ANSWERED, "close"): P.CLOSED,
}


IllegalTransition = statemachine.IllegalTransition

#: The petition procedure's transition table with its refusal sentence.
MACHINE: statemachine.StateMachine[PetitionState, str] = statemachine.StateMachine(
    TRANSITIONS, lambda st, action: f"信访事项当前状态为“{st.label}”，不能{ACTION_NAMES.get(action, action)}")


def next_state(state: PetitionState | str, action: str) -> PetitionState:
    st = PetitionState(state)
    if action not in ACTION_NAMES:
        raise ValueError(f"未知的操作：{action}")
    return MACHINE.check(st, action)


#: decide_acceptance choices (Art. 22-23).
DECISIONS = {"accept": "受理", "not_accept": "不予受理（告知向有权处理的机关、单位提出）", "transfer": "转送、交办"}


class OpinionOutcome(str, Enum):
    SUPPORT = "support"
    EXPLAIN = "explain"
    NOT_SUPPORT = "not_support"


@dataclass(frozen=True)
class _Outcome:
    label: str
    condition: str


#: 《信访工作条例》第三十二条第一款, in the regulation's words.
OPINION_OUTCOMES: dict[OpinionOutcome, _Outcome] = {
    OpinionOutcome.SUPPORT: _Outcome("予以支持", "请求事实清楚，符合法律、法规、规章或者其他有关规定的，予以支持"),
    OpinionOutcome.EXPLAIN: _Outcome("作出解释说明", "请求事由合理但缺乏法律依据的，应当作出解释说明"),
    OpinionOutcome.NOT_SUPPORT: _Outcome(
        "不予支持", "请求缺乏事实根据或者不符合法律、法规、规章或者其他有关规定的，不予支持"),
}


# ---------------------------------------------------------------------------
# whistle-blowers (检举、揭发), Art. 30


REDACTED = "（已隐去）"
WHISTLEBLOWER_LABEL = "检举人"
_PEOPLE_KEYS = ("petitioners", "representatives")
_PERSON_FIELDS = ("name", "address", "phone", "id_number", "work_unit", "email")


def _names_in(record: Mapping[str, Any]) -> list[str]:
    names = []
    for key in _PEOPLE_KEYS:
        for p in record.get(key) or []:
            if isinstance(p, Mapping) and not _blank(p.get("name")):
                names.append(str(p["name"]).strip())
    return sorted(set(names), key=len, reverse=True)


def redact_whistleblower(record: Mapping[str, Any], text_keys: Iterable[str] = ("request", "facts", "reasons",
                                                                                "opinion_text", "summary")) -> dict[str, Any]:
    """The view of a whistle-blower's petition that may be shown or passed on.

    Every identifying field of every petitioner and representative is
    replaced, their names are replaced inside the free texts, and ID and
    mobile numbers written into the texts are masked. The matter itself stays
    (it has to be dealt with); the person does not. Records that are not a
    whistle-blower's are returned unchanged (as a copy).
    """
    out = dict(record)
    if not record.get("whistleblower"):
        return out
    names = _names_in(record)
    for key in _PEOPLE_KEYS:
        people = record.get(key) or []
        out[key] = [{f: REDACTED for f in _PERSON_FIELDS if f in (p or {}) or f == "name"} for p in people]
    for key in text_keys:
        value = record.get(key)
        if isinstance(value, str) and value:
            for n in names:
                value = value.replace(n, WHISTLEBLOWER_LABEL)
            out[key] = redact_sensitive(value)
    out["whistleblower_redacted"] = True
    return out


class TransferToAccused(ValueError):
    pass


def check_transfer_target(target: str, accused_person: str = "", accused_unit: str = "",
                          whistleblower: bool = True) -> None:
    """Refuse to pass a whistle-blower's petition to the person or body accused.

    《信访工作条例》第三十条第三款: 不得将信访人的检举、揭发材料以及有关情况透露或者转给
    被检举、揭发的人员或者单位 (and 第四十六条第五项). Names are compared without
    spaces and either way round (the accused's unit written longer or shorter).
    """
    if not whistleblower:
        return
    t = _norm(target)
    if not t:
        return
    for accused in (accused_person, accused_unit):
        a = _norm(accused)
        if a and (a == t or a in t or t in a):
            raise TransferToAccused(
                f"不得将信访人的检举、揭发材料以及有关情况透露或者转给被检举、揭发的人员或者单位"
                f"（{REGULATION}第三十条第三款）：“{target}”是被检举、揭发的对象")


# ---------------------------------------------------------------------------
# staff recusal, Art. 28


def staff_conflicts(staff_name: str, *, petition_people: Sequence[str] = (), accused: Sequence[str] = (),
                    declared_interest: str = "") -> list[str]:
    """Why a staff member may not handle the petition (第二十八条第三款), empty if none.

    工作人员与信访事项或者信访人有直接利害关系的，应当回避: the staff member is a
    petitioner or representative, is the person accused, or has declared a
    direct interest.
    """
    basis = f"{REGULATION}第二十八条第三款"
    s = _norm(staff_name)
    out: list[str] = []
    if s and any(_norm(p) == s for p in petition_people):
        out.append(f"{staff_name}是本信访事项的信访人或者代表，与信访人有直接利害关系，应当回避（{basis}）")
    if s and any(_norm(a) == s for a in accused):
        out.append(f"{staff_name}是被反映、被检举的人员，与信访事项有直接利害关系，应当回避（{basis}）")
    if not _blank(declared_interest):
        out.append(f"{staff_name}申报与信访事项或者信访人有直接利害关系（{declared_interest}），应当回避（{basis}）")
    return out
