"""Make a document of a case in one go: gather the facts, adapt, render, register.

``render_document`` takes any kind of :data:`reports.registry.KINDS`:

1. the facts come from the area's own service, which checks the actor's
   permission and decides what the actor may see (full ID numbers only for
   a role that may see them): ``documents.document_facts`` for people's
   mediation (typed :class:`reports.facts_mediation.MediationFacts`),
   ``arbitration.document_facts`` for labour arbitration (typed
   :class:`reports.facts_arbitration.ArbitrationFacts`),
   ``petitions.document_facts`` for petitions (typed
   :class:`reports.facts_petition.PetitionFacts`);
2. the typed facts make the renderer's input themselves (``.document(kind, …)``);
3. ``reports`` lays the document out and writes PDF or DOCX bytes (the same
   data gives the same bytes);
4. the bytes go into the document registry (``documents.register_document``):
   versioned per kind and case (or arbitration case / petition), SHA-256.

Kinds in the registry: a mediation document is registered under the mediation
case with the case file's kind (``agreement``, ``minutes``, ``registration``,
``follow_up``, ``termination``; ``mediation_rights_notice``); an arbitration
document under subject ``("arbitration", case id)`` with the arbitration
service's kind (``hearing_notice``, ``award`` ... — the same word its 送达
records use); a petition document under ``("petition", id)`` as
``petition_acceptance`` / ``petition_opinion``.

A character that no installed font can draw stops a PDF with
:class:`~hall.services.InvalidInput` naming the character; facts that cannot
make the document yet (an award not yet made) give a
:class:`~hall.services.Conflict` saying what is missing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from hall.domain.clock import HALL_TZ, UTC, to_local
from hall.domain.roles import Role
from hall.store.arbitration_models import ArbitrationCase, Hearing
from hall.store.db import Database
from reports import adapters, registry
from reports.adapters import ARBITRATION_KINDS, MEDIATION_KINDS, PETITION_KINDS, MissingFacts
from reports.docmodel import Document, StatusCode
from reports.facts_arbitration import served_documents_for
from reports.fonts import MissingGlyphError
from reports.official import render as typeset
from reports.official import render_pdf_batch

from . import arbitration as arb
from . import cases as cs
from . import documents as docs
from . import petitions as pet
from .base import Actor, Conflict, InvalidInput, NotFound, unit_of_work
from .documents import PrintView
from .views import JsonView

__all__ = ["RenderedDocument", "KindInfo", "AREAS", "FORMATS", "render_document", "log_print",
           "render_hearing_notices_for_day", "hearings_on", "available_kinds", "registered_kind"]

FORMATS = ("pdf", "docx")

#: area code -> the Chinese name ``reports.registry`` groups its kinds by.
AREAS = {"mediation": "人民调解", "arbitration": "劳动人事争议仲裁", "petition": "信访"}
_AREA_CODES = {v: k for k, v in AREAS.items()}

#: What each kind may be told beyond the case: which agreement, session or hearing, which party.
_OPTIONS = {
    "mediation_agreement": ("agreement",),
    "mediation_minutes": ("session",),
    "mediation_attendance_notice": ("side",),
    "arbitration_hearing_notice": ("hearing", "side"),
    "arbitration_postponement": ("hearing", "side"),
    "arbitration_hearing_record": ("hearing",),
    "arbitration_response_notice": ("side",),
    "arbitration_tribunal_notice": ("side",),
    "arbitration_service_receipt": ("side", "served_document"),
    "arbitration_award": ("part",),
}

#: The documents handed to the parties that carry the case's status code
#: (一案一码): registration, notices and receipts — not the instruments with
#: legal effect (agreement, award, 调解书), nor records the hall keeps; nor
#: the hearing and postponement notices, which fill their one page (the
#: party has the code from the receipt, acceptance or response notice).
STATUS_CODE_KINDS = frozenset({
    "mediation_registration", "mediation_rights_notice", "mediation_attendance_notice",
    "arbitration_receipt", "arbitration_correction", "arbitration_acceptance", "arbitration_response_notice",
    "arbitration_tribunal_notice", "arbitration_extension_notice",
    "petition_acceptance",
})

#: 第四十七条: the two awards of a split award, by ``part``.
AWARD_PARTS = {"final": "award_final", "nonfinal": "award_nonfinal"}

_SIDES = ("applicant", "respondent")


@dataclass(frozen=True)
class RenderedDocument:
    """One rendered and registered document."""

    kind: str                 # the kind of reports.registry (mediation_agreement ...)
    name: str                 # 人民调解协议书
    title: str                # as registered: name, number and, for a notice to one party, whom
    fmt: str                  # pdf / docx
    data: bytes
    document_id: int
    version: int
    sha256: str
    registered_kind: str      # the kind in the document registry (agreement, hearing_notice ...)
    case_number: str = ""

    @property
    def size(self) -> int:
        return len(self.data)

    def to_json(self) -> dict:
        return {"kind": self.kind, "name": self.name, "title": self.title, "format": self.fmt,
                "document_id": self.document_id, "version": self.version, "sha256": self.sha256,
                "registered_kind": self.registered_kind, "case_number": self.case_number, "size": self.size}


@dataclass(frozen=True)
class KindInfo(JsonView):
    """A document the UI and the CLI can offer."""

    kind: str
    name: str
    area: str                 # mediation / arbitration / petition
    area_label: str           # 人民调解 / 劳动人事争议仲裁 / 信访
    basis: str
    formats: tuple[str, ...]
    options: tuple[str, ...]  # agreement / session / hearing / side / served_document
    subject_label: str        # what --case names: 调解案号 / 仲裁案号或收件号 / 信访编号


_SUBJECT_LABELS = {"mediation": "调解案号", "arbitration": "仲裁案号或收件号", "petition": "信访编号"}


def available_kinds(area: str | None = None) -> list[KindInfo]:
    """Every document kind (of one area: ``mediation``/``arbitration``/``petition`` or its Chinese name)."""
    code = None
    if area:
        code = area if area in AREAS else _AREA_CODES.get(area)
        if code is None:
            raise InvalidInput(f"未知的业务类别：{area}（可用：{'、'.join(AREAS)}）")
    out = []
    for k in registry.KINDS.values():
        k_area = adapters.AREA_OF[k.kind]
        if code and k_area != code:
            continue
        out.append(KindInfo(k.kind, k.name, k_area, AREAS[k_area], k.basis, FORMATS, _OPTIONS.get(k.kind, ()),
                            _SUBJECT_LABELS[k_area]))
    return out


def registered_kind(kind: str) -> str:
    """The kind a rendered ``kind`` is registered under in the document registry."""
    return MEDIATION_KINDS.get(kind) or ARBITRATION_KINDS.get(kind) or PETITION_KINDS[kind]


def _check(kind: str, fmt: str) -> str:
    if kind not in registry.KINDS:
        raise InvalidInput(f"未知的文书种类：{kind}（可用：{'、'.join(registry.KINDS)}）")
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInput(f"文书格式只能是 {' 或 '.join(FORMATS)}，不是“{fmt}”")
    return fmt


def _check_side(side: str | None) -> None:
    if side is not None and side not in _SIDES:
        raise InvalidInput(f"当事人应为 applicant（申请人）或 respondent（被申请人），不是“{side}”")


def _clerk(actor: Actor) -> str:
    """The clerk's name printed on arbitration documents: the acting 仲裁书记员 (blank for others)."""
    return actor.display_name if Role.ARBITRATION_CLERK in actor.roles else ""


def _received_at(db: Database, case_id: int) -> dt.datetime | None:
    with db.read() as s:
        c = s.get(ArbitrationCase, case_id)
        return to_local(c.received_at) if c is not None and c.received_at else None


def _typeset(document: Document, fmt: str) -> bytes:
    try:
        return typeset(document, fmt)
    except MissingGlyphError as exc:
        raise InvalidInput(str(exc), characters=list(exc.characters)) from None


def _build(kind: str, data: Any) -> Document:
    try:
        return registry.KINDS[kind].build(data)
    except MissingGlyphError as exc:
        raise InvalidInput(str(exc), characters=list(exc.characters)) from None
    except ValueError as exc:
        raise Conflict(str(exc)) from None


def _title(document: Document, data: Any) -> str:
    """The registered title: the document's own, plus whom it is addressed to when it is one party's."""
    party = getattr(data, "addressee", None) or getattr(data, "respondent", None)
    if party is not None:
        return f"{document.title}（致{party.side}{party.name}）"
    recipient = getattr(data, "recipient", None)
    if isinstance(recipient, str) and recipient:
        return f"{document.title}（受送达人{recipient}）"
    return document.title


def _adapt(fn, *args, **kwargs) -> Any:
    try:
        return fn(*args, **kwargs)
    except MissingFacts as exc:
        raise Conflict(str(exc)) from None
    except ValueError as exc:   # a docmodel check (amounts, copies, parties)
        raise InvalidInput(str(exc)) from None


def _gather(db: Database, actor: Actor, kind: str, *, case_number: str | None, case_id: int | None,
            agreement_id: int | None, session_id: int | None, hearing_id: int | None, side: str | None,
            served_document: str | tuple[str, ...] | None, part: str | None = None) -> tuple[Any, dict, str]:
    """(renderer input, registry placement, case number)."""
    area = adapters.AREA_OF[kind]
    number = (case_number or "").strip()
    if case_id is None and not number:
        raise InvalidInput("请指明案号（或编号）")
    if area == "mediation":
        cid = case_id if case_id is not None else cs.case_by_number(db, actor, number).id
        facts = docs.document_facts(db, actor, cid, MEDIATION_KINDS[kind], agreement_id=agreement_id,
                                    session_id=session_id)
        inp = _adapt(facts.document, kind, session_id=session_id, side=side)
        return inp, {"case_id": cid}, facts.number
    if area == "arbitration":
        cid = case_id if case_id is not None else arb.find_case(db, actor, number)
        akind = ARBITRATION_KINDS[kind]
        if kind == "arbitration_award" and part:
            if part not in AWARD_PARTS:
                raise InvalidInput("裁决书部分应为 final（终局裁决事项）或者 nonfinal（非终局裁决事项）")
            akind = AWARD_PARTS[part]
        arb_facts = arb.document_facts(db, actor, cid, akind, hearing_id=hearing_id)
        received = _received_at(db, cid) if kind in ("arbitration_receipt", "arbitration_oral_application") else None
        if kind == "arbitration_service_receipt" and served_document is None:
            d = arb.arbitration_detail(db, actor, cid)
            served_document = served_documents_for(
                {"outcome": d.outcome, "hearing": any(h.state == "scheduled" for h in d.hearings),
                 "tribunal": bool(d.tribunal), "accepted": d.accepted_on is not None}, side or "applicant")
        inp = _adapt(arb_facts.document, kind, side=side, clerk=_clerk(actor), received_at=received,
                     served_document=served_document)
        placement = {"case_id": None, "subject_type": "arbitration", "subject_id": cid}
        return inp, placement, arb_facts.number
    pid = case_id if case_id is not None else pet.find_petition(db, actor, number)
    pet_facts = pet.document_facts(db, actor, pid)
    inp = _adapt(pet_facts.document, kind)
    return inp, {"case_id": None, "subject_type": "petition", "subject_id": pid}, pet_facts.number


def _subject(placement: dict) -> tuple[str, int]:
    """The status token's subject of a document's registry placement."""
    if placement.get("case_id") is not None:
        return "case", placement["case_id"]
    return placement["subject_type"], placement["subject_id"]


def _with_status_code(kind: str, document: Document, url: str | None) -> Document:
    if kind not in STATUS_CODE_KINDS:
        return document
    return dataclasses.replace(document, blocks=(*document.blocks, StatusCode(url)))


def _new_status_link(db: Database) -> tuple[str, str]:
    """A fresh token and its link; the token is stored (hashed) only with the registration."""
    from . import status

    token = status.new_token()
    with db.read() as s:
        return token, status.status_url(status.base_url(s), token)


def _keep_token(db: Database, actor: Actor, placement: dict, token: str, document_id: int) -> None:
    """The printed code starts working: its hash is stored for the case; the
    codes on the party's earlier documents keep working too."""
    from . import status

    subject_type, subject_id = _subject(placement)
    with unit_of_work(db, actor, "document.register") as uow:
        status.mint_token(uow, subject_type, subject_id, replace=False, token=token)
        uow.audit("status.token", subject_type, subject_id, document_id=document_id)


def _produce(db: Database, actor: Actor, kind: str, fmt: str, *, case_number, case_id, agreement_id,
             session_id, hearing_id, side, served_document, part=None, status_url: str | None = None):
    """Gather the facts through the services, adapt them, typeset the document
    (with the status code ``status_url`` on a document handed to a party)."""
    _check_side(side)
    inp, placement, number = _gather(db, actor, kind, case_number=case_number, case_id=case_id,
                                     agreement_id=agreement_id, session_id=session_id,
                                     hearing_id=hearing_id, side=side, served_document=served_document,
                                     part=part)
    document = _with_status_code(kind, _build(kind, inp), status_url)
    return document, inp, placement, number, _typeset(document, fmt)


def preview_document(db: Database, actor: Actor, kind: str, *, case_number: str | None = None,
                     case_id: int | None = None, subject_id: int | None = None, fmt: str = "pdf",
                     agreement_id: int | None = None, session_id: int | None = None,
                     hearing_id: int | None = None, side: str | None = None,
                     served_document: str | None = None, part: str | None = None) -> bytes:
    """The document's bytes for an on-screen preview, not registered.

    A preview is redrawn as the user types, so it is not a generated
    document; what is printed goes through :func:`render_document`, which
    registers it, and :func:`log_print`.
    """
    fmt = _check(kind, fmt)
    return _produce(db, actor, kind, fmt, case_number=case_number,
                    case_id=case_id if case_id is not None else subject_id, agreement_id=agreement_id,
                    session_id=session_id, hearing_id=hearing_id, side=side,
                    served_document=served_document, part=part)[-1]


def render_document(db: Database, actor: Actor, kind: str, *, case_number: str | None = None,
                    case_id: int | None = None, subject_id: int | None = None, fmt: str = "pdf",
                    agreement_id: int | None = None, session_id: int | None = None,
                    hearing_id: int | None = None, side: str | None = None,
                    served_document: str | None = None, part: str | None = None,
                    deliver: Callable[[bytes], Any] | None = None) -> RenderedDocument:
    """Render one document of a case and register it.

    ``deliver(data)``, when given, runs before the registration (write the
    file and check it); if it raises, nothing is registered.

    The case is named by ``case_number`` (调解案号, 仲裁案号 or 收件号, 信访编号,
    following the kind's area) or by id (``case_id``; ``subject_id`` is the
    same for an arbitration case or a petition). ``agreement_id`` /
    ``session_id`` pick the agreement or the session of a mediation case
    (default: the one in force / the last); ``hearing_id`` the hearing
    (default: the last); ``side`` (``applicant``/``respondent``) the party a
    notice is addressed to (hearing and postponement notices: the applicant
    by default; 应诉通知书: the respondent; 仲裁庭组成通知书: both when not
    given); ``served_document`` the arbitration document kind a 送达回证 is
    for (default: the one the case's stage calls for).
    """
    actor.require("document.register")  # before reading the input
    fmt = _check(kind, fmt)
    token, link = _new_status_link(db) if kind in STATUS_CODE_KINDS else (None, None)
    document, inp, placement, number, data = _produce(
        db, actor, kind, fmt, case_number=case_number,
        case_id=case_id if case_id is not None else subject_id, agreement_id=agreement_id,
        session_id=session_id, hearing_id=hearing_id, side=side, served_document=served_document, part=part,
        status_url=link)
    title = _title(document, inp)
    reg_kind = AWARD_PARTS[part] if kind == "arbitration_award" and part else registered_kind(kind)
    if deliver is not None:
        deliver(data)
    where = dict(placement)
    view = docs.register_document(db, actor, reg_kind, placement.pop("case_id"), fmt, data, title=title,
                                  **placement)
    if token is not None:
        _keep_token(db, actor, where, token, view.id)
    return RenderedDocument(kind=kind, name=registry.KINDS[kind].name, title=title, fmt=fmt, data=data,
                            document_id=view.id, version=view.version, sha256=view.sha256,
                            registered_kind=reg_kind, case_number=number)


def log_print(db: Database, actor: Actor, document_id: int, *, copies: int = 1, printer: str = "") -> PrintView:
    """Record that a registered document was printed (who, where, how many)."""
    return docs.log_print(db, actor, document_id, copies=copies, printer=printer)


def hearings_on(db: Database, actor: Actor, day: dt.date) -> list[tuple[int, int]]:
    """(case id, hearing id) of every hearing scheduled on ``day`` (hall time), in the order they sit."""
    actor.require("arbitration.read")
    start = dt.datetime(day.year, day.month, day.day, tzinfo=HALL_TZ).astimezone(UTC)
    end = start + dt.timedelta(days=1)
    with db.read() as s:
        rows = s.execute(select(Hearing.case_id, Hearing.id).where(
            Hearing.state == "scheduled", Hearing.starts_at >= start, Hearing.starts_at < end)
            .order_by(Hearing.starts_at, Hearing.id)).all()
    return [(r[0], r[1]) for r in rows]


def render_hearing_notices_for_day(db: Database, actor: Actor, day: dt.date) -> bytes:
    """Every hearing notice of the hearings scheduled on ``day`` as ONE PDF.

    Each hearing gives two notices, one to the applicant and one to the
    respondent, each on its own page with its own page numbers; each notice is
    also registered (its own PDF) under its case.
    """
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise InvalidInput("开庭日期应为日期")
    actor.require("document.register")
    pairs = hearings_on(db, actor, day)
    if not pairs:
        raise NotFound(f"{day.year}年{day.month}月{day.day}日没有安排开庭")
    kind = "arbitration_hearing_notice"
    built: list[Document] = []
    for case_id, hearing_id in pairs:
        facts = arb.document_facts(db, actor, case_id, ARBITRATION_KINDS[kind], hearing_id=hearing_id)
        for side in _SIDES:
            inp = _adapt(facts.document, kind, side=side, clerk=_clerk(actor))
            token, link = _new_status_link(db) if kind in STATUS_CODE_KINDS else (None, None)
            document = _with_status_code(kind, _build(kind, inp), link)
            data = _typeset(document, "pdf")
            view = docs.register_document(db, actor, registered_kind(kind), None, "pdf", data,
                                          subject_type="arbitration", subject_id=case_id,
                                          title=_title(document, inp))
            if token is not None:
                _keep_token(db, actor, {"subject_type": "arbitration", "subject_id": case_id}, token, view.id)
            built.append(document)
    try:
        return render_pdf_batch(built)
    except MissingGlyphError as exc:    # pragma: no cover - each one was typeset above
        raise InvalidInput(str(exc), characters=list(exc.characters)) from None
