"""The front desk's decisions (ui.frontdesk.state), without Qt."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.domain.clock import UTC
from hall.domain.identity import resident_id_check_char
from hall.domain.queue import PriorityReason
from hall.services.views import QueueSnapshot, ServiceQueue, TicketView, WindowView
from ui.common.texts import Joined, Text
from ui.frontdesk.state import (
    MANUAL_PRIORITIES,
    RECENT_ROWS,
    FrontDeskState,
    PriorityChoice,
    collect,
    id_feedback,
    lookup_status,
    needs_existing_check,
    phone_feedback,
    phone_finished,
    print_state,
    returning_text,
    ticket_detail,
    ticket_headline,
)

TODAY = dt.date(2026, 12, 4)
T0 = dt.datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
E = PriorityReason.ELDERLY


def F(source: str, **values) -> Text:
    """A text of the front desk's translation context."""
    return Text("FrontDeskWorkspace", source, tuple((k, v if isinstance(v, (Text, Joined)) else str(v))
                                                   for k, v in values.items()))


def untranslated(t: Text | str) -> str:
    return t if isinstance(t, str) else t.shown(lambda _context, source: source)


def resident_id(birth: dt.date, area: str = "110105", seq: str = "002") -> str:
    first17 = area + birth.strftime("%Y%m%d") + seq
    return first17 + resident_id_check_char(first17)


# ------------------------------------------------------------------ the fields
def test_an_empty_id_number_says_nothing_and_takes_back_an_age_priority():
    r = id_feedback("", TODAY, priority_chosen=False, auto_elderly=True)
    assert r.feedback.kind == "note" and r.feedback.parts == () and not r.feedback.invalid
    assert r.elderly == "undo"


def test_an_incomplete_id_number_counts_its_digits():
    r = id_feedback("1101 0519", TODAY, priority_chosen=False, auto_elderly=False)
    assert r.feedback.kind == "note" and not r.feedback.invalid
    assert r.feedback.parts == (F("已输入 {n}/18 位", n=8),)


def test_an_impossible_id_number_is_flagged_while_typed():
    r = id_feedback("11010519491331", TODAY, priority_chosen=False, auto_elderly=False)
    assert r.feedback.kind == "error" and r.feedback.invalid
    assert r.feedback.parts == ("出生月份不正确",)
    assert r.elderly == "undo"


def test_a_wrong_check_digit_is_flagged_once_all_18_are_typed():
    r = id_feedback("110105194912310021", TODAY, priority_chosen=False, auto_elderly=False)
    assert r.feedback.kind == "error" and r.feedback.invalid
    assert r.feedback.parts == ("身份证号校验位不正确，应为X",)


def test_a_visitor_of_seventy_gets_the_elderly_priority():
    r = id_feedback("11010519491231002X", TODAY, priority_chosen=False, auto_elderly=False)
    assert r.feedback.kind == "ok" and not r.feedback.invalid
    assert r.elderly == "set"
    assert [untranslated(p) for p in r.feedback.parts] == ["有效：女，76 岁（1949-12-31 出生）", " · 已自动选老人优先"]


def test_another_priority_chosen_by_the_clerk_is_kept():
    r = id_feedback("11010519491231002X", TODAY, priority_chosen=True, auto_elderly=False)
    assert r.elderly is None
    assert [untranslated(p) for p in r.feedback.parts] == ["有效：女，76 岁（1949-12-31 出生）"]
    # chosen by age before (the toggle is on because of the age): still says so
    again = id_feedback("11010519491231002X", TODAY, priority_chosen=True, auto_elderly=True)
    assert again.elderly is None and len(again.feedback.parts) == 2


@pytest.mark.parametrize("birth,elderly", [
    (dt.date(1956, 12, 4), True),      # 70 today
    (dt.date(1956, 12, 5), False),     # 70 tomorrow
    (dt.date(1990, 1, 1), False),
])
def test_priority_by_age_turns_at_seventy(birth, elderly):
    r = id_feedback(resident_id(birth), TODAY, priority_chosen=False, auto_elderly=False)
    assert r.feedback.kind == "ok"
    assert r.elderly == ("set" if elderly else "undo")


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=TODAY), st.booleans(), st.booleans())
def test_for_any_valid_id_the_age_decides_the_elderly_priority(birth, chosen, auto):
    r = id_feedback(resident_id(birth), TODAY, priority_chosen=chosen, auto_elderly=auto)
    years = TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
    assert r.feedback.kind == "ok"
    assert f"{years} 岁" in untranslated(r.feedback.parts[0])
    if years >= 70:
        assert r.elderly == (None if chosen else "set")
        assert (len(r.feedback.parts) == 2) == (not chosen or auto)
    else:
        assert r.elderly == "undo" and len(r.feedback.parts) == 1


@pytest.mark.parametrize("typed,kind,invalid", [
    ("", "note", False),
    ("   ", "note", False),
    ("1381234", "note", False),            # still typing
    ("13812345678", "ok", False),
    ("138123456789", "error", True),       # a mobile longer than 11 digits
    ("+86138123456789", "note", False),    # with a country code it may still be one
    ("abc", "error", True),
    ("010-1234567 转", "note", False),     # an extension is on its way
])
def test_the_phone_line_while_typing(typed, kind, invalid):
    fb = phone_feedback(typed)
    assert (fb.kind, fb.invalid) == (kind, invalid)


def test_a_valid_phone_says_which_kind():
    fb = phone_feedback("13812345678")
    assert fb.parts == (F("有效：{kind}", kind=F("手机")),)
    assert untranslated(fb.parts[0]) == "有效：手机"


def test_leaving_the_phone_field_flags_what_is_no_number():
    assert phone_finished("") is None
    assert phone_finished("13812345678") is None
    fb = phone_finished("1381234")
    assert fb is not None and fb.kind == "error" and fb.invalid and fb.parts == ("手机号码应为11位",)


def test_the_panel_as_issuing_arguments():
    c = collect(name="  张  三 ", id_number="11010519491231002x", phone="13812345678", priority=E,
                note=" 拖欠  工资 ", notice_consent=True, today=TODAY)
    assert c.problems == ()
    assert c.fields == {"name": "张 三", "id_number": "11010519491231002X", "phone": "13812345678",
                        "priority": E.value, "note": "拖欠 工资", "notice_consent": True}


def test_an_empty_panel_issues_an_anonymous_ticket():
    c = collect(name="", id_number="", phone="", priority=None, note="", notice_consent=False, today=TODAY)
    assert c.fields == {"name": None, "id_number": None, "phone": None, "priority": None, "note": "",
                        "notice_consent": False}


def test_wrong_fields_are_listed_in_the_panels_order():
    c = collect(name="张三", id_number="110105194912310021", phone="1381234", priority=None, note="",
                notice_consent=False, today=TODAY)
    assert c.fields is None
    assert [k for k, _ in c.problems] == ["id_number", "phone"]
    assert c.problems[1][1] == "手机号码应为11位"


def test_one_priority_at_a_time_and_the_age_choice_is_remembered():
    choice = PriorityChoice()
    assert choice.by_age() and choice.auto_elderly
    assert choice.toggled(E, True) == [] and choice.reason is E and choice.auto_elderly
    off = choice.toggled(PriorityReason.DISABLED, True)     # the clerk chose another
    assert off == [E] and choice.reason is PriorityReason.DISABLED and not choice.auto_elderly
    choice.toggled(E, False)                                # the widget switches it off
    assert choice.reason is PriorityReason.DISABLED
    assert not choice.by_age()                              # the clerk's choice stays
    assert not choice.undo_by_age()


def test_taking_back_the_age_priority():
    choice = PriorityChoice()
    choice.by_age()
    choice.toggled(E, True)
    assert choice.undo_by_age() and not choice.auto_elderly
    assert not choice.undo_by_age()


@given(st.lists(st.tuples(st.sampled_from(MANUAL_PRIORITIES), st.booleans()), max_size=12))
def test_for_any_clicks_at_most_one_priority_is_on(clicks):
    """The toggles as the widget drives them: switching one off calls back."""
    on: dict[PriorityReason, bool] = dict.fromkeys(MANUAL_PRIORITIES, False)
    choice = PriorityChoice()

    def set_checked(reason: PriorityReason, value: bool) -> None:
        if on[reason] != value:
            on[reason] = value
            for other in choice.toggled(reason, value):
                set_checked(other, False)

    for reason, value in clicks:
        set_checked(reason, value)
        checked = [r for r, v in on.items() if v]
        assert len(checked) <= 1
        assert choice.reason == (checked[0] if checked else None)


# ------------------------------------------------------------------ the desk
class Svc:
    def __init__(self, code: str, name: str):
        self.code, self.name = code, name


RULES = [{"service": "labour", "words": ["工资", "欠薪"]}, {"service": "housing", "words": ["漏水"]},
         {"service": "education", "words": ["学校"]}]


def desk() -> FrontDeskState:
    s = FrontDeskState()
    s.apply_catalogue([Svc("general", "综合受理"), Svc("labour", "劳动仲裁"), Svc("housing", "住建"),
                       Svc("education", "教育")], RULES)
    return s


def snapshot(*, closed: tuple[str, ...] = (), windows=()) -> QueueSnapshot:
    services = [ServiceQueue(code=c, name=c, prefix=c[0].upper(), waiting=i, oldest_issued_at=None,
                             offered=c not in closed, closed_reason="不在开放期" if c in closed else "")
                for i, c in enumerate(("general", "labour", "housing", "education"))]
    return QueueSnapshot(at=T0, services=services, windows=list(windows))


def test_the_counts_say_which_offers_changed():
    s = desk()
    assert s.apply_snapshot(snapshot(closed=("education",))) == ["education"]
    assert s.apply_snapshot(snapshot(closed=("education",))) == []
    assert not s.offered("education") and s.offered("labour")
    assert s.total_text() == F("大厅共 {n} 人等候", n=6)
    assert s.apply_snapshot(snapshot()) == ["education"]
    assert s.offered("education")


def test_new_buttons_are_told_again_what_is_closed():
    s = desk()
    s.apply_snapshot(snapshot(closed=("education",)))
    s.apply_catalogue([Svc("labour", "劳动仲裁"), Svc("education", "教育")], RULES)
    assert s.apply_snapshot(snapshot(closed=("education",))) == ["education"]


def test_the_visitors_words_suggest_the_offered_services():
    s = desk()
    s.apply_snapshot(snapshot(closed=("education",)))
    v = s.suggest("拖欠工资，楼上漏水，学校")
    assert set(v.wanted) == {"labour", "housing"}
    assert v.first in {"labour", "housing"}
    lines = [untranslated(t) for t in v.line]
    assert lines[0].startswith("建议：") and "劳动仲裁（工资）" in lines[0] and lines[0].endswith("Ctrl+Enter 取首选")
    assert lines[1] == " （教育今日不可取号）"
    assert s.first_suggestion() == v.first


def test_no_words_no_line_and_unknown_words_point_to_the_general_service():
    s = desk()
    assert s.suggest("").line == () and s.suggest("   ").line == ()
    assert s.suggest("天气").line == (F("没有匹配的业务，不确定时请选“综合受理”"),)
    assert s.first_suggestion() is None


def test_a_service_closed_today_is_refused_with_its_reason():
    s = desk()
    s.apply_snapshot(snapshot(closed=("education",)))
    assert s.refusal("labour") is None
    assert s.refusal("education") == F("未取号：“{name}”今日不可取号（{reason}）", name="教育", reason="不在开放期")


def window(number: int, services: tuple[str, ...], closed: str = "") -> WindowView:
    return WindowView(code=f"w{number:02d}", number=number, name="", state="open", services=services,
                      in_season=not closed, closed_reason=closed)


def test_the_ticket_sends_the_visitor_to_the_windows_serving_it_first():
    s = desk()
    assert s.windows_for("labour") == [] and s.window_hint("labour") is None
    s.apply_snapshot(snapshot(windows=[window(1, ("general", "labour")), window(3, ("labour",)),
                                       window(4, ("labour", "general")), window(9, ("labour",), "不在开放期")]))
    assert s.windows_for("labour") == [3, 4]
    assert s.windows_for("general") == [1]
    assert s.windows_for("housing") == []
    assert untranslated(s.window_hint("labour")) == "请到 3 号、4 号窗口办理"


def test_else_any_window_serving_it_at_most_four():
    s = desk()
    s.apply_snapshot(snapshot(windows=[window(n, ("general", "labour")) for n in range(1, 7)]))
    assert s.windows_for("labour") == [1, 2, 3, 4]


def ticket(tid: int, *, ahead: int = 0, name: str = "", priority: str | None = None) -> TicketView:
    return TicketView(id=tid, number=f"L{tid:03d}", service="labour", service_name="劳动仲裁", status="waiting",
                      business_day=T0.date(), issued_at=T0, ahead=ahead, masked_name=name,
                      priority_label=priority)


def test_the_last_ticket_and_the_recent_ones():
    s = desk()
    for i in range(1, RECENT_ROWS + 3):
        s.issued(ticket(i), b"%d" % i)
    assert s.last_ticket == ticket(RECENT_ROWS + 2)
    assert [t.id for t in s.recent] == list(range(RECENT_ROWS + 2, 2, -1))
    assert s.kept_pdf(s.last_ticket) == b"%d" % (RECENT_ROWS + 2)
    assert s.kept_pdf(s.recent[1]) is None                 # an older one is rendered anew


def test_a_ticket_without_its_pdf_keeps_the_one_rendered_later():
    s = desk()
    last = ticket(1)
    s.issued(last, None)
    assert s.kept_pdf(last) is None
    s.rendered(ticket(2), b"other")
    assert s.last_pdf is None
    s.rendered(last, b"pdf")
    assert s.kept_pdf(last) == b"pdf"


def test_what_the_result_panel_says_about_a_ticket():
    assert ticket_headline(ticket(1)) == F("已取号，前面没有人等候")
    assert ticket_headline(ticket(1, ahead=3)) == F("已取号，前面 {n} 人", n=3)
    plain = ticket_detail(ticket(1), "09:00", None)
    assert plain == ["劳动仲裁", "09:00"]
    full = ticket_detail(ticket(1, name="张*明", priority="70岁以上老人"), "09:00", F("请到 {windows}窗口办理",
                                                                                     windows="3 号"))
    assert [untranslated(p) for p in full] == ["劳动仲裁", "张*明", "优先：70岁以上老人", "09:00", "请到 3 号窗口办理"]
    assert full[2].values[0][1] == Text("PriorityReasons", "70岁以上老人")


@pytest.mark.parametrize("outcome,state", [("printed", "ok"), ("saved", "warn"), ("cancelled", "warn"),
                                           ("failed", "error"), ("anything", "error")])
def test_how_the_print_line_is_drawn(outcome, state):
    assert print_state(outcome) == state


@pytest.mark.parametrize("found,expected", [
    (0, F("没有找到匹配的来访人。新来访人请按 Esc 返回，直接填写。")),
    (1, F("找到 {n} 位来访人", n=1)),
    (19, F("找到 {n} 位来访人", n=19)),
    (20, F("结果较多，只列出前 {n} 位，请输入更多信息缩小范围", n=20)),
])
def test_the_lookups_status_line(found, expected):
    assert lookup_status(found, 20) == expected


class Hit:
    name, visits, last_visit = "王建国", 3, dt.date(2026, 11, 20)


class Visit:
    service_name, number, status_label, outcome_label = "劳动仲裁", "L007", "已办结", "当场办结"


def test_a_returning_visitor_is_described():
    assert [untranslated(t) for t in returning_text(Hit(), [])] == ["老来访人 王建国：来访 3 次", "，上次 2026-11-20"]
    assert untranslated(returning_text(Hit(), [Visit()])[-1]) == "（劳动仲裁 L007，已办结，当场办结）"


def test_a_new_name_or_phone_is_checked_against_the_records_first():
    named = {"name": "张三", "phone": None}
    assert needs_existing_check(named, chosen=False, confirmed_new=False)
    assert needs_existing_check({"name": None, "phone": "13812345678"}, chosen=False, confirmed_new=False)
    assert not needs_existing_check({"name": None, "phone": None}, chosen=False, confirmed_new=False)
    assert not needs_existing_check(named, chosen=True, confirmed_new=False)
    assert not needs_existing_check(named, chosen=False, confirmed_new=True)


def test_the_state_modules_load_without_qt():
    code = ("import sys, ui.window.state, ui.frontdesk.state; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')) or m == 'ui.qt']; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
