"""案件登记簿 and the case view of the arbitration clerk's workspace.

The register searches by 案号/收件号 or a party's name. The case view shows
the parties, claims, state, tribunal, hearings, 送达回证 and the case's own
periods, and its documents: generated in one click, previewed from the very
bytes registered, printed (each print logged) or saved. Hearings are
scheduled here; a notice that would reach the parties less than five days
before the hearing is refused with the rule's own sentence, shown inline.
The 办理 tab (:mod:`ui.arbitration.actions`) holds the case's inline forms, from
受理 to 结案; 新建收件 opens the receiving form above the register.
"""
from __future__ import annotations

import datetime as dt
import html
import logging

from hall.domain.arbitration import DOCUMENT_KINDS
from hall.domain.clock import local_day, to_local
from hall.services import arbitration as arb
from hall.services.arbitration import CaseDetail, CaseRow, HearingView
from ui.arbitration import docs as cd
from ui.arbitration.actions import CaseActions, ReceiveForm
from ui.common.casework import panes
from ui.common.deadlines import cn_day, days_left_text, from_qdate, to_qdate
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.common.tables import list_table
from ui.qt import (
    QComboBox,
    QDateEdit,
    QDateTime,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    Qt,
    QTabWidget,
    QTextEdit,
    QTime,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

log = logging.getLogger(__name__)

HEARING_STATES = {"scheduled": "已排期", "held": "已开庭", "postponed": "已延期", "cancelled": "已取消"}


def _local(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{to_local(moment):%Y-%m-%d %H:%M}"


def case_columns() -> list[Column]:
    return [Column(translate("CaseRegister", "案号"), lambda r: r.number or r.receipt_number),
            Column(translate("CaseRegister", "劳动者"), lambda r: r.worker_name),
            Column(translate("CaseRegister", "用人单位"), lambda r: r.employer_name),
            Column(translate("CaseRegister", "状态"), lambda r: translate("ArbitrationState", r.state_label)),
            Column(translate("CaseRegister", "收件日"), lambda r: cn_day(r.received_on)),
            Column(translate("CaseRegister", "最近到期"), lambda r: cn_day(r.next_due))]


def hearing_columns() -> list[Column]:
    return [Column(translate("CaseRegister", "开庭时间"), lambda h: f"{_local(h.starts_at)}—{to_local(h.ends_at):%H:%M}"),
            Column(translate("CaseRegister", "地点"), lambda h: h.room_name),
            Column(translate("CaseRegister", "状态"), lambda h: translate("CaseRegister", HEARING_STATES.get(h.state, h.state))),
            Column(translate("CaseRegister", "开庭通知最迟送达"), lambda h: cn_day(h.notice_latest))]


def service_columns() -> list[Column]:
    return [Column(translate("CaseRegister", "文书"), lambda s: s.document_title),
            Column(translate("CaseRegister", "受送达人"), lambda s: s.recipient_name),
            Column(translate("CaseRegister", "方式"), lambda s: s.method_label),
            Column(translate("CaseRegister", "签收日期"), lambda s: cn_day(s.served_on)),
            Column(translate("CaseRegister", "签收人"), lambda s: s.signed_by)]


def case_deadline_columns() -> list[Column]:
    return [Column(translate("CaseRegister", "期限"), lambda d: d.name),
            Column(translate("CaseRegister", "到期日"), lambda d: cn_day(d.due_date)),
            Column(translate("CaseRegister", "状态"), lambda d: d.state_label if d.met_on is None else
                   f"{d.state_label}（{cn_day(d.met_on)}）"),
            Column(translate("CaseRegister", "剩余"), lambda d: days_left_text(d)),
            Column(translate("CaseRegister", "依据"), lambda d: d.basis, tooltip=lambda d: d.explanation)]


def document_columns() -> list[Column]:
    return [Column(translate("CaseRegister", "生成时间"), lambda d: _local(d.generated_at)),
            Column(translate("CaseRegister", "版本"), lambda d: translate("CaseRegister", "第{n}版").replace("{n}", str(d.version))),
            Column(translate("CaseRegister", "打印"), lambda d: translate("CaseRegister", "{n}次").replace("{n}", str(d.prints))),
            Column(translate("CaseRegister", "文书"), lambda d: d.title or d.kind_label, tooltip=lambda d: d.title)]


class MessageStrip(QLabel):
    """One sentence under the header: an error in red, a confirmation in green."""

    def __init__(self, name: str = "messageStrip", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setVisible(bool(text))


# ====================================================================== case view
class CaseView(QWidget):
    """One case: its header, message strip and tabs."""

    message = Signal(str, str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("caseView")
        self.detail: CaseDetail | None = None
        self.current_doc_id: int | None = None
        self.current_doc_title = ""
        self.printer = cd.DocumentPrinter()
        self._busy = False

        header = QFrame()
        header.setObjectName("caseHeader")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(14, 10, 14, 10)
        titles = QVBoxLayout()
        self.number_label = QLabel(self.tr("未选择案件"))
        self.number_label.setObjectName("caseNumber")
        self.title_label = QLabel(self.tr("在左侧登记簿中搜索并选择案件"))
        self.title_label.setObjectName("caseTitle")
        titles.addWidget(self.number_label)
        titles.addWidget(self.title_label)
        hl.addLayout(titles, 1)
        self.state_chip = QLabel()
        self.state_chip.setObjectName("stateChip")
        self.state_chip.hide()
        hl.addWidget(self.state_chip, 0, Qt.AlignmentFlag.AlignVCenter)

        self.strip = MessageStrip()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.tabs.addTab(self._build_summary(), self.tr("概况"))
        self.tabs.addTab(self._build_hearings(), self.tr("开庭"))
        self.tabs.addTab(self._build_services(), self.tr("送达"))
        self.tabs.addTab(self._build_deadlines(), self.tr("期限"))
        self.tabs.addTab(self._build_documents(), self.tr("文书"))
        self.case_actions = CaseActions(ctx, self)
        self.case_actions.done.connect(self._acted)
        self.tabs.addTab(self.case_actions, self.tr("办理"))
        self.tabs.setEnabled(False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        lay.addWidget(header)
        lay.addWidget(self.strip)
        lay.addWidget(self.tabs, 1)

    # ------------------------------------------------------------ tabs
    def _build_summary(self) -> QWidget:
        self.summary = QTextEdit()
        self.summary.setObjectName("caseSummary")
        self.summary.setReadOnly(True)
        return self.summary

    def _build_hearings(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.hearings_model = RowsModel(hearing_columns(), self)
        self.hearings_view = list_table(self.hearings_model, row_height=26, alternate=False, compact=False)
        self.hearings_view.setObjectName("hearingTable")
        for col, w in enumerate((190, 120, 80)):
            self.hearings_view.horizontalHeader().resizeSection(col, w)
        form = QFrame()
        form.setObjectName("formCard")
        g = QGridLayout(form)
        g.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("安排开庭"))
        title.setObjectName("caption")
        self.hearing_start = QDateTimeEdit()
        self.hearing_start.setObjectName("hearingStart")
        self.hearing_start.setCalendarPopup(True)
        self.hearing_start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.hearing_hours = QComboBox()
        self.hearing_hours.setObjectName("hearingHours")
        for h in (1, 2, 3, 4):
            self.hearing_hours.addItem(self.tr("{n}小时").replace("{n}", str(h)), h)
        self.hearing_hours.setCurrentIndex(1)
        self.schedule_button = QPushButton(self.tr("安排开庭"))
        self.schedule_button.setObjectName("scheduleButton")
        self.schedule_button.clicked.connect(self.schedule_hearing)
        self.schedule_error = QLabel()
        self.schedule_error.setObjectName("inlineError")
        self.schedule_error.setWordWrap(True)
        self.schedule_error.hide()
        hint = QLabel(self.tr("开庭通知须在开庭五日前送达双方当事人（《劳动争议调解仲裁法》第三十五条），"
                              "以今天送达计算。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        g.addWidget(title, 0, 0, 1, 4)
        g.addWidget(QLabel(self.tr("开庭时间")), 1, 0)
        g.addWidget(self.hearing_start, 1, 1)
        g.addWidget(self.hearing_hours, 1, 2)
        g.addWidget(self.schedule_button, 1, 3)
        g.addWidget(hint, 2, 0, 1, 4)
        g.addWidget(self.schedule_error, 3, 0, 1, 4)
        g.setColumnStretch(1, 1)
        v.addWidget(self.hearings_view, 1)
        v.addWidget(form)
        return page

    def _build_services(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.services_model = RowsModel(service_columns(), self)
        self.services_view = list_table(self.services_model, row_height=26, alternate=False, compact=False)
        self.services_view.setObjectName("serviceTable")
        for col, w in enumerate((150, 150, 90, 100)):
            self.services_view.horizontalHeader().resizeSection(col, w)
        form = QFrame()
        form.setObjectName("formCard")
        f = QFormLayout(form)
        f.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("登记送达回证"))
        title.setObjectName("caption")
        f.addRow(title)
        self.svc_kind = QComboBox()
        self.svc_kind.setObjectName("serviceKind")
        for code, name in DOCUMENT_KINDS.items():
            self.svc_kind.addItem(name, code)
        self.svc_kind.currentIndexChanged.connect(self._service_kind_changed)
        self.svc_side = QComboBox()
        self.svc_side.setObjectName("serviceSide")
        for code, name in arb.SIDES.items():
            self.svc_side.addItem(name, code)
        self.svc_method = QComboBox()
        self.svc_method.setObjectName("serviceMethod")
        for code, name in arb.METHODS.items():
            self.svc_method.addItem(name, code)
        self.svc_hearing = QComboBox()
        self.svc_hearing.setObjectName("serviceHearing")
        self.svc_date = QDateEdit()
        self.svc_date.setObjectName("servedOn")
        self.svc_date.setCalendarPopup(True)
        self.svc_date.setDisplayFormat("yyyy-MM-dd")
        self.svc_signed = QLineEdit()
        self.svc_signed.setObjectName("signedBy")
        self.svc_signed.setMaxLength(64)
        self.svc_signed.setPlaceholderText(self.tr("默认为受送达人本人"))
        self.svc_button = QPushButton(self.tr("登记送达"))
        self.svc_button.setObjectName("serviceButton")
        self.svc_button.clicked.connect(self.record_service)
        self.svc_result = QLabel()
        self.svc_result.setObjectName("hint")
        self.svc_result.setWordWrap(True)
        f.addRow(self.tr("送达文书"), self.svc_kind)
        f.addRow(self.tr("开庭场次"), self.svc_hearing)
        f.addRow(self.tr("受送达人"), self.svc_side)
        f.addRow(self.tr("送达方式"), self.svc_method)
        f.addRow(self.tr("签收日期"), self.svc_date)
        f.addRow(self.tr("签收人"), self.svc_signed)
        f.addRow("", self.svc_button)
        f.addRow(self.svc_result)
        self._svc_form = f
        v.addWidget(self.services_view, 1)
        v.addWidget(form)
        self._service_kind_changed()
        return page

    def _build_deadlines(self) -> QWidget:
        self.deadlines_model = RowsModel(case_deadline_columns(), self)
        self.deadlines_view = list_table(self.deadlines_model, row_height=26, alternate=False, compact=False)
        self.deadlines_view.setObjectName("caseDeadlineTable")
        for col, w in enumerate((170, 96, 150, 80)):
            self.deadlines_view.horizontalHeader().resizeSection(col, w)
        return self.deadlines_view

    def _build_documents(self) -> QWidget:
        page = QWidget()
        h = QHBoxLayout(page)
        left = QVBoxLayout()
        cap = QLabel(self.tr("生成文书"))
        cap.setObjectName("caption")
        self.kind_list = QListWidget()
        self.kind_list.setObjectName("documentKinds")
        self.kinds = {k.kind: k for k in cd.document_kinds()}
        for k in self.kinds.values():
            item = QListWidgetItem(k.name)
            item.setData(Qt.ItemDataRole.UserRole, k.kind)
            item.setToolTip(k.basis)
            self.kind_list.addItem(item)
        self.kind_list.itemDoubleClicked.connect(lambda _i: self.generate())
        self.kind_list.currentItemChanged.connect(self._kind_changed)
        self.doc_side = QComboBox()
        self.doc_side.setObjectName("documentSide")
        self.doc_side.addItem(self.tr("致：按文书默认"), "")
        self.doc_side.addItem(self.tr("致：申请人"), "applicant")
        self.doc_side.addItem(self.tr("致：被申请人"), "respondent")
        self.doc_side.setEnabled(False)
        self.generate_button = QPushButton(self.tr("生成并预览"))
        self.generate_button.setObjectName("generateButton")
        self.generate_button.clicked.connect(self.generate)
        cap2 = QLabel(self.tr("已生成的文书"))
        cap2.setObjectName("caption")
        self.docs_model = RowsModel(document_columns(), self)
        self.docs_view = list_table(self.docs_model, row_height=26, alternate=False, compact=False)
        self.docs_view.setObjectName("documentTable")
        for col, w in enumerate((118, 52, 44)):
            self.docs_view.horizontalHeader().resizeSection(col, w)
        self.docs_view.selectionModel().currentRowChanged.connect(self._doc_selected)
        left.addWidget(cap)
        left.addWidget(self.kind_list, 3)
        left.addWidget(self.doc_side)
        left.addWidget(self.generate_button)
        left.addWidget(cap2)
        left.addWidget(self.docs_view, 2)
        right = QVBoxLayout()
        bar = QHBoxLayout()
        self.preview_title = QLabel(self.tr("预览"))
        self.preview_title.setObjectName("caption")
        bar.addWidget(self.preview_title, 1)
        self.print_button = QPushButton(self.tr("打印 (Ctrl+P)"))
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_current)
        self.save_button = QPushButton(self.tr("另存为 PDF"))
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save_current)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        self.preview = cd.PdfPreview()
        right.addLayout(bar)
        right.addWidget(self.preview, 1)
        h.addLayout(left, 3)
        h.addLayout(right, 7)
        self._update_doc_buttons()
        return page

    # ------------------------------------------------------------ loading
    def show_case(self, case_id: int) -> None:
        db, actor = self.db, self.ctx.actor
        Op(self, lambda: (arb.arbitration_detail(db, actor, case_id), cd.case_documents(db, actor, case_id))) \
            .success(self._got).failure(self._failed).run()

    def reload(self) -> None:
        if self.detail is not None:
            self.show_case(self.detail.id)

    def _got(self, data) -> None:
        detail, documents = data
        first = self.detail is None or self.detail.id != detail.id
        self.detail = detail
        self.tabs.setEnabled(True)
        self.number_label.setText(detail.number or detail.receipt_number)
        worker_side = "applicant" if detail.applicant_side == "worker" else "respondent"
        applicant = detail.worker["name"] if worker_side == "applicant" else detail.employer["name"]
        respondent = detail.employer["name"] if worker_side == "applicant" else detail.worker["name"]
        self.title_label.setText(self.tr("申请人 {a}　诉　被申请人 {r}").replace("{a}", applicant)
                                 .replace("{r}", respondent))
        self.state_chip.setText(translate("ArbitrationState", detail.state_label))
        self.state_chip.show()
        self.summary.setHtml(self._summary_html(detail))
        self.hearings_model.set_rows(detail.hearings)
        self.services_model.set_rows(detail.services)
        self.deadlines_model.set_rows(detail.deadlines)
        self.docs_model.set_rows(documents)
        self.case_actions.set_detail(detail, first)
        self.svc_hearing.clear()
        for hv in detail.hearings:
            if hv.state == "scheduled":
                self.svc_hearing.addItem(_local(hv.starts_at), hv.id)
        if first:
            today = local_day(self.db.clock.now())
            self.svc_date.setDate(to_qdate(today))
            start = dt.datetime.combine(today + dt.timedelta(days=10), dt.time(9, 30))
            self.hearing_start.setDateTime(QDateTime(to_qdate(start.date()), QTime(start.hour, start.minute)))
            self.schedule_error.hide()
            self.svc_result.clear()
            self.preview.clear()
            self.current_doc_id = None
            self.strip.show_message("", "")
        self._update_doc_buttons()

    def _summary_html(self, d: CaseDetail) -> str:
        e = html.escape
        worker_side = "applicant" if d.applicant_side == "worker" else "respondent"
        w, c = d.worker, d.employer
        who_w = arb.SIDES[worker_side]
        who_c = arb.SIDES["respondent" if worker_side == "applicant" else "applicant"]
        parts = [f"<h3>{e(self.tr('当事人'))}</h3><table cellspacing='4'>"]
        parts.append(f"<tr><td><b>{e(who_w)}</b></td><td>{e(w.get('name') or '')}"
                     f"　{e(w.get('sex') or '')}　{e(w.get('occupation') or '')}</td></tr>")
        parts.append(f"<tr><td></td><td>{e(self.tr('住址'))}：{e(w.get('address') or '')}　"
                     f"{e(self.tr('电话'))}：{e(w.get('phone') or '')}</td></tr>")
        parts.append(f"<tr><td><b>{e(who_c)}</b></td><td>{e(c.get('name') or '')}</td></tr>")
        if c.get("legal_rep"):
            parts.append(f"<tr><td></td><td>{e(self.tr('法定代表人'))}：{e(c['legal_rep'])}"
                         f"　{e(c.get('legal_rep_title') or '')}</td></tr>")
        parts.append("</table>")
        parts.append(f"<h3>{e(self.tr('仲裁请求'))}</h3><ol>")
        for cl in d.claims:
            amount = cl.get("amount")
            money = self.tr("（{amount}元）").replace("{amount}", str(amount)) if amount not in (None, "") else ""
            parts.append(f"<li>{e(cl.get('description') or '')}{e(money)}</li>")
        parts.append("</ol>")
        parts.append(f"<h3>{e(self.tr('办理情况'))}</h3><table cellspacing='4'>")
        rows = [(self.tr("状态"), translate("ArbitrationState", d.state_label)), (self.tr("收件号"), d.receipt_number),
                (self.tr("收件日"), cn_day(d.received_on)), (self.tr("受理日"), cn_day(d.accepted_on)),
                (self.tr("被申请人签收"), cn_day(d.respondent_served_on)),
                (self.tr("处理程序"), self.tr("简易处理") if d.simplified else self.tr("普通程序"))]
        if d.tribunal:
            rows.append((self.tr("仲裁庭"), "、".join(f"{m.role_label}{m.name}" for m in d.tribunal)))
        if d.missing_items:
            rows.append((self.tr("待补正"), "、".join(d.missing_items)))
        for k, v in rows:
            parts.append(f"<tr><td><b>{e(k)}</b></td><td>{e(v or '—')}</td></tr>")
        parts.append("</table>")
        return "".join(parts)

    def _acted(self, text: str) -> None:
        self.strip.show_message("info", text)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.strip.show_message("error", user_message(exc)[1])

    # ------------------------------------------------------------ hearings
    def schedule_hearing(self) -> None:
        if self.detail is None:
            return
        q = self.hearing_start.dateTime()
        start = dt.datetime(q.date().year(), q.date().month(), q.date().day(), q.time().hour(), q.time().minute())
        end = start + dt.timedelta(hours=int(self.hearing_hours.currentData()))
        db, actor, case_id = self.db, self.ctx.actor, self.detail.id
        self.schedule_error.hide()
        Op(self, lambda: arb.schedule_hearing(db, actor, case_id, start, end)) \
            .success(self._scheduled).failure(self._schedule_refused).run()

    def _scheduled(self, h: HearingView) -> None:
        self.strip.show_message("info", self.tr("已安排开庭：{when}，{room}。请于{latest}前送达开庭通知。")
                                .replace("{when}", _local(h.starts_at)).replace("{room}", h.room_name)
                                .replace("{latest}", cn_day(h.notice_latest)))
        self.reload()

    def _schedule_refused(self, exc: BaseException) -> None:
        self.schedule_error.setText(user_message(exc)[1])
        self.schedule_error.show()

    # ------------------------------------------------------------ service
    def _service_kind_changed(self, *_args) -> None:
        kind = self.svc_kind.currentData()
        needs_hearing = kind in ("hearing_notice", "postponement_notice")
        if hasattr(self, "_svc_form"):
            self._svc_form.setRowVisible(self.svc_hearing, needs_hearing)
        side = {"response_notice": "respondent", "application_copy": "respondent",
                "defence_copy": "applicant"}.get(kind)
        if side:
            self.svc_side.setCurrentIndex(self.svc_side.findData(side))

    def record_service(self) -> None:
        if self.detail is None:
            return
        kind = self.svc_kind.currentData()
        hearing = self.svc_hearing.currentData() if kind in ("hearing_notice", "postponement_notice") else None
        args = dict(document_kind=kind, recipient_side=self.svc_side.currentData(),
                    served_on=from_qdate(self.svc_date.date()), method=self.svc_method.currentData(),
                    signed_by=self.svc_signed.text().strip(), hearing_id=hearing)
        db, actor, case_id = self.db, self.ctx.actor, self.detail.id
        Op(self, lambda: arb.record_service(db, actor, case_id, **args)).success(self._served) \
            .failure(self._failed).run()

    def _served(self, res) -> None:
        lines = [self.tr("已登记送达回证：{doc}，{who}于{day}签收。").replace("{doc}", res.record.document_title)
                 .replace("{who}", res.record.recipient_name).replace("{day}", cn_day(res.record.served_on))]
        lines += res.effects
        self.svc_result.setText("\n".join(lines))
        self.svc_signed.clear()
        if res.warnings:
            self.strip.show_message("error", "；".join(res.warnings))
        else:
            self.strip.show_message("info", lines[0])
        self.reload()

    # ------------------------------------------------------------ documents
    def _update_doc_buttons(self) -> None:
        has = bool(self.preview.data)
        self.print_button.setEnabled(has)
        self.save_button.setEnabled(has)
        self.generate_button.setEnabled(self.detail is not None and not self._busy)

    def _kind_changed(self, current, _previous=None) -> None:
        kind = self.kinds.get(current.data(Qt.ItemDataRole.UserRole)) if current is not None else None
        self.doc_side.setEnabled(bool(kind and kind.takes_side))

    def generate(self) -> None:
        item = self.kind_list.currentItem()
        if self.detail is None or item is None:
            self.strip.show_message("error", self.tr("请先在列表中选择要生成的文书。"))
            return
        kind = item.data(Qt.ItemDataRole.UserRole)
        side = self.doc_side.currentData() if self.doc_side.isEnabled() else None
        db, actor, d = self.db, self.ctx.actor, self.detail
        self._busy = True
        self._update_doc_buttons()
        Op(self, lambda: cd.generate_case_document(db, actor, kind, d.id, side)) \
            .success(self._generated).failure(self._failed).finally_(self._idle).run()

    def _idle(self) -> None:
        self._busy = False
        self._update_doc_buttons()

    def _generated(self, doc: cd.GeneratedDocument) -> None:
        self.show_pdf(doc.data, doc.document_id, doc.title)
        self.strip.show_message("info", self.tr("已生成并登记：{title}").replace("{title}", doc.title))
        self.reload()

    def show_pdf(self, data: bytes, document_id: int | None, title: str) -> None:
        pages = self.preview.set_pdf(data)
        self.current_doc_id = document_id
        self.current_doc_title = title
        self.preview_title.setText(self.tr("{title}　共{n}页").replace("{title}", title).replace("{n}", str(pages)))
        self.tabs.setCurrentIndex(4)
        self._update_doc_buttons()

    def _doc_selected(self, current, _previous) -> None:
        row = self.docs_model.row_at(current.row()) if current.isValid() else None
        if row is None or row.id == self.current_doc_id:
            return
        db, actor = self.db, self.ctx.actor
        Op(self, lambda: cd.docs.document_bytes(db, actor, row.id)) \
            .success(lambda data: self.show_pdf(data, row.id, row.title)).failure(self._failed).run()

    def print_current(self) -> None:
        data, doc_id = self.preview.data, self.current_doc_id
        if not data:
            return
        try:
            used = self.printer.print_pdf(data, self, self.ctx.workstation.printer)
        except Exception as exc:  # a printer problem is reported, never raised
            log.warning("printing a document failed: %s", exc)
            self.strip.show_message("error", self.tr("打印失败：{reason}。可先另存为 PDF。")
                                    .replace("{reason}", str(exc)))
            return
        if used is None:
            return
        if doc_id is None:  # the day's merged notices: each case's notice is registered on its own
            self.strip.show_message("info", self.tr("已发送到打印机“{printer}”").replace("{printer}", used))
            return
        db, actor = self.db, self.ctx.actor
        def logged(_r) -> None:
            self.strip.show_message("info", self.tr("已打印并记录：{title}").replace("{title}", self.current_doc_title))
            self.reload()

        Op(self, lambda: cd.log_document_print(db, actor, doc_id, used)).success(logged).failure(self._failed).run()

    def save_current(self) -> None:
        if not self.preview.data:
            return
        try:
            path = self.printer.save_pdf(self.preview.data, self, f"{self.current_doc_title}.pdf")
        except OSError as exc:
            self.strip.show_message("error", user_message(exc)[1])
            return
        if path is not None:
            self.strip.show_message("info", self.tr("已保存：{path}").replace("{path}", str(path)))


# ====================================================================== register
class CaseRegister(QWidget):
    """Search on the left, the case on the right, the day's hearing notices at the bottom."""

    message = Signal(str, str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("caseRegister")
        self._want_number: str | None = None

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        search = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("caseSearch")
        self.search_edit.setPlaceholderText(self.tr("案号、收件号或当事人姓名（Ctrl+F）"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("搜索"))
        self.search_button.clicked.connect(self.search)
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.search_button)
        self.cases_model = RowsModel(case_columns(), self)
        self.cases_view = list_table(self.cases_model, row_height=26, alternate=False, compact=False)
        self.cases_view.setObjectName("caseTable")
        for col, w in enumerate((176, 64, 120, 96, 90)):
            self.cases_view.horizontalHeader().resizeSection(col, w)
        self.cases_view.selectionModel().currentRowChanged.connect(self._case_selected)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        batch = QFrame()
        batch.setObjectName("formCard")
        bl = QHBoxLayout(batch)
        bl.setContentsMargins(10, 8, 10, 8)
        bl.addWidget(QLabel(self.tr("开庭日")))
        self.batch_day = QDateEdit()
        self.batch_day.setObjectName("batchDay")
        self.batch_day.setCalendarPopup(True)
        self.batch_day.setDisplayFormat("yyyy-MM-dd")
        self.batch_day.setDate(to_qdate(local_day(self.db.clock.now())))
        self.batch_button = QPushButton(self.tr("批量打印当日开庭通知"))
        self.batch_button.setObjectName("batchButton")
        self.batch_button.clicked.connect(self.batch_notices)
        bl.addWidget(self.batch_day)
        bl.addWidget(self.batch_button, 1)

        self.new_button = QPushButton(self.tr("新建收件"))
        self.new_button.setObjectName("newApplicationButton")
        self.new_button.setCheckable(True)
        search.addWidget(self.new_button)
        # the application has many items (第二十八条): the form scrolls rather than squeezing them
        self.receive_scroll = QScrollArea(left)
        self.receive_scroll.setObjectName("receiveScroll")
        self.receive_scroll.setWidgetResizable(True)
        self.receive_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.receive_form = ReceiveForm(ctx, self.receive_scroll)
        self.receive_scroll.setWidget(self.receive_form)
        self.receive_scroll.hide()
        self.new_button.toggled.connect(self.receive_scroll.setVisible)
        self.receive_form.received.connect(lambda r: self.open_number(r.receipt_number))
        lv.addLayout(search)
        lv.addWidget(self.receive_scroll, 2)
        lv.addWidget(self.cases_view, 1)
        lv.addWidget(self.count_label)
        lv.addWidget(batch)

        self.case_view = CaseView(ctx)
        split = panes(left, self.case_view, (2, 3), [440, 900])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def search(self) -> None:
        db, actor, q = self.db, self.ctx.actor, self.search_edit.text().strip()
        Op(self, lambda: arb.arbitration_register(db, actor, q, limit=200)).success(self._found) \
            .failure(lambda exc: self.message.emit("error", user_message(exc)[1])).run()

    def _found(self, rows: list[CaseRow]) -> None:
        keep = self.case_view.detail.id if self.case_view.detail else None
        self.cases_model.set_rows(rows)
        self.count_label.setText(self.tr("找到 {n} 件").replace("{n}", str(len(rows))) if len(rows) < 200 else
                                 self.tr("显示最新的 {n} 件，请缩小搜索范围").replace("{n}", str(len(rows))))
        want = self._want_number
        self._want_number = None
        for i, r in enumerate(rows):
            if (want and want in (r.number, r.receipt_number)) or (not want and r.id == keep):
                self.cases_view.selectRow(i)
                if want and len(rows) == 1:
                    self.case_view.show_case(r.id)
                break

    def open_number(self, number: str) -> None:
        self._want_number = number
        self.search_edit.setText(number)
        self.search()

    def _case_selected(self, current, _previous) -> None:
        row = self.cases_model.row_at(current.row()) if current.isValid() else None
        if row is not None and (self.case_view.detail is None or self.case_view.detail.id != row.id):
            self.case_view.show_case(row.id)

    def refresh(self) -> None:
        self.search()
        self.case_view.reload()

    def batch_notices(self) -> None:
        day = from_qdate(self.batch_day.date())
        db, actor = self.db, self.ctx.actor
        Op(self, lambda: cd.hearing_notices_for_day(db, actor, day)).success(lambda data: self._batch(day, data)) \
            .failure(lambda exc: self.message.emit("error", user_message(exc)[1])).run()

    def _batch(self, day: dt.date, data: bytes) -> None:
        if not data:
            self.message.emit("error", self.tr("{day}没有安排开庭，无开庭通知可打印。").replace("{day}", cn_day(day)))
            return
        self.case_view.tabs.setEnabled(True)
        self.case_view.show_pdf(data, None, self.tr("{day}开庭通知（合并）").replace("{day}", cn_day(day)))
        self.case_view.save_button.setEnabled(True)
        self.message.emit("info", self.tr("已合并{day}的开庭通知，共{n}页。请预览后打印或保存。")
                          .replace("{day}", cn_day(day)).replace("{n}", str(self.case_view.preview.page_count)))
