"""一案一码 on the documents handed to the parties: the PDF carries the case's
status link (a token, never a database id) under its QR code, and that link
opens the case's page on the status server (``hall-admin serve``, a separate
process, fetched with a real HTTP client)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hall.services import arbitration as arb
from hall.services import cases as cs
from hall.services import petitions as pet
from hall.services import render, status
from hall.store.status_models import PublicToken
from tests.conftest import staff_actor
from tests.reports.test_official import needs_poppler, pdf_body_text
from tests.service.case_workers import employer, wage_case, worker
from tests.service.test_render import APPLICATION, PETITION

from .test_status_notices import _get, server  # noqa: F401 - the status server fixture

pytestmark = needs_poppler


def _links(pdf: bytes, base: str) -> list[str]:
    text = "".join(pdf_body_text(pdf).split())          # a long link may wrap
    return re.findall(re.escape(base) + r"/s/[A-Za-z0-9_-]{22}", text)


def _qr_codes(pdf: bytes) -> list[str]:
    """What the QR codes on the pages decode to (the pages rasterised, read by zbarimg)."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: bash .ci/install-system --test installs zbar-tools")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "d.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "d.pdf", "page"], cwd=tmp, check=True)
        out = []
        for png in sorted(Path(tmp).glob("page*.png")):
            r = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
                               capture_output=True, text=True)
            out += [line for line in r.stdout.splitlines() if line]
        return out


def _last_page_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "d.pdf").write_bytes(pdf)
        info = subprocess.run(["pdfinfo", "d.pdf"], cwd=tmp, capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        return subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), "d.pdf", "-"], cwd=tmp,
                              capture_output=True, text=True, check=True).stdout


def test_the_parties_documents_carry_a_working_status_link(server, hall, admin, window_staff, clock):  # noqa: F811
    status.set_base_url(hall, admin, server)
    med = staff_actor(hall, "tiaojie", "room-1")
    clerk = staff_actor(hall, "shuji", "arbitration-office")

    c = wage_case(hall, window_staff, mediator_id=med.user_id, parties=[worker("张伟"), employer()])
    cs.accept_case(hall, med, c.id)
    registration = render.render_document(hall, med, "mediation_registration", case_id=c.id)
    notice = render.render_document(hall, med, "mediation_rights_notice", case_id=c.id)
    [first] = _links(registration.data, server)
    [second] = _links(notice.data, server)
    assert _qr_codes(registration.data) == [first] and _qr_codes(notice.data) == [second]
    for doc in (registration, notice):     # the code never stands alone on a page
        rest = "".join(_last_page_text(doc.data).split())
        for line in ("扫码查询办理进度（一案一码）", first, second, "本码只显示办理进度，不显示案件内容，请妥善保管。"):
            rest = rest.replace(line, "")
        assert re.sub(r"[—\d\s]", "", rest), f"{doc.kind}: a page with only the status code"
    assert first != second                                 # each document its own code ...
    for link in (first, second):                           # ... and both keep working
        code, page, _ = _get(link)
        assert code == 200 and f"调解案件 {c.number}" in page and "张伟" not in page
    # Only the hash is stored: the token printed is nowhere in the database.
    with hall.read() as s:
        hashes = set(s.execute(select(PublicToken.token_hash).where(PublicToken.subject_type == "case")).scalars())
    token = first.rsplit("/s/", 1)[1]
    assert status.hash_token(token) in hashes and token not in hashes

    r = arb.receive_application(hall, clerk, APPLICATION)
    receipt = render.render_document(hall, clerk, "arbitration_receipt", case_id=r.case_id)
    [link] = _links(receipt.data, server)
    assert _qr_codes(receipt.data) == [link]
    code, page, _ = _get(link)
    assert code == 200 and "劳动仲裁" in page and "张伟" not in page

    p = pet.register_petition(hall, window_staff, PETITION)
    pet.decide_acceptance(hall, window_staff, p.id, "accept")
    acceptance = render.render_document(hall, window_staff, "petition_acceptance", subject_id=p.id)
    [link] = _links(acceptance.data, server)
    assert _qr_codes(acceptance.data) == [link]
    code, page, _ = _get(link)
    assert code == 200 and f"信访事项 {p.number}" in page

    # A preview carries no code, and no token is made for it; an instrument (the award, the
    # agreement) and the hall's own records carry none either.
    with hall.read() as s:
        before = s.execute(select(func.count()).select_from(PublicToken)).scalar_one()
    preview = render.preview_document(hall, med, "mediation_rights_notice", case_id=c.id)
    assert _links(preview, server) == [] and _qr_codes(preview) == [] and "正式打印时在此生成查询二维码" in "".join(pdf_body_text(preview).split())
    with hall.read() as s:
        assert s.execute(select(func.count()).select_from(PublicToken)).scalar_one() == before
    assert "mediation_agreement" not in render.STATUS_CODE_KINDS and "arbitration_award" not in render.STATUS_CODE_KINDS
    code, _page, _ = _get(f"{server}/s/{c.id}")
    assert code == 404                                     # a database id opens nothing
