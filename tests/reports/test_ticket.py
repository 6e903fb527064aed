"""The 80 mm queue ticket: what the visitor reads, what it must never show,
and how it is built (page size, embedded fonts, speed)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hall.domain.clock import UTC
from reports.fonts import MissingGlyphError, cjk_fonts
from reports.ticket import (
    DEFAULT_PRIVACY_LINE,
    PAGE_WIDTH,
    TicketSlip,
    qr_payload,
    render_ticket_pdf,
)

needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdffonts", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed; the PDF cannot be read back",
)

FULL_NAME = "张三明"  # known to the front desk, never printed


def _slip(**changes) -> TicketSlip:
    slip = TicketSlip(
        centre_name="城东区社会治理服务中心",
        service_name="劳动争议调解",
        number="L007",
        ahead=3,
        issued_at=dt.datetime(2026, 11, 23, 1, 5, tzinfo=UTC),  # 09:05 in Shanghai
        masked_name="张*明",
        priority_label="优先：孕妇",
        ticket_id=4711,
        window_hint="请到 3 号、5 号窗口办理",
        status_url="http://192.168.1.5:8080/s/q3M0bYp1a9Vw2kLx8rT5eA",
    )
    return dataclasses.replace(slip, **changes)


def _run(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "ticket.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        check=True, capture_output=True, text=True,
    ).stdout


def _text(pdf: bytes, tmp_path: Path) -> str:
    return _run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")


def _flat(text: str) -> str:
    """The text with line breaks removed (wrapped lines joined back)."""
    return re.sub(r"\s*\n\s*", "", text)


def _page_size(pdf: bytes, tmp_path: Path) -> tuple[float, float]:
    info = _run("pdfinfo", pdf, tmp_path)
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert m, info
    return float(m.group(1)), float(m.group(2))


@needs_poppler
def test_the_ticket_shows_what_the_visitor_needs(tmp_path):
    text = _text(render_ticket_pdf(_slip()), tmp_path)
    flat = _flat(text)
    assert "城东区社会治理服务中心" in flat
    assert "劳动争议调解" in flat
    assert "L007" in text
    assert "前面还有 3 人" in text
    assert "2026-11-23 09:05" in text
    assert "张*明" in text
    assert "优先：孕妇" in text
    assert "请到 3 号、5 号窗口办理" in text
    assert _flat(DEFAULT_PRIVACY_LINE) in flat


@needs_poppler
def test_the_ticket_never_shows_the_full_name(tmp_path):
    text = _text(render_ticket_pdf(_slip(masked_name="张*明")), tmp_path)
    assert FULL_NAME not in _flat(text)
    assert "张*明" in text


def test_an_unmasked_name_is_refused_before_printing():
    with pytest.raises(ValueError, match="masked"):
        _slip(masked_name=FULL_NAME)


@needs_poppler
def test_optional_lines_are_left_out_when_not_given(tmp_path):
    text = _text(render_ticket_pdf(_slip(masked_name=None, priority_label=None, window_hint=None)), tmp_path)
    assert "姓名：" not in text
    assert "优先" not in text
    assert "窗口办理" not in text
    assert "L007" in text


@needs_poppler
def test_nobody_ahead_reads_naturally(tmp_path):
    text = _text(render_ticket_pdf(_slip(ahead=0)), tmp_path)
    assert "您前面没有人等候" in text
    assert "还有 0 人" not in text


@needs_poppler
def test_the_time_is_shown_in_shanghai_whatever_zone_it_comes_in(tmp_path):
    in_new_york = dt.datetime(2026, 11, 22, 20, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    text = _text(render_ticket_pdf(_slip(issued_at=in_new_york)), tmp_path)
    assert "2026-11-23 09:05" in text


def test_a_naive_issue_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        _slip(issued_at=dt.datetime(2026, 11, 23, 9, 5))


@needs_poppler
def test_the_page_is_80_mm_wide_and_as_tall_as_a_receipt(tmp_path):
    width, height = _page_size(render_ticket_pdf(_slip()), tmp_path)
    assert width == pytest.approx(226.77, abs=0.01)
    assert width == pytest.approx(PAGE_WIDTH, abs=0.01)
    assert 100 * 72 / 25.4 < height < 160 * 72 / 25.4


@needs_poppler
def test_a_long_centre_name_wraps_and_the_page_grows(tmp_path):
    short = _page_size(render_ticket_pdf(_slip()), tmp_path)[1]
    long_name = "城东区社会治理服务中心（矛盾纠纷调处化解中心、综治中心、信访接待中心）"
    pdf = render_ticket_pdf(_slip(centre_name=long_name))
    width, height = _page_size(pdf, tmp_path)
    assert width == pytest.approx(226.77, abs=0.01)
    assert height > short
    assert long_name in _flat(_text(pdf, tmp_path))


@needs_poppler
def test_a_long_number_shrinks_to_stay_on_one_line(tmp_path):
    text = _text(render_ticket_pdf(_slip(number="LD-20261123-0007")), tmp_path)
    assert "LD-20261123-0007" in text.splitlines()


@needs_poppler
def test_cjk_fonts_are_embedded_as_subsets_and_nothing_else_is_used(tmp_path):
    out = _run("pdffonts", render_ticket_pdf(_slip()), tmp_path)
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # name, type, encoding, emb, sub, uni
        assert re.match(r"^[A-Z]{6}\+\S+\s+TrueType\s+\S+\s+yes\s+yes\s+yes\s", row), row
    assert cjk_fonts().heading.removeprefix("Hall-") in out


@needs_poppler
def test_an_extension_b_name_prints_and_reads_back(tmp_path):
    from tests.reports.test_official import ext_b_face

    face = ext_b_face(cjk_fonts().heading)
    if face is None:
        pytest.skip("no installed font has U+20BB7")
    pdf = render_ticket_pdf(_slip(masked_name="𠮷*家"))
    assert "姓名：𠮷*家" in _text(pdf, tmp_path)
    assert face in _run("pdffonts", pdf, tmp_path)


def test_a_character_no_font_has_stops_the_print_and_is_named():
    with pytest.raises(MissingGlyphError) as info:
        render_ticket_pdf(_slip(service_name="劳动\ue000调解"))
    assert info.value.char == "\ue000"
    assert "U+E000" in str(info.value)


TOKEN_URL = "http://192.168.1.5:8080/s/q3M0bYp1a9Vw2kLx8rT5eA"


def test_the_qr_code_carries_the_status_link_never_the_ticket_id():
    slip = _slip()
    assert qr_payload(slip) == TOKEN_URL
    assert "4711" not in qr_payload(slip)
    assert render_ticket_pdf(slip) != render_ticket_pdf(_slip(status_url=TOKEN_URL.replace("q3", "z9")))


def test_without_a_status_link_no_qr_code_is_printed():
    assert qr_payload(_slip(status_url=None)) is None
    assert render_ticket_pdf(_slip(status_url=None)) != render_ticket_pdf(_slip())


@needs_poppler
def test_the_wait_range_and_the_scan_hint_are_printed(tmp_path):
    pdf = render_ticket_pdf(_slip(status_url=TOKEN_URL, wait_text="约 15–25 分钟"))
    text = _run("pdftotext", pdf, tmp_path, "-layout").replace(" ", "")
    assert "预计等候约15–25分钟" in text
    assert "扫码查看排队进度" in text


def test_the_same_slip_gives_the_same_bytes():
    # The document registry stores a SHA-256 of what was printed.
    assert render_ticket_pdf(_slip()) == render_ticket_pdf(_slip())


@needs_poppler
def test_the_rating_code_is_printed_under_the_qr_code(tmp_path):
    text = _text(render_ticket_pdf(_slip(rating_code="F59V62")), tmp_path)
    flat = _flat(text)
    assert "评价码：F59V62（办结后可在自助机评价）" in flat
    assert flat.index("评价码") < flat.index("票据编号")      # right under the QR code
    assert "评价码" not in _flat(_text(render_ticket_pdf(_slip()), tmp_path))


@needs_poppler
def test_the_rating_code_makes_the_ticket_taller(tmp_path):
    _w, with_code = _page_size(render_ticket_pdf(_slip(rating_code="F59V62")), tmp_path)
    _w, without = _page_size(render_ticket_pdf(_slip()), tmp_path)
    assert with_code > without


def _words(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMin, text) of every word pdftotext finds."""
    out = _run("pdftotext", pdf, tmp_path, "-bbox", "-enc", "UTF-8")
    return [(float(a), float(b), float(y), w) for a, y, b, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]


@needs_poppler
@pytest.mark.parametrize("name", [
    "庄" + "爽" * 63,                                                      # 64 characters, the longest allowed
    "Alexander Maximilian Bartholomew Fitzgerald-Montgomery Worthingto",   # 64 letters and spaces
    "阿卜杜热西提·艾合买提江·买买提明·吐尔逊·阿卜杜拉·艾则孜·热合曼·买合木提",
])
def test_a_long_masked_name_is_cut_to_one_line_inside_the_80_mm_page(tmp_path, name):
    from hall.domain.masking import mask_name

    masked = mask_name(name)
    pdf = render_ticket_pdf(_slip(masked_name=masked))
    width, _height = _page_size(pdf, tmp_path)
    assert abs(width - PAGE_WIDTH) < 0.5                     # 80 mm
    words = _words(pdf, tmp_path)
    start = [w for w in words if w[3].startswith("姓名：")]
    assert len(start) == 1
    y = start[0][2]
    line = sorted((w for w in words if abs(w[2] - y) < 0.5), key=lambda w: w[0])
    margin = 4 * 72 / 25.4
    assert line[0][0] >= margin - 0.5 and line[-1][1] <= width - margin + 0.5   # inside the 4 mm margins
    shown = " ".join(w[3] for w in line)[len("姓名："):]
    assert shown[0] == masked[0] and shown[-1] == masked[-1] and "…" in shown
    assert len(shown) < len(masked)
    # nothing of the name spills onto a second line (next comes the QR code's caption),
    # and no text leaves the page
    below = sorted((w for w in words if w[2] > y + 0.5), key=lambda w: w[2])
    assert below and below[0][3] == "扫码查看排队进度"
    assert all(w[1] <= width - margin + 0.5 for w in words)


@needs_poppler
def test_a_short_masked_name_is_printed_whole(tmp_path):
    text = _text(render_ticket_pdf(_slip(masked_name="欧阳*华")), tmp_path)
    assert "姓名：欧阳*华" in text and "…" not in text
