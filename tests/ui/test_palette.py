"""ui.common.palette: the one place the program's colours are written down."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "ui"
PALETTE = UI / "common" / "palette.py"

#: A colour written out: #rgb / #rrggbb (#aarrggbb too), not an object name such as ``QLabel#card``.
HEX = re.compile(r"(?<![\w#])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![\w-])")
#: A colour made in code rather than taken from the palette.
MADE = re.compile(r"QColor\(\s*(?:\d|0x|[\"'])|QColor\.from(?:Rgb|Rgba|Hsv|Hsl|String)\w*\(|\bGlobalColor\b|\bQt\.(?:white|black)\b")
#: A named colour in a style sheet ("color: white", "background: red").
NAMED = re.compile(r":\s*(?:[\w-]+\s+)*(?:white|black|red|green|blue|yellow|gray|grey|orange)\s*[;}\"']")


def without_comments(text: str) -> str:
    """The module's text with its comments blanked out (strings and docstrings stay)."""
    lines = text.splitlines(keepends=True)
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            line = lines[row - 1]
            lines[row - 1] = line[:col] + " " * (tok.end[1] - col) + line[tok.end[1]:]
    return "".join(lines)


def colours_written_out(text: str) -> list[str]:
    """Every colour literal in ``text`` outside its comments."""
    code = without_comments(text)
    return [m.group(0) for pattern in (HEX, MADE, NAMED) for m in pattern.finditer(code)]


@pytest.mark.parametrize("source", [
    'STYLE = "QLabel#card { color: #1f6feb; }"\n',
    "X = '#fff'\n",
    'c = QColor("#c0392b")\n',
    "c = QColor(31, 111, 235)\n",
    'c = QColor("white")\n',
    "image.fill(Qt.GlobalColor.white)\n",
    'label.setStyleSheet("color: white;")\n',
    'label.setStyleSheet("border: 1px solid black; ")\n',
])
def test_the_scan_finds_a_colour_written_out(source):
    assert colours_written_out(source)


@pytest.mark.parametrize("source", [
    'STYLE = palette.style("QLabel#cardTitle { color: {heading}; } QFrame#add { border: none; }")\n',
    "c = QColor(palette.OVERDUE)  # was #c0392b\n",
    'label.setStyleSheet("background: transparent;")\n',
    'label.setObjectName("whiteboard")\n',
])
def test_the_scan_leaves_palette_names_object_names_and_comments(source):
    assert colours_written_out(source) == []


def test_no_colour_is_written_out_anywhere_but_the_palette():
    found = {}
    for path in sorted(UI.rglob("*.py")):
        if path == PALETTE:
            continue
        hits = colours_written_out(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(UI.parent))] = hits
    assert found == {}, "colours belong in ui/common/palette.py"


def test_every_palette_colour_is_a_valid_colour(qapp):
    from ui.common import palette
    from ui.qt import QColor

    assert len(palette.COLOURS) > 50
    for name, value in palette.COLOURS.items():
        assert re.fullmatch(r"#[0-9a-f]{6}", value), name
        assert QColor(value).isValid(), name
        assert getattr(palette, name.upper()) == value


def test_style_fills_in_palette_names_and_keeps_the_rules():
    from ui.common import palette

    assert (palette.style("QLabel#muted { color: {muted}; border: 1px solid {border}; }")
            == f"QLabel#muted {{ color: {palette.MUTED}; border: 1px solid {palette.BORDER}; }}")
    with pytest.raises(KeyError):
        palette.style("QLabel { color: {no_such_colour}; }")


def test_the_style_sheets_carry_the_palette_colours():
    from ui.board import window_display
    from ui.common import casework, deadlines, palette

    assert f"QLabel#muted {{ color: {palette.MUTED}; }}" in casework.STYLE
    assert "{" + "accent" + "}" not in casework.STYLE
    assert deadlines.STATE_COLOURS["overdue"] == palette.OVERDUE == "#c0392b"
    assert deadlines.ROW_TINTS["due_today"] == palette.DUE_TODAY_TINT
    assert palette.BOARD_ACCENT in window_display.STYLE
