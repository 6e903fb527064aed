"""One place where errors become readable Chinese messages, never tracebacks.

``install_excepthook()`` catches exceptions raised in slots; ``report_error``
is what background operations call. The traceback goes to the log (with ID
numbers masked by the logging filter), the user gets a sentence.
"""
from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable

from ui.qt import QApplication, QCoreApplication, QMessageBox, QWidget

log = logging.getLogger("hall.ui")

#: Tests replace this to see messages instead of blocking on a dialog.
message_sink: Callable[[str, str], None] | None = None


def user_message(exc: BaseException) -> tuple[str, str]:
    """(title, text) for an exception, in the user's language."""
    from hall.services import HallError
    from hall.services.database import DatabaseError, Unreachable

    if isinstance(exc, HallError):
        from ui.common.validation import translated

        return QCoreApplication.translate("Errors", "无法完成操作"), translated(str(exc))
    if isinstance(exc, Unreachable):
        return (QCoreApplication.translate("Errors", "数据库暂时不可用"),
                QCoreApplication.translate("Errors", "无法访问数据库，可能是网络中断或数据库繁忙。已输入的内容不会丢失，请稍后重试。"))
    if isinstance(exc, DatabaseError):
        return QCoreApplication.translate("Errors", "数据库错误"), QCoreApplication.translate("Errors", "数据库返回错误，操作未完成。详情已记录在日志中。")
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Errors", "文件或设备错误"), f"{exc.strerror or exc}"
    return (QCoreApplication.translate("Errors", "程序内部错误"),
            QCoreApplication.translate("Errors", "操作未完成：程序遇到意外情况（{kind}）。详情已记录在日志中，请联系管理员。")
            .replace("{kind}", type(exc).__name__))


def report_error(exc: BaseException, parent: QWidget | None = None) -> None:
    from hall.services import HallError

    if not isinstance(exc, HallError):
        log.error("unhandled error: %s", "".join(traceback.format_exception(exc)))
    else:
        log.info("refused: %s", exc)
    title, text = user_message(exc)
    if message_sink is not None:
        message_sink(title, text)
        return
    if QApplication.instance() is None:  # no window to show it in: the terminal
        sys.stderr.write(f"{title}: {text}\n")
        return
    box = QMessageBox(QMessageBox.Icon.Warning if isinstance(exc, HallError) else QMessageBox.Icon.Critical,
                      title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


def _hook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report_error(exc.with_traceback(tb) if exc is not None else exc_type())


def install_excepthook() -> None:
    sys.excepthook = _hook
