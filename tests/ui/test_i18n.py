"""The English interface: a complete catalogue, released, and used.

* every message the sources mark has an English translation, and the .qm the
  program loads is built from the catalogue (``python -m ui.common.i18n_update --check``);
* the rules' validation messages are listed for translation and come out in
  English;
* no workspace shown in English displays a Chinese text for which the
  catalogue has an English translation (a label built before the translator,
  a ``tr`` with the wrong context, a table label never passed through ``tr``).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.ui.test_layout_fit import demo, language  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "hall_en.ts"
CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


def catalogue() -> dict[str, str]:
    """Chinese source -> English translation, over every context."""
    out = {}
    for m in ET.parse(TS).getroot().iter("message"):
        tr = m.find("translation")
        if tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete") and tr.text:
            out[m.findtext("source")] = tr.text
    return out


def test_the_catalogue_is_complete_and_the_qm_is_built_from_it():
    from ui.common import i18n_update

    assert i18n_update.check() == []


def test_an_unfinished_message_is_reported(tmp_path):
    from ui.common import i18n_update

    ts = tmp_path / "x.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en">'
                  '<context><name>A</name><message><source>叫号</source>'
                  '<translation type="unfinished"></translation></message></context></TS>', encoding="utf-8")
    assert i18n_update.unfinished(ts) == [("A", "叫号")]


def test_every_message_of_the_input_rules_is_listed_for_translation():
    from hall.domain import identity, names
    from ui.common import validation

    listed = set(validation.MESSAGES) | {t for _, t in validation.PATTERNS}
    constants = {v for k, v in vars(identity).items() if k.startswith("MSG_") and isinstance(v, str)}
    assert constants and constants <= listed
    assert set(names._MESSAGES.values()) <= listed


def test_validation_messages_come_out_in_english(qapp, language):  # noqa: F811
    from hall.domain.identity import check_phone, check_resident_id, partial_resident_id_feedback
    from hall.domain.names import check_person_name, clean_pasted_name
    from ui.common.validation import translated

    language("en")
    bad_check = check_resident_id("11010519491231002Y").message
    samples = [check_phone("12345").message, partial_resident_id_feedback("1101051949133"),
               check_resident_id("110105194912310021").message, bad_check,
               check_person_name("张\u202e三").message, check_person_name("", required=True).message,
               clean_pasted_name("张" * 70 + "\x00", max_len=64).message]
    for message in samples:
        assert message and CJK.search(message)
        english = translated(message)
        assert not CJK.search(english), (message, english)
    assert translated("身份证号校验位不正确，应为X") == "The check character of the ID number is wrong; it should be X"
    assert translated("没有人翻译过的一句话") == "没有人翻译过的一句话"       # never lost
    assert translated("窗口名称不能为空") == "窗口名称不能为空"               # not half translated
    language("zh_CN")
    assert translated(bad_check) == bad_check


def _texts(root) -> list[tuple[str, str]]:
    """(where, text) of what a user sees in ``root``."""
    from ui.qt import (
        QCheckBox,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPushButton,
        Qt,
        QTableView,
        QTabWidget,
        QToolButton,
    )

    out = []

    def seen(w) -> bool:
        return w.isVisibleTo(root)

    for w in root.findChildren(QLabel):
        if seen(w):
            out.append((f"label {w.objectName()}", w.text()))
    for w in [*root.findChildren(QPushButton), *root.findChildren(QToolButton), *root.findChildren(QCheckBox)]:
        if seen(w):
            out += [(f"button {w.objectName()}", w.text()), (f"tooltip {w.objectName()}", w.toolTip())]
    for w in root.findChildren(QGroupBox):
        if seen(w):
            out.append((f"group {w.objectName()}", w.title()))
    for w in root.findChildren(QLineEdit):
        if seen(w):
            out.append((f"placeholder {w.objectName()}", w.placeholderText()))
    for w in root.findChildren(QTabWidget):
        if seen(w):
            out += [(f"tab {w.objectName()}", w.tabText(i)) for i in range(w.count())]
    for w in root.findChildren(QComboBox):
        if seen(w):
            out += [(f"combo {w.objectName()}", w.itemText(i)) for i in range(w.count())]
    for w in root.findChildren(QTableView):
        model = w.model()
        if seen(w) and model is not None:
            out += [(f"header {w.objectName()}", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                    for c in range(model.columnCount())]
            for r in range(min(model.rowCount(), 5)):     # labels from tables (status, priority...)
                out += [(f"cell {w.objectName()}", str(model.data(model.index(r, c)) or ""))
                        for c in range(model.columnCount())]
    return out


def _data_texts(db) -> set[str]:
    """What the hall's own data says (service and window names...): shown as entered."""
    from hall.services import centre

    out = set()
    for s in centre.list_services(db):
        out |= {s.name, s.description}
    for w in centre.list_rooms(db):
        out.add(w.name)
    from hall.services import admin

    for w in admin.list_windows(db):
        out |= {w.name, w.area}
    return out


WORKSPACES = [("frontdesk", "qiantai", None), ("window", "chuangkou1", "w01"),
              ("mediator", "tiaojie", None), ("clerk", "shuji", None),
              ("director", "zhuren", None), ("admin", "admin", None)]


@pytest.mark.parametrize("name, username, window", WORKSPACES, ids=[w[0] for w in WORKSPACES])
def test_an_english_workspace_shows_no_chinese_where_a_translation_exists(
        qtbot, demo, language, tmp_path, name, username, window):  # noqa: F811
    from hall.services import users
    from ui.common.context import AppContext
    from ui.common.live import EventFeed
    from ui.common.ops import wait_all
    from ui.common.settings import WINDOW_CODE, Settings
    from ui.qt import QSettings
    from ui.screenshots import _settle
    from ui.shell import MainWindow

    db, password = demo
    language("en")
    known = catalogue()
    data = _data_texts(db)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    settings = Settings()
    settings.set(WINDOW_CODE, window or "")
    actor = users.authenticate(db, username, password, "i18n")
    feed = EventFeed(db)
    shell = MainWindow(AppContext(db, actor, feed, settings.workstation()), settings, centre_name="东湖区社会治理服务中心")
    qtbot.addWidget(shell)
    try:
        shell.resize(1366, 768)
        shell.show()
        qtbot.waitExposed(shell)
        _settle(450)
        wrong = sorted({f"{where}: {text!r} → {known[text]!r}" for where, text in _texts(shell)
                        if text and CJK.search(text) and text in known and text not in data})
        assert wrong == []
    finally:
        shell.shutdown()
        feed.stop()
        wait_all()


def test_the_check_sees_a_chinese_label_that_has_a_translation(qtbot):
    from ui.qt import QLabel, QPushButton, QVBoxLayout, QWidget

    root = QWidget()
    qtbot.addWidget(root)
    lay = QVBoxLayout(root)
    lay.addWidget(QLabel("劳动仲裁"))           # data: a service's name
    lay.addWidget(QPushButton("叫号"))          # the catalogue has "Call"
    root.show()
    known = catalogue()
    flagged = [t for _, t in _texts(root) if t and CJK.search(t) and t in known and t not in {"劳动仲裁"}]
    assert flagged == ["叫号"]


def test_the_front_desk_in_english_says_what_is_wrong_in_english(qtbot, ui_hall, make_ctx, language):  # noqa: F811
    from ui.frontdesk.workspace import FrontDeskWorkspace

    language("en")
    desk = FrontDeskWorkspace(make_ctx("qiantai"))
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    qtbot.waitUntil(lambda: bool(desk.service_buttons))
    desk.id_edit.setText("11010519491231002Y")
    assert desk.id_hint.state == "error" and "ID number" in desk.id_hint.text()
    desk.phone_edit.setText("1381234567a")
    assert desk.phone_hint.state == "error" and not CJK.search(desk.phone_hint.text())
    desk.name_edit.setText("张\u202e三")
    assert "Removed 1 characters" in desk.name_hint.text()
    desk.issue("labour")
    assert not CJK.search(desk.result_headline.text()), desk.result_headline.text()
    desk.grab().save("/tmp/i15-en-desk.png")
    desk.shutdown()


def test_the_label_list_is_written_from_the_tables(monkeypatch):
    from ui.common import i18n_labels_gen as gen

    assert not gen.out_of_date()
    text = gen.render()
    assert 'QT_TRANSLATE_NOOP("ArbitrationState", "仲裁庭已组成"),' in text
    assert 'QT_TRANSLATE_NOOP("PetitionState", "已作出复核意见"),' in text
    # a label added to a table makes the committed list out of date, and the check says so
    monkeypatch.setattr(gen, "TABLES", gen.TABLES + (("Extra", ("hall.domain.workcalendar:WEEKDAY_NAMES",)),))
    assert gen.out_of_date()
    assert 'QT_TRANSLATE_NOOP("Extra", "星期日"),' in gen.render()


def test_labels_are_read_from_each_shape_of_table():
    import enum

    from ui.common.i18n_labels_gen import labels_of

    class Kind(enum.Enum):
        A = "a"

        @property
        def label(self) -> str:
            return "甲"

    assert list(labels_of(Kind)) == ["甲"]
    assert list(labels_of({"x": "乙", "y": "丙"})) == ["乙", "丙"]
    assert list(labels_of((("k", "丁"), ("rules.x", "x", "戊", "元/月", "说明。")))) == ["丁", "戊", "元/月", "说明。"]
    assert list(labels_of("己")) == ["己"]
    with pytest.raises(TypeError):
        list(labels_of(42))


def test_arbitration_and_petition_states_come_out_in_english(qapp, language):  # noqa: F811
    from hall.domain.arbitration import CaseState
    from hall.domain.petitions import PetitionState
    from ui.qt import translate as tr

    language("en")
    try:
        for context, states in (("ArbitrationState", CaseState), ("PetitionState", PetitionState)):
            for state in states:
                english = tr(context, state.label)
                assert english and not CJK.search(english), (context, state.label, english)
    finally:
        language("zh_CN")
    assert tr("ArbitrationState", CaseState.ACCEPTED.label) == "已受理"


def test_every_translated_text_is_written_the_way_lupdate_reads_it():
    """lupdate collects ``self.tr("…")``, ``translate("Context", "…")`` and
    ``QT_TRANSLATE_NOOP``; a bare ``tr("Context", …)`` or a one-argument
    shorthand around ``translate`` would hide its texts from the catalogue."""
    bare_tr = re.compile(r"(?<![\w.])tr\(")
    shorthand = re.compile(r"^\s*(?:def \w+\(\w+[^)]*\)[^:]*:\s*\n\s+return|\w+ = lambda \w+:)\s*translate\(\"\w+\", \w+\)",
                           re.M)
    offending = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for line_no, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0]
            if bare_tr.search(code) and "def tr" not in code:
                offending.append(f"{path.name}:{line_no}: {line.strip()}")
        offending += [f"{path.name}: shorthand {m.group(0).strip()!r}" for m in shorthand.finditer(text)]
    assert offending == []
