"""A document's PDF on screen and on paper: the page preview and the printer.

The preview draws the very bytes that were registered and will be printed,
page by page (QtPdf), so what the user sees is what the party gets. Used by
the arbitration clerk's and the petition window's documents.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ui.common import palette
from ui.qt import (
    QBuffer,
    QByteArray,
    QColor,
    QDialog,
    QFileDialog,
    QFrame,
    QImage,
    QIODevice,
    QLabel,
    QPainter,
    QPdfDocument,
    QPixmap,
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QRectF,
    QScrollArea,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    translate,
)


@contextmanager
def opened_pdf(data: bytes) -> Iterator[QPdfDocument | None]:
    """``data`` opened by QtPdf, or None when it cannot be read; closed (with the buffer
    it is read from, which must outlive it) when the block ends."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument(None)
    try:
        doc.load(buffer)
        yield doc if doc.status() == QPdfDocument.Status.Ready else None
    finally:
        doc.close()
        buffer.close()


def write_pdf(folder: Path, name: str, pdf: bytes) -> Path:
    """Write ``pdf`` into ``folder`` (made if need be) as ``name``.pdf, or as ``name``-2.pdf,
    -3 and so on when that file is there already; returns the path written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    n = 2
    while path.exists():
        path = folder / f"{name}-{n}.pdf"
        n += 1
    path.write_bytes(pdf)
    return path


# ================================================================== preview
class PdfPreview(QScrollArea):
    """The pages of a PDF as pictures, one under the other."""

    PAGE_WIDTH = 720

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.pages: list[QLabel] = []
        self.data = b""
        self.body = QWidget()
        self.body.setObjectName("previewBody")
        self.lay = QVBoxLayout(self.body)
        self.lay.setContentsMargins(16, 16, 16, 16)
        self.lay.setSpacing(14)
        self.empty = QLabel(self.tr("选择左侧文书种类并点击“生成”，或选择已生成的文书，在此预览。"))
        self.empty.setObjectName("previewEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lay.addWidget(self.empty)
        self.lay.addStretch(1)
        self.setWidget(self.body)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def clear(self) -> None:
        for label in self.pages:
            self.lay.removeWidget(label)
            label.deleteLater()
        self.pages = []
        self.data = b""
        self.empty.show()

    def set_pdf(self, data: bytes) -> int:
        """Show ``data``; returns the number of pages drawn."""
        self.clear()
        if QPdfDocument is None or not data:
            return 0
        with opened_pdf(data) as doc:
            if doc is None:
                return 0
            ratio = self.devicePixelRatioF() or 1.0
            for page in range(doc.pageCount()):
                size = doc.pagePointSize(page)
                width = max(320, min(self.PAGE_WIDTH, self.viewport().width() - 48))
                height = round(width * size.height() / max(size.width(), 1))
                image = doc.render(page, QSize(round(width * ratio), round(height * ratio)))
                if image.isNull():
                    continue
                framed = QImage(image.size(), QImage.Format.Format_RGB32)
                framed.fill(QColor(palette.SURFACE))
                painter = QPainter(framed)
                painter.drawImage(0, 0, image)
                painter.end()
                pix = QPixmap.fromImage(framed)
                pix.setDevicePixelRatio(ratio)
                label = QLabel()
                label.setObjectName("previewPage")
                label.setPixmap(pix)
                label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                self.lay.insertWidget(self.lay.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter)
                self.pages.append(label)
        self.data = data
        self.empty.setVisible(not self.pages)
        return len(self.pages)


# ================================================================= printing
def paint_pdf(data: bytes, printer: QPrinter, max_dpi: int = 300) -> int:
    """Draw every page of ``data`` on ``printer``, at most ``max_dpi``; returns the page count."""
    with opened_pdf(data) as doc:
        painter = QPainter()
        try:
            if doc is None:
                raise OSError(translate("ClerkDocuments", "文书文件无法读取"))
            if not painter.begin(printer):
                raise OSError(translate("ClerkDocuments", "无法开始打印，请检查打印机是否开机、是否缺纸"))
            dpi = min(printer.resolution(), max_dpi)
            for page in range(doc.pageCount()):
                if page and not printer.newPage():
                    raise OSError(translate("ClerkDocuments", "打印机拒绝了下一页"))
                size = doc.pagePointSize(page)
                image = doc.render(page, QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi)))
                area = QRectF(painter.viewport())
                scale = min(area.width() / image.width(), area.height() / image.height())
                painter.drawImage(QRectF(area.x(), area.y(), image.width() * scale, image.height() * scale), image)
            return doc.pageCount()
        finally:
            if painter.isActive():
                painter.end()


class DocumentPrinter:
    """Prints and saves a document's PDF. Tests replace ``choose_printer`` and ``ask_path``."""

    MAX_DPI = 300

    def available_printers(self) -> list[str]:
        return list(QPrinterInfo.availablePrinterNames()) if QPrinterInfo is not None else []

    def choose_printer(self, parent: QWidget | None, name: str | None) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if name:
            printer.setPrinterName(name)
        dialog = QPrintDialog(printer, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return printer if accepted else None

    def ask_path(self, parent: QWidget | None, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(parent, translate("ClerkDocuments", "保存文书"), suggested, translate("ClerkDocuments", "PDF 文件 (*.pdf)"))
        return path

    def paint(self, data: bytes, printer: QPrinter) -> int:
        return paint_pdf(data, printer, self.MAX_DPI)

    def print_pdf(self, data: bytes, parent: QWidget | None, name: str | None) -> str | None:
        """Print; returns the printer's name, or None when the clerk cancelled."""
        printer = self.choose_printer(parent, name)
        if printer is None:
            return None
        self.paint(data, printer)
        return printer.printerName() or printer.outputFileName() or translate("ClerkDocuments", "默认打印机")

    def save_pdf(self, data: bytes, parent: QWidget | None, suggested: str) -> Path | None:
        path = self.ask_path(parent, suggested)
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        target.write_bytes(data)
        return target
