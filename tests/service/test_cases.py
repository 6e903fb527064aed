"""Registering and handling mediation cases, on SQLite and on PostgreSQL:
numbering, parties and agents, the state machine, referrals, mediators and
recusal, search and the case file."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import event, select, text

from hall.domain.cases import AgentInput, PartyInput
from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied, visitors
from hall.services import cases as cs
from hall.services import queue as q
from hall.services.cases import ReferralRequest
from hall.store.case_models import Case
from hall.store.models import AuditEntry, Event
from tests.conftest import staff_actor

from .case_workers import ZHANG_ID, ZHANG_PHONE, ZHOU_ID, add_mediator, employer, lawyer, local, wage_case, worker


@pytest.fixture
def med(hall):
    return staff_actor(hall, "tiaojie", "room-1")


def test_register_from_a_ticket_with_numbers_per_year(hall, front_desk, window_staff, med, clock):
    t = q.issue_ticket(hall, front_desk, "labour", name="张三", id_number=ZHANG_ID, phone=ZHANG_PHONE,
                       priority="pregnant")
    c = wage_case(hall, window_staff, ticket_id=t.id)
    assert c.number == "（2026）东人调字第1号" and c.state == "registered" and c.state_label == "已登记"
    assert c.category_label == "劳动争议" and c.subcategory_label == "拖欠工资" and c.source_label == "当事人申请"
    assert c.ticket_id == t.id and c.registered_by_name == "李建国"
    zhang, company = c.parties
    assert zhang.visitor_id == t.visitor_id and zhang.sex == "女" and zhang.birth_date == dt.date(1949, 12, 31)
    assert company.kind == "organisation" and company.legal_rep == "王五"
    assert wage_case(hall, med).number == "（2026）东人调字第2号"
    clock.set_local(dt.datetime(2027, 1, 4, 9, 0))
    assert wage_case(hall, med).number == "（2027）东人调字第1号"
    with hall.read() as s:
        audit = s.execute(select(AuditEntry).where(AuditEntry.action == "case.register")).scalars().all()
        events = s.execute(select(Event).where(Event.kind == "case.registered")).scalars().all()
    assert len(audit) == 3 and len(events) == 3
    # No names, ID numbers or phones in audit rows or events.
    blob = json.dumps([a.details for a in audit] + [e.payload for e in events], ensure_ascii=False)
    assert ZHANG_ID not in blob and ZHANG_PHONE not in blob and "张三" not in blob
    detail = cs.case_detail(hall, med, c.id)
    assert "来自排队号 L001" in detail.timeline[0].text


def test_bad_parties_are_refused_and_nothing_is_saved(hall, window_staff):
    with pytest.raises(InvalidInput) as err:
        wage_case(hall, window_staff, parties=[worker(id_number="110105194912310021"),
                                               employer(name="")])
    assert "校验位" in str(err.value) and "姓名或名称不能为空" in str(err.value)
    with pytest.raises(InvalidInput, match="细分类别"):
        cs.register_case(hall, window_staff, category="邻里", subcategory="拖欠工资", parties=[worker()])
    with pytest.raises(InvalidInput, match="至少登记一方"):
        cs.register_case(hall, window_staff, category="邻里", parties=[])
    with hall.read() as s:
        assert s.execute(select(Case)).first() is None
    # The number was not used up by the refusals.
    assert wage_case(hall, window_staff).number.endswith("第1号")


def test_who_may_do_what(hall, front_desk, director, window_staff, med):
    with pytest.raises(PermissionDenied, match="登记调解案件"):
        wage_case(hall, front_desk)
    c = wage_case(hall, window_staff)
    assert cs.get_case(hall, director, c.id).number == c.number
    with pytest.raises(PermissionDenied):
        cs.update_case(hall, director, c.id, facts="改")
    with pytest.raises(PermissionDenied, match="主持调解"):
        cs.accept_case(hall, window_staff, c.id)
    assert cs.accept_case(hall, med, c.id).state == "accepted"


def test_the_state_machine_in_service(hall, window_staff, med):
    c = wage_case(hall, window_staff)
    with pytest.raises(Conflict, match="“已登记”，不能执行“开始调解”"):
        cs.start_mediation(hall, med, c.id)
    cs.accept_case(hall, med, c.id)
    with pytest.raises(Conflict, match="尚未指派调解员"):
        cs.start_mediation(hall, med, c.id)
    cs.assign_mediator(hall, med, c.id, med.user_id)
    c = cs.start_mediation(hall, med, c.id)
    assert c.state == "mediating" and "terminate" in c.allowed_actions
    with pytest.raises(Conflict, match="“调解中”，不能执行“结案”"):
        cs.close_case(hall, med, c.id)
    c = cs.transfer_case(hall, med, c.id, "东湖区住房和城乡建设局", "属于行政处理事项")
    assert c.state == "transferred" and c.transfer_target == "东湖区住房和城乡建设局"
    c = cs.close_case(hall, med, c.id)
    assert c.state == "closed" and c.closed_at is not None
    with pytest.raises(Conflict, match="不能修改"):
        cs.update_case(hall, window_staff, c.id, facts="再补充")
    d = wage_case(hall, window_staff)
    d = cs.decline_case(hall, med, d.id, "被申请人明确拒绝调解（人民调解法第十七条）")
    assert d.state == "closed" and "拒绝调解" in d.state_reason


def test_accepting_watches_the_month_and_the_labour_15_days(hall, window_staff, med):
    from hall.services import deadlines as dl

    c = wage_case(hall, window_staff)
    cs.accept_case(hall, med, c.id)
    rows = {d.rule_code: d for d in dl.list_deadlines(hall, case_number=c.number)}
    assert rows["labour.mediation"].due_date == dt.date(2026, 12, 8)       # 15 days from 11-23
    assert rows["mediation.people_duration"].due_date == dt.date(2026, 12, 23)
    cs.assign_mediator(hall, med, c.id, med.user_id)
    cs.start_mediation(hall, med, c.id)
    cs.transfer_case(hall, med, c.id, "东湖区劳动人事争议仲裁委员会")
    assert dl.list_deadlines(hall, case_number=c.number) == []


def test_update_facts_claims_category_and_police_flag(hall, window_staff, med):
    c = wage_case(hall, window_staff)
    c = cs.update_case(hall, window_staff, c.id, facts="新的事实", claims="支付工资及经济补偿",
                       subcategory="经济补偿", risk="medium")
    assert (c.facts, c.claims, c.subcategory, c.risk) == ("新的事实", "支付工资及经济补偿", "severance", "medium")
    with pytest.raises(InvalidInput, match="不能修改的案件字段"):
        cs.update_case(hall, window_staff, c.id, number="x")
    with pytest.raises(InvalidInput, match="请填写报告公安机关"):
        cs.flag_police(hall, med, c.id, "")
    c = cs.flag_police(hall, med, c.id, "双方在大厅发生推搡，已电话报告东湖派出所")
    assert c.police_flag and c.risk == "high" and "派出所" in c.police_note
    note = cs.record_timeline(hall, med, c.id, "申请人情绪激动，已安抚")
    timeline = cs.case_detail(hall, med, c.id).timeline
    assert timeline[-1].id == note.id and timeline[-1].actor_name == "周国平"
    assert any("第二十五条" in t.text for t in timeline)


def test_parties_and_agents_are_checked_masked_and_kept(hall, window_staff, med, director):
    c = wage_case(hall, window_staff)
    zhang = c.parties[0]
    assert zhang.id_number == ZHANG_ID                     # the window may see ID numbers
    assert cs.get_case(hall, director, c.id).parties[0].id_number == "1*************002X"
    agent = cs.add_agent(hall, window_staff, zhang.id, lawyer())
    assert agent.scope_label == "特别授权"
    with pytest.raises(InvalidInput, match="身份证号"):
        cs.add_agent(hall, window_staff, zhang.id, AgentInput("赵六", id_number="123"))
    third = cs.add_party(hall, window_staff, c.id, PartyInput("东湖人力资源公司", side="third",
                                                                kind="organisation", legal_rep="钱七"))
    assert third.side_label == "第三人"
    p = cs.update_party(hall, window_staff, zhang.id, address="东湖区新华路2号", phone="13812340000")
    assert p.address == "东湖区新华路2号" and p.id_number == ZHANG_ID   # untouched fields stay
    with pytest.raises(InvalidInput, match="不符"):
        cs.update_party(hall, window_staff, zhang.id, sex="男")
    cs.remove_party(hall, window_staff, third.id, "并非本案当事人")
    cs.remove_agent(hall, window_staff, agent.id, "解除委托")
    view = cs.get_case(hall, med, c.id)
    assert [x.name for x in view.parties] == ["张三", "东湖科技有限公司"] and view.parties[0].agents == []
    detail = cs.case_detail(hall, med, c.id)
    assert len(detail.case.parties) == 3                    # removed parties stay in the file
    lone = wage_case(hall, window_staff, parties=[worker()])
    with pytest.raises(Conflict, match="至少要有一方当事人"):
        cs.remove_party(hall, window_staff, lone.parties[0].id)


def test_a_returning_visitor_at_registration(hall, front_desk, window_staff, med):
    t1 = q.issue_ticket(hall, front_desk, "labour", name="张三", id_number=ZHANG_ID, phone=ZHANG_PHONE)
    first = wage_case(hall, window_staff, ticket_id=t1.id)
    other = wage_case(hall, window_staff, parties=[worker("李四", id_number=None, phone="13900002222"), employer()])
    h = cs.intake_history(hall, window_staff, id_number=ZHANG_ID)
    assert [c.number for c in h.cases] == [first.number]
    assert h.visitors and h.visitors[0].tickets[0].number == t1.number
    assert [c.number for c in cs.intake_history(hall, window_staff, phone="139-0000-2222").cases] == [other.number]
    assert {c.number for c in cs.intake_history(hall, window_staff, name="张三").cases} == {first.number}
    assert cs.intake_history(hall, window_staff).cases == []
    # The front desk's visitor history lists the cases too.
    hist = visitors.history(hall, front_desk, t1.visitor_id)
    assert [c.number for c in hist.cases] == [first.number]


# ---------------------------------------------------------------- referrals
def test_the_pregnant_worker_is_sent_to_counselling_now_and_the_gold_room_tomorrow(
        hall, front_desk, window_staff, med, clock):
    from hall.services import mediation as md

    t = q.issue_ticket(hall, front_desk, "labour", name="张三", id_number=ZHANG_ID, priority="pregnant")
    tomorrow = dt.date(2026, 11, 24)
    refs = cs.refer(hall, front_desk, [
        ReferralRequest("counselling", "r_counsel", "孕期，情绪激动，先做心理疏导"),
        ReferralRequest("room", "r_gold", "拖欠两个月工资，约用人单位明天到场", scheduled_for=local(tomorrow, 9)),
    ], ticket_id=t.id)
    assert [r.target_label for r in refs] == ["心理咨询室", "金牌调解室"]
    assert refs[0].batch == refs[1].batch and all(r.state == "open" for r in refs)
    assert all(r.visitor_id == t.visitor_id for r in refs)
    counselling, gold = refs
    assert [r.id for r in cs.list_referrals(hall, window_staff, visitor_id=t.visitor_id, open_only=True)] == \
        [counselling.id, gold.id]
    done = cs.complete_referral(hall, front_desk, counselling.id, "情绪平稳，可以参加调解")
    assert done.state == "done" and done.state_label == "已完成"
    # The window registers the case; the gold-room referral is arranged with a booking.
    c = wage_case(hall, window_staff, ticket_id=t.id, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    b = md.book_room(hall, med, c.id, "r_gold", local(tomorrow, 9), local(tomorrow, 11))
    arranged = cs.arrange_referral(hall, window_staff, gold.id, booking_id=b.id)
    assert arranged.state == "arranged" and arranged.scheduled_for == local(tomorrow, 9)
    assert [r.id for r in cs.list_referrals(hall, window_staff, visitor_id=t.visitor_id, open_only=True)] == [gold.id]
    clock.set_local(dt.datetime(2026, 11, 24, 11, 30))
    cs.complete_referral(hall, med, gold.id, "用人单位代表到场，调解进行中")
    assert cs.list_referrals(hall, window_staff, visitor_id=t.visitor_id, open_only=True) == []
    with pytest.raises(Conflict, match="已完成.*不能取消"):
        cs.cancel_referral(hall, front_desk, gold.id)
    with pytest.raises(NotFound, match="r_nowhere"):
        cs.refer(hall, front_desk, [ReferralRequest("room", "r_nowhere")], visitor_id=t.visitor_id)
    case_refs = cs.refer(hall, med, [ReferralRequest("service", "legal_aid", "申请法律援助")], case_id=c.id)
    assert case_refs[0].case_number == c.number and case_refs[0].target_label == "法律援助"
    assert any("转介：法律援助" in x.text for x in cs.case_detail(hall, med, c.id).timeline)


# ------------------------------------------------------------ mediators
def test_recusal_by_id_number_and_by_name_and_phone_also_as_agent(hall, admin, window_staff, med):
    cs.set_mediator_identity(hall, admin, med.user_id, id_number=ZHOU_ID, phone="13900001111")
    clean = wage_case(hall, window_staff)
    check = cs.check_recusal(hall, med, clean.id, med.user_id)
    assert not check.conflicted and check.identity_on_file
    # The mediator himself is a party (same ID number).
    own = wage_case(hall, window_staff, parties=[worker("周国平", id_number=ZHOU_ID, phone=None), employer()])
    check = cs.check_recusal(hall, med, own.id, med.user_id)
    assert check.conflicted and "身份证号相同" in check.reasons[0]
    with pytest.raises(Conflict, match="应当回避"):
        cs.assign_mediator(hall, med, own.id, med.user_id)
    # Same name and phone, as an agent of the employer.
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    company = c.parties[1]
    cs.add_agent(hall, window_staff, company.id, AgentInput("周国平", phone="13900001111", relation="单位员工"))
    check = cs.check_recusal(hall, med, c.id)
    assert check.conflicted and "东湖科技有限公司的代理人周国平" in check.reasons[0]
    assert any("回避" in t.text for t in cs.case_detail(hall, med, c.id).timeline)
    # A namesake with another phone is no conflict.
    n = wage_case(hall, window_staff, parties=[worker("周国平", id_number=None, phone="13500000000"), employer()])
    assert not cs.check_recusal(hall, med, n.id, med.user_id).conflicted


def test_a_party_asking_for_another_mediator_is_granted(hall, admin, window_staff, med):
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    bare = wage_case(hall, window_staff)
    with pytest.raises(Conflict, match="尚未指派"):
        cs.request_another_mediator(hall, window_staff, bare.id, bare.parties[0].id)
    with pytest.raises(InvalidInput, match="不是案件"):
        cs.request_another_mediator(hall, window_staff, c.id, bare.parties[0].id)
    # Nobody else: granted all the same, the case waits for a mediator.
    c2 = cs.request_another_mediator(hall, window_staff, c.id, c.parties[1].id, "认为调解员偏袒申请人")
    assert c2.mediator_id is None
    lin = add_mediator(hall, admin, "linjie", "林洁")
    with pytest.raises(Conflict, match="当事人已申请更换调解员周国平"):
        cs.assign_mediator(hall, admin, c.id, med.user_id)
    c3 = cs.assign_mediator(hall, admin, c.id, lin.user_id)
    assert c3.mediator_name == "林洁"
    # A second request: picked automatically among the mediators left.
    wu = add_mediator(hall, admin, "wuqiang", "吴强")
    c4 = cs.request_another_mediator(hall, window_staff, c.id, c.parties[0].id)
    assert c4.mediator_id == wu.user_id
    detail = cs.case_detail(hall, admin, c.id)
    assert [(m.mediator_name, m.requested_by_party) for m in detail.mediators] == [
        ("周国平", "东湖科技有限公司"), ("林洁", "张三"), ("吴强", "")]
    assert any("已准许" in t.text and "改由吴强调解" in t.text for t in detail.timeline)


# ------------------------------------------------------------------ search
@pytest.fixture
def many(hall, window_staff):
    """Five cases of 张三明 (the last one with 李四), one of 张淑."""
    out = []
    for i in range(5):
        out.append(wage_case(hall, window_staff, parties=[
            worker("张三明", id_number=ZHANG_ID, phone=ZHANG_PHONE),
            employer() if i < 4 else worker("李四", id_number=None, phone="0571-87654321", side="respondent")]))
    out.append(wage_case(hall, window_staff, parties=[worker("张淑", id_number=ZHOU_ID, phone="13900009999")]))
    return out


@pytest.mark.parametrize("query,matched_by,expected", [
    ("（2026）东人调字第3号", "number", [2]),
    ("(2026)东人调字第3号", "number", [2]),
    ("2026-3", "number", [2]),
    ("张三明", "name", [4, 3, 2, 1, 0]),
    ("张三", "name", [4, 3, 2, 1, 0]),
    ("张淑", "name", [5]),
    ("zsm", "pinyin", [4, 3, 2, 1, 0]),
    ("zs", "pinyin", [5, 4, 3, 2, 1, 0]),
    ("zhangshu", "pinyin", [5]),
    (ZHANG_ID, "id_number", [4, 3, 2, 1, 0]),
    (ZHANG_ID.lower(), "id_number", [4, 3, 2, 1, 0]),
    (ZHOU_ID[:14], "id_number", [5]),
    ("138 1234 5678", "phone", [4, 3, 2, 1, 0]),
    ("1390000", "phone", [5]),
    ("0571-87654321", "phone", [4]),
    ("东湖科技", "name", [3, 2, 1, 0]),
    ("dhkj", "pinyin", [3, 2, 1, 0]),
])
def test_search_by_each_key(hall, med, many, query, matched_by, expected):
    page = cs.search_cases(hall, med, query, limit=20)
    assert page.matched_by == matched_by
    assert [r.number for r in page.rows] == [many[i].number for i in expected]
    assert page.next_after is None


def test_search_pages_by_keyset_and_refuses_short_fragments(hall, med, many):
    seen = []
    after = None
    while True:
        page = cs.search_cases(hall, med, "张三明", limit=2, after=after)
        seen += [r.number for r in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [c.number for c in reversed(many[:5])]
    page = cs.search_cases(hall, med, "5678")
    assert page.rows == [] and "至少输入前7位" in page.note      # no leading-wildcard search
    assert cs.search_cases(hall, med, "三明").rows == []            # names match from the start
    row = cs.search_cases(hall, med, "zsm").rows[0]
    assert row.parties == "张三明 / 李四" and row.category_label == "劳动争议"
    with pytest.raises(PermissionDenied):
        cs.search_cases(hall, staff_actor(hall, "qiantai"), "张三")


def test_search_reads_indexes_only_on_sqlite(hall, med, many):
    """Every kind of search is an index read: it stays fast with a million cases."""
    if hall.backend != "sqlite":
        pytest.skip("query plans are SQLite's")
    captured = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "case_parties" in statement and "GROUP BY" in statement or "FROM cases" in statement:
            captured.append((statement, parameters))

    event.listen(hall.engine, "before_cursor_execute", grab)
    try:
        for query, after in [(q_, a_) for q_ in ("（2026）东人调字第3号", "2026-3", "张三明", "zsm", "zhangsanming",
                                                  ZHANG_ID, ZHANG_ID[:14], "13812345678", "1381234", "0571-87654321")
                             for a_ in (None, many[-1].id)]:
            captured.clear()
            cs.search_cases(hall, med, query, after=after)   # the next page must not walk the case index
            statement, params = captured[0]
            with hall.engine.connect() as conn:
                plan = " | ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                         params).fetchall())
            assert "INDEX" in plan and "ix_case_parties_case" not in plan, (query, plan)
            assert not any(step.startswith("SCAN") for step in plan.split(" | ")), (query, plan)
    finally:
        event.remove(hall.engine, "before_cursor_execute", grab)


# ------------------------------------------------------------------ detail
def test_case_detail_is_the_whole_file_and_serialises(hall, window_staff, med, director):
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.add_agent(hall, window_staff, c.parties[0].id, lawyer(id_number=ZHOU_ID))
    d = cs.case_detail(hall, med, c.id)
    assert d.case.parties[0].agents[0].id_number == ZHOU_ID
    assert [m.mediator_name for m in d.mediators] == ["周国平"]
    payload = json.dumps(d.to_json(), ensure_ascii=False)
    assert c.number in payload
    masked = cs.case_detail(hall, director, c.id)
    text_ = json.dumps(masked.to_json(), ensure_ascii=False)
    assert ZHANG_ID not in text_ and ZHOU_ID not in text_
    with pytest.raises(NotFound, match="没有编号为 999999"):
        cs.case_detail(hall, med, 999999)


def test_the_migration_matches_the_mapped_tables(hall):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import hall.store.case_models as cm
    from hall.store.schema import Base

    mine = {m.__tablename__ for m in vars(cm).values() if isinstance(m, type) and hasattr(m, "__tablename__")}
    with hall.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    ours = [d for d in diff if any(name in str(d) for name in mine)]
    assert ours == []


def test_amounts_are_exact_on_both_backends(hall, window_staff, med):
    """Money is NUMERIC on PostgreSQL and integer fen on SQLite: no float ever."""
    from decimal import Decimal

    from sqlalchemy import func

    from hall.services import mediation as md
    from hall.store.case_models import AgreementTerm

    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    cs.start_mediation(hall, med, c.id)
    a = md.draft_agreement(hall, med, c.id)
    for amount in ("0.10", "0.20", "999999999999.99"):
        md.add_term(hall, med, a.id, "支付", amount=amount)
    with hall.read() as s:
        total = s.execute(select(func.sum(AgreementTerm.amount))).scalar_one()
        raw = s.execute(text("select amount from agreement_terms order by id")).scalars().all()
    assert total == Decimal("1000000000000.29")
    if hall.backend == "sqlite":
        assert raw == [10, 20, 99999999999999]


def test_case_show_on_the_command_line(hall, window_staff, capsys):
    from hall.cli import main

    c = wage_case(hall, window_staff)
    assert main(["--db", hall.url, "--json", "case", "show", c.number]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["case"]["number"] == c.number and len(out["case"]["parties"]) == 2
    assert main(["--db", hall.url, "case", "show", "（2026）东人调字第99号"]) == 1
    assert "没有案号" in capsys.readouterr().err
