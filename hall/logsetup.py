"""Logging for the app and the CLI: to a file in the user log folder, with
identity numbers and phone numbers masked before anything is written."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from hall.domain.masking import redact_sensitive


class RedactingFilter(logging.Filter):
    """Masks ID numbers and mobile numbers in every record (message and args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is still logged, unformatted
            message = str(record.msg)
        record.msg = redact_sensitive(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_sensitive(record.exc_text)
        return True


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("hall", appauthor=False))


def configure_logging(name: str = "hall", level: int = logging.INFO, *, to_file: bool = True) -> Path | None:
    root = logging.getLogger()
    if any(isinstance(f, RedactingFilter) for h in root.handlers for f in h.filters):
        return None
    root.setLevel(level)
    path = None
    handlers: list[logging.Handler] = []
    if to_file:
        try:
            d = log_dir()
            d.mkdir(parents=True, exist_ok=True)
            path = d / f"{name}.log"
            handlers.append(logging.handlers.RotatingFileHandler(
                path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"))
        except OSError:
            path = None
    if not handlers:
        handlers.append(logging.StreamHandler())
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for h in handlers:
        h.setFormatter(fmt)
        h.addFilter(RedactingFilter())
        root.addHandler(h)
    return path
