"""What the front desk's visitor lookup decides, without Qt.

The lookup finds a returning visitor (and their earlier visits), lets the clerk
merge duplicate records, and, before a new record is made, lists the records
the typed details may duplicate. Here: which answers are still wanted (the
lookup and the history are asked again as the clerk types or moves), which
record is chosen, when records can be merged and into which, what the
buttons, the status line and the history title say, and what a chosen visitor
puts in the panel's fields.

Texts are ``ui.common.texts.Text`` values under the workspace's translation
context (``ui.frontdesk.state.CONTEXT``); the widgets translate them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hall.domain.clock import to_local
from ui.common.texts import QT_TRANSLATE_NOOP, Text, text
from ui.frontdesk.state import CONTEXT

if TYPE_CHECKING:
    from hall.services.visitors import VisitorHit


def _t(source: str, **values: object) -> Text:
    return text(CONTEXT, source, **values)


@dataclass
class LookupState:
    """The lookup's answers still wanted, the service waiting on the clerk's
    choice of an existing record, and whether 合并 was clicked once."""

    seq: int = 0            # the lookup asked last; earlier answers are dropped
    history_seq: int = 0    # the history (and outlook) asked last
    #: A service waiting for the clerk to choose an existing record or say "new visitor".
    pending_service: str | None = None
    merge_armed: bool = False

    def next_lookup(self) -> int:
        """Answers asked for before now are no longer wanted."""
        self.seq += 1
        return self.seq

    def wanted(self, seq: int) -> bool:
        return seq == self.seq

    def next_history(self) -> int:
        self.history_seq += 1
        return self.history_seq

    def history_wanted(self, seq: int) -> bool:
        return seq == self.history_seq

    def offer(self, service: str) -> int:
        """The records a new visitor may duplicate are listed; ``service`` waits."""
        self.pending_service = service
        return self.next_lookup()

    def end_offer(self) -> bool:
        """The clerk searches on their own: the check ends (``True`` if one was on)."""
        if self.pending_service is None:
            return False
        self.pending_service = None
        return True

    def close(self) -> None:
        """The lookup list leaves the screen."""
        self.next_lookup()
        self.pending_service = None

    def arm_merge(self) -> bool:
        """合并 clicked: ``True`` the first time (say what will happen), ``False``
        the second (merge)."""
        if self.merge_armed:
            return False
        self.merge_armed = True
        return True


def hit_to_choose(rows: Sequence[Any], current: int | None) -> Any | None:
    """The record 选用 takes: the current row, else the first one."""
    if current is not None and 0 <= current < len(rows):
        return rows[current]
    return rows[0] if rows else None


def selected(rows: Sequence[Any], selected_rows: Sequence[int]) -> list:
    """The selected records, in the list's order."""
    return [rows[r] for r in sorted(set(selected_rows)) if 0 <= r < len(rows)]


def can_merge(hits: Sequence[Any]) -> bool:
    return len(hits) >= 2


@dataclass(frozen=True)
class MergePlan:
    """The record kept and the ones merged into it."""

    keep: VisitorHit
    others: tuple[VisitorHit, ...]

    @property
    def other_ids(self) -> list[int]:
        return [h.id for h in self.others]


def merge_plan(hits: Sequence[VisitorHit], current: VisitorHit | None) -> MergePlan | None:
    """The selected records merge into the current one (the first selected one
    when the current row is not selected); ``None`` when fewer than two are selected."""
    if not can_merge(hits):
        return None
    keep = current if current is not None and current in hits else hits[0]
    return MergePlan(keep, tuple(h for h in hits if h.id != keep.id))


def merge_question(plan: MergePlan) -> Text:
    """What the second click on 合并 will do."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "将 {n} 条记录合并到 {name}（{visits} 次来访）的记录，再点“确认合并”"),
              n=len(plan.others), name=plan.keep.name or "", visits=plan.keep.visits)


def merged_text(result: Any) -> Text:
    """The line after a merge (``hall.services.visitors.MergeResult``)."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已合并 {n} 条重复记录（{t} 张排队票归入同一人）"),
              n=len(result.merged), t=result.tickets_moved)


def merge_button_text(armed: bool) -> Text:
    if armed:
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "确认合并"))
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "合并重复记录"))


def choose_button_text(pending: bool) -> Text:
    """选用此人, and while a service waits on the choice, 选用此人并取号."""
    if pending:
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "选用此人并取号"))
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "选用此人"))


def searching_text() -> Text:
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "正在查找…"))


def existing_text(found: int) -> Text:
    """Before a new record: how many records the typed name or phone may duplicate."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已有 {n} 条来访人记录与输入的姓名或电话相同。是同一人请选中后点“选用此人并取号”；"
                                "都不是请点“新建来访人并取号”"), n=found)


def history_title(hit: VisitorHit) -> Text:
    """The title over a record's earlier visits."""
    name: Text | str = hit.name or _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "来访人"))
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "{name} 的历次来访"), name=name)


def outlook_line(outlook: Any) -> list[Text | str] | None:
    """The visitor's open cases and first two coming sittings, for the line under
    the history title (``hall.services.cases.VisitorOutlook``); ``None``: nothing to say."""
    if not (outlook.open_cases or outlook.bookings):
        return None
    parts: list[Text | str] = []
    if outlook.open_cases:
        parts += [_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "在办案件：")),
                  "、".join(f"{r.number}（{r.state_label}）" for r in outlook.open_cases)]
    if outlook.bookings:
        if parts:
            parts.append("；")
        parts += [_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已约调解：")),
                  "、".join(f"{to_local(b.start):%m-%d %H:%M} {b.room_name}" for b in outlook.bookings[:2])]
    return parts


@dataclass(frozen=True)
class VisitorFill:
    """A chosen visitor on the panel: the name, the ID number when it may be shown
    in full, and what the ID and phone fields say when their number stays masked."""

    name: str
    id_number: str = ""
    id_placeholder: Text | None = None
    phone_placeholder: Text | None = None


def fill_for(hit: VisitorHit) -> VisitorFill:
    """What a returning visitor puts in the fields (masked numbers stay out of them)."""
    id_number, id_placeholder = "", None
    if hit.id_number and not hit.id_number_masked:
        id_number = hit.id_number
    elif hit.id_number:
        id_placeholder = _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已登记 {number}，无需重新输入"), number=hit.id_number)
    phone_placeholder = (_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已登记 {number}，有新号码再填"), number=hit.phone)
                         if hit.phone else None)
    return VisitorFill(hit.name, id_number, id_placeholder, phone_placeholder)
