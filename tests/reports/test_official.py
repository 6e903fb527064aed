"""The official-document layout (GB/T 9704-2012 page, fonts, page numbers), the
zh-CN DOCX template, and the registry of every document the hall prints.

Helpers at the top (reading PDFs and DOCX files back, sample parties) are
shared by the other document tests."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from reports import registry
from reports.docmodel import (
    Agent,
    Cell,
    Centre,
    DocNumber,
    Document,
    Organisation,
    Para,
    ParaKind,
    Person,
    SignatureBlock,
    Table,
    Title,
    body,
)
from reports.docx_base import render_docx
from reports.fonts import MissingGlyphError, cjk_fonts
from reports.make_template import STYLE_FONTS, TEMPLATE_NAME, build_template
from reports.official import GB_T_9704, PageSettings, page_number_text, render, render_pdf, render_pdf_batch

needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdffonts", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed; the PDF cannot be read back",
)

EXT_B_NAME = "𠮷野家明"        # U+20BB7, CJK Extension B: printed from a rare-character font
COMPANY = "杭州城东精工机械有限公司"
MM = 72 / 25.4


def needs_ext_b_font():
    if ext_b_face() is None:
        pytest.skip("no installed font has U+20BB7 (fonts-vlgothic, fonts-babelstone-han, fonts-hanazono)")


def ext_b_face(primary: str | None = None) -> str | None:
    """The PostScript name (as pdffonts lists it) of the face that prints 𠮷 in
    text whose font is ``primary`` (default: the body face)."""
    from reportlab.pdfbase import pdfmetrics

    from reports import fonts

    font_set = cjk_fonts()
    for name in font_set.chain(primary or font_set.body):
        if fonts._has_glyph(name, 0x20BB7):
            face = pdfmetrics.getFont(name).face.name
            return face.decode() if isinstance(face, bytes) else face
    return None


# --------------------------------------------------------------------------
# Shared samples
# --------------------------------------------------------------------------

CENTRE = Centre(
    name="城东区社会治理服务中心",
    committee_name="城东区人民调解委员会",
    arbitration_commission="城东区劳动人事争议仲裁委员会",
    address="城东区和平路88号",
    phone="0571-88886666",
    petition_office="城东区信访局",
    basic_court="城东区人民法院",
)


def worker(side: str = "甲方", name: str = EXT_B_NAME, **changes) -> Person:
    values = dict(
        side=side, name=name, sex="男", ethnicity="汉族", birth_date=dt.date(1990, 5, 6),
        occupation="电焊工", work_unit=COMPANY,
        address="浙江省杭州市城东区幸福街道和平路12号3幢2单元501室",
        mailing_address="杭州市城东区幸福街道和平路12号", phone="13812345678",
        id_number="11010519491231002X",
    )
    values.update(changes)
    return Person(**values)


def company(side: str = "乙方", **changes) -> Organisation:
    values = dict(
        side=side, name=COMPANY, credit_code="91330100MA2B3C4D5E",
        address="杭州市城东区工业园区兴业路9号", legal_rep="王建国", legal_rep_title="总经理",
        phone="0571-86001234",
        agents=(Agent(name="李晓红", description="该公司人事主管", authority="特别授权"),),
    )
    values.update(changes)
    return Organisation(**values)


# --------------------------------------------------------------------------
# Reading documents back
# --------------------------------------------------------------------------

def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdf_text(pdf: bytes) -> str:
    return _run("pdftotext", pdf, "-enc", "UTF-8")


def pdf_raw_text(pdf: bytes) -> str:
    """The text in the order it was written (``pdftotext -raw``), page numbers taken out:
    a table cell's wrapped lines stay together even beside a label centred in its row."""
    return _PAGE_NUMBER_LINE.sub("", _run("pdftotext", pdf, "-raw", "-enc", "UTF-8"))


def pdf_pages_text(pdf: bytes) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


_PAGE_NUMBER_LINE = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.M)


def pdf_body_text(pdf: bytes) -> str:
    """The text with the page numbers taken out (a paragraph may run across pages)."""
    return _PAGE_NUMBER_LINE.sub("", pdf_text(pdf))


def pdf_page_count(pdf: bytes) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", pdf), re.M).group(1))


def pdffonts_rows(pdf: bytes) -> list[str]:
    return _run("pdffonts", pdf).splitlines()[2:]


def _cell_texts(table) -> list[str]:
    out = []
    for row in table.rows:
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:   # a merged cell is listed once per grid column
                continue
            seen.add(id(cell._tc))
            out.extend(p.text for p in cell.paragraphs)
            for inner in cell.tables:
                out.extend(_cell_texts(inner))
    return out


def docx_text(data: bytes) -> str:
    """Every paragraph and every table cell, in document order."""
    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            table = next(t for t in document.tables if t._tbl is block)
            parts.extend(_cell_texts(table))
    return "\n".join(parts)


def flat(text: str) -> str:
    """Text without line breaks and spaces (wrapped lines joined back)."""
    return re.sub(r"\s+", "", text)


def both_texts(kind: str, data) -> dict[str, str]:
    """The flattened text of one document rendered in both formats."""
    entry = registry.KINDS[kind]
    return {
        "pdf": flat(pdf_body_text(entry.render(data, "pdf"))),
        "docx": flat(docx_text(entry.render(data, "docx"))),
    }


def assert_layout(kind: str, data, *names: str) -> dict[str, str]:
    """Every required part of the kind and every given name, in both formats."""
    texts = both_texts(kind, data)
    for fmt, text in texts.items():
        missing = [p for p in registry.KINDS[kind].required_parts if flat(p) not in text]
        assert not missing, f"{kind} {fmt} lacks {missing}"
        for name in names:
            assert flat(name) in text, f"{kind} {fmt} lacks {name!r}"
    return texts


# --------------------------------------------------------------------------
# The page: GB/T 9704-2012
# --------------------------------------------------------------------------

def _sample_doc(paragraphs: int = 3, text: str = "本协议具有法律约束力，当事人应当按照约定履行。") -> Document:
    blocks = [Title(("城东区人民调解委员会", "人民调解协议书")), DocNumber("（2026）城东人调字第1号")]
    blocks += [body(text * 6) for _ in range(paragraphs)]
    blocks.append(SignatureBlock(signers=(("甲方（签名并按指印）：", "人民调解员（签名）："),),
                                 issuer="城东区人民调解委员会", seal="（印章）", date="2026年11月23日"))
    return Document("sample", "样张", tuple(blocks))


def test_the_default_page_is_gb_t_9704_2012():
    s = GB_T_9704
    assert (s.page_width_mm, s.page_height_mm) == (210, 297)
    assert (s.top_mm, s.left_mm, s.right_mm, s.bottom_mm) == (37, 28, 26, 35)
    assert s.body_width == pytest.approx(156 * MM)      # 版心 156 mm × 225 mm
    assert s.body_height == pytest.approx(225 * MM)
    assert s.title_size == 22 and s.body_size == 16     # 2号 / 3号
    assert s.leading == pytest.approx(28.99, abs=0.05)  # 22 lines to the page
    assert page_number_text(7) == "— 7 —"


@needs_poppler
def test_the_pdf_is_a4_and_text_stays_inside_the_body_area():
    pdf = render_pdf(_sample_doc(paragraphs=8))
    info = _run("pdfinfo", pdf)
    assert "595.276 x 841.89 pts (A4)" in info
    html = _run("pdftotext", pdf, "-bbox", "-f", "1", "-l", "1")
    words = [
        tuple(float(v) for v in m) + (w,)
        for *m, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    ]
    text_words = [w for w in words if not re.fullmatch(r"[—\d]+", w[4])]
    assert min(w[0] for w in text_words) == pytest.approx(28 * MM, abs=1.0)   # left margin
    # Closing punctuation may hang one character into the right margin.
    assert max(w[2] for w in text_words) <= (210 - 26) * MM + 16.5
    assert min(w[1] for w in text_words) >= 37 * MM - 2                       # top margin
    assert max(w[3] for w in text_words) <= (297 - 35) * MM + 2               # bottom of body area


@needs_poppler
def test_page_numbers_are_dashed_and_alternate_right_and_left():
    pdf = render_pdf(_sample_doc(paragraphs=14))
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert flat(page_number_text(n)) in flat(page)
    html = _run("pdftotext", pdf, "-bbox")
    numbers = re.findall(r'<page .*?</page>', html, re.S)
    xs = []
    for page_html in numbers:
        digits = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">\d+</word>', page_html)
        x, top, bottom = map(float, digits[-1])
        xs.append(x)
        # Below the body area (the dashes 7 mm under it), well inside the bottom margin.
        assert (297 - 35) * MM + 3 * MM < top and bottom < 297 * MM - 15 * MM
    assert xs[0] > 105 * MM > xs[1]       # odd page right, even page left


def test_settings_move_the_page_number_to_the_centre():
    centred = PageSettings(page_number_position="center")
    assert render_pdf(_sample_doc(), centred) != render_pdf(_sample_doc())


@needs_poppler
def test_fonts_are_embedded_truetype_subsets_with_a_unicode_map():
    needs_ext_b_font()
    doc = Document("s", "s", (Title(("标题",)), body(f"当事人：{EXT_B_NAME}")))
    pdf = render_pdf(doc)
    rows = pdffonts_rows(pdf)
    assert rows
    for row in rows:
        assert re.match(r"^[A-Z]{6}\+\S+\s+TrueType\s+\S+\s+yes\s+yes\s+yes\s", row), row
    assert any(ext_b_face() in row for row in rows)
    assert f"当事人：{EXT_B_NAME}" in pdf_text(pdf)


def test_a_character_no_font_has_stops_the_pdf_and_is_named():
    doc = Document("s", "s", (Title(("标题",)), body("当事人：张\ue000明"), body("住址：\U0002fffd")))
    with pytest.raises(MissingGlyphError) as info:
        render_pdf(doc)
    assert info.value.characters == ("\ue000", "\U0002fffd")
    assert "U+E000" in str(info.value) and "U+2FFFD" in str(info.value)


def test_a_missing_character_in_a_table_cell_is_found_too():
    doc = Document("s", "s", (Table(((Cell("姓名"), Cell("李\ue001")),), (1, 1)),))
    with pytest.raises(MissingGlyphError) as info:
        render_pdf(doc)
    assert info.value.char == "\ue001"


@needs_poppler
def test_long_chinese_text_in_a_table_wraps_inside_its_cell():
    address = "浙江省杭州市城东区幸福街道和平路十二号三幢二单元五百零一室（近地铁一号线幸福站C口）"
    doc = Document("s", "s", (Table(((Cell("住址"), Cell(address, span=3)),), (2, 3, 2, 3)),))
    text = pdf_text(render_pdf(doc))
    assert flat(address) in flat(text)
    assert len([line for line in text.splitlines() if line.strip()]) >= 3  # wrapped, not cut


@needs_poppler
def test_the_signature_block_never_stands_alone_on_a_page():
    for paragraphs in range(10, 16):
        pages = pdf_pages_text(render_pdf(_sample_doc(paragraphs=paragraphs)))
        last = flat(_PAGE_NUMBER_LINE.sub("", pages[-1]))
        assert "人民调解员（签名）" in last
        assert "本协议具有法律约束力" in last, f"{paragraphs} paragraphs: signatures alone"


@needs_poppler
def test_a_batch_restarts_page_numbers_for_each_document():
    pdf = render_pdf_batch([_sample_doc(paragraphs=1), _sample_doc(paragraphs=14), _sample_doc(paragraphs=1)])
    pages = pdf_pages_text(pdf)
    numbers = [re.search(r"—\s*(\d+)\s*—", p).group(1) for p in pages]
    assert numbers[0] == "1" and numbers[1] == "1" and numbers[-1] == "1"
    assert numbers[2] == "2"


def test_the_same_document_gives_the_same_bytes():
    # The document registry stores a SHA-256 of what was printed.
    doc = _sample_doc()
    assert render_pdf(doc) == render_pdf(doc)
    assert render_docx(doc) == render_docx(doc)


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        render(_sample_doc(), "odt")


# --------------------------------------------------------------------------
# The DOCX template
# --------------------------------------------------------------------------

def _rendered_docx():
    return docx.Document(io.BytesIO(render_docx(_sample_doc())))


def test_docx_styles_carry_east_asian_fonts_without_theme_overrides():
    document = _rendered_docx()
    for name, face in STYLE_FONTS.items():
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts is not None, name
        assert fonts.get(qn("w:eastAsia")) == face, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name  # a theme font would win
        assert fonts.get(qn("w:ascii")) == "Times New Roman", name
    assert STYLE_FONTS["Normal"] == "仿宋"
    assert STYLE_FONTS["Title"] in ("宋体", "黑体")


def test_docx_east_asian_language_is_zh_cn():
    document = _rendered_docx()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    assert theme_lang.get(qn("w:eastAsia")) == "zh-CN"
    assert document.core_properties.language == "zh-CN"


def test_docx_page_is_a4_with_the_same_margins():
    section = _rendered_docx().sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [37, 35, 28, 26]


def test_docx_footers_number_pages_with_dashes_odd_right_even_left():
    document = _rendered_docx()
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align


def test_docx_paragraphs_use_the_template_styles_staff_can_edit():
    document = _rendered_docx()
    styles = [p.style.name for p in document.paragraphs if p.text]
    assert styles[:3] == ["Title", "Title", "文号"]
    assert "Body Text" in styles
    body_style = document.styles["Body Text"].element.pPr.find(qn("w:ind"))
    assert body_style.get(qn("w:firstLineChars")) == "200"   # two characters


def test_docx_gives_extension_b_characters_a_font_that_has_them():
    doc = Document("s", "s", (body(f"当事人：{EXT_B_NAME}"),))
    document = docx.Document(io.BytesIO(render_docx(doc)))
    runs = document.paragraphs[0].runs
    ext = [r for r in runs if r.text == "𠮷"]
    assert ext and ext[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "SimSun-ExtB"
    assert document.paragraphs[0].text == f"当事人：{EXT_B_NAME}"


def test_docx_table_spans_become_merged_cells():
    doc = Document("s", "s", (Table(((Cell("住址"), Cell("和平路12号", span=3)),
                                      (Cell("甲"), Cell("乙"), Cell("丙"), Cell("丁"))), (1, 1, 1, 1)),))
    table = docx.Document(io.BytesIO(render_docx(doc))).tables[0]
    first = table.rows[0].cells
    assert first[1]._tc is first[3]._tc            # one merged cell
    assert [c.text for c in table.rows[1].cells] == ["甲", "乙", "丙", "丁"]


def test_the_committed_template_is_what_make_template_builds():
    path = Path(__file__).resolve().parents[2] / "resources" / "templates" / TEMPLATE_NAME
    assert path.read_bytes() == build_template(), "run: python -m reports.make_template"


def test_a_para_kind_is_written_in_both_formats():
    for kind in ParaKind:
        doc = Document("s", "s", (Para(("文字",), kind),))
        assert render_pdf(doc) and render_docx(doc)


# --------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------

EXPECTED_KINDS = {
    "mediation_agreement": "人民调解协议书",
    "mediation_minutes": "调解笔录",
    "mediation_registration": "人民调解受理登记表",
    "mediation_rights_notice": "人民调解当事人权利义务告知书",
    "mediation_follow_up": "人民调解回访记录",
    "mediation_termination": "终止调解告知书",
    "mediation_attendance_notice": "调解通知书",
    "arbitration_receipt": "收件回执",
    "arbitration_correction": "补正通知书",
    "arbitration_acceptance": "受理通知书",
    "arbitration_rejection": "不予受理通知书",
    "arbitration_response_notice": "应诉通知书",
    "arbitration_tribunal_notice": "仲裁庭组成通知书",
    "arbitration_hearing_notice": "开庭通知书",
    "arbitration_postponement": "延期开庭通知书",
    "arbitration_hearing_record": "庭审笔录",
    "arbitration_mediation_statement": "仲裁调解书",
    "arbitration_award": "仲裁裁决书",
    "arbitration_service_receipt": "送达回证",
    "arbitration_extension_notice": "延长审理期限通知书",
    "arbitration_withdrawal_decision": "决定书",
    "arbitration_recusal_decision": "回避决定书",
    "arbitration_oral_application": "口头申请笔录",
    "petition_acceptance": "信访事项受理告知书",
    "petition_opinion": "信访处理意见书",
}


def test_the_registry_lists_every_document_with_its_chinese_name():
    assert {k: v.name for k, v in registry.KINDS.items()} == EXPECTED_KINDS


def test_every_kind_has_required_parts_a_basis_and_a_distinct_input_type():
    types = [k.input_type for k in registry.KINDS.values()]
    assert len(set(types)) == len(types)
    for entry in registry.KINDS.values():
        assert entry.required_parts, entry.kind
        assert entry.basis and "第" in entry.basis, entry.kind
        assert entry.area in ("人民调解", "劳动人事争议仲裁", "信访")


def test_rendering_something_that_is_no_document_input_is_a_type_error():
    with pytest.raises(TypeError):
        registry.render("not a document")


@needs_poppler
def test_blanks_left_for_handwriting_keep_their_width():
    # ReportLab collapses ideographic spaces; a blank date must stay wide enough to write in.
    pdf = render_pdf(Document("s", "s", (Para(("收到日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日",),
                                              ParaKind.FLUSH),)))
    html = _run("pdftotext", pdf, "-bbox")
    boxes = {w: (float(a), float(b)) for a, b, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)}
    assert boxes["月"][0] - boxes["年"][1] >= 1.7 * 16
    assert boxes["年"][0] - boxes["收到日期："][1] >= 3.5 * 16


@needs_poppler
def test_closing_punctuation_never_starts_a_line():
    doc = Document("s", "s", tuple(
        body("责" * n + "，应承担主要责任；" + "双方" * 12 + "：" + "确认" * 14 + "。") for n in range(18, 32)
    ))
    lines = [line.strip() for line in pdf_text(render_pdf(doc)).splitlines() if line.strip()]
    assert not [line for line in lines if line[0] in "，。、：；！？）》"], lines
