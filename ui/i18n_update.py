"""Regenerate ``resources/i18n/hall_en.ts`` from the interface sources.

Run from the project root::

    .venv/bin/python -m ui.i18n_update

lupdate reads ``self.tr(...)``, ``QCoreApplication.translate(...)`` and
``QT_TRANSLATE_NOOP(...)`` but not the module-level helper ``tr("Context", "...")``
of :mod:`ui.qt` (it takes it for ``self.tr`` with a comment), nor a module's
one-argument shorthand ``def _t(text): return tr("Context", text)``.  So the
sources are copied to a temporary tree in which those calls are spelt
``QCoreApplication.translate("Context", ...)`` (line numbers unchanged), lupdate
runs there on a copy of the catalogue, and the updated catalogue is copied back.
Existing translations are kept.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = Path("resources/i18n/hall_en.ts")
HELPER_CALL = re.compile(r"(?<![\w.])(?<!def )tr\(")
#: ``def _t(text: str) -> str:`` / ``    return tr("Context", text)``
SHORTHAND = re.compile(r"^def (\w+)\((\w+)[^)]*\)[^:]*:\s*\n\s+return tr\(\"(\w+)\", \2\)\s*$", re.M)


def spell_out(text: str) -> str:
    """The source with every helper call written as ``QCoreApplication.translate``."""
    for name, _arg, context in SHORTHAND.findall(text):
        text = re.sub(rf"(?<![\w.])(?<!def ){re.escape(name)}\(",
                      f'QCoreApplication.translate("{context}", ', text)
    return HELPER_CALL.sub("QCoreApplication.translate(", text)


def lupdate() -> Path:
    exe = Path(sys.executable).with_name("pyside6-lupdate")
    return exe if exe.exists() else Path(shutil.which("pyside6-lupdate") or "pyside6-lupdate")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "ui").mkdir()
        sources = []
        for path in sorted((ROOT / "ui").glob("*.py")):
            text = spell_out(path.read_text(encoding="utf-8"))
            (work / "ui" / path.name).write_text(text, encoding="utf-8")
            sources.append(f"ui/{path.name}")
        (work / TS).parent.mkdir(parents=True)
        shutil.copyfile(ROOT / TS, work / TS)
        result = subprocess.run([str(lupdate()), *sources, "-source-language", "zh_CN",
                                 "-target-language", "en", "-ts", str(TS)], cwd=work)
        if result.returncode:
            return result.returncode
        shutil.copyfile(work / TS, ROOT / TS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
