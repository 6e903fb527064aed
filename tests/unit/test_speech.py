"""What the call board says and writes for a call."""
from __future__ import annotations

import pytest

from hall.domain.speech import announcement_text, cardinal, digits, display_text, spell_number


@pytest.mark.parametrize("n, spoken", [
    (0, "零"), (1, "一"), (2, "二"), (3, "三"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"),
    (19, "十九"), (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
    (110, "一百一十"), (115, "一百一十五"), (1000, "一千"), (1001, "一千零一"), (1010, "一千零一十"),
    (1100, "一千一百"), (10000, "一万"), (10001, "一万零一"), (10100, "一万零一百"),
    (110000, "十一万"), (1000000, "一百万"), (100000001, "一亿零一"),
])
def test_window_numbers_are_read_as_cardinals(n, spoken):
    assert cardinal(n) == spoken


@pytest.mark.parametrize("text, spoken", [
    ("007", "零零七"), ("000", "零零零"), ("105", "一零五"), ("1000", "一零零零"), ("9", "九"),
])
def test_ticket_digits_are_read_one_by_one_in_chinese(text, spoken):
    assert digits(text) == spoken


@pytest.mark.parametrize("number, spoken", [
    ("L007", "L零零七"),
    ("A001", "A零零一"),
    ("A105", "A一零五"),
    ("T010", "T零一零"),
    ("L1000", "L一零零零"),          # past 999 the number just grows
    ("l007", "L零零七"),              # letters are spelt as capitals
    ("XV012", "X V零一二"),           # several letters are spelt, not read as a word
    ("A-001", "A零零一"),             # punctuation is not heard
    ("042", "零四二"),                # a service without a prefix
])
def test_ticket_numbers_keep_letters_and_read_digits(number, spoken):
    assert spell_number(number) == spoken


@pytest.mark.parametrize("number, window_number, window_name, service, spoken", [
    ("L007", 3, "劳动仲裁", "劳动仲裁", "请L零零七号，到三号劳动仲裁窗口办理。"),
    ("L007", 3, "劳动仲裁", None, "请L零零七号，到三号劳动仲裁窗口办理。"),
    ("Z001", 1, "综合受理", "住建", "请Z零零一号，到一号综合受理窗口办理住建业务。"),
    ("A012", 12, "综合受理", "综合受理", "请A零一二号，到十二号综合受理窗口办理。"),
    ("E020", 10, "教育（入学季）", "教育", "请E零二零号，到十号教育窗口办理。"),
    ("X003", 2, "信访窗口", "信访", "请X零零三号，到二号信访窗口办理。"),
    ("P001", 9, "", None, "请P零零一号，到九号窗口办理。"),
])
def test_announcement_names_the_window_and_reads_numbers_the_chinese_way(
        number, window_number, window_name, service, spoken):
    assert announcement_text(number, window_number, window_name, service) == spoken


def test_zeros_are_spoken_in_chinese_not_english_nor_as_yao():
    text = announcement_text("A001", 1, "综合受理")
    assert "零零一号" in text
    assert "zero" not in text.lower() and "幺" not in text and "0" not in text


def test_window_twelve_is_twelve_not_one_two():
    text = announcement_text("L001", 12, "劳动仲裁")
    assert "十二号" in text and "一二号" not in text


@pytest.mark.parametrize("number, window_number, window_name, service, shown", [
    ("L007", 3, "劳动仲裁", "劳动仲裁", "请 L007 号 到 3号窗口 劳动仲裁"),
    ("L007", 3, "劳动仲裁", None, "请 L007 号 到 3号窗口 劳动仲裁"),
    ("Z001", 1, "综合受理", "住建", "请 Z001 号 到 1号窗口 综合受理（住建）"),
    ("A012", 12, "综合受理", "综合受理", "请 A012 号 到 12号窗口 综合受理"),
    ("P001", 9, "", None, "请 P001 号 到 9号窗口"),
])
def test_display_text_keeps_the_printed_number(number, window_number, window_name, service, shown):
    assert display_text(number, window_number, window_name, service) == shown
