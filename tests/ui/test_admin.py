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
    from ui.centre.admin import AdminWorkspace

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
    from ui.common.ops import wait_all

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
                      "金额参数", "期限计算方式", "排队与预约", "配置导入导出", "进度查询与通知"]
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
    qtbot.waitUntil(lambda: page.changes_dialog is not None and page.changes_dialog.isVisible())
    assert deadlines.year_schedule(ui_hall, 2027) is None        # nothing written before the confirmation
    page.changes_dialog.accept()
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
    from ui.common.context import AppContext
    from ui.common.live import EventFeed

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
        from ui.common.ops import wait_all

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
    from ui.centre.admin import AdminWorkspace
    from ui.shell import WORKSPACES, create_workspace

    spec = next(s for s in WORKSPACES if s.module == "ui.centre.admin")
    ws = create_workspace(spec, make_ctx("admin"))
    qtbot.addWidget(ws)
    assert isinstance(ws, AdminWorkspace)
    ws.shutdown()


def test_a_period_is_counted_in_working_days_and_open_due_dates_move(qtbot, make_admin, ui_hall, clock):
    from hall.services import arbitration as arb
    from tests.conftest import staff_actor
    from tests.service.test_arbitration import APPLICATION

    clerk = staff_actor(ui_hall, "shuji", "arbitration-office")
    r = arb.receive_application(ui_hall, clerk, APPLICATION, received_on=dt.date(2026, 11, 19))  # a Thursday
    assert r.acceptance_due == dt.date(2026, 11, 24)                  # five calendar days
    ws = make_admin()
    page = ws.open_page("counting")
    qtbot.waitUntil(lambda: "labour.acceptance" in page.combos)
    combo = page.combos["labour.acceptance"]
    assert combo.currentData() == "calendar" and page.combos.keys() >= {"labour.defence", "labour.hearing_notice"}
    combo.setCurrentIndex(combo.findData("workdays"))
    page.save_button.click()
    wait_done(qtbot, page)
    assert "重算了1个" in page.message_text
    d = arb.arbitration_detail(ui_hall, clerk, r.case_id)
    acc = next(x for x in d.deadlines if x.rule_code == "labour.acceptance")
    assert acc.due_date == dt.date(2026, 11, 26)                      # five working days
    assert "按工作日计算" in acc.explanation
    assert {v.rule_code: v.counting for v in deadlines.counting_settings(ui_hall)}["labour.acceptance"] == "workdays"


def test_a_seasonal_window_recurs_every_year_unless_dated(qtbot, ui_hall, make_admin):
    from ui.qt import QDate

    ws = make_admin()
    page = open_page(qtbot, ws, "windows")
    assert page.select("w10")
    assert page.season_box.isChecked() and page.season_yearly.isChecked()
    assert page.season_start.displayFormat() == "MM-dd"
    assert cell(page.model, page.model.row_of(lambda w: w.code, "w10"), "开放期") == "每年 07-01 至 09-15"
    page.season_start.setDate(QDate(2026, 11, 15))   # a winter season over the new year
    page.season_end.setDate(QDate(2027, 2, 15))
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.kind == "info")
    w10 = next(w for w in adm.list_windows(ui_hall) if w.code == "w10")
    assert w10.season.yearly and w10.season.contains(__import__("datetime").date(2031, 1, 5))

    page.season_yearly.setChecked(False)             # dated: this one period only
    assert page.season_start.displayFormat() == "yyyy-MM-dd"
    page.season_start.setDate(QDate(2026, 7, 1))
    page.season_end.setDate(QDate(2026, 9, 15))
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.kind == "info")
    w10 = next(w for w in adm.list_windows(ui_hall) if w.code == "w10")
    assert not w10.season.yearly and (w10.season_start.year, w10.season_end.year) == (2026, 2026)
    qtbot.waitUntil(lambda: cell(page.model, page.model.row_of(lambda w: w.code, "w10"), "开放期")
                    == "2026-07-01 至 2026-09-15")


def test_an_invalid_config_is_refused_before_the_preview(qtbot, make_admin, tmp_path):
    ws = make_admin()
    page = ws.open_page("config")
    good = tmp_path / "good.json"
    page.export_to(str(good))
    qtbot.waitUntil(lambda: page.message.kind == "info")
    data = json.loads(good.read_text(encoding="utf-8"))
    data["services"][0]["prefix"] = data["services"][1]["prefix"]       # two services, one prefix
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page.preview(str(bad))
    qtbot.waitUntil(lambda: page.message.kind == "error" and not page.busy)
    assert page.data is None and not page.import_button.isEnabled()
    assert "修改" not in page.summary.toPlainText()


def test_the_holiday_page_starts_from_the_built_in_calendar_and_shows_the_diff(qtbot, ui_hall, make_admin, clock):
    """One extra closure day in 2026 (a Wednesday): only that day changes, National Day stays,
    the booking and the open deadline on it are listed, the day is audited."""
    from sqlalchemy import select

    from hall.services import appointments as ap
    from hall.services import centre
    from hall.store.models import AuditEntry, TrackedDeadline
    from tests.conftest import staff_actor

    closing = dt.date(2026, 11, 25)
    service = next(x.code for x in centre.list_services(ui_hall) if ap.plan_for(ui_hall, x.code))
    slot = next(s for s in ap.available_slots(ui_hall, service, closing) if s.bookable)
    booking = ap.book(ui_hall, staff_actor(ui_hall, "qiantai"), service, slot.start, "王小明", "13812345678")
    with ui_hall.write() as s:
        s.add(TrackedDeadline(rule_code="labour.acceptance", subject_type="arbitration", subject_id=1,
                              case_number="东劳人仲案字〔2026〕第5号", label="受理审查", start_date=dt.date(2026, 11, 20),
                              due_date=closing, created_at=clock.now()))
    ws = make_admin()
    page = ws.open_page("holidays")
    qtbot.waitUntil(lambda: "内置日历" in page.coverage_label.text())
    page.year_box.setValue(2026)
    qtbot.waitUntil(lambda: "以下为内置日历的 2026 年安排" in page.year_state.text())
    names = {r.name for r in page.holiday_model.rows}
    assert {"国庆节", "春节", "元旦"} <= names                    # the page starts from the built-in year
    assert page.add_holiday("临时闭馆", closing, closing)
    page.save()
    qtbot.waitUntil(lambda: page.changes_dialog is not None and page.changes_dialog.isVisible())
    found = page.last_changes
    assert [(c.day, c.working_before, c.working_after) for c in found.days] == [(closing, True, False)]
    assert [b.id for b in found.bookings] == [booking.id]
    assert [d.due_date for d in found.deadlines] == [closing]
    text = page.changes_dialog.text.toPlainText()
    assert "2026-11-25（星期三）由工作日改为休息日（临时闭馆）" in text and f"预约号 {booking.id}" in text
    assert "东劳人仲案字〔2026〕第5号" in text
    page.changes_dialog.accept()
    qtbot.waitUntil(lambda: deadlines.year_schedule(ui_hall, 2026) is not None and not page.busy)
    qtbot.waitUntil(lambda: "预约号" in page.affected.text())
    with ui_hall.read() as s:
        cal = deadlines.calendar(s)
        days = s.execute(select(AuditEntry.object_id).where(AuditEntry.action == "calendar.day")).scalars().all()
    assert not cal.is_workday(closing) and cal.is_legal_holiday(dt.date(2026, 10, 1))   # National Day kept
    assert days == ["2026-11-25"]


def test_a_windows_area_is_edited_audited_and_kept_in_the_config_export(qtbot, ui_hall, make_admin, tmp_path,
                                                                      admin):
    from sqlalchemy import select

    from hall.store.db import Database
    from hall.store.models import AuditEntry

    ws = make_admin()
    page = open_page(qtbot, ws, "windows")
    assert page.select("w03")
    assert page.area_box.currentText() == "一楼"
    assert "二楼" in [page.area_box.itemText(i) for i in range(page.area_box.count())]   # the areas in use
    assert cell(page.model, page.model.row_of(lambda w: w.code, "w03"), "区域") == "一楼"
    page.area_box.setCurrentText("  二楼  东区 ")
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.kind == "info")
    w03 = next(w for w in adm.list_windows(ui_hall) if w.code == "w03")
    assert w03.area == "二楼 东区"
    with ui_hall.read() as s:
        row = s.execute(select(AuditEntry).where(AuditEntry.action == "window.edit",
                                                 AuditEntry.object_id == "w03")).scalars().all()[-1]
        assert row.details["changes"]["area"] == ["一楼", "二楼 东区"]
    data = adm.export_config(ui_hall, admin)
    assert next(w for w in data["windows"] if w["code"] == "w03")["area"] == "二楼 东区"
    other = Database(f"sqlite:///{tmp_path / 'other.db'}", clock=ui_hall.clock)
    other.upgrade()
    adm.import_config(other, adm_actor(), data)
    assert next(w for w in adm.list_windows(other) if w.code == "w03").area == "二楼 东区"
    other.dispose()

    page.area_box.setCurrentText("\u202e二楼")               # refused, with a message, nothing lost
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.kind == "error")
    assert "控制字符" in page.message_text and page.area_box.currentText() == "\u202e二楼"

    page.start_new()                                           # a new window gets its area too
    page.code_edit.setText("w21")
    page.name_edit.setText("三楼综合")
    page.area_box.setCurrentText("三楼")
    page.service_list.item(0).setCheckState(page.service_list.item(0).checkState().Checked)
    page.save()
    qtbot.waitUntil(lambda: not page.busy and page.message.kind == "info")
    assert next(w for w in adm.list_windows(ui_hall) if w.code == "w21").area == "三楼"
    page.resize(1366, 768)
    page.grab().save("/tmp/i15-area.png")


def adm_actor():
    from hall.services.base import system_actor

    return system_actor()
