"""Returning visitors: finding them at the front desk and what they came for before.

The front desk types whatever the visitor offers (an ID number, a phone
number, a name, or the pinyin initials of a name) into one box; the query is
routed by :func:`hall.domain.search.classify_query` to the one index that can
answer it, so a lookup stays fast however many visitors the hall has seen.

Privacy (《个人信息保护法》, DOMAIN.md "Identity numbers and personal
information"): a hit carries the ID number masked unless the actor's role
may see it (``visitor.see_id_number``), and the phone number always masked.
A full ID number or phone number found here never reaches the front desk's
screen; :func:`issue_ticket_for` issues a returning visitor's ticket with
their stored identity without handing it to the widget.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, and_, distinct, func, or_, select, text, update
from sqlalchemy.orm import Session

from hall.domain.identity import check_phone
from hall.domain.masking import mask_id_number, mask_phone
from hall.domain.queue import OUTCOMES, TicketStatus
from hall.domain.search import classify_query
from hall.store.db import Database
from hall.store.models import Service, Ticket, Visitor, Window

from .base import Actor, Conflict, InvalidInput, NotFound, rows_changed, unit_of_work
from .case_rows import visitor_cases
from .views import JsonView, TicketView

__all__ = ["VisitRow", "VisitorHistory", "VisitorHit", "history", "issue_ticket_for", "lookup",
           "similar_visitors"]

#: How much of an ID number a role without ``visitor.see_id_number`` sees:
#: the first character and the last four, enough to confirm with the visitor
#: ("尾号 002X?") but not the home county or the birth date.
ID_TAIL_SHOWN = 4

#: Name fragments shorter than this are not searched inside names (a single
#: character matches a large part of any hall's visitors and cannot use an
#: index); exact and leading matches are always searched.
MIN_INFIX_CHARS = 2

#: Phone fragments shorter than this are not matched against the end of
#: numbers (clerks search by the last four digits).
MIN_PHONE_TAIL = 4
#: The longest ID-number tail searched by its end (the masked ID shows four).
ID_TAIL_MAX = 6


# --------------------------------------------------------------------- views
@dataclass(frozen=True)
class VisitorHit(JsonView):
    """One returning visitor as the lookup list shows them."""

    id: int
    name: str
    id_number: str            # masked unless the role may see it; "" if none on file
    phone: str                # always masked; "" if none on file
    visits: int               # days with at least one ticket
    last_visit: dt.date | None
    matched_by: str           # "id_number", "phone", "pinyin" or "name"
    id_number_masked: bool = True


@dataclass(frozen=True)
class VisitRow(JsonView):
    """One earlier ticket of a visitor."""

    ticket_id: int
    day: dt.date
    issued_at: dt.datetime
    number: str
    service: str
    service_name: str
    status: str
    status_label: str
    outcome: str | None
    outcome_label: str
    window_number: int | None = None


@dataclass(frozen=True)
class VisitorHistory(JsonView):
    visitor: VisitorHit
    tickets: list[VisitRow] = field(default_factory=list)
    #: Cases the visitor is a party to (``hall.services.case_rows.CaseRow``).
    cases: list[Any] = field(default_factory=list)


# ------------------------------------------------------------------ helpers
def _successor(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``
    in code point order (SQLite's BINARY collation)."""
    nxt = ord(prefix[-1]) + 1
    if 0xD800 <= nxt <= 0xDFFF:
        nxt = 0xE000
    return prefix[:-1] + chr(min(nxt, 0x10FFFF))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: Collations that order text by code point, where a prefix is a range.
_CODE_POINT_COLLATIONS = {"c", "posix", "c.utf-8", "c.utf8", "ucs_basic"}


def _code_point_order(session: Session) -> bool:
    """Whether this PostgreSQL database sorts text by code point (C, C.UTF-8)."""
    collation = session.execute(text(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()")).scalar_one()
    return str(collation).lower() in _CODE_POINT_COLLATIONS


def _starts_with(session: Session, column, prefix: str):
    """``column`` starts with ``prefix``, written so that the column's index is used.

    Where text sorts by code point (SQLite's BINARY collation, PostgreSQL's
    C and C.UTF-8) the prefix is a range on the plain index: SQLite's LIKE is
    case-insensitive and PostgreSQL's LIKE uses a plain index only under
    exactly "C". Under a language collation (zh_CN.UTF-8 sorts by pinyin) a
    range would miss rows, so LIKE is used: correct, but a scan unless the
    column has a ``text_pattern_ops`` index.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        info = conn.info  # lives with the pooled connection: asked once per connection
        if "hall_code_point_order" not in info:
            info["hall_code_point_order"] = _code_point_order(session)
        if not info["hall_code_point_order"]:
            return column.like(_like_escape(prefix) + "%")
    return and_(column >= prefix, column < _successor(prefix))


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# Toneless pinyin syllables as the hall stores them (ü written v), without
# the interjections m, n, ng, hm that no name uses.
_SYLLABLES = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang
cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan
chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia
dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo
fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han
hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie
jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan
kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long
lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo
mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan
nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia
qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru
rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen
sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai
tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei
wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye
yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang
zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou
zu zuan zui zun zuo
""".split())
_SYLLABLE_PREFIXES = frozenset(s[:i] for s in _SYLLABLES for i in range(1, len(s) + 1))
_MAX_SEGMENTATIONS = 64


def _initials_of_full_pinyin(q: str) -> list[str] | None:
    """The initials a name typed in full pinyin (``zhangs``) must start with.

    Every way of reading ``q`` as whole syllables, the last one possibly
    unfinished, gives one initials string (``xian`` → ``x``, ``xa``, ``xn``,
    ``xan``); the shortest prefixes among them are returned. ``None`` when
    ``q`` cannot be full pinyin, ``[q[0]]`` when it has too many readings.
    """
    found: set[str] = set()

    def walk(pos: int, initials: str) -> None:
        if len(found) > _MAX_SEGMENTATIONS:
            return
        rest = q[pos:]
        if rest in _SYLLABLE_PREFIXES:
            found.add(initials + rest[0])
        for end in range(pos + 1, min(len(q), pos + 6) + 1):
            if end < len(q) and q[pos:end] in _SYLLABLES:
                walk(end, initials + q[pos])

    walk(0, "")
    if not found:
        return None
    if len(found) > _MAX_SEGMENTATIONS:
        return [q[0]]
    minimal = [p for p in sorted(found, key=len) if not any(p != o and p.startswith(o) for o in found)]
    return minimal


# ------------------------------------------------------------------- lookup
def _candidates(s: Session, query: str, kind: str, limit: int) -> list[int]:
    """Ids of visitors matching ``query``, at most ``limit``, best steps first.

    Each step reads one index and stops at the first ``limit`` rows rather
    than sort every match (a single pinyin syllable can match a tenth of the
    table; an ORDER BY would also tempt PostgreSQL to walk the primary key
    instead): when there are more, the clerk types more.
    """
    out: dict[int, None] = {}

    def take(cond) -> None:
        room = limit - len(out)
        if room <= 0:
            return
        stmt = select(Visitor.id).where(cond, Visitor.merged_into_id.is_(None))
        if out:
            stmt = stmt.where(Visitor.id.not_in(list(out)))
        out.update(dict.fromkeys(s.execute(stmt.limit(room)).scalars()))

    if kind == "id_number":
        number = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", query)).upper()
        if len(number) >= 18:
            take(Visitor.id_number == number)
        else:
            take(_starts_with(s, Visitor.id_number, number))
            if MIN_PHONE_TAIL <= len(number) <= ID_TAIL_MAX:
                # the tail the masked ID shows (11010519******002X → "002X")
                take(Visitor.id_number.endswith(number, autoescape=True))
    elif kind == "phone":
        check = check_phone(query)
        if check.ok:
            take(Visitor.phone == check.normalized)
        if check.kind != "mobile":  # a fragment, or a landline stored with its area code
            digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", query))
            if digits:
                take(_starts_with(s, Visitor.phone, digits))
            if len(digits) >= MIN_PHONE_TAIL:
                take(Visitor.phone.endswith(digits, autoescape=True))
            if MIN_PHONE_TAIL <= len(digits) <= ID_TAIL_MAX:  # or the masked ID's tail
                take(Visitor.id_number.endswith(digits, autoescape=True))
    elif kind == "pinyin":
        q = re.sub(r"[\s']", "", query).lower()
        if not q:
            return []
        take(Visitor.name_initials == q)
        take(_starts_with(s, Visitor.name_initials, q))
        heads = _initials_of_full_pinyin(q)
        if heads:
            narrowed = or_(*(_starts_with(s, Visitor.name_initials, h) for h in heads))
            take(and_(narrowed, Visitor.name_pinyin.startswith(q, autoescape=True)))
    else:
        q = _compact(query)
        if not q:
            return []
        take(Visitor.name == q)
        take(_starts_with(s, Visitor.name, q))
        if len(q) >= MIN_INFIX_CHARS:
            take(Visitor.name.contains(q, autoescape=True))
    return list(out)


def _tier(v: Visitor, query: str, kind: str) -> int:
    """0 for an exact match of the whole field, 1 otherwise (for ordering)."""
    if kind == "pinyin":
        q = re.sub(r"[\s']", "", query).lower()
        return 0 if q in (v.name_initials, v.name_pinyin) else 1
    if kind == "name":
        return 0 if v.name == _compact(query) else 1
    return 0


def lookup(db: Database, actor: Actor, query: str, limit: int = 20) -> list[VisitorHit]:
    """Returning visitors matching ``query`` (front desk "查找来访人").

    Routed by what the query looks like: an 18-character ID number is found
    exactly (a shorter run of 12+ digits by its start); a phone number
    exactly, a fragment by its start or its last digits; Latin letters by
    the pinyin initials of the name (``zs`` → 张三, 张淑) or its full pinyin;
    anything else by the name, exact, then leading, then inside the name.
    Exact matches first, then the most recent visitors.
    """
    actor.require("visitor.lookup")
    query = (query or "").strip()
    if not query or limit <= 0:
        return []
    kind = classify_query(query)
    with db.read() as s:
        ids = _candidates(s, query, kind, limit)
        if not ids:
            return []
        rows = list(s.execute(select(Visitor).where(Visitor.id.in_(ids))).scalars())
        stats = _visit_stats(s, ids)
    see_id = actor.may("visitor.see_id_number")
    ranked = []
    for v in rows:
        hit = _hit(v, stats.get(v.id, (0, None)), kind, see_id)
        last = hit.last_visit.toordinal() if hit.last_visit else 0
        ranked.append(((_tier(v, query, kind), -last, -v.id), hit))
    ranked.sort(key=lambda item: item[0])
    return [hit for _, hit in ranked]


#: The most records :func:`similar_visitors` lists (the clerk reads them all).
SIMILAR_LIMIT = 8


def similar_visitors(db: Database, actor: Actor, name: str | None = None, phone: str | None = None,
                     id_number: str | None = None, limit: int = SIMILAR_LIMIT) -> list[VisitorHit]:
    """Existing records a ticket for these details might duplicate, before a
    new visitor record is made at the front desk (the clerk chooses one or
    says it is someone new).

    Issuing finds a visitor by itself when the typed ID number is on file,
    or the typed name and phone number are on one record: then nothing is
    listed. Otherwise the records of the same name, or with the typed phone
    number, are listed; a record with a different ID number is another
    person and is left out. A typed phone or ID number that ends like a
    record's puts it first. Merged records are never listed.
    """
    actor.require("visitor.lookup")
    from hall.domain.identity import check_resident_id

    name = _compact(name or "")
    tel = None
    if phone and phone.strip():
        check = check_phone(phone)
        tel = check.normalized if check.ok else None
    idn = None
    if id_number and id_number.strip():
        from hall.domain.clock import local_day

        id_check = check_resident_id(id_number, today=local_day(db.clock.now()))
        idn = id_check.normalized if id_check.ok else None
    if not (name or tel) or limit <= 0:
        return []
    live = Visitor.merged_into_id.is_(None)
    with db.read() as s:
        if idn and s.execute(select(Visitor.id).where(Visitor.id_number == idn)).first():
            return []                       # the ID number names the record: no duplicate
        if name and tel and s.execute(select(Visitor.id).where(
                Visitor.name == name, Visitor.phone == tel, live)).first():
            return []                       # issuing takes this record
        conds = []
        if name:
            conds.append(Visitor.name == name)
        if tel:
            conds.append(Visitor.phone == tel)
        stmt = select(Visitor).where(or_(*conds), live)
        if idn:
            stmt = stmt.where(or_(Visitor.id_number.is_(None), Visitor.id_number == idn))
        rows = list(s.execute(stmt.order_by(Visitor.id.desc()).limit(limit)).scalars())
        stats = _visit_stats(s, [v.id for v in rows])
    see_id = actor.may("visitor.see_id_number")
    tail = (idn or "")[-ID_TAIL_SHOWN:]

    def rank(v: Visitor):
        last = stats.get(v.id, (0, None))[1]
        same_phone = bool(tel) and v.phone == tel
        same_tail = bool(tail) and (v.id_number or "").endswith(tail)
        return (not (same_phone or same_tail), v.name != name, -(last.toordinal() if last else 0), -v.id)

    return [_hit(v, stats.get(v.id, (0, None)), "phone" if tel and v.phone == tel and v.name != name else "name",
                 see_id) for v in sorted(rows, key=rank)]


def _visit_stats(s, visitor_ids: list[int]) -> dict[int, tuple[int, dt.date | None]]:
    if not visitor_ids:
        return {}
    rows = s.execute(select(Ticket.visitor_id, func.count(distinct(Ticket.business_day)),
                            func.max(Ticket.business_day))
                     .where(Ticket.visitor_id.in_(visitor_ids)).group_by(Ticket.visitor_id)).all()
    return {vid: (n, last) for vid, n, last in rows}


def _hit(v: Visitor, stats: tuple[int, dt.date | None], kind: str, see_id: bool) -> VisitorHit:
    idn = v.id_number or ""
    shown = idn if see_id else mask_id_number(idn, visible_tail=ID_TAIL_SHOWN)
    return VisitorHit(id=v.id, name=v.name or "", id_number=shown, phone=mask_phone(v.phone),
                      visits=stats[0], last_visit=stats[1], matched_by=kind,
                      id_number_masked=bool(idn) and not see_id)


# ------------------------------------------------------------------ history
def history(db: Database, actor: Actor, visitor_id: int, limit: int = 100) -> VisitorHistory:
    """A returning visitor's earlier tickets, newest first (and, later, cases)."""
    actor.require("visitor.lookup")
    with db.read() as s:
        v = s.get(Visitor, visitor_id)
        if v is None:
            raise NotFound(f"没有编号为 {visitor_id} 的来访人")
        stats = _visit_stats(s, [visitor_id]).get(visitor_id, (0, None))
        rows = s.execute(select(Ticket, Service.code, Service.name, Window.number)
                         .join(Service, Ticket.service_id == Service.id)
                         .outerjoin(Window, Ticket.window_id == Window.id)
                         .where(Ticket.visitor_id == visitor_id)
                         .order_by(Ticket.issued_at.desc(), Ticket.id.desc()).limit(limit)).all()
        tickets = [_visit_row(*row) for row in rows]
        cases: list[Any] = visitor_cases(s, visitor_id)
        return VisitorHistory(visitor=_hit(v, stats, "", actor.may("visitor.see_id_number")),
                              tickets=tickets, cases=cases)


def _visit_row(t: Ticket, service_code: str, service_name: str, window_number: int | None) -> VisitRow:
    try:
        status_label = TicketStatus(t.status).label
    except ValueError:
        status_label = t.status
    outcome = OUTCOMES.get(t.outcome) if t.outcome else None
    return VisitRow(ticket_id=t.id, day=t.business_day, issued_at=t.issued_at, number=t.number,
                    service=service_code, service_name=service_name, status=t.status,
                    status_label=status_label, outcome=t.outcome,
                    outcome_label=outcome.label if outcome else (t.outcome or ""),
                    window_number=window_number)


# --------------------------------------------------------------- issuing
def issue_ticket_for(db: Database, actor: Actor, visitor_id: int, service: str, *,
                     priority: str | None = None, name: str | None = None,
                     id_number: str | None = None, phone: str | None = None,
                     note: str = "", name_choice: str | None = None, **notice) -> TicketView:
    """Issue a ticket to a returning visitor chosen in the lookup list.

    The front desk sees the visitor's ID and phone numbers masked, so it
    cannot type them back: the ticket is linked to the stored visitor, and
    whatever the clerk typed afresh (a new phone number, a corrected name)
    updates that record, in the issuing transaction.
    """
    from . import queue

    actor.require("visitor.lookup")
    return queue.issue_ticket(db, actor, service, priority=priority, name=name,
                              id_number=id_number, phone=phone, note=note, visitor_id=visitor_id,
                              name_choice=name_choice, **notice)


@dataclass(frozen=True)
class MergeResult(JsonView):
    kept: int
    merged: tuple[int, ...]
    tickets_moved: int
    case_links_moved: int


def merge(db: Database, actor: Actor, keep_id: int, merge_ids: list[int]) -> MergeResult:
    """Merge duplicate records of one person into ``keep_id`` (audited).

    Every ticket, case party and referral of the others then names the kept
    record; a phone or ID number the kept record lacks is taken over. Records
    with two different ID numbers are two people and are never merged.
    """
    actor.require("visitor.merge")  # before looking at the input
    others = sorted({int(i) for i in merge_ids} - {int(keep_id)})
    if not others:
        raise InvalidInput("请至少选择两条来访人记录进行合并")
    from hall.store.case_models import CaseParty, Referral

    with unit_of_work(db, actor, "visitor.merge") as uow:
        rows = {v.id: v for v in uow.s.execute(uow.lock_for_update(
            select(Visitor).where(Visitor.id.in_([keep_id, *others])))).scalars()}
        missing = [i for i in [keep_id, *others] if i not in rows]
        if missing:
            raise NotFound(f"没有编号为 {missing[0]} 的来访人")
        keep = rows[keep_id]
        ids = {v.id_number for v in rows.values() if v.id_number}
        if len(ids) > 1:
            raise Conflict("所选记录的身份证号不同，是不同的人，不能合并")
        phones = {v.phone for v in rows.values() if v.phone}
        tickets = rows_changed(uow.s, update(cast(Table, Ticket.__table__))
                                .where(Ticket.visitor_id.in_(others)).values(visitor_id=keep_id))
        links = 0
        for model in (CaseParty, Referral):
            links += rows_changed(uow.s, update(cast(Table, model.__table__))
                                   .where(model.visitor_id.in_(others)).values(visitor_id=keep_id))
        id_number = next(iter(ids), None)
        phone = keep.phone or next((rows[i].phone for i in others if rows[i].phone), None)
        for i in others:                     # kept for the record, never found again
            rows[i].merged_into_id = keep_id
            rows[i].id_number = None         # the kept record holds it now (it is unique)
        uow.s.flush()
        if id_number and not keep.id_number:
            keep.id_number = id_number
        keep.phone = phone
        # never the ID number or phone in the audit: only which records and how many
        uow.audit("visitor.merge", "visitor", keep_id, merged=others, tickets=tickets, case_links=links,
                  phones_differed=len(phones) > 1)
        return MergeResult(keep_id, tuple(others), tickets, links)
