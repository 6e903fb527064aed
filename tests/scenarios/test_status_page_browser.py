"""The status page as a visitor's phone shows it: headless Chromium at phone
width against ``hall-admin serve`` on 127.0.0.1. Skipped where Debian's
``chromium`` is not installed (``.ci/install-system --test`` installs it)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

from hall.services import queue

from .test_status_notices import server  # noqa: F401  the status server fixture

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed: no browser to look with")

PHONE_WIDTH, PHONE_HEIGHT = 390, 844


def _screenshot(url: str, path: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        flags = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--hide-scrollbars", "--force-device-scale-factor=1",
                 f"--window-size={PHONE_WIDTH},{PHONE_HEIGHT}", f"--screenshot={path}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")
        subprocess.run([CHROMIUM, *flags, url], check=True, capture_output=True, timeout=90)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_status_page_fits_a_phone_and_draws_chinese(server, hall, front_desk, admin, tmp_path):  # noqa: F811
    from PIL import Image

    queue.open_window(hall, admin, "w01")
    for _ in range(3):
        queue.issue_ticket(hall, front_desk, "general")
    t = queue.issue_ticket(hall, front_desk, "general", name="张三明")
    url = f"{server}/s/{t.status_url.rsplit('/s/', 1)[1]}"
    shot = tmp_path / "status.png"
    _screenshot(url, str(shot))
    img = Image.open(shot).convert("RGB")
    assert img.size == (PHONE_WIDTH, PHONE_HEIGHT)
    # The header band is drawn (the hall's blue), and the card holds dark text:
    assert img.getpixel((5, 5)) == (0x1F, 0x4E, 0x79)
    card = img.crop((16, 70, PHONE_WIDTH - 16, 330))
    dark = sum(card.convert("L").histogram()[:140])
    assert dark > 1500, "the card draws no text"
    assert img.crop((0, 500, PHONE_WIDTH, PHONE_HEIGHT)).convert("L").getextrema()[0] > 200  # no overflow below
    keep = os.environ.get("HALL_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, os.path.join(keep, "status-page-phone.png"))
