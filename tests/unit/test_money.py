"""hall.domain.money: reading amounts, figures and Chinese capitals, the one
module every service and document uses."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.domain import money


# ---------------------------------------------------------------- reading
@pytest.mark.parametrize("raw, value", [
    (12000, "12000.00"), ("1,200.50", "1200.50"), ("３０００元", "3000.00"), ("人民币500", "500.00"),
    (Decimal("0.1"), "0.10"), ("¥8.5", "8.50"), ("￥8.5", "8.50"), ("1，000", "1000.00"), (" 12 000 ", "12000.00"),
    (0.3, "0.30"), ("999,999,999,999.99", "999999999999.99"),
])
def test_amounts_as_typed(raw, value):
    assert str(money.parse_amount(raw)) == value


@pytest.mark.parametrize("bad, fragment", [
    ("-1", "负数"), ("12.345", "两位小数"), ("1.005", "两位小数"), ("abc", "不是有效"), ("三千", "不是有效"),
    ("nan", "不是有效"), ("inf", "不是有效"), (True, "不是有效"), (None, "不是有效"), ("", "不是有效"),
    ("1e20", "过大"), ("1e309", "过大"), (1e308, "过大"), ("1000000000000", "过大"),
])
def test_what_is_not_an_amount_is_a_chinese_refusal(bad, fragment):
    with pytest.raises(ValueError, match=fragment):
        money.parse_amount(bad)


# ---------------------------------------------------------------- writing
@pytest.mark.parametrize("amount, capitals", [
    # the boundaries of the 整 rule and of the 零 rules
    ("0", "人民币零元整"),
    ("0.05", "人民币伍分"),                    # never 整 after 分
    ("0.5", "人民币伍角整"),                   # 整 after 角: allowed by the rules, always written here
    ("0.55", "人民币伍角伍分"),
    ("10", "人民币壹拾元整"),
    ("10.5", "人民币壹拾元伍角整"),
    ("10.25", "人民币壹拾元贰角伍分"),
    ("1000.05", "人民币壹仟元零伍分"),          # 零 between 元 and 分 without 角
    ("1010", "人民币壹仟零壹拾元整"),
    ("10010", "人民币壹万零壹拾元整"),
    ("105000", "人民币壹拾万伍仟元整"),
    ("3500.50", "人民币叁仟伍佰元伍角整"),
    ("1000000.01", "人民币壹佰万元零壹分"),
    ("100000000.01", "人民币壹亿元零壹分"),
    ("100000001", "人民币壹亿零壹元整"),
    ("999999999999.99", "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_capitals_follow_the_cheque_writing_rules(amount, capitals):
    assert money.capitals(Decimal(amount)) == capitals
    assert money.capitals(amount) == capitals


def _reference_capitals(amount: Decimal) -> str:
    """An independent writing of the rules, digit by digit (the check for cn2an)."""
    digits, small, groups = "零壹贰叁肆伍陆柒捌玖", ("", "拾", "佰", "仟"), ("", "万", "亿")
    cents = int(amount * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "人民币零元整"
    text = ""
    if yuan:
        parts, rest = [], yuan
        while rest:
            parts.append(rest % 10000)
            rest //= 10000
        pending_zero = False
        for index in range(len(parts) - 1, -1, -1):
            group = parts[index]
            if group == 0:
                pending_zero = bool(text)
                continue
            if text and (pending_zero or group < 1000):
                text += "零"
            out, gap = "", False
            for pos in range(3, -1, -1):
                d = group // 10 ** pos % 10
                if d:
                    if gap and out:
                        out += "零"
                    gap = False
                    out += digits[d] + small[pos]
                else:
                    gap = True
            text += out + groups[index]
            pending_zero = False
        text += "元"
    if jiao:
        text += digits[jiao] + "角"
    elif fen and yuan:
        text += "零"
    text += digits[fen] + "分" if fen else "整"
    return "人民币" + text


@given(st.decimals(min_value=0, max_value=money.MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False))
def test_capitals_agree_with_an_independent_reckoning(amount):
    assert money.capitals(amount) == _reference_capitals(amount)


def test_figures():
    assert money.figures(Decimal("12000")) == "12,000.00"
    assert money.figures_yuan("1234567.8") == "1,234,567.80元"
    assert money.figures_and_capitals(Decimal("12000")) == "12,000.00元（大写：人民币壹万贰仟元整）"


def test_every_document_area_writes_the_same_capitals():
    """Mediation agreements, awards and the renderers all go through this module
    (an award used to print 人民币叁仟伍佰元伍角 where an agreement printed …伍角整)."""
    from hall.services import arbitration

    amount = arbitration._money("3500.50")
    assert (amount.figures, amount.words) == ("3,500.50", "人民币叁仟伍佰元伍角整")


# ---------------------------------------------------------------- numerals
def test_numerals_are_written_by_one_module():
    from hall.domain import numerals
    from reports.docmodel import cn_date_upper, cn_numeral

    assert [numerals.cardinal(n) for n in (1, 10, 12, 23, 100, 105, 110)] == [
        "一", "十", "十二", "二十三", "一百", "一百零五", "一百一十"]
    assert numerals.digits("L007") == "L零零七"
    assert numerals.digits("2026", date_style=True) == "二〇二六"
    import datetime as dt

    assert cn_date_upper(dt.date(2026, 10, 1)) == "二〇二六年十月一日"
    assert cn_numeral(100) == "一百"  # the 100th agreement term once came out as 十十
