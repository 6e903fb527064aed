"""Keyboard shortcuts a desk binds to its actions."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ui.qt import QKeySequence, QShortcut, Qt, QWidget


def shortcuts(owner: QWidget, keys: Iterable[tuple[str, Callable[[], object]]],
              context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut) -> list[QShortcut]:
    """A shortcut on ``owner`` for each ``(key, slot)``; kept by the caller (and by Qt as ``owner``'s children)."""
    made = []
    for key, slot in keys:
        sc = QShortcut(QKeySequence(key), owner)
        sc.setContext(context)
        sc.activated.connect(slot)
        made.append(sc)
    return made
