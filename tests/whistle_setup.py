"""A hall with departments, a whistle desk account and two department liaisons,
and sample exports of the grid platform and the 12345 hotline (for the service,
scenario, UI and benchmark tests of 吹哨报到)."""
from __future__ import annotations

import json

from hall.services import admin as admin_service
from hall.services import whistle
from tests.conftest import staff_actor

DEPARTMENTS = [
    {"code": "water", "name": "自来水公司", "kind": "external",
     "contacts": [{"name": "周工", "phone": "0731-8888001", "title": "调度"}], "categories": ["供水", "管网"]},
    {"code": "metro", "name": "地铁公司", "kind": "external", "categories": ["地铁", "施工"]},
    {"code": "urban", "name": "城管执法中队", "kind": "rotating", "categories": ["占道", "噪音", "施工"]},
    {"code": "housing_bureau", "name": "住建局", "kind": "resident", "services": ["housing"],
     "categories": ["物业", "房屋"]},
]


def setup_whistle(db, admin):
    """Departments, accounts ``diaodu`` (desk), ``shuiwu`` (water), ``ditie`` (metro)."""
    for d in DEPARTMENTS:
        whistle.save_department(db, admin, d)
    admin_service.add_user(db, admin, "diaodu", "孙调度", "whistle_desk")
    admin_service.add_user(db, admin, "shuiwu", "周水务", "department")
    admin_service.add_user(db, admin, "ditie", "吴地铁", "department")
    whistle.set_department_members(db, admin, "water", ["shuiwu"])
    whistle.set_department_members(db, admin, "metro", ["ditie"])
    return {"desk": staff_actor(db, "diaodu"), "water": staff_actor(db, "shuiwu"),
            "metro": staff_actor(db, "ditie")}


def grid_records(n: int = 2, start: int = 1) -> list[dict]:
    return [{"事件编号": f"WG2026{i:06d}", "网格编码": f"430105-003-{i % 40:03d}", "所属街道": "东风路街道",
             "上报人": "网格员刘芳", "地点": f"东风路{i}号", "事件类别": "供水管网", "事件描述": f"路面渗水第{i}处",
             "上报时间": "2026-11-23 08:10", "联系人": "居民张三", "联系电话": "13800138000"}
            for i in range(start, start + n)]


def hotline_records(n: int = 1) -> list[dict]:
    return [{"工单编号": f"12345-2026-{i:05d}", "诉求人": "李女士", "联系电话": "13900139000",
             "诉求内容": "地铁施工围挡占道，夜间噪音扰民", "地点": "五一大道与芙蓉路口", "诉求类别": "地铁施工",
             "派单时间": "2026-11-23 08:30", "办结时限": "2026-11-30 18:00", "答复方式": "电话",
             "所属街道": "东风路街道"} for i in range(1, n + 1)]


def as_json(rows) -> bytes:
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")
