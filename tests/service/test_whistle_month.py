"""The month's two-way assessment of 吹哨报到, checked against a month worked
out by hand (tests/whistle_month.py), in the service, the director's monthly
PDF (pdftotext) and XLSX (openpyxl), on SQLite and PostgreSQL."""
from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import load_workbook

from hall.services import PermissionDenied, monthly, whistle
from tests.whistle_month import EXPECTED, A, B, build_month


@pytest.fixture
def month(hall, admin, clock):
    return build_month(hall, admin, clock)


def _close(got: dict, want: dict) -> None:
    for k, v in want.items():
        assert got[k] == pytest.approx(v, abs=0.005), k


def test_the_assessment_matches_the_month_worked_out_by_hand(hall, month, director, admin):
    w1, w2, w3, w4 = (w.number for w in month["w"])
    a = whistle.monthly_assessment(hall, director, 2026, 11)
    assert (a.whistles, a.closed, a.closure_rate) == (4, 3, 75.0)
    assert (a.resolved_summons, a.on_time_summons, a.on_time_rate) == (5, 4, 80.0)
    assert a.records["closed"] == [w1, w2, w3]
    assert sorted(a.records["on_time"]) == sorted([w1, w1, w2, w3])
    by = {d.code: d for d in a.departments}
    _close(by["water"].figures, EXPECTED["water"])
    _close(by["metro"].figures, EXPECTED["metro"])
    assert by["water"].records["reported_on_time"] == [w1, w4]
    assert by["water"].records["resolved_on_time"] == [w1, w2]
    assert by["water"].records["escalated"] == [w2, w4]
    assert by["water"].records["satisfied"] == [w1]
    assert by["metro"].records["returned"] == [w2]
    assert by["metro"].records["adjustment"] == ["-3：会商缺席"]
    st = {x.street: x for x in a.streets}
    _close(st[A].figures, EXPECTED[A])
    _close(st[B].figures, EXPECTED[B])
    assert st[A].records["well_aimed"] == [w1]
    assert st[B].records["closed"] == [w3]
    # the weights are settings: the street's share at 50 % moves the totals as computed by hand
    whistle.set_weights(hall, admin, {"street_share": 50})
    a = whistle.monthly_assessment(hall, director, 2026, 11)
    by = {d.code: d for d in a.departments}
    assert by["water"].figures["total"] == pytest.approx(63.34 * 0.5 + 86.67 * 0.5, abs=0.005)
    assert by["metro"].figures["total"] == pytest.approx(100 * 0.5 + 91.67 * 0.5 - 3, abs=0.005)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "m.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_the_monthly_pdf_and_xlsx_carry_the_assessment(hall, month, director, tmp_path):
    w1, w2, w3, w4 = (w.number for w in month["w"])
    text = _pdf_text(monthly.render_monthly(hall, director, 2026, 11, "pdf"), tmp_path)
    flat = " ".join(text.split())
    for heading in ("吹哨报到：办结率与按时办结率", "吹哨报到：部门考核", "吹哨报到：街道考核",
                    "吹哨报到：各项考核数字对应的吹哨"):
        assert heading in flat
    assert "75.0%（3/4）" in flat and "80.0%（4/5）" in flat
    lines = [" ".join(x.split()) for x in text.splitlines()]
    water = next(x for x in lines if x.startswith("自来水公司 3 "))
    assert water.split()[-6:] == ["66.67", "50.00", "63.34", "86.67", "0.00", "70.34"]
    metro = next(x for x in lines if x.startswith("地铁公司 3 "))
    assert metro.split()[-4:] == ["100.00", "91.67", "-3.00", "94.50"]
    assert any(x.startswith(f"{B} 2 1 2 0/0") and x.endswith("2.00 87.00") for x in lines)
    joined = "".join(text.split())      # the notes wrap
    assert "系统得分=报到得分率×40%+办理得分率×40%+满意度得分率×20%" in joined
    assert "总分=系统得分×70%+街道评价×30%+加减分" in joined

    wb = load_workbook(io.BytesIO(monthly.render_monthly(hall, director, 2026, 11, "xlsx")))
    rates = [[c.value for c in r] for r in wb["吹哨报到办结"].iter_rows(min_row=3, max_row=4)]
    assert rates[0][:4] == ["办结率（吹哨）", 3, 4, 0.75]
    assert rates[1][:4] == ["按时办结率（部门办理）", 4, 5, 0.8]
    assert rates[0][4] == "、".join([w1, w2, w3])
    assert rates[1][4] == f"{w1}（地铁公司）、{w3}（地铁公司）、{w1}（自来水公司）、{w2}（自来水公司）"
    depts = {r[0].value: [c.value for c in r] for r in wb["吹哨部门考核"].iter_rows(min_row=3) if r[0].value}
    assert depts["自来水公司"][1:] == [3, 2, 2, "1/2", 2, 0, 66.67, 66.67, 50.0, 63.34, 86.67, 0.0, 70.34]
    assert depts["地铁公司"][-2:] == [-3.0, 94.5]
    streets = {r[0].value: [c.value for c in r] for r in wb["吹哨街道考核"].iter_rows(min_row=3) if r[0].value}
    assert streets[A][1:] == [2, 2, 1, "1/2", 50.0, 100.0, 50.0, 0.0, 65.0]
    assert streets[B][-1] == 87.0
    detail = [[c.value for c in r] for r in wb["吹哨考核明细"].iter_rows(min_row=3) if r[0].value]
    assert ["部门：自来水公司", "被督办", 2, f"{w2}、{w4}"] in detail
    assert ["街道：望月湖街道", "加减分", 1, "+2：应急处置组织有力"] in detail


def test_the_tables_need_the_statistics_permission_first(hall, month):
    with pytest.raises(PermissionDenied):
        monthly.whistle_tables(hall, month["desk"], 2026, 11)     # the desk reads whistles, not statistics
