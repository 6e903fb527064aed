"""Chinese line breaking for every PDF paragraph (``wordWrap='CJK'``).

ReportLab's CJK wrapping breaks between any two characters and, when the
character that no longer fits may not start a line (a full-width comma,
full stop, colon ...), lets it hang past the right edge.  In running text
that is a half-character into the margin; in a table cell it crosses the
cell's border.  This module replaces both of ReportLab's CJK splitters
(``paragraph.cjkFragSplit`` for text in several fonts, ``wordSplit`` for
text in one) with one that never lets a line run past its width:

* a line may not start with closing punctuation (:data:`NO_LINE_START`:
  ，。、；：？！ closing brackets and quotes, ％ …) nor end with an
  opening bracket or quote (:data:`NO_LINE_END`).  When the character that
  overflows may not start a line, in a table cell (:class:`CellParagraph`)
  the character before it moves down with it (push-out), so nothing
  crosses the cell's border; in running text one such mark, or two
  together (``）。``), may hang in the page margin (标点悬挂), which keeps
  a one-page notice on one page;
* a run of Latin letters and digits (a credit code, a street number, a
  company's English name) is broken at a space or where it meets Chinese
  text, and a number stays with the character after it (``1000号``); only
  a run longer than the whole line is broken inside;
* a space at a break is dropped, not drawn at the end of the line;
* only when a line could not otherwise be filled at all (a cell narrower
  than two characters) are the rules relaxed, in that order, so every line
  still makes progress.

Importing the module installs the splitter (:func:`install`, idempotent);
:mod:`reports.fonts` imports it, so every renderer gets it.  It changes
nothing for paragraphs that do not use ``wordWrap='CJK'``.
"""
from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import Paragraph

__all__ = ["NO_LINE_END", "NO_LINE_START", "CellParagraph", "break_points", "install", "split_widths"]

#: May not start a line.
NO_LINE_START = frozenset(
    "，。、；：？！）》」』】〕〗〉’”％…·‰℃°,.;:?!)]}"
    "々〻ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
#: May not end a line.
NO_LINE_END = frozenset("（《「『【〔〖〈‘“([{￥$£#§")

_FUZZ = 1e-6
_SPACE = " "


def _is_word_char(ch: str) -> bool:
    """Letters, digits and ASCII punctuation that form one unbreakable word."""
    return ch != _SPACE and ch != "\xa0" and " " < ch < "\u2e80"


def _allowed(before: str, after: str, level: int) -> bool:
    """Whether a line may break between ``before`` and ``after``.

    ``level`` 0 applies every rule, 1 allows breaking inside a Latin word,
    2 allows any break.
    """
    if level >= 2:
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if level == 0 and _is_word_char(before) and (_is_word_char(after) or before.isdigit()):
        return False
    return True


def split_widths(
    chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
    hard_breaks: frozenset[int] = frozenset(), hang: bool = False,
) -> list[tuple[int, int, float]]:
    """Lines as ``(start, end, width)`` over ``chars``; ``end`` is exclusive.

    ``max_widths[n]`` is the width of line ``n`` (the last repeats).  A
    position in ``hard_breaks`` ends its line after that character (a
    ``<br/>``).  Spaces at a break belong to no line.  With ``hang`` one
    closing mark that does not fit may stay at the end of its line, past
    the width (two together, such as ``）。``); without it no line is wider
    than its width.
    """
    lines: list[tuple[int, int, float]] = []
    n = len(chars)
    start = 0

    def width_of(a: int, b: int) -> float:
        return sum(widths[a:b])

    wrapped = False                     # the line before ended at a soft break
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        if wrapped:
            # Spaces at the start of a wrapped line are dropped.
            while start < n and chars[start] == _SPACE and start not in hard_breaks:
                start += 1
            if start >= n:
                break
        wrapped = False
        used, i = 0.0, start
        hard_end = None
        while i < n:
            if used + widths[i] > max_width + _FUZZ and i > start:
                break
            used += widths[i]
            i += 1
            if (i - 1) in hard_breaks:
                hard_end = i
                break
        if hard_end is not None or i >= n:
            end = hard_end if hard_end is not None else n
            lines.append((start, end, width_of(start, end)))
            start = end
            continue
        # chars[i] does not fit: find the last break point in (start, i].
        marks = 0
        while hang and i + marks < n and chars[i + marks] in NO_LINE_START:
            marks += 1
        if 1 <= marks <= 2 and chars[i - 1] not in NO_LINE_END:
            end = i + marks
            lines.append((start, end, width_of(start, end)))
            start, wrapped = end, True
            continue
        found: int | None = None
        for level in (0, 1, 2):
            for k in range(i, start, -1):
                if chars[k] == _SPACE or chars[k - 1] == _SPACE or _allowed(chars[k - 1], chars[k], level):
                    found = k
                    break
            if found is not None:
                break
        assert found is not None  # level 2 always finds i
        end = cut = found
        while cut > start + 1 and chars[cut - 1] == _SPACE:
            cut -= 1
        lines.append((start, cut, width_of(start, cut)))
        start, wrapped = end, True
    return lines


def break_points(text: str, width_of: Callable[[str], float], max_width: float, hang: bool = False) -> list[str]:
    """``text`` broken into lines of ``max_width`` (for tests and tools).

    ``width_of(ch)`` is the width of one character.
    """
    widths = [width_of(ch) for ch in text]
    return [text[a:b] for a, b, _w in split_widths(list(text), widths, [max_width], hang=hang)]


# ReportLab passes one width, or one per line.
_MaxWidths = float | list[float] | tuple[float, ...]

# Whether the paragraph being broken into lines may hang a mark in the margin.
_may_hang: contextvars.ContextVar[bool] = contextvars.ContextVar("hall_cjk_may_hang", default=True)


class CellParagraph(Paragraph):
    """A paragraph inside a bordered box (a table cell): no mark hangs past its width."""

    def breakLinesCJK(self, maxWidths: _MaxWidths) -> Any:  # noqa: N802, N803 (ReportLab's names)
        token = _may_hang.set(False)
        try:
            return super().breakLinesCJK(maxWidths)
        finally:
            _may_hang.reset(token)


# --------------------------------------------------------------------------
# Installing the splitter into ReportLab
# --------------------------------------------------------------------------

def _frag_split(
    frags: Sequence[Any], maxWidths: _MaxWidths, calcBounds: bool,  # noqa: N803 (ReportLab's names)
    encoding: str = "utf8",
) -> Any:
    """Replacement for ``reportlab.platypus.paragraph.cjkFragSplit``."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    units: list[Any] = []                 # ReportLab's cjkU strings
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            units.extend(cjkU(t, f, encoding) for t in text)
        else:
            units.append(cjkU(text, f, encoding))
    max_widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
    widths: list[float] = []
    for u in units:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_widths[0]
            w = w.normalizedValue(max_widths[0])
        widths.append(w)
    hard = frozenset(k for k, u in enumerate(units) if hasattr(u.frag, "lineBreak"))
    lines: list[Any] = []                 # ReportLab's line records
    chars = [str(u) or "\0" for u in units]
    for start, end, used in split_widths(chars, widths, max_widths, hard, hang=_may_hang.get()):
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        line_break = (end - 1) in hard
        lines.append(makeCJKParaLine(units[start:end], max_width, used, max_width - used, line_break, calcBounds))
    return ParaLines(kind=1, lines=lines)


def _word_split(
    word: str | bytes, maxWidths: _MaxWidths, fontName: str, fontSize: float,  # noqa: N803
    encoding: str = "utf8",
) -> list[list[float | str]]:
    """Replacement for ``reportlab.lib.textsplit.wordSplit`` in paragraphs."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if isinstance(word, bytes):
        word = word.decode(encoding)
    max_widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
    widths = [stringWidth(ch, fontName, fontSize, encoding) for ch in word]
    out: list[list[float | str]] = []
    for n, (start, end, used) in enumerate(split_widths(list(word), widths, max_widths, hang=_may_hang.get())):
        max_width = max_widths[min(n, len(max_widths) - 1)]
        out.append([max_width - used, word[start:end]])
    return out


_installed = False


def install() -> None:
    """Put the splitter into ReportLab's paragraph module (once per process)."""
    global _installed
    if _installed:
        return
    from reportlab.platypus import paragraph as rl_paragraph

    rl_paragraph.cjkFragSplit = _frag_split
    rl_paragraph.wordSplit = _word_split
    _installed = True


install()
