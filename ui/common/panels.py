"""Panels one area lends another, without the two importing each other.

A window that serves petitions shows the petition desk under its queue. The
window's area does not import the petitions' area (an import contract keeps
the areas apart); the application that assembles them (``ui.shell``)
registers the petition desk here under its service code, and the window asks
for the panel of each service it serves.
"""
from __future__ import annotations

from collections.abc import Callable

from ui.common.context import AppContext
from ui.qt import QWidget

#: Builds the panel: ``factory(ctx, parent) -> widget`` (the widget has ``refresh()``).
PanelFactory = Callable[[AppContext, QWidget], QWidget]

_PANELS: dict[str, PanelFactory] = {}


def register(service: str, factory: PanelFactory) -> None:
    """Lend ``factory``'s panel to every window that serves ``service``."""
    _PANELS[service] = factory


def panel_for(service: str) -> PanelFactory | None:
    """The factory registered for ``service``, or None (the window then shows no panel)."""
    return _PANELS.get(service)
