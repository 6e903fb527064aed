"""期限计算方式: whether each configurable period counts calendar days or working days.

The statute says 日 for the 3/5/10-day periods of labour arbitration; whether the
practice reads them as working days could not be verified, so each is a setting:
the default (calendar days with the holiday roll-over of 《民事诉讼法》第八十五条) and
its basis are shown next to it. A change is audited and every open due date of that
rule is recomputed at once.
"""
from __future__ import annotations

from hall.services import deadlines as dl
from ui.centre.admin_common import AdminPage, button, buttons_row, card, hint
from ui.common.casework import empty_layout
from ui.common.context import AppContext
from ui.qt import QComboBox, QGridLayout, QLabel, QWidget, translate

_LABELS = {"calendar": "自然日", "workdays": "工作日"}


class CountingPage(AdminPage):
    """One row per rule: name and article, default, the setting in force."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("CountingPage", "期限计算方式"),
                         translate("CountingPage", "法律写作“日”的期限默认按自然日计算，届满日遇法定休假日顺延（《民事诉讼法》"
                                            "第八十五条）。如本地实践按工作日计算，可逐条改为工作日；修改会记入审计日志，"
                                            "并立即重算所有未完成的期限。"), parent)
        frame, lay = card(self.tr("可设置的期限"))
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        lay.addLayout(self.grid)
        self.body.addWidget(frame)
        self.body.addWidget(self.message)
        self.save_button = button(self.tr("保存"), self.save, "saveButton")
        self.body.addLayout(buttons_row(self.save_button))
        self.body.addStretch(1)
        self.set_busy_buttons(self.save_button)
        self.combos: dict[str, QComboBox] = {}
        self.current: dict[str, str] = {}

    def reload(self) -> None:
        db = self.db
        self.read(lambda: dl.counting_settings(db), self._got)

    def _got(self, rows: list) -> None:
        empty_layout(self.grid)
        self.combos.clear()
        for col, head in enumerate((self.tr("期限"), self.tr("依据"), self.tr("默认"), self.tr("计算方式"))):
            lab = QLabel(head)
            lab.setObjectName("fieldLabel")
            self.grid.addWidget(lab, 0, col)
        for i, r in enumerate(rows, start=1):
            self.grid.addWidget(QLabel(r.name), i, 0)
            basis = hint(r.basis)
            basis.setToolTip(r.note)
            self.grid.addWidget(basis, i, 1)
            self.grid.addWidget(QLabel(self.tr(_LABELS[r.default])), i, 2)
            combo = QComboBox()
            combo.setObjectName(f"counting:{r.rule_code}")
            for code, label in _LABELS.items():
                combo.addItem(self.tr(label), code)
            combo.setCurrentIndex(combo.findData(r.counting))
            self.combos[r.rule_code] = combo
            self.current[r.rule_code] = r.counting
            self.grid.addWidget(combo, i, 3)
        self.loaded = True

    def save(self) -> None:
        changes = {code: c.currentData() for code, c in self.combos.items() if c.currentData() != self.current.get(code)}
        if not changes:
            self.show_info(self.tr("没有修改。"))
            return
        db, actor = self.db, self.actor

        def work() -> int:
            return sum(dl.set_counting(db, actor, code, counting) for code, counting in changes.items())

        def done(moved: int) -> None:
            self.show_info(self.tr("已保存{n}条期限的计算方式，重算了{m}个未完成期限的到期日。")
                           .replace("{n}", str(len(changes))).replace("{m}", str(moved)))
            self.reload()
        self.run(work, done)
