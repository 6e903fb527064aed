"""Cold start: to the sign-in window and to a usable front desk, next to a bare
PySide6 window started the same way, and button-to-ticket-PDF time.

Each run is a fresh Python process (what a clerk double-clicking the icon
gets); the parent measures from spawning it to the child's "READY" line,
which the child prints from the Qt event loop once the window is on screen.
Modes:

- ``bare``: QApplication + an empty QWidget shown (the floor of Qt start-up).
- ``login``: what ``hall`` does up to the sign-in window on screen (parse
  arguments, translations, font check, the window; the database opens behind it).
- ``login_ready``: until that window can sign in (the database open and
  upgraded, the centre read).
- ``frontdesk``: then sign in as the front desk and wait until the service
  buttons show their waiting counts.

    python tests/perf/bench_startup.py [--runs 10] [--json]

Not part of the normal test run.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r'''
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, {root!r})
mode, url = sys.argv[1], sys.argv[2]
if mode == "bare":
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication(["bare"])
    w = QWidget(); w.resize(440, 200); w.show()
    QTimer.singleShot(0, lambda: (print("READY", flush=True), app.exit(0)))
    sys.exit(app.exec())
from ui.app import Launcher, application, check_cjk_font, install_translations, parse_args
from ui.qt import QTimer
from ui.common.settings import Settings
app = application([])
settings = Settings()
args = parse_args(["--db", url])
install_translations(app, args.lang)
check_cjk_font()
launcher = Launcher(None, settings)          # what ``hall`` does: the window, then the database
launcher.show_login()
launcher.open_database_behind_login(args)
if mode == "login":
    QTimer.singleShot(0, lambda: (print("READY", flush=True), app.exit(0)))
else:
    def when_open(then):
        launcher.database_ready.connect(then)
    if mode == "login_ready":
        when_open(lambda: (print("READY", flush=True), app.exit(0)))
    else:
        def signed_in():
            from hall.services.users import authenticate
            launcher.login.close()
            launcher._signed_in(authenticate(launcher.db, "qiantai", "hall2026", "bench"))
            page = launcher.shell.current_page
            page.countsUpdated.connect(lambda *_: (print("READY", flush=True), app.exit(0)))
        when_open(signed_in)
sys.exit(app.exec())
'''


def run_child(mode: str, url: str, env: dict) -> float:
    code = CHILD.format(root=str(ROOT))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, mode, url], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    for line in proc.stdout:
        if line.strip() == "READY":
            elapsed = time.perf_counter() - t0
            break
    else:
        raise RuntimeError(f"{mode}: the child never became ready (exit {proc.wait()})")
    proc.wait(30)
    return elapsed


def ticket_pdf_times(url: str, n: int) -> list[float]:
    """Service call + ticket PDF, the work behind the front desk's button."""
    sys.path.insert(0, str(ROOT))
    from hall.services import queue
    from hall.services.base import system_actor
    from hall.store.db import Database
    from reports.ticket import TicketSlip, render_ticket_pdf

    db = Database(url)
    actor = system_actor()
    out = []
    for i in range(n + 3):
        t0 = time.perf_counter()
        t = queue.issue_ticket(db, actor, "labour", name="张三明")
        render_ticket_pdf(TicketSlip(centre_name="东湖区社会治理服务中心", service_name=t.service_name,
                                     number=t.number, ahead=t.ahead, issued_at=t.issued_at,
                                     ticket_id=t.id, masked_name=t.masked_name))
        if i >= 3:  # the first renders load fonts
            out.append(time.perf_counter() - t0)
    db.dispose()
    return out


def summary(xs: list[float]) -> dict:
    s = sorted(xs)
    return {"p50_ms": round(statistics.median(s) * 1000, 1),
            "p95_ms": round(s[max(0, round(0.95 * (len(s) - 1)))] * 1000, 1),
            "min_ms": round(s[0] * 1000, 1), "n": len(s)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"), XDG_STATE_HOME=str(tmp / "state"))
    url = f"sqlite:///{tmp / 'hall.db'}"
    subprocess.run([sys.executable, "-m", "hall.cli", "--db", url, "demo"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    out: dict = {}
    for mode in ("bare", "login", "login_ready", "frontdesk"):
        run_child(mode, url, env)  # warm the OS file cache once
        out[mode] = summary([run_child(mode, url, env) for _ in range(args.runs)])
    out["login_vs_bare"] = round(out["login"]["p50_ms"] / out["bare"]["p50_ms"], 2)
    out["login_ready_vs_bare"] = round(out["login_ready"]["p50_ms"] / out["bare"]["p50_ms"], 2)
    out["frontdesk_vs_bare"] = round(out["frontdesk"]["p50_ms"] / out["bare"]["p50_ms"], 2)
    out["ticket_button_to_pdf"] = summary(ticket_pdf_times(url, 100))
    print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
