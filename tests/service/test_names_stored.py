"""Names at their limits are stored and found on both backends; what cannot be
a name is refused with a Chinese message, never a database error."""
from __future__ import annotations

import pytest

from hall.domain.cases import PartyInput
from hall.domain.names import PARTY_NAME_MAX, PERSON_NAME_MAX
from hall.services import InvalidInput, appointments, cases, queue, users, visitors


def test_a_64_character_name_is_issued_and_found_on_both_backends(hall, front_desk):
    name = "庄" + "爽" * (PERSON_NAME_MAX - 1)     # 6 pinyin letters per character
    t = queue.issue_ticket(hall, front_desk, "labour", name=name)
    assert t.visitor_name == name
    found = visitors.lookup(hall, front_desk, "zs")
    assert any(v.id == t.visitor_id for v in found)
    t2 = queue.issue_ticket(hall, front_desk, "labour", name="𠮷" * PERSON_NAME_MAX)
    assert t2.visitor_name == "𠮷" * PERSON_NAME_MAX


@pytest.mark.parametrize("bad, fragment", [
    ("张\x00三", "控制字符"), ("张三\u202e", "文字方向"), ("张" * 1_000_000, "太长"), ("张" * 65, "最多 64 个字"),
])
def test_names_that_cannot_be_names_are_refused_everywhere(hall, front_desk, window_staff, admin, bad, fragment,
                                                           clock):
    with pytest.raises(InvalidInput, match=fragment):
        queue.issue_ticket(hall, front_desk, "labour", name=bad)
    with pytest.raises(InvalidInput, match=fragment):
        users.create_user(hall, admin, "newbie", bad, "window", "a-long-password-1")
    if not PERSON_NAME_MAX < len(bad) <= PARTY_NAME_MAX:  # a party may have up to 100 characters
        with pytest.raises(InvalidInput, match=fragment):
            cases.register_case(hall, window_staff, category="neighbourhood", parties=[PartyInput(bad)])
    with pytest.raises(InvalidInput):
        appointments.book(hall, front_desk, "labour", clock.now(), bad, "13812345678")


def test_a_long_organisation_name_fits_on_both_backends(hall, window_staff):
    org = "东湖区" + "庄" * (PARTY_NAME_MAX - 9) + "建筑工程公司"
    c = cases.register_case(hall, window_staff, category="neighbourhood",
                            parties=[PartyInput("张三"), PartyInput(org, side="respondent", kind="organisation",
                                                                   legal_rep="王五")])
    assert c.parties[1].name == org
