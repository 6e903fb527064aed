"""The board's voice on this computer: a call becomes Mandarin audio.

espeak-ng is run directly (the second engine, no sound card needed to render)
and its WAV is measured; speech-dispatcher is started by the test in a
private folder to check the voice Qt's engine is given.
"""
from __future__ import annotations

import array
import math
import os
import shutil
import subprocess
import time
import wave
from pathlib import Path

import pytest

from hall.domain.speech import announcement_text
from hall.services import queue as q
from tests.conftest import staff_actor

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def measure(path: Path) -> tuple[float, float]:
    """(seconds, RMS of the samples relative to full scale) of a 16-bit WAV."""
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / w.getframerate()
    samples = array.array("h", frames)
    rms = math.sqrt(sum(x * x for x in samples) / max(1, len(samples))) / 32768
    return seconds, rms


def test_the_mandarin_voice_is_chosen_by_name_and_reads_hanzi_as_mandarin():
    from ui.board.announcer import espeak_binary, espeak_mandarin_voice

    voice = espeak_mandarin_voice()
    assert voice == "cmn-latn-pinyin"
    text = announcement_text("L001", 3, "劳动仲裁", "劳动仲裁")
    ipa = subprocess.run([espeak_binary(), "-q", "--ipa", "-v", voice, text],
                         capture_output=True, text=True, timeout=20).stdout
    assert "(en)" not in ipa
    assert ipa.replace("ˈ", "").replace("ˌ", "").count("liɜŋ") >= 2   # 零零 is líng líng, not English
    plain = subprocess.run([espeak_binary(), "-q", "--ipa", "-v", "cmn", "零"],
                           capture_output=True, text=True, timeout=20).stdout
    assert "(en)" in plain                            # why plain cmn is not used


def test_a_call_on_the_board_produces_mandarin_audio(qtbot, ui_hall, tmp_path):
    from ui.board.announcer import Announcer, EspeakSpeech
    from ui.board.callboard import CallBoard
    from ui.common.ops import wait_all

    speech = EspeakSpeech(play=False, folder=tmp_path)
    assert speech.available, speech.reason
    wavs: list[str] = []
    speech.rendered.connect(wavs.append)
    board = CallBoard(ui_hall, announcer=Announcer(speech=speech, chime=False, gap_ms=0))
    qtbot.addWidget(board)
    board.resize(1366, 768)
    board.show()
    try:
        front = staff_actor(ui_hall, "qiantai", "front-desk-1")
        staff = staff_actor(ui_hall, "chuangkou3", "window-3")
        q.open_window(ui_hall, staff, "w03")
        q.issue_ticket(ui_hall, front, "labour")
        q.call_next(ui_hall, staff, "w03")
        said = "请L零零一号，到三号劳动仲裁窗口办理。"
        qtbot.waitUntil(lambda: board.announcer.history == [said], timeout=30_000)
        assert board.current_display == "请 L001 号 到 3号窗口 劳动仲裁"   # the text is shown as well
        assert len(wavs) == 1
        seconds, rms = measure(Path(wavs[0]))
        # 17 syllables at 150 words a minute: about 3-6 s; silence would be rms 0.
        assert 2.0 <= seconds <= 10.0, seconds
        assert rms > 0.02, rms
    finally:
        board.shutdown()
        wait_all()


def test_without_espeak_or_a_sound_card_the_reason_is_given(tmp_path, qtbot):
    from ui.board.announcer import EspeakSpeech

    missing = EspeakSpeech(play=False, folder=tmp_path, binary=str(tmp_path / "no-espeak"))
    assert not missing.available and missing.reason == "未安装中文语音"


@pytest.fixture
def private_speechd(tmp_path, monkeypatch):
    """speech-dispatcher started on demand by Qt in a folder of this test; stopped after."""
    if shutil.which("speech-dispatcher") is None:
        pytest.skip("speech-dispatcher is not installed")
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SPEECHD_ADDRESS", raising=False)
    yield run
    pidfile = run / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
    for _ in range(20):
        if pidfile.exists():
            break
        time.sleep(0.1)
    if pidfile.exists():
        try:
            os.kill(int(pidfile.read_text().strip()), 15)
        except (ValueError, ProcessLookupError):
            pass


def test_qt_speech_through_speech_dispatcher_picks_mandarin_pinyin_despite_the_locale(
        private_speechd, qtbot):
    """On a zh_CN desktop speechd says "Failed to initialize default locale
    and voice" (espeak-ng files Mandarin under locale C): not fatal."""
    from ui.board.announcer import QtSpeech
    from ui.qt import QLocale, QTextToSpeech

    if QTextToSpeech is None or "speechd" not in QTextToSpeech.availableEngines():
        pytest.skip("Qt's speechd plugin is not installed")
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    try:
        speech = QtSpeech(engine="speechd")
        if speech.tts is None:
            pytest.skip(f"speech-dispatcher could not be started: {speech.reason}")
        assert speech.available, speech.reason
        assert speech.tts.voice().name() == "Chinese (Mandarin, latin as Pinyin)"
        speech.shutdown()
    finally:
        QLocale.setDefault(previous)
