"""办理: the clerk's inline forms for a case, and 新建收件 for a new application.

Every action is one service call run off the UI thread; a refusal is shown
under its own form in the service's Chinese sentence, never in a dialog.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hall.domain.arbitration import CLAIM_KINDS, COSTS_SENTENCE, RECUSAL_GROUNDS
from hall.domain.clock import local_day, to_local
from hall.services import arbitration as arb
from hall.services.arbitration import CaseDetail
from ui.common import palette
from ui.common.casework import empty_layout
from ui.common.deadlines import cn_day, from_qdate, to_qdate
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

if TYPE_CHECKING:
    from hall.services import Actor
    from hall.services.database import Database


def _local(moment: dt.datetime) -> str:
    return f"{to_local(moment):%Y-%m-%d %H:%M}"


class InlineError(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "inlineError")
        self.setStyleSheet(palette.style("color: {overdue};"))
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class ClaimsEditor(QWidget):
    """仲裁请求: a few rows of kind, description and amount; empty rows are left out."""

    def __init__(self, rows: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        g = QGridLayout(self)
        g.setContentsMargins(0, 0, 0, 0)
        self.rows: list[tuple[QComboBox, QLineEdit, QLineEdit]] = []
        for i in range(rows):
            kind = QComboBox(self)
            for code, k in CLAIM_KINDS.items():
                kind.addItem(k.label, code)
            desc = QLineEdit(self)
            desc.setPlaceholderText(self.tr("第{n}项请求").replace("{n}", str(i + 1)))
            amount = QLineEdit(self)
            amount.setPlaceholderText(self.tr("金额（元）"))
            amount.setMaximumWidth(110)
            g.addWidget(kind, i, 0)
            g.addWidget(desc, i, 1)
            g.addWidget(amount, i, 2)
            self.rows.append((kind, desc, amount))

    def set_claims(self, claims: list) -> None:
        for i, (kind, desc, amount) in enumerate(self.rows):
            c = claims[i] if i < len(claims) else {}
            kind.setCurrentIndex(max(0, kind.findData(c.get("kind", "remuneration"))))
            desc.setText(c.get("description") or "")
            amount.setText("" if c.get("amount") in (None, "") else str(c.get("amount")))

    def claims(self) -> list[dict]:
        out = []
        for kind, desc, amount in self.rows:
            if not desc.text().strip():
                continue
            item: dict[str, Any] = {"kind": kind.currentData(), "description": desc.text().strip()}
            if amount.text().strip():
                item["amount"] = amount.text().strip()
            out.append(item)
        return out


def _card(title: str, parent: QWidget) -> tuple[QFrame, QFormLayout]:
    box = QFrame(parent)
    box.setObjectName("formCard")
    v = QVBoxLayout(box)
    v.setContentsMargins(12, 10, 12, 10)
    cap = QLabel(title, box)
    cap.setObjectName("caption")
    v.addWidget(cap)
    form = QFormLayout()
    v.addLayout(form)
    return box, form


# ====================================================================== 新建收件
class ReceiveForm(QFrame):
    """收件: the application's parties and claims; what is missing is listed at once."""

    received = Signal(object)   # ReceiptView

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("receiveForm")
        form = QFormLayout(self)
        cap = QLabel(self.tr("新建收件"), self)
        cap.setObjectName("caption")
        form.addRow(cap)

        def edit(name: str) -> QLineEdit:
            e = QLineEdit(self)
            e.setObjectName(name)
            return e
        self.worker_name = edit("workerName")
        self.worker_id = edit("workerId")
        self.worker_phone = edit("workerPhone")
        self.worker_address = edit("workerAddress")
        self.employer_name = edit("employerName")
        self.employer_address = edit("employerAddress")
        self.employer_rep = edit("employerRep")
        self.worker_occupation = edit("workerOccupation")
        self.worker_mailing = edit("workerMailing")
        self.worker_mailing.setPlaceholderText(self.tr("与住所相同可不填"))
        self.employer_rep_title = edit("employerRepTitle")
        self.employer_rep_title.setPlaceholderText(self.tr("如：厂长、总经理"))
        self.evidence = QTextEdit(self)
        self.evidence.setObjectName("evidence")
        self.evidence.setMaximumHeight(54)
        self.evidence.setPlaceholderText(self.tr("每行一项：证据名称；来源（如：工资条；申请人保存）"))
        self.oral = QCheckBox(self.tr("口头申请（本委记入笔录，第二十八条）"), self)
        self.oral.setObjectName("oralApplication")
        self.claims = ClaimsEditor(3, self)
        self.facts = QTextEdit(self)
        self.facts.setObjectName("facts")
        self.facts.setMaximumHeight(60)
        form.addRow(self.tr("劳动者姓名"), self.worker_name)
        form.addRow(self.tr("公民身份号码"), self.worker_id)
        form.addRow(self.tr("联系电话"), self.worker_phone)
        form.addRow(self.tr("职业"), self.worker_occupation)
        form.addRow(self.tr("住所"), self.worker_address)
        form.addRow(self.tr("通讯地址"), self.worker_mailing)
        form.addRow(self.tr("用人单位名称"), self.employer_name)
        form.addRow(self.tr("单位住所"), self.employer_address)
        form.addRow(self.tr("法定代表人"), self.employer_rep)
        form.addRow(self.tr("职务"), self.employer_rep_title)
        form.addRow(self.tr("仲裁请求"), self.claims)
        form.addRow(self.tr("事实与理由"), self.facts)
        form.addRow(self.tr("证据和来源"), self.evidence)
        form.addRow(self.oral)
        self.receive_button = QPushButton(self.tr("收件并出具回执"), self)
        self.receive_button.setObjectName("receiveButton")
        self.receive_button.clicked.connect(self.receive)
        form.addRow(self.receive_button)
        self.error = InlineError("receiveError", self)
        self.result = QLabel(self)
        self.result.setObjectName("receiveResult")
        self.result.setWordWrap(True)
        self.missing = QLabel(self)
        self.missing.setObjectName("missingItems")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(palette.style("color: {warning};"))
        self.missing.hide()
        form.addRow(self.error)
        form.addRow(self.result)
        form.addRow(self.missing)

    def application(self) -> dict:
        data = {"worker_name": self.worker_name.text().strip(), "worker_id_number": self.worker_id.text().strip(),
                "worker_phone": self.worker_phone.text().strip(),
                "worker_address": self.worker_address.text().strip(),
                "worker_mailing_address": self.worker_address.text().strip(),
                "employer_name": self.employer_name.text().strip(),
                "worker_employer": self.employer_name.text().strip(),
                "employer_address": self.employer_address.text().strip(),
                "employer_legal_rep": self.employer_rep.text().strip(),
                "worker_occupation": self.worker_occupation.text().strip(),
                "employer_legal_rep_title": self.employer_rep_title.text().strip(),
                "evidence": evidence_lines(self.evidence.toPlainText()),
                "claims": self.claims.claims(), "facts_reasons": self.facts.toPlainText().strip()}
        if self.worker_mailing.text().strip():
            data["worker_mailing_address"] = self.worker_mailing.text().strip()
        return {k: v for k, v in data.items() if v not in ("", [])}

    def receive(self) -> None:
        data = self.application()
        db, actor = self.db, self.ctx.actor
        self.error.say("")
        self.receive_button.setEnabled(False)
        channel = "oral" if self.oral.isChecked() else "written"
        Op(self, lambda: arb.receive_application(db, actor, data, channel=channel)).success(self._done) \
            .failure(lambda exc: self.error.say(user_message(exc)[1])) \
            .finally_(lambda: self.receive_button.setEnabled(True)).run()

    def _done(self, r) -> None:
        self.result.setText(self.tr("已收件：{no}，申请人 {a}，被申请人 {r}。受理决定期限至{due}。")
                            .replace("{no}", r.receipt_number).replace("{a}", r.applicant)
                            .replace("{r}", r.respondent).replace("{due}", cn_day(r.acceptance_due)))
        if r.missing_items:
            self.missing.setText(self.tr("需一次性告知补正：") + "；".join(
                f"{i + 1}. {m}" for i, m in enumerate(r.missing_items)))
            self.missing.show()
        else:
            self.missing.hide()
        for e in (self.worker_name, self.worker_id, self.worker_phone, self.worker_address, self.employer_name,
                  self.employer_address, self.employer_rep, self.worker_occupation, self.worker_mailing,
                  self.employer_rep_title):
            e.clear()
        self.claims.set_claims([])
        self.facts.clear()
        self.evidence.clear()
        self.oral.setChecked(False)
        self.received.emit(r)


def evidence_lines(text: str) -> list[dict]:
    """``工资条；申请人保存`` per line → [{name, source}] (第二十八条: evidence and its source)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("；", ";", "，", ","):
            if sep in line:
                name, source = line.split(sep, 1)
                break
        else:
            name, source = line, ""
        item = {"name": name.strip()}
        if source.strip():
            item["source"] = source.strip()
        out.append(item)
    return out


# ====================================================================== case actions
class CaseActions(QScrollArea):
    """办理: every step of a case as an inline form."""

    done = Signal(str)   # a confirmation for the case view's strip; the view reloads

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.detail: CaseDetail | None = None
        self.setObjectName("caseActions")
        self.setWidgetResizable(True)
        body = QWidget(self)
        v = QVBoxLayout(body)
        self.setWidget(body)

        # -- 受理 / 不予受理
        self.decide_box, f = _card(self.tr("受理决定"), body)
        self.accept_button = QPushButton(self.tr("受理"), self.decide_box)
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.clicked.connect(self.accept)
        self.refuse_reasons = QLineEdit(self.decide_box)
        self.refuse_reasons.setObjectName("refuseReasons")
        self.refuse_reasons.setPlaceholderText(self.tr("不予受理的理由"))
        self.refuse_button = QPushButton(self.tr("不予受理"), self.decide_box)
        self.refuse_button.setObjectName("refuseButton")
        self.refuse_button.clicked.connect(self.refuse)
        self.decide_error = InlineError("decideError", self.decide_box)
        f.addRow(self.accept_button)
        f.addRow(self.tr("理由"), self.refuse_reasons)
        f.addRow(self.refuse_button)
        f.addRow(self.decide_error)

        # -- 补正
        self.supplement_box, f = _card(self.tr("补正申请材料"), body)
        self.sup_missing = QLabel(self.supplement_box)
        self.sup_missing.setObjectName("supplementMissing")
        self.sup_missing.setWordWrap(True)
        self.sup_occupation = QLineEdit(self.supplement_box)
        self.sup_occupation.setObjectName("supplementOccupation")
        self.sup_mailing = QLineEdit(self.supplement_box)
        self.sup_mailing.setObjectName("supplementMailing")
        self.sup_rep_title = QLineEdit(self.supplement_box)
        self.sup_rep_title.setObjectName("supplementRepTitle")
        self.sup_evidence = QTextEdit(self.supplement_box)
        self.sup_evidence.setObjectName("supplementEvidence")
        self.sup_evidence.setMaximumHeight(54)
        self.sup_evidence.setPlaceholderText(self.tr("每行一项：证据名称；来源（替换原有证据清单）"))
        self.sup_button = QPushButton(self.tr("登记补正"), self.supplement_box)
        self.sup_button.setObjectName("supplementButton")
        self.sup_button.clicked.connect(self.supplement)
        self.sup_error = InlineError("supplementError", self.supplement_box)
        f.addRow(self.sup_missing)
        f.addRow(self.tr("劳动者职业"), self.sup_occupation)
        f.addRow(self.tr("通讯地址"), self.sup_mailing)
        f.addRow(self.tr("法定代表人职务"), self.sup_rep_title)
        f.addRow(self.tr("证据和来源"), self.sup_evidence)
        f.addRow(self.sup_button)
        f.addRow(self.sup_error)

        # -- 收到答辩书
        self.defence_box, f = _card(self.tr("收到答辩书"), body)
        self.def_summary = QTextEdit(self.defence_box)
        self.def_summary.setObjectName("defenceSummary")
        self.def_summary.setMaximumHeight(54)
        self.def_summary.setPlaceholderText(self.tr("答辩要点"))
        self.def_button = QPushButton(self.tr("登记收到答辩书"), self.defence_box)
        self.def_button.setObjectName("defenceButton")
        self.def_button.clicked.connect(self.record_defence)
        self.def_error = InlineError("defenceError", self.defence_box)
        f.addRow(self.tr("答辩要点"), self.def_summary)
        f.addRow(self.def_button)
        f.addRow(self.def_error)

        # -- 组成仲裁庭
        self.tribunal_box, f = _card(self.tr("组成仲裁庭（第三十一条）"), body)
        self.trib_sole = QCheckBox(self.tr("独任仲裁（简易处理）"), self.tribunal_box)
        self.trib_sole.setObjectName("tribunalSole")
        self.trib_presiding = QLineEdit(self.tribunal_box)
        self.trib_presiding.setObjectName("tribunalPresiding")
        self.trib_member1 = QLineEdit(self.tribunal_box)
        self.trib_member1.setObjectName("tribunalMember1")
        self.trib_member2 = QLineEdit(self.tribunal_box)
        self.trib_member2.setObjectName("tribunalMember2")
        self.trib_ground = QComboBox(self.tribunal_box)
        self.trib_ground.setObjectName("tribunalGround")
        self.trib_ground.addItem(self.tr("事实清楚、权利义务关系明确、争议不大"), "facts")
        self.trib_ground.addItem(self.tr("双方当事人同意简易处理"), "agree")
        self.trib_ground.addItem(self.tr("标的额不超过上年度职工年平均工资"), "amount")
        self.trib_button = QPushButton(self.tr("组成仲裁庭"), self.tribunal_box)
        self.trib_button.setObjectName("tribunalButton")
        self.trib_button.clicked.connect(self.form_tribunal)
        self.trib_error = InlineError("tribunalError", self.tribunal_box)
        self.trib_sole.toggled.connect(self._sole_toggled)
        f.addRow(self.trib_sole)
        f.addRow(self.tr("首席仲裁员 / 独任仲裁员"), self.trib_presiding)
        f.addRow(self.tr("仲裁员"), self.trib_member1)
        f.addRow(self.tr("仲裁员"), self.trib_member2)
        f.addRow(self.tr("简易处理依据"), self.trib_ground)
        f.addRow(self.trib_button)
        f.addRow(self.trib_error)
        self._sole_toggled(False)

        # -- 仲裁员回避（第三十三条）
        self.recusal_box, f = _card(self.tr("仲裁员回避（第三十三条）"), body)
        self.rc_member = QComboBox(self.recusal_box)
        self.rc_member.setObjectName("recusalMember")
        self.rc_ground = QComboBox(self.recusal_box)
        self.rc_ground.setObjectName("recusalGround")
        for code, g in RECUSAL_GROUNDS.items():
            self.rc_ground.addItem(g.text, code)
        self.rc_by = QComboBox(self.recusal_box)
        self.rc_by.setObjectName("recusalBy")
        for code, label in (("respondent", self.tr("被申请人")), ("applicant", self.tr("申请人")),
                            ("arbitrator", self.tr("仲裁员本人"))):
            self.rc_by.addItem(label, code)
        self.rc_apply = QPushButton(self.tr("登记回避申请"), self.recusal_box)
        self.rc_apply.setObjectName("recusalApply")
        self.rc_apply.clicked.connect(self.apply_recusal)
        self.rc_granted = QCheckBox(self.tr("回避申请成立"), self.recusal_box)
        self.rc_granted.setObjectName("recusalGranted")
        self.rc_granted.setChecked(True)
        self.rc_decided_by = QLineEdit(self.recusal_box)
        self.rc_decided_by.setObjectName("recusalDecidedBy")
        self.rc_reason = QLineEdit(self.recusal_box)
        self.rc_reason.setObjectName("recusalReason")
        self.rc_replacement = QLineEdit(self.recusal_box)
        self.rc_replacement.setObjectName("recusalReplacement")
        self.rc_decide = QPushButton(self.tr("作出回避决定"), self.recusal_box)
        self.rc_decide.setObjectName("recusalDecide")
        self.rc_decide.clicked.connect(self.decide_recusal)
        self.rc_error = InlineError("recusalError", self.recusal_box)
        f.addRow(self.tr("被申请回避的仲裁员"), self.rc_member)
        f.addRow(self.tr("回避事由"), self.rc_ground)
        f.addRow(self.tr("申请人"), self.rc_by)
        f.addRow(self.rc_apply)
        f.addRow(self.rc_granted)
        f.addRow(self.tr("决定人（仲裁委员会主任）"), self.rc_decided_by)
        f.addRow(self.tr("决定理由"), self.rc_reason)
        f.addRow(self.tr("替换的仲裁员"), self.rc_replacement)
        f.addRow(self.rc_decide)
        f.addRow(self.rc_error)

        # -- 延期开庭
        self.postpone_box, f = _card(self.tr("延期开庭"), body)
        self.pp_hearing = QComboBox(self.postpone_box)
        self.pp_hearing.setObjectName("postponeHearing")
        self.pp_by = QComboBox(self.postpone_box)
        self.pp_by.setObjectName("postponeBy")
        for code, label in (("applicant", self.tr("申请人")), ("respondent", self.tr("被申请人")),
                            ("tribunal", self.tr("仲裁庭"))):
            self.pp_by.addItem(label, code)
        self.pp_reason = QLineEdit(self.postpone_box)
        self.pp_reason.setObjectName("postponeReason")
        self.pp_date = QDateEdit(self.postpone_box)
        self.pp_date.setObjectName("postponeDate")
        self.pp_date.setCalendarPopup(True)
        self.pp_date.setDisplayFormat("yyyy-MM-dd")
        self.pp_button = QPushButton(self.tr("准许延期（另行通知）"), self.postpone_box)
        self.pp_button.setObjectName("postponeButton")
        self.pp_button.clicked.connect(self.postpone)
        self.pp_error = InlineError("postponeError", self.postpone_box)
        f.addRow(self.tr("开庭"), self.pp_hearing)
        f.addRow(self.tr("请求人"), self.pp_by)
        f.addRow(self.tr("理由"), self.pp_reason)
        f.addRow(self.tr("请求日期"), self.pp_date)
        f.addRow(self.pp_button)
        f.addRow(self.pp_error)

        # -- 庭审笔录
        self.record_box, f = _card(self.tr("庭审笔录"), body)
        self.rec_hearing = QComboBox(self.record_box)
        self.rec_hearing.setObjectName("recordHearing")
        self.rec_text = QTextEdit(self.record_box)
        self.rec_text.setObjectName("recordText")
        self.rec_text.setMaximumHeight(90)
        presence = QHBoxLayout()
        self.rec_applicant = QCheckBox(self.tr("申请人到庭"), self.record_box)
        self.rec_applicant.setChecked(True)
        self.rec_respondent = QCheckBox(self.tr("被申请人到庭"), self.record_box)
        self.rec_respondent.setChecked(True)
        presence.addWidget(self.rec_applicant)
        presence.addWidget(self.rec_respondent)
        self.rec_button = QPushButton(self.tr("保存庭审笔录"), self.record_box)
        self.rec_button.setObjectName("recordButton")
        self.rec_button.clicked.connect(self.record)
        self.rec_error = InlineError("recordError", self.record_box)
        f.addRow(self.tr("开庭"), self.rec_hearing)
        f.addRow(self.tr("笔录"), self.rec_text)
        f.addRow(presence)
        f.addRow(self.rec_button)
        f.addRow(self.rec_error)

        # -- 变更请求
        self.claims_box, f = _card(self.tr("变更仲裁请求"), body)
        self.new_claims = ClaimsEditor(4, self.claims_box)
        self.claims_button = QPushButton(self.tr("变更请求（审理期限重新计算）"), self.claims_box)
        self.claims_button.setObjectName("changeClaimsButton")
        self.claims_button.clicked.connect(self.change_claims)
        self.claims_error = InlineError("claimsError", self.claims_box)
        self.claims_result = QLabel(self.claims_box)
        self.claims_result.setObjectName("claimsResult")
        self.claims_result.setWordWrap(True)
        f.addRow(self.new_claims)
        f.addRow(self.claims_button)
        f.addRow(self.claims_error)
        f.addRow(self.claims_result)

        # -- 延长审限
        self.extend_box, f = _card(self.tr("延长审理期限（十五日，限一次）"), body)
        self.ext_by = QLineEdit(self.extend_box)
        self.ext_by.setObjectName("extendApprovedBy")
        self.ext_reason = QLineEdit(self.extend_box)
        self.ext_reason.setObjectName("extendReason")
        self.ext_button = QPushButton(self.tr("延长审理期限"), self.extend_box)
        self.ext_button.setObjectName("extendButton")
        self.ext_button.clicked.connect(self.extend)
        self.ext_error = InlineError("extendError", self.extend_box)
        self.ext_result = QLabel(self.extend_box)
        self.ext_result.setObjectName("extendResult")
        f.addRow(self.tr("批准人"), self.ext_by)
        f.addRow(self.tr("理由"), self.ext_reason)
        f.addRow(self.ext_button)
        f.addRow(self.ext_error)
        f.addRow(self.ext_result)

        # -- 结案
        self.close_box, f = _card(self.tr("结案"), body)
        self.med_terms = QTextEdit(self.close_box)
        self.med_terms.setObjectName("mediationTerms")
        self.med_terms.setMaximumHeight(60)
        self.med_button = QPushButton(self.tr("制作仲裁调解书"), self.close_box)
        self.med_button.setObjectName("mediationButton")
        self.med_button.clicked.connect(self.mediate)
        f.addRow(self.tr("调解协议"), self.med_terms)
        f.addRow(self.med_button)
        self.award_result = QLineEdit(self.close_box)
        self.award_result.setObjectName("awardResult")
        self.award_result.setPlaceholderText(self.tr("终局与非终局事项分别裁决时，逐项填写本项结果"))
        self.award_facts = QTextEdit(self.close_box)
        self.award_facts.setObjectName("awardFacts")
        self.award_facts.setMaximumHeight(60)
        self.award_costs = QLineEdit(COSTS_SENTENCE, self.close_box)
        self.award_costs.setObjectName("awardCosts")
        self.award_default = QCheckBox(self.tr("缺席裁决（被申请人经书面通知无正当理由拒不到庭）"), self.close_box)
        self.award_default.setObjectName("awardDefault")
        self.award_missing = QLabel(self.close_box)
        self.award_missing.setObjectName("awardMissing")
        self.award_missing.setWordWrap(True)
        self.award_missing.setStyleSheet(palette.style("color: {warning};"))
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(300)
        self._preview_timer.timeout.connect(self.preview_award)
        self.award_reasons = QTextEdit(self.close_box)
        self.award_reasons.setObjectName("awardReasons")
        self.award_reasons.setMaximumHeight(60)
        self.award_items = QWidget(self.close_box)
        self.award_grid = QGridLayout(self.award_items)
        self.award_grid.setContentsMargins(0, 0, 0, 0)
        self.award_rows: list[tuple[QLineEdit, QLineEdit]] = []
        self._award_claims: list = []
        self.award_button = QPushButton(self.tr("作出裁决"), self.close_box)
        self.award_button.setObjectName("awardButton")
        self.award_button.clicked.connect(self.award)
        self.classification = QLabel(self.close_box)
        self.classification.setObjectName("classification")
        self.classification.setWordWrap(True)
        f.addRow(self.tr("经审理查明"), self.award_facts)
        f.addRow(self.tr("裁决理由"), self.award_reasons)
        f.addRow(self.tr("裁决结果"), self.award_result)
        f.addRow(self.tr("逐项裁决"), self.award_items)
        f.addRow(self.tr("仲裁费用"), self.award_costs)
        f.addRow(self.award_default)
        f.addRow(self.award_missing)
        f.addRow(self.award_button)
        f.addRow(self.classification)
        for w in (self.award_result, self.award_costs):
            w.textChanged.connect(self._award_changed)
        for text in (self.award_facts, self.award_reasons):
            text.textChanged.connect(self._award_changed)
        self.wd_reason = QLineEdit(self.close_box)
        self.wd_reason.setObjectName("withdrawReason")
        self.wd_button = QPushButton(self.tr("撤回仲裁申请"), self.close_box)
        self.wd_button.setObjectName("withdrawButton")
        self.wd_button.clicked.connect(self.withdraw)
        f.addRow(self.tr("撤回理由"), self.wd_reason)
        f.addRow(self.wd_button)
        self.dw_hearing = QComboBox(self.close_box)
        self.dw_hearing.setObjectName("deemedHearing")
        self.dw_button = QPushButton(self.tr("视为撤回仲裁申请（申请人经书面通知无正当理由拒不到庭）"), self.close_box)
        self.dw_button.setObjectName("deemedButton")
        self.dw_button.clicked.connect(self.deem_withdrawn)
        f.addRow(self.tr("缺席的开庭"), self.dw_hearing)
        f.addRow(self.dw_button)
        self.archive_button = QPushButton(self.tr("结案归档"), self.close_box)
        self.archive_button.setObjectName("archiveButton")
        self.archive_button.clicked.connect(self.archive)
        f.addRow(self.archive_button)
        self.close_error = InlineError("closeError", self.close_box)
        f.addRow(self.close_error)

        for box in (self.decide_box, self.supplement_box, self.defence_box, self.tribunal_box, self.recusal_box,
                    self.postpone_box, self.record_box, self.claims_box, self.extend_box, self.close_box):
            v.addWidget(box)
        v.addStretch(1)

    # ------------------------------------------------------------ showing a case
    def set_detail(self, d: CaseDetail, first: bool) -> None:
        self.detail = d
        acts = set(d.allowed_actions)
        self.accept_button.setEnabled("accept" in acts)
        self.refuse_button.setEnabled("refuse" in acts)
        self.sup_button.setEnabled("supplement" in acts)
        self.sup_missing.setText((self.tr("待补正：") + "；".join(d.missing_items)) if d.missing_items
                                 else self.tr("申请材料齐备。"))
        self.def_button.setEnabled(d.defence_received_on is None and d.respondent_served_on is not None)
        self.trib_button.setEnabled("form_tribunal" in acts)
        self.rc_apply.setEnabled("apply_recusal" in acts)
        self.rc_decide.setEnabled("decide_recusal" in acts)
        keep = self.rc_member.currentText()
        self.rc_member.clear()
        for m in d.tribunal:
            self.rc_member.addItem(m.name, m.name)
        if keep and self.rc_member.findText(keep) >= 0:
            self.rc_member.setCurrentIndex(self.rc_member.findText(keep))
        keep = self.dw_hearing.currentData()
        self.dw_hearing.clear()
        for h in d.hearings:
            if h.state in ("scheduled", "held"):
                self.dw_hearing.addItem(_local(h.starts_at), h.id)
        if keep is not None and self.dw_hearing.findData(keep) >= 0:
            self.dw_hearing.setCurrentIndex(self.dw_hearing.findData(keep))
        self.dw_button.setEnabled("deem_withdrawn" in acts)
        self.award_button.setEnabled("award" in acts or "default_award" in acts)
        self.archive_button.setEnabled("close" in acts)
        scheduled = [h for h in d.hearings if h.state == "scheduled"]
        for combo in (self.pp_hearing, self.rec_hearing):
            keep = combo.currentData()
            combo.clear()
            for h in scheduled:
                combo.addItem(_local(h.starts_at), h.id)
            if keep is not None and combo.findData(keep) >= 0:
                combo.setCurrentIndex(combo.findData(keep))
        if first or [c.get("description") for c in d.claims] != self._award_claims:
            self._build_award_rows(d.claims)
        if d.classification:
            self._show_classification(d.classification)
        if first:
            self.pp_date.setDate(to_qdate(local_day(self.db.clock.now())))
            self.new_claims.set_claims(d.claims)
            self.classification.setText(self._classification_text(d.classification) if d.classification else "")
            for w in (self.decide_error, self.pp_error, self.rec_error, self.claims_error, self.ext_error,
                      self.close_error, self.sup_error, self.def_error, self.trib_error, self.rc_error):
                w.say("")
            self.award_missing.clear()
            self.claims_result.clear()
            self.ext_result.clear()

    def _build_award_rows(self, claims: list) -> None:
        """One row per claim: the amount decided and the result (kept across reloads while typing)."""
        self._award_claims = [c.get("description") for c in claims]
        empty_layout(self.award_grid)
        self.award_rows = []
        for i, c in enumerate(claims):
            label = QLabel(f"{i + 1}. {c.get('description') or ''}", self.award_items)
            amount = QLineEdit(self.award_items)
            amount.setPlaceholderText(self.tr("裁决金额（元）"))
            amount.setMaximumWidth(120)
            result = QLineEdit(self.award_items)
            result.setPlaceholderText(self.tr("本项结果，如：支持"))
            self.award_grid.addWidget(label, i, 0)
            self.award_grid.addWidget(amount, i, 1)
            self.award_grid.addWidget(result, i, 2)
            self.award_rows.append((amount, result))
            amount.textChanged.connect(self._award_changed)
            result.textChanged.connect(self._award_changed)

    def _classification_text(self, cls: dict) -> str:
        lines = [self.tr("裁决性质：{label}").replace("{label}", cls.get("label", ""))]
        for c in cls.get("claims", []):
            kind = self.tr("终局") if c.get("final") else self.tr("非终局")
            lines.append(f"{c.get('index')}. {c.get('description') or c.get('kind_label')}：{kind}"
                         f"（{c.get('reason') or ''}{c.get('basis') or ''}）")
        return "\n".join(lines)

    def _show_classification(self, cls: dict) -> None:
        self.classification.setText(self._classification_text(cls))

    # ------------------------------------------------------------ running
    def _run(self, fn: Callable[[], Any], error: InlineError, ok: Callable[[Any], str]) -> None:
        if self.detail is None:
            return
        error.say("")
        Op(self, fn).success(lambda res: self.done.emit(ok(res))) \
            .failure(lambda exc: error.say(user_message(exc)[1])).run()

    def _ids(self) -> tuple[Database, Actor, int]:
        """The database, the clerk and the case shown (each action first checks there is one)."""
        if self.detail is None:
            raise RuntimeError("no case is shown")
        return self.db, self.ctx.actor, self.detail.id

    def accept(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        self._run(lambda: arb.accept(db, actor, cid), self.decide_error,
                  lambda d: self.tr("已受理，案号{no}。").replace("{no}", d.number))

    def refuse(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        reasons = self.refuse_reasons.text().strip()
        self._run(lambda: arb.refuse(db, actor, cid, reasons), self.decide_error,
                  lambda d: self.tr("已决定不予受理，请制作不予受理通知书。"))

    def postpone(self) -> None:
        if self.detail is None:
            return
        hearing = self.pp_hearing.currentData()
        if hearing is None:
            self.pp_error.say(self.tr("本案没有待开庭的庭次。"))
            return
        db, actor, cid = self._ids()
        by, reason, day = self.pp_by.currentData(), self.pp_reason.text().strip(), from_qdate(self.pp_date.date())
        self._run(lambda: arb.postpone_hearing(db, actor, cid, hearing, requested_by=by, reason=reason,
                                               requested_on=day),
                  self.pp_error, lambda h: self.tr("已准许延期开庭，开庭时间另行通知。"))

    def record(self) -> None:
        if self.detail is None:
            return
        hearing = self.rec_hearing.currentData()
        if hearing is None:
            self.rec_error.say(self.tr("本案没有待开庭的庭次。"))
            return
        db, actor, cid = self._ids()
        text = self.rec_text.toPlainText().strip()
        a, r = self.rec_applicant.isChecked(), self.rec_respondent.isChecked()
        self._run(lambda: arb.record_hearing(db, actor, cid, hearing, record_text=text, applicant_present=a,
                                             respondent_present=r),
                  self.rec_error, lambda h: self.tr("已保存庭审笔录。"))

    def _award_due(self, d: CaseDetail) -> dt.date | None:
        rows = [x for x in d.deadlines if x.rule_code == "labour.award"]
        return rows[0].due_date if rows else None

    def change_claims(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        claims = self.new_claims.claims()

        def ok(d: CaseDetail) -> str:
            text = self.tr("已变更仲裁请求，审理期限重新计算，至{due}届满。").replace(
                "{due}", cn_day(self._award_due(d)))
            self.claims_result.setText(text)
            return text
        self._run(lambda: arb.change_claims(db, actor, cid, claims), self.claims_error, ok)

    def extend(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        by, reason = self.ext_by.text().strip(), self.ext_reason.text().strip()

        def ok(d: CaseDetail) -> str:
            text = self.tr("已延长审理期限十五日，至{due}届满。请书面通知当事人。").replace(
                "{due}", cn_day(self._award_due(d)))
            self.ext_result.setText(text)
            return text
        self._run(lambda: arb.extend_award_period(db, actor, cid, approved_by=by, reason=reason),
                  self.ext_error, ok)

    def mediate(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        terms = self.med_terms.toPlainText().strip()
        self._run(lambda: arb.close_by_mediation(db, actor, cid, terms=terms), self.close_error,
                  lambda d: self.tr("已制作仲裁调解书，双方签收后发生法律效力。"))

    def _award_input(self) -> dict:
        items = []
        for i, (amount, res) in enumerate(self.award_rows):
            if amount.text().strip() or res.text().strip():
                items.append({"index": i + 1, "awarded": amount.text().strip(), "result": res.text().strip()})
        return {"result": self.award_result.text().strip(), "reasons": self.award_reasons.toPlainText().strip(),
                "facts_found": self.award_facts.toPlainText().strip(), "costs": self.award_costs.text().strip(),
                "awarded": items}

    def _award_changed(self, *_args) -> None:
        self._preview_timer.start()

    def preview_award(self) -> None:
        """What the award still lacks (第四十六条) and how many documents it makes (第四十七条)."""
        if self.detail is None or not ({"award", "default_award"} & set(self.detail.allowed_actions)):
            return
        db, actor, cid = self._ids()
        data = self._award_input()

        def show(p) -> None:
            docs = "、".join(x["title"] for x in p.documents)
            text = self.tr("将制作：{docs}").replace("{docs}", docs)
            if p.missing:
                text += "\n" + self.tr("尚缺：") + "；".join(p.missing)
            self.award_missing.setText(text)
        Op(self, lambda: arb.preview_award(db, actor, cid, **data)).success(show) \
            .failure(lambda exc: self.award_missing.setText(user_message(exc)[1])).run()

    def award(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        data = self._award_input()
        default = self.award_default.isChecked()

        def ok(d: CaseDetail) -> str:
            self._show_classification(d.classification)
            docs = "、".join(x["title"] for x in d.award_parts.get("documents", []))
            return self.tr("已作出裁决：{label}。请生成{docs}并登记送达。").replace(
                "{label}", d.classification.get("label", "")).replace("{docs}", docs)
        self._run(lambda: arb.award(db, actor, cid, default=default, **data), self.close_error, ok)

    def supplement(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        changes: dict = {}
        for key, w in (("worker_occupation", self.sup_occupation), ("worker_mailing_address", self.sup_mailing),
                       ("employer_legal_rep_title", self.sup_rep_title)):
            if w.text().strip():
                changes[key] = w.text().strip()
        ev = evidence_lines(self.sup_evidence.toPlainText())
        if ev:
            changes["evidence"] = ev
        if not changes:
            self.sup_error.say(self.tr("请填写申请人补正的材料。"))
            return

        def ok(r) -> str:
            for w in (self.sup_occupation, self.sup_mailing, self.sup_rep_title):
                w.clear()
            self.sup_evidence.clear()
            if r.missing_items:
                return self.tr("已登记补正，仍需补正：") + "；".join(r.missing_items)
            return self.tr("申请材料已补正齐备，受理期限自今日重新起算，至{due}。").replace(
                "{due}", cn_day(r.acceptance_due))
        self._run(lambda: arb.supplement(db, actor, cid, changes), self.sup_error, ok)

    def record_defence(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        summary = self.def_summary.toPlainText().strip()
        self._run(lambda: arb.record_defence(db, actor, cid, summary=summary), self.def_error,
                  lambda d: self.tr("已登记收到答辩书，请于五日内将副本送达申请人（第三十条）。"))

    def _sole_toggled(self, sole: bool) -> None:
        self.trib_member1.setEnabled(not sole)
        self.trib_member2.setEnabled(not sole)
        self.trib_ground.setEnabled(sole)

    def form_tribunal(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        sole = self.trib_sole.isChecked()
        first = self.trib_presiding.text().strip()
        if sole:
            members = [{"name": first, "role": "sole"}]
        else:
            members = [{"name": first, "role": "presiding"},
                       {"name": self.trib_member1.text().strip(), "role": "member"},
                       {"name": self.trib_member2.text().strip(), "role": "member"}]
        ground = self.trib_ground.currentData()
        facts, agree = sole and ground == "facts", sole and ground == "agree"
        self._run(lambda: arb.form_tribunal(db, actor, cid, members, simplified=sole, facts_clear_and_minor=facts,
                                            both_parties_agree=agree), self.trib_error,
                  lambda d: self.tr("已组成仲裁庭，请于受理之日起五日内书面通知当事人（第三十二条）。"))

    def apply_recusal(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        member, ground, by = self.rc_member.currentData(), self.rc_ground.currentData(), self.rc_by.currentData()
        if not member:
            self.rc_error.say(self.tr("本案仲裁庭尚未组成。"))
            return
        self._run(lambda: arb.apply_recusal(db, actor, cid, member=member, ground=ground, applied_by=by),
                  self.rc_error, lambda d: self.tr("已登记对{m}的回避申请，请报仲裁委员会主任决定。").replace("{m}", member))

    def decide_recusal(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        member = self.rc_member.currentData()
        granted = self.rc_granted.isChecked()
        by, reason, new = (self.rc_decided_by.text().strip(), self.rc_reason.text().strip(),
                           self.rc_replacement.text().strip())
        self._run(lambda: arb.decide_recusal(db, actor, cid, member=member, granted=granted, decided_by=by,
                                             reason=reason, replacement=new),
                  self.rc_error, lambda d: self.tr("已作出回避决定，请生成回避决定书。"))

    def deem_withdrawn(self) -> None:
        if self.detail is None:
            return
        hearing = self.dw_hearing.currentData()
        if hearing is None:
            self.close_error.say(self.tr("本案没有可据以视为撤回的开庭。"))
            return
        db, actor, cid = self._ids()
        self._run(lambda: arb.deemed_withdrawn(db, actor, cid, hearing), self.close_error,
                  lambda d: self.tr("已视为撤回仲裁申请，请生成决定书。"))

    def archive(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        self._run(lambda: arb.close_case(db, actor, cid), self.close_error,
                  lambda d: self.tr("已结案归档。"))

    def withdraw(self) -> None:
        if self.detail is None:
            return
        db, actor, cid = self._ids()
        reason = self.wd_reason.text().strip()
        self._run(lambda: arb.withdraw(db, actor, cid, reason=reason), self.close_error,
                  lambda d: self.tr("申请人已撤回仲裁申请，本案期限停止计算，开庭已取消；请生成决定书。"))
