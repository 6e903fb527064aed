"""The centre's catalogue as plain data: services, windows, rooms.

The demo centre and any real centre are described by the same structures,
loaded from JSON in ``resources/`` or edited by the admin.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_PREFIX = re.compile(r"^[A-Z]{1,2}$")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


@dataclass(frozen=True)
class ServiceDef:
    code: str
    name: str
    prefix: str
    carry_over: bool = False
    description: str = ""
    priority_weights: dict[str, int] = field(default_factory=dict)

    def problems(self) -> list[str]:
        out = []
        if not _CODE.match(self.code):
            out.append(f"业务代码“{self.code}”只能用小写字母、数字和下划线，以字母开头")
        if not self.name.strip():
            out.append("业务名称不能为空")
        if not _PREFIX.match(self.prefix):
            out.append(f"票号前缀“{self.prefix}”应为一到两个大写字母")
        return out


@dataclass(frozen=True)
class Season:
    """A seasonal window's opening period, e.g. education enrolment."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class WindowDef:
    code: str
    number: int
    name: str
    services: tuple[str, ...]  # in order of preference
    season: Season | None = None

    def open_on(self, day: dt.date) -> bool:
        return self.season is None or self.season.contains(day)

    @property
    def label(self) -> str:
        return f"{self.number}号窗口"

    def problems(self) -> list[str]:
        out = []
        if not _CODE.match(self.code):
            out.append(f"窗口代码“{self.code}”格式不正确")
        if self.number < 1:
            out.append("窗口号应为正整数")
        if not self.services:
            out.append(f"{self.label}至少要办理一项业务")
        if len(set(self.services)) != len(self.services):
            out.append(f"{self.label}的业务列表有重复")
        if self.season and self.season.end < self.season.start:
            out.append(f"{self.label}的季节性开放日期结束早于开始")
        return out


@dataclass(frozen=True)
class RoomDef:
    code: str
    name: str
    kind: str
    capacity: int = 6
    video: bool = False


def windows_serving(windows: list[WindowDef], service_code: str, day: dt.date) -> list[WindowDef]:
    """Windows open on ``day`` that serve a service, those preferring it first."""
    found = [w for w in windows if service_code in w.services and w.open_on(day)]
    return sorted(found, key=lambda w: (w.services.index(service_code), w.number))


def check_catalogue(services: list[ServiceDef], windows: list[WindowDef]) -> list[str]:
    """All problems of a catalogue, in Chinese; empty when it is usable."""
    out: list[str] = []
    codes = [s.code for s in services]
    prefixes = [s.prefix for s in services]
    for s in services:
        out += s.problems()
    for dup in {c for c in codes if codes.count(c) > 1}:
        out.append(f"业务代码“{dup}”重复")
    for dup in {p for p in prefixes if prefixes.count(p) > 1}:
        out.append(f"票号前缀“{dup}”被多个业务使用")
    numbers = [w.number for w in windows]
    for dup in {n for n in numbers if numbers.count(n) > 1}:
        out.append(f"窗口号 {dup} 重复")
    for w in windows:
        out += w.problems()
        for code in w.services:
            if code not in codes:
                out.append(f"{w.label}办理的业务“{code}”不存在")
    return out
