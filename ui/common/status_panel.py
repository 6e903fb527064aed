"""A panel that runs its calls off the UI thread and says in one status line
how they went.

The front desk's booking panel and the window's rating panels are such
panels. A call's answer that comes back after the panel is gone is dropped.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui.common.casework import set_status
from ui.common.ops import GuardedOp
from ui.qt import QLabel, QWidget


class StatusPanel(QWidget):
    """Background calls guarded by the panel's life, and the line that reports them."""

    #: Made by each panel: the line its calls report on.
    status: QLabel

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.last_error = ""
        self._busy = False
        self._state = state = {"alive": True}
        self.destroyed.connect(lambda *_: state.update(alive=False))

    def _op(self, fn: Callable[[], Any]) -> GuardedOp:
        return GuardedOp(self, fn, self._state)

    def _say(self, text: str, state: str = "note") -> None:
        set_status(self.status, text, state)
