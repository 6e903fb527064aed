"""What the call board says and shows when a ticket is called.

Reading convention (the one mainstream Chinese queue systems and Chinese
text-to-speech front ends use for numbers that are codes, not amounts):

* The ticket number is read **digit by digit** in Chinese characters, zeros
  included: ``L007`` -> "L零零七号", ``A105`` -> "A一零五号". The visitor
  compares what they hear with what is printed on their ticket, digit for
  digit; "零零七" also keeps L007, L070 and L700 apart, which "七号" would
  not. ``一`` is read ``一``, not the ``幺`` of telephone numbers.
* Letters stay letters (a Chinese voice says them the Chinese way, "L" as
  "艾勒"); several letters are spaced so they are spelt, not read as a word.
* The window number is a **cardinal**: window 12 is "十二号窗口", not
  "一二号窗口"; that is how people name a window in the hall.
* The window's name is always spoken, so a visitor who missed the number
  still hears where to go; the service is added when the window serves it
  on behalf of another (a general window calling a housing ticket).

Pure functions, no I/O: the board builds its sentence here, tests read it.
"""
from __future__ import annotations

import re

from .numerals import cardinal, digits

__all__ = ["announcement_text", "cardinal", "digits", "display_text", "spell_number"]

_PART = re.compile(r"[A-Za-z]+|[0-9]+")


def spell_number(number: str) -> str:
    """A ticket number as it is spoken: letters spelt, digits read one by one.

    ``"L007"`` -> ``"L零零七"``, ``"XV012"`` -> ``"X V 零一二"``. Anything
    else (dashes, spaces) is dropped: it is not heard anyway.
    """
    out = ""
    for part in _PART.findall(number.strip()):
        if part.isdigit():
            out += digits(part)
        else:
            out += (" " if out else "") + " ".join(part.upper())
    return out


def _spoken_window_name(name: str | None) -> str:
    """The window's name for the voice: no bracketed remark, no doubled 窗口."""
    text = re.sub(r"[（(][^）)]*[）)]", "", name or "").strip()
    if text.endswith("窗口"):
        text = text[:-2].strip()
    return text


def announcement_text(number: str, window_number: int, window_name: str | None,
                      service_name: str | None = None, was_number: str | None = None) -> str:
    """The sentence the board speaks for a call.

    ``was_number`` is the number on the visitor's paper when the ticket was
    transferred to another service: they hear the number they hold too.

    >>> announcement_text("L007", 3, "劳动仲裁", "劳动仲裁")
    '请L零零七号，到三号劳动仲裁窗口办理。'
    >>> announcement_text("Z001", 1, "综合受理", "住建")
    '请Z零零一号，到一号综合受理窗口办理住建业务。'
    >>> announcement_text("T004", 4, "司法调解", "司法调解", was_number="L001")
    '请T零零四号，原L零零一号，到四号司法调解窗口办理。'
    """
    name = _spoken_window_name(window_name)
    was = f"原{spell_number(was_number)}号，" if was_number else ""
    text = f"请{spell_number(number)}号，{was}到{cardinal(int(window_number))}号{name}窗口办理"
    service = (service_name or "").strip()
    if service and service != name and service != (window_name or "").strip():
        text += f"{service}业务"
    return text + "。"


def display_text(number: str, window_number: int, window_name: str | None,
                 service_name: str | None = None, was_number: str | None = None) -> str:
    """The same call as the board writes it: ``请 L007 号 到 3号窗口 劳动仲裁``.

    The service is added in brackets when it differs from the window's name;
    a transferred ticket shows the number on the visitor's paper:
    ``请 T004 号（原 L001）到 4号窗口 司法调解``.
    """
    was = f"（原 {was_number}）" if was_number else " "
    text = f"请 {number} 号{was}到 {int(window_number)}号窗口"
    name = (window_name or "").strip()
    if name:
        text += f" {name}"
    service = (service_name or "").strip()
    if service and service != name:
        text += f"（{service}）"
    return text
