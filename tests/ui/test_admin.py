"""The administrator's workspace, driven as the centre's admin sets up the hall."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from hall.services import admin as adm
from hall.services import centre, deadlines, users

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def make_admin(make_ctx, qtbot):
    from ui.admin import AdminWorkspace

    made = []

    def make(ctx=None):
        ws = AdminWorkspace(ctx or make_ctx("admin"))
        qtbot.addWidget(ws)
        ws.resize(1280, 800)
        ws.show()
        qtbot.waitExposed(ws)
        made.append(ws)
        return ws

    yield make
    from ui.ops import wait_all

    for ws in made:
        ws.shutdown()
    wait_all()


def open_page(qtbot, ws, key):
    page = ws.open_page(key)
    if hasattr(page, "model"):
        qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


def wait_done(qtbot, page):
    qtbot.waitUntil(lambda: not page.busy)


def cell(model, row: int, header: str) -> str:
    from ui.qt import Qt

    col = [c.header for c in model.columns].index(header)
    return model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole)


def test_every_page_is_in_the_navigation(make_admin):
    ws = make_admin()
    labels = [ws.nav.item(i).text() for i in range(ws.nav.count())]
    assert labels == ["中心信息", "业务", "窗口", "调解室", "人员与账户", "取号关键词", "节假日安排",
                      "金额参数", "配置导入导出", "进度查询与通知"]
    assert ws.current_key == "profile"


def test_editing_the_centre_name_saves_it(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = ws.page("profile")
    qtbot.waitUntil(lambda: page.edits["name"].text() == "东湖区社会治理服务中心")
    page.edits["name"].setText("西湖区社会治理服务中心")
    page.edits["mediation_seal_text"].setText("西湖区人民调解委员会")
    page.save()
    qtbot.waitUntil(lambda: centre.centre_profile(ui_hall)["name"] == "西湖区社会治理服务中心")
    wait_done(qtbot, page)
    assert centre.centre_profile(ui_hall)["mediation_seal_text"] == "西湖区人民调解委员会"
    assert page.message.kind == "info" and "已保存" in page.message_text


def test_a_bad_case_pattern_is_refused_before_saving_and_the_form_keeps_it(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = ws.page("profile")
    qtbot.waitUntil(lambda: page.edits["name"].text() != "")
    page.edits["mediation_case_pattern"].setText("东人调字第{seq}号")
    page.edits["short_name"].setText("西湖矛调")
    page.save()
    assert page.message.kind == "error" and "缺少 {year}" in page.message_text
    assert page.edits["mediation_case_pattern"].property("invalid") == "true"
    assert page.edits["short_name"].text() == "西湖矛调"
    assert centre.centre_profile(ui_hall)["short_name"] == "东湖区矛调中心"   # nothing was sent


def test_a_duplicate_prefix_is_refused_inline_and_the_form_keeps_its_values(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = open_page(qtbot, ws, "services")
    page.start_new()
    page.code_edit.setText("notary")
    page.name_edit.setText("公证")
    page.prefix_edit.setText("A")            # 综合受理's prefix
    page.description_edit.setText("公证咨询")
    page.weight_boxes["elderly"].setValue(90)
    page.save()
    qtbot.waitUntil(lambda: page.message.kind == "error")
    wait_done(qtbot, page)
    assert "票号前缀“A”被多个业务使用" in page.message_text
    assert (page.code_edit.text(), page.name_edit.text(), page.prefix_edit.text(),
            page.description_edit.text(), page.weight_boxes["elderly"].value()) == \
        ("notary", "公证", "A", "公证咨询", 90)
    assert "notary" not in {s.code for s in adm.list_all_services(ui_hall)}

    page.prefix_edit.setText("N")           # corrected, saved
    page.save()
    qtbot.waitUntil(lambda: "notary" in {s.code for s in adm.list_all_services(ui_hall)})
    qtbot.waitUntil(lambda: page.model.row_of(lambda s: s.code, "notary") >= 0)
    saved = next(s for s in adm.list_all_services(ui_hall) if s.code == "notary")
    assert saved.prefix == "N" and saved.priority_weights == {"elderly": 90}
    assert page.code_edit.isReadOnly()      # a code is never changed once given


def test_a_deactivated_service_leaves_the_front_desk_but_stays_in_the_admin_table(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = open_page(qtbot, ws, "services")
    assert page.select("education")
    assert page.toggle_button.text() == "停用"
    assert not any(b.text() == "删除" for b in page.findChildren(type(page.toggle_button)))
    page.toggle()
    qtbot.waitUntil(lambda: not page.busy and page.current is not None and not page.current.active)
    assert "education" not in {s.code for s in centre.list_services(ui_hall)}
    qtbot.waitUntil(lambda: cell(page.model, page.model.row_of(lambda s: s.code, "education"), "状态") == "停用")
    assert page.toggle_button.text() == "启用"
    assert "已停用" in page.message_text


def test_a_window_serves_its_services_in_the_order_given(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = open_page(qtbot, ws, "windows")
    assert page.select("w02")
    assert page.chosen_services() == ["petition", "general"]
    page.service_list.setCurrentRow(1)
    page.move_service(-1)
    page.hours_edits[0].setText("08:30-12:00, 13:30-17:30")
    page.hours_edits[5].setText("9:00-11:30")
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.kind == "info")
    w02 = next(w for w in adm.list_windows(ui_hall) if w.code == "w02")
    assert w02.services == ("general", "petition")
    assert w02.hours == {"0": [["08:30", "12:00"], ["13:30", "17:30"]], "5": [["09:00", "11:30"]]}

    page.hours_edits[1].setText("17:00-08:00")   # refused before anything is sent
    page.save()
    assert page.message.kind == "error" and "结束时间不晚于开始时间" in page.message_text
    assert page.hours_edits[1].text() == "17:00-08:00"


def test_adding_a_user_and_resetting_the_password_shows_it_once(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = open_page(qtbot, ws, "users")
    page.start_new()
    page.username_edit.setText("xiaoli")
    page.name_edit.setText("李小红")
    page.role_boxes["window"].setChecked(True)
    page.role_boxes["mediator"].setChecked(True)
    page.save()
    qtbot.waitUntil(lambda: page.secret.password != "")
    wait_done(qtbot, page)
    first = page.secret.password
    assert "只显示这一次" in page.secret.caption.text()
    account = next(u for u in users.list_users(ui_hall) if u.username == "xiaoli")
    assert set(account.roles) == {"window", "mediator"} and account.must_change_password
    users.authenticate(ui_hall, "xiaoli", first)

    page.reset_password()
    qtbot.waitUntil(lambda: page.secret.password not in ("", first))
    wait_done(qtbot, page)
    users.authenticate(ui_hall, "xiaoli", page.secret.password)

    qtbot.waitUntil(lambda: page.model.row_of(lambda u: u.username, "qiantai") >= 0)
    page.select("qiantai")                  # moving on: the password is gone
    assert page.secret.password == "" and page.secret.value.text() == ""


def test_disabling_the_last_administrator_is_refused_inline(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = open_page(qtbot, ws, "users")
    page.select("admin")
    page.toggle()
    qtbot.waitUntil(lambda: page.message.kind == "error")
    assert page.message_text
    assert next(u for u in users.list_users(ui_hall) if u.username == "admin").active


def test_keyword_rules_are_edited_per_service(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = ws.open_page("keywords")
    qtbot.waitUntil(lambda: page.service_list.count() > 0)
    page.show_service("veterans")
    page.set_words(["退役", "退伍", "伤残抚恤"])
    page.show_service("labour")
    page.save()
    qtbot.waitUntil(lambda: page.message.kind == "info")
    rules = {r["service"]: r["words"] for r in centre.keyword_rules(ui_hall)}
    assert rules["veterans"] == ["退役", "退伍", "伤残抚恤"]
    assert "欠薪" in rules["labour"]


def test_entering_the_2027_holiday_schedule(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = ws.open_page("holidays")
    qtbot.waitUntil(lambda: "内置日历" in page.coverage_label.text())
    page.year_box.setValue(2027)
    qtbot.waitUntil(lambda: "2027 年尚未录入" in page.year_state.text())
    assert page.add_holiday("元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 3))
    assert page.add_holiday("春节", dt.date(2027, 2, 6), dt.date(2027, 2, 12))
    assert not page.add_holiday("劳动节", dt.date(2027, 1, 3), dt.date(2027, 1, 4))   # overlaps 元旦
    assert "重叠" in page.message_text
    assert not page.add_swapped(dt.date(2027, 2, 1))          # a Monday
    assert "本来就是工作日" in page.message_text
    assert page.add_swapped(dt.date(2027, 1, 30)) and page.add_swapped(dt.date(2027, 2, 20))
    page.save()
    qtbot.waitUntil(lambda: deadlines.year_schedule(ui_hall, 2027) is not None)
    wait_done(qtbot, page)
    sched = deadlines.year_schedule(ui_hall, 2027)
    assert len(sched.holidays) == 10 and dict(sched.holidays)[dt.date(2027, 2, 9)] == "春节"
    assert list(sched.swapped_workdays) == [dt.date(2027, 1, 30), dt.date(2027, 2, 20)]
    assert "已录入：2027 年" in page.coverage_label.text()
    assert "2027 年放假安排已保存" in page.message_text


def test_amounts_are_checked_then_saved(qtbot, ui_hall, make_admin):
    ws = make_admin()
    page = ws.open_page("amounts")
    wage = page.edits["rules.local_monthly_minimum_wage"]
    qtbot.waitUntil(lambda: wage.text() == "2490")
    wage.setText("两千")
    page.save()
    assert page.message.kind == "error" and "不是数字" in page.message_text
    wage.setText("2690")
    page.save()
    qtbot.waitUntil(lambda: centre.setting(ui_hall, "rules.local_monthly_minimum_wage") == 2690)


def test_export_then_import_into_a_fresh_database_reproduces_the_config(qtbot, ui_hall, make_admin, tmp_path):
    from hall.services import system_actor
    from hall.store.db import Database
    from ui.context import AppContext
    from ui.live import EventFeed

    ws = make_admin()
    page = ws.open_page("config")
    path = tmp_path / "中心配置.json"
    page.export_to(str(path))
    qtbot.waitUntil(lambda: page.message.kind == "info")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == adm.CONFIG_FORMAT and "password" not in path.read_text(encoding="utf-8")

    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}", clock=ui_hall.clock)
    fresh.upgrade()
    feed = EventFeed(fresh, interval_ms=50)
    try:
        other = make_admin(AppContext(fresh, system_actor("new-server"), feed))
        imp = other.open_page("config")
        assert not imp.import_button.isEnabled()
        imp.preview(str(path))
        qtbot.waitUntil(lambda: imp.data is not None and not imp.busy)
        summary = imp.summary.toPlainText()
        assert "业务：新增 10 项" in summary and "临时密码" in summary
        assert imp.import_button.isEnabled()
        imp.apply_import()
        qtbot.waitUntil(lambda: imp.password_model.rowCount() > 0)
        assert adm.list_all_services(fresh) == adm.list_all_services(ui_hall)
        assert adm.list_windows(fresh) == adm.list_windows(ui_hall)
        by_code = lambda rooms: sorted(rooms, key=lambda r: r.code)  # noqa: E731 - listed by id
        assert by_code(adm.list_all_rooms(fresh)) == by_code(adm.list_all_rooms(ui_hall))
        assert {a.username for a in imp.password_model.rows} == {u.username for u in users.list_users(ui_hall)}
        assert imp.password_table.isVisible() and "导入完成" in imp.message_text
        imp.preview(str(path))              # the passwords are gone with the next file
        assert imp.password_model.rowCount() == 0 and not imp.password_table.isVisible()
        qtbot.waitUntil(lambda: imp.data is not None and not imp.busy)
        assert "没有任何变化" in imp.summary.toPlainText()
    finally:
        feed.stop()
        from ui.ops import wait_all

        wait_all()
        fresh.dispose()


def test_a_file_that_is_not_a_config_is_refused_inline(qtbot, make_admin, tmp_path):
    ws = make_admin()
    page = ws.open_page("config")
    bad = tmp_path / "notes.json"
    bad.write_text("{not json", encoding="utf-8")
    page.preview(str(bad))
    qtbot.waitUntil(lambda: page.message.kind == "error")
    assert "不是有效的配置文件" in page.message_text and not page.import_button.isEnabled()


def test_every_model_passes_the_model_tester(qtbot, qtmodeltester, make_admin):
    ws = make_admin()
    models = []
    for key in ("services", "windows", "rooms", "users"):
        page = open_page(qtbot, ws, key)
        models.append(page.model)
    holidays = ws.open_page("holidays")
    holidays.add_holiday("元旦", dt.date(holidays.year_box.value(), 1, 1), dt.date(holidays.year_box.value(), 1, 2))
    models += [holidays.holiday_model, holidays.swap_model, ws.page("config").password_model]
    for model in models:
        qtmodeltester.check(model)


def test_the_shell_opens_the_admin_workspace(make_ctx, qtbot):
    from ui.admin import AdminWorkspace
    from ui.shell import WORKSPACES, create_workspace

    spec = next(s for s in WORKSPACES if s.module == "ui.admin")
    ws = create_workspace(spec, make_ctx("admin"))
    qtbot.addWidget(ws)
    assert isinstance(ws, AdminWorkspace)
    ws.shutdown()
