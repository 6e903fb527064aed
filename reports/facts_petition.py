"""The facts of a petition's letters (告知书, 处理意见书), as the petition service builds them.

``hall.services.petitions.document_facts`` builds one :class:`PetitionFacts`
from a petition as the actor may see it (numbers the actor may not see are
masked and left off here; a whistle-blower's identity hidden from the actor
stops the letter). :meth:`PetitionFacts.document` gives the
:mod:`reports.docmodel` input of ``petition_acceptance`` or
``petition_opinion``, or raises :class:`~reports.facts.MissingFacts`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from reports.docmodel import (
    Organisation,
    Person,
    Petition,
    PetitionAcceptance,
    PetitionIntake,
    PetitionOpinion,
    PetitionOutcome,
)
from reports.facts import CentreProfile, MissingFacts, full_number

__all__ = ["PETITION_KINDS", "PetitionPerson", "PetitionFacts"]

#: registry kind -> the kind the document registry uses.
PETITION_KINDS: dict[str, str] = {
    "petition_acceptance": "petition_acceptance",
    "petition_opinion": "petition_opinion",
}

_FORMS = {"visit": "走访", "letter": "书信", "online": "网上信访", "phone": "电话", "fax": "传真"}
_BODY_ENDINGS = ("局", "院", "委员会", "委", "政府", "机关", "单位", "部门", "所", "处", "办", "办公室", "中心",
                 "会", "厅", "署", "队", "站", "公司", "街道", "镇", "乡")
_OUTCOMES = {"support": PetitionOutcome.SUPPORT, "explain": PetitionOutcome.EXPLAIN,
             "not_support": PetitionOutcome.REJECT}


@dataclass(frozen=True, kw_only=True)
class PetitionPerson:
    """A petitioner or a representative as recorded (numbers possibly masked)."""

    name: str
    kind: str = ""                          # "organisation" for a body; else a person
    address: str = ""
    phone: str = ""
    id_number: str = ""
    work_unit: str = ""
    credit_code: str = ""
    legal_rep: str = ""

    @property
    def is_organisation(self) -> bool:
        return self.kind == "organisation" or bool(self.credit_code)

    def party(self) -> Person | Organisation:
        """The 信访人 printed on the letter."""
        if self.is_organisation:
            return Organisation(side="信访人", name=self.name.strip(), credit_code=self.credit_code.strip(),
                                address=self.address.strip(), phone=full_number(self.phone),
                                legal_rep=self.legal_rep.strip())
        return Person(side="信访人", name=self.name.strip(), address=self.address.strip(),
                      phone=full_number(self.phone), id_number=full_number(self.id_number),
                      work_unit=self.work_unit.strip())


@dataclass(frozen=True, kw_only=True)
class PetitionFacts:
    """One petition (信访事项) as its letters need it."""

    profile: CentreProfile
    number: str
    petitioners: tuple[PetitionPerson, ...]
    representatives: tuple[PetitionPerson, ...]
    via: str                                # visit / letter / online / phone / fax
    received_on: dt.date | None
    matter: str
    request: str
    facts: str
    reasons: str
    whistleblower_redacted: bool
    decision: str                           # accept / transfer / not_accept; "" before the decision
    decision_on: dt.date | None
    decision_reason: str
    transfer_to: str
    notified_on: dt.date | None
    accepted_on: dt.date | None
    opinion_outcome: str                    # support / explain / not_support; "" before the opinion
    opinion_text: str
    opinion_basis: str
    opinion_on: dt.date | None
    contact: str = ""                       # who to ask, printed on the 告知书

    def petition(self) -> Petition:
        """The :class:`Petition` the letters are about."""
        if self.whistleblower_redacted:
            raise MissingFacts("检举人身份已隐去：当前账户不能制作致检举人的信访文书（《信访工作条例》第三十条）")
        people = [p for p in self.petitioners if p.name]
        reps = [p for p in self.representatives if p.name]
        if not people:
            people = reps
        if not people:
            raise MissingFacts("信访事项没有信访人")
        facts = "；".join(x for x in (self.facts.strip().rstrip("。；"), self.reasons.strip().rstrip("。；")) if x)
        names = [r.name for r in reps]
        if len(names) == len(people) and names == [x.name for x in people]:
            names = names if len(people) > 1 else []
        via = self.via.strip()
        return Petition(
            centre=self.profile.centre(),
            number=self.number.strip(),
            petitioners=tuple(x.party() for x in people),
            received_on=self.received_on,  # type: ignore[arg-type]  # the renderer prints a blank
            form=_FORMS.get(via, via or "走访"),
            representatives=tuple(names),
            matter=self.matter.strip() or "有关事项",
            request=self.request.strip(),
            facts_reasons=facts,
            handling_body=self.profile.petition_office or self.profile.name,
        )

    def document(self, kind: str) -> PetitionAcceptance | PetitionOpinion:
        """The docmodel input of a petition ``kind`` (``petition_acceptance`` / ``petition_opinion``)."""
        if kind not in PETITION_KINDS:
            raise MissingFacts(f"“{kind}”不是信访文书")
        pet = self.petition()
        decision = self.decision.strip()
        if kind == "petition_acceptance":
            issued = self.notified_on or self.decision_on
            if not decision or issued is None:
                raise MissingFacts(f"信访事项{pet.number}尚未作出受理决定，不能出具告知书")
            if decision == "accept":
                return PetitionAcceptance(petition=pet, issued_on=issued, decision=PetitionIntake.ACCEPT,
                                          contact=self.contact)
            if decision == "transfer":
                return PetitionAcceptance(petition=pet, issued_on=issued, decision=PetitionIntake.FORWARD,
                                          to_body=self.transfer_to.strip(), contact=self.contact)
            return PetitionAcceptance(petition=pet, issued_on=issued, decision=PetitionIntake.REDIRECT,
                                      to_body=_body_named(self.decision_reason.strip()), contact=self.contact)
        outcome = self.opinion_outcome.strip()
        if not outcome or self.opinion_on is None:
            raise MissingFacts(f"信访事项{pet.number}尚未出具处理意见")
        return PetitionOpinion(
            petition=pet, issued_on=self.opinion_on, outcome=_OUTCOMES[outcome], accepted_on=self.accepted_on,
            opinion=self.opinion_text.strip(), legal_basis=self.opinion_basis.strip(),
            review_body=self.profile.petition_review_body,
        )


def _body_named(reason: str) -> str:
    """The body a petitioner not accepted is told to go to, from the reason given."""
    text = reason.strip().rstrip("。；;")
    m = re.search(r"向(.{2,40}?)(?:提出|反映|申请|起诉|投诉)", text)
    if m:
        return m.group(1)
    if text.endswith(_BODY_ENDINGS) and len(text) <= 40 and "，" not in text:
        return text
    return f"有权处理的机关、单位（{text}）" if text else "有权处理的机关、单位"
