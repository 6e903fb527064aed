"""Staff roles and what each may do.

Permissions are enforced in ``hall.services`` (never by hiding buttons); the
UI may read this table to grey out what a role cannot do.
"""
from __future__ import annotations

import enum


class Role(str, enum.Enum):
    FRONT_DESK = "front_desk"
    WINDOW = "window"
    MEDIATOR = "mediator"
    ARBITRATION_CLERK = "arbitration_clerk"
    DIRECTOR = "director"
    ADMIN = "admin"
    WHISTLE_DESK = "whistle_desk"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.FRONT_DESK: "导引台",
    Role.WINDOW: "窗口",
    Role.MEDIATOR: "调解员",
    Role.ARBITRATION_CLERK: "仲裁书记员",
    Role.DIRECTOR: "主任",
    Role.ADMIN: "系统管理员",
    Role.WHISTLE_DESK: "吹哨调度",
    Role.DEPARTMENT: "部门联络员",
}

_SERVING = frozenset({Role.WINDOW, Role.MEDIATOR, Role.ARBITRATION_CLERK})

#: action -> roles allowed. ``admin`` may do everything (see :func:`allowed`).
PERMISSIONS: dict[str, frozenset[Role]] = {
    "ticket.issue": frozenset({Role.FRONT_DESK, Role.WINDOW}),
    "ticket.cancel": frozenset({Role.FRONT_DESK, Role.WINDOW}),
    "ticket.call": _SERVING,
    "ticket.serve": _SERVING,  # recall, start, no-show, finish, transfer
    # ... a ticket another user called (a supervisor's hand-over)
    "ticket.serve_others": frozenset({Role.DIRECTOR}),
    "window.state": _SERVING,
    "visitor.lookup": frozenset({Role.FRONT_DESK}) | _SERVING,
    "visitor.see_id_number": _SERVING,
    "visitor.merge": frozenset({Role.FRONT_DESK}) | _SERVING,
    "user.manage": frozenset(),
    "centre.configure": frozenset(),
    "stats.read": frozenset({Role.DIRECTOR}),
    "stats.freeze": frozenset({Role.DIRECTOR}),   # freeze a closed month's figures
    "deadline.manage": frozenset({Role.MEDIATOR, Role.ARBITRATION_CLERK}),
    "arbitration.read": frozenset({Role.ARBITRATION_CLERK, Role.DIRECTOR}),
    "arbitration.register": frozenset({Role.ARBITRATION_CLERK}),
    "arbitration.decide": frozenset({Role.ARBITRATION_CLERK}),
    "petition.read": frozenset({Role.WINDOW, Role.DIRECTOR}),
    "petition.register": frozenset({Role.WINDOW}),
    "petition.handle": frozenset({Role.WINDOW, Role.DIRECTOR}),
    "petition.see_whistleblower": frozenset({Role.DIRECTOR}),
    # people's mediation cases
    "case.register": frozenset({Role.WINDOW, Role.MEDIATOR}),
    "case.read": frozenset({Role.WINDOW, Role.MEDIATOR, Role.ARBITRATION_CLERK, Role.DIRECTOR}),
    "case.edit": frozenset({Role.WINDOW, Role.MEDIATOR}),
    "case.refer": frozenset({Role.FRONT_DESK, Role.WINDOW, Role.MEDIATOR}),
    "case.assign": frozenset({Role.MEDIATOR, Role.DIRECTOR}),
    "case.mediate": frozenset({Role.MEDIATOR}),
    "case.follow_up": frozenset({Role.MEDIATOR, Role.WINDOW}),
    "case.import": frozenset(),
    "room.book": frozenset({Role.WINDOW, Role.MEDIATOR}),
    "document.register": frozenset({Role.WINDOW, Role.MEDIATOR, Role.ARBITRATION_CLERK}),
    "store.verify": frozenset({Role.DIRECTOR}),
    "appointment.manage": frozenset({Role.FRONT_DESK, Role.WINDOW}),
    "satisfaction.record": frozenset({Role.FRONT_DESK}) | _SERVING,
    "satisfaction.follow_up": frozenset({Role.DIRECTOR}),
    # 街道吹哨、部门报到 (departments are configured with centre.configure)
    "whistle.read": frozenset({Role.WHISTLE_DESK, Role.DIRECTOR}),
    "whistle.intake": frozenset({Role.WHISTLE_DESK}),
    "whistle.issue": frozenset({Role.WHISTLE_DESK}),
    "whistle.close": frozenset({Role.WHISTLE_DESK}),
    "whistle.assess": frozenset({Role.WHISTLE_DESK, Role.DIRECTOR}),
    "whistle.respond": frozenset({Role.DEPARTMENT}),
}


def allowed(roles: frozenset[Role] | set[Role], action: str) -> bool:
    if Role.ADMIN in roles:
        return True
    try:
        return bool(PERMISSIONS[action] & set(roles))
    except KeyError:
        raise KeyError(f"unknown action {action!r}") from None


def parse_roles(text: str) -> frozenset[Role]:
    """``"window,mediator"`` -> roles; raises ValueError naming a bad role."""
    out = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            out.add(Role(part))
        except ValueError:
            raise ValueError(f"未知角色：{part}（可用：{', '.join(r.value for r in Role)}）") from None
    return frozenset(out)
