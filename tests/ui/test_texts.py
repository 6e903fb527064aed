"""Texts filled in without a translator (the untranslated form a log line or a test reads)."""
from __future__ import annotations

from ui.common.texts import Joined, Text, text


def test_a_joined_value_is_filled_in_untranslated():
    numbers = Joined((text("Ctx", "{n} 号", n=3), text("Ctx", "{n} 号", n=5)), "、")
    line = text("Ctx", "请到 {windows} 窗口", windows=numbers)
    assert line.filled(line.source) == "请到 3 号、5 号 窗口"


def test_a_text_value_is_filled_in_untranslated():
    line = Text("Ctx", "{who}：{what}", (("who", text("Ctx", "窗口 {n}", n=2)), ("what", "暂停")))
    assert line.filled(line.source) == "窗口 2：暂停"


def test_with_a_translator_every_part_is_translated():
    numbers = Joined((text("Ctx", "{n} 号", n=3),), "、")
    line = text("Ctx", "请到 {windows} 窗口", windows=numbers)
    assert line.shown(lambda ctx, src: src.replace("号", "no.")) == "请到 3 no. 窗口"
