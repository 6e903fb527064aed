"""People's mediation cases: registration, parties, referrals, mediators, search.

One function per user action at a window or in a mediation room, each in one
transaction with its permission check, audit row, event (``case.*``) and a
line in the case's timeline (the 调解工作记录 of 人民调解法第二十七条).

The rules (categories, state machine, party checks, recusal) are in
``hall.domain.cases``; sessions, bookings and agreements are in
``hall.services.mediation``; the views every one of them returns are here.

Privacy: ID numbers never go into audit rows, events or timeline text; views
carry them masked unless the actor may see them (``visitor.see_id_number``).

The actions live in one module per area (``intake``, ``lifecycle``,
``parties``, ``referrals``, ``assignment``, ``search``, ``importing``) and
the views in ``views``; this package names them all, so callers import
``hall.services.cases`` and need not know which module holds what.
"""
from __future__ import annotations

from ..base import centre_profile_in as _profile
from ..case_rows import CaseRow, visitor_cases
from ..case_rows import user_names as _user_names
from ._common import (
    CASE_SEQ_MAX,
    ID_TAIL_SHOWN,
    _case,
    _move,
    case_event,
    case_pattern,
    committee_name,
    timeline,
)
from .assignment import (
    MediatorChoice,
    _recusal,
    assign_mediator,
    check_recusal,
    list_mediators,
    request_another_mediator,
    set_mediator_identity,
)
from .importing import ImportRejected, ImportReport, import_cases
from .intake import (
    TicketIntake,
    VisitorOutlook,
    intake_history,
    register_case,
    ticket_intake,
    visitor_outlook,
)
from .lifecycle import (
    accept_case,
    begin_mediation,
    close_case,
    decline_case,
    flag_police,
    mark_transferred,
    record_timeline,
    start_mediation,
    stop_duration_watch,
    transfer_case,
    update_case,
)
from .parties import add_agent, add_party, remove_agent, remove_party, update_agent, update_party
from .referrals import (
    arrange_referral,
    cancel_referral,
    complete_referral,
    incoming_referrals,
    list_referrals,
    receive_referral,
    refer,
    referrals_follow_booking,
)
from .search import MIN_NAME_PREFIX, MIN_PHONE_PREFIX, case_by_number, case_detail, get_case, list_cases, search_cases
from .views import (
    AgentView,
    AgreementView,
    BookingView,
    CaseDetail,
    CaseFileView,
    CasePage,
    CaseView,
    FollowUpView,
    IntakeHistory,
    MediatorChangeView,
    ParticipantView,
    PartyView,
    RecordingView,
    RecusalCheck,
    ReferralRequest,
    ReferralView,
    SessionView,
    SignoffView,
    TermView,
    TimelineView,
    _case_view,
    agreement_views,
    booking_views,
    file_views,
    load_parties,
    participant_view,
    referral_view,
    session_views,
)

__all__ = [
    "AgentView", "AgreementView", "BookingView", "CaseDetail", "CaseFileView", "CasePage",
    "CaseRow", "CaseView", "FollowUpView", "IntakeHistory", "MediatorChangeView", "ParticipantView",
    "PartyView", "RecordingView", "RecusalCheck", "ReferralRequest", "ReferralView", "SessionView",
    "SignoffView", "TermView", "TimelineView",
    "register_case", "intake_history", "accept_case", "decline_case", "start_mediation",
    "update_case", "record_timeline", "flag_police", "add_party", "update_party", "remove_party",
    "add_agent", "update_agent", "remove_agent", "refer", "arrange_referral",
    "complete_referral", "cancel_referral", "list_referrals", "assign_mediator",
    "check_recusal", "request_another_mediator", "set_mediator_identity", "transfer_case",
    "close_case", "search_cases", "list_cases", "case_detail", "case_by_number", "get_case",
    "ImportReport", "ImportRejected", "import_cases",
]
