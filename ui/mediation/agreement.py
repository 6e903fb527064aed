"""调解协议: the agreement editor, its sign-off, a live preview and printing.

Terms carry the amount in figures and, shown live as it is typed, in
capitals. Every party, the mediator and the committee's seal sign (人民调解法
第二十九条); the agreement takes effect with the last signature, which the
service decides. An oral agreement (第二十八条) takes the draft's terms and
takes effect at once.

The preview is the printed document: its PDF is rendered and its pages
rasterised off the UI thread, a moment after the agreement last changed.
:func:`agreement_pdf` is the one place that produces the PDF.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hall.domain.cases import SIGN_METHODS, AgreementState, FollowUpMethod, Performance
from hall.domain.clock import local_day
from hall.domain.money import capitals as amount_in_capitals
from hall.domain.money import parse_amount
from hall.services import InvalidInput, cases, mediation, render
from hall.services.cases import AgreementView, CaseDetail, FollowUpView, TermView
from hall.services.mediation import TermInput
from ui.common import palette
from ui.common.casework import (
    AGREEMENT_COLOURS,
    VScroll,
    card,
    empty_layout,
    error_text,
    hm,
    hrow,
    panes,
    repolish,
    set_status,
    status_line,
    table,
    ymd_hm,
)
from ui.common.ops import Op
from ui.common.pdfview import opened_pdf, paint_pdf, write_pdf
from ui.common.tablemodel import Column, RowsModel
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QEvent,
    QGridLayout,
    QImage,
    QLabel,
    QLineEdit,
    QObject,
    QPdfDocument,
    QPixmap,
    QPlainTextEdit,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewDialog,
    QPushButton,
    QScrollArea,
    QSize,
    QStandardPaths,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    translate,
)

log = logging.getLogger(__name__)

PREVIEW_DEBOUNCE_MS = 500
PREVIEW_WIDTH = 900          # pixels of a rendered page (scaled to the pane)
PREVIEW_PAGES = 3            # the first pages are enough to see the layout
MAX_PRINT_DPI = 300
METHODS = ("银行转账", "现金", "微信转账", "支付宝转账", "当场履行")


class PreviewUnavailable(Exception):
    """The document cannot be made yet; ``str()`` says why, in Chinese."""


# ---------------------------------------------------------------- the document
def _check_previewable(db, actor, case_id: int, agreement_id: int) -> None:
    """Say why there is nothing to preview yet, in the mediator's words."""
    detail = cases.case_detail(db, actor, case_id)
    a = next((x for x in detail.agreements if x.id == agreement_id), None)
    if a is None:
        raise PreviewUnavailable(translate("AgreementTab", "调解协议已不存在"))
    if a.oral:
        raise PreviewUnavailable(translate("AgreementTab", "口头协议不制作调解协议书，协议内容记入调解笔录（人民调解法第二十八条）"))
    if not a.terms:
        raise PreviewUnavailable(translate("AgreementTab", "添加协议条款后显示预览"))
    if len([p for p in detail.case.parties if p.active]) < 2:
        raise PreviewUnavailable(translate("AgreementTab", "案件至少要有两方当事人才能制作调解协议书"))


def agreement_pdf(db, actor, case_id: int, agreement_id: int) -> bytes:
    """The 人民调解协议书 of ``agreement_id`` as PDF bytes, for the preview
    (not registered: what is printed is registered by :func:`printable_agreement`)."""
    _check_previewable(db, actor, case_id, agreement_id)
    return render.preview_document(db, actor, "mediation_agreement", case_id=case_id, fmt="pdf",
                                   agreement_id=agreement_id)


def printable_agreement(db, actor, case_id: int, agreement_id: int):
    """Render and register the agreement that is about to be printed."""
    _check_previewable(db, actor, case_id, agreement_id)
    return render.render_document(db, actor, "mediation_agreement", case_id=case_id, fmt="pdf",
                                  agreement_id=agreement_id)


def rasterise(pdf: bytes, width: int = PREVIEW_WIDTH, pages: int = PREVIEW_PAGES) -> tuple[list[QImage], int]:
    """The first ``pages`` pages as images ``width`` pixels wide, and the page count.
    Uses no widget: runs in a worker thread."""
    if QPdfDocument is None:
        raise PreviewUnavailable(translate("AgreementTab", "本机缺少 Qt PDF 组件，无法预览"))
    with opened_pdf(pdf) as doc:
        if doc is None:
            raise PreviewUnavailable(translate("AgreementTab", "协议书文件无法读取"))
        images = []
        for i in range(min(pages, doc.pageCount())):
            size = doc.pagePointSize(i)
            h = round(width * size.height() / max(size.width(), 1))
            images.append(doc.render(i, QSize(width, h)))
        return images, doc.pageCount()


# ---------------------------------------------------------------- printing
@dataclass(frozen=True)
class PrintOutcome:
    outcome: str        # "printed", "saved", "cancelled", "failed"
    message: str
    path: Path | None = None


def default_document_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "调解文书"


class DocumentPrinter(QObject):
    """Prints a document PDF through Qt's print preview, or saves it when
    this computer has no printer. The seams are replaced in tests."""

    def __init__(self, parent: QObject | None = None, *, printer_name: str | None = None,
                 folder: Path | None = None):
        super().__init__(parent)
        self.printer_name = printer_name or None
        self.folder = folder

    def available_printers(self) -> list[str]:
        return list(QPrinterInfo.availablePrinterNames()) if QPrinterInfo is not None else []

    def make_printer(self) -> QPrinter:
        if self.printer_name:
            return QPrinter(QPrinterInfo.printerInfo(self.printer_name), QPrinter.PrinterMode.HighResolution)
        return QPrinter(QPrinter.PrinterMode.HighResolution)

    def make_preview(self, printer: QPrinter, parent: QWidget | None) -> QPrintPreviewDialog:
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setWindowTitle(self.tr("打印预览"))
        return dialog

    def save(self, pdf: bytes, stem: str) -> Path:
        folder = self.folder or default_document_folder()
        safe = "".join(ch for ch in stem if ch not in '\\/:*?"<>|')
        return write_pdf(folder, safe, pdf)

    def print_pdf(self, pdf: bytes, parent: QWidget | None, stem: str) -> PrintOutcome:
        try:
            printers = self.available_printers()
        except Exception:
            log.warning("listing printers failed", exc_info=True)
            printers = []
        if not printers or (self.printer_name and self.printer_name not in printers):
            return self._saved(pdf, stem, self.tr("未检测到可用的打印机，文书已保存为 PDF：{path}"))
        try:
            printer = self.make_printer()
            dialog = self.make_preview(printer, parent)
            errors: list[BaseException] = []

            def paint(target: QPrinter) -> None:
                try:
                    self.paint(pdf, target)
                except Exception as exc:
                    errors.append(exc)

            dialog.paintRequested.connect(paint)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            dialog.deleteLater()
            if errors:
                raise errors[-1]
        except Exception as exc:
            log.warning("printing failed: %s", exc, exc_info=True)
            return self._saved(pdf, stem, self.tr("打印失败，文书已保存为 PDF：{path}"), "failed")
        if not accepted:
            return PrintOutcome("cancelled", self.tr("已取消打印"))
        return PrintOutcome("printed", self.tr("已发送到打印机"))

    def paint(self, pdf: bytes, printer: QPrinter) -> int:
        return paint_pdf(pdf, printer, MAX_PRINT_DPI)

    def _saved(self, pdf: bytes, stem: str, template: str, outcome: str = "saved") -> PrintOutcome:
        try:
            path = self.save(pdf, stem)
        except OSError as exc:
            return PrintOutcome("failed", self.tr("无法打印，也无法保存 PDF（{reason}）")
                                .replace("{reason}", exc.strerror or str(exc)))
        return PrintOutcome(outcome, template.replace("{path}", str(path)), path)


# ---------------------------------------------------------------- the tab
class AgreementTab(QWidget):
    """调解协议."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.detail: CaseDetail | None = None
        self.agreement: AgreementView | None = None
        self.printer = DocumentPrinter(self, printer_name=host.ctx.workstation.printer)
        self.pdf: bytes | None = None
        # what the preview was rendered from: (id, version, state, terms, liability, facts)
        self._preview_key: tuple[int, int, str, tuple[TermView, ...], str, str] | None = None
        self._preview_seq = 0
        self.preview_busy = False

        # -- head
        self.title = QLabel(self.tr("调解协议"))
        self.title.setObjectName("cardTitle")
        self.state_chip = QLabel()
        self.state_chip.setObjectName("stateChip")
        self.state_chip.hide()
        self.draft_button = QPushButton(self.tr("起草调解协议"))
        self.draft_button.setObjectName("primary")
        self.draft_button.clicked.connect(self.draft)
        self.oral_button = QPushButton(self.tr("记录为口头协议"))
        self.oral_button.setObjectName("oralButton")
        self.oral_button.setToolTip(self.tr("当事人认为无需制作调解协议书的，可以采取口头协议方式，"
                                            "由人民调解员记录协议内容，自达成之日起生效（人民调解法第二十八条、第三十条）"))
        self.oral_button.clicked.connect(self.record_oral)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)

        # -- liability
        self.liability = QPlainTextEdit()
        self.liability.setObjectName("liability")
        self.liability.setPlaceholderText(self.tr("各方当事人的责任（人民调解法第二十九条第二项）"))
        self.liability.setMaximumHeight(64)
        self.liability_button = QPushButton(self.tr("保存"))
        self.liability_button.setObjectName("saveLiability")
        self.liability_button.clicked.connect(self.save_liability)

        # -- terms
        self.terms_model = RowsModel(self._term_columns(), self)
        self.terms_table = table(self.terms_model, [40, 120, 64, 0, 90, 190, 72, 86], stretch=3)
        self.terms_table.setMinimumHeight(110)
        self.terms_table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.obligor_box = QComboBox()
        self.obligor_box.setObjectName("termObligor")
        self.obligee_box = QComboBox()
        self.obligee_box.setObjectName("termObligee")
        self.content_edit = QLineEdit()
        self.content_edit.setObjectName("termContent")
        self.content_edit.setMaxLength(1000)
        self.content_edit.setPlaceholderText(self.tr("条款内容，如：支付拖欠的2026年9月至10月工资"))
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("termAmount")
        self.amount_edit.setMaxLength(20)
        self.amount_edit.setPlaceholderText(self.tr("金额（元），可不填"))
        self.amount_edit.textChanged.connect(self._amount_typed)
        self.capitals = QLabel()
        self.capitals.setObjectName("capitals")
        self.method_box = QComboBox()
        self.method_box.setObjectName("termMethod")
        self.method_box.setEditable(True)
        self.method_box.addItem("")
        for m in METHODS:
            self.method_box.addItem(translate("PaymentMethods", m))
        self.due_check = QCheckBox(self.tr("履行期限"))
        self.due_check.setObjectName("termHasDue")
        self.due_edit = QDateEdit()
        self.due_edit.setObjectName("termDue")
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        self.due_edit.setEnabled(False)
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        self.add_button = QPushButton(self.tr("添加条款"))
        self.add_button.setObjectName("addTerm")
        self.add_button.clicked.connect(self.add_term)
        self.remove_button = QPushButton(self.tr("删除所选条款"))
        self.remove_button.setObjectName("danger")
        self.remove_button.clicked.connect(self.remove_term)

        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.addWidget(QLabel(self.tr("义务人")), 0, 0)
        form.addWidget(self.obligor_box, 0, 1)
        form.addWidget(QLabel(self.tr("权利人")), 0, 2)
        form.addWidget(self.obligee_box, 0, 3)
        form.addWidget(QLabel(self.tr("内容")), 1, 0)
        form.addWidget(self.content_edit, 1, 1, 1, 3)
        form.addWidget(QLabel(self.tr("金额")), 2, 0)
        form.addWidget(self.amount_edit, 2, 1)
        form.addWidget(self.capitals, 2, 2, 1, 2)
        form.addWidget(QLabel(self.tr("方式")), 3, 0)
        form.addWidget(self.method_box, 3, 1)
        form.addLayout(hrow(self.due_check, self.due_edit, stretch_at=2), 3, 2, 1, 2)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        self.term_form = form

        # -- sign-off
        self.sign_method = QComboBox()
        self.sign_method.setObjectName("signMethod")
        self.sign_method.addItem(self.tr("（按默认方式）"), None)
        for m in SIGN_METHODS:
            self.sign_method.addItem(translate("SignMethods", m), m)
        self.sign_grid = QGridLayout()
        self.sign_grid.setHorizontalSpacing(12)
        self.sign_buttons: dict[str, QPushButton] = {}
        self.sign_labels: dict[str, QLabel] = {}

        editor, ed = card()
        ed.addLayout(hrow(self.title, self.state_chip, self.draft_button, self.oral_button, stretch_at=2))
        ed.addWidget(self.note)
        ed.addLayout(hrow(self.liability, self.liability_button))
        ed.addWidget(self.terms_table, 1)
        ed.addLayout(form)
        ed.addLayout(hrow(self.add_button, self.remove_button, stretch_at=2))
        sign_title = QLabel(self.tr("签署"))
        sign_title.setObjectName("cardTitle")
        ed.addLayout(hrow(sign_title, QLabel(self.tr("签署方式")), self.sign_method, stretch_at=1))
        ed.addLayout(self.sign_grid)

        # -- preview
        self.preview_status = status_line("previewStatus")
        self.print_button = QPushButton(self.tr("打印…  Ctrl+P"))
        self.print_button.setObjectName("printAgreement")
        self.print_button.clicked.connect(self.print_agreement)
        self.pages = QWidget()
        self.pages.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        scroll.setStyleSheet(f"QScrollArea {{ background: {palette.PREVIEW_BG}; border: none; }} "
                             f"QWidget#previewPages {{ background: {palette.PREVIEW_BG}; }}")
        scroll.viewport().installEventFilter(self)
        self.scroll_area = scroll
        self.preview_images: list[QImage] = []
        preview, pv = card()
        pv.addLayout(hrow(self.preview_status, self.print_button, stretch_at=1))
        pv.addWidget(scroll, 1)
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self.preview_timer.timeout.connect(self.render_preview)

        # -- versions and correction (更正协议)
        self.versions_model = RowsModel(self._version_columns(), self)
        self.versions_table = table(self.versions_model, [56, 60, 110, 90], stretch=4)
        self.versions_table.setObjectName("agreementVersions")
        self.versions_table.setMaximumHeight(96)
        self.correction_reason = QLineEdit()
        self.correction_reason.setObjectName("correctionReason")
        self.correction_reason.setMaxLength(500)
        self.correction_reason.setPlaceholderText(self.tr("更正理由，如：第1条金额笔误"))
        self.correct_button = QPushButton(self.tr("更正协议"))
        self.correct_button.setObjectName("correctAgreement")
        self.correct_button.setToolTip(self.tr("更正将制作新版本（复制现有条款），新版本签署生效后原版本被取代"))
        self.correct_button.clicked.connect(self.correct)

        # -- follow-ups (回访记录)
        self.follow_model = RowsModel(self._follow_up_columns(), self)
        self.follow_table = table(self.follow_model, [124, 50, 84, 70, 64], stretch=5)
        self.follow_table.setObjectName("followUps")
        self.follow_table.setMaximumHeight(96)
        self.follow_method = QComboBox()
        self.follow_method.setObjectName("followMethod")
        for m in FollowUpMethod:
            self.follow_method.addItem(translate("FollowUpMethod", m.label), m.value)
        self.follow_performance = QComboBox()
        self.follow_performance.setObjectName("followPerformance")
        for p in Performance:
            self.follow_performance.addItem(translate("Performance", p.label), p.value)
        self.follow_note = QLineEdit()
        self.follow_note.setObjectName("followNote")
        self.follow_note.setMaxLength(1000)
        self.follow_note.setPlaceholderText(self.tr("回访情况（可不填）"))
        self.follow_button = QPushButton(self.tr("记录回访"))
        self.follow_button.setObjectName("addFollowUp")
        self.follow_button.clicked.connect(self.add_follow_up)
        self.follow_hint = QLabel()
        self.follow_hint.setObjectName("muted")
        self.follow_hint.setWordWrap(True)

        versions, vl = card()
        vl.addWidget(self.versions_table)
        vl.addLayout(hrow(self.correction_reason, self.correct_button))
        follow, fl = card()
        fl.addWidget(self.follow_table)
        fl.addLayout(hrow(self.follow_method, self.follow_performance, stretch_at=2))
        fl.addLayout(hrow(self.follow_note, self.follow_button))
        fl.addWidget(self.follow_hint)
        # The preview, the versions and the follow-ups share the right-hand
        # side as tabs: the preview gets the whole height (at 1366×768 three
        # stacked cards left it 70 px). The editor scrolls when the screen is
        # too low for it rather than squeezing its rows and buttons.
        right = QTabWidget()
        right.setObjectName("agreementSide")
        right.addTab(preview, self.tr("协议书预览"))
        right.addTab(versions, self.tr("协议版本"))
        right.addTab(follow, self.tr("回访记录"))
        self.side_tabs = right

        editor_scroll = VScroll(editor, "agreementEditorScroll")
        self.editor_scroll = editor_scroll

        split = panes(editor_scroll, right, (3, 2), [560, 420], name="agreementSplit")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(split)
        self._amount_typed("")
        self._update_actions()

    def _term_columns(self) -> list[Column]:
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return [
            Column(self.tr("序号"), lambda t: t.position, Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("义务人"), lambda t: t.obligor_name),
            Column(self.tr("权利人"), lambda t: t.obligee_name),
            Column(self.tr("内容"), lambda t: t.content, tooltip=lambda t: t.content),
            Column(self.tr("金额（元）"), lambda t: t.amount_figures, right),
            Column(self.tr("大写"), lambda t: t.amount_capitals, tooltip=lambda t: t.amount_capitals),
            Column(self.tr("方式"), lambda t: t.method),
            Column(self.tr("期限"), lambda t: t.due_date.isoformat() if t.due_date else ""),
        ]

    def _version_columns(self) -> list[Column]:
        return [
            Column(self.tr("版本"), lambda a: self.tr("第{n}版").replace("{n}", str(a.version)),
                   Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("类型"), lambda a: self.tr("口头协议") if a.oral else self.tr("协议书")),
            Column(self.tr("状态"), lambda a: translate("AgreementState", a.state_label)),
            Column(self.tr("生效日期"), lambda a: a.effective_on.isoformat() if a.effective_on else ""),
            Column(self.tr("更正理由"), lambda a: a.correction_reason, tooltip=lambda a: a.correction_reason),
        ]

    def _follow_up_columns(self) -> list[Column]:
        return [
            Column(self.tr("时间"), lambda f: ymd_hm(f.at)),
            Column(self.tr("版本"), lambda f: self._version_of(f.agreement_id), Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("方式"), lambda f: translate("FollowUpMethod", f.method_label)),
            Column(self.tr("履行情况"), lambda f: translate("Performance", f.performance_label)),
            Column(self.tr("回访人"), lambda f: f.by_name),
            Column(self.tr("情况"), lambda f: f.note, tooltip=lambda f: f.note),
        ]

    def _version_of(self, agreement_id: int) -> str:
        d = self.detail
        a = next((x for x in d.agreements if x.id == agreement_id), None) if d else None
        return self.tr("第{n}版").replace("{n}", str(a.version)) if a else ""

    @staticmethod
    def effective_agreement(detail: CaseDetail) -> AgreementView | None:
        """The version in force (follow-ups are of it), even while its correction is drafted."""
        eff = [a for a in detail.agreements if a.state == AgreementState.EFFECTIVE.value]
        return eff[-1] if eff else None

    # -- showing
    @staticmethod
    def current_agreement(detail: CaseDetail) -> AgreementView | None:
        live = [a for a in detail.agreements if a.state != AgreementState.SUPERSEDED.value]
        shown = live or detail.agreements
        return shown[-1] if shown else None

    def show_detail(self, detail: CaseDetail) -> None:
        same_case = self.detail is not None and self.detail.case.id == detail.case.id
        self.detail = detail
        a = self.current_agreement(detail)
        self.agreement = a
        parties = [p for p in detail.case.parties if p.active]
        for box in (self.obligor_box, self.obligee_box):
            keep = box.currentData() if same_case else None
            box.clear()
            box.addItem(self.tr("（不指定）"), None)
            for p in parties:
                box.addItem(f"{translate('Side', p.side_label)} {p.name}", p.id)
            box.setCurrentIndex(max(0, box.findData(keep)))
        if not same_case:
            self._clear_form()
            self.due_edit.setDate(QDate.fromString(local_day(self.host.db.clock.now()).isoformat(), "yyyy-MM-dd"))
        if a is None:
            self.title.setText(self.tr("调解协议"))
            self.state_chip.hide()
            self.terms_model.set_rows([])
            self.liability.setPlainText("")
            self.note.setText(self.tr("本案还没有调解协议。调解中达成一致后，起草协议并逐条添加条款。")
                              if detail.case.state == "mediating" else
                              self.tr("案件进入调解后可起草调解协议。"))
        else:
            kind = self.tr("口头协议") if a.oral else self.tr("调解协议书")
            self.title.setText(self.tr("{kind} 第{n}版").replace("{kind}", kind).replace("{n}", str(a.version)))
            self.state_chip.setText(translate("AgreementState", a.state_label))
            self.state_chip.setStyleSheet(f"background: {AGREEMENT_COLOURS.get(a.state, palette.SUBTLE)};")
            self.state_chip.show()
            self.terms_model.set_rows(a.terms)
            if not self.liability.hasFocus():
                self.liability.setPlainText(a.liability)
            if a.state == AgreementState.EFFECTIVE.value:
                note = self.tr("已于 {day} 生效，一式{n}份。生效之日起三十日内，双方可共同申请司法确认（人民调解法第三十三条）。") \
                    .replace("{day}", a.effective_on.isoformat() if a.effective_on else "").replace("{n}", str(a.copies))
                if a.oral:
                    note = self.tr("口头协议已于 {day} 生效（人民调解法第三十条）。") \
                        .replace("{day}", a.effective_on.isoformat() if a.effective_on else "")
            elif a.state == AgreementState.SIGNING.value:
                note = self.tr("签署中：文本已冻结，待全部签署后生效。")
            elif a.state == AgreementState.DRAFT.value:
                note = self.tr("草稿：可增删条款；第一次签署后文本冻结。")
            else:
                note = self.tr("已被更正版本取代。")
            self.note.setText(note)
        self.versions_model.set_rows(list(reversed(detail.agreements)))
        follow_ups: list[FollowUpView] = [f for x in detail.agreements for f in x.follow_ups]
        self.follow_model.set_rows(sorted(follow_ups, key=lambda f: (f.at, f.id), reverse=True))
        if not same_case:
            self.correction_reason.clear()
            self.follow_note.clear()
        self._show_signoffs()
        self._update_actions()
        key = (a.id, a.version, a.state, tuple(a.terms), a.liability, a.facts) if a else None
        if key != self._preview_key:
            self._preview_key = key
            self.schedule_preview()

    def _signers(self) -> list[tuple[str, str, str, int | None]]:
        """(key, kind, label, party_id) of everyone who signs the current agreement."""
        d, a = self.detail, self.agreement
        if d is None or a is None or a.oral:
            return []
        out: list[tuple[str, str, str, int | None]] = []
        for p in d.case.parties:
            if p.active or any(s.party_id == p.id for s in a.signoffs):
                out.append((f"party:{p.id}", "party", f"{translate('Side', p.side_label)} {p.name}", p.id))
        out.append(("mediator", "mediator", self.tr("人民调解员 {name}").replace("{name}", d.case.mediator_name), None))
        out.append(("seal", "seal", self.tr("人民调解委员会印章"), None))
        return out

    def _show_signoffs(self) -> None:
        empty_layout(self.sign_grid)
        self.sign_buttons.clear()
        self.sign_labels.clear()
        a = self.agreement
        signed = {s.signer_key: s for s in a.signoffs} if a else {}
        open_ = a is not None and a.state in (AgreementState.DRAFT.value, AgreementState.SIGNING.value) \
            and bool(a.terms)
        for row, (key, kind, label, party_id) in enumerate(self._signers()):
            name = QLabel(label)
            s = signed.get(key)
            status = QLabel(self.tr("✔ 已签署（{method}，{time}）").replace("{method}", s.method)
                            .replace("{time}", hm(s.signed_at)) if s else self.tr("未签署"))
            status.setObjectName("statusLine")
            repolish(status, state="ok" if s else "warn")
            button = QPushButton(self.tr("签署"))
            button.setObjectName(f"sign_{key.replace(':', '_')}")
            button.setEnabled(open_ and s is None)
            button.clicked.connect(lambda _=False, k=kind, pid=party_id: self.sign(k, pid))
            self.sign_grid.addWidget(name, row, 0)
            self.sign_grid.addWidget(status, row, 1)
            self.sign_grid.addWidget(button, row, 2)
            self.sign_buttons[key] = button
            self.sign_labels[key] = status
        self.sign_grid.setColumnStretch(1, 1)

    def _update_actions(self) -> None:
        d, a = self.detail, self.agreement
        mediating = d is not None and d.case.state == "mediating"
        draft = a is not None and a.state == AgreementState.DRAFT.value
        self.draft_button.setVisible(d is not None and (a is None or a.state == AgreementState.SUPERSEDED.value))
        self.draft_button.setEnabled(mediating)
        self.oral_button.setEnabled(mediating and draft and a is not None and bool(a.terms))
        for w in (self.obligor_box, self.obligee_box, self.content_edit, self.amount_edit, self.method_box,
                  self.due_check, self.add_button, self.liability, self.liability_button):
            w.setEnabled(draft)
        self.due_edit.setEnabled(draft and self.due_check.isChecked())
        self.remove_button.setEnabled(draft and bool(self.terms_table.selectionModel().selectedRows()))
        self.print_button.setEnabled(self.pdf is not None)
        correctable = a is not None and not a.oral and a.state in (AgreementState.EFFECTIVE.value,
                                                                   AgreementState.SIGNING.value)
        self.correction_reason.setEnabled(correctable)
        self.correct_button.setEnabled(correctable)
        eff = self.effective_agreement(d) if d is not None else None
        for w in (self.follow_method, self.follow_performance, self.follow_note, self.follow_button):
            w.setEnabled(eff is not None)
        if eff is None:
            self.follow_hint.setText(self.tr("调解协议生效后，可记录回访及履行情况（人民调解法第三十一条）。"))
        else:
            self.follow_hint.setText(self.tr("回访第{n}版协议的履行情况；记为“已履行”时，协议条款的履行期限一并记为已履行。")
                                     .replace("{n}", str(eff.version)))

    def _amount_typed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.capitals.setText(self.tr("大写金额随输入显示"))
            repolish(self.capitals, state="hint")
            return
        try:
            self.capitals.setText(amount_in_capitals(parse_amount(text)))
            repolish(self.capitals, state="ok")
        except ValueError as exc:
            self.capitals.setText(str(exc))
            repolish(self.capitals, state="error")

    def _clear_form(self) -> None:
        self.content_edit.clear()
        self.amount_edit.clear()
        self.method_box.setCurrentIndex(0)
        self.due_check.setChecked(False)

    # -- actions
    def draft(self) -> None:
        d = self.detail
        if d is None:
            return
        db, actor, cid = self.host.db, self.host.actor, d.case.id
        self.host.act(lambda: mediation.draft_agreement(db, actor, cid), self.tr("已起草调解协议，请添加协议条款"))

    def term_input(self) -> TermInput:
        content = self.content_edit.text().strip()
        if not content:
            raise InvalidInput(self.tr("请填写条款内容"))
        amount: Decimal | None = None
        if self.amount_edit.text().strip():
            try:
                amount = parse_amount(self.amount_edit.text())
            except ValueError as exc:
                raise InvalidInput(str(exc)) from None
        due = None
        if self.due_check.isChecked():
            due = dt.date.fromisoformat(self.due_edit.date().toString("yyyy-MM-dd"))
        return TermInput(content, self.obligor_box.currentData(), self.obligee_box.currentData(), amount,
                         self.method_box.currentText().strip(), due)

    def add_term(self) -> None:
        a = self.agreement
        if a is None:
            return
        try:
            t = self.term_input()
        except InvalidInput as exc:
            self.host.strip.show_error(str(exc))
            return
        db, actor = self.host.db, self.host.actor

        def added(view: TermView) -> str:
            self._clear_form()
            return self.tr("已添加第{n}条").replace("{n}", str(view.position))

        self.host.act(lambda: mediation.add_term(db, actor, a.id, t.content, obligor_party_id=t.obligor_party_id,
                                                 obligee_party_id=t.obligee_party_id, amount=t.amount,
                                                 method=t.method, due_date=t.due_date), added)

    def remove_term(self) -> None:
        rows = self.terms_table.selectionModel().selectedRows()
        term = self.terms_model.row_at(rows[0].row()) if rows else None
        if term is None:
            return
        db, actor = self.host.db, self.host.actor
        self.host.act(lambda: mediation.remove_term(db, actor, term.id),
                      self.tr("已删除第{n}条").replace("{n}", str(term.position)))

    def save_liability(self) -> None:
        a = self.agreement
        if a is None:
            return
        db, actor, text = self.host.db, self.host.actor, self.liability.toPlainText()
        self.host.act(lambda: mediation.update_agreement_draft(db, actor, a.id, liability=text),
                      self.tr("已保存各方责任"))

    def sign(self, kind: str, party_id: int | None) -> None:
        a = self.agreement
        if a is None:
            return
        db, actor, method = self.host.db, self.host.actor, self.sign_method.currentData()

        def signed(view: AgreementView) -> str:
            if view.state == AgreementState.EFFECTIVE.value:
                return self.tr("全部签署完毕，调解协议已生效")
            return self.tr("已记录签署，尚缺{n}处签署").replace("{n}", str(len(view.missing_signoffs)))

        self.host.act(lambda: mediation.sign(db, actor, a.id, kind, party_id=party_id, method=method), signed)

    def record_oral(self) -> None:
        a, d = self.agreement, self.detail
        if a is None or d is None or not a.terms:
            return
        db, actor, cid = self.host.db, self.host.actor, d.case.id
        terms = [TermInput(t.content, t.obligor_party_id, t.obligee_party_id, t.amount, t.method, t.due_date)
                 for t in a.terms]
        self.host.act(lambda: mediation.record_oral_agreement(db, actor, cid, terms, liability=a.liability),
                      self.tr("已记录口头协议，自达成之日起生效"))

    def correct(self) -> None:
        a = self.agreement
        if a is None:
            return
        reason = self.correction_reason.text().strip()
        if not reason:
            self.host.strip.show_error(self.tr("请填写更正理由"))
            return
        db, actor = self.host.db, self.host.actor

        def corrected(view: AgreementView) -> str:
            self.correction_reason.clear()
            return self.tr("已制作更正版本第{n}版，请修改条款后重新签署").replace("{n}", str(view.version))

        self.host.act(lambda: mediation.correct_agreement(db, actor, a.id, reason), corrected)

    def add_follow_up(self) -> None:
        d = self.detail
        eff = self.effective_agreement(d) if d is not None else None
        if eff is None:
            return
        db, actor = self.host.db, self.host.actor
        method, performance = self.follow_method.currentData(), self.follow_performance.currentData()
        note = self.follow_note.text().strip()

        def added(view: FollowUpView) -> str:
            self.follow_note.clear()
            return self.tr("已记录回访：{p}").replace("{p}", translate("Performance", view.performance_label))

        self.host.act(lambda: mediation.add_follow_up(db, actor, eff.id, method=method, performance=performance,
                                                      note=note), added)

    # -- preview
    def schedule_preview(self) -> None:
        self.preview_timer.start()

    def render_preview(self) -> None:
        d, a = self.detail, self.agreement
        self._preview_seq += 1
        seq = self._preview_seq
        if d is None or a is None:
            self._show_pages([], self.tr("起草协议后显示预览"), "busy")
            self.pdf = None
            self._update_actions()
            return
        self.preview_busy = True
        set_status(self.preview_status, self.tr("正在生成预览…"), "busy")
        db, actor, cid, aid = self.host.db, self.host.actor, d.case.id, a.id

        def make():
            pdf = agreement_pdf(db, actor, cid, aid)
            images, count = rasterise(pdf)
            return pdf, images, count

        def done(result) -> None:
            if seq != self._preview_seq:
                return
            pdf, images, count = result
            self.pdf = pdf
            shown = len(images)
            text = self.tr("共{n}页").replace("{n}", str(count))
            if shown < count:
                text += self.tr("，预览前{k}页").replace("{k}", str(shown))
            self._show_pages(images, text, "ok")

        def failed(exc: BaseException) -> None:
            if seq != self._preview_seq:
                return
            self.pdf = None
            text = str(exc) if isinstance(exc, PreviewUnavailable) else self.tr("预览失败：{reason}") \
                .replace("{reason}", error_text(exc))
            self._show_pages([], text, "busy" if isinstance(exc, PreviewUnavailable) else "error")

        def finished() -> None:
            if seq == self._preview_seq:
                self.preview_busy = False
                self._update_actions()

        Op(self, make).success(done).failure(failed).finally_(finished).run()

    def _show_pages(self, images: list[QImage], text: str, state: str) -> None:
        empty_layout(self.pages_layout)
        self.preview_images = list(images)
        for _image in images:
            page = QLabel()
            page.setObjectName("previewPage")
            self.pages_layout.addWidget(page)
        self._fit_pages()
        set_status(self.preview_status, text, state)

    def _fit_pages(self) -> None:
        """Scale the rendered pages to the width of the preview pane."""
        width = max(120, self.scroll_area.viewport().width() - 24)
        for i, image in enumerate(self.preview_images):
            item = self.pages_layout.itemAt(i)
            page = item.widget() if item is not None else None
            if not isinstance(page, QLabel):    # the pages are labels showing a picture
                continue
            pix = QPixmap.fromImage(image)
            if pix.width() > width:
                pix = pix.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            page.setPixmap(pix)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize and self.preview_images:
            self._fit_pages()
        return False

    def print_agreement(self) -> None:
        if self.pdf is None or self.detail is None or self.agreement is None:
            self.host.strip.show_error(self.tr("协议书预览尚未生成，暂不能打印"))
            return
        a = self.agreement
        stem = self.tr("调解协议书-{number}-第{n}版").replace("{number}", self.detail.case.number) \
            .replace("{n}", str(a.version))
        db, actor, cid, aid = self.host.db, self.host.actor, self.detail.case.id, a.id

        def registered(doc) -> None:
            result = self.printer.print_pdf(doc.data, self, stem)
            if result.outcome == "failed":
                self.host.strip.show_error(result.message)
                return
            self.host.strip.show_info(result.message)
            Op(self, lambda: render.log_print(db, actor, doc.document_id)).failure(
                lambda exc: self.host.strip.show_error(error_text(exc))).run()

        Op(self, lambda: printable_agreement(db, actor, cid, aid)).success(registered).failure(
            lambda exc: self.host.strip.show_error(error_text(exc))).run()
