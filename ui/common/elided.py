"""A one-line label that never overflows its box: the text is cut in the
middle with “…” to the label's width (a long masked name keeps its surname and
its last character: 庄***…***爽), and a long text never widens the layout.

Used on the public screens (call board, window display) for masked names.
``full_text()`` is what was set; ``text()`` is what is shown.
"""
from __future__ import annotations

from ui.qt import QEvent, QLabel, QSizePolicy, Qt


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent=None, *, mode=Qt.TextElideMode.ElideMiddle, **kw):
        super().__init__(parent, **kw)
        self._full = ""
        self._mode = mode
        self.setWordWrap(False)
        # The layout decides the width; the text follows it, never the reverse.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, self.sizePolicy().verticalPolicy())
        self.setMinimumWidth(1)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text or ""
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin() - 2 * max(self.indent(), 0)
        shown = self._full
        if self._full and width > 0:
            shown = self.fontMetrics().elidedText(self._full, self._mode, width)
        if shown != super().text():
            super().setText(shown)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()

    def fits(self) -> bool:
        """Whether the shown text fits the label's box (what the tests check)."""
        return self.fontMetrics().horizontalAdvance(super().text()) <= self.contentsRect().width()
