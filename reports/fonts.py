"""The font policy shared by every PDF the hall prints.

Tickets, mediation agreements and arbitration notices all go through here:

* Only TrueType-outline CJK fonts are used (ReportLab cannot embed CFF/OTF
  outlines such as Noto Sans CJK).  They are embedded as subsets, which is
  ReportLab's default for ``TTFont``.
* Text is laid out with per-character fallback: the primary family first,
  then the other configured families, then the rare-character fonts.
  Names often contain such characters ("𠮷", "䶮").  The rare-character
  fonts are tried in the order that best matches the style of the text
  they stand in: for Hei (sans) text a Gothic face first (VL Gothic has
  𠮷), for Song/Ming/FangSong text a Ming face (SimSun-ExtB, MingLiU-ExtB,
  BabelStone Han), and among faces of one style Chinese glyph forms before
  Japanese ones (HanaMin, a Mincho, last).  See :func:`fallback_order`.
* A character that no configured font can draw is an error that names the
  character (:class:`MissingGlyphError`); a glyph is never silently dropped.
* ReportLab 5.1 writes a broken ToUnicode entry for characters beyond the
  BMP; :class:`_ToUnicodeFixedTTFont` corrects it, so copying, searching and
  ``pdftotext`` give back the character that was printed.

Where fonts are looked for, in order: the directories in ``HALL_FONT_DIRS``
(``os.pathsep`` separated), ``resources/fonts`` inside the application,
the system font directories (``/usr/share/fonts`` ...) and Windows' font
folders.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import struct
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from reports import cjkwrap  # noqa: F401  (installs the Chinese line breaker for every paragraph)

__all__ = [
    "FontFile",
    "FontSet",
    "FontUnavailableError",
    "MissingGlyphError",
    "check_drawable",
    "cjk_fonts",
    "cjk_style",
    "draw_runs",
    "ensure_registered",
    "fallback_order",
    "font_search_dirs",
    "load_font_set",
    "markup",
    "runs",
    "string_width",
    "to_unicode_cmap",
]

FONT_DIRS_ENV = "HALL_FONT_DIRS"

_log = logging.getLogger(__name__)

# Characters that only steer layout; they are never looked up in a font.
_LAYOUT_CHARS = frozenset("\n\r\t ")


class FontUnavailableError(RuntimeError):
    """No usable CJK TrueType font is installed on this machine."""


class MissingGlyphError(ValueError):
    """Text contains a character that none of the configured fonts can draw."""

    def __init__(self, characters: Sequence[str]):
        self.characters = tuple(dict.fromkeys(characters))
        named = "、".join(f"“{ch}”({_code_point(ch)})" for ch in self.characters)
        super().__init__(
            f"无法打印字符{named}：已配置的字体均不含此字，请安装含该字的字体"
        )

    @property
    def char(self) -> str:
        """The first character that cannot be drawn."""
        return self.characters[0]


def _code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


# --------------------------------------------------------------------------
# The ToUnicode fix
# --------------------------------------------------------------------------

def _utf16be_hex(code_point: int) -> str:
    """A code point as the UTF-16BE hex string a ToUnicode CMap expects.

    Beyond the BMP this is the surrogate pair: U+20BB7 -> ``D842DFB7``.
    """
    return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()


# The CMap specification allows at most 100 entries per bfchar block.
_BFCHAR_BLOCK = 100


def to_unicode_cmap(font_name: str, subset: Sequence[int]) -> str:
    """The ToUnicode CMap for one 256-code subset of an embedded TrueType font.

    Same structure as ReportLab's ``makeToUnicodeCMap``, with two
    corrections: destinations are UTF-16BE (surrogate pairs beyond the BMP,
    where ReportLab 5.1 writes ``<20BB7>``, which readers decode as the two
    characters U+20BB and U+0007 or drop), and bfchar blocks hold at most
    100 entries as the CMap specification requires.
    """
    entries = [f"<{code:02X}> <{_utf16be_hex(cp)}>" for code, cp in enumerate(subset)]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({font_name})",
        f"/Ordering ({font_name})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{font_name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), _BFCHAR_BLOCK):
        block = entries[start:start + _BFCHAR_BLOCK]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(block)
        lines.append("endbfchar")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


class _ToUnicodeFixedTTFont(TTFont):
    """A ReportLab ``TTFont`` whose ToUnicode CMaps are correct beyond the BMP.

    ReportLab builds each subset's PDF font object in ``TTFont.addObjects``
    and fills its ToUnicode stream from the module function
    ``makeToUnicodeCMap``, which formats every code point with ``%04X``.
    Rather than patching that module function for every user of ReportLab
    in the process, this subclass lets ReportLab build the objects as usual
    and then rewrites the content of each subset's ToUnicode stream, found
    through the font object's own ``/ToUnicode`` reference.  The stream is
    only serialised (and compressed) when the document is saved, so
    replacing its content here is enough.
    """

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (ReportLab's name)
        state = self.state.get(doc)
        if state is None:
            super().addObjects(doc)
            return
        # ReportLab drops the per-document state at the end of addObjects,
        # so note each subset's code points and PDF name first.
        subsets = [
            (self.getSubsetInternalName(n, doc)[1:], list(subset))
            for n, subset in enumerate(state.subsets)
        ]
        super().addObjects(doc)
        fonts_dict = doc.idToObject["BasicFonts"].dict
        for internal_name, subset in subsets:
            pdf_font = fonts_dict[internal_name]
            stream = doc.idToObject[pdf_font.ToUnicode.name]
            stream.content = to_unicode_cmap(pdf_font.BaseFont, subset)


# --------------------------------------------------------------------------
# Finding fonts
# --------------------------------------------------------------------------

#: Styles of face: Song/Ming (宋体、明体), FangSong (仿宋), Kai (楷体), Hei (黑体, sans).
SONG, FANGSONG, KAI, HEI = "song", "fangsong", "kai", "hei"


@dataclass(frozen=True)
class _Candidate:
    family: str
    file_names: tuple[str, ...]
    subfont_index: int = 0
    style: str = SONG
    form: str = "zh"        # the glyph forms it was drawn for: zh (Chinese) or ja (Japanese)


_FANGSONG = _Candidate("FangSong", ("simfang.ttf", "fangsong.ttf"), style=FANGSONG)
_SIMSUN = _Candidate("SimSun", ("simsun.ttc", "simsun.ttf"))
_KAITI = _Candidate("KaiTi", ("simkai.ttf", "kaiti.ttf"), style=KAI)
_SIMHEI = _Candidate("SimHei", ("simhei.ttf",), style=HEI)
_ZENHEI = _Candidate("WenQuanYi Zen Hei", ("wqy-zenhei.ttc",), 0, style=HEI)
_MICROHEI = _Candidate("WenQuanYi Micro Hei", ("wqy-microhei.ttc",), 0, style=HEI)
_UMING = _Candidate("AR PL UMing", ("uming.ttc",), 0)
_DROID = _Candidate("Droid Sans Fallback", ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf"), style=HEI)
# Rare characters (CJK Extension B and beyond, rare BMP characters).
_SIMSUN_EXTB = _Candidate("SimSun-ExtB", ("simsunb.ttf",))
_MINGLIU_EXTB = _Candidate("MingLiU-ExtB", ("mingliub.ttc",), 0)
_BABELSTONE = _Candidate("BabelStone Han", ("BabelStoneHan.ttf",))          # fonts-babelstone-han (Ming)
_VL_GOTHIC = _Candidate("VL Gothic", ("VL-Gothic-Regular.ttf",), style=HEI, form="ja")   # fonts-vlgothic
_HANAMIN_B = _Candidate("HanaMinB", ("HanaMinB.ttf",), form="ja")          # fonts-hanazono (Mincho)
_HANAMIN_A = _Candidate("HanaMinA", ("HanaMinA.ttf",), form="ja")

# Body text: the Song/FangSong faces official documents use, then what a
# Linux machine usually has.
_BODY = (_FANGSONG, _SIMSUN, _KAITI, _ZENHEI, _MICROHEI, _UMING, _DROID)
# Headings and anything that must stay legible on a thermal printer.
_HEADING = (_SIMHEI, _ZENHEI, _MICROHEI)
# Tried after the primary families, ordered for the text's style by
# fallback_order (this order breaks ties).
_EXT_B = (_SIMSUN_EXTB, _MINGLIU_EXTB, _BABELSTONE, _VL_GOTHIC, _HANAMIN_B)
_RARE_BMP = (_HANAMIN_A,)

# Every body or heading font must draw at least these.
_CJK_PROBE = "中文"


@dataclass(frozen=True)
class FontFile:
    """One font face on disk: a .ttf, or one face of a .ttc collection."""

    family: str
    path: Path
    subfont_index: int = 0
    style: str = SONG
    form: str = "zh"

    @property
    def registered_name(self) -> str:
        """The name the face is registered under with ReportLab."""
        return "Hall-" + "".join(self.family.split())


def font_search_dirs() -> list[Path]:
    """Directories searched for fonts, highest precedence first."""
    dirs: list[Path] = []
    for part in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep):
        if part.strip():
            dirs.append(Path(part.strip()).expanduser())
    spec = importlib.util.find_spec("resources")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            dirs.append(Path(location) / "fonts")
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    if sys.platform == "win32" or os.environ.get("WINDIR"):
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _index_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-cased file name -> path; earlier directories win."""
    found: dict[str, Path] = {}
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, _dirnames, filenames in os.walk(root):
            for name in filenames:
                found.setdefault(name.lower(), Path(dirpath) / name)
    return found


_TRUETYPE_TAGS = (b"\x00\x01\x00\x00", b"true")


def _has_truetype_outlines(path: Path, subfont_index: int) -> bool:
    """Whether the face has TrueType (glyf) outlines, not CFF ("OTTO").

    Checked from the sfnt header before ReportLab sees the file: a Noto CJK
    collection renamed to .ttc or an .otf dropped into the font folder must
    be skipped, not crash the print.
    """
    try:
        with path.open("rb") as f:
            tag = f.read(4)
            if tag == b"ttcf":
                header = f.read(8)
                if len(header) < 8:
                    return False
                (count,) = struct.unpack(">I", header[4:8])
                if subfont_index >= count:
                    return False
                f.seek(12 + 4 * subfont_index)
                (offset,) = struct.unpack(">I", f.read(4))
                f.seek(offset)
                tag = f.read(4)
            return tag in _TRUETYPE_TAGS
    except (OSError, struct.error):
        return False


def _locate(candidate: _Candidate, files: dict[str, Path]) -> FontFile | None:
    for file_name in candidate.file_names:
        path = files.get(file_name.lower())
        if path is not None and _has_truetype_outlines(path, candidate.subfont_index):
            return FontFile(candidate.family, path, candidate.subfont_index, candidate.style, candidate.form)
    return None


# --------------------------------------------------------------------------
# Registering fonts (once per process) and reading their character maps
# --------------------------------------------------------------------------

_lock = threading.RLock()
_known: dict[str, FontFile] = {}          # registered name -> file, loaded or not
_loaded: dict[str, dict[int, int]] = {}   # registered name -> code point -> glyph


# --------------------------------------------------------------------------
# A cache of parsed font faces (the first document of a process)
# --------------------------------------------------------------------------
#
# ReportLab parses a CJK TrueType file in pure Python (0.3-0.7 s for
# WenQuanYi Zen Hei). What the parse yields except the file's bytes is kept
# in the user's cache folder, keyed by the file (path, size, modification
# time, face) and the ReportLab version; the next process reads it back in a
# few milliseconds. Anything unexpected falls back to parsing the file.
#
# A face read back from the cache does not read the font file either: it
# maps it (``mmap``), so only the pages a document's glyphs live on are read,
# and the subset copies those glyphs rather than the whole ``glyf`` table
# (10 MB for Zen Hei, 30 MB for HanaMinB). The tables only some documents
# need stay packed until first used: the glyph -> characters map (shaping
# only) is unpacked on first access, the per-glyph metrics and offsets are
# read from flat arrays by index, which is all subsetting does with them.

FONT_CACHE_ENV = "HALL_FONT_CACHE"   # a folder, or "off"
_CACHE_FORMAT = 4

# The only globals an entry may name: anything else is not an entry.
_CACHE_GLOBALS = frozenset({
    ("array", "array"),
    ("array", "_array_reconstructor"),
    ("reportlab.pdfbase.ttfonts", "TTFNameBytes"),
})

# Tables left packed until a caller first reads them (see _CachedFace).
_LAZY_TABLES = frozenset({"glyphToChar"})


class _Scale:
    """ReportLab's font-unit -> 1000-unit scale (a lambda there; this one pickles)."""

    def __init__(self, units_per_em: int):
        self.factor = 1000.0 / units_per_em

    def __call__(self, x: float) -> float:
        return x * self.factor if self.factor != 1.0 else x


def _face_cache_path(font_file: FontFile) -> Path | None:
    import hashlib

    import reportlab

    where = os.environ.get(FONT_CACHE_ENV, "")
    if where.lower() == "off":
        return None
    try:
        st = font_file.path.stat()
    except OSError:
        return None
    if where:
        folder = Path(where)
    else:
        try:
            import platformdirs
        except ImportError:
            return None
        folder = Path(platformdirs.user_cache_dir("hall", appauthor=False)) / "fonts"
    key = "|".join(str(x) for x in (
        _CACHE_FORMAT, reportlab.Version, font_file.path.resolve(), st.st_size, st.st_mtime_ns,
        font_file.subfont_index))
    return folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".face")


def _pack(value: Any) -> tuple[Any, ...]:
    """Large int tables as flat arrays: unpickling 40,000 small objects one by
    one is what made a plain pickle slow (0.2-0.3 s)."""
    from array import array

    if isinstance(value, dict) and len(value) > 256:
        keys = list(value)
        vals = list(value.values())
        if all(type(k) is int for k in keys):
            if all(type(v) is int for v in vals):
                return ("d_ii", array("q", keys), array("q", vals))
            if all(type(v) is float for v in vals):
                return ("d_if", array("q", keys), array("d", vals))
            if all(type(v) is list and all(type(x) is int for x in v) for v in vals):
                return ("d_il", array("q", keys), array("q", map(len, vals)),
                        array("q", [x for v in vals for x in v]))
    if isinstance(value, list) and len(value) > 256:
        if all(type(v) is int for v in value):
            return ("l_i", array("q", value))
        if all(type(v) is tuple and len(v) == 2 for v in value):
            firsts, seconds = [v[0] for v in value], [v[1] for v in value]
            columns: list[tuple[Any, ...]] = []
            for column in (firsts, seconds):
                if all(type(x) is int for x in column):
                    columns.append(("i", array("q", column)))
                elif all(type(x) in (int, float) for x in column):
                    # floats, and the indices of the few ints among them
                    ints = [i for i, x in enumerate(column) if type(x) is int]
                    columns.append(("f", array("d", column), array("q", ints)))
                else:
                    return ("raw", value)
            # advance widths are floats or ints, as ReportLab computed them
            return ("l_t2", columns[0], columns[1])
    return ("raw", value)


class _Pairs(Sequence[tuple[Any, ...]]):
    """A list of (advance, left side bearing) pairs read from two flat arrays.

    Each pair is built when it is indexed, with the types ReportLab computed
    (an advance is a float or an int); subsetting reads the few glyphs it
    copies and nothing else.
    """

    def __init__(self, first: tuple[Any, ...], second: tuple[Any, ...]) -> None:
        self._columns: list[tuple[bool, Any, frozenset[int] | None]] = []
        for column in (first, second):
            ints = frozenset(column[2].tolist()) if column[0] == "f" else None
            self._columns.append((column[0] == "f", column[1], ints))
        self._len = len(first[1])

    def _item(self, i: int) -> tuple[Any, ...]:
        out = []
        for is_float, values, ints in self._columns:
            x = values[i]
            out.append(int(x) if is_float and ints is not None and i in ints else x)
        return tuple(out)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, i: int) -> tuple[Any, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, i: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        if isinstance(i, slice):
            return [self._item(j) for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        return self._item(i)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _unpack(packed: tuple[Any, ...]) -> Any:
    kind = packed[0]
    if kind == "raw":
        return packed[1]
    if kind in ("d_ii", "d_if"):
        return dict(zip(packed[1].tolist(), packed[2].tolist()))
    if kind == "d_il":
        keys, lens, flat = packed[1].tolist(), packed[2].tolist(), packed[3].tolist()
        out: dict[Any, Any] = {}
        i = 0
        for k, n in zip(keys, lens):
            out[k] = flat[i:i + n]
            i += n
        return out
    if kind == "l_i":
        return packed[1]            # an array: indexed, never changed
    if kind == "l_t2":
        return _Pairs(packed[1], packed[2])
    raise ValueError(kind)


class _Window:
    """A read-only window on the font's bytes that slices to ``bytes``.

    ``makeSubset`` takes the whole ``glyf`` table and slices one glyph at a
    time out of it; through this window only the slices are copied.
    """

    __slots__ = ("_data", "_start", "_len")

    def __init__(self, data: Any, start: int, length: int) -> None:
        self._data, self._start, self._len = data, start, length

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, item: int | slice) -> Any:
        if isinstance(item, slice):
            start, stop, step = item.indices(self._len)
            if step != 1:
                return bytes(self._data[self._start:self._start + self._len])[item]
            return bytes(self._data[self._start + start:self._start + max(start, stop)])
        if item < 0:
            item += self._len
        if not 0 <= item < self._len:
            raise IndexError(item)
        return self._data[self._start + item]

    def __bytes__(self) -> bytes:
        return bytes(self._data[self._start:self._start + self._len])


class _CachedFace(TTFontFace):
    """A ``TTFontFace`` rebuilt from a cache entry over the mapped font file."""

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set: the tables left packed.
        lazy = self.__dict__.get("_lazy")
        if lazy is not None and name in lazy:
            value = _unpack(lazy.pop(name))
            setattr(self, name, value)
            return value
        raise AttributeError(name)

    def get_table(self, tag: str) -> Any:
        pos, length = self.get_table_pos(tag)
        if tag == "glyf":
            return _Window(self._ttf_data, pos, length)
        return bytes(self._ttf_data[pos:pos + length])


def _directory_span(face: TTFontFace, subfont_index: int) -> tuple[int, int]:
    """Where the face's table directory is in the file (it holds every
    table's offset, length and checksum)."""
    start = 0
    if getattr(face, "fileKind", "") == "TTC":
        start = face.subfontOffsets[subfont_index]
    return start, start + 12 + 16 * face.numTables


def _map_file(path: Path) -> Any:
    """The file's bytes, mapped read-only (read whole where mapping fails).

    A font package replaces a file by renaming a new one over it, so the
    mapping keeps the old inode's pages for as long as this process uses it.
    """
    import mmap

    with path.open("rb") as f:
        try:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return f.read()


class _EntryUnpickler:
    """``pickle.loads`` that refuses any global but the few an entry uses."""

    @staticmethod
    def loads(data: bytes) -> Any:
        import io
        import pickle

        class Restricted(pickle.Unpickler):
            def find_class(self, module: str, name: str) -> Any:
                if (module, name) not in _CACHE_GLOBALS:
                    raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a font cache entry")
                return super().find_class(module, name)

        return Restricted(io.BytesIO(data)).load()


def _face_from_cache(path: Path, font_file: FontFile) -> TTFontFace | None:
    import gc

    try:
        # 100,000 small objects at once: the cyclic collector would walk them
        # several times over while they are being built.
        enabled = gc.isenabled()
        gc.disable()
        try:
            entry = _EntryUnpickler.loads(path.read_bytes())
            if entry.get("format") != _CACHE_FORMAT:
                raise ValueError(f"cache entry format {entry.get('format')!r}")
            packed = entry["state"]
            state = {k: _unpack(v) for k, v in packed.items() if k not in _LAZY_TABLES}
        finally:
            if enabled:
                gc.enable()
        data = _map_file(font_file.path)
        face = _CachedFace.__new__(_CachedFace)
        pdfmetrics.TypeFace.__init__(face, None)
        face.__dict__.update(state)
        face._lazy = {k: v for k, v in packed.items() if k in _LAZY_TABLES}
        face._ttf_data = data
        face._pdfScale = _Scale(face.unitsPerEm)
        start, end = _directory_span(face, font_file.subfont_index)
        if (not face.charToGlyph or len(data) < face._pos
                or bytes(data[start:end]) != entry["directory"]
                or any(t["offset"] + t["length"] > len(data) for t in face.tables)):
            _log.info("font cache entry %s does not match %s", path, font_file.path)
            return None
        return face
    except Exception:  # noqa: BLE001 (a stale or damaged entry: parse the file)
        _log.info("font cache entry %s not used", path, exc_info=True)
        return None


def _face_to_cache(path: Path, face: TTFontFace, subfont_index: int = 0) -> None:
    import pickle
    import tempfile

    try:
        state = {k: _pack(v) for k, v in face.__dict__.items() if k not in ("_ttf_data", "_pdfScale")}
        start, end = _directory_span(face, subfont_index)
        entry = {"format": _CACHE_FORMAT, "directory": bytes(face._ttf_data[start:end]), "state": state}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 (no cache folder: every process parses)
        _log.info("cannot write the font cache %s", path, exc_info=True)


def _load_ttfont(name: str, font_file: FontFile) -> TTFont:
    """The ``TTFont`` of a face, from the parse cache when it has the file."""
    cache = _face_cache_path(font_file)
    face = _face_from_cache(cache, font_file) if cache is not None and cache.is_file() else None
    if face is None:
        font = _ToUnicodeFixedTTFont(name, str(font_file.path), subfontIndex=font_file.subfont_index)
        if cache is not None:
            _face_to_cache(cache, font.face, font_file.subfont_index)
        return font
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase import ttfonts

    # What TTFont.__init__ does, with the face already at hand.
    font = _ToUnicodeFixedTTFont.__new__(_ToUnicodeFixedTTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in getattr(ttfonts, "unShapedFontGlob", ()))
    return font


def _declare(font: FontFile) -> str:
    with _lock:
        name = font.registered_name
        _known.setdefault(name, font)
        return name


def _glyphs(name: str) -> dict[int, int]:
    """The character map of a font, registering it with ReportLab on first use.

    Fallback fonts are only parsed when a character needs them: HanaMinA
    and HanaMinB are large and most tickets never use them.
    """
    cmap = _loaded.get(name)
    if cmap is not None:
        return cmap
    with _lock:
        cmap = _loaded.get(name)
        if cmap is not None:
            return cmap
        font_file = _known.get(name)
        if font_file is None:
            font = pdfmetrics.getFont(name)  # someone else's registered font
            face = getattr(font, "face", None)
            cmap = getattr(face, "charToGlyph", None)
            if cmap is None:
                raise ValueError(f"{name} is not a TrueType font; cannot check its glyphs")
        else:
            try:
                font = _load_ttfont(name, font_file)
            except Exception:
                # A damaged or unreadable file counts as a font with no
                # glyphs: the next font in the chain is tried instead.
                _log.warning("cannot read font %s", font_file.path, exc_info=True)
                cmap = {}
            else:
                pdfmetrics.registerFont(font)
                cmap = font.face.charToGlyph
        _loaded[name] = cmap
        return cmap


def ensure_registered(name: str) -> None:
    """Register a font of the set with ReportLab now.

    Fallback fonts are otherwise registered when :func:`runs` first needs
    them; call this before passing one to ``canvas.setFont`` directly.
    """
    _glyphs(name)


# Registered names of the rare-character fonts (filled by load_font_set).
_rare_names: set[str] = set()


def _private_use(code_point: int) -> bool:
    return 0xE000 <= code_point <= 0xF8FF or code_point >= 0xF0000


def _has_glyph(name: str, code_point: int) -> bool:
    # A private-use code point means something else in every font: the
    # rare-character fonts' own private glyphs (BabelStone Han has thousands)
    # are never printed for it.
    if name in _rare_names and _private_use(code_point):
        return False
    # Format-4 cmaps list some code points against glyph 0 (.notdef).
    return bool(_glyphs(name).get(code_point))


@dataclass(frozen=True)
class FontSet:
    """The fonts configured on this machine, by role.

    Each attribute is the name under which the face is registered with
    ReportLab, ready for ``canvas.setFont`` or ``ParagraphStyle.fontName``.
    ``body`` and ``heading`` are registered at once; the ``fallbacks``
    (large rare-character fonts) when first needed, see
    :func:`ensure_registered`.
    """

    body: str
    heading: str
    fallbacks: tuple[str, ...]
    files: tuple[FontFile, ...]

    def chain(self, primary: str | None = None) -> tuple[str, ...]:
        """Fonts to try for a character, in order, starting with ``primary``.

        The rare-character fallbacks come in the order that matches the
        style of ``primary`` (:func:`fallback_order`).
        """
        return _chain_of(self, primary or self.body)

    def style_of(self, name: str) -> str:
        """The style (:data:`SONG`, :data:`HEI` ...) of a font of the set."""
        for f in self.files:
            if f.registered_name == name:
                return f.style
        return SONG

    def __iter__(self) -> Iterator[str]:
        return iter(self.chain())


def fallback_order(style: str, fallbacks: Sequence[FontFile]) -> list[FontFile]:
    """The rare-character fonts in the order to try for text of ``style``.

    The same style first (a Gothic for Hei text, a Ming face for Song
    text); for FangSong or Kai text, which have no rare-character faces of
    their own, the Ming faces next; then the rest.  Within each group,
    faces drawn for Chinese glyph forms before Japanese ones, then the
    configured order.
    """
    def rank(item: tuple[int, FontFile]) -> tuple[int, int, int]:
        index, f = item
        if f.style == style:
            closeness = 0
        elif style in (FANGSONG, KAI) and f.style == SONG:
            closeness = 1
        else:
            closeness = 2
        return closeness, 0 if f.form == "zh" else 1, index

    return [f for _i, f in sorted(enumerate(fallbacks), key=rank)]


_chains: dict[tuple[FontSet, str], tuple[str, ...]] = {}


def _chain_of(font_set: FontSet, primary: str) -> tuple[str, ...]:
    key = (font_set, primary)
    found = _chains.get(key)
    if found is None:
        by_name = {f.registered_name: f for f in font_set.files}
        extra = [by_name[n] for n in font_set.fallbacks if n in by_name]
        ordered = [f.registered_name for f in fallback_order(font_set.style_of(primary), extra)]
        ordered += [n for n in font_set.fallbacks if n not in by_name]
        found = tuple(dict.fromkeys([primary, font_set.body, font_set.heading, *ordered]))
        _chains[key] = found
    return found


def load_font_set(search_dirs: Sequence[Path] | None = None) -> FontSet:
    """Find the CJK fonts in ``search_dirs`` (default: :func:`font_search_dirs`).

    Registers the body and heading faces with ReportLab now and the rare
    character fallbacks when first needed.  Raises
    :class:`FontUnavailableError` when no body font can be found.
    """
    dirs = list(font_search_dirs() if search_dirs is None else search_dirs)
    files = _index_files(dirs)

    def first_usable(candidates: Sequence[_Candidate]) -> FontFile | None:
        for candidate in candidates:
            found = _locate(candidate, files)
            if found is None:
                continue
            name = _declare(found)
            if all(_has_glyph(name, ord(ch)) for ch in _CJK_PROBE):
                return found
        return None

    body = first_usable(_BODY)
    if body is None:
        searched = "、".join(str(d) for d in dirs) or "（无）"
        raise FontUnavailableError(
            "未找到可用的中文 TrueType 字体，无法生成 PDF。"
            "请系统管理员安装文泉驿正黑字体（Debian/Ubuntu：sudo apt install fonts-wqy-zenhei），"
            f"或将 simfang.ttf、simsun.ttc 等字体文件放入环境变量 {FONT_DIRS_ENV} 指定的目录。"
            f"已搜索：{searched}"
        )
    heading = first_usable(_HEADING) or body
    fallbacks = [f for f in (_locate(c, files) for c in _EXT_B + _RARE_BMP) if f]
    fallback_names = tuple(_declare(f) for f in fallbacks)
    _rare_names.update(fallback_names)

    body_name, heading_name = body.registered_name, heading.registered_name
    # <b> inside a body paragraph switches to the heading face.
    pdfmetrics.registerFontFamily(
        body_name, normal=body_name, bold=heading_name, italic=body_name, boldItalic=heading_name
    )
    return FontSet(
        body=body_name,
        heading=heading_name,
        fallbacks=tuple(n for n in fallback_names if n not in (body_name, heading_name)),
        files=tuple(dict.fromkeys([body, heading, *fallbacks])),
    )


_default: FontSet | None = None


def cjk_fonts() -> FontSet:
    """The machine's font set, found and registered once per process."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = load_font_set()
    return _default


# --------------------------------------------------------------------------
# Laying out text with fallback
# --------------------------------------------------------------------------

def _chain(primary: str | None, fonts: FontSet | Iterable[str] | None) -> tuple[str, ...]:
    if fonts is None:
        fonts = cjk_fonts()
    if isinstance(fonts, FontSet):
        return fonts.chain(primary)
    names = tuple(fonts)
    return tuple(dict.fromkeys(((primary,) if primary else ()) + names))


def _font_for(code_point: int, chain: Sequence[str]) -> str | None:
    for name in chain:
        if _has_glyph(name, code_point):
            return name
    return None


def check_drawable(text: str, fonts: FontSet | Iterable[str] | None = None) -> None:
    """Raise :class:`MissingGlyphError` if any character of ``text`` has no glyph.

    ``fonts`` is a :class:`FontSet` (all its fonts are tried) or the names of
    registered TrueType fonts; by default the machine's font set.
    """
    chain = _chain(None, fonts)
    missing = [
        ch for ch in dict.fromkeys(text)
        if ch not in _LAYOUT_CHARS and _font_for(ord(ch), chain) is None
    ]
    if missing:
        raise MissingGlyphError(missing)


def runs(
    text: str, primary: str, fonts: FontSet | Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, substring)`` runs.

    Each character goes to the first font of ``primary`` followed by the
    font set's chain that has a glyph for it.  Spaces and line breaks stay
    in the surrounding run.  Raises :class:`MissingGlyphError` naming every
    character that no font has.
    """
    chain = _chain(primary, fonts)
    result: list[tuple[str, list[str]]] = []
    missing: list[str] = []
    for ch in text:
        if ch in _LAYOUT_CHARS:
            name = result[-1][0] if result else primary
        else:
            found = _font_for(ord(ch), chain)
            if found is None:
                missing.append(ch)
                continue
            name = found
        if result and result[-1][0] == name:
            result[-1][1].append(ch)
        else:
            result.append((name, [ch]))
    if missing:
        raise MissingGlyphError(missing)
    return [(name, "".join(chars)) for name, chars in result]


def markup(text: str, primary: str, fonts: FontSet | Iterable[str] | None = None) -> str:
    """Paragraph markup for plain ``text`` whose style font is ``primary``.

    The text is XML-escaped; characters the primary font lacks are wrapped in
    ``<font name="...">`` spans; line breaks become ``<br/>``.
    """
    parts = []
    for name, chunk in runs(text, primary, fonts):
        escaped = escape(chunk).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")
        parts.append(escaped if name == primary else f'<font name="{name}">{escaped}</font>')
    return "".join(parts)


def string_width(
    text: str, primary: str, size: float, fonts: FontSet | Iterable[str] | None = None
) -> float:
    """Width in points of ``text`` drawn with fallback at ``size``."""
    return float(sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in runs(text, primary, fonts)))


def draw_runs(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    primary: str,
    size: float,
    fonts: FontSet | Iterable[str] | None = None,
) -> float:
    """Draw one line of ``text`` at ``(x, y)`` with fallback; return its width."""
    start = x
    for name, chunk in runs(text, primary, fonts):
        canvas.setFont(name, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, name, size)
    return x - start


def cjk_style(
    name: str,
    font_name: str,
    size: float,
    leading: float | None = None,
    alignment: int = TA_LEFT,
    **kwargs: Any,
) -> ParagraphStyle:
    """A paragraph style for Chinese text (line breaks between any two characters)."""
    return ParagraphStyle(
        name,
        fontName=font_name,
        fontSize=size,
        leading=leading if leading is not None else round(size * 1.35, 2),
        alignment=alignment,
        wordWrap="CJK",
        **kwargs,
    )
