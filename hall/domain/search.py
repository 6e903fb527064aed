"""Keys for finding a visitor by name, and routing of front-desk lookups.

Clerks search by pinyin initials (``zs`` for 张三) or full pinyin
(``zhangsan``), typed without tones; ü is written ``v`` as in every pinyin
input method (吕 → ``lv``).

Surnames are read as surnames: 单 is *shan*, 曾 *zeng*, 解 *xie*, 仇 *qiu*
and so on, although the everyday reading that pypinyin gives first is
different.  pypinyin has no surname mode, so the readings are kept here.
Because a clerk may not know the surname reading, :func:`search_keys` also
returns the keys built from the everyday reading.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from hall.domain.identity import check_phone
from hall.domain.masking import is_han_char, split_surname

__all__ = [
    "SURNAME_READINGS",
    "classify_query",
    "pinyin_full",
    "pinyin_initials",
    "search_keys",
]

def _lazy_pinyin() -> Callable[..., list[str]]:
    # pypinyin loads its phrase dictionary on import (about 0.2 s): only when a
    # name is first read, not at every start of the app.
    from pypinyin import lazy_pinyin

    return lazy_pinyin


def _style_normal() -> Any:
    from pypinyin import Style

    return Style.NORMAL


#: Surnames whose reading as a surname differs from pypinyin's first reading.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    # single-character surnames
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "区": ("ou",),
    "盖": ("ge",),
    "乐": ("yue",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "秘": ("bi",),
    "种": ("chong",),
    "重": ("chong",),
    "折": ("she",),
    "卜": ("bu",),
    "薄": ("bo",),
    "隗": ("wei",),
    "能": ("nai",),
    "乜": ("nie",),
    "繁": ("po",),
    "员": ("yun",),
    "蕃": ("pi",),
    "召": ("shao",),
    "句": ("gou",),
    "阚": ("kan",),
    "洗": ("xian",),
    "祭": ("zhai",),
    "都": ("du",),
    "便": ("pian",),
    "佴": ("nai",),
    "粘": ("nian",),
    "炅": ("gui",),
    "角": ("jue",),
    "么": ("yao",),
    "长": ("chang",),
    # compound surnames pypinyin reads wrongly
    "乐正": ("yue", "zheng"),
    "仲长": ("zhong", "chang"),
    "公乘": ("gong", "sheng"),
    "长孙": ("zhang", "sun"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
}

_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _han_syllables(run: str) -> list[str]:
    """Toneless pinyin for a run of Chinese characters; unknown ones dropped."""
    return [
        s.lower()
        for s in _lazy_pinyin()(run, style=_style_normal(), errors="ignore", strict=False)
        if s and s.isascii() and s.isalpha()
    ]


def _tokens(name: str) -> list[tuple[str, str]]:
    """Split into ("han", run) and ("word", ascii word) tokens, in order."""
    out: list[tuple[str, str]] = []
    han: list[str] = []
    pos = 0
    text = unicodedata.normalize("NFKC", name)
    while pos < len(text):
        ch = text[pos]
        if is_han_char(ch):
            han.append(ch)
            pos += 1
            continue
        if han:
            out.append(("han", "".join(han)))
            han = []
        m = _ASCII_WORD.match(text, pos)
        if m:
            out.append(("word", m.group().lower()))
            pos = m.end()
        else:
            pos += 1  # separators such as · and spaces
    if han:
        out.append(("han", "".join(han)))
    return out


def _readings(name: str | None) -> list[list[str]]:
    """Syllable lists: the surname reading first, then the everyday one if different."""
    if not name:
        return []
    tokens = _tokens(str(name).strip())
    if not tokens:
        return []
    primary: list[str] = []
    everyday: list[str] = []
    for i, (kind, value) in enumerate(tokens):
        if kind == "word":
            primary.append(value)
            everyday.append(value)
            continue
        if i == 0:
            surname, given = split_surname(value)
            plain = _han_syllables(surname)
            everyday.extend(plain)
            primary.extend(SURNAME_READINGS.get(surname, plain))
            given_syllables = _han_syllables(given)
            primary.extend(given_syllables)
            everyday.extend(given_syllables)
        else:
            syllables = _han_syllables(value)
            primary.extend(syllables)
            everyday.extend(syllables)
    readings = [primary]
    if everyday != primary:
        readings.append(everyday)
    return [r for r in readings if r]


def pinyin_initials(name: str | None) -> str:
    """First letters of each syllable: 张三 → ``zs``, 欧阳明华 → ``oymh``."""
    readings = _readings(name)
    return "".join(s[0] for s in readings[0]) if readings else ""


def pinyin_full(name: str | None) -> str:
    """Toneless pinyin without spaces: 张三 → ``zhangsan``."""
    readings = _readings(name)
    return "".join(readings[0]) if readings else ""


def search_keys(name: str | None) -> list[str]:
    """Keys to index a name under: initials and full pinyin.

    The surname reading comes first; for a polyphonic surname the keys from
    the everyday reading follow (单雄信 → ``sxx``, ``shanxiongxin``, ``dxx``,
    ``danxiongxin``).  No duplicates, no empty keys.
    """
    keys: list[str] = []
    for syllables in _readings(name):
        for key in ("".join(s[0] for s in syllables), "".join(syllables)):
            if key and key not in keys:
                keys.append(key)
    return keys


def classify_query(q: str | None) -> str:
    """What a front-desk lookup looks like.

    Returns ``"id_number"``, ``"phone"``, ``"pinyin"`` or ``"name"``:

    * anything with a Chinese character is a name;
    * digits (spaces, hyphens, parentheses and a leading ``+`` allowed) are a
      phone number when they form one, an ID number when they end in ``X``
      or run to 12 digits or more, and otherwise a phone fragment (clerks
      often search by the last four digits of a phone number);
    * Latin letters only (with spaces or apostrophes) are pinyin;
    * anything else, and the empty query, is searched as a name.
    """
    if not q:
        return "name"
    s = unicodedata.normalize("NFKC", str(q)).strip()
    if not s or any(is_han_char(c) for c in s):
        return "name"
    compact = re.sub(r"[\s\-()]", "", s)
    if re.fullmatch(r"\+?[0-9]+[Xx]?", compact):
        if compact[-1] in "Xx":
            return "id_number"
        if check_phone(s).ok:
            return "phone"
        digits = compact.lstrip("+")
        return "id_number" if len(digits) >= 12 else "phone"
    if re.fullmatch(r"[A-Za-z' ]+", s):
        return "pinyin"
    return "name"
