"""Validation messages in the interface's language.

The rules that check what is typed (``hall.domain.identity``,
``hall.domain.names``) and the services word their refusals in Chinese, once.
The interface shows them through :func:`translated`: a message listed here
(context ``Validation``) is looked up whole; a message with a number or a
character in it is matched against :data:`PATTERNS`, whose template is
translated and filled in again; messages joined by "；" are translated part by
part. A message nobody translated stays as it is (Chinese), never lost.

``tests/ui/test_i18n.py`` checks that every message constant of the rules is
listed here, so a new one cannot be forgotten.
"""
from __future__ import annotations

import re

from ui.common import service_messages
from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Validation"

#: Whole messages (the rules' constants, and the words the patterns put in).
MESSAGES = (
    # hall.domain.identity: resident ID numbers
    QT_TRANSLATE_NOOP("Validation", "请输入身份证号"),
    QT_TRANSLATE_NOOP("Validation", "身份证号应为18位"),
    QT_TRANSLATE_NOOP("Validation", "15位旧身份证号已停用，请使用18位身份证号"),
    QT_TRANSLATE_NOOP("Validation", "身份证号只能包含数字，最后一位可以是X"),
    QT_TRANSLATE_NOOP("Validation", "身份证号前6位地区码不正确"),
    QT_TRANSLATE_NOOP("Validation", "出生年份不正确"),
    QT_TRANSLATE_NOOP("Validation", "出生月份不正确"),
    QT_TRANSLATE_NOOP("Validation", "出生日期不是有效日期"),
    QT_TRANSLATE_NOOP("Validation", "出生日期早于1850年"),
    QT_TRANSLATE_NOOP("Validation", "出生日期晚于今天"),
    # hall.domain.identity: credit codes
    QT_TRANSLATE_NOOP("Validation", "请输入统一社会信用代码"),
    QT_TRANSLATE_NOOP("Validation", "统一社会信用代码应为18位"),
    # hall.domain.identity: telephone numbers
    QT_TRANSLATE_NOOP("Validation", "请输入电话号码"),
    QT_TRANSLATE_NOOP("Validation", "电话号码只能包含数字"),
    QT_TRANSLATE_NOOP("Validation", "手机号码应为11位"),
    QT_TRANSLATE_NOOP("Validation", "手机号码应以13至19开头"),
    QT_TRANSLATE_NOOP("Validation", "电话号码格式不正确"),
    # hall.domain.names: what is checked, and why a character is refused
    QT_TRANSLATE_NOOP("Validation", "姓名"),
    QT_TRANSLATE_NOOP("Validation", "名称"),
    QT_TRANSLATE_NOOP("Validation", "含有控制字符（如换行、制表符或空字符）"),
    QT_TRANSLATE_NOOP("Validation", "含有看不见的文字方向或零宽字符（常见于从网页复制的文字）"),
    QT_TRANSLATE_NOOP("Validation", "含有无法识别的字符"),
    QT_TRANSLATE_NOOP("Validation", "含有表情或符号"),
    # hall.services.arbitration, hall.services.petitions and their rules
    *service_messages.MESSAGES,
)

#: Messages with a variable part: ``(pattern, template)``; a named group
#: ``x`` fills ``{x}`` in the translated template. Groups named in
#: :data:`_WORDS` are words of :data:`MESSAGES` (or of a state's labels) and are
#: translated too; ``items`` is a list of such words joined by "、"; ``date``
#: is a date written "2026年3月5日" and comes out as 2026-03-05; ``case`` is
#: translated where it is a word (其他案件), else kept (a case number); ``sub``
#: is a sentence of the rules, translated as a message of its own. A digit
#: after a group's name (``date2``) keeps its kind.
PATTERNS = (
    (r"身份证号校验位不正确，应为(?P<x>[0-9X])",
     QT_TRANSLATE_NOOP("Validation", "身份证号校验位不正确，应为{x}")),
    (r"统一社会信用代码含有无效字符：(?P<x>.+)",
     QT_TRANSLATE_NOOP("Validation", "统一社会信用代码含有无效字符：{x}")),
    (r"(?P<what>[^，。；（）“”]{1,16}?)不能为空",
     QT_TRANSLATE_NOOP("Validation", "{what}不能为空")),
    (r"(?P<what>[^，。；（）“”]{1,16}?)太长（最多 (?P<n>\d+) 个字）",
     QT_TRANSLATE_NOOP("Validation", "{what}太长（最多 {n} 个字）")),
    (r"(?P<what>[^，。；（）“”]{1,16}?)(?P<why>含有控制字符（如换行、制表符或空字符）)，请删除后重新输入",
     QT_TRANSLATE_NOOP("Validation", "{what}{why}，请删除后重新输入")),
    (r"(?P<what>[^，。；（）“”]{1,16}?)(?P<why>含有[^（]+（[^）]+）|含有[^“（]+)(?P<x>“.”)?（第 (?P<i>\d+) 个字符），请删除后重新输入",
     QT_TRANSLATE_NOOP("Validation", "{what}{why}{x}（第 {i} 个字符），请删除后重新输入")),
    (r"(?P<what>[^，。；（）“”]{1,16}?)至少要有一个汉字或字母",
     QT_TRANSLATE_NOOP("Validation", "{what}至少要有一个汉字或字母")),
    (r"(?P<what>[^，。；（）“”]{1,16}?)最多 (?P<n>\d+) 个字，现在是 (?P<m>\d+) 个",
     QT_TRANSLATE_NOOP("Validation", "{what}最多 {n} 个字，现在是 {m} 个")),
    (r"已去掉 (?P<n>\d+) 个不能用于姓名的字符",
     QT_TRANSLATE_NOOP("Validation", "已去掉 {n} 个不能用于姓名的字符")),
    (r"粘贴的内容超过 (?P<n>\d+) 个字，已截断",
     QT_TRANSLATE_NOOP("Validation", "粘贴的内容超过 {n} 个字，已截断")),
    *service_messages.PATTERNS,
)
_COMPILED = tuple((re.compile(rf"^{p}$"), t) for p, t in PATTERNS)
#: group name -> the context its word is translated in
_WORDS = {"what": CONTEXT, "why": CONTEXT, "action": CONTEXT, "hint": CONTEXT, "side": CONTEXT,
          "doc": CONTEXT, "art": CONTEXT, "state": "ArbitrationState", "pstate": "PetitionState"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _tr(text: str, context: str = CONTEXT) -> str:
    return QCoreApplication.translate(context, text)


def _value(key: str, value: str) -> str | None:
    """The group's value in the interface's language; None where it has none."""
    key = key.rstrip("0123456789")        # date2, date3: dates too
    if key in _WORDS:
        word = _tr(value, _WORDS[key])
        return None if word == value else word
    if key == "items":
        words = [_one(w) for w in value.split("、")]
        return None if any(w == v for w, v in zip(words, value.split("、"))) else ", ".join(words)
    if key == "date":
        m = _DATE.match(value)
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None
    if key == "case":
        return _tr(value)
    if key == "sub":                      # a sentence of the rules, translated as a message
        done = _one(value)
        return None if done == value else done
    return value if _CJK.search(value) else value.replace("、", ", ")


def _one(message: str) -> str:
    whole = _tr(message)
    if whole != message:
        return whole
    for rx, template in _COMPILED:
        m = rx.match(message)
        if m is None:
            continue
        out = _tr(template)
        if out == template:       # not translated: leave the message as it was
            continue
        for key, value in m.groupdict().items():
            done = _value(key, value or "")
            if done is None:      # half a translation reads worse than none
                break
            out = out.replace("{" + key + "}", done)
        else:
            return out[:1].upper() + out[1:] if template.startswith("{") else out
    return message


def translated(message: str | None) -> str:
    """``message`` in the interface's language where a translation exists."""
    if not message:
        return message or ""
    parts = message.split("；")
    if len(parts) > 1:
        done = [_one(p) for p in parts]
        if done != parts:
            return "; ".join(done)
        return message
    return _one(message)
