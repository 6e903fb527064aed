"""A month of whistles whose two-way assessment is worked out by hand (for the
service, report, UI and scenario tests of 吹哨报到's assessment).

Monday 2026-11-23 09:00 (T0), default periods and weights:

* W1 日常哨, 东风路街道, water + metro: both report at T0+1h and solve at T0+2h;
  closed; the resident rates 5 at the kiosk with the resident code.
* W2 日常哨, 东风路街道, water + metro: metro returns it at T0+1h (not its duty);
  water is escalated at T0+25h (报到 was due at T0+24h), reports at T0+30h,
  solves at T0+31h (on time); closed; a phone follow-up rates 2.
* W3 攻坚哨, 望月湖街道, metro: reports at T0+1h, solves at T0+2h; closed;
  一案一评 80.
* W4 应急哨, 望月湖街道, water: reports at T0+1h (exactly on time), escalated
  at T0+49h (办结 was due at the end of 11-24), solves then (late); not closed.
* Adjustments: metro −3 (会商缺席), 望月湖街道 +2 (应急处置组织有力).
"""
from __future__ import annotations

from hall.services import whistle

from .whistle_setup import setup_whistle

A, B = "东风路街道", "望月湖街道"


def build_month(hall, admin, clock) -> dict:
    who = setup_whistle(hall, admin)
    desk, water, metro = who["desk"], who["water"], who["metro"]

    def blow(kind, depts, street, n):
        return whistle.issue_whistle(hall, desk, kind=kind, departments=depts, matter=f"事项{n}",
                                     place=f"地点{n}", street=street)
    w1 = blow("daily", ["water", "metro"], A, 1)
    w2 = blow("daily", ["water", "metro"], A, 2)
    w3 = blow("tough", ["metro"], B, 3)
    w4 = blow("emergency", ["water"], B, 4)
    sid = {(w.number, x.department_code): x.id for w in (w1, w2, w3, w4) for x in w.summons}
    clock.advance(hours=1)
    whistle.report(hall, water, sid[(w1.number, "water")], "周工")
    whistle.report(hall, water, sid[(w4.number, "water")], "周工")
    whistle.report(hall, metro, sid[(w1.number, "metro")], "吴工")
    whistle.report(hall, metro, sid[(w3.number, "metro")], "吴工")
    whistle.return_summons(hall, metro, sid[(w2.number, "metro")], "不属于地铁公司职责范围")
    clock.advance(hours=1)
    whistle.submit_result(hall, water, sid[(w1.number, "water")], "已修复管网")
    whistle.submit_result(hall, metro, sid[(w1.number, "metro")], "已恢复围挡")
    whistle.submit_result(hall, metro, sid[(w3.number, "metro")], "已完成整改")
    whistle.confirm_closure(hall, desk, w1.id)
    whistle.confirm_closure(hall, desk, w3.id)
    whistle.review_case(hall, desk, w3.id, "metro", 80, "整改到位")
    code = whistle.resident_code(hall, desk, w1.id)
    whistle.rate_by_resident_code(hall, code, 5, ["efficient"])   # the resident, at the kiosk
    clock.advance(hours=23)      # T0+25h
    whistle.escalate_overdue(hall, desk)
    clock.advance(hours=5)       # T0+30h
    whistle.report(hall, water, sid[(w2.number, "water")], "周工")
    clock.advance(hours=1)
    whistle.submit_result(hall, water, sid[(w2.number, "water")], "已疏通")
    whistle.confirm_closure(hall, desk, w2.id)
    whistle.record_satisfaction(hall, desk, w2.id, 2, "phone", "反复渗水")
    clock.advance(hours=18)      # T0+49h
    whistle.escalate_overdue(hall, desk)
    whistle.submit_result(hall, water, sid[(w4.number, "water")], "已抢修")
    whistle.adjust(hall, desk, "2026-11", "department", "metro", -3, "会商缺席")
    whistle.adjust(hall, desk, "2026-11", "street", B, 2, "应急处置组织有力")
    return {**who, "w": (w1, w2, w3, w4), "code": code}


#: Worked out by hand from the story above (default weights: 40/40/20, street 30 %,
#: negative list −10 late 报到, −10 late 办结, −10 督办, −5 退回; street 40/30/30).
#: water: 3 counted; on time 报到 W1, W4 = 2/3; on time 办结 W1, W2 = 2/3; rated W1 5, W2 2 → 1/2
#:   system = 66.67×0.4 + 66.67×0.4 + 50×0.2 = 63.34
#:   street: W1 100, W2 100−10−10 = 80, W4 (no 一案一评) 100−10−10 = 80 → 86.67
#:   total = 63.34×0.7 + 86.67×0.3 = 70.34
#: metro: 2 counted (W2 returned); 2/2, 2/2, rated W1 5 → 1/1; system 100
#:   street: W1 100, W2 returned 95, W3 一案一评 80 → 91.67; total = 70 + 27.50 − 3 = 94.50
#: 东风路: quality 1/2 = 50, closure 2/2 = 100, satisfied 1/2 = 50 → 20 + 30 + 15 = 65.00
#: 望月湖: quality 2/2 = 100, closure 1/2 = 50, no rating = 100 → 40 + 15 + 30 + 2 = 87.00
#: all: 4 whistles, 3 closed → 75 %; 5 results, 4 on time (W4 late) → 80 %
EXPECTED = {
    "water": {"summons": 3, "reported_on_time": 2, "resolved_on_time": 2, "rated": 2, "satisfied": 1,
              "escalated": 2, "returned": 0, "report_rate": 66.67, "solve_rate": 66.67,
              "satisfaction_rate": 50.0, "system_score": 63.34, "street_score": 86.67, "adjustment": 0,
              "total": 70.34},
    "metro": {"summons": 3, "reported_on_time": 2, "resolved_on_time": 2, "rated": 1, "satisfied": 1,
              "escalated": 0, "returned": 1, "report_rate": 100.0, "solve_rate": 100.0,
              "satisfaction_rate": 100.0, "system_score": 100.0, "street_score": 91.67, "adjustment": -3,
              "total": 94.5},
    A: {"whistles": 2, "closed": 2, "well_aimed": 1, "rated": 2, "satisfied": 1, "quality_rate": 50.0,
        "closure_rate": 100.0, "satisfaction_rate": 50.0, "adjustment": 0, "total": 65.0},
    B: {"whistles": 2, "closed": 1, "well_aimed": 2, "rated": 0, "satisfied": 0, "quality_rate": 100.0,
        "closure_rate": 50.0, "satisfaction_rate": 100.0, "adjustment": 2, "total": 87.0},
}
