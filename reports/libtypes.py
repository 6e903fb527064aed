"""Names for the objects the renderers take from ReportLab and python-docx.

Neither library publishes type information, so to mypy their objects are
``Any``; these aliases say at each edge of a renderer which object a value
is, so that the code around them stays typed.
"""
from __future__ import annotations

from typing import Any, TypeAlias

__all__ = [
    "Canvas", "Color", "DocxCell", "DocxDocument", "DocxLength", "DocxParagraph", "DocxParagraphFormat",
    "DocxRun", "DocxStyle", "DocxTable", "XmlElement",
]

Canvas: TypeAlias = Any          # reportlab.pdfgen.canvas.Canvas
Color: TypeAlias = Any           # reportlab.lib.colors.Color

DocxDocument: TypeAlias = Any    # docx.document.Document
DocxParagraph: TypeAlias = Any   # docx.text.paragraph.Paragraph
DocxRun: TypeAlias = Any         # docx.text.run.Run
DocxTable: TypeAlias = Any       # docx.table.Table
DocxCell: TypeAlias = Any        # docx.table._Cell
DocxStyle: TypeAlias = Any       # docx.styles.style.BaseStyle
DocxParagraphFormat: TypeAlias = Any  # docx.text.parfmt.ParagraphFormat
DocxLength: TypeAlias = Any      # docx.shared.Length (Pt, Mm, Twips)
XmlElement: TypeAlias = Any      # an lxml element of the document (docx.oxml)
