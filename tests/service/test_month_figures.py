"""A month's mediation figures counted in the month each outcome happened,
协议履行率 as DOMAIN.md defines it, frozen monthly snapshots and the monthly
report's refusals, against figures worked out by hand below (SQLite and
PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from hall.domain.clock import HALL_TZ, UTC
from hall.services import Conflict, InvalidInput, PermissionDenied, monthly, snapshots, stats
from hall.services.stats import Period
from hall.store.case_models import Agreement, AgreementTerm, Case, CaseTimelineEntry, FollowUp

NOVEMBER = Period.month(2026, 11)
DECEMBER = Period.month(2026, 12)


def utc(y: int, m: int, d: int, hhmm: str = "10:00") -> dt.datetime:
    h, mi = map(int, hhmm.split(":"))
    return dt.datetime(y, m, d, h, mi, tzinfo=HALL_TZ).astimezone(UTC)


def add_case(s, number, accepted_at, state, *, agreement_at=None, amount=None, follow_ups=(), terminated_at=None,
             risk="low", police=False):
    c = Case(number=number, year=2026, category="neighbourhood", source="application", state=state,
             created_at=accepted_at, updated_at=accepted_at, accepted_at=accepted_at, risk=risk, police_flag=police)
    s.add(c)
    s.flush()
    if agreement_at is not None:
        a = Agreement(case_id=c.id, version=1, state="effective", created_at=agreement_at, effective_at=agreement_at)
        s.add(a)
        s.flush()
        s.add(AgreementTerm(agreement_id=a.id, position=1, content="给付", amount=amount))
        for at, perf in follow_ups:
            s.add(FollowUp(agreement_id=a.id, case_id=c.id, at=at, method="phone", performance=perf, created_at=at))
    if terminated_at is not None:
        s.add(CaseTimelineEntry(case_id=c.id, at=terminated_at, kind="terminated", text="调解不成"))
    return c.id


@pytest.fixture
def cases(hall):
    """Hall time:

    K1 accepted 10-20, agreement 11-03 (1000.00), follow-up 11-20 已履行
    K2 accepted 11-02, agreement 11-05 (2000.00), follow-up 11-25 部分履行
    K3 accepted 11-04, agreement 11-10 (3000.25), no follow-up
    K4 accepted 11-06, agreement 11-12 (4000.25), follow-up 12-02 已履行 (after November)
    K5 accepted 11-08, terminated 11-18 (调解不成)
    K6 accepted 11-09, agreement 12-01 (7000.00)
    """
    ids = {}
    with hall.write() as s:
        ids["K1"] = add_case(s, "K-1", utc(2026, 10, 20), "agreement", agreement_at=utc(2026, 11, 3),
                             amount=Decimal("1000.00"), follow_ups=[(utc(2026, 11, 20), "performed")])
        ids["K2"] = add_case(s, "K-2", utc(2026, 11, 2), "agreement", agreement_at=utc(2026, 11, 5),
                             amount=Decimal("2000.00"), follow_ups=[(utc(2026, 11, 25), "partly")])
        ids["K3"] = add_case(s, "K-3", utc(2026, 11, 4), "agreement", agreement_at=utc(2026, 11, 10),
                             amount=Decimal("3000.25"))
        ids["K4"] = add_case(s, "K-4", utc(2026, 11, 6), "agreement", agreement_at=utc(2026, 11, 12),
                             amount=Decimal("4000.25"), follow_ups=[(utc(2026, 12, 2), "performed")])
        ids["K5"] = add_case(s, "K-5", utc(2026, 11, 8), "failed", terminated_at=utc(2026, 11, 18))
        ids["K6"] = add_case(s, "K-6", utc(2026, 11, 9), "agreement", agreement_at=utc(2026, 12, 1),
                             amount=Decimal("7000.00"))
        ids["K7"] = add_case(s, "K-7", utc(2026, 11, 10), "mediating", risk="high")
        ids["K8"] = add_case(s, "K-8", utc(2026, 11, 11), "mediating", police=True)
    return ids


def test_outcomes_count_in_the_month_they_happened(hall, director, cases, clock):
    clock.set_local(dt.datetime(2026, 12, 3, 9, 0))
    co = stats.compute(hall, director, NOVEMBER, ["case_outcomes"])["case_outcomes"]
    # concluded K1-K5; success K1-K4; failed K5
    assert (co["concluded"], co["success"], co["failed"]) == (5, 4, 1)
    assert co["success_rate"] == round(4 / 5, 4)
    # before 12-01: K1 and K2 followed up; only K1's latest follow-up says 已履行
    assert (co["followed_up"], co["performed"]) == (2, 1)
    assert co["performance_rate"] == 0.25 and co["followup_rate"] == 0.5
    assert co["amount"] == "10000.50"
    rec = lambda key: {r.id for r in stats.records_for(hall, director, key, NOVEMBER)}  # noqa: E731
    assert rec("case_outcomes.success") == {cases["K1"], cases["K2"], cases["K3"], cases["K4"]}
    assert rec("case_outcomes.failed") == {cases["K5"]}
    assert rec("case_outcomes.performance_rate") == rec("case_outcomes.success")
    assert rec("case_outcomes.success_rate") == rec("case_outcomes.concluded")
    dec = stats.compute(hall, director, DECEMBER, ["case_outcomes"])["case_outcomes"]
    assert (dec["success"], dec["amount"]) == (1, "7000.00")


def test_performance_rate_is_performed_over_agreements_reached(hall, director, cases, clock):
    clock.set_local(dt.datetime(2026, 12, 3, 9, 0))
    c = stats.compute(hall, director, NOVEMBER, ["cases"])["cases"]
    # accepted in November: K2-K8 (7); agreements K2, K3, K4, K6 (4); performed (latest follow-up, now): K4
    assert (c["accepted"], c["success"], c["followed_up"], c["performed"]) == (7, 4, 2, 1)
    assert c["performance_rate"] == 0.25          # 1 / 4 agreements reached, not 1 / 2 followed up
    assert c["followup_rate"] == 0.5              # 回访率
    assert "待核实" not in "".join(stats.figures().values())


def test_a_frozen_month_keeps_its_figures_and_a_rerun_shows_what_changed(hall, director, cases, clock):
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))
    with pytest.raises(InvalidInput, match="尚未结束"):
        snapshots.freeze(hall, director, 2026, 11)
    clock.set_local(dt.datetime(2026, 12, 3, 9, 0))
    snap = snapshots.freeze(hall, director, 2026, 11)
    # the hash is the SHA-256 of the stored canonical JSON
    text = json.dumps(snap.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert snap.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert snap.payload["sections"]["case_outcomes"]["success"] == 4
    with pytest.raises(Conflict):
        snapshots.freeze(hall, director, 2026, 11)
    assert snapshots.changes(hall, director, 2026, 11) == []

    # in December a November case reaches an agreement
    with hall.write() as s:
        a = Agreement(case_id=cases["K7"], version=1, state="effective", created_at=utc(2026, 12, 3),
                      effective_at=utc(2026, 12, 3))
        s.add(a)
        s.flush()
        s.add(AgreementTerm(agreement_id=a.id, position=1, content="给付", amount=Decimal("500.00")))
    changed = {c.path: (c.frozen, c.now) for c in snapshots.changes(hall, director, 2026, 11)}
    assert changed.get("cases.success") == (4, 5), changed                  # the cohort view moves...
    assert not any(p.startswith("case_outcomes.") for p in changed)   # ...the outcome view does not
    # the report prints the frozen figures and lists the change
    data = monthly.monthly_data(hall, director, 2026, 11)
    assert data.frozen.sha256 == snap.sha256 and data.as_of is None
    assert ("人民调解（按受理月） · 调解成功数", 4, 5) in {(c.path, c.frozen, c.now) for c in data.changes}
    cohort = next(t for t in data.extra if getattr(t, "key", "") == "cases_cohort")
    assert cohort.rows[-1][2] == 4                             # 合计: agreements, as frozen


def test_the_first_report_of_a_closed_month_freezes_it(hall, director, cases, clock, front_desk):
    clock.set_local(dt.datetime(2026, 12, 3, 9, 0))
    assert snapshots.snapshot(hall, 2026, 11) is None
    monthly.monthly_data(hall, director, 2026, 11)
    assert snapshots.snapshot(hall, 2026, 11) is not None
    with pytest.raises(PermissionDenied):
        snapshots.freeze(hall, front_desk, 2026, 10)


def test_a_future_month_is_refused_and_the_current_month_is_marked(hall, director, clock):
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))
    with pytest.raises(InvalidInput, match="尚未开始"):
        monthly.monthly_data(hall, director, 2027, 5)
    with pytest.raises(InvalidInput, match="尚未开始"):
        monthly.monthly_data(hall, director, 2026, 12)
    data = monthly.monthly_data(hall, director, 2026, 11)
    assert data.as_of == dt.datetime(2026, 11, 23, 9, 0) and data.frozen is None
    assert data.as_of_label == "截至 2026-11-23 09:00（本月尚未结束）"
    assert snapshots.snapshot(hall, 2026, 11) is None          # a month not over is never frozen


def test_high_risk_cases_and_trends(hall, director, cases, clock):
    clock.set_local(dt.datetime(2026, 12, 3, 9, 0))
    risky = monthly.high_risk_cases(hall, director)
    assert [(c.number, c.police_flag) for c in risky] == [("K-8", True), ("K-7", False)]
    rows = monthly.trends(hall, director, 2026, 12)
    assert len(rows) == 12 and (rows[0].year, rows[0].month) == (2026, 1)
    by = {(r.year, r.month): r for r in rows}
    # accepted: October 1 (K1), November 7 (K2-K8), December 0
    assert (by[(2026, 10)].cases_accepted, by[(2026, 11)].cases_accepted) == (1, 7)
    assert by[(2026, 11)].cases_mom == round((7 - 1) / 1, 4)
    assert by[(2026, 12)].cases_mom == -1.0
    assert by[(2026, 11)].cases_yoy is None                    # nothing in November 2025
    assert (by[(2026, 11)].concluded, by[(2026, 11)].success) == (5, 4)
