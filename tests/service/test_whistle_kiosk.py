"""A resident rates a closed whistle at the kiosk with the code told at closure,
on SQLite and PostgreSQL: stored as the whistle's satisfaction (channel kiosk),
once, within 30 days, never mistaken for a ticket's code; it counts in the
month's assessment."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied, whistle
from hall.services import satisfaction as sat
from hall.store.models import AuditEntry
from hall.store.whistle_models import Whistle
from tests.whistle_setup import setup_whistle


def test_whistle_codes_are_keyed_and_apart_from_ticket_codes():
    salt = bytes.fromhex("00112233445566778899aabbccddeeff")
    codes = {sat.whistle_code_for_id(i, salt) for i in range(1, 3001)}
    assert len(codes) == 3000
    for i in (1, 77, (1 << 30) - 1):
        code = sat.whistle_code_for_id(i, salt)
        assert len(code) == 7 and code[0] == "S" and set(code) <= set(sat.CODE_ALPHABET)
        assert sat.whistle_id_for_code(code, salt) == i
        assert sat.whistle_id_for_code(" " + code.lower()[:4] + "-" + code.lower()[4:], salt) == i
        assert sat.is_whistle_code(code) and not sat.is_whistle_code(code[1:])
        assert code[1:] != sat.code_for_id(i, salt)     # another key than the ticket's code
    assert sat.whistle_id_for_code("S10OABC", salt) is None and sat.whistle_id_for_code("X234567", salt) is None


@pytest.fixture
def closed(hall, admin, clock):
    who = setup_whistle(hall, admin)
    desk, water = who["desk"], who["water"]
    w = whistle.issue_whistle(hall, desk, kind="daily", departments=["water"], matter="路面渗水",
                              place="东风路1号", street="东风路街道")
    other = whistle.issue_whistle(hall, desk, kind="daily", departments=["water"], matter="井盖缺失",
                                  place="东风路2号", street="东风路街道")
    sid = w.summons[0].id
    whistle.report(hall, water, sid, "周工")
    whistle.submit_result(hall, water, sid, "已修复")
    whistle.confirm_closure(hall, desk, w.id)
    return {**who, "w": w, "open": other}


def test_the_resident_rates_at_the_kiosk_once(hall, closed, director):
    desk, w = closed["desk"], closed["w"]
    code = whistle.resident_code(hall, desk, w.id)
    assert sat.is_whistle_code(code)
    with pytest.raises(Conflict, match="办结后才有"):
        whistle.resident_code(hall, desk, closed["open"].id)
    with pytest.raises(PermissionDenied):
        whistle.resident_code(hall, closed["water"], w.id)     # a department never sees the code
    got = whistle.rate_by_resident_code(hall, code.lower(), 4, ["efficient", "clear"], " 处理及时 ")
    assert (got.whistle_number, got.rating, got.rating_label, got.channel) == (w.number, 4, "满意", "kiosk")
    assert set(got.to_json()) == {"whistle_number", "rating", "rating_label", "channel", "rated_at"}
    with hall.read() as s:
        row = s.get(Whistle, w.id)
        assert (row.satisfaction, row.satisfaction_channel, row.satisfaction_note) == (4, "kiosk",
                                                                                      "办事高效、解释清楚；处理及时")
        audit = s.execute(select(AuditEntry).where(AuditEntry.action == "whistle.satisfaction")).scalars().one()
        assert audit.user_id is None and audit.details["channel"] == "kiosk"
    assert whistle.whistle_detail(hall, desk, w.id).satisfaction_channel == "kiosk"
    with pytest.raises(Conflict, match="只能评价一次"):
        whistle.rate_by_resident_code(hall, code, 1)
    a = whistle.monthly_assessment(hall, director, 2026, 11)
    assert a.streets[0].figures["satisfied"] == 1 and a.streets[0].records["satisfied"] == [w.number]
    assert a.departments[0].figures["rated"] == 1


def test_bad_and_stale_codes_are_refused_with_a_message(hall, closed, clock):
    desk, w = closed["desk"], closed["w"]
    for bad in ("", "S12", "S10OABC", "ABCDEFG"):
        with pytest.raises(InvalidInput, match="S 开头的 7 位"):
            whistle.rate_by_resident_code(hall, bad, 5)
    for rating in (0, 6, True):
        with pytest.raises(InvalidInput, match="1 到 5"):
            whistle.rate_by_resident_code(hall, whistle.resident_code(hall, desk, w.id), rating)
    salt = sat.whistle_salt(hall)
    with pytest.raises(NotFound, match="评价码无效"):
        whistle.rate_by_resident_code(hall, sat.whistle_code_for_id(999_999, salt), 5)
    with pytest.raises(Conflict, match="尚未办结"):
        whistle.rate_by_resident_code(hall, sat.whistle_code_for_id(closed["open"].id, salt), 5)
    # a ticket's code (6 characters) is not a whistle's, and the other way round
    with pytest.raises(InvalidInput, match="6 位"):
        sat.rate_by_code(hall, whistle.resident_code(hall, desk, w.id), 5)
    code = whistle.resident_code(hall, desk, w.id)
    clock.advance(days=31)
    with pytest.raises(Conflict, match="已过期"):
        whistle.rate_by_resident_code(hall, code, 5)
    with hall.read() as s:
        assert s.get(Whistle, w.id).satisfaction is None


def test_a_follow_up_rating_is_not_replaced_by_the_kiosk(hall, closed):
    desk, w = closed["desk"], closed["w"]
    whistle.record_satisfaction(hall, desk, w.id, 2, "phone", "仍有渗水")
    with pytest.raises(Conflict, match="已经评价过了"):
        whistle.rate_by_resident_code(hall, whistle.resident_code(hall, desk, w.id), 5)
    assert whistle.whistle_detail(hall, desk, w.id).satisfaction == 2
