"""调解记录: the sitting in the room — who takes part, how each was identified,
their consent to recording, and the minutes (调解笔录) with autosave.

Recording (《人民法院在线调解规则》第二十二条) needs the consent of everyone
present, late joiners included: 开始录像 stays disabled, with the names of
those who have not consented, until all present have. The service refuses
it as well; the button only says so earlier.

The minutes follow ``MINUTES_FIELDS``. They are saved about two seconds
after typing stops and when an editor loses the focus (``save_minutes`` is
idempotent). A save from an editor that started from an older version is a
conflict: it is shown in the status line and the typed text stays where it
is, with the choice to keep it (save over) or load the newer version.
"""
from __future__ import annotations

from hall.domain.cases import MINUTES_FIELDS, IdentityMethod, ParticipantRole, Presence, SessionMode, SessionOutcome
from hall.services import Conflict, mediation
from hall.services.cases import CaseDetail, ParticipantView, SessionView
from ui.common.casework import (
    VScroll,
    card,
    empty_layout,
    error_text,
    hm,
    hms,
    hrow,
    panes,
    set_status,
    status_line,
    table,
    ymd_hm,
)
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

AUTOSAVE_MS = 2000
#: Participants shown without scrolling; the minutes editor is never lower than this.
PEOPLE_ROWS = 6
MINUTES_MIN_HEIGHT = 300

#: Minutes headings, translatable (the keys are ``MINUTES_FIELDS``'s).
MINUTES_LABELS = {
    "subject": QT_TRANSLATE_NOOP("Minutes", "事由"),
    "place": QT_TRANSLATE_NOOP("Minutes", "地点"),
    "rights_notice": QT_TRANSLATE_NOOP("Minutes", "告知当事人权利义务（调解员）"),
    "rights_answer": QT_TRANSLATE_NOOP("Minutes", "当事人对权利义务告知的表示"),
    "principles": QT_TRANSLATE_NOOP("Minutes", "调解原则及参加人员"),
    "statements": QT_TRANSLATE_NOOP("Minutes", "各方当事人陈述"),
    "fact_check": QT_TRANSLATE_NOOP("Minutes", "核实纠纷事实"),
    "risk_warning": QT_TRANSLATE_NOOP("Minutes", "风险提示"),
    "agreement": QT_TRANSLATE_NOOP("Minutes", "达成协议的内容"),
    "failure_reason": QT_TRANSLATE_NOOP("Minutes", "调解不成的原因"),
    "next_routes": QT_TRANSLATE_NOOP("Minutes", "后续途径"),
    "read_back": QT_TRANSLATE_NOOP("Minutes", "笔录已向当事人宣读/交其阅看"),
}
#: Short fields get a smaller editor.
_SHORT = {"subject", "place", "read_back"}


def _consent_text(p: ParticipantView) -> str:
    if p.consent_to_recording is None:
        return translate("SessionTab", "未询问")
    return translate("SessionTab", "同意") if p.consent_to_recording else translate("SessionTab", "不同意")


# ------------------------------------------------------------------ joining
class JoinDialog(QDialog):
    """加入调解: who joins, on site or remote (where, and how identified), and
    their answer about recording if already asked."""

    def __init__(self, detail: CaseDetail, me_user_id: int, me_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("加入调解"))
        self.detail = detail
        self.me = (me_user_id, me_name)
        self.role_box = QComboBox()
        self.role_box.setObjectName("joinRole")
        for r in ParticipantRole:
            self.role_box.addItem(translate("ParticipantRole", r.label), r.value)
        self.person_box = QComboBox()
        self.person_box.setObjectName("joinPerson")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("joinName")
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText(self.tr("姓名"))
        self.presence_box = QComboBox()
        self.presence_box.setObjectName("joinPresence")
        for p in Presence:
            self.presence_box.addItem(translate("Presence", p.label), p.value)
        self.location_edit = QLineEdit()
        self.location_edit.setObjectName("joinLocation")
        self.location_edit.setMaxLength(200)
        self.location_edit.setPlaceholderText(self.tr("远程参加人员所在地点，如：某街道便民服务站"))
        self.identity_box = QComboBox()
        self.identity_box.setObjectName("joinIdentity")
        self.identity_box.addItem(self.tr("（未核验）"), "")
        for m in IdentityMethod:
            self.identity_box.addItem(translate("IdentityMethod", m.label), m.value)
        self.consent_box = QComboBox()
        self.consent_box.setObjectName("joinConsent")
        self.consent_box.addItem(self.tr("尚未询问"), None)
        self.consent_box.addItem(self.tr("同意录音录像"), True)
        self.consent_box.addItem(self.tr("不同意录音录像"), False)
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("身份"), self.role_box)
        form.addRow(self.tr("人员"), self.person_box)
        form.addRow(self.tr("姓名"), self.name_edit)
        form.addRow(self.tr("参与方式"), self.presence_box)
        form.addRow(self.tr("所在地点"), self.location_edit)
        form.addRow(self.tr("身份核验方式"), self.identity_box)
        form.addRow(self.tr("录音录像"), self.consent_box)
        self.form = form
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("加入"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.hint)
        lay.addWidget(self.buttons)
        self.role_box.currentIndexChanged.connect(self._role_changed)
        self.presence_box.currentIndexChanged.connect(self._presence_changed)
        self._role_changed()
        self._presence_changed()
        self.setMinimumWidth(460)

    def _role_changed(self) -> None:
        role = self.role_box.currentData()
        self.person_box.clear()
        parties = [p for p in self.detail.case.parties if p.active]
        if role == ParticipantRole.PARTY.value:
            for p in parties:
                self.person_box.addItem(f"{translate('Side', p.side_label)} {p.name}", p.id)
        elif role == ParticipantRole.AGENT.value:
            for p in parties:
                for a in p.agents:
                    if a.active:
                        self.person_box.addItem(self.tr("{agent}（{party}的代理人）").replace("{agent}", a.name)
                                                .replace("{party}", p.name), a.id)
        elif role == ParticipantRole.MEDIATOR.value:
            self.person_box.addItem(self.me[1], self.me[0])
        chooses = role in (ParticipantRole.PARTY.value, ParticipantRole.AGENT.value, ParticipantRole.MEDIATOR.value)
        self.form.setRowVisible(self.person_box, chooses)
        self.form.setRowVisible(self.name_edit, not chooses)
        if role == ParticipantRole.PARTY.value and not self.identity_box.currentData():
            self.identity_box.setCurrentIndex(self.identity_box.findData(IdentityMethod.ID_CARD_ON_SITE.value))

    def _presence_changed(self) -> None:
        remote = self.presence_box.currentData() == Presence.REMOTE.value
        self.location_edit.setEnabled(remote)
        if remote and self.identity_box.currentData() == IdentityMethod.ID_CARD_ON_SITE.value:
            self.identity_box.setCurrentIndex(self.identity_box.findData(IdentityMethod.ID_CARD_ON_CAMERA.value))
        self.hint.setText(self.tr("远程参加的人员须先核验身份并记录核验方式（《人民法院在线调解规则》第十七条）。")
                          if remote else "")

    def values(self) -> dict:
        role = self.role_box.currentData()
        out = {"role": role, "presence": self.presence_box.currentData(),
               "remote_location": self.location_edit.text().strip(),
               "identity_method": self.identity_box.currentData() or None,
               "consent": self.consent_box.currentData()}
        pick = self.person_box.currentData()
        if role == ParticipantRole.PARTY.value:
            out["party_id"] = pick
        elif role == ParticipantRole.AGENT.value:
            out["agent_id"] = pick
        elif role == ParticipantRole.MEDIATOR.value:
            out["user_id"] = pick
        else:
            out["name"] = self.name_edit.text().strip()
        return out


# ------------------------------------------------------------------ minutes
class _FocusOut(QObject):
    """Calls ``fn`` when a watched editor loses the focus."""

    def __init__(self, fn, parent: QObject):
        super().__init__(parent)
        self.fn = fn

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.fn()
        return False


class MinutesEditor(QWidget):
    """The 调解笔录 of one session, saved as it is typed."""

    saved = Signal(object)      # MinutesSaved

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.session: SessionView | None = None
        self.base_version = 0
        self.saved_content: dict | None = None
        self.saving = False
        self.again = False
        self.conflict_version: int | None = None
        self.state = ""            # "", "dirty", "saving", "saved", "conflict", "error"
        self._loading = False
        self.fields: dict[str, QPlainTextEdit] = {}
        self.statements: list[tuple[int | None, str, QPlainTextEdit]] = []
        self._focus = _FocusOut(self._focus_left, self)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_now)

        self.status = status_line("minutesStatus")
        self.status.setWordWrap(False)
        self.save_button = QPushButton(self.tr("立即保存  Ctrl+S"))
        self.save_button.setObjectName("saveMinutes")
        self.save_button.clicked.connect(self.save_now)
        self.keep_button = QPushButton(self.tr("保留我的内容并保存"))
        self.keep_button.setObjectName("keepMine")
        self.keep_button.clicked.connect(self.keep_mine)
        self.load_button = QPushButton(self.tr("放弃修改，载入最新稿"))
        self.load_button.setObjectName("loadTheirs")
        self.load_button.clicked.connect(self.load_theirs)
        self.keep_button.hide()
        self.load_button.hide()

        self.body = QWidget()
        self.body.setObjectName("minutesBody")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.body)
        self.scroll_area = scroll

        title = QLabel(self.tr("调解笔录"))
        title.setObjectName("cardTitle")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(hrow(title, self.status, self.keep_button, self.load_button, self.save_button, stretch_at=2))
        lay.addWidget(scroll, 1)

    # -- building
    def _editor(self, key: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(f"minutes_{key}")
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(height)
        edit.setMaximumHeight(height * 3)
        edit.textChanged.connect(self._typed)
        edit.installEventFilter(self._focus)
        return edit

    def _clear(self) -> None:
        empty_layout(self.body_layout)
        self.fields.clear()
        self.statements.clear()

    def load(self, session: SessionView, detail: CaseDetail) -> None:
        """Show ``session``'s minutes (replacing whatever the editor held)."""
        self._loading = True
        try:
            self.timer.stop()
            self._clear()
            self.session = session
            minutes = dict(session.minutes or {})
            for key, _label in MINUTES_FIELDS:
                label = QLabel(translate("Minutes", MINUTES_LABELS.get(key, _label)))
                label.setObjectName("minutesHeading")
                self.body_layout.addWidget(label)
                if key == "statements":
                    self._load_statements(minutes.get("statements") or [], detail)
                    continue
                edit = self._editor(key, 34 if key in _SHORT else 64)
                edit.setPlainText(str(minutes.get(key) or ""))
                self.fields[key] = edit
                self.body_layout.addWidget(edit)
            self.body_layout.addStretch(1)
            read_only = session.ended_at is not None
            for edit in self._edits():
                edit.setReadOnly(read_only)
            self.save_button.setEnabled(not read_only)
            self.base_version = session.minutes_version
            self.saved_content = self.content()
            self.conflict_version = None
            self.keep_button.hide()
            self.load_button.hide()
            if read_only:
                self._set_state("", self.tr("本次调解已结束，笔录只读（第{n}稿）").replace("{n}", str(session.minutes_version)),
                                "busy")
            elif session.minutes_saved_at is not None:
                self._set_state("saved", self.tr("已保存 {time}（第{n}稿）").replace("{time}", hms(session.minutes_saved_at))
                                .replace("{n}", str(session.minutes_version)), "ok")
            else:
                self._set_state("", self.tr("输入后自动保存"), "busy")
        finally:
            self._loading = False

    def _load_statements(self, saved: list, detail: CaseDetail) -> None:
        by_party = {s.get("party_id"): s for s in saved if s.get("party_id") is not None}
        rows: list[tuple[int | None, str, str]] = []
        for p in detail.case.parties:
            if p.active or p.id in by_party:
                speaker = f"{translate('Side', p.side_label)}{p.name}"
                rows.append((p.id, by_party.get(p.id, {}).get("speaker") or speaker,
                             by_party.get(p.id, {}).get("text", "")))
        rows += [(None, s.get("speaker", ""), s.get("text", "")) for s in saved if s.get("party_id") is None]
        for pid, speaker, text in rows:
            label = QLabel(self.tr("{speaker}陈述：").replace("{speaker}", speaker))
            label.setObjectName("muted")
            edit = self._editor(f"statement_{pid if pid is not None else 'other'}", 64)
            edit.setPlainText(text)
            self.statements.append((pid, speaker, edit))
            self.body_layout.addWidget(label)
            self.body_layout.addWidget(edit)

    def _edits(self) -> list[QPlainTextEdit]:
        return list(self.fields.values()) + [e for _, _, e in self.statements]

    # -- content
    def content(self) -> dict:
        out: dict = {}
        for key, _label in MINUTES_FIELDS:
            if key == "statements":
                rows = [{"speaker": speaker, "party_id": pid, "text": e.toPlainText()}
                        for pid, speaker, e in self.statements if e.toPlainText().strip()]
                if rows:
                    out["statements"] = rows
            elif key in self.fields and self.fields[key].toPlainText().strip():
                out[key] = self.fields[key].toPlainText()
        return out

    @property
    def dirty(self) -> bool:
        return self.session is not None and self.saved_content is not None and self.content() != self.saved_content

    @property
    def editable(self) -> bool:
        return self.session is not None and self.session.ended_at is None

    # -- saving
    def _typed(self) -> None:
        if self._loading or not self.editable:
            return
        if self.state != "conflict":
            if self.dirty:
                self._set_state("dirty", self.tr("有未保存的修改，停止输入后自动保存…"), "busy")
            self.timer.start()

    def _focus_left(self) -> None:
        if self.editable and self.dirty and self.state != "conflict":
            self.save_now()

    def save_now(self) -> None:
        """Save what is typed (the autosave timer, a focus change, Ctrl+S)."""
        self.timer.stop()
        if not self.editable or self.state == "conflict":
            return
        if self.saving:
            self.again = True
            return
        content = self.content()
        if content == self.saved_content and self.state == "saved":
            return
        self._save(content, self.base_version)

    def _save(self, content: dict, base: int) -> None:
        if self.session is None:    # minutes are saved only while a session shows
            return
        sid = self.session.id
        self.saving = True
        self.again = False
        self._set_state("saving", self.tr("正在保存…"), "busy")
        db, actor = self.host.db, self.host.actor

        def done(res) -> None:
            if self.session is None or self.session.id != res.session_id:
                return
            self.base_version = res.version
            self.saved_content = content
            self.conflict_version = None
            self.keep_button.hide()
            self.load_button.hide()
            self._set_state("saved", self.tr("已自动保存 {time}").replace("{time}", hms(res.saved_at)), "ok")
            self.saved.emit(res)
            if self.content() != content:
                self.timer.start()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Conflict) and "version" in exc.details:
                self.conflict_version = int(exc.details["version"])
                self._set_state("conflict", self.tr("笔录已被他人修改（当前第{n}稿），未保存。您输入的内容仍在编辑框中，"
                                                    "可保留您的内容保存，或放弃修改载入最新稿。")
                                .replace("{n}", str(self.conflict_version)), "error")
                self.keep_button.show()
                self.load_button.show()
            else:
                self._set_state("error", self.tr("保存失败：{reason}。内容仍在编辑框中，将在下次修改后重试。")
                                .replace("{reason}", error_text(exc)), "error")

        def finished() -> None:
            self.saving = False
            if self.again and self.state != "conflict":
                self.save_now()

        Op(self, lambda: mediation.save_minutes(db, actor, sid, content, base_version=base)) \
            .success(done).failure(failed).finally_(finished).run()

    def keep_mine(self) -> None:
        if self.conflict_version is None or self.saving:
            return
        version = self.conflict_version
        self.state = "dirty"
        self._save(self.content(), version)

    def load_theirs(self) -> None:
        self.conflict_version = None
        self.state = ""
        self.saved_content = None      # the next show of the session reloads it
        self.host.reload()

    def _set_state(self, state: str, text: str, look: str) -> None:
        self.state = state
        set_status(self.status, text, look)

    # -- refresh from the database
    def refresh(self, session: SessionView, detail: CaseDetail) -> None:
        """The case was read again: take a newer version of the minutes only
        when nothing typed here would be lost."""
        if self.session is None or self.session.id != session.id or self.saved_content is None:
            self.load(session, detail)
            return
        ended = session.ended_at is not None and self.session.ended_at is None
        self.session = session
        if ended:
            self.load(session, detail)
        elif session.minutes_version > self.base_version and not self.saving and not self.dirty \
                and self.state != "conflict":
            self.load(session, detail)

    def flush(self) -> None:
        """Save synchronously (closing the workspace)."""
        self.timer.stop()
        if self.session is not None and self.editable and self.dirty and not self.saving \
                and self.state != "conflict":
            db, actor, sid, content = self.host.db, self.host.actor, self.session.id, self.content()
            Op(self, lambda: mediation.save_minutes(db, actor, sid, content, base_version=self.base_version)) \
                .failure(lambda exc: None).run_now()


# ------------------------------------------------------------------ the tab
class SessionTab(QWidget):
    """调解记录."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.detail: CaseDetail | None = None
        self.session: SessionView | None = None
        self.dialog: QDialog | None = None
        self._chosen: int | None = None

        # -- top: which sitting, open a new one
        self.session_box = QComboBox()
        self.session_box.setObjectName("sessionChoice")
        self.session_box.setMinimumWidth(280)
        self.session_box.activated.connect(self._choose)
        self.mode_box = QComboBox()
        self.mode_box.setObjectName("sessionMode")
        for m in SessionMode:
            self.mode_box.addItem(translate("SessionMode", m.label), m.value)
        self.open_button = QPushButton(self.tr("开始新一次调解"))
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self.open_session)
        self.info = QLabel()
        self.info.setObjectName("muted")
        self.info.setWordWrap(True)

        # -- controls of the open sitting
        self.rights_button = QPushButton(self.tr("已告知权利义务"))
        self.rights_button.setObjectName("rightsNotice")
        self.rights_button.clicked.connect(self.give_rights_notice)
        self.record_button = QPushButton(self.tr("● 开始录像"))
        self.record_button.setObjectName("startRecording")
        self.record_button.clicked.connect(self.start_recording)
        self.stop_button = QPushButton(self.tr("■ 停止录像"))
        self.stop_button.setObjectName("stopRecording")
        self.stop_button.clicked.connect(self.stop_recording)
        self.outcome_box = QComboBox()
        self.outcome_box.setObjectName("sessionOutcome")
        for o in (SessionOutcome.ADJOURNED, SessionOutcome.AGREEMENT, SessionOutcome.FAILED):
            self.outcome_box.addItem(translate("SessionOutcome", o.label), o.value)
        self.close_button = QPushButton(self.tr("结束本次调解"))
        self.close_button.setObjectName("closeSession")
        self.close_button.clicked.connect(self.close_session)
        self.record_reason = status_line("recordReason")

        # -- participants
        self.model = RowsModel(self._columns(), self)
        self.table = table(self.model, [110, 80, 70, 150, 150, 70, 60], stretch=None)
        self.table.setMinimumHeight(120)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.join_button = QPushButton(self.tr("加入调解…"))
        self.join_button.setObjectName("joinButton")
        self.join_button.clicked.connect(self.join)
        self.consent_yes = QPushButton(self.tr("同意录像"))
        self.consent_yes.setObjectName("consentYes")
        self.consent_yes.clicked.connect(lambda: self.record_consent(True))
        self.consent_no = QPushButton(self.tr("不同意录像"))
        self.consent_no.setObjectName("consentNo")
        self.consent_no.clicked.connect(lambda: self.record_consent(False))
        self.leave_button = QPushButton(self.tr("离开"))
        self.leave_button.setObjectName("leaveButton")
        self.leave_button.clicked.connect(self.leave)

        # The sitting's controls, then participants and minutes in a splitter
        # the mediator can move; participants are as tall as their rows (up to
        # PEOPLE_ROWS), the minutes get the rest and never less than
        # MINUTES_MIN_HEIGHT. On a screen too low for all of it (1366×768) the
        # tab scrolls as a whole rather than squeezing anything.
        top, top_lay = card()
        top_lay.addLayout(hrow(QLabel(self.tr("调解记录")), self.session_box, self.mode_box, self.open_button,
                               stretch_at=4))
        top_lay.addWidget(self.info)
        top_lay.addLayout(hrow(self.rights_button, self.record_button, self.stop_button, QLabel(self.tr("结果")),
                               self.outcome_box, self.close_button, stretch_at=3))
        top_lay.addWidget(self.record_reason)

        people, people_lay = card()
        people_title = QLabel(self.tr("参加人员"))
        people_title.setObjectName("cardTitle")
        people_lay.addLayout(hrow(people_title, self.join_button, self.consent_yes, self.consent_no,
                                  self.leave_button, stretch_at=1))
        people_lay.addWidget(self.table, 1)
        self.people = people

        self.minutes = MinutesEditor(host)
        bottom, bottom_lay = card()
        bottom_lay.addWidget(self.minutes)
        bottom.setMinimumHeight(MINUTES_MIN_HEIGHT)

        self.empty = QLabel(self.tr("本案还没有调解记录。受理后可在此开始调解，登记参加人员并制作笔录。"))
        self.empty.setObjectName("emptyHint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        split = panes(people, bottom, (0, 1), vertical=True, name="sittingSplit")
        self.split = split

        self.sitting = QWidget()
        self.sitting.setObjectName("sitting")
        sl = QVBoxLayout(self.sitting)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.setSpacing(8)
        sl.addWidget(top)
        sl.addWidget(split, 1)
        page = VScroll(self.sitting, "sittingScroll")
        self.page = page
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.empty)
        lay.addWidget(page, 1)
        self._fit_people()
        self._update_actions()

    def _fit_people(self) -> None:
        """The participants' table as tall as its rows (at least 2, at most PEOPLE_ROWS)."""
        t = self.table
        rows = max(2, min(PEOPLE_ROWS, self.model.rowCount()))
        need = (t.horizontalHeader().sizeHint().height() + rows * t.verticalHeader().defaultSectionSize()
                + 2 * t.frameWidth() + t.horizontalScrollBar().sizeHint().height())
        t.setMinimumHeight(need)
        if self.split.sizes() and self.people.isVisible():
            total = sum(self.split.sizes())
            people = self.people.minimumSizeHint().height()
            if total > people:
                self.split.setSizes([people, total - people])

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("姓名"), lambda p: p.name),
            Column(self.tr("身份"), lambda p: translate("ParticipantRole", p.role_label)),
            Column(self.tr("方式"), lambda p: translate("Presence", p.presence_label)),
            Column(self.tr("远程地点"), lambda p: p.remote_location),
            Column(self.tr("身份核验"), lambda p: translate("IdentityMethod", p.identity_label)),
            Column(self.tr("录像同意"), _consent_text),
            Column(self.tr("加入"), lambda p: hm(p.joined_at)),
            Column(self.tr("离开"), lambda p: hm(p.left_at)),
        ]

    # -- showing
    def show_detail(self, detail: CaseDetail) -> None:
        same_case = self.detail is not None and self.detail.case.id == detail.case.id
        self.detail = detail
        sessions = detail.sessions
        if not same_case:
            self._chosen = None
        wanted = self._chosen
        if wanted is None or not any(s.id == wanted for s in sessions):
            open_ = [s for s in sessions if s.ended_at is None]
            latest = (open_ or sessions)[-1] if open_ or sessions else None
            wanted = latest.id if latest is not None else None
        self.session_box.clear()
        for i, s in enumerate(sessions, 1):
            state = self.tr("进行中") if s.ended_at is None else translate("SessionOutcome", s.outcome_label) or self.tr("已结束")
            self.session_box.addItem(self.tr("第{n}次 · {start} · {state}").replace("{n}", str(i))
                                     .replace("{start}", ymd_hm(s.started_at)).replace("{state}", state), s.id)
        self.session_box.setVisible(bool(sessions))
        self.session = next((s for s in sessions if s.id == wanted), None)
        if self.session is not None:
            self.session_box.setCurrentIndex(self.session_box.findData(self.session.id))
            self.minutes.refresh(self.session, detail)
        else:
            self.minutes.session = None
            self.minutes.saved_content = None
        self.empty.setVisible(self.session is None)
        self.page.setVisible(self.session is not None)
        self._show_session()

    def _choose(self, index: int) -> None:
        sid = self.session_box.itemData(index)
        if sid is not None and self.detail is not None:
            if self.minutes.dirty:
                self.minutes.save_now()
            self._chosen = sid
            self.show_detail(self.detail)

    def _show_session(self) -> None:
        s = self.session
        rows = s.participants if s else []
        selected = self.selected()
        self.model.set_rows(rows)
        self._fit_people()
        if selected is not None:
            for i, p in enumerate(rows):
                if p.id == selected.id:
                    self.table.selectRow(i)
        if s is None:
            self.info.setText("")
        else:
            where = s.room_name or self.tr("未指定调解室")
            bits = [translate("SessionMode", s.mode_label), where, self.tr("开始 {t}").replace("{t}", ymd_hm(s.started_at))]
            if s.ended_at:
                bits.append(self.tr("结束 {t}").replace("{t}", hm(s.ended_at)))
            if s.recording:
                bits.append(self.tr("● 正在录音录像"))
            self.info.setText(" · ".join(bits))
        self._update_actions()

    def consent_blockers(self) -> list[ParticipantView]:
        s = self.session
        if s is None:
            return []
        return [p for p in s.participants if p.left_at is None and p.consent_to_recording is not True]

    def _update_actions(self) -> None:
        s, d = self.session, self.detail
        live = s is not None and s.ended_at is None
        state = d.case.state if d else None
        has_open = d is not None and any(x.ended_at is None for x in d.sessions)
        self.open_button.setEnabled(d is not None and state in ("accepted", "mediating") and not has_open)
        self.mode_box.setEnabled(self.open_button.isEnabled())
        for w in (self.rights_button, self.join_button, self.close_button, self.outcome_box):
            w.setEnabled(live)
        if s is not None and s.rights_notice_given:
            self.rights_button.setText(self.tr("已告知权利义务 {t}").replace("{t}", hm(s.rights_notice_at)))
            self.rights_button.setEnabled(False)
        else:
            self.rights_button.setText(self.tr("告知权利义务"))
        present = [p for p in (s.participants if s else []) if p.left_at is None]
        blockers = self.consent_blockers()
        recording = bool(s and s.recording)
        self.record_button.setEnabled(live and not recording and bool(present) and not blockers)
        self.stop_button.setEnabled(bool(s) and recording)
        if not live:
            set_status(self.record_reason, "", "busy")
        elif recording:
            set_status(self.record_reason, self.tr("正在录音录像；有人加入而未同意时将自动停止。"), "ok")
        elif not present:
            set_status(self.record_reason, self.tr("开始录像前请先登记在场人员，并逐一询问是否同意录音录像。"), "warn")
        elif blockers:
            names = "、".join(f"{p.name}（{_consent_text(p)}）" for p in blockers)
            set_status(self.record_reason, self.tr("须在场人员全部同意后才能开始录像。尚未同意：{names}")
                       .replace("{names}", names), "warn")
        else:
            set_status(self.record_reason, self.tr("在场人员均已同意录音录像，可以开始录像。"), "ok")
        p = self.selected()
        here = live and p is not None and p.left_at is None
        consent = p.consent_to_recording if p is not None else None
        self.consent_yes.setEnabled(here and consent is not True)
        self.consent_no.setEnabled(here and consent is not False)
        self.leave_button.setEnabled(here)

    def selected(self) -> ParticipantView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    # -- actions
    def open_session(self) -> None:
        d = self.detail
        if d is None or not self.open_button.isEnabled():
            return
        db, actor, cid, mode = self.host.db, self.host.actor, d.case.id, self.mode_box.currentData()
        booking = self.host.today_booking_for(cid)
        room = None if booking else self.host.ctx.workstation.room_code
        self._chosen = None
        self.host.act(lambda: mediation.open_session(db, actor, cid, mode=mode, booking_id=booking.id if booking else None,
                                                     room=room, recorder_name=actor.display_name or ""),
                      self.tr("已开始调解，请登记参加人员并告知权利义务"))

    def give_rights_notice(self) -> None:
        s = self.session
        if s is None:
            return
        db, actor = self.host.db, self.host.actor
        self.host.act(lambda: mediation.give_rights_notice(db, actor, s.id), self.tr("已记录：告知当事人权利义务"))

    def start_recording(self) -> None:
        s = self.session
        if s is None or not self.record_button.isEnabled():
            return
        db, actor = self.host.db, self.host.actor
        self.host.act(lambda: mediation.start_recording(db, actor, s.id), self.tr("已开始录音录像"))

    def stop_recording(self) -> None:
        s = self.session
        if s is None:
            return
        db, actor = self.host.db, self.host.actor
        self.host.act(lambda: mediation.stop_recording(db, actor, s.id), self.tr("已停止录音录像"))

    def close_session(self) -> None:
        s = self.session
        if s is None:
            return
        self.minutes.flush()
        db, actor, outcome = self.host.db, self.host.actor, self.outcome_box.currentData()
        self.host.act(lambda: mediation.close_session(db, actor, s.id, outcome), self.tr("本次调解已结束"))

    def join(self) -> None:
        if self.session is None or self.detail is None or self.dialog is not None:
            return
        actor = self.host.actor
        dlg = JoinDialog(self.detail, actor.user_id, actor.display_name or actor.username, self)
        self.dialog = dlg
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        sid = self.session.id

        def closed(result: int) -> None:
            self.dialog = None
            values = dlg.values()
            dlg.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                self.add_participant(sid, **values)

        dlg.finished.connect(closed)
        dlg.open()

    def add_participant(self, session_id: int, **values) -> None:
        db, actor = self.host.db, self.host.actor
        self.host.act(lambda: mediation.add_participant(db, actor, session_id, **values),
                      lambda p: self.tr("{name}已加入调解").replace("{name}", p.name))

    def record_consent(self, consent: bool) -> None:
        p = self.selected()
        if p is None:
            return
        db, actor = self.host.db, self.host.actor
        self.host.act(lambda: mediation.record_consent(db, actor, p.id, consent),
                      (self.tr("已记录：{name}同意录音录像") if consent else self.tr("已记录：{name}不同意录音录像"))
                      .replace("{name}", p.name))

    def leave(self) -> None:
        p = self.selected()
        if p is None:
            return
        db, actor = self.host.db, self.host.actor
        self.host.act(lambda: mediation.participant_left(db, actor, p.id),
                      self.tr("{name}已离开").replace("{name}", p.name))


