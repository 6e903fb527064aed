"""The one name rule (hall.domain.names) wherever a person's name is typed
outside the front desk — arbitration (applicant, respondent, agents,
representatives), petitions (petitioners, representatives) and mediation
(parties' representatives, agents, session participants) — on both backends:
the same Chinese message as at the front desk, nothing stored on refusal, and a
CJK Extension B name accepted."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hall.domain.names import check_person_name
from hall.services import InvalidInput, queue
from hall.services import arbitration as arb
from hall.services import cases as cs
from hall.services import mediation as md
from hall.services import petitions as pet
from hall.store.arbitration_models import ArbitrationCase, Petition
from hall.store.case_models import Case, SessionParticipant
from tests.conftest import staff_actor

from .case_workers import employer, lawyer, wage_case, worker

EXT_B = "𠮷野家明"            # U+20BB7 and three BMP characters
BAD = [
    pytest.param("张\x00三", "控制字符", id="nul"),
    pytest.param("张三\u202e明", "文字方向", id="rlo"),
    pytest.param("张" * 65, "最多 64 个字", id="65-chars"),
]

APPLICATION = dict(
    worker_name="张伟", worker_id_number="11010519491231002X", worker_address="东湖区人民路1号",
    worker_phone="13812345678", employer_name="东湖机械厂", employer_address="东湖区工业路2号",
    employer_legal_rep="王强", employer_legal_rep_title="厂长",
    claims=[{"kind": "remuneration", "description": "支付2026年9月至10月工资", "amount": "12000"}],
    facts_reasons="申请人在被申请人处任焊工，被申请人拖欠两个月工资。",
    evidence=[{"name": "工资条", "source": "申请人保存"}],
)
PETITION = {"channel": "written", "via": "letter",
            "petitioners": [{"name": "刘芳", "address": "东湖区幸福里3号", "phone": "13812345678"}],
            "matter": "城建", "request": "要求停止夜间施工", "facts": "小区旁工地夜间施工", "reasons": "影响休息"}


def _front_desk_message(bad: str) -> str:
    """What the front desk says about ``bad`` (its field is called 姓名)."""
    msg = check_person_name(bad).message
    assert msg.startswith("姓名")
    return msg[len("姓名"):]


def _count(db, model) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def arbitration_clerk(hall):
    return staff_actor(hall, "shuji", "arbitration-office")


@pytest.fixture
def petition_clerk(hall):
    return staff_actor(hall, "chuangkou2", "window-2")


@pytest.fixture
def med(hall):
    return staff_actor(hall, "tiaojie", "room-1")


def test_the_front_desk_refuses_these_names_with_the_same_words(hall, front_desk):
    for p in BAD:
        bad, fragment = p.values
        with pytest.raises(InvalidInput) as err:
            queue.issue_ticket(hall, front_desk, "labour", name=bad)
        assert str(err.value) == "姓名" + _front_desk_message(bad) and fragment in str(err.value)


# ------------------------------------------------------------------ arbitration
@pytest.mark.parametrize("bad, fragment", BAD)
@pytest.mark.parametrize("field, what", [
    ("worker_name", "劳动者姓名"),
    ("employer_legal_rep", "法定代表人（主要负责人）姓名"),
    ("agents", "代理人姓名"),
    ("other_parties", "其他当事人姓名"),
])
def test_arbitration_refuses_a_bad_name_of_any_party_or_agent(hall, arbitration_clerk, field, what, bad, fragment):
    if field == "agents":
        app = dict(APPLICATION, agents=[{"side": "applicant", "name": bad, "work_unit": "某律师事务所"}])
    elif field == "other_parties":
        app = dict(APPLICATION, other_parties=[{"side": "respondent", "name": bad, "kind": "person"}])
    else:
        app = dict(APPLICATION, **{field: bad})
    with pytest.raises(InvalidInput) as err:
        arb.receive_application(hall, arbitration_clerk, app)
    assert str(err.value) == what + _front_desk_message(bad)
    assert fragment in str(err.value)
    assert _count(hall, ArbitrationCase) == 0


def test_arbitration_refuses_a_respondent_applicant_and_a_bad_employer(hall, arbitration_clerk):
    # the employer applies: the worker is the respondent, the same rule holds
    with pytest.raises(InvalidInput, match="劳动者姓名含有看不见的文字方向"):
        arb.receive_application(hall, arbitration_clerk, dict(APPLICATION, worker_name="李\u202e四"),
                                applicant_side="employer")
    with pytest.raises(InvalidInput, match="用人单位名称含有控制字符"):
        arb.receive_application(hall, arbitration_clerk, dict(APPLICATION, employer_name="东湖\x07机械厂"))
    assert _count(hall, ArbitrationCase) == 0


def test_arbitration_accepts_an_extension_b_name_and_stores_it_cleaned(hall, arbitration_clerk):
    r = arb.receive_application(hall, arbitration_clerk, dict(
        APPLICATION, worker_name=f"  {EXT_B} ", employer_legal_rep=EXT_B,
        agents=[{"side": "applicant", "name": EXT_B + "律师", "work_unit": "某律师事务所"}]))
    assert r.applicant == EXT_B
    d = arb.arbitration_detail(hall, arbitration_clerk, r.case_id)
    assert d.agents[0]["name"] == EXT_B + "律师"
    with hall.read() as s:
        c = s.get(ArbitrationCase, r.case_id)
        assert (c.worker_name, c.employer_legal_rep) == (EXT_B, EXT_B)
    with pytest.raises(InvalidInput, match="签收人含有看不见的文字方向"):
        arb.record_service(hall, arbitration_clerk, r.case_id, document_kind="receipt", recipient_side="applicant",
                           signed_by="张\u202e伟")


# ------------------------------------------------------------------ petitions
@pytest.mark.parametrize("bad, fragment", BAD)
@pytest.mark.parametrize("key, what", [("petitioners", "信访人姓名"), ("representatives", "代表姓名")])
def test_petitions_refuse_a_bad_petitioner_or_representative(hall, petition_clerk, key, what, bad, fragment):
    data = dict(PETITION)
    if key == "representatives":
        data.update(via="visit", group_size=3, representatives=[{"name": bad, "address": "东湖区幸福里3号"}])
    else:
        data["petitioners"] = [{"name": bad, "address": "东湖区幸福里3号"}]
    with pytest.raises(InvalidInput) as err:
        pet.register_petition(hall, petition_clerk, data)
    assert str(err.value) == what + _front_desk_message(bad)
    assert fragment in str(err.value)
    assert _count(hall, Petition) == 0


def test_petitions_accept_an_extension_b_name(hall, petition_clerk):
    p = pet.register_petition(hall, petition_clerk, dict(
        PETITION, via="visit", group_size=6,
        petitioners=[{"name": EXT_B, "address": "东湖区幸福里3号"}, {"name": "刘芳", "address": "东湖区幸福里4号"}],
        representatives=[{"name": EXT_B, "address": "东湖区幸福里3号"}]))
    assert [x["name"] for x in p.petitioners] == [EXT_B, "刘芳"]
    assert [x["name"] for x in p.representatives] == [EXT_B]
    with pytest.raises(InvalidInput, match="第2名信访人姓名含有控制字符"):
        pet.register_petition(hall, petition_clerk, dict(PETITION, petitioners=[
            {"name": "刘芳", "address": "东湖区幸福里3号"}, {"name": "王\x00五", "address": "东湖区幸福里4号"}]))


# ------------------------------------------------------------------ mediation
@pytest.mark.parametrize("bad, fragment", BAD)
def test_mediation_refuses_a_bad_name_of_a_party_agent_representative_or_participant(hall, window_staff, med,
                                                                                        bad, fragment):
    before = _count(hall, Case)
    with pytest.raises(InvalidInput) as err:
        wage_case(hall, window_staff, parties=[worker(), employer(legal_rep=bad)])
    assert _front_desk_message(bad) in str(err.value) and "法定代表人" in str(err.value)
    with pytest.raises(InvalidInput) as err:
        wage_case(hall, window_staff, parties=[worker(agents=(lawyer(bad),)), employer()])
    assert "代理人姓名" + _front_desk_message(bad) in str(err.value)
    assert _count(hall, Case) == before

    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    cs.start_mediation(hall, med, c.id)
    party = cs.get_case(hall, med, c.id).parties[0]
    with pytest.raises(InvalidInput) as err:
        cs.add_agent(hall, window_staff, party.id, lawyer(bad))
    assert _front_desk_message(bad) in str(err.value)
    s = md.open_session(hall, med, c.id, room="r_labour")
    joined = _count(hall, SessionParticipant)
    with pytest.raises(InvalidInput) as err:
        md.add_participant(hall, med, s.id, role="other", name=bad)
    assert str(err.value) == "参与人姓名" + _front_desk_message(bad)
    with pytest.raises(InvalidInput) as err:
        md.add_participant(hall, med, s.id, role="party", party_id=party.id, name=bad)
    assert fragment in str(err.value)
    assert _count(hall, SessionParticipant) == joined


def test_mediation_accepts_an_extension_b_name(hall, window_staff, med):
    c = wage_case(hall, window_staff, mediator_id=med.user_id,
                  parties=[worker(EXT_B, agents=(lawyer(EXT_B + "律师"),)), employer(legal_rep=EXT_B)])
    v = cs.get_case(hall, med, c.id)
    assert v.parties[0].name == EXT_B and v.parties[0].agents[0].name == EXT_B + "律师"
    assert v.parties[1].legal_rep == EXT_B
    cs.accept_case(hall, med, c.id)
    cs.start_mediation(hall, med, c.id)
    s = md.open_session(hall, med, c.id, room="r_labour")
    joined = md.add_participant(hall, med, s.id, role="other", name=EXT_B, consent=True)
    assert joined.name == EXT_B
