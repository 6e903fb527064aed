"""Every kind of PDF the hall renders embeds every font it uses.

A font that is only named (Helvetica, a CJK face the reader's machine may
not have) prints differently, or not at all, on another machine.  This runs
``pdffonts`` on one document of every kind: the ticket, every document of
the registry (mediation, arbitration, petitions) and the monthly report.
"""
from __future__ import annotations

import re
import shutil

import pytest

from reports import monthly as rm
from reports import registry
from reports.ticket import render_ticket_pdf
from tests.reports.test_arbitration_docs import SAMPLES as ARBITRATION
from tests.reports.test_mediation_docs import SAMPLES as MEDIATION
from tests.reports.test_monthly import november  # noqa: F401 (fixture)
from tests.reports.test_official import pdffonts_rows
from tests.reports.test_petition_docs import SAMPLES as PETITIONS
from tests.reports.test_ticket import _slip

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None,
                                reason="pdffonts (poppler-utils) is not installed")

DOCUMENTS = {**MEDIATION, **ARBITRATION, **PETITIONS}

# name, type, encoding, emb, sub, uni, object, generation
_ROW = re.compile(r"^(?P<name>\S+)\s+(?P<type>.+?)\s+(?P<enc>\S+)\s+(?P<emb>yes|no)\s+(?P<sub>yes|no)\s+"
                  r"(?P<uni>yes|no)\s+\d+\s+\d+\s*$")


def not_embedded(pdf: bytes) -> list[str]:
    """The pdffonts rows of fonts that are not embedded (all rows must parse)."""
    rows = pdffonts_rows(pdf)
    assert rows, "pdffonts lists no font at all"
    bad = []
    for row in rows:
        m = _ROW.match(row)
        assert m, f"cannot read the pdffonts row {row!r}"
        if m["emb"] != "yes" or m["uni"] != "yes":
            bad.append(row)
    return bad


def test_the_check_catches_a_font_that_is_only_named():
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    buf = BytesIO()
    c = Canvas(buf)
    c.setFont("Helvetica", 10)
    c.drawString(10, 10, "x")
    c.save()
    assert any("Helvetica" in row for row in not_embedded(buf.getvalue()))


def test_every_document_kind_has_a_sample():
    assert set(DOCUMENTS) == set(registry.KINDS)


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_every_document_embeds_every_font(kind):
    pdf = registry.KINDS[kind].render(DOCUMENTS[kind](), "pdf")
    assert not_embedded(pdf) == []


def test_the_ticket_embeds_every_font():
    assert not_embedded(render_ticket_pdf(_slip())) == []


def test_the_monthly_report_embeds_every_font(november):  # noqa: F811
    data, _report = november
    assert not_embedded(rm.render_pdf(data)) == []
