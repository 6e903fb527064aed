"""Statistics of mediation cases, arbitration, petitions and deadlines
(hall.services.stats_cases) against a small hand-built fixture, on SQLite and
PostgreSQL."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hall.domain.clock import HALL_TZ, UTC
from hall.services import InvalidInput, NotFound, stats
from hall.services.stats import Period
from hall.store.arbitration_models import ArbitrationCase, Petition
from hall.store.case_models import Agreement, AgreementTerm, Case, FollowUp
from hall.store.models import TrackedDeadline

DAY = dt.date(2026, 11, 23)


def utc(day: dt.date, hhmm: str) -> dt.datetime:
    """A hall-time moment, in UTC."""
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=HALL_TZ).astimezone(UTC)


def ids(records) -> set[int]:
    return {r.id for r in records}


@pytest.fixture
def book(hall, clock, director):
    """Hall time, 2026-11-23:

    C1 婚姻家庭, 当事人申请, mediator 主任, accepted 10:00; agreement v1 took
       effect, terms 1000.00 + 500.50; follow-ups: 部分履行 then 已履行.
    C2 邻里, 主动调解, no mediator, accepted 23:30 (still the 23rd in the hall);
       failed; a draft agreement of 99.00 (not counted).
    C3 合同, accepted 00:30 on the 24th (the 23rd in UTC): outside the day.
    """
    now = clock.now()
    out = {}
    with hall.write() as s:
        def add_case(key, number, category, source, state, accepted_at, mediator=None):
            c = Case(number=number, year=2026, category=category, source=source, state=state,
                     mediator_id=mediator, created_at=accepted_at, updated_at=now, accepted_at=accepted_at)
            s.add(c)
            s.flush()
            out[key] = c.id
            return c

        c1 = add_case("C1", "T-2026-1", "marriage_family", "application", "agreement", utc(DAY, "10:00"),
                      director.user_id)
        c2 = add_case("C2", "T-2026-2", "neighbourhood", "initiative", "failed", utc(DAY, "23:30"))
        c3 = add_case("C3", "T-2026-3", "contract", "application", "agreement",
                      utc(DAY + dt.timedelta(days=1), "00:30"))

        def add_agreement(case, state, amounts, effective_at=None):
            a = Agreement(case_id=case.id, version=1, state=state, created_at=now, effective_at=effective_at)
            s.add(a)
            s.flush()
            for i, amount in enumerate(amounts, 1):
                s.add(AgreementTerm(agreement_id=a.id, position=i, content=f"第{i}项", amount=amount))
            return a

        a1 = add_agreement(c1, "effective", [Decimal("1000.00"), Decimal("500.50")], utc(DAY, "11:00"))
        add_agreement(c2, "draft", [Decimal("99.00")])
        add_agreement(c3, "effective", [Decimal("7.00")], utc(DAY + dt.timedelta(days=1), "09:00"))
        for hhmm, perf in (("14:00", "partly"), ("16:00", "performed")):
            s.add(FollowUp(agreement_id=a1.id, case_id=c1.id, at=utc(DAY, hhmm), method="phone",
                           performance=perf, created_at=now))

        def add_arb(key, seq, received_on, accepted_on=None, outcome="", outcome_on=None):
            a = ArbitrationCase(receipt_number=f"R-{seq}", receipt_year=2026, receipt_seq=seq, state="received",
                                received_on=received_on, received_at=now, accepted_on=accepted_on,
                                outcome=outcome, outcome_on=outcome_on, created_at=now, updated_at=now)
            s.add(a)
            s.flush()
            out[key] = a.id

        add_arb("A1", 1, DAY, DAY, "mediation_statement", DAY)
        add_arb("A2", 2, DAY - dt.timedelta(days=1), None, "refused", DAY)
        add_arb("A3", 3, DAY)

        p = Petition(number="X-1", year=2026, seq=1, state="closed", channel="written", via="visit",
                     received_on=DAY, registered_at=now, accepted_on=DAY, opinion_outcome="support",
                     opinion_on=DAY, closed_on=DAY, created_at=now, updated_at=now)
        s.add(p)
        s.flush()
        out["P1"] = p.id

        def add_deadline(key, rule, due, met):
            d = TrackedDeadline(rule_code=rule, subject_type="arbitration", subject_id=out["A1"],
                                start_date=DAY - dt.timedelta(days=10), due_date=due, met_on=met, created_at=now)
            s.add(d)
            s.flush()
            out[key] = d.id

        add_deadline("D_late", "labour.acceptance", DAY - dt.timedelta(days=1), DAY)
        add_deadline("D_ok", "labour.acceptance", DAY, DAY)
        add_deadline("D_pet", "petition.register", DAY + dt.timedelta(days=5), DAY)
        add_deadline("D_open", "labour.award", DAY, None)
        add_deadline("D_before", "labour.award", DAY, DAY - dt.timedelta(days=1))
    return out


def test_case_figures_by_category_source_and_mediator(hall, director, book):
    r = stats.compute(hall, director, Period.day(DAY), sections=["cases"])
    c = r["cases"]
    assert (c["accepted"], c["success"], c["success_rate"]) == (2, 1, 0.5)
    assert (c["followed_up"], c["performed"], c["performance_rate"]) == (1, 1, 1.0)
    assert c["amount"] == "1500.50"
    assert c["by_category"] == [
        {"category": "marriage_family", "name": "婚姻家庭", "accepted": 1, "success": 1, "success_rate": 1.0,
         "followed_up": 1, "performed": 1, "performance_rate": 1.0, "followup_rate": 1.0,
         "amount": "1500.50"},
        {"category": "neighbourhood", "name": "邻里", "accepted": 1, "success": 0, "success_rate": 0.0,
         "followed_up": 0, "performed": 0, "performance_rate": None, "followup_rate": None, "amount": None},
    ]
    assert [(x["source"], x["name"], x["accepted"], x["success"]) for x in c["by_source"]] == [
        ("application", "当事人申请", 1, 1), ("initiative", "主动调解", 1, 0)]
    by_mediator = {x["mediator"]: (x["accepted"], x["success"], x["amount"]) for x in c["by_mediator"]}
    assert by_mediator == {director.user_id: (1, 1, "1500.50"), None: (1, 0, None)}
    # the shape the director's chart reads
    assert [(x["category"], x["name"], x["success_rate"]) for x in c["by_category"]] == [
        ("marriage_family", "婚姻家庭", 1.0), ("neighbourhood", "邻里", 0.0)]


def test_case_records_are_exactly_the_counted_cases(hall, director, book):
    day = Period.day(DAY)
    assert ids(stats.records_for(hall, director, "cases.accepted", day)) == {book["C1"], book["C2"]}
    assert ids(stats.records_for(hall, director, "cases.success", day)) == {book["C1"]}
    assert ids(stats.records_for(hall, director, "cases.success", day, category="marriage_family")) == {book["C1"]}
    assert stats.records_for(hall, director, "cases.success", day, category="neighbourhood") == []
    assert ids(stats.records_for(hall, director, "cases.accepted", day, source="initiative")) == {book["C2"]}
    assert ids(stats.records_for(hall, director, "cases.accepted", day,
                                 mediator=director.user_id)) == {book["C1"]}
    assert ids(stats.records_for(hall, director, "cases.followed_up", day)) == {book["C1"]}
    assert ids(stats.records_for(hall, director, "cases.performed", day)) == {book["C1"]}
    [rec] = stats.records_for(hall, director, "cases.amount", day)
    assert (rec.id, rec.amount, rec.category_name, rec.kind) == (book["C1"], "1500.50", "婚姻家庭", "case")
    # the next day holds C3 only
    nxt = Period.day(DAY + dt.timedelta(days=1))
    assert ids(stats.records_for(hall, director, "cases.success", nxt)) == {book["C3"]}
    assert stats.compute(hall, director, nxt, sections=["cases"])["cases"]["amount"] == "7.00"
    with pytest.raises(InvalidInput):
        stats.records_for(hall, director, "cases.accepted", day, window="w01")
    with pytest.raises(NotFound):
        stats.records_for(hall, director, "cases.nothing", day)


def test_latest_follow_up_decides_performance(hall, director, book, clock):
    with hall.write() as s:
        a1 = s.query(Agreement).filter(Agreement.case_id == book["C1"]).one()
        s.add(FollowUp(agreement_id=a1.id, case_id=book["C1"], at=utc(DAY, "18:00"), method="visit",
                       performance="not", created_at=clock.now()))
    c = stats.compute(hall, director, Period.day(DAY), sections=["cases"])["cases"]
    assert (c["followed_up"], c["performed"], c["performance_rate"]) == (1, 0, 0.0)
    assert stats.records_for(hall, director, "cases.performed", Period.day(DAY)) == []


def test_arbitration_and_petition_figures(hall, director, book):
    day = Period.day(DAY)
    r = stats.compute(hall, director, day, sections=["arbitration", "petitions"])
    a = r["arbitration"]
    assert (a["received"], a["accepted"], a["closed"]) == (2, 1, 1)
    assert a["by_outcome"] == [{"outcome": "mediation_statement", "name": "仲裁调解书", "count": 1},
                               {"outcome": "refused", "name": "不予受理", "count": 1}]
    assert ids(stats.records_for(hall, director, "arbitration.received", day)) == {book["A1"], book["A3"]}
    assert ids(stats.records_for(hall, director, "arbitration.closed", day)) == {book["A1"]}
    assert ids(stats.records_for(hall, director, "arbitration.outcomes", day, outcome="refused")) == {book["A2"]}
    p = r["petitions"]
    assert (p["received"], p["accepted"], p["closed"], p["opinions"]) == (1, 1, 1, 1)
    assert p["by_opinion"] == [{"outcome": "support", "name": "予以支持", "count": 1}]
    assert ids(stats.records_for(hall, director, "petitions.opinions", day, outcome="support")) == {book["P1"]}


def test_on_time_rate_per_deadline_rule(hall, director, book):
    day = Period.day(DAY)
    d = stats.compute(hall, director, day, sections=["deadlines"])["deadlines"]
    assert (d["met"], d["on_time"], d["late"], d["on_time_rate"]) == (3, 2, 1, round(2 / 3, 4))
    by_rule = {x["rule"]: x for x in d["by_rule"]}
    assert set(by_rule) == {"labour.acceptance", "petition.register"}
    acc = by_rule["labour.acceptance"]
    assert (acc["met"], acc["on_time"], acc["late"], acc["on_time_rate"]) == (2, 1, 1, 0.5)
    assert acc["name"] and acc["name"] != "labour.acceptance"
    assert by_rule["petition.register"]["on_time_rate"] == 1.0
    assert ids(stats.records_for(hall, director, "deadlines.late", day)) == {book["D_late"]}
    assert ids(stats.records_for(hall, director, "deadlines.on_time", day,
                                 rule="labour.acceptance")) == {book["D_ok"]}
    assert ids(stats.records_for(hall, director, "deadlines.met", day)) == {book["D_late"], book["D_ok"],
                                                                            book["D_pet"]}


def test_an_empty_period_gives_zeros_and_no_rates(hall, director, book):
    empty = Period.day(DAY - dt.timedelta(days=30))
    r = stats.compute(hall, director, empty, sections=["cases", "arbitration", "petitions", "deadlines"])
    c = r["cases"]
    assert (c["accepted"], c["success"], c["success_rate"], c["performance_rate"], c["amount"]) == (
        0, 0, None, None, "0.00")
    assert c["by_category"] == [] and c["by_source"] == [] and c["by_mediator"] == []
    assert (r["arbitration"]["received"], r["arbitration"]["by_outcome"]) == (0, [])
    assert r["petitions"]["received"] == 0
    assert (r["deadlines"]["met"], r["deadlines"]["on_time_rate"], r["deadlines"]["by_rule"]) == (0, None, [])
    assert stats.records_for(hall, director, "cases.accepted", empty) == []


def test_the_new_sections_are_registered_figures(hall, director):
    keys = stats.figures()
    for key in ("cases.accepted", "cases.success", "cases.performed", "arbitration.closed",
                "petitions.received", "deadlines.on_time"):
        assert key in keys
    r = stats.compute(hall, director, Period.day(DAY))
    assert {"queue", "cases", "arbitration", "petitions", "deadlines"} <= set(r.sections)


def test_a_rate_lists_the_records_it_is_computed_over(hall, director, book):
    day = Period.day(DAY)
    assert ids(stats.records_for(hall, director, "cases.success_rate", day)) == {book["C1"], book["C2"]}
    assert ids(stats.records_for(hall, director, "cases.performance_rate", day)) == {book["C1"]}
    assert len(stats.records_for(hall, director, "deadlines.on_time_rate", day)) == 3
