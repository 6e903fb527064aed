"""Finding cases: search by number, name, pinyin or phone; lists; one case by
id or number, and a case in full."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from sqlalchemy import ColumnElement, and_, or_, select

from hall.domain import cases as rules
from hall.domain.cases import CaseState
from hall.domain.identity import check_phone
from hall.domain.search import classify_query
from hall.store.case_models import (
    Agreement,
    Case,
    CaseFile,
    CaseMediator,
    CaseParty,
    MediationSession,
    Referral,
    RoomBooking,
)
from hall.store.db import Database
from hall.store.models import User

from .. import deadlines as dl
from ..base import Actor, NotFound
from ..case_rows import case_rows
from ._common import _utc
from .views import (
    CaseDetail,
    CasePage,
    CaseView,
    MediatorChangeView,
    _case_view,
    _timeline_views,
    agreement_views,
    booking_views,
    file_views,
    referral_view,
    session_views,
)

#: Shortest phone fragment searched by its start (a shorter one matches too
#: much of a large hall to be worth an index read).
MIN_PHONE_PREFIX = 7
#: Shortest name or pinyin searched by its start; shorter ones match exactly.
MIN_NAME_PREFIX = 2


# ================================================================== search
def _successor(prefix: str) -> str:
    nxt = ord(prefix[-1]) + 1
    if 0xD800 <= nxt <= 0xDFFF:
        nxt = 0xE000
    return prefix[:-1] + chr(min(nxt, 0x10FFFF))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _starts_with(db: Database, column, prefix: str):
    """A prefix match that reads the column's index: a range on SQLite (whose
    LIKE never uses a plain index), a constant-prefix LIKE on PostgreSQL."""
    if db.is_postgres:
        return column.like(_like_escape(prefix) + "%", escape="\\")
    return and_(column >= prefix, column < _successor(prefix))


_NUMBER_HINT = re.compile(r"[号字（）()〔〕\[\]]")
_YEAR_SEQ = re.compile(r"^(\d{4})\s*[-/.．年第]\s*(\d{1,7})\s*号?$")


def _number_variants(q: str) -> list[str]:
    out = [q]
    for a, b in (("(", "（"), (")", "）"), ("[", "〔"), ("]", "〕")):
        if a in q:
            out.append(out[-1].replace(a, b))
    return list(dict.fromkeys(out))


def search_cases(db: Database, actor: Actor, query: str, limit: int = 20, after: int | None = None) -> CasePage:
    """Cases by number, party name, pinyin initials, ID number or phone.

    Newest first, keyset-paged on the case id (``after``: the page's
    ``next_after``). Every kind of query reads one index on ``case_parties``
    (or ``cases.number``) by equality or by prefix, never with a leading
    wildcard, so a search stays fast with a million cases:

    * a case number (``（2026）东人调字第12号``, or ``2026-12``) exactly;
    * an ID number exactly, or by its first 12+ characters;
    * a phone number exactly, or by its first 7+ digits (``MIN_PHONE_PREFIX``);
    * pinyin initials or full pinyin (``zs``, ``zhangsan``) by prefix;
    * a name exactly, or by its first two or more characters.
    """
    actor.require("case.read")
    q = unicodedata.normalize("NFC", (query or "")).strip()
    if not q or limit <= 0:
        return CasePage([], None)
    limit = min(limit, 200)
    m = _YEAR_SEQ.match(unicodedata.normalize("NFKC", q))
    cond: ColumnElement[bool] | None
    if m or _NUMBER_HINT.search(q):
        if m:
            cond = and_(Case.year == int(m.group(1)), Case.seq == int(m.group(2)))
        else:
            cond = Case.number.in_(_number_variants(q) + _number_variants(unicodedata.normalize("NFKC", q)))
        stmt = select(Case.id).where(cond)
        if after is not None:
            stmt = stmt.where((Case.id + 0) < after)   # "+ 0": filter only, never the index to walk
        with db.read() as s:
            ids = list(s.execute(stmt.order_by(Case.id.desc()).limit(limit + 1)).scalars())
            rows = case_rows(s, ids[:limit])
        return CasePage(rows, ids[limit - 1] if len(ids) > limit else None, "number")
    kind = classify_query(q)
    note = ""
    cond = None
    exact = False   # one key value: its (key, case_id) index gives the order, no sort
    if kind == "id_number":
        number = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", q)).upper()
        exact = len(number) >= 18
        cond = CaseParty.id_number == number if exact else _starts_with(db, CaseParty.id_number, number)
    elif kind == "phone":
        pc = check_phone(q)
        digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", q))
        if pc.ok:
            cond = CaseParty.phone == pc.normalized
            exact = True
            if pc.kind != "mobile" and digits != pc.normalized:
                cond = or_(cond, _starts_with(db, CaseParty.phone, pc.normalized))
                exact = False
        elif len(digits) >= MIN_PHONE_PREFIX:
            cond = _starts_with(db, CaseParty.phone, digits)
        else:
            note = f"电话号码请至少输入前{MIN_PHONE_PREFIX}位"
    elif kind == "pinyin":
        key = re.sub(r"[\s']", "", q).lower()
        if len(key) < MIN_NAME_PREFIX:
            cond, exact = CaseParty.name_initials == key, True
        else:
            cond = or_(_starts_with(db, CaseParty.name_initials, key),
                       _starts_with(db, CaseParty.name_pinyin, key))
    else:
        name = rules.normalise_name(q)
        exact = len(name) < MIN_NAME_PREFIX
        cond = CaseParty.name == name if exact else _starts_with(db, CaseParty.name, name)
    if cond is None:
        return CasePage([], None, kind, note)
    stmt = select(CaseParty.case_id).where(cond, CaseParty.active.is_(True))
    if after is not None:
        # For a range, "+ 0" keeps SQLite from walking the whole case_id index
        # backwards to find a rare key; for one key value the composite index
        # serves both the key and the page boundary.
        stmt = stmt.where((CaseParty.case_id if exact else CaseParty.case_id + 0) < after)
    stmt = stmt.group_by(CaseParty.case_id).order_by(CaseParty.case_id.desc()).limit(limit + 1)
    with db.read() as s:
        ids = list(s.execute(stmt).scalars())
        rows = case_rows(s, ids[:limit])
    return CasePage(rows, ids[limit - 1] if len(ids) > limit else None, kind, note)


def list_cases(db: Database, actor: Actor, *, state: str | None = None, mediator_id: int | None = None,
               limit: int = 50, after: int | None = None) -> CasePage:
    """Cases newest first, by state and/or mediator (keyset-paged)."""
    actor.require("case.read")
    stmt = select(Case.id)
    if state:
        stmt = stmt.where(Case.state == CaseState(state).value)
    if mediator_id:
        stmt = stmt.where(Case.mediator_id == mediator_id)
    if after is not None:
        stmt = stmt.where(Case.id < after)
    limit = min(max(limit, 1), 500)
    with db.read() as s:
        ids = list(s.execute(stmt.order_by(Case.id.desc()).limit(limit + 1)).scalars())
        rows = case_rows(s, ids[:limit])
    return CasePage(rows, ids[limit - 1] if len(ids) > limit else None, "list")


# =================================================================== detail
def get_case(db: Database, actor: Actor, case_id: int) -> CaseView:
    actor.require("case.read")
    with db.read() as s:
        c = s.get(Case, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的调解案件")
        return _case_view(s, c, actor.may("visitor.see_id_number"))


def case_by_number(db: Database, actor: Actor, number: str) -> CaseView:
    actor.require("case.read")
    with db.read() as s:
        c = s.execute(select(Case).where(Case.number.in_(_number_variants(number.strip())))).scalars().first()
        if c is None:
            raise NotFound(f"没有案号为“{number}”的调解案件")
        return _case_view(s, c, actor.may("visitor.see_id_number"))


def case_detail(db: Database, actor: Actor, case_id: int) -> CaseDetail:
    """The whole file of a case: parties with agents, referrals, bookings,
    sessions with participants and minutes, agreements with terms, sign-offs
    and follow-ups, evidence, the timeline, mediator changes, deadlines.

    One query per table, whatever the size of the file. ID numbers are
    masked unless the actor may see them.
    """
    actor.require("case.read")
    see = actor.may("visitor.see_id_number")
    with db.read() as s:
        c = s.get(Case, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的调解案件")
        view = _case_view(s, c, see, include_inactive=True)
        referrals = [referral_view(r, c.number) for r in s.execute(
            select(Referral).where(Referral.case_id == c.id).order_by(Referral.id)).scalars()]
        pnames = dict(s.execute(select(CaseParty.id, CaseParty.name).where(CaseParty.case_id == c.id)).tuples().all())
        med_rows = s.execute(select(CaseMediator, User.display_name).join(User, User.id == CaseMediator.mediator_id)
                             .where(CaseMediator.case_id == c.id).order_by(CaseMediator.id)).all()
        mediators = [MediatorChangeView(m.mediator_id, name, _utc(m.assigned_at), _utc(m.released_at),
                                        m.release_reason, pnames.get(m.requested_by_party_id, ""))
                     for m, name in med_rows]
        detail = CaseDetail(
            case=view, referrals=referrals, bookings=booking_views(s, RoomBooking.case_id == c.id),
            sessions=session_views(s, MediationSession.case_id == c.id),
            agreements=agreement_views(s, Agreement.case_id == c.id),
            files=file_views(s, CaseFile.case_id == c.id), timeline=_timeline_views(s, c.id),
            mediators=mediators)
    return replace(detail, deadlines=dl.list_deadlines(db, when="all", case_number=view.number, explain=False))
