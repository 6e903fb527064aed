"""A read-only table model over a list of plain rows (dataclasses).

Views never use QTableWidget for data: a model holds the rows, the view draws
only what is visible. Columns are declared once with a header, a getter and,
where a cell is coloured, the colour's getter. :class:`RowsModel` holds rows
set at once; :class:`PagedRowsModel` fetches them a page at a time as the view
scrolls (the deadlines board over tens of thousands of open periods).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ui.common.ops import Op
from ui.qt import QAbstractTableModel, QBrush, QColor, QModelIndex, QPersistentModelIndex, Qt, Signal

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    value: Callable[[R], Any]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: Callable[[R], str] | None = None
    #: the text colour of the cell (``"#rrggbb"``), or ``None`` for the view's own
    foreground: Callable[[R], str | None] | None = None
    #: the cell's background (``"#rrggbb"``), or ``None``
    background: Callable[[R], str | None] | None = None


class RowsModel(QAbstractTableModel):
    """Rows in, cells out. ``set_rows`` replaces everything in one reset."""

    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list = []

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) \
                or not (0 <= index.column() < len(self.columns)):
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align.value) if hasattr(col.align, "value") else int(col.align)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground is not None:
            return _brush(col.foreground(row))
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            return _brush(col.background(row))
        if role == self.RowRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


def _brush(colour: str | None) -> QBrush | None:
    return QBrush(QColor(colour)) if colour else None


class PagedRowsModel(RowsModel):
    """Rows fetched a page at a time by ``fetch(key, limit) -> list``, off the UI thread.

    ``fetch`` returns the first ``limit`` rows for ``key`` (a filter); the
    model asks for one row more than it shows, so it knows whether there is a
    next page, and for the next page when the view scrolls to the end
    (``canFetchMore`` / ``fetchMore``). ``keep`` drops rows the view does not
    show. ``loaded`` is emitted when the first page of a (re)load arrives;
    ``failed`` carries the exception of a fetch that failed. A reload
    supersedes any fetch still running.
    """

    loaded = Signal()
    failed = Signal(object)

    def __init__(self, columns: Sequence[Column], fetch: Callable[[Any, int], list], parent=None, *,
                 page: int, key: Any = None, keep: Callable[[Any], bool] | None = None):
        super().__init__(columns, parent)
        self.fetch = fetch
        self.page = page
        self.key = key
        self.keep = keep
        self.raw = 0          # rows the fetch returned so far, before ``keep``
        self.more = False
        self.fetching = False
        self.generation = 0

    def reload(self, key: Any = None, *, synchronous: bool = False) -> None:
        """Start again from the first page (the filter changed, or the data did)."""
        if key is not None:
            self.key = key
        self.generation += 1
        self.fetching = True
        self._request(self.generation, self.key, self.page + 1, replace=True, synchronous=synchronous)

    def _request(self, gen: int, key: Any, limit: int, *, replace: bool, synchronous: bool = False) -> None:
        fetch = self.fetch
        op = Op(self, lambda: fetch(key, limit)).success(
            lambda rows: self._arrived(gen, rows, limit, replace)).failure(lambda exc: self._failed(gen, exc))
        if synchronous:
            op.run_now()
        else:
            op.run()

    def _arrived(self, gen: int, rows: list, limit: int, replace: bool) -> None:
        if gen != self.generation:
            return  # a newer load superseded this one
        self.fetching = False
        self.more = len(rows) >= limit
        rows = rows[:limit - 1]
        start = 0 if replace else self.raw
        self.raw = len(rows)
        new = [r for r in rows[start:] if self.keep is None or self.keep(r)]
        if replace:
            self.set_rows(new)
            self.loaded.emit()
            return
        if new:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(new) - 1)
            self.rows.extend(new)
            self.endInsertRows()

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self.generation:
            return
        self.fetching = False
        self.failed.emit(exc)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self.more and not self.fetching

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self.fetching = True
        # the fetch pages by limit: ask for one page more than is held
        self._request(self.generation, self.key, self.raw + self.page + 1, replace=False)
