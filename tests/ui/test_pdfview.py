"""A document's PDF on paper: the one page painter both document printers use."""
from __future__ import annotations

import io

import pytest

from ui.common.pdfview import DocumentPrinter as ClerkPrinter
from ui.common.pdfview import paint_pdf
from ui.mediation.agreement import DocumentPrinter as AgreementPrinter
from ui.qt import QPdfDocument, QPrinter


def _pdf(pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for n in range(pages):
        c.drawString(72, 720, f"page {n + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def _file_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _pages(path) -> int:
    doc = QPdfDocument(None)
    doc.load(str(path))
    try:
        return doc.pageCount()
    finally:
        doc.close()


@pytest.mark.parametrize("paint", [
    lambda data, printer: paint_pdf(data, printer),
    lambda data, printer: ClerkPrinter().paint(data, printer),
    lambda data, printer: AgreementPrinter().paint(data, printer),
], ids=["paint_pdf", "clerk", "agreement"])
def test_every_page_reaches_the_printer(qapp, tmp_path, paint):
    out = tmp_path / "printed.pdf"
    printer = _file_printer(out)
    assert paint(_pdf(3), printer) == 3
    assert _pages(out) == 3


def test_an_unreadable_document_is_refused_in_words(qapp, tmp_path):
    with pytest.raises(OSError, match="文书文件无法读取"):
        paint_pdf(b"not a pdf", _file_printer(tmp_path / "x.pdf"))
