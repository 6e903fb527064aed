"""Money: the one place the hall reads an amount and writes it in figures and
in Chinese capitals.

Every service and every document uses these functions, so a mediation
agreement, an award and the monthly report write the same amount the same way.

The capitals follow 《正确填写票据和结算凭证的基本规定》 (the cheque-writing
rules annexed to 《支付结算办法》): ``人民币`` before the capitals, a 零 for a
gap in the digits (壹万零壹拾元整) and between 元 and 分 when there are no 角
(壹佰元零伍分). After 元 the rules require 整; after 角 they allow it; after
分 they forbid it. The hall always writes it after 元 and 角
(``3500.50`` → ``人民币叁仟伍佰元伍角整``) and never after 分. ``cn2an``
writes the digits.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["MAX_AMOUNT", "CENT", "parse_amount", "as_money", "figures", "figures_yuan", "capitals",
           "figures_and_capitals"]

CENT = Decimal("0.01")
#: Amounts are stored as NUMERIC(14, 2): at most 999,999,999,999.99 yuan.
MAX_AMOUNT = Decimal("999999999999.99")

_NOISE = re.compile(r"[,，\s]")


def parse_amount(value: Any) -> Decimal:
    """An amount in yuan from what a user typed or a file held:
    ``12000``, ``"1,200.50"``, ``"３０００元"``, ``"人民币500"``, ``"¥8.5"``.

    Returns a Decimal with two places. Raises ``ValueError`` with a Chinese
    message for anything that is not an amount the hall can store: not a
    number, negative, more than two decimals (分), or too large.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"金额“{'' if value is None else value}”不是有效的数字")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = _NOISE.sub("", unicodedata.normalize("NFKC", str(value)))
        text = text.removeprefix("人民币").removeprefix("¥").removeprefix("￥").removesuffix("元")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"金额“{value}”不是有效的数字") from None
    if not amount.is_finite():
        raise ValueError(f"金额“{value}”不是有效的数字")
    if amount < 0:
        raise ValueError("金额不能为负数")
    if amount > MAX_AMOUNT:  # before quantize: 1e309 cannot be quantized
        raise ValueError("金额过大")
    if amount != amount.quantize(CENT):
        raise ValueError(f"金额“{value}”最多精确到分（两位小数）")
    return amount.quantize(CENT)


def as_money(amount: Decimal | int | str) -> Decimal:
    """An amount already held by the program (Decimal, int or its text) with
    two places; the same refusals as :func:`parse_amount`."""
    return parse_amount(amount)


def figures(amount: Decimal | int | str) -> str:
    """``12,000.00`` (thousands separated, two places)."""
    return f"{as_money(amount):,.2f}"


def figures_yuan(amount: Decimal | int | str) -> str:
    """``12,000.00元``."""
    return figures(amount) + "元"


def capitals(amount: Decimal | int | str) -> str:
    """``人民币壹万贰仟元整``; ``人民币叁仟伍佰元伍角整``; ``人民币壹佰元零伍分``."""
    import cn2an

    words: str = cn2an.an2cn(format(as_money(amount), "f"), "rmb")
    if words.endswith("角"):
        words += "整"
    return "人民币" + words


def figures_and_capitals(amount: Decimal | int | str, written: str | None = None) -> str:
    """``12,000.00元（大写：人民币壹万贰仟元整）``; ``written`` is capitals the
    user wrote by hand (checked elsewhere to say the same amount)."""
    return f"{figures_yuan(amount)}（大写：{written or capitals(amount)}）"
