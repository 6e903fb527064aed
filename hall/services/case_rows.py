"""One line per mediation case, for case lists, search results and a visitor's
history. The case services and the visitors' history both read cases this
way; here, neither has to import the other for it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from hall.domain.cases import CaseState, Category, Side
from hall.domain.clock import as_utc, local_day
from hall.store.case_models import Case, CaseParty
from hall.store.models import User, Visitor

from .views import JsonView

__all__ = ["CaseRow", "case_rows", "user_names", "visitor_cases"]


@dataclass(frozen=True)
class CaseRow(JsonView):
    """One case in a search result or a list."""

    id: int
    number: str
    category_label: str
    state: str
    state_label: str
    registered_on: dt.date
    parties: str               # "张三、李四 / 某公司"
    mediator_name: str
    risk: str
    police_flag: bool


def user_names(s: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names of the users ``ids`` (None and 0 skipped), by id."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(s.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).tuples().all())


def case_rows(s: Session, ids: Sequence[int]) -> list[CaseRow]:
    """Rows for ``ids``, in that order: two queries whatever the page size."""
    if not ids:
        return []
    cases = {c.id: c for c in s.execute(select(Case).where(Case.id.in_(ids))).scalars()}
    names: dict[int, dict[str, list[str]]] = {}
    for cid, side, name in s.execute(select(CaseParty.case_id, CaseParty.side, CaseParty.name).where(
            CaseParty.case_id.in_(ids), CaseParty.active.is_(True)).order_by(CaseParty.position, CaseParty.id)):
        names.setdefault(cid, {}).setdefault(side, []).append(name)
    users = user_names(s, [c.mediator_id for c in cases.values()])
    out = []
    for cid in ids:
        c = cases.get(cid)
        if c is None:
            continue
        by_side = names.get(cid, {})
        groups = ["、".join(by_side[sd.value]) for sd in Side if by_side.get(sd.value)]
        out.append(CaseRow(c.id, c.number, Category(c.category).label, c.state, CaseState(c.state).label,
                           local_day(as_utc(c.created_at)), " / ".join(groups),
                           users.get(c.mediator_id, "") if c.mediator_id else "", c.risk, c.police_flag))
    return out


def visitor_cases(s: Session, visitor_id: int) -> list[CaseRow]:
    """Cases of a visitor, for the front desk's visitor history."""
    v = s.get(Visitor, visitor_id)
    if v is None:
        return []
    conds = [CaseParty.visitor_id == visitor_id]
    if v.id_number:
        conds.append(CaseParty.id_number == v.id_number)
    if v.name and v.phone:
        conds.append(and_(CaseParty.name == v.name, CaseParty.phone == v.phone))
    cids = list(s.execute(select(CaseParty.case_id).where(or_(*conds), CaseParty.active.is_(True))
                          .group_by(CaseParty.case_id).order_by(CaseParty.case_id.desc()).limit(50)).scalars())
    return case_rows(s, cids)
