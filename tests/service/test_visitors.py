"""Finding returning visitors at the front desk, on SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from hall.domain.clock import HALL_TZ
from hall.services import NotFound, PermissionDenied
from hall.services import queue as q
from hall.services import visitors as v
from hall.store.models import Ticket, Visitor

ZHANG_SAN_ID = "11010519491231002X"
ZHANG_SHU_ID = "440524188001010014"
ZHANG_SAN_PHONE = "13812345678"


@pytest.fixture
def regulars(hall, front_desk, window_staff, clock):
    """张三 came twice (last Friday, sent on to arbitration, and today), 张淑 and
    李四 once, 王晓明 today."""
    clock.set_local(dt.datetime(2026, 11, 20, 9, 30))
    first = q.issue_ticket(hall, front_desk, "labour", name="张三", id_number=ZHANG_SAN_ID,
                           phone=ZHANG_SAN_PHONE)
    q.open_window(hall, window_staff, "w03")
    assert q.call_next(hall, window_staff, "w03").id == first.id
    q.finish(hall, window_staff, first.id, outcome="arbitration")
    q.issue_ticket(hall, front_desk, "housing", name="张淑", id_number=ZHANG_SHU_ID)
    q.issue_ticket(hall, front_desk, "general", name="李四", phone="0571-88886666")
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))
    again = q.issue_ticket(hall, front_desk, "mediation", name="张三", id_number=ZHANG_SAN_ID)
    q.issue_ticket(hall, front_desk, "general", name="王晓明", phone="13900001111")
    return {"first": first, "again": again}


def names(hits):
    return [h.name for h in hits]


def test_an_id_number_finds_its_owner_exactly_however_it_was_typed(hall, front_desk, regulars):
    for typed in (ZHANG_SAN_ID, "110105 19491231 002x", "１１０１０５１９４９１２３１００２Ｘ"):
        hits = v.lookup(hall, front_desk, typed)
        assert names(hits) == ["张三"], typed
        assert hits[0].matched_by == "id_number"


def test_the_front_desk_sees_id_numbers_masked_and_a_window_sees_them_whole(
        hall, front_desk, window_staff, regulars):
    hit = v.lookup(hall, front_desk, ZHANG_SAN_ID)[0]
    assert ZHANG_SAN_ID not in hit.id_number and "19491231" not in hit.id_number
    assert hit.id_number == "1*************002X" and hit.id_number_masked
    assert v.lookup(hall, window_staff, ZHANG_SAN_ID)[0].id_number == ZHANG_SAN_ID


def test_the_masked_id_tail_finds_its_owner(hall, front_desk, regulars):
    """The desk sees 1*************002X: typing "002X" (or "002x", "0014") finds them."""
    for typed in ("002X", "002x", "1002X"):
        hits = v.lookup(hall, front_desk, typed)
        assert names(hits) == ["张三"], typed
    assert names(v.lookup(hall, front_desk, "0014")) == ["张淑"]   # digits only: phone or ID tail
    assert v.lookup(hall, front_desk, "9002X") == []


def test_phone_numbers_are_always_masked(hall, front_desk, window_staff, regulars):
    for actor in (front_desk, window_staff):
        hit = v.lookup(hall, actor, "138 1234 5678")[0]
        assert hit.name == "张三" and hit.phone == "138****5678"
        assert all(ZHANG_SAN_PHONE not in str(value) for value in hit.to_json().values())


def test_a_phone_number_finds_by_the_whole_number_its_start_or_its_last_four_digits(
        hall, front_desk, regulars):
    assert names(v.lookup(hall, front_desk, "+86 138-1234-5678")) == ["张三"]
    assert names(v.lookup(hall, front_desk, "5678")) == ["张三"]
    assert names(v.lookup(hall, front_desk, "1390")) == ["王晓明"]
    assert names(v.lookup(hall, front_desk, "88886666")) == ["李四"]
    assert [h.matched_by for h in v.lookup(hall, front_desk, "5678")] == ["phone"]


def test_pinyin_initials_find_every_name_they_start(hall, front_desk, regulars):
    hits = v.lookup(hall, front_desk, "zs")
    assert sorted(names(hits)) == ["张三", "张淑"]
    assert all(h.matched_by == "pinyin" for h in hits)
    assert names(v.lookup(hall, front_desk, "ZS")) == names(hits)
    assert names(v.lookup(hall, front_desk, "wx")) == ["王晓明"]
    assert v.lookup(hall, front_desk, "ls")[0].name == "李四"


def test_full_pinyin_finds_a_name(hall, front_desk, regulars):
    assert names(v.lookup(hall, front_desk, "zhangsan")) == ["张三"]
    assert names(v.lookup(hall, front_desk, "zhang shu")) == ["张淑"]
    assert sorted(names(v.lookup(hall, front_desk, "zhangs"))) == ["张三", "张淑"]


def test_a_name_is_found_whole_by_its_start_or_inside(hall, front_desk, regulars):
    assert names(v.lookup(hall, front_desk, "张三")) == ["张三"]
    assert sorted(names(v.lookup(hall, front_desk, "张"))) == ["张三", "张淑"]
    assert names(v.lookup(hall, front_desk, "晓明")) == ["王晓明"]
    assert v.lookup(hall, front_desk, "明") == []  # one character is not searched inside names


def test_exact_matches_come_first_then_the_most_recent_visitor(hall, front_desk, regulars, clock):
    q.issue_ticket(hall, front_desk, "general", name="张三丰", phone="13700000000")
    assert names(v.lookup(hall, front_desk, "张三")) == ["张三", "张三丰"]
    assert names(v.lookup(hall, front_desk, "张")) == ["张三丰", "张三", "张淑"]


def test_hits_count_visits_by_day_and_give_the_last_one(hall, front_desk, regulars):
    hit = v.lookup(hall, front_desk, ZHANG_SAN_ID)[0]
    assert (hit.visits, hit.last_visit) == (2, dt.date(2026, 11, 23))
    shu = v.lookup(hall, front_desk, "张淑")[0]
    assert (shu.visits, shu.last_visit) == (1, dt.date(2026, 11, 20))


def test_lookup_respects_the_limit_and_ignores_an_empty_query(hall, front_desk, regulars):
    assert len(v.lookup(hall, front_desk, "z", limit=1)) == 1
    assert v.lookup(hall, front_desk, "   ") == []
    assert v.lookup(hall, front_desk, "nobody") == []


def test_a_director_may_not_look_visitors_up(hall, director, regulars):
    with pytest.raises(PermissionDenied):
        v.lookup(hall, director, "zs")
    with pytest.raises(PermissionDenied):
        v.history(hall, director, regulars["first"].visitor_id)


def test_history_lists_earlier_tickets_newest_first(hall, front_desk, regulars):
    hist = v.history(hall, front_desk, regulars["first"].visitor_id)
    assert [t.number for t in hist.tickets] == ["T001", "L001"]
    assert [t.day for t in hist.tickets] == [dt.date(2026, 11, 23), dt.date(2026, 11, 20)]
    latest, earlier = hist.tickets
    assert (latest.service_name, latest.status_label, latest.outcome_label) == ("司法调解", "等候中", "")
    assert (earlier.service_name, earlier.status_label) == ("劳动仲裁", "已办结")
    assert (earlier.outcome, earlier.outcome_label, earlier.window_number) == (
        "arbitration", "引导申请劳动仲裁", 3)
    assert earlier.issued_at.astimezone(HALL_TZ).hour == 9
    assert hist.visitor.name == "张三" and hist.visitor.id_number_masked
    assert hist.cases == []


def test_history_of_an_unknown_visitor_is_refused(hall, front_desk):
    with pytest.raises(NotFound):
        v.history(hall, front_desk, 999_999)


def test_a_returning_visitor_chosen_from_the_list_keeps_one_record(hall, front_desk, regulars):
    chosen = v.lookup(hall, front_desk, "zhangsan")[0]
    before = _count(hall, Visitor)
    t = v.issue_ticket_for(hall, front_desk, chosen.id, "legal_aid", priority="elderly")
    assert t.visitor_id == chosen.id and t.number == "F001" and t.masked_name == "张*"
    assert _count(hall, Visitor) == before
    # a visitor known by name and phone only is found again by them
    li = v.lookup(hall, front_desk, "李四")[0]
    assert v.issue_ticket_for(hall, front_desk, li.id, "general").visitor_id == li.id
    # a new phone typed at the desk replaces the stored one
    v.issue_ticket_for(hall, front_desk, chosen.id, "general", phone="13600001234")
    assert names(v.lookup(hall, front_desk, "13600001234")) == ["张三"]
    assert _count(hall, Visitor) == before
    assert _count(hall, Ticket) == 8


def _count(db, model) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_chosen_returning_visitor_gets_the_ticket_in_one_transaction(hall, front_desk):
    from hall.services import InvalidInput
    from hall.services import queue as q
    from hall.services.visitors import issue_ticket_for

    first = q.issue_ticket(hall, front_desk, "labour", name="王小明", phone="13812345678")
    again = issue_ticket_for(hall, front_desk, first.visitor_id, "housing", phone="13900001111")
    assert again.visitor_id == first.visitor_id and again.visitor_name == "王小明"
    q.issue_ticket(hall, front_desk, "labour", visitor_id=first.visitor_id, id_number="440524188001010014")
    with pytest.raises(InvalidInput, match="不一致"):
        q.issue_ticket(hall, front_desk, "labour", visitor_id=first.visitor_id, id_number="11010519491231002X")
    other = q.issue_ticket(hall, front_desk, "labour", name="李四", id_number="11010519491231002X")
    fresh = q.issue_ticket(hall, front_desk, "labour", name="赵六", phone="13700000000")
    with pytest.raises(InvalidInput, match="另一来访人"):
        q.issue_ticket(hall, front_desk, "labour", visitor_id=fresh.visitor_id, id_number="11010519491231002X")
    assert other.visitor_id != fresh.visitor_id


def test_duplicate_records_of_one_person_are_merged_and_audited(hall, front_desk, window_staff, clock):
    from hall.store.models import AuditEntry

    dup = [q.issue_ticket(hall, front_desk, "general", name="张三明").visitor_id for _ in range(3)]
    with_phone = q.issue_ticket(hall, front_desk, "labour", name="张三明", phone="13812345678").visitor_id
    assert len(set(dup + [with_phone])) == 4                        # four records of one person
    result = v.merge(hall, front_desk, with_phone, dup)
    assert result.kept == with_phone and set(result.merged) == set(dup) and result.tickets_moved == 3
    hits = v.lookup(hall, front_desk, "张三明")
    assert [h.id for h in hits] == [with_phone] and hits[0].visits == 1   # one day, four tickets
    assert len(v.history(hall, front_desk, with_phone).tickets) == 4
    with hall.read() as s:
        audit = s.execute(select(AuditEntry).where(AuditEntry.action == "visitor.merge")).scalar_one()
        assert audit.details["merged"] == sorted(dup) and "13812345678" not in str(audit.details)
        # nothing is deleted: the duplicates stay, pointing to the record kept
        from hall.store.models import Visitor

        kept = {r.id: r.merged_into_id for r in s.execute(select(Visitor).where(Visitor.name == "张三明")).scalars()}
        assert kept == {**{d: with_phone for d in dup}, with_phone: None}


def test_two_people_with_different_id_numbers_are_never_merged(hall, front_desk):
    from hall.services import Conflict, InvalidInput

    a = q.issue_ticket(hall, front_desk, "general", name="张三", id_number=ZHANG_SAN_ID).visitor_id
    b = q.issue_ticket(hall, front_desk, "general", name="张三", id_number=ZHANG_SHU_ID).visitor_id
    with pytest.raises(Conflict, match="身份证号不同"):
        v.merge(hall, front_desk, a, [b])
    with pytest.raises(InvalidInput):
        v.merge(hall, front_desk, a, [a])
    c = q.issue_ticket(hall, front_desk, "general", name="张三").visitor_id
    v.merge(hall, front_desk, c, [a])                               # the ID number moves to the kept record
    assert v.lookup(hall, front_desk, ZHANG_SAN_ID)[0].id == c


def test_records_a_new_ticket_might_duplicate_are_suggested_before_it_is_issued(hall, front_desk, director, regulars):
    name_only = q.issue_ticket(hall, front_desk, "general", name="张三明")
    # The same name typed alone: the record is suggested (masked), not silently doubled.
    hits = v.similar_visitors(hall, front_desk, name=" 张三明 ")
    assert [h.id for h in hits] == [name_only.visitor_id] and hits[0].matched_by == "name"
    # Name and a phone that one record holds: issuing finds it, nothing to ask.
    assert v.similar_visitors(hall, front_desk, name="张三", phone=ZHANG_SAN_PHONE) == []
    # A known ID number names its record; nothing to ask either.
    assert v.similar_visitors(hall, front_desk, name="张三", id_number=ZHANG_SAN_ID) == []
    # 张三 with a new phone number: the record with that name is shown, ID masked.
    hits = v.similar_visitors(hall, front_desk, name="张三", phone="13700000000")
    assert names(hits) == ["张三"] and "*" in hits[0].id_number and "*" in hits[0].phone
    # A different ID number is another person: not offered.
    assert v.similar_visitors(hall, front_desk, name="张三", id_number="110101199003074573") == []
    # A phone number on file under another name is offered too.
    hits = v.similar_visitors(hall, front_desk, phone="13900001111")
    assert names(hits) == ["王晓明"] and hits[0].matched_by == "phone"
    # Merged records never come back.
    second = q.issue_ticket(hall, front_desk, "general", name="张三明", phone="13600000000")
    assert {h.id for h in v.similar_visitors(hall, front_desk, name="张三明")} == {
        name_only.visitor_id, second.visitor_id}
    v.merge(hall, front_desk, second.visitor_id, [name_only.visitor_id])
    assert [h.id for h in v.similar_visitors(hall, front_desk, name="张三明")] == [second.visitor_id]
    assert v.similar_visitors(hall, front_desk) == []
    with pytest.raises(PermissionDenied):
        v.similar_visitors(hall, director, name="张三明")
