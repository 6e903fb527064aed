"""Getting a case going: 调解登记 from a served ticket, the mediator, the agents.

:class:`RegisterCaseDialog` registers a dispute (人民调解法第十七条、第二十七条).
Opened at a window for the ticket being served, the visitor becomes the
applicant (name, ID number and phone carried over from the ticket, never
re-typed) and the front desk's note of the complaint becomes the facts. The
other side may be a person or an organisation with its legal representative
and the representative it sends (委托代理人). A mediator may be chosen at once;
each one is shown with the recusal check against the parties typed.

:class:`AgentDialog` adds a party's agent; :class:`MediatorPicker` assigns or
reassigns the case's mediator (人民调解法第十九条), both from the mediator's
case overview. A refusal (a wrong ID number, a mediator who must recuse) is
shown inside the dialog, which stays open with everything typed.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import cast

from hall.domain.cases import AgentInput, AgentScope, Category, PartyInput, PartyKind, Side, Source
from hall.services import cases
from hall.services.cases import CaseView, MediatorChoice, TicketIntake
from ui.common import palette
from ui.common.casework import error_text
from ui.common.ops import Op
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStandardItemModel,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

__all__ = ["RegisterCaseDialog", "AgentDialog", "MediatorPicker", "mediator_label"]


def _line(name: str, max_len: int = 100, placeholder: str = "") -> QLineEdit:
    e = QLineEdit()
    e.setObjectName(name)
    e.setMaxLength(max_len)
    if placeholder:
        e.setPlaceholderText(placeholder)
    return e


def _text(e: QLineEdit) -> str | None:
    return e.text().strip() or None


def mediator_label(m: MediatorChoice) -> str:
    text = translate("CaseIntake", "{name}（在办{n}件）").replace("{name}", m.name).replace("{n}", str(m.open_cases))
    if m.replaced_at_party_request:
        text += translate("CaseIntake", " · 当事人已申请更换")
    elif m.conflicted:
        text += translate("CaseIntake", " · 应当回避：") + "；".join(m.reasons)
    return text


class _Error(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("dialogError")
        self.setWordWrap(True)
        self.setStyleSheet(palette.style("color: {error_text}; background: {overdue_tint}; border: 1px solid {error_border};"
                                         " border-radius: 4px; padding: 6px;"))
        self.hide()

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class RegisterCaseDialog(QDialog):
    """调解登记: applicant (the visitor), the other side, facts, claims, mediator."""

    registered = Signal(object)     # CaseView

    def __init__(self, db, actor, intake: TicketIntake | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor, self.intake = db, actor, intake
        self.setObjectName("registerCaseDialog")
        self.setWindowTitle(self.tr("调解登记"))
        self.case: CaseView | None = None
        self._busy = False

        self.category = QComboBox()
        self.category.setObjectName("caseCategory")
        for c in Category:
            self.category.addItem(translate("Category", c.label), c.value)
        if intake is not None and "劳动" in intake.service_name:
            self.category.setCurrentIndex(self.category.findData(Category.LABOUR.value))
        self.source = QComboBox()
        self.source.setObjectName("caseSource")
        for s in Source:
            self.source.addItem(translate("Source", s.label), s.value)

        # -- applicant (the visitor of the ticket)
        self.a_name = _line("applicantName", 64)
        self.a_sex = QComboBox()
        self.a_sex.setObjectName("applicantSex")
        for x in ("", "男", "女"):
            self.a_sex.addItem(x or self.tr("（按身份证号）"), x or None)
        self.a_id = _line("applicantId", 18)
        self.a_phone = _line("applicantPhone", 20)
        self.a_occupation = _line("applicantOccupation", 50)
        self.a_address = _line("applicantAddress", 200)
        self.carried = QLabel()
        self.carried.setObjectName("carriedOver")
        self.carried.setWordWrap(True)
        if intake is not None and intake.visitor_id:
            self.a_name.setText(intake.name)
            self.a_name.setReadOnly(True)
            bits = [self.tr("来自排队号 {n}").replace("{n}", intake.number)]
            if intake.has_id_number:
                self.a_id.setPlaceholderText(self.tr("已登记 {m}（沿用，不必重填）").replace("{m}", intake.id_number_masked))
            if intake.phone_masked:
                self.a_phone.setPlaceholderText(self.tr("已登记 {m}（沿用）").replace("{m}", intake.phone_masked))
            self.carried.setText("，".join(bits))
        applicant = QGroupBox(self.tr("申请人"))
        af = QFormLayout(applicant)
        af.addRow(self.tr("姓名"), self.a_name)
        af.addRow(self.tr("性别"), self.a_sex)
        af.addRow(self.tr("公民身份号码"), self.a_id)
        af.addRow(self.tr("联系电话"), self.a_phone)
        af.addRow(self.tr("职业"), self.a_occupation)
        af.addRow(self.tr("住址"), self.a_address)
        af.addRow("", self.carried)

        # -- the other side
        self.r_kind = QComboBox()
        self.r_kind.setObjectName("respondentKind")
        self.r_kind.addItem(translate("PartyKind", PartyKind.ORGANISATION.label), PartyKind.ORGANISATION.value)
        self.r_kind.addItem(translate("PartyKind", PartyKind.PERSON.label), PartyKind.PERSON.value)
        self.r_name = _line("respondentName", 100)
        self.r_code = _line("respondentCode", 18, self.tr("统一社会信用代码 / 公民身份号码"))
        self.r_address = _line("respondentAddress", 200)
        self.r_phone = _line("respondentPhone", 20)
        self.r_rep = _line("respondentLegalRep", 64)
        self.r_rep_title = _line("respondentLegalRepTitle", 32, self.tr("如：总经理"))
        self.r_agent = _line("respondentAgent", 64, self.tr("单位派来参加调解的人（可不填）"))
        self.r_agent_relation = _line("respondentAgentRelation", 50, self.tr("如：人事经理"))
        respondent = QGroupBox(self.tr("被申请人"))
        rf = QFormLayout(respondent)
        rf.addRow(self.tr("类型"), self.r_kind)
        rf.addRow(self.tr("姓名/名称"), self.r_name)
        rf.addRow(self.tr("证照号码"), self.r_code)
        rf.addRow(self.tr("住所/住址"), self.r_address)
        rf.addRow(self.tr("联系电话"), self.r_phone)
        rf.addRow(self.tr("法定代表人"), self.r_rep)
        rf.addRow(self.tr("职务"), self.r_rep_title)
        rf.addRow(self.tr("委托代理人"), self.r_agent)
        rf.addRow(self.tr("代理人身份"), self.r_agent_relation)
        self.r_kind.currentIndexChanged.connect(self._kind_changed)
        self._rf = rf

        self.facts = QPlainTextEdit()
        self.facts.setObjectName("caseFacts")
        self.facts.setPlaceholderText(self.tr("纠纷的主要事实"))
        if intake is not None and intake.note:
            self.facts.setPlainText(intake.note)
        self.claims = QPlainTextEdit()
        self.claims.setObjectName("caseClaims")
        self.claims.setPlaceholderText(self.tr("当事人的请求"))
        for e in (self.facts, self.claims):
            e.setFixedHeight(70)

        self.mediator = QComboBox()
        self.mediator.setObjectName("caseMediator")
        self.mediator.addItem(self.tr("暂不指派"), None)
        self.open_cases = QLabel()
        self.open_cases.setObjectName("openCases")
        self.open_cases.setWordWrap(True)
        if intake is not None and intake.open_cases:
            self.open_cases.setText(self.tr("注意：该群众已有在办案件 {list}").replace(
                "{list}", "、".join(f"{r.number}（{translate('CaseState', r.state_label)}）" for r in intake.open_cases)))
        else:
            self.open_cases.hide()

        self.error = _Error()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("登记"))
        self.ok_button.setObjectName("registerCase")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        top = QFormLayout()
        top.addRow(self.tr("纠纷类别"), self.category)
        top.addRow(self.tr("案件来源"), self.source)
        sides = QHBoxLayout()
        sides.addWidget(applicant)
        sides.addWidget(respondent)
        bottom = QFormLayout()
        bottom.addRow(self.tr("纠纷事实"), self.facts)
        bottom.addRow(self.tr("当事人请求"), self.claims)
        bottom.addRow(self.tr("调解员"), self.mediator)
        lay = QVBoxLayout(self)
        lay.addWidget(self.open_cases)
        lay.addLayout(top)
        lay.addLayout(sides)
        lay.addLayout(bottom)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(900, 640)
        Op(self, lambda: cases.list_mediators(db, actor)).success(self._got_mediators) \
            .failure(lambda exc: self.error.show_text(error_text(exc))).run()

    def _got_mediators(self, ms: list[MediatorChoice]) -> None:
        for m in ms:
            self.mediator.addItem(mediator_label(m), m.id)

    def _kind_changed(self) -> None:
        org = self.r_kind.currentData() == PartyKind.ORGANISATION.value
        for w in (self.r_rep, self.r_rep_title):
            self._rf.setRowVisible(w, org)

    # -- what was typed
    def parties(self) -> list[PartyInput]:
        intake = self.intake
        applicant = PartyInput(
            name=self.a_name.text().strip(), side=Side.APPLICANT.value, kind=PartyKind.PERSON.value,
            sex=self.a_sex.currentData(), id_number=_text(self.a_id), phone=_text(self.a_phone),
            occupation=_text(self.a_occupation), address=_text(self.a_address),
            visitor_id=intake.visitor_id if intake is not None else None)
        out = [applicant]
        name = self.r_name.text().strip()
        if name:
            org = self.r_kind.currentData() == PartyKind.ORGANISATION.value
            code = _text(self.r_code)
            agents: tuple[AgentInput, ...] = ()
            if self.r_agent.text().strip():
                agents = (AgentInput(name=self.r_agent.text().strip(), relation=self.r_agent_relation.text().strip(),
                                     scope=AgentScope.GENERAL.value),)
            out.append(PartyInput(
                name=name, side=Side.RESPONDENT.value, kind=self.r_kind.currentData(),
                credit_code=code if org else None, id_number=None if org else code,
                address=_text(self.r_address), phone=_text(self.r_phone),
                legal_rep=_text(self.r_rep) if org else None, legal_rep_title=_text(self.r_rep_title) if org else None,
                agents=agents))
        return out

    def submit(self) -> None:
        if self._busy:
            return
        if not self.a_name.text().strip():
            self.error.show_text(self.tr("请填写申请人的姓名"))
            return
        if not self.facts.toPlainText().strip():
            self.error.show_text(self.tr("请填写纠纷的主要事实"))
            return
        db, actor = self.db, self.actor
        kw = dict(category=self.category.currentData(), source=self.source.currentData(), parties=self.parties(),
                  facts=self.facts.toPlainText(), claims=self.claims.toPlainText(),
                  ticket_id=self.intake.ticket_id if self.intake is not None else None,
                  mediator_id=self.mediator.currentData())
        self._busy = True
        self.ok_button.setEnabled(False)
        self.error.show_text("")

        def done(view: CaseView) -> None:
            self.case = view
            self.registered.emit(view)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.error.show_text(error_text(exc))

        def finished() -> None:
            self._busy = False
            self.ok_button.setEnabled(True)

        Op(self, lambda: cases.register_case(db, actor, **kw)).success(done).failure(failed) \
            .finally_(finished).run()


class AgentDialog(QDialog):
    """添加代理人: whose agent, name, relation, authority, the authorisation."""

    added = Signal(object)

    def __init__(self, db, actor, parties: list, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName("agentDialog")
        self.setWindowTitle(self.tr("添加委托代理人"))
        self.party = QComboBox()
        self.party.setObjectName("agentParty")
        for p in parties:
            if p.active:
                self.party.addItem(f"{translate('Side', p.side_label)} {p.name}", p.id)
        self.name = _line("agentName", 64)
        self.id_number = _line("agentId", 18)
        self.phone = _line("agentPhone", 20)
        self.relation = _line("agentRelation", 50, self.tr("律师、近亲属、单位工作人员…"))
        self.scope = QComboBox()
        self.scope.setObjectName("agentScope")
        for s in AgentScope:
            self.scope.addItem(translate("AgentScope", s.label), s.value)
        self.authorisation = _line("agentAuthorisation", 500, self.tr("授权委托书的内容或摘要"))
        self.error = _Error()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("saveAgent")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("被代理的当事人"), self.party)
        form.addRow(self.tr("代理人姓名"), self.name)
        form.addRow(self.tr("公民身份号码"), self.id_number)
        form.addRow(self.tr("联系电话"), self.phone)
        form.addRow(self.tr("与当事人关系"), self.relation)
        form.addRow(self.tr("代理权限"), self.scope)
        form.addRow(self.tr("授权委托"), self.authorisation)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def submit(self) -> None:
        pid = self.party.currentData()
        if pid is None:
            self.error.show_text(self.tr("案件没有可以委托代理人的当事人"))
            return
        if not self.name.text().strip():
            self.error.show_text(self.tr("请填写代理人的姓名"))
            return
        agent = AgentInput(name=self.name.text().strip(), id_number=_text(self.id_number), phone=_text(self.phone),
                           relation=self.relation.text().strip(), scope=self.scope.currentData(),
                           authorisation=self.authorisation.text().strip())
        db, actor = self.db, self.actor
        self.ok_button.setEnabled(False)

        def done(view) -> None:
            self.added.emit(view)
            self.accept()

        Op(self, lambda: cases.add_agent(db, actor, pid, agent)).success(done) \
            .failure(lambda exc: self.error.show_text(error_text(exc))) \
            .finally_(lambda: self.ok_button.setEnabled(True)).run()


class MediatorPicker(QWidget):
    """指派/改派调解员: the mediators with the recusal check for this case."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.case_id: int | None = None
        self.mediator_id: int | None = None
        self.box = QComboBox()
        self.box.setObjectName("assignMediatorChoice")
        self.box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.button = QPushButton(self.tr("指派调解员"))
        self.button.setObjectName("assignMediator")
        self.button.clicked.connect(self.assign)
        self.button.setEnabled(False)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box, 1)
        lay.addWidget(self.button)
        self.choices: list[MediatorChoice] = []

    def show_case(self, case: CaseView, is_open: bool) -> None:
        same = self.case_id == case.id
        self.case_id, self.mediator_id = case.id, case.mediator_id
        self.button.setText(self.tr("改派调解员") if case.mediator_id else self.tr("指派调解员"))
        self.setEnabled(is_open)
        if not same:
            self.box.clear()
            self.button.setEnabled(False)      # until this case's mediators are read
        if is_open:
            self.load(keep=self.box.currentData() if same else None)

    def load(self, keep: int | None = None) -> None:
        cid = self.case_id
        if cid is None:
            return
        db, actor = self.host.db, self.host.actor
        Op(self, lambda: cases.list_mediators(db, actor, cid)).success(lambda ms: self._got(cid, ms, keep)) \
            .failure(lambda exc: self.host.strip.show_error(error_text(exc))).run()

    def _items(self) -> QStandardItemModel:
        # a combo box's own model is a QStandardItemModel (one item per entry)
        return cast(QStandardItemModel, self.box.model())

    def _got(self, cid: int, ms: list[MediatorChoice], keep: int | None) -> None:
        if cid != self.case_id or getattr(self.host, "_shut", False):
            return
        self.choices = ms
        self.box.clear()
        for m in ms:
            if m.id == self.mediator_id:
                continue
            self.box.addItem(mediator_label(m), m.id)
            if not m.assignable:
                item = self._items().item(self.box.count() - 1)
                item.setEnabled(False)
        self.box.setPlaceholderText(self.tr("暂无其他可改派的调解员") if self.mediator_id else self.tr("暂无可指派的调解员"))
        idx = self.box.findData(keep) if keep is not None else -1
        if idx < 0:
            idx = next((i for i in range(self.box.count())
                        if self._items().item(i).isEnabled()), -1)
        self.box.setCurrentIndex(idx)
        self.button.setEnabled(idx >= 0)

    def assign(self) -> None:
        cid, mid = self.case_id, self.box.currentData()
        if cid is None or mid is None:
            return
        db, actor = self.host.db, self.host.actor
        reason = "" if self.mediator_id is None else translate("CaseIntake", "改派")
        name = next((m.name for m in self.choices if m.id == mid), "")
        self.host.act(lambda: cases.assign_mediator(db, actor, cid, mid, reason),
                      self.tr("已指派调解员{name}").replace("{name}", name))


def open_dialog(dialog: QDialog, on_done: Callable[[QDialog], None] | None = None) -> QDialog:
    """Window-modal, never blocking the event loop (tests drive it too)."""
    dialog.setWindowModality(Qt.WindowModality.WindowModal)

    def closed(result: int) -> None:
        if result == QDialog.DialogCode.Accepted and on_done is not None:
            on_done(dialog)
        dialog.deleteLater()

    dialog.finished.connect(closed)
    dialog.open()
    return dialog


class NoticeDialog(QDialog):
    """调解通知书: to whom, how it is delivered; made, printed and its service recorded."""

    served = Signal(object)     # ServiceRecordView

    def __init__(self, host, parties: list, parent: QWidget | None = None):
        from hall.services.mediation import SERVICE_METHODS

        super().__init__(parent)
        self.host = host
        self.setObjectName("noticeDialog")
        self.setWindowTitle(self.tr("调解通知书"))
        self.parties = [p for p in parties if p.active]
        self.party = QComboBox()
        self.party.setObjectName("noticeParty")
        for p in self.parties:
            self.party.addItem(f"{translate('Side', p.side_label)} {p.name}", p.id)
        resp = next((i for i, p in enumerate(self.parties) if p.side == Side.RESPONDENT.value), 0)
        self.method = QComboBox()
        self.method.setObjectName("noticeMethod")
        for code, label in SERVICE_METHODS.items():
            self.method.addItem(translate("ServiceMethods", label), code)
        self.recipient = _line("noticeRecipient", 100, self.tr("签收人（默认为当事人本人/单位）"))
        self.address = _line("noticeAddress", 200)
        self.note = _line("noticeNote", 200, self.tr("如：快递单号、通知情况"))
        self.party.currentIndexChanged.connect(self._party_changed)
        self.party.setCurrentIndex(resp)
        self._party_changed()
        self.error = _Error()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("制作、打印并记录送达"))
        self.ok_button.setObjectName("sendNotice")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("受送达人"), self.party)
        form.addRow(self.tr("送达方式"), self.method)
        form.addRow(self.tr("签收人"), self.recipient)
        form.addRow(self.tr("送达地址"), self.address)
        form.addRow(self.tr("备注"), self.note)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("通知书写明下一次预约的调解时间和调解室，并告知当事人可以拒绝调解（人民调解法第十七条）。")))
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _party_changed(self) -> None:
        i = self.party.currentIndex()
        if 0 <= i < len(self.parties):
            self.address.setText(self.parties[i].address or "")

    def submit(self) -> None:
        from hall.services import mediation, render

        i = self.party.currentIndex()
        if not 0 <= i < len(self.parties):
            self.error.show_text(self.tr("请选择受送达的当事人"))
            return
        p = self.parties[i]
        host = self.host
        db, actor, cid = host.db, host.actor, host.detail.case.id
        method, recipient = self.method.currentData(), self.recipient.text().strip() or None
        address, note = self.address.text().strip(), self.note.text().strip()
        side = p.side if p.side in (Side.APPLICANT.value, Side.RESPONDENT.value) else "respondent"
        self.ok_button.setEnabled(False)

        def make():
            doc = render.render_document(db, actor, "mediation_attendance_notice", case_id=cid, side=side)
            return doc

        def printed(doc) -> None:
            result = host.agreement.printer.print_pdf(doc.data, self, self.tr("调解通知书-{name}").replace("{name}", p.name))
            if result.outcome == "failed":
                self.error.show_text(result.message)
                self.ok_button.setEnabled(True)
                return
            Op(self, lambda: render.log_print(db, actor, doc.document_id)).run()
            Op(self, lambda: mediation.serve_document(
                db, actor, cid, party_id=p.id, document_kind="attendance_notice", document_id=doc.document_id,
                method=method, recipient=recipient, address=address, note=note)) \
                .success(done).failure(failed).run()

        def done(record) -> None:
            self.served.emit(record)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.error.show_text(error_text(exc))
            self.ok_button.setEnabled(True)

        Op(self, make).success(printed).failure(failed).run()
