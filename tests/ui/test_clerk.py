"""The arbitration clerk's desk: the deadlines board, the case register with its
documents and hearings, and the petitions window's clocks, on the demo hall."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.services import arbitration as arb
from hall.services import deadlines as dl
from hall.services import documents as docs
from hall.services import petitions as pet
from tests.conftest import staff_actor
from tests.service.test_arbitration import APPLICATION, THREE
from tests.service.test_petitions import PETITION

pytestmark = pytest.mark.usefixtures("messages")

D = dt.date
TODAY = D(2026, 11, 23)   # the frozen clock: Monday 2026-11-23 09:00


@pytest.fixture
def clerk(ui_hall):
    return staff_actor(ui_hall, "shuji", "arbitration-office")


def at(clock, day: dt.date, hh: int = 9) -> None:
    clock.set_local(dt.datetime(day.year, day.month, day.day, hh, 0))


def receive(db, clerk, clock, day: dt.date, worker: str, employer: str) -> int:
    at(clock, day)
    r = arb.receive_application(db, clerk, dict(APPLICATION, worker_name=worker, employer_name=employer,
                                                worker_employer=employer))
    return r.case_id


@pytest.fixture
def four_cases(ui_hall, clerk, clock):
    """Four applications whose 5-day acceptance periods fall overdue, today, this week, next week."""
    ids = {
        "overdue": receive(ui_hall, clerk, clock, D(2026, 11, 9), "张伟", "东湖机械厂"),    # due 11-16
        "today": receive(ui_hall, clerk, clock, D(2026, 11, 16), "李娜", "城东物业公司"),   # 11-21 Sat → 11-23
        "week": receive(ui_hall, clerk, clock, D(2026, 11, 20), "王磊", "新华超市"),        # due 11-25
        "later": receive(ui_hall, clerk, clock, TODAY, "赵敏", "远大物流"),                # 11-28 Sat → 11-30
    }
    at(clock, TODAY)
    return ids


@pytest.fixture
def ready_case(ui_hall, clerk, clock):
    """Accepted, served and with its tribunal today: a hearing may be scheduled."""
    at(clock, TODAY)
    r = arb.receive_application(ui_hall, clerk, APPLICATION)
    arb.accept(ui_hall, clerk, r.case_id)
    arb.serve_respondent(ui_hall, clerk, r.case_id)
    arb.form_tribunal(ui_hall, clerk, r.case_id, THREE)
    return arb.arbitration_detail(ui_hall, clerk, r.case_id)


@pytest.fixture
def make_clerk_desk(make_ctx, qtbot):
    from ui.arbitration.workspace import ClerkWorkspace

    made = []

    def make():
        ctx = make_ctx("shuji")
        ws = ClerkWorkspace(ctx)
        qtbot.addWidget(ws)
        ws.resize(1400, 820)
        ws.show()
        qtbot.waitExposed(ws)
        made.append(ws)
        qtbot.waitUntil(lambda: not ws.board.model.fetching)
        return ws

    yield make
    for ws in made:
        ws.shutdown()


def board_numbers(ws) -> set[str]:
    return {r.case_number for r in ws.board.model.rows}


def show_filter(qtbot, ws, when: str) -> None:
    ws.board.filter_buttons[when].click()
    qtbot.waitUntil(lambda: ws.board.model.when == when and not ws.board.model.fetching)


def receipt(db, clerk, case_id: int) -> str:
    return arb.arbitration_detail(db, clerk, case_id).receipt_number


# ------------------------------------------------------------------ the board
def test_the_board_filters_today_this_week_overdue_and_all_open(qtbot, ui_hall, clerk, four_cases,
                                                               make_clerk_desk):
    ws = make_clerk_desk()
    number = {k: receipt(ui_hall, clerk, cid) for k, cid in four_cases.items()}
    assert board_numbers(ws) == {number["today"]}            # the board opens on 今日到期
    assert ws.board.model.rows[0].state_label == "今日到期"
    show_filter(qtbot, ws, "week")
    assert board_numbers(ws) == {number["today"], number["week"]}
    show_filter(qtbot, ws, "overdue")
    assert board_numbers(ws) == {number["overdue"]}
    assert ws.board.model.rows[0].days_left == -7
    show_filter(qtbot, ws, "open")
    assert board_numbers(ws) == set(number.values())
    dues = [r.due_date for r in ws.board.model.rows]
    assert dues == sorted(dues) and dues[0] == D(2026, 11, 16) and dues[-1] == D(2026, 11, 30)
    model = ws.board.model
    assert model.index(0, 1).data() == "逾期7天" and model.index(0, 2).data() == "已逾期"


def test_selecting_a_period_explains_its_date_with_the_article(qtbot, ui_hall, clerk, four_cases,
                                                              make_clerk_desk):
    ws = make_clerk_desk()
    show_filter(qtbot, ws, "overdue")
    ws.board.table.selectRow(0)
    board = ws.board
    qtbot.waitUntil(lambda: board.detail is not None and board.detail.explanation != "")
    assert board.d_title.text() == "仲裁申请受理决定"
    assert "劳动争议调解仲裁法" in board.d_basis.text() and "第二十九条" in board.d_basis.text()
    text = board.d_explanation.text()
    assert "2026年11月14日" in text and "2026年11月16日" in text      # Saturday rolled to Monday
    assert board.met_button.isEnabled()
    assert not board.extend_button.isEnabled()       # the acceptance period cannot be extended


def test_a_date_beyond_the_holiday_data_says_how_it_was_reckoned(qtbot, ready_case, make_clerk_desk):
    ws = make_clerk_desk()
    show_filter(qtbot, ws, "open")
    board = ws.board
    row = next(i for i, r in enumerate(board.model.rows) if r.rule_code == "labour.award")
    board.table.selectRow(row)
    qtbot.waitUntil(lambda: board.detail is not None and board.detail.explanation != "")
    assert board.d_title.text() == "仲裁审理期限（结案）"
    assert "第四十三条第一款" in board.d_basis.text()
    assert board.d_coverage.isVisible() and board.d_coverage.text() == "节假日数据未覆盖2027年，按周末及《全国年节及纪念日放假办法》第二条的固定日期节日推算（估算）"
    assert board.extend_button.isEnabled()        # +15 days once, with the director's approval


def test_marking_a_period_met_takes_it_off_the_open_board(qtbot, ui_hall, clerk, four_cases, make_clerk_desk,
                                                          messages):
    ws = make_clerk_desk()
    show_filter(qtbot, ws, "open")
    board = ws.board
    board.table.selectRow(0)
    target = board.selected
    assert target is not None and target.state == "overdue"
    board.met_button.click()
    qtbot.waitUntil(lambda: not board.model.fetching and all(r.id != target.id for r in board.model.rows)
                    and len(board.model.rows) == 3)
    assert all(d.id != target.id for d in dl.list_deadlines(ui_hall, when="open"))
    met = [d for d in dl.list_deadlines(ui_hall, when="all") if d.id == target.id][0]
    assert met.met_on == TODAY and met.state == "met_late"
    assert ws.strip.text() == "已记录完成，该期限移出未完成清单。" and messages == []


def test_another_workstation_s_new_case_shows_on_the_board(qtbot, ui_hall, clerk, clock, make_clerk_desk):
    ws = make_clerk_desk()
    ws.ctx.feed.start()
    at(clock, D(2026, 11, 16))
    other = staff_actor(ui_hall, "shuji", "arbitration-window-2")
    r = arb.receive_application(ui_hall, other, dict(APPLICATION, worker_name="孙强"))
    at(clock, TODAY)
    qtbot.waitUntil(lambda: r.receipt_number in board_numbers(ws), timeout=5000)


def test_the_board_fetches_further_pages_as_it_scrolls(qtbot, ui_hall, clerk, clock, qtmodeltester):
    from ui.arbitration.board import DeadlineBoardModel, board_fetch

    for day in range(9, 16):
        receive(ui_hall, clerk, clock, D(2026, 11, day), f"工人{day}", f"公司{day}")
    at(clock, TODAY)
    model = DeadlineBoardModel(board_fetch(ui_hall), page=3, keep=lambda d: d.subject_type == "arbitration")
    model.reload("open", synchronous=True)
    assert model.rowCount() == 3 and model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 6)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 7 and not model.fetching)
    assert not model.canFetchMore()
    qtmodeltester.check(model)


# ------------------------------------------------------------------ the register
def open_case(qtbot, ws, number: str):
    ws.open_case(number)
    qtbot.waitUntil(lambda: ws.case_view.detail is not None and number in (
        ws.case_view.detail.number, ws.case_view.detail.receipt_number))
    return ws.case_view


def test_the_register_finds_a_case_by_name_and_shows_it(qtbot, ui_hall, clerk, four_cases, make_clerk_desk):
    ws = make_clerk_desk()
    reg = ws.register
    reg.search_edit.setText("新华")
    reg.search()
    qtbot.waitUntil(lambda: reg.cases_model.rowCount() == 1)
    assert reg.cases_model.rows[0].employer_name == "新华超市"
    reg.cases_view.selectRow(0)
    qtbot.waitUntil(lambda: ws.case_view.detail is not None)
    view = ws.case_view
    assert view.title_label.text() == "申请人 王磊　诉　被申请人 新华超市"
    assert "支付2026年9月至10月工资" in view.summary.toPlainText()
    assert [d.rule_code for d in view.deadlines_model.rows] == ["labour.acceptance"]


def test_generating_a_document_previews_it_and_registers_it(qtbot, ui_hall, clerk, ready_case, make_clerk_desk):
    ws = make_clerk_desk()
    view = open_case(qtbot, ws, ready_case.number)
    kinds = [view.kind_list.item(i).data(0x0100) for i in range(view.kind_list.count())]
    assert "arbitration_acceptance" in kinds and "arbitration_hearing_notice" in kinds
    view.kind_list.setCurrentRow(kinds.index("arbitration_acceptance"))
    view.generate_button.click()
    qtbot.waitUntil(lambda: view.preview.page_count >= 1 and view.docs_model.rowCount() == 1)
    registered = docs.list_documents(ui_hall, clerk, subject_type="arbitration", subject_id=ready_case.id)
    assert len(registered) == 1 and registered[0].id == view.current_doc_id
    assert registered[0].sha256 and view.preview.data.startswith(b"%PDF-")
    assert "受理通知书" in view.preview_title.text() and view.print_button.isEnabled()


def test_printing_a_document_is_logged(qtbot, ui_hall, clerk, ready_case, make_clerk_desk, tmp_path):
    from ui.qt import QPrinter

    ws = make_clerk_desk()
    view = open_case(qtbot, ws, ready_case.number)
    kinds = [view.kind_list.item(i).data(0x0100) for i in range(view.kind_list.count())]
    view.kind_list.setCurrentRow(kinds.index("arbitration_response_notice"))
    view.generate()
    qtbot.waitUntil(lambda: view.preview.page_count >= 1 and view.current_doc_id is not None)
    out = tmp_path / "printed.pdf"

    def to_file(parent, name):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer
    view.printer.choose_printer = to_file
    ws.print_document()                                   # what Ctrl+P does
    doc_id = view.current_doc_id
    qtbot.waitUntil(lambda: docs.prints_of(ui_hall, clerk, doc_id) != [])
    assert out.read_bytes().startswith(b"%PDF-")
    assert docs.prints_of(ui_hall, clerk, doc_id)[0].printer == str(out)


def test_a_hearing_three_days_ahead_is_refused_inline(qtbot, ui_hall, clerk, ready_case, make_clerk_desk,
                                                      messages):
    from ui.qt import QDate, QDateTime, QTime

    ws = make_clerk_desk()
    view = open_case(qtbot, ws, ready_case.number)
    view.tabs.setCurrentIndex(1)
    view.hearing_start.setDateTime(QDateTime(QDate(2026, 11, 26), QTime(9, 30)))
    view.schedule_button.click()
    qtbot.waitUntil(lambda: view.schedule_error.isVisible())
    assert "开庭通知送达过晚，不能安排开庭" in view.schedule_error.text()
    assert "五日" in view.schedule_error.text()
    assert messages == [] and arb.arbitration_detail(ui_hall, clerk, ready_case.id).hearings == []

    view.hearing_start.setDateTime(QDateTime(QDate(2026, 12, 8), QTime(9, 30)))
    view.schedule_button.click()
    qtbot.waitUntil(lambda: view.hearings_model.rowCount() == 1)
    assert not view.schedule_error.isVisible()
    assert "已安排开庭" in view.strip.text()


def test_a_service_receipt_starts_the_defence_period(qtbot, ui_hall, clerk, clock, make_clerk_desk):
    at(clock, TODAY)
    r = arb.receive_application(ui_hall, clerk, APPLICATION)
    number = arb.accept(ui_hall, clerk, r.case_id).number
    ws = make_clerk_desk()
    view = open_case(qtbot, ws, number)
    view.tabs.setCurrentIndex(2)
    view.svc_kind.setCurrentIndex(view.svc_kind.findData("response_notice"))
    assert view.svc_side.currentData() == "respondent"
    view.svc_signed.setText("王强")
    view.svc_button.click()
    qtbot.waitUntil(lambda: view.services_model.rowCount() == 1)
    assert "答辩期自2026年11月23日" in view.svc_result.text()
    qtbot.waitUntil(lambda: "labour.defence" in {d.rule_code for d in view.deadlines_model.rows})
    assert view.services_model.rows[0].signed_by == "王强"


def test_a_day_s_hearing_notices_make_one_preview(qtbot, ui_hall, clerk, ready_case, make_clerk_desk):
    from ui.qt import QDate

    arb.schedule_hearing(ui_hall, clerk, ready_case.id, dt.datetime(2026, 12, 8, 9, 30))
    ws = make_clerk_desk()
    reg = ws.register
    ws.tabs.setCurrentWidget(reg)
    reg.batch_day.setDate(QDate(2026, 12, 8))
    reg.batch_button.click()
    qtbot.waitUntil(lambda: ws.case_view.preview.page_count == 2)      # to the applicant and the respondent
    assert "2026-12-08开庭通知" in ws.case_view.preview_title.text()
    reg.batch_day.setDate(QDate(2026, 12, 9))
    reg.batch_button.click()
    qtbot.waitUntil(lambda: ws.strip.property("kind") == "error")
    assert "没有安排开庭" in ws.strip.text()


def test_every_model_of_the_desk_passes_the_model_tester(qtbot, ui_hall, clerk, ready_case, four_cases,
                                                         make_clerk_desk, qtmodeltester):
    ws = make_clerk_desk()
    show_filter(qtbot, ws, "open")
    view = open_case(qtbot, ws, ready_case.number)
    qtbot.waitUntil(lambda: view.deadlines_model.rowCount() > 0)
    for model in (ws.board.model, ws.register.cases_model, view.hearings_model, view.services_model,
                  view.deadlines_model, view.docs_model):
        qtmodeltester.check(model)


def test_the_desk_keys(make_clerk_desk):
    ws = make_clerk_desk()
    assert {sc.key().toString() for sc in ws.shortcuts} == {"Ctrl+F", "F5", "Ctrl+P"}
    ws.focus_search()
    assert ws.tabs.currentWidget() is ws.register


# ------------------------------------------------------------------ petitions
def test_the_petition_panel_lists_a_petition_s_clocks(qtbot, ui_hall, clock, make_ctx, qtmodeltester):
    from ui.petitions.clocks import PetitionClockPanel

    window = staff_actor(ui_hall, "chuangkou2", "window-2")
    at(clock, D(2026, 11, 2))
    p = pet.register_petition(ui_hall, window, PETITION)
    pet.decide_acceptance(ui_hall, window, p.id, "accept")
    at(clock, TODAY)
    ctx = make_ctx("chuangkou2")
    panel = PetitionClockPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1100, 400)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    row_p, d = panel.model.rows[0]
    assert row_p.number == p.number and d.rule_code == "petition.handling"
    assert d.due_date == D(2027, 1, 4)          # 60 days from 11-02 = 1 Jan (元旦, a fixed date) → Mon
    assert "信访工作条例" in panel.model.index(0, 7).data()
    panel.all_box.setChecked(True)              # the 15-day notice, already met, shows too
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert {d.rule_code for _, d in panel.model.rows} == {"petition.notify_direct", "petition.handling"}
    handling = next(i for i, (_, d) in enumerate(panel.model.rows) if d.rule_code == "petition.handling")
    panel.table.selectRow(handling)
    assert panel.explanation.isVisible() and "第三十四条" in panel.explanation.text()
    assert "节假日数据未覆盖2027年，按周末及《全国年节及纪念日放假办法》第二条的固定日期节日推算（估算）" in panel.explanation.text()
    qtmodeltester.check(panel.model)


# ------------------------------------------------------------------ the case's inline forms
def actions_of(qtbot, ws, number: str):
    view = open_case(qtbot, ws, number)
    view.tabs.setCurrentWidget(view.case_actions)
    return view, view.case_actions


def award_row(detail):
    return next(d for d in detail.deadlines if d.rule_code == "labour.award")


def test_a_new_application_lists_what_is_missing_at_once(qtbot, ui_hall, clerk, make_clerk_desk, messages):
    ws = make_clerk_desk()
    reg = ws.register
    ws.tabs.setCurrentWidget(reg)
    reg.new_button.click()
    form = reg.receive_form
    assert form.isVisible()
    form.worker_name.setText("周芳")
    form.employer_name.setText("南山食品厂")
    kind, desc, amount = form.claims.rows[0]
    desc.setText("支付2026年10月工资")
    amount.setText("5000")
    form.receive_button.click()
    qtbot.waitUntil(lambda: form.missing.isVisible())
    rows = arb.arbitration_register(ui_hall, clerk, "周芳")
    assert len(rows) == 1 and rows[0].employer_name == "南山食品厂"
    detail = arb.arbitration_detail(ui_hall, clerk, rows[0].id)
    assert detail.missing_items and detail.claims[0]["amount"] in ("5000", "5000.00")
    assert all(m in form.missing.text() for m in detail.missing_items)
    assert rows[0].receipt_number in form.result.text()
    qtbot.waitUntil(lambda: ws.case_view.detail is not None and ws.case_view.detail.id == rows[0].id)
    assert messages == []


def test_accepting_an_application_gives_it_a_number_and_its_clocks(qtbot, ui_hall, clerk, make_clerk_desk):
    r = arb.receive_application(ui_hall, clerk, APPLICATION)
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, r.receipt_number)
    assert acts.accept_button.isEnabled() and acts.refuse_button.isEnabled()
    acts.accept_button.click()
    qtbot.waitUntil(lambda: view.detail.number != "")
    d = arb.arbitration_detail(ui_hall, clerk, r.case_id)
    assert d.accepted_on == TODAY and d.number == view.detail.number
    assert "labour.award" in {x.rule_code for x in d.deadlines}
    assert "已受理" in view.strip.text() and not acts.accept_button.isEnabled()


def test_refusing_needs_reasons_and_records_them(qtbot, ui_hall, clerk, make_clerk_desk, messages):
    r = arb.receive_application(ui_hall, clerk, APPLICATION)
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, r.receipt_number)
    acts.refuse_button.click()
    qtbot.waitUntil(lambda: acts.decide_error.isVisible())
    assert "不予受理应当说明理由" in acts.decide_error.text() and messages == []
    acts.refuse_reasons.setText("申请人与被申请人之间不存在劳动关系")
    acts.refuse_button.click()
    qtbot.waitUntil(lambda: view.detail.refused_on is not None)
    d = arb.arbitration_detail(ui_hall, clerk, r.case_id)
    assert d.refused_on == TODAY and d.refusal_reasons == "申请人与被申请人之间不存在劳动关系"
    assert not acts.decide_error.isVisible()


def test_a_late_postponement_request_is_refused_inline(qtbot, ui_hall, clerk, clock, ready_case,
                                                        make_clerk_desk, messages):
    from ui.qt import QDate

    h = arb.schedule_hearing(ui_hall, clerk, ready_case.id, dt.datetime(2026, 12, 8, 9, 30))
    at(clock, D(2026, 12, 6))                            # two days before the hearing
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, ready_case.number)
    assert acts.pp_hearing.currentData() == h.id and acts.pp_date.date() == QDate(2026, 12, 6)
    acts.pp_by.setCurrentIndex(acts.pp_by.findData("respondent"))
    acts.pp_reason.setText("被申请人代理人另有开庭")
    acts.pp_button.click()
    qtbot.waitUntil(lambda: acts.pp_error.isVisible())
    assert "延期开庭请求提出过晚" in acts.pp_error.text() and messages == []
    assert arb.arbitration_detail(ui_hall, clerk, ready_case.id).hearings[0].state == "scheduled"
    acts.pp_by.setCurrentIndex(acts.pp_by.findData("tribunal"))     # of the tribunal's own motion
    acts.pp_button.click()
    qtbot.waitUntil(lambda: view.hearings_model.rowCount() == 1 and view.hearings_model.rows[0].state == "postponed")
    hv = arb.arbitration_detail(ui_hall, clerk, ready_case.id).hearings[0]
    assert hv.state == "postponed" and hv.postponement["requested_by"] == "tribunal"
    assert not acts.pp_error.isVisible() and acts.pp_hearing.count() == 0


def test_the_hearing_record_and_an_award_with_its_classification(qtbot, ui_hall, clerk, clock, ready_case,
                                                                 make_clerk_desk, messages):
    h = arb.schedule_hearing(ui_hall, clerk, ready_case.id, dt.datetime(2026, 12, 8, 9, 30))
    at(clock, D(2026, 12, 8), 12)
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, ready_case.number)
    acts.rec_button.click()
    qtbot.waitUntil(lambda: acts.rec_error.isVisible())
    assert "笔录" in acts.rec_error.text()
    acts.rec_text.setPlainText("双方到庭，经质证、辩论，征询最后意见。")
    acts.rec_button.click()
    qtbot.waitUntil(lambda: view.hearings_model.rowCount() == 1 and view.hearings_model.rows[0].state == "held")
    held = arb.arbitration_detail(ui_hall, clerk, ready_case.id).hearings[0]
    assert held.id == h.id and held.record_text == "双方到庭，经质证、辩论，征询最后意见。"

    acts.award_result.setText("被申请人支付申请人工资12000元。")
    acts.award_reasons.setPlainText("拖欠工资事实清楚。")
    assert len(acts.award_rows) == 1
    acts.award_rows[0][0].setText("12000")
    acts.award_rows[0][1].setText("支持")
    qtbot.waitUntil(lambda: "争议事实（经审理查明）" in acts.award_missing.text())   # the preview says what is missing
    assert "将制作：仲裁裁决书" in acts.award_missing.text() and "第五十三条" in acts.award_costs.text()
    acts.award_button.click()
    qtbot.waitUntil(lambda: acts.close_error.isVisible())
    assert "裁决书缺少：争议事实（经审理查明）" in acts.close_error.text()
    acts.award_facts.setPlainText("申请人2026年9月至10月工资12000元未获支付。")
    qtbot.waitUntil(lambda: "尚缺" not in acts.award_missing.text())
    acts.award_button.click()
    qtbot.waitUntil(lambda: view.detail.outcome == "award")
    d = arb.arbitration_detail(ui_hall, clerk, ready_case.id)
    assert d.classification["label"] == "终局裁决" and d.claims[0]["result"] == "支持"
    assert award_row(d).met_on == D(2026, 12, 8)
    assert "终局裁决" in acts.classification.text() and "第四十七条" in acts.classification.text()
    assert "已作出裁决：终局裁决" in view.strip.text() and messages == []


def test_changing_the_claims_restarts_the_award_period(qtbot, ui_hall, clerk, clock, ready_case, make_clerk_desk):
    before = award_row(ready_case).due_date
    at(clock, D(2026, 11, 30))
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, ready_case.number)
    kind, desc, amount = acts.new_claims.rows[1]
    kind.setCurrentIndex(kind.findData("compensation"))
    desc.setText("支付解除劳动合同经济补偿")
    amount.setText("8000")
    acts.claims_button.click()
    qtbot.waitUntil(lambda: acts.claims_result.text() != "")
    d = arb.arbitration_detail(ui_hall, clerk, ready_case.id)
    after = award_row(d).due_date
    assert after > before and len(d.claims) == 2 and d.claims[1]["description"] == "支付解除劳动合同经济补偿"
    assert after == D(2027, 1, 14)                       # 45 days from the change on 11-30
    assert cn_day_of(after) in acts.claims_result.text()


def cn_day_of(day: dt.date) -> str:
    from ui.common.deadlines import cn_day

    return cn_day(day)


def test_the_award_period_is_extended_once(qtbot, ui_hall, clerk, ready_case, make_clerk_desk, messages):
    before = award_row(ready_case).due_date
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, ready_case.number)
    acts.ext_reason.setText("案情复杂需要延期")
    acts.ext_button.click()
    qtbot.waitUntil(lambda: acts.ext_error.isVisible())
    assert "主任批准" in acts.ext_error.text()
    acts.ext_by.setText("仲裁委主任李明")
    acts.ext_button.click()
    qtbot.waitUntil(lambda: acts.ext_result.text() != "")
    d = arb.arbitration_detail(ui_hall, clerk, ready_case.id)
    assert award_row(d).due_date > before and d.award_extension["approved_by"] == "仲裁委主任李明"
    assert cn_day_of(award_row(d).due_date) in acts.ext_result.text()
    acts.ext_button.click()
    qtbot.waitUntil(lambda: acts.ext_error.isVisible())
    assert "已延长过" in acts.ext_error.text() and messages == []
    assert award_row(arb.arbitration_detail(ui_hall, clerk, ready_case.id)).due_date == award_row(d).due_date


def test_closing_by_a_mediation_statement(qtbot, ui_hall, clerk, ready_case, make_clerk_desk):
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, ready_case.number)
    acts.med_terms.setPlainText("被申请人于2026年12月10日前支付申请人工资10000元。")
    acts.med_button.click()
    qtbot.waitUntil(lambda: view.detail.outcome == "mediation_statement")
    d = arb.arbitration_detail(ui_hall, clerk, ready_case.id)
    assert d.outcome_text.startswith("被申请人于2026年12月10日前") and award_row(d).met_on == TODAY
    assert "仲裁调解书" in view.strip.text()


def test_withdrawing_stops_the_clocks(qtbot, ui_hall, clerk, ready_case, make_clerk_desk):
    ws = make_clerk_desk()
    view, acts = actions_of(qtbot, ws, ready_case.number)
    acts.wd_reason.setText("双方已自行和解")
    acts.wd_button.click()
    qtbot.waitUntil(lambda: view.detail.outcome == "withdrawn")
    d = arb.arbitration_detail(ui_hall, clerk, ready_case.id)
    assert d.outcome_reasons == "双方已自行和解"
    assert all(x.rule_code != "labour.award" for x in dl.list_deadlines(ui_hall, when="open")
               if x.subject_id == ready_case.id and x.subject_type == "arbitration")
    acts.wd_button.click()                               # a closed case cannot be withdrawn again
    qtbot.waitUntil(lambda: acts.close_error.isVisible())
