"""进度查询与通知: the status page switch and address, the notices that
could not be sent (dead letters, retry), and telling everyone waiting that
the hall closes early."""
from __future__ import annotations

from hall.services import notices, status
from ui.centre.admin_common import AdminPage, button, buttons_row, card, hint, make_table
from ui.common.context import AppContext
from ui.common.tablemodel import Column, RowsModel
from ui.qt import QCheckBox, QFormLayout, QLineEdit, QSpinBox, Qt, QWidget, translate


class StatusNoticesPage(AdminPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("StatusNoticesPage", "进度查询与通知"),
                         translate("StatusNoticesPage", "来访人扫描排队票上的二维码查看进度；同意通知的来访人收到短信。"
                            "查询页由“hall-admin serve”提供，短信由“hall-admin notify-sender”发送。"), parent)
        frame, lay = card(self.tr("进度查询页面"))
        form = QFormLayout()
        self.enabled_check = QCheckBox(self.tr("开放进度查询（关闭后扫码显示“暂时关闭”）"))
        self.enabled_check.setObjectName("statusEnabled")
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("statusBaseUrl")
        self.url_edit.setPlaceholderText("http://192.168.1.5:8080")
        form.addRow(self.enabled_check)
        form.addRow(self.tr("二维码地址"), self.url_edit)
        self.near_spin = QSpinBox()
        self.near_spin.setObjectName("nearAhead")
        self.near_spin.setRange(0, 20)
        self.near_spin.setSuffix(self.tr(" 人"))
        form.addRow(self.tr("前面还剩几人时发“快到您了”"), self.near_spin)
        lay.addLayout(form)
        lay.addWidget(hint(self.tr("二维码只含随机查询码，不含排队号或任何个人信息。")))
        self.save_button = button(self.tr("保存"), self.save, "saveStatusButton")
        lay.addLayout(buttons_row(self.save_button))
        self.body.addWidget(frame)

        frame, lay = card(self.tr("发送失败的通知"))
        self.dead_model = RowsModel([
            Column(self.tr("编号"), lambda r: str(r.id)),
            Column(self.tr("类型"), lambda r: r.kind_label),
            Column(self.tr("排队号"), lambda r: r.ticket_number),
            Column(self.tr("发往"), lambda r: r.address),
            Column(self.tr("尝试"), lambda r: self.tr("{n} 次").replace("{n}", str(r.attempts)),
                   Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("原因"), lambda r: r.last_error, tooltip=lambda r: r.last_error),
        ], self)
        self.dead_view = make_table(self.dead_model, [60, 90, 70, 120, 60])
        self.dead_view.setObjectName("deadLetters")
        lay.addWidget(self.dead_view, 1)
        self.retry_button = button(self.tr("重新发送所选"), self.retry_selected, "retryButton")
        lay.addLayout(buttons_row(self.retry_button))
        self.body.addWidget(frame, 1)

        frame, lay = card(self.tr("提前结束办理"))
        self.close_reason = QLineEdit()
        self.close_reason.setObjectName("earlyCloseReason")
        self.close_reason.setMaxLength(60)
        self.close_reason.setPlaceholderText(self.tr("原因，如“停电检修”（会发给所有同意通知的等候者）"))
        lay.addWidget(self.close_reason)
        self.close_button = button(self.tr("通知所有等候者"), self.announce_close, "earlyCloseButton")
        lay.addLayout(buttons_row(self.close_button))
        self.body.addWidget(frame)
        self.body.addWidget(self.message)
        self.set_busy_buttons(self.save_button, self.retry_button, self.close_button)

    def reload(self) -> None:
        db, actor = self.db, self.actor

        def load():
            with db.read() as s:
                url = status.base_url(s)
            return status.is_enabled(db), url, status.near_threshold_of(db), notices.dead_letters(db, actor)

        self.read(load, self._got)

    def _got(self, result) -> None:
        enabled, url, near, dead = result
        self.near_spin.setValue(near)
        self.enabled_check.setChecked(enabled)
        self.url_edit.setText(url)
        self.dead_model.set_rows(dead)

    def save(self) -> None:
        db, actor = self.db, self.actor
        on, url, near = self.enabled_check.isChecked(), self.url_edit.text(), self.near_spin.value()

        def job():
            status.set_base_url(db, actor, url)
            status.set_near_threshold(db, actor, near)
            return status.set_enabled(db, actor, on)

        self.run(job, lambda on: self.show_info(self.tr("已保存：进度查询已开放") if on
                                                else self.tr("已保存：进度查询已关闭")))

    def retry_selected(self) -> None:
        idx = self.dead_view.currentIndex()
        if not idx.isValid():
            self.show_error(self.tr("请先在列表中选择一条通知"))
            return
        row = self.dead_model.row_at(idx.row())
        db, actor = self.db, self.actor
        self.run(lambda: notices.retry_dead(db, actor, row.id), lambda _r: self._retried(row.id))

    def _retried(self, message_id: int) -> None:
        self.show_info(self.tr("通知 {n} 将重新发送").replace("{n}", str(message_id)))
        self.reload()

    def announce_close(self) -> None:
        db, actor, reason = self.db, self.actor, self.close_reason.text()
        self.run(lambda: notices.announce_early_close(db, actor, reason),
                 lambda n: self.show_info(self.tr("已通知 {n} 位等候的来访人").replace("{n}", str(n))))
