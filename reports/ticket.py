"""The 80 mm queue ticket printed at the front desk.

The ticket is a public surface (《个人信息保护法》 Art. 25): it shows the
visitor's name only as masked by the caller (张*明), never an ID number or a
phone number.  The page is 80 mm wide, as tall as its content, for a
thermal receipt printer.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Flowable, Paragraph

from hall.domain.clock import to_local
from reports.fonts import (
    FontSet,
    check_drawable,
    cjk_fonts,
    cjk_style,
    draw_runs,
    markup,
    string_width,
)
from reports.libtypes import Color

__all__ = ["DEFAULT_PRIVACY_LINE", "PAGE_WIDTH", "TicketSlip", "qr_payload", "render_ticket_pdf"]

DEFAULT_PRIVACY_LINE = "本票不显示您的完整姓名、身份证号和电话号码。请留意叫号屏与语音提示。"

PAGE_WIDTH: float = 80 * mm
MARGIN: float = 4 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

_MASK_CHARS = ("*", "＊")


@dataclass(frozen=True, kw_only=True)
class TicketSlip:
    """What one printed queue ticket shows."""

    centre_name: str
    service_name: str
    number: str                     # "L007"
    ahead: int                      # visitors waiting before this one
    issued_at: dt.datetime          # timezone-aware; shown in Asia/Shanghai
    ticket_id: int
    masked_name: str | None = None  # already masked by the caller: 张*明
    priority_label: str | None = None
    window_hint: str | None = None
    privacy_line: str = DEFAULT_PRIVACY_LINE
    rating_code: str | None = None  # printed under the QR code, for rating at the kiosk
    status_url: str | None = None   # the visitor's status page (an unguessable token); the QR code
    wait_text: str | None = None    # "约 15–25 分钟": the estimate at issue

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be timezone-aware")
        if self.ahead < 0:
            raise ValueError("ahead cannot be negative")
        if self.masked_name is not None and not any(m in self.masked_name for m in _MASK_CHARS):
            # A public surface must never carry a full name.
            raise ValueError("masked_name must already be masked (e.g. 张*明)")


def qr_payload(slip: TicketSlip) -> str | None:
    """What the ticket's QR code encodes: the status page link with its
    unguessable token — never the ticket's sequential id, which anyone could
    count through. No link, no QR code."""
    return slip.status_url or None


# --------------------------------------------------------------------------
# Small flowables for a receipt
# --------------------------------------------------------------------------

class _Emboldened(Flowable):
    """Draws a flowable's text filled and stroked: a bold look for fonts
    without a bold face (WenQuanYi Zen Hei), crisp on a thermal head."""

    def __init__(self, inner: Flowable, stroke: float, color: Color = colors.black) -> None:
        super().__init__()
        self.inner = inner
        self.stroke = stroke
        self.color = color

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self.stroke)
        canv.setLineJoin(1)
        canv.setStrokeColor(self.color)
        # Text render mode is graphics state: set it in an empty text
        # object and it holds for the inner flowable's text until restore.
        mode = canv.beginText()
        mode.setTextRenderMode(2)
        canv.drawText(mode)
        self.inner.drawOn(canv, 0, 0)
        canv.restoreState()


class _Inverted(Flowable):
    """White text on a black bar, for the priority label."""

    def __init__(self, inner: Flowable, padding: float) -> None:
        super().__init__()
        self.inner = inner
        self.padding = padding

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _w, h = self.inner.wrap(avail_width - 2 * self.padding, avail_height)
        self.width, self.height = avail_width, h + 2 * self.padding
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.black)
        canv.roundRect(0, 0, self.width, self.height, 1.5 * mm, stroke=0, fill=1)
        canv.restoreState()
        self.inner.drawOn(canv, self.padding, self.padding)


class _BigLine(Flowable):
    """One line in very large bold type, centred, with tight vertical space.

    A Paragraph would reserve the font's full ascent above the glyphs,
    which at 60 pt leaves a wide empty band above a ticket number.
    """

    def __init__(self, text: str, font: str, size: float, fonts: FontSet) -> None:
        super().__init__()
        self.text, self.font, self.size, self.fonts = text, font, size, fonts
        self.text_width = string_width(text, font, size, fonts)
        # Digits and Latin capitals reach ~0.75 em; a Chinese character
        # ~0.88 em above the baseline and ~0.12 em below it.
        ascii_only = text.isascii()
        self.rise = 0.0 if ascii_only else 0.12 * size
        self.height = (0.76 if ascii_only else 1.0) * size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self.size * 0.03)
        canv.setLineJoin(1)
        text = canv.beginText()
        text.setTextRenderMode(2)
        canv.drawText(text)
        draw_runs(canv, (self.width - self.text_width) / 2, self.rise, self.text, self.font,
                  self.size, self.fonts)
        canv.restoreState()


class _Rule(Flowable):
    """A dashed tear line across the ticket."""

    def __init__(self, height: float = 3 * mm) -> None:
        super().__init__()
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(0.6)
        canv.setDash(2, 2)
        canv.line(0, self.height / 2, self.width, self.height / 2)
        canv.restoreState()


class _Gap(Flowable):
    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, self.height

    def draw(self) -> None:
        pass


class _QrCode(Flowable):
    """A vector QR code centred on the line (vector stays sharp at any dpi)."""

    def __init__(self, payload: str, side: float, font: str) -> None:
        super().__init__()
        widget = QrCodeWidget(payload, barLevel="M", barBorder=0)
        widget.barWidth = widget.barHeight = side
        # The drawing's default font would pull an unembedded Helvetica
        # into the PDF although the QR code draws no text.
        self.drawing = Drawing(side, side, initialFontName=font)
        self.drawing.add(widget)
        self.side = side

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.side
        return self.width, self.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, (self.width - self.side) / 2, 0)


# --------------------------------------------------------------------------
# The ticket
# --------------------------------------------------------------------------

_NUMBER_SIZE = 60.0
_NUMBER_MIN_SIZE = 28.0


def _para(text: str, font: str, size: float, fonts: FontSet, align: int = TA_CENTER, **style: Any) -> Paragraph:
    return Paragraph(markup(text, font, fonts), cjk_style("t", font, size, alignment=align, **style))


def _number_size(number: str, font: str, fonts: FontSet) -> float:
    """The largest size up to 60 pt at which the number fits on one line."""
    width = string_width(number, font, _NUMBER_SIZE, fonts)
    usable: float = CONTENT_WIDTH - 2 * mm
    if width <= usable:
        return _NUMBER_SIZE
    return max(_NUMBER_MIN_SIZE, _NUMBER_SIZE * usable / width)


ELLIPSIS = "…"


def fit_line(text: str, font: str, size: float, fonts: FontSet, width: float) -> str:
    """``text`` as it fits on one line of ``width``: whole when it fits, else cut
    in the middle with “…” (the surname and the last character stay: 庄**…**爽).
    Cutting only leaves characters out, so a masked name never shows more."""
    if string_width(text, font, size, fonts) <= width:
        return text

    def cut(keep: int) -> str:
        head = (keep + 1) // 2
        return text[:head] + ELLIPSIS + (text[len(text) - (keep - head):] if keep - head else "")

    lo, hi = 1, len(text) - 1           # the most characters kept that still fit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if string_width(cut(mid), font, size, fonts) <= width:
            lo = mid
        else:
            hi = mid - 1
    return cut(lo)


def _name_line(masked_name: str, font: str, fonts: FontSet) -> str:
    label = "姓名："
    room = CONTENT_WIDTH - string_width(label, font, _NAME_SIZE, fonts) - 0.5 * mm
    return label + fit_line(masked_name, font, _NAME_SIZE, fonts, room)


_NAME_SIZE = 10


def _waiting_text(ahead: int) -> str:
    if ahead == 0:
        return "您前面没有人等候，请留意叫号"
    return f"您前面还有 {ahead} 人等候"


def _flowables(slip: TicketSlip, fonts: FontSet) -> list[Flowable]:
    # One face for the whole ticket: a Hei face stays legible on a thermal
    # head where thin FangSong/Song strokes break up.
    hei = fonts.heading
    number_size = _number_size(slip.number, hei, fonts)
    items: list[Flowable] = [
        _Emboldened(_para(slip.centre_name, hei, 12.5, fonts), stroke=0.35),
        _Gap(1 * mm),
        _para(slip.service_name, hei, 11, fonts),
        _Rule(),
        _para("您的号码", hei, 9, fonts),
        _Gap(2.5 * mm),
        _BigLine(slip.number, hei, number_size, fonts),
        _Gap(2.5 * mm),
    ]
    if slip.priority_label:
        items += [
            _Inverted(
                _Emboldened(
                    _para(slip.priority_label, hei, 11, fonts, textColor=colors.white),
                    stroke=0.3,
                    color=colors.white,
                ),
                padding=1.2 * mm,
            ),
        ]
    items += [_Gap(1.5 * mm), _Emboldened(_para(_waiting_text(slip.ahead), hei, 12, fonts), stroke=0.2)]
    if slip.wait_text:
        items += [_Gap(0.5 * mm), _para(f"预计等候{slip.wait_text}", hei, 11, fonts)]
    if slip.window_hint:
        items += [_Gap(0.5 * mm), _para(slip.window_hint, hei, 10, fonts)]
    items += [_Rule()]
    issued = to_local(slip.issued_at).strftime("%Y-%m-%d %H:%M")
    items.append(_para(f"取号时间：{issued}", hei, 10, fonts, align=TA_LEFT))
    if slip.masked_name:
        items.append(_para(_name_line(slip.masked_name, hei, fonts), hei, _NAME_SIZE, fonts, align=TA_LEFT))
    payload = qr_payload(slip)
    if payload:
        items += [
            _Gap(2 * mm),
            _QrCode(payload, 24 * mm, hei),
            _Gap(0.5 * mm),
            _para("扫码查看排队进度", hei, 9, fonts),
            _Gap(0.5 * mm),
        ]
    if slip.rating_code:
        items += [_para(_rating_text(slip.rating_code), hei, 9, fonts), _Gap(0.5 * mm)]
    items += [
        _para(f"票据编号 {slip.ticket_id}", hei, 8, fonts),
        _Rule(),
        _para(slip.privacy_line, hei, 8.5, fonts, align=TA_LEFT),
    ]
    return items


def _rating_text(code: str) -> str:
    return f"评价码：{code}（办结后可在自助机评价）"


def _all_text(slip: TicketSlip) -> str:
    parts = [
        slip.centre_name, slip.service_name, slip.number, slip.masked_name and slip.masked_name + ELLIPSIS,
        slip.priority_label, slip.window_hint, slip.privacy_line,
        _rating_text(slip.rating_code) if slip.rating_code else None,
        f"预计等候{slip.wait_text}" if slip.wait_text else None,
        "扫码查看排队进度" if slip.status_url else None,
    ]
    return "".join(p for p in parts if p)


def render_ticket_pdf(slip: TicketSlip, fonts: FontSet | None = None) -> bytes:
    """The ticket as a one-page PDF, 80 mm wide and as tall as its content.

    Raises :class:`reports.fonts.MissingGlyphError` naming every character
    of the slip that no installed font can print.
    """
    fonts = fonts or cjk_fonts()
    check_drawable(_all_text(slip), fonts.chain(fonts.heading))

    items = _flowables(slip, fonts)
    sizes = [item.wrap(CONTENT_WIDTH, 10_000) for item in items]
    height = sum(h for _w, h in sizes) + 2 * MARGIN

    buffer = io.BytesIO()
    canv = pdf_canvas.Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, height),
        invariant=1,  # same slip, same bytes: the document registry hashes them
        initialFontName=fonts.heading,
        initialFontSize=10,
    )
    canv.setTitle(f"排队票 {slip.number}")
    canv.setCreator("hall")
    y = height - MARGIN
    for item, (_w, h) in zip(items, sizes):
        y -= h
        item.drawOn(canv, MARGIN, y)
    canv.showPage()
    canv.save()
    return buffer.getvalue()
