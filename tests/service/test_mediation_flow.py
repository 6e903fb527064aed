"""The mediation case from registration to print or hand-over, on SQLite
and PostgreSQL: a signed agreement is printed from its frozen text, the
parties it names are not edited while it is signed, a failed labour case is
handed to arbitration as a received application."""
from __future__ import annotations

import datetime as dt
import hashlib
import subprocess

import pytest

from hall.services import Conflict
from hall.services import cases as cs
from hall.services import mediation as md
from hall.services import render
from tests.conftest import staff_actor

from .case_workers import employer, lawyer, wage_case, worker


@pytest.fixture
def med(hall):
    return staff_actor(hall, "tiaojie", "room-1")


@pytest.fixture
def mediating(hall, window_staff, med):
    c = wage_case(hall, window_staff, mediator_id=med.user_id,
                  parties=[worker(address="东湖区人民路1000号", agents=(lawyer(),)), employer()])
    cs.accept_case(hall, med, c.id)
    cs.start_mediation(hall, med, c.id)
    return cs.get_case(hall, med, c.id)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_signed_agreement_is_the_one_printed(hall, med, mediating, tmp_path):
    c = mediating
    zhang, company = c.parties
    a = md.draft_agreement(hall, med, c.id, liability="被申请人应按时足额支付劳动报酬")
    md.add_term(hall, med, a.id, "被申请人支付申请人2026年9月、10月工资", obligor_party_id=company.id,
                obligee_party_id=zhang.id, amount="12000", method="银行转账", due_date=dt.date(2026, 11, 25))
    a = md.sign(hall, med, a.id, "party", party_id=zhang.id)
    assert "1000号" in a.text
    # While it is being signed the parties it names are not edited ...
    for change in (lambda: cs.update_party(hall, med, zhang.id, address="东湖区人民路1888号"),
                   lambda: cs.add_agent(hall, med, company.id, lawyer("赵律师")),
                   lambda: cs.update_agent(hall, med, zhang.agents[0].id, phone="13700002222"),
                   lambda: cs.remove_party(hall, med, company.id)):
        with pytest.raises(Conflict, match="正在签署，其文本已固定"):
            change()
    # ... and what is printed is the frozen text, with its hash.
    doc = render.render_document(hall, med, "mediation_agreement", case_id=c.id, agreement_id=a.id)
    text = pdf_text(doc.data, tmp_path)
    squeezed = "".join(text.split())
    assert "1000号" in squeezed and "1888号" not in squeezed
    assert a.text_sha256 in squeezed
    assert "当事人基本情况" in squeezed and "人民调解员（签名）" in squeezed
    for g in ("party", "mediator", "seal"):
        if g == "party":
            a = md.sign(hall, med, a.id, "party", party_id=company.id, by_name="王五")
        else:
            a = md.sign(hall, med, a.id, g)
    assert a.state == "effective"
    # Whatever happens to the live records later, the agreement prints as signed.
    from hall.store.case_models import CaseParty

    with hall.write() as s:
        s.get(CaseParty, zhang.id).address = "东湖区人民路1888号"
    again = render.preview_document(hall, med, "mediation_agreement", case_id=c.id, agreement_id=a.id)
    squeezed = "".join(pdf_text(again, tmp_path).split())
    assert "1000号" in squeezed and "1888号" not in squeezed and a.text_sha256 in squeezed
    assert hashlib.sha256(a.text.encode()).hexdigest() == a.text_sha256


def test_a_tampered_frozen_text_is_not_printed(hall, med, mediating):
    from hall.store.case_models import Agreement

    c = mediating
    zhang, company = c.parties
    a = md.draft_agreement(hall, med, c.id)
    md.add_term(hall, med, a.id, "被申请人支付工资", obligor_party_id=company.id, amount="12000")
    a = md.sign(hall, med, a.id, "party", party_id=zhang.id)
    with hall.write() as s:
        row = s.get(Agreement, a.id)
        row.text_snapshot = row.text_snapshot.replace("12,000", "1,200").replace("12000", "1200")
    with pytest.raises(Conflict, match="校验值不符"):
        render.preview_document(hall, med, "mediation_agreement", case_id=c.id, agreement_id=a.id)
