"""调解员工作台: today's sittings, the case list, and the open case.

Left: 今日调解 (today's room bookings of this mediator, or of this room) and
the case list: the cases this mediator handles, or a search by 案号, name,
pinyin initials, ID number or phone. The list is keyset-paged: a page is
read when the view nears its end, never the whole table.

Right: the open case in tabs — 概况, 时间线, 调解记录 (``mediator_session``),
调解协议 (``mediator_agreement``), 终止调解, 调解室 (``mediator_rooms``: the rooms'
bookings, booking the open case into a free slot). Each action is one service call off
the UI thread; a refusal is shown as a sentence in the message strip above
the tabs, and the case is read again. Changes made at other workstations
arrive through the event feed (``case.*`` events of the open case).

Keys: Ctrl+F search, Ctrl+S save the minutes now, Ctrl+P print the agreement,
F5 read the case again.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from hall.domain.cases import TERMINATION_NOTICE, failure_routes
from hall.domain.clock import local_day
from hall.domain.roles import Role
from hall.services import cases, centre, mediation
from hall.services.cases import BookingView, CaseDetail, CasePage, CaseRow
from ui.common import palette
from ui.common.case_intake import AgentDialog, MediatorPicker, NoticeDialog, RegisterCaseDialog, open_dialog
from ui.common.casework import (
    STATE_COLOURS,
    STYLE,
    MessageStrip,
    bigger,
    card,
    empty_layout,
    error_text,
    hm,
    hrow,
    log,
    panes,
    set_status,
    status_line,
    table,
    ymd_hm,
)
from ui.common.context import AppContext
from ui.common.keys import shortcuts
from ui.common.ops import OneAtATime, Op
from ui.common.tablemodel import Column, RowsModel
from ui.mediation.agreement import AgreementTab
from ui.mediation.evidence import EvidenceTab
from ui.mediation.rooms import RoomCalendar
from ui.mediation.session import SessionTab
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

__all__ = ["MediatorWorkspace", "CaseListModel"]

PAGE_SIZE = 50
#: Read the next page when this many rows or fewer are left below the view.
PREFETCH_ROWS = 10
SEARCH_DEBOUNCE_MS = 300
RELOAD_DEBOUNCE_MS = 150


# ------------------------------------------------------------------ case list
class CaseListModel(RowsModel):
    """Case rows with keyset paging: ``fetchMore`` asks for the next page."""

    def __init__(self, columns, fetch: Callable[[int], None], parent=None):
        super().__init__(columns, parent)
        self._fetch = fetch
        self.next_after: int | None = None
        self.loading = False

    def start(self, rows: list, next_after: int | None) -> None:
        self.next_after = next_after
        self.set_rows(rows)

    def append(self, rows: list, next_after: int | None) -> None:
        self.next_after = next_after
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def update_case(self, case_id: int, **changes) -> None:
        """Show a case's new state in its row without reading the list again."""
        for i, r in enumerate(self.rows):
            if r.id == case_id:
                new = replace(r, **changes)
                if new != r:
                    self.rows[i] = new
                    self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self.next_after is not None and not self.loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        after = self.next_after
        if after is not None and self.canFetchMore(parent):
            self.loading = True
            self._fetch(after)


# ------------------------------------------------------------------ 概况
class OverviewTab(QWidget):
    """概况: the case, its parties and agents, the police flag, referrals."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.detail: CaseDetail | None = None
        self.fields: dict[str, QLabel] = {}

        facts_grid = QGridLayout()
        facts_grid.setHorizontalSpacing(16)
        facts_grid.setVerticalSpacing(6)
        names = (("number", self.tr("案号")), ("category", self.tr("纠纷类别")), ("source", self.tr("来源")),
                 ("risk", self.tr("风险等级")), ("state", self.tr("状态")), ("registered", self.tr("登记")),
                 ("accepted", self.tr("受理")), ("mediator", self.tr("调解员")), ("deadlines", self.tr("期限")))
        for i, (key, label) in enumerate(names):
            name = QLabel(label)
            name.setObjectName("fieldLabel")
            value = QLabel()
            value.setObjectName("fieldValue")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            r, c = divmod(i, 3)
            facts_grid.addWidget(name, r, c * 2)
            facts_grid.addWidget(value, r, c * 2 + 1)
        for c in (1, 3, 5):
            facts_grid.setColumnStretch(c, 1)

        self.accept_button = QPushButton(self.tr("受理"))
        self.accept_button.setObjectName("acceptCase")
        self.accept_button.clicked.connect(self.accept_case)
        self.start_button = QPushButton(self.tr("开始调解"))
        self.start_button.setObjectName("startMediation")
        self.start_button.clicked.connect(self.start_mediation)
        self.close_button = QPushButton(self.tr("结案归档"))
        self.close_button.setObjectName("closeCase")
        self.close_button.clicked.connect(self.close_case)
        self.recusal_button = QPushButton(self.tr("回避检查"))
        self.recusal_button.setObjectName("recusalCheck")
        self.recusal_button.clicked.connect(self.check_recusal)
        self.recusal_label = status_line("recusalResult")

        self.parties_model = RowsModel(self._party_columns(), self)
        self.parties_table = table(self.parties_model, [70, 90, 150, 170, 110, 0, 150, 120], stretch=5)
        self.parties_table.setMinimumHeight(110)

        self.facts = QPlainTextEdit()
        self.facts.setObjectName("facts")
        self.facts.setReadOnly(True)
        self.claims = QPlainTextEdit()
        self.claims.setObjectName("claims")
        self.claims.setReadOnly(True)
        for e in (self.facts, self.claims):
            e.setMaximumHeight(90)

        self.police_check = QCheckBox(self.tr("可能激化为治安案件、刑事案件，已报告公安机关（人民调解法第二十五条）"))
        self.police_check.setObjectName("policeFlag")
        self.police_note = QLineEdit()
        self.police_note.setObjectName("policeNote")
        self.police_note.setMaxLength(500)
        self.police_note.setPlaceholderText(self.tr("报告情况：时间、报告对象、事由"))
        self.police_button = QPushButton(self.tr("保存"))
        self.police_button.setObjectName("savePolice")
        self.police_button.clicked.connect(self.save_police)

        self.change_party = QComboBox()
        self.change_party.setObjectName("changeParty")
        self.change_party.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.change_reason = QLineEdit()
        self.change_reason.setObjectName("changeReason")
        self.change_reason.setMaxLength(200)
        self.change_reason.setPlaceholderText(self.tr("申请理由（可不填）"))
        self.change_button = QPushButton(self.tr("当事人申请更换调解员"))
        self.change_button.setObjectName("requestAnother")
        self.change_button.clicked.connect(self.request_another)

        self.mediator_picker = MediatorPicker(host)
        self.agent_button = QPushButton(self.tr("添加代理人…"))
        self.agent_button.setObjectName("addAgent")
        self.agent_button.clicked.connect(self.add_agent)
        self.notice_button = QPushButton(self.tr("调解通知书…"))
        self.notice_button.setObjectName("attendanceNotice")
        self.notice_button.clicked.connect(self.send_notice)

        self.referrals_model = RowsModel(self._referral_columns(), self)
        self.referrals_table = table(self.referrals_model, [90, 150, 200, 70, 130], stretch=2)
        self.referrals_table.setMaximumHeight(110)

        top, tl = card()
        tl.addLayout(facts_grid)
        tl.addLayout(hrow(self.accept_button, self.start_button, self.close_button, self.recusal_button,
                          self.recusal_label, stretch_at=5))
        tl.addWidget(self.mediator_picker)
        parties, pl = card(self.tr("当事人及代理人"))
        pl.addWidget(self.parties_table, 1)
        pl.addLayout(hrow(self.agent_button, self.notice_button, self.change_party, self.change_reason,
                          self.change_button))
        text, xl = card()
        grid = QFormLayout()
        grid.addRow(self.tr("纠纷事实"), self.facts)
        grid.addRow(self.tr("当事人请求"), self.claims)
        xl.addLayout(grid)
        xl.addWidget(self.police_check)
        xl.addLayout(hrow(self.police_note, self.police_button))
        refs, rl = card(self.tr("转介"))
        rl.addWidget(self.referrals_table)
        self.refer_button = QPushButton(self.tr("转介…"))
        self.refer_button.setObjectName("referCase")
        self.refer_button.clicked.connect(self.refer)
        rl.addLayout(hrow(self.refer_button, stretch_at=1))

        # On a 768-pixel screen the cards do not all fit: they scroll
        # rather than squeeze into each other.
        body = QWidget(self)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(top)
        parties.setMinimumHeight(200)
        lay.addWidget(parties, 2)
        text.setMinimumHeight(220)
        lay.addWidget(text)
        refs.setMinimumHeight(130)
        lay.addWidget(refs)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _party_columns(self) -> list[Column]:
        return [
            Column(self.tr("地位"), lambda p: translate("Side", p.side_label) + ("" if p.active else self.tr("（已移除）"))),
            Column(self.tr("类型"), lambda p: translate("PartyKind", p.kind_label)),
            Column(self.tr("姓名/名称"), lambda p: p.name),
            Column(self.tr("证件号码"), lambda p: p.id_number or p.credit_code or ""),
            Column(self.tr("电话"), lambda p: p.phone or ""),
            Column(self.tr("住址"), lambda p: p.address or "", tooltip=lambda p: p.address or ""),
            Column(self.tr("代理人"), lambda p: "、".join(f"{a.name}（{a.relation or a.scope_label}）"
                                                          for a in p.agents if a.active),
                   tooltip=lambda p: "\n".join(f"{a.name}：{a.authorisation}" for a in p.agents if a.active)),
            Column(self.tr("提示"), lambda p: "；".join(p.warnings), tooltip=lambda p: "\n".join(p.warnings)),
        ]

    def _referral_columns(self) -> list[Column]:
        return [
            Column(self.tr("去向"), lambda r: translate("ReferralKind", r.target_kind_label)),
            Column(self.tr("对象"), lambda r: r.target_label or r.target),
            Column(self.tr("原因"), lambda r: r.reason),
            Column(self.tr("状态"), lambda r: translate("ReferralState", r.state_label)),
            Column(self.tr("时间"), lambda r: ymd_hm(r.scheduled_for or r.created_at)),
        ]

    def show_detail(self, detail: CaseDetail) -> None:
        same = self.detail is not None and self.detail.case.id == detail.case.id
        self.detail = detail
        c = detail.case
        f = self.fields
        f["number"].setText(c.number)
        f["category"].setText(translate("Category", c.category_label) + (f" · {c.subcategory_label}" if c.subcategory_label else ""))
        f["source"].setText(translate("Source", c.source_label))
        f["risk"].setText(translate("RiskLevel", c.risk_label))
        state = translate("CaseState", c.state_label)
        f["state"].setText(state + (f"（{c.state_reason}）" if c.state_reason else ""))
        f["registered"].setText(ymd_hm(c.created_at) + (f" · {c.registered_by_name}" if c.registered_by_name else ""))
        f["accepted"].setText(ymd_hm(c.accepted_at) or self.tr("未受理"))
        f["mediator"].setText(c.mediator_name or self.tr("未指派"))
        open_deadlines = [d for d in detail.deadlines if d.met_on is None and d.state not in ("met", "closed")]
        f["deadlines"].setText("；".join(f"{d.name} {d.due_date.isoformat()}" for d in open_deadlines[:2])
                               or self.tr("无"))
        self.parties_model.set_rows(c.parties)
        self.referrals_model.set_rows(detail.referrals)
        self.facts.setPlainText(c.facts)
        self.claims.setPlainText(c.claims)
        if not (same and self.police_note.hasFocus()):
            self.police_check.setChecked(c.police_flag)
            self.police_note.setText(c.police_note)
        keep = self.change_party.currentData()
        self.change_party.clear()
        for p in c.parties:
            if p.active:
                self.change_party.addItem(f"{translate('Side', p.side_label)} {p.name}", p.id)
        self.change_party.setCurrentIndex(max(0, self.change_party.findData(keep)))
        if not same:
            set_status(self.recusal_label, "", "busy")
        allowed = set(c.allowed_actions)
        self.accept_button.setVisible("accept" in allowed)
        self.start_button.setVisible("start" in allowed)
        self.close_button.setVisible("close" in allowed)
        is_open = c.state in ("registered", "accepted", "mediating")
        for w in (self.police_check, self.police_note, self.police_button):
            w.setEnabled(is_open or c.police_flag)
        self.change_button.setEnabled(is_open and c.mediator_id is not None)
        self.agent_button.setEnabled(is_open)
        self.notice_button.setEnabled(is_open)
        self.refer_button.setEnabled(is_open)
        self.mediator_picker.setVisible(self.host.actor.may("case.assign"))
        if self.host.actor.may("case.assign"):
            self.mediator_picker.show_case(c, is_open)

    # -- actions
    def _case_id(self) -> int | None:
        return self.detail.case.id if self.detail else None

    def accept_case(self) -> None:
        cid = self._case_id()
        if cid is not None:
            db, actor = self.host.db, self.host.actor
            self.host.act(lambda: cases.accept_case(db, actor, cid), self.tr("已受理"))

    def start_mediation(self) -> None:
        cid = self._case_id()
        if cid is not None:
            db, actor = self.host.db, self.host.actor
            self.host.act(lambda: cases.start_mediation(db, actor, cid), self.tr("已开始调解"))

    def close_case(self) -> None:
        cid = self._case_id()
        if cid is not None:
            db, actor = self.host.db, self.host.actor
            self.host.act(lambda: cases.close_case(db, actor, cid), self.tr("已结案归档"))

    def save_police(self) -> None:
        cid = self._case_id()
        if cid is None:
            return
        db, actor = self.host.db, self.host.actor
        flagged, note = self.police_check.isChecked(), self.police_note.text().strip()
        self.host.act(lambda: cases.flag_police(db, actor, cid, note, flagged),
                      self.tr("已记录报告公安机关的情况") if flagged else self.tr("已取消报告标记"))

    def check_recusal(self) -> None:
        cid = self._case_id()
        if cid is None:
            return
        db, actor = self.host.db, self.host.actor

        def shown(r) -> None:
            if r.conflicted:
                set_status(self.recusal_label, self.tr("应当回避：{reasons}").replace("{reasons}", "；".join(r.reasons)),
                           "error")
            elif not r.identity_on_file:
                set_status(self.recusal_label, self.tr("未发现回避事由（调解员身份信息未登记，仅按姓名比对）"), "warn")
            else:
                set_status(self.recusal_label, self.tr("未发现回避事由"), "ok")

        Op(self, lambda: cases.check_recusal(db, actor, cid)).success(shown) \
            .failure(lambda exc: self.host.strip.show_error(error_text(exc))).run()

    def add_agent(self) -> None:
        if self.detail is None:
            return
        dlg = AgentDialog(self.host.db, self.host.actor, list(self.detail.case.parties), self)
        self.agent_dialog = dlg
        dlg.added.connect(lambda a: (self.host.strip.show_info(self.tr("已添加代理人{name}").replace("{name}", a.name)),
                                     self.host.reload()))
        open_dialog(dlg)

    def refer(self) -> None:
        if self.detail is None:
            return
        from ui.common.referrals import ReferDialog

        dlg = ReferDialog(self.host.db, self.host.actor, self.detail.case.id, self)
        self.refer_dialog = dlg
        dlg.referred.connect(lambda views: self.host.strip.show_info(
            self.tr("已转介：{list}").replace("{list}", "、".join(v.target_label for v in views))))
        dlg.referred.connect(lambda *_: self.host.reload())
        open_dialog(dlg)

    def send_notice(self) -> None:
        if self.detail is None:
            return
        dlg = NoticeDialog(self.host, list(self.detail.case.parties), self)
        self.notice_dialog = dlg
        dlg.served.connect(lambda r: self.host.strip.show_info(
            self.tr("已{method}调解通知书：{name}").replace("{method}", r.method_label).replace("{name}", r.party_name)))
        dlg.served.connect(lambda *_: self.host.reload())
        open_dialog(dlg)

    def request_another(self) -> None:
        cid, pid = self._case_id(), self.change_party.currentData()
        if cid is None or pid is None:
            return
        db, actor, reason = self.host.db, self.host.actor, self.change_reason.text().strip()
        self.host.act(lambda: cases.request_another_mediator(db, actor, cid, pid, reason),
                      self.tr("已按当事人申请更换调解员"))


# ------------------------------------------------------------------ 时间线
class TimelineTab(QWidget):
    """时间线: the case's work record, newest first."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RowsModel([
            Column(self.tr("时间"), lambda t: ymd_hm(t.at)),
            Column(self.tr("经办人"), lambda t: t.actor_name),
            Column(self.tr("内容"), lambda t: t.text, tooltip=lambda t: t.text),
        ], self)
        self.table = table(self.model, [140, 90], stretch=2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.table)

    def show_detail(self, detail: CaseDetail) -> None:
        self.model.set_rows(list(reversed(detail.timeline)))


# ------------------------------------------------------------------ 终止调解
class TerminationTab(QWidget):
    """终止调解 (人民调解法第二十六条) and, for a labour dispute, 转仲裁."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.detail: CaseDetail | None = None
        self.route_checks: list[QCheckBox] = []
        notice = QLabel(translate("Termination", TERMINATION_NOTICE))
        notice.setWordWrap(True)
        notice.setObjectName("muted")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("terminateReason")
        self.reason.setPlaceholderText(self.tr("调解不成的原因及基本事实，如：被申请人不同意支付，双方分歧较大"))
        self.reason.setMaximumHeight(90)
        self.routes_box = QVBoxLayout()
        self.terminate_button = QPushButton(self.tr("终止调解"))
        self.terminate_button.setObjectName("terminateButton")
        self.terminate_button.clicked.connect(self.terminate)
        self.state_label = status_line("terminationState")

        self.handover_button = QPushButton(self.tr("转仲裁：移送并生成仲裁申请（收件）"))
        self.handover_button.setObjectName("handoverButton")
        self.handover_button.clicked.connect(self.handover)
        self.application = QPlainTextEdit()
        self.application.setObjectName("arbitrationApplication")
        self.application.setReadOnly(True)
        self.application.setPlaceholderText(self.tr("劳动争议调解不成（或协议未履行）时，可移送劳动人事争议仲裁委员会，"
                                                    "仲裁申请书由案件信息自动填写。"))
        self.missing = status_line("applicationMissing")
        self.receipt_label = QLabel()
        self.receipt_label.setObjectName("arbitrationReceipt")
        self.receipt_label.setWordWrap(True)
        self.receipt_label.hide()

        end, el = card(self.tr("终止调解"))
        el.addWidget(notice)
        el.addWidget(QLabel(self.tr("调解不成的原因")))
        el.addWidget(self.reason)
        el.addWidget(QLabel(self.tr("已告知当事人的途径")))
        el.addLayout(self.routes_box)
        el.addLayout(hrow(self.terminate_button, self.state_label, stretch_at=2))
        self.arb_card, al = card(self.tr("转劳动人事争议仲裁"))
        al.addLayout(hrow(self.handover_button, stretch_at=1))
        al.addWidget(self.missing)
        al.addWidget(self.receipt_label)
        al.addWidget(self.application, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(end)
        lay.addWidget(self.arb_card, 1)

    def show_detail(self, detail: CaseDetail) -> None:
        same = self.detail is not None and self.detail.case.id == detail.case.id
        self.detail = detail
        c = detail.case
        if not same:
            self.reason.clear()
            self.application.clear()
            self.receipt_label.hide()
            set_status(self.missing, "", "busy")
            empty_layout(self.routes_box)
            self.route_checks = []
            for route in failure_routes(c.category):
                box = QCheckBox(route)
                box.setChecked(True)
                self.route_checks.append(box)
                self.routes_box.addWidget(box)
        is_open = c.state in ("registered", "accepted", "mediating")
        self.terminate_button.setEnabled(is_open)
        self.reason.setEnabled(is_open)
        if c.state == "failed":
            set_status(self.state_label, self.tr("已终止调解：{reason}").replace("{reason}", c.state_reason), "warn")
        elif c.state == "transferred":
            set_status(self.state_label, self.tr("已移送：{target}").replace("{target}", c.transfer_target), "warn")
        else:
            set_status(self.state_label, "", "busy")
        # The application the hand-over created stays visible when the case is opened again.
        received = [e.text for e in detail.timeline if e.kind == "handover" and "收件号" in e.text]
        if received and not self.receipt_label.isVisible():
            self.receipt_label.setText(received[-1])
            self.receipt_label.show()
        labour = c.category == "labour"
        self.arb_card.setVisible(labour)
        self.handover_button.setEnabled(labour and c.state in ("failed", "agreement", "closed"))

    def routes(self) -> list[str]:
        return [b.text() for b in self.route_checks if b.isChecked()]

    def terminate(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self.host.db, self.host.actor, self.detail.case.id
        reason, routes = self.reason.toPlainText().strip(), self.routes()
        self.host.act(lambda: mediation.terminate_mediation(db, actor, cid, reason, routes=routes or None),
                      self.tr("已终止调解，并告知当事人可通过仲裁、行政、司法等途径维护权利"))

    def handover(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self.host.db, self.host.actor, self.detail.case.id

        def shown(data: dict) -> str:
            self.application.setPlainText(format_application(data))
            if data.get("missing"):
                set_status(self.missing, self.tr("案件中缺少以下事项，请在申请时一次性补正：{items}")
                           .replace("{items}", "、".join(data["missing"])), "warn")
            else:
                set_status(self.missing, self.tr("申请书要素齐全"), "ok")
            arb = data.get("arbitration") or {}
            if arb.get("receipt_number"):
                self.receipt_label.setText(
                    self.tr("{commission}已收件：收件号 {number}，{state}").replace("{commission}", data.get("commission", ""))
                    .replace("{number}", arb["receipt_number"]).replace("{state}", arb.get("state_label", ""))
                    + (self.tr("；一次性补正：{items}").replace("{items}", "、".join(arb["missing_items"]))
                       if arb.get("missing_items") else ""))
                self.receipt_label.show()
            return self.tr("已移送{commission}，仲裁申请已收件（收件号 {number}），书记员可直接受理审查") \
                .replace("{commission}", data.get("commission", "")).replace("{number}", arb.get("receipt_number", ""))

        self.host.act(lambda: mediation.handover_to_arbitration(db, actor, cid), shown)


def format_application(data: dict) -> str:
    """The prefilled arbitration application as text to read and copy."""
    a, r = data.get("applicant", {}), data.get("respondent", {})

    def v(x: Any) -> str:
        if x is None or x == "":
            return translate("TerminationTab", "（未填）")
        return x.isoformat() if isinstance(x, dt.date) else str(x)

    lines = [translate("TerminationTab", "劳动人事争议仲裁申请书"), translate("TerminationTab", "致：") + v(data.get("commission")), "",
             translate("TerminationTab", "申请人：") + v(a.get("name")),
             "  " + translate("TerminationTab", "性别：") + v(a.get("sex")) + "    " + translate("TerminationTab", "出生日期：") + v(a.get("birth_date"))
             + "    " + translate("TerminationTab", "民族：") + v(a.get("ethnicity")),
             "  " + translate("TerminationTab", "公民身份号码：") + v(a.get("id_number")),
             "  " + translate("TerminationTab", "职业：") + v(a.get("occupation")) + "    " + translate("TerminationTab", "工作单位：") + v(a.get("employer")),
             "  " + translate("TerminationTab", "住所：") + v(a.get("address")) + "    " + translate("TerminationTab", "联系电话：") + v(a.get("phone")),
             translate("TerminationTab", "被申请人：") + v(r.get("name")),
             "  " + translate("TerminationTab", "住所：") + v(r.get("address")) + "    " + translate("TerminationTab", "联系电话：") + v(r.get("phone")),
             "  " + translate("TerminationTab", "法定代表人：") + v(r.get("legal_rep")) + "    " + translate("TerminationTab", "职务：") + v(r.get("legal_rep_title")),
             "  " + translate("TerminationTab", "统一社会信用代码：") + v(r.get("credit_code"))]
    for g in data.get("agents", []):
        who = translate("TerminationTab", "申请人") if g.get("for") == "applicant" else translate("TerminationTab", "被申请人")
        lines.append(translate("TerminationTab", "{who}委托代理人：").replace("{who}", who) + v(g.get("name")) + "（" + v(g.get("relation")) + "）")
    lines += ["", translate("TerminationTab", "仲裁请求："), v(data.get("claims")), "", translate("TerminationTab", "事实和理由："), v(data.get("facts"))]
    src = data.get("source", {})
    lines += ["", translate("TerminationTab", "来源：{committee}调解案件{number}，调解不成原因：{reason}")
              .replace("{committee}", v(src.get("committee"))).replace("{number}", v(src.get("case_number")))
              .replace("{reason}", v(src.get("failure_reason")))]
    ev = data.get("evidence", [])
    if ev:
        lines += ["", translate("TerminationTab", "证据材料：")] + [f"  {i}. {e.get('name')}" for i, e in enumerate(ev, 1)]
    return "\n".join(lines)


# ------------------------------------------------------------------ workspace
class MediatorWorkspace(QWidget):
    """调解员工作台."""

    #: After each reading of the open case.
    case_loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.actor = ctx.actor
        self.setObjectName("mediatorWorkspace")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setMinimumSize(1100, 640)
        self.case_id: int | None = None
        self.detail: CaseDetail | None = None
        self.today: list[BookingView] = []
        self._shut = False
        self.reads = OneAtATime(self._start_read, lambda: self._shut or self.case_id is None)
        self._busy = 0
        self._query = ""
        self._list_gen = 0
        self.list_note = ""

        # -- left
        self.today_model = RowsModel([
            Column(self.tr("时间"), lambda b: f"{hm(b.start)}–{hm(b.end)}", Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("调解室"), lambda b: b.room_name),
            Column(self.tr("案号"), lambda b: b.case_number),
        ], self)
        self.today_table = table(self.today_model, [96, 96], stretch=2)
        self.today_table.setMaximumHeight(150)
        self.today_table.activated.connect(self._today_chosen)
        self.today_table.clicked.connect(self._today_chosen)
        self.today_empty = QLabel(self.tr("今天没有预约的调解"))
        self.today_empty.setObjectName("emptyHint")

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("caseSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("案号 / 姓名 / 拼音首字母 / 证件号 / 电话  (Ctrl+F)"))
        self.search_edit.textChanged.connect(self._search_typed)
        self.search_edit.returnPressed.connect(self.search_now)
        self.scope_box = QComboBox()
        self.scope_box.setObjectName("caseScope")
        self.scope_box.addItem(self.tr("我承办的"), "mine")
        self.scope_box.addItem(self.tr("全部案件"), "all")
        if Role.MEDIATOR not in self.actor.roles:
            self.scope_box.setCurrentIndex(1)
        self.scope_box.currentIndexChanged.connect(lambda _i: self.search_now())
        self.case_model = CaseListModel([
            Column(self.tr("案号"), lambda r: r.number, tooltip=lambda r: translate("Category", r.category_label)),
            Column(self.tr("当事人"), lambda r: r.parties, tooltip=lambda r: r.parties),
            Column(self.tr("状态"), lambda r: translate("CaseState", r.state_label) + (" ⚠" if r.police_flag else "")),
            Column(self.tr("登记日期"), lambda r: r.registered_on.isoformat(), Qt.AlignmentFlag.AlignCenter),
        ], self._fetch_more, self)
        self.case_table = table(self.case_model, [164, 0, 64, 86], stretch=1)
        self.case_table.activated.connect(self._case_chosen)
        self.case_table.clicked.connect(self._case_chosen)
        self.case_table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.list_status = status_line("listStatus")

        today_card, tl = card(self.tr("今日调解"))
        tl.addWidget(self.today_table)
        tl.addWidget(self.today_empty)
        self.register_button = QPushButton(self.tr("登记案件…"))
        self.register_button.setObjectName("registerNewCase")
        self.register_button.clicked.connect(self.register_case)
        self.register_button.setVisible(self.actor.may("case.register"))
        cases_card, cl = card(self.tr("案件"))
        cl.addLayout(hrow(self.search_edit, self.scope_box, self.register_button))
        cl.addWidget(self.case_table, 1)
        cl.addWidget(self.list_status)
        from ui.common.referrals import ReferralInbox

        room = ctx.workstation.room_code
        self.referral_inbox = ReferralInbox(self.db, self.actor, lambda: [room] if room else [], self)
        inbox_card, il = card()
        il.addWidget(self.referral_inbox)
        inbox_card.setMaximumHeight(210)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(today_card)
        ll.addWidget(inbox_card)
        ll.addWidget(cases_card, 1)

        # -- right
        self.number_label = QLabel()
        self.number_label.setObjectName("caseNumber")
        bigger(self.number_label, 1.45, bold=True)
        self.state_chip = QLabel()
        self.state_chip.setObjectName("stateChip")
        self.police_chip = QLabel(self.tr("已报告公安机关"))
        self.police_chip.setObjectName("stateChip")
        self.police_chip.setStyleSheet(palette.style("background: {danger};"))
        self.meta_label = QLabel()
        self.meta_label.setObjectName("caseMeta")
        self.meta_label.setWordWrap(True)
        self.reload_button = QPushButton(self.tr("刷新  F5"))
        self.reload_button.setObjectName("reloadCase")
        self.reload_button.clicked.connect(self.reload)
        header = QFrame()
        header.setObjectName("card")
        hl = QVBoxLayout(header)
        hl.setContentsMargins(14, 10, 14, 10)
        hl.addLayout(hrow(self.number_label, self.state_chip, self.police_chip, self.reload_button, stretch_at=3))
        hl.addWidget(self.meta_label)
        self.strip = MessageStrip()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.overview = OverviewTab(self)
        self.timeline = TimelineTab(self)
        self.session = SessionTab(self)
        self.agreement = AgreementTab(self)
        self.termination = TerminationTab(self)
        self.room_calendar = RoomCalendar(self)
        self.evidence = EvidenceTab(self)
        self.tabs.addTab(self.overview, self.tr("概况"))
        self.tabs.addTab(self.timeline, self.tr("时间线"))
        self.tabs.addTab(self.session, self.tr("调解记录"))
        self.tabs.addTab(self.agreement, self.tr("调解协议"))
        self.tabs.addTab(self.termination, self.tr("终止调解"))
        self.tabs.addTab(self.room_calendar, self.tr("调解室"))
        self.tabs.addTab(self.evidence, self.tr("证据与文书"))

        case_page = QWidget()
        cp = QVBoxLayout(case_page)
        cp.setContentsMargins(0, 0, 0, 0)
        cp.setSpacing(8)
        cp.addWidget(header)
        cp.addWidget(self.strip)
        cp.addWidget(self.tabs, 1)
        self.no_case = QLabel(self.tr("从左侧“今日调解”或案件列表中选择案件"))
        self.no_case.setObjectName("emptyHint")
        self.no_case.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bigger(self.no_case, 1.3)
        self.right = QStackedWidget()
        self.right.addWidget(self.no_case)
        self.right.addWidget(case_page)
        self.case_page = case_page

        split = panes(left, self.right, (0, 1), [470, 930])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addWidget(split)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.search_timer.timeout.connect(self.search_now)
        self.reload_timer = QTimer(self)
        self.reload_timer.setSingleShot(True)
        self.reload_timer.setInterval(RELOAD_DEBOUNCE_MS)
        self.reload_timer.timeout.connect(self.reload)
        self._shortcuts()

        ctx.feed.events.connect(self._on_events)
        ctx.feed.online.connect(self._back_online)
        self.load_today()
        self.search_now()
        self.referral_inbox.refresh()

    def _shortcuts(self) -> None:
        keys = (("Ctrl+F", self.focus_search), ("Ctrl+S", self.save_minutes_now),
                ("Ctrl+P", self.print_agreement), ("F5", self.reload))
        self._shortcut_objs = shortcuts(self, keys)

    # ------------------------------------------------------------ today
    def load_today(self) -> None:
        if self._shut:
            return
        db, actor, room = self.db, self.actor, self.ctx.workstation.room_code
        day = local_day(db.clock.now())

        def load() -> list[BookingView]:
            # A handful of rooms: one calendar read each is cheaper than any
            # case query, and it is exactly what the rooms show.
            out = []
            for r in centre.list_rooms(db):
                for b in mediation.room_calendar(db, actor, r.code, day):
                    if b.mediator_id == actor.user_id or (room and b.room_code == room):
                        out.append(b)
            return sorted(out, key=lambda b: (b.start, b.id))

        Op(self, load).success(self._got_today).failure(lambda exc: log.warning("today's bookings: %s", exc)).run()

    def _got_today(self, bookings: list[BookingView]) -> None:
        if self._shut:
            return
        self.today = bookings
        self.today_model.set_rows(bookings)
        self.today_table.setVisible(bool(bookings))
        self.today_empty.setVisible(not bookings)

    def today_booking_for(self, case_id: int) -> BookingView | None:
        now = self.db.clock.now()
        mine = [b for b in self.today if b.case_id == case_id and b.end > now]
        return mine[0] if mine else None

    def _today_chosen(self, index) -> None:
        b = self.today_model.row_at(index.row())
        if b is not None:
            self.open_case(b.case_id)

    # ------------------------------------------------------------ case list
    def _search_typed(self, _text: str) -> None:
        self.search_timer.start()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _page(self, query: str, scope: str, after: int | None) -> CasePage:
        if query:
            return cases.search_cases(self.db, self.actor, query, limit=PAGE_SIZE, after=after)
        mediator = self.actor.user_id if scope == "mine" else None
        return cases.list_cases(self.db, self.actor, mediator_id=mediator, limit=PAGE_SIZE, after=after)

    def search_now(self) -> None:
        """Read the first page for what is in the search box (or this mediator's cases)."""
        if self._shut:
            return
        self.search_timer.stop()
        self._list_gen += 1
        gen = self._list_gen
        query, scope = self.search_edit.text().strip(), self.scope_box.currentData()
        self._query = query
        self.case_model.loading = True
        set_status(self.list_status, self.tr("正在查找…"), "busy")
        Op(self, lambda: self._page(query, scope, None)).success(lambda page: self._got_page(gen, page, True)) \
            .failure(lambda exc: self._list_failed(gen, exc)).run()

    def _fetch_more(self, after: int) -> None:
        gen, query, scope = self._list_gen, self._query, self.scope_box.currentData()
        Op(self, lambda: self._page(query, scope, after)).success(lambda page: self._got_page(gen, page, False)) \
            .failure(lambda exc: self._list_failed(gen, exc)).run()

    def _got_page(self, gen: int, page: CasePage, first: bool) -> None:
        if gen != self._list_gen or self._shut:
            return
        self.case_model.loading = False
        if first:
            self.case_model.start(page.rows, page.next_after)
            self.case_table.scrollToTop()
        else:
            self.case_model.append(page.rows, page.next_after)
        n = self.case_model.rowCount()
        if page.note:
            text, state = page.note, "warn"
        elif n == 0:
            text, state = (self.tr("没有找到匹配的案件") if self._query else self.tr("暂无案件")), "busy"
        elif page.next_after is not None:
            text, state = self.tr("已显示 {n} 件，向下滚动加载更多").replace("{n}", str(n)), "busy"
        else:
            text, state = self.tr("共 {n} 件").replace("{n}", str(n)), "busy"
        self.list_note = text
        set_status(self.list_status, text, state)
        QTimer.singleShot(0, self._scrolled)

    def _list_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._list_gen:
            return
        self.case_model.loading = False
        set_status(self.list_status, error_text(exc), "error")

    def _scrolled(self, *_args) -> None:
        """Read the next page while a few rows are still left below the view."""
        if self._shut or not self.case_model.canFetchMore():
            return
        last_visible = self.case_table.rowAt(self.case_table.viewport().height() - 1)
        if last_visible < 0 or last_visible >= self.case_model.rowCount() - PREFETCH_ROWS:
            self.case_model.fetchMore()

    def _case_chosen(self, index) -> None:
        row: CaseRow | None = self.case_model.row_at(index.row())
        if row is not None and row.id != self.case_id:
            self.open_case(row.id)

    def register_case(self) -> None:
        """调解登记 of a dispute brought to the mediator directly (or on the committee's initiative)."""
        dlg = RegisterCaseDialog(self.db, self.actor, None, self)
        self.register_dialog = dlg

        def registered(case) -> None:
            self.strip.show_info(self.tr("已登记案件 {number}").replace("{number}", case.number))
            self.search_now()
            self.open_case(case.id)
        dlg.registered.connect(registered)
        open_dialog(dlg)

    # ------------------------------------------------------------ the case
    def open_case(self, case_id: int) -> None:
        if self.case_id != case_id:
            self.session.minutes.flush()
            self.strip.clear_message()
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        """Read the open case again (after an action, or another workstation's)."""
        self.reads.request()

    @property
    def _loading(self) -> bool:
        return self.reads.busy

    def _start_read(self) -> None:
        cid = self.case_id
        assert cid is not None      # OneAtATime checks it first
        db, actor = self.db, self.actor
        Op(self, lambda: cases.case_detail(db, actor, cid)).success(self._show_detail) \
            .failure(lambda exc: self.strip.show_error(error_text(exc))).finally_(self.reads.done).run()

    def _show_detail(self, detail: CaseDetail) -> None:
        if self._shut or detail.case.id != self.case_id:
            return
        self.detail = detail
        c = detail.case
        self.right.setCurrentWidget(self.case_page)
        self.number_label.setText(c.number)
        self.state_chip.setText(translate("CaseState", c.state_label))
        self.state_chip.setStyleSheet(f"background: {STATE_COLOURS.get(c.state, palette.SUBTLE)};")
        self.police_chip.setVisible(c.police_flag)
        names = "、".join(f"{translate('Side', p.side_label)}{p.name}" for p in c.parties if p.active)
        sub = f" · {c.subcategory_label}" if c.subcategory_label else ""
        self.meta_label.setText(translate("Category", c.category_label) + sub + " · "
                                + self.tr("调解员：{name}").replace("{name}", c.mediator_name or self.tr("未指派"))
                                + "\n" + names)
        for tab in (self.overview, self.timeline, self.session, self.agreement, self.termination,
                    self.room_calendar, self.evidence):
            tab.show_detail(detail)
        self.case_model.update_case(c.id, state=c.state, state_label=c.state_label, police_flag=c.police_flag)
        self.case_loaded.emit(detail)

    def act(self, fn: Callable[[], Any], message: str | Callable[[Any], str | None] | None = None) -> None:
        """One service call on the open case: the message or a refusal inline,
        then the case is read again."""
        if self._shut:
            return
        self._busy += 1
        self.strip.clear_message()

        def done(result: Any) -> None:
            text = message(result) if callable(message) else message
            if text:
                self.strip.show_info(text)

        def finished() -> None:
            self._busy -= 1
            self.reload()

        Op(self, fn).success(done).failure(lambda exc: self.strip.show_error(error_text(exc))) \
            .finally_(finished).run()

    @property
    def busy(self) -> bool:
        return self._busy > 0 or self._loading

    # ------------------------------------------------------------ keys
    def save_minutes_now(self) -> None:
        self.tabs.setCurrentWidget(self.session)
        self.session.minutes.save_now()

    def print_agreement(self) -> None:
        if self.detail is None:
            return
        self.tabs.setCurrentWidget(self.agreement)
        self.agreement.print_agreement()

    # ------------------------------------------------------------ live
    def _on_events(self, events: list) -> None:
        if self._shut:
            return
        if self.case_id is not None and any(e.kind.startswith("case.") and e.payload.get("case_id") == self.case_id
                                            for e in events):
            self.reload_timer.start()
        if any(e.kind.startswith("case.referr") or e.kind == "case.room_booked" for e in events):
            self.referral_inbox.refresh()
        if any(e.kind in ("case.room_booked", "case.booking_cancelled") for e in events):
            self.load_today()
            if self.detail is not None:
                self.room_calendar.refresh()

    def _back_online(self) -> None:
        self.load_today()
        self.reload()

    # ------------------------------------------------------------ shell
    def shutdown(self) -> None:
        """Save typed minutes, stop the timers, stop listening."""
        if self._shut:
            return
        try:
            self.session.minutes.flush()
        except Exception as exc:  # closing must go on
            log.warning("saving the minutes at shutdown failed: %s", exc)
        self._shut = True
        for t in (self.search_timer, self.reload_timer, self.session.minutes.timer, self.agreement.preview_timer):
            t.stop()
        for signal, slot in ((self.ctx.feed.events, self._on_events), (self.ctx.feed.online, self._back_online)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
