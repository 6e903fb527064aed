"""What the service window shows and allows, without Qt.

The workspace loads the window, its current visitor, its queue and its held
tickets off the UI thread and hands them to :class:`WindowDeskState`; the
panels read back which actions are enabled, what the buttons and lines say
and whether the petition panel is shown. Texts are :class:`Text` values: the
untranslated source under its translation context, with the values to put
in (``ui.common.texts``); the widgets translate them (``ui.window.panels.shown``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from hall.domain.clock import as_utc, to_local
from hall.domain.queue import DEFAULT_OUTCOME, TicketStatus
from hall.services.views import TicketView, WindowView
from ui.common.texts import QT_TRANSLATE_NOOP, Text, text

S = TicketStatus

# The context the window's texts are translated under (the catalogue's).
CONTEXT = "WindowWorkspace"


def _t(source: str, **values: object) -> Text:
    return text(CONTEXT, source, **values)


class Service(Protocol):
    """What the transfer dialog needs of a service (``hall.services.centre.list_services``)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def prefix(self) -> str: ...


# Every action of the desk, by the name its button is known by.
ACTIONS = ("call", "recall", "start", "no_show", "transfer", "finish", "register",
           "chosen", "returned", "hold", "unhold", "pause", "open")


@dataclass
class WindowDeskState:
    """This window's state as last read, and the decisions drawn from it."""

    window_code: str | None = None
    # Whether the signed-in user may register a case (登记立案 is shown only then).
    may_register: bool = False
    window_view: WindowView | None = None
    current: TicketView | None = None
    waiting: list[TicketView] = field(default_factory=list)
    held: list[TicketView] = field(default_factory=list)
    # An action runs: the desk is locked until it reports back.
    busy: bool = False
    # The window was read at least once (before that nothing is enabled).
    loaded_once: bool = False
    # Ticket id -> its place in the call order (1 first), as the queue shows it.
    order: dict[int, int] = field(default_factory=dict)
    # Ticket id -> the number of the case registered from that visit (调解登记).
    registered: dict[int, str] = field(default_factory=dict)

    # ------------------------------------------------------------ taking in
    def apply_load(self, win: WindowView | None, waiting: list[TicketView], held: list[TicketView]) -> None:
        """One reload: the window (``None`` if it no longer exists), its queue in
        call order and its held tickets."""
        self.held = list(held)
        self.window_view = win
        self.current = win.current if win else None
        self.waiting = list(waiting)
        self.order = {t.id: i + 1 for i, t in enumerate(self.waiting)}
        self.loaded_once = True

    def apply_window(self, win: WindowView) -> None:
        """The window after its state was changed (opened, paused, closed)."""
        self.window_view = win

    def take_current(self, ticket: TicketView | None) -> None:
        """The ticket just called here (or ``None``: nobody at the window)."""
        self.current = ticket

    def held_away(self, ticket: TicketView) -> bool:
        """``ticket`` was put on hold; ``True`` if it was the current visitor (now gone)."""
        if self.current is not None and self.current.id == ticket.id:
            self.current = None
            return True
        return False

    # ------------------------------------------------------------ deciding
    @property
    def state(self) -> str | None:
        """``open`` / ``paused`` / ``closed``, ``None`` while the window is unknown."""
        return self.window_view.state if self.window_view else None

    @property
    def ready(self) -> bool:
        return not self.busy and self.window_view is not None and self.loaded_once

    def actions_enabled(self) -> dict[str, bool]:
        """Each of :data:`ACTIONS` -> whether its button and key work now."""
        ready, state, t = self.ready, self.state, self.current
        called = t is not None and t.status == S.CALLED.value
        serving = t is not None and t.status == S.SERVING.value
        return {
            "call": ready and state == "open" and t is None,
            "recall": ready and called,
            "start": ready and called,
            "no_show": ready and called,
            "transfer": ready and (called or serving),
            "finish": ready and (called or serving),
            "register": ready and serving,
            "chosen": ready and state == "open" and t is None and bool(self.waiting),
            "returned": ready,
            "hold": ready and (t is not None or bool(self.waiting)),
            "unhold": ready and bool(self.held),
            "pause": ready and state in ("open", "paused"),
            "open": ready and (state == "closed" or t is None),
        }

    def hold_target(self, selected: TicketView | None) -> TicketView | None:
        """挂起 takes the current visitor, or with nobody at the window the one selected in the queue."""
        return self.current or selected

    def pause_target(self) -> str | None:
        """The state F9 switches to (``None`` while the window is unknown)."""
        if self.window_view is None:
            return None
        return "open" if self.window_view.state == "paused" else "paused"

    def open_target(self) -> str | None:
        """The state 开启窗口/关闭窗口 switches to."""
        if self.window_view is None:
            return None
        return "open" if self.window_view.state == "closed" else "closed"

    def finish_preset(self, ticket: TicketView) -> tuple[str, str]:
        """``(outcome, note)`` the 办结 dialog starts with: 登记立案 and the case number
        when a case was registered from this visit, else 当场办结 and no note."""
        if ticket.id in self.registered:
            return "case_opened", self.registered[ticket.id]
        return DEFAULT_OUTCOME, ""

    def petition_panel(self, available: bool) -> tuple[bool, bool]:
        """``(shown, unfolded)`` of the petition panel: shown only at a window that
        serves petitions (and when the application lends the panel); unfolded at
        first where petitions are the window's first service."""
        w = self.window_view
        if not available or w is None or "petition" not in w.services:
            return False, False
        return True, w.services[0] == "petition"

    # ------------------------------------------------------------ texts
    def pause_text(self) -> Text:
        if self.state == "paused":
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "恢复叫号  F9"))
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "暂停  F9"))

    def open_text(self) -> Text:
        if self.state in (None, "closed"):
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "开启窗口"))
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "关闭窗口"))

    def unhold_text(self) -> Text:
        if self.held:
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "取消挂起（{n}）…"), n=len(self.held))
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "取消挂起…"))

    def idle_text(self) -> Text:
        """What the card says with nobody at the window."""
        if self.state == "closed":
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "窗口已关闭，点击“开启窗口”后开始叫号"))
        if self.state == "paused":
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "窗口暂停中，按 F9 恢复叫号"))
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "暂无办理中的群众，按 F2 叫号"))

    def queue_count_text(self) -> Text:
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "共 {n} 人等候"), n=len(self.waiting))

    def title_text(self) -> Text:
        w = self.window_view
        if w is None:
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "窗口 {code}"), code=self.window_code or "")
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "{n}号窗口 · {name}"), n=str(w.number), name=w.name)

    def services_text(self, names: dict[str, str]) -> Text | None:
        """受理业务 (the services by name where known); ``None`` while the window is unknown."""
        w = self.window_view
        if w is None:
            return None
        served = "、".join(names.get(c, c) for c in w.services)
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "受理业务：{list}"), list=served)

    def state_message(self, state: str) -> Text:
        """What the strip says once the window was switched to ``state``."""
        if state == "open":
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "窗口已开启，可以叫号"))
        if state == "paused":
            return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "窗口已暂停，叫号屏不会再请群众到本窗口"))
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "窗口已关闭"))

    def rating_hint(self, ticket: TicketView) -> Text:
        """After 办结: the visitor rates at the kiosk with the code on their ticket."""
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "{number} 已办结：请群众凭小票上的评价码在自助评价机评价"
                                                       "（本窗口不代为录入评价）"), number=ticket.number)

    # ------------------------------------------------------------ clocks
    def current_times(self, now: dt.datetime) -> tuple[float, float | None] | None:
        """``(waited, served)`` seconds of the current visitor: waited until service
        started (or until now), served since then (``None`` before it started)."""
        t = self.current
        if t is None:
            return None
        issued = as_utc(t.issued_at)
        if t.started_at is not None:
            started = as_utc(t.started_at)
            return (started - issued).total_seconds(), (now - started).total_seconds()
        return (now - issued).total_seconds(), None


def duration_parts(seconds: float) -> Text:
    """``"12分05秒"`` / ``"1小时03分"``: waiting times as staff say them."""
    s = max(0, int(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if h:
        return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "{h}小时{m}分"), h=str(h), m=f"{m:02d}")
    return _t(QT_TRANSLATE_NOOP("WindowWorkspace", "{m}分{s}秒"), m=str(m), s=f"{sec:02d}")


# ------------------------------------------------------------------ dialogs
@dataclass(frozen=True)
class Ask:
    """What one of the desk's dialogs asks, before translation: its title, the
    line at its head, the name of its OK button, the usual reasons offered (for
    the dialogs that take a reason, which then goes into the audit log), a note
    under the form, and whether the OK button waits for a reason."""

    title: Text
    action: Text
    head: Text | None = None
    reasons: tuple[Text, ...] = ()
    note: Text | None = None
    reason_required: bool = False
    # The pick dialogs: (label, ticket id) of each ticket offered, under ``label``.
    label: Text | None = None
    items: tuple[tuple[Text, int], ...] = ()

    def accepts(self, reason: str) -> bool:
        """Whether OK may be pressed with ``reason`` typed in."""
        return bool(reason.strip()) or not self.reason_required


def _hhmm(moment: dt.datetime | None) -> str:
    return to_local(as_utc(moment)).strftime("%H:%M") if moment else ""


TRANSFER_REASONS = (QT_TRANSLATE_NOOP("TransferDialog", "不属于本窗口受理范围"),
                    QT_TRANSLATE_NOOP("TransferDialog", "需要调解"),
                    QT_TRANSLATE_NOOP("TransferDialog", "需要心理疏导"),
                    QT_TRANSLATE_NOOP("TransferDialog", "需要法律咨询/援助"),
                    QT_TRANSLATE_NOOP("TransferDialog", "需要劳动仲裁立案"),
                    QT_TRANSLATE_NOOP("TransferDialog", "群众要求"))
CHOSEN_REASONS = (QT_TRANSLATE_NOOP("CallChosenDialog", "紧急情况"),
                  QT_TRANSLATE_NOOP("CallChosenDialog", "当事人行动不便/身体不适"),
                  QT_TRANSLATE_NOOP("CallChosenDialog", "与正在办理的事项相关，一并办理"),
                  QT_TRANSLATE_NOOP("CallChosenDialog", "领导交办"))
HOLD_REASONS = (QT_TRANSLATE_NOOP("HoldDialog", "回去取材料"),
                QT_TRANSLATE_NOOP("HoldDialog", "去复印证件"),
                QT_TRANSLATE_NOOP("HoldDialog", "等候家属或代理人"),
                QT_TRANSLATE_NOOP("HoldDialog", "身体不适，暂时离开"))


def transfer_targets(ticket: TicketView, services: Sequence[Service]) -> list[Service]:
    """The services ``ticket`` may be transferred to: any but its own."""
    return [svc for svc in services if svc.code != ticket.service]


def _about(context: str, ticket: TicketView, title: str, head: str, action: str, reasons: Sequence[str] = (), *,
           note: str | None = None, reason_required: bool = False) -> Ask:
    """What a dialog about ``ticket`` asks, its sources under ``context``: the
    number in the title, the number and the service in the head line."""
    return Ask(title=text(context, title, number=ticket.number),
               head=text(context, head, number=ticket.number, service=ticket.service_name),
               action=text(context, action), reasons=tuple(text(context, r) for r in reasons),
               note=text(context, note) if note else None, reason_required=reason_required)


def transfer_ask(ticket: TicketView) -> Ask:
    """转移: to which service, and why (the reason is kept with both tickets; it may stay empty)."""
    return _about("TransferDialog", ticket, QT_TRANSLATE_NOOP("TransferDialog", "转移 {number}"),
                  QT_TRANSLATE_NOOP("TransferDialog", "将 {number}（{service}）转往其他业务"),
                  QT_TRANSLATE_NOOP("TransferDialog", "确认转移"), TRANSFER_REASONS,
                  note=QT_TRANSLATE_NOOP("TransferDialog", "群众保留原取号时间与优先顺序，无需重新排队。"))


def chosen_ask(ticket: TicketView) -> Ask:
    """叫指定号: call ``ticket`` before its turn; the reason is required and audited."""
    return _about("CallChosenDialog", ticket, QT_TRANSLATE_NOOP("CallChosenDialog", "叫指定号 {number}"),
                  QT_TRANSLATE_NOOP("CallChosenDialog", "不按顺序，现在叫 {number}（{service}）"),
                  QT_TRANSLATE_NOOP("CallChosenDialog", "叫号"), CHOSEN_REASONS, reason_required=True)


def hold_ask(ticket: TicketView) -> Ask:
    """挂起: the visitor steps away; the reason is required and audited."""
    return _about("HoldDialog", ticket, QT_TRANSLATE_NOOP("HoldDialog", "挂起 {number}"),
                  QT_TRANSLATE_NOOP("HoldDialog", "挂起 {number}（{service}）：暂不叫号"),
                  QT_TRANSLATE_NOOP("HoldDialog", "挂起"), HOLD_REASONS, reason_required=True,
                  note=QT_TRANSLATE_NOOP("HoldDialog", "群众回来后点“取消挂起…”，回到原来的排队位置和优先顺序。"))


def finish_ask(ticket: TicketView) -> Ask:
    """办结: how the visit ended."""
    return _about("FinishDialog", ticket, QT_TRANSLATE_NOOP("FinishDialog", "办结 {number}"),
                  QT_TRANSLATE_NOOP("FinishDialog", "办结 {number}（{service}）"),
                  QT_TRANSLATE_NOOP("FinishDialog", "确认办结"))


def _pick(context: str, title: str, label: str, action: str, note: str, item: str,
          tickets: Sequence[TicketView], values: Callable[[TicketView], dict[str, str]]) -> Ask:
    """What a dialog that picks one of ``tickets`` asks, its sources under
    ``context``: each ticket as ``item`` with ``values(ticket)`` put in."""
    return Ask(title=text(context, title), label=text(context, label), action=text(context, action),
               note=text(context, note), items=tuple((text(context, item, **values(t)), t.id) for t in tickets))


def returned_ask(tickets: Sequence[TicketView]) -> Ask:
    """过号回来: which of the tickets marked 过号 here came back."""
    return _pick("ReturnedDialog", QT_TRANSLATE_NOOP("ReturnedDialog", "过号回来"),
                 QT_TRANSLATE_NOOP("ReturnedDialog", "过号的号"), QT_TRANSLATE_NOOP("ReturnedDialog", "重新排队"),
                 QT_TRANSLATE_NOOP("ReturnedDialog", "群众回到原来的排队位置，不需重新取号。"),
                 QT_TRANSLATE_NOOP("ReturnedDialog", "{number}（{service}，{time} 过号）"), tickets,
                 lambda t: {"number": t.number, "service": t.service_name, "time": _hhmm(t.finished_at)})


def unhold_ask(tickets: Sequence[TicketView]) -> Ask:
    """取消挂起: which of the held tickets is back."""
    return _pick("UnholdDialog", QT_TRANSLATE_NOOP("UnholdDialog", "取消挂起"),
                 QT_TRANSLATE_NOOP("UnholdDialog", "挂起的号"), QT_TRANSLATE_NOOP("UnholdDialog", "恢复排队"),
                 QT_TRANSLATE_NOOP("UnholdDialog", "群众回到原来的排队位置和优先顺序，由窗口按顺序叫号。"),
                 QT_TRANSLATE_NOOP("UnholdDialog", "{number}（{service}，{time} 挂起：{reason}）"), tickets,
                 lambda t: {"number": t.number, "service": t.service_name, "time": _hhmm(t.held_at),
                            "reason": t.hold_reason or ""})
