"""The demo centre: its setup, its staff, and a realistic history of past days.

The centre itself is data (``resources/demo/centre.json``); this module only
loads it and makes up the past visitors, deterministically from a seed, so
that statistics and screens have something true-to-life to show.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from importlib import resources as ir

from sqlalchemy import func, select

from hall.domain import queue as rules
from hall.domain.clock import HALL_TZ, UTC, local_day
from hall.domain.workcalendar import WorkCalendar
from hall.store.db import Database
from hall.store.models import Service, Ticket, TicketCounter, User, Visitor, Window

from .base import Actor, unit_of_work
from .centre import apply_centre
from .users import _hasher

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红梅海燕文斌"
COMPOUND = ["欧阳", "司马", "上官", "诸葛"]

# Minutes of service by service, (mean, spread); the hall's slow and fast desks.
SERVICE_MINUTES = {"general": (6, 3), "petition": (18, 8), "housing": (12, 6), "veterans": (10, 4),
                   "mediation": (25, 12), "labour": (20, 8), "litigation": (15, 6),
                   "legal_aid": (14, 6), "counselling": (35, 10), "education": (8, 3)}
SERVICE_SHARE = {"general": 18, "petition": 12, "housing": 14, "veterans": 4, "mediation": 14,
                 "labour": 16, "litigation": 6, "legal_aid": 10, "counselling": 3, "education": 3}


def load_demo_data() -> dict:
    text = ir.files("resources").joinpath("demo/centre.json").read_text(encoding="utf-8")
    return json.loads(text)


def install_demo(db: Database, actor: Actor, *, history: bool = True) -> dict:
    """Install the demo centre. Idempotent: a second run adds nothing.

    With ``history`` also a month of past visits and a few open cases (see
    :mod:`hall.services.demo_cases`), so every workspace has work on it.
    """
    data = load_demo_data()
    result: dict[str, object] = {"centre": apply_centre(db, actor, data), "staff_added": 0, "history_tickets": 0}
    result["appointment_plans"] = _apply_appointment_plans(db, actor, data.get("appointment_plans", []))
    with unit_of_work(db, actor, "user.manage") as uow:
        existing = set(uow.s.execute(select(User.username)).scalars())
        pw_hash = None
        staff_added = 0
        for person in data.get("staff", []):
            if person["username"] in existing:
                continue
            pw_hash = pw_hash or _hasher.hash(data["demo_password"])
            uow.s.add(User(username=person["username"], display_name=person["display_name"],
                           roles=person["roles"], password_hash=pw_hash, active=True,
                           failed_attempts=0, must_change_password=False, created_at=uow.now))
            staff_added += 1
        result["staff_added"] = staff_added
        if staff_added:
            uow.audit("demo.staff", "user", "", count=staff_added)
    if history:
        from .demo_cases import install_demo_cases

        result["history_tickets"] = _make_history(db, actor, data.get("history", {}))
        result["today_tickets"] = _make_today(db, actor, data.get("history", {}))
        result["open_cases"] = install_demo_cases(db)
    return result


def _apply_appointment_plans(db: Database, actor: Actor, plans: list) -> int:
    """The services that take appointments; an unchanged plan is left as it is."""
    from . import admin

    for plan in plans:
        fields = {k: v for k, v in plan.items() if k != "service"}
        admin.set_appointment_plan(db, actor, plan["service"], **fields)
    return len(plans)


def _name(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return rng.choice(COMPOUND) + rng.choice(GIVEN) + rng.choice(GIVEN)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _arrival(rng: random.Random, day: dt.date) -> dt.datetime:
    # Morning peak 9-11, afternoon peak 14-16, office hours 8:30-17:30.
    if rng.random() < 0.6:
        minutes = rng.gauss(10 * 60, 55)
    else:
        minutes = rng.gauss(15 * 60, 60)
    minutes = min(max(minutes, 8 * 60 + 30), 17 * 60 + 15)
    local = dt.datetime.combine(day, dt.time(0), tzinfo=HALL_TZ) + dt.timedelta(minutes=minutes)
    return local.astimezone(UTC)


def _in_season(window: Window, day: dt.date) -> bool:
    return window.season is None or window.season.contains(day)


def _visitor(rng: random.Random, at: dt.datetime) -> Visitor:
    from hall.domain.search import pinyin_full, pinyin_initials

    name = _name(rng)
    return Visitor(name=name, name_initials=pinyin_initials(name), name_pinyin=pinyin_full(name), created_at=at,
                   phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}")


def _ticket(rng: random.Random, svc: Service, day: dt.date, seq: int, at: dt.datetime,
            visitor: Visitor | None) -> Ticket:
    """A waiting ticket as the front desk would have issued it at ``at``."""
    reason = rng.choice(list(rules.PriorityReason)[:5]) if rng.random() < 0.12 else None
    weight = rules.weight_for(reason, svc.priority_weights)
    return Ticket(service_id=svc.id, business_day=day, seq=seq, number=rules.format_ticket_number(svc.prefix, seq),
                  priority_reason=reason.value if reason else None, priority_weight=weight,
                  queue_key=rules.queue_key(at, weight), visitor=visitor, issued_at=at, recall_count=0, note="",
                  status=rules.TicketStatus.WAITING.value)


def _serve(rng: random.Random, t: Ticket, code: str, window: Window, free_at: dict, user_id: int | None,
           *, no_show: bool = False) -> dt.datetime:
    """Call ``t`` at ``window`` when it is next free and serve it; when it ends."""
    called = max(t.issued_at, free_at[window.id]) + dt.timedelta(seconds=rng.randint(20, 120))
    t.window_id, t.served_by, t.called_at = window.id, user_id, called
    if no_show:
        t.status, t.finished_at = rules.TicketStatus.NO_SHOW.value, called + dt.timedelta(minutes=2)
    else:
        mean, spread = SERVICE_MINUTES.get(code, (10, 4))
        t.started_at = called + dt.timedelta(seconds=rng.randint(30, 150))
        t.finished_at = t.started_at + dt.timedelta(minutes=max(2.0, rng.gauss(mean, spread)))
        t.status = rules.TicketStatus.FINISHED.value
        t.outcome = rng.choices(["resolved", "consulted", "case_opened", "referred", "arbitration",
                                 "materials_missing"], [40, 25, 15, 8, 7, 5])[0]
    free_at[window.id] = t.finished_at
    return t.finished_at


def _catalogue(s) -> tuple[dict[str, Service], list[Window], int | None]:
    services = {x.code: x for x in s.execute(select(Service).where(Service.active.is_(True))).scalars()}
    windows = list(s.execute(select(Window).where(Window.active.is_(True))).scalars())
    serving_user = s.execute(select(User.id).where(User.username == "chuangkou1")).scalar()
    return services, windows, serving_user


def _serving(windows: list[Window], svc: Service, day: dt.date) -> list[Window]:
    return [w for w in windows if _in_season(w, day) and any(l.service_id == svc.id for l in w.services)]


def _make_today(db: Database, actor: Actor, spec: dict) -> int:
    """Today's queue, whatever day the demo is installed on: the visitors served
    since opening (08:30, or the last hour when installed before it) and some
    fifteen waiting now. Skipped once any ticket of today exists."""
    now = db.clock.now()
    today = local_day(now)
    rng = random.Random(int(spec.get("seed", 1)) + today.toordinal())
    with unit_of_work(db, actor, "centre.configure") as uow:
        s = uow.s
        if s.execute(select(func.count()).select_from(Ticket).where(Ticket.business_day == today)).scalar_one():
            return 0
        services, windows, serving_user = _catalogue(s)
        served = {code: _serving(windows, svc, today) for code, svc in services.items()}
        codes = [c for c in SERVICE_SHARE if served.get(c)]
        if not codes:
            return 0
        weights = [SERVICE_SHARE[c] for c in codes]
        midnight = dt.datetime.combine(today, dt.time(0), tzinfo=HALL_TZ).astimezone(UTC)
        opening = dt.datetime.combine(today, dt.time(8, 30), tzinfo=HALL_TZ).astimezone(UTC)
        start = max(midnight, min(opening, now - dt.timedelta(hours=1)))
        waiting_from = max(start, now - dt.timedelta(minutes=40))
        served_count = int((waiting_from - start).total_seconds() / 3600 * 14)
        arrivals = sorted(start + (waiting_from - start) * rng.random() for _ in range(served_count))
        arrivals += sorted(waiting_from + (now - waiting_from) * rng.random() for _ in range(15))
        seqs: dict[str, int] = {}
        free_at = {w.id: start for w in windows}
        for i, at in enumerate(arrivals):
            code = rng.choices(codes, weights)[0]
            seqs[code] = seqs.get(code, 0) + 1
            visitor = _visitor(rng, at)
            s.add(visitor)
            t = _ticket(rng, services[code], today, seqs[code], at, visitor)
            win = min(served[code], key=lambda w: free_at[w.id])
            if i < served_count and max(at, free_at[win.id]) + dt.timedelta(minutes=30) < waiting_from:
                _serve(rng, t, code, win, free_at, serving_user)
            s.add(t)
        for code, last in seqs.items():
            s.add(TicketCounter(service_id=services[code].id, business_day=today, last_number=last))
        uow.audit("demo.today", "ticket", "", tickets=len(arrivals))
        return len(arrivals)


def _make_history(db: Database, actor: Actor, spec: dict) -> int:
    """Finished tickets for the past working days, unless history exists already."""
    today = local_day(db.clock.now())
    days = int(spec.get("days", 30))
    lo, hi = spec.get("tickets_per_day", [90, 160])
    rng = random.Random(int(spec.get("seed", 1)))
    cal = WorkCalendar()
    with unit_of_work(db, actor, "centre.configure") as uow:
        s = uow.s
        if s.execute(select(func.count()).select_from(Ticket).where(Ticket.business_day < today)).scalar_one():
            return 0
        services, windows, serving_user = _catalogue(s)
        visitors: list[Visitor] = []
        made = 0
        codes = [c for c in SERVICE_SHARE if c in services]
        weights = [SERVICE_SHARE[c] for c in codes]
        for back in range(days, 0, -1):
            day = today - dt.timedelta(days=back)
            if not cal.is_workday(day):
                continue
            arrivals = sorted(_arrival(rng, day) for _ in range(rng.randint(lo, hi)))
            seqs: dict[str, int] = {}
            free_at: dict[int, dt.datetime] = {w.id: arrivals[0] for w in windows} if arrivals else {}
            for at in arrivals:
                code = rng.choices(codes, weights)[0]
                serving = _serving(windows, services[code], day)
                if not serving:
                    code = "general"
                    serving = _serving(windows, services[code], day)
                seqs[code] = seqs.get(code, 0) + 1
                if visitors and rng.random() < 0.15:
                    visitor = rng.choice(visitors)
                elif rng.random() < 0.55:
                    visitor = _visitor(rng, at)
                    s.add(visitor)
                    visitors.append(visitor)
                else:
                    visitor = None
                t = _ticket(rng, services[code], day, seqs[code], at, visitor)
                _serve(rng, t, code, min(serving, key=lambda w: free_at[w.id]), free_at, serving_user,
                       no_show=rng.random() < 0.05)
                s.add(t)
                made += 1
            for code, last in seqs.items():
                s.add(TicketCounter(service_id=services[code].id, business_day=day, last_number=last))
        uow.audit("demo.history", "ticket", "", tickets=made, days=days)
        return made
