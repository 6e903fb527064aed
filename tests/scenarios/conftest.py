"""Scenarios drive several workspaces at once: they use the UI fixtures."""
from tests.ui.conftest import make_ctx, messages, settings_folder, ui_hall  # noqa: F401
