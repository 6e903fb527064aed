"""A resident rates a closed whistle at the kiosk with the code the whistle desk
showed at closure; the kiosk then returns to its welcome and never shows the
code again."""
from __future__ import annotations

import pytest

from hall.services import satisfaction, whistle
from hall.store.whistle_models import Whistle
from tests.whistle_setup import setup_whistle
from ui.qt import Qt

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def closed(ui_hall, admin):
    who = setup_whistle(ui_hall, admin)
    desk, water = who["desk"], who["water"]
    w = whistle.issue_whistle(ui_hall, desk, kind="daily", departments=["water"], matter="路面渗水",
                              place="东风路1号", street="东风路街道")
    whistle.report(ui_hall, water, w.summons[0].id, "周工")
    whistle.submit_result(ui_hall, water, w.summons[0].id, "已修复")
    return {**who, "w": whistle.confirm_closure(ui_hall, desk, w.id)}


def _satisfaction(db, whistle_id):
    with db.read() as s:
        w = s.get(Whistle, whistle_id)
        return w.satisfaction, w.satisfaction_channel


def test_the_desk_shows_the_code_and_the_resident_rates_at_the_kiosk(qtbot, make_ctx, ui_hall, closed, tmp_path):
    from ui.qt import QWidget
    from ui.whistle.desk import WhistleDeskWorkspace
    from ui.window.rating import KioskRatingPanel

    w = closed["w"]
    desk = WhistleDeskWorkspace(make_ctx("diaodu"))
    qtbot.addWidget(desk)
    desk.resize(1200, 760)
    desk.show()
    desk.tabs.setCurrentIndex(1)
    desk.refresh()
    qtbot.waitUntil(lambda: desk.whistles.model_.rowCount() == 1)
    desk.whistles.selectRow(0)
    rect = desk.whistles.visualRect(desk.whistles.model_.index(0, 0))
    qtbot.mouseClick(desk.whistles.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: "群众评价码：S" in desk.detail.toPlainText())
    code = desk.resident_code
    assert code == whistle.resident_code(ui_hall, closed["desk"], w.id) and satisfaction.is_whistle_code(code)
    assert desk.channel.findData("kiosk") == -1          # the kiosk's rating is the resident's own
    desk.grab().save(str(tmp_path / "desk_code.png"))
    desk.grab().save("/tmp/shots/whistle_desk_code.png")

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(900, 600)
    p = KioskRatingPanel(ui_hall, host)
    p.resize(host.size())
    host.show()
    qtbot.waitExposed(host)
    p.idle.setInterval(60_000)
    p.thanks.setInterval(150)
    # a code of the right form that names no whistle: refused on screen, nothing stored
    salt = satisfaction.whistle_salt(ui_hall)
    qtbot.keyClicks(p.code_edit, satisfaction.whistle_code_for_id(987_654, salt).lower())
    p.form.star_buttons[5].click()
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.last_error != "")
    assert "评价码无效" in p.status.text() and _satisfaction(ui_hall, w.id) == (None, "")
    # the resident's own code, typed in lower case
    p.code_edit.clear()
    qtbot.keyClicks(p.code_edit, code.lower())
    assert p.code_edit.text() == code
    p.form.star_buttons[4].click()
    p.form.tag_buttons["efficient"].click()
    host.grab().save("/tmp/shots/kiosk_whistle_code.png")
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.result is not None)
    assert _satisfaction(ui_hall, w.id) == (4, "kiosk")
    assert p.result.whistle_number == w.number
    assert "感谢" in p.status.text() and code not in p.status.text() and w.number not in p.status.text()
    assert p.code_edit.text() == "" and p.form.rating == 0
    host.grab().save("/tmp/shots/kiosk_whistle_thanks.png")
    qtbot.waitUntil(lambda: "请输入评价码" in p.status.text(), timeout=3000)   # back to the welcome
    assert p.code_edit.text() == "" and p.form.rating == 0 and not p.thanks.isActive()
    assert code not in p.status.text() and code not in p.code_edit.placeholderText()
    # the same code again: once only
    qtbot.keyClicks(p.code_edit, code)
    p.form.star_buttons[1].click()
    p.last_error = ""
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.last_error != "")
    assert "已经评价过了" in p.status.text() and _satisfaction(ui_hall, w.id) == (4, "kiosk")
    # and it counts in the month's assessment
    a = whistle.monthly_assessment(ui_hall, closed["desk"], 2026, 11)
    assert a.streets[0].records["satisfied"] == [w.number]
