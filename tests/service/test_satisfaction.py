"""Satisfaction ratings on both backends: a visit rated only with the
visitor's code (kiosk, or a follow-up call recorded with who called; never by
whoever served it), once only, expiring; transfer chains, sessions, low ratings
and the director's follow-up; the sources counted apart."""
from __future__ import annotations

import pytest

from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied
from hall.services import queue as q
from hall.services import satisfaction as sat
from hall.services.admin import export_config


@pytest.fixture
def served(hall, front_desk, window_staff, clock):
    """A labour ticket served and finished at window 3, and one still waiting."""
    q.open_window(hall, window_staff, "w03")
    t = q.issue_ticket(hall, front_desk, "labour")
    waiting = q.issue_ticket(hall, front_desk, "labour")
    q.call_next(hall, window_staff, "w03")
    clock.advance(minutes=12)
    q.finish(hall, window_staff, t.id)
    return t.id, waiting.id


def test_codes_are_a_keyed_permutation_of_ticket_ids():
    salt = bytes.fromhex("00112233445566778899aabbccddeeff")
    codes = {sat.code_for_id(i, salt) for i in range(1, 5001)}
    assert len(codes) == 5000
    for i in (1, 2, 999, 123456, (1 << 30) - 1):
        code = sat.code_for_id(i, salt)
        assert len(code) == 6 and set(code) <= set(sat.CODE_ALPHABET)
        assert sat.id_for_code(code, salt) == i
        assert sat.id_for_code(code.lower()[:3] + " " + code.lower()[3:], salt) == i
    assert sat.code_for_id(1, salt) != sat.code_for_id(1, b"another salt")
    assert sat.code_for_id(1 << 30, salt) is None
    assert sat.id_for_code("ABC10O", salt) is None and sat.id_for_code("ABCDE", salt) is None


def test_the_window_cannot_enter_a_rating_of_a_visit(hall, window_staff, front_desk, served):
    """No staff member types stars for a visit: not the window that served
    it, not the front desk, not for another window's visitor."""
    tid, waiting = served
    for actor in (window_staff, front_desk):
        with pytest.raises(PermissionDenied, match="评价码"):
            sat.rate(hall, actor, "ticket", tid, 5)
    with pytest.raises(PermissionDenied, match="评价码"):
        sat.rate(hall, window_staff, "ticket", 999999, 3)
    assert sat.rating_for(hall, "ticket", tid) is None


def test_a_follow_up_call_records_the_visitors_code_with_who_called(hall, window_staff, front_desk,
                                                                    director, served, clock):
    tid, waiting = served
    code = sat.rating_code(hall, tid)
    with pytest.raises(PermissionDenied, match="不能评价自己"):       # chuangkou1 served it
        sat.rate_by_call(hall, window_staff, code, 5)
    with pytest.raises(PermissionDenied):                              # the director has no such right
        sat.rate_by_call(hall, director, code, 5)
    with pytest.raises(Conflict, match="尚未办结"):
        sat.rate_by_call(hall, front_desk, sat.rating_code(hall, waiting), 4)
    with pytest.raises(NotFound, match="评价码无效"):
        sat.rate_by_call(hall, front_desk, sat.code_for_id(987654, sat._salt(hall)), 4)
    with pytest.raises(InvalidInput, match="6 位"):
        sat.rate_by_call(hall, front_desk, "12345", 4)
    for rating in (0, 6, True, "5"):
        with pytest.raises(InvalidInput, match="1 到 5"):
            sat.rate_by_call(hall, front_desk, code, rating)
    with pytest.raises(InvalidInput, match="未知的评价原因"):
        sat.rate_by_call(hall, front_desk, code, 3, ["smelly"])
    assert sat.rating_for(hall, "ticket", tid) is None                 # nothing stored by the refusals
    clock.advance(days=20)                                             # a call may come later than the kiosk
    v = sat.rate_by_call(hall, front_desk, code, 5, ["efficient", "attitude_good"], " 很好 ")
    assert (v.rating, v.rating_label, v.comment, v.channel) == (5, "非常满意", "很好", "call")
    assert v.tag_labels == ("办事高效", "态度热情") and (v.service, v.window, v.ticket_number) == ("labour", "w03", "L001")
    assert v.recorded_by == front_desk.display_name and "回访电话" in v.source_label
    from hall.store.centre_models import Rating
    from hall.store.models import AuditEntry
    with hall.read() as s:
        row = s.get(Rating, v.id)
        assert (row.channel, row.recorded_by) == ("call", front_desk.user_id)
        audit = s.query(AuditEntry).filter(AuditEntry.action == "satisfaction.rate").one()
        assert audit.user_id == front_desk.user_id
    with pytest.raises(Conflict, match="只能评价一次"):
        sat.rate_by_call(hall, front_desk, code, 1)
    with pytest.raises(Conflict, match="已过期（有效期 7 天）"):      # the kiosk's 7 days are over
        sat.rate_by_code(hall, code, 1)
    assert sat.rating_for(hall, "ticket", tid).id == v.id and sat.rating_for(hall, "ticket", waiting) is None


def test_a_call_code_expires_after_thirty_days(hall, front_desk, served, clock):
    tid, _ = served
    code = sat.rating_code(hall, tid)
    clock.advance(days=30, minutes=1)
    with pytest.raises(Conflict, match="已过期（有效期 30 天）"):
        sat.rate_by_call(hall, front_desk, code, 4)


def test_nobody_who_served_any_part_of_a_transferred_visit_records_its_rating(hall, front_desk, window_staff):
    """chuangkou1 served the visit at 综合受理 and transferred it; chuangkou3
    finished it: neither records its rating, the front desk may."""
    from tests.conftest import staff_actor

    third = staff_actor(hall, "chuangkou3", "window-3")
    q.open_window(hall, window_staff, "w01")
    first = q.issue_ticket(hall, front_desk, "general")
    assert q.call_next(hall, window_staff, "w01").id == first.id
    second = q.transfer(hall, window_staff, first.id, "labour")
    q.open_window(hall, third, "w03")
    assert q.call_next(hall, third, "w03").id == second.id
    q.finish(hall, third, second.id)
    code = sat.rating_code(hall, first.id)
    for actor in (window_staff, third):
        with pytest.raises(PermissionDenied, match="不能评价自己"):
            sat.rate_by_call(hall, actor, code, 5)
    v = sat.rate_by_call(hall, front_desk, code, 3)
    assert (v.subject_id, v.service, v.channel) == (second.id, "labour", "call")


_session_numbers = __import__("itertools").count(1)


def make_session(db, mediator_id=None, ended=True) -> int:
    """A case with one mediation session (ended unless told otherwise)."""
    from hall.store.case_models import Case, MediationSession

    now = db.clock.now()
    with db.write() as s:
        n = next(_session_numbers)
        c = Case(number=f"S-{n}", year=2026, category="other",
                 source="application", state="mediating", created_at=now, updated_at=now, accepted_at=now)
        s.add(c)
        s.flush()
        m = MediationSession(case_id=c.id, mode="onsite", mediator_id=mediator_id, started_at=now,
                             ended_at=now if ended else None)
        s.add(m)
        s.flush()
        return m.id


def test_a_mediation_session_is_rated_only_when_it_exists_and_has_ended(hall, window_staff, director):
    sid = make_session(hall)
    v = sat.rate(hall, window_staff, "mediation_session", sid, 4, channel="session")
    assert (v.subject_type, v.subject_id, v.service, v.window) == ("mediation_session", sid, None, None)
    with pytest.raises(PermissionDenied):
        sat.rate(hall, director, "mediation_session", make_session(hall), 4)
    with pytest.raises(NotFound, match="没有编号"):
        sat.rate(hall, window_staff, "mediation_session", 999_999, 4, channel="session")
    with pytest.raises(Conflict, match="尚未结束"):
        sat.rate(hall, window_staff, "mediation_session", make_session(hall, ended=False), 4, channel="session")


def test_a_mediator_never_rates_their_own_session(hall, window_staff):
    own = make_session(hall, mediator_id=window_staff.user_id)
    with pytest.raises(PermissionDenied, match="不能评价自己"):
        sat.rate(hall, window_staff, "mediation_session", own, 5, channel="session")
    assert sat.rating_for(hall, "mediation_session", own) is None


def test_rating_by_the_code_on_the_ticket_once_only(hall, window_staff, served):
    tid, waiting = served
    code = sat.rating_code(hall, tid)
    assert sat.rating_code(hall, tid) == code and len(code) == 6
    v = sat.rate_by_code(hall, f" {code.lower()} ", 4, ["clear"])
    assert (v.subject_id, v.channel, v.rating) == (tid, "kiosk", 4)
    with pytest.raises(Conflict, match="只能评价一次"):
        sat.rate_by_code(hall, code, 5)
    with pytest.raises(Conflict, match="尚未办结"):
        sat.rate_by_code(hall, sat.rating_code(hall, waiting), 5)
    with pytest.raises(InvalidInput, match="6 位"):
        sat.rate_by_code(hall, "12345", 5)
    salt = sat._salt(hall)
    with pytest.raises(NotFound, match="评价码无效"):
        sat.rate_by_code(hall, sat.code_for_id(987654, salt), 5)


def test_an_expired_code_is_refused(hall, window_staff, served, clock):
    tid, _ = served
    code = sat.rating_code(hall, tid)
    clock.advance(days=7, minutes=1)
    with pytest.raises(Conflict, match="已过期"):
        sat.rate_by_code(hall, code, 5)
    clock.advance(minutes=-20)   # within seven days of issue: still good
    assert sat.rate_by_code(hall, code, 5).rating == 5


def test_a_transferred_visit_is_rated_once_on_the_ticket_that_finished_it(hall, front_desk, window_staff):
    q.open_window(hall, window_staff, "w01")
    first = q.issue_ticket(hall, front_desk, "general")
    q.call_next(hall, window_staff, "w01")
    second = q.transfer(hall, window_staff, first.id, "housing")
    with pytest.raises(Conflict, match="尚未办结"):
        sat.rate_by_code(hall, sat.rating_code(hall, first.id), 5)
    q.call_next(hall, window_staff, "w01")
    q.finish(hall, window_staff, second.id)
    v = sat.rate_by_code(hall, sat.rating_code(hall, first.id), 3)
    assert (v.subject_id, v.service) == (second.id, "housing")
    with pytest.raises(Conflict, match="只能评价一次"):
        sat.rate_by_code(hall, sat.rating_code(hall, second.id), 5)


def test_low_ratings_are_listed_for_the_directors_follow_up(hall, front_desk, window_staff, director, clock):
    q.open_window(hall, window_staff, "w03")
    ids = []
    for rating in (1, 4, 2):
        t = q.issue_ticket(hall, front_desk, "labour")
        q.call_next(hall, window_staff, "w03")
        q.finish(hall, window_staff, t.id)
        ids.append(sat.rate_by_code(hall, sat.rating_code(hall, t.id), rating, ["wait_long"]).id)
        clock.advance(minutes=5)
    low = sat.low_ratings(hall, director)
    assert [r.id for r in low] == [ids[2], ids[0]] and all(r.low for r in low)
    with pytest.raises(PermissionDenied):
        sat.low_ratings(hall, window_staff)
    with pytest.raises(InvalidInput, match="跟进情况"):
        sat.follow_up(hall, director, ids[0], "  ")
    r = sat.follow_up(hall, director, ids[0], "已电话回访，解释了排队规则", resolved=False)
    assert not r.resolved and "已电话回访" in r.follow_up_note and "刘志强" in r.follow_up_note
    r = sat.follow_up(hall, director, ids[0], "来访人表示理解")
    assert r.resolved and r.follow_up_note.count("\n") == 1 and r.followed_up_at is not None
    assert [x.id for x in sat.low_ratings(hall, director)] == [ids[2]]
    assert {x.id for x in sat.low_ratings(hall, director, include_resolved=True)} == {ids[0], ids[2]}
    with pytest.raises(PermissionDenied):
        sat.follow_up(hall, window_staff, ids[2], "x")
    with pytest.raises(NotFound):
        sat.follow_up(hall, director, 99999, "x")


def test_the_code_salt_is_created_once_and_never_exported(hall, served, admin):
    tid, _ = served
    sat.rating_code(hall, tid)
    salt = sat._salt(hall)
    assert sat._salt(hall) == salt and len(salt) == 16
    assert sat.SALT_KEY not in export_config(hall, admin)["settings"]


def test_statistics_count_each_source_apart(hall, front_desk, window_staff, clock):
    """Two kiosk ratings (5, 2), one follow-up call (4), one mediation session
    (3): by source, counted by hand."""
    from hall.domain.clock import local_day
    from hall.services import stats
    from hall.services.stats import Period
    from tests.conftest import staff_actor

    q.open_window(hall, window_staff, "w03")
    tickets = []
    for _ in range(3):
        t = q.issue_ticket(hall, front_desk, "labour")
        q.call_next(hall, window_staff, "w03")
        q.finish(hall, window_staff, t.id)
        tickets.append(t.id)
    sat.rate_by_code(hall, sat.rating_code(hall, tickets[0]), 5)
    sat.rate_by_code(hall, sat.rating_code(hall, tickets[1]), 2)
    sat.rate_by_call(hall, front_desk, sat.rating_code(hall, tickets[2]), 4)
    sat.rate(hall, window_staff, "mediation_session", make_session(hall), 3)
    director = staff_actor(hall, "zhuren")
    period = Period.day(local_day(clock.now()))
    got = stats.compute(hall, director, period)["satisfaction"]
    assert (got["count"], got["satisfied"], got["satisfied_rate"]) == (4, 2, 0.5)
    assert {x["source"]: (x["count"], x["satisfied"], x["mean"]) for x in got["by_source"]} == {
        "kiosk": (2, 1, 3.5), "call": (1, 1, 4.0), "session": (1, 0, 3.0)}
    calls = stats.records_for(hall, director, "satisfaction.ratings", period, source="call")
    assert [(r.subject_id, r.source, r.recorded_by) for r in calls] == [
        (tickets[2], "call", front_desk.display_name)]
    kiosk = stats.records_for(hall, director, "satisfaction.ratings", period, source="kiosk")
    assert sorted(r.rating for r in kiosk) == [2, 5] and all(r.recorded_by == "" for r in kiosk)
