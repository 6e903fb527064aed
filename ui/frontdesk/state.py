"""What the front desk decides, without Qt.

The visitor panel's checks as the clerk types (name, ID number, phone), the
priority chosen from the visitor's age, the panel's values as the arguments
of issuing, the services offered today and the ones the visitor's words
suggest, which windows the ticket sends the visitor to, the last ticket and
what the result panel says about it, the lookup's status line.

Everything here is plain Python over ``hall.domain`` rules and
``hall.services`` views; the services are called by the workspace off the UI
thread and their results handed in. Texts are ``ui.common.texts.Text`` values
under the workspace's translation context; the widgets translate them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hall.domain.identity import check_phone, check_resident_id, partial_resident_id_feedback
from hall.domain.queue import PriorityReason, priority_from_age
from hall.domain.suggest import Suggestion, suggest_services
from hall.services.views import QueueSnapshot, TicketView
from ui.common.texts import QT_TRANSLATE_NOOP, Joined, Text, text

CONTEXT = "FrontDeskWorkspace"
RECENT_ROWS = 8
LOOKUP_LIMIT = 20
# The priorities the clerk may toggle. A booking's priority is never typed:
# it comes only from checking in an on-time appointment (预约签到), which is
# called next under BOOKED_CALL_RULE, so a walk-in cannot be given it.
MANUAL_PRIORITIES = [r for r in PriorityReason if r is not PriorityReason.APPOINTMENT]
_EXTENSION_LETTERS = set("EXT转分机")  # 010-12345678 转 123, ext 123, x123


def _t(source: str, **values: object) -> Text:
    return text(CONTEXT, source, **values)


def age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Feedback:
    """The line under a field: ``kind`` ``note`` (grey), ``error`` (red) or ``ok``
    (green); ``parts`` shown one after the other (a string is a rule's message,
    translated by ``ui.common.validation.translated``); ``invalid`` marks the field."""

    kind: str
    parts: tuple[Text | str, ...] = ()
    invalid: bool = False


# ------------------------------------------------------------------ the fields
def phone_feedback(typed: str) -> Feedback:
    """While the phone number is typed: only what can no longer become a number
    is flagged (a letter that is not part of 转/分机/ext, an over-long mobile)."""
    if not typed.strip():
        return Feedback("note")
    digits = [c for c in typed if c.isdigit()]
    check = check_phone(typed)
    if check.ok:
        kind = (_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "手机")) if check.kind == "mobile"
                else _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "固定电话")))
        return Feedback("ok", (_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "有效：{kind}"), kind=kind),))
    if any(c.isalpha() and c.upper() not in _EXTENSION_LETTERS for c in typed) \
            or (digits and digits[0] == "1" and len(digits) > 11 and "+" not in typed):
        return Feedback("error", (check.message,), invalid=True)
    return Feedback("note")


def phone_finished(typed: str) -> Feedback | None:
    """When the clerk leaves the phone field: a number that is not one is flagged
    (``None``: the line stays as it is)."""
    if typed.strip():
        check = check_phone(typed)
        if not check.ok:
            return Feedback("error", (check.message,), invalid=True)
    return None


@dataclass(frozen=True)
class IdFeedback:
    """The ID number's line, and what it does to the 老人优先 toggle:
    ``elderly`` is ``"set"`` (check it, chosen by age), ``"undo"`` (take back
    a choice made by age) or ``None``."""

    feedback: Feedback
    elderly: str | None = None


def id_feedback(typed: str, today: dt.date, *, priority_chosen: bool, auto_elderly: bool) -> IdFeedback:
    """As the ID number is typed: a problem at once, the count of digits while it
    is incomplete, and once valid the sex, age and birth date; a visitor of the
    elderly priority's age gets it, unless the clerk chose another priority."""
    problem = partial_resident_id_feedback(typed, today=today)
    if problem:
        return IdFeedback(Feedback("error", (problem,), invalid=True), "undo")
    check = check_resident_id(typed, today=today) if typed.strip() else None
    if check is None or not check.ok or check.birth_date is None:
        n = len("".join(typed.split()))
        parts: tuple[Text | str, ...] = (_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已输入 {n}/18 位"), n=n),) \
            if n else ()
        return IdFeedback(Feedback("note", parts), "undo")
    note: list[Text | str] = [_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "有效：{sex}，{age} 岁（{birth} 出生）"),
                                 sex=check.sex or "", age=age(check.birth_date, today),
                                 birth=check.birth_date.isoformat())]
    if priority_from_age(check.birth_date, today) is PriorityReason.ELDERLY:
        elderly = "set" if not priority_chosen else None
        if elderly == "set" or auto_elderly:
            note.append(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", " · 已自动选老人优先")))
        return IdFeedback(Feedback("ok", tuple(note)), elderly)
    return IdFeedback(Feedback("ok", tuple(note)), "undo")


@dataclass(frozen=True)
class Collected:
    """The panel as issuing's arguments (``fields``), or the fields that are wrong
    (``problems``: field name -> the rule's message, in the panel's order)."""

    fields: dict | None
    problems: tuple[tuple[str, str], ...] = ()


def collect(*, name: str, id_number: str, phone: str, priority: PriorityReason | None, note: str,
            notice_consent: bool, today: dt.date) -> Collected:
    """What the clerk typed, checked and normalised for ``queue.issue_ticket``."""
    problems: list[tuple[str, str]] = []
    id_text, id_value = id_number.strip(), None
    if id_text:
        check = check_resident_id(id_text, today=today)
        if check.ok:
            id_value = check.normalized
        else:
            problems.append(("id_number", check.message))
    phone_text, phone_value = phone.strip(), None
    if phone_text:
        pc = check_phone(phone_text)
        if pc.ok:
            phone_value = pc.normalized
        else:
            problems.append(("phone", pc.message))
    if problems:
        return Collected(None, tuple(problems))
    clean_name = " ".join(name.split())
    return Collected({"name": clean_name or None, "id_number": id_value, "phone": phone_value,
                      "priority": priority.value if priority else None,
                      "note": " ".join(note.split()), "notice_consent": notice_consent})


def not_issued(problems: tuple[tuple[str, str], ...], translated) -> Text:
    """未取号 with the problems (``translated`` puts the rules' messages in the interface's language)."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "未取号：{problems}"),
              problems="；".join(translated(m) for _, m in problems))


class PriorityChoice:
    """The one priority toggled on the panel, and whether the visitor's age chose it."""

    def __init__(self) -> None:
        self.reason: PriorityReason | None = None
        self.auto_elderly = False

    def toggled(self, reason: PriorityReason, on: bool) -> list[PriorityReason]:
        """A toggle changed; returns the toggles to switch off (only one is on)."""
        off: list[PriorityReason] = []
        if on:
            if self.reason is not None and self.reason is not reason:
                off.append(self.reason)
            self.reason = reason
        elif self.reason is reason:
            self.reason = None
        if reason is PriorityReason.ELDERLY and not on:
            self.auto_elderly = False
        elif on and reason is not PriorityReason.ELDERLY:
            self.auto_elderly = False
        return off

    def by_age(self) -> bool:
        """The ID number says elderly: 老人优先 is to be checked (chosen by age)."""
        if self.reason is None:
            self.auto_elderly = True
            return True
        return False

    def undo_by_age(self) -> bool:
        """The ID number no longer says elderly: ``True`` if 老人优先 is to be unchecked."""
        if self.auto_elderly:
            self.auto_elderly = False
            return True
        return False

    def clear(self) -> None:
        self.auto_elderly = False


# ------------------------------------------------------------------ the desk
@dataclass(frozen=True)
class SuggestionView:
    """What the visitor's words suggest: the suggested services offered today
    (``wanted``, the first of them ``first``), and the line under 诉求."""

    wanted: dict[str, Suggestion]
    first: str | None
    line: tuple[Text, ...]


@dataclass
class FrontDeskState:
    """The catalogue, the counts and the last ticket, and the decisions drawn from them."""

    names: dict[str, str] = field(default_factory=dict)          # service code -> name, in catalogue order
    rules: list[dict] = field(default_factory=list)
    snapshot: QueueSnapshot | None = None
    # Service code -> (offered today, the reason when not), from the last snapshot.
    offers: dict[str, tuple[bool, str]] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    last_ticket: TicketView | None = None
    last_pdf: bytes | None = None
    recent: list[TicketView] = field(default_factory=list)

    def apply_catalogue(self, services: list, rules: list[dict]) -> None:
        """The services (their buttons are made anew, all offered until the counts say otherwise)."""
        self.names = {s.code: s.name for s in services}
        self.rules = list(rules)
        self.offers = {}

    def apply_snapshot(self, snap: QueueSnapshot) -> list[str]:
        """The counts read again; returns the services whose offer changed."""
        self.snapshot = snap
        changed = []
        for sq in snap.services:
            if sq.code not in self.names:
                continue
            if self.offers.get(sq.code, (True, "")) != (sq.offered, sq.closed_reason):
                changed.append(sq.code)
                self.offers[sq.code] = (sq.offered, "" if sq.offered else sq.closed_reason)
        return changed

    def offered(self, code: str) -> bool:
        return self.offers.get(code, (True, ""))[0]

    def total_text(self) -> Text | None:
        if self.snapshot is None:
            return None
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "大厅共 {n} 人等候"), n=self.snapshot.waiting_total)

    def suggest(self, words: str) -> SuggestionView:
        """The services the visitor's words suggest (offered ones first-class; the
        ones not offered today named after)."""
        self.suggestions = suggest_services(words, self.rules)
        known = [s for s in self.suggestions if s.service_code in self.names]
        present = [s for s in known if self.offered(s.service_code)]
        skipped = [self.names[s.service_code] for s in known if not self.offered(s.service_code)]
        wanted = {s.service_code: s for s in present}
        first = present[0].service_code if present else None
        line: list[Text] = []
        if words.strip():
            if not present:
                line.append(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "没有匹配的业务，不确定时请选“综合受理”")))
            else:
                parts = [_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "{name}（{words}）"),
                            name=self.names[s.service_code], words="、".join(s.matched_words)) for s in present]
                line.append(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "建议：{list} · Ctrl+Enter 取首选"),
                               list=Joined(tuple(parts), "；")))
            if skipped:
                line.append(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", " （{names}今日不可取号）"),
                               names="、".join(skipped)))
        return SuggestionView(wanted, first, tuple(line))

    def first_suggestion(self) -> str | None:
        """The first suggested service that is offered today (Ctrl+Enter)."""
        for s in self.suggestions:
            if s.service_code in self.names and self.offered(s.service_code):
                return s.service_code
        return None

    def refusal(self, code: str) -> Text | None:
        """Why no ticket of ``code`` is issued now (``None``: it can be)."""
        offered, reason = self.offers.get(code, (True, ""))
        if offered:
            return None
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "未取号：“{name}”今日不可取号（{reason}）"),
                  name=self.names.get(code, code), reason=reason)

    def windows_for(self, service: str) -> list[int]:
        """The numbers of the windows the visitor goes to: those serving ``service``
        first, else any that serve it (today's season only), at most four."""
        if self.snapshot is None:
            return []
        windows = [w for w in self.snapshot.windows if not w.closed_reason and service in w.services]
        own = [w for w in windows if w.services and w.services[0] == service]
        return [w.number for w in (own or windows)[:4]]

    def window_hint(self, service: str) -> Text | None:
        numbers = self.windows_for(service)
        if not numbers:
            return None
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "请到 {windows}窗口办理"),
                  windows=Joined(tuple(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "{n} 号"), n=n) for n in numbers), "、"))

    # -------------------------------------------------------------- tickets
    def issued(self, view: TicketView, pdf: bytes | None) -> None:
        """A ticket issued (or checked in) here: the last one, first of the recent ones."""
        self.last_ticket, self.last_pdf = view, pdf
        self.recent = [view, *self.recent[:RECENT_ROWS - 1]]

    def rendered(self, view: TicketView, pdf: bytes) -> None:
        """A ticket's PDF made again: kept when it is the last ticket's."""
        if self.last_ticket is view:
            self.last_pdf = pdf

    def kept_pdf(self, view: TicketView) -> bytes | None:
        """The PDF to reprint ``view`` with, when it is the last ticket's and was made."""
        return self.last_pdf if view is self.last_ticket else None


def ticket_headline(view: TicketView) -> Text:
    ahead = view.ahead or 0
    if ahead:
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已取号，前面 {n} 人"), n=ahead)
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "已取号，前面没有人等候"))


def ticket_detail(view: TicketView, issued_at: str, window_hint: Text | None) -> list[Text | str]:
    """The result panel's line under the number: service, masked name, priority, time, windows."""
    parts: list[Text | str] = [view.service_name]
    if view.masked_name:
        parts.append(view.masked_name)
    if view.priority_label:
        parts.append(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "优先：{label}"),
                        label=Text("PriorityReasons", view.priority_label)))
    parts.append(issued_at)
    if window_hint is not None:
        parts.append(window_hint)
    return parts


# How a print ended -> the state the print line is drawn in.
PRINT_STATES = {"printed": "ok", "saved": "warn", "cancelled": "warn"}


def print_state(outcome: str) -> str:
    return PRINT_STATES.get(outcome, "error")


def lookup_status(found: int, limit: int = LOOKUP_LIMIT) -> Text:
    """The lookup's line once it answered with ``found`` visitors."""
    if not found:
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "没有找到匹配的来访人。新来访人请按 Esc 返回，直接填写。"))
    if found >= limit:
        return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "结果较多，只列出前 {n} 位，请输入更多信息缩小范围"), n=limit)
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "找到 {n} 位来访人"), n=found)


def returning_text(hit, earlier: list | None) -> list[Text]:
    """老来访人: how often they came, when last, and what their last visit was."""
    parts = [_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "老来访人 {name}：来访 {n} 次"), name=hit.name, n=hit.visits)]
    if hit.last_visit:
        parts.append(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "，上次 {date}"), date=hit.last_visit.isoformat()))
    if earlier:
        last = earlier[0]
        parts.append(_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "（{service} {number}，{status}{outcome}）"),
                        service=last.service_name, number=last.number, status=last.status_label,
                        outcome="，" + last.outcome_label if last.outcome_label else ""))
    return parts


def needs_existing_check(fields: dict, *, chosen: bool, confirmed_new: bool) -> bool:
    """Before a new visitor record is made from a name or phone: look for the
    records it may duplicate (unless a record was chosen or the clerk said "new")."""
    return not chosen and not confirmed_new and bool(fields["name"] or fields["phone"])

