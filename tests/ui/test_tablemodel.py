"""ui.common.tablemodel: the one table model of every list, set at once or paged."""
from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Row:
    n: int
    late: bool = False


def columns():
    from ui.common.tablemodel import Column

    return [Column("编号", lambda r: r.n),
            Column("状态", lambda r: "逾期" if r.late else "正常", foreground=lambda r: "#c0392b" if r.late else None,
                   background=lambda r: "#fdecea" if r.late else None, tooltip=lambda r: f"第{r.n}行")]


def test_rows_are_cells_with_their_colours_and_tooltips(qapp, qtmodeltester):
    from ui.common.tablemodel import RowsModel
    from ui.qt import QColor, Qt

    model = RowsModel(columns())
    model.set_rows([Row(1), Row(2, late=True)])
    assert model.index(1, 0).data() == "2"
    assert model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#c0392b")
    assert model.index(1, 1).data(Qt.ItemDataRole.BackgroundRole).color() == QColor("#fdecea")
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == "第1行"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "编号"
    qtmodeltester.check(model)


def test_a_paged_model_fetches_page_by_page_and_keeps_only_what_it_shows(qapp, qtbot, qtmodeltester):
    from ui.common.tablemodel import PagedRowsModel

    data = [Row(i, late=i % 3 == 0) for i in range(1, 11)]
    calls = []

    def fetch(key, limit):
        calls.append((key, limit))
        return [r for r in data if key == "all" or r.late][:limit]

    model = PagedRowsModel(columns(), fetch, page=4, key="all", keep=lambda r: r.n != 2)
    model.reload(synchronous=True)
    assert calls == [("all", 5)]                          # one more than a page: is there a next one?
    assert [r.n for r in model.rows] == [1, 3, 4] and model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: not model.fetching)
    assert calls[-1] == ("all", 9) and [r.n for r in model.rows] == [1, 3, 4, 5, 6, 7, 8]
    model.fetchMore()
    qtbot.waitUntil(lambda: not model.fetching)
    assert [r.n for r in model.rows] == [1, 3, 4, 5, 6, 7, 8, 9, 10] and not model.canFetchMore()
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded):
        model.reload("late")
    assert [r.n for r in model.rows] == [3, 6, 9] and not model.canFetchMore()


def test_a_reload_supersedes_a_page_still_coming_and_a_failure_is_reported(qapp, qtbot):
    from ui.common.tablemodel import PagedRowsModel

    def fetch(key, limit):
        if key == "broken":
            raise RuntimeError("数据库连接中断")
        return [Row(i) for i in range(limit)]

    model = PagedRowsModel(columns(), fetch, page=2, key="a")
    model.reload(synchronous=True)
    model.generation += 1                                 # as if a reload had started meanwhile
    model._arrived(model.generation - 1, [Row(99)], 3, replace=True)
    assert [r.n for r in model.rows] == [0, 1]            # the stale page is dropped
    with qtbot.waitSignal(model.failed) as failed:
        model.reload("broken")
    assert isinstance(failed.args[0], RuntimeError) and not model.fetching


@pytest.mark.parametrize("page", [1, 3])
def test_an_empty_result_has_no_next_page(qapp, page):
    from ui.common.tablemodel import PagedRowsModel

    model = PagedRowsModel(columns(), lambda key, limit: [], page=page)
    model.reload(synchronous=True)
    assert model.rowCount() == 0 and not model.canFetchMore()
