"""吹哨报到 rules: settings checks, intake record mapping, the assessment's arithmetic."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.domain import whistle as r
from hall.domain.clock import HALL_TZ


def test_deadline_settings_fill_defaults_and_refuse_bad_values():
    got = r.check_deadlines({"daily": {"response_hours": "12"}})
    assert got["daily"] == {"response_hours": 12, "solution_days": 5}
    with pytest.raises(ValueError, match="攻坚哨办结时限"):
        r.check_deadlines({"tough": {"solution_days": 0}})
    with pytest.raises(ValueError, match="未知的哨类"):
        r.check_deadlines({"weekly": {}})


def test_weights_must_add_up():
    assert r.check_weights({})["street_share"] == 30
    with pytest.raises(ValueError, match="部门考核三项权重"):
        r.check_weights({"dept_solve": 10})
    with pytest.raises(ValueError, match="未知的考核权重"):
        r.check_weights({"bonus": 1})


def test_record_mapping_by_platform_headers():
    rec, problems = r.check_record(r.EventSource.HOTLINE, {
        "工单编号": " 12345-1 ", "诉求人": "李女士", "诉求内容": "噪音", "派单时间": "2026/11/23 8:30",
        "办结时限": "2026-11-30", "答复方式": "短信", "附件": "a.jpg；b.jpg"}, HALL_TZ)
    assert problems == []
    assert rec.external_id == "12345-1"
    assert rec.values["reported_at"] == dt.datetime(2026, 11, 23, 8, 30, tzinfo=HALL_TZ)
    assert rec.values["attachments"] == ["a.jpg", "b.jpg"]
    rec, problems = r.check_record(r.EventSource.GRID, {"事件编号": "G1", "上报时间": "soon"}, HALL_TZ)
    assert rec is None
    assert "缺少网格编码" in problems and any("格式不正确" in p for p in problems)


def _f(**kw):
    base = dict(summons_id=1, whistle_number="CS-1", kind="daily", reported_on_time=True, resolved_on_time=True,
                escalated=False, returned=False, review_score=None, satisfaction=5)
    base.update(kw)
    return r.SummonsFacts(**base)


def test_department_score_two_way():
    w = r.check_weights({})
    perfect = r.department_score([_f()], w)
    assert (perfect["system_score"], perfect["street_score"], perfect["total"]) == (100.0, 100.0, 100.0)
    late = r.department_score([_f(reported_on_time=False, escalated=True, satisfaction=2)], w)
    assert late["system_score"] == 40.0          # solve 40 only
    assert late["street_score"] == 80.0          # negative list: −10 late, −10 escalated
    assert late["total"] == round(40 * 0.7 + 80 * 0.3, 2)
    tough = r.department_score([_f(kind="tough", review_score=60)], w, adjustment=-2)
    assert tough["street_score"] == 60.0 and tough["total"] == round(100 * 0.7 + 60 * 0.3 - 2, 2)
    returned = r.department_score([_f(returned=True, reported_on_time=None, resolved_on_time=None)], w)
    assert returned["street_score"] == 95.0 and returned["counted"] == 0


def test_street_score_and_months():
    w = r.check_weights({})
    got = r.street_score([r.WhistleFacts("a", True, True, 5), r.WhistleFacts("b", False, False, None)], w)
    assert (got["quality_rate"], got["closure_rate"], got["satisfaction_rate"]) == (50.0, 50.0, 100.0)
    assert got["total"] == round(50 * 0.4 + 50 * 0.3 + 100 * 0.3, 2)
    assert r.month_bounds(2026, 12) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        r.month_bounds(2026, 13)


def test_departments_for_category():
    ds = [r.DepartmentDef("water", "自来水公司", categories=("供水",)),
          r.DepartmentDef("old", "旧单位", categories=("供水",), active=False)]
    assert r.departments_for("供水管网", ds) == ["water"]
    assert r.departments_for("", ds) == []
