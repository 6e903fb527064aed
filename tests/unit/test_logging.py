"""ID numbers and phone numbers never reach the log file."""
from __future__ import annotations

import logging

from hall.logsetup import RedactingFilter, configure_logging


def test_log_file_masks_id_and_phone_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr("hall.logsetup.log_dir", lambda: tmp_path)
    root = logging.getLogger()
    before = list(root.handlers)
    # An earlier test (the CLI, the app) may have configured logging already.
    for h in before:
        root.removeHandler(h)
    path = configure_logging("unit")
    try:
        log = logging.getLogger("hall.test")
        log.warning("visitor %s phone %s", "11010519491231002X", "13812345678")
        try:
            raise ValueError("bad id 440524188001010014")
        except ValueError:
            log.exception("failed")
        for h in root.handlers:
            h.flush()
        text = path.read_text(encoding="utf-8")
    finally:
        for h in list(root.handlers):
            root.removeHandler(h)
            h.close()
        for h in before:
            root.addHandler(h)
    assert "11010519491231002X" not in text and "13812345678" not in text
    assert "440524188001010014" not in text
    assert "visitor" in text and "138****5678" in text


def test_filter_keeps_ordinary_messages():
    rec = logging.LogRecord("x", logging.INFO, __file__, 1, "window %s called %s", ("w03", "L007"), None)
    assert RedactingFilter().filter(rec) and rec.getMessage() == "window w03 called L007"
