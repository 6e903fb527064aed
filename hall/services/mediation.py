"""Mediation itself: rooms, sessions, recordings, evidence, agreements, the end.

One function per action in a mediation room, each in one transaction with
its permission check, audit row, event (``case.*``) and a timeline line.

* Room bookings refuse overlaps for the same room, the same mediator, or the
  same person as a party in another booking; adjacent bookings are fine. On
  PostgreSQL the room and mediator rows are locked ``FOR UPDATE`` (and each
  party's identity under an advisory lock) before the check, so two
  workstations booking the same slot at once cannot both succeed; SQLite's
  writer lock (``BEGIN IMMEDIATE``) serialises the check the same way.
* Sessions record who took part, how each was identified (《人民法院在线调解
  规则》第十七条), and their consent to recording, asked of everyone including
  late joiners: a recording cannot start while anyone present has not
  consented, and a running recording stops when someone joins who has not.
* Agreements (人民调解法第二十八条至第三十三条): terms with amounts in figures
  and capitals; signatures of every party, the mediator and the committee's
  seal; the text is frozen (snapshot + SHA-256) when signing starts and the
  agreement takes effect with the last signature; a correction is a new
  version, never an edit. On effect the 30-day window for 司法确认 and each
  term's agreed date are tracked as deadlines.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select, text

from hall.domain import cases as rules
from hall.domain import money as rmb
from hall.domain.cases import (
    AgreementState,
    CaseAction,
    CaseState,
    IdentityMethod,
    ParticipantRole,
    Performance,
    Presence,
    SessionMode,
    SessionOutcome,
    SignerKind,
)
from hall.domain.clock import HALL_TZ, as_utc, as_utc_or_none, local_day, to_local
from hall.domain.names import PARTY_NAME_MAX
from hall.domain.numerals import cardinal
from hall.store.case_models import (
    Agreement,
    AgreementSignoff,
    AgreementTerm,
    Case,
    CaseAgent,
    CaseFile,
    CaseParty,
    CaseTimelineEntry,
    FollowUp,
    MediationSession,
    RoomBooking,
    SessionParticipant,
    SessionRecording,
)
from hall.store.db import Database
from hall.store.models import Room, TrackedDeadline, User

from . import deadlines as dl
from . import documents as store
from .base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, checked_name, unit_of_work
from .cases import (
    AgreementView,
    BookingView,
    CaseFileView,
    CaseView,
    FollowUpView,
    ParticipantView,
    RecordingView,
    SessionView,
    TermView,
    _case,
    _case_view,
    _move,
    _profile,
    _recusal,
    _user_names,
    agreement_views,
    begin_mediation,
    booking_views,
    case_event,
    committee_name,
    file_views,
    mark_transferred,
    participant_view,
    referrals_follow_booking,
    session_views,
    stop_duration_watch,
    timeline,
)
from .documents import StoreReport, verify_store
from .views import JsonView

__all__ = [
    "MinutesSaved", "TermInput", "TerminationView", "book_room", "cancel_booking", "room_calendar",
    "open_session", "add_participant", "record_consent", "participant_left", "give_rights_notice",
    "start_recording", "stop_recording", "save_minutes", "close_session", "import_evidence",
    "verify_store", "StoreReport", "draft_agreement", "update_agreement_draft", "add_term",
    "update_term", "remove_term", "sign", "correct_agreement", "record_oral_agreement",
    "terminate_mediation", "handover_to_arbitration", "add_follow_up",
]

#: Longest booking accepted (a mediation day).
MAX_BOOKING = dt.timedelta(hours=12)


# ====================================================================== views
@dataclass(frozen=True)
class MinutesSaved(JsonView):
    session_id: int
    version: int
    saved_at: dt.datetime
    changed: bool


@dataclass(frozen=True)
class TermInput:
    """One term as typed: what, who owes it to whom, how much, how, by when."""

    content: str
    obligor_party_id: int | None = None
    obligee_party_id: int | None = None
    amount: Decimal | str | int | None = None
    method: str = ""
    due_date: dt.date | None = None


@dataclass(frozen=True)
class TerminationView(JsonView):
    case: CaseView
    reason: str
    notice: str
    routes: tuple[str, ...] = ()


_u = as_utc_or_none


def _hm(moment: dt.datetime) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def _span(a: dt.datetime, b: dt.datetime) -> str:
    la, lb = to_local(a), to_local(b)
    end = lb.strftime("%H:%M") if la.date() == lb.date() else lb.strftime("%Y-%m-%d %H:%M")
    return f"{la.strftime('%Y-%m-%d %H:%M')}至{end}"


def _see(actor: Actor) -> bool:
    return actor.may("visitor.see_id_number")


# =================================================================== bookings
def _identity_keys(s, case_id: int) -> dict[str, str]:
    """key -> party name: what makes two party records the same person."""
    keys: dict[str, str] = {}
    for p in s.execute(select(CaseParty).where(CaseParty.case_id == case_id, CaseParty.active.is_(True))).scalars():
        if p.id_number:
            keys[f"id:{p.id_number}"] = p.name
        if p.visitor_id:
            keys[f"visitor:{p.visitor_id}"] = p.name
        if p.phone:
            keys[f"namephone:{p.name}|{p.phone}"] = p.name
        if p.kind == rules.PartyKind.ORGANISATION.value:
            keys[f"org:{p.credit_code or p.name}"] = p.name
    return keys


def _overlapping(start: dt.datetime, end: dt.datetime):
    # Half-open intervals: a booking ending at 10:00 and one starting at 10:00 do not overlap.
    return and_(RoomBooking.state == "booked", RoomBooking.start < end, RoomBooking.end > start)


def _describe(s, b: RoomBooking) -> str:
    room, number = s.execute(select(Room.name, Case.number).join(Case, Case.id == b.case_id)
                             .where(Room.id == b.room_id)).one()
    return f"预约号{b.id}：{room} {_span(_u(b.start), _u(b.end))}，案件{number}"


def book_room(db: Database, actor: Actor, case_id: int, room: str, start: dt.datetime, end: dt.datetime, *,
              mediator_id: int | None = None, note: str = "", media_room: str | None = None) -> BookingView:
    """Book a mediation room for a case.

    Refused, with a message naming the conflicting booking, when the room,
    the mediator, or any party of the case (the same ID number, visitor
    record, or name and phone) is already booked at an overlapping time.
    The mediator defaults to the case's and must not have to recuse.
    ``media_room`` books the media room for the same time in the same
    transaction (the sitting is filmed as evidence): both or neither. Open
    referrals of the case to the booked room are arranged by the booking.
    """
    actor.require("room.book")  # before reading the input
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("预约时间需带时区")
    if end <= start:
        raise InvalidInput("结束时间应晚于开始时间")
    if end - start > MAX_BOOKING:
        raise InvalidInput("一次预约不能超过12小时")
    with unit_of_work(db, actor, "room.book") as uow:
        s = uow.s
        if end <= uow.now:
            raise InvalidInput("不能预约已经过去的时间")
        # Lock order (room, mediator, then party keys) is the same in every
        # booking, so two bookings never wait for each other in a cycle.
        r = s.execute(uow.lock_for_update(select(Room).where(Room.code == room))).scalar_one_or_none()
        if r is None or not r.active:
            raise NotFound(f"没有代码为“{room}”的房间")
        c = _case(uow, case_id, lock=False)
        if not CaseState(c.state).is_open:
            raise Conflict(f"案件{c.number}当前状态为“{CaseState(c.state).label}”，不能预约调解室")
        mid = mediator_id or c.mediator_id
        med = None
        if mid is not None:
            med = s.execute(uow.lock_for_update(select(User).where(User.id == mid))).scalar_one_or_none()
            if med is None or not med.active:
                raise NotFound(f"没有编号为 {mid} 的在岗工作人员")
            check = _recusal(s, c.id, med)
            if check.conflicted:
                raise Conflict(f"调解员{med.display_name}应当回避：{'；'.join(check.reasons)}")
            if check.replaced_at_party_request:
                raise Conflict(f"当事人已申请更换调解员{med.display_name}，不能安排其调解本案")
        keys = _identity_keys(s, c.id)
        if uow.db.is_postgres:
            for k in sorted(keys):
                s.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "booking|" + k})
        clash = s.execute(select(RoomBooking).where(_overlapping(start, end), RoomBooking.room_id == r.id)
                          .order_by(RoomBooking.start).limit(1)).scalar_one_or_none()
        if clash is not None:
            raise Conflict(f"{r.name}在该时段已被预约（{_describe(s, clash)}）", booking_id=clash.id)
        from hall.store.whistle_models import WhistleMeeting  # 吹哨报到: an on-site meeting holds the room too
        if s.execute(select(WhistleMeeting.id).where(WhistleMeeting.room_id == r.id, WhistleMeeting.state == "booked",
                                                     WhistleMeeting.start < end, WhistleMeeting.end > start)).first():
            raise Conflict(f"{r.name}在该时段已有吹哨报到现场会商")
        if med is not None:
            clash = s.execute(select(RoomBooking).where(_overlapping(start, end), RoomBooking.mediator_id == med.id)
                              .order_by(RoomBooking.start).limit(1)).scalar_one_or_none()
            if clash is not None:
                raise Conflict(f"调解员{med.display_name}在该时段已有安排（{_describe(s, clash)}）",
                               booking_id=clash.id)
        for other in s.execute(select(RoomBooking).where(_overlapping(start, end))
                               .order_by(RoomBooking.start)).scalars():
            theirs = keys if other.case_id == c.id else _identity_keys(s, other.case_id)
            shared = sorted(set(keys) & set(theirs))
            if shared:
                raise Conflict(f"当事人{keys[shared[0]]}在该时段已有调解安排（{_describe(s, other)}）",
                               booking_id=other.id)
        media = None
        if media_room:
            media = s.execute(uow.lock_for_update(select(Room).where(Room.code == media_room))).scalar_one_or_none()
            if media is None or not media.active:
                raise NotFound(f"没有代码为“{media_room}”的房间")
            if media.id == r.id:
                raise InvalidInput("媒体室与调解室不能是同一房间")
            clash = s.execute(select(RoomBooking).where(_overlapping(start, end), RoomBooking.room_id == media.id)
                              .order_by(RoomBooking.start).limit(1)).scalar_one_or_none()
            if clash is not None:
                raise Conflict(f"{media.name}在该时段已被预约（{_describe(s, clash)}）", booking_id=clash.id)
        b = RoomBooking(room_id=r.id, case_id=c.id, start=start, end=end, mediator_id=med.id if med else None,
                        state="booked", note=(note or "").strip(), created_at=uow.now, created_by=actor.user_id,
                        cancel_reason="")
        s.add(b)
        s.flush()
        timeline(uow, c.id, "room_booked", f"预约{r.name}：{_span(start, end)}" +
                 (f"，调解员{med.display_name}" if med else ""))
        if media is not None:
            mb = RoomBooking(room_id=media.id, case_id=c.id, start=start, end=end, mediator_id=None, state="booked",
                             note=f"{r.name}调解同步录像", created_at=uow.now, created_by=actor.user_id,
                             cancel_reason="")
            s.add(mb)
            s.flush()
            timeline(uow, c.id, "room_booked", f"同时预约{media.name}录像：{_span(start, end)}")
            referrals_follow_booking(uow, c, mb, media)
            case_event(uow, "case.room_booked", c, booking_id=mb.id, room=media.code, start=start.isoformat(),
                       end=end.isoformat())
        referrals_follow_booking(uow, c, b, r)
        uow.audit("room.book", "booking", b.id, case_id=c.id, number=c.number, room=r.code,
                  start=start.isoformat(), end=end.isoformat(), mediator_id=b.mediator_id)
        case_event(uow, "case.room_booked", c, booking_id=b.id, room=r.code, start=start.isoformat(),
                   end=end.isoformat())
        return booking_views(s, RoomBooking.id == b.id)[0]


def cancel_booking(db: Database, actor: Actor, booking_id: int, reason: str = "") -> BookingView:
    with unit_of_work(db, actor, "room.book") as uow:
        b = uow.s.execute(uow.lock_for_update(select(RoomBooking).where(RoomBooking.id == booking_id))
                          ).scalar_one_or_none()
        if b is None:
            raise NotFound(f"没有编号为 {booking_id} 的预约")
        if b.state != "booked":
            raise Conflict(f"预约号{b.id}已取消")
        b.state = "cancelled"
        b.cancelled_at = uow.now
        b.cancel_reason = (reason or "").strip()
        c = _case(uow, b.case_id, lock=False)
        timeline(uow, c.id, "booking_cancelled", f"取消预约（{_describe(uow.s, b)}）" + (f"：{reason}" if reason else ""))
        uow.audit("room.cancel", "booking", b.id, case_id=c.id, number=c.number)
        case_event(uow, "case.booking_cancelled", c, booking_id=b.id)
        return booking_views(uow.s, RoomBooking.id == b.id)[0]


def room_calendar(db: Database, actor: Actor, room: str, day: dt.date, span: str = "day") -> list[BookingView]:
    """A room's bookings on a day, or in the Monday-to-Sunday week holding it."""
    if not (actor.may("room.book") or actor.may("case.read")):
        actor.require("room.book")
    if span == "day":
        first, days = day, 1
    elif span == "week":
        first, days = day - dt.timedelta(days=day.weekday()), 7
    else:
        raise InvalidInput("日历范围只能是 day 或 week")
    lo = dt.datetime.combine(first, dt.time(0), tzinfo=HALL_TZ)
    hi = lo + dt.timedelta(days=days)
    with db.read() as s:
        r = s.execute(select(Room).where(Room.code == room)).scalar_one_or_none()
        if r is None:
            raise NotFound(f"没有代码为“{room}”的房间")
        return booking_views(s, and_(RoomBooking.room_id == r.id, RoomBooking.state == "booked",
                                     RoomBooking.start < hi, RoomBooking.end > lo))


# =================================================================== sessions
def _session(uow: UnitOfWork, session_id: int, *, open_only: bool = True) -> MediationSession:
    m = uow.s.execute(uow.lock_for_update(select(MediationSession).where(MediationSession.id == session_id))
                      ).scalar_one_or_none()
    if m is None:
        raise NotFound(f"没有编号为 {session_id} 的调解记录")
    if open_only and m.ended_at is not None:
        raise Conflict("本次调解已结束，不能再修改")
    return m


def _one_session(s, session_id: int) -> SessionView:
    return session_views(s, MediationSession.id == session_id)[0]


def _running(s, session_id: int) -> SessionRecording | None:
    return s.execute(select(SessionRecording).where(SessionRecording.session_id == session_id,
                                                    SessionRecording.stopped_at.is_(None))).scalar_one_or_none()


def _stop(uow: UnitOfWork, m: MediationSession, reason: str) -> SessionRecording | None:
    rec = _running(uow.s, m.id)
    if rec is not None:
        rec.stopped_at = uow.now
        rec.stop_reason = reason[:200]
        timeline(uow, m.case_id, "recording_stopped", f"停止录音录像：{reason}")
    return rec


def open_session(db: Database, actor: Actor, case_id: int, *, mode: str = SessionMode.ON_SITE.value,
                 booking_id: int | None = None, room: str | None = None, recorder_name: str = "",
                 public: bool = False) -> SessionView:
    """Begin a sitting (on site, by video or both). A case that was only
    accepted starts mediation here; ``public``: the parties asked for an open
    mediation (人民调解法第二十三条第三项)."""
    md = _parse_enum(SessionMode, mode, "调解方式")
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        if c.state == CaseState.ACCEPTED.value:
            begin_mediation(uow, c)
        elif c.state != CaseState.MEDIATING.value:
            raise Conflict(f"案件{c.number}当前状态为“{CaseState(c.state).label}”，不能开始调解")
        room_id = None
        if booking_id is not None:
            b = uow.s.get(RoomBooking, booking_id)
            if b is None or b.case_id != c.id or b.state != "booked":
                raise NotFound(f"案件{c.number}没有编号为 {booking_id} 的有效预约")
            room_id = b.room_id
        elif room:
            r = uow.s.execute(select(Room).where(Room.code == room)).scalar_one_or_none()
            if r is None:
                raise NotFound(f"没有代码为“{room}”的房间")
            room_id = r.id
        m = MediationSession(case_id=c.id, booking_id=booking_id, room_id=room_id, mode=md.value, public=public,
                             mediator_id=c.mediator_id, recorder_name=(recorder_name or "").strip()[:64],
                             started_at=uow.now, rights_notice_given=False, minutes={}, minutes_version=0)
        uow.s.add(m)
        uow.s.flush()
        timeline(uow, c.id, "session_opened", f"开始第{_session_count(uow, c.id)}次调解（{md.label}）")
        uow.audit("session.open", "session", m.id, case_id=c.id, number=c.number, mode=md.value)
        case_event(uow, "case.session_opened", c, session_id=m.id)
        return _one_session(uow.s, m.id)


def _session_count(uow: UnitOfWork, case_id: int) -> int:
    return uow.s.execute(select(func.count()).select_from(MediationSession)
                         .where(MediationSession.case_id == case_id)).scalar_one()


def _parse_enum(cls, value, what: str):
    try:
        return cls.parse(value, what)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def add_participant(db: Database, actor: Actor, session_id: int, *, role: str, name: str | None = None,
                    party_id: int | None = None, agent_id: int | None = None, user_id: int | None = None,
                    presence: str = Presence.ON_SITE.value, remote_location: str = "",
                    identity_method: str | None = None, consent: bool | None = None) -> ParticipantView:
    """Someone joins the session (also later on).

    A remote participant's identity must be checked and the method recorded
    (《人民法院在线调解规则》第十七条). ``consent``: their answer to recording, if
    already asked; None means not yet asked. If a recording is running and
    the newcomer has not consented, the recording stops.
    """
    actor.require("case.mediate")  # before reading the input
    rl = _parse_enum(ParticipantRole, role, "参与人身份")
    pr = _parse_enum(Presence, presence, "参与方式")
    im = _parse_enum(IdentityMethod, identity_method, "身份核验方式") if identity_method else None
    if pr is Presence.REMOTE:
        if im is None:
            raise InvalidInput("远程参加调解的人员须先核验身份并记录核验方式（在线调解规则第十七条）")
        if not (remote_location or "").strip():
            raise InvalidInput("请填写远程参加人员所在地点")
    with unit_of_work(db, actor, "case.mediate") as uow:
        m = _session(uow, session_id)
        who = checked_name(name, what="参与人姓名")
        if rl is ParticipantRole.PARTY:
            p = uow.s.get(CaseParty, party_id) if party_id else None
            if p is None or p.case_id != m.case_id or not p.active:
                raise InvalidInput("请选择本案的当事人")
            who = who or p.name
        elif rl is ParticipantRole.AGENT:
            a = uow.s.get(CaseAgent, agent_id) if agent_id else None
            if a is None or a.case_id != m.case_id or not a.active:
                raise InvalidInput("请选择本案当事人的代理人")
            who = who or a.name
        elif user_id is not None:
            u = uow.s.get(User, user_id)
            if u is None:
                raise NotFound(f"没有编号为 {user_id} 的工作人员")
            who = who or u.display_name
            im = im or IdentityMethod.STAFF
        if not who:
            raise InvalidInput("请填写参与人姓名")
        present = uow.s.execute(select(SessionParticipant.id).where(
            SessionParticipant.session_id == m.id, SessionParticipant.left_at.is_(None),
            or_(and_(SessionParticipant.party_id.is_not(None), SessionParticipant.party_id == party_id),
                and_(SessionParticipant.agent_id.is_not(None), SessionParticipant.agent_id == agent_id),
                and_(SessionParticipant.user_id.is_not(None), SessionParticipant.user_id == user_id)))).first()
        if present is not None:
            raise Conflict(f"{who}已在本次调解中")
        row = SessionParticipant(
            session_id=m.id, role=rl.value, name=who[:100], party_id=party_id if rl is ParticipantRole.PARTY else None,
            agent_id=agent_id if rl is ParticipantRole.AGENT else None, user_id=user_id, presence=pr.value,
            remote_location=(remote_location or "").strip()[:200], identity_method=im.value if im else None,
            identity_checked_at=uow.now if im else None, consent_to_recording=consent,
            consent_asked_at=uow.now if consent is not None else None, joined_at=uow.now)
        uow.s.add(row)
        uow.s.flush()
        where = f"远程，{row.remote_location}" if pr is Presence.REMOTE else "现场"
        timeline(uow, m.case_id, "participant_joined",
                 f"{who}（{rl.label}，{where}，身份核验：{im.label if im else '未核验'}）加入调解")
        if consent is not True and _stop(uow, m, f"新加入的{who}尚未同意录音录像") is not None:
            uow.event("case.recording_stopped", session_id=m.id, case_id=m.case_id)
        uow.audit("session.join", "session", m.id, participant_id=row.id, role=rl.value, presence=pr.value,
                  identity_method=row.identity_method)
        uow.event("case.participant_joined", session_id=m.id, case_id=m.case_id, participant_id=row.id)
        return participant_view(row)


def record_consent(db: Database, actor: Actor, participant_id: int, consent: bool) -> ParticipantView:
    """A participant's answer to recording (asked of everyone, late joiners too).
    Withdrawing consent while recording stops the recording."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        row = uow.s.get(SessionParticipant, participant_id)
        if row is None:
            raise NotFound(f"没有编号为 {participant_id} 的参与人")
        m = _session(uow, row.session_id)
        row.consent_to_recording = bool(consent)
        row.consent_asked_at = uow.now
        timeline(uow, m.case_id, "consent", f"{row.name}{'同意' if consent else '不同意'}录音录像")
        if not consent and row.left_at is None and _stop(uow, m, f"{row.name}不同意录音录像") is not None:
            uow.event("case.recording_stopped", session_id=m.id, case_id=m.case_id)
        uow.audit("session.consent", "session", m.id, participant_id=row.id, consent=bool(consent))
        uow.event("case.consent_recorded", session_id=m.id, case_id=m.case_id, participant_id=row.id,
                  consent=bool(consent))
        return participant_view(row)


def participant_left(db: Database, actor: Actor, participant_id: int) -> ParticipantView:
    with unit_of_work(db, actor, "case.mediate") as uow:
        row = uow.s.get(SessionParticipant, participant_id)
        if row is None:
            raise NotFound(f"没有编号为 {participant_id} 的参与人")
        m = _session(uow, row.session_id)
        if row.left_at is not None:
            raise Conflict(f"{row.name}已离开")
        row.left_at = uow.now
        timeline(uow, m.case_id, "participant_left", f"{row.name}离开调解")
        uow.audit("session.leave", "session", m.id, participant_id=row.id)
        uow.event("case.participant_left", session_id=m.id, case_id=m.case_id, participant_id=row.id)
        return participant_view(row)


def give_rights_notice(db: Database, actor: Actor, session_id: int) -> SessionView:
    """The parties were told their rights and duties (人民调解法第二十三条、
    第二十四条) and warned against sham mediation (在线调解规则第十七条)."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        m = _session(uow, session_id)
        m.rights_notice_given = True
        m.rights_notice_at = uow.now
        timeline(uow, m.case_id, "rights_notice", "已告知当事人权利义务及虚假调解的法律后果")
        uow.audit("session.rights_notice", "session", m.id, case_id=m.case_id)
        uow.event("case.rights_notice", session_id=m.id, case_id=m.case_id)
        return _one_session(uow.s, m.id)


def start_recording(db: Database, actor: Actor, session_id: int) -> RecordingView:
    """Start audio/video recording: refused while anyone present has not
    consented (在线调解规则第二十二条: recording needs the parties' express consent)."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        m = _session(uow, session_id)
        if _running(uow.s, m.id) is not None:
            raise Conflict("已在录音录像中")
        present = list(uow.s.execute(select(SessionParticipant).where(
            SessionParticipant.session_id == m.id, SessionParticipant.left_at.is_(None))
            .order_by(SessionParticipant.id)).scalars())
        if not present:
            raise Conflict("尚未登记参加调解的人员，不能开始录音录像")
        missing = [f"{p.name}（{'未询问' if p.consent_to_recording is None else '不同意'}）"
                   for p in present if p.consent_to_recording is not True]
        if missing:
            raise Conflict("以下在场人员尚未同意录音录像，不能开始录制：" + "、".join(missing),
                           participants=[p.id for p in present if p.consent_to_recording is not True])
        rec = SessionRecording(session_id=m.id, started_at=uow.now, started_by=actor.user_id, stop_reason="")
        uow.s.add(rec)
        uow.s.flush()
        timeline(uow, m.case_id, "recording_started", f"开始录音录像（在场{len(present)}人均已同意）")
        uow.audit("session.record_start", "session", m.id, case_id=m.case_id, recording_id=rec.id)
        uow.event("case.recording_started", session_id=m.id, case_id=m.case_id, recording_id=rec.id)
        return RecordingView(rec.id, m.id, rec.started_at, None, "", None)


def stop_recording(db: Database, actor: Actor, session_id: int, *, file_path: str | os.PathLike | None = None,
                   media_type: str | None = None) -> RecordingView:
    """Stop recording; ``file_path``: the recording, kept in the store as evidence."""
    sha: str | None = None
    size, file_name = 0, ""
    if file_path is not None:
        actor.require("case.mediate")
        sha, size = store.store_file(db, file_path)
        file_name = Path(file_path).name
    with unit_of_work(db, actor, "case.mediate") as uow:
        m = _session(uow, session_id, open_only=False)
        rec = _running(uow.s, m.id)
        if rec is None:
            raise Conflict("当前没有进行中的录音录像")
        rec.stopped_at = uow.now
        rec.stop_reason = "调解员停止"
        if sha is not None:
            f = _attach_file(uow, m.case_id, m.id, sha, size, file_name, media_type, "recording",
                             "调解录音录像")
            rec.file_id = f.id
        timeline(uow, m.case_id, "recording_stopped", "停止录音录像" + ("，录像文件已入库" if sha else ""))
        uow.audit("session.record_stop", "session", m.id, case_id=m.case_id, recording_id=rec.id, sha256=sha)
        uow.event("case.recording_stopped", session_id=m.id, case_id=m.case_id, recording_id=rec.id)
        return RecordingView(rec.id, m.id, _u(rec.started_at), rec.stopped_at, rec.stop_reason, rec.file_id)


def save_minutes(db: Database, actor: Actor, session_id: int, minutes: dict, *,
                 base_version: int | None = None) -> MinutesSaved:
    """Save the 调解笔录 (autosave-friendly).

    Idempotent and cheap: saving what is already stored writes nothing and
    returns the earlier ``saved_at``. ``base_version`` (the version the editor
    started from) makes a save from a stale editor a conflict rather than a
    silent overwrite. The timeline keeps one line per session for the
    minutes, updated in place, so autosaving does not flood it.
    """
    try:
        clean = rules.check_minutes(minutes)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    actor.require("case.mediate")
    with db.read() as s:
        m = s.get(MediationSession, session_id)
        if m is None:
            raise NotFound(f"没有编号为 {session_id} 的调解记录")
        if (m.minutes or {}) == clean and m.minutes_saved_at is not None:
            return MinutesSaved(m.id, m.minutes_version, as_utc(m.minutes_saved_at), False)
    with unit_of_work(db, actor, "case.mediate") as uow:
        m = _session(uow, session_id)
        if (m.minutes or {}) == clean and m.minutes_saved_at is not None:
            return MinutesSaved(m.id, m.minutes_version, _u(m.minutes_saved_at), False)
        if base_version is not None and base_version != m.minutes_version:
            raise Conflict(f"笔录已被他人修改（当前第{m.minutes_version}稿），请刷新后再保存",
                           version=m.minutes_version)
        first = m.minutes_version == 0
        m.minutes = clean
        m.minutes_version += 1
        m.minutes_saved_at = uow.now
        entry = None
        if not first:
            entry = uow.s.execute(select(CaseTimelineEntry).where(
                CaseTimelineEntry.case_id == m.case_id, CaseTimelineEntry.kind == "minutes",
                CaseTimelineEntry.text.like(f"调解笔录（记录{m.id}）%")).order_by(CaseTimelineEntry.id.desc())
                .limit(1)).scalar_one_or_none()
        line = f"调解笔录（记录{m.id}）已保存，第{m.minutes_version}稿"
        if entry is None:
            timeline(uow, m.case_id, "minutes", line)
        else:
            entry.text, entry.at = line, uow.now
        uow.audit("session.minutes", "session", m.id, case_id=m.case_id, version=m.minutes_version)
        uow.event("case.minutes_saved", session_id=m.id, case_id=m.case_id, version=m.minutes_version)
        return MinutesSaved(m.id, m.minutes_version, uow.now, True)


def close_session(db: Database, actor: Actor, session_id: int,
                  outcome: str = SessionOutcome.ADJOURNED.value) -> SessionView:
    """End the sitting: recording stopped, everyone still present leaves."""
    oc = _parse_enum(SessionOutcome, outcome, "调解结果")
    with unit_of_work(db, actor, "case.mediate") as uow:
        m = _session(uow, session_id)
        _end_session(uow, m, oc)
        uow.audit("session.close", "session", m.id, case_id=m.case_id, outcome=oc.value)
        uow.event("case.session_closed", session_id=m.id, case_id=m.case_id, outcome=oc.value)
        return _one_session(uow.s, m.id)


def _end_session(uow: UnitOfWork, m: MediationSession, oc: SessionOutcome) -> None:
    _stop(uow, m, "调解结束")
    for p in uow.s.execute(select(SessionParticipant).where(SessionParticipant.session_id == m.id,
                                                            SessionParticipant.left_at.is_(None))).scalars():
        p.left_at = uow.now
    m.ended_at = uow.now
    m.outcome = oc.value
    timeline(uow, m.case_id, "session_closed", f"本次调解结束：{oc.label}")


# =================================================================== evidence
def _attach_file(uow: UnitOfWork, case_id: int, session_id: int | None, sha: str, size: int, name: str,
                 media_type: str | None, kind: str, description: str) -> CaseFile:
    mt = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    stored_id = store.ensure_stored(uow, sha, size, mt, name)
    f = CaseFile(stored_file_id=stored_id, sha256=sha, size=size, original_name=name[:255], media_type=mt[:100],
                 kind=kind, description=(description or "").strip(), case_id=case_id, session_id=session_id,
                 added_by=uow.actor.user_id if uow.actor else None, added_at=uow.now, active=True)
    uow.s.add(f)
    uow.s.flush()
    return f


def import_evidence(db: Database, actor: Actor, case_id: int, path: str | os.PathLike, *,
                    session_id: int | None = None, kind: str = "evidence", description: str = "",
                    media_type: str | None = None) -> CaseFileView:
    """Bring a file (evidence, a recording) into the case: copied into the
    store, hashed, the copy verified, then registered with its SHA-256."""
    if kind not in ("evidence", "recording"):
        raise InvalidInput("文件类别只能是 evidence（证据）或 recording（录音录像）")
    actor.require("case.edit")
    src = Path(path).expanduser()
    sha, size = store.store_file(db, src)
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id, lock=False)
        if session_id is not None:
            m = uow.s.get(MediationSession, session_id)
            if m is None or m.case_id != c.id:
                raise NotFound(f"案件{c.number}没有编号为 {session_id} 的调解记录")
        f = _attach_file(uow, c.id, session_id, sha, size, src.name, media_type, kind, description)
        timeline(uow, c.id, "file_added", f"{'证据' if kind == 'evidence' else '录音录像'}入库：{src.name}"
                 f"（{size}字节，SHA-256 {sha[:12]}…）")
        uow.audit("case.file_add", "case", c.id, number=c.number, file_id=f.id, sha256=sha, size=size, kind=kind)
        case_event(uow, "case.file_added", c, file_id=f.id)
        return file_views(uow.s, CaseFile.id == f.id)[0]


@dataclass(frozen=True)
class EvidenceItem(JsonView):
    """One file of the case (证据材料清单): its hash, where it belongs, and whether
    the stored copy still matches the hash registered when it came in."""

    id: int
    name: str
    kind: str
    kind_label: str
    size: int
    sha256: str
    description: str
    added_at: dt.datetime
    session_id: int | None
    recording_id: int | None       # the recording segment it is the file of
    recording_label: str
    verified: bool | None          # None: not checked
    problem: str


@dataclass(frozen=True)
class RecordingSegment(JsonView):
    id: int
    session_id: int
    label: str                     # 第1次调解 第1段 09:10–09:40
    file_id: int | None


def recording_segments(db: Database, actor: Actor, case_id: int) -> list[RecordingSegment]:
    """The recording segments of the case's sittings, in order."""
    actor.require("case.read")
    with db.read() as s:
        sessions = list(s.execute(select(MediationSession.id).where(MediationSession.case_id == case_id)
                                  .order_by(MediationSession.started_at, MediationSession.id)).scalars())
        out = []
        for n, sid in enumerate(sessions, 1):
            recs = s.execute(select(SessionRecording).where(SessionRecording.session_id == sid)
                             .order_by(SessionRecording.started_at, SessionRecording.id)).scalars()
            for k, r in enumerate(recs, 1):
                span = _hm(_u(r.started_at)) + ("–" + _hm(_u(r.stopped_at)) if r.stopped_at else "（录制中）")
                out.append(RecordingSegment(r.id, sid, f"第{n}次调解 第{k}段 {span}", r.file_id))
        return out


def evidence_list(db: Database, actor: Actor, case_id: int, *, verify: bool = False) -> list[EvidenceItem]:
    """The case's files with their SHA-256; ``verify``: re-hash each stored copy."""
    actor.require("case.read")
    segments = {r.id: r for r in recording_segments(db, actor, case_id)}
    by_file = {r.file_id: r for r in segments.values() if r.file_id}
    with db.read() as s:
        files = list(s.execute(select(CaseFile).where(CaseFile.case_id == case_id, CaseFile.active.is_(True))
                               .order_by(CaseFile.added_at, CaseFile.id)).scalars())
    out = []
    for f in files:
        ok, problem = None, ""
        if verify:
            try:
                store.read_stored(db, f.sha256)
                ok = True
            except store.StoreError as exc:
                ok, problem = False, str(exc)
        seg = by_file.get(f.id)
        out.append(EvidenceItem(f.id, f.original_name, f.kind, "录音录像" if f.kind == "recording" else "证据",
                                f.size, f.sha256, f.description, _u(f.added_at), f.session_id,
                                seg.id if seg else None, seg.label if seg else "", ok, problem))
    return out


def link_recording_file(db: Database, actor: Actor, recording_id: int, file_id: int) -> RecordingSegment:
    """The file (imported from the media room's camera) is the recording of
    this segment: linked, and kept as a recording of its session (在线调解规则第二十二条)."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        rec = uow.s.execute(uow.lock_for_update(select(SessionRecording).where(
            SessionRecording.id == recording_id))).scalar_one_or_none()
        if rec is None:
            raise NotFound(f"没有编号为 {recording_id} 的录像段")
        m = uow.s.get(MediationSession, rec.session_id)
        if m is None:
            raise NotFound(f"没有编号为 {rec.session_id} 的调解记录")
        f = uow.s.get(CaseFile, file_id)
        if f is None or not f.active or f.case_id != m.case_id:
            raise InvalidInput("只能关联本案已入库的文件")
        if rec.stopped_at is None:
            raise Conflict("该段录像尚未停止，停止后再关联录像文件")
        if rec.file_id is not None and rec.file_id != f.id:
            raise Conflict("该段录像已关联其他文件")
        rec.file_id = f.id
        f.kind = "recording"
        f.session_id = m.id
        c = _case(uow, m.case_id, lock=False)
        timeline(uow, c.id, "recording_linked", f"录像文件{f.original_name}（SHA-256 {f.sha256[:12]}…）已关联调解录像段")
        uow.audit("session.recording_link", "session", m.id, case_id=c.id, recording_id=rec.id, file_id=f.id)
        case_event(uow, "case.recording_linked", c, recording_id=rec.id, file_id=f.id)
    return next(r for r in recording_segments(db, actor, c.id) if r.id == recording_id)


# ================================================================= agreements
def _agreement(uow: UnitOfWork, agreement_id: int) -> Agreement:
    a = uow.s.execute(uow.lock_for_update(select(Agreement).where(Agreement.id == agreement_id))
                      ).scalar_one_or_none()
    if a is None:
        raise NotFound(f"没有编号为 {agreement_id} 的调解协议")
    return a


def _agreement_and_case(uow: UnitOfWork, agreement_id: int) -> tuple[Agreement, Case]:
    """Both rows locked, the case first: every action that locks both takes
    them in this order, so two of them never wait for each other."""
    case_id = uow.s.execute(select(Agreement.case_id).where(Agreement.id == agreement_id)).scalar_one_or_none()
    if case_id is None:
        raise NotFound(f"没有编号为 {agreement_id} 的调解协议")
    c = _case(uow, case_id)
    return _agreement(uow, agreement_id), c


def _expect_draft(a: Agreement) -> None:
    if a.state == AgreementState.DRAFT.value:
        return
    if a.state == AgreementState.SIGNING.value:
        raise Conflict(f"调解协议第{a.version}版已开始签署，文本已固定，不能修改；如需修改请制作更正版本")
    if a.state == AgreementState.EFFECTIVE.value:
        raise Conflict(f"调解协议第{a.version}版已生效，文本已冻结，不能修改；如需更正请制作新版本")
    raise Conflict(f"调解协议第{a.version}版已被更正版本取代，不能修改")


def _one_agreement(s, agreement_id: int) -> AgreementView:
    return agreement_views(s, Agreement.id == agreement_id)[0]


def draft_agreement(db: Database, actor: Actor, case_id: int, *, liability: str = "",
                    facts: str | None = None) -> AgreementView:
    """Start a written agreement (调解协议书, 人民调解法第二十九条): facts from
    the case unless given, each side's responsibility, then terms."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        if c.state != CaseState.MEDIATING.value:
            raise Conflict(f"案件{c.number}当前状态为“{CaseState(c.state).label}”，不能起草调解协议")
        live = uow.s.execute(select(Agreement).where(
            Agreement.case_id == c.id, Agreement.state.in_([AgreementState.DRAFT.value, AgreementState.SIGNING.value,
                                                            AgreementState.EFFECTIVE.value]))).scalars().first()
        if live is not None:
            raise Conflict(f"本案已有调解协议第{live.version}版（{AgreementState(live.state).label}）"
                           + ("，请在其上修改" if live.state == AgreementState.DRAFT.value else "，如需修改请制作更正版本"))
        a = _new_agreement(uow, c, facts=c.facts if facts is None else facts, liability=liability)
        timeline(uow, c.id, "agreement_draft", f"起草调解协议第{a.version}版")
        uow.audit("agreement.draft", "agreement", a.id, case_id=c.id, number=c.number, version=a.version)
        case_event(uow, "case.agreement_drafted", c, agreement_id=a.id)
        return _one_agreement(uow.s, a.id)


def _new_agreement(uow: UnitOfWork, c: Case, *, facts: str, liability: str, oral: bool = False,
                   supersedes: Agreement | None = None, reason: str = "") -> Agreement:
    version = uow.s.execute(select(func.coalesce(func.max(Agreement.version), 0) + 1)
                            .where(Agreement.case_id == c.id)).scalar_one()
    a = Agreement(case_id=c.id, version=version, state=AgreementState.DRAFT.value, oral=oral,
                  liability=(liability or "").strip(), facts=(facts or "").strip(), signatory_party_ids=[],
                  copies=0, supersedes_id=supersedes.id if supersedes else None, correction_reason=reason,
                  created_at=uow.now, created_by=uow.actor.user_id if uow.actor else None)
    uow.s.add(a)
    uow.s.flush()
    return a


def update_agreement_draft(db: Database, actor: Actor, agreement_id: int, *, liability: str | None = None,
                           facts: str | None = None) -> AgreementView:
    with unit_of_work(db, actor, "case.mediate") as uow:
        a = _agreement(uow, agreement_id)
        _expect_draft(a)
        if liability is not None:
            a.liability = liability.strip()
        if facts is not None:
            a.facts = facts.strip()
        c = _case(uow, a.case_id, lock=False)
        timeline(uow, c.id, "agreement_edit", f"修改调解协议第{a.version}版")
        uow.audit("agreement.edit", "agreement", a.id, case_id=c.id)
        case_event(uow, "case.agreement_changed", c, agreement_id=a.id)
        return _one_agreement(uow.s, a.id)


def _check_term(uow: UnitOfWork, case_id: int, t: TermInput) -> tuple[Decimal | None, str]:
    if not (t.content or "").strip():
        raise InvalidInput("协议条款内容不能为空")
    for pid, what in ((t.obligor_party_id, "履行义务人"), (t.obligee_party_id, "权利人")):
        if pid is not None:
            p = uow.s.get(CaseParty, pid)
            if p is None or p.case_id != case_id or not p.active:
                raise InvalidInput(f"{what}应为本案当事人")
    if t.obligor_party_id is not None and t.obligor_party_id == t.obligee_party_id:
        raise InvalidInput("履行义务人与权利人不能是同一当事人")
    amount = None
    if t.amount not in (None, ""):
        try:
            amount = rmb.parse_amount(t.amount)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    return amount, rmb.capitals(amount) if amount is not None else ""


def _insert_term(uow: UnitOfWork, a: Agreement, t: TermInput, position: int) -> AgreementTerm:
    amount, capitals = _check_term(uow, a.case_id, t)
    row = AgreementTerm(agreement_id=a.id, position=position, obligor_party_id=t.obligor_party_id,
                        obligee_party_id=t.obligee_party_id, content=t.content.strip(), amount=amount,
                        amount_capitals=capitals, method=(t.method or "").strip()[:100], due_date=t.due_date)
    uow.s.add(row)
    uow.s.flush()
    return row


def _term_view(s, term_id: int, agreement_id: int) -> TermView:
    return next(t for t in _one_agreement(s, agreement_id).terms if t.id == term_id)


def add_term(db: Database, actor: Actor, agreement_id: int, content: str, *, obligor_party_id: int | None = None,
             obligee_party_id: int | None = None, amount: Decimal | str | int | None = None, method: str = "",
             due_date: dt.date | None = None) -> TermView:
    """Add a numbered term: content, who performs for whom, the amount (in
    figures and capitals), the way and the date of performance (第二十九条第三项)."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        a = _agreement(uow, agreement_id)
        _expect_draft(a)
        pos = uow.s.execute(select(func.coalesce(func.max(AgreementTerm.position), 0) + 1)
                            .where(AgreementTerm.agreement_id == a.id)).scalar_one()
        row = _insert_term(uow, a, TermInput(content, obligor_party_id, obligee_party_id, amount, method, due_date),
                           pos)
        c = _case(uow, a.case_id, lock=False)
        timeline(uow, c.id, "agreement_term", f"调解协议第{a.version}版增加第{pos}条")
        uow.audit("agreement.term_add", "agreement", a.id, case_id=c.id, term_id=row.id,
                  amount=str(row.amount) if row.amount is not None else None)
        case_event(uow, "case.agreement_changed", c, agreement_id=a.id)
        return _term_view(uow.s, row.id, a.id)


def update_term(db: Database, actor: Actor, term_id: int, **changes: Any) -> TermView:
    allowed = {"content", "obligor_party_id", "obligee_party_id", "amount", "method", "due_date"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"不能修改的条款字段：{'、'.join(sorted(unknown))}")
    with unit_of_work(db, actor, "case.mediate") as uow:
        row = uow.s.get(AgreementTerm, term_id)
        if row is None:
            raise NotFound(f"没有编号为 {term_id} 的协议条款")
        a = _agreement(uow, row.agreement_id)
        _expect_draft(a)
        current = TermInput(row.content, row.obligor_party_id, row.obligee_party_id, row.amount, row.method,
                            row.due_date)
        merged = TermInput(**{**current.__dict__, **changes})
        amount, capitals = _check_term(uow, a.case_id, merged)
        row.content, row.obligor_party_id, row.obligee_party_id = (merged.content.strip(), merged.obligor_party_id,
                                                                   merged.obligee_party_id)
        row.amount, row.amount_capitals, row.method, row.due_date = (amount, capitals,
                                                                     (merged.method or "").strip()[:100],
                                                                     merged.due_date)
        c = _case(uow, a.case_id, lock=False)
        timeline(uow, c.id, "agreement_term", f"调解协议第{a.version}版修改第{row.position}条")
        uow.audit("agreement.term_update", "agreement", a.id, case_id=c.id, term_id=row.id, fields=sorted(changes))
        case_event(uow, "case.agreement_changed", c, agreement_id=a.id)
        return _term_view(uow.s, row.id, a.id)


def remove_term(db: Database, actor: Actor, term_id: int) -> AgreementView:
    """Take a term out of a draft (later terms move up)."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        row = uow.s.get(AgreementTerm, term_id)
        if row is None:
            raise NotFound(f"没有编号为 {term_id} 的协议条款")
        a = _agreement(uow, row.agreement_id)
        _expect_draft(a)
        pos = row.position
        uow.s.delete(row)
        uow.s.flush()
        for t in uow.s.execute(select(AgreementTerm).where(AgreementTerm.agreement_id == a.id,
                                                           AgreementTerm.position > pos)
                               .order_by(AgreementTerm.position)).scalars():
            t.position -= 1
        c = _case(uow, a.case_id, lock=False)
        timeline(uow, c.id, "agreement_term", f"调解协议第{a.version}版删除第{pos}条")
        uow.audit("agreement.term_remove", "agreement", a.id, case_id=c.id, position=pos)
        case_event(uow, "case.agreement_changed", c, agreement_id=a.id)
        return _one_agreement(uow.s, a.id)


def _render(uow: UnitOfWork, a: Agreement, c: Case, party_ids: Sequence[int]) -> str:
    s = uow.s
    parties = {p.id: p for p in s.execute(select(CaseParty).where(CaseParty.id.in_(list(party_ids)))).scalars()}
    agents: dict[int, list[str]] = {}
    for g in s.execute(select(CaseAgent).where(CaseAgent.party_id.in_(list(party_ids)),
                                               CaseAgent.active.is_(True)).order_by(CaseAgent.id)).scalars():
        bits = "，".join(x for x in (g.relation, rules.AgentScope(g.scope).label) if x)
        agents.setdefault(g.party_id, []).append(f"{g.name}（{bits}）" if bits else g.name)
    names: dict[int | None, str] = {pid: p.name for pid, p in parties.items()}
    terms = list(s.execute(select(AgreementTerm).where(AgreementTerm.agreement_id == a.id)
                           .order_by(AgreementTerm.position)).scalars())
    doc = rules.AgreementText(
        committee=committee_name(s), number=c.number, version=a.version, oral=a.oral,
        copies=rules.copies_required(len(party_ids)) if not a.oral else 0, facts=a.facts, liability=a.liability,
        parties=tuple(rules.AgreementParty(
            side=p.side, kind=p.kind, name=p.name, sex=p.sex, ethnicity=p.ethnicity, birth_date=p.birth_date,
            occupation=p.occupation, address=p.address, phone=p.phone, id_number=p.id_number,
            credit_code=p.credit_code, legal_rep=p.legal_rep, legal_rep_title=p.legal_rep_title,
            agents=tuple(agents.get(p.id, ()))) for pid in party_ids for p in [parties[pid]]),
        terms=tuple(rules.AgreementTermText(
            content=t.content, obligor=names.get(t.obligor_party_id), obligee=names.get(t.obligee_party_id),
            amount=t.amount, method=t.method or None, due_date=t.due_date) for t in terms))
    return rules.render_agreement_text(doc)


def _freeze(uow: UnitOfWork, a: Agreement, c: Case) -> None:
    party_ids = list(uow.s.execute(select(CaseParty.id).where(
        CaseParty.case_id == c.id, CaseParty.active.is_(True)).order_by(CaseParty.position, CaseParty.id)).scalars())
    if not party_ids:
        raise Conflict("案件没有当事人，不能签署协议")
    has_terms = uow.s.execute(select(AgreementTerm.id).where(AgreementTerm.agreement_id == a.id)).first()
    if has_terms is None:
        raise Conflict(f"调解协议第{a.version}版还没有协议条款")
    body = _render(uow, a, c, party_ids)
    a.text_snapshot = body
    a.text_sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
    a.signatory_party_ids = party_ids
    a.copies = 0 if a.oral else rules.copies_required(len(party_ids))


def _term_label(t: AgreementTerm) -> str:
    text = t.content.strip()
    return f"第{cardinal(t.position)}条：{text[:40]}{'…' if len(text) > 40 else ''}"


def _take_effect(uow: UnitOfWork, a: Agreement, c: Case) -> None:
    """The agreement takes effect: frozen, tracked, the case moves on, an
    earlier version it corrects is superseded."""
    a.state = AgreementState.EFFECTIVE.value
    a.effective_at = uow.now
    a.effective_on = local_day(uow.now)
    if c.state == CaseState.MEDIATING.value:
        _move(uow, c, CaseAction.REACH_AGREEMENT)
    if a.supersedes_id:
        old = uow.s.get(Agreement, a.supersedes_id)
        if old is not None and old.state != AgreementState.SUPERSEDED.value:
            _supersede(uow, old)
    stop_duration_watch(uow, c)
    dl.track(uow, "mediation.judicial_confirmation", "agreement", a.id, a.effective_on, case_number=c.number,
             label=f"调解协议第{a.version}版")
    for t in uow.s.execute(select(AgreementTerm).where(AgreementTerm.agreement_id == a.id,
                                                       AgreementTerm.due_date.is_not(None))
                           .order_by(AgreementTerm.position)).scalars():
        dl.track(uow, dl.AGREED, "agreement_term", t.id, a.effective_on, case_number=c.number,
                 label=_term_label(t), agreed_due=t.due_date,
                 agreed_basis=f"调解协议第{a.version}版{_term_label(t).split('：')[0]}")
    kind = "口头调解协议" if a.oral else "调解协议书"
    copies = "" if a.oral else f"，一式{a.copies}份（当事人各执一份，调解委员会留存一份）"
    timeline(uow, c.id, "agreement_effective", f"{kind}第{a.version}版生效{copies}")


def _supersede(uow: UnitOfWork, old: Agreement) -> None:
    old.state = AgreementState.SUPERSEDED.value
    old.superseded_at = uow.now
    dl.close_for_subject(uow, "agreement", old.id)
    for (tid,) in uow.s.execute(select(AgreementTerm.id).where(AgreementTerm.agreement_id == old.id)):
        dl.close_for_subject(uow, "agreement_term", tid)


def sign(db: Database, actor: Actor, agreement_id: int, signer: str, *, party_id: int | None = None,
         by_name: str | None = None, method: str | None = None) -> AgreementView:
    """Record a signature: a party's (签名、盖章或者按指印), the mediator's, or
    the committee's seal. The first signature freezes the text being signed;
    with the last one the agreement takes effect (人民调解法第二十九条第二款)."""
    actor.require("case.mediate")  # before reading the input
    kind = _parse_enum(SignerKind, signer, "签署人")
    if method is not None and method not in rules.SIGN_METHODS:
        raise InvalidInput(f"签署方式只能是：{'、'.join(rules.SIGN_METHODS)}")
    with unit_of_work(db, actor, "case.mediate") as uow:
        a, c = _agreement_and_case(uow, agreement_id)
        if a.oral:
            raise Conflict("口头协议无需签署（人民调解法第三十条：自当事人达成协议之日起生效）")
        if a.state not in (AgreementState.DRAFT.value, AgreementState.SIGNING.value):
            _expect_draft(a)
        correcting = a.supersedes_id is not None and c.state in (CaseState.AGREEMENT.value, CaseState.CLOSED.value)
        if c.state != CaseState.MEDIATING.value and not correcting:
            raise Conflict(f"案件{c.number}当前状态为“{CaseState(c.state).label}”，不能签署调解协议")
        if a.state == AgreementState.DRAFT.value:
            _freeze(uow, a, c)
            a.state = AgreementState.SIGNING.value
            a.signing_started_at = uow.now
        if kind is SignerKind.PARTY:
            if party_id is None or party_id not in (a.signatory_party_ids or []):
                raise InvalidInput("签署的当事人应为本协议列明的当事人")
            p = uow.s.get(CaseParty, party_id)
            if p is None:
                raise InvalidInput("签署的当事人应为本协议列明的当事人")
            default_name = p.name
            default_method = "盖章" if p.kind == rules.PartyKind.ORGANISATION.value else "签名并按指印"
        elif kind is SignerKind.MEDIATOR:
            if c.mediator_id is None:
                raise Conflict(f"案件{c.number}没有调解员")
            default_name = _user_names(uow.s, [c.mediator_id]).get(c.mediator_id, "")
            default_method = "签名"
        else:
            default_name, default_method = committee_name(uow.s), "盖章"
        key = rules.signer_key(kind, party_id)
        if uow.s.execute(select(AgreementSignoff.id).where(AgreementSignoff.agreement_id == a.id,
                                                           AgreementSignoff.signer_key == key)).first():
            raise Conflict(f"{default_name}已签署调解协议第{a.version}版")
        who = checked_name(by_name, what="签署人姓名或名称", organisation=kind is not SignerKind.MEDIATOR,
                           max_len=PARTY_NAME_MAX) or default_name.strip()
        uow.s.add(AgreementSignoff(agreement_id=a.id, signer_key=key, signer_kind=kind.value,
                                   party_id=party_id if kind is SignerKind.PARTY else None, by_name=who[:100],
                                   method=method or default_method, signed_at=uow.now, recorded_by=actor.user_id))
        uow.s.flush()
        timeline(uow, c.id, "agreement_signed", f"调解协议第{a.version}版：{kind.label}{who}{method or default_method}")
        signed = list(uow.s.execute(select(AgreementSignoff.signer_key)
                                    .where(AgreementSignoff.agreement_id == a.id)).scalars())
        if not rules.missing_signoffs(a.signatory_party_ids, signed):
            _take_effect(uow, a, c)
            case_event(uow, "case.agreement_effective", c, agreement_id=a.id, version=a.version)
        uow.audit("agreement.sign", "agreement", a.id, case_id=c.id, signer=key, state=a.state)
        case_event(uow, "case.agreement_signed", c, agreement_id=a.id, signer=kind.value)
        return _one_agreement(uow.s, a.id)


def correct_agreement(db: Database, actor: Actor, agreement_id: int, reason: str) -> AgreementView:
    """A correction is a new version (a draft copying the terms), never an edit.

    An effective version stays in force until the correction takes effect,
    then it is superseded; a version still being signed is superseded at
    once (it never took effect).
    """
    if not (reason or "").strip():
        raise InvalidInput("请填写更正理由")
    with unit_of_work(db, actor, "case.mediate") as uow:
        old, c = _agreement_and_case(uow, agreement_id)
        if old.state == AgreementState.DRAFT.value:
            raise Conflict(f"调解协议第{old.version}版仍是草稿，可直接修改")
        if old.state == AgreementState.SUPERSEDED.value:
            raise Conflict(f"调解协议第{old.version}版已被取代，请在最新版本上更正")
        if old.oral:
            raise Conflict("口头协议不能更正，请重新记录口头协议或制作书面协议")
        newer = uow.s.execute(select(Agreement.version).where(
            Agreement.case_id == c.id, Agreement.version > old.version,
            Agreement.state != AgreementState.SUPERSEDED.value)).first()
        if newer is not None:
            raise Conflict(f"已有更正版本第{newer[0]}版")
        a = _new_agreement(uow, c, facts=old.facts, liability=old.liability, supersedes=old, reason=reason.strip())
        for t in uow.s.execute(select(AgreementTerm).where(AgreementTerm.agreement_id == old.id)
                               .order_by(AgreementTerm.position)).scalars():
            uow.s.add(AgreementTerm(agreement_id=a.id, position=t.position, obligor_party_id=t.obligor_party_id,
                                    obligee_party_id=t.obligee_party_id, content=t.content, amount=t.amount,
                                    amount_capitals=t.amount_capitals, method=t.method, due_date=t.due_date))
        if old.state == AgreementState.SIGNING.value:
            _supersede(uow, old)
        timeline(uow, c.id, "agreement_corrected",
                 f"更正调解协议第{old.version}版，制作第{a.version}版：{reason.strip()}")
        uow.audit("agreement.correct", "agreement", a.id, case_id=c.id, supersedes=old.id, version=a.version)
        case_event(uow, "case.agreement_corrected", c, agreement_id=a.id, supersedes=old.id)
        return _one_agreement(uow.s, a.id)


def record_oral_agreement(db: Database, actor: Actor, case_id: int, terms: Sequence[TermInput], *,
                          liability: str = "", facts: str | None = None) -> AgreementView:
    """The parties agree orally (人民调解法第二十八条): the mediator records the
    content; it takes effect when reached (第三十条). No copies are made."""
    actor.require("case.mediate")  # before reading the input
    if not terms:
        raise InvalidInput("请记录口头协议的内容")
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        if c.state != CaseState.MEDIATING.value:
            raise Conflict(f"案件{c.number}当前状态为“{CaseState(c.state).label}”，不能记录口头协议")
        live = uow.s.execute(select(Agreement).where(
            Agreement.case_id == c.id, Agreement.state.in_([AgreementState.SIGNING.value,
                                                            AgreementState.EFFECTIVE.value]))).scalars().first()
        if live is not None:
            raise Conflict(f"本案已有调解协议第{live.version}版（{AgreementState(live.state).label}）")
        a = _new_agreement(uow, c, facts=c.facts if facts is None else facts, liability=liability, oral=True)
        for i, t in enumerate(terms, 1):
            _insert_term(uow, a, t, i)
        for d in uow.s.execute(select(Agreement).where(Agreement.case_id == c.id, Agreement.id != a.id,
                                                       Agreement.state == AgreementState.DRAFT.value)).scalars():
            _supersede(uow, d)
        _freeze(uow, a, c)
        _take_effect(uow, a, c)
        uow.audit("agreement.oral", "agreement", a.id, case_id=c.id, number=c.number, terms=len(terms))
        case_event(uow, "case.agreement_effective", c, agreement_id=a.id, version=a.version, oral=True)
        return _one_agreement(uow.s, a.id)


# ================================================================ the end
def terminate_mediation(db: Database, actor: Actor, case_id: int, reason: str, *,
                        routes: Sequence[str] | None = None) -> TerminationView:
    """Mediation fails and is terminated; the parties are told of the
    arbitration, administrative and judicial routes (人民调解法第二十六条;
    在线调解规则第二十一条: the basic facts and the reason are recorded)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写调解不成的原因")
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        _move(uow, c, CaseAction.TERMINATE)
        c.state_reason = reason
        told = tuple(routes) if routes else tuple(rules.failure_routes(c.category))
        for m in uow.s.execute(select(MediationSession).where(MediationSession.case_id == c.id,
                                                              MediationSession.ended_at.is_(None))).scalars():
            _end_session(uow, m, SessionOutcome.FAILED)
        stop_duration_watch(uow, c)
        timeline(uow, c.id, "terminated", f"终止调解：{reason}。已告知当事人：{'；'.join(told)}")
        uow.audit("case.terminate", "case", c.id, number=c.number)
        case_event(uow, "case.failed", c)
        return TerminationView(_case_view(uow.s, c, _see(actor)), reason, rules.TERMINATION_NOTICE, told)


_NOT_PERFORMED = (Performance.NOT_PERFORMED.value, Performance.PARTLY.value, Performance.REFUSED.value)


def handover_to_arbitration(db: Database, actor: Actor, case_id: int) -> dict:
    """Hand a labour dispute to the arbitration commission: returns the
    application prefilled from the case (《劳动争议调解仲裁法》第二十八条).

    From a failed mediation the case becomes ``transferred``; from an
    agreement that the employer did not perform (a follow-up says so,
    同法第五条) the case keeps its state and the handover is recorded.
    The dict: ``applicant`` (the worker: name, sex, birth date, ethnicity, ID
    number, occupation, employer, address, phone), ``respondent`` (the
    employer: name, address, legal representative and title, credit code,
    phone), ``agents``, ``claims``, ``facts``, ``evidence``, ``source`` (this
    case), ``missing`` (required items not on file, for the one-time
    补正通知 of 办案规则第二十九条).
    """
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        if c.category != rules.Category.LABOUR.value:
            raise Conflict(f"案件{c.number}不是劳动争议，不能移送劳动人事争议仲裁")
        commission = _profile(uow.s).get("arbitration_commission") or "劳动人事争议仲裁委员会"
        if c.state == CaseState.FAILED.value:
            mark_transferred(uow, c, commission, "调解不成，引导申请劳动争议仲裁")
        elif c.state in (CaseState.AGREEMENT.value, CaseState.CLOSED.value):
            last = uow.s.execute(select(FollowUp.performance).where(FollowUp.case_id == c.id)
                                 .order_by(FollowUp.at.desc(), FollowUp.id.desc()).limit(1)).scalar_one_or_none()
            if last not in _NOT_PERFORMED:
                raise Conflict(f"案件{c.number}的调解协议未见不履行的回访记录，不能移送仲裁")
            timeline(uow, c.id, "handover", f"调解协议未履行，引导向{commission}申请仲裁")
        else:
            raise Conflict(f"案件{c.number}当前状态为“{CaseState(c.state).label}”，请先终止调解再移送仲裁")
        data = _arbitration_application(uow, c, commission, _see(actor))
        receipt = _receive_in_arbitration(uow, actor, c, _arbitration_application(uow, c, commission, True))
        data["arbitration"] = {"case_id": receipt.case_id, "receipt_number": receipt.receipt_number,
                               "state": receipt.state, "state_label": receipt.state_label,
                               "received_on": receipt.received_on, "missing_items": list(receipt.missing_items),
                               "acceptance_due": receipt.acceptance_due}
        timeline(uow, c.id, "handover", f"{commission}已收到仲裁申请，收件号{receipt.receipt_number}"
                 + (f"，待补正：{'、'.join(receipt.missing_items)}" if receipt.missing_items else ""))
        uow.audit("case.handover_arbitration", "case", c.id, number=c.number, missing=len(data["missing"]),
                  arbitration_case_id=receipt.case_id)
        case_event(uow, "case.handover_arbitration", c, target="arbitration", arbitration_case_id=receipt.case_id)
        return data


_WAGE_WORDS = ("工资", "劳动报酬", "欠薪", "薪酬")
_AMOUNT = re.compile(r"(\d[\d,，]*(?:\.\d{1,2})?)\s*元")


def _claim_kind(c: Case, text: str) -> str:
    """The arbitration claim kind a mediation's claims text most likely is (the clerk may change it)."""
    sub = c.subcategory or ""
    if any(w in sub or w in text for w in _WAGE_WORDS):
        return "remuneration"
    for word, kind in (("工伤", "injury_medical"), ("经济补偿", "compensation"), ("赔偿金", "damages"),
                       ("社保", "social_insurance"), ("社会保险", "social_insurance"),
                       ("劳动关系", "confirm_relation"), ("辞退", "dismissal"), ("加班", "working_hours")):
        if word in sub or word in text:
            return kind
    return "other"


def arbitration_input(handover: dict, c: Case | None = None) -> dict:
    """The mediation hand-over (``_arbitration_application``) as the input of
    ``arbitration.receive_application``: one party model, nothing re-typed.

    The worker's particulars (occupation and work unit included), the
    employer's legal representative and title, the agents with their
    authority, the claims (kind and amount read from the claims text), the
    facts with the failed mediation named, and the evidence on file with
    its source and SHA-256.
    """
    a, r = handover["applicant"], handover["respondent"]
    src = handover["source"]
    out: dict[str, Any] = {
        "worker_name": a.get("name"), "worker_sex": a.get("sex"), "worker_birth_date": a.get("birth_date"),
        "worker_id_number": a.get("id_number"), "worker_ethnicity": a.get("ethnicity"),
        "worker_occupation": a.get("occupation"), "worker_employer": a.get("employer"),
        "worker_address": a.get("address"), "worker_mailing_address": a.get("mailing_address"),
        "worker_phone": a.get("phone"),
        "employer_name": r.get("name"), "employer_credit_code": r.get("credit_code"),
        "employer_address": r.get("address"), "employer_legal_rep": r.get("legal_rep"),
        "employer_legal_rep_title": r.get("legal_rep_title"), "employer_phone": r.get("phone"),
    }
    out = {k: v for k, v in out.items() if v not in (None, "")}
    facts = (handover.get("facts") or "").strip()
    if facts:
        tail = f"经{src.get('committee') or '人民调解委员会'}调解（{src.get('case_number')}）"
        tail += f"未能解决：{src['failure_reason']}。" if src.get("failure_reason") else "未能解决。"
        out["facts_reasons"] = f"{facts}\n{tail}"
    claims_text = (handover.get("claims") or "").strip()
    if claims_text:
        claims = []
        for part in [x.strip() for x in re.split(r"[；;\n]", claims_text) if x.strip()]:
            claim: dict[str, Any] = {"kind": _claim_kind(c, part) if c is not None else "other",
                                     "description": part}
            m = _AMOUNT.search(part)
            if m:
                claim["amount"] = m.group(1).replace(",", "").replace("，", "")
            claims.append(claim)
        out["claims"] = claims
    agents = []
    for g in handover.get("agents") or ():
        side = "worker" if g.get("for") == "applicant" else "employer"
        scope = rules.AgentScope(g["scope"]).label if g.get("scope") else ""
        agents.append({k: v for k, v in {
            "side": side, "for": g.get("for"), "name": g.get("name"), "kind": "entrusted",
            "relation": g.get("relation"), "phone": g.get("phone"), "id_number": g.get("id_number"),
            "scope": g.get("scope"), "scope_label": scope,
            "authority": g.get("authorisation") or scope}.items() if v not in (None, "")})
    if agents:
        out["agents"] = agents
    evidence = [{"name": e["name"], "source": f"申请人提供（调解案件{src.get('case_number')}中登记）",
                 "sha256": e.get("sha256"), "description": e.get("description") or ""}
                for e in handover.get("evidence") or ()]
    if evidence:
        out["evidence"] = evidence
    return out


def _receive_in_arbitration(uow: UnitOfWork, actor: Actor, c: Case, handover: dict):
    """收件 of the arbitration application in the hand-over's own transaction
    (the mediation case linked as its source)."""
    from hall.domain import arbitration as arb_rules
    from hall.store.arbitration_models import ArbitrationCase

    from . import arbitration as arb

    done = uow.s.execute(select(ArbitrationCase.receipt_number).where(
        ArbitrationCase.source_case_id == c.id, ArbitrationCase.source_kind == "people_mediation")).first()
    if done is not None:
        raise Conflict(f"案件{c.number}已移送仲裁，收件号{done[0]}")
    data = arbitration_input(handover, c)
    ac = arb._receive(uow, actor, data, received_on=None, channel="written", applicant_side="worker",
                      source={"kind": "people_mediation", "case_id": c.id, "case_number": c.number})
    warnings = arb_rules.application_warnings(arb._as_application(ac), local_day(uow.now))
    arb._touch(uow, ac, "receive", missing=len(ac.missing_items), source_case_id=c.id)
    return arb._receipt(uow.s, ac, warnings)


def _arbitration_application(uow: UnitOfWork, c: Case, commission: str, see: bool) -> dict:
    from hall.domain.masking import mask_id_number

    parties = list(uow.s.execute(select(CaseParty).where(CaseParty.case_id == c.id, CaseParty.active.is_(True))
                                 .order_by(CaseParty.position, CaseParty.id)).scalars())

    def pick(kind: str, side: str):
        same = [p for p in parties if p.kind == kind]
        return next((p for p in same if p.side == side), same[0] if same else None)

    worker = pick(rules.PartyKind.PERSON.value, rules.Side.APPLICANT.value)
    employer = pick(rules.PartyKind.ORGANISATION.value, rules.Side.RESPONDENT.value)
    if worker is None:
        raise Conflict(f"案件{c.number}没有自然人当事人（劳动者），无法生成仲裁申请")
    if employer is None:
        raise Conflict(f"案件{c.number}没有单位当事人（用人单位），无法生成仲裁申请")

    def idn(value):
        return value if see or not value else mask_id_number(value, visible_tail=4)

    applicant = {"name": worker.name, "sex": worker.sex, "birth_date": worker.birth_date,
                 "ethnicity": worker.ethnicity, "id_number": idn(worker.id_number), "occupation": worker.occupation,
                 "employer": employer.name, "address": worker.address, "mailing_address": worker.address,
                 "phone": worker.phone, "party_id": worker.id}
    respondent = {"name": employer.name, "address": employer.address, "legal_rep": employer.legal_rep,
                  "legal_rep_title": employer.legal_rep_title, "credit_code": employer.credit_code,
                  "phone": employer.phone, "party_id": employer.id}
    agents = [{"for": "applicant" if a.party_id == worker.id else "respondent", "name": a.name,
               "id_number": idn(a.id_number), "phone": a.phone, "relation": a.relation,
               "scope": a.scope, "authorisation": a.authorisation}
              for a in uow.s.execute(select(CaseAgent).where(CaseAgent.party_id.in_([worker.id, employer.id]),
                                                             CaseAgent.active.is_(True))
                                     .order_by(CaseAgent.id)).scalars()]
    evidence = [{"name": f.original_name, "sha256": f.sha256, "size": f.size, "description": f.description}
                for f in uow.s.execute(select(CaseFile).where(CaseFile.case_id == c.id, CaseFile.active.is_(True),
                                                              CaseFile.kind == "evidence")
                                       .order_by(CaseFile.id)).scalars()]
    required = [("applicant", "name", "申请人姓名"), ("applicant", "sex", "申请人性别"),
                ("applicant", "birth_date", "申请人出生日期"), ("applicant", "id_number", "申请人身份证号"),
                ("applicant", "occupation", "申请人职业"), ("applicant", "address", "申请人住所"),
                ("applicant", "phone", "申请人联系电话"), ("respondent", "name", "被申请人名称"),
                ("respondent", "address", "被申请人住所"), ("respondent", "legal_rep", "被申请人法定代表人"),
                ("respondent", "legal_rep_title", "法定代表人职务")]
    blocks = {"applicant": applicant, "respondent": respondent}
    missing = [label for block, key, label in required if not blocks[block].get(key)]
    if not c.claims.strip():
        missing.append("仲裁请求")
    if not c.facts.strip():
        missing.append("事实和理由")
    return {
        "source": {"kind": "people_mediation", "case_id": c.id, "case_number": c.number,
                   "committee": committee_name(uow.s), "failure_reason": c.state_reason,
                   "category": c.category, "subcategory": c.subcategory,
                   "subcategory_label": rules.subcategory_label(rules.Category(c.category), c.subcategory),
                   "mediation_started_on": local_day(_u(c.created_at))},
        "commission": commission,
        "applicant": applicant,
        "respondent": respondent,
        "agents": agents,
        "claims": c.claims,
        "facts": c.facts,
        "reasons": c.facts,
        "evidence": evidence,
        "missing": missing,
    }


def add_follow_up(db: Database, actor: Actor, agreement_id: int, *, method: str, performance: str, note: str = "",
                  at: dt.datetime | None = None) -> FollowUpView:
    """Follow up how the agreement is performed (回访, 人民调解法第三十一条).
    "Performed" marks the agreed-term deadlines met on that day."""
    actor.require("case.follow_up")  # before reading the input
    md = _parse_enum(rules.FollowUpMethod, method, "回访方式")
    pf = _parse_enum(Performance, performance, "履行情况")
    if at is not None and at.tzinfo is None:
        raise InvalidInput("回访时间需带时区")
    with unit_of_work(db, actor, "case.follow_up") as uow:
        a = _agreement(uow, agreement_id)
        if a.state != AgreementState.EFFECTIVE.value:
            raise Conflict(f"调解协议第{a.version}版未生效（{AgreementState(a.state).label}），不能回访履行情况")
        c = _case(uow, a.case_id, lock=False)
        when = at or uow.now
        if when > uow.now:
            raise InvalidInput("回访时间不能晚于现在")
        f = FollowUp(agreement_id=a.id, case_id=c.id, at=when, by_user=actor.user_id,
                     by_name=actor.display_name or actor.username, method=md.value, performance=pf.value,
                     note=(note or "").strip(), created_at=uow.now)
        uow.s.add(f)
        uow.s.flush()
        if pf is Performance.PERFORMED:
            term_ids = list(uow.s.execute(select(AgreementTerm.id).where(AgreementTerm.agreement_id == a.id)).scalars())
            for d in uow.s.execute(select(TrackedDeadline).where(
                    TrackedDeadline.subject_type == "agreement_term", TrackedDeadline.subject_id.in_(term_ids or [-1]),
                    TrackedDeadline.active.is_(True), TrackedDeadline.met_on.is_(None))).scalars():
                d.met_on = local_day(when)
        timeline(uow, c.id, "follow_up", f"回访（{md.label}）：{pf.label}" + (f"，{f.note}" if f.note else ""))
        uow.audit("agreement.follow_up", "agreement", a.id, case_id=c.id, performance=pf.value)
        case_event(uow, "case.follow_up", c, agreement_id=a.id, performance=pf.value)
        return FollowUpView(f.id, a.id, _u(f.at), f.by_name, f.method, md.label, f.performance, pf.label, f.note)


# ================================================================ service
#: How a mediation document reaches a party (送达方式).
SERVICE_METHODS = {"in_person": "直接送达", "post": "邮寄送达", "phone": "电话通知", "sms": "短信通知",
                   "electronic": "电子送达"}


@dataclass(frozen=True)
class ServiceRecordView(JsonView):
    id: int
    case_id: int
    party_id: int | None
    party_name: str
    document_id: int | None
    document_kind: str
    document_label: str
    recipient: str
    method: str
    method_label: str
    address: str
    served_at: dt.datetime
    note: str


def _service_view(r, party_name: str) -> ServiceRecordView:
    return ServiceRecordView(r.id, r.case_id, r.party_id, party_name, r.document_id, r.document_kind,
                             store._kind_label(r.document_kind), r.recipient, r.method,
                             SERVICE_METHODS.get(r.method, r.method), r.address, _u(r.served_at), r.note)


def serve_document(db: Database, actor: Actor, case_id: int, *, party_id: int, document_kind: str,
                   method: str, document_id: int | None = None, recipient: str | None = None,
                   address: str = "", served_at: dt.datetime | None = None, note: str = "") -> ServiceRecordView:
    """Record that a document of the case (a 调解通知书 ...) was delivered to a
    party: to whom, how, when; the summons goes on the case's timeline.

    The committee notifies the other side of the application and asks whether
    it agrees to mediation (人民调解法第十七条: no mediation if a party
    clearly refuses).
    """
    actor.require("case.edit")  # before looking at the input
    from hall.store.case_models import CaseServiceRecord, Document

    if method not in SERVICE_METHODS:
        raise InvalidInput(f"送达方式只能是：{'、'.join(SERVICE_METHODS.values())}")
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id)
        p = uow.s.get(CaseParty, party_id)
        if p is None or p.case_id != c.id or not p.active:
            raise InvalidInput("受送达人应为本案的当事人")
        if document_id is not None:
            d = uow.s.get(Document, document_id)
            if d is None or d.case_id != c.id:
                raise InvalidInput("送达的文书应为本案已生成的文书")
            document_kind = d.kind
        who = checked_name(recipient, what="签收人姓名") or p.name
        when = as_utc(served_at) if served_at is not None else uow.now
        if when > uow.now + dt.timedelta(minutes=5):
            raise InvalidInput("送达时间不能晚于现在")
        r = CaseServiceRecord(case_id=c.id, party_id=p.id, document_id=document_id, document_kind=document_kind,
                              recipient=who[:100], method=method, address=(address or "").strip()[:200],
                              served_at=when, note=(note or "").strip(), recorded_by=actor.user_id,
                              recorded_at=uow.now)
        uow.s.add(r)
        uow.s.flush()
        label = store._kind_label(document_kind)
        text = f"{SERVICE_METHODS[method]}{label}：{rules.Side(p.side).label}{p.name}"
        if who != p.name:
            text += f"（签收人{who}）"
        timeline(uow, c.id, "service", text + (f"，{note.strip()}" if note and note.strip() else ""))
        uow.audit("case.serve", "case", c.id, number=c.number, party_id=p.id, document_kind=document_kind,
                  method=method, document_id=document_id)
        case_event(uow, "case.document_served", c, party_id=p.id, document_kind=document_kind)
        return _service_view(r, p.name)


def service_records(db: Database, actor: Actor, case_id: int) -> list[ServiceRecordView]:
    from hall.store.case_models import CaseServiceRecord

    actor.require("case.read")
    with db.read() as s:
        rows = s.execute(select(CaseServiceRecord, CaseParty.name).outerjoin(
            CaseParty, CaseParty.id == CaseServiceRecord.party_id).where(CaseServiceRecord.case_id == case_id)
            .order_by(CaseServiceRecord.served_at, CaseServiceRecord.id)).all()
        return [_service_view(r, name or "") for r, name in rows]
