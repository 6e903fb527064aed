"""Permission before work: every service action refuses an actor who may not
do it before it reads its input or writes anything, and a refusal leaves the
database (and the file store) exactly as it was."""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import inspect
import pkgutil

import pytest
from sqlalchemy import select

import hall.services
from hall.domain.roles import Role
from hall.services import Actor, PermissionDenied, queue
from hall.store.schema import Base


def _service_actions():
    out = []
    for mod in pkgutil.walk_packages(hall.services.__path__, "hall.services."):
        m = importlib.import_module(mod.name)   # a package's modules too (hall.services.cases.*)
        for name, fn in vars(m).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != m.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if len(params) >= 2 and params[0].name == "db" and params[1].name == "actor":
                out.append(fn)
    return out


ACTIONS = _service_actions()
# Functions that take an actor only to say who reads, with no permission of their own.
NOT_GUARDED = {
    "users.change_password",   # one's own password; checks the old one
    "documents.verify_store",  # actor optional (None = the system's nightly check)
    "base.unit_of_work",       # the mechanism itself
    "render.preview_document", # the kind decides whose read permission applies
}


def _dummy(p: inspect.Parameter, today: dt.date):
    ann = p.annotation if isinstance(p.annotation, str) else getattr(p.annotation, "__name__", str(p.annotation))
    ann = str(ann)
    if "int" in ann and "str" not in ann:
        return 1
    if "bool" in ann:
        return True
    if "float" in ann or "Decimal" in ann:
        return 1.0
    if "datetime" in ann:
        return dt.datetime.combine(today, dt.time(10), tzinfo=dt.UTC)
    if "date" in ann:
        return today
    if "Mapping" in ann or "dict" in ann:
        return {}
    if "Sequence" in ann or "list" in ann or "Iterable" in ann or "set" in ann:
        return []
    return "x"


def _call(fn, db, actor, today):
    args, kwargs = [db, actor], {}
    for p in list(inspect.signature(fn).parameters.values())[2:]:
        if p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.kind == p.KEYWORD_ONLY:
            kwargs[p.name] = _dummy(p, today)
        else:
            args.append(_dummy(p, today))
    return fn(*args, **kwargs)


def _snapshot(db) -> str:
    h = hashlib.sha256()
    with db.read() as s:
        for table in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
            pk = list(table.primary_key.columns) or list(table.columns)
            for row in s.execute(select(table).order_by(*pk)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def _key(fn) -> str:
    return f"{fn.__module__.rsplit('.', 1)[1]}.{fn.__name__}"


def test_the_action_list_is_not_empty():
    assert len(ACTIONS) > 100


def test_an_actor_without_a_role_is_refused_first_by_every_action_and_nothing_changes(hall, clock, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    files_before = sorted(p.name for p in tmp_path.rglob("*") if "-wal" not in p.name and "-shm" not in p.name)
    nobody = Actor(None, "nobody", frozenset(), "ws")
    today = clock.now().date()
    before = _snapshot(hall)
    late = []
    for fn in ACTIONS:
        if _key(fn) in NOT_GUARDED:
            continue
        try:
            _call(fn, hall, nobody, today)
        except PermissionDenied:
            pass
        except Exception as exc:  # refused for another reason first, or ran
            late.append(f"{_key(fn)}: {type(exc).__name__}: {str(exc)[:60]}")
        else:
            late.append(f"{_key(fn)}: ran")
        assert _snapshot(hall) == before, _key(fn)
        files = sorted(p.name for p in tmp_path.rglob("*") if "-wal" not in p.name and "-shm" not in p.name)
        if files != files_before:
            late.append(f"{_key(fn)}: wrote {set(files) - set(files_before)}")
            files_before = files
    assert late == [], "\n".join(late)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_every_refusal_of_every_role_leaves_the_database_unchanged(hall, clock, role, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    actor = Actor(None, f"as-{role.value}", frozenset({role}), "ws")
    today = clock.now().date()
    refused = 0
    for fn in ACTIONS:
        before = _snapshot(hall)
        try:
            _call(fn, hall, actor, today)
        except PermissionDenied:
            refused += 1
            assert _snapshot(hall) == before, _key(fn)
        except Exception:
            pass
    assert refused > 10


def test_a_window_user_cannot_serve_a_ticket_another_window_called(hall, front_desk, window_staff, clock):
    from tests.conftest import staff_actor

    queue.open_window(hall, window_staff, "w03")
    t = queue.issue_ticket(hall, front_desk, "labour")
    called = queue.call_next(hall, window_staff, "w03")
    assert called.id == t.id
    other = staff_actor(hall, "chuangkou2", "window-2")
    before = _snapshot(hall)
    for act in (lambda: queue.finish(hall, other, t.id), lambda: queue.recall(hall, other, t.id),
                lambda: queue.start_service(hall, other, t.id), lambda: queue.mark_no_show(hall, other, t.id),
                lambda: queue.transfer(hall, other, t.id, "mediation")):
        with pytest.raises(PermissionDenied, match="只有叫号的工作人员或主任、管理员可以办理"):
            act()
    assert _snapshot(hall) == before
    supervisor = Actor(other.user_id, other.username, frozenset({Role.WINDOW, Role.DIRECTOR}), "office")
    assert queue.finish(hall, supervisor, t.id).status == "finished"
