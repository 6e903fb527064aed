"""The petition window's workspace (《信访工作条例》): the clocks, registration of letters and
visits (group visits with at most five representatives, 第十九条、第二十条), and the
handling of the selected petition — the 15-day decision (受理 / 不予受理 / 转送,
第二十二条、第二十三条), handing it to a staff member (recusal, 第二十八条), the 60 (+30
with approval) days (第三十四条), the 处理意见书 (第三十二条), review and re-review
(第三十五条、第三十六条) and the letters, one click away.

A whistle-blower's identity (第三十条) is a permission: an account without
``petition.see_whistleblower`` sees the petition with the name removed, and the
services refuse the letters that would reveal it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hall.domain.petitions import DECISIONS, OPINION_OUTCOMES, VIAS
from hall.services import petitions as pet
from hall.services import render
from ui.common import palette
from ui.common.deadlines import cn_day
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.common.pdfview import PdfPreview
from ui.petitions.clocks import PetitionClockPanel
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
    translate,
)


def _people(text: str) -> list[dict]:
    """``姓名，住址，电话`` per line."""
    out = []
    for line in text.splitlines():
        parts = [x.strip() for x in line.replace(",", "，").split("，")]
        if not parts or not parts[0]:
            continue
        item = {"name": parts[0]}
        if len(parts) > 1 and parts[1]:
            item["address"] = parts[1]
        if len(parts) > 2 and parts[2]:
            item["phone"] = parts[2]
        out.append(item)
    return out


def _card(title: str, parent: QWidget) -> tuple[QFrame, QFormLayout]:
    box = QFrame(parent)
    box.setObjectName("formCard")
    f = QFormLayout(box)
    f.setContentsMargins(12, 10, 12, 10)
    cap = QLabel(title, box)
    cap.setObjectName("caption")
    f.addRow(cap)
    return box, f


class _Error(QLabel):
    def __init__(self, name: str, parent: QWidget):
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setStyleSheet(palette.style("color: {overdue};"))
        self.hide()

    def say(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class PetitionWorkspace(QWidget):
    """期限 / 登记 / 办理 of the petition window."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("petitionWorkspace")
        self.current: pet.PetitionView | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("petitionTabs")
        self.clocks = PetitionClockPanel(ctx, self)
        self.clocks.table.selectionModel().currentRowChanged.connect(self._clock_selected)
        self.tabs.addTab(self.clocks, self.tr("信访期限"))
        self.tabs.addTab(self._scroll(self._build_register()), self.tr("登记来信来访"))
        self.tabs.addTab(self._scroll(self._build_handling()), self.tr("办理"))
        self.preview = PdfPreview()
        self.tabs.addTab(self.preview, self.tr("文书预览"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
        self._enable()

    # the clock panel's interface, for the window desk
    @property
    def model(self):
        return self.clocks.model

    def refresh(self) -> None:
        self.clocks.refresh()

    @property
    def _on_events(self):
        """The clock panel's own handler (connected to the event feed by the panel itself)."""
        return self.clocks._on_events

    @staticmethod
    def _scroll(w: QWidget) -> QScrollArea:
        s = QScrollArea()
        s.setWidgetResizable(True)
        s.setFrameShape(QFrame.Shape.NoFrame)
        s.setWidget(w)
        return s

    # ------------------------------------------------------------ registration
    def _build_register(self) -> QWidget:
        body = QWidget()
        v = QVBoxLayout(body)
        box, f = _card(self.tr("登记信访事项（第十九条）"), body)
        self.reg_channel = QComboBox(box)
        self.reg_channel.setObjectName("petitionChannel")
        self.reg_channel.addItem(self.tr("书面（来信）"), "written")
        self.reg_channel.addItem(self.tr("口头（来访，工作人员记录）"), "oral")
        self.reg_via = QComboBox(box)
        self.reg_via.setObjectName("petitionVia")
        for code, name in VIAS.items():
            self.reg_via.addItem(name, code)
        self.reg_via.setCurrentIndex(self.reg_via.findData("letter"))
        self.reg_people = QTextEdit(box)
        self.reg_people.setObjectName("petitioners")
        self.reg_people.setMaximumHeight(54)
        self.reg_people.setPlaceholderText(self.tr("每行一人：姓名，住址，电话"))
        self.reg_group = QSpinBox(box)
        self.reg_group.setObjectName("groupSize")
        self.reg_group.setRange(1, 9999)
        self.reg_reps = QTextEdit(box)
        self.reg_reps.setObjectName("representatives")
        self.reg_reps.setMaximumHeight(70)
        self.reg_reps.setPlaceholderText(self.tr("多人走访推选的代表，每行一人，不超过五人（第二十条）"))
        self.reg_matter = QLineEdit(box)
        self.reg_matter.setObjectName("petitionMatter")
        self.reg_request = QLineEdit(box)
        self.reg_request.setObjectName("petitionRequest")
        self.reg_facts = QTextEdit(box)
        self.reg_facts.setObjectName("petitionFacts")
        self.reg_facts.setMaximumHeight(54)
        self.reg_reasons = QTextEdit(box)
        self.reg_reasons.setObjectName("petitionReasons")
        self.reg_reasons.setMaximumHeight(54)
        self.reg_whistle = QCheckBox(self.tr("检举、揭发、控告（第三十条：信访人身份保密）"), box)
        self.reg_whistle.setObjectName("whistleblower")
        self.reg_accused = QLineEdit(box)
        self.reg_accused.setObjectName("accusedPerson")
        self.reg_accused_unit = QLineEdit(box)
        self.reg_accused_unit.setObjectName("accusedUnit")
        self.reg_button = QPushButton(self.tr("登记"), box)
        self.reg_button.setObjectName("registerPetitionButton")
        self.reg_button.clicked.connect(self.register)
        self.reg_error = _Error("registerError", box)
        self.reg_result = QLabel(box)
        self.reg_result.setObjectName("registerResult")
        self.reg_result.setWordWrap(True)
        f.addRow(self.tr("形式"), self.reg_channel)
        f.addRow(self.tr("渠道"), self.reg_via)
        f.addRow(self.tr("信访人"), self.reg_people)
        f.addRow(self.tr("人数"), self.reg_group)
        f.addRow(self.tr("代表"), self.reg_reps)
        f.addRow(self.tr("事项类别"), self.reg_matter)
        f.addRow(self.tr("请求"), self.reg_request)
        f.addRow(self.tr("事实"), self.reg_facts)
        f.addRow(self.tr("理由"), self.reg_reasons)
        f.addRow(self.reg_whistle)
        f.addRow(self.tr("被检举人"), self.reg_accused)
        f.addRow(self.tr("被检举单位"), self.reg_accused_unit)
        f.addRow(self.reg_button)
        f.addRow(self.reg_error)
        f.addRow(self.reg_result)
        v.addWidget(box)
        v.addStretch(1)
        return body

    def register(self) -> None:
        people = _people(self.reg_people.toPlainText())
        reps = _people(self.reg_reps.toPlainText())
        if not people and not reps:
            self.reg_error.say(self.tr("请填写信访人的姓名、住址和联系方式（第十九条）。"))
            return
        data = {"channel": self.reg_channel.currentData(), "via": self.reg_via.currentData(),
                "petitioners": people or reps, "representatives": reps,
                "group_size": max(self.reg_group.value(), len(people), 1),
                "matter": self.reg_matter.text().strip(), "request": self.reg_request.text().strip(),
                "facts": self.reg_facts.toPlainText().strip(), "reasons": self.reg_reasons.toPlainText().strip()}
        if self.reg_whistle.isChecked():
            data.update(whistleblower=True, accused_person=self.reg_accused.text().strip(),
                        accused_unit=self.reg_accused_unit.text().strip())
        db, actor = self.db, self.ctx.actor
        self.reg_error.say("")

        def done(p: pet.PetitionView) -> None:
            due = next((d.due_date for d in p.deadlines if d.met_on is None), None)
            self.reg_result.setText(self.tr("已登记：{no}。应于{due}前作出受理决定并书面告知信访人（第二十二条）。")
                                    .replace("{no}", p.number).replace("{due}", cn_day(due)))
            for w in (self.reg_people, self.reg_reps, self.reg_facts, self.reg_reasons):
                w.clear()
            for line in (self.reg_matter, self.reg_request, self.reg_accused, self.reg_accused_unit):
                line.clear()
            self.reg_whistle.setChecked(False)
            self.reg_group.setValue(1)
            self._show(p)
            self.clocks.refresh()
        Op(self, lambda: pet.register_petition(db, actor, data)).success(done) \
            .failure(lambda exc: self.reg_error.say(user_message(exc)[1])).run()

    # ------------------------------------------------------------ handling
    def _build_handling(self) -> QWidget:
        body = QWidget()
        v = QVBoxLayout(body)
        self.title = QLabel(self.tr("在“信访期限”中选择信访事项，或登记新的信访事项"), body)
        self.title.setObjectName("petitionTitle")
        self.title.setWordWrap(True)
        v.addWidget(self.title)
        self.error = _Error("petitionError", body)
        self.result = QLabel(body)
        self.result.setObjectName("petitionResult")
        self.result.setWordWrap(True)
        v.addWidget(self.error)
        v.addWidget(self.result)

        box, f = _card(self.tr("受理决定（十五日内，第二十二条、第二十三条）"), body)
        self.dec_kind = QComboBox(box)
        self.dec_kind.setObjectName("decision")
        for code, name in DECISIONS.items():
            self.dec_kind.addItem(name, code)
        self.dec_reason = QLineEdit(box)
        self.dec_reason.setObjectName("decisionReason")
        self.dec_to = QLineEdit(box)
        self.dec_to.setObjectName("transferTo")
        self.dec_to.setPlaceholderText(self.tr("转送的有权处理机关、单位"))
        self.dec_button = QPushButton(self.tr("作出决定并书面告知"), box)
        self.dec_button.setObjectName("decideButton")
        self.dec_button.clicked.connect(self.decide)
        f.addRow(self.tr("决定"), self.dec_kind)
        f.addRow(self.tr("理由"), self.dec_reason)
        f.addRow(self.tr("转送至"), self.dec_to)
        f.addRow(self.dec_button)
        v.addWidget(box)

        box, f = _card(self.tr("交办与延期（第二十八条、第三十四条）"), body)
        self.handler = QLineEdit(box)
        self.handler.setObjectName("handlerName")
        self.interest = QLineEdit(box)
        self.interest.setObjectName("declaredInterest")
        self.interest.setPlaceholderText(self.tr("承办人与信访事项或者信访人有直接利害关系的，写明"))
        self.handle_button = QPushButton(self.tr("交由承办人办理"), box)
        self.handle_button.setObjectName("handleButton")
        self.handle_button.clicked.connect(self.handle)
        self.ext_by = QLineEdit(box)
        self.ext_by.setObjectName("extensionApprovedBy")
        self.ext_reason = QLineEdit(box)
        self.ext_reason.setObjectName("extensionReason")
        self.ext_button = QPushButton(self.tr("延长办理期限三十日并告知信访人"), box)
        self.ext_button.setObjectName("extendHandlingButton")
        self.ext_button.clicked.connect(self.extend)
        f.addRow(self.tr("承办人"), self.handler)
        f.addRow(self.tr("利害关系"), self.interest)
        f.addRow(self.handle_button)
        f.addRow(self.tr("批准人"), self.ext_by)
        f.addRow(self.tr("延期理由"), self.ext_reason)
        f.addRow(self.ext_button)
        v.addWidget(box)

        box, f = _card(self.tr("信访处理意见书（第三十二条）"), body)
        self.op_outcome = QComboBox(box)
        self.op_outcome.setObjectName("opinionOutcome")
        for code, o in OPINION_OUTCOMES.items():
            self.op_outcome.addItem(o.label, code.value)
        self.op_text = QTextEdit(box)
        self.op_text.setObjectName("opinionText")
        self.op_text.setMaximumHeight(60)
        self.op_basis = QLineEdit(box)
        self.op_basis.setObjectName("opinionBasis")
        self.op_button = QPushButton(self.tr("出具处理意见书"), box)
        self.op_button.setObjectName("opinionButton")
        self.op_button.clicked.connect(self.opinion)
        f.addRow(self.tr("处理结果"), self.op_outcome)
        f.addRow(self.tr("处理意见"), self.op_text)
        f.addRow(self.tr("法律法规依据"), self.op_basis)
        f.addRow(self.op_button)
        v.addWidget(box)

        box, f = _card(self.tr("复查与复核（第三十五条、第三十六条）"), body)
        self.rv_body = QLineEdit(box)
        self.rv_body.setObjectName("reviewBody")
        self.rv_text = QTextEdit(box)
        self.rv_text.setObjectName("reviewText")
        self.rv_text.setMaximumHeight(54)
        row = QHBoxLayout()
        self.rv_request = QPushButton(self.tr("登记复查请求"), box)
        self.rv_request.setObjectName("reviewRequestButton")
        self.rv_request.clicked.connect(lambda: self._review("request_review"))
        self.rv_answer = QPushButton(self.tr("出具复查意见"), box)
        self.rv_answer.setObjectName("reviewAnswerButton")
        self.rv_answer.clicked.connect(lambda: self._review("answer_review"))
        self.rr_request = QPushButton(self.tr("登记复核请求"), box)
        self.rr_request.setObjectName("rereviewRequestButton")
        self.rr_request.clicked.connect(lambda: self._review("request_rereview"))
        self.rr_answer = QPushButton(self.tr("出具复核意见"), box)
        self.rr_answer.setObjectName("rereviewAnswerButton")
        self.rr_answer.clicked.connect(lambda: self._review("answer_rereview"))
        for b in (self.rv_request, self.rv_answer, self.rr_request, self.rr_answer):
            row.addWidget(b)
        f.addRow(self.tr("复查（复核）机关"), self.rv_body)
        f.addRow(self.tr("复查（复核）意见"), self.rv_text)
        f.addRow(row)
        v.addWidget(box)

        box, f = _card(self.tr("文书与办结"), body)
        row = QHBoxLayout()
        self.doc_acceptance = QPushButton(self.tr("受理（转送）告知书"), box)
        self.doc_acceptance.setObjectName("acceptanceLetterButton")
        self.doc_acceptance.clicked.connect(lambda: self.document("petition_acceptance"))
        self.doc_opinion = QPushButton(self.tr("信访处理意见书"), box)
        self.doc_opinion.setObjectName("opinionLetterButton")
        self.doc_opinion.clicked.connect(lambda: self.document("petition_opinion"))
        self.close_button = QPushButton(self.tr("办结"), box)
        self.close_button.setObjectName("closePetitionButton")
        self.close_button.clicked.connect(self.close_petition)
        for b in (self.doc_acceptance, self.doc_opinion, self.close_button):
            row.addWidget(b)
        f.addRow(row)
        v.addWidget(box)
        v.addStretch(1)
        return body

    def _enable(self) -> None:
        """Each step only when the petition's procedure allows it now."""
        acts = set(self.current.allowed_actions) if self.current else set()
        for button, needed in ((self.dec_button, {"accept", "not_accept", "transfer"}), (self.handle_button, {"handle"}),
                               (self.ext_button, {"extend"}), (self.op_button, {"issue_opinion"}),
                               (self.rv_request, {"request_review"}), (self.rv_answer, {"answer_review"}),
                               (self.rr_request, {"request_rereview"}), (self.rr_answer, {"answer_rereview"}),
                               (self.close_button, {"close"})):
            button.setEnabled(bool(acts & needed))
        self.doc_acceptance.setEnabled(self.current is not None and bool(self.current.decision))
        self.doc_opinion.setEnabled(self.current is not None and bool(self.current.opinion_outcome))

    def _show(self, p: pet.PetitionView) -> None:
        self.current = p
        names = "、".join(x.get("name", "") for x in (p.representatives or p.petitioners)) or self.tr("（身份已隐去）")
        text = f"{p.number}  {translate('PetitionState', p.state_label)}  {names}  {p.request}"
        if p.whistleblower_redacted:
            text += "\n" + self.tr("检举人身份已隐去：当前账户无权查看（《信访工作条例》第三十条）。")
        self.title.setText(text)
        self._enable()

    def _clock_selected(self, current, _previous) -> None:
        if not current.isValid() or current.row() >= len(self.clocks.model.rows):
            return
        row = self.clocks.model.rows[current.row()][0]
        self.open(row.id)

    def open(self, petition_id: int) -> None:
        db, actor = self.db, self.ctx.actor
        Op(self, lambda: pet.petition_detail(db, actor, petition_id)).success(self._show) \
            .failure(lambda exc: self.error.say(user_message(exc)[1])).run()

    def _run(self, fn: Callable[[int], pet.PetitionView], ok: Callable[[pet.PetitionView], str]) -> None:
        """``fn(petition_id)`` on the petition shown, off the UI thread; ``ok(petition)`` says it is done."""
        if self.current is None:
            self.error.say(self.tr("请先选择信访事项。"))
            return
        self.error.say("")
        pid = self.current.id

        def done(p) -> None:
            self._show(p)
            self.result.setText(ok(p))
            self.clocks.refresh()
        Op(self, lambda: fn(pid)).success(done).failure(lambda exc: self.error.say(user_message(exc)[1])).run()

    def decide(self) -> None:
        db, actor = self.db, self.ctx.actor
        kind, reason, to = self.dec_kind.currentData(), self.dec_reason.text().strip(), self.dec_to.text().strip()
        today = self._today()
        self._run(lambda pid: pet.decide_acceptance(db, actor, pid, kind, reason=reason, transfer_to=to,
                                                    notified_on=today),
                  lambda p: self.tr("已作出决定：{d}。请生成告知书交信访人。").replace("{d}", DECISIONS[kind]))

    def handle(self) -> None:
        db, actor = self.db, self.ctx.actor
        name, interest = self.handler.text().strip(), self.interest.text().strip()
        self._run(lambda pid: pet.handle(db, actor, pid, handler_name=name, declared_interest=interest),
                  lambda p: self.tr("已交由{n}办理。").replace("{n}", p.handler_name))

    def extend(self) -> None:
        db, actor = self.db, self.ctx.actor
        by, reason = self.ext_by.text().strip(), self.ext_reason.text().strip()
        today = self._today()
        self._run(lambda pid: pet.extend_handling(db, actor, pid, approved_by=by, reason=reason, notified_on=today),
                  lambda p: self.tr("已延长办理期限三十日，并告知信访人延期理由。"))

    def opinion(self) -> None:
        db, actor = self.db, self.ctx.actor
        outcome, text, basis = self.op_outcome.currentData(), self.op_text.toPlainText().strip(), \
            self.op_basis.text().strip()
        self._run(lambda pid: pet.issue_opinion(db, actor, pid, outcome=outcome, text=text, basis=basis),
                  lambda p: self.tr("已出具处理意见书；信访人可自收到之日起三十日内请求复查（第三十五条）。"))

    def _review(self, action: str) -> None:
        db, actor = self.db, self.ctx.actor
        body, text = self.rv_body.text().strip(), self.rv_text.toPlainText().strip()
        calls = {
            "request_review": lambda pid: pet.request_review(db, actor, pid, body=body),
            "answer_review": lambda pid: pet.answer_review(db, actor, pid, text=text),
            "request_rereview": lambda pid: pet.request_rereview(db, actor, pid, body=body),
            "answer_rereview": lambda pid: pet.answer_rereview(db, actor, pid, text=text),
        }
        done = {"request_review": self.tr("已登记复查请求，应于三十日内提出复查意见。"),
                "answer_review": self.tr("已出具复查意见；信访人可于三十日内请求复核。"),
                "request_rereview": self.tr("已登记复核请求，应于三十日内提出复核意见。"),
                "answer_rereview": self.tr("已出具复核意见。")}[action]
        self._run(calls[action], lambda p: done)

    def close_petition(self) -> None:
        db, actor = self.db, self.ctx.actor
        self._run(lambda pid: pet.close_petition(db, actor, pid), lambda p: self.tr("信访事项已办结。"))

    def document(self, kind: str) -> None:
        if self.current is None:
            return
        db, actor, pid = self.db, self.ctx.actor, self.current.id
        self.error.say("")

        def shown(doc) -> None:
            self.preview.set_pdf(bytes(doc.data))
            self.result.setText(self.tr("已生成并登记：{t}").replace("{t}", doc.title))
            self.tabs.setCurrentWidget(self.preview)
        Op(self, lambda: render.render_document(db, actor, kind, case_id=pid, fmt="pdf")).success(shown) \
            .failure(lambda exc: self.error.say(user_message(exc)[1])).run()

    def _today(self) -> dt.date:
        from hall.domain.clock import local_day

        return local_day(self.db.clock.now())

