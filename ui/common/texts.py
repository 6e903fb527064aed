"""User-facing texts before translation, for the parts of the interface that import no Qt.

A desk's state object (``ui.window.state``, ``ui.frontdesk.state``) decides
what a line says but never translates it: it hands back a :class:`Text`, the
untranslated source under its translation context with the values to put in,
and the widget showing it translates the source (``translate(context, source)``)
and fills it in. Sources are marked with :func:`QT_TRANSLATE_NOOP`, which is all
lupdate needs to list them in the catalogue under that context.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 (the name lupdate reads)
    """Marks ``source`` for the catalogue under ``context``; returns it unchanged."""
    return source


class Text(NamedTuple):
    """``source`` (untranslated, with ``{key}`` places) under ``context``, and the values."""

    context: str
    source: str
    # A value is put in as it is, or translated first when it is a text itself.
    values: tuple[tuple[str, str | Text | Joined], ...] = ()

    def filled(self, translated: str, translator: Callable[[str, str], str] | None = None) -> str:
        """``translated`` (the source in the interface's language) with the values
        put in; values that are texts are translated by ``translator`` first."""
        for key, value in self.values:
            if isinstance(value, (Text, Joined)):
                if translator is not None:
                    value = value.shown(translator)
                elif isinstance(value, Text):
                    value = value.filled(value.source)
                else:
                    value = value.filled()
            translated = translated.replace("{" + key + "}", value)
        return translated

    def shown(self, translator: Callable[[str, str], str]) -> str:
        """This text translated by ``translator(context, source)`` (``ui.qt.translate``), filled in."""
        return self.filled(translator(self.context, self.source), translator)


class Joined(NamedTuple):
    """Texts shown one after the other with ``sep`` between them (a value of another text)."""

    parts: tuple[Text, ...]
    sep: str = ""

    def shown(self, translator: Callable[[str, str], str]) -> str:
        return self.sep.join(p.shown(translator) for p in self.parts)

    def filled(self, translated: str = "", translator: Callable[[str, str], str] | None = None) -> str:
        """Untranslated (the sources filled in), as the values of an untranslated text."""
        return self.sep.join(p.filled(p.source) for p in self.parts)


def text(context: str, source: str, **values: object) -> Text:
    """``Text(context, source)`` with ``values`` for its ``{key}`` places (texts stay
    texts, anything else becomes a string)."""
    return Text(context, source, tuple((k, v if isinstance(v, (Text, Joined)) else str(v))
                                       for k, v in values.items()))


def joined(parts: Sequence[Text | str], translator: Callable[[str, str], str], sep: str = "") -> str:
    """``parts`` shown one after the other: texts translated, strings as they are."""
    return sep.join(p.shown(translator) if isinstance(p, Text) else p for p in parts)
