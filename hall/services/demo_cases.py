"""A few open cases for the demo centre, so every workspace has work on it.

The visit of DOMAIN.md's example: a pregnant worker owed two months' wages
(mediation under way, an agreement being drafted, the senior mediation room
booked for tomorrow), a neighbours' leaking-pipe dispute just registered, a
labour arbitration case with its tribunal and a hearing next week, and a
written petition. Built through the services, as staff would, so every
deadline, audit row and event is real. Idempotent: skipped once any case
exists.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from hall.domain.cases import PartyInput
from hall.domain.clock import HALL_TZ, local_day
from hall.store.db import Database
from hall.store.models import User

from .base import Actor


def _staff(db: Database, username: str) -> Actor:
    from hall.domain.roles import parse_roles

    with db.read() as s:
        u = s.execute(select(User).where(User.username == username)).scalar_one()
        return Actor(u.id, u.username, parse_roles(u.roles), "demo", u.display_name)


def _next_workday(day: dt.date, n: int = 1) -> dt.date:
    from hall.domain.workcalendar import WorkCalendar

    return WorkCalendar().add_workdays(day, n)


def _month(today: dt.date, back: int) -> tuple[int, int]:
    """The (year, month) ``back`` months before today's."""
    n = today.year * 12 + today.month - 1 - back
    return n // 12, n % 12 + 1


def _months(today: dt.date, first: int, last: int) -> str:
    """The months from ``first`` to ``last`` months back, as a case file words them:
    2026年9月、10月 / 2026年12月、2027年1月 / 2026年8月至10月."""
    (y1, m1), (y2, m2) = _month(today, first), _month(today, last)
    sep = "至" if first - last > 1 else "、"
    return f"{y1}年{m1}月{sep}{m2}月" if y1 == y2 else f"{y1}年{m1}月{sep}{y2}年{m2}月"


def install_demo_cases(db: Database) -> int:
    """Register the demo's open cases; returns how many were made (0 if any existed)."""
    from hall.store.case_models import Case

    from . import arbitration, cases, mediation, petitions

    with db.read() as s:
        if s.execute(select(func.count()).select_from(Case)).scalar_one():
            return 0
    mediator = _staff(db, "tiaojie")
    window = _staff(db, "chuangkou2")
    clerk = _staff(db, "shuji")
    today = local_day(db.clock.now())
    hired_y, hired_m = _month(today, 20)
    owed = _months(today, 2, 1)        # the two months the company has not paid
    owed_three = _months(today, 3, 1)  # the welder's three

    wage = cases.register_case(
        db, mediator, category="labour", subcategory="拖欠工资", mediator_id=mediator.user_id,
        parties=[PartyInput("陈晓梅", side="applicant", id_number="11010519491231002X", phone="13812345678",
                            address="东湖区人民路12号3单元501室", occupation="装配工", ethnicity="汉族"),
                 PartyInput("东湖精工机械有限公司", side="respondent", kind="organisation",
                            credit_code="91330100MA2B3C4D5E", legal_rep="王建国", legal_rep_title="总经理",
                            address="东湖区工业园兴业路9号", phone="0571-86001234")],
        facts=f"申请人自{hired_y}年{hired_m}月起在被申请人处从事装配工作。被申请人未支付申请人{owed}工资共计12000元。"
              "申请人现怀孕五个月，情绪激动，已转介心理咨询。",
        claims="支付拖欠工资12000元\n支付经济补偿3500元")
    cases.accept_case(db, mediator, wage.id)
    cases.start_mediation(db, mediator, wage.id)
    tomorrow = _next_workday(today)
    start = dt.datetime.combine(tomorrow, dt.time(9, 30), tzinfo=HALL_TZ)
    mediation.book_room(db, mediator, wage.id, "r_gold", start, start + dt.timedelta(hours=2),
                        mediator_id=mediator.user_id)
    detail = cases.case_detail(db, mediator, wage.id)
    worker, company = detail.case.parties[0], detail.case.parties[1]
    agreement = mediation.draft_agreement(db, mediator, wage.id,
                                          liability="被申请人未按约定支付劳动报酬，应承担主要责任。")
    mediation.add_term(db, mediator, agreement.id, f"支付{owed}工资", obligor_party_id=company.id,
                       obligee_party_id=worker.id, amount="12000", method="银行转账",
                       due_date=_next_workday(today, 3))
    mediation.add_term(db, mediator, agreement.id, "支付经济补偿", obligor_party_id=company.id,
                       obligee_party_id=worker.id, amount="3500", method="银行转账",
                       due_date=_next_workday(today, 10))

    cases.register_case(
        db, window, category="neighbourhood", mediator_id=None,
        parties=[PartyInput("刘建华", side="applicant", phone="13905710001", address="东湖区幸福里7幢402室"),
                 PartyInput("孙丽", side="respondent", phone="13905710002", address="东湖区幸福里7幢502室")],
        facts="楼上502室卫生间漏水，致402室天花板霉变，双方多次协商未果。",
        claims="修复漏水并赔偿天花板修复费用3000元")

    application = arbitration.receive_application(db, clerk, dict(
        worker_name="张伟", worker_id_number="440524188001010014", worker_occupation="焊工",
        worker_employer="东湖机械厂", worker_address="东湖区人民路1号", worker_mailing_address="东湖区人民路1号",
        worker_phone="13812340000", employer_name="东湖机械厂", employer_address="东湖区工业路2号",
        employer_legal_rep="王强", employer_legal_rep_title="厂长", employer_credit_code="91330100MA2KXXXX0X",
        claims=[{"kind": "remuneration", "description": f"支付{owed_three}工资", "amount": "15600"}],
        facts_reasons="申请人在被申请人处任焊工，被申请人拖欠三个月工资。",
        evidence=[{"name": "工资条", "source": "申请人保存"}, {"name": "考勤记录", "source": "被申请人掌握"}]))
    arbitration.accept(db, clerk, application.case_id)
    arbitration.serve_respondent(db, clerk, application.case_id)
    arbitration.form_tribunal(db, clerk, application.case_id,
                              [{"name": "刘仲裁", "role": "presiding"}, {"name": "陈仲裁", "role": "member"},
                               {"name": "黄仲裁", "role": "member"}])
    hearing_day = _next_workday(today, 7)
    arbitration.schedule_hearing(db, clerk, application.case_id,
                                 dt.datetime.combine(hearing_day, dt.time(14, 0), tzinfo=HALL_TZ),
                                 notice_served_on=today)

    petitions.register_petition(db, window, {
        "channel": "written", "via": "letter",
        "petitioners": [{"name": "刘芳", "address": "东湖区幸福里3号", "phone": "13812345678"}],
        "matter": "城建", "request": "要求停止夜间施工", "facts": "小区旁工地夜间施工至凌晨", "reasons": "影响居民休息"})
    return 4
