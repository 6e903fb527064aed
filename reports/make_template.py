"""Builds ``resources/templates/official_zh_CN.docx``, the template every DOCX starts from.

Run ``python -m reports.make_template`` after changing this file and commit
the .docx it writes.  (``reports.docx_base`` also builds the template in
memory if the file is missing, so a checkout without it still works.)

Why our own template: python-docx's default template is an English Letter
page whose East Asian language is Japanese (``w:themeFontLang
w:eastAsia="ja-JP"``) and whose fonts come from the theme, so Chinese text
set with ``font.name`` alone shows in a Japanese Mincho face.  This one is:

* A4 with the GB/T 9704-2012 margins (top 37 mm, bottom 35 mm, left 28 mm,
  right 26 mm) and a 22-line grid;
* East Asian language zh-CN everywhere (document defaults, theme font
  language, core properties);
* explicit ``w:eastAsia`` fonts on the document defaults and on every
  style the renderers use, with the theme attributes that would override
  them removed: 仿宋 for the body, 宋体 (bold) for the title, 黑体 for
  first-level headings, 楷体 for second-level ones, Times New Roman for
  Latin text and digits;
* a font table that names each Chinese face with its English name
  (仿宋 = FangSong ...) and the GB2312 character set, so Word and WPS find
  it on any Chinese Windows;
* footers with the page number ``— 1 —`` in 4号 宋体, odd pages at the
  right and even pages at the left, one character in (GB/T 9704-2012 7.5).

Styles (staff see these names in Word's style pane): ``Normal``,
``Body Text`` (first line indented two characters), ``Title``,
``Heading 1``, ``Heading 2``, ``Footer``, ``Table Grid`` and the custom
``文号`` (number line), ``顶格`` (no indent), ``落款`` (signature lines),
``表格文字`` (4号 table text) and ``附注`` (小四 notes).
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.libtypes import DocxDocument, DocxLength, DocxParagraph, DocxParagraphFormat, DocxStyle, XmlElement

__all__ = [
    "BODY_FONT", "TITLE_FONT", "HEADING_FONT", "HEADING2_FONT", "NUMBER_FONT", "LATIN_FONT",
    "EXT_B_FONT", "STYLE_FONTS", "TEMPLATE_NAME", "build_template", "deterministic_zip", "first_line_chars",
    "main", "set_fonts", "set_language",
]

TEMPLATE_NAME = "official_zh_CN.docx"

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"       # FangSong: GB/T 9704 body text
TITLE_FONT = "宋体"      # SimSun, bold: stands in for 方正小标宋, which few machines have
HEADING_FONT = "黑体"    # SimHei: first-level headings (一、)
HEADING2_FONT = "楷体"   # KaiTi: second-level headings (（一）)
NUMBER_FONT = "宋体"     # page numbers: 4号半角宋体 (7.5)
EXT_B_FONT = "SimSun-ExtB"  # characters beyond the BMP (𠮷), as Word itself applies them

# English names and PANOSE of the faces, for the font table.
_FONT_TABLE = {
    "仿宋": ("FangSong", "02010609060101010101"),
    "宋体": ("SimSun", "02010600030101010101"),
    "黑体": ("SimHei", "02010609060101010101"),
    "楷体": ("KaiTi", "02010609060101010101"),
    "SimSun-ExtB": ("SimSun-ExtB", "02010609060101010101"),
}

BODY_SIZE = Pt(16)       # 3号
TITLE_SIZE = Pt(22)      # 2号
TABLE_SIZE = Pt(14)      # 4号
NOTE_SIZE = Pt(12)       # 小四
LINE_PITCH = Pt(28.95)   # 225 mm / 22 lines
TITLE_PITCH = Pt(33)
TABLE_PITCH = Pt(22)
TWO_CHARS = 200          # w:firstLineChars: hundredths of a character

#: style name -> East Asian face; what the tests check.
STYLE_FONTS = {
    "Normal": BODY_FONT,
    "Body Text": BODY_FONT,
    "Title": TITLE_FONT,
    "Heading 1": HEADING_FONT,
    "Heading 2": HEADING2_FONT,
    "Footer": NUMBER_FONT,
    "文号": BODY_FONT,
    "顶格": BODY_FONT,
    "落款": BODY_FONT,
    "表格文字": BODY_FONT,
    "附注": BODY_FONT,
}

_FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------
# XML helpers
# --------------------------------------------------------------------------

def _child(parent: XmlElement, tag: str, before: tuple[str, ...] = ()) -> XmlElement:
    """The child ``tag`` of ``parent``, created (before the first of ``before``) if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        for name in before:
            anchor = parent.find(qn(name))
            if anchor is not None:
                anchor.addprevious(found)
                break
        else:
            parent.append(found)
    return found


def set_fonts(rpr: XmlElement, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts on an ``w:rPr``; theme attributes (which win over them) removed."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def set_language(rpr: XmlElement) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def first_line_chars(paragraph_format: DocxParagraphFormat, ppr: XmlElement, chars: int, char_size: float = 16.0) -> None:
    """First-line indent in characters (Word's ``w:firstLineChars``), with the
    same indent in points for readers that ignore the character unit."""
    paragraph_format.first_line_indent = Pt(chars / 100 * char_size)
    ppr.find(qn("w:ind")).set(qn("w:firstLineChars"), str(chars))


def _style(
    document: DocxDocument, name: str, kind: Any = WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal",
) -> DocxStyle:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        style.quick_style = True
    if base is not None and name != base:
        style.base_style = styles[base]
    return style


def _reset(style: DocxStyle) -> None:
    """Drop a built-in style's colours, borders, theme fonts and spacing."""
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        old = el.find(qn(tag))
        if old is not None:
            el.remove(old)


def _paragraph_style(
    document: DocxDocument, name: str, *, east_asia: str, size: DocxLength, pitch: DocxLength,
    align: Any = None, indent_chars: int = 0,
    bold: bool = False, keep_with_next: bool = False, base: str | None = "Normal",
    reset: bool = False, outline: int | None = None,
) -> DocxStyle:
    style = _style(document, name, base=base)
    if reset:
        _reset(style)
    font = style.font
    font.size = size
    font.bold = bold
    font.color.rgb = None
    set_fonts(style.element.get_or_add_rPr(), east_asia)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    if align is not None:
        fmt.alignment = align
    fmt.keep_with_next = keep_with_next
    ppr = style.element.get_or_add_pPr()
    if indent_chars:
        first_line_chars(fmt, ppr, indent_chars, size.pt)
    if outline is not None:
        _child(ppr, "w:outlineLvl", before=("w:rPr",)).set(qn("w:val"), str(outline))
    return style


# --------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------

def _defaults(document: DocxDocument) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    _child(rpr, "w:sz").set(qn("w:val"), "32")
    _child(rpr, "w:szCs").set(qn("w:val"), "32")
    set_language(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = _child(ppr, "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(int(LINE_PITCH.pt * 20)))
    spacing.set(qn("w:lineRule"), "exact")


def _styles(document: DocxDocument) -> None:
    J = WD_ALIGN_PARAGRAPH
    _paragraph_style(document, "Normal", east_asia=BODY_FONT, size=BODY_SIZE, pitch=LINE_PITCH,
                     align=J.JUSTIFY, base=None)
    set_language(document.styles["Normal"].element.get_or_add_rPr())
    _paragraph_style(document, "Body Text", east_asia=BODY_FONT, size=BODY_SIZE, pitch=LINE_PITCH,
                     align=J.JUSTIFY, indent_chars=TWO_CHARS, reset=True)
    title = _paragraph_style(document, "Title", east_asia=TITLE_FONT, size=TITLE_SIZE, pitch=TITLE_PITCH,
                             align=J.CENTER, bold=True, reset=True)
    title.font.all_caps = False
    _paragraph_style(document, "Heading 1", east_asia=HEADING_FONT, size=BODY_SIZE, pitch=LINE_PITCH,
                     align=J.JUSTIFY, indent_chars=TWO_CHARS, keep_with_next=True, reset=True, outline=0)
    _paragraph_style(document, "Heading 2", east_asia=HEADING2_FONT, size=BODY_SIZE, pitch=LINE_PITCH,
                     align=J.JUSTIFY, indent_chars=TWO_CHARS, keep_with_next=True, reset=True, outline=1)
    _paragraph_style(document, "Footer", east_asia=NUMBER_FONT, size=TABLE_SIZE, pitch=TABLE_PITCH,
                     reset=True)
    _paragraph_style(document, "文号", east_asia=BODY_FONT, size=BODY_SIZE, pitch=LINE_PITCH, align=J.RIGHT)
    _paragraph_style(document, "顶格", east_asia=BODY_FONT, size=BODY_SIZE, pitch=LINE_PITCH, align=J.JUSTIFY)
    _paragraph_style(document, "落款", east_asia=BODY_FONT, size=BODY_SIZE, pitch=LINE_PITCH, align=J.LEFT)
    _paragraph_style(document, "表格文字", east_asia=BODY_FONT, size=TABLE_SIZE, pitch=TABLE_PITCH,
                     align=J.LEFT)
    _paragraph_style(document, "附注", east_asia=BODY_FONT, size=NOTE_SIZE, pitch=Pt(19),
                     align=J.JUSTIFY, indent_chars=TWO_CHARS)
    # Character styles linked to the reset paragraph styles keep their theme
    # fonts otherwise; give them the same faces.
    for name, face in (("Title Char", TITLE_FONT), ("Heading 1 Char", HEADING_FONT),
                       ("Heading 2 Char", HEADING2_FONT), ("Body Text Char", BODY_FONT),
                       ("Footer Char", NUMBER_FONT)):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        _reset(style)
        set_fonts(style.element.get_or_add_rPr(), face)


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's dash 7 mm below the body area (35 mm − 7 mm − one 4号 line).
    section.footer_distance = Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))


def _page_number(paragraph: DocxParagraph) -> None:
    def run(text: str | None = None, fld: str | None = None, instr: str | None = None) -> None:
        r = OxmlElement("w:r")
        if fld:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), fld)
            r.append(el)
        elif instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r.append(el)
        else:
            el = OxmlElement("w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            r.append(el)
        paragraph._p.append(r)

    run("— ")
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    run(" —")


def _footers(document: DocxDocument) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    one_char = Pt(14)
    odd = section.footer.paragraphs[0]
    odd.style = document.styles["Footer"]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = one_char
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = document.styles["Footer"]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = one_char
    _page_number(even)


def _settings(document: DocxDocument) -> None:
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    # Chinese punctuation compression as Word's Chinese default.
    settings.find(qn("w:characterSpacingControl")).set(qn("w:val"), "compressPunctuation")
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)


def _font_table(document: DocxDocument) -> None:
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    from lxml import etree

    root = etree.fromstring(part.blob)
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    existing = {f.get(f"{{{w}}}name") for f in root.findall(f"{{{w}}}font")}
    for name, (alt, panose) in _FONT_TABLE.items():
        if name in existing:
            continue
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        etree.SubElement(font, f"{{{w}}}altName").set(f"{{{w}}}val", alt)
        etree.SubElement(font, f"{{{w}}}panose1").set(f"{{{w}}}val", panose)
        etree.SubElement(font, f"{{{w}}}charset").set(f"{{{w}}}val", "86")  # GB2312
        etree.SubElement(font, f"{{{w}}}family").set(f"{{{w}}}val", "modern" if name != "宋体" else "auto")
        etree.SubElement(font, f"{{{w}}}pitch").set(f"{{{w}}}val", "fixed" if name != "宋体" else "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


#: Table styles kept from the default template; the ~140 coloured ones
#: (Light Shading Accent 1 ...) only slow every document down.
_KEPT_TABLE_STYLES = {"Normal Table", "Table Grid"}


def _drop_table_styles(document: DocxDocument) -> None:
    root = document.styles.element
    for style in list(root.findall(qn("w:style"))):
        if style.get(qn("w:type")) == "table":
            name = style.find(qn("w:name")).get(qn("w:val"))
            if name not in _KEPT_TABLE_STYLES:
                root.remove(style)


def _drop_leftovers(document: DocxDocument) -> None:
    """Parts of the default template that only confuse: styles for Word 2010
    (with the Japanese defaults), a thumbnail, sample custom XML."""
    doc_part = document.part
    for rid, rel in list(doc_part.rels.items()):
        if rel.reltype in (
            "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
            RT.CUSTOM_XML,
        ):
            doc_part.drop_rel(rid)
    package = doc_part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def _core(document: DocxDocument) -> None:
    core = document.core_properties
    core.author = ""
    core.last_modified_by = ""
    core.title = ""
    core.subject = ""
    core.keywords = ""
    core.comments = ""
    core.language = "zh-CN"
    core.created = _FIXED_TIME
    core.modified = _FIXED_TIME
    core.revision = 1


def deterministic_zip(data: bytes) -> bytes:
    """The same package with fixed entry times and order: same content, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def build_template() -> bytes:
    """The zh-CN A4 template as .docx bytes."""
    document = docx.Document()
    _defaults(document)
    _styles(document)
    _page(document)
    _footers(document)
    _settings(document)
    _font_table(document)
    _drop_table_styles(document)
    _drop_leftovers(document)
    _core(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def default_path() -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "templates" / TEMPLATE_NAME


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_template())
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
