"""The centre's setup: profile, services, windows, rooms, keyword rules.

``apply_centre`` installs a centre described as data (the demo in
``resources/demo/centre.json``, or another centre's exported setup) and is
idempotent: run twice, it changes nothing the second time. What history
refers to is never deleted: a service or window missing from the data is
deactivated.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from hall.domain.catalogue import RoomDef, ServiceDef, WindowDef, check_catalogue, season_from_data
from hall.domain.clock import local_day
from hall.store.db import Database
from hall.store.models import Room, Service, Setting, Ticket, Window, WindowService

from .base import Actor, InvalidInput, get_setting, unit_of_work
from .views import JsonView


def parse_catalogue(data: dict) -> tuple[list[ServiceDef], list[WindowDef], list[RoomDef]]:
    try:
        services = [ServiceDef(code=s["code"], name=s["name"], prefix=s["prefix"],
                               carry_over=bool(s.get("carry_over", False)),
                               description=s.get("description", ""),
                               priority_weights=dict(s.get("priority_weights", {})))
                    for s in data.get("services", [])]
        windows = []
        for w in data.get("windows", []):
            try:
                season = season_from_data(w.get("season"))
            except ValueError as exc:
                raise InvalidInput(f"窗口“{w.get('code')}”：{exc}") from None
            windows.append(WindowDef(code=w["code"], number=int(w["number"]), name=w["name"],
                                     services=tuple(w["services"]), season=season,
                                     area=str(w.get("area") or "").strip()[:32]))
        rooms = [RoomDef(code=r["code"], name=r["name"], kind=r.get("kind", "mediation"),
                         capacity=int(r.get("capacity", 6)), video=bool(r.get("video", False)))
                 for r in data.get("rooms", [])]
    except KeyError as exc:
        raise InvalidInput(f"配置缺少必填项：{exc.args[0]}") from None
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"配置格式不正确：{exc}") from None
    problems = check_catalogue(services, windows)
    if problems:
        raise InvalidInput("配置有误：" + "；".join(problems))
    return services, windows, rooms


_OPEN = ("waiting", "called", "serving", "on_hold")


def refuse_prefix_change(uow, row: Service, new_prefix: str) -> None:
    """A service may not take a prefix that another service's ticket of today
    (or one still open from an earlier day) carries: its counter goes on from its own
    number, and two visitors would hold the same number (swapping two
    services' prefixes mid-day). Its own issued tickets keep their numbers."""
    if row.prefix == new_prefix:
        return
    today = local_day(uow.now)
    numbers = uow.s.execute(select(Ticket.number).where(
        Ticket.number.like(f"{new_prefix}%"), Ticket.service_id != row.id,
        (Ticket.business_day == today) | Ticket.status.in_(_OPEN)).limit(200)).scalars()
    used = next((n for n in numbers if n[len(new_prefix):].isdigit()), None)
    if used is not None:
        raise InvalidInput(f"业务“{row.name}”的票号前缀不能改为“{new_prefix}”：今天已发出 {new_prefix} 开头的"
                           f"排队号（如 {used}），改动会造成重号；请在营业结束、号都办结后再改")


def apply_centre(db: Database, actor: Actor, data: dict) -> dict:
    """Install or update a centre from data. Returns counts of what changed."""
    services, windows, rooms = parse_catalogue(data)
    changed = {"services": 0, "windows": 0, "rooms": 0, "settings": 0}
    with unit_of_work(db, actor, "centre.configure") as uow:
        s = uow.s
        by_code = {x.code: x for x in s.execute(select(Service)).scalars()}
        for order, d in enumerate(services):
            row = by_code.get(d.code)
            values = dict(name=d.name, prefix=d.prefix, carry_over=d.carry_over,
                          description=d.description, priority_weights=d.priority_weights,
                          sort_order=order, active=True)
            if row is None:
                row = Service(code=d.code, **values)
                s.add(row)
                by_code[d.code] = row
                changed["services"] += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                refuse_prefix_change(uow, row, d.prefix)
                for k, v in values.items():
                    setattr(row, k, v)
                changed["services"] += 1
        s.flush()
        wins = {x.code: x for x in s.execute(select(Window)).scalars()}
        for wd in windows:
            win = wins.get(wd.code)
            values = dict(number=wd.number, name=wd.name, active=True,
                          season_start=wd.season.start if wd.season else None,
                          season_end=wd.season.end if wd.season else None,
                          season_yearly=wd.season.yearly if wd.season else True, area=wd.area)
            wanted = [by_code[c].id for c in wd.services]
            if win is None:
                win = Window(code=wd.code, state="closed", consecutive_priority=0, **values)
                s.add(win)
                changed["windows"] += 1
            else:
                current = [link.service_id for link in win.services]
                if current == wanted and all(getattr(win, k) == v for k, v in values.items()):
                    continue
                for k, v in values.items():
                    setattr(win, k, v)
                win.services.clear()
                s.flush()
                changed["windows"] += 1
            win.services.extend(WindowService(service_id=sid, rank=i) for i, sid in enumerate(wanted))
        room_rows = {x.code: x for x in s.execute(select(Room)).scalars()}
        for rd in rooms:
            room = room_rows.get(rd.code)
            values = dict(name=rd.name, kind=rd.kind, capacity=rd.capacity, video=rd.video, active=True)
            if room is None:
                s.add(Room(code=rd.code, **values))
                changed["rooms"] += 1
            elif any(getattr(room, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(room, k, v)
                changed["rooms"] += 1
        settings = dict(data.get("settings", {}))
        if "centre" in data:
            settings["centre.profile"] = data["centre"]
        if "keyword_rules" in data:
            settings["frontdesk.keyword_rules"] = data["keyword_rules"]
        for key, value in settings.items():
            setting_row = s.get(Setting, key)
            if setting_row is None:
                s.add(Setting(key=key, value=value))
                changed["settings"] += 1
            elif setting_row.value != value:
                setting_row.value = value
                changed["settings"] += 1
        if "departments" in data:   # 吹哨报到: the departments the centre summons
            from . import whistle

            s.flush()
            problems = whistle.department_config_problems(data["departments"], set(by_code))
            if problems:
                raise InvalidInput("配置有误：" + "；".join(problems))
            changed["departments"] = whistle.import_departments(uow, data["departments"])
        if any(changed.values()):
            uow.audit("centre.apply", "centre", "", **changed)
            uow.event("centre.changed", **changed)
        return changed


@dataclass(frozen=True)
class ServiceInfo(JsonView):
    code: str
    name: str
    prefix: str
    description: str
    carry_over: bool


@dataclass(frozen=True)
class RoomInfo(JsonView):
    code: str
    name: str
    kind: str
    capacity: int
    video: bool


def list_services(db: Database) -> list[ServiceInfo]:
    with db.read() as s:
        return [ServiceInfo(x.code, x.name, x.prefix, x.description, x.carry_over)
                for x in s.execute(select(Service).where(Service.active.is_(True))
                                   .order_by(Service.sort_order, Service.id)).scalars()]


def list_rooms(db: Database) -> list[RoomInfo]:
    with db.read() as s:
        return [RoomInfo(r.code, r.name, r.kind, r.capacity, r.video)
                for r in s.execute(select(Room).where(Room.active.is_(True)).order_by(Room.id)).scalars()]


def centre_profile(db: Database) -> dict:
    with db.read() as s:
        return dict(get_setting(s, "centre.profile", {}) or {})


def setting(db: Database, key: str, default=None):
    with db.read() as s:
        return get_setting(s, key, default)


def keyword_rules(db: Database) -> list[dict]:
    return list(setting(db, "frontdesk.keyword_rules", []) or [])
