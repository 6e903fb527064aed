"""The monthly report read back: the PDF's text layer (pdftotext) and the
workbook's cells (openpyxl) say what the statistics say."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports import monthly as rm
from reports.fonts import MissingGlyphError

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext) is not installed")

HEAD = ["总体情况", "近12个月趋势", "每日来访", "各业务办理", "分时段等候", "各窗口工作量", "预约情况", "满意度",
        "评价来源", "不满意评价"]
TAIL = ["高风险案件", "期限风险"]
SHEETS = HEAD + TAIL
#: The other areas' breakdowns (hall.services.stats_cases), one sheet each.
AREA_SHEETS = ["调解结果（按纠纷类别）", "调解结果（按案件来源）", "调解结果（按调解员）", "本月受理案件去向",
               "调解员工作量", "各部门工作量", "仲裁结案方式", "信访处理意见", "期限按期完成",
               "吹哨报到办结", "吹哨部门考核", "吹哨街道考核", "吹哨考核明细"]


@pytest.fixture
def november(sqlite_db, clock, admin):
    """The small November of tests/service/test_monthly.py, on SQLite, as report data."""
    from hall.services import monthly, stats
    from hall.services.demo import install_demo
    from tests.conftest import staff_actor
    from tests.service.test_monthly import build_month

    install_demo(sqlite_db, admin, history=False)
    director = staff_actor(sqlite_db, "zhuren")
    build_month(sqlite_db, clock, admin, staff_actor(sqlite_db, "qiantai"), staff_actor(sqlite_db, "chuangkou1"),
                director)
    report = stats.compute(sqlite_db, director, stats.Period.month(2026, 11))
    return monthly.monthly_data(sqlite_db, director, 2026, 11), report


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout


def rows(ws) -> list[list]:
    """The table under the title and header rows (up to the first empty row)."""
    out = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if all(v is None for v in row):
            break
        out.append(list(row))
    return out


def test_the_pdf_names_the_centre_and_prints_the_figures(november):
    data, report = november
    pdf = rm.render_pdf(data)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    flat = "".join(text.split())
    q = report["queue"]
    assert "东湖区社会治理服务中心" in flat and "2026年11月服务大厅运行月报" in flat
    assert "统计区间：2026-11-01至2026-11-30" in flat
    # the cards and the summary table: waiting 11.6 min, p90, no-show and transfer rates, satisfaction
    assert f"{q['waiting']['mean']:.1f}" == "11.6" and "11.6" in text
    assert f"{q['waiting']['p90']:.1f}" in text
    assert "20.0%" in text and "2.67" in text
    for s in q["by_service"]:
        assert s["name"] in flat
    assert "等候时间长" in flat and "已当面致歉" in flat                  # low ratings with follow-up
    assert "东劳人仲案字〔2026〕第9号" in flat and "协议第二条" in flat     # deadlines at risk with basis
    assert "第1页共" in flat


def test_the_pdf_is_the_same_bytes_for_the_same_data(november):
    data, _ = november
    assert rm.render_pdf(data) == rm.render_pdf(data)


def test_a_character_no_font_has_is_named_before_layout(november):
    data, _ = november
    bad = dataclasses.replace(data.low_ratings[0], comment="\ue000")
    with pytest.raises(MissingGlyphError) as err:
        rm.render_pdf(dataclasses.replace(data, low_ratings=(bad,)))
    assert "U+E000" in str(err.value)


def test_the_workbook_has_one_chinese_sheet_per_table_with_the_statistics(november):
    data, report = november
    wb = load_workbook(io.BytesIO(rm.render_xlsx(data)))
    assert wb.sheetnames == HEAD + AREA_SHEETS + TAIL
    q, st = report["queue"], report["satisfaction"]

    summary = {r[0]: r[1] for r in rows(wb["总体情况"])}
    assert summary["排队号（含转移产生的号）"] == q["tickets"] == 6
    assert summary["来访人次（转移链只计一次）"] == q["visits"]
    assert summary["过号率（过号 ÷ 已叫号）"] == q["no_show_rate"] == 0.2
    assert summary["平均等候时间"] == q["waiting"]["mean"]
    assert summary["等候时间 P90"] == q["waiting"]["p90"]
    assert summary["平均满意度"] == st["mean"]
    assert summary["期限已逾期（截至制表时）"] == 1

    ws = wb["各业务办理"]
    assert [c.value for c in ws[2]] == ["业务", "排队号", "来访人次", "已办结", "过号", "转出", "转入",
                                        "平均等候(分)", "等候P90(分)", "平均办理(分)"]
    assert [(r[0], r[1], r[2], r[3], r[7]) for r in rows(ws)] == [
        (s["name"], s["tickets"], s["visits"], s["finished"], s["waiting"]["mean"]) for s in q["by_service"]]

    hours = rows(wb["分时段等候"])
    assert [(r[0], r[1], r[3]) for r in hours] == [("09:00–10:00", 2, 6.0), ("10:00–11:00", 1, 25.0),
                                                   ("14:00–15:00", 2, 15.0)]
    days = rows(wb["每日来访"])
    assert [(r[0].date(), r[2], r[3]) for r in days] == [(dt.date(2026, 11, 2), 4, 3), (dt.date(2026, 11, 10), 2, 2)]
    assert [r[1] for r in rows(wb["满意度"])] == [1, 1, 0, 0, 1, 3]
    windows = {r[0]: r for r in rows(wb["各窗口工作量"])}
    w03 = next(w for w in q["by_window"] if w["window"] == "w03")
    assert windows[f"3号 {w03['name']}"][1] == w03["called"]
    assert windows[f"3号 {w03['name']}"][6] == round(w03["open_minutes"] / 60, 2)
    low = rows(wb["不满意评价"])
    assert [(r[0], r[1], r[7]) for r in low] == [(dt.datetime(2026, 11, 2, 9, 51), 2, "未处理"),
                                                 (dt.datetime(2026, 11, 10, 14, 41), 1, "已处理")]
    risk = rows(wb["期限风险"])
    assert [(r[0], r[4].date(), r[6]) for r in risk] == [
        ("东劳人仲案字〔2026〕第9号", data.deadlines[0].due_date, data.deadlines[0].days_left),
        ("东调〔2026〕第3号", dt.date(2026, 11, 25), 2)]


def test_numbers_are_stored_as_numbers_with_formats(november):
    data, _ = november
    wb = load_workbook(io.BytesIO(rm.render_xlsx(data)))
    numeric_headers = {"排队号", "来访人次", "已办结", "过号", "平均等候(分)", "等候P90(分)", "条数", "占比", "数量",
                       "叫号", "占用率", "开放时长(时)", "剩余天数", "星级"}
    checked = 0
    for ws in wb.worksheets:
        headers = [c.value for c in ws[2]]
        for row in ws.iter_rows(min_row=3, max_row=2 + len(rows(ws))):
            for header, cell in zip(headers, row):
                if header in numeric_headers and cell.value is not None and (ws.title, header) != ("不满意评价", "排队号"):
                    assert cell.data_type == "n" and isinstance(cell.value, (int, float)), (ws.title, header)
                    checked += 1
    assert checked > 40
    summary = wb["总体情况"]
    formats = {r[0].value: r[1].number_format for r in summary.iter_rows(min_row=3) if r[0].value}
    assert formats["过号率（过号 ÷ 已叫号）"] == "0.0%" and formats["平均等候时间"] == "0.0"
    assert formats["排队号（含转移产生的号）"] == "#,##0"
    assert wb["每日来访"]["A3"].number_format == "yyyy-mm-dd"
    # widths follow the Chinese text (two units a character), headers frozen
    assert wb["不满意评价"].column_dimensions["I"].width >= 10
    assert wb["各业务办理"].freeze_panes == "A3"
    assert wb["各业务办理"]["A1"].value == ("东湖区社会治理服务中心 2026年11月 各业务办理情况 "
                                         "截至 2026-11-23 12:00（本月尚未结束）")


def test_an_empty_month_and_other_areas_sections(november):
    data, _ = november
    empty = dataclasses.replace(
        data, queue=rm.QueueTotals(0, 0, 0, 0, 0, 0, 0, None, None, rm.Duration(), rm.Duration(), rm.Duration()),
        by_service=(), by_window=(), by_hour=(), by_day=(), satisfaction=rm.SatisfactionTotals(),
        low_ratings=(), deadlines=(), extra=(rm.ExtraTable("案件", ("项目", "数值"), (("当场办结", 4),)),))
    text = "".join(pdf_text(rm.render_pdf(empty)).split())
    assert "本月无不满意评价" in text and "没有逾期或七日内到期的期限" in text and "当场办结" in text
    wb = load_workbook(io.BytesIO(rm.render_xlsx(empty)))
    assert wb.sheetnames == HEAD + ["案件"] + TAIL  # extra replaced by this one table
    assert wb["案件"]["B3"].value == 4 and wb["案件"]["B3"].data_type == "n"
    assert wb["总体情况"]["B3"].value == 0
    with pytest.raises(ValueError):
        rm.render(empty, "docx")


# ------------------------------------------------- percentages, numbering, 截至
def test_rates_print_as_percentages_with_what_they_are_computed_from(november):
    data, report = november
    text = "".join(pdf_text(rm.render_pdf(data)).split())
    q = report["queue"]
    # 1 no-show of 5 called, worked out by hand: 20.0%（1/5）
    assert (q["no_show"], q["called"]) == (1, 5)
    assert "20.0%（1/5）" in text
    # 满意率: one 5-star rating of three
    assert "33.3%（1/3）" in text
    for bad in ("0.6667", "0.2000", "口径待核实", "待核实", "11、", "12、"):
        assert bad not in text, bad


def test_sections_are_numbered_in_chinese_past_ten(november):
    data, _ = november
    text = "".join(pdf_text(rm.render_pdf(data)).split())
    n = len(rm.tables(data))
    assert n > 12
    expected = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
    positions = [text.index(f"{numeral}、{spec.title}") for numeral, spec in zip(expected, rm.tables(data))]
    assert positions == sorted(positions)


def test_a_current_month_says_as_of_when_on_every_page(november):
    data, _ = november
    assert data.as_of is not None
    pages = pdf_text(rm.render_pdf(data)).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 2
    for page in pages:
        assert "截至2026-11-2312:00（本月尚未结束）" in "".join(page.split())
    wb = load_workbook(io.BytesIO(rm.render_xlsx(data)))
    for ws in wb.worksheets:
        assert "截至 2026-11-23 12:00" in ws["A1"].value
        assert "截至 2026-11-23 12:00" in ws.oddHeader.right.text
    closed = dataclasses.replace(data, as_of=None)
    assert "本月尚未结束" not in pdf_text(rm.render_pdf(closed))


def test_the_breakdowns_are_tables_of_the_report(november):
    data, report = november
    wb = load_workbook(io.BytesIO(rm.render_xlsx(data)))
    for sheet in AREA_SHEETS:
        assert sheet in wb.sheetnames
    dept = {r[0]: (r[1], r[2]) for r in rows(wb["各部门工作量"])}
    assert dept["窗口服务（排队叫号）"] == (report["queue"]["visits"], report["queue"]["finished"])
    sources = rows(wb["评价来源"])
    assert sum(r[1] for r in sources) == report["satisfaction"]["count"] == 3


# ------------------------------------------------------------- the workbook
def test_the_workbook_has_native_charts_widths_formats_and_a4_landscape(november):
    data, _ = november
    wb = load_workbook(io.BytesIO(rm.render_xlsx(data)))
    charted = {ws.title: ws._charts for ws in wb.worksheets if ws._charts}
    for sheet in ("近12个月趋势", "每日来访", "各业务办理", "分时段等候", "满意度"):
        assert sheet in charted, sheet
    # openpyxl reads the charts back: bar and line charts with their series
    from openpyxl.chart import BarChart, LineChart
    assert isinstance(charted["各业务办理"][0], BarChart)
    assert isinstance(charted["近12个月趋势"][0], LineChart)
    assert len(charted["分时段等候"][0].series) == 2
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title                  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_area and ws.print_title_rows == "$1:$2"
    # a date-time column is wide enough for yyyy-mm-dd hh:mm (16 characters)
    assert wb["不满意评价"].column_dimensions["A"].width >= 17
    assert wb["每日来访"].column_dimensions["A"].width >= 11
    assert wb["近12个月趋势"]["C3"].number_format == "+0.0%;-0.0%;0.0%"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed (bash .ci/install-system --test "
                                                "installs libreoffice-calc-nogui when the system offers it)")
def test_libreoffice_opens_the_workbook_without_hashes_on_a4_landscape(november, tmp_path):
    data, _ = november
    src = tmp_path / "m.xlsx"
    src.write_bytes(rm.render_xlsx(data))
    profile = tmp_path / "profile"
    done = subprocess.run([_soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=240)
    out = tmp_path / "m.pdf"
    assert out.exists(), done.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(w), round(h)) == (842, 595)                     # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "###" not in text
    flat = "".join(text.split())
    assert "11-0209:51" in flat or "2026-11-0209:51" in flat     # the low rating's time, printed whole
    assert "20.0%" in flat
