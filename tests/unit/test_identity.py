"""Resident IDs (GB 11643-1999), credit codes (GB 32100-2015), phone numbers."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hall.domain.identity import (
    CREDIT_CODE_ALPHABET,
    EARLIEST_BIRTH_YEAR,
    check_credit_code,
    check_phone,
    check_resident_id,
    credit_code_check_char,
    partial_resident_id_feedback,
    resident_id_check_char,
)

TODAY = dt.date(2026, 11, 23)

# --------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------

digit = st.sampled_from("0123456789")


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from("123456789")) + "".join(draw(st.lists(digit, min_size=5, max_size=5)))
    birth = draw(st.dates(min_value=dt.date(EARLIEST_BIRTH_YEAR, 1, 1), max_value=TODAY))
    seq = "".join(draw(st.lists(digit, min_size=3, max_size=3)))
    first17 = area + birth.strftime("%Y%m%d") + seq
    return first17 + resident_id_check_char(first17)


@st.composite
def valid_credit_codes(draw: st.DrawFn) -> str:
    first17 = "".join(draw(st.lists(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=17, max_size=17)))
    return first17 + credit_code_check_char(first17)


# --------------------------------------------------------------------------
# Resident ID: examples
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "birth", "sex", "area"),
    [
        # The two examples in DOMAIN.md (the second is GB 11643's own example).
        ("11010519491231002X", dt.date(1949, 12, 31), "女", "110105"),
        ("440524188001010014", dt.date(1880, 1, 1), "男", "440524"),
    ],
)
def test_domain_examples_are_valid(number, birth, sex, area):
    result = check_resident_id(number, today=TODAY)
    assert result.ok, result.message
    assert result.message == ""
    assert result.normalized == number
    assert result.birth_date == birth
    assert result.sex == sex
    assert result.area_code == area


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("  11010519491231002X\t", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("110105-19491231-002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width IME input
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
    ],
)
def test_normalisation(typed, normalized):
    result = check_resident_id(typed, today=TODAY)
    assert result.ok, result.message
    assert result.normalized == normalized


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "请输入身份证号"),
        ("   ", "请输入身份证号"),
        (None, "请输入身份证号"),
        ("11010519491231002", "身份证号应为18位"),
        ("11010519491231002X1", "身份证号应为18位"),
        ("110105491231002", "15位旧身份证号已停用，请使用18位身份证号"),
        ("1101051949123100XX", "身份证号只能包含数字，最后一位可以是X"),
        ("11010519491231002Y", "身份证号只能包含数字，最后一位可以是X"),
        ("11010519A91231002X", "身份证号只能包含数字，最后一位可以是X"),
        ("010105194912310021", "身份证号前6位地区码不正确"),
        ("110105194912310021", "身份证号校验位不正确，应为X"),
        ("440524188001010015", "身份证号校验位不正确，应为4"),
        ("110105194902300021", "出生日期不是有效日期"),  # 30 February
        ("110105194913010021", "出生日期不是有效日期"),  # month 13
        ("110105194900010021", "出生日期不是有效日期"),  # month 0
        ("110105194912000021", "出生日期不是有效日期"),  # day 0
        ("110105190002290021", "出生日期不是有效日期"),  # 1900 was no leap year
        ("110105203001010021", "出生日期晚于今天"),
        ("110105184912310021", "出生日期早于1850年"),
    ],
)
def test_invalid_numbers(number, message):
    result = check_resident_id(number, today=TODAY)
    assert not result.ok
    assert result.message == message
    assert result.birth_date is None and result.sex is None and result.area_code == ""


def _with_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def test_leap_day_is_a_real_date():
    assert check_resident_id(_with_check("11010520000229001"), today=TODAY).ok
    assert check_resident_id(_with_check("11010519960229001"), today=TODAY).ok


def test_birth_date_bounds():
    today_id = _with_check("110105" + TODAY.strftime("%Y%m%d") + "001")
    assert check_resident_id(today_id, today=TODAY).ok
    tomorrow = TODAY + dt.timedelta(days=1)
    tomorrow_id = _with_check("110105" + tomorrow.strftime("%Y%m%d") + "001")
    assert check_resident_id(tomorrow_id, today=TODAY).message == "出生日期晚于今天"
    assert check_resident_id(tomorrow_id, today=tomorrow).ok
    assert check_resident_id(_with_check("11010518500101001"), today=TODAY).ok
    assert not check_resident_id(_with_check("11010518491231001"), today=TODAY).ok


def test_default_today_is_used_when_not_given():
    assert check_resident_id("11010519491231002X").ok
    assert check_resident_id(_with_check("11010529991231001")).message == "出生日期晚于今天"


def test_check_char_helper():
    # A weighted sum ≡ 2 (mod 11) gives the check character X.
    assert resident_id_check_char("11010519491231002") == "X"
    with pytest.raises(ValueError):
        resident_id_check_char("1234")


# --------------------------------------------------------------------------
# Resident ID: properties
# --------------------------------------------------------------------------


@given(valid_ids())
def test_generated_ids_pass(number):
    result = check_resident_id(number, today=TODAY)
    assert result.ok, (number, result.message)
    assert result.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert result.sex == ("男" if int(number[16]) % 2 else "女")
    assert result.area_code == number[:6]


@given(valid_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_changing_any_one_character_fails(number, position, replacement):
    assume(number[position] != replacement)
    assume(position == 17 or replacement != "X")
    mutated = number[:position] + replacement + number[position + 1 :]
    assert not check_resident_id(mutated, today=TODAY).ok
    # And specifically the checksum catches it, whatever else is wrong.
    assert resident_id_check_char(mutated[:17]) != mutated[17]


@given(valid_ids(), st.integers(0, 15))
def test_swapping_adjacent_digits_fails(number, position):
    a, b = number[position], number[position + 1]
    assume(a != b)
    swapped = number[:position] + b + a + number[position + 2 :]
    assert resident_id_check_char(swapped[:17]) != swapped[17]
    assert not check_resident_id(swapped, today=TODAY).ok


@given(st.text(max_size=40))
def test_never_raises(text):
    result = check_resident_id(text, today=TODAY)
    assert result.ok == (result.message == "")
    partial_resident_id_feedback(text, today=TODAY)


# --------------------------------------------------------------------------
# As-you-type feedback
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "feedback"),
    [
        ("", None),
        ("1", None),
        ("11010", None),
        ("110105", None),
        ("1101051", None),
        ("11010519", None),
        ("1101052", None),
        ("110105194", None),
        ("1101051949", None),
        ("11010519491", None),
        ("110105194912", None),
        ("1101051949123", None),
        ("11010519491231", None),
        ("11010519491231002", None),
        ("11010519491231002X", None),
        ("11010519491231002x", None),
        ("1101a", "身份证号只能包含数字，最后一位可以是X"),
        ("1101X", "身份证号只能包含数字，最后一位可以是X"),
        ("0", "身份证号前6位地区码不正确"),
        ("1101053", "出生年份不正确"),
        ("1101050", "出生年份不正确"),
        ("11010517", "出生日期早于1850年"),
        ("110105184", "出生日期早于1850年"),
        ("11010521", "出生日期晚于今天"),
        ("110105203", "出生日期晚于今天"),
        ("11010519492", "出生月份不正确"),
        ("110105194913", "出生月份不正确"),
        ("110105194900", "出生月份不正确"),
        ("1101051949023", "出生日期不是有效日期"),
        ("11010519490230", "出生日期不是有效日期"),
        ("11010519491232", "出生日期不是有效日期"),
        ("11010519491200", "出生日期不是有效日期"),
        ("110105202612", "出生日期晚于今天"),  # December 2026, TODAY is 23 November
        ("1101052026112", None),  # 20-23 November still possible
        ("11010520261124", "出生日期晚于今天"),
        ("110105194912310021", "身份证号校验位不正确，应为X"),
        ("11010519491231002X1", "身份证号应为18位"),
    ],
)
def test_partial_feedback(typed, feedback):
    assert partial_resident_id_feedback(typed, today=TODAY) == feedback


@given(valid_ids())
def test_every_prefix_of_a_valid_id_is_accepted(number):
    for end in range(len(number) + 1):
        assert partial_resident_id_feedback(number[:end], today=TODAY) is None, number[:end]


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=17),
    st.text(alphabet="0123456789", min_size=17, max_size=17),
)
def test_rejected_prefix_has_no_valid_completion(prefix, filler):
    """When the feedback says no, no completion of the prefix is a valid ID."""
    feedback = partial_resident_id_feedback(prefix, today=TODAY)
    first17 = (prefix + filler)[:17]
    completed = first17 + resident_id_check_char(first17)
    if feedback is not None:
        assert not check_resident_id(completed, today=TODAY).ok


_ALL_BIRTH_DATES = [
    (dt.date(EARLIEST_BIRTH_YEAR, 1, 1) + dt.timedelta(days=n)).strftime("%Y%m%d")
    for n in range((TODAY - dt.date(EARLIEST_BIRTH_YEAR, 1, 1)).days + 1)
]


@given(st.text(alphabet="0123456789", min_size=1, max_size=17))
def test_accepted_prefix_has_a_valid_completion(prefix):
    """When the feedback says yes, some completion really is valid."""
    assume(partial_resident_id_feedback(prefix, today=TODAY) is None)
    date_part = prefix[6:14]
    ymd = next(d for d in _ALL_BIRTH_DATES if d.startswith(date_part))
    first17 = (prefix[:6] + "00000")[:6] + ymd + (prefix[14:] + "000")[:3]
    assert first17.startswith(prefix)
    assert check_resident_id(first17 + resident_id_check_char(first17), today=TODAY).ok


# --------------------------------------------------------------------------
# Unified social credit code
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # 华为技术有限公司, as published; checksum verified
        "91440300708461136T",  # 腾讯科技（深圳）有限公司, as published; checksum verified
        "91110000100006485K",  # check character recomputed outside the module
        "91440300708461136t",  # lower case is accepted and upper-cased
        " 9144 0300 7084 6113 6T ",
    ],
)
def test_valid_credit_codes(code):
    result = check_credit_code(code)
    assert result.ok, result.warning
    assert result.warning == ""
    assert result.normalized == "".join(code.split()).upper()


@pytest.mark.parametrize(
    ("code", "warning_part"),
    [
        ("", "请输入统一社会信用代码"),
        (None, "请输入统一社会信用代码"),
        ("9144030070846113", "应为18位"),
        ("91440300708461136TT", "应为18位"),
        ("91440300708461136I", "无效字符：I"),
        ("9I44O3007084611S6T", "无效字符：I、O、S"),
        ("91440300708461136A", "校验位不正确，应为T"),
        ("914403001922038210", "校验位不正确，应为6"),
    ],
)
def test_invalid_credit_codes_warn(code, warning_part):
    result = check_credit_code(code)
    assert not result.ok
    assert warning_part in result.warning


def test_check_char_31_maps_to_zero():
    # Find a body whose sum is a multiple of 31: its check character is "0".
    body = "9144030070846113"
    for c in CREDIT_CODE_ALPHABET:
        if credit_code_check_char(body + c) == "0":
            assert check_credit_code(body + c + "0").ok
            return
    pytest.fail("no body with check character 0 found")


@given(valid_credit_codes())
def test_generated_credit_codes_pass(code):
    assert check_credit_code(code).ok


@given(valid_credit_codes(), st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_changing_one_credit_code_character_fails(code, position, replacement):
    assume(code[position] != replacement)
    mutated = code[:position] + replacement + code[position + 1 :]
    result = check_credit_code(mutated)
    assert not result.ok
    assert result.warning


@given(st.text(max_size=30))
def test_credit_code_never_raises(text):
    result = check_credit_code(text)
    assert result.ok == (result.warning == "")


# --------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "normalized"),
    [
        ("13812345678", "mobile", "13812345678"),
        ("19912345678", "mobile", "19912345678"),
        ("16612345678", "mobile", "16612345678"),
        ("138 1234 5678", "mobile", "13812345678"),
        ("138-1234-5678", "mobile", "13812345678"),
        ("+86 138 1234 5678", "mobile", "13812345678"),
        ("+8613812345678", "mobile", "13812345678"),
        ("8613812345678", "mobile", "13812345678"),
        ("0086 13812345678", "mobile", "13812345678"),
        ("１３８１２３４５６７８", "mobile", "13812345678"),
        ("010-62345678", "landline", "010-62345678"),
        ("01062345678", "landline", "010-62345678"),
        ("(010) 6234 5678", "landline", "010-62345678"),
        ("021-52345678", "landline", "021-52345678"),
        ("0755-82345678", "landline", "0755-82345678"),
        ("0571-8234567", "landline", "0571-8234567"),
        ("+86 10 6234 5678", "landline", "010-62345678"),
        ("+86 755 8234 5678", "landline", "0755-82345678"),
        ("0755-82345678-123", "landline", "0755-82345678-123"),
        ("010-62345678转8001", "landline", "010-62345678-8001"),
        ("010-62345678 分机 8001", "landline", "010-62345678-8001"),
        ("010-62345678 ext. 12", "landline", "010-62345678-12"),
        ("62345678", "landline", "62345678"),
        ("8234567", "landline", "8234567"),
        ("400-123-4567", "landline", "400-123-4567"),
        ("4001234567", "landline", "400-123-4567"),
        ("800 123 4567", "landline", "800-123-4567"),
    ],
)
def test_valid_phones(typed, kind, normalized):
    result = check_phone(typed)
    assert result.ok, result.message
    assert result.kind == kind
    assert result.normalized == normalized
    assert result.message == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请输入电话号码"),
        (None, "请输入电话号码"),
        ("   ", "请输入电话号码"),
        ("1381234567", "手机号码应为11位"),
        ("138123456789", "手机号码应为11位"),
        ("12812345678", "手机号码应以13至19开头"),
        ("10012345678", "手机号码应以13至19开头"),
        ("138abc45678", "电话号码只能包含数字"),
        ("电话", "电话号码只能包含数字"),
        ("010-1234567", "电话号码格式不正确"),  # Beijing numbers have 8 digits
        ("0755-123456", "电话号码格式不正确"),
        ("0755-02345678", "电话号码格式不正确"),
        ("123456", "手机号码应为11位"),
        ("023456", "电话号码格式不正确"),
        ("+1 415 555 0100", "电话号码格式不正确"),
        ("13812345678转12", "电话号码格式不正确"),
    ],
)
def test_invalid_phones(typed, message):
    result = check_phone(typed)
    assert not result.ok
    assert result.kind is None
    assert result.message == message


@given(st.text(max_size=30))
def test_phone_never_raises(text):
    result = check_phone(text)
    assert result.ok == (result.kind is not None)


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_generated_mobiles_pass(second, rest):
    number = "1" + second + rest
    assert check_phone(number) == check_phone(f"+86 {number[:3]} {number[3:7]} {number[7:]}")
    assert check_phone(number).kind == "mobile"
