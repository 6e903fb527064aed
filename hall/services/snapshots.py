"""Frozen monthly figures.

A month that is over can be *frozen*: its figures (every section of
:func:`hall.services.stats.compute`, the waiting time by hour and the visits
by day — :func:`hall.services.monthly.month_payload`) are stored once as
canonical JSON (sorted keys, no spaces, UTF-8) with the SHA-256 of those
bytes. The monthly report of a frozen month prints the frozen figures and
their SHA-256; :func:`changes` recomputes the month and lists every figure
that differs from the frozen one (a late entry, a corrected record), so a
re-run says what changed since instead of silently printing other numbers.

The first report of a closed month freezes it (:func:`ensure_frozen`); the
director can also freeze from the dashboard, ``hall-admin report --freeze``
from a script. A month not yet over cannot be frozen.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from hall.domain.clock import as_utc, local_day
from hall.store.db import Database
from hall.store.report_models import MonthlySnapshot

from .base import Actor, Conflict, InvalidInput, unit_of_work
from .views import JsonView

ACTION = "stats.freeze"

#: The field that names a row of a breakdown (its identity in a diff).
_ROW_KEYS = ("category", "source", "mediator", "service", "window", "hour", "rule", "outcome", "day")


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_of(payload: dict) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class SnapshotView(JsonView):
    month: str
    frozen_at: dt.datetime
    frozen_by_name: str
    sha256: str
    payload: dict


@dataclass(frozen=True)
class Change(JsonView):
    """One figure that differs between the frozen month and a re-run."""

    path: str              # e.g. "case_outcomes.success", "cases.by_category[labour].success"
    frozen: Any
    now: Any


def _view(row: MonthlySnapshot) -> SnapshotView:
    return SnapshotView(row.month, as_utc(row.frozen_at), row.frozen_by_name, row.sha256, json.loads(row.payload))


def snapshot(db: Database, year: int, month: int) -> SnapshotView | None:
    """The month's frozen figures, or ``None`` when it was not frozen."""
    with db.read() as s:
        row = s.execute(select(MonthlySnapshot).where(MonthlySnapshot.month == month_key(year, month))
                        ).scalar_one_or_none()
        return _view(row) if row is not None else None


def month_is_over(db: Database, year: int, month: int) -> bool:
    today = local_day(db.clock.now())
    return (year, month) < (today.year, today.month)


def freeze(db: Database, actor: Actor, year: int, month: int) -> SnapshotView:
    """Store the month's figures as they are now. Refused for a month not yet
    over and for a month already frozen (its snapshot is never replaced)."""
    from . import monthly

    actor.require(ACTION)
    monthly.check_month(year, month)
    if not month_is_over(db, year, month):
        raise InvalidInput(f"{year}年{month}月尚未结束，不能冻结；月末之后再冻结")
    payload = monthly.month_payload(db, actor, year, month)
    text = canonical(payload).decode("utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = month_key(year, month)
    with unit_of_work(db, actor, ACTION) as uow:
        found = uow.s.execute(select(MonthlySnapshot.sha256).where(MonthlySnapshot.month == key)
                              ).scalar_one_or_none()
        if found is not None:
            raise Conflict(f"{year}年{month}月的数据已于此前冻结（SHA-256 {found[:12]}…），不再改动")
        row = MonthlySnapshot(month=key, frozen_at=uow.now, frozen_by=actor.user_id,
                              frozen_by_name=actor.display_name or actor.username, payload=text, sha256=digest)
        uow.s.add(row)
        uow.s.flush()
        uow.audit("stats.freeze", "month", key, sha256=digest)
        uow.event("stats.frozen", month=key, sha256=digest)
        return _view(row)


def ensure_frozen(db: Database, actor: Actor, year: int, month: int) -> SnapshotView | None:
    """The month's snapshot, freezing it now if it is over and not yet frozen
    (``None`` for a month not yet over)."""
    actor.require("stats.read")  # before looking at the input
    found = snapshot(db, year, month)
    if found is not None or not month_is_over(db, year, month):
        return found
    if not actor.may(ACTION):
        return None
    try:
        return freeze(db, actor, year, month)
    except Conflict:                     # frozen meanwhile by another workstation
        return snapshot(db, year, month)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a payload by its path; a breakdown's rows by their key."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            key = next((item[k] for k in _ROW_KEYS if isinstance(item, dict) and k in item), i)
            out.update(flatten(item, f"{prefix}[{key}]"))
    else:
        out[prefix] = value
    return out


def _leaves(payload: dict) -> dict[str, Any]:
    out = flatten(payload.get("sections", {}))
    out.update(flatten({k: payload[k] for k in ("by_hour", "by_day") if k in payload}))
    return out


def diff(frozen: dict, now: dict) -> list[Change]:
    """Every figure (by path, e.g. ``cases.success``) whose value differs."""
    a, b = _leaves(frozen), _leaves(now)
    return [Change(path, a.get(path), b.get(path)) for path in sorted(set(a) | set(b))
            if a.get(path) != b.get(path)]


def label_of(path: str) -> str:
    """A figure's path in words: ``cases.by_category[labour].success`` ->
    ``人民调解（按受理月）· labour · 调解成功数``."""
    from . import stats

    labels = {p.section: p for p in stats.providers()}
    head, _, rest = path.partition(".")
    provider = labels.get(head)
    if provider is None:
        return path
    parts = [provider.label]
    for piece in rest.split("."):
        name, _, key = piece.partition("[")
        parts.append(provider.figures.get(name, name) + (f"〔{key.rstrip(']')}〕" if key else ""))
    return " · ".join(parts)


def changes(db: Database, actor: Actor, year: int, month: int) -> list[Change]:
    """The figures of a frozen month that a re-run computes differently."""
    actor.require("stats.read")  # before looking at the input
    from . import monthly

    found = snapshot(db, year, month)
    if found is None:
        raise InvalidInput(f"{year}年{month}月尚未冻结")
    return diff(found.payload, monthly.month_payload(db, actor, year, month))


__all__ = ["Change", "SnapshotView", "canonical", "changes", "diff", "ensure_frozen", "flatten", "freeze",
           "label_of",
           "month_is_over", "month_key", "sha256_of", "snapshot"]
