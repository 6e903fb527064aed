"""The administrator's setup on both backends: profile, services, windows,
rooms, users, keyword rules, holidays, amounts; audited old → new; bad values
refused in Chinese; deactivation instead of deletion; export and import."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied, centre, deadlines, stats, users
from hall.services import admin as adm
from hall.services import queue as q
from hall.store.db import Database
from hall.store.models import AuditEntry


def audits(db, action):
    with db.read() as s:
        return [a.details for a in s.execute(select(AuditEntry).where(AuditEntry.action == action)
                                             .order_by(AuditEntry.id)).scalars()]


@pytest.fixture
def other_db(db, tmp_path, clock):
    """A second, empty database on the same backend (another centre)."""
    if db.is_postgres:
        from tests.conftest import drop_pg, new_pg_url

        url = new_pg_url()
        d = Database(url, clock=clock)
        yield d
        d.dispose()
        drop_pg(url)
    else:
        d = Database(f"sqlite:///{tmp_path / 'other.db'}", clock=clock)
        d.upgrade()
        yield d
        d.dispose()


# ----------------------------------------------------------------- profile
def test_profile_edit_is_audited_old_to_new(hall, admin):
    p = adm.update_profile(hall, admin, name="西湖区社会治理服务中心", mediation_seal_text="西湖区人民调解委员会",
                           arbitration_case_pattern="西劳人仲案字〔{year}〕第{seq:03d}号")
    assert p["name"] == "西湖区社会治理服务中心" and p["short_name"] == "东湖区矛调中心"
    assert centre.centre_profile(hall)["mediation_seal_text"] == "西湖区人民调解委员会"
    changes = audits(hall, "centre.profile")[-1]["changes"]
    assert changes["name"] == ["东湖区社会治理服务中心", "西湖区社会治理服务中心"]
    assert changes["mediation_seal_text"] == [None, "西湖区人民调解委员会"]
    adm.update_profile(hall, admin, name="西湖区社会治理服务中心")   # no change: no audit row
    assert len(audits(hall, "centre.profile")) == 1
    assert "short_name" not in adm.update_profile(hall, admin, short_name="")


@pytest.mark.parametrize("change, message", [
    (dict(mediation_case_pattern="东人调字第{seq}号"), "缺少 {year}（年份）"),
    (dict(arbitration_case_pattern="〔{year}〕号"), "缺少 {seq}（序号）"),
    (dict(mediation_case_pattern="（{year}）{name}第{seq}号"), "只能使用 {year} 和 {seq}"),
    (dict(name="  "), "中心名称不能为空"),
    (dict(motto="为民"), "未知的中心信息项：motto"),
])
def test_bad_profile_values_are_refused(hall, admin, change, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        adm.update_profile(hall, admin, **change)
    assert centre.centre_profile(hall)["name"] == "东湖区社会治理服务中心"


def test_only_the_admin_configures(hall, admin, front_desk, director):
    for actor in (front_desk, director):
        with pytest.raises(PermissionDenied, match="配置中心"):
            adm.update_profile(hall, actor, name="x")
        with pytest.raises(PermissionDenied):
            adm.add_service(hall, actor, "notary", "公证", "N")
        with pytest.raises(PermissionDenied):
            adm.import_config(hall, actor, adm.export_config(hall, admin))
        with pytest.raises(PermissionDenied, match="配置中心"):   # the export lists every account
            adm.export_config(hall, actor)


# ---------------------------------------------------------------- services
def test_add_and_edit_a_service(hall, admin, front_desk):
    s = adm.add_service(hall, admin, "notary", "公证", "N", description="公证咨询",
                        priority_weights={"elderly": 30})
    assert (s.code, s.prefix, s.active, s.priority_weights) == ("notary", "N", True, {"elderly": 30})
    assert centre.list_services(hall)[-1].code == "notary"
    with pytest.raises(Conflict, match="没有窗口办理此业务"):  # nobody could call it
        q.issue_ticket(hall, front_desk, "notary")
    adm.add_window(hall, admin, "w11", 11, "公证窗口", ["notary"])
    assert q.issue_ticket(hall, front_desk, "notary").number == "N001"
    s = adm.update_service(hall, admin, "notary", name="公证服务", prefix="NO", carry_over=True)
    assert (s.name, s.prefix, s.carry_over) == ("公证服务", "NO", True)
    changes = audits(hall, "service.edit")[-1]["changes"]
    assert changes == {"name": ["公证", "公证服务"], "prefix": ["N", "NO"], "carry_over": [False, True]}
    assert audits(hall, "service.add")[-1]["changes"]["name"] == [None, "公证"]


@pytest.mark.parametrize("args, kw, error, message", [
    (("notary", "公证", "L"), {}, InvalidInput, "票号前缀“L”被多个业务使用"),
    (("notary", "", "N"), {}, InvalidInput, "业务名称不能为空"),
    (("Notary!", "公证", "N"), {}, InvalidInput, "只能用小写字母"),
    (("notary", "公证", "n1"), {}, InvalidInput, "一到两个大写字母"),
    (("labour", "劳动", "N"), {}, Conflict, "业务代码“labour”已存在"),
    (("notary", "公证", "N"), {"priority_weights": {"vip": 10}}, InvalidInput, "未知的优先原因：vip"),
    (("notary", "公证", "N"), {"priority_weights": {"elderly": -5}}, InvalidInput, "0 到 480 分钟"),
])
def test_bad_service_values_are_refused(hall, admin, args, kw, error, message):
    with pytest.raises(error, match=message):
        adm.add_service(hall, admin, *args, **kw)
    assert "notary" not in {s.code for s in adm.list_all_services(hall)}


def test_a_service_with_tickets_is_deactivated_not_deleted(hall, admin, front_desk, window_staff, director):
    t = q.issue_ticket(hall, front_desk, "veterans")
    q.open_window(hall, window_staff, "w06")
    q.call_next(hall, window_staff, "w06")
    q.finish(hall, window_staff, t.id)
    with pytest.raises(Conflict, match="不能删除，只能停用"):
        adm.delete_service(hall, admin, "veterans")
    adm.deactivate_service(hall, admin, "veterans")
    assert "veterans" not in {s.code for s in centre.list_services(hall)}
    with pytest.raises(NotFound):
        q.issue_ticket(hall, front_desk, "veterans")
    # history keeps its name
    assert q.ticket(hall, t.id).service_name == "退役军人"
    day = stats.compute(hall, director, stats.Period.day(dt.date(2026, 11, 23)))["queue"]["by_service"]
    assert [(x["service"], x["name"], x["active"]) for x in day] == [("veterans", "退役军人", False)]
    assert audits(hall, "service.deactivate")[-1]["changes"] == {"active": [True, False]}
    assert adm.reactivate_service(hall, admin, "veterans").active
    adm.deactivate_service(hall, admin, "veterans")
    with pytest.raises(InvalidInput, match="“退役军人”已停用，不能分配给窗口"):
        adm.add_window(hall, admin, "w11", 11, "退役军人二", ["veterans"])


def test_a_service_nothing_refers_to_can_be_deleted(hall, admin):
    adm.add_service(hall, admin, "notary", "公证", "N")
    adm.update_window(hall, admin, "w01", services=["general", "petition", "housing", "notary"])
    adm.set_keyword_rules(hall, admin, centre.keyword_rules(hall) + [{"service": "notary", "words": ["公证"]}])
    adm.add_service(hall, admin, "alone", "独办", "AL")
    adm.add_window(hall, admin, "w11", 11, "独办窗口", ["alone"])
    with pytest.raises(Conflict, match="11号窗口只办理“独办”"):
        adm.delete_service(hall, admin, "alone")
    adm.delete_service(hall, admin, "notary")
    assert "notary" not in {s.code for s in adm.list_all_services(hall)}
    assert [w.services for w in adm.list_windows(hall) if w.code == "w01"] == [("general", "petition", "housing")]
    assert all(r["service"] != "notary" for r in centre.keyword_rules(hall))


# ----------------------------------------------------------------- windows
def test_add_and_edit_a_window(hall, admin, front_desk, window_staff):
    hours = {"0": [["8:30", "12:00"], ["13:30", "17:30"]], "5": [["09:00", "12:00"]]}
    w = adm.add_window(hall, admin, "w11", 11, "综合二", ["general", "housing"],
                       season=("2026-11-01", "2026-12-31"), hours=hours)
    assert (w.number, w.services, w.season_start, w.state) == (11, ("general", "housing"),
                                                               dt.date(2026, 11, 1), "closed")
    assert w.hours["0"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    w = adm.update_window(hall, admin, "w11", services=["housing", "general"], season=None, hours={})
    assert (w.services, w.season_start, w.hours) == (("housing", "general"), None, {})
    changes = audits(hall, "window.edit")[-1]["changes"]
    assert changes["services"] == [["general", "housing"], ["housing", "general"]]
    assert changes["season_start"] == ["2026-11-01", None]
    q.open_window(hall, window_staff, "w11")
    t = q.issue_ticket(hall, front_desk, "housing")
    assert q.call_next(hall, window_staff, "w11").id == t.id
    with pytest.raises(Conflict, match="尚未办结，不能停用"):
        adm.set_window_active(hall, admin, "w11", False)
    q.finish(hall, window_staff, t.id)
    assert not adm.set_window_active(hall, admin, "w11", False).active
    # a retired window's number may be given again
    assert adm.add_window(hall, admin, "w11b", 11, "综合三", ["general"]).number == 11
    with pytest.raises(InvalidInput, match="窗口号 11 重复"):
        adm.set_window_active(hall, admin, "w11", True)
    assert adm.window_hours(hall, "w01") == {}


@pytest.mark.parametrize("kw, error, message", [
    (dict(number=3), InvalidInput, "窗口号 3 重复"),
    (dict(services=["nope"]), InvalidInput, "业务“nope”不存在"),
    (dict(services=[]), InvalidInput, "至少要办理一项业务"),
    (dict(services=["general", "general"]), InvalidInput, "业务列表有重复"),
    (dict(name=" "), InvalidInput, "窗口名称不能为空"),
    (dict(season=("2026-12-01", "2026-11-01")), InvalidInput, "结束早于开始"),
    (dict(season=("2026-13-01", "2026-12-01")), InvalidInput, "格式不正确"),
    (dict(hours={"0": [["18:00", "09:00"]]}), InvalidInput, "结束时间不晚于开始时间"),
    (dict(number=0), InvalidInput, "窗口号应为正整数"),
    (dict(code="w01"), Conflict, "窗口代码“w01”已存在"),
])
def test_bad_window_values_are_refused(hall, admin, kw, error, message):
    args = dict(code="w11", number=11, name="新窗口", services=["general"]) | kw
    with pytest.raises(error, match=message):
        adm.add_window(hall, admin, args.pop("code"), args.pop("number"), args.pop("name"),
                       args.pop("services"), **args)
    assert len(adm.list_windows(hall)) == 10


def test_editing_a_window_is_checked_too(hall, admin):
    with pytest.raises(InvalidInput, match="窗口号 1 重复"):
        adm.update_window(hall, admin, "w02", number=1)
    with pytest.raises(NotFound):
        adm.update_window(hall, admin, "w99", name="x")
    assert adm.update_window(hall, admin, "w02", name="信访接待").name == "信访接待"


# ------------------------------------------------------------------- rooms
def test_rooms(hall, admin):
    r = adm.add_room(hall, admin, "r_family", "家事调解室", "mediation", 6, video=True)
    assert (r.kind, r.capacity, r.video, r.active) == ("mediation", 6, True, True)
    r = adm.update_room(hall, admin, "r_family", capacity=10, video=False)
    assert audits(hall, "room.edit")[-1]["changes"] == {"capacity": [6, 10], "video": [True, False]}
    adm.set_room_active(hall, admin, "r_family", False)
    assert "r_family" not in {x.code for x in centre.list_rooms(hall)}
    assert "r_family" in {x.code for x in adm.list_all_rooms(hall)}
    with pytest.raises(InvalidInput, match="未知的房间类型：kitchen"):
        adm.add_room(hall, admin, "r_x", "厨房", "kitchen")
    with pytest.raises(InvalidInput, match="1 到 500"):
        adm.update_room(hall, admin, "r_gold", capacity=0)
    with pytest.raises(Conflict, match="已存在"):
        adm.add_room(hall, admin, "r_gold", "金牌调解室二", "mediation")


# ------------------------------------------------------------------- users
def test_users_roles_disable_and_passwords(hall, admin):
    made = adm.add_user(hall, admin, "tiaojie2", "吴芳", "mediator")
    assert made.password and made.user.must_change_password
    actor = users.authenticate(hall, "tiaojie2", made.password)
    assert actor.username == "tiaojie2"
    v = adm.update_user(hall, admin, "tiaojie2", roles="mediator,window", display_name="吴芳芳")
    assert v.roles == ("mediator", "window") and v.display_name == "吴芳芳"
    assert audits(hall, "user.edit")[-1]["changes"]["roles"] == ["mediator", "mediator,window"]
    reset = adm.reset_user_password(hall, admin, "tiaojie2")
    assert reset.password and reset.password != made.password and reset.user.must_change_password
    users.authenticate(hall, "tiaojie2", reset.password)
    assert adm.reset_user_password(hall, admin, "tiaojie2", "given2026").password is None
    assert not adm.set_user_active(hall, admin, "tiaojie2", False).active
    assert adm.force_password_change(hall, admin, "qiantai").must_change_password
    with pytest.raises(InvalidInput, match="未知角色：boss"):
        adm.update_user(hall, admin, "qiantai", roles="boss")
    with pytest.raises(InvalidInput, match="未知角色"):
        adm.add_user(hall, admin, "x2", "某某", "boss")


def test_the_last_active_administrator_stays(hall, admin):
    with pytest.raises(Conflict, match="最后一个管理员"):
        adm.set_user_active(hall, admin, "admin", False)
    with pytest.raises(Conflict, match="至少要保留一个启用的系统管理员"):
        adm.update_user(hall, admin, "admin", roles="director")
    adm.add_user(hall, admin, "admin2", "备用管理员", "admin", "second2026")
    assert not adm.set_user_active(hall, admin, "admin", False).active


# ------------------------------------------------------- rules and settings
def test_keyword_rules(hall, admin):
    new = adm.set_keyword_rules(hall, admin, [{"service": "labour", "words": [" 欠薪 ", "欠薪", "工伤"]}])
    assert new == [{"service": "labour", "words": ["欠薪", "工伤"]}] == centre.keyword_rules(hall)
    with pytest.raises(InvalidInput, match="第 1 条关键词规则的业务“nope”不存在"):
        adm.set_keyword_rules(hall, admin, [{"service": "nope", "words": ["x"]}])
    with pytest.raises(InvalidInput, match="至少要有一个关键词"):
        adm.set_keyword_rules(hall, admin, [{"service": "labour", "words": []}])
    with pytest.raises(InvalidInput, match="有空的关键词"):
        adm.set_keyword_rules(hall, admin, [{"service": "labour", "words": ["欠薪", " "]}])


def test_amounts_and_queue_policy(hall, admin):
    got = adm.set_amount_rules(hall, admin, local_monthly_minimum_wage=2690,
                               province_average_annual_wage="131,000")
    assert got == {"rules.local_monthly_minimum_wage": 2690, "rules.province_average_annual_wage": 131000}
    assert audits(hall, "centre.amounts")[-1]["changes"]["rules.local_monthly_minimum_wage"] == [2490, 2690]
    for bad, message in ((0, "应为正数"), (-1, "应为正数"), ("很多", "不是数字"), (True, "应为正数")):
        with pytest.raises(InvalidInput, match=message):
            adm.set_amount_rules(hall, admin, local_monthly_minimum_wage=bad)
    with pytest.raises(InvalidInput, match="请至少给出一项金额"):
        adm.set_amount_rules(hall, admin)
    assert adm.set_queue_policy(hall, admin, priority_cap=2)["queue.priority_cap"] == 2
    with pytest.raises(InvalidInput, match="连续优先叫号上限应为 0 到 20次 的整数"):
        adm.set_queue_policy(hall, admin, priority_cap=99)
    assert centre.setting(hall, "rules.local_monthly_minimum_wage") == 2690


def test_holiday_schedule_goes_through_the_deadlines_service(hall, admin):
    adm.set_holiday_schedule(hall, admin, 2027, [("2027-01-01", "元旦"), (dt.date(2027, 2, 16), "春节")],
                             ["2027-02-20"])
    sched = deadlines.year_schedule(hall, 2027)
    assert sched.holiday_map()[dt.date(2027, 1, 1)] == "元旦"
    with pytest.raises(InvalidInput, match="不在2027年内"):
        adm.set_holiday_schedule(hall, admin, 2027, [("2026-12-31", "跨年")])
    with pytest.raises(InvalidInput, match="本来就是工作日"):
        adm.set_holiday_schedule(hall, admin, 2027, [], ["2027-02-22"])


# --------------------------------------------------------- export / import
def _configured(hall, admin):
    adm.update_profile(hall, admin, mediation_seal_text="东湖区人民调解委员会")
    adm.add_window(hall, admin, "w11", 11, "综合二", ["general"], hours={"0": [["09:00", "12:00"]]})
    adm.set_window_active(hall, admin, "w11", False)
    adm.deactivate_service(hall, admin, "education")
    adm.set_appointment_plan(hall, admin, "labour", slot_minutes=20, capacity=3)
    adm.set_holiday_schedule(hall, admin, 2027, [("2027-01-01", "元旦")])
    adm.add_user(hall, admin, "tiaojie2", "吴芳", "mediator,window")


def test_export_then_import_reproduces_the_centre(hall, admin, other_db):
    _configured(hall, admin)
    data = adm.export_config(hall, admin)
    assert all("password" not in str(u) for u in data["users"])
    assert {u["username"] for u in data["users"]} >= {"admin", "qiantai", "tiaojie2"}
    res = adm.import_config(other_db, admin, data)
    assert set(res.temporary_passwords) == {u["username"] for u in data["users"]}
    assert res.changed["services"] == 10 and res.changed["holiday_schedules"] == 1
    assert adm.export_config(other_db, admin) == data
    again = adm.import_config(other_db, admin, data)
    assert again.temporary_passwords == {} and not any(again.changed.values())
    # the new accounts sign in with the temporary password once, then must change it
    pw = res.temporary_passwords["qiantai"]
    users.authenticate(other_db, "qiantai", pw)
    assert [u.must_change_password for u in users.list_users(other_db) if u.username == "qiantai"] == [True]
    assert "education" not in {s.code for s in centre.list_services(other_db)}
    assert deadlines.year_schedule(other_db, 2027) is not None
    assert audits(other_db, "centre.import")[0]["new_users"] == sorted(res.temporary_passwords)
    assert all(pw not in str(d) for d in audits(other_db, "centre.import"))


def test_import_is_all_or_nothing_with_every_problem_named(hall, admin, other_db):
    data = adm.export_config(hall, admin)
    data["services"][0]["name"] = ""
    data["windows"][0]["services"] = ["general", "nope"]
    data["keyword_rules"].append({"service": "ghost", "words": ["x"]})
    data["users"].append({"username": "x y", "display_name": "某", "roles": "window"})
    data["settings"]["rules.local_monthly_minimum_wage"] = -5
    data["holiday_schedules"] = [{"year": 2027, "holidays": [["2026-05-01", "劳动节"]]}]
    with pytest.raises(InvalidInput) as err:
        adm.import_config(other_db, admin, data)
    assert "业务名称不能为空" in str(err.value) and "“nope”不存在" in str(err.value)
    data["services"][0]["name"] = "综合受理"
    data["windows"][0]["services"] = ["general"]
    with pytest.raises(InvalidInput) as err:
        adm.import_config(other_db, admin, data)
    msg = str(err.value)
    for part in ("关键词规则的业务“ghost”不存在", "用户名“x y”", "当地月最低工资标准应为正数", "不在2027年内"):
        assert part in msg, part
    assert adm.export_config(other_db, admin)["services"] == [] and users.list_users(other_db) == []


def test_import_updates_an_existing_centre_and_retires_what_is_gone(hall, admin):
    data = adm.export_config(hall, admin)
    general, labour = (next(s for s in data["services"] if s["code"] == c) for c in ("general", "labour"))
    general["prefix"], labour["prefix"] = "L", "A"          # swap two prefixes
    data["services"] = [s for s in data["services"] if s["code"] != "counselling"]
    data["windows"] = [w for w in data["windows"] if w["code"] != "w09"]
    data["keyword_rules"] = [r for r in data["keyword_rules"] if r["service"] != "counselling"]
    data["users"] = [u for u in data["users"] if u["username"] != "zhuren"]
    data["centre"]["name"] = "东湖区矛盾纠纷调处化解中心"
    res = adm.import_config(hall, admin, data)
    assert res.temporary_passwords == {}
    # general and labour swap prefixes, counselling retires, education moves up one place
    assert res.changed["services"] == 4 and res.changed["windows"] == 1
    codes = {s.code: s for s in adm.list_all_services(hall)}
    assert (codes["general"].prefix, codes["labour"].prefix, codes["counselling"].active) == ("L", "A", False)
    assert not [w for w in adm.list_windows(hall) if w.code == "w09"][0].active
    assert "zhuren" in {u.username for u in users.list_users(hall)}     # accounts are never retired by import
    assert centre.centre_profile(hall)["name"] == "东湖区矛盾纠纷调处化解中心"
    assert not any(adm.import_config(hall, admin, data).changed.values())


def test_import_refuses_what_is_not_a_config(hall, admin):
    with pytest.raises(InvalidInput, match="JSON 对象"):
        adm.import_config(hall, admin, ["not", "a", "dict"])
    with pytest.raises(InvalidInput, match="不是服务大厅的配置文件"):
        adm.import_config(hall, admin, {"format": "something-else"})
    with pytest.raises(InvalidInput, match="比本程序新"):
        adm.import_config(hall, admin, {"format": adm.CONFIG_FORMAT, "version": 99})


def test_cli_config_export_import_and_stats(tmp_path, capsys):
    import json

    from hall.cli import main

    a, b, path = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "cfg.json"
    assert main(["--db", a, "demo", "--no-history"]) == 0
    assert main(["--db", a, "--json", "config", "export", str(path)]) == 0
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == adm.CONFIG_FORMAT
    capsys.readouterr()
    assert main(["--db", b, "--json", "config", "import", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["changed"]["services"] == 10 and len(out["temporary_passwords"]) == 8
    assert main(["--db", b, "config", "import", str(path)]) == 0
    assert "没有需要变更" in capsys.readouterr().out
    path.write_text("{broken", encoding="utf-8")
    assert main(["--db", b, "config", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hall-admin: 配置文件不是有效的 JSON") and err.count("\n") == 1
    path.write_text(json.dumps({"services": [{"code": "x", "name": "", "prefix": "A"}]}), encoding="utf-8")
    assert main(["--db", b, "config", "import", str(path)]) == 1
    assert "配置有误" in capsys.readouterr().err
    assert main(["--db", b, "config", "import", str(tmp_path / "missing.json")]) == 1
    assert "找不到配置文件" in capsys.readouterr().err
    assert main(["--db", a, "--json", "stats", "--from", "2026-11-01", "--to", "2026-12-01"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["period_from"] == "2026-11-01" and "queue" in report["sections"]
    assert main(["--db", a, "stats", "--from", "2026-12-01", "--to", "2026-11-01"]) == 1
    assert "应晚于开始日期" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["--db", a, "stats", "--from", "2026-11-31", "--to", "2026-12-01"])
    assert stop.value.code == 2 and "日期“2026-11-31”格式不正确" in capsys.readouterr().err
    assert main(["--db", a, "--json", "appointments", "sweep"]) == 0
    assert json.loads(capsys.readouterr().out) == {"missed": 0}


def test_import_refuses_a_malformed_structure(hall, admin):
    for bad in ({"windows": ["w01"]}, {"services": [{"code": "x"}]}, {"users": [["admin"]]},
                {"version": "two"}):
        with pytest.raises(InvalidInput, match="配置格式不正确|配置缺少必填项|版本“two”不正确"):
            adm.import_config(hall, admin, bad)
