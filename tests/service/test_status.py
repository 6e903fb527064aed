"""一案一码, the wait range at issue, and the notices written with the queue events."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from hall.services import HallError, InvalidInput, notices, queue, status
from hall.store.status_models import NoticeSubscription, OutboxMessage, PublicToken, TicketEstimate

FULL_NAME = "张三明"
PHONE = "13812345678"


@pytest.fixture
def open_hall(hall, admin):
    for w in ("w01", "w02", "w03"):
        queue.open_window(hall, admin, w)
    status.forget_service_times()
    return hall


def _token(url: str) -> str:
    return url.rsplit("/s/", 1)[1]


def _outbox(db, kind=None):
    with db.read() as s:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return [(m.kind, m.ticket_id, m.body, m.state) for m in s.execute(stmt).scalars()]


def test_a_ticket_carries_an_unguessable_token_stored_only_as_a_hash(open_hall, front_desk):
    t = queue.issue_ticket(open_hall, front_desk, "general", name=FULL_NAME)
    token = _token(t.status_url)
    assert len(token) >= 22 and str(t.id) != token
    with open_hall.read() as s:
        rows = s.execute(select(PublicToken.token_hash, PublicToken.subject_id)).all()
    assert rows == [(status.hash_token(token), t.id)]
    assert token not in json.dumps([list(r) for r in rows])
    other = queue.issue_ticket(open_hall, front_desk, "general")
    assert _token(other.status_url) != token


def test_the_status_page_shows_position_and_range_masked_and_nothing_else(open_hall, front_desk, window_staff):
    t = queue.issue_ticket(open_hall, front_desk, "general", name=FULL_NAME, phone=PHONE,
                           note="邻居漏水三个月未修")
    page = status.lookup(open_hall, _token(t.status_url))
    text = json.dumps(page.to_json(), ensure_ascii=False)
    assert page.kind == "ticket" and page.title == f"排队号 {t.number}"
    assert "前面等候" in text and "预计等候" in text and "分钟" in text
    for secret in (FULL_NAME, "张", PHONE, "5678", "漏水"):
        assert secret not in text
    queue.call_next(open_hall, window_staff, "w01")
    page = status.lookup(open_hall, _token(t.status_url))
    assert page.headline == "请到 1号窗口（综合受理）"


def test_unknown_or_retired_tokens_find_nothing(open_hall, front_desk, admin):
    t = queue.issue_ticket(open_hall, front_desk, "general")
    assert status.lookup(open_hall, "x" * 22) is None
    assert status.lookup(open_hall, "") is None
    fresh = status.issue_public_token(open_hall, admin, "ticket", t.id)
    assert status.lookup(open_hall, _token(t.status_url)) is None   # the lost slip stops working
    assert status.lookup(open_hall, fresh).title == f"排队号 {t.number}"


def test_the_promise_at_issue_is_stored_and_the_director_sees_coverage(open_hall, front_desk, window_staff,
                                                                        director, clock):
    tickets = [queue.issue_ticket(open_hall, front_desk, "general") for _ in range(4)]
    assert all(t.wait_text and "分钟" in t.wait_text for t in tickets)
    with open_hall.read() as s:
        promised = {e.ticket_id: (e.low_minutes, e.high_minutes) for e in s.execute(select(TicketEstimate)).scalars()}
    assert set(promised) == {t.id for t in tickets}
    assert promised[tickets[0].id] == (0, 5)
    for _ in range(3):  # three calls at once: the first three fall inside their ranges or earlier
        v = queue.call_next(open_hall, window_staff, "w01")
        queue.finish(open_hall, window_staff, v.id)
        clock.advance(minutes=40)
    queue.call_next(open_hall, window_staff, "w01")  # 120 minutes after issue: later than promised
    day = clock.now().date()
    rows = {r.service: r for r in status.promise_coverage(open_hall, director, day, day)}
    general = rows["general"]
    assert general.estimated == 4
    assert general.later >= 1 and general.within + general.earlier + general.later == 4
    assert general.rate == general.within / 4
    with pytest.raises(HallError):
        status.promise_coverage(open_hall, front_desk, day, day)


def test_no_open_window_gives_no_range_but_a_ticket(hall, front_desk):
    t = queue.issue_ticket(hall, front_desk, "general")
    assert t.wait_text is None
    page = status.lookup(hall, _token(t.status_url))
    assert any(line.value == "暂无窗口办理，开窗后估算" for line in page.lines)


def test_the_admin_can_turn_the_page_off(open_hall, admin, front_desk):
    assert status.is_enabled(open_hall)
    status.set_enabled(open_hall, admin, False)
    assert not status.is_enabled(open_hall)
    with pytest.raises(HallError):
        status.set_enabled(open_hall, front_desk, True)
    with pytest.raises(InvalidInput):
        status.set_base_url(open_hall, admin, "hall.lan")
    with pytest.raises(InvalidInput, match="0 到 20"):
        status.set_near_threshold(open_hall, admin, 99)
    assert status.set_near_threshold(open_hall, admin, 1) == 1 and status.near_threshold_of(open_hall) == 1


def test_service_waits_for_the_board(open_hall, front_desk):
    for _ in range(6):
        queue.issue_ticket(open_hall, front_desk, "labour")
    waits = {w.code: w for w in status.service_waits(open_hall)}
    assert waits["labour"].waiting == 6 and "分钟" in waits["labour"].text
    assert waits["labour"].low >= 10        # six ahead at one window: not "within five minutes"
    assert waits["counselling"].text == "暂无窗口办理"


# ------------------------------------------------------------------ notices
def test_consent_writes_the_issue_message_in_the_same_transaction(open_hall, front_desk):
    t = queue.issue_ticket(open_hall, front_desk, "general", name=FULL_NAME, phone=PHONE, notice_consent=True)
    msgs = _outbox(open_hall)
    assert [(k, tid) for k, tid, _b, _s in msgs] == [("issued", t.id)]
    body = msgs[0][2]
    assert "快到您了" in body          # nobody ahead: the first message says so, no second one
    assert t.number in body and t.status_url in body and "退订" in body
    assert FULL_NAME not in body and "张" not in body
    no_consent = queue.issue_ticket(open_hall, front_desk, "general", phone="13900001111")
    assert all(tid != no_consent.id for _k, tid, _b, _s in _outbox(open_hall))


def test_consent_without_a_mobile_number_is_refused_and_nothing_is_issued(open_hall, front_desk):
    with pytest.raises(InvalidInput, match="手机"):
        queue.issue_ticket(open_hall, front_desk, "general", notice_consent=True)
    with pytest.raises(InvalidInput, match="固定电话"):
        queue.issue_ticket(open_hall, front_desk, "general", notice_consent=True, notice_to="01062345678")
    assert queue.queue_snapshot(open_hall).services[0].waiting == 0


def test_near_called_and_transfer_messages_follow_the_queue(open_hall, front_desk, window_staff):
    first = [queue.issue_ticket(open_hall, front_desk, "petition") for _ in range(5)]
    mine = queue.issue_ticket(open_hall, front_desk, "petition", phone=PHONE, notice_consent=True,
                              notice_to="13700001234")
    assert [k for k, *_ in _outbox(open_hall)] == ["issued"]   # five ahead, the threshold is three
    with open_hall.read() as s:
        assert s.execute(select(NoticeSubscription.consent_by)).scalar_one() == "family"
    queue.finish(open_hall, window_staff, queue.call_next(open_hall, window_staff, "w02").id)
    assert [k for k, *_ in _outbox(open_hall)] == ["issued"]
    queue.cancel(open_hall, front_desk, first[4].id)             # someone ahead leaves: three ahead now
    assert [k for k, *_ in _outbox(open_hall)] == ["issued", "near"]
    for _ in range(3):
        v = queue.call_next(open_hall, window_staff, "w02")
        queue.finish(open_hall, window_staff, v.id)
    assert [k for k, *_ in _outbox(open_hall)] == ["issued", "near"]   # near only once
    called = queue.call_next(open_hall, window_staff, "w02")
    assert called.id == mine.id
    kinds = _outbox(open_hall)
    assert kinds[-1][0] == "called" and "2号窗口" in kinds[-1][2]
    new = queue.transfer(open_hall, window_staff, mine.id, "labour")
    last = _outbox(open_hall)[-1]
    assert last[0] == "transfer" and last[1] == new.id and new.number in last[2]
    page = status.lookup(open_hall, _token(mine.status_url))       # the same code follows the visitor
    assert page.title == f"排队号 {new.number}" and ("原号码", mine.number) in [(x.label, x.value) for x in page.lines]


def test_a_failed_call_writes_no_message(open_hall, front_desk, window_staff):
    queue.issue_ticket(open_hall, front_desk, "general", phone=PHONE, notice_consent=True)
    queue.call_next(open_hall, window_staff, "w01")
    before = _outbox(open_hall)
    with pytest.raises(HallError):
        queue.call_next(open_hall, window_staff, "w01")   # the current visit is not finished
    assert _outbox(open_hall) == before


def test_unsubscribe_drops_queued_messages_and_stops_later_ones(open_hall, front_desk, window_staff):
    t = queue.issue_ticket(open_hall, front_desk, "general", phone=PHONE, notice_consent=True)
    with open_hall.read() as s:
        code = s.execute(select(NoticeSubscription.unsubscribe_code)).scalar_one()
    assert notices.unsubscribe(open_hall, code)
    assert {st for *_x, st in _outbox(open_hall)} == {"dropped"}
    queue.call_next(open_hall, window_staff, "w01")
    assert all(k != "called" for k, *_ in _outbox(open_hall))
    assert not notices.unsubscribe(open_hall, "nonsense")
    assert notices.subscription_for(open_hall, t.id)["unsubscribed"]


def test_early_close_tells_everyone_waiting(open_hall, front_desk, admin):
    for phone in ("13800000001", "13800000002"):
        queue.issue_ticket(open_hall, front_desk, "housing", phone=phone, notice_consent=True)
    queue.issue_ticket(open_hall, front_desk, "housing")
    with pytest.raises(InvalidInput):
        notices.announce_early_close(open_hall, admin, "  ")
    assert notices.announce_early_close(open_hall, admin, "停电检修") == 2
    assert len(_outbox(open_hall, "early_close")) == 2


def test_backoff_then_dead_letter_then_retry(open_hall, front_desk, admin, clock):
    queue.issue_ticket(open_hall, front_desk, "petition", phone=PHONE, notice_consent=True)
    [msg] = notices.claim_due(open_hall, ["sms"])
    assert notices.claim_due(open_hall, ["sms"]) == []          # leased
    assert notices.mark_failed(open_hall, msg.id, "网关不可用", backoff_s=30) == "pending"
    assert notices.claim_due(open_hall, ["sms"]) == []          # not yet due
    clock.advance(seconds=31)
    [again] = notices.claim_due(open_hall, ["sms"])
    assert again.attempts == 2
    assert notices.mark_failed(open_hall, again.id, "号码无效", permanent=True) == "dead"
    [dead] = notices.dead_letters(open_hall, admin)
    assert dead.address == "138****5678" and dead.last_error == "号码无效"
    notices.retry_dead(open_hall, admin, dead.id)
    [third] = notices.claim_due(open_hall, ["sms"])
    notices.mark_sent(open_hall, third.id)
    with open_hall.read() as s:
        body = s.execute(select(OutboxMessage.body)).scalar_one()
    assert "/s/" not in body          # a sent message keeps no status link


def test_an_expired_lease_is_claimed_again_on_sms_but_not_on_email(open_hall, front_desk, clock):
    queue.issue_ticket(open_hall, front_desk, "petition", phone=PHONE, notice_consent=True)
    queue.issue_ticket(open_hall, front_desk, "petition", notice_consent=True, notice_to="li@example.com")
    claimed = notices.claim_due(open_hall, ["sms", "email"], lease_s=60)
    assert {m.channel for m in claimed} == {"sms", "email"}
    clock.advance(seconds=61)                                    # the sender died while sending
    again = notices.claim_due(open_hall, ["sms", "email"], lease_s=60)
    assert [m.channel for m in again] == ["sms"] and again[0].key == [m for m in claimed if m.channel == "sms"][0].key
    with open_hall.read() as s:
        assert s.execute(select(OutboxMessage.state).where(OutboxMessage.channel == "email")).scalar_one() == "dead"


def test_a_case_token_shows_its_stage_and_what_the_party_may_do(open_hall, admin, window_staff):
    from hall.services import cases
    from tests.service.case_workers import employer, worker

    with pytest.raises(HallError):
        status.issue_public_token(open_hall, admin, "case", 999)
    with pytest.raises(InvalidInput):
        status.issue_public_token(open_hall, admin, "dossier", 1)
    from hall.domain.clock import HALL_TZ
    from hall.services import mediation
    from tests.conftest import staff_actor

    med = staff_actor(open_hall, "tiaojie", "room-1")
    c = cases.register_case(open_hall, window_staff, category="labour", parties=[worker(), employer()],
                            facts="拖欠三个月工资共计一万二千元", claims="支付工资", mediator_id=med.user_id)
    cases.accept_case(open_hall, med, c.id)
    c = cases.get_case(open_hall, med, c.id)
    start = dt.datetime(2026, 11, 24, 9, 30, tzinfo=HALL_TZ)
    mediation.book_room(open_hall, med, c.id, "r_gold", start, start + dt.timedelta(hours=2))
    token = status.issue_public_token(open_hall, admin, "case", c.id)
    page = status.lookup(open_hall, token)
    text = json.dumps(page.to_json(), ensure_ascii=False)
    assert page.kind == "case" and c.number in page.title and page.headline == "已受理"
    assert "司法确认" in page.advice
    lines = {line.label: line.value for line in page.lines}
    assert lines["下次调解"] == "11月24日 09:30，金牌调解室"
    for secret in ("张三", "13812345678", "拖欠", "一万二千", "东湖科技"):
        assert secret not in text


def test_an_appointment_reminder_then_the_ticket_takes_the_consent_over(hall, admin, front_desk, clock):
    from hall.services import admin as adm
    from hall.services import appointments as ap

    adm.set_appointment_plan(hall, admin, "labour", slot_minutes=30, capacity=2, days_ahead=7,
                             hours={str(d): [["09:00", "12:00"]] for d in range(5)})
    clock.set_local(dt.datetime(2026, 11, 23, 8, 0))
    slot = dt.datetime(2026, 11, 23, 11, 0)
    with pytest.raises(InvalidInput, match="固定电话"):
        ap.book(hall, front_desk, "labour", slot, "王小明", "01062345678", notice_consent=True)
    a = ap.book(hall, front_desk, "labour", slot, "王小明", PHONE, notice_consent=True)
    ap.book(hall, front_desk, "labour", slot, "李四", "13900002222")          # no consent: no reminder
    assert notices.enqueue_reminders(hall) == 0                              # three hours ahead
    clock.advance(minutes=61)
    assert notices.enqueue_reminders(hall) == 1
    assert notices.enqueue_reminders(hall) == 0                              # once
    [(kind, _tid, body, _st)] = _outbox(hall)
    assert kind == "appointment" and "11月23日 11:00" in body and "王" not in body
    clock.set_local(dt.datetime(2026, 11, 23, 10, 50))
    res = ap.check_in(hall, front_desk, a.id)
    last = _outbox(hall)[-1]
    assert last[0] == "issued" and last[1] == res.ticket.id and res.ticket.number in last[2]
