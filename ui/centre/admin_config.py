"""配置导入导出: the centre's whole setup to a JSON file, and back.

Importing first shows what would change (compared with this database), then
applies everything in one transaction when confirmed. Accounts travel without
passwords: a new account gets a temporary password, listed here once.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hall.services import InvalidInput, admin
from ui.centre.admin_common import AdminPage, AdminRowsModel, Column, button, buttons_row, card, hint, make_table
from ui.common.context import AppContext
from ui.qt import QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QWidget, translate


def _by_code(rows: list, key: str = "code") -> dict[object, Mapping]:
    # keyed by the value found under `key` in the file: None when a row has none
    return {r.get(key): r for r in rows or [] if isinstance(r, Mapping)}


def _section(label: str, current: list, incoming: list, key: str = "code",
             ignore: tuple[str, ...] = ()) -> list[str]:
    """New, changed and retired rows of one part of the setup, as sentences."""
    cur, new = _by_code(current, key), _by_code(incoming, key)

    def same(a: Mapping, b: Mapping) -> bool:
        return {k: v for k, v in a.items() if k not in ignore} == {k: v for k, v in b.items() if k not in ignore}

    added = [k for k in new if k not in cur]
    changed = [k for k in new if k in cur and not same(cur[k], new[k])]
    retired = [k for k in cur if k not in new and cur[k].get("active", True)]
    out = []
    name = lambda rows, k: str(rows[k].get("name") or rows[k].get("display_name") or k)  # noqa: E731
    if added:
        out.append(translate("ConfigPage", "{what}：新增 {n} 项（{names}）").replace("{what}", label).replace("{n}", str(len(added)))
                   .replace("{names}", "、".join(name(new, k) for k in added)))
    if changed:
        out.append(translate("ConfigPage", "{what}：修改 {n} 项（{names}）").replace("{what}", label).replace("{n}", str(len(changed)))
                   .replace("{names}", "、".join(name(new, k) for k in changed)))
    if retired and key == "code":
        out.append(translate("ConfigPage", "{what}：停用 {n} 项（不在导入的配置中：{names}）").replace("{what}", label)
                   .replace("{n}", str(len(retired))).replace("{names}", "、".join(name(cur, k) for k in retired)))
    return out


def summarise(current: Mapping, incoming: Mapping) -> list[str]:
    """What importing ``incoming`` into a database holding ``current`` would change."""
    out: list[str] = []
    out += _section(translate("ConfigPage", "业务"), current.get("services", []), incoming.get("services", []))
    out += _section(translate("ConfigPage", "窗口"), current.get("windows", []), incoming.get("windows", []))
    out += _section(translate("ConfigPage", "房间"), current.get("rooms", []), incoming.get("rooms", []))
    cur_users = _by_code(current.get("users", []), "username")
    new_users = [u for u in incoming.get("users", []) or [] if u.get("username") not in cur_users]
    out += _section(translate("ConfigPage", "账户"), current.get("users", []), incoming.get("users", []), "username")
    if new_users:
        out.append(translate("ConfigPage", "新账户将各得到一个临时密码（导入后只显示一次），首次登录须修改。"))
    if "centre" in incoming and dict(incoming.get("centre") or {}) != dict(current.get("centre") or {}):
        out.append(translate("ConfigPage", "中心信息将更新"))
    if "keyword_rules" in incoming and incoming.get("keyword_rules") != current.get("keyword_rules"):
        out.append(translate("ConfigPage", "取号关键词将更新"))
    settings_cur, settings_new = current.get("settings") or {}, incoming.get("settings") or {}
    changed = [k for k, v in settings_new.items() if settings_cur.get(k) != v]
    if changed:
        out.append(translate("ConfigPage", "参数：{n} 项将更新（{keys}）").replace("{n}", str(len(changed))).replace("{keys}", "、".join(changed)))
    plans_cur = {p.get("service"): p for p in current.get("appointment_plans", []) or []}
    plans = [p for p in incoming.get("appointment_plans", []) or [] if plans_cur.get(p.get("service")) != p]
    if plans:
        out.append(translate("ConfigPage", "预约设置：{n} 项业务将更新").replace("{n}", str(len(plans))))
    years_cur = {h.get("year"): h for h in current.get("holiday_schedules", []) or []}
    years = [str(h.get("year")) for h in incoming.get("holiday_schedules", []) or [] if years_cur.get(h.get("year")) != h]
    if years:
        out.append(translate("ConfigPage", "节假日安排：{years} 年将录入或更新").replace("{years}", "、".join(years)))
    return out


def read_config(path: str) -> dict:
    """The JSON object in ``path``, or a Chinese refusal naming what is wrong."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(translate("ConfigPage", "无法读取文件“{name}”：{why}").replace("{name}", name)
                           .replace("{why}", exc.strerror or str(exc))) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput(translate("ConfigPage", "“{name}”不是有效的配置文件（应为导出的 JSON 文件）").replace("{name}", name)) from None
    if not isinstance(data, dict) or data.get("format") != admin.CONFIG_FORMAT:
        raise InvalidInput(translate("ConfigPage", "“{name}”不是本系统导出的中心配置文件").replace("{name}", name))
    return data


def write_config(path: str, data: Mapping) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class NewAccount:
    username: str
    password: str


class ConfigPage(AdminPage):
    """Export this centre's setup, or import another's."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("ConfigPage", "配置导入导出"),
                         translate("ConfigPage", "把本中心的业务、窗口、房间、账户、关键词、节假日和参数导出为一个文件，"
                                          "用于备份或在新服务器上恢复。导出文件不含密码。"), parent)
        self.data: dict | None = None
        self.path = ""
        self.dialog: QFileDialog | None = None

        export_frame, ex = card(self.tr("导出"))
        ex.addWidget(hint(self.tr("导出文件为 UTF-8 编码的 JSON，可用文本编辑器查看。")))
        self.export_button = button(self.tr("导出到文件…"), self.choose_export_file, "saveButton")
        ex.addLayout(buttons_row(self.export_button))

        import_frame, im = card(self.tr("导入"))
        im.addWidget(hint(self.tr("导入前先列出将发生的变化，确认后一次性写入；任何一项有误则全部不写入。"
                                  "本库有而文件中没有的业务、窗口、房间将停用，不会删除。")))
        self.file_label = QLabel(self.tr("尚未选择文件"))
        self.file_label.setObjectName("pageNote")
        self.choose_button = button(self.tr("选择配置文件…"), self.choose_import_file)
        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(self.choose_button)
        im.addLayout(row)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("importSummary")
        self.summary.setReadOnly(True)
        self.summary.setPlaceholderText(self.tr("选择文件后，这里列出导入将带来的变化。"))
        self.summary.setMinimumHeight(160)
        im.addWidget(self.summary, 1)
        self.import_button = button(self.tr("确认导入"), self.apply_import, "saveButton")
        im.addLayout(buttons_row(self.import_button))

        self.password_caption = QLabel(self.tr("以下新账户的临时密码只显示这一次，请抄下后当面告知本人："))
        self.password_caption.setObjectName("secretText")
        self.password_caption.setWordWrap(True)
        self.password_model = AdminRowsModel([Column(self.tr("用户名"), lambda a: a.username),
                                              Column(self.tr("临时密码"), lambda a: a.password)], self)
        self.password_table = make_table(self.password_model, [160])
        self.password_table.setMaximumHeight(180)
        im.addWidget(self.password_caption)
        im.addWidget(self.password_table)
        self.password_caption.hide()
        self.password_table.hide()

        self.body.addWidget(export_frame)
        self.body.addWidget(import_frame, 1)
        self.body.addWidget(self.message)
        self.set_busy_buttons(self.export_button, self.choose_button, self.import_button)
        self._update_busy()

    def reload(self) -> None:
        pass

    def button_allowed(self, b) -> bool:
        return b is not self.import_button or self.data is not None

    # ------------------------------------------------------------- export
    def _file_dialog(self, save: bool, on_chosen) -> None:
        dlg = QFileDialog(self, self.tr("导出中心配置") if save else self.tr("选择要导入的中心配置文件"))
        dlg.setNameFilter(self.tr("中心配置 (*.json)"))
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
        if save:
            dlg.setDefaultSuffix("json")
            dlg.selectFile(self.tr("中心配置.json"))
        else:
            dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.fileSelected.connect(on_chosen)
        self.dialog = dlg
        dlg.open()

    def choose_export_file(self) -> None:
        self._file_dialog(True, self.export_to)

    def export_to(self, path: str) -> None:
        db, actor = self.db, self.actor

        def work():
            data = admin.export_config(db, actor)
            write_config(path, data)
            return data

        self.run(work, lambda data: self._exported(path, data))

    def _exported(self, path: str, data: dict) -> None:
        self.show_info(self.tr("已导出到 {path}：业务 {s} 项、窗口 {w} 个、房间 {r} 间、账户 {u} 个（不含密码）。")
                       .replace("{path}", path).replace("{s}", str(len(data["services"])))
                       .replace("{w}", str(len(data["windows"]))).replace("{r}", str(len(data["rooms"])))
                       .replace("{u}", str(len(data["users"]))))

    # ------------------------------------------------------------- import
    def choose_import_file(self) -> None:
        self._file_dialog(False, self.preview)

    def preview(self, path: str) -> None:
        """Read ``path`` and list what importing it would change."""
        db, actor = self.db, self.actor
        self.data = None
        self.path = path
        self.file_label.setText(path)
        self.summary.clear()
        self._forget_passwords()
        self.message.clear()
        self._update_busy()
        def read():
            data = read_config(path)
            admin.check_config(data)         # an invalid file is refused before any preview
            return data, admin.export_config(db, actor)

        self.run(read, self._previewed)

    def _previewed(self, result) -> None:
        data, current = result
        self.data = data
        lines = summarise(current, data)
        self.summary.setPlainText("\n".join(f"• {line}" for line in lines) if lines
                                  else self.tr("导入后没有任何变化。"))
        self._update_busy()

    def apply_import(self) -> None:
        data = self.data
        if data is None:
            self.show_error(self.tr("请先选择配置文件"))
            return
        db, actor = self.db, self.actor
        self.run(lambda: admin.import_config(db, actor, data), self._imported)

    def _imported(self, result: admin.ImportResult) -> None:
        self.data = None
        self._update_busy()
        labels = {"services": self.tr("业务"), "windows": self.tr("窗口"), "rooms": self.tr("房间"),
                  "settings": self.tr("参数"), "appointment_plans": self.tr("预约设置"), "users": self.tr("账户"),
                  "holiday_schedules": self.tr("节假日安排"), "deadlines_recomputed": self.tr("重算的期限")}
        parts = [f"{labels.get(k, k)} {v}" for k, v in result.changed.items() if v]
        self.show_info(self.tr("导入完成：{parts}。").replace("{parts}", "、".join(parts)) if parts
                       else self.tr("导入完成，没有任何变化。"))
        self.summary.clear()
        accounts = [NewAccount(u, p) for u, p in sorted(result.temporary_passwords.items())]
        self.password_model.set_rows(accounts)
        self.password_caption.setVisible(bool(accounts))
        self.password_table.setVisible(bool(accounts))

    def _forget_passwords(self) -> None:
        self.password_model.set_rows([])
        self.password_caption.hide()
        self.password_table.hide()

    def shutdown(self) -> None:
        super().shutdown()
        if self.dialog is not None:
            self.dialog.close()
