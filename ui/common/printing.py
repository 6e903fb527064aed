"""Printing the front desk's queue ticket.

The ticket is rendered once, as PDF bytes, by ``reports.ticket`` (the same
bytes whether printed, previewed or saved). Printing draws the PDF's pages,
rasterised by QtPdf, onto the printer's painter; a preview goes through Qt's
own print preview dialog. Without a printer the PDF is saved in a folder
and the clerk is told where.

A printing failure never undoes a ticket: the number is issued and shown
on screen, the failure is reported in Chinese, and the front desk can
print the same ticket again (重打).

The ticket is a public surface (《个人信息保护法》 Art. 25): only the
visitor's masked name goes on it, never the full name, the ID number or
the phone number.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hall.domain.clock import default_clock, to_local
from hall.services.views import TicketView

# reports.ticket (ReportLab, ~0.2 s to import) is loaded on the first ticket,
# or by the front desk's warm-up once it shows, not when the module loads.
if TYPE_CHECKING:
    from reports.ticket import TicketSlip

from ui.common.pdfview import write_pdf
from ui.qt import (
    QBuffer,
    QByteArray,
    QDialog,
    QIODevice,
    QMarginsF,
    QObject,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfDocument,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewDialog,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    QWidget,
    translate,
)

log = logging.getLogger(__name__)

__all__ = ["PrintError", "PrintResult", "TicketPrinter", "default_ticket_folder", "ticket_slip"]

#: Rasterise tickets at no more than this resolution: a thermal head prints
#: 203 dpi, and a 1200 dpi "printer" (a PDF file) would need a huge image.
MAX_RENDER_DPI = 300

_MASK_CHARS = ("*", "＊")


class PrintError(RuntimeError):
    """The printer could not be used; ``str()`` is a Chinese sentence."""


@dataclass(frozen=True)
class PrintResult:
    """How printing one ticket ended."""

    outcome: str              # "printed", "saved", "cancelled" or "failed"
    message: str              # a Chinese sentence for the front desk
    path: Path | None = None  # where the PDF was saved, if it was
    printer: str | None = None

    @property
    def ok(self) -> bool:
        """The visitor has (or can be given) a ticket."""
        return self.outcome in ("printed", "saved")


def default_ticket_folder() -> Path:
    """Where tickets are saved without a printer: ``<Documents>/排队票``."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "排队票"


def ticket_slip(view: TicketView, centre_name: str, window_hint: str | None = None,
                rating_code: str | None = None) -> TicketSlip:
    """What goes on the paper for ``view``: the masked name only, never more."""
    from reports.ticket import TicketSlip

    masked = view.masked_name or None
    if masked is not None and not any(m in masked for m in _MASK_CHARS):
        masked = None  # not masked: print no name rather than a full one
    return TicketSlip(
        centre_name=centre_name,
        service_name=view.service_name,
        number=view.number,
        ahead=max(view.ahead or 0, 0),
        issued_at=view.issued_at,
        ticket_id=view.id,
        masked_name=masked,
        priority_label=f"优先：{view.priority_label}" if view.priority_label else None,
        window_hint=window_hint,
        rating_code=rating_code or None,
        status_url=view.status_url,
        wait_text=view.wait_text,
    )


class _PdfPages:
    """A PDF held open by QtPdf for drawing (the buffer must outlive the document)."""

    def __init__(self, pdf: bytes):
        if QPdfDocument is None:
            raise PrintError(translate("TicketPrinter", "本机缺少 Qt PDF 组件，无法打印，请联系管理员"))
        self.buffer = QBuffer()
        self.buffer.setData(QByteArray(pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.doc = QPdfDocument(None)
        self.doc.load(self.buffer)
        if self.doc.status() != QPdfDocument.Status.Ready or self.doc.pageCount() < 1:
            raise PrintError(translate("TicketPrinter", "排队票文件无法读取"))

    def page_size(self, page: int = 0) -> QSizeF:
        return self.doc.pagePointSize(page)

    def close(self) -> None:
        self.doc.close()
        self.buffer.close()


class TicketPrinter(QObject):
    """Renders, prints and saves queue tickets.

    ``printer_name``: this workstation's ticket printer (printed to directly);
    ``folder``: where tickets are saved when there is no printer (default
    :func:`default_ticket_folder`).
    """

    def __init__(self, parent: QObject | None = None, *, printer_name: str | None = None,
                 folder: Path | str | None = None):
        super().__init__(parent)
        self.printer_name = printer_name or None
        self.folder = Path(folder) if folder else None
        self.last_render_ms: float | None = None

    # -- seams (tests replace these; no dialog may block a test run) ------
    def available_printers(self) -> list[str]:
        if QPrinterInfo is None:
            return []
        return list(QPrinterInfo.availablePrinterNames())

    def make_printer(self, name: str | None) -> QPrinter:
        if name:
            return QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution)
        return QPrinter(QPrinter.PrinterMode.HighResolution)

    def make_preview(self, printer: QPrinter, parent: QWidget | None) -> QPrintPreviewDialog:
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setWindowTitle(self.tr("打印排队票"))
        return dialog

    # -- rendering -----------------------------------------------------------
    def render(self, ticket_view: TicketView, centre_name: str, window_hint: str | None = None,
               rating_code: str | None = None) -> bytes:
        """The ticket as PDF bytes. Touches no Qt: may run off the UI thread."""
        from reports.ticket import render_ticket_pdf

        start = time.perf_counter()
        pdf = render_ticket_pdf(ticket_slip(ticket_view, centre_name, window_hint, rating_code))
        self.last_render_ms = (time.perf_counter() - start) * 1000
        return pdf

    # -- saving ----------------------------------------------------------------
    def save_pdf(self, pdf: bytes, folder: Path | str | None = None, *, stem: str | None = None) -> Path:
        """Write ``pdf`` into ``folder`` (created if need be) under a new name."""
        target = Path(folder) if folder else (self.folder or default_ticket_folder())
        stem = stem or to_local(default_clock().now()).strftime("%Y%m%d-%H%M%S")
        return write_pdf(target, f"排队票-{stem}", pdf)

    # -- printing --------------------------------------------------------------
    def paint(self, pdf: bytes, printer: QPrinter) -> int:
        """Draw every page of ``pdf`` on ``printer``; returns the pages drawn."""
        pages = _PdfPages(pdf)
        try:
            _fit_page(printer, pages.page_size(0))
            return self._paint_pages(pages, printer)
        finally:
            pages.close()

    def _paint_pages(self, pages: _PdfPages, printer: QPrinter) -> int:
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(self.tr("无法开始打印，请检查打印机是否开机、是否缺纸"))
        try:
            dpi = min(printer.resolution(), MAX_RENDER_DPI)
            for page in range(pages.doc.pageCount()):
                if page and not printer.newPage():
                    raise PrintError(self.tr("打印机拒绝了下一页"))
                size = pages.page_size(page)
                image = pages.doc.render(page, QSize(round(size.width() / 72 * dpi),
                                                     round(size.height() / 72 * dpi)))
                if image.isNull():
                    raise PrintError(self.tr("排队票页面无法绘制"))
                area = QRectF(painter.viewport())
                scale = min(area.width() / image.width(), area.height() / image.height())
                painter.drawImage(QRectF(area.x() + (area.width() - image.width() * scale) / 2, area.y(),
                                         image.width() * scale, image.height() * scale), image)
            return pages.doc.pageCount()
        finally:
            painter.end()

    def print_pdf(self, pdf: bytes, parent: QWidget | None = None, printer_name: str | None = None,
                  preview: bool = True, *, stem: str | None = None) -> PrintResult:
        """Print ``pdf``: through the preview dialog, or straight to the printer.

        With no printer (or the configured one missing) the PDF is saved and
        the result says where. A failure saves the PDF too, so the ticket can
        still be handed over, and is reported, never raised.
        """
        name = printer_name or self.printer_name
        try:
            available = self.available_printers()
        except Exception:  # a broken print system is no printer
            log.warning("listing printers failed", exc_info=True)
            available = []
        if not available:
            return self._saved(pdf, stem, self.tr("未检测到打印机，排队票已保存为 PDF：{path}"))
        if name and name not in available:
            return self._saved(pdf, stem, self.tr("打印机“{printer}”不可用，排队票已保存为 PDF：{path}")
                               .replace("{printer}", name))
        try:
            printer = self.make_printer(name)
            shown = name or printer.printerName() or self.tr("默认打印机")
            if preview:
                return self._preview(pdf, printer, parent, shown)
            self.paint(pdf, printer)
            return PrintResult("printed", self.tr("已发送到打印机“{printer}”").replace("{printer}", shown),
                               printer=shown)
        except Exception as exc:
            log.warning("printing a ticket failed: %s", exc, exc_info=not isinstance(exc, PrintError))
            reason = str(exc) if isinstance(exc, PrintError) else self.tr("打印系统出错")
            return self._saved(pdf, stem, self.tr("打印失败：{reason}。排队票已保存为 PDF：{path}")
                               .replace("{reason}", reason), outcome="failed")

    def _preview(self, pdf: bytes, printer: QPrinter, parent: QWidget | None, shown: str) -> PrintResult:
        pages = _PdfPages(pdf)
        errors: list[BaseException] = []

        def paint_requested(target: QPrinter) -> None:
            try:
                self._paint_pages(pages, target)
            except Exception as exc:  # raised inside Qt's dialog: keep it for the result
                errors.append(exc)

        try:
            _fit_page(printer, pages.page_size(0))
            dialog = self.make_preview(printer, parent)
            dialog.paintRequested.connect(paint_requested)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            dialog.deleteLater()
        finally:
            pages.close()
        if errors:
            raise errors[-1]
        if not accepted:
            return PrintResult("cancelled", self.tr("已取消打印，号码仍然有效，可按 Ctrl+R 重打"), printer=shown)
        return PrintResult("printed", self.tr("已发送到打印机“{printer}”").replace("{printer}", shown),
                           printer=shown)

    def _saved(self, pdf: bytes, stem: str | None, template: str, outcome: str = "saved") -> PrintResult:
        try:
            path = self.save_pdf(pdf, stem=stem)
        except OSError as exc:
            log.warning("saving a ticket PDF failed: %s", exc)
            return PrintResult("failed", self.tr("无法打印，也无法保存排队票 PDF（{reason}）。号码仍然有效，请口头告知来访人")
                               .replace("{reason}", exc.strerror or str(exc)))
        return PrintResult(outcome, template.replace("{path}", str(path)), path=path)


def _fit_page(printer: QPrinter, points: QSizeF) -> None:
    """Make the printer's page the ticket's size (80 mm wide, as tall as the ticket)."""
    printer.setPageSize(QPageSize(points, QPageSize.Unit.Point, "排队票",
                                  QPageSize.SizeMatchPolicy.ExactMatch))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    printer.setFullPage(True)
