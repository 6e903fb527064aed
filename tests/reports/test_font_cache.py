"""The parsed-font cache: what comes back is what ReportLab parses, and a bad
entry is never used."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from reports import fonts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "font-cache"
    monkeypatch.setenv(fonts.FONT_CACHE_ENV, str(folder))
    return folder


def _body_file() -> fonts.FontFile:
    return fonts.cjk_fonts().files[0]


def test_a_cached_face_is_the_parsed_face(cache):
    ff = _body_file()
    parsed = TTFont("Probe", str(ff.path), subfontIndex=ff.subfont_index).face
    path = fonts._face_cache_path(ff)
    assert path is not None and path.parent == cache
    fonts._face_to_cache(path, parsed)
    again = fonts._face_from_cache(path, ff)
    assert again is not None
    want = {k: v for k, v in parsed.__dict__.items() if k != "_pdfScale"}
    got = {k: v for k, v in again.__dict__.items() if k != "_pdfScale"}
    assert got.keys() == want.keys()
    for k in want:
        assert got[k] == want[k], k
    for x in (0, 1, 512, 1024, -200):
        assert again._pdfScale(x) == parsed._pdfScale(x)


def test_a_damaged_or_stale_entry_is_not_used(cache):
    ff = _body_file()
    path = fonts._face_cache_path(ff)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    assert fonts._face_from_cache(path, ff) is None
    font = fonts._load_ttfont("Hall-Probe", ff)       # parses, and rewrites the entry
    assert font.face.charToGlyph
    assert fonts._face_from_cache(path, ff) is not None


def test_the_cache_can_be_switched_off(monkeypatch):
    monkeypatch.setenv(fonts.FONT_CACHE_ENV, "off")
    assert fonts._face_cache_path(_body_file()) is None


DRAW = r"""
import io, sys
from reportlab.pdfgen import canvas
from reports import fonts
fs = fonts.cjk_fonts()
buf = io.BytesIO()
c = canvas.Canvas(buf)
fonts.draw_runs(c, 72, 700, "人民调解协议书 张𠮷 䶮", fs.body, 12)
c.save()
sys.stdout.buffer.write(buf.getvalue())
"""


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_second_process_prints_the_same_text_from_the_cache(cache, tmp_path):
    import os

    env = {**os.environ, fonts.FONT_CACHE_ENV: str(cache)}
    texts = []
    for i in range(2):      # the first process fills the cache, the second reads it
        pdf = subprocess.run([sys.executable, "-c", DRAW], cwd=ROOT, env=env, check=True,
                             capture_output=True, timeout=120).stdout
        (tmp_path / f"{i}.pdf").write_bytes(pdf)
        texts.append(subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / f"{i}.pdf"), "-"],
                                    check=True, capture_output=True, text=True).stdout.strip())
        if i == 0:
            assert any(cache.glob("*.face"))
    assert texts[0] == texts[1] == "人民调解协议书 张𠮷 䶮"


def test_every_table_keeps_its_types(cache):
    """Widths are floats or ints exactly as ReportLab computed them."""
    for ff in fonts.cjk_fonts().files:
        parsed = TTFont("Probe", str(ff.path), subfontIndex=ff.subfont_index).face
        path = fonts._face_cache_path(ff)
        fonts._face_to_cache(path, parsed)
        again = fonts._face_from_cache(path, ff)
        for k, v in parsed.__dict__.items():
            if k == "_pdfScale":
                continue
            got = again.__dict__[k]
            assert type(got) is type(v), k
            if isinstance(v, list) and v and isinstance(v[0], tuple):
                assert [tuple(map(type, t)) for t in got] == [tuple(map(type, t)) for t in v], k
            assert got == v, k
