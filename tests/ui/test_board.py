"""The call board on the wall, and its voice."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hall.domain.speech import announcement_text
from hall.services import queue as q
from tests.conftest import staff_actor
from ui.board.announcer import Speech

ROOT = Path(__file__).resolve().parents[2]


class FakeSpeech(Speech):
    """A voice that takes ``tick_ms`` per sentence and notices being interrupted."""

    def __init__(self, *, available: bool = True, tick_ms: int = 20, reason: str = ""):
        super().__init__()
        self.available = available
        self.reason = reason
        self.tick_ms = tick_ms
        self.said: list[str] = []
        self.speaking: str | None = None
        self.cut_off = 0
        self.hang = False

    def say(self, text: str) -> None:
        from ui.qt import QTimer

        if self.speaking is not None:
            self.cut_off += 1
        self.speaking = text
        self.said.append(text)
        if not self.hang:
            QTimer.singleShot(self.tick_ms, self._done)

    def stop(self) -> None:
        self.speaking = None

    def _done(self) -> None:
        self.speaking = None
        self.finished.emit()


def make_announcer(speech=None, **kw):
    from ui.board.announcer import Announcer

    return Announcer(speech=speech if speech is not None else FakeSpeech(), chime=False,
                     gap_ms=kw.pop("gap_ms", 0), **kw)


@pytest.fixture
def front(ui_hall):
    return staff_actor(ui_hall, "qiantai", "front-desk-1")


@pytest.fixture
def staff3(ui_hall):
    s = staff_actor(ui_hall, "chuangkou3", "window-3")
    q.open_window(ui_hall, s, "w03")
    return s


@pytest.fixture
def make_board(ui_hall, qtbot):
    from ui.board.callboard import CallBoard
    from ui.common.ops import wait_all

    boards = []

    def make(speech=None, size=(1920, 1080)):
        board = CallBoard(ui_hall, announcer=make_announcer(speech))
        qtbot.addWidget(board)
        board.resize(*size)
        board.show()
        qtbot.waitExposed(board)
        boards.append(board)
        return board

    yield make
    for b in boards:
        b.shutdown()
    wait_all()


def test_board_shows_and_announces_a_call_made_on_the_same_database(
        qtbot, ui_hall, front, staff3, make_board):
    board = make_board()
    q.issue_ticket(ui_hall, front, "labour", name="张三明")
    q.call_next(ui_hall, staff3, "w03")
    qtbot.waitUntil(lambda: board.current_display == "请 L001 号 到 3号窗口 劳动仲裁", timeout=5000)
    assert board.call_number.text() == "请 L001 号"
    assert board.call_where.text() == "到 3号窗口 劳动仲裁"
    assert board.flashing
    speech = board.announcer.speech
    qtbot.waitUntil(lambda: speech.said == ["请L零零一号，到三号劳动仲裁窗口办理。"])


CHILD_CALL = """
import datetime as dt, sys
from hall.domain.clock import FixedClock
from hall.services import queue as q, system_actor
from hall.store.db import Database
db = Database(sys.argv[1], clock=FixedClock(dt.datetime.fromisoformat(sys.argv[2])))
t = q.call_next(db, system_actor("window-3-pc"), "w03")
print(t.number if t else "-")
"""


def call_in_another_process(db, clock) -> str:
    """``call_next`` at window 3 from a separate Python process on the same file."""
    at = clock.advance(minutes=1).isoformat()
    out = subprocess.run([sys.executable, "-c", CHILD_CALL, db.url, at], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True)
    return out.stdout.strip()


def test_board_shows_a_call_made_by_another_process(qtbot, ui_hall, front, staff3, clock, make_board):
    board = make_board()
    q.issue_ticket(ui_hall, front, "labour", name="张三明")
    assert call_in_another_process(ui_hall, clock) == "L001"
    qtbot.waitUntil(lambda: board.current_display == "请 L001 号 到 3号窗口 劳动仲裁", timeout=5000)
    assert "张*明" in board.visible_text()


def test_board_never_shows_a_full_name_an_id_number_or_a_phone(
        qtbot, ui_hall, front, staff3, make_board):
    board = make_board()
    first = q.issue_ticket(ui_hall, front, "labour", name="张三明", id_number="11010519491231002X",
                           phone="13812345678")
    q.issue_ticket(ui_hall, front, "labour", name="欧阳修文")
    q.call_next(ui_hall, staff3, "w03")
    qtbot.waitUntil(lambda: "张*明" in board.visible_text(), timeout=5000)
    q.finish(ui_hall, staff3, first.id)
    q.call_next(ui_hall, staff3, "w03")            # 张三明 moves into the history
    qtbot.waitUntil(lambda: "欧阳*文" in board.call_name.text() and bool(board.history), timeout=5000)
    text = board.visible_text()
    assert "张*明" in text and "欧阳*文" in text
    for secret in ("张三明", "欧阳修文", "11010519491231002X", "13812345678", "1949"):
        assert secret not in text


def test_announcements_queue_in_order_and_none_is_cut_off(qtbot, ui_hall, front, make_board):
    speech = FakeSpeech(tick_ms=60)
    board = make_board(speech)
    staff = {w: staff_actor(ui_hall, u, f"ws-{u}") for w, u in
             (("w01", "chuangkou1"), ("w02", "chuangkou2"), ("w03", "chuangkou3"))}
    for w, a in staff.items():
        q.open_window(ui_hall, a, w)
    q.issue_ticket(ui_hall, front, "general")
    q.issue_ticket(ui_hall, front, "petition")
    q.issue_ticket(ui_hall, front, "labour")
    t1 = q.call_next(ui_hall, staff["w01"], "w01")
    t2 = q.call_next(ui_hall, staff["w02"], "w02")
    t3 = q.call_next(ui_hall, staff["w03"], "w03")
    q.recall(ui_hall, staff["w01"], t1.id)          # a recall is spoken again
    expected = [announcement_text(t.number, t.window_number, t.window_name, t.service_name)
                for t in (t1, t2, t3, t1)]
    qtbot.waitUntil(lambda: speech.said == expected and not board.announcer.busy, timeout=5000)
    assert speech.cut_off == 0
    assert board.announcer.history == expected
    assert expected[0] == "请A零零一号，到一号综合受理窗口办理。"
    assert board.current_display == "请 A001 号 到 1号窗口 综合受理"   # the recall is on show
    assert "再次呼叫" in board.call_name.text()


def test_the_queue_keeps_the_ten_latest_and_says_which_it_dropped(qtbot):
    speech = FakeSpeech()
    speech.hang = True                               # the first sentence never ends by itself
    ann = make_announcer(speech, watchdog_ms=60_000)
    dropped = []
    ann.dropped.connect(dropped.append)
    for i in range(13):
        ann.announce(f"第{i}句")
    assert ann.current == "第0句"                    # being said, never dropped
    assert list(ann.pending) == [f"第{i}句" for i in range(3, 13)]
    assert dropped == ["第1句", "第2句"]
    speech.hang = False
    speech._done()
    qtbot.waitUntil(lambda: not ann.busy)
    assert speech.said == ["第0句"] + [f"第{i}句" for i in range(3, 13)]
    assert speech.cut_off == 0


@pytest.mark.allow_log_warnings('speech did not finish within')
def test_a_hung_voice_is_switched_off_without_cutting_in_and_the_queue_goes_on(qtbot):
    speech = FakeSpeech()
    speech.hang = True
    ann = make_announcer(speech, watchdog_ms=50)
    seen = []
    ann.availability_changed.connect(lambda ok, why: seen.append((ok, why)))
    for text in ("甲", "乙", "丙"):
        ann.announce(text)
    qtbot.waitUntil(lambda: not ann.busy, timeout=3000)
    assert ann.history == ["甲", "乙", "丙"]          # every call still went through, in order
    assert speech.said == ["甲"]                       # the stuck engine is not called again
    assert speech.cut_off == 0
    assert not ann.available and seen == [(False, "语音引擎无响应")]
    assert ann.notice == "语音播报不可用（语音引擎无响应），仅显示文字"


def test_without_a_speech_engine_the_board_says_so_and_still_shows_calls(
        qtbot, ui_hall, front, staff3, make_board):
    from ui.board.announcer import NoSpeech

    board = make_board(NoSpeech())
    assert board.notice_label.isVisible()
    assert board.notice_label.text() == "语音播报不可用（未安装语音引擎），仅显示文字"
    q.issue_ticket(ui_hall, front, "labour")
    q.call_next(ui_hall, staff3, "w03")
    qtbot.waitUntil(lambda: board.announcer.history == ["请L零零一号，到三号劳动仲裁窗口办理。"],
                    timeout=5000)
    assert board.current_display == "请 L001 号 到 3号窗口 劳动仲裁"


def test_with_a_voice_there_is_no_notice(make_board):
    board = make_board()
    assert not board.notice_label.isVisible()


def test_qt_speech_is_unavailable_without_an_engine(monkeypatch, qtbot):
    from ui.board import announcer

    monkeypatch.setattr(announcer, "QTextToSpeech", None)
    s = announcer.QtSpeech()
    assert not s.available and s.reason == "未安装语音引擎"

    class OnlyQtsOwnMock:
        @staticmethod
        def availableEngines():
            return ["mock"]

    monkeypatch.setattr(announcer, "QTextToSpeech", OnlyQtsOwnMock)
    s = announcer.QtSpeech()
    assert not s.available and s.reason == "未安装语音引擎"


@pytest.mark.parametrize("locale, voice, good", [
    ("zh_CN", "Microsoft Huihui Desktop", True),
    ("C", "Chinese (Mandarin, latin as English)", True),
    ("C", "Chinese (Mandarin, latin as Pinyin)", True),
    ("yue_HK", "Chinese (Cantonese)", False),
    ("C", "Hakka Chinese", False),
    ("en_US", "Bob", False),
])
def test_a_mandarin_voice_is_chosen(locale, voice, good):
    from ui.board.announcer import _voice_score

    assert (_voice_score(locale, voice) > 0) is good


def test_pinyin_is_preferred_to_english_for_latin_letters():
    """espeak-ng's "latin as English" reads 零 through English (lɪŋtuː)."""
    from ui.board.announcer import _voice_score

    pinyin = _voice_score("C", "Chinese (Mandarin, latin as Pinyin)")
    assert pinyin > _voice_score("C", "Chinese (Mandarin, latin as English)")
    assert pinyin > _voice_score("C", "Chinese (Mandarin, latin as Pinyin)+Adam")


def test_waiting_counts_per_service(qtbot, ui_hall, front, make_board):
    board = make_board()
    q.issue_ticket(ui_hall, front, "labour")
    q.issue_ticket(ui_hall, front, "labour")
    q.issue_ticket(ui_hall, front, "housing")

    def count(name):
        for n, c in board.count_cells:
            if n.text() == name:
                return c.text()

    qtbot.waitUntil(lambda: count("劳动仲裁") == "2 人" and count("住建") == "1 人", timeout=5000)
    assert count("信访") == "0 人"
    assert board.total_label.text() == "共 3 人等候"
    # The test day is in November: education's only window (07-01 to 09-15) is out of season.
    assert count("教育") == "今日不办理"
    [edu] = [c for n, c in board.count_cells if n.text() == "教育"]
    assert "不在开放期" in edu.toolTip()


def test_the_last_six_calls_under_the_current_one(qtbot, ui_hall, front, staff3, make_board):
    board = make_board()
    called = []
    for _ in range(8):
        t = q.issue_ticket(ui_hall, front, "labour")
        q.call_next(ui_hall, staff3, "w03")
        q.finish(ui_hall, staff3, t.id)
        called.append(t.number)
    qtbot.waitUntil(lambda: board.current_display.startswith("请 L008 号")
                    and [h["number"] for h in board.history] == called[-2::-1][:6], timeout=5000)
    assert [c[0].text() for c in board.hist_cells] == ["L007", "L006", "L005", "L004", "L003", "L002"]
    assert board.hist_cells[0][1].text() == "3号窗口 劳动仲裁"
    assert re.fullmatch(r"\d\d:\d\d", board.hist_cells[0][3].text())


def test_a_board_opened_later_shows_the_latest_call_without_announcing_it(
        qtbot, ui_hall, front, staff3, make_board):
    q.issue_ticket(ui_hall, front, "labour")
    q.call_next(ui_hall, staff3, "w03")
    board = make_board()
    qtbot.waitUntil(lambda: board.current_display.startswith("请 L001 号"), timeout=5000)
    assert board.announcer.speech.said == [] and not board.flashing
    assert board.centre_label.text() == "东湖区社会治理服务中心"


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_board_fits_wall_screens(qtbot, ui_hall, front, staff3, make_board, size):
    board = make_board(size=size)
    w10 = staff_actor(ui_hall, "admin", "office")
    with ui_hall.write() as s:
        from sqlalchemy import select

        from hall.store.models import Window
        w = s.execute(select(Window).where(Window.code == "w10")).scalar_one()
        w.season_start = w.season_end = None
    q.issue_ticket(ui_hall, front, "education")   # the longest window name: 教育（入学季）
    q.open_window(ui_hall, w10, "w10")
    q.call_next(ui_hall, w10, "w10")
    qtbot.waitUntil(lambda: board.current_display.startswith("请 E001 号"), timeout=5000)
    assert (board.width(), board.height()) == size
    from ui.qt import QFontMetrics

    for label in (board.call_number, board.call_where):
        assert QFontMetrics(label.font()).horizontalAdvance(label.text()) <= board.call_frame.width()
    assert board.call_number.font().pixelSize() > 100 * size[1] / 1080


def test_f11_and_esc_toggle_full_screen(qtbot, make_board):
    from ui.qt import Qt

    board = make_board()
    board.activateWindow()
    qtbot.waitUntil(lambda: board.isActiveWindow())
    qtbot.keyClick(board, Qt.Key.Key_F11)
    qtbot.waitUntil(board.isFullScreen)
    qtbot.keyClick(board, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not board.isFullScreen())


def test_qt_speech_speaks_one_sentence_after_the_other(qtbot):
    """Through Qt's own engine ("mock", which needs no sound card): the end of
    each sentence is what starts the next."""
    from ui.board.announcer import QtSpeech

    speech = QtSpeech(engine="mock", require_mandarin=False)
    assert speech.available
    ann = make_announcer(speech)
    starts = []
    ann.started.connect(lambda text: starts.append((text, speech.tts.state().name)))
    ann.announce("first call")
    ann.announce("second call")
    qtbot.waitUntil(lambda: ann.history == ["first call", "second call"] and not ann.busy,
                    timeout=10_000)
    assert [s for _, s in starts] == ["Ready", "Ready"]   # never started over a speaking engine
    ann.shutdown()


@pytest.fixture
def fake_speechd(tmp_path, monkeypatch):
    """A speech-dispatcher socket that answers, or that accepts and never answers."""
    import socket
    import threading

    path = tmp_path / "speechd.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    behaviour = {"answer": True}

    def serve():
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.recv(256)
            if behaviour["answer"]:
                conn.sendall(b"208 OK CLIENT NAME SET\r\n")
            conn.recv(256)

    threading.Thread(target=serve, daemon=True).start()
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
    yield behaviour
    server.close()


@pytest.mark.parametrize("answer", [True, False])
def test_a_speech_service_that_does_not_answer_is_not_waited_for(fake_speechd, answer):
    from ui.board.announcer import speechd_responds

    fake_speechd["answer"] = answer
    assert speechd_responds(timeout=0.3) is answer


def test_a_transferred_ticket_is_called_with_the_number_the_visitor_holds(
        qtbot, ui_hall, front, staff3, make_board):
    board = make_board(size=(1366, 768))
    t = q.issue_ticket(ui_hall, front, "labour")
    q.call_next(ui_hall, staff3, "w03")
    new = q.transfer(ui_hall, staff3, t.id, "mediation", "需要调解")
    staff4 = staff_actor(ui_hall, "tiaojie", "window-4")
    q.open_window(ui_hall, staff4, "w04")
    q.call_next(ui_hall, staff4, "w04")
    qtbot.waitUntil(lambda: board.current_display.startswith(f"请 {new.number} 号（原 L001）到 4号窗口"),
                    timeout=5000)
    qtbot.waitUntil(lambda: any("原L零零一号" in h for h in board.announcer.history), timeout=5000)
    assert "（原 L001）" in board.call_number.text()
    from ui.qt import QFontMetrics

    label = board.call_number
    assert QFontMetrics(label.font()).horizontalAdvance(label.text()) <= board.call_frame.width()


def test_a_board_of_one_area_shows_and_says_only_its_windows(qtbot, ui_hall, front, staff3):
    """Windows 1-6 are on 一楼, 7-10 on 二楼 in the demo centre."""
    from ui.board.callboard import CallBoard
    from ui.common.ops import wait_all

    board = CallBoard(ui_hall, announcer=make_announcer(), area="二楼")
    qtbot.addWidget(board)
    board.resize(1366, 768)
    board.show()
    try:
        qtbot.waitUntil(lambda: board.area_windows is not None, timeout=5000)
        assert board.area_windows == {"w07", "w08", "w09", "w10"}
        assert board.centre_label.text().endswith("· 二楼")
        shown = {n.text() for n, c in board.count_cells if n.isVisible()}
        assert "法律援助" in shown and "劳动仲裁" not in shown
        q.issue_ticket(ui_hall, front, "labour")
        q.call_next(ui_hall, staff3, "w03")                 # 一楼: not here
        f = q.issue_ticket(ui_hall, front, "legal_aid")
        w8 = staff_actor(ui_hall, "admin", "office")
        q.open_window(ui_hall, w8, "w08")
        q.call_next(ui_hall, w8, "w08")
        qtbot.waitUntil(lambda: board.current_display.startswith(f"请 {f.number} 号"), timeout=5000)
        qtbot.waitUntil(lambda: len(board.announcer.history) == 1, timeout=5000)
        assert "L零零一" not in board.announcer.history[0] and "L001" not in board.visible_text()
    finally:
        board.shutdown()
        wait_all()


def test_the_window_display_shows_its_ticket_masked_and_the_next_numbers(qtbot, ui_hall, front, staff3, clock):
    from ui.board.window_display import WindowDisplay
    from ui.common.ops import wait_all

    screen = WindowDisplay(ui_hall, "w03")
    qtbot.addWidget(screen)
    screen.resize(800, 450)
    screen.show()
    try:
        qtbot.waitUntil(lambda: screen.state.text() == "请稍候", timeout=5000)
        a = q.issue_ticket(ui_hall, front, "labour", name="张三明", phone="13812345678")
        b = q.issue_ticket(ui_hall, front, "labour")
        c = q.issue_ticket(ui_hall, front, "general")
        q.call_next(ui_hall, staff3, "w03")
        qtbot.waitUntil(lambda: screen.number.text() == a.number, timeout=5000)
        assert screen.name.text() == "张*明"
        qtbot.waitUntil(lambda: screen.next_numbers == [b.number, c.number], timeout=5000)
        text = screen.visible_text()
        assert "张三明" not in text and "13812345678" not in text and "3号窗口" in text
        q.finish(ui_hall, staff3, a.id)
        q.pause_window(ui_hall, staff3, "w03")
        qtbot.waitUntil(lambda: screen.state.text() == "暂停服务，请稍候", timeout=5000)
        assert screen.next_label.text() == ""
    finally:
        screen.shutdown()
        wait_all()


def test_the_window_display_says_a_window_is_out_of_season(qtbot, ui_hall):
    from ui.board.window_display import WindowDisplay
    from ui.common.ops import wait_all

    screen = WindowDisplay(ui_hall, "w10")   # the test day (November) is out of its season
    qtbot.addWidget(screen)
    screen.show()
    try:
        qtbot.waitUntil(lambda: "不在开放期" in screen.state.text(), timeout=5000)
        assert screen.state.text().startswith("今日不受理")
    finally:
        screen.shutdown()
        wait_all()


def test_each_service_with_an_open_window_shows_its_wait_range(qtbot, ui_hall, front, staff3, make_board):
    board = make_board()
    for _ in range(4):
        q.issue_ticket(ui_hall, front, "labour")
    q.issue_ticket(ui_hall, front, "housing")   # no window for housing is open: no range

    def name_cell(prefix):
        for n, _c in board.count_cells:
            if n.text().startswith(prefix):
                return n.text()

    qtbot.waitUntil(lambda: "分钟" in (name_cell("劳动仲裁") or ""), timeout=5000)
    assert re.search(r"约 \d+–\d+ 分钟|约 5 分钟内", name_cell("劳动仲裁"))
    assert name_cell("住建") == "住建"
    board.grab().save("/tmp/fstatus-board.png")


LONG_NAME = "庄" + "爽" * 63      # 64 characters, the longest a name may be


def _fits(label) -> bool:
    """The label's shown text fits its box (by the label's own font)."""
    return label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_a_long_masked_name_is_cut_to_fit_the_board(qtbot, ui_hall, front, staff3, make_board, size, tmp_path):
    from hall.domain.masking import mask_name

    masked = mask_name(LONG_NAME)
    board = make_board(size=size)
    first = q.issue_ticket(ui_hall, front, "labour", name=LONG_NAME)
    q.issue_ticket(ui_hall, front, "labour", name="张三明")
    q.call_next(ui_hall, staff3, "w03")
    qtbot.waitUntil(lambda: board.call_name.full_text() == masked, timeout=5000)
    qtbot.wait(50)
    assert _fits(board.call_name) and "…" in board.call_name.text()
    board.grab().save(str(tmp_path / f"board-long-name-call-{size[0]}.png"))
    q.finish(ui_hall, staff3, first.id)
    q.call_next(ui_hall, staff3, "w03")        # the long name moves into the history
    qtbot.waitUntil(lambda: board.hist_cells[0][2].full_text() == masked, timeout=5000)
    qtbot.wait(50)
    assert board.width() == size[0]            # the text did not widen the board
    for label in (board.call_name, board.hist_cells[0][2]):
        shown = label.text()
        assert _fits(label), (shown, label.contentsRect().width())
        assert label.geometry().right() <= label.parentWidget().contentsRect().right()
        assert shown in (masked, label.full_text()) or ("…" in shown and shown[0] == "庄" and shown[-1] == "爽")
    assert "…" in board.hist_cells[0][2].text()
    assert LONG_NAME not in board.visible_text()
    board.grab().save(str(tmp_path / f"board-long-name-{size[0]}.png"))


def test_a_long_masked_name_is_cut_to_fit_the_window_display(qtbot, ui_hall, front, staff3, tmp_path):
    from hall.domain.masking import mask_name
    from ui.board.window_display import WindowDisplay
    from ui.common.ops import wait_all

    screen = WindowDisplay(ui_hall, "w03")
    qtbot.addWidget(screen)
    screen.resize(800, 450)
    screen.show()
    try:
        t = q.issue_ticket(ui_hall, front, "labour", name=LONG_NAME)
        q.call_next(ui_hall, staff3, "w03")
        qtbot.waitUntil(lambda: screen.number.text() == t.number, timeout=5000)
        qtbot.wait(50)
        assert screen.name.full_text() == mask_name(LONG_NAME)
        shown = screen.name.text()
        assert "…" in shown and shown[0] == "庄" and shown[-1] == "爽"
        assert _fits(screen.name) and screen.width() == 800
        assert screen.name.geometry().right() <= screen.contentsRect().right()
        screen.grab().save(str(tmp_path / "window-display-long-name.png"))
    finally:
        screen.shutdown()
        wait_all()
