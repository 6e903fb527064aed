"""Regenerate ``resources/i18n/hall_en.ts`` from the interface sources.

Run from the project root::

    .venv/bin/python -m ui.common.i18n_update            # update the catalogue
    .venv/bin/python -m ui.common.i18n_update --release  # and build hall_en.qm from it
    .venv/bin/python -m ui.common.i18n_update --check    # change nothing; exit 1 if a
                                                 # message is untranslated or the .qm is stale

lupdate reads ``self.tr(...)``, ``QT_TRANSLATE_NOOP(...)`` and
``translate("Context", ...)`` (:func:`ui.qt.translate`, or
``QCoreApplication.translate``) straight from the sources: a text the interface
translates is always written as one of those with a literal, and labels kept in
tables are listed by :mod:`ui.common.i18n_labels` (written by ``ui.common.i18n_labels_gen``).
Existing translations are kept; ``--check`` runs lupdate on a copy of the
catalogue next to it and changes nothing.
"""
from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("hall.i18n_update")
TS = Path("resources/i18n/hall_en.ts")


def lupdate() -> Path:
    exe = Path(sys.executable).with_name("pyside6-lupdate")
    return exe if exe.exists() else Path(shutil.which("pyside6-lupdate") or "pyside6-lupdate")


def lrelease() -> Path:
    exe = Path(sys.executable).with_name("pyside6-lrelease")
    return exe if exe.exists() else Path(shutil.which("pyside6-lrelease") or "pyside6-lrelease")


QM = TS.with_suffix(".qm")


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """``(context, source)`` of every message of ``ts`` still without a translation."""
    import xml.etree.ElementTree as ET

    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            if tr is not None and tr.get("type") == "unfinished":
                out.append((name, m.findtext("source") or ""))
    return out


def _run_lupdate(ts: Path) -> bool:
    """Update the catalogue ``ts`` (beside the real one) from ``ui/**/*.py``."""
    sources = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "ui").rglob("*.py"))]
    result = subprocess.run([str(lupdate()), *sources, "-source-language", "zh_CN",
                             "-target-language", "en", "-ts", str(ts)], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
    return result.returncode == 0


def _updated_copy(work: Path) -> Path | None:
    """The catalogue updated from the sources, in ``work``; ``None`` if lupdate failed.

    lupdate runs on a copy kept beside the real catalogue (the source locations
    it writes are relative to the catalogue's folder), then the copy moves to ``work``.
    """
    beside = ROOT / TS.with_name(f".check-{TS.name}")
    shutil.copyfile(ROOT / TS, beside)
    try:
        if not _run_lupdate(beside.relative_to(ROOT)):
            return None
        return Path(shutil.move(beside, work / TS.name))
    finally:
        beside.unlink(missing_ok=True)


def release(ts: Path, qm: Path) -> int:
    return subprocess.run([str(lrelease()), str(ts), "-qm", str(qm)], capture_output=True).returncode


def check() -> list[str]:
    """What is wrong with the committed catalogue, in words (empty: nothing)."""
    from ui.common import i18n_labels_gen

    problems = []
    if i18n_labels_gen.out_of_date():
        problems.append("ui/common/i18n_labels.py is out of date: run python -m ui.common.i18n_labels_gen")
    with tempfile.TemporaryDirectory() as tmp:
        updated = _updated_copy(Path(tmp))
        if updated is None:
            return ["pyside6-lupdate failed"]
        missing = unfinished(updated)
        problems += [f"untranslated [{c}] {s!r}" for c, s in missing]
        qm = Path(tmp) / "check.qm"
        if release(ROOT / TS, qm) or not qm.is_file():
            problems.append("pyside6-lrelease failed")
        elif qm.read_bytes() != (ROOT / QM).read_bytes():
            problems.append(f"{QM} is not built from {TS}: run with --release")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.common.i18n_update")
    parser.add_argument("--check", action="store_true", help="change nothing; list what is missing")
    parser.add_argument("--release", action="store_true", help="also build the .qm")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.check:
        problems = check()
        for p in problems:
            log.warning("%s", p)
        log.info("%d problem(s)", len(problems))
        return 1 if problems else 0
    with tempfile.TemporaryDirectory() as tmp:
        updated = _updated_copy(Path(tmp))
        if updated is None:
            return 1
        shutil.copyfile(updated, ROOT / TS)
    left = unfinished(ROOT / TS)
    log.info("%s: %d message(s) to translate", TS, len(left))
    if args.release:
        return release(ROOT / TS, ROOT / QM)
    return 0


if __name__ == "__main__":
    sys.exit(main())
