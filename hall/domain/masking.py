"""Masking personal information for public surfaces.

《个人信息保护法》 Art. 25: personal information is not made public without
separate consent.  The call board, printed queue tickets and anything else a
stranger can read show masked names (张*明 / 李*), and never full ID numbers
or phone numbers.  :func:`redact_sensitive` keeps ID numbers and mobile
numbers out of log files.

Rules chosen here:

* Names: keep the surname and, for names of three or more characters, the
  last character; every hidden character becomes one ``*``.  Common compound
  surnames (欧阳, 司马, …) are kept whole.  A one-character name is ``*``.
  Names without Chinese characters (``John Smith``) keep the first letter of
  each word: ``J*** S****``.
* Mobile numbers: ``138****5678``.  Landlines: area code and the last four
  digits (three for a seven-digit number); extensions are dropped.
* ID numbers: only the first and the last character stay visible,
  ``1****************X``.  The first six digits name the holder's home
  county and the next eight the birth date, so the "first 6 + last 4" style
  seen elsewhere would print most of what the number says about a person.
  Staff screens whose role needs more call :func:`mask_id_number` with a
  larger ``visible_tail`` (e.g. 4 to confirm with the visitor) or show the
  number unmasked.
"""
from __future__ import annotations

import re
import unicodedata

from hall.domain.identity import check_phone

__all__ = [
    "COMPOUND_SURNAMES",
    "is_han_char",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "redact_sensitive",
    "split_surname",
]

#: Two-character surnames, kept whole when masking and read as a unit for
#: pinyin.  Common ones first; the list is not exhaustive.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕
    令狐 钟离 闾丘 端木 南宫 西门 独孤 太史 万俟 闻人 公羊 赫连 澹台 宗政
    濮阳 公冶 太叔 申屠 仲孙 鲜于 司空 子车 亓官 司寇 巫马 公西 颛孙 壤驷
    公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 段干 百里 呼延 东郭 南门 羊舌 微生
    梁丘 左丘 东门 第五 公乘 南荣 东里 仲长 即墨 达奚 褚师 单于 淳于 完颜
    耶律 纳兰 呼延 尉迟 司马 公伯 公仪 公户 公玉
    """.split()
)

_STAR = "*"
# Marks and selectors that belong to the character before them (variation
# selectors for rare-character glyphs, combining marks, zero-width joiner).
_ATTACHED = re.compile(r"[\u0300-\u036f\u200c\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_NAME_SEPARATORS = "·•・‧.．-"


def is_han_char(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF  # Extension A
        or 0x4E00 <= cp <= 0x9FFF  # URO
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= cp <= 0x323AF  # Extensions B-H (beyond the BMP)
        or cp == 0x3007  # 〇
    )


def _clusters(text: str) -> list[str]:
    """Split into user-perceived characters (enough for names).

    Python strings index by code point, so 𠮷 (U+20BB7) is already one item;
    this also keeps a variation selector or combining mark with its base.
    """
    out: list[str] = []
    for ch in text:
        if out and (_ATTACHED.match(ch) or unicodedata.combining(ch)):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def split_surname(name: str) -> tuple[str, str]:
    """Split a Chinese name into (surname, given name).

    A compound surname is recognised only in names of three or more
    characters: a two-character name is always surname + given name.
    """
    chars = _clusters(name)
    if len(chars) >= 3 and "".join(chars[:2]) in COMPOUND_SURNAMES:
        return "".join(chars[:2]), "".join(chars[2:])
    if not chars:
        return "", ""
    return chars[0], "".join(chars[1:])


def mask_name(name: str | None) -> str:
    """Mask a person's name for public display.

    >>> mask_name("张三明"), mask_name("李四"), mask_name("欧阳明华")
    ('张*明', '李*', '欧阳*华')
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFC", str(name)).strip()
    if not text:
        return ""
    if not any(is_han_char(c) for c in text):
        return _mask_latin_name(text)
    text = "".join(text.split())
    if any(c in _NAME_SEPARATORS for c in text):
        return _mask_with_separators(text)
    chars = _clusters(text)
    n = len(chars)
    if n == 1:
        return _STAR
    if n == 2:
        return chars[0] + _STAR
    surname, _ = split_surname(text)
    keep_head = len(_clusters(surname))
    if n - keep_head <= 1:  # 欧阳华: surname and one character
        return surname + _STAR * (n - keep_head)
    return surname + _STAR * (n - keep_head - 1) + chars[-1]


def _mask_with_separators(text: str) -> str:
    """Transliterated names such as 买买提·艾力: first and last character stay."""
    chars = _clusters(text)
    letters = [i for i, c in enumerate(chars) if c not in _NAME_SEPARATORS]
    keep = {letters[0]} if letters else set()
    if len(letters) >= 3:
        keep.add(letters[-1])
    return "".join(
        c if (i in keep or c in _NAME_SEPARATORS) else _STAR for i, c in enumerate(chars)
    )


def _mask_latin_name(text: str) -> str:
    """``John Smith`` → ``J*** S****``; a one-word name keeps its first letter."""
    words = text.split()
    masked = []
    for word in words:
        parts = re.split(r"([-'.])", word)  # keep hyphens in Jean-Paul
        out = []
        for part in parts:
            if part in ("-", "'", ".") or not part:
                out.append(part)
            else:
                chars = _clusters(part)
                out.append(chars[0] + _STAR * (len(chars) - 1))
        masked.append("".join(out))
    result = " ".join(masked)
    if result == text:  # every word a single letter: hide them all
        result = re.sub(r"[^\s\-'.]", _STAR, text)
    return result


def mask_phone(phone: str | None) -> str:
    """Mask a phone number: ``13812345678`` → ``138****5678``."""
    if not phone:
        return ""
    check = check_phone(phone)
    if check.ok and check.kind == "mobile":
        d = check.normalized
        return d[:3] + _STAR * 4 + d[-4:]
    if check.ok:
        number = check.normalized
        parts = number.split("-")
        if parts[0] in ("400", "800") and len(parts) >= 3:
            return f"{parts[0]}-{_STAR * 3}-{parts[2]}"
        if number.startswith("0"):
            area, local = parts[0], parts[1]
            return f"{area}-{_mask_local(local)}"
        return _mask_local(parts[0])
    # Not a number we recognise: keep only the last two digits.
    digits = [c for c in unicodedata.normalize("NFKC", str(phone)) if c.isdigit()]
    if len(digits) <= 4:
        return _STAR * len(digits)
    return _STAR * (len(digits) - 2) + "".join(digits[-2:])


def _mask_local(local: str) -> str:
    shown = 4 if len(local) >= 8 else 3
    return _STAR * (len(local) - shown) + local[-shown:]


def mask_id_number(
    number: str | None, *, visible_head: int = 1, visible_tail: int = 1
) -> str:
    """Mask an ID number, keeping its length: ``1****************X``.

    Works on any identity document number (18- or 15-digit resident IDs,
    passports); numbers too short to keep anything back are fully starred.
    """
    if not number:
        return ""
    text = "".join(unicodedata.normalize("NFKC", str(number)).split()).upper()
    n = len(text)
    head, tail = max(visible_head, 0), max(visible_tail, 0)
    if head + tail >= n or n - head - tail < n // 2:
        # Never show more than half of a number.
        head = min(head, n // 4)
        tail = min(tail, n // 4)
    return text[:head] + _STAR * (n - head - tail) + (text[n - tail :] if tail else "")


# --------------------------------------------------------------------------
# Free-text redaction (logs)
# --------------------------------------------------------------------------

# \d rather than [0-9]: full-width digits typed with a Chinese input method
# are digits too.
_SENSITIVE = re.compile(
    r"""
    (?<!\d)
    (?:
        (?P<id>\d(?:[ -]?\d){16}[ -]?[\dXxＸｘ])(?!\d)   # 18 characters, spaced in any grouping
      | (?P<run>\d{15,}[XxＸｘ]?)
      | (?P<mobile>(?:(?:\+|00)?86[ -]?)?[1１][3-9３-９]\d(?:[ -]?\d{4}){2})(?!\d)
    )
    """,
    re.VERBOSE,
)


def _ascii_digits(text: str) -> str:
    return "".join(str(int(c)) if c.isdecimal() else c for c in text)


def _redact_match(m: re.Match[str]) -> str:
    if m.group("id") is not None:
        compact = re.sub(r"[ -]", "", m.group("id"))
        return mask_id_number(_ascii_digits(compact))
    if m.group("run") is not None:
        run = _ascii_digits(unicodedata.normalize("NFKC", m.group("run")))
        if len(run) == 15:  # first-generation ID number
            return mask_id_number(run)
        return _STAR * (len(run) - 4) + run[-4:]  # bank cards and the like
    digits = _ascii_digits(re.sub(r"\D", "", m.group("mobile")))[-11:]
    return digits[:3] + _STAR * 4 + digits[-4:]


def redact_sensitive(text: str) -> str:
    """Mask resident ID numbers, long digit runs and mobile numbers in text.

    Used by the logging filter so that these numbers never reach a log file.
    Every run of 15 or more digits (ASCII or full-width) is masked, so no 18-character ID number
    can survive, whatever surrounds it.
    """
    if not text:
        return text
    return _SENSITIVE.sub(_redact_match, text)
