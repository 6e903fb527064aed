"""Editable DOCX documents from the hall's zh-CN template.

Writes a :class:`reports.docmodel.Document` (the same blocks the PDF is
typeset from) into a copy of ``resources/templates/official_zh_CN.docx``
(see :mod:`reports.make_template`): real paragraphs in named styles, real
tables, page numbers as fields, so staff can correct a word, add a term or
re-flow a page in Word or WPS before printing.

Helpers, usable on their own on a ``docx.Document``:

* :func:`new_document` — a fresh document from the template;
* :func:`add_title`, :func:`add_number`, :func:`add_paragraph`,
  :func:`add_numbered`, :func:`add_table`, :func:`add_signatures`,
  :func:`add_role_lines`;
* :func:`add_text` — text into a paragraph, giving characters beyond the
  BMP (``𠮷``) their own run in SimSun-ExtB, as Word does when such a
  character is typed, so they do not show as boxes in FangSong.

:func:`render_docx` returns deterministic bytes (fixed ZIP entry times).
"""
from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import Any

import docx
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from reports.docmodel import (
    Cell,
    DocNumber,
    Document,
    PageBreak,
    Para,
    ParaKind,
    Party,
    RoleLines,
    Run,
    SignatureBlock,
    Spacer,
    StatusCode,
    Table,
    Title,
    cn_ordinal,
    party_paragraphs,
    party_table,
)
from reports.libtypes import DocxCell, DocxDocument, DocxParagraph, DocxRun, DocxTable
from reports.make_template import (
    EXT_B_FONT,
    HEADING_FONT,
    TEMPLATE_NAME,
    build_template,
    deterministic_zip,
    set_fonts,
)

__all__ = [
    "add_numbered",
    "add_number",
    "add_party_block",
    "add_party_table",
    "add_paragraph",
    "add_role_lines",
    "add_signatures",
    "add_table",
    "add_text",
    "add_title",
    "new_document",
    "render_docx",
    "template_bytes",
]

_BODY_PT = 16.0
_TABLE_PT = 14.0
_LINE_TWIPS = 579         # 28.95 pt
_TABLE_LINE_TWIPS = 440   # 22 pt
_BODY_WIDTH_TWIPS = int(156 / 25.4 * 1440)

_STYLE_OF = {
    ParaKind.BODY: "Body Text",
    ParaKind.FLUSH: "顶格",
    ParaKind.CENTER: "顶格",
    ParaKind.RIGHT: "顶格",
    ParaKind.HEADING: "Heading 1",
    ParaKind.NOTE: "附注",
}

_template_lock = threading.Lock()
_template: bytes | None = None


def template_bytes() -> bytes:
    """The template file, or the same template built in memory if the file is missing."""
    global _template
    if _template is None:
        with _template_lock:
            if _template is None:
                try:
                    data = resources.files("resources").joinpath("templates", TEMPLATE_NAME).read_bytes()
                except (FileNotFoundError, ModuleNotFoundError, OSError):
                    data = build_template()
                _template = data
    return _template


def new_document(title: str = "", author: str = "") -> DocxDocument:
    """A new, empty document from the zh-CN template."""
    document = docx.Document(io.BytesIO(template_bytes()))
    core = document.core_properties
    core.title = title
    core.author = author
    return document


# --------------------------------------------------------------------------
# Styles by id
# --------------------------------------------------------------------------

def _style_id(part: Any, name: str) -> str:
    """The style id of a style name, looked up once per document.

    python-docx resolves a style name by scanning every style (and the
    default style) on each call; a document with a few hundred paragraphs
    spent most of its time there.  The map is kept on the document part.
    """
    ids: dict[str, str] | None = getattr(part, "_hall_style_ids", None)
    if ids is None:
        ids = {s.name: s.style_id for s in part.styles}
        part._hall_style_ids = ids
    return ids[name]


def _set_style(paragraph: DocxParagraph, name: str) -> None:
    paragraph._p.style = _style_id(paragraph.part, name)


def _paragraph(document: DocxDocument, name: str) -> DocxParagraph:
    paragraph = document.add_paragraph()
    paragraph._p.style = _style_id(document.part, name)
    return paragraph


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------

def _plane_chunks(text: str) -> Iterator[tuple[bool, str]]:
    """Split text into (beyond_bmp, chunk) stretches."""
    chunk: list[str] = []
    ext = False                 # whether ``chunk`` is beyond the BMP
    for ch in text:
        is_ext = ord(ch) > 0xFFFF
        if chunk and is_ext != ext:
            yield ext, "".join(chunk)
            chunk = []
        ext = is_ext
        chunk.append(ch)
    if chunk:
        yield ext, "".join(chunk)


def _east_asia_run(run: DocxRun, face: str) -> None:
    set_fonts(run._r.get_or_add_rPr(), face, latin=face if face == EXT_B_FONT else "Times New Roman")


def add_text(paragraph: DocxParagraph, text: str, *, emphasis: bool = False, underline: bool = False) -> None:
    """Append text to a paragraph; line breaks become breaks, rare characters get SimSun-ExtB."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if index:
            paragraph.add_run().add_break()
        for ext, chunk in _plane_chunks(line):
            run = paragraph.add_run(chunk)
            if underline:
                run.underline = True
            if ext:
                _east_asia_run(run, EXT_B_FONT)
            elif emphasis:
                _east_asia_run(run, HEADING_FONT)


def _add_runs(paragraph: DocxParagraph, runs: Sequence[str | Run]) -> None:
    for run in runs:
        if isinstance(run, str):
            add_text(paragraph, run)
        else:
            add_text(paragraph, run.text, emphasis=run.emphasis, underline=run.underline)


# --------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------

def add_title(document: DocxDocument, lines: Sequence[str]) -> None:
    """The title, one centred line per entry, then one blank line."""
    for line in lines:
        add_text(_paragraph(document, "Title"), line)
    _paragraph(document, "顶格")


def add_number(document: DocxDocument, text: str, align: str = "right") -> None:
    """The number line (``（2026）城东人调字第12号``)."""
    paragraph = _paragraph(document, "文号")
    if align != "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(paragraph, text)


def add_paragraph(document: DocxDocument, runs: Sequence[str | Run] | str, kind: ParaKind = ParaKind.BODY,
                  keep_with_next: bool = False) -> DocxParagraph:
    paragraph = _paragraph(document, _STYLE_OF[kind])
    if kind == ParaKind.CENTER:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind == ParaKind.RIGHT:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    _add_runs(paragraph, [runs] if isinstance(runs, str) else runs)
    return paragraph


def add_numbered(document: DocxDocument, items: Sequence[str], start: int = 1) -> None:
    """``一、…`` items as body paragraphs (typed numbers, not a Word list:
    staff renumber by editing, and the numbers survive any conversion)."""
    for offset, item in enumerate(items):
        add_paragraph(document, f"{cn_ordinal(start + offset)}{item}")


def add_party_block(document: DocxDocument, party: Party, label: str | None = None, with_id: bool = True) -> None:
    """A party as instruments write it: ``申请人：张三，男，……。`` then the legal
    representative and the agents (:func:`reports.docmodel.party_paragraphs`)."""
    for para in party_paragraphs(party, label, with_id):
        add_paragraph(document, para.runs, para.kind)


def add_party_table(document: DocxDocument, parties: Sequence[Party]) -> None:
    """Parties as a four-column form (:func:`reports.docmodel.party_table`)."""
    add_table(document, party_table(parties))


def _cell_width(cell: DocxCell, twips: int) -> None:
    cell.width = Twips(twips)


def _no_borders(table: DocxTable) -> None:
    """Explicit "no border" on every edge (whatever the default table style says).

    ``w:tblBorders`` goes before ``w:shd``/``w:tblLayout``/``w:tblCellMar``/
    ``w:tblLook``: Word rejects a ``w:tblPr`` whose children are out of order.
    """
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    for successor in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"):
        anchor = tbl_pr.find(qn(successor))
        if anchor is not None:
            anchor.addprevious(borders)
            return
    tbl_pr.append(borders)


def _fill_cell(cell: DocxCell, block_cell: Cell) -> None:
    paragraph = cell.paragraphs[0]
    _set_style(paragraph, "表格文字")
    if block_cell.align == "center" or block_cell.emphasis:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(paragraph, block_cell.text, emphasis=block_cell.emphasis)


def add_table(document: DocxDocument, block: Table) -> DocxTable:
    """A grid table; spans become merged cells; widths fixed to the body width."""
    ncols = len(block.widths)
    table = document.add_table(rows=len(block.rows), cols=ncols)
    if block.borders:
        table._tbl.tblPr.style = _style_id(document.part, "Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(block.widths)
    widths = [int(_BODY_WIDTH_TWIPS * w / total) for w in block.widths]
    for col, width in zip(table.columns, widths):
        col.width = Twips(width)
    for r, row in enumerate(block.rows):
        cells = table.rows[r].cells
        for c in range(ncols):
            _cell_width(cells[c], widths[c])
        c = 0
        tallest = 1.0
        for block_cell in row:
            target = cells[c]
            if block_cell.span > 1:
                target = target.merge(cells[c + block_cell.span - 1])
            _fill_cell(target, block_cell)
            tallest = max(tallest, block_cell.min_lines)
            c += block_cell.span
        if tallest > 1:
            table.rows[r].height = Twips(int(_TABLE_LINE_TWIPS * tallest + 120))
            table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for row in table.rows:      # a row is never split across pages (Word and LibreOffice)
        _cant_split(row)
    if block.header_rows:
        for r in range(block.header_rows):
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            tr_pr.append(header)
    if not block.borders:
        _no_borders(table)
    # A paragraph after a table keeps Word from gluing the next table to it.
    _paragraph(document, "顶格")
    return table


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _text_twips(text: str, size_pt: float = _BODY_PT) -> int:
    """Approximate printed width: CJK full width, ASCII half width."""
    units = sum(0.5 if ord(ch) < 0x2E80 and ch != "—" else 1.0 for ch in text)
    return int(units * size_pt * 20)


def add_signatures(document: DocxDocument, block: SignatureBlock) -> None:
    """Signer labels in two columns with room to sign, then the issuing body
    centred over the date, the date four characters in from the right margin."""
    if block.signers:
        _paragraph(document, "顶格")
        table = document.add_table(rows=len(block.signers), cols=2)
        table.autofit = False
        half = _BODY_WIDTH_TWIPS // 2
        for col in table.columns:
            col.width = Twips(half)
        for r, (left, right) in enumerate(block.signers):
            row = table.rows[r]
            row.height = Twips(_LINE_TWIPS * 2)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            _cant_split(row)
            for c, text in enumerate((left, right)):
                cell = row.cells[c]
                _cell_width(cell, half)
                _set_style(cell.paragraphs[0], "落款")
                if text:
                    add_text(cell.paragraphs[0], text)
        _no_borders(table)
    issuer = block.issuer + block.seal if block.issuer else block.seal
    if not issuer and not block.date:
        return
    _paragraph(document, "顶格")
    four_chars = int(4 * _BODY_PT * 20)
    date_w = _text_twips(block.date) if block.date else 0
    if issuer:
        issuer_w = _text_twips(issuer)
        indent = four_chars + (date_w - issuer_w) // 2 if block.date else four_chars
        paragraph = _paragraph(document, "落款")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Twips(max(0, indent))
        paragraph.paragraph_format.keep_with_next = True
        add_text(paragraph, issuer)
    if block.date:
        paragraph = _paragraph(document, "落款")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Twips(four_chars)
        add_text(paragraph, block.date)


def add_role_lines(document: DocxDocument, block: RoleLines) -> None:
    """``首席仲裁员　张三`` lines at the right: a borderless two-column table."""
    _paragraph(document, "顶格")
    table = document.add_table(rows=len(block.rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    table.autofit = False
    widths = (int(7 * _BODY_PT * 20), int(7 * _BODY_PT * 20))
    for col, width in zip(table.columns, widths):
        col.width = Twips(width)
    for r, (role, name) in enumerate(block.rows):
        cells = table.rows[r].cells
        for c in range(2):
            _cell_width(cells[c], widths[c])
        if role:
            left = cells[0].paragraphs[0]
            _set_style(left, "落款")
            left.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            add_text(left, role)
            right = cells[1].paragraphs[0]
            _set_style(right, "落款")
            right.paragraph_format.left_indent = Pt(_BODY_PT)
            add_text(right, name)
        else:
            merged = cells[0].merge(cells[1])
            paragraph = merged.paragraphs[0]
            _set_style(paragraph, "落款")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            add_text(paragraph, name)
    _no_borders(table)


# --------------------------------------------------------------------------
# The whole document
# --------------------------------------------------------------------------

def render_docx(doc: Document) -> bytes:
    """The document as .docx bytes (same bytes for the same document)."""
    document = new_document(doc.title, doc.author)
    for block in doc.blocks:
        if isinstance(block, Title):
            add_title(document, block.lines)
        elif isinstance(block, DocNumber):
            add_number(document, block.text, block.align)
        elif isinstance(block, Para):
            add_paragraph(document, block.runs, block.kind, block.keep_with_next)
        elif isinstance(block, Table):
            add_table(document, block)
        elif isinstance(block, SignatureBlock):
            add_signatures(document, block)
        elif isinstance(block, RoleLines):
            add_role_lines(document, block)
        elif isinstance(block, Spacer):
            for _ in range(max(1, round(block.lines))):
                _paragraph(document, "顶格")
        elif isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, StatusCode):
            # The link in words (a word processor's copy carries no drawn code).
            for line in block.lines():
                _paragraph(document, "顶格").add_run(line)
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"unknown block {block!r}")
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())
