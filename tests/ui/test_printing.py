"""The ticket printer: what goes on paper, where it is saved without a printer,
and how printing ends. No dialog is ever shown: the preview and the printer
are replaced by stand-ins that draw into a PDF file."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from hall.domain.clock import UTC
from hall.services.views import TicketView

needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdfinfo) is not installed; the PDF cannot be read back")

FULL_NAME = "张三明"
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


def ticket(**changes) -> TicketView:
    values = dict(id=4711, number="L007", service="labour", service_name="劳动仲裁", status="waiting",
                  business_day=dt.date(2026, 11, 23), issued_at=dt.datetime(2026, 11, 23, 1, 5, tzinfo=UTC),
                  priority_reason="pregnant", priority_label="孕妇", ahead=3, masked_name="张*明",
                  visitor_id=9, visitor_name=FULL_NAME)
    values.update(changes)
    return TicketView(**values)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return "".join(out.split())


def page_points(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    line = next(x for x in info.splitlines() if x.startswith("Page size:"))
    w, _x, h = line.split(":", 1)[1].split()[:3]
    return float(w), float(h)


@pytest.fixture
def printer(qapp, tmp_path):
    from ui.common.printing import TicketPrinter

    p = TicketPrinter(folder=tmp_path / "tickets")
    p.available_printers = lambda: []
    return p


class FakePreview:
    """Stands in for QPrintPreviewDialog: draws once into its printer, then
    answers as the clerk would (print or cancel)."""

    def __init__(self, printer, accept: bool = True):
        from ui.qt import QObject, Signal

        class _Signals(QObject):
            paintRequested = Signal(object)

        self._signals = _Signals()
        self.paintRequested = self._signals.paintRequested
        self.printer = printer
        self.accept = accept

    def exec(self) -> int:
        self.paintRequested.emit(self.printer)
        return 1 if self.accept else 0

    def deleteLater(self) -> None:
        pass


def pdf_file_printer(path: Path):
    from ui.qt import QPrinter

    p = QPrinter(QPrinter.PrinterMode.HighResolution)
    p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    p.setOutputFileName(str(path))
    return p


@needs_poppler
def test_the_ticket_shows_the_number_and_the_masked_name_never_the_full_name(printer, tmp_path):
    pdf = printer.render(ticket(), "东湖区社会治理服务中心", "请到 3 号窗口办理")
    text = pdf_text(pdf, tmp_path)
    assert "L007" in text and "张*明" in text
    assert "劳动仲裁" in text and "东湖区社会治理服务中心" in text and "优先：孕妇" in text
    assert "您前面还有3人等候" in text and "请到3号窗口办理" in text
    assert FULL_NAME not in text and ID_NUMBER not in text and PHONE not in text


@needs_poppler
def test_a_name_that_is_not_masked_is_left_off_the_ticket(printer, tmp_path):
    text = pdf_text(printer.render(ticket(masked_name=FULL_NAME), "东湖区社会治理服务中心"), tmp_path)
    assert "L007" in text and FULL_NAME not in text and "姓名：" not in text


def test_rendering_is_timed_and_fast(printer):
    printer.render(ticket(), "东湖区社会治理服务中心")  # fonts load once per process
    printer.render(ticket(number="L008"), "东湖区社会治理服务中心")
    assert 0 < printer.last_render_ms < 1000


def test_save_pdf_writes_a_new_file_each_time(printer, tmp_path):
    pdf = printer.render(ticket(), "中心")
    first = printer.save_pdf(pdf, tmp_path / "out", stem="20261123-L007-4711")
    second = printer.save_pdf(pdf, tmp_path / "out", stem="20261123-L007-4711")
    assert first.read_bytes() == pdf == second.read_bytes()
    assert first != second and first.parent == tmp_path / "out"
    assert first.name == "排队票-20261123-L007-4711.pdf"
    assert printer.save_pdf(pdf).parent == tmp_path / "tickets"  # the configured folder


def test_without_a_printer_the_ticket_is_saved_and_the_clerk_told_where(printer):
    result = printer.print_pdf(printer.render(ticket(), "中心"), None, stem="x")
    assert result.outcome == "saved" and result.ok
    assert result.path.is_file() and str(result.path) in result.message
    assert "未检测到打印机" in result.message


def test_a_missing_configured_printer_is_named_and_the_ticket_saved(printer):
    printer.available_printers = lambda: ["Office Laser"]
    result = printer.print_pdf(printer.render(ticket(), "中心"), None, printer_name="Ticket-80mm")
    assert result.outcome == "saved" and "Ticket-80mm" in result.message and result.path.is_file()


@needs_poppler
def test_the_preview_draws_the_ticket_at_its_own_size_and_prints(printer, tmp_path):
    out = tmp_path / "printed.pdf"
    printer.available_printers = lambda: ["Ticket-80mm"]
    printer.make_printer = lambda name: pdf_file_printer(out)
    printer.make_preview = lambda p, parent: FakePreview(p)
    result = printer.print_pdf(printer.render(ticket(), "中心"), None)
    assert result.outcome == "printed" and "已发送到打印机" in result.message
    width, height = page_points(out)
    assert abs(width - 226.8) < 1.5 and height > 200  # 80 mm wide, as tall as the ticket


def test_cancelling_the_preview_keeps_the_ticket_valid(printer, tmp_path):
    printer.available_printers = lambda: ["Ticket-80mm"]
    printer.make_printer = lambda name: pdf_file_printer(tmp_path / "cancelled.pdf")
    printer.make_preview = lambda p, parent: FakePreview(p, accept=False)
    result = printer.print_pdf(printer.render(ticket(), "中心"), None)
    assert result.outcome == "cancelled" and not result.ok and "重打" in result.message


def test_a_configured_ticket_printer_prints_without_a_dialog(printer, tmp_path):
    out = tmp_path / "direct.pdf"
    printer.available_printers = lambda: ["Ticket-80mm"]
    printer.make_printer = lambda name: pdf_file_printer(out)
    printer.make_preview = lambda p, parent: pytest.fail("no dialog when printing directly")
    result = printer.print_pdf(printer.render(ticket(), "中心"), None, printer_name="Ticket-80mm",
                               preview=False)
    assert result.outcome == "printed" and "Ticket-80mm" in result.message
    assert out.is_file() and out.stat().st_size > 1000


@pytest.mark.allow_log_warnings('printing a ticket failed')
def test_a_printer_failure_is_reported_in_chinese_and_the_ticket_saved(printer, tmp_path):
    from ui.common.printing import PrintError

    def broken(pdf, target):
        raise PrintError("无法开始打印，请检查打印机是否开机、是否缺纸")

    printer.available_printers = lambda: ["Ticket-80mm"]
    printer.make_printer = lambda name: pdf_file_printer(tmp_path / "never.pdf")
    printer.paint = broken
    result = printer.print_pdf(printer.render(ticket(), "中心"), None, printer_name="Ticket-80mm",
                               preview=False)
    assert result.outcome == "failed" and not result.ok
    assert result.message.startswith("打印失败：无法开始打印") and result.path.is_file()
