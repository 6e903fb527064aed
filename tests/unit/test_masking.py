"""Masking for public surfaces (《个人信息保护法》 Art. 25) and log redaction."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.domain.identity import check_resident_id, resident_id_check_char
from hall.domain.masking import (
    COMPOUND_SURNAMES,
    mask_id_number,
    mask_name,
    mask_phone,
    redact_sensitive,
    split_surname,
)

TODAY = dt.date(2026, 11, 23)

# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        # DOMAIN.md: the call board and tickets show 张*明 / 李*.
        ("张三明", "张*明"),
        ("李四", "李*"),
        ("张明", "张*"),
        ("欧阳华", "欧阳*"),
        ("欧阳明华", "欧阳*华"),
        ("欧阳明小华", "欧阳**华"),
        ("司马光", "司马*"),
        ("诸葛孔明", "诸葛*明"),
        ("上官婉儿", "上官*儿"),
        ("尉迟恭", "尉迟*"),
        ("张王小明", "张**明"),
        ("王", "*"),
        ("𠮷", "*"),
        ("𠮷野", "𠮷*"),
        ("𠮷野家", "𠮷*家"),
        ("张𠮷", "张*"),
        ("张𠮷明", "张*明"),
        ("东方", "东*"),  # two characters: surname 东, never a bare compound surname
        (" 张 三 明 ", "张*明"),
        ("买买提·艾力", "买**·*力"),
        ("阿卜杜拉·买买提", "阿***·**提"),
        ("John Smith", "J*** S****"),
        ("Jean-Paul Sartre", "J***-P*** S*****"),
        ("Li", "L*"),
        ("A B", "* *"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_variation_selector_stays_with_its_character():
    # 葛 followed by an ideographic variation selector is one character.
    name = "张葛\U000e0100明"
    assert mask_name(name) == "张*明"


def test_split_surname():
    assert split_surname("欧阳明华") == ("欧阳", "明华")
    assert split_surname("欧阳华") == ("欧阳", "华")
    assert split_surname("张三") == ("张", "三")
    assert split_surname("东方") == ("东", "方")
    assert split_surname("") == ("", "")
    for surname in ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                    "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "闾丘", "端木", "南宫", "西门", "独孤"):
        assert surname in COMPOUND_SURNAMES


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5) | st.characters(
    min_codepoint=0x20000, max_codepoint=0x2A6DF
)
han_names = st.text(alphabet=han, min_size=2, max_size=8)


@given(han_names)
def test_masked_name_never_shows_the_whole_name(name):
    masked = mask_name(name)
    assert name not in masked
    assert masked != name
    assert "*" in masked
    assert len(masked) == len(name)  # one star per hidden character, 𠮷 counts as one
    surname, _ = split_surname(name)
    assert masked.startswith(surname)
    # At most the surname and the last character stay readable.
    visible = [c for c in masked if c != "*"]
    assert len(visible) <= len(surname) + 1


@given(st.text(alphabet=st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=2, max_size=10))
def test_masked_latin_name_hides_all_but_the_first_letter(word):
    masked = mask_name(word.capitalize())
    assert masked[0] == word[0].upper()
    assert set(masked[1:]) == {"*"}


@given(st.text(max_size=20))
def test_mask_name_never_raises(name):
    assert isinstance(mask_name(name), str)


# --------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("010-62345678", "010-****5678"),
        ("0755-82345678", "0755-****5678"),
        ("0571-8234567", "0571-****567"),
        ("0755-82345678-123", "0755-****5678"),  # extension dropped
        ("62345678", "****5678"),
        ("8234567", "****567"),
        ("400-123-4567", "400-***-4567"),
        ("12345", "***45"),
        ("1234", "****"),
        ("not a phone", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_masked_mobile_hides_the_middle(second, rest):
    number = "1" + second + rest
    masked = mask_phone(number)
    assert masked == number[:3] + "****" + number[-4:]
    assert number not in masked


# --------------------------------------------------------------------------
# ID numbers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "kwargs", "masked"),
    [
        ("11010519491231002X", {}, "1****************X"),
        ("11010519491231002x", {}, "1****************X"),
        ("440524188001010014", {}, "4****************4"),
        ("11010519491231002X", {"visible_tail": 4}, "1*************002X"),
        ("110105491231002", {}, "1*************2"),  # 15-digit first generation
        ("E12345678", {}, "E*******8"),  # passport
        ("AB", {}, "**"),
        ("ABCD", {"visible_head": 3, "visible_tail": 3}, "A**D"),  # never more than half
        ("", {}, ""),
        (None, {}, ""),
    ],
)
def test_mask_id_number(number, kwargs, masked):
    assert mask_id_number(number, **kwargs) == masked


# --------------------------------------------------------------------------
# Free-text redaction
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("身份证 11010519491231002X 已核验", "身份证 1****************X 已核验"),
        ("id=11010519491231002x;", "id=1****************X;"),
        ("110105 19491231 002X", "1****************X"),
        ("电话13812345678，", "电话138****5678，"),
        ("tel: +86 138-1234-5678", "tel: 138****5678"),
        ("8613812345678", "138****5678"),
        ("全角 １１０１０５１９４９１２３１００２Ｘ", "全角 1****************X"),
        ("全角 １３８１２３４５６７８", "全角 138****5678"),
        ("card 6222021234567890123 ok", "card ***************0123 ok"),
        ("old 110105491231002", "old 1*************2"),
        # Left alone: too short, or part of a longer run of digits.
        ("case 2026-0001 window 12", "case 2026-0001 window 12"),
        ("ts=1732345678901", "ts=1732345678901"),
        ("21381234567890", "21381234567890"),
        ("", ""),
    ],
)
def test_redact_sensitive(text, redacted):
    assert redact_sensitive(text) == redacted


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
    area = draw(st.sampled_from("123456789")) + "".join(draw(digits) for _ in range(5))
    birth = draw(st.dates(min_value=dt.date(1850, 1, 1), max_value=TODAY))
    first17 = area + birth.strftime("%Y%m%d") + "".join(draw(digits) for _ in range(3))
    return first17 + resident_id_check_char(first17)


mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
noise = st.text(alphabet="0123456789Xx -:，abc张", max_size=25)


@given(st.lists(st.one_of(valid_ids(), mobiles, noise), min_size=1, max_size=6))
def test_redacted_text_holds_no_valid_id(pieces):
    text = "".join(pieces)
    out = redact_sensitive(text)
    for start in range(len(out) - 17):
        window = out[start : start + 18]
        assert not check_resident_id(window, today=TODAY).ok, (text, out)
    assert not re.search(r"\d{17}", out)


@given(valid_ids(), noise, noise)
def test_every_embedded_id_is_masked(number, before, after):
    out = redact_sensitive(before + " " + number + " " + after)
    assert number not in out
    assert number.lower() not in out


@given(mobiles, st.text(alphabet="abc张 ，:", max_size=10), st.text(alphabet="abc张 ，:", max_size=10))
def test_every_mobile_between_words_is_masked(number, before, after):
    out = redact_sensitive(before + number + after)
    assert number not in out
    assert number[:3] + "****" + number[-4:] in out


@given(st.text(max_size=60))
def test_redact_never_raises_and_leaves_no_long_digit_run(text):
    out = redact_sensitive(text)
    assert not re.search(r"\d{15}", out)
