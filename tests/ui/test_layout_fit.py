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
    from ui.common import i18n
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
    from ui.common.context import AppContext
    from ui.common.live import EventFeed
    from ui.common.ops import wait_all
    from ui.common.settings import WINDOW_CODE, Settings
    from ui.qt import QSettings
    from ui.screenshots import _settle
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
    from ui.common.ops import wait_all
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


# --------------------------------------------------------------------------
# The mediator's sitting: participants, minutes, agreement preview
# --------------------------------------------------------------------------

MINUTES_TEXT = {
    "rights_notice": "调解员告知双方当事人在人民调解活动中享有的权利和承担的义务，双方表示听清楚了。" * 2,
    "fact_check": "双方确认申请人自入职起从事装配工作，被申请人尚欠两个月工资共计12000元。" * 3,
    "risk_warning": "告知双方如不能达成协议，可申请劳动仲裁，仲裁期间较长，申请人怀孕期间的权益依法受保护。" * 2,
}


@pytest.fixture(scope="module")
def sitting(tmp_path_factory):
    """The demo hall with a sitting on 陈晓梅's case: parties, the company's agent, minutes."""
    from hall.services import cases, mediation, users
    from ui.screenshots import build_demo_hall

    db, password = build_demo_hall(tmp_path_factory.mktemp("sitting"))
    mediator = users.authenticate(db, "tiaojie", password, "layout")
    case_id = cases.search_cases(db, mediator, "陈晓梅").rows[0].id
    detail = cases.case_detail(db, mediator, case_id)
    session = mediation.open_session(db, mediator, case_id, recorder_name="周记录")
    for party in detail.case.parties:
        mediation.add_participant(db, mediator, session.id, role="party", party_id=party.id,
                                  identity_method="id_card_on_site", consent=True)
    from hall.domain.cases import AgentInput

    agent = cases.add_agent(db, mediator, detail.case.parties[1].id, AgentInput("李晓红", relation="单位工作人员"))
    mediation.add_participant(db, mediator, session.id, role="agent", agent_id=agent.id,
                              presence="remote", remote_location="东湖精工机械有限公司会议室（视频）",
                              identity_method="id_card_on_camera", consent=True)
    mediation.add_participant(db, mediator, session.id, role="mediator", user_id=mediator.user_id, consent=True)
    mediation.save_minutes(db, mediator, session.id, MINUTES_TEXT)
    yield db, password, case_id
    db.dispose()


def not_fitting(widgets) -> list[str]:
    """Widgets given less room than they ask for (geometry against minimumSizeHint)."""
    from ui.qt import QAbstractScrollArea

    out = []
    for name, w in widgets:
        # A scroll area's own hint is a generic 82×82; what it must get is the minimum it was given.
        need = w.minimumSize() if isinstance(w, QAbstractScrollArea) else w.minimumSizeHint().expandedTo(w.minimumSize())
        if not w.isVisible():
            out.append(f"{name}: not shown")
        elif w.width() + 1 < need.width() or w.height() + 1 < need.height():
            out.append(f"{name}: {w.width()}×{w.height()} < {need.width()}×{need.height()}")
    return out


def not_wider_than_view(scroll) -> bool:
    """A scroll area that scrolls only vertically shows its content's whole width."""
    return scroll.widget().minimumSizeHint().width() <= scroll.viewport().width() + 1


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_sitting_screen_cuts_off_nothing(qtbot, sitting, language, tmp_path, size, lang):
    from hall.domain.roles import Role
    from hall.services import users
    from ui.common.context import AppContext
    from ui.common.live import EventFeed
    from ui.common.ops import wait_all
    from ui.common.settings import WINDOW_CODE, Settings
    from ui.qt import QHeaderView, QPlainTextEdit, QSettings
    from ui.screenshots import _settle
    from ui.shell import MainWindow

    db, password, case_id = sitting
    language(lang)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    settings = Settings()
    settings.set(WINDOW_CODE, "")
    actor = users.authenticate(db, "tiaojie", password, "layout")
    feed = EventFeed(db)
    shell = MainWindow(AppContext(db, actor, feed, settings.workstation()), settings, centre_name="东湖区社会治理服务中心")
    qtbot.addWidget(shell)
    try:
        shell.resize(*size)
        shell.show()
        qtbot.waitExposed(shell)
        shell.switch_to(Role.MEDIATOR)
        page = shell.current_page
        page.open_case(case_id)
        qtbot.waitUntil(lambda: page.session.session is not None, timeout=10_000)
        page.tabs.setCurrentWidget(page.session)
        _settle(450)
        folder = shots_folder(tmp_path)
        shell.grab().save(str(folder / f"sitting-{lang}-{size[0]}x{size[1]}.png"))
        tab = page.session
        assert clipped_labels(shell) == []
        # every participant row and column is in view
        table = tab.table
        rows = tab.model.rowCount()
        assert rows == 4
        shown = table.viewport().height()
        need = sum(table.rowHeight(r) for r in range(rows))
        assert shown >= need, f"participants: {shown} px for {need} px of rows"
        header = table.horizontalHeader()
        width = sum(header.sectionSize(c) for c in range(header.count()))
        assert width <= table.viewport().width() + 1 or header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
        # the minutes: every field is at least its minimum, and the first ones are in view
        edits = [(e.objectName(), e) for e in tab.minutes.findChildren(QPlainTextEdit)]
        assert edits
        assert not_fitting([("participants", table), ("minutes", tab.minutes.scroll_area), *edits]) == []
        assert tab.minutes.scroll_area.viewport().height() >= 240, "the minutes editor is too low to write in"
        assert not_wider_than_view(tab.page), "the sitting is cut off at the right"
        # the agreement and its preview
        page.tabs.setCurrentWidget(page.agreement)
        qtbot.waitUntil(lambda: bool(page.agreement.preview_images), timeout=20_000)
        _settle(300)
        shell.grab().save(str(folder / f"agreement-{lang}-{size[0]}x{size[1]}.png"))
        assert clipped_labels(shell) == []
        assert not_wider_than_view(page.agreement.editor_scroll), "the agreement editor is cut off at the right"
        preview = page.agreement.scroll_area
        assert not_fitting([("preview", preview)]) == []
        # a page at least 250 px wide (a third of A4 at 96 dpi) and 300 px high is in view
        assert preview.viewport().width() >= 250 and preview.viewport().height() >= 300, \
            f"preview {preview.viewport().width()}×{preview.viewport().height()}"
    finally:
        shell.shutdown()
        feed.stop()
        wait_all()
