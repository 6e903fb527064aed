"""What every page of the administrator's workspace shares.

A page is a form (or a table with an editor beside it) over one part of the
centre's setup. It reads its data off the UI thread when first shown, checks
what was typed before anything is sent, and saves through one call of
``hall.services.admin`` off the UI thread. A refusal is shown as the
service's own sentence in a strip next to the form; the form keeps what was
typed, so the administrator corrects one field and saves again.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hall.services import HallError
from ui.common import palette
from ui.common.context import AppContext
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.common.tables import list_table
from ui.qt import (
    QBrush,
    QColor,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    translate,
)

log = logging.getLogger("ui.centre.admin")

STYLE = palette.style("""
QWidget#adminWorkspace { background: {admin_page}; }
QListWidget#adminNav { background: {nav_bg}; color: {nav_text}; border: none; font-size: 15px;
                       outline: none; padding-top: 8px; }
QListWidget#adminNav::item { padding: 11px 18px; border-left: 4px solid transparent; }
QListWidget#adminNav::item:hover { background: {nav_hover}; }
QListWidget#adminNav::item:selected { background: {admin_page}; color: {heading}; font-weight: bold;
                                      border-left: 4px solid {accent}; }
QLabel#navTitle { background: {nav_title_bg}; color: {on_accent}; font-size: 16px; font-weight: bold;
                  padding: 14px 18px; }
QLabel#pageTitle { color: {heading}; font-size: 20px; font-weight: bold; }
QLabel#pageNote { color: {muted}; }
QFrame#card { background: {surface}; border: 1px solid {border}; border-radius: 8px; }
QLabel#cardTitle { color: {heading}; font-size: 15px; font-weight: bold; }
QLabel#fieldHint { color: {subtle}; font-size: 12px; }
QLabel#formMessage { border-radius: 6px; padding: 7px 10px; }
QLabel#formMessage[kind="error"] { background: {overdue_tint}; color: {error_text}; border: 1px solid {error_border}; }
QLabel#formMessage[kind="info"] { background: {success_bg}; color: {success}; border: 1px solid {success_border}; }
QFrame#secretBox { background: {note_bg}; border: 1px solid {note_border}; border-radius: 6px; }
QLabel#secretText { color: {note_text}; }
QLabel#secretValue { color: {heading}; font-family: monospace; font-size: 20px; font-weight: bold; }
QLineEdit, QPlainTextEdit { padding: 3px 6px; border: 1px solid {input_border}; border-radius: 4px;
                            background: {surface}; }
QLineEdit:focus, QPlainTextEdit:focus { border: 1px solid {accent}; }
QLineEdit:read-only { background: {read_only_bg}; color: {muted}; }
QLineEdit[invalid="true"] { border: 1px solid {overdue}; background: {invalid_bg}; }
QPushButton { padding: 5px 14px; border: 1px solid {input_border}; border-radius: 4px; background: {surface}; }
QPushButton:hover { border-color: {accent}; background: {hover_bg}; }
QPushButton:disabled { color: {disabled_text}; border-color: {disabled_border}; }
QPushButton#saveButton { background: {accent}; color: {on_accent}; border: none; font-weight: bold; padding: 6px 22px; }
QPushButton#saveButton:hover { background: {accent_hover}; }
QPushButton#saveButton:disabled { background: {accent_disabled}; color: {on_disabled}; }
QPushButton#dangerButton:enabled { color: {danger_text}; }
QTableView, QListWidget#plainList { border: 1px solid {border}; border-radius: 4px; background: {surface};
                                    gridline-color: {gridline}; selection-background-color: {selection};
                                    selection-color: {heading}; alternate-background-color: {admin_row_alt}; }
QListWidget#plainList::item { padding: 3px 4px; }
QListWidget#serviceNav { border: 1px solid {border}; border-radius: 6px; background: {surface}; outline: none; }
QListWidget#serviceNav::item { padding: 8px 12px; border-bottom: 1px solid {gridline}; }
QListWidget#serviceNav::item:selected { background: {selection}; color: {heading}; font-weight: bold; }
QHeaderView::section { background: {header_bg}; color: {text_secondary}; padding: 5px 6px; border: none;
                       border-bottom: 1px solid {border}; font-weight: bold; }
""")

INACTIVE_COLOUR = QColor(palette.FAINT)


def field_label(text: str) -> str:
    """A label the service names a field with (``PROFILE_FIELDS`` etc.)."""
    return translate("AdminFields", text)


def active_label(active: bool) -> str:
    return translate("AdminWorkspace", "启用") if active else translate("AdminWorkspace", "停用")


class AdminRowsModel(RowsModel):
    """Rows that can be retired: a retired (``active`` false) row is drawn grey."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and 0 <= index.row() < len(self.rows):
            if not getattr(self.rows[index.row()], "active", True):
                return QBrush(INACTIVE_COLOUR)
            return None
        return super().data(index, role)

    def row_of(self, key: Callable[[Any], Any], value: Any) -> int:
        return next((i for i, r in enumerate(self.rows) if key(r) == value), -1)


def make_table(model: RowsModel, widths: Sequence[int]) -> QTableView:
    return list_table(model, widths)


def card(title: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    if title:
        frame, lay, _label = titled_card(title)
        return frame, lay
    return _card_frame()


def titled_card(title: str) -> tuple[QFrame, QVBoxLayout, QLabel]:
    """A card headed by ``title``, and the heading (a page may change its text)."""
    frame, lay = _card_frame()
    label = QLabel(title)
    label.setObjectName("cardTitle")
    lay.addWidget(label)
    return frame, lay, label


def _card_frame() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(16, 12, 16, 14)
    lay.setSpacing(8)
    return frame, lay


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldHint")
    label.setWordWrap(True)
    return label


def button(text: str, slot: Callable[[], object], name: str = "") -> QPushButton:
    b = QPushButton(text)
    if name:
        b.setObjectName(name)
    b.clicked.connect(lambda _checked=False: slot())
    return b


class FormMessage(QLabel):
    """The strip next to a form: the service's refusal (stays) or a saved note."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("formMessage")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str) -> None:
        self.kind = kind if text else ""
        self.setText(text)
        self.setProperty("kind", self.kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(text))

    def clear(self) -> None:  # noqa: D401 - QLabel.clear, and hidden too
        self.show_message("", "")


class AdminPage(QWidget):
    """One page: a title, a short note, the page's own content, and the
    plumbing for reading and saving off the UI thread."""

    def __init__(self, ctx: AppContext, title: str, note: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.actor = ctx.actor
        self.loaded = False
        self.busy = False
        self._alive = True
        self._busy_buttons: list[QPushButton] = []
        self.message = FormMessage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(22, 16, 22, 16)
        outer.setSpacing(10)
        head = QLabel(title)
        head.setObjectName("pageTitle")
        outer.addWidget(head)
        if note:
            n = QLabel(note)
            n.setObjectName("pageNote")
            n.setWordWrap(True)
            outer.addWidget(n)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        outer.addLayout(self.body, 1)

    # ---------------------------------------------------------- messages
    @property
    def message_text(self) -> str:
        return self.message.text() if self.message.kind else ""

    def show_error(self, text: str) -> None:
        self.message.show_message(text, "error")

    def show_info(self, text: str) -> None:
        self.message.show_message(text, "info")

    def refused(self, exc: BaseException) -> None:
        if not self._alive:
            return
        if isinstance(exc, HallError):
            log.info("admin refused: %s", exc)
            self.show_error(str(exc))
        else:
            log.error("admin page %s: %s", type(self).__name__, exc, exc_info=exc)
            self.show_error(user_message(exc)[1])

    # ------------------------------------------------------- background
    def set_busy_buttons(self, *buttons: QPushButton) -> None:
        self._busy_buttons = list(buttons)

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[BaseException], None] | None = None) -> None:
        """``fn`` off the UI thread; ``done(result)`` back on it. One at a time."""
        if self.busy:
            return
        self.busy = True
        self._update_busy()

        def ok(result):
            if self._alive:
                done(result)

        def finished():
            self.busy = False
            if self._alive:
                self._update_busy()

        Op(self, fn).success(ok).failure(failed or self.refused).finally_(finished).run()

    def submit(self, problems: Sequence[str], save: Callable[..., Any], values: Mapping[str, Any],
               done: Callable[[Any], None]) -> None:
        """The problems found in what was typed, in the strip; or, when there are none,
        ``save(db, actor, **values)`` off the UI thread and ``done(result)`` back on it."""
        if problems:
            self.show_error("；".join(problems))
            return
        db, actor = self.db, self.actor
        self.run(lambda: save(db, actor, **values), done)

    def read(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """A read that may run beside a save (loading lists)."""
        def ok(result):
            if self._alive:
                done(result)

        Op(self, fn).success(ok).failure(self.refused).run()

    def _update_busy(self) -> None:
        for b in self._busy_buttons:
            b.setEnabled(not self.busy and self.button_allowed(b))

    def button_allowed(self, b: QPushButton) -> bool:
        """Whether ``b`` makes sense for what is selected (pages override)."""
        return True

    # ---------------------------------------------------------- loading
    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.reload()

    def reload(self) -> None:  # pragma: no cover - every page has its own
        pass

    def shutdown(self) -> None:
        self._alive = False


class TableEditorPage(AdminPage):
    """A table of everything of one kind (retired rows too, greyed and marked
    停用) and an editor beside it. Nothing here is deleted: history refers to
    it, so it is retired (停用) and can be brought back (启用)."""

    new_text = ""        # e.g. "新增业务"
    editor_title = ""    # e.g. "业务设置"

    def __init__(self, ctx: AppContext, title: str, note: str, widths: Sequence[int],
                 parent: QWidget | None = None):
        super().__init__(ctx, title, note, parent)
        self.current: Any = None   # the row being edited; None = a new one
        self._selecting = False
        self.model = AdminRowsModel(self.columns(), self)
        self.table = make_table(self.model, widths)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageNote")
        self.new_button = button(self.new_text, self.start_new, "newButton")
        top = QHBoxLayout()
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.new_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.table, 1)

        self.editor, self.editor_layout, self.editor_heading = titled_card(self.editor_title)
        self.editor.setMinimumWidth(400)
        self.build_editor(self.editor_layout)
        self.editor_layout.addStretch(1)
        self.editor_layout.addWidget(self.message)
        self.save_button = button(translate("AdminWorkspace", "保存"), self.save, "saveButton")
        self.toggle_button = button(translate("AdminWorkspace", "停用"), self.toggle, "dangerButton")
        self.extra_buttons = self.more_buttons()
        self.editor_layout.addLayout(buttons_row(*self.extra_buttons, self.toggle_button, self.save_button))
        self.set_busy_buttons(self.save_button, self.toggle_button, self.new_button, *self.extra_buttons)

        split = QHBoxLayout()
        split.setSpacing(14)
        split.addLayout(left, 3)
        split.addWidget(self.editor, 2)
        self.body.addLayout(split, 1)
        self.start_new()

    # ---------------------------------------------------- for the pages
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def key(self, row: Any) -> Any:
        return row.code

    def fetch(self) -> Any:
        """What :meth:`_got_rows` is given: the rows (a page that reads more overrides both)."""
        raise NotImplementedError

    def build_editor(self, lay: QVBoxLayout) -> None:
        raise NotImplementedError

    def more_buttons(self) -> list[QPushButton]:
        return []

    def fill(self, row: Any) -> None:
        raise NotImplementedError

    def collect(self) -> tuple[list[str], Any]:
        raise NotImplementedError

    def save_call(self, payload: Any, existing: Any) -> Any:
        raise NotImplementedError

    def toggle_call(self, row: Any) -> Any:
        raise NotImplementedError

    def saved_text(self, row: Any, new: bool) -> str:
        return translate("AdminWorkspace", "已保存")

    def toggled_text(self, row: Any) -> str:
        return translate("AdminWorkspace", "已启用") if row.active else translate("AdminWorkspace", "已停用")

    def count_text(self, rows: list) -> str:
        active = sum(1 for r in rows if getattr(r, "active", True))
        return translate("AdminWorkspace", "共 {n} 项，其中 {a} 项启用").replace("{n}", str(len(rows))).replace("{a}", str(active))

    # ------------------------------------------------------------ rows
    def reload(self) -> None:
        self.read(self.fetch, self._got_rows)

    def _got_rows(self, rows: list) -> None:
        self._selecting = True
        try:
            self.model.set_rows(rows)
            if self.current is not None:
                i = self.model.row_of(self.key, self.key(self.current))
                if i >= 0:
                    self.table.selectRow(i)
                    self.table.scrollTo(self.model.index(i, 0))
        finally:
            self._selecting = False
        self.count_label.setText(self.count_text(rows))
        self.rows_loaded()

    def rows_loaded(self) -> None:
        pass

    def _row_changed(self, current, _previous) -> None:
        if self._selecting:
            return
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None:
            self.edit(row)

    def select(self, key: Any) -> bool:
        """Open the row ``key`` in the editor (as a click on it would)."""
        i = self.model.row_of(self.key, key)
        if i < 0:
            return False
        self.table.selectRow(i)
        self.edit(self.model.rows[i])
        return True

    def edit(self, row: Any) -> None:
        self.current = row
        self.message.clear()
        self.fill(row)
        self._update_busy()

    def start_new(self) -> None:
        self.current = None
        self._selecting = True
        self.table.clearSelection()
        self._selecting = False
        self.message.clear()
        self.fill(None)
        self._update_busy()

    def button_allowed(self, b: QPushButton) -> bool:
        if b is self.toggle_button:
            b.setText(translate("AdminWorkspace", "启用") if self.current is not None and not self.current.active else translate("AdminWorkspace", "停用"))
            return self.current is not None
        if b in self.extra_buttons:
            return self.current is not None
        return True

    # ----------------------------------------------------------- saving
    def save(self) -> None:
        problems, payload = self.collect()
        if problems:
            self.show_error("；".join(dict.fromkeys(problems)))
            return
        existing = self.current
        self.run(lambda: self.save_call(payload, existing),
                 lambda row: self._saved(row, existing is None))

    def show_row(self, row: Any, text: str) -> None:
        """``row`` as the service now has it, in the editor; ``text`` in the strip; the table read again."""
        self.current = row
        self.fill(row)
        self.show_info(text)
        self.reload()

    def _saved(self, row: Any, new: bool) -> None:
        self.show_row(row, self.saved_text(row, new))

    def toggle(self) -> None:
        row = self.current
        if row is None:
            return
        self.run(lambda: self.toggle_call(row), self._toggled)

    def _toggled(self, row: Any) -> None:
        self.show_row(row, self.toggled_text(row))


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", "true" if invalid else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def buttons_row(*buttons: QPushButton, stretch_first: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    if stretch_first:
        row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    return row


def bold(widget: QWidget, factor: float = 1.0) -> None:
    f = QFont(widget.font())
    f.setBold(True)
    if factor != 1.0:
        f.setPointSizeF(f.pointSizeF() * factor)
    widget.setFont(f)


def expanding(widget: QWidget) -> QWidget:
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return widget


__all__ = ["AdminPage", "AdminRowsModel", "TableEditorPage", "Column", "FormMessage", "STYLE", "active_label", "bold", "button",
           "buttons_row", "card", "expanding", "field_label", "hint", "make_table", "mark_invalid"]
