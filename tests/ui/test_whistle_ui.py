"""The centre's whistle desk and the department's desk, driven through the widgets."""
from __future__ import annotations

import pytest

from hall.services import whistle
from tests.whistle_setup import as_json, grid_records, hotline_records, setup_whistle
from ui.qt import Qt


def type_into(qtbot, widget, text: str) -> None:
    """Type ``text``: ASCII key by key, Chinese as an input method commits it."""
    from ui.qt import QApplication, QInputMethodEvent

    widget.setFocus()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and (not run or ch.isascii() == run.isascii()):
            run += ch
            continue
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
        run = ch


@pytest.fixture
def wh(ui_hall, admin):
    return setup_whistle(ui_hall, admin)


def _row_of(table, pred):
    for i, r in enumerate(table.model_.rows):
        if pred(r):
            return i
    raise AssertionError("row not found")


def _click_row(qtbot, table, row):
    table.selectRow(row)
    idx = table.model_.index(row, 0)
    rect = table.visualRect(idx)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _check(lst, code):
    for i in range(lst.count()):
        if lst.item(i).data(Qt.ItemDataRole.UserRole) == code:
            lst.item(i).setCheckState(Qt.CheckState.Checked)


def test_desk_imports_whistles_and_closes(qtbot, make_ctx, wh, messages, tmp_path, monkeypatch):
    from ui.whistle.dept import DepartmentDeskWorkspace
    from ui.whistle.desk import WhistleDeskWorkspace

    desk = WhistleDeskWorkspace(make_ctx("diaodu"))
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitUntil(lambda: desk.departments.count() == 4)
    # a malformed file is refused whole, naming each bad record
    bad = grid_records(3)
    bad[0]["上报时间"] = "不详"
    del bad[2]["地点"]
    (tmp_path / "bad.json").write_bytes(as_json(bad))
    monkeypatch.setattr(desk, "ask_open_path", lambda title: str(tmp_path / "bad.json"))
    qtbot.mouseClick(desk.import_grid_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "未导入任何记录" in desk.inbox_status.text())
    assert "第1条（编号 WG2026000001）" in desk.inbox_status.text()
    assert "第3条（编号 WG2026000003）：缺少地点" in desk.inbox_status.text()
    assert desk.events.model_.rowCount() == 0
    (tmp_path / "grid.json").write_bytes(as_json(grid_records(2)))
    monkeypatch.setattr(desk, "ask_open_path", lambda title: str(tmp_path / "grid.json"))
    qtbot.mouseClick(desk.import_grid_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.events.model_.rowCount() == 2)
    assert "新增 2 条" in desk.inbox_status.text()
    # blow a whistle from the first event: the water company is suggested by its category
    _click_row(qtbot, desk.events, 0)
    qtbot.waitUntil(lambda: desk.place.text().startswith("东风路"))
    qtbot.waitUntil(lambda: "water" in [desk.departments.item(i).data(Qt.ItemDataRole.UserRole)
                                        for i in range(desk.departments.count())
                                        if desk.departments.item(i).checkState() == Qt.CheckState.Checked])
    _check(desk.departments, "metro")
    desk.meeting.setChecked(True)
    qtbot.mouseClick(desk.issue_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.whistles.model_.rowCount() == 1)
    assert "已吹哨" in desk.inbox_status.text() and desk.events.model_.rowCount() == 1
    desk.grab().save(str(tmp_path / "desk.png"))

    # the water company's liaison: only its summons
    dept = DepartmentDeskWorkspace(make_ctx("shuiwu"))
    qtbot.addWidget(dept)
    dept.show()
    qtbot.waitUntil(lambda: dept.table.model_.rowCount() == 1)
    assert dept.title.text() == "自来水公司"
    _click_row(qtbot, dept.table, 0)
    qtbot.waitUntil(lambda: "13800138000" in dept.detail.toPlainText())
    qtbot.mouseClick(dept.return_btn, Qt.MouseButton.LeftButton)     # no reason: refused, said so
    qtbot.waitUntil(lambda: "理由" in dept.status.text())
    type_into(qtbot, dept.who, "周工")
    qtbot.mouseClick(dept.report_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dept.status.text() == "已报到")
    photo = tmp_path / "site.jpg"
    photo.write_bytes(b"\xff\xd8site")
    monkeypatch.setattr(dept, "ask_files", lambda: [str(photo)])
    qtbot.mouseClick(dept.add_file_btn, Qt.MouseButton.LeftButton)
    type_into(qtbot, dept.action_text, "关阀抢修")
    qtbot.mouseClick(dept.action_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "site.jpg" in dept.detail.toPlainText())
    type_into(qtbot, dept.result_text, "更换管段，路面恢复")
    qtbot.mouseClick(dept.result_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dept.status.text() == "已提交办理结果")
    dept.grab().save(str(tmp_path / "dept.png"))

    # the metro company returns its summons with a reason
    metro = DepartmentDeskWorkspace(make_ctx("ditie"))
    qtbot.addWidget(metro)
    qtbot.waitUntil(lambda: metro.table.model_.rowCount() == 1)
    _click_row(qtbot, metro.table, 0)
    type_into(qtbot, metro.reason, "该处管网不属地铁公司")
    qtbot.mouseClick(metro.return_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: metro.status.text() == "已退回中心")

    # the centre confirms closure and records the resident's satisfaction
    desk.tabs.setCurrentIndex(1)
    desk.refresh()
    qtbot.waitUntil(lambda: desk.whistles.model_.rowCount() == 1)
    _click_row(qtbot, desk.whistles, 0)
    qtbot.waitUntil(lambda: "已退回" in desk.detail.toPlainText())
    qtbot.mouseClick(desk.close_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.whistle_status.text() == "已确认办结")
    desk.channel.setCurrentIndex(desk.channel.findData("phone"))
    qtbot.mouseClick(desk.rating_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.whistle_status.text() == "已记录满意度")
    qtbot.waitUntil(lambda: desk.whistles.model_.rows[0].satisfaction == 5)
    desk.tabs.setCurrentIndex(2)
    qtbot.mouseClick(desk.assessment.show_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.assessment.depts.model_.rowCount() == 2)
    assert "办结率 100.0%" in desk.assessment.summary.text()
    _click_row(qtbot, desk.assessment.depts, _row_of(desk.assessment.depts, lambda d: d.code == "metro"))
    qtbot.waitUntil(lambda: "退回（1）" in desk.assessment.records.toPlainText())
    desk.grab().save(str(tmp_path / "assess.png"))


def test_hotline_order_whistle_without_event_and_export(qtbot, make_ctx, wh, ui_hall, messages, tmp_path, monkeypatch):
    from hall.services import whistle_intake as intake
    from ui.whistle.desk import WhistleDeskWorkspace

    intake.import_events(ui_hall, wh["desk"], "12345", as_json(hotline_records(1)), "json")
    desk = WhistleDeskWorkspace(make_ctx("diaodu"))
    qtbot.addWidget(desk)
    qtbot.waitUntil(lambda: desk.events.model_.rowCount() == 1)
    desk.from_event.setChecked(False)
    type_into(qtbot, desk.matter, "小区二次供水水压不足")
    qtbot.mouseClick(desk.issue_btn, Qt.MouseButton.LeftButton)   # no place, no department: refused
    qtbot.waitUntil(lambda: "请填写地点" in desk.inbox_status.text())
    assert "请至少选择一个部门" in desk.inbox_status.text()
    assert desk.matter.toPlainText() == "小区二次供水水压不足"     # kept
    type_into(qtbot, desk.place, "芙蓉小区")
    _check(desk.departments, "water")
    desk.kind.setCurrentIndex(desk.kind.findData("tough"))
    qtbot.mouseClick(desk.issue_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.whistles.model_.rowCount() == 1)
    assert desk.whistles.model_.rows[0].kind == "tough" and desk.events.model_.rowCount() == 1
    desk.tabs.setCurrentIndex(1)
    _click_row(qtbot, desk.whistles, 0)
    qtbot.waitUntil(lambda: desk.review_dept.count() == 1)
    qtbot.mouseClick(desk.escalate_btn, Qt.MouseButton.LeftButton)      # no note: refused
    qtbot.waitUntil(lambda: "督办意见" in desk.whistle_status.text())
    type_into(qtbot, desk.escalate_note, "群众再次来电，请加快")
    qtbot.mouseClick(desk.escalate_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.whistle_status.text() == "已督办")
    qtbot.waitUntil(lambda: "督办：群众再次来电" in desk.detail.toPlainText())
    desk.more_dept.setCurrentIndex(desk.more_dept.findData("metro"))
    qtbot.mouseClick(desk.more_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "地铁公司" in desk.detail.toPlainText())
    desk.w_room.setCurrentIndex(desk.w_room.findData("r_gold"))
    qtbot.mouseClick(desk.w_meeting_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "会商：金牌调解室" in desk.detail.toPlainText())
    qtbot.mouseClick(desk.w_meeting_btn, Qt.MouseButton.LeftButton)     # the same slot again: refused
    qtbot.waitUntil(lambda: "已有会商" in desk.whistle_status.text())
    # 加减分 in the assessment
    desk.tabs.setCurrentIndex(2)
    a = desk.assessment
    qtbot.mouseClick(a.show_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: a.adj_target.count() == 2)
    a.adj_target.setCurrentIndex(a.adj_target.findData("water"))
    a.adj_points.setValue(-3)
    type_into(qtbot, a.adj_reason, "未按要求反馈")
    qtbot.mouseClick(a.adj_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.code == "water" and d.figures["adjustment"] == -3.0 for d in a.depts.model_.rows))
    monkeypatch.setattr(desk, "ask_save_path", lambda title, s: str(tmp_path / "r.xlsx"))
    desk.tabs.setCurrentIndex(1)
    qtbot.mouseClick(desk.export_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "r.xlsx").is_file())


def test_admin_edits_departments_and_periods(qtbot, make_ctx, wh, ui_hall, messages):
    from ui.whistle.desk import WhistleDeskWorkspace

    desk = WhistleDeskWorkspace(make_ctx("admin"))
    qtbot.addWidget(desk)
    tab = desk.settings_tab
    assert tab is not None
    qtbot.waitUntil(lambda: tab.table.model_.rowCount() == 4)
    type_into(qtbot, tab.code, "gas")
    type_into(qtbot, tab.name, "燃气公司")
    type_into(qtbot, tab.categories, "燃气、管道")
    type_into(qtbot, tab.contacts, "郑工 0731-1234567")
    qtbot.mouseClick(tab.save_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.table.model_.rowCount() == 5)
    gas = next(d for d in whistle.list_departments(ui_hall) if d.code == "gas")
    assert gas.categories == ("燃气", "管道") and gas.contacts[0]["phone"] == "0731-1234567"
    tab.periods[("emergency", "response_hours")].setValue(2)
    qtbot.mouseClick(tab.periods_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存时限" in tab.status.text())
    assert whistle.whistle_settings(ui_hall)["deadlines"]["emergency"]["response_hours"] == 2
    # a liaison account must have the department role
    tab.members.setText("qiantai")
    qtbot.mouseClick(tab.save_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "部门联络员" in tab.status.text())


def test_department_without_link_and_director_assessment(qtbot, make_ctx, wh, ui_hall, admin, messages):
    from hall.services import admin as admin_service
    from ui.whistle.assessment import WhistleAssessmentWidget
    from ui.whistle.dept import DepartmentDeskWorkspace

    admin_service.add_user(ui_hall, admin, "lonely", "某联络员", "department")
    dept = DepartmentDeskWorkspace(make_ctx("lonely"))
    qtbot.addWidget(dept)
    qtbot.waitUntil(lambda: "尚未关联部门" in dept.title.text())
    assert dept.table.model_.rowCount() == 0
    w = WhistleAssessmentWidget(make_ctx("zhuren"))
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: "吹哨 0 件" in w.summary.text())


def test_roles_open_their_whistle_workspaces():
    from hall.domain.roles import Role
    from ui.shell import workspaces_for

    assert [s.cls for s in workspaces_for({Role.DIRECTOR})] == ["DirectorWorkspace", "WhistleAssessmentWidget"]
    assert [s.cls for s in workspaces_for({Role.DEPARTMENT})] == ["DepartmentDeskWorkspace"]
    assert [s.cls for s in workspaces_for({Role.WHISTLE_DESK})] == ["WhistleDeskWorkspace"]


def test_whistle_from_a_case_number(qtbot, make_ctx, wh, ui_hall, messages):
    from tests.conftest import staff_actor
    from tests.service.case_workers import wage_case
    from ui.whistle.desk import WhistleDeskWorkspace

    case = wage_case(ui_hall, staff_actor(ui_hall, "chuangkou1", "w-1"))
    desk = WhistleDeskWorkspace(make_ctx("diaodu"))
    qtbot.addWidget(desk)
    qtbot.waitUntil(lambda: desk.departments.count() == 4)
    desk.from_event.setChecked(False)
    desk.subject_kind.setCurrentIndex(desk.subject_kind.findData("case"))
    type_into(qtbot, desk.subject_ref, "NO-SUCH")
    type_into(qtbot, desk.matter, "欠薪涉及多部门")
    type_into(qtbot, desk.place, "某工地")
    _check(desk.departments, "urban")
    qtbot.mouseClick(desk.issue_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "没有编号为“NO-SUCH”的案件" in desk.inbox_status.text())
    desk.subject_ref.setText(case.number)
    qtbot.mouseClick(desk.issue_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.whistles.model_.rowCount() == 1)
    assert desk.whistles.model_.rows[0].subject_label == f"案件{case.number}"
