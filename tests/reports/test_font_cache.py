"""The parsed-font cache: what comes back is what ReportLab parses, and a bad
entry is never used."""
from __future__ import annotations

import os
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


def _table(face, name):
    """A table as a plain value: sequences as lists, the font's bytes as bytes."""
    value = getattr(face, name)
    if name == "_ttf_data":
        return bytes(value)
    if not isinstance(value, (list, dict, str, bytes)) and hasattr(value, "__len__"):
        return list(value)
    return value


def _assert_same_face(parsed, again):
    names = [k for k in parsed.__dict__ if k != "_pdfScale"]
    for k in names:
        want, got = _table(parsed, k), _table(again, k)
        assert type(got) is type(want), k
        assert got == want, k
        if isinstance(want, list) and want and isinstance(want[0], tuple):
            assert [tuple(map(type, t)) for t in got] == [tuple(map(type, t)) for t in want], k
        if isinstance(want, list) and want and type(want[0]) in (int, float):
            assert [type(x) for x in got] == [type(x) for x in want], k
    for x in (0, 1, 512, 1024, -200):
        assert again._pdfScale(x) == parsed._pdfScale(x)
    # What subsetting reads: every table, and the glyphs one by one.
    for t in parsed.table:
        assert again.get_table(t)[:] == parsed.get_table(t)[:], t
    assert again.makeSubset(list(range(0x4E00, 0x4E40))) == parsed.makeSubset(list(range(0x4E00, 0x4E40)))


def test_a_cached_face_is_the_parsed_face(cache):
    ff = _body_file()
    parsed = TTFont("Probe", str(ff.path), subfontIndex=ff.subfont_index).face
    path = fonts._face_cache_path(ff)
    assert path is not None and path.parent == cache
    fonts._face_to_cache(path, parsed, ff.subfont_index)
    again = fonts._face_from_cache(path, ff)
    assert again is not None
    assert "glyphToChar" not in again.__dict__      # left packed until read
    _assert_same_face(parsed, again)


def test_a_damaged_or_stale_entry_is_not_used(cache):
    ff = _body_file()
    path = fonts._face_cache_path(ff)
    path.parent.mkdir(parents=True, exist_ok=True)
    for damaged in (b"not a pickle", b"", path.read_bytes()[:1000] if path.exists() else b"\x80\x05"):
        path.write_bytes(damaged)
        assert fonts._face_from_cache(path, ff) is None
    font = fonts._load_ttfont("Hall-Probe", ff)       # parses, and rewrites the entry
    assert type(font.face) is not fonts._CachedFace and font.face.charToGlyph
    good = path.read_bytes()
    assert type(fonts._face_from_cache(path, ff)) is fonts._CachedFace
    path.write_bytes(good[: len(good) // 2])          # cut short
    assert fonts._face_from_cache(path, ff) is None


def test_the_cache_can_be_switched_off(monkeypatch):
    monkeypatch.setenv(fonts.FONT_CACHE_ENV, "off")
    assert fonts._face_cache_path(_body_file()) is None


DRAW = r"""
import io, sys
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reports import fonts
fs = fonts.cjk_fonts()
buf = io.BytesIO()
c = canvas.Canvas(buf, invariant=1)
fonts.draw_runs(c, 72, 700, "人民调解协议书 张𠮷 䶮", fs.body, 12)
c.save()
sys.stdout.buffer.write(buf.getvalue())
faces = sorted({type(pdfmetrics.getFont(n).face).__name__ for n in fonts._loaded if fonts._loaded[n]})
print(",".join(faces), file=sys.stderr)
"""


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                    reason="poppler-utils are not installed")
def test_a_second_process_prints_the_same_document_from_the_cache(cache, tmp_path):
    env = {**os.environ, fonts.FONT_CACHE_ENV: str(cache)}
    pdfs, texts, faces, font_lists = [], [], [], []
    for i in range(2):      # the first process fills the cache, the second reads it
        out = subprocess.run([sys.executable, "-c", DRAW], cwd=ROOT, env=env, check=True,
                             capture_output=True, timeout=120)
        pdfs.append(out.stdout)
        faces.append(out.stderr.decode().strip().splitlines()[-1])
        (tmp_path / f"{i}.pdf").write_bytes(out.stdout)
        texts.append(subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / f"{i}.pdf"), "-"],
                                    check=True, capture_output=True, text=True).stdout.strip())
        font_lists.append(subprocess.run(["pdffonts", str(tmp_path / f"{i}.pdf")],
                                         check=True, capture_output=True, text=True).stdout)
        if i == 0:
            entries = {p: p.stat().st_mtime_ns for p in cache.glob("*.face")}
            assert len(entries) >= 2        # the body font and the rare-character font of 𠮷
    assert faces[0] == "TTFontFace"
    assert faces[1] == "_CachedFace"
    assert {p: p.stat().st_mtime_ns for p in cache.glob("*.face")} == entries   # read, not rewritten
    assert texts[0] == texts[1] == "人民调解协议书 张𠮷 䶮"
    assert font_lists[0] == font_lists[1]
    assert font_lists[1].count("TrueType") >= 2 and font_lists[1].count(" yes yes ") >= 2  # embedded subsets
    assert pdfs[0] == pdfs[1]           # the same bytes: the same subsets, widths and text


def test_every_table_keeps_its_types(cache):
    """Widths are floats or ints exactly as ReportLab computed them."""
    for ff in fonts.cjk_fonts().files:
        parsed = TTFont("Probe", str(ff.path), subfontIndex=ff.subfont_index).face
        path = fonts._face_cache_path(ff)
        fonts._face_to_cache(path, parsed, ff.subfont_index)
        again = fonts._face_from_cache(path, ff)
        assert again is not None, ff
        _assert_same_face(parsed, again)


def _copy_of_a_small_font(tmp_path) -> fonts.FontFile:
    small = min(fonts.cjk_fonts().files, key=lambda f: f.path.stat().st_size)
    copy = tmp_path / ("copy" + small.path.suffix)
    shutil.copy2(small.path, copy)
    return fonts.FontFile(small.family, copy, small.subfont_index, small.style, small.form)


def test_a_changed_font_file_is_parsed_again(cache, tmp_path):
    ff = _copy_of_a_small_font(tmp_path)
    font = fonts._load_ttfont("Hall-ProbeChanged", ff)
    before = fonts._face_cache_path(ff)
    assert before.is_file()
    assert type(fonts._load_ttfont("Hall-ProbeChanged", ff).face) is fonts._CachedFace

    # The same file written again (a new modification time): another key,
    # so the old entry is not used and the file is parsed.
    st = ff.path.stat()
    os.utime(ff.path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    after = fonts._face_cache_path(ff)
    assert after != before and not after.exists()
    again = fonts._load_ttfont("Hall-ProbeChanged", ff)
    assert type(again.face) is not fonts._CachedFace
    assert again.face.charToGlyph == font.face.charToGlyph
    assert after.is_file()


def test_an_entry_of_another_font_is_not_used(cache, tmp_path):
    """An entry whose table directory is not the file's is refused, even
    under the file's own key."""
    ff = _copy_of_a_small_font(tmp_path)
    other = _body_file()
    parsed_other = TTFont("ProbeOther", str(other.path), subfontIndex=other.subfont_index).face
    path = fonts._face_cache_path(ff)
    fonts._face_to_cache(path, parsed_other, other.subfont_index)
    assert fonts._face_from_cache(path, ff) is None
    font = fonts._load_ttfont("Hall-ProbeOther", ff)     # parsed, and the entry rewritten
    assert type(font.face) is not fonts._CachedFace
    assert type(fonts._face_from_cache(path, ff)) is fonts._CachedFace


class _Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_an_entry_that_names_other_code_is_refused(cache, tmp_path, caplog):
    import pickle

    ff = _body_file()
    path = fonts._face_cache_path(ff)
    path.parent.mkdir(parents=True, exist_ok=True)
    marker = tmp_path / "ran"
    path.write_bytes(pickle.dumps({"format": fonts._CACHE_FORMAT, "state": _Payload(marker)}))
    with caplog.at_level("INFO", logger="reports.fonts"):
        assert fonts._face_from_cache(path, ff) is None
    assert not marker.exists()
    assert any("not used" in r.getMessage() and r.levelname == "INFO" for r in caplog.records)
