"""The content-addressed file store and the document registry.

Files (evidence, recordings, generated documents) are kept once each, by
SHA-256, under the shared folder of the setting ``storage.folder``
(default: a folder next to the SQLite file, ``<name>-files``, or
``files`` in the user data folder when the database is PostgreSQL), as
``<sha256[:2]>/<sha256>``. Storing copies the bytes to a temporary file while
hashing them, reads the copy back and hashes it again, and only then moves
it into place: a file in the store is one whose bytes were verified.
:func:`verify_store` re-hashes every stored file and reports the changed and
vanished ones.

The registry (:func:`register_document`) records every generated document:
kind, case (or another area's subject), version (counted per kind and case),
format, SHA-256, who generated it, and each print (:func:`log_print`). The
renderers live in ``reports/``; :func:`document_facts` gathers the facts a
mediation document needs as typed :class:`reports.facts_mediation.MediationFacts`
for them (:func:`document_data`: the same facts as a plain dict).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from hall.domain import cases as rules
from hall.domain import money as rmb
from hall.domain.cases import DocumentKind
from hall.domain.clock import as_utc, local_day, to_local
from hall.domain.numerals import cardinal
from hall.store.case_models import (
    Agreement,
    Case,
    CaseFile,
    Document,
    DocumentPrint,
    MediationSession,
    Referral,
    RoomBooking,
    StoredFile,
)
from hall.store.db import Database
from hall.store.models import TrackedDeadline
from reports import facts_mediation as fm
from reports.facts import CentreProfile

from .base import Actor, HallError, InvalidInput, NotFound, UnitOfWork, get_setting, put_setting, unit_of_work
from .views import JsonView

if TYPE_CHECKING:
    from . import cases as cs

__all__ = [
    "STORE_SETTING", "DocumentView", "PrintView", "StoreProblem", "StoreReport", "storage_folder",
    "set_storage_folder", "store_file", "store_bytes", "read_stored", "verify_store",
    "register_document", "log_print", "list_documents", "document_bytes", "prints_of",
    "document_data", "document_facts",
]

STORE_SETTING = "storage.folder"
_CHUNK = 1 << 20
_FORMATS = {"pdf": (b"%PDF-", "application/pdf"),
            "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}
_KIND = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


class StoreError(HallError):
    code = "store"


# ================================================================ the store
def default_storage_folder(db: Database) -> Path:
    path = db.sqlite_path
    if path is not None and str(path) not in ("", ":memory:"):
        return path.with_name(path.stem + "-files")
    import platformdirs

    return Path(platformdirs.user_data_dir("hall", appauthor=False)) / "files"


def storage_folder(db: Database) -> Path:
    """The store's folder: the ``storage.folder`` setting, or the default."""
    with db.read() as s:
        value = get_setting(s, STORE_SETTING)
    return Path(value).expanduser() if value else default_storage_folder(db)


def set_storage_folder(db: Database, actor: Actor, folder: str | os.PathLike) -> str:
    """Point the hall at a shared folder (every workstation must reach it)."""
    actor.require("centre.configure")  # before reading the input
    path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"文件库文件夹不可写：{path}（{exc.strerror or exc}）") from None
    with unit_of_work(db, actor, "centre.configure") as uow:
        put_setting(uow.s, STORE_SETTING, str(path))
        uow.audit("store.folder", "setting", STORE_SETTING, folder=str(path))
        uow.event("centre.changed", setting=STORE_SETTING)
    return str(path)


def blob_path(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _put(folder: Path, chunks: Iterator[bytes]) -> tuple[str, int]:
    """Copy while hashing, verify the copy, move it into place."""
    incoming = folder / ".incoming"
    try:
        incoming.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法使用文件库文件夹 {folder}：{exc.strerror or exc}") from None
    tmp = incoming / f"{uuid.uuid4().hex}.part"
    h = hashlib.sha256()
    size = 0
    try:
        with open(tmp, "wb") as out:
            for chunk in chunks:
                h.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = h.hexdigest()
        check_sha, check_size = _hash_file(tmp)
        if (check_sha, check_size) != (sha, size):
            raise StoreError("文件写入文件库后校验不一致，未保存（请检查磁盘或网络文件夹）")
        final = blob_path(folder, sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            if _hash_file(final)[0] == sha:
                return sha, size
            os.chmod(final, 0o644)  # a damaged copy: replaced by the verified bytes
        os.replace(tmp, final)
        try:
            os.chmod(final, 0o444)
        except OSError:
            pass
        return sha, size
    except OSError as exc:
        raise StoreError(f"保存文件到文件库失败：{exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(_CHUNK), b"")


def store_file(db: Database, path: str | os.PathLike) -> tuple[str, int]:
    """Copy a file into the store (outside any transaction); (sha256, size)."""
    src = Path(path).expanduser()
    if not src.is_file():
        raise NotFound(f"找不到文件：{src}")
    return _put(storage_folder(db), _file_chunks(src))


def store_bytes(db: Database, data: bytes) -> tuple[str, int]:
    return _put(storage_folder(db), iter([bytes(data)]))


def ensure_stored(uow: UnitOfWork, sha256: str, size: int, media_type: str, name: str) -> int:
    """The ``stored_files`` row of a blob (created if new, safely under races)."""
    ins = (postgresql.insert if uow.db.is_postgres else sqlite.insert)(StoredFile)
    uow.s.execute(ins.values(sha256=sha256, size=size, media_type=media_type[:100],
                             original_name=name[:255], added_by=uow.actor.user_id if uow.actor else None,
                             added_at=uow.now).on_conflict_do_nothing(index_elements=[StoredFile.sha256]))
    return uow.s.execute(select(StoredFile.id).where(StoredFile.sha256 == sha256)).scalar_one()


def read_stored(db: Database, sha256: str) -> bytes:
    """The bytes of a stored file, checked against their hash."""
    path = blob_path(storage_folder(db), sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"文件库中缺少文件 {sha256[:12]}…（已被移动或删除）") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoreError(f"文件库中的文件 {sha256[:12]}… 已被改动，与登记的校验值不符")
    return data


@dataclass(frozen=True)
class StoreProblem(JsonView):
    sha256: str
    original_name: str
    size: int
    problem: str                       # "changed" or "missing"
    cases: tuple[str, ...] = ()        # case numbers that refer to it
    documents: tuple[int, ...] = ()


@dataclass(frozen=True)
class StoreReport(JsonView):
    folder: str
    checked: int
    ok: int
    changed: list[StoreProblem] = field(default_factory=list)
    missing: list[StoreProblem] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.changed and not self.missing


def verify_store(db: Database, actor: Actor | None = None, *,
                 progress: Callable[[int], None] | None = None) -> StoreReport:
    """Re-hash every stored file; report the changed and the vanished ones."""
    if actor is not None:
        actor.require("store.verify")
    folder = storage_folder(db)
    checked = ok = 0
    bad: list[tuple[StoredFile, str]] = []
    last = 0
    while True:
        with db.read() as s:
            batch = list(s.execute(select(StoredFile).where(StoredFile.id > last)
                                   .order_by(StoredFile.id).limit(500)).scalars())
        if not batch:
            break
        for row in batch:
            last = row.id
            checked += 1
            path = blob_path(folder, row.sha256)
            try:
                sha, size = _hash_file(path)
            except FileNotFoundError:
                bad.append((row, "missing"))
                continue
            except OSError:
                bad.append((row, "missing"))
                continue
            if sha == row.sha256 and size == row.size:
                ok += 1
            else:
                bad.append((row, "changed"))
        if progress:
            progress(checked)
    changed: list[StoreProblem] = []
    missing: list[StoreProblem] = []
    if bad:
        shas = [r.sha256 for r, _ in bad]
        with db.read() as s:
            refs: dict[str, set[str]] = {}
            for sha, number in s.execute(select(CaseFile.sha256, Case.number).join(Case, Case.id == CaseFile.case_id)
                                         .where(CaseFile.sha256.in_(shas))):
                refs.setdefault(sha, set()).add(number)
            docs: dict[str, list[int]] = {}
            for sha, did, number in s.execute(select(Document.sha256, Document.id, Case.number)
                                              .outerjoin(Case, Case.id == Document.case_id)
                                              .where(Document.sha256.in_(shas))):
                docs.setdefault(sha, []).append(did)
                if number:
                    refs.setdefault(sha, set()).add(number)
        for row, problem in bad:
            item = StoreProblem(row.sha256, row.original_name, row.size, problem,
                                tuple(sorted(refs.get(row.sha256, ()))), tuple(docs.get(row.sha256, ())))
            (changed if problem == "changed" else missing).append(item)
    report = StoreReport(str(folder), checked, ok, changed, missing)
    if actor is not None:
        with unit_of_work(db, actor) as uow:
            uow.audit("store.verify", "store", "", checked=checked, changed=len(changed), missing=len(missing))
            if not report.healthy:
                uow.event("store.damaged", changed=len(changed), missing=len(missing))
    return report


# ============================================================ the registry
@dataclass(frozen=True)
class DocumentView(JsonView):
    id: int
    kind: str
    kind_label: str
    case_id: int | None
    case_number: str
    subject_type: str
    subject_id: int | None
    version: int
    format: str
    sha256: str
    size: int
    title: str
    generated_by_name: str
    generated_at: dt.datetime
    prints: int = 0
    last_printed_at: dt.datetime | None = None


@dataclass(frozen=True)
class PrintView(JsonView):
    id: int
    document_id: int
    printed_at: dt.datetime
    printed_by_name: str
    workstation: str
    copies: int
    printer: str


def _kind_label(kind: str) -> str:
    try:
        return DocumentKind(kind).label
    except ValueError:
        pass
    from reports import registry  # a kind registered under its renderer's name

    known = registry.KINDS.get(kind)
    return known.name if known is not None else kind


def _doc_view(d: Document, number: str | None, prints: int = 0,
              last: dt.datetime | None = None) -> DocumentView:
    return DocumentView(d.id, d.kind, _kind_label(d.kind), d.case_id, number or "", d.subject_type, d.subject_id,
                        d.version, d.format, d.sha256, d.size, d.title, d.generated_by_name, d.generated_at,
                        prints, last)


def register_document(db: Database, actor: Actor, kind: str, case_id: int | None, fmt: str, data: bytes, *,
                      subject_type: str = "", subject_id: int | None = None, title: str = "") -> DocumentView:
    """Register a generated document and keep its bytes in the store.

    The version counts per kind and case (or per kind and subject for another
    area's documents): the first 调解协议书 of a case is version 1, the next
    one generated version 2, whatever its format.
    """
    actor.require("document.register")  # before reading the input
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in _FORMATS:
        raise InvalidInput(f"文书格式只能是 {' 或 '.join(_FORMATS)}")
    if not _KIND.match(kind or ""):
        raise InvalidInput(f"文书类型“{kind}”只能用小写字母、数字和下划线")
    magic, media_type = _FORMATS[fmt]
    if not data or not bytes(data[:len(magic)]) == magic:
        raise InvalidInput(f"文件内容不是 {fmt.upper()} 格式")
    if case_id is None and not (subject_type and subject_id is not None):
        raise InvalidInput("文书需要关联案件或其他办理对象")
    sha, size = store_bytes(db, data)
    with unit_of_work(db, actor, "document.register") as uow:
        number = None
        if case_id is not None:
            c = uow.s.execute(uow.lock_for_update(select(Case).where(Case.id == case_id))).scalar_one_or_none()
            if c is None:
                raise NotFound(f"没有编号为 {case_id} 的调解案件")
            number = c.number
            scope = f"case:{case_id}"
        else:
            scope = f"{subject_type}:{subject_id}"[:48]
        if uow.db.is_postgres:
            uow.s.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"doc|{kind}|{scope}"})
        # Rendering the same paper again (a second print of a signed agreement)
        # is the same document, not a new version.
        last = uow.s.execute(select(Document).where(Document.kind == kind, Document.scope == scope)
                             .order_by(Document.version.desc()).limit(1)).scalar_one_or_none()
        if last is not None and last.sha256 == sha and last.format == fmt:
            return _doc_view(last, number)
        version = uow.s.execute(select(func.coalesce(func.max(Document.version), 0) + 1).where(
            Document.kind == kind, Document.scope == scope)).scalar_one()
        label = _kind_label(kind)
        stored_id = ensure_stored(uow, sha, size, media_type, f"{label}-{number or scope}-v{version}.{fmt}")
        d = Document(kind=kind, scope=scope, case_id=case_id, subject_type=subject_type or ("case" if case_id else ""),
                     subject_id=subject_id if subject_id is not None else case_id, version=version, format=fmt,
                     sha256=sha, size=size, stored_file_id=stored_id, title=(title or label)[:200],
                     generated_by=actor.user_id, generated_by_name=actor.display_name or actor.username,
                     generated_at=uow.now)
        uow.s.add(d)
        uow.s.flush()
        if case_id is not None:
            from .cases import timeline

            timeline(uow, case_id, "document", f"生成文书：{label}（第{version}版，{fmt.upper()}）")
        uow.audit("document.register", "document", d.id, kind=kind, case_id=case_id, version=version,
                  format=fmt, sha256=sha)
        uow.event("document.registered", document_id=d.id, document_kind=kind, case_id=case_id, number=number or "",
                  version=version)
        return _doc_view(d, number)


def log_print(db: Database, actor: Actor, document_id: int, *, copies: int = 1, printer: str = "") -> PrintView:
    """Record one print of a registered document (who, where, how many)."""
    if copies < 1:
        raise InvalidInput("打印份数至少为1")
    with unit_of_work(db, actor, "document.register") as uow:
        d = uow.s.get(Document, document_id)
        if d is None:
            raise NotFound(f"没有编号为 {document_id} 的文书")
        p = DocumentPrint(document_id=d.id, printed_at=uow.now, printed_by=actor.user_id,
                          printed_by_name=actor.display_name or actor.username, workstation=actor.workstation[:64],
                          copies=copies, printer=(printer or "")[:100])
        uow.s.add(p)
        uow.s.flush()
        if d.case_id is not None:
            from .cases import timeline

            timeline(uow, d.case_id, "document_printed",
                     f"打印文书：{_kind_label(d.kind)}（第{d.version}版）{copies}份")
        uow.audit("document.print", "document", d.id, copies=copies, printer=printer)
        uow.event("document.printed", document_id=d.id, case_id=d.case_id)
        return PrintView(p.id, d.id, p.printed_at, p.printed_by_name, p.workstation, p.copies, p.printer)


def list_documents(db: Database, actor: Actor, case_id: int | None = None, *, subject_type: str | None = None,
                   subject_id: int | None = None, kind: str | None = None) -> list[DocumentView]:
    """A case's (or a subject's) documents, oldest first, with print counts."""
    if not (actor.may("case.read") or actor.may("document.register")):
        actor.require("case.read")
    prints = (select(DocumentPrint.document_id, func.count().label("n"),
                     func.max(DocumentPrint.printed_at).label("last"))
              .group_by(DocumentPrint.document_id).subquery())
    stmt = (select(Document, Case.number, prints.c.n, prints.c.last)
            .outerjoin(Case, Case.id == Document.case_id)
            .outerjoin(prints, prints.c.document_id == Document.id))
    if case_id is not None:
        stmt = stmt.where(Document.case_id == case_id)
    elif subject_type:
        stmt = stmt.where(Document.subject_type == subject_type, Document.subject_id == subject_id)
    else:
        raise InvalidInput("请指明案件或办理对象")
    if kind:
        stmt = stmt.where(Document.kind == kind)
    with db.read() as s:
        rows = s.execute(stmt.order_by(Document.id)).all()
    return [_doc_view(d, number, n or 0, as_utc(last) if last else None) for d, number, n, last in rows]


def prints_of(db: Database, actor: Actor, document_id: int) -> list[PrintView]:
    if not (actor.may("case.read") or actor.may("document.register")):
        actor.require("case.read")
    with db.read() as s:
        return [PrintView(p.id, p.document_id, p.printed_at, p.printed_by_name, p.workstation, p.copies, p.printer)
                for p in s.execute(select(DocumentPrint).where(DocumentPrint.document_id == document_id)
                                   .order_by(DocumentPrint.id)).scalars()]


def document_bytes(db: Database, actor: Actor, document_id: int) -> bytes:
    """A registered document's bytes, verified against the registered hash."""
    if not (actor.may("case.read") or actor.may("document.register")):
        actor.require("case.read")
    with db.read() as s:
        d = s.get(Document, document_id)
        if d is None:
            raise NotFound(f"没有编号为 {document_id} 的文书")
        sha = d.sha256
    return read_stored(db, sha)


# ======================================================== document data
def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return to_local(moment) if moment is not None else None


@dataclass(frozen=True)
class _Gathered:
    """What a mediation document is made from, read once for :func:`document_data` and
    :func:`document_facts`."""

    case: Case
    view: cs.CaseView
    profile: dict
    committee: str
    chosen: cs.AgreementView | None
    judicial_until: dt.date | None
    sessions: list[cs.SessionView]
    files: list[cs.CaseFileView]
    referrals: list[cs.ReferralView]
    bookings: list[cs.BookingView]
    today: dt.date


def _gather(db: Database, actor: Actor, case_id: int, *, agreement_id: int | None,
            session_id: int | None) -> _Gathered:
    from . import cases as cs

    actor.require("case.read")
    see = actor.may("visitor.see_id_number")
    with db.read() as s:
        c = s.get(Case, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的调解案件")
        view = cs._case_view(s, c, see)
        profile = dict(get_setting(s, "centre.profile", {}) or {})
        committee = cs.committee_name(s)
        agreements = cs.agreement_views(s, Agreement.case_id == c.id)
        where = MediationSession.case_id == c.id
        if session_id is not None:
            where = (MediationSession.id == session_id) & where
        sessions = cs.session_views(s, where)
        if session_id is not None and not sessions:
            raise NotFound(f"案件{c.number}没有编号为 {session_id} 的调解记录")
        files = cs.file_views(s, CaseFile.case_id == c.id)
        referrals = [cs.referral_view(r, c.number) for r in s.execute(
            select(Referral).where(Referral.case_id == c.id).order_by(Referral.id)).scalars()]
        chosen: cs.AgreementView | None = None
        if agreement_id is not None:
            chosen = next((a for a in agreements if a.id == agreement_id), None)
            if chosen is None:
                raise NotFound(f"案件{c.number}没有编号为 {agreement_id} 的调解协议")
        else:
            live = [a for a in agreements if a.state != rules.AgreementState.SUPERSEDED.value]
            effective = [a for a in live if a.state == rules.AgreementState.EFFECTIVE.value]
            candidates = effective or live
            chosen = candidates[-1] if candidates else None
        judicial_until = None
        if chosen is not None:
            judicial_until = s.execute(select(TrackedDeadline.due_date).where(
                TrackedDeadline.subject_type == "agreement", TrackedDeadline.subject_id == chosen.id,
                TrackedDeadline.rule_code == "mediation.judicial_confirmation",
                TrackedDeadline.active.is_(True))).scalar_one_or_none()
        bookings = cs.booking_views(s, (RoomBooking.case_id == c.id) & (RoomBooking.state == "booked"))
    return _Gathered(case=c, view=view, profile=profile, committee=committee, chosen=chosen,
                     judicial_until=judicial_until, sessions=sessions, files=files, referrals=referrals,
                     bookings=bookings, today=local_day(db.clock.now()))


def _termination(g: _Gathered, kind: str) -> tuple[str, list[str]] | None:
    """(reason, routes) when the case failed (or a 终止调解告知书 is asked for a case with a reason)."""
    c = g.case
    if c.state in (rules.CaseState.FAILED.value,) or (c.state_reason and kind == DocumentKind.TERMINATION.value):
        return c.state_reason, rules.failure_routes(c.category)
    return None


def document_data(db: Database, actor: Actor, case_id: int, kind: str, *, agreement_id: int | None = None,
                  session_id: int | None = None) -> dict:
    """The facts a mediation document needs, as a plain dict.

    Keys: ``kind``/``kind_label``/``generated_on``; ``centre`` (the centre's
    profile) and ``committee`` (人民调解委员会 name); ``case`` (number,
    category, source, facts, claims, state, dates, mediator, police flag);
    ``parties`` (full particulars with agents; ID numbers unmasked only for a
    role that may see them); ``agreement`` (the chosen version: terms with
    amounts in figures and capitals, sign-offs, copies, frozen text,
    司法确认 deadline) or None; ``sessions`` (participants and the minutes in
    the order of the 调解笔录) ; ``termination`` (reason, the 第二十六条 notice
    and routes) when mediation failed; ``referrals``; ``follow_ups``;
    ``evidence``. Times are Asia/Shanghai. The renderers take the typed
    :func:`document_facts` instead.
    """
    g = _gather(db, actor, case_id, agreement_id=agreement_id, session_id=session_id)
    c, view, profile, committee, chosen = g.case, g.view, g.profile, g.committee, g.chosen
    judicial_until, sessions, files, referrals = g.judicial_until, g.sessions, g.files, g.referrals
    bookings = [{"start": _local(b.start), "end": _local(b.end), "room": b.room_name,
                 "mediator": b.mediator_name} for b in g.bookings]
    today = g.today
    party_dicts = []
    for p in view.parties:
        party_dicts.append({
            "id": p.id, "side": p.side, "side_label": p.side_label, "kind": p.kind, "kind_label": p.kind_label,
            "name": p.name, "sex": p.sex, "ethnicity": p.ethnicity, "birth_date": p.birth_date,
            "age": rules.age_on(p.birth_date, today), "id_number": p.id_number,
            "id_number_masked": p.id_number_masked, "credit_code": p.credit_code, "occupation": p.occupation,
            "address": p.address, "phone": p.phone, "legal_rep": p.legal_rep,
            "legal_rep_title": p.legal_rep_title,
            "agents": [{"name": a.name, "id_number": a.id_number, "phone": a.phone, "relation": a.relation,
                        "scope": a.scope, "scope_label": a.scope_label, "authorisation": a.authorisation}
                       for a in p.agents]})
    agreement = None
    if chosen is not None:
        total = (sum((t.amount for t in chosen.terms if t.amount is not None), Decimal("0.00"))
                 if any(t.amount is not None for t in chosen.terms) else None)
        agreement = {
            "id": chosen.id, "version": chosen.version, "state": chosen.state, "state_label": chosen.state_label,
            "oral": chosen.oral, "liability": chosen.liability, "facts": chosen.facts, "text": chosen.text,
            "text_sha256": chosen.text_sha256, "copies": chosen.copies, "effective_on": chosen.effective_on,
            "judicial_confirmation_until": judicial_until,
            "total_amount": total,
            "terms": [{"position": i, "ordinal": cardinal(i), "content": t.content,
                       "obligor": t.obligor_name, "obligee": t.obligee_name, "amount": t.amount,
                       "amount_figures": t.amount_figures, "amount_capitals": t.amount_capitals,
                       "method": t.method, "due_date": t.due_date} for i, t in enumerate(chosen.terms, 1)],
            "signoffs": [{"signer": g.signer_label, "kind": g.signer_kind, "by_name": g.by_name,
                          "method": g.method, "signed_at": _local(g.signed_at)} for g in chosen.signoffs],
            "missing_signoffs": list(chosen.missing_signoffs),
        }
        if total is not None:
            agreement["total_amount_capitals"] = rmb.capitals(total)
    labels = dict(rules.MINUTES_FIELDS)
    session_dicts = []
    for m in sessions:
        minutes = m.minutes or {}
        session_dicts.append({
            "id": m.id, "mode": m.mode, "mode_label": m.mode_label, "room": m.room_name,
            "place": minutes.get("place") or m.room_name or profile.get("address", ""),
            "started_at": _local(m.started_at), "ended_at": _local(m.ended_at), "mediator": m.mediator_name,
            "recorder": m.recorder_name, "public": m.public, "rights_notice_given": m.rights_notice_given,
            "outcome": m.outcome, "outcome_label": m.outcome_label,
            "participants": [{"role": p.role, "role_label": p.role_label, "name": p.name,
                              "presence": p.presence, "presence_label": p.presence_label,
                              "remote_location": p.remote_location, "identity": p.identity_label,
                              "consent_to_recording": p.consent_to_recording,
                              "joined_at": _local(p.joined_at), "left_at": _local(p.left_at)}
                             for p in m.participants],
            "minutes": minutes,
            "minutes_sections": [{"key": k, "label": labels[k], "value": minutes[k]}
                                 for k, _ in rules.MINUTES_FIELDS if minutes.get(k)],
            "recorded": bool(m.recordings),
        })
    termination = None
    failed = _termination(g, kind)
    if failed is not None:
        termination = {"reason": failed[0], "notice": rules.TERMINATION_NOTICE, "routes": failed[1]}
    return {
        "kind": kind, "kind_label": _kind_label(kind), "generated_on": today,
        "generated_at": _local(db.clock.now()), "bookings": bookings,
        "centre": profile, "committee": committee,
        "case": {"id": c.id, "number": c.number, "category": c.category, "category_label": view.category_label,
                 "subcategory_label": view.subcategory_label, "source_label": view.source_label,
                 "risk_label": view.risk_label, "police_flag": c.police_flag, "police_note": c.police_note,
                 "facts": c.facts, "claims": c.claims, "state": c.state, "state_label": view.state_label,
                 "state_reason": c.state_reason, "transfer_target": c.transfer_target,
                 "registered_on": local_day(view.created_at),
                 "accepted_on": local_day(view.accepted_at) if view.accepted_at else None,
                 "closed_on": local_day(view.closed_at) if view.closed_at else None,
                 "mediator": view.mediator_name},
        "mediator": view.mediator_name,
        "parties": party_dicts,
        "agreement": agreement,
        "sessions": session_dicts,
        "termination": termination,
        "referrals": [{"target": r.target_label, "kind_label": r.target_kind_label, "reason": r.reason,
                       "scheduled_for": _local(r.scheduled_for), "state_label": r.state_label} for r in referrals],
        "follow_ups": [{"at": _local(f.at), "by": f.by_name, "method": f.method_label,
                        "performance": f.performance_label, "note": f.note}
                       for f in (chosen.follow_ups if chosen else [])],
        "evidence": [{"name": f.original_name, "sha256": f.sha256, "size": f.size, "kind": f.kind,
                      "description": f.description, "added_at": _local(f.added_at)} for f in files],
    }


def _s(value: object) -> str:
    """A text field as the documents read it: ``None`` (and any empty value) is empty."""
    return str(value or "")


def _minutes_facts(minutes: dict) -> fm.MediationMinutes:
    statements = minutes.get("statements")
    spoken: str | tuple[fm.MinutesStatement, ...]
    if isinstance(statements, str):
        spoken = statements
    else:
        spoken = tuple(fm.MinutesStatement(speaker=_s(x.get("speaker")), text=_s(x.get("text")))
                       for x in statements or () if isinstance(x, Mapping))
    return fm.MediationMinutes(
        subject=_s(minutes.get("subject")), rights_notice=_s(minutes.get("rights_notice")),
        rights_answer=_s(minutes.get("rights_answer")), principles=_s(minutes.get("principles")),
        statements=spoken, fact_check=_s(minutes.get("fact_check")),
        risk_warning=_s(minutes.get("risk_warning")), agreement=_s(minutes.get("agreement")),
        failure_reason=_s(minutes.get("failure_reason")), next_routes=_s(minutes.get("next_routes")),
        read_back=_s(minutes.get("read_back")))


def document_facts(db: Database, actor: Actor, case_id: int, kind: str, *, agreement_id: int | None = None,
                   session_id: int | None = None) -> fm.MediationFacts:
    """The typed facts of a mediation case's documents, as the actor may see the case.

    ``kind`` is the case file's kind (``agreement``, ``termination`` ...: the
    facts of a failure are given for a 终止调解告知书 of a case with a reason on
    file even when it is not marked failed); ``agreement_id`` picks a version
    of the agreement (default: the effective one, else the latest live one);
    ``session_id`` one session (default: all, the latest last). ID numbers are
    masked unless the actor's role may see them (the documents leave a masked
    number off).
    """
    g = _gather(db, actor, case_id, agreement_id=agreement_id, session_id=session_id)
    c, view, chosen = g.case, g.view, g.chosen
    parties = tuple(fm.MediationParty(
        side=p.side, kind=p.kind, name=_s(p.name), sex=_s(p.sex), ethnicity=_s(p.ethnicity),
        birth_date=p.birth_date, age=rules.age_on(p.birth_date, g.today), occupation=_s(p.occupation),
        address=_s(p.address), phone=_s(p.phone), id_number=_s(p.id_number), credit_code=_s(p.credit_code),
        legal_rep=_s(p.legal_rep), legal_rep_title=_s(p.legal_rep_title),
        agents=tuple(fm.MediationAgent(name=_s(a.name), relation=_s(a.relation), scope_label=_s(a.scope_label),
                                    authorisation=_s(a.authorisation), phone=_s(a.phone)) for a in p.agents),
    ) for p in view.parties)
    agreement = None
    if chosen is not None:
        agreement = fm.MediationAgreement(
            version=chosen.version, state=chosen.state, oral=chosen.oral, liability=_s(chosen.liability),
            facts=_s(chosen.facts), text=_s(chosen.text), text_sha256=_s(chosen.text_sha256),
            copies=chosen.copies or None, effective_on=chosen.effective_on,
            terms=tuple(fm.MediationTerm(content=_s(t.content), obligor=_s(t.obligor_name), obligee=_s(t.obligee_name),
                                      amount=t.amount, amount_capitals=_s(t.amount_capitals), method=_s(t.method),
                                      due_date=t.due_date) for t in chosen.terms),
            signoffs=tuple(fm.MediationSignoff(kind=g_.signer_kind, by_name=_s(g_.by_name)) for g_ in chosen.signoffs))
    sessions = tuple(fm.MediationSession(
        id=m.id, place=_s((m.minutes or {}).get("place") or m.room_name or g.profile.get("address")),
        started_at=_local(m.started_at), ended_at=_local(m.ended_at), mediator=_s(m.mediator_name),
        recorder=_s(m.recorder_name), outcome=_s(m.outcome), recorded=bool(m.recordings),
        participants=tuple(fm.SessionParticipant(role=_s(p.role), role_label=_s(p.role_label), name=_s(p.name),
                                              presence=_s(p.presence), remote_location=_s(p.remote_location),
                                              identity=_s(p.identity_label)) for p in m.participants),
        minutes=_minutes_facts(m.minutes or {}),
    ) for m in g.sessions)
    failed = _termination(g, kind)
    return fm.MediationFacts(
        profile=CentreProfile.from_mapping(g.profile), committee=_s(g.committee), number=_s(c.number),
        category=_s(view.category_label or c.category), source=_s(view.source_label), facts=_s(c.facts),
        claims=_s(c.claims), state=_s(c.state), state_reason=_s(c.state_reason),
        registered_on=local_day(view.created_at),
        accepted_on=local_day(view.accepted_at) if view.accepted_at else None,
        closed_on=local_day(view.closed_at) if view.closed_at else None,
        mediator=_s(view.mediator_name), parties=parties, agreement=agreement, sessions=sessions,
        termination=None if failed is None else fm.MediationTermination(reason=_s(failed[0]), routes=tuple(failed[1])),
        follow_ups=tuple(fm.MediationFollowUp(at=_local(f.at), by=_s(f.by_name), method=_s(f.method_label),
                                           performance=_s(f.performance_label), note=_s(f.note))
                         for f in (chosen.follow_ups if chosen else [])),
        bookings=tuple(fm.MediationBooking(start=to_local(b.start), room=_s(b.room_name), mediator=_s(b.mediator_name))
                       for b in g.bookings),
        generated_on=g.today, generated_at=_local(db.clock.now()),
    )
