"""From the facts the services gather to the inputs of the renderers.

Every area's service hands out typed facts, frozen dataclasses that make
their own documents: :class:`reports.facts_mediation.MediationFacts` (built by
``hall.services.documents.document_facts``),
:class:`reports.facts_arbitration.ArbitrationFacts` (``hall.services.arbitration.document_facts``)
and :class:`reports.facts_petition.PetitionFacts` (``hall.services.petitions.document_facts``).
What is left here is the map from a registry kind to its area and one entry
point, :func:`adapt`, that hands a kind to its facts. Nothing here calls a
service or touches the database: ``hall.services.render`` gathers, adapts,
renders and registers.

What the facts take care of:

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

from collections.abc import Mapping
from typing import Any

from reports.docmodel import Centre, PetitionAcceptance, PetitionOpinion
from reports.facts import CentreProfile, MissingFacts
from reports.facts_arbitration import (
    ARBITRATION_KINDS,
    ArbitrationDocument,
    ArbitrationFacts,
    served_documents_for,
    with_capitals,
)
from reports.facts_mediation import MEDIATION_KINDS, MediationDocument, MediationFacts
from reports.facts_petition import PETITION_KINDS, PetitionFacts

__all__ = [
    "MissingFacts", "MEDIATION_KINDS", "ARBITRATION_KINDS", "PETITION_KINDS", "AREA_OF",
    "centre_from_profile", "with_capitals",
    "mediation_input", "arbitration_input",
    "petition_input", "adapt", "served_documents_for",
]


AREA_OF: dict[str, str] = {
    **{k: "mediation" for k in MEDIATION_KINDS},
    **{k: "arbitration" for k in ARBITRATION_KINDS},
    **{k: "petition" for k in PETITION_KINDS},
}


def centre_from_profile(profile: Mapping[str, Any] | None, *, committee: str = "", commission: str = "",
                        name: str = "", address: str = "", phone: str = "") -> Centre:
    """The bodies named on the documents, from the centre's profile (``centre.profile``).

    Explicit arguments (what a service already resolved) win over the profile.
    """
    return CentreProfile.from_mapping(profile).centre(committee=committee, commission=commission, name=name,
                                                      address=address, phone=phone)


def mediation_input(kind: str, facts: MediationFacts, *, session_id: int | None = None,
                    side: str | None = None) -> MediationDocument:
    """The docmodel input of a mediation ``kind`` (a key of :data:`MEDIATION_KINDS`).

    The mediation service builds the typed :class:`~reports.facts_mediation.MediationFacts`,
    which makes the document itself.
    """
    return facts.document(kind, session_id=session_id, side=side)


def arbitration_input(kind: str, facts: ArbitrationFacts, **options: Any) -> ArbitrationDocument:
    """The docmodel input of an arbitration ``kind`` (a key of :data:`ARBITRATION_KINDS`).

    The arbitration service builds the typed :class:`~reports.facts_arbitration.ArbitrationFacts`,
    which make the document themselves (``options``: ``side``, ``clerk``, ``received_at``,
    ``served_document``, see :meth:`~reports.facts_arbitration.ArbitrationFacts.document`).
    """
    return facts.document(kind, **options)


def petition_input(kind: str, facts: PetitionFacts) -> PetitionAcceptance | PetitionOpinion:
    """The docmodel input of a petition ``kind`` (``petition_acceptance`` / ``petition_opinion``).

    The petition service builds the typed :class:`~reports.facts_petition.PetitionFacts`,
    which makes the letter itself.
    """
    return facts.document(kind)


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
