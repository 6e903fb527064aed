"""The arbitration clerk's documents: generate, preview, print, save.

Documents are made by :mod:`hall.services.render` (facts from the case,
laid out by ``reports``, registered with their SHA-256 under the case) and
the preview draws the very bytes that were registered and will be printed,
page by page (QtPdf), so what the clerk sees is what the party gets. Each
print is logged (:func:`hall.services.render.log_print`).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from hall.services import documents as docs
from hall.services import render
from ui.common.pdfview import DocumentPrinter, PdfPreview
from ui.qt import translate

__all__ = ["DocumentPrinter", "PdfPreview", "GeneratedDocument", "KindOption", "case_documents",
           "document_kinds", "generate_case_document", "hearing_notices_for_day", "log_document_print"]

log = logging.getLogger(__name__)

AREA = "arbitration"
SUBJECT = "arbitration"


@dataclass(frozen=True)
class GeneratedDocument:
    """A registered PDF and its bytes."""

    document_id: int | None
    kind: str
    title: str
    data: bytes


@dataclass(frozen=True)
class KindOption:
    kind: str
    name: str
    basis: str
    takes_side: bool      # addressed to one party: the clerk may choose which


def document_kinds() -> list[KindOption]:
    """The arbitration area's documents, in the registry's order; the award also as its two
    parts (第四十七条: final and non-final items are awarded in separate documents)."""
    out = []
    for k in render.available_kinds(AREA):
        out.append(KindOption(k.kind, k.name, k.basis, "side" in k.options))
        if "part" in k.options:
            out.append(KindOption(f"{k.kind}:final", translate("ClerkDocuments", "仲裁裁决书（终局裁决事项）"), k.basis, False))
            out.append(KindOption(f"{k.kind}:nonfinal", translate("ClerkDocuments", "仲裁裁决书（非终局裁决事项）"), k.basis, False))
    return out


def generate_case_document(db, actor, kind: str, case_id: int, side: str | None = None) -> GeneratedDocument:
    """Render ``kind`` (``kind:part`` for one part of a split award) for the case, register it,
    return its bytes (runs off the UI thread)."""
    base, _, part = kind.partition(":")
    res = render.render_document(db, actor, base, case_id=case_id, fmt="pdf", side=side or None,
                                 part=part or None)
    return GeneratedDocument(res.document_id, kind, res.title, bytes(res.data))


def hearing_notices_for_day(db, actor, day: dt.date) -> bytes:
    """Every hearing notice of ``day`` as ONE PDF (each one also registered under its case)."""
    return render.render_hearing_notices_for_day(db, actor, day)


def log_document_print(db, actor, document_id: int, printer: str = "") -> None:
    render.log_print(db, actor, document_id, printer=printer)


def case_documents(db, actor, case_id: int) -> list:
    return docs.list_documents(db, actor, subject_type=SUBJECT, subject_id=case_id)
