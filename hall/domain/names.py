"""Person names: one input rule for every screen and every service.

A name is NFC-normalised, its runs of white space become one space, and it
may hold letters of any script (CJK Extension B such as 𠮷 included),
combining marks, digits, the middle dot of minority and foreign names (·, also typed
as • or ・), spaces, hyphens, apostrophes and full stops. Control
characters (NUL, tab...), the invisible direction and zero-width characters
(U+202E and friends, which make a board show a name reversed), emoji,
symbols, private-use and unassigned code points are refused with a message
in Chinese. Length counts characters (code points), not UTF-16 units.

:func:`check_person_name` is what a service calls (refuses); :func:`clean_pasted_name`
is what an input field calls on a paste (strips, cuts at the limit and says so).
The derived search keys (pinyin, initials) are at most
:data:`PINYIN_PER_CHAR` and 1 letters per character of the name; they are
stored cut to their columns (:func:`stored_keys`), so no name within the
limit can overflow them on PostgreSQL.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: A visitor's, a party's or a staff member's name (the visitors column).
PERSON_NAME_MAX = 64
#: A party can be an organisation (employer, company): a longer limit.
PARTY_NAME_MAX = 100
#: The longest toneless pinyin syllable ("zhuang", "shuang", "chuang").
PINYIN_PER_CHAR = 6

_MIDDLE_DOTS = {"\u2022": "\u00b7", "\u30fb": "\u00b7", "\u2027": "\u00b7", "\uff0e": "\u00b7", "\u00b7": "\u00b7"}
_ALLOWED_PUNCT = {"-", "'", ".", "\u2019", "\u00b7", "\uff08", "\uff09", "(", ")"}
# Invisible characters that change how text is shown (bidi controls, zero width).
_INVISIBLE = {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF,
              *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


#: The stored search keys are cut on purpose to their columns (VARCHAR(32) /
#: VARCHAR(128)): a 64-character name's keys would need 64 and 384 letters,
#: and nobody types more than the first few dozen letters to find a visitor.
INITIALS_KEY_MAX = 32
PINYIN_KEY_MAX = 128


def pinyin_limit(name_max: int) -> int:
    """How long a name's full pinyin can be (6 letters a character)."""
    return name_max * PINYIN_PER_CHAR


def initials_limit(name_max: int) -> int:
    return name_max


def stored_keys(initials: str, pinyin: str) -> tuple[str, str]:
    """The search keys as stored: cut to their columns."""
    return initials[:INITIALS_KEY_MAX], pinyin[:PINYIN_KEY_MAX]


@dataclass(frozen=True)
class NameCheck:
    ok: bool
    value: str            # the cleaned name ("" when empty)
    message: str = ""     # why it was refused (Chinese)
    cut: bool = False     # clean_pasted_name: the text was longer than the limit
    removed: int = 0      # clean_pasted_name: characters taken out


_ORG_PUNCT = {"&", "、", "，", ",", "/", "#", "号", "（", "）", "《", "》", "“", "”"}


def _problem(ch: str, organisation: bool = False) -> str | None:
    if organisation and (unicodedata.category(ch) == "Nd" or ch in _ORG_PUNCT):
        return None
    cp = ord(ch)
    if cp in _INVISIBLE:
        return "invisible"
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return "control"
    if cat in ("Cf", "Cs", "Co", "Cn"):
        return "invisible" if cat == "Cf" else "unknown"
    if cat[0] in ("L", "M") or ch == " " or ch in _ALLOWED_PUNCT:
        return None
    if cat[0] == "N":  # 〇, Ⅱ, and the digits records from other systems carry (张三2)
        return None
    return "symbol"


_MESSAGES = {
    "control": "含有控制字符（如换行、制表符或空字符）",
    "invisible": "含有看不见的文字方向或零宽字符（常见于从网页复制的文字）",
    "unknown": "含有无法识别的字符",
    "symbol": "含有表情或符号",
}


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = "".join(_MIDDLE_DOTS.get(ch, ch) for ch in text)
    # tabs, newlines and other white space become one space (then trimmed)
    return " ".join(text.replace("\u3000", " ").split())


def check_person_name(text: str | None, *, max_len: int = PERSON_NAME_MAX, what: str = "姓名",
                      required: bool = False, organisation: bool = False) -> NameCheck:
    """Refuse what cannot be a name; the cleaned value when it can.
    ``organisation`` also allows digits and the punctuation of a company's name."""
    if text is None or not str(text).strip():
        if required:
            return NameCheck(False, "", f"{what}不能为空")
        return NameCheck(True, "")
    raw = str(text)
    if len(raw) > max_len * 4 + 64:  # a runaway paste: refuse before any work on it
        return NameCheck(False, "", f"{what}太长（最多 {max_len} 个字）")
    for ch in raw:
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r":
            return NameCheck(False, "", f"{what}{_MESSAGES['control']}，请删除后重新输入")
    value = _normalise(raw)
    for i, ch in enumerate(value, 1):
        kind = _problem(ch, organisation)
        if kind:
            shown = "" if kind in ("control", "invisible", "unknown") else f"“{ch}”"
            return NameCheck(False, "", f"{what}{_MESSAGES[kind]}{shown}（第 {i} 个字符），请删除后重新输入")
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):
        return NameCheck(False, "", f"{what}至少要有一个汉字或字母")
    if len(value) > max_len:
        return NameCheck(False, "", f"{what}最多 {max_len} 个字，现在是 {len(value)} 个")
    return NameCheck(True, value)


def clean_pasted_name(text: str, *, max_len: int = PERSON_NAME_MAX) -> NameCheck:
    """What an input field keeps of a paste: forbidden characters taken out,
    cut at ``max_len`` characters; ``cut``/``removed`` say what happened."""
    value = _normalise(str(text or ""))
    kept = "".join(ch for ch in value if _problem(ch) is None)
    removed = len(value) - len(kept)
    kept = " ".join(kept.split())
    cut = len(kept) > max_len
    if cut:
        kept = kept[:max_len].rstrip()
    parts = []
    if removed:
        parts.append(f"已去掉 {removed} 个不能用于姓名的字符")
    if cut:
        parts.append(f"粘贴的内容超过 {max_len} 个字，已截断")
    return NameCheck(True, kept, "；".join(parts), cut, removed)


class InvalidName(ValueError):
    """A name the rule refuses; ``str()`` is the Chinese message."""


def person_name(text: str | None, *, max_len: int = PERSON_NAME_MAX, what: str = "姓名",
                required: bool = False, organisation: bool = False) -> str:
    """The cleaned name, or :class:`InvalidName` with the message."""
    chk = check_person_name(text, max_len=max_len, what=what, required=required, organisation=organisation)
    if not chk.ok:
        raise InvalidName(chk.message)
    return chk.value
