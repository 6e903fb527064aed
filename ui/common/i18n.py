"""Interface language.

The program's source strings are Chinese, so zh_CN needs no translation file
of our own; it only installs Qt's ``qtbase_zh_CN.qm`` so that the standard
buttons and dialogs (OK, Cancel, the file dialog...) read 确定, 取消.
Other languages load ``resources/i18n/hall_<lang>.qm``.

Regenerate the English catalogue after changing user-visible strings::

    .venv/bin/python -m ui.common.i18n_update             # new messages come in unfinished
    (translate them in resources/i18n/hall_en.ts, e.g. with pyside6-linguist)
    .venv/bin/python -m ui.common.i18n_update --release   # or pyside6-lrelease hall_en.ts -qm hall_en.qm
    .venv/bin/python -m ui.common.i18n_update --check     # exit 1: untranslated messages or a stale .qm

The rules' validation messages (Chinese, in ``hall.domain``) are shown through
:func:`ui.common.validation.translated`.

``ui.common.i18n_update`` runs ``pyside6-lupdate ui/**/*.py -source-language zh_CN
-target-language en -ts resources/i18n/hall_en.ts`` (existing translations are
kept) on a copy of the sources in which the helper ``translate("Context", ...)`` of
``ui.qt`` and the modules' ``_t(...)`` shorthands are spelt
``QCoreApplication.translate("Context", ...)``: lupdate does not recognise them
by itself. Strings must be literals marked with ``self.tr(...)``,
``QCoreApplication.translate("Context", ...)``, ``translate("Context", ...)``, ``_t(...)``
or ``QT_TRANSLATE_NOOP("Context", ...)`` to be found; ``translate("Context", variable)``
(labels kept in tables elsewhere) is translated only if the same text is also
marked somewhere with ``QT_TRANSLATE_NOOP("Context", ...)``.
"""
from __future__ import annotations

import logging
from importlib import resources as ir
from pathlib import Path

from ui.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh_CN"

#: code -> name of the language in that language (not translated: a user who
#: cannot read the current language must still find their own).
LANGUAGES = {
    "zh_CN": "简体中文",
    "en": "English",
}

_installed: list[QTranslator] = []
_current = DEFAULT_LANGUAGE


def normalise(language: str | None) -> str:
    """``zh-CN``, ``zh``, ``en_US``... -> a language this program has; else the default."""
    text = (language or "").strip().replace("-", "_")
    if text in LANGUAGES:
        return text
    base = text.split("_")[0].lower()
    if base == "zh":
        return "zh_CN"
    if base in LANGUAGES:
        return base
    if text:
        log.warning("language %r is not available; using %s", language, DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def translations_dir() -> Path:
    """Where the program's own ``.qm`` files are."""
    return Path(str(ir.files("resources").joinpath("i18n")))


def qt_translations_dir() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def _load(app: QCoreApplication, path: Path) -> bool:
    if not path.is_file():
        log.warning("translation file %s is missing", path)
        return False
    translator = QTranslator(app)
    if not translator.load(str(path)):
        log.warning("translation file %s could not be loaded", path)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def remove_translations(app: QCoreApplication) -> None:
    while _installed:
        app.removeTranslator(_installed.pop())


def install_translations(app: QCoreApplication, language: str | None = None) -> str:
    """Install the translations of ``language`` (replacing any earlier ones).

    Returns the language actually used. Widgets built before the call keep
    their texts: the language is chosen at start-up.
    """
    global _current
    remove_translations(app)
    lang = normalise(language)
    QLocale.setDefault(QLocale(lang))
    qt_dir = qt_translations_dir()
    qt_file = qt_dir / f"qtbase_{lang}.qm"
    if qt_file.is_file():
        _load(app, qt_file)
    elif lang != "en":  # Qt's own strings are English already
        log.warning("Qt's translation %s is missing: standard buttons stay in English", qt_file)
    if lang != DEFAULT_LANGUAGE:
        _load(app, translations_dir() / f"hall_{lang}.qm")
    _current = lang
    log.info("interface language: %s", lang)
    return lang


def current_language() -> str:
    return _current


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)
