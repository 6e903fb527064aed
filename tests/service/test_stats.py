"""Statistics against a hand-computed morning (every duration chosen through
the queue engine with the frozen clock), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.services import InvalidInput, NotFound, PermissionDenied, stats
from hall.services import appointments as ap
from hall.services import queue as q
from hall.services import satisfaction as sat
from hall.services.admin import set_appointment_plan
from hall.services.stats import Period

DAY = dt.date(2026, 11, 23)


def at(clock, hhmm: str, day: dt.date = DAY) -> None:
    h, m = map(int, hhmm.split(":"))
    clock.set_local(dt.datetime.combine(day, dt.time(h, m)))


@pytest.fixture
def morning(hall, clock, front_desk, window_staff):
    """The timeline (hall time, 2026-11-23):

    labour at window 3: T1 09:00 called 09:04 started 09:05 finished 09:15
                        T2 09:02 called 09:15 started 09:17 finished 09:37
                        T3 09:10 called 09:37 no-show 09:40
                        T4 09:20 called 09:50 started 09:51 finished 10:21
                        T5 10:30 cancelled 10:35
    general at window 1: G1 09:05 called 09:06 started 09:07, transferred 09:12
    to mediation as M1, called at window 4 09:20, started 09:21, finished 09:41.
    """
    fd, ws = front_desk, window_staff
    t = {}
    at(clock, "09:00"); t["T1"] = q.issue_ticket(hall, fd, "labour", name="张三明").id
    at(clock, "09:02"); t["T2"] = q.issue_ticket(hall, fd, "labour").id
    at(clock, "09:04"); q.open_window(hall, ws, "w03"); assert q.call_next(hall, ws, "w03").id == t["T1"]
    at(clock, "09:05"); q.start_service(hall, ws, t["T1"]); t["G1"] = q.issue_ticket(hall, fd, "general").id
    at(clock, "09:06"); q.open_window(hall, ws, "w01"); assert q.call_next(hall, ws, "w01").id == t["G1"]
    at(clock, "09:07"); q.start_service(hall, ws, t["G1"])
    at(clock, "09:10"); t["T3"] = q.issue_ticket(hall, fd, "labour").id
    at(clock, "09:12"); t["M1"] = q.transfer(hall, ws, t["G1"], "mediation", "需要调解").id
    at(clock, "09:15"); q.finish(hall, ws, t["T1"]); assert q.call_next(hall, ws, "w03").id == t["T2"]
    at(clock, "09:17"); q.start_service(hall, ws, t["T2"])
    at(clock, "09:20"); t["T4"] = q.issue_ticket(hall, fd, "labour").id
    q.open_window(hall, ws, "w04"); assert q.call_next(hall, ws, "w04").id == t["M1"]
    at(clock, "09:21"); q.start_service(hall, ws, t["M1"])
    at(clock, "09:37"); q.finish(hall, ws, t["T2"]); assert q.call_next(hall, ws, "w03").id == t["T3"]
    at(clock, "09:40"); q.mark_no_show(hall, ws, t["T3"])
    at(clock, "09:41"); q.finish(hall, ws, t["M1"])
    at(clock, "09:50"); assert q.call_next(hall, ws, "w03").id == t["T4"]
    at(clock, "09:51"); q.start_service(hall, ws, t["T4"])
    at(clock, "10:21"); q.finish(hall, ws, t["T4"])
    at(clock, "10:30"); t["T5"] = q.issue_ticket(hall, fd, "labour").id
    at(clock, "10:35"); q.cancel(hall, fd, t["T5"])
    at(clock, "12:00")
    return t


def ids(records) -> set[int]:
    return {r.id for r in records}


def test_counts_rates_and_durations_of_the_morning(hall, director, morning):
    r = stats.compute(hall, director, Period.day(DAY))
    qs = r["queue"]
    assert (qs["tickets"], qs["visits"], qs["called"], qs["finished"]) == (7, 6, 6, 4)
    assert (qs["no_show"], qs["transferred"], qs["cancelled"]) == (1, 1, 1)
    assert qs["no_show_rate"] == round(1 / 6, 4) and qs["transfer_rate"] == round(1 / 6, 4)
    # waiting 1, 4, 8, 13, 27, 30: p50 between 8 and 13, p90 at rank 5.5
    assert qs["waiting"] == {"n": 6, "mean": 13.83, "p50": 10.5, "p90": 28.5}
    # walking 1, 1, 1, 1, 2
    assert qs["walking"] == {"n": 5, "mean": 1.2, "p50": 1.0, "p90": 1.6}
    # service 5 (until the transfer), 10, 20, 20, 30
    assert qs["service_time"] == {"n": 5, "mean": 17.0, "p50": 20.0, "p90": 26.0}
    assert qs["by_hour"] == [{"hour": 9, "visits": 5}, {"hour": 10, "visits": 1}]


def test_per_service_figures(hall, director, morning):
    by = {x["service"]: x for x in stats.compute(hall, director, Period.day(DAY))["queue"]["by_service"]}
    assert set(by) == {"labour", "general", "mediation"}
    labour = by["labour"]
    assert (labour["tickets"], labour["visits"], labour["called"], labour["finished"], labour["no_show"],
            labour["cancelled"]) == (5, 5, 4, 3, 1, 1)
    assert labour["waiting"] == {"n": 4, "mean": 18.5, "p50": 20.0, "p90": 29.1}
    assert labour["walking"] == {"n": 3, "mean": 1.33, "p50": 1.0, "p90": 1.8}
    assert labour["service_time"] == {"n": 3, "mean": 20.0, "p50": 20.0, "p90": 28.0}
    assert (by["general"]["visits"], by["general"]["transferred"], by["general"]["service_time"]["mean"]) == (1, 1, 5.0)
    med = by["mediation"]
    assert (med["tickets"], med["visits"], med["transferred_in"], med["waiting"]["mean"]) == (1, 0, 1, 8.0)


def test_idle_time_per_window_is_staffed_time_minus_busy(hall, director, morning):
    by = {w["window"]: w for w in stats.compute(hall, director, Period.day(DAY))["queue"]["by_window"]}
    w3 = by["w03"]
    # w03 opened 09:04 and is still open at 12:00 (the moment of computing): 176 minutes staffed;
    # busy 11 + 22 + 3 + 31 = 67
    assert (w3["called"], w3["finished"], w3["no_show"], w3["service_time_mean"]) == (4, 3, 1, 20.0)
    assert (w3["days"], w3["open_minutes"], w3["busy_minutes"], w3["idle_minutes"]) == (1, 176.0, 67.0, 109.0)
    assert w3["busy_share"] == round(67 / 176, 4)
    # w01 opened 09:06 (174 min), busy 09:06-09:12; w04 opened 09:20 (160 min)
    assert (by["w01"]["open_minutes"], by["w01"]["busy_minutes"], by["w01"]["idle_minutes"]) == (174.0, 6.0, 168.0)
    assert (by["w04"]["open_minutes"], by["w04"]["service_time_mean"]) == (160.0, 20.0)


def test_occupancy_comes_from_the_window_open_pause_close_events(hall, clock, front_desk, window_staff, director):
    """A window open 08:55-17:30 that served one 21-minute visitor: 4.1% and 494 idle minutes."""
    at(clock, "08:55"); q.open_window(hall, window_staff, "w03")
    at(clock, "10:00"); t = q.issue_ticket(hall, front_desk, "labour").id
    at(clock, "10:01"); q.call_next(hall, window_staff, "w03")
    at(clock, "10:22"); q.finish(hall, window_staff, t)
    at(clock, "17:30"); q.close_window(hall, window_staff, "w03")
    # a second window: open 09:00, paused 12:00-13:30, closed 17:00 -> 3 h + 3.5 h = 390 min
    at(clock, "09:00"); q.open_window(hall, window_staff, "w01")
    at(clock, "12:00"); q.pause_window(hall, window_staff, "w01")
    at(clock, "13:30"); q.open_window(hall, window_staff, "w01")
    at(clock, "17:00"); q.close_window(hall, window_staff, "w01")
    at(clock, "18:00")
    by = {w["window"]: w for w in stats.compute(hall, director, Period.day(DAY))["queue"]["by_window"]}
    staffed = (17 * 60 + 30) - (8 * 60 + 55)
    assert staffed == 515
    w3 = by["w03"]
    assert (w3["open_minutes"], w3["busy_minutes"], w3["idle_minutes"]) == (515.0, 21.0, 494.0)
    assert round(w3["busy_share"] * 100, 1) == 4.1
    w1 = by["w01"]
    assert (w1["called"], w1["open_minutes"], w1["busy_minutes"], w1["idle_minutes"], w1["days"]) == (
        0, 390.0, 0.0, 390.0, 1)


def test_service_time_without_start_is_measured_from_the_call(hall, clock, front_desk, window_staff, director):
    at(clock, "09:00"); q.open_window(hall, window_staff, "w03")
    a = q.issue_ticket(hall, front_desk, "labour").id
    b = q.issue_ticket(hall, front_desk, "labour").id
    at(clock, "09:02"); q.call_next(hall, window_staff, "w03")
    at(clock, "09:14"); q.finish(hall, window_staff, a)           # no 开始办理: 12 minutes from the call
    at(clock, "09:15"); q.call_next(hall, window_staff, "w03")
    at(clock, "09:16"); q.start_service(hall, window_staff, b)
    at(clock, "09:24"); q.finish(hall, window_staff, b)           # started: 8 minutes
    r = stats.compute(hall, director, Period.day(DAY))["queue"]
    assert r["service_time"]["n"] == 2 and r["service_time"]["mean"] == (12 + 8) / 2
    assert r["walking"] == {"n": 1, "mean": 1.0, "p50": 1.0, "p90": 1.0}
    assert r["service_no_start"] == 1
    assert ids(stats.records_for(hall, director, "queue.service_no_start", Period.day(DAY))) == {a}


def test_every_figure_traces_back_to_exactly_its_records(hall, director, morning):
    t, p = morning, Period.day(DAY)
    rec = lambda key, **f: stats.records_for(hall, director, key, p, **f)  # noqa: E731
    assert ids(rec("queue.tickets")) == set(t.values())
    assert ids(rec("queue.visits")) == set(t.values()) - {t["M1"]}
    assert ids(rec("queue.waiting")) == {t["T1"], t["T2"], t["T3"], t["T4"], t["G1"], t["M1"]}
    assert ids(rec("queue.waiting", service="labour")) == {t["T1"], t["T2"], t["T3"], t["T4"]}
    assert ids(rec("queue.service_time")) == {t["T1"], t["T2"], t["T4"], t["G1"], t["M1"]}
    assert ids(rec("queue.transferred")) == {t["G1"]}
    assert ids(rec("queue.no_show")) == {t["T3"]}
    assert ids(rec("queue.cancelled")) == {t["T5"]}
    assert ids(rec("queue.busy", window="w03")) == {t["T1"], t["T2"], t["T3"], t["T4"]}
    assert ids(rec("queue.visits", hour=10)) == {t["T5"]}
    # counts and records agree figure by figure
    r = stats.compute(hall, director, p)["queue"]
    for key in ("tickets", "visits", "called", "finished", "no_show", "transferred", "cancelled"):
        assert len(rec(f"queue.{key}")) == r[key], key
    for key in ("waiting", "walking", "service_time"):
        assert len(rec(f"queue.{key}")) == r[key]["n"], key
    for row in r["by_service"]:
        assert len(rec("queue.tickets", service=row["service"])) == row["tickets"]
    for bar in r["by_hour"]:
        assert len(rec("queue.visits", hour=bar["hour"])) == bar["visits"]
    first = rec("queue.tickets", service="labour")[0]
    assert (first.number, first.masked_name, first.window) == ("L001", "张*明", "w03")
    assert first.to_json()["kind"] == "ticket"


def test_an_empty_period_gives_zeros_and_none(hall, director):
    r = stats.compute(hall, director, Period.week(dt.date(2026, 11, 16)))
    qs = r["queue"]
    assert qs["tickets"] == qs["visits"] == qs["called"] == 0
    assert qs["no_show_rate"] is None and qs["transfer_rate"] is None
    assert qs["waiting"] == {"n": 0, "mean": None, "p50": None, "p90": None}
    assert qs["by_service"] == qs["by_window"] == qs["by_hour"] == []
    assert r["appointments"]["all"] == 0 and r["appointments"]["missed_rate"] is None
    assert r["satisfaction"] == {"count": 0, "mean": None, "distribution": {str(k): 0 for k in range(1, 6)},
                                 "low": 0, "low_unresolved": 0, "by_window": [], "satisfied": 0,
                                 "satisfied_rate": None, "by_source": []}
    assert stats.records_for(hall, director, "queue.waiting", Period.day(DAY)) == []
    assert r.to_json()["period_from"] == "2026-11-16"


def test_a_visit_past_midnight_belongs_to_its_business_day(hall, clock, front_desk, window_staff, director):
    at(clock, "23:50")
    t = q.issue_ticket(hall, front_desk, "labour").id
    at(clock, "23:55"); q.open_window(hall, window_staff, "w03"); q.call_next(hall, window_staff, "w03")
    at(clock, "23:56"); q.start_service(hall, window_staff, t)
    at(clock, "00:26", DAY + dt.timedelta(days=1)); q.finish(hall, window_staff, t)
    day = stats.compute(hall, director, Period.day(DAY))["queue"]
    assert day["finished"] == 1 and day["service_time"]["mean"] == 30.0 and day["waiting"]["mean"] == 5.0
    w3 = day["by_window"][0]
    # staffed 23:55-24:00 (a window's state does not carry over midnight); busy 31, idle never below 0
    assert (w3["open_minutes"], w3["busy_minutes"], w3["idle_minutes"]) == (5.0, 31.0, 0.0)
    assert day["by_hour"] == [{"hour": 23, "visits": 1}]
    nxt = stats.compute(hall, director, Period.day(DAY + dt.timedelta(days=1)))["queue"]
    assert nxt["tickets"] == 0 and nxt["by_window"] == []
    assert ids(stats.records_for(hall, director, "queue.service_time", Period.day(DAY))) == {t}


def test_periods():
    assert Period.week(dt.date(2026, 11, 25)) == Period(dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    assert Period.month(2026, 12) == Period(dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert Period.month(2026, 11).days == 30 and Period.month(2026, 11).label == "2026-11-01 至 2026-11-30"
    assert Period.day(DAY).utc_start == dt.datetime(2026, 11, 22, 16, 0, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput, match="应晚于开始日期"):
        Period(DAY, DAY)


def test_appointment_and_satisfaction_figures(hall, clock, admin, front_desk, window_staff, director):
    set_appointment_plan(hall, admin, "labour", slot_minutes=30, capacity=5)
    at(clock, "08:00")
    start = lambda hhmm: dt.datetime.combine(DAY, dt.time(*map(int, hhmm.split(":"))))  # noqa: E731
    kept = ap.book(hall, front_desk, "labour", start("09:00"), "王小明", "13812345678")
    late = ap.book(hall, front_desk, "labour", start("09:00"), "李四", "13912345678")
    missed = ap.book(hall, front_desk, "labour", start("09:30"), "赵敏", "13712345678")
    gone = ap.book(hall, front_desk, "labour", start("10:00"), "钱多多", "13612345678")
    ap.cancel(hall, front_desk, gone.id)
    at(clock, "08:55"); ticket = ap.check_in(hall, front_desk, kept.id).ticket
    at(clock, "09:20"); ap.check_in(hall, front_desk, late.id)
    at(clock, "09:45"); assert ap.sweep_missed(hall, front_desk) == 1
    q.open_window(hall, window_staff, "w03")
    q.call_next(hall, window_staff, "w03"); q.finish(hall, window_staff, ticket.id)
    sat.rate_by_code(hall, sat.rating_code(hall, ticket.id), 2, ["wait_long"])
    from tests.service.test_satisfaction import make_session
    sat.rate(hall, window_staff, "mediation_session", make_session(hall), 5)
    r = stats.compute(hall, director, Period.day(DAY))
    a = r["appointments"]
    assert (a["all"], a["booked"], a["kept"], a["late"], a["missed"], a["cancelled"]) == (4, 0, 1, 1, 1, 1)
    assert a["missed_rate"] == round(1 / 3, 4)
    s = r["satisfaction"]
    assert (s["count"], s["mean"], s["low"], s["low_unresolved"]) == (2, 3.5, 1, 1)
    assert s["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert s["by_window"] == [{"window": "w03", "number": 3, "count": 1, "mean": 2.0}]
    p = Period.day(DAY)
    assert ids(stats.records_for(hall, director, "appointments.missed", p)) == {missed.id}
    assert len(stats.records_for(hall, director, "appointments.all", p, service="labour")) == 4
    low = stats.records_for(hall, director, "satisfaction.low", p)
    assert [(x.subject_type, x.subject_id, x.rating) for x in low] == [("ticket", ticket.id, 2)]
    assert len(stats.records_for(hall, director, "satisfaction.ratings", p, rating=5)) == 1
    assert stats.records_for(hall, director, "appointments.kept", p)[0].masked_phone == "138****5678"


def test_permissions_unknown_figures_and_the_provider_extension_point(hall, director, front_desk, morning):
    with pytest.raises(PermissionDenied):
        stats.compute(hall, front_desk, Period.day(DAY))
    with pytest.raises(PermissionDenied):
        stats.records_for(hall, front_desk, "queue.tickets", Period.day(DAY))
    with pytest.raises(NotFound):
        stats.records_for(hall, director, "queue.nothing", Period.day(DAY))
    with pytest.raises(NotFound):
        stats.records_for(hall, director, "cases.closed", Period.day(DAY))
    with pytest.raises(NotFound, match="没有代码为“nope”的业务"):
        stats.records_for(hall, director, "queue.tickets", Period.day(DAY), service="nope")
    with pytest.raises(InvalidInput, match="未知的筛选条件"):
        stats.records_for(hall, director, "queue.tickets", Period.day(DAY), colour="red")

    from sqlalchemy import func, select

    from hall.store.models import Ticket

    def compute(ctx):
        n = ctx.session.execute(select(func.count()).select_from(Ticket).where(
            Ticket.business_day >= ctx.period.start, Ticket.business_day < ctx.period.end,
            Ticket.outcome == "resolved")).scalar_one()
        return {"resolved": n}

    def records(ctx, figure, filters):
        return [{"figure": figure}]

    stats.register_provider(stats.FigureProvider("demo_cases", "示例", {"resolved": "当场办结"},
                                                 compute, records))
    try:
        r = stats.compute(hall, director, Period.day(DAY), sections=["demo_cases", "queue"])
        assert r["demo_cases"] == {"resolved": 4} and set(r.sections) == {"demo_cases", "queue"}
        assert stats.records_for(hall, director, "demo_cases.resolved", Period.day(DAY)) == [{"figure": "resolved"}]
        assert stats.figures()["demo_cases.resolved"] == "当场办结"
    finally:
        stats._PROVIDERS.pop("demo_cases")
    assert "queue.waiting" in stats.figures()


def test_a_day_without_window_records_is_staffed_from_its_tickets_and_counted(hall, director, morning):
    """Imported history has tickets but no open/pause/close records: that day's staffed time is the span
    from the first call to the last close (09:04-10:21 = 77 minutes at w03), and the day is counted."""
    from sqlalchemy import delete

    from hall.store.models import Event

    with hall.write() as s:
        s.execute(delete(Event).where(Event.kind == "window.state"))
    w3 = next(w for w in stats.compute(hall, director, Period.day(DAY))["queue"]["by_window"] if w["window"] == "w03")
    assert (w3["open_minutes"], w3["busy_minutes"], w3["idle_minutes"], w3["days_without_record"]) == (
        77.0, 67.0, 10.0, 1)
    assert w3["busy_share"] <= 1
