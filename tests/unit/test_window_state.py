"""The service window's decisions (ui.window.state), without Qt."""
from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.domain.clock import UTC
from hall.services.views import TicketView, WindowView
from ui.common.texts import Text
from ui.window.state import (
    ACTIONS,
    CHOSEN_REASONS,
    HOLD_REASONS,
    TRANSFER_REASONS,
    WindowDeskState,
    chosen_ask,
    duration_parts,
    finish_ask,
    hold_ask,
    returned_ask,
    transfer_ask,
    transfer_targets,
    unhold_ask,
)

T0 = dt.datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


def W(source: str, values: tuple[tuple[str, str], ...] = ()) -> Text:
    """A text of the window's translation context."""
    return Text("WindowWorkspace", source, values)


def ticket(tid: int = 1, status: str = "waiting", *, started: dt.datetime | None = None,
           number: str | None = None) -> TicketView:
    return TicketView(id=tid, number=number or f"L{tid:03d}", service="labour", service_name="劳动仲裁",
                      status=status, business_day=T0.date(), issued_at=T0, started_at=started)


def window(state: str = "open", current: TicketView | None = None,
           services: tuple[str, ...] = ("labour", "general")) -> WindowView:
    return WindowView(code="w03", number=3, name="劳动仲裁", state=state, services=services,
                      in_season=True, current=current)


def loaded(state: str = "open", current: TicketView | None = None, waiting=(), held=(),
           **kw) -> WindowDeskState:
    s = WindowDeskState(window_code="w03", **kw)
    s.apply_load(window(state, current), list(waiting), list(held))
    return s


def on(s: WindowDeskState) -> set[str]:
    return {name for name, enabled in s.actions_enabled().items() if enabled}


def test_nothing_works_before_the_window_was_read():
    s = WindowDeskState(window_code="w03")
    assert set(s.actions_enabled()) == set(ACTIONS)
    assert on(s) == set()


def test_nothing_works_while_an_action_runs():
    s = loaded("open", None, [ticket(2)])
    s.busy = True
    assert on(s) == set()


def test_a_window_that_no_longer_exists_allows_nothing():
    s = WindowDeskState(window_code="w99")
    s.apply_load(None, [], [])
    assert s.loaded_once and s.window_view is None and on(s) == set()
    assert s.title_text() == W("窗口 {code}", (("code", "w99"),))
    assert s.services_text({}) is None


@pytest.mark.parametrize("state,current,waiting,held,expected", [
    # open, nobody at the window
    ("open", None, [], [], {"call", "returned", "pause", "open"}),
    ("open", None, [2], [], {"call", "chosen", "returned", "hold", "pause", "open"}),
    ("open", None, [], [9], {"call", "returned", "unhold", "pause", "open"}),
    # a visitor called here
    ("open", "called", [], [], {"recall", "start", "no_show", "transfer", "finish", "returned", "hold", "pause"}),
    # a visitor being served: 登记立案 too, no recall or 过号 any more
    ("open", "serving", [2], [9], {"transfer", "finish", "register", "returned", "hold", "unhold", "pause"}),
    # paused: nobody new is called, the current visitor is still served
    ("paused", None, [2], [], {"returned", "hold", "pause", "open"}),
    ("paused", "serving", [], [], {"transfer", "finish", "register", "returned", "hold", "pause"}),
    # closed: only 开启窗口 (and what needs no window: 过号回来, the held list)
    ("closed", None, [2], [9], {"returned", "hold", "unhold", "open"}),
])
def test_each_state_enables_its_actions(state, current, waiting, held, expected):
    cur = ticket(1, current) if current else None
    s = loaded(state, cur, [ticket(i) for i in waiting], [ticket(i, "on_hold") for i in held])
    assert on(s) == expected


def test_the_buttons_say_what_they_will_do():
    assert loaded("open").pause_text().source == "暂停  F9"
    assert loaded("paused").pause_text().source == "恢复叫号  F9"
    assert loaded("open").open_text().source == "关闭窗口"
    assert loaded("closed").open_text().source == "开启窗口"
    assert WindowDeskState().open_text().source == "开启窗口"
    assert loaded("open").unhold_text() == W("取消挂起…")
    held = loaded("open", held=[ticket(7, "on_hold"), ticket(8, "on_hold")])
    assert held.unhold_text() == W("取消挂起（{n}）…", (("n", "2"),))
    assert held.unhold_text().filled("Off hold ({n})…") == "Off hold (2)…"


def test_the_card_says_why_nobody_is_called():
    assert loaded("open").idle_text().source == "暂无办理中的群众，按 F2 叫号"
    assert loaded("paused").idle_text().source == "窗口暂停中，按 F9 恢复叫号"
    assert loaded("closed").idle_text().source == "窗口已关闭，点击“开启窗口”后开始叫号"


def test_the_switches_go_between_open_paused_and_closed():
    assert WindowDeskState().pause_target() is None and WindowDeskState().open_target() is None
    assert loaded("open").pause_target() == "paused"
    assert loaded("paused").pause_target() == "open"
    assert loaded("open").open_target() == "closed"
    assert loaded("paused").open_target() == "closed"
    assert loaded("closed").open_target() == "open"


def test_the_queue_is_shown_in_call_order_with_its_count():
    waiting = [ticket(5), ticket(3), ticket(8)]
    s = loaded("open", waiting=waiting)
    assert s.order == {5: 1, 3: 2, 8: 3}
    assert [t.id for t in s.waiting] == [5, 3, 8]
    assert s.queue_count_text() == W("共 {n} 人等候", (("n", "3"),))
    s.apply_load(window("open"), [ticket(8)], [])       # the others were called elsewhere
    assert s.order == {8: 1} and s.queue_count_text().values == (("n", "1"),)


def test_the_current_visitor_comes_from_the_window():
    cur = ticket(4, "called")
    s = loaded("open", cur)
    assert s.current == cur
    s.apply_load(window("open"), [], [])
    assert s.current is None


def test_hold_takes_the_current_visitor_else_the_selected_one():
    cur, chosen = ticket(1, "called"), ticket(2)
    assert loaded("open", cur).hold_target(chosen) == cur
    assert loaded("open").hold_target(chosen) == chosen
    assert loaded("open").hold_target(None) is None


def test_holding_the_current_visitor_frees_the_window():
    cur = ticket(1, "called")
    s = loaded("open", cur, [ticket(2)])
    assert not s.held_away(ticket(2))       # someone from the queue: the visitor stays
    assert s.current == cur
    assert s.held_away(cur)
    assert s.current is None and "call" in on(s)


def test_the_title_and_services_line():
    s = loaded("open")
    assert s.title_text() == W("{n}号窗口 · {name}", (("n", "3"), ("name", "劳动仲裁")))
    assert s.services_text({"labour": "劳动仲裁"}) == W("受理业务：{list}", (("list", "劳动仲裁、general"),))


@pytest.mark.parametrize("services,available,expected", [
    (("petition",), True, (True, True)),
    (("general", "petition"), True, (True, False)),
    (("labour", "general"), True, (False, False)),
    (("petition",), False, (False, False)),       # the application lends no petition panel
])
def test_the_petition_panel_only_where_petitions_are_served(services, available, expected):
    s = WindowDeskState(window_code="w03")
    s.apply_load(window("open", services=services), [], [])
    assert s.petition_panel(available) == expected


def test_no_petition_panel_for_an_unknown_window():
    assert WindowDeskState().petition_panel(True) == (False, False)


def test_the_clocks_of_the_current_visitor():
    s = loaded("open", ticket(1, "called"))
    assert s.current_times(T0 + dt.timedelta(minutes=5)) == (300.0, None)
    s.take_current(ticket(1, "serving", started=T0 + dt.timedelta(minutes=7)))
    assert s.current_times(T0 + dt.timedelta(minutes=10)) == (420.0, 180.0)
    s.take_current(None)
    assert s.current_times(T0) is None


@pytest.mark.parametrize("seconds,expected", [
    (0, W("{m}分{s}秒", (("m", "0"), ("s", "00")))),
    (-5, W("{m}分{s}秒", (("m", "0"), ("s", "00")))),
    (725, W("{m}分{s}秒", (("m", "12"), ("s", "05")))),
    (3780, W("{h}小时{m}分", (("h", "1"), ("m", "03")))),
])
def test_waiting_times_as_staff_say_them(seconds, expected):
    assert duration_parts(seconds) == expected
    assert duration_parts(725).filled(duration_parts(725).source) == "12分05秒"


_statuses = st.sampled_from([None, "called", "serving"])
_snapshots = st.tuples(st.sampled_from(["open", "paused", "closed"]), _statuses,
                       st.integers(0, 3), st.integers(0, 2), st.booleans())


@given(st.lists(_snapshots, min_size=1, max_size=8))
def test_for_any_sequence_of_reloads_the_desk_never_offers_both_calling_and_serving(snaps):
    s = WindowDeskState(window_code="w03", may_register=True)
    for state, status, n_waiting, n_held, busy in snaps:
        cur = ticket(100, status) if status else None
        s.apply_load(window(state, cur), [ticket(i) for i in range(n_waiting)],
                     [ticket(50 + i, "on_hold") for i in range(n_held)])
        s.busy = busy
        en = s.actions_enabled()
        # calling someone new and finishing the current visitor never go together
        assert not (en["call"] and en["finish"])
        assert not (en["call"] and en["recall"])
        # something to call only when the window is open and free
        assert en["call"] == (not busy and state == "open" and cur is None)
        assert en["finish"] == (not busy and cur is not None)
        assert en["chosen"] <= en["call"]
        assert en["unhold"] == (not busy and n_held > 0)
        if busy:
            assert not any(en.values())
        assert s.order == {i: i + 1 for i in range(n_waiting)}


# ------------------------------------------------------------------ the dialogs
def test_calling_out_of_order_and_holding_ask_for_a_reason_for_the_audit_log():
    t = ticket(1, "waiting", number="L007")
    chosen, hold = chosen_ask(t), hold_ask(t)
    assert chosen.title == Text("CallChosenDialog", "叫指定号 {number}", (("number", "L007"),))
    assert chosen.head == Text("CallChosenDialog", "不按顺序，现在叫 {number}（{service}）",
                               (("number", "L007"), ("service", "劳动仲裁")))
    assert chosen.action == Text("CallChosenDialog", "叫号") and chosen.note is None
    assert [r.source for r in chosen.reasons] == list(CHOSEN_REASONS)
    assert {r.context for r in chosen.reasons} == {"CallChosenDialog"}
    assert hold.title.filled(hold.title.source) == "挂起 L007"
    assert hold.head is not None and hold.head.filled(hold.head.source) == "挂起 L007（劳动仲裁）：暂不叫号"
    assert [r.source for r in hold.reasons] == list(HOLD_REASONS)
    assert hold.note is not None and "取消挂起" in hold.note.source
    for ask in (chosen, hold):
        assert ask.reason_required
        assert not ask.accepts("") and not ask.accepts("   ")
        assert ask.accepts("当事人身体不适") and ask.accepts(" 领导交办 ")


def test_a_transfer_may_go_without_a_reason_and_never_to_the_same_service():
    t = ticket(1, "called", number="L001")
    ask = transfer_ask(t)
    assert not ask.reason_required and ask.accepts("") and ask.accepts("需要调解")
    assert ask.title == Text("TransferDialog", "转移 {number}", (("number", "L001"),))
    assert ask.head is not None and ask.head.filled(ask.head.source) == "将 L001（劳动仲裁）转往其他业务"
    assert ask.action.source == "确认转移" and ask.note is not None and ask.note.context == "TransferDialog"
    assert [r.source for r in ask.reasons] == list(TRANSFER_REASONS)

    class Svc(NamedTuple):
        code: str
        name: str
        prefix: str

    services = [Svc("labour", "劳动仲裁", "L"), Svc("mediation", "司法调解", "T"), Svc("general", "综合受理", "A")]
    assert [s.code for s in transfer_targets(t, services)] == ["mediation", "general"]
    assert transfer_targets(t, services[:1]) == []


def test_the_pick_dialogs_list_each_ticket_with_its_local_time():
    gone = dataclasses.replace(ticket(4, "no_show", number="L004"), finished_at=T0 + dt.timedelta(minutes=15))
    ask = returned_ask([gone])
    assert ask.title.source == "过号回来" and ask.action.source == "重新排队"
    assert ask.label == Text("ReturnedDialog", "过号的号") and ask.head is None
    assert not ask.reason_required and ask.reasons == ()
    [(label, tid)] = ask.items
    assert tid == 4 and label.context == "ReturnedDialog"
    assert label.filled(label.source) == "L004（劳动仲裁，09:15 过号）"       # 01:15 UTC is 09:15 in the hall

    held = dataclasses.replace(ticket(7, "on_hold", number="L007"), held_at=T0, hold_reason="回去取材料")
    ask = unhold_ask([held])
    assert ask.title.source == "取消挂起" and ask.action.source == "恢复排队" and ask.label is not None
    assert [(label.filled(label.source), tid) for label, tid in ask.items] == [("L007（劳动仲裁，09:00 挂起：回去取材料）", 7)]
    assert returned_ask([]).items == ()


def test_finishing_starts_from_the_case_registered_at_this_visit():
    t, other = ticket(1, "serving", number="L001"), ticket(2, "serving")
    s = loaded("open", t)
    ask = finish_ask(t)
    assert ask.title == Text("FinishDialog", "办结 {number}", (("number", "L001"),))
    assert ask.action.source == "确认办结" and not ask.reason_required
    assert s.finish_preset(t) == ("resolved", "")              # 当场办结, no note
    s.registered[t.id] = "东调〔2026〕12号"
    assert s.finish_preset(t) == ("case_opened", "东调〔2026〕12号")
    assert s.finish_preset(other) == ("resolved", "")


def test_the_strip_says_what_switching_the_window_did_and_where_to_rate():
    s = loaded("open")
    assert s.state_message("open") == W("窗口已开启，可以叫号")
    assert s.state_message("paused") == W("窗口已暂停，叫号屏不会再请群众到本窗口")
    assert s.state_message("closed") == W("窗口已关闭")
    hint = s.rating_hint(ticket(3, "finished", number="L003"))
    assert hint.context == "WindowWorkspace" and hint.values == (("number", "L003"),)
    assert hint.filled(hint.source).startswith("L003 已办结：") and "自助评价机" in hint.source


def test_the_state_modules_load_without_qt():
    code = ("import sys, ui.window.state; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')) or m == 'ui.qt']; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
