"""Numbers written in Chinese characters, the one place the hall does it.

Used for spoken announcements (三号窗口), statutory periods (四十五日) and the
counts printed on documents (一式三份).
"""
from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_DATE_DIGITS = "〇一二三四五六七八九"
_SMALL_UNITS = ["", "十", "百", "千"]
_BIG_UNITS = ["", "万", "亿"]


def _four(n: int) -> str:
    """0 < n < 10000 in Chinese, with the 零 rules for inner gaps."""
    out: list[str] = []
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10 ** pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def cardinal(n: int) -> str:
    """A counting number in Chinese: 3 -> 三, 10 -> 十, 12 -> 十二, 105 -> 一百零五.

    The ``十`` of 10-19 drops its ``一`` when it leads, as in speech
    (``十二号窗口``), and keeps it inside a larger number (``一百一十``).
    """
    if n < 0:
        return "负" + cardinal(-n)
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_BIG_UNITS):
        raise ValueError("number too large to read")
    out: list[str] = []
    need_zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out.append("零")
        out.append(_four(g) + _BIG_UNITS[i])
        need_zero = False
    text = "".join(out)
    if text.startswith("一十"):
        text = text[1:]
    return text


def digits(text: str, *, date_style: bool = False) -> str:
    """Each ASCII digit of ``text`` as a Chinese character, read one by one:
    ``"007"`` -> ``"零零七"`` (ticket numbers), and with ``date_style`` the
    〇 of dates: ``"2026"`` -> ``"二〇二六"``. Other characters are kept."""
    table = _DATE_DIGITS if date_style else _DIGITS
    return "".join(table[int(ch)] if ch.isascii() and ch.isdigit() else ch for ch in text)
