"""Every colour of the program, named by what it is for.

The screens take their colours from here and nowhere else: a module's style
sheet is a template in which ``{accent}``, ``{muted}``, … stand for the
colours below (the constant's name in lower case), filled in by
:func:`style`; code that needs one colour uses the constant itself
(``palette.OVERDUE``), a ``QColor`` is made from it where it is used.

Two families live side by side and are kept apart on purpose: the desks of
the staff (cases, the window, the clerk, the director, administration) in
the blue of ``ACCENT``, and the touch screens at the front desk and the
rating panel in the deeper ``KIOSK_ACCENT`` with larger type. The call board
and the small screen above a window have their own dark theme (``BOARD_*``).
"""
from __future__ import annotations

import re

# -- text ---------------------------------------------------------------------
TEXT = "#1b2631"                 # values, explanations
HEADING = "#10325a"              # titles, case and ticket numbers, selected text
TEXT_SECONDARY = "#34495e"       # case details, table headers, chart labels
MUTED = "#5d6d7e"                # notes, captions, field labels
SUBTLE = "#7f8c8d"               # hints, counts, a state without colour
FAINT = "#95a5a6"                # empty lists, "nothing here", inactive rows
DISABLED_TEXT = "#a0aab4"        # text of a disabled button
ON_ACCENT = "#ffffff"            # text on a coloured button or chip
ON_DISABLED = "#eef2f7"          # text on a disabled coloured button

# -- surfaces -----------------------------------------------------------------
SURFACE = "#ffffff"              # cards, tables, inputs, paper
PAGE = "#eef2f7"                 # behind the cards; also the light grid lines
HEADER_BG = "#f4f7fb"            # table headers, desk header, quoted articles
ROW_ALT = "#f7f9fc"              # alternate table rows; the director's page
CLERK_PAGE = "#fbfcfe"           # behind the clerk's workspace
ADMIN_PAGE = "#f3f6fa"           # behind administration; its selected page
ADMIN_ROW_ALT = "#f8fafc"        # alternate rows in administration
READ_ONLY_BG = "#f4f6f8"         # a field that cannot be edited
PREVIEW_BG = "#dfe4ea"           # behind the pages of an agreement preview
PDF_BG = "#e9edf2"               # behind the pages of a PDF preview
HOVER_BG = "#f3f7fd"             # a plain button under the pointer

# -- lines --------------------------------------------------------------------
BORDER = "#d5dde8"               # cards, tables, tab panes
INPUT_BORDER = "#c4cfdb"         # fields and plain buttons
GRIDLINE = "#eef1f5"             # grid lines and list separators (clerk, administration)
DIVIDER = "#e5e8ec"              # above the clerk's actions
CHART_GRID = "#e5e9ef"           # the director's chart grid
PREVIEW_BORDER = "#c9d3df"       # round a preview page
FILTER_BORDER = "#c5d0de"        # the clerk's filter buttons
PERIOD_BORDER = "#c8d1dc"        # the director's period buttons
DISABLED_BORDER = "#dde3ea"      # a disabled plain button

# -- accent (the staff desks) ---------------------------------------------------
ACCENT = "#1f6feb"               # primary buttons, focus, called ticket, chart bars
ACCENT_HOVER = "#1a5fd0"
ACCENT_DISABLED = "#aebfd6"
SELECTION = "#d6e4fb"            # selected rows, a booked room
INFO = "#2e86c1"                 # an accepted case

# -- meaning --------------------------------------------------------------------
SUCCESS = "#1e8449"              # met, open, agreement, serving, "saved"
SUCCESS_BG = "#eafaf1"
SUCCESS_BORDER = "#a9dfbf"
SUCCESS_DARK = "#1b5e20"         # the whistle status line
ONLINE = "#27ae60"               # connected
OWN_BOOKING = "#c8ecd5"          # the open case's own room booking
WARNING = "#b9770e"              # due soon, paused, failed, met late, missing pieces
WARNING_TEXT = "#9a6700"         # a warning status line
DUE_TODAY = "#d35400"            # due today; reconnecting
DUE_TODAY_TINT = "#fef5e7"       # row tint of a deadline due today
OVERDUE = "#c0392b"              # overdue, errors, offline
OVERDUE_TINT = "#fdecea"         # row tint of an overdue deadline; error strips
DANGER = "#b03a2e"               # a refusal, a destructive button, police involved
DANGER_TEXT = "#a93226"          # administration's destructive buttons
ERROR_TEXT = "#922b21"           # text of an error strip
ERROR_BORDER = "#f5b7b1"         # border of an error strip
ERROR_DARK = "#b71c1c"           # the whistle status line on error
INVALID_BG = "#fff5f5"           # a field that does not validate
TRANSFERRED = "#8e44ad"          # a case handed on
CLOSED = "#566573"               # a closed case
NOTE_TEXT = "#7d5a00"            # notes to take care of: a secret, coverage
NOTE_BG = "#fef9e7"
NOTE_BORDER = "#f5cf6b"
COVERAGE_BORDER = "#f9e79f"      # the clerk's coverage note
AMBER_TEXT = "#8a5a00"           # a suggestion, a print warning, the clerk's coverage note

# -- highlight (suggested service, rating) ----------------------------------------
HIGHLIGHT = "#e08a00"            # suggested service, rate button, stars
HIGHLIGHT_BG = "#fff7e3"
HIGHLIGHT_BORDER = "#f0c36d"
HIGHLIGHT_DISABLED = "#e9c88a"
STAR_CHECKED_BG = "#fff3d6"

# -- administration's navigation ------------------------------------------------
NAV_BG = HEADING
NAV_TEXT = "#dfe8f3"
NAV_HOVER = "#1a4273"
NAV_TITLE_BG = "#0b2545"

# -- the touch screens: front desk, appointments, rating ----------------------------
KIOSK_TEXT = "#1d2b3a"
KIOSK_LABEL = "#3d4d5e"          # field labels, counts, table headers
KIOSK_DETAIL = "#4a5a6b"
KIOSK_DESC = "#6b7b8c"           # a service's description
KIOSK_KEY = "#55657a"            # a keyboard shortcut chip
KIOSK_PLACEHOLDER = "#b5c0cc"    # no ticket number yet
KIOSK_ACCENT = "#1f5fae"
KIOSK_ACCENT_DISABLED = "#a9bdd6"
KIOSK_BORDER = "#d8e0ea"         # cards and tables
KIOSK_BUTTON_BORDER = "#cdd7e3"  # service buttons, stars, key chips
KIOSK_DASHED = "#b8c2cd"         # a closed service
KIOSK_SUCCESS = "#2e7d32"
KIOSK_ERROR = "#c62828"
KIOSK_ERROR_BG = "#fff7f7"       # the result panel on error
KIOSK_BUSY = "#b23c17"           # a long queue
KIOSK_CLOSED_REASON = "#8a3a17"
KIOSK_LOOKUP_BG = "#f6f9fd"
KIOSK_SERVICE_HOVER = "#f5f9ff"
KIOSK_PRESSED = "#e2edfb"
KIOSK_REPRINT_HOVER = "#eef4fc"
KIOSK_DISABLED_BG = "#f1f3f6"
RETURNING_BG = "#e8f1fc"         # a returning visitor
RETURNING_BORDER = "#b7d0ef"
RETURNING_TEXT = "#174a88"

# -- the call board and the window's small screen (dark) ----------------------------
BOARD_BG = "#0b1726"
BOARD_HEADER = "#0f2a4a"
BOARD_PANEL = "#12233a"
BOARD_LINE = "#24405f"
BOARD_TEXT = "#f4f7fb"
BOARD_DIM = "#8fa6c1"
BOARD_NAME = "#c9d6e6"           # masked names
BOARD_ACCENT = "#ffc94a"         # the called number
BOARD_ON_ACCENT = "#1b1300"      # text on the accent
BOARD_CALL_LIT = "#3a2c05"       # the call frame while a call is announced
BOARD_GOOD = "#5fd39a"
BOARD_ALERT = "#ff9b85"          # the window's state on its small screen
DISPLAY_BG = "#0b1f3a"           # behind the window's small screen

#: Every colour by its template name (the constant's name in lower case).
COLOURS: dict[str, str] = {name.lower(): value for name, value in dict(globals()).items()
                           if name.isupper() and isinstance(value, str) and value.startswith("#")}

_NAME = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def style(template: str) -> str:
    """The style sheet ``template`` with each ``{name}`` replaced by that colour.

    Only a palette name in braces with nothing else inside is replaced, so the
    braces of the style sheet's rules stay as they are. An unknown name is an
    error (``KeyError``), not a rule without its colour.
    """
    return _NAME.sub(lambda m: COLOURS[m.group(1)], template)
