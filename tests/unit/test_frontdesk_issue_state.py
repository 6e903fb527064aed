"""The front desk's issuing and printing decisions (ui.frontdesk.issue_state), without Qt."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from types import SimpleNamespace

from ui.common.texts import Text, joined
from ui.frontdesk.issue_state import (
    KEEP_RECORDED,
    USE_TYPED,
    IssueState,
    check_existing_first,
    failed_field,
    name_mismatch,
    not_issued_because,
    not_issued_unexpectedly,
    not_rendered,
    print_failed,
    reprinted,
    still_not_rendered,
    ticket_stem,
)


def untranslated(parts) -> str:
    return joined(parts if isinstance(parts, list) else [parts], lambda _context, source: source)


def test_the_clerks_answer_to_a_name_mismatch_goes_with_the_next_issue_only():
    s = IssueState()
    assert s.take_name_choice({"name": "张三"}) == {"name": "张三"}
    s.name_choice = USE_TYPED
    fields = {"name": "张三"}
    assert s.take_name_choice(fields) is fields and fields == {"name": "张三", "name_choice": "typed"}
    assert s.name_choice is None
    assert s.take_name_choice({"name": "张三"}) == {"name": "张三"}
    assert (KEEP_RECORDED, USE_TYPED) == ("recorded", "typed")   # as queue.issue_ticket takes them


def test_a_new_state_issues_nothing_and_knows_no_new_visitor():
    s = IssueState()
    assert not s.busy and not s.confirmed_new and s.name_choice is None and s.last_service == ""


def test_a_refusal_names_the_field_it_is_about():
    assert failed_field("身份证号校验位不正确，应为X") == "id_number"
    assert failed_field("出生日期不正确") == "id_number"
    assert failed_field("电话号码位数不对") == "phone"
    assert failed_field("手机号码应为 11 位") == "phone"
    assert failed_field("业务已停办") is None
    assert failed_field("身份证号与电话不一致") == "id_number"    # the ID number first


def test_the_lines_when_no_ticket_is_issued():
    assert untranslated(not_issued_because("业务已停办")) == "未取号：业务已停办"
    assert untranslated(not_issued_unexpectedly()) == "未取号：无法完成取号，请重试。已输入的内容都保留着。"
    assert untranslated(check_existing_first()) == "未取号：请先核对是否为已登记的来访人"


def test_a_name_mismatch_shows_both_names():
    ask = name_mismatch("张三", "张叁")
    assert untranslated(ask.line) == "未取号：身份证号已登记在“张三”名下，与输入的姓名“张叁”不一致"
    assert untranslated(ask.question) == "此身份证号登记的姓名是“张三”，刚才输入的是“张叁”。\n请核对证件后选择："
    assert untranslated(ask.keep) == "按登记姓名“张三”取号"
    assert untranslated(ask.rename) == "更正登记姓名为“张叁”并取号"
    assert untranslated(ask.back) == "返回核对" and untranslated(ask.title) == "姓名与身份证号不一致"
    assert {t.context for t in (ask.line, ask.title, ask.question, ask.keep, ask.rename, ask.back)} \
        == {"FrontDeskWorkspace"}


def test_the_ticket_file_is_named_by_day_number_and_id():
    view = SimpleNamespace(business_day=dt.date(2026, 12, 4), number="L001", id=17)
    assert ticket_stem(view) == "20261204-L001-17"


def test_what_the_print_line_says_when_the_paper_fails():
    assert untranslated(not_rendered(OSError("no font"))) == \
        "排队票未能生成：no font。号码已取，请口头告知来访人，处理后可按 Ctrl+R 重打"
    assert untranslated(still_not_rendered("no font")) == "排队票仍未能生成：no font"
    assert untranslated(print_failed("paper jam")) == "打印失败：paper jam"
    line = reprinted("L001", "已保存为 PDF")
    assert isinstance(line[0], Text) and untranslated(line) == "重打 L001：已保存为 PDF"


def test_the_issue_state_loads_without_qt():
    code = ("import sys, ui.frontdesk.issue_state; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')) or m == 'ui.qt']; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
