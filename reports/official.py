"""A4 official-document layout (PDF) after GB/T 9704-2012 《党政机关公文格式》.

Takes a :class:`reports.docmodel.Document` (title, number line, paragraphs,
tables, signature blocks) and typesets it with ReportLab platypus:

* page and margins of GB/T 9704-2012 5.2.1: A4; top margin (天头) 37 mm,
  left margin (订口) 28 mm, body area (版心) 156 mm × 225 mm, which leaves
  26 mm on the right and 35 mm at the bottom.  All of it is a
  :class:`PageSettings` value, so a centre with its own house style changes
  numbers, not code;
* title in the heading face at 2号 (22 pt), centred; body at 3号 (16 pt)
  with 22 lines to the page (a line pitch of 225 mm / 22 ≈ 28.95 pt),
  first lines indented two characters, Chinese line breaking
  (``wordWrap='CJK'`` with :mod:`reports.cjkwrap`);
* no closing punctuation (，。、；：？！ closing brackets and quotes) at the
  start of a line and none hanging past the edge: the character before it
  moves down with it, so a table cell's text stays inside its border, and
  a long number or Latin name breaks only where it must
  (:mod:`reports.cjkwrap`);
* page numbers ``— 1 —`` in 4号 (14 pt) 7 mm below the body area, on odd
  pages at the right and even pages at the left, one character in
  (GB/T 9704-2012 7.5);
* signature blocks kept on one page with the paragraph before them, so a
  page never carries only a signature (GB/T 9704-2012 7.3.5: no page
  without body text);
* the date right-aligned four characters in, the issuing body centred over
  it, where the seal goes (GB/T 9704-2012 7.3.5.1).

Fonts: only through :mod:`reports.fonts`.  Every text of the document is
checked first (:func:`reports.fonts.check_drawable`); a character no font
can draw raises :class:`reports.fonts.MissingGlyphError` naming it, before
anything is laid out.  Text is turned into markup with per-character
fallback (:func:`reports.fonts.markup`), so ``𠮷`` prints from a
rare-character face in the style of the text around it (VL Gothic in Hei
text, BabelStone Han in Song text) and copies back as ``𠮷``.  The body face is the first FangSong/Song face the
machine has (WenQuanYi Zen Hei on a bare Linux machine); the heading face
SimHei or the body face.

Output is deterministic (``invariant``): the same document gives the same
bytes, so the document registry's SHA-256 identifies what was printed.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable

from reports.cjkwrap import CellParagraph
from reports.docmodel import (
    Block,
    Cell,
    DocNumber,
    Document,
    PageBreak,
    Para,
    ParaKind,
    RoleLines,
    Run,
    SignatureBlock,
    Spacer,
    StatusCode,
    Table,
    Title,
)
from reports.fonts import FontSet, check_drawable, cjk_fonts, cjk_style, draw_runs, markup, string_width
from reports.libtypes import Canvas

# Chinese line breaking (no closing punctuation at the start of a line, no
# text past a cell's border) is :mod:`reports.cjkwrap`, installed when
# :mod:`reports.fonts` is imported.

__all__ = ["FORMATS", "GB_T_9704", "PageSettings", "page_number_text", "render", "render_pdf", "render_pdf_batch"]


@dataclass(frozen=True)
class PageSettings:
    """Page geometry and type sizes.  Defaults: GB/T 9704-2012.

    Chinese type sizes: 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt, 小四 = 12 pt.
    """

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    top_mm: float = 37.0            # 天头 (5.2.1: 37 mm ± 1 mm)
    left_mm: float = 28.0           # 订口 (5.2.1: 28 mm ± 1 mm)
    right_mm: float = 26.0          # 210 − 28 − 156 (版心 156 mm wide)
    bottom_mm: float = 35.0         # 297 − 37 − 225 (版心 225 mm high)
    title_size: float = 22.0        # 2号 (7.3.3)
    title_leading: float = 33.0
    body_size: float = 16.0         # 3号 (7.1)
    lines_per_page: int = 22        # 7.1: 22 lines of 28 characters
    table_size: float = 14.0        # 4号: forms and tables
    table_leading: float = 22.0
    note_size: float = 12.0         # 小四: notes at the foot of a form
    page_number_size: float = 14.0  # 4号 (7.5)
    page_number_drop_mm: float = 7.0  # 7.5: 7 mm below the body area
    #: "outside": odd pages right, even pages left, one character in (7.5);
    #: "center": every page centred (single-sided printing).
    page_number_position: str = "outside"

    @property
    def body_width(self) -> float:
        width: float = (self.page_width_mm - self.left_mm - self.right_mm) * mm
        return width

    @property
    def body_height(self) -> float:
        height: float = (self.page_height_mm - self.top_mm - self.bottom_mm) * mm
        return height

    @property
    def leading(self) -> float:
        """Line pitch of the body text: the body area's height over the lines per page."""
        return self.body_height / self.lines_per_page


GB_T_9704 = PageSettings()


def page_number_text(n: int) -> str:
    """``— 1 —``: the number between two em dashes (一字线), GB/T 9704-2012 7.5."""
    return f"— {n} —"


# --------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------

class _Styles:
    def __init__(self, settings: PageSettings, fonts: FontSet) -> None:
        s, body, head = settings, fonts.body, fonts.heading
        indent = 2 * s.body_size
        lead = s.leading
        self.fonts = fonts
        self.title = cjk_style("title", head, s.title_size, s.title_leading, TA_CENTER)
        self.number = cjk_style("number", body, s.body_size, lead, TA_RIGHT)
        self.number_center = cjk_style("number-c", body, s.body_size, lead, TA_CENTER)
        self.paras = {
            ParaKind.BODY: cjk_style("body", body, s.body_size, lead, TA_JUSTIFY, firstLineIndent=indent),
            ParaKind.FLUSH: cjk_style("flush", body, s.body_size, lead, TA_LEFT),
            ParaKind.CENTER: cjk_style("center", body, s.body_size, lead, TA_CENTER),
            ParaKind.RIGHT: cjk_style("right", body, s.body_size, lead, TA_RIGHT),
            ParaKind.HEADING: cjk_style("heading", head, s.body_size, lead, TA_LEFT, firstLineIndent=indent),
            ParaKind.NOTE: cjk_style(
                "note", body, s.note_size, round(s.note_size * 1.6, 2), TA_JUSTIFY,
                firstLineIndent=2 * s.note_size,
            ),
        }
        self.cell = cjk_style("cell", body, s.table_size, s.table_leading, TA_LEFT)
        self.cell_center = cjk_style("cell-c", body, s.table_size, s.table_leading, TA_CENTER)
        self.cell_head = cjk_style("cell-h", head, s.table_size, s.table_leading, TA_CENTER)
        self.sign = cjk_style("sign", body, s.body_size, lead, TA_LEFT)
        self.sign_right = cjk_style("sign-r", body, s.body_size, lead, TA_RIGHT)


# ReportLab's paragraph parser treats the ideographic space (U+3000) as
# white space and collapses a run of them into one narrow space, which
# would close up blanks left for handwriting (``　　年　　月　　日``) and
# spread labels (``仲　裁　员``).  No-break spaces are kept as they are;
# three of them are about one ideographic space wide in the CJK faces.
_IDEOGRAPHIC_SPACE = "\u3000"
_KEPT_SPACE = "\xa0" * 3


def _markup(text: str, primary: str, fonts: FontSet) -> str:
    return markup(text.replace(_IDEOGRAPHIC_SPACE, _KEPT_SPACE), primary, fonts)


def _runs_markup(runs: Sequence[str | Run], primary: str, fonts: FontSet) -> str:
    parts = []
    for run in runs:
        if isinstance(run, str):
            parts.append(_markup(run, primary, fonts))
            continue
        face = fonts.heading if run.emphasis else primary
        inner = _markup(run.text, face, fonts)
        if face != primary:
            inner = f'<font name="{face}">{inner}</font>'
        if run.underline:
            inner = f"<u>{inner}</u>"
        parts.append(inner)
    return "".join(parts)


# --------------------------------------------------------------------------
# Flowables
# --------------------------------------------------------------------------

class _DocStart(Flowable):
    """Marks where a document begins in a batch: page numbers restart at 1."""

    width = height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._hall_first_page = self.canv.getPageNumber()


class _IssuerAndDate(Flowable):
    """The issuing body (with the seal mark) centred over the date.

    GB/T 9704-2012 7.3.5.1: the date is right-aligned four characters in;
    the body's name is centred over the date; the seal overlaps both.
    """

    def __init__(self, issuer: str, date: str, styles: _Styles, settings: PageSettings) -> None:
        super().__init__()
        self.issuer, self.date = issuer, date
        self.fonts = styles.fonts
        self.size = settings.body_size
        self.leading = settings.leading
        self.right_indent = 4 * settings.body_size
        lines = [t for t in (issuer, date) if t]
        self.height = len(lines) * self.leading

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return self.width, self.height

    def draw(self) -> None:
        font, size, fonts = self.fonts.body, self.size, self.fonts
        right = self.width - self.right_indent
        date_w = string_width(self.date, font, size, fonts) if self.date else 0
        issuer_w = string_width(self.issuer, font, size, fonts) if self.issuer else 0
        centre = right - date_w / 2 if self.date else right - issuer_w / 2
        # A long name may not fit centred over the date: then it ends at the margin.
        if centre + issuer_w / 2 > self.width:
            centre = self.width - issuer_w / 2
        baseline_shift = (self.leading - size) / 2 + 0.12 * size
        y = self.height - self.leading + baseline_shift
        if self.issuer:
            draw_runs(self.canv, centre - issuer_w / 2, y, self.issuer, font, size, fonts)
            y -= self.leading
        if self.date:
            draw_runs(self.canv, right - date_w, y, self.date, font, size, fonts)


def _cell_flowable(cell: Cell, styles: _Styles, settings: PageSettings) -> Flowable | list[Flowable]:
    if cell.emphasis:
        style = styles.cell_head
        primary = styles.fonts.heading
    else:
        style = styles.cell_center if cell.align == "center" else styles.cell
        primary = styles.fonts.body
    para = CellParagraph(_markup(cell.text, primary, styles.fonts), style)
    if cell.min_lines > 1:
        return [para, RLSpacer(0, (cell.min_lines - 1) * settings.table_leading)]
    return para


# What a ReportLab table cell holds: a flowable, a list of them, or a string.
_CellContent: TypeAlias = Flowable | list[Flowable] | str


def _table(block: Table, styles: _Styles, settings: PageSettings) -> RLTable:
    total = sum(block.widths)
    widths = [settings.body_width * w / total for w in block.widths]
    data: list[list[_CellContent]] = []
    commands: list[tuple[Any, ...]] = []        # ReportLab table style commands
    for r, row in enumerate(block.rows):
        cells: list[_CellContent] = []
        c = 0
        for cell in row:
            cells.append(_cell_flowable(cell, styles, settings))
            if cell.span > 1:
                commands.append(("SPAN", (c, r), (c + cell.span - 1, r)))
                cells.extend([""] * (cell.span - 1))
            c += cell.span
        data.append(cells)
    table = RLTable(data, colWidths=widths, repeatRows=block.header_rows, hAlign="CENTER")
    commands += [
        # Empty cells are drawn as strings: in the body face, never Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), styles.fonts.body),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if block.borders:
        commands += [("GRID", (0, 0), (-1, -1), 0.6, colors.black)]
    table.setStyle(TableStyle(commands))
    return table


def _signatures(block: SignatureBlock, styles: _Styles, settings: PageSettings) -> list[Flowable]:
    out: list[Flowable] = []
    fonts = styles.fonts
    if block.signers:
        rows = [
            [Paragraph(_markup(a, fonts.body, fonts), styles.sign) if a else "",
             Paragraph(_markup(b, fonts.body, fonts), styles.sign) if b else ""]
            for a, b in block.signers
        ]
        table = RLTable(rows, colWidths=[settings.body_width * 0.5] * 2, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.body),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            # Room to sign and to press a fingerprint under each label.
            ("BOTTOMPADDING", (0, 0), (-1, -1), settings.leading * 0.9),
        ]))
        out.append(table)
    issuer = block.issuer + block.seal if block.issuer else block.seal
    if issuer or block.date:
        out.append(RLSpacer(0, settings.leading * (0.5 if block.signers else 1.0)))
        out.append(_IssuerAndDate(issuer, block.date, styles, settings))
    return out


def _role_lines(block: RoleLines, styles: _Styles, settings: PageSettings) -> RLTable:
    fonts = styles.fonts
    rows = []
    spans = []
    for r, (role, name) in enumerate(block.rows):
        if role:
            rows.append([Paragraph(_markup(role, fonts.body, fonts), styles.sign_right),
                         Paragraph(_markup(name, fonts.body, fonts), styles.sign)])
        else:
            rows.append([Paragraph(_markup(name, fonts.body, fonts), styles.sign_right), ""])
            spans.append(("SPAN", (0, r), (1, r)))
    widths = [7 * settings.body_size, 6 * settings.body_size]
    table = RLTable(rows, colWidths=widths, hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.body),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (1, 0), (1, -1), settings.body_size),
        *spans,
    ]))
    return table


#: Side of the printed 一案一码 QR code: a phone reads it at arm's length.
STATUS_QR_SIDE = 18 * mm


def _status_code(block: StatusCode, styles: _Styles, settings: PageSettings) -> Flowable:
    """The QR code of the status link at the left, the caption, the link and the note beside it."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    fonts = styles.fonts
    side = STATUS_QR_SIDE
    if block.url is not None:
        widget = QrCodeWidget(block.url, barLevel="M", barBorder=0)
        widget.barWidth = widget.barHeight = side
        # The drawing's default font would pull an unembedded Helvetica in.
        drawing = Drawing(side, side, initialFontName=fonts.body)
        drawing.add(widget)
        code: Flowable | str = drawing
    else:
        code = ""
    text = [Paragraph(_markup(line, fonts.body, fonts), styles.cell) for line in block.lines()]
    table = RLTable([[code, text]], colWidths=[side + 4 * mm, settings.body_width - side - 4 * mm],
                    rowHeights=[side + 1 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        *([("BOX", (0, 0), (0, 0), 0.6, colors.grey)] if block.url is None else []),
    ]))
    return KeepTogether([RLSpacer(0, settings.leading * 0.2), table])


def _flowables(doc: Document, styles: _Styles, settings: PageSettings) -> list[Flowable]:
    fonts = styles.fonts
    out: list[Flowable] = []
    blocks: list[Block] = list(doc.blocks)
    for block in blocks:
        if isinstance(block, Title):
            for line in block.lines:
                out.append(Paragraph(_markup(line, fonts.heading, fonts), styles.title))
            out.append(RLSpacer(0, settings.leading * 0.6))
        elif isinstance(block, DocNumber):
            style = styles.number if block.align == "right" else styles.number_center
            out.append(Paragraph(_markup(block.text, fonts.body, fonts), style))
        elif isinstance(block, Para):
            style = styles.paras[block.kind]
            primary = style.fontName
            if block.keep_with_next or block.kind == ParaKind.HEADING:
                # Keep a heading with the first lines of what follows, as
                # Word's "keep with next" does: start a new page when fewer
                # than three lines are left.  (ReportLab's keepWithNext
                # would move a heading and the whole next paragraph.)
                out.append(CondPageBreak(settings.leading * 3.2))
            out.append(Paragraph(_runs_markup(block.runs, primary, fonts), style))
        elif isinstance(block, Table):
            out.append(RLSpacer(0, settings.leading * 0.2))
            out.append(_table(block, styles, settings))
            out.append(RLSpacer(0, settings.leading * 0.3))
        elif isinstance(block, SignatureBlock):
            items = _signatures(block, styles, settings)
            # Never a page with only the signatures on it: take the last
            # paragraph along (GB/T 9704-2012 7.3.5).
            lead = [out.pop()] if out and isinstance(out[-1], Paragraph) else []
            out.append(KeepTogether([*lead, RLSpacer(0, settings.leading * 0.5), *items]))
        elif isinstance(block, RoleLines):
            table = _role_lines(block, styles, settings)
            if out and isinstance(out[-1], Paragraph):
                out.append(KeepTogether([out.pop(), RLSpacer(0, settings.leading), table]))
            else:
                out.append(table)
        elif isinstance(block, Spacer):
            out.append(RLSpacer(0, settings.leading * block.lines))
        elif isinstance(block, PageBreak):
            out.append(RLPageBreak())
        elif isinstance(block, StatusCode):
            # Never a page with only the code on it: take what precedes it along.
            lead = [out.pop()] if out else []
            out.append(KeepTogether([*lead, _status_code(block, styles, settings)]))
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"unknown block {block!r}")
    return out


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------

def _page_number_painter(settings: PageSettings, fonts: FontSet) -> Callable[[Canvas, Any], None]:
    size = settings.page_number_size

    def paint(canv: Canvas, _doc: Any) -> None:
        first = getattr(canv, "_hall_first_page", 1)
        n = canv.getPageNumber() - first + 1
        text = page_number_text(n)
        width = string_width(text, fonts.body, size, fonts)
        left = settings.left_mm * mm
        right = (settings.page_width_mm - settings.right_mm) * mm
        if settings.page_number_position == "center":
            x = (left + right - width) / 2
        elif canv.getPageNumber() % 2:      # odd (recto) page: right, one character in
            x = right - size - width
        else:                               # even (verso) page: left, one character in
            x = left + size
        # The dash's top 7 mm below the body area; a dash sits about half an
        # em above the baseline.
        y = settings.bottom_mm * mm - settings.page_number_drop_mm * mm - 0.55 * size
        canv.saveState()
        draw_runs(canv, x, y, text, fonts.body, size, fonts)
        canv.restoreState()

    return paint


def _template(settings: PageSettings, fonts: FontSet, doc: Document, buffer: io.BytesIO) -> BaseDocTemplate:
    page = (settings.page_width_mm * mm, settings.page_height_mm * mm)
    frame = Frame(
        settings.left_mm * mm, settings.bottom_mm * mm, settings.body_width, settings.body_height,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )
    template = BaseDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=settings.left_mm * mm,
        rightMargin=settings.right_mm * mm,
        topMargin=settings.top_mm * mm,
        bottomMargin=settings.bottom_mm * mm,
        title=doc.title,
        author=doc.author,
        subject=doc.kind,
        creator="hall",
        invariant=1,
        initialFontName=fonts.body,
        initialFontSize=settings.body_size,
    )
    template.addPageTemplates([
        PageTemplate(id="official", frames=[frame], onPageEnd=_page_number_painter(settings, fonts)),
    ])
    return template


_PAGE_NUMBER_CHARS = "— 0123456789"


def _check(docs: Sequence[Document], fonts: FontSet) -> None:
    check_drawable("".join(t for d in docs for t in d.texts()) + _PAGE_NUMBER_CHARS, fonts)


def render_pdf(
    doc: Document, settings: PageSettings = GB_T_9704, fonts: FontSet | None = None
) -> bytes:
    """The document as an A4 PDF.

    Raises :class:`reports.fonts.MissingGlyphError` naming every character
    that no installed font can print, before anything is laid out.
    """
    return render_pdf_batch([doc], settings, fonts)


def render_pdf_batch(
    docs: Sequence[Document], settings: PageSettings = GB_T_9704, fonts: FontSet | None = None
) -> bytes:
    """Several documents in ONE PDF, each starting on a new page with its own
    page numbers (a day's hearing notices printed in one go)."""
    if not docs:
        raise ValueError("nothing to render")
    fonts = fonts or cjk_fonts()
    _check(docs, fonts)
    styles = _Styles(settings, fonts)
    story: list[Flowable] = []
    for index, doc in enumerate(docs):
        if index:
            story.append(RLPageBreak())
        story.append(_DocStart())
        story.extend(_flowables(doc, styles, settings))
    buffer = io.BytesIO()
    head = docs[0] if len(docs) == 1 else Document(
        kind=docs[0].kind, title=f"{docs[0].title}等{len(docs)}份", blocks=(), author=docs[0].author
    )
    _template(settings, fonts, head, buffer).build(story)
    return buffer.getvalue()


FORMATS = ("pdf", "docx")


def render(doc: Document, fmt: str = "pdf", settings: PageSettings = GB_T_9704,
           fonts: FontSet | None = None) -> bytes:
    """The document as ``"pdf"`` (typeset here) or ``"docx"`` (the zh-CN template)."""
    if fmt == "pdf":
        return render_pdf(doc, settings, fonts)
    if fmt == "docx":
        from reports.docx_base import render_docx

        return render_docx(doc)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
