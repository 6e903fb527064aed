"""The monthly report's data: a small November built through the queue
services with the frozen clock, checked against ``stats.compute`` (on SQLite
and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.services import InvalidInput, PermissionDenied, monthly, stats
from hall.services import deadlines as dl
from hall.services import queue as q
from hall.services import satisfaction as sat
from hall.services.base import unit_of_work
from hall.services.stats import Period

NOVEMBER = Period.month(2026, 11)


def at(clock, day: dt.date, hhmm: str) -> None:
    h, m = map(int, hhmm.split(":"))
    clock.set_local(dt.datetime.combine(day, dt.time(h, m)))


def build_month(db, clock, admin, front_desk, window_staff, director) -> dict:
    """November 2026 in a few visits (hall time):

    Mon 11-02  T1 labour 09:00, called 09:06 at w03, served 09:07-09:20, rated 5
               G1 general 09:10, called 09:12 at w01, transferred 09:20 to
               mediation as M1, called 09:30 at w04, served 09:31-09:50;
               the visit rated 2 (wait_long)
               T2 labour 10:05, called 10:30, no-show 10:33
    Tue 11-10  T3 labour 14:00, called 14:15, served 14:16-14:40, rated 1,
               followed up and resolved by the director
               G2 general 14:05, cancelled 14:10
    Fri 10-30  O1 labour, called: October, outside the month.

    Deadlines (today is 11-23): one overdue (defence, started 11-02), one
    agreed for 11-25 (due this week), one agreed for 12-20 (not at risk).
    """
    fd, ws = front_desk, window_staff
    t: dict[str, int] = {}
    oct30, nov2, nov10 = dt.date(2026, 10, 30), dt.date(2026, 11, 2), dt.date(2026, 11, 10)
    at(clock, oct30, "09:00"); t["O1"] = q.issue_ticket(db, fd, "labour").id
    q.open_window(db, ws, "w03")
    at(clock, oct30, "09:05"); assert q.call_next(db, ws, "w03").id == t["O1"]
    at(clock, oct30, "09:06"); q.finish(db, ws, t["O1"])

    at(clock, nov2, "09:00"); t["T1"] = q.issue_ticket(db, fd, "labour", name="张三明").id
    at(clock, nov2, "09:06"); assert q.call_next(db, ws, "w03").id == t["T1"]
    at(clock, nov2, "09:07"); q.start_service(db, ws, t["T1"])
    at(clock, nov2, "09:10"); t["G1"] = q.issue_ticket(db, fd, "general").id
    q.open_window(db, ws, "w01")
    at(clock, nov2, "09:12"); assert q.call_next(db, ws, "w01").id == t["G1"]
    at(clock, nov2, "09:13"); q.start_service(db, ws, t["G1"])
    at(clock, nov2, "09:20"); q.finish(db, ws, t["T1"])
    t["M1"] = q.transfer(db, ws, t["G1"], "mediation", "需要调解").id
    at(clock, nov2, "09:21"); sat.rate_by_code(db, sat.rating_code(db, t["T1"]), 5, ["efficient"])
    q.open_window(db, ws, "w04")
    at(clock, nov2, "09:30"); assert q.call_next(db, ws, "w04").id == t["M1"]
    at(clock, nov2, "09:31"); q.start_service(db, ws, t["M1"])
    at(clock, nov2, "09:50"); q.finish(db, ws, t["M1"])
    at(clock, nov2, "09:51"); t["R_G1"] = sat.rate_by_code(db, sat.rating_code(db, t["G1"]), 2, ["wait_long"], "等了很久").id
    at(clock, nov2, "10:05"); t["T2"] = q.issue_ticket(db, fd, "labour").id
    at(clock, nov2, "10:30"); assert q.call_next(db, ws, "w03").id == t["T2"]
    at(clock, nov2, "10:33"); q.mark_no_show(db, ws, t["T2"])

    at(clock, nov10, "14:00"); t["T3"] = q.issue_ticket(db, fd, "labour").id
    at(clock, nov10, "14:05"); t["G2"] = q.issue_ticket(db, fd, "general").id
    at(clock, nov10, "14:10"); q.cancel(db, fd, t["G2"])
    at(clock, nov10, "14:15"); assert q.call_next(db, ws, "w03").id == t["T3"]
    at(clock, nov10, "14:16"); q.start_service(db, ws, t["T3"])
    at(clock, nov10, "14:40"); q.finish(db, ws, t["T3"])
    at(clock, nov10, "14:41"); t["R_T3"] = sat.rate_by_code(db, sat.rating_code(db, t["T3"]), 1, ["attitude_poor"]).id
    at(clock, nov10, "16:00"); sat.follow_up(db, director, t["R_T3"], "已当面致歉", resolved=True)

    at(clock, dt.date(2026, 11, 23), "12:00")
    with unit_of_work(db, admin, "centre.configure") as uow:
        t["D_overdue"] = dl.track(uow, "labour.defence", "case", 1, nov2, case_number="东劳人仲案字〔2026〕第9号",
                                  label="答辩期")
        t["D_week"] = dl.track(uow, dl.AGREED, "agreement_term", 2, nov2, case_number="东调〔2026〕第3号",
                               label="第二期付款", agreed_due=dt.date(2026, 11, 25), agreed_basis="协议第二条")
        t["D_later"] = dl.track(uow, dl.AGREED, "agreement_term", 3, nov2, case_number="东调〔2026〕第4号",
                                label="尾款", agreed_due=dt.date(2026, 12, 20), agreed_basis="协议第三条")
    return t


@pytest.fixture
def month(hall, clock, admin, front_desk, window_staff, director):
    return build_month(hall, clock, admin, front_desk, window_staff, director)


def test_the_monthly_figures_are_the_statistics_of_the_month(hall, director, month):
    data = monthly.monthly_data(hall, director, 2026, 11)
    r = stats.compute(hall, director, NOVEMBER)
    qs, st, ap = r["queue"], r["satisfaction"], r["appointments"]
    qt = data.queue
    assert (qt.tickets, qt.visits, qt.called, qt.finished, qt.no_show, qt.transferred, qt.cancelled) == (
        qs["tickets"], qs["visits"], qs["called"], qs["finished"], qs["no_show"], qs["transferred"],
        qs["cancelled"]) == (6, 5, 5, 3, 1, 1, 1)
    assert (qt.no_show_rate, qt.transfer_rate) == (qs["no_show_rate"], qs["transfer_rate"]) == (0.2, 0.2)
    for key in ("waiting", "walking", "service_time"):
        d = getattr(qt, key)
        assert {"n": d.n, "mean": d.mean, "p50": d.p50, "p90": d.p90} == qs[key]
    # waiting 6, 2, 10, 25, 15 minutes
    assert (qt.waiting.n, qt.waiting.mean) == (5, 11.6)
    assert [(s.code, s.tickets, s.visits, s.finished, s.transferred_in) for s in data.by_service] == [
        (s["service"], s["tickets"], s["visits"], s["finished"], s["transferred_in"]) for s in qs["by_service"]]
    assert [(w.code, w.called, w.open_minutes, w.busy_minutes) for w in data.by_window] == [
        (w["window"], w["called"], w["open_minutes"], w["busy_minutes"]) for w in qs["by_window"]]
    assert (data.satisfaction.count, data.satisfaction.mean, data.satisfaction.low,
            data.satisfaction.low_unresolved) == (st["count"], st["mean"], st["low"], st["low_unresolved"]) \
        == (3, 2.67, 2, 1)
    assert data.satisfaction.distribution == (1, 1, 0, 0, 1)
    assert (data.appointments.all, data.appointments.missed_rate) == (ap["all"], ap["missed_rate"])
    assert (data.year, data.month, data.period_start, data.period_end) == (
        2026, 11, dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert data.centre_name == "东湖区社会治理服务中心"
    assert data.generated_at == dt.datetime(2026, 11, 23, 12, 0)


def test_waiting_by_hour_and_visits_by_day_add_up_to_the_month(hall, director, month):
    data = monthly.monthly_data(hall, director, 2026, 11)
    assert [(h.hour, h.visits, h.waiting.n, h.waiting.mean) for h in data.by_hour] == [
        (9, 2, 3, 6.0), (10, 1, 1, 25.0), (14, 2, 1, 15.0)]
    # each bar is exactly the records stats lists for that hour
    for h in data.by_hour:
        assert len(stats.records_for(hall, director, "queue.waiting", NOVEMBER, hour=h.hour)) == h.waiting.n
        assert len(stats.records_for(hall, director, "queue.visits", NOVEMBER, hour=h.hour)) == h.visits
    assert [(d.day, d.tickets, d.visits) for d in data.by_day] == [
        (dt.date(2026, 11, 2), 4, 3), (dt.date(2026, 11, 10), 2, 2)]
    assert sum(d.visits for d in data.by_day) == data.queue.visits


def test_low_ratings_and_deadlines_at_risk(hall, director, month):
    data = monthly.monthly_data(hall, director, 2026, 11)
    assert [(r.rating, r.service_name, r.ticket_number, r.resolved) for r in data.low_ratings] == [
        (2, "司法调解", "T001", False), (1, "劳动仲裁", "L001", True)]
    assert data.low_ratings[0].reasons == "等候时间长" and data.low_ratings[0].comment == "等了很久"
    assert "已当面致歉" in data.low_ratings[1].follow_up
    assert len(data.low_ratings) == data.satisfaction.low
    assert [(d.case_number, d.overdue) for d in data.deadlines] == [
        ("东劳人仲案字〔2026〕第9号", True), ("东调〔2026〕第3号", False)]
    assert data.deadlines[1].days_left == 2 and data.deadlines[1].basis == "协议第二条"


def test_the_overview_is_the_dashboard_in_one_read(hall, director, month):
    ov = monthly.overview(hall, director, NOVEMBER)
    assert ov.report.sections == stats.compute(hall, director, NOVEMBER).sections | {}
    assert [h.hour for h in ov.hours] == [9, 10, 14]
    assert [d.id for d in ov.deadlines] == [month["D_overdue"], month["D_week"]]
    assert [r.id for r in ov.low_ratings] == [month["R_G1"]]      # unresolved only
    everything = monthly.overview(hall, director, NOVEMBER, include_resolved=True)
    assert {r.id for r in everything.low_ratings} == {month["R_G1"], month["R_T3"]}


def test_only_the_director_reads_the_report_and_months_are_checked(hall, front_desk, director):
    with pytest.raises(PermissionDenied):
        monthly.monthly_data(hall, front_desk, 2026, 11)
    with pytest.raises(InvalidInput):
        monthly.monthly_data(hall, director, 2026, 13)
    assert monthly.parse_month("2026-10") == (2026, 10)
    for bad in ("2026/10", "2026-13", "十月", ""):
        with pytest.raises(InvalidInput):
            monthly.parse_month(bad)
    with pytest.raises(InvalidInput):
        monthly.render_monthly(hall, director, 2026, 11, "docx")
    assert monthly.last_month(hall) == (2026, 10)


def test_an_empty_month_gives_zeros(hall, director):
    data = monthly.monthly_data(hall, director, 2026, 9)
    assert (data.queue.tickets, data.queue.no_show_rate, data.queue.waiting.mean) == (0, None, None)
    assert data.by_hour == () and data.by_day == () and data.low_ratings == ()


def test_hall_admin_writes_the_monthly_report(hall, db_url, month, tmp_path, capsys):
    import json

    from openpyxl import load_workbook

    from hall.cli import main

    out = tmp_path / "报表" / "2026-11.xlsx"
    assert main(["--db", db_url, "--json", "report", "--month", "2026-11", "--format", "xlsx",
                 "--out", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["month"] == "2026-11" and result["path"] == str(out)
    wb = load_workbook(out)
    assert wb["总体情况"]["B3"].value == 6
    pdf = tmp_path / "m.pdf"
    assert main(["--db", db_url, "report", "--month", "2026-11", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["--db", db_url, "report", "--month", "2026-13", "--out", str(pdf)]) != 0
    assert "格式不正确" in capsys.readouterr().err
    # a future month is refused in one line, nothing written
    future = tmp_path / "future.pdf"
    assert main(["--db", db_url, "report", "--month", "2100-12", "--out", str(future)]) != 0
    err = capsys.readouterr().err
    assert "尚未开始" in err and "Traceback" not in err and not future.exists()
    assert main(["--db", db_url, "report", "--month", "2100-12", "--freeze"]) != 0
    assert "尚未结束" in capsys.readouterr().err
