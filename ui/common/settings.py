"""This computer's settings, each declared once.

An option has a key, a type, a default and a title (a translatable Chinese
source string, shown through ``Option.title_text()``). Values are stored
through ``QSettings`` as an INI file (organisation "hall", application
"hall"): on Linux ``$XDG_CONFIG_HOME/hall/hall.ini``, elsewhere the
platform's per-user configuration folder. An INI file rather than the Windows
registry so that an administrator can copy one workstation's setup to the
next.

A value that cannot be read as its type (a hand-edited file) falls back to the
default and is logged; it never stops the program.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ui.common.context import Workstation
from ui.common.live import POLL_MS
from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QSettings

log = logging.getLogger(__name__)

ORGANISATION = "hall"
APPLICATION = "hall"
SETTINGS_FORMAT = QSettings.Format.IniFormat


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    title: str                       # Chinese source text, context "Options"
    choices: tuple = ()              # allowed values, when the option is a choice
    minimum: int | None = None
    maximum: int | None = None

    def title_text(self) -> str:
        return QCoreApplication.translate("Options", self.title)

    def convert(self, raw: Any) -> Any:
        """The stored value as this option's type; ``ValueError`` if it is not one."""
        if self.type is bool:
            if isinstance(raw, bool):
                value: Any = raw
            elif str(raw).strip().lower() in ("true", "1", "yes", "on"):
                value = True
            elif str(raw).strip().lower() in ("false", "0", "no", "off", ""):
                value = False
            else:
                raise ValueError(f"not a boolean: {raw!r}")
        elif self.type is int:
            if isinstance(raw, bool):
                raise ValueError(f"not an integer: {raw!r}")
            value = int(str(raw).strip())
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"{value} < {self.minimum}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{value} > {self.maximum}")
        elif self.type is str:
            value = "" if raw is None else str(raw).strip()
        else:  # pragma: no cover - declarations below only use these types
            raise TypeError(f"unsupported option type {self.type!r}")
        if self.choices and value not in self.choices:
            raise ValueError(f"{value!r} is not one of {self.choices!r}")
        return value


#: Every option, by key. Declared once, below.
OPTIONS: dict[str, Option] = {}


def _declare(key: str, type_: type, default: Any, title: str, **extra: Any) -> Option:
    if key in OPTIONS:
        raise ValueError(f"option {key!r} declared twice")
    opt = Option(key, type_, default, title, **extra)
    opt.convert(default)  # a declaration with a bad default fails at import, not in the field
    OPTIONS[key] = opt
    return opt


DATABASE_URL = _declare("database/url", str, "",
                        QT_TRANSLATE_NOOP("Options", "数据库地址（留空则使用本机默认数据库）"))
WINDOW_CODE = _declare("workstation/window", str, "", QT_TRANSLATE_NOOP("Options", "本机所在窗口"))
ROOM_CODE = _declare("workstation/room", str, "", QT_TRANSLATE_NOOP("Options", "本机所在调解室"))
PRINTER = _declare("workstation/printer", str, "", QT_TRANSLATE_NOOP("Options", "打印机"))
LANGUAGE = _declare("ui/language", str, "zh_CN", QT_TRANSLATE_NOOP("Options", "界面语言"),
                    choices=("zh_CN", "en"))
BOARD_SCREEN = _declare("board/screen", int, 0, QT_TRANSLATE_NOOP("Options", "叫号屏使用的显示器"),
                        minimum=0, maximum=15)
LAST_USERNAME = _declare("login/last_username", str, "", QT_TRANSLATE_NOOP("Options", "上次登录的用户名"))
LAST_CENTRE = _declare("login/centre_name", str, "", QT_TRANSLATE_NOOP("Options", "上次连接的中心名称"))
POLL_INTERVAL_MS = _declare("live/poll_interval_ms", int, POLL_MS,
                            QT_TRANSLATE_NOOP("Options", "刷新间隔（毫秒）"), minimum=100, maximum=60_000)


def open_store() -> QSettings:
    return QSettings(SETTINGS_FORMAT, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


class Settings:
    """Typed access to the declared options."""

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else open_store()

    @property
    def file_name(self) -> str:
        return self.store.fileName()

    def get(self, opt: Option) -> Any:
        raw = self.store.value(opt.key, None)
        if raw is None:
            return opt.default
        try:
            return opt.convert(raw)
        except (TypeError, ValueError) as exc:
            log.warning("setting %s in %s is unusable (%s); using the default", opt.key,
                        self.file_name, exc)
            return opt.default

    def set(self, opt: Option, value: Any) -> None:
        """Store ``value``; ``ValueError`` if it is not valid for the option."""
        value = opt.convert(value)
        if value == opt.default:
            self.store.remove(opt.key)
        else:
            self.store.setValue(opt.key, value)

    def reset(self, opt: Option) -> None:
        self.store.remove(opt.key)

    def sync(self) -> None:
        self.store.sync()

    def workstation(self) -> Workstation:
        """This computer's place in the hall, as the workspaces receive it."""
        return Workstation(window_code=self.get(WINDOW_CODE) or None,
                           room_code=self.get(ROOM_CODE) or None,
                           printer=self.get(PRINTER) or None)
