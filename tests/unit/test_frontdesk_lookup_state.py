"""The front desk's visitor lookup decisions (ui.frontdesk.lookup_state), without Qt."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from types import SimpleNamespace

from hall.domain.clock import UTC
from hall.services.visitors import MergeResult, VisitorHit
from ui.common.texts import joined
from ui.frontdesk.lookup_state import (
    LookupState,
    MergePlan,
    VisitorFill,
    can_merge,
    choose_button_text,
    existing_text,
    fill_for,
    history_title,
    hit_to_choose,
    merge_button_text,
    merge_plan,
    merge_question,
    merged_text,
    outlook_line,
    searching_text,
    selected,
)


def untranslated(parts) -> str:
    return joined(parts if isinstance(parts, list) else [parts], lambda _context, source: source)


def hit(id: int, name: str = "张三明", visits: int = 1, *, id_number: str = "", phone: str = "",
        masked: bool = True) -> VisitorHit:
    return VisitorHit(id=id, name=name, id_number=id_number, phone=phone, visits=visits,
                      last_visit=dt.date(2026, 11, 23), matched_by="name", id_number_masked=masked)


A, B, C = hit(1, visits=3), hit(2, visits=1), hit(3, "张三", visits=2)


# ---------------------------------------------------------- answers wanted
def test_only_the_last_lookup_asked_is_answered():
    s = LookupState()
    first = s.next_lookup()
    second = s.next_lookup()
    assert not s.wanted(first) and s.wanted(second)
    s.close()                                   # the list left the screen: no answer is wanted
    assert not s.wanted(second)


def test_the_history_has_its_own_count():
    s = LookupState()
    h = s.next_history()
    s.next_lookup()
    assert s.history_wanted(h)
    assert not s.history_wanted(h - 1) and not s.history_wanted(s.next_history() - 1)


def test_a_service_waits_on_the_clerks_choice_until_they_search_or_the_list_closes():
    s = LookupState()
    assert not s.end_offer()                    # no check on: nothing to end
    before = s.seq
    s.offer("labour")
    assert s.pending_service == "labour" and s.seq == before + 1   # a lookup in flight is dropped
    assert s.end_offer() and s.pending_service is None
    s.offer("labour")
    s.close()
    assert s.pending_service is None


def test_merge_asks_once_then_merges():
    s = LookupState()
    assert s.arm_merge() and s.merge_armed      # the first click says what will happen
    assert not s.arm_merge() and s.merge_armed  # the second merges (reset once it answered)


# ---------------------------------------------------------------- choosing
def test_the_current_row_is_chosen_else_the_first():
    rows = [A, B, C]
    assert hit_to_choose(rows, 1) is B
    assert hit_to_choose(rows, None) is A
    assert hit_to_choose(rows, 7) is A and hit_to_choose(rows, -1) is A
    assert hit_to_choose([], None) is None and hit_to_choose([], 0) is None


def test_the_selected_records_come_in_the_lists_order():
    assert selected([A, B, C], [2, 0, 2]) == [A, C]
    assert selected([A, B], [5]) == []


def test_a_chosen_visitor_fills_the_fields_without_masked_numbers():
    masked = fill_for(hit(1, id_number="1*************002X", phone="138****5678"))
    assert masked.name == "张三明" and masked.id_number == ""
    assert untranslated(masked.id_placeholder) == "已登记 1*************002X，无需重新输入"
    assert untranslated(masked.phone_placeholder) == "已登记 138****5678，有新号码再填"
    full = fill_for(hit(1, id_number="11010519491231002X", masked=False))
    assert full.id_number == "11010519491231002X" and full.id_placeholder is None
    assert full.phone_placeholder is None
    assert fill_for(hit(1)) == VisitorFill("张三明")              # no numbers on file


# ----------------------------------------------------------------- merging
def test_two_records_or_more_can_be_merged():
    assert not can_merge([]) and not can_merge([A]) and can_merge([A, B])
    assert merge_plan([A], A) is None


def test_the_records_merge_into_the_current_row_else_the_first_selected():
    assert merge_plan([A, B, C], B) == MergePlan(B, (A, C))
    assert merge_plan([A, C], B) == MergePlan(A, (C,))          # the current row is not selected
    assert merge_plan([A, C], None) == MergePlan(A, (C,))
    assert merge_plan([A, B, C], C).other_ids == [1, 2]


def test_the_first_click_says_what_the_merge_will_do():
    assert untranslated(merge_question(MergePlan(A, (B, C)))) == "将 2 条记录合并到 张三明（3 次来访）的记录，再点“确认合并”"
    nameless = hit(9, "", visits=4)
    assert untranslated(merge_question(MergePlan(nameless, (A,)))) == "将 1 条记录合并到 （4 次来访）的记录，再点“确认合并”"
    assert untranslated(merge_button_text(True)) == "确认合并"
    assert untranslated(merge_button_text(False)) == "合并重复记录"


def test_after_a_merge_the_line_says_how_much_moved():
    result = MergeResult(kept=1, merged=(2, 3), tickets_moved=5, case_links_moved=0)
    assert untranslated(merged_text(result)) == "已合并 2 条重复记录（5 张排队票归入同一人）"


# ------------------------------------------------------------------- lines
def test_the_lines_and_buttons_of_the_lookup():
    assert untranslated(choose_button_text(False)) == "选用此人"
    assert untranslated(choose_button_text(True)) == "选用此人并取号"
    assert untranslated(searching_text()) == "正在查找…"
    assert untranslated(existing_text(2)).startswith("已有 2 条来访人记录与输入的姓名或电话相同。")
    assert untranslated(history_title(A)) == "张三明 的历次来访"
    assert untranslated(history_title(hit(1, ""))) == "来访人 的历次来访"
    assert history_title(A).context == "FrontDeskWorkspace"


def test_the_outlook_names_open_cases_and_the_first_two_sittings():
    case = SimpleNamespace(number="(2026)调字第12号", state_label="调解中")
    sittings = [SimpleNamespace(start=dt.datetime(2026, 12, 7, 1 + i, 30, tzinfo=UTC), room_name=f"调解室{i + 1}")
                for i in range(3)]
    assert outlook_line(SimpleNamespace(open_cases=(), bookings=())) is None
    assert untranslated(outlook_line(SimpleNamespace(open_cases=(case,), bookings=()))) \
        == "在办案件：(2026)调字第12号（调解中）"
    both = untranslated(outlook_line(SimpleNamespace(open_cases=(case, case), bookings=tuple(sittings))))
    assert both == ("在办案件：(2026)调字第12号（调解中）、(2026)调字第12号（调解中）；"
                    "已约调解：12-07 09:30 调解室1、12-07 10:30 调解室2")
    assert untranslated(outlook_line(SimpleNamespace(open_cases=(), bookings=tuple(sittings[:1])))) \
        == "已约调解：12-07 09:30 调解室1"


def test_the_lookup_state_loads_without_qt():
    code = ("import sys, ui.frontdesk.lookup_state; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')) or m == 'ui.qt']; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
