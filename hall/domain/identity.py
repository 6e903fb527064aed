"""Checks for the numbers a visitor gives at the front desk.

* Resident identity numbers (居民身份号码, GB 11643-1999).
* Unified social credit codes of companies and other organisations
  (统一社会信用代码, GB 32100-2015).
* Mainland telephone numbers (mobile, landline, 400/800 service numbers).

Every check takes whatever the clerk typed and never raises: it returns a
frozen result with ``ok``, the normalised text and a Chinese message that
the form can show next to the field.

Input is normalised with NFKC first, so full-width digits and letters typed
with a Chinese input method (``１１０１…Ｘ``) are accepted, and spaces,
full-width spaces and hyphens inside a number are dropped.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CreditCodeCheck",
    "EARLIEST_BIRTH_YEAR",
    "IdCheck",
    "PhoneCheck",
    "check_credit_code",
    "check_phone",
    "check_resident_id",
    "partial_resident_id_feedback",
    "resident_id_check_char",
    "credit_code_check_char",
]

# --------------------------------------------------------------------------
# Resident identity number, GB 11643-1999
# --------------------------------------------------------------------------

ID_LENGTH = 18
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"

#: Birth dates before this year are rejected.  The 1900 floor that is often
#: used would reject the worked example printed in GB 11643-1999 itself
#: (440524188001010014, born 1880), and the hall handles records of people
#: who have died (estate and family disputes): the 18-digit number was issued
#: from 1999 on, to people who could then be as old as about 120, and second-
#: generation cards were also issued retroactively for old records.  1850
#: keeps a margin below every such person while still catching a year typed
#: with a wrong leading digit (e.g. 1094 for 1994).
EARLIEST_BIRTH_YEAR = 1850

MSG_ID_EMPTY = "请输入身份证号"
MSG_ID_LENGTH = "身份证号应为18位"
MSG_ID_OLD_15 = "15位旧身份证号已停用，请使用18位身份证号"
MSG_ID_CHARS = "身份证号只能包含数字，最后一位可以是X"
MSG_ID_AREA = "身份证号前6位地区码不正确"
MSG_ID_YEAR = "出生年份不正确"
MSG_ID_MONTH = "出生月份不正确"
MSG_ID_DATE = "出生日期不是有效日期"
MSG_ID_TOO_EARLY = f"出生日期早于{EARLIEST_BIRTH_YEAR}年"
MSG_ID_FUTURE = "出生日期晚于今天"


def _msg_id_check_char(expected: str) -> str:
    return f"身份证号校验位不正确，应为{expected}"


@dataclass(frozen=True)
class IdCheck:
    """Outcome of :func:`check_resident_id`.

    ``birth_date``, ``sex`` and ``area_code`` are filled in only when
    ``ok`` is true; a number that fails a check tells nothing reliable.
    """

    ok: bool
    normalized: str
    message: str = ""
    birth_date: dt.date | None = None
    sex: str | None = None  # "男" or "女"
    area_code: str = ""


def _squash(text: object) -> str:
    """NFKC, drop whitespace and hyphens, upper-case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"[\s\-‐‑‒–—]+", "", s)
    return s.upper()


def _default_today() -> dt.date:
    # Only used when the caller gives no day; services pass their clock's.
    from hall.domain.clock import default_clock, local_day

    return local_day(default_clock().now())


def resident_id_check_char(first17: str) -> str:
    """The check character for the first 17 digits of a resident ID."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("需要17位数字")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def check_resident_id(text: object, today: dt.date | None = None) -> IdCheck:
    """Check a resident ID number against GB 11643-1999.

    ``today`` bounds the birth date from above; it defaults to the current
    day in the hall's time zone.
    """
    s = _squash(text)
    if not s:
        return IdCheck(False, s, MSG_ID_EMPTY)
    if len(s) != ID_LENGTH:
        if len(s) == 15 and s.isascii() and s.isdigit():
            return IdCheck(False, s, MSG_ID_OLD_15)
        return IdCheck(False, s, MSG_ID_LENGTH)
    body, last = s[:17], s[17]
    if not (body.isascii() and body.isdigit()) or last not in "0123456789X":
        return IdCheck(False, s, MSG_ID_CHARS)
    if s[0] == "0":
        return IdCheck(False, s, MSG_ID_AREA)
    if today is None:
        today = _default_today()
    birth, problem = _parse_birth(s[6:14], today)
    if problem:
        return IdCheck(False, s, problem)
    expected = resident_id_check_char(body)
    if last != expected:
        return IdCheck(False, s, _msg_id_check_char(expected))
    sex = "男" if int(s[16]) % 2 == 1 else "女"
    return IdCheck(True, s, "", birth, sex, s[:6])


def _parse_birth(yyyymmdd: str, today: dt.date) -> tuple[dt.date | None, str]:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    try:
        birth = dt.date(year, month, day)
    except ValueError:
        return None, MSG_ID_DATE
    if year < EARLIEST_BIRTH_YEAR:
        return None, MSG_ID_TOO_EARLY
    if birth > today:
        return None, MSG_ID_FUTURE
    return birth, ""


def partial_resident_id_feedback(text: object, today: dt.date | None = None) -> str | None:
    """Feedback while an ID number is being typed.

    Returns ``None`` as long as what has been typed could still be the start
    of a valid number, and a Chinese message as soon as it cannot: a
    character that is not a digit, an ``X`` before the last position, an
    impossible year, month or day so far, or more than 18 characters.  With
    all 18 characters it gives the full check's message (``None`` if valid).
    """
    s = _squash(text)
    if not s:
        return None
    if len(s) > ID_LENGTH:
        return MSG_ID_LENGTH
    if today is None:
        today = _default_today()
    if len(s) == ID_LENGTH:
        result = check_resident_id(s, today)
        return None if result.ok else result.message
    if not (s.isascii() and s.isdigit()):
        return MSG_ID_CHARS
    if s[0] == "0":
        return MSG_ID_AREA
    return _birth_prefix_problem(s[6:14], today)


def _birth_prefix_problem(prefix: str, today: dt.date) -> str | None:
    """Why no date in range can start with ``prefix`` (digits of YYYYMMDD)."""
    if not prefix:
        return None
    lo = dt.date(EARLIEST_BIRTH_YEAR, 1, 1)

    # Year.
    yp = prefix[:4]
    if yp[0] == "0":
        return MSG_ID_YEAR
    scale = 10 ** (4 - len(yp))
    first, last = int(yp) * scale, (int(yp) + 1) * scale - 1  # years with this prefix
    if last < lo.year:
        return MSG_ID_TOO_EARLY if yp[0] == "1" else MSG_ID_YEAR
    if first > today.year:
        return MSG_ID_FUTURE if yp[0] == "2" else MSG_ID_YEAR  # "203": yet to come
    if len(prefix) <= 4:
        return None
    year = int(yp)

    # Month.
    mp = prefix[4:6]
    months = [m for m in range(1, 13) if f"{m:02d}".startswith(mp)]
    if not months:
        return MSG_ID_MONTH
    if not any(dt.date(year, m, 1) <= today for m in months):
        return MSG_ID_FUTURE
    if len(prefix) <= 6:
        return None
    month = int(mp)

    # Day.
    dp = prefix[6:8]
    last_day = calendar.monthrange(year, month)[1]
    days = [d for d in range(1, last_day + 1) if f"{d:02d}".startswith(dp)]
    if not days:
        return MSG_ID_DATE
    if not any(dt.date(year, month, d) <= today for d in days):
        return MSG_ID_FUTURE
    return None


# --------------------------------------------------------------------------
# Unified social credit code, GB 32100-2015
# --------------------------------------------------------------------------

#: The 31 characters a credit code may use (no I, O, Z, S, V).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CC_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)}

MSG_CC_EMPTY = "请输入统一社会信用代码"
MSG_CC_LENGTH = "统一社会信用代码应为18位"


@dataclass(frozen=True)
class CreditCodeCheck:
    """Outcome of :func:`check_credit_code`.

    A failed check is a *warning*: a few codes in real use are reported not
    to satisfy the check character, so forms warn and let the clerk go on.
    """

    ok: bool
    normalized: str
    warning: str = ""


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in _CC_VALUE for c in first17):
        raise ValueError("需要17位有效字符")
    total = sum(_CC_VALUE[c] * w for c, w in zip(first17, _CC_WEIGHTS))
    value = 31 - total % 31
    return CREDIT_CODE_ALPHABET[0 if value == 31 else value]


def check_credit_code(text: object) -> CreditCodeCheck:
    """Check a unified social credit code; never raises."""
    s = _squash(text)
    if not s:
        return CreditCodeCheck(False, s, MSG_CC_EMPTY)
    if len(s) != 18:
        return CreditCodeCheck(False, s, MSG_CC_LENGTH)
    bad = [c for c in s if c not in _CC_VALUE]
    if bad:
        shown = "、".join(dict.fromkeys(bad))
        return CreditCodeCheck(False, s, f"统一社会信用代码含有无效字符：{shown}")
    expected = credit_code_check_char(s[:17])
    if s[17] != expected:
        return CreditCodeCheck(
            False,
            s,
            f"统一社会信用代码校验位不正确，应为{expected}；"
            "如与营业执照一致请核对后继续",
        )
    return CreditCodeCheck(True, s, "")


# --------------------------------------------------------------------------
# Telephone numbers
# --------------------------------------------------------------------------

MSG_PHONE_EMPTY = "请输入电话号码"
MSG_PHONE_CHARS = "电话号码只能包含数字"
MSG_PHONE_MOBILE_LENGTH = "手机号码应为11位"
MSG_PHONE_MOBILE_PREFIX = "手机号码应以13至19开头"
MSG_PHONE_BAD = "电话号码格式不正确"


@dataclass(frozen=True)
class PhoneCheck:
    """Outcome of :func:`check_phone`.

    ``normalized`` is ``13812345678`` for a mobile, ``010-12345678`` or
    ``0755-1234567`` for a landline with area code (``-123`` appended for an
    extension), the bare digits for a local number, ``400-123-4567`` for a
    service number.  ``message`` is empty when ``ok``.
    """

    ok: bool
    kind: str | None  # "mobile", "landline" or None
    normalized: str
    message: str = ""


# An extension written as 转123, 分机123, ext 123, x123 or #123 at the end.
_EXT_WORD = re.compile(r"(?:转|分机|EXT\.?|X|#)\s*(\d{1,6})$")
# An extension written as a third hyphen group: 010-12345678-123.
_EXT_DASH = re.compile(r"^(\+?\d[\d ()]*?[- ]\d{7,8})-(\d{1,6})$")


def check_phone(text: object) -> PhoneCheck:
    """Check a mainland telephone number; never raises."""
    if text is None:
        return PhoneCheck(False, None, "", MSG_PHONE_EMPTY)
    raw = unicodedata.normalize("NFKC", str(text)).strip().upper()
    if not raw:
        return PhoneCheck(False, None, "", MSG_PHONE_EMPTY)

    ext = ""
    m = _EXT_WORD.search(raw)
    if m:
        ext, raw = m.group(1), raw[: m.start()].strip()
    else:
        m = _EXT_DASH.match(raw)
        if m:
            raw, ext = m.group(1), m.group(2)

    international = raw.startswith("+") or raw.startswith("0086")
    digits = re.sub(r"[\s\-()‐‑–—.]", "", raw)
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits or not (digits.isascii() and digits.isdigit()):
        return PhoneCheck(False, None, digits, MSG_PHONE_CHARS)

    if international:
        if digits.startswith("0086"):
            digits = digits[4:]
        elif digits.startswith("86"):
            digits = digits[2:]
        else:
            return PhoneCheck(False, None, digits, MSG_PHONE_BAD)
        is_mobile = len(digits) == 11 and digits.startswith("1")
        if not is_mobile and not digits.startswith("0"):
            digits = "0" + digits  # +86 10 1234 5678 drops the trunk 0
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]

    if digits.startswith("1"):
        if ext:
            return PhoneCheck(False, None, digits, MSG_PHONE_BAD)
        if len(digits) != 11:
            return PhoneCheck(False, None, digits, MSG_PHONE_MOBILE_LENGTH)
        if digits[1] not in "3456789":
            return PhoneCheck(False, None, digits, MSG_PHONE_MOBILE_PREFIX)
        return PhoneCheck(True, "mobile", digits, "")

    suffix = f"-{ext}" if ext else ""

    if len(digits) == 10 and digits[:3] in ("400", "800"):
        normalized = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        return PhoneCheck(True, "landline", normalized + suffix, "")

    if digits.startswith("0"):
        # 010 and 020-029 are the only three-digit area codes; all of them
        # have eight-digit subscriber numbers.  Other areas use four digits
        # and seven- or eight-digit numbers.
        if digits.startswith("010") or digits.startswith("02"):
            area, local = digits[:3], digits[3:]
            fits = len(local) == 8
        else:
            area, local = digits[:4], digits[4:]
            fits = len(local) in (7, 8) and area[1] != "0"
        if fits and local[0] not in "01":
            return PhoneCheck(True, "landline", f"{area}-{local}{suffix}", "")
        return PhoneCheck(False, None, digits, MSG_PHONE_BAD)

    if len(digits) in (7, 8) and digits[0] not in "01":
        # A local number without area code: accepted, the area is the hall's.
        return PhoneCheck(True, "landline", digits + suffix, "")

    return PhoneCheck(False, None, digits, MSG_PHONE_BAD)
