"""Chinese line breaking in every PDF: no punctuation at the start of a line and
no text past a table cell's border (reports.cjkwrap)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus import Table as RLTable

from reports import official
from reports.cjkwrap import NO_LINE_END, NO_LINE_START, break_points
from reports.fonts import cjk_fonts
from reports.mediation_docs import build_agreement
from tests.reports.test_mediation_docs import _agreement, _case
from tests.reports.test_official import company, worker

FORBIDDEN_START = "，。、；：？！）》」』】％"

# --------------------------------------------------------------------------
# The splitter on its own (every character 10 wide, Latin 5)
# --------------------------------------------------------------------------


def _w(ch: str) -> float:
    return 5.0 if ord(ch) < 0x2E80 else 10.0


def _check_lines(text: str, lines: list[str], width: float) -> None:
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert sum(_w(ch) for ch in line) <= width + 1e-6, (line, lines)
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, lines


@pytest.mark.parametrize("at", range(1, 12))
def test_a_comma_at_any_place_stays_inside_the_width(at):
    text = ("浙江省杭州市城东区幸福街道和平路"[:at] + "，" + "浙江省杭州市城东区幸福街道和平路"[at:]) * 2
    lines = break_points(text, _w, 80)
    _check_lines(text, lines, 80)


def test_the_character_before_the_comma_moves_down_with_it():
    # eight characters fill the line; the comma after them takes the eighth along
    assert break_points("和平路十二号三幢，二单元", _w, 80) == ["和平路十二号三", "幢，二单元"]


def test_an_opening_bracket_does_not_end_a_line():
    assert break_points("杭州城东精工机（杭州）公司", _w, 80) == ["杭州城东精工机", "（杭州）公司"]


def test_a_latin_word_or_number_moves_whole_and_breaks_only_when_longer_than_the_line():
    assert break_points("统一社会信用代码91330100MA2H", _w, 80) == ["统一社会信用代码", "91330100MA2H"]
    assert break_points("和平路幸福街道1000号", _w, 80) == ["和平路幸福街道", "1000号"]
    assert break_points("ABCDEFGHIJKLMNOPQRSTUVWXYZ", _w, 80) == ["ABCDEFGHIJKLMNOP", "QRSTUVWXYZ"]
    assert break_points("Hangzhou Chengdong Co., Ltd.", _w, 80) == ["Hangzhou", "Chengdong Co.,", "Ltd."]


def test_a_line_narrower_than_two_characters_still_makes_progress():
    assert break_points("甲，乙。", _w, 10) == ["甲", "，", "乙", "。"]


_SYLLABLE = st.tuples(st.sampled_from(["", "（", "《", "“"]), st.sampled_from("和平路号幢单元室AB12"),
                      st.sampled_from(["", "，", "。", "、", "；", "）", "”", " "]))


@given(st.lists(_SYLLABLE, max_size=30), st.integers(min_value=40, max_value=200))
def test_no_line_is_wider_than_its_width_and_none_starts_with_a_closing_mark(syllables, width):
    text = "".join("".join(s) for s in syllables)
    _check_lines(text, break_points(text, _w, width), width)


# --------------------------------------------------------------------------
# The party table of a draft agreement, laid out
# --------------------------------------------------------------------------

ADDRESS = "浙江省杭州市城东区幸福街道和平路1000号，星光大道东段，3幢2单元，501室（电梯口左侧）"
LONG_COMPANY = "杭州城东精工机械制造股份有限公司，第二分公司（Hangzhou Chengdong Precision Machinery Co., Ltd.）"
CREDIT_CODE = "91330100MA2H3K4L5X"


def _line_widths(para: Paragraph) -> list[tuple[str, float]]:
    out = []
    bl = para.blPara
    for line in bl.lines:
        if bl.kind == 0:
            _extra, words = line
            text = " ".join(words)
            out.append((text, stringWidth(text, para.style.fontName, para.style.fontSize)))
        else:
            text = "".join(w.text for w in line.words)
            out.append((text, sum(stringWidth(w.text, w.fontName, w.fontSize) for w in line.words)))
    return out


def _cells(table: RLTable):
    """(paragraph, the width inside its cell) of every cell that holds a paragraph."""
    widths = table._colWidths
    for r, row in enumerate(table._cellvalues):
        for c, value in enumerate(row):
            span = table._spanRanges.get((c, r), (c, r, c, r))
            if span is None:
                continue
            inner = sum(widths[span[0]:span[2] + 1]) - 8          # LEFTPADDING + RIGHTPADDING
            for flowable in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(flowable, Paragraph):
                    yield flowable, inner


def _draft(shift: int):
    """A draft agreement whose addresses and names put a comma at every place of a line."""
    pad = "和平" * (shift // 2) + "路" * (shift % 2)
    parties = (
        worker(address=pad + ADDRESS, mailing_address=ADDRESS + pad, work_unit=LONG_COMPANY),
        company(name=LONG_COMPANY, address=pad + ADDRESS, credit_code=CREDIT_CODE),
    )
    return _agreement(case=_case(parties=parties))


@pytest.mark.parametrize("shift", range(0, 24))
def test_no_text_of_the_party_table_extends_past_its_cell(shift):
    fonts = cjk_fonts()
    settings = official.GB_T_9704
    flowables = official._flowables(build_agreement(_draft(shift)), official._Styles(settings, fonts), settings)
    tables = [f for f in flowables if isinstance(f, RLTable)]
    assert tables
    checked = commas = 0
    for table in tables:
        table.wrap(settings.body_width, 10_000)
        for para, inner in _cells(table):
            assert para.width <= inner + 0.01
            lines = _line_widths(para)
            for n, (text, width) in enumerate(lines):
                assert width <= inner + 0.01, (text, width, inner)
                if n:
                    assert text[:1] not in FORBIDDEN_START, [t for t, _ in lines]
                commas += "，" in text
            checked += 1
    assert checked > 20 and commas


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@needs_poppler
def test_the_printed_party_table_keeps_its_text_inside_the_body_area():
    """Read back from the PDF: no glyph of the agreement passes the right edge of the body area
    (the party table's outer border), and every comma is printed."""
    pdf = official.render(build_agreement(_draft(2)), "pdf")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    settings = official.GB_T_9704
    right = settings.left_mm * 72 / 25.4 + settings.body_width
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)
    assert words
    beyond = [(text, float(x1)) for _x0, x1, text in words if float(x1) > right + 0.5]
    assert beyond == []
    assert "".join(t for *_, t in words).count("，") >= ADDRESS.count("，")


def test_in_running_text_up_to_two_closing_marks_may_hang_in_the_margin():
    assert break_points("和平路十二号三幢，二单元", _w, 80, hang=True) == ["和平路十二号三幢，", "二单元"]
    assert break_points("和平路十二号三幢）。二单元", _w, 80, hang=True) == ["和平路十二号三幢）。", "二单元"]
    assert break_points("和平路十二号三幢）”。二单元", _w, 80, hang=True) == ["和平路十二号三", "幢）”。二单元"]
