"""Satisfaction rating (请群众评价): 1–5 stars, reason tags, a comment.

A visit is rated only with the visitor's code printed on the ticket:
``KioskRatingPanel`` is the self-service form (``satisfaction.rate_by_code``,
no sign-in), which also takes a whistle's resident code told at its closure
(``whistle.rate_by_resident_code``, S and 6 characters); ``CallRatingPanel``
records a follow-up call's rating, the code read out by the visitor, with the
signed-in caller (``satisfaction.rate_by_call``; never for a visit the caller
served). The window has no rating entry of its own. Both are plain widgets:
the window desk opens the second beside its work, a kiosk shell hosts the
first. Database calls run off the UI thread.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from hall.services import HallError, satisfaction, whistle
from ui.common import palette
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.status_panel import StatusPanel
from ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
)

log = logging.getLogger(__name__)

__all__ = ["CallRatingPanel", "KioskRatingPanel", "RatingForm"]

#: Tags offered for a good rating (4–5 stars) and for a poor one (1–3).
GOOD_TAGS = ("attitude_good", "efficient", "professional", "clear", "environment")
POOR_TAGS = ("wait_long", "attitude_poor", "unclear", "slow", "runaround", "result", "other")

STYLE = palette.style("""
QWidget#RatingPanel, QWidget#KioskRatingPanel { background: {surface}; }
QLabel#ratingTitle { font-size: 24px; font-weight: 700; color: {kiosk_text}; }
QLabel#ratingNote { font-size: 15px; color: {muted}; }
QPushButton#starButton { min-width: 92px; min-height: 92px; font-size: 18px; border-radius: 12px;
                         border: 2px solid {kiosk_button_border}; background: {surface}; color: {kiosk_label}; }
QPushButton#starButton:hover { border-color: {highlight}; }
QPushButton#starButton:checked { background: {star_checked_bg}; border: 3px solid {highlight}; color: {amber_text};
                                 font-weight: 700; }
QPushButton#tagButton { min-height: 36px; padding: 0 14px; border: 1px solid {input_border};
                        border-radius: 18px; background: {surface}; font-size: 15px; }
QPushButton#tagButton:checked { background: {kiosk_accent}; border-color: {kiosk_accent}; color: {on_accent}; }
QPlainTextEdit, QLineEdit { border: 1px solid {input_border}; border-radius: 6px; font-size: 16px;
                            background: {surface}; padding: 4px 8px; }
QLineEdit#codeEdit { font-size: 30px; min-height: 52px; letter-spacing: 6px; }
QPushButton#submitButton { min-height: 48px; min-width: 160px; border-radius: 8px; border: none;
                           background: {kiosk_accent}; color: {on_accent}; font-size: 18px; font-weight: 700; }
QPushButton#submitButton:disabled { background: {kiosk_accent_disabled}; }
QPushButton#plainButton { min-height: 40px; padding: 0 16px; border: 1px solid {input_border};
                          border-radius: 6px; background: {surface}; font-size: 15px; }
QLabel#ratingStatus { font-size: 16px; min-height: 22px; color: {muted}; }
QLabel#ratingStatus[state="ok"] { color: {kiosk_success}; font-weight: 600; }
QLabel#ratingStatus[state="error"] { color: {kiosk_error}; font-weight: 600; }
""")


class RatingForm(QWidget):
    """Stars, reason tags and a comment; the part both panels share."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.rating = 0
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        stars = QHBoxLayout()
        stars.setSpacing(10)
        self.star_buttons: dict[int, QPushButton] = {}
        for n in range(1, 6):
            label = satisfaction.RATING_LABELS[n]
            b = named(QPushButton("★" * n + "\n" + self.tr(label), self), "starButton")
            b.setCheckable(True)
            if compact:
                b.setStyleSheet("min-height: 60px; max-height: 64px;")
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setAccessibleName(self.tr("{n} 星：{label}").replace("{n}", str(n)).replace("{label}", self.tr(label)))
            b.clicked.connect(partial(self.set_rating, n))
            stars.addWidget(b)
            self.star_buttons[n] = b
        box.addLayout(stars)
        self.tags_note = named(QLabel(self.tr("请先选择星级"), self), "ratingNote")
        box.addWidget(self.tags_note)
        self.tag_grid = QGridLayout()
        self.tag_grid.setSpacing(8)
        self.tag_buttons: dict[str, QPushButton] = {}
        for key, label in satisfaction.REASON_TAGS.items():
            b = named(QPushButton(self.tr(label), self), "tagButton")
            b.setCheckable(True)
            b.hide()
            b.toggled.connect(lambda *_: self.changed.emit())
            self.tag_buttons[key] = b
        box.addLayout(self.tag_grid)
        self.comment_edit = QPlainTextEdit(self)
        self.comment_edit.setPlaceholderText(self.tr("意见或建议（可不填，最多 500 字）"))
        self.comment_edit.setFixedHeight(56 if compact else 84)
        box.addWidget(self.comment_edit)

    def set_rating(self, n: int) -> None:
        self.rating = n
        for k, b in self.star_buttons.items():
            b.setChecked(k == n)
        offered = GOOD_TAGS if n >= 4 else POOR_TAGS
        for b in self.tag_buttons.values():
            self.tag_grid.removeWidget(b)
            b.hide()
        for key, b in self.tag_buttons.items():
            if key not in offered:
                b.setChecked(False)
        for i, key in enumerate(offered):
            b = self.tag_buttons[key]
            self.tag_grid.addWidget(b, i // 4, i % 4)
            b.show()
        self.tags_note.setText(self.tr("满意在哪里？（可多选）") if n >= 4 else self.tr("哪里需要改进？（可多选）"))
        self.changed.emit()

    def tags(self) -> list[str]:
        return [k for k, b in self.tag_buttons.items() if b.isChecked()]

    def comment(self) -> str:
        return self.comment_edit.toPlainText().strip()

    def reset(self) -> None:
        self.rating = 0
        for b in self.star_buttons.values():
            b.setChecked(False)
        for b in self.tag_buttons.values():
            b.setChecked(False)
            b.hide()
        self.tags_note.setText(self.tr("请先选择星级"))
        self.comment_edit.clear()
        self.changed.emit()


class _RatingBase(StatusPanel):
    rated = Signal(object)          # RatingView
    closeRequested = Signal()
    # Made by each panel: its status line, the code, the stars and the submit button.
    status: QLabel
    code_edit: QLineEdit
    form: RatingForm
    submit_button: QPushButton

    def __init__(self, parent: QWidget | None, object_name: str):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.result: satisfaction.RatingView | None = None

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, HallError):
            self.last_error = str(exc)
        else:
            self.last_error = self.tr("评价未能提交，请重试")
            report_error(exc, self)
        self._say(self.last_error, "error")

    def _done(self) -> None:
        self._busy = False
        self._update()

    def code(self) -> str:
        """The rating code as typed, without spaces, in capitals."""
        return "".join(self.code_edit.text().split()).upper()

    def _update(self) -> None:
        self.submit_button.setEnabled(len(self.code()) >= 6 and self.form.rating > 0 and not self._busy)

    def submit(self) -> None:
        if not self.submit_button.isEnabled():
            return
        self._busy = True
        self._update()
        self._op(self._job()).success(self._rated).failure(self._failed).finally_(self._done).run()

    def _job(self) -> Callable[[], Any]:  # pragma: no cover - overridden
        """The service call that records the rating as entered (run off the UI thread)."""
        raise NotImplementedError

    def _rated(self, view: satisfaction.RatingView) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class CallRatingPanel(_RatingBase):
    """A follow-up call's rating: the visitor reads out the code on their
    ticket, the signed-in staff member who called enters it with the stars
    (``satisfaction.rate_by_call``; refused for a visit the caller served)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent, "RatingPanel")
        self.ctx = ctx
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 10, 16, 10) if compact else box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(6 if compact else 10)
        box.addWidget(named(QLabel(self.tr("记录回访评价"), self), "ratingTitle"))
        caller = ctx.actor.display_name or ctx.actor.username if ctx.actor else ""
        head = QHBoxLayout()
        self.code_edit = named(QLineEdit(self), "codeEdit")
        self.code_edit.setMaxLength(8)
        self.code_edit.setPlaceholderText(self.tr("评价码"))
        self.code_edit.setFixedWidth(220)
        if compact:
            self.code_edit.setStyleSheet("font-size: 22px; min-height: 36px; letter-spacing: 4px;")
        self.code_edit.textChanged.connect(lambda *_: self._update())
        head.addWidget(self.code_edit)
        note = named(QLabel(self.tr("请群众读出排队号小票上的 6 位评价码（30 天内有效）。回访人：{caller}。"
                                    "不能记录自己办理的来访。").replace("{caller}", caller), self), "ratingNote")
        note.setWordWrap(True)
        head.addWidget(note, 1)
        box.addLayout(head)
        self.form = RatingForm(self, compact=compact)
        self.form.changed.connect(self._update)
        box.addWidget(self.form)
        box.addStretch(1)
        row = QHBoxLayout()
        self.status = named(QLabel(self), "ratingStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.skip_button = named(QPushButton(self.tr("关闭"), self), "plainButton")
        self.skip_button.clicked.connect(self.closeRequested)
        self.submit_button = named(QPushButton(self.tr("保存回访评价"), self), "submitButton")
        self.submit_button.clicked.connect(self.submit)
        row.addWidget(self.skip_button)
        row.addWidget(self.submit_button)
        box.addLayout(row)
        self._update()

    def _job(self) -> Callable[[], Any]:
        db, actor = self.ctx.db, self.ctx.actor
        return partial(satisfaction.rate_by_call, db, actor, self.code(), self.form.rating,
                       self.form.tags(), self.form.comment())

    def _rated(self, view: satisfaction.RatingView) -> None:
        self.result = view
        self.last_error = ""
        self.rated.emit(view)
        number = view.ticket_number or ""
        self.form.reset()               # ready for the next call; what failed stays entered
        self.code_edit.clear()
        self._say(self.tr("已记录 {number} 的回访评价：{label}").replace("{number}", number)
                  .replace("{label}", view.rating_label), "ok")


class KioskRatingPanel(_RatingBase):
    """The self-service kiosk: the rating code from the ticket, then the stars.

    It returns to its welcome state (no code, no stars, no message) a few
    seconds after a rating and after ``IDLE_RESET_MS`` without a touch, so the
    next visitor never sees the previous one's code or stars."""

    IDLE_RESET_MS = 30_000
    THANKS_MS = 5_000

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent, "KioskRatingPanel")
        self.db = db
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(self.IDLE_RESET_MS)
        self.idle.timeout.connect(self.welcome)
        self.thanks = QTimer(self)
        self.thanks.setSingleShot(True)
        self.thanks.setInterval(self.THANKS_MS)
        self.thanks.timeout.connect(self.welcome)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(12)
        box.addWidget(named(QLabel(self.tr("服务评价"), self), "ratingTitle"))
        note = named(QLabel(self.tr("请输入排队号小票上的 6 位评价码（办结后 7 天内有效），"
                                    "或吹哨事项办结时告知的 S 开头 7 位评价码（30 天内有效）"), self), "ratingNote")
        note.setWordWrap(True)
        box.addWidget(note)
        self.code_edit = named(QLineEdit(self), "codeEdit")
        self.code_edit.setMaxLength(8)
        self.code_edit.setPlaceholderText(self.tr("评价码"))
        self.code_edit.textChanged.connect(lambda *_: self._update())
        self.code_edit.textEdited.connect(self._upper)
        self.code_edit.textEdited.connect(lambda *_: self.idle.start())
        box.addWidget(self.code_edit)
        frame = QFrame(self)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(0, 0, 0, 0)
        self.form = RatingForm(frame)
        self.form.changed.connect(self._update)
        self.form.changed.connect(self._touched)
        inner.addWidget(self.form)
        box.addWidget(frame)
        row = QHBoxLayout()
        self.status = named(QLabel(self), "ratingStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.submit_button = named(QPushButton(self.tr("提交评价"), self), "submitButton")
        self.submit_button.clicked.connect(self.submit)
        row.addWidget(self.submit_button)
        box.addLayout(row)
        box.addStretch(1)
        self._update()

    def _touched(self) -> None:
        if self.form.rating or self.code():
            self.thanks.stop()
            self.idle.start()

    def welcome(self) -> None:
        """Back to the welcome state: nothing of the previous visitor stays on screen."""
        self.thanks.stop()
        self.code_edit.clear()
        self.form.reset()
        self.idle.stop()
        self.last_error = ""
        self._say(self.tr("请输入评价码，然后选择星级"), "note")

    def _upper(self, text: str) -> None:
        if text != text.upper():
            pos = self.code_edit.cursorPosition()
            self.code_edit.setText(text.upper())
            self.code_edit.setCursorPosition(pos)

    def _job(self) -> Callable[[], Any]:
        # A whistle's resident code (S and 6 characters) rates the handling of that matter.
        rate = whistle.rate_by_resident_code if satisfaction.is_whistle_code(self.code()) \
            else satisfaction.rate_by_code
        return partial(rate, self.db, self.code(), self.form.rating, self.form.tags(), self.form.comment())

    def _rated(self, view: satisfaction.RatingView) -> None:
        self.result = view
        self.last_error = ""
        self.rated.emit(view)
        self.form.reset()
        self.code_edit.clear()
        self._say(self.tr("感谢您的评价！"), "ok")
        self.idle.stop()
        self.thanks.start()
