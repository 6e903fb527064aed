"""Voice announcements on the call board, one at a time, never cut off.

:class:`Announcer` keeps a queue of sentences. Each one plays a short chime,
then is spoken; the next starts only when the previous has finished, so a
second window's call never interrupts the first (a recall is simply spoken
again). When the computer has no speech engine, no Chinese voice, or the
engine stops answering, :attr:`Announcer.available` is False and the board
says so; announcements still move through the queue, so the order of calls
is the same with or without a voice.

The speaking part is a :class:`Speech` backend: :class:`QtSpeech` (Qt's
text-to-speech with a Mandarin voice) in the hall, a scripted one in tests.
"""
from __future__ import annotations

import collections
import logging
import math
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import wave
from pathlib import Path

from ui.qt import QLocale, QObject, QProcess, QSoundEffect, QTextToSpeech, QTimer, QUrl, Signal, translate

log = logging.getLogger(__name__)

#: Announcements waiting beyond this many: the oldest waiting one is dropped
#: (in a rush the board still shows every call; the voice catches up).
MAX_PENDING = 10

#: Engines in the order we prefer them; Qt's "mock" engine is for Qt's own tests.
PREFERRED_ENGINES = ("winrt", "sapi", "darwin", "speechd", "flite", "android")


def unavailable_notice(reason: str) -> str:
    """The board's line when the voice is off, e.g. 语音播报不可用（未安装语音引擎），仅显示文字."""
    return translate("Announcer", "语音播报不可用（{reason}），仅显示文字").replace("{reason}", reason)


# ------------------------------------------------------------------ speech
class Speech(QObject):
    """Says one sentence at a time and emits :attr:`finished` when it is done.

    ``say`` is only called when the previous sentence has finished, and only
    while ``available``; :meth:`disable` switches a backend off for good (the
    board then shows ``reason``).
    """

    finished = Signal()
    availability_changed = Signal(bool, str)   # (available, reason)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.available = False
        self.reason = translate("Announcer", "未安装语音引擎")

    def say(self, text: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def shutdown(self) -> None:
        """Release the engine (the board is closing)."""

    def disable(self, reason: str) -> None:
        if self.available or reason != self.reason:
            self.available = False
            self.reason = reason
            self.availability_changed.emit(False, reason)


class NoSpeech(Speech):
    """Text only: every sentence 'finishes' on the next turn of the event loop."""

    def __init__(self, parent: QObject | None = None, reason: str | None = None):
        super().__init__(parent)
        if reason:
            self.reason = reason

    def say(self, text: str) -> None:
        QTimer.singleShot(0, self.finished.emit)


def _voice_score(locale_name: str, voice_name: str) -> float:
    """How well a voice reads Mandarin announcements (0 = not at all).

    The voice's name and language count, not only the locale it is filed
    under: espeak-ng (through speech-dispatcher) files its Mandarin voices
    under locale ``C``.
    """
    name = voice_name.lower()
    loc = locale_name.lower()
    if any(w in name for w in ("cantonese", "hakka", "jyutping", "粤", "客家")) or loc.startswith("yue"):
        return 0
    score = 0.0
    if loc.startswith("zh_cn") or loc.startswith("zh_hans"):
        score = 3
    elif loc.startswith("zh") or loc.startswith("cmn"):
        score = 2
    if any(w in name for w in ("mandarin", "putonghua", "普通话", "cmn", "huihui", "xiaoxiao",
                                "yaoyao", "kangkang", "ting-ting", "tingting")):
        score = max(score, 3)
    elif score == 0 and "chinese" in name:
        score = 1
    if score == 0:
        return 0
    if "latin as pinyin" in name:
        score += 0.5      # reads every hanzi the Mandarin way (零 as líng)
    elif "latin as english" in name:
        score += 0.2      # espeak-ng's cmn reads 零 through English ("(en)lɪŋtuː")
    if "+" in voice_name:
        score -= 0.25     # espeak's voice variants (+grandma...) are the odd ones
    return score


def _speechd_socket() -> Path | None:
    """Where a running speech-dispatcher listens (None: not running; Qt will start it)."""
    address = os.environ.get("SPEECHD_ADDRESS", "")
    if address.startswith("unix_socket:"):
        return Path(address.split(":", 1)[1])
    if address:
        return None                  # an inet socket: nothing to probe cheaply
    candidates = []
    if os.environ.get("XDG_RUNTIME_DIR"):
        candidates.append(Path(os.environ["XDG_RUNTIME_DIR"]) / "speech-dispatcher" / "speechd.sock")
    candidates.append(Path.home() / ".cache" / "speech-dispatcher" / "speechd.sock")
    return next((c for c in candidates if c.exists()), None)


def speechd_responds(timeout: float = 1.5) -> bool:
    """Whether speech-dispatcher answers within ``timeout`` seconds.

    Qt's speechd engine talks to the service synchronously on the UI thread;
    a service that accepts connections but never answers (seen when its
    audio output hangs) would freeze the board at start-up. One request with
    a timeout tells first.
    """
    path = _speechd_socket()
    if path is None or not hasattr(socket, "AF_UNIX"):
        return True
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
            sock.sendall(b"SET self CLIENT_NAME hall:board:probe\r\n")
            reply = sock.recv(256)
            try:
                sock.sendall(b"QUIT\r\n")
            except OSError:
                pass
            return reply[:1].isdigit()
    except TimeoutError:
        return False
    except OSError:
        return True                  # stale socket: Qt starts a fresh service


class QtSpeech(Speech):
    """Qt's text-to-speech with the best Mandarin voice the computer has.

    A sentence that never reports its end is handled by the announcer's
    watchdog, which switches the voice off rather than calling the stuck
    engine again.
    """

    def __init__(self, parent: QObject | None = None, *, engine: str | None = None,
                 require_mandarin: bool = True):
        super().__init__(parent)
        self.tts = None
        self.engine = ""
        self._busy = False
        if QTextToSpeech is None:
            self.reason = translate("Announcer", "未安装语音引擎")
            return
        engines = list(QTextToSpeech.availableEngines())
        if engine is not None:
            candidates = [engine] if engine in engines else []
        else:
            candidates = sorted((e for e in engines if e != "mock"),
                                key=lambda e: PREFERRED_ENGINES.index(e)
                                if e in PREFERRED_ENGINES else len(PREFERRED_ENGINES))
        if not candidates:
            self.reason = translate("Announcer", "未安装语音引擎")
            log.info("no text-to-speech engine (available: %s)", engines)
            return
        self.engine = candidates[0]
        if self.engine == "speechd" and not speechd_responds():
            self.reason = translate("Announcer", "语音引擎无响应")
            log.warning("speech-dispatcher does not answer; announcements as text only")
            return
        self.tts = QTextToSpeech(self.engine, self)
        failed_default = self.tts.state() == QTextToSpeech.State.Error
        if failed_default and not self.tts.availableLocales():
            self.reason = translate("Announcer", "语音引擎无法启动")
            log.warning("text-to-speech engine %s failed: %s", self.engine, self.tts.errorString())
            return
        if failed_default:
            # speechd says "Failed to initialize default locale and voice" when the
            # desktop's locale (zh_CN) has no voice filed under it; a voice chosen
            # by name still speaks.
            log.info("engine %s: %s; choosing a voice by name", self.engine, self.tts.errorString())
        if not self._choose_voice(require_mandarin):
            self.reason = translate("Announcer", "未安装中文语音")
            log.info("engine %s has no Mandarin voice", self.engine)
            return
        self.tts.setRate(-0.1)       # a little slower than conversation: a hall echoes
        self.tts.setVolume(1.0)
        self.tts.stateChanged.connect(self._state)
        self.available = True
        self.reason = ""

    def _choose_voice(self, require_mandarin: bool) -> bool:
        tts = self.tts
        if tts is None:
            return False
        zh_cn = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        best = None
        # zh_CN first: Windows and macOS file their Mandarin voices there.
        locales = sorted(tts.availableLocales(), key=lambda loc: loc.name() != zh_cn.name())
        for loc in locales:
            tts.setLocale(loc)
            for voice in tts.availableVoices():
                score = _voice_score(loc.name(), voice.name())
                if score > 0 and (best is None or score > best[0]):
                    best = (score, loc, voice)
            if best is not None and best[0] >= 3.5:
                break
        if best is None:
            if require_mandarin:
                return False
            tts.setLocale(locales[0]) if locales else None
            log.info("speaking with %s's default voice", self.engine)
            return True
        _, loc, voice = best
        tts.setLocale(loc)
        tts.setVoice(voice)
        log.info("speaking with %s voice %r (%s)", self.engine, voice.name(), loc.name())
        return True

    def say(self, text: str) -> None:
        if not self.available or self.tts is None:
            QTimer.singleShot(0, self.finished.emit)
            return
        self._busy = True
        self.tts.say(text)

    def _state(self, state) -> None:
        if state == QTextToSpeech.State.Error and self._busy:
            log.warning("text-to-speech error: %s", self.tts.errorString() if self.tts is not None else "")
            self.disable(translate("Announcer", "语音引擎出错"))
        if self._busy and state in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error):
            self._busy = False
            self.finished.emit()

    def shutdown(self) -> None:
        # Not tts.stop(): a stuck engine would hang the close as well.
        if self.tts is not None and self.available:
            self.tts.stateChanged.disconnect(self._state)
        self.available = False


# ------------------------------------------------------------------ espeak-ng
#: espeak-ng's Mandarin voices, best first ("latin as Pinyin" reads 零 as líng;
#: plain ``cmn`` reads it through English).
ESPEAK_VOICES = ("cmn-latn-pinyin", "cmn")

#: Words per minute: a little slower than espeak-ng's 175, a hall echoes.
ESPEAK_RATE = 150


def espeak_binary() -> str | None:
    return shutil.which("espeak-ng")


def espeak_mandarin_voice(binary: str | None = None) -> str | None:
    """The best Mandarin voice espeak-ng has, chosen by its name, or ``None``."""
    binary = binary or espeak_binary()
    if not binary:
        return None
    try:
        out = subprocess.run([binary, "--voices=cmn"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = {line.split()[1].lower() for line in out.splitlines()[1:] if len(line.split()) > 1}
    return next((v for v in ESPEAK_VOICES if v in names), None)


def espeak_command(binary: str, voice: str, text: str, wav: Path) -> list[str]:
    """espeak-ng rendering ``text`` with ``voice`` into the WAV file ``wav``."""
    return [binary, "-v", voice, "-s", str(ESPEAK_RATE), "-w", str(wav), text]


class EspeakSpeech(Speech):
    """espeak-ng run directly (no speech-dispatcher): each sentence is rendered
    to a WAV file, then played on the default audio output.

    The second engine of a Linux hall: works without a network, without a
    desktop session and without speech-dispatcher. ``play=False`` only
    renders (the files stay in ``folder``; tests listen to them there).
    """

    rendered = Signal(str)   # path of the WAV of the sentence being said

    def __init__(self, parent: QObject | None = None, *, play: bool = True,
                 folder: Path | None = None, binary: str | None = None):
        super().__init__(parent)
        self.binary = binary or espeak_binary()
        self.voice = espeak_mandarin_voice(self.binary) if self.binary else None
        self.play = play
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="hall-voice-"))
        self.effect = None
        self.proc: QProcess | None = None
        self.last_wav: Path | None = None
        self._count = 0
        self._busy = False
        if not self.binary:
            self.reason = translate("Announcer", "未安装语音引擎")
            return
        if not self.voice:
            self.reason = translate("Announcer", "未安装中文语音")
            return
        if play:
            if QSoundEffect is None:
                self.reason = translate("Announcer", "没有音频输出设备")
                return
            effect = QSoundEffect(self)
            if effect.audioDevice().isNull():
                self.reason = translate("Announcer", "没有音频输出设备")
                effect.deleteLater()
                return
            effect.setVolume(1.0)
            effect.playingChanged.connect(self._playing_changed)
            self.effect = effect
        self.available = True
        self.reason = ""
        log.info("speaking with espeak-ng voice %s", self.voice)

    def say(self, text: str) -> None:
        if not self.available or not self.binary or not self.voice:
            QTimer.singleShot(0, self.finished.emit)
            return
        self._busy = True
        self._count += 1
        wav = self.folder / f"call-{self._count % 20:02d}.wav"
        proc = QProcess(self)
        proc.finished.connect(lambda code, _status, p=proc, w=wav: self._rendered(p, code, w))
        proc.errorOccurred.connect(lambda _err, p=proc: self._failed(p))
        self.proc = proc
        cmd = espeak_command(self.binary, self.voice, text, wav)
        proc.start(cmd[0], cmd[1:])

    def _failed(self, proc: QProcess) -> None:
        if proc.error() == QProcess.ProcessError.FailedToStart and self._busy:
            log.warning("espeak-ng could not start: %s", proc.errorString())
            self.disable(translate("Announcer", "语音引擎出错"))
            self._done()

    def _rendered(self, proc: QProcess, code: int, wav: Path) -> None:
        proc.deleteLater()
        if not self._busy:
            return
        if code != 0 or not wav.exists() or wav.stat().st_size < 1000:
            log.warning("espeak-ng failed (exit %s)", code)
            self.disable(translate("Announcer", "语音引擎出错"))
            self._done()
            return
        self.last_wav = wav
        self.rendered.emit(str(wav))
        if self.effect is None:
            self._done()
            return
        self.effect.setSource(QUrl.fromLocalFile(str(wav)))
        self.effect.play()

    def _playing_changed(self) -> None:
        if self.effect is not None and not self.effect.isPlaying():
            self._done()

    def _done(self) -> None:
        if self._busy:
            self._busy = False
            self.finished.emit()

    def shutdown(self) -> None:
        self.available = False
        if self.proc is not None and self.proc.state() != QProcess.ProcessState.NotRunning:
            self.proc.kill()


def default_speech(parent: QObject | None = None) -> Speech:
    """Qt's engine with a Mandarin voice; else espeak-ng directly; else text only
    (with the first engine's reason)."""
    first = QtSpeech(parent)
    if first.available:
        return first
    second = EspeakSpeech(parent)
    if second.available:
        first.deleteLater()
        return second
    second.deleteLater()
    return first


# ------------------------------------------------------------------ chime
def _chime_wav() -> Path:
    """A two-tone "ding-dong" written once per computer (a WAV in the temp folder)."""
    path = Path(tempfile.gettempdir()) / f"hall-chime-v1-{os.getuid() if hasattr(os, 'getuid') else 0}.wav"
    if path.exists() and path.stat().st_size > 1000:
        return path
    rate = 22050
    frames = bytearray()
    for freq, seconds in ((659.25 * 2, 0.42), (523.25 * 2, 0.75)):   # E6 then C6
        n = int(rate * seconds)
        for i in range(n):
            t = i / rate
            env = math.exp(-4.2 * t) * min(1.0, t / 0.004)
            s = (math.sin(2 * math.pi * freq * t) + 0.35 * math.sin(2 * math.pi * freq * 2.0 * t)
                 + 0.12 * math.sin(2 * math.pi * freq * 3.01 * t))
            frames += struct.pack("<h", int(max(-1.0, min(1.0, 0.45 * env * s)) * 32767))
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    os.replace(tmp, path)
    return path


class Chime(QObject):
    """Plays the chime before an announcement, or nothing if there is no sound device."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True):
        super().__init__(parent)
        self.effect = None
        self._watch = QTimer(self)
        self._watch.setSingleShot(True)
        self._watch.setInterval(3000)
        self._watch.timeout.connect(self._done)
        self._playing = False
        if not enabled or QSoundEffect is None:
            return
        try:
            source = _chime_wav()
        except OSError as exc:
            log.info("no chime: %s", exc)
            return
        effect = QSoundEffect(self)
        if effect.audioDevice().isNull():
            log.info("no audio output device: announcements without chime")
            effect.deleteLater()
            return
        effect.setSource(QUrl.fromLocalFile(str(source)))
        effect.setVolume(0.7)
        effect.playingChanged.connect(self._playing_changed)
        self.effect = effect

    def play(self) -> None:
        eff = self.effect
        if eff is None or eff.status() != QSoundEffect.Status.Ready:
            QTimer.singleShot(0, self.finished.emit)
            return
        self._playing = True
        self._watch.start()
        eff.play()

    def _playing_changed(self) -> None:
        if self.effect is not None and not self.effect.isPlaying():
            self._done()

    def _done(self) -> None:
        if self._playing:
            self._playing = False
            self._watch.stop()
            self.finished.emit()


# ------------------------------------------------------------------ queue
class Announcer(QObject):
    """A queue of announcements: chime, speak, wait until finished, next.

    ``announce(text)`` never interrupts what is being said. Signals:
    ``started(text)`` when an announcement begins (its chime), ``spoken(text)``
    when it has finished, ``dropped(text)`` when the queue overflowed and
    ``availability_changed(bool, reason)`` when the voice comes or goes.
    """

    started = Signal(str)
    spoken = Signal(str)
    dropped = Signal(str)
    availability_changed = Signal(bool, str)

    def __init__(self, parent: QObject | None = None, *, speech: Speech | None = None,
                 chime: Chime | bool = True, max_pending: int = MAX_PENDING,
                 gap_ms: int = 400, watchdog_ms: int = 20_000):
        super().__init__(parent)
        self.speech = speech if speech is not None else default_speech(self)
        if self.speech.parent() is None:
            self.speech.setParent(self)
        self.chime = chime if isinstance(chime, Chime) else Chime(self, enabled=bool(chime))
        self.max_pending = max_pending
        self.gap_ms = gap_ms
        self.pending: collections.deque[str] = collections.deque()
        self.current: str | None = None
        self.history: list[str] = []          # every announcement finished, in order
        self._phase = ""                      # "", chime, speech, abandoned, gap, closed
        self._watch = QTimer(self)
        self._watch.setSingleShot(True)
        self._watch.setInterval(watchdog_ms)
        self._watch.timeout.connect(self._speech_hung)
        self.chime.finished.connect(self._chime_done)
        self.speech.finished.connect(self._speech_done)
        self.speech.availability_changed.connect(self.availability_changed)
        if not self.speech.available:
            log.info("voice announcements unavailable: %s", self.speech.reason)

    # -- public
    @property
    def available(self) -> bool:
        return self.speech.available

    @property
    def unavailable_reason(self) -> str:
        return "" if self.speech.available else self.speech.reason

    @property
    def notice(self) -> str:
        """The board's notice, or "" when the voice works."""
        return "" if self.available else unavailable_notice(self.speech.reason)

    @property
    def busy(self) -> bool:
        return self.current is not None or bool(self.pending) or self._phase == "gap"

    def announce(self, text: str) -> None:
        """Queue ``text``; it is said after everything queued before it."""
        text = text.strip()
        if not text:
            return
        self.pending.append(text)
        while len(self.pending) > self.max_pending:
            old = self.pending.popleft()
            log.info("announcement queue full (%d): dropped %r", self.max_pending, old)
            self.dropped.emit(old)
        if not self._phase:
            self._next()

    def clear(self) -> None:
        """Forget what waits (the one being said still finishes)."""
        self.pending.clear()

    # -- the cycle
    def _next(self) -> None:
        if self._phase == "closed":
            return
        self._phase = ""
        if not self.pending:
            return
        self.current = self.pending.popleft()
        self._phase = "chime"
        self.started.emit(self.current)
        self.chime.play()

    def _chime_done(self) -> None:
        if self._phase != "chime" or self.current is None:
            return
        self._phase = "speech"
        if not self.speech.available:
            # text only: the engine (absent, or switched off) is not called again
            QTimer.singleShot(0, self, self._speech_done)
            return
        self._watch.start()
        self.speech.say(self.current)

    def _speech_done(self) -> None:
        if self._phase != "speech" or self.current is None:
            return
        self._watch.stop()
        self._finish(self.current)

    def _speech_hung(self) -> None:
        """No end after ``watchdog_ms``: the engine is stuck. Nothing is cut off
        (it is not asked to stop, which would hang too); the voice is switched
        off and the queue goes on as text."""
        if self._phase != "speech" or self.current is None:
            return
        log.warning("speech did not finish within %d ms; switching the voice off", self._watch.interval())
        self._phase = "abandoned"
        self.speech.disable(translate("Announcer", "语音引擎无响应"))
        self._finish(self.current)

    def _finish(self, text: str) -> None:
        self.current = None
        self.history.append(text)
        del self.history[:-50]
        self.spoken.emit(text)
        self._phase = "gap"
        QTimer.singleShot(self.gap_ms, self, self._next)

    def shutdown(self) -> None:
        """Stop: nothing more is said, the engine is released."""
        self.pending.clear()
        self._watch.stop()
        self._phase = "closed"
        self.speech.shutdown()
