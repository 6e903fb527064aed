"""The read-only list table every workspace uses.

One place decides how a list looks and behaves: rows are selected whole, one
at a time, nothing is edited in place, the row height is fixed (no
``ResizeToContents``, which measures every row and is slow on long lists),
the row header is hidden and text does not wrap. The options are the few ways
the workspaces differ.
"""
from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QAbstractItemModel, QAbstractItemView, QHeaderView, Qt, QTableView


def list_table(model: QAbstractItemModel, widths: Sequence[int] = (), *, stretch: int | None = None,
               row_height: int = 30, alternate: bool = True, compact: bool = True) -> QTableView:
    """A table showing ``model``.

    ``widths``: the first columns' widths in pixels (0 leaves one as it is).
    ``stretch``: the column that takes the spare width (default: the last).
    ``compact``: no grid and no horizontal scroll bar (the columns are sized
    to fit the panel).
    """
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(alternate)
    view.setWordWrap(False)
    if compact:
        view.setShowGrid(False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch is None)
    for column, width in enumerate(widths):
        if width:
            view.setColumnWidth(column, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
