"""The font policy: CJK TrueType fonts, per-character fallback, no lost glyphs,
and a text layer that gives back the characters that were printed."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph

from reports import fonts
from reports.fonts import (
    FontSet,
    FontUnavailableError,
    MissingGlyphError,
    check_drawable,
    cjk_fonts,
    cjk_style,
    draw_runs,
    font_search_dirs,
    load_font_set,
    markup,
    runs,
    to_unicode_cmap,
)

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed; the PDF text layer cannot be read back",
)
needs_pdffonts = pytest.mark.skipif(
    shutil.which("pdffonts") is None,
    reason="pdffonts (poppler-utils) is not installed; embedded fonts cannot be listed",
)

EXT_B_NAME = "𠮷野家"      # U+20BB7, CJK Extension B
EXT_A_NAME = "王䶮"        # U+4DAE, CJK Extension A
RARE_BMP_NAME = "王鿌"     # U+9FCC, Unicode 6.1, absent from WenQuanYi Zen Hei
NO_FONT_HAS = ["\ue000", "\U0002fffd"]  # private use; unassigned in plane 2


@pytest.fixture(scope="module")
def font_set() -> FontSet:
    return cjk_fonts()


def _family_in_set(font_set: FontSet, family: str) -> str | None:
    for f in font_set.files:
        if f.family == family:
            return f.registered_name
    return None


def _fallback_for(font_set: FontSet, code_point: int) -> str | None:
    """The rare-character font that draws ``code_point`` in body text."""
    if fonts._has_glyph(font_set.body, code_point):
        return None
    for name in font_set.chain(font_set.body):
        if fonts._has_glyph(name, code_point):
            return name
    return None


@pytest.fixture(scope="module")
def ext_b_font(font_set) -> str:
    name = _fallback_for(font_set, 0x20BB7)
    if name is None:
        pytest.skip("no installed rare-character font has U+20BB7 (fonts-vlgothic, fonts-babelstone-han, fonts-hanazono)")
    return name


@pytest.fixture(scope="module")
def rare_bmp_font(font_set) -> str:
    name = _fallback_for(font_set, 0x9FCC)
    if name is None:
        pytest.skip("no installed rare-character font has U+9FCC (fonts-babelstone-han, fonts-hanazono)")
    return name


def _pdf_with_line(text: str, font: str, font_set: FontSet) -> bytes:
    buf = io.BytesIO()
    c = pdf_canvas.Canvas(buf, pagesize=(400, 100), initialFontName=font)
    draw_runs(c, 10, 40, text, font, 20, font_set)
    c.showPage()
    c.save()
    return buf.getvalue()


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout


def _to_unicode_streams(pdf: bytes) -> list[str]:
    decoded = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            # decompressobj tolerates the end-of-line before "endstream"
            data = zlib.decompressobj().decompress(raw)
        except zlib.error:
            data = raw
        if b"beginbfchar" in data:
            decoded.append(data.decode("latin-1"))
    return decoded


# --- finding fonts ---------------------------------------------------------

def test_the_machine_has_a_cjk_body_and_heading_font(font_set):
    assert font_set.body.startswith("Hall-")
    assert font_set.heading.startswith("Hall-")
    check_drawable("社会治理服务中心", [font_set.body])
    check_drawable("社会治理服务中心", [font_set.heading])


def test_hall_font_dirs_come_first_then_resources_then_the_system(monkeypatch, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("HALL_FONT_DIRS", f"{first}{os.pathsep}{second}")
    dirs = font_search_dirs()
    assert dirs[:2] == [first, second]
    assert any(d.parts[-2:] == ("resources", "fonts") for d in dirs)
    assert Path("/usr/share/fonts") in dirs
    assert dirs.index(Path("/usr/share/fonts")) > 1


def test_a_font_in_hall_font_dirs_is_found(font_set, tmp_path):
    zenhei = next((f for f in font_set.files if f.family == "WenQuanYi Zen Hei"), None)
    if zenhei is None:
        pytest.skip("WenQuanYi Zen Hei is not the installed body font here")
    (tmp_path / "wqy-zenhei.ttc").symlink_to(zenhei.path)
    found = load_font_set([tmp_path])
    assert found.files[0].path == tmp_path / "wqy-zenhei.ttc"
    assert found.files[0].subfont_index == 0


def test_no_cjk_font_at_all_tells_the_admin_what_to_install(tmp_path):
    with pytest.raises(FontUnavailableError) as info:
        load_font_set([tmp_path])
    message = str(info.value)
    assert "fonts-wqy-zenhei" in message
    assert "中文" in message
    assert str(tmp_path) in message


def test_cff_outline_fonts_are_never_registered(tmp_path):
    # An OpenType/CFF font under a name the policy knows, and a CFF collection
    # (as Noto Sans CJK ships) renamed to the Zen Hei file name.
    (tmp_path / "simhei.ttf").write_bytes(b"OTTO" + bytes(200))
    ttc = b"ttcf" + (1 << 16).to_bytes(4, "big") + (1).to_bytes(4, "big") + (16).to_bytes(4, "big")
    (tmp_path / "wqy-zenhei.ttc").write_bytes(ttc + b"OTTO" + bytes(200))
    with pytest.raises(FontUnavailableError):
        load_font_set([tmp_path])


# --- per-character fallback ------------------------------------------------

def test_an_extension_b_character_falls_back_to_a_rare_character_font(font_set, ext_b_font):
    assert runs(EXT_B_NAME, font_set.body, font_set) == [
        (ext_b_font, "𠮷"),
        (font_set.body, "野家"),
    ]


def test_a_rare_bmp_character_falls_back_to_a_rare_character_font(font_set, rare_bmp_font):
    assert runs(RARE_BMP_NAME, font_set.body, font_set) == [
        (font_set.body, "王"),
        (rare_bmp_font, "鿌"),
    ]


def test_spaces_stay_in_the_surrounding_run(font_set):
    assert runs("张 三\n李四", font_set.body, font_set) == [(font_set.body, "张 三\n李四")]


def test_markup_escapes_text_and_wraps_only_fallback_characters(font_set, ext_b_font):
    assert markup("𠮷<&>\n号", font_set.body, font_set) == (
        f'<font name="{ext_b_font}">𠮷</font>&lt;&amp;&gt;<br/>号'
    )


def test_chinese_paragraph_styles_break_between_characters():
    assert cjk_style("x", "Hall-Any", 10).wordWrap == "CJK"


# --- characters no font has --------------------------------------------------

@pytest.mark.parametrize("char", NO_FONT_HAS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_character_no_font_has_is_an_error_naming_it(font_set, char):
    for name in font_set.chain():
        assert not fonts._has_glyph(name, ord(char)), f"{name} unexpectedly has U+{ord(char):04X}"
    with pytest.raises(MissingGlyphError) as info:
        check_drawable(f"张{char}明", font_set)
    assert info.value.char == char
    assert str(info.value) == (
        f"无法打印字符“{char}”(U+{ord(char):04X})：已配置的字体均不含此字，请安装含该字的字体"
    )


def test_every_missing_character_is_named_once(font_set):
    with pytest.raises(MissingGlyphError) as info:
        runs("\ue000张\U0002fffd\ue000", font_set.body, font_set)
    assert info.value.characters == ("\ue000", "\U0002fffd")
    assert "U+E000" in str(info.value) and "U+2FFFD" in str(info.value)


def test_the_message_format_for_an_extension_b_character():
    assert str(MissingGlyphError(["𠮷"])) == (
        "无法打印字符“𠮷”(U+20BB7)：已配置的字体均不含此字，请安装含该字的字体"
    )


def test_check_drawable_with_only_the_body_font_rejects_extension_b(font_set, ext_b_font):
    if fonts._has_glyph(font_set.body, 0x20BB7):
        pytest.skip("the body font itself has U+20BB7")
    with pytest.raises(MissingGlyphError, match=r"U\+20BB7"):
        check_drawable(EXT_B_NAME, [font_set.body])
    check_drawable(EXT_B_NAME, font_set)


# --- the ToUnicode text layer ----------------------------------------------------

def test_to_unicode_cmap_writes_a_surrogate_pair_beyond_the_bmp():
    cmap = to_unicode_cmap("AAAAAA+Test", [0, 0x20BB7, 0x4E2D])
    assert "<01> <D842DFB7>" in cmap
    assert "<02> <4E2D>" in cmap
    assert "<20BB7>" not in cmap


def test_to_unicode_cmap_blocks_hold_at_most_100_entries():
    cmap = to_unicode_cmap("AAAAAA+Test", list(range(0x4E00, 0x4E00 + 256)))
    counts = [int(n) for n in re.findall(r"^(\d+) beginbfchar$", cmap, re.M)]
    assert counts == [100, 100, 56]
    assert cmap.count("endbfchar") == 3
    assert "<00> <FF>" in cmap  # codespace covers the whole subset


def _parse_bfchar(cmap: str) -> dict[int, str]:
    decoded = {}
    for block in re.findall(r"beginbfchar\n(.*?)\nendbfchar", cmap, re.S):
        for code, dst in re.findall(r"^<([0-9A-F]{2})> <([0-9A-F]+)>$", block, re.M):
            decoded[int(code, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    return decoded


@given(st.lists(
    st.integers(min_value=0x20, max_value=0x10FFFF).filter(lambda cp: not 0xD800 <= cp <= 0xDFFF),
    min_size=1, max_size=256,
))
def test_to_unicode_cmap_round_trips_every_code_point(code_points):
    decoded = _parse_bfchar(to_unicode_cmap("AAAAAA+Test", code_points))
    assert decoded == {i: chr(cp) for i, cp in enumerate(code_points)}


def test_the_embedded_to_unicode_stream_uses_the_surrogate_pair(font_set, ext_b_font):
    streams = _to_unicode_streams(_pdf_with_line(EXT_B_NAME, font_set.body, font_set))
    assert any("<D842DFB7>" in s for s in streams)
    assert not any("<20BB7>" in s for s in streams)


@needs_pdftotext
def test_an_extension_b_name_round_trips_through_pdftotext(font_set, ext_b_font, tmp_path):
    text = _pdftotext(_pdf_with_line(f"姓名：{EXT_B_NAME}", font_set.body, font_set), tmp_path)
    assert f"姓名：{EXT_B_NAME}" in text


@needs_pdftotext
def test_a_paragraph_with_rare_names_round_trips_through_pdftotext(
    font_set, ext_b_font, rare_bmp_font, tmp_path
):
    names = f"{EXT_B_NAME}、{EXT_A_NAME}、{RARE_BMP_NAME}"
    buf = io.BytesIO()
    c = pdf_canvas.Canvas(buf, pagesize=(300, 100), initialFontName=font_set.body)
    p = Paragraph(markup(names, font_set.body, font_set), cjk_style("n", font_set.body, 12))
    p.wrap(280, 80)
    p.drawOn(c, 10, 40)
    c.showPage()
    c.save()
    assert names in _pdftotext(buf.getvalue(), tmp_path)


@needs_pdffonts
def test_fonts_are_embedded_as_subsets_with_a_unicode_map(font_set, ext_b_font, tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(_pdf_with_line(EXT_B_NAME, font_set.body, font_set))
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert len(rows) == 2
    for row in rows:
        assert re.search(r"^[A-Z]{6}\+\S+\s+TrueType\s.*\byes\s+yes\s+yes\s", row), row


# --- a rare character in the style of the text around it ------------------------

def _face(family: str, style: str, form: str = "zh") -> fonts.FontFile:
    return fonts.FontFile(family, Path(f"/fonts/{family}.ttf"), 0, style, form)


RARE_FACES = [_face("SimSun-ExtB", fonts.SONG), _face("BabelStone Han", fonts.SONG),
              _face("VL Gothic", fonts.HEI, "ja"), _face("HanaMinB", fonts.SONG, "ja")]


@pytest.mark.parametrize(("style", "expected"), [
    (fonts.HEI, ["VL Gothic", "SimSun-ExtB", "BabelStone Han", "HanaMinB"]),
    (fonts.SONG, ["SimSun-ExtB", "BabelStone Han", "HanaMinB", "VL Gothic"]),
    (fonts.FANGSONG, ["SimSun-ExtB", "BabelStone Han", "HanaMinB", "VL Gothic"]),
    (fonts.KAI, ["SimSun-ExtB", "BabelStone Han", "HanaMinB", "VL Gothic"]),
])
def test_rare_character_fonts_are_tried_in_the_style_of_the_text(style, expected):
    assert [f.family for f in fonts.fallback_order(style, RARE_FACES)] == expected


def test_a_mincho_is_the_last_resort_for_song_text_too():
    faces = [_face("HanaMinB", fonts.SONG, "ja"), _face("BabelStone Han", fonts.SONG)]
    assert [f.family for f in fonts.fallback_order(fonts.SONG, faces)] == ["BabelStone Han", "HanaMinB"]


def _installed(file_name: str) -> Path | None:
    return fonts._index_files(font_search_dirs()).get(file_name.lower())


def _ps_name(registered: str) -> str:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(registered).face.name
    return face.decode() if isinstance(face, bytes) else face


def _pdffonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


@needs_pdffonts
@needs_pdftotext
def test_in_hei_text_extension_b_prints_from_a_gothic_face(font_set, tmp_path):
    if font_set.style_of(font_set.heading) != fonts.HEI or fonts._has_glyph(font_set.heading, 0x20BB7):
        pytest.skip("the heading face is not a Hei face without U+20BB7")
    gothic = _family_in_set(font_set, "VL Gothic")
    if gothic is None:
        pytest.skip("VL-Gothic-Regular.ttf (fonts-vlgothic) is not installed")
    assert runs(EXT_B_NAME, font_set.heading, font_set)[0] == (gothic, "𠮷")
    pdf = _pdf_with_line(f"姓名：{EXT_B_NAME}", font_set.heading, font_set)
    listed = _pdffonts(pdf, tmp_path)
    assert _ps_name(gothic) in listed and "HanaMin" not in listed
    assert f"姓名：{EXT_B_NAME}" in _pdftotext(pdf, tmp_path)


@needs_pdffonts
@needs_pdftotext
def test_in_song_text_extension_b_prints_from_a_ming_face(tmp_path):
    files = {name: _installed(name) for name in ("uming.ttc", "BabelStoneHan.ttf", "VL-Gothic-Regular.ttf",
                                                 "HanaMinB.ttf")}
    if files["uming.ttc"] is None or files["BabelStoneHan.ttf"] is None:
        pytest.skip("AR PL UMing (fonts-arphic-uming) or BabelStone Han (fonts-babelstone-han) is not installed")
    # A machine whose documents are set in a Song (Ming) face, with Gothic and Mincho faces also installed.
    song_set = load_font_set(sorted({p.parent for p in files.values() if p is not None}))
    assert song_set.style_of(song_set.body) == fonts.SONG
    ming = _family_in_set(song_set, "BabelStone Han")
    assert runs(EXT_B_NAME, song_set.body, song_set)[0] == (ming, "𠮷")
    pdf = _pdf_with_line(f"姓名：{EXT_B_NAME}", song_set.body, song_set)
    listed = _pdffonts(pdf, tmp_path)
    assert _ps_name(ming) in listed and "HanaMin" not in listed and "Gothic" not in listed
    for row in listed.splitlines()[2:]:
        assert re.search(r"\byes\s+yes\s+yes\s", row), row
    assert f"姓名：{EXT_B_NAME}" in _pdftotext(pdf, tmp_path)
