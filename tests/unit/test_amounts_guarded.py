"""Amounts too large for the amount columns are refused with a Chinese message
(``1e309`` used to escape as an internal error)."""
from __future__ import annotations

import pytest

from hall.domain import arbitration, cases


@pytest.mark.parametrize("parse", [cases.parse_amount, arbitration.parse_amount])
@pytest.mark.parametrize("value", ["1e309", 1e308, "1e20", "1000000000000"])
def test_a_huge_amount_is_a_clear_refusal(parse, value):
    with pytest.raises(ValueError, match="金额过大"):
        parse(value)


@pytest.mark.parametrize("parse", [cases.parse_amount, arbitration.parse_amount])
def test_the_largest_storable_amount_is_accepted(parse):
    assert str(parse("999,999,999,999.99")) == "999999999999.99"
