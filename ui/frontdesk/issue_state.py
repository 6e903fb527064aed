"""What the front desk decides about issuing and printing a ticket, without Qt.

One ticket at a time; the clerk's answer to a name that does not match the ID
number goes with the next issue only; a visitor the clerk said is new is not
checked against the records again; a refusal of the rules names the field at
fault; and what the result panel says when the paper fails (the number is
issued whatever happens to it).

Texts are ``ui.common.texts.Text`` values under the workspace's translation
context (``ui.frontdesk.state.CONTEXT``); the widgets translate them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ui.common.texts import QT_TRANSLATE_NOOP, Text, text
from ui.frontdesk.state import CONTEXT

#: The clerk's answers to a name mismatch, as ``queue.issue_ticket`` takes them.
KEEP_RECORDED, USE_TYPED = "recorded", "typed"


def _t(source: str, **values: object) -> Text:
    return text(CONTEXT, source, **values)


@dataclass
class IssueState:
    """The ticket being issued, and what the clerk said for the next one."""

    busy: bool = False                 # a ticket is being issued (or checked): no second one
    name_choice: str | None = None     # the clerk's answer to a name mismatch
    confirmed_new: bool = False        # the clerk said none of the listed records is this visitor
    last_service: str = ""             # what the last issue was for (a name mismatch asks again)

    def take_name_choice(self, fields: dict) -> dict:
        """``fields`` with the clerk's answer to a name mismatch, which goes with this issue only."""
        if self.name_choice is not None:
            fields["name_choice"], self.name_choice = self.name_choice, None
        return fields


def failed_field(message: str) -> str | None:
    """The field a refusal of the rules is about (``"id_number"``, ``"phone"``), if any."""
    if "身份证" in message or "出生" in message:
        return "id_number"
    if "电话" in message or "手机" in message:
        return "phone"
    return None


def not_issued_because(message: str) -> Text:
    """未取号 with the refusal (``message`` already in the interface's language)."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "未取号：{message}"), message=message)


def not_issued_unexpectedly() -> Text:
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "未取号：无法完成取号，请重试。已输入的内容都保留着。"))


def check_existing_first() -> Text:
    """While the records a new visitor may duplicate are listed."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "未取号：请先核对是否为已登记的来访人"))


@dataclass(frozen=True)
class NameMismatchQuestion:
    """What the desk says and asks when the ID number is known under another name."""

    line: Text        # on the result panel
    title: Text
    question: Text
    keep: Text        # issue under the recorded name
    rename: Text      # correct the recorded name, then issue
    back: Text        # check the papers first


def name_mismatch(recorded: str, typed: str) -> NameMismatchQuestion:
    return NameMismatchQuestion(
        line=_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "未取号：身份证号已登记在“{recorded}”名下，与输入的姓名“{typed}”不一致"),
                recorded=recorded, typed=typed),
        title=_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "姓名与身份证号不一致")),
        question=_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "此身份证号登记的姓名是“{recorded}”，刚才输入的是“{typed}”。\n"
                                      "请核对证件后选择："), recorded=recorded, typed=typed),
        keep=_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "按登记姓名“{recorded}”取号"), recorded=recorded),
        rename=_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "更正登记姓名为“{typed}”并取号"), typed=typed),
        back=_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "返回核对")),
    )


# ------------------------------------------------------------------ printing
def ticket_stem(view: Any) -> str:
    """The file name (without suffix) a ticket's PDF is saved under."""
    return f"{view.business_day:%Y%m%d}-{view.number}-{view.id}"


def not_rendered(reason: object) -> Text:
    """The ticket's PDF could not be made: the number is issued all the same."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "排队票未能生成：{reason}。号码已取，请口头告知来访人，"
                                "处理后可按 Ctrl+R 重打"), reason=reason)


def still_not_rendered(reason: object) -> Text:
    """A reprint's PDF could not be made either."""
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "排队票仍未能生成：{reason}"), reason=reason)


def print_failed(reason: object) -> Text:
    return _t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "打印失败：{reason}"), reason=reason)


def reprinted(number: str, message: str) -> list[Text | str]:
    """A reprint's print line: 重打 and the number before how printing ended."""
    return [_t(QT_TRANSLATE_NOOP("FrontDeskWorkspace", "重打 {number}："), number=number), message]
