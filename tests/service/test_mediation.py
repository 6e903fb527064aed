"""Mediation on SQLite and on PostgreSQL: booking rooms without double
booking (also under a real race), sessions with consent to recording,
minutes, evidence in the content store, agreements and what follows them."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
from decimal import Decimal

import pytest
from sqlalchemy import select

from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied
from hall.services import cases as cs
from hall.services import deadlines as dl
from hall.services import documents as docs
from hall.services import mediation as md
from hall.services.mediation import TermInput
from hall.store.case_models import RoomBooking
from tests.conftest import staff_actor

from . import case_workers
from .case_workers import ZHANG_ID, ZHOU_ID, add_mediator, employer, lawyer, local, wage_case, worker

TOMORROW = dt.date(2026, 11, 24)


@pytest.fixture
def med(hall):
    return staff_actor(hall, "tiaojie", "room-1")


@pytest.fixture
def case(hall, window_staff, med):
    """The pregnant worker's wage case, accepted, mediator 周国平."""
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    return cs.get_case(hall, med, c.id)


@pytest.fixture
def mediating(hall, med, case):
    cs.start_mediation(hall, med, case.id)
    return cs.get_case(hall, med, case.id)


# ================================================================ bookings
def test_a_room_is_never_double_booked_but_adjacent_bookings_are_fine(hall, window_staff, med, case):
    first = md.book_room(hall, med, case.id, "r_gold", local(TOMORROW, 9), local(TOMORROW, 11))
    assert first.room_name == "金牌调解室" and first.mediator_name == "周国平"
    other = wage_case(hall, window_staff, parties=[worker("李四", id_number=None, phone="13900002222"),
                                                   employer("西湖贸易有限公司")])
    with pytest.raises(Conflict) as err:
        md.book_room(hall, window_staff, other.id, "r_gold", local(TOMORROW, 10), local(TOMORROW, 12))
    msg = str(err.value)
    assert "金牌调解室在该时段已被预约" in msg and f"预约号{first.id}" in msg and case.number in msg
    assert "09:00至11:00" in msg
    assert err.value.details["booking_id"] == first.id
    # Adjacent on both sides: fine.
    after = md.book_room(hall, window_staff, other.id, "r_gold", local(TOMORROW, 11), local(TOMORROW, 12))
    before = md.book_room(hall, window_staff, other.id, "r_gold", local(TOMORROW, 8), local(TOMORROW, 9))
    assert after.id and before.id
    # Enclosing and enclosed overlaps are refused too.
    for a, b in ((local(TOMORROW, 8, 30), local(TOMORROW, 11, 30)), (local(TOMORROW, 9, 30), local(TOMORROW, 10))):
        with pytest.raises(Conflict, match="已被预约"):
            md.book_room(hall, window_staff, other.id, "r_gold", a, b)
    # Cancelling frees the slot.
    md.cancel_booking(hall, med, first.id, "改期")
    assert md.book_room(hall, window_staff, other.id, "r_gold", local(TOMORROW, 9, 30), local(TOMORROW, 10)).id


def test_a_mediator_is_never_in_two_rooms_at_once(hall, window_staff, med, case):
    md.book_room(hall, med, case.id, "r_gold", local(TOMORROW, 9), local(TOMORROW, 11))
    other = wage_case(hall, window_staff, parties=[worker("李四", id_number=None, phone="13900002222")],
                      mediator_id=med.user_id)
    with pytest.raises(Conflict, match="调解员周国平在该时段已有安排.*金牌调解室"):
        md.book_room(hall, window_staff, other.id, "r_labour", local(TOMORROW, 10), local(TOMORROW, 12))
    assert md.book_room(hall, window_staff, other.id, "r_labour", local(TOMORROW, 11), local(TOMORROW, 12)).id


def test_a_party_is_never_in_two_rooms_at_once(hall, admin, window_staff, med, case):
    md.book_room(hall, med, case.id, "r_gold", local(TOMORROW, 9), local(TOMORROW, 11))
    lin = add_mediator(hall, admin, "linjie", "林洁")
    # 张三 (same ID number) is also a party in a neighbour dispute.
    other = cs.register_case(hall, window_staff, category="邻里", mediator_id=lin.user_id, parties=[
        worker("张三", id_number=ZHANG_ID, phone=None), worker("赵六", id_number=None, phone="13600001111",
                                                              side="respondent")])
    with pytest.raises(Conflict, match="当事人张三在该时段已有调解安排.*金牌调解室"):
        md.book_room(hall, window_staff, other.id, "r_consumer", local(TOMORROW, 10), local(TOMORROW, 11))
    # Same name and phone counts as the same person; a namesake does not.
    third = cs.register_case(hall, window_staff, category="消费", mediator_id=lin.user_id, parties=[
        worker("张三", id_number=None, phone="13812345678")])
    with pytest.raises(Conflict, match="当事人张三"):
        md.book_room(hall, window_staff, third.id, "r_consumer", local(TOMORROW, 10), local(TOMORROW, 11))
    namesake = cs.register_case(hall, window_staff, category="消费", mediator_id=lin.user_id, parties=[
        worker("张三", id_number=None, phone="13500000000")])
    assert md.book_room(hall, window_staff, namesake.id, "r_consumer", local(TOMORROW, 10), local(TOMORROW, 11)).id


def test_booking_checks(hall, window_staff, med, case, clock):
    with pytest.raises(InvalidInput, match="结束时间应晚于开始时间"):
        md.book_room(hall, med, case.id, "r_gold", local(TOMORROW, 11), local(TOMORROW, 9))
    with pytest.raises(InvalidInput, match="已经过去"):
        md.book_room(hall, med, case.id, "r_gold", local(dt.date(2026, 11, 20), 9), local(dt.date(2026, 11, 20), 10))
    with pytest.raises(InvalidInput, match="时区"):
        md.book_room(hall, med, case.id, "r_gold", dt.datetime(2026, 11, 24, 9), dt.datetime(2026, 11, 24, 10))
    with pytest.raises(NotFound, match="r_moon"):
        md.book_room(hall, med, case.id, "r_moon", local(TOMORROW, 9), local(TOMORROW, 10))
    with pytest.raises(PermissionDenied):
        md.book_room(hall, staff_actor(hall, "qiantai"), case.id, "r_gold", local(TOMORROW, 9), local(TOMORROW, 10))


def test_room_calendar_by_day_and_week(hall, window_staff, med, case):
    other = wage_case(hall, window_staff, parties=[worker("李四", id_number=None, phone="13900002222")])
    a = md.book_room(hall, med, case.id, "r_gold", local(TOMORROW, 9), local(TOMORROW, 11))
    b = md.book_room(hall, window_staff, other.id, "r_gold", local(dt.date(2026, 11, 27), 14),
                     local(dt.date(2026, 11, 27), 16))
    md.book_room(hall, window_staff, other.id, "r_gold", local(dt.date(2026, 12, 1), 9),
                 local(dt.date(2026, 12, 1), 10))
    assert [x.id for x in md.room_calendar(hall, med, "r_gold", TOMORROW)] == [a.id]
    assert [x.id for x in md.room_calendar(hall, med, "r_gold", TOMORROW, "week")] == [a.id, b.id]
    assert md.room_calendar(hall, med, "r_labour", TOMORROW, "week") == []


@pytest.mark.slow
@pytest.mark.parametrize("same", ["room", "mediator"])
def test_two_workstations_booking_the_same_slot_at_once_only_one_succeeds(hall, admin, window_staff, med,
                                                                            tmp_path, same):
    """Real processes, released together: exactly one booking wins."""
    lin = add_mediator(hall, admin, "linjie", "林洁")
    a = wage_case(hall, window_staff, mediator_id=med.user_id)
    b = wage_case(hall, window_staff, parties=[worker("李四", id_number=None, phone="13900002222")],
                  mediator_id=med.user_id if same == "mediator" else lin.user_id)
    rooms = ("r_gold", "r_gold") if same == "room" else ("r_gold", "r_labour")
    start, end = local(TOMORROW, 9).isoformat(), local(TOMORROW, 11).isoformat()
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    outs, procs = [], []
    for i, (cid, room) in enumerate(((a.id, rooms[0]), (b.id, rooms[1]))):
        out = tmp_path / f"book{i}.json"
        outs.append(out)
        mid = med.user_id if same == "mediator" else None
        procs.append(ctx.Process(target=case_workers.book, args=(hall.url, cid, room, start, end, mid, str(out), go)))
    for p in procs:
        p.start()
    import time
    time.sleep(1.5)  # both connected and waiting at the gun (not a fix for anything: a start line)
    go.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    results = [json.loads(o.read_text()) for o in outs]
    assert [r for r in results if "error" in r] == []
    assert sum("booked" in r for r in results) == 1, results
    refused = next(r["refused"] for r in results if "refused" in r)
    assert ("已被预约" in refused) if same == "room" else ("已有安排" in refused)
    with hall.read() as s:
        assert len(s.execute(select(RoomBooking)).scalars().all()) == 1


# ================================================================ sessions
def test_recording_waits_for_everyones_consent_including_a_late_joiner(hall, med, case):
    b = md.book_room(hall, med, case.id, "r_expert", local(TOMORROW, 9), local(TOMORROW, 11))
    s = md.open_session(hall, med, case.id, mode="mixed", booking_id=b.id, recorder_name="孙婷")
    assert s.room_name == "调解专家会诊室" and cs.get_case(hall, med, case.id).state == "mediating"
    zhang, company = case.parties
    p1 = md.add_participant(hall, med, s.id, role="party", party_id=zhang.id, identity_method="id_card_on_site",
                            consent=True)
    p2 = md.add_participant(hall, med, s.id, role="mediator", user_id=med.user_id, consent=True)
    assert p2.identity_label == "本中心工作人员"
    with pytest.raises(InvalidInput, match="核验身份"):
        md.add_participant(hall, med, s.id, role="party", party_id=company.id, presence="remote",
                           remote_location="东湖科技有限公司会议室")
    late = md.add_participant(hall, med, s.id, role="party", party_id=company.id, presence="remote",
                              remote_location="东湖科技有限公司会议室", identity_method="id_card_on_camera")
    assert late.consent_to_recording is None and late.identity_label == "镜头前出示身份证件"
    with pytest.raises(Conflict, match=r"尚未同意录音录像.*东湖科技有限公司（未询问）"):
        md.start_recording(hall, med, s.id)
    md.record_consent(hall, med, late.id, False)
    with pytest.raises(Conflict, match="东湖科技有限公司（不同意）"):
        md.start_recording(hall, med, s.id)
    md.record_consent(hall, med, late.id, True)
    rec = md.start_recording(hall, med, s.id)
    with pytest.raises(Conflict, match="已在录音录像中"):
        md.start_recording(hall, med, s.id)
    # An agent joins later without having been asked: the recording stops.
    agent = cs.add_agent(hall, med, zhang.id, lawyer())
    md.add_participant(hall, med, s.id, role="agent", agent_id=agent.id, identity_method="authorisation_letter")
    view = cs.case_detail(hall, med, case.id).sessions[0]
    assert not view.recording and "尚未同意" in view.recordings[0].stop_reason
    assert view.recordings[0].id == rec.id
    with pytest.raises(Conflict, match="李律师（未询问）"):
        md.start_recording(hall, med, s.id)
    # Someone who left no longer counts.
    lawyer_p = next(p for p in view.participants if p.role == "agent")
    md.participant_left(hall, med, lawyer_p.id)
    md.start_recording(hall, med, s.id)
    md.record_consent(hall, med, p1.id, False)     # withdrawn: stops again
    assert not cs.case_detail(hall, med, case.id).sessions[0].recording
    with pytest.raises(Conflict, match="已在本次调解中"):
        md.add_participant(hall, med, s.id, role="party", party_id=zhang.id)


def test_minutes_autosave_is_idempotent_and_refuses_stale_editors(hall, med, case, clock):
    s = md.open_session(hall, med, case.id, room="r_labour")
    md.give_rights_notice(hall, med, s.id)
    minutes = {"subject": "追索劳动报酬", "rights_notice": "已告知",
               "statements": [{"speaker": "张三", "party_id": case.parties[0].id, "text": "公司欠我两个月工资"}]}
    first = md.save_minutes(hall, med, s.id, minutes)
    assert first.changed and first.version == 1
    clock.advance(seconds=30)
    again = md.save_minutes(hall, med, s.id, dict(minutes))
    assert not again.changed and again.saved_at == first.saved_at and again.version == 1
    clock.advance(seconds=30)
    minutes["fact_check"] = "双方确认欠薪12000元"
    second = md.save_minutes(hall, med, s.id, minutes, base_version=1)
    assert second.changed and second.version == 2 and second.saved_at > first.saved_at
    with pytest.raises(Conflict, match="已被他人修改"):
        md.save_minutes(hall, med, s.id, {**minutes, "risk_warning": "…"}, base_version=1)
    with pytest.raises(InvalidInput, match="未知栏目"):
        md.save_minutes(hall, med, s.id, {"chitchat": "x"})
    detail = cs.case_detail(hall, med, case.id)
    assert [t.text for t in detail.timeline if t.kind == "minutes"] == [f"调解笔录（记录{s.id}）已保存，第2稿"]
    assert detail.sessions[0].minutes["fact_check"] == "双方确认欠薪12000元"
    assert detail.sessions[0].rights_notice_given
    closed = md.close_session(hall, med, s.id, "adjourned")
    assert closed.ended_at is not None and closed.outcome_label == "择期继续调解"
    assert not md.save_minutes(hall, med, s.id, minutes).changed      # nothing new: fine
    with pytest.raises(Conflict, match="已结束"):
        md.save_minutes(hall, med, s.id, {**minutes, "risk_warning": "补记"})


# ================================================================= evidence
def test_evidence_is_stored_by_hash_and_verification_catches_changes(hall, med, case, tmp_path):
    payslip = tmp_path / "工资条.pdf"
    payslip.write_bytes(b"%PDF-1.4 payslip of September")
    chat = tmp_path / "聊天记录.png"
    chat.write_bytes(b"\x89PNG chat about wages")
    f1 = md.import_evidence(hall, med, case.id, payslip, description="2026年9月工资条")
    f2 = md.import_evidence(hall, med, case.id, chat)
    again = md.import_evidence(hall, med, case.id, payslip, description="再次提交")
    assert f1.sha256 == hashlib.sha256(payslip.read_bytes()).hexdigest() == again.sha256
    assert f1.media_type == "application/pdf" and f2.media_type == "image/png"
    folder = docs.storage_folder(hall)
    blob = folder / f1.sha256[:2] / f1.sha256
    assert blob.read_bytes() == payslip.read_bytes()
    assert docs.read_stored(hall, f1.sha256) == payslip.read_bytes()
    report = md.verify_store(hall)
    assert report.checked == 2 and report.ok == 2 and report.healthy
    # Someone edits one file and deletes the other.
    os.chmod(blob, 0o644)
    blob.write_bytes(b"%PDF-1.4 payslip of September, amended")
    (folder / f2.sha256[:2] / f2.sha256).unlink()
    report = md.verify_store(hall)
    assert report.checked == 2 and report.ok == 0
    assert [p.sha256 for p in report.changed] == [f1.sha256] and report.changed[0].cases == (case.number,)
    assert [p.sha256 for p in report.missing] == [f2.sha256]
    with pytest.raises(docs.StoreError, match="已被改动"):
        docs.read_stored(hall, f1.sha256)
    # Importing the original again repairs the stored copy.
    md.import_evidence(hall, med, case.id, payslip)
    assert [p.sha256 for p in md.verify_store(hall).changed] == []
    with pytest.raises(NotFound, match="找不到文件"):
        md.import_evidence(hall, med, case.id, tmp_path / "none.pdf")


# =============================================================== agreements
@pytest.fixture
def three_parties(hall, med, mediating):
    """The wage case with a third party (the labour agency), mediating."""
    cs.add_party(hall, med, mediating.id, employer("东湖人力资源服务有限公司", side="third",
                                                   credit_code=None, legal_rep="钱七"))
    return cs.get_case(hall, med, mediating.id)


def test_an_agreement_takes_effect_only_when_everyone_signed_and_is_then_frozen(hall, med, three_parties, clock):
    c = three_parties
    zhang, company, agency = c.parties
    a = md.draft_agreement(hall, med, c.id, liability="被申请人应按时足额支付劳动报酬")
    t1 = md.add_term(hall, med, a.id, "被申请人支付申请人2026年9月、10月工资", obligor_party_id=company.id,
                     obligee_party_id=zhang.id, amount="12000", method="银行转账", due_date=dt.date(2026, 11, 25))
    assert t1.amount == Decimal("12000.00") and t1.amount_capitals == "人民币壹万贰仟元整"
    t2 = md.add_term(hall, med, a.id, "第三人协助办理社会保险补缴", obligor_party_id=agency.id,
                     amount=Decimal("3500.50"), due_date=dt.date(2026, 12, 31))
    assert t2.amount_capitals == "人民币叁仟伍佰元伍角整"
    md.add_term(hall, med, a.id, "双方就本纠纷再无其他争议")
    with pytest.raises(InvalidInput, match="本案当事人"):
        md.add_term(hall, med, a.id, "x", obligor_party_id=999999)
    with pytest.raises(Conflict, match="已有调解协议第1版"):
        md.draft_agreement(hall, med, c.id)
    a = md.sign(hall, med, a.id, "party", party_id=zhang.id)
    assert a.state == "signing" and a.text and a.copies == 4           # 3 parties + the committee
    assert a.text_sha256 == hashlib.sha256(a.text.encode("utf-8")).hexdigest()
    assert set(a.missing_signoffs) == {"当事人东湖科技有限公司", "当事人东湖人力资源服务有限公司",
                                       "人民调解员", "人民调解委员会印章"}
    with pytest.raises(Conflict, match="已开始签署，文本已固定"):
        md.add_term(hall, med, a.id, "追加条款")
    with pytest.raises(Conflict, match="张三已签署"):
        md.sign(hall, med, a.id, "party", party_id=zhang.id)
    a = md.sign(hall, med, a.id, "party", party_id=company.id, by_name="王五")
    a = md.sign(hall, med, a.id, "mediator")
    assert a.state == "signing" and a.missing_signoffs == ("当事人东湖人力资源服务有限公司", "人民调解委员会印章")
    assert cs.get_case(hall, med, c.id).state == "mediating"
    a = md.sign(hall, med, a.id, "party", party_id=agency.id)
    a = md.sign(hall, med, a.id, "seal")
    assert a.state == "effective" and a.effective_on == dt.date(2026, 11, 23) and a.missing_signoffs == ()
    assert [g.method for g in a.signoffs] == ["签名并按指印", "盖章", "签名", "盖章", "盖章"]
    assert "本协议书一式四份" in a.text and "人民币叁仟伍佰元伍角整" in a.text
    assert cs.get_case(hall, med, c.id).state == "agreement"
    # Frozen: no change of any kind.
    for change in (lambda: md.add_term(hall, med, a.id, "追加"),
                   lambda: md.update_term(hall, med, t1.id, amount="11000"),
                   lambda: md.remove_term(hall, med, t1.id),
                   lambda: md.update_agreement_draft(hall, med, a.id, liability="改"),
                   lambda: md.sign(hall, med, a.id, "seal")):
        with pytest.raises(Conflict, match="已生效，文本已冻结"):
            change()
    # Deadlines: 司法确认 within 30 days of effect; each dated term.
    rows = dl.list_deadlines(hall, case_number=c.number)
    by_rule = {}
    for d in rows:
        by_rule.setdefault(d.rule_code, []).append(d)
    judicial = by_rule["mediation.judicial_confirmation"][0]
    assert judicial.due_date == dt.date(2026, 12, 23) and "第三十三条" in judicial.basis
    assert judicial.subject_type == "agreement" and judicial.subject_id == a.id
    terms = by_rule[dl.AGREED]
    assert [(d.due_date, d.label[:3]) for d in terms] == [(dt.date(2026, 11, 25), "第一条"),
                                                           (dt.date(2026, 12, 31), "第二条")]
    assert "mediation.people_duration" not in by_rule
    data = json.dumps(cs.case_detail(hall, med, c.id).to_json(), ensure_ascii=False)
    assert '"amount": "12000.00"' in data


def test_a_correction_is_a_new_version_and_the_old_one_is_superseded(hall, med, mediating):
    c = mediating
    zhang, company = c.parties
    a = md.draft_agreement(hall, med, c.id)
    md.add_term(hall, med, a.id, "支付工资", obligor_party_id=company.id, obligee_party_id=zhang.id,
                amount="12000", due_date=dt.date(2026, 11, 25))
    with pytest.raises(Conflict, match="仍是草稿，可直接修改"):
        md.correct_agreement(hall, med, a.id, "笔误")
    for signer, pid in (("party", zhang.id), ("party", company.id), ("mediator", None), ("seal", None)):
        a = md.sign(hall, med, a.id, signer, party_id=pid)
    old_text = a.text
    b = md.correct_agreement(hall, med, a.id, "履行期限笔误，应为11月26日")
    assert b.version == 2 and b.state == "draft" and b.supersedes_id == a.id and len(b.terms) == 1
    still = next(x for x in cs.case_detail(hall, med, c.id).agreements if x.id == a.id)
    assert still.state == "effective" and still.text == old_text       # in force until v2 takes effect
    with pytest.raises(Conflict, match="已有更正版本第2版"):
        md.correct_agreement(hall, med, a.id, "again")
    md.update_term(hall, med, b.terms[0].id, due_date=dt.date(2026, 11, 26))
    for signer, pid in (("party", zhang.id), ("party", company.id), ("mediator", None), ("seal", None)):
        b = md.sign(hall, med, b.id, signer, party_id=pid)
    assert b.state == "effective" and "第2版" in b.text
    agreements = {x.version: x for x in cs.case_detail(hall, med, c.id).agreements}
    assert agreements[1].state == "superseded" and agreements[1].text == old_text
    rows = dl.list_deadlines(hall, case_number=c.number)
    assert {(d.subject_type, d.due_date) for d in rows} == {
        ("agreement", dt.date(2026, 12, 23)), ("agreement_term", dt.date(2026, 11, 26))}
    assert all(d.subject_id == b.id for d in rows if d.subject_type == "agreement")


def test_an_oral_agreement_is_recorded_and_effective_at_once(hall, med, mediating):
    c = mediating
    zhang, company = c.parties
    a = md.record_oral_agreement(hall, med, c.id, [
        TermInput("被申请人当场支付工资", company.id, zhang.id, "12000", "现金")])
    assert a.oral and a.state == "effective" and a.copies == 0 and "口头调解协议记录" in a.text
    assert cs.get_case(hall, med, c.id).state == "agreement"
    with pytest.raises(Conflict, match="口头协议无需签署"):
        md.sign(hall, med, a.id, "seal")
    assert [d.rule_code for d in dl.list_deadlines(hall, case_number=c.number)] == [
        "mediation.judicial_confirmation"]


def test_failed_mediation_tells_the_routes_and_hands_over_to_arbitration(hall, med, mediating):
    c = mediating
    cs.add_agent(hall, med, c.parties[0].id, lawyer(id_number=ZHOU_ID))
    s = md.open_session(hall, med, c.id, room="r_labour")
    t = md.terminate_mediation(hall, med, c.id, "被申请人不同意支付任何款项")
    assert t.case.state == "failed" and "第二十六条" in t.notice
    assert "劳动人事争议仲裁委员会" in t.routes[0]
    detail = cs.case_detail(hall, med, c.id)
    assert detail.sessions[0].id == s.id and detail.sessions[0].outcome == "failed"
    assert "已告知当事人" in detail.timeline[-1].text
    app = md.handover_to_arbitration(hall, med, c.id)
    assert app["applicant"] == {
        "name": "张三", "sex": "女", "birth_date": dt.date(1949, 12, 31), "ethnicity": "汉族",
        "id_number": ZHANG_ID, "occupation": "车间工人", "employer": "东湖科技有限公司",
        "address": "东湖区人民路1号", "mailing_address": "东湖区人民路1号", "phone": "13812345678",
        "party_id": c.parties[0].id}
    assert app["respondent"]["name"] == "东湖科技有限公司" and app["respondent"]["legal_rep"] == "王五"
    assert app["respondent"]["legal_rep_title"] == "总经理" and app["respondent"]["address"] == "东湖区工业园8号"
    assert app["claims"] == "支付拖欠工资12000元" and "拖欠" in app["facts"]
    assert app["agents"][0]["for"] == "applicant" and app["agents"][0]["id_number"] == ZHOU_ID
    assert app["source"]["case_number"] == c.number and app["source"]["failure_reason"] == "被申请人不同意支付任何款项"
    assert app["commission"] == "东湖区劳动人事争议仲裁委员会" and app["missing"] == []
    after = cs.get_case(hall, med, c.id)
    assert after.state == "transferred" and after.transfer_target == "东湖区劳动人事争议仲裁委员会"
    with pytest.raises(Conflict, match="已移送"):
        md.handover_to_arbitration(hall, med, c.id)


def test_handover_lists_what_is_missing_and_needs_a_labour_case(hall, window_staff, med):
    thin = wage_case(hall, window_staff, mediator_id=med.user_id, claims="",
                     parties=[worker("李四", id_number=None, phone=None, address=None, occupation=None),
                              employer(legal_rep=None, legal_rep_title=None)])
    cs.accept_case(hall, med, thin.id)
    md.terminate_mediation(hall, med, thin.id, "用人单位未到场")
    app = md.handover_to_arbitration(hall, med, thin.id)
    assert set(app["missing"]) >= {"申请人身份证号", "申请人联系电话", "申请人住所", "被申请人法定代表人", "仲裁请求"}
    neighbours = cs.register_case(hall, window_staff, category="邻里", mediator_id=med.user_id,
                                  parties=[worker(), worker("赵六", id_number=None, phone=None)])
    with pytest.raises(Conflict, match="不是劳动争议"):
        md.handover_to_arbitration(hall, med, neighbours.id)


def test_follow_up_of_performance(hall, med, window_staff, mediating, clock):
    c = mediating
    zhang, company = c.parties
    a = md.draft_agreement(hall, med, c.id)
    md.add_term(hall, med, a.id, "支付工资", obligor_party_id=company.id, obligee_party_id=zhang.id,
                amount="12000", due_date=dt.date(2026, 11, 25))
    with pytest.raises(Conflict, match="未生效"):
        md.add_follow_up(hall, window_staff, a.id, method="phone", performance="performed")
    for signer, pid in (("party", zhang.id), ("party", company.id), ("mediator", None), ("seal", None)):
        a = md.sign(hall, med, a.id, signer, party_id=pid)
    cs.close_case(hall, med, c.id, "协议已签订")
    with pytest.raises(Conflict, match="未见不履行"):
        md.handover_to_arbitration(hall, med, c.id)
    clock.advance(days=3)
    f = md.add_follow_up(hall, window_staff, a.id, method="phone", performance="not", note="公司称资金紧张")
    assert f.performance_label == "未履行" and f.method_label == "电话回访"
    app = md.handover_to_arbitration(hall, med, c.id)       # the agreement was not performed
    assert app["applicant"]["name"] == "张三" and cs.get_case(hall, med, c.id).state == "closed"
    clock.advance(days=1)
    md.add_follow_up(hall, window_staff, a.id, method="visit", performance="performed", note="已转账")
    term = next(d for d in dl.list_deadlines(hall, when="all", case_number=c.number) if d.rule_code == dl.AGREED)
    assert term.met_on == dt.date(2026, 11, 27) and term.state == "met_late"
    follow = cs.case_detail(hall, med, c.id).agreements[0].follow_ups
    assert [x.performance for x in follow] == ["not", "performed"]


def test_a_draft_left_over_after_failure_cannot_be_signed(hall, med, mediating):
    c = mediating
    a = md.draft_agreement(hall, med, c.id)
    md.add_term(hall, med, a.id, "支付工资", amount="100")
    md.terminate_mediation(hall, med, c.id, "双方分歧过大")
    with pytest.raises(Conflict, match="“调解不成”，不能签署调解协议"):
        md.sign(hall, med, a.id, "party", party_id=c.parties[0].id)
