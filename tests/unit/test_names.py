"""One input rule for person names."""
from __future__ import annotations

import pytest

from hall.domain.names import PERSON_NAME_MAX, check_person_name, clean_pasted_name
from hall.domain.search import pinyin_full, pinyin_initials


@pytest.mark.parametrize("text, value", [
    ("张三明", "张三明"), ("  王  建国 ", "王 建国"), ("𠮷野家", "𠮷野家"), ("阿沛•阿旺晋美", "阿沛·阿旺晋美"),
    ("John O'Neil-Smith", "John O'Neil-Smith"), ("访客0", "访客0"), ("买买提・艾力", "买买提·艾力"), ("李\t四", "李 四"),
])
def test_names_people_have_are_accepted_and_cleaned(text, value):
    chk = check_person_name(text)
    assert chk.ok and chk.value == value


@pytest.mark.parametrize("text, fragment", [
    ("张\x00三", "控制字符"), ("张三\u202e", "文字方向"), ("张\u200b三", "零宽"), ("张三😀", "表情"),
    ("张三#", "符号"), ("☆☆", "符号"), ("张" * 65, "最多 64 个字"), ("张" * 1_000_000, "太长"),
    ("\ue000张", "无法识别"), ("·-·", "至少要有一个"),
])
def test_what_cannot_be_a_name_is_refused_in_chinese(text, fragment):
    chk = check_person_name(text)
    assert not chk.ok and fragment in chk.message


def test_a_character_beyond_the_bmp_counts_as_one():
    assert check_person_name("𠮷" * PERSON_NAME_MAX).ok
    assert not check_person_name("𠮷" * (PERSON_NAME_MAX + 1)).ok


def test_a_paste_is_cleaned_cut_and_says_so():
    chk = clean_pasted_name("张三\u202e明" + "长" * 5000)
    assert chk.value == ("张三明" + "长" * 5000)[:PERSON_NAME_MAX] and chk.cut and chk.removed == 1
    assert "已去掉 1 个" in chk.message and "已截断" in chk.message
    assert clean_pasted_name("李四").message == ""


def test_derived_keys_are_cut_to_their_columns_on_purpose():
    from hall.domain.names import INITIALS_KEY_MAX, PINYIN_KEY_MAX, pinyin_limit, stored_keys
    from hall.store.models import Visitor

    longest = "庄" * PERSON_NAME_MAX   # zhuang: 6 letters a character
    assert len(pinyin_full(longest)) == pinyin_limit(PERSON_NAME_MAX) > PINYIN_KEY_MAX
    initials, pinyin = stored_keys(pinyin_initials(longest), pinyin_full(longest))
    assert (len(initials), len(pinyin)) == (INITIALS_KEY_MAX, PINYIN_KEY_MAX)
    assert pinyin.startswith("zhuangzhuang") and initials.startswith("zz")
    assert Visitor.__table__.c.name_initials.type.length == INITIALS_KEY_MAX
    assert Visitor.__table__.c.name_pinyin.type.length == PINYIN_KEY_MAX
