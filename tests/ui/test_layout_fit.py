"""Every workspace at 1366×768 and 1920×1080, in Chinese and in English: no
label is cut off.

A label is cut off when the layout gives it less than its text needs: less
width than its one-line size hint, or less height than its wrapped text
(``heightForWidth``) or than one line of its font. Labels that give way on
purpose (size policy ``Ignored``, or eliding themselves) are not counted.
The pictures are saved (``HALL_LAYOUT_SHOTS=<folder>`` keeps them) to be
looked at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SIZES = [(1366, 768), (1920, 1080)]
LANGS = ["zh_CN", "en"]
WORKSPACES = [("frontdesk", "qiantai", None), ("window", "chuangkou1", "w01"), ("window2", "chuangkou2", "w02"),
              ("mediator", "tiaojie", None), ("clerk", "shuji", None),
              ("director", "zhuren", None), ("admin", "admin", None)]


def clipped_labels(root) -> list[str]:
    from ui.qt import QLabel, QPushButton, QSizePolicy

    out = []
    for b in root.findChildren(QPushButton):
        text = b.text().replace("&", "")
        if b.isVisibleTo(root) and text.strip() and b.visibleRegion().boundingRect().isValid():
            need = b.fontMetrics().horizontalAdvance(text) + 8
            if b.width() < need:
                out.append(f"button {b.objectName()}: “{text[:30]}” width {b.width()} < {need}")
    for lab in root.findChildren(QLabel):
        if not lab.isVisibleTo(root) or not lab.text().strip() or lab.pixmap() is not None and not lab.pixmap().isNull():
            continue
        if lab.property("elides") or lab.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored:
            continue
        if not lab.visibleRegion().boundingRect().isValid():
            continue                          # scrolled away inside a scroll area
        w, h = lab.width(), lab.height()
        fm = lab.fontMetrics()
        m = lab.contentsMargins()
        need_h = fm.height() + m.top() + m.bottom()
        if lab.wordWrap():
            need_h = max(need_h, lab.heightForWidth(w))
        else:
            need_w = lab.sizeHint().width()
            if w + 1 < need_w:
                out.append(f"{lab.objectName() or type(lab.parent()).__name__}: “{lab.text()[:30]}” "
                           f"width {w} < {need_w}")
                continue
        if lab.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Ignored:
            continue
        if h + 1 < need_h:
            out.append(f"{lab.objectName() or type(lab.parent()).__name__}: “{lab.text()[:30]}” "
                       f"height {h} < {need_h}")
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from ui.screenshots import build_demo_hall

    db, password = build_demo_hall(tmp_path_factory.mktemp("layout"))
    yield db, password
    db.dispose()


@pytest.fixture
def language(qapp):
    from ui import i18n
    from ui.qt import QLocale

    before = QLocale()
    yield lambda code: i18n.install_translations(qapp, code)
    i18n.remove_translations(qapp)
    QLocale.setDefault(before)


def shots_folder(tmp_path) -> Path:
    folder = Path(os.environ.get("HALL_LAYOUT_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name, username, window", WORKSPACES, ids=[w[0] for w in WORKSPACES])
def test_no_label_is_cut_off(qtbot, demo, language, tmp_path, name, username, window, size, lang):
    from hall.services import users
    from ui.context import AppContext
    from ui.live import EventFeed
    from ui.ops import wait_all
    from ui.qt import QSettings
    from ui.screenshots import _settle
    from ui.settings import WINDOW_CODE, Settings
    from ui.shell import MainWindow

    db, password = demo
    language(lang)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    settings = Settings()
    settings.set(WINDOW_CODE, window or "")
    actor = users.authenticate(db, username, password, "layout")
    feed = EventFeed(db)
    shell = MainWindow(AppContext(db, actor, feed, settings.workstation()), settings, centre_name="东湖区社会治理服务中心")
    qtbot.addWidget(shell)
    try:
        shell.resize(*size)
        shell.show()
        qtbot.waitExposed(shell)
        _settle(450)
        shell.grab().save(str(shots_folder(tmp_path) / f"{name}-{lang}-{size[0]}x{size[1]}.png"))
        assert clipped_labels(shell) == []
    finally:
        shell.shutdown()
        feed.stop()
        wait_all()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_board_cuts_off_nothing(qtbot, demo, language, tmp_path, size, lang):
    from ui.ops import wait_all
    from ui.screenshots import _settle, quiet_board

    db, _ = demo
    language(lang)
    board = quiet_board(db)
    qtbot.addWidget(board)
    try:
        board.resize(*size)
        board.show()
        qtbot.waitExposed(board)
        _settle(450)
        board.grab().save(str(shots_folder(tmp_path) / f"board-{lang}-{size[0]}x{size[1]}.png"))
        assert clipped_labels(board) == []
    finally:
        board.shutdown()
        wait_all()
