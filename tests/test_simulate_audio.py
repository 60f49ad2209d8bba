"""``haven simulate --audio``: a recording heard through the live hearing on the simulated clock."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import DEV_CORPUS, SHARED, dev_manifest

from skill.app.compose import live_session, run_listening, simulation
from skill.app.parts import Parts, load_parts
from skill.app.recording import RecordingSource
from skill.app.simulate import SimEvent, parse_script, spoken_seconds
from skill.app.status import StatusLine
from skill.audio.vad import VadSegmenter
from skill.cli import main
from skill.config import Settings
from skill.messages import AudioChunk, IntentMatch, Say, Transcript

START = datetime(2025, 1, 6, 20, 0, tzinfo=timezone.utc)
TALK = SHARED / "corpus" / "argument-dev" / "talk.flac"
needs_dev = pytest.mark.skipif(not dev_manifest(), reason=f"the dev corpus is not at {DEV_CORPUS}")


class Heard:
    """A Trace recording what was heard (the run path shows it nowhere but in its log)."""

    def __init__(self) -> None:
        self.heard_rows: list[tuple[str, str | None, dict[str, Any]]] = []

    def heard(self, text: str, found: IntentMatch | None) -> None:
        intent, slots = (found.intent, dict(found.slots)) if found is not None else (None, {})
        self.heard_rows.append((text, intent, slots))

    def said(self, action: Say, text: str, intent: str | None) -> None:
        pass


@pytest.fixture(scope="module")
def parts() -> Parts:
    return load_parts(settings=Settings())


@pytest.fixture(scope="module")
def hearing(parts: Parts) -> Any:
    from skill.asr.hearing import make_hearing

    return make_hearing(parts.settings.listen, "pocketsphinx")


def simulated(path: Path, parts: Parts, hearing: Any, script: str = "") -> list[SimEvent]:
    events: list[SimEvent] = []
    simulation(parts, parse_script(script), START, events.append, audio=path, hearing=hearing)
    return events


def run_input(path: Path, parts: Parts, hearing: Any) -> list[tuple[str, str | None, dict[str, Any]]]:
    """``haven run --input FILE`` as the CLI composes it, with the file read unpaced."""
    session, announcement = live_session(parts, None, StatusLine(live=False), hearing)
    trace = Heard()
    session.loop.trace = trace
    hearing.reset()
    assert run_listening(session, announcement, hearing, parts.settings,
                         lambda: RecordingSource(path, paced=False)) == 0
    return trace.heard_rows


class Remembered:
    """The real recogniser, remembering what it heard for each run of utterances since the
    start of a file: a second path that hands it exactly the same audio gets the same answer
    without decoding again (pocketsphinx is deterministic from a fresh noise estimate); any
    difference in the audio is decoded afresh. Halves the cost of comparing two paths."""

    name = "remembered"

    def __init__(self, recognizer: Any) -> None:
        self.recognizer = recognizer
        self.memo: dict[tuple[int, ...], Transcript | None] = {}
        self.heard_so_far: tuple[int, ...] = ()
        self.decodes = 0

    def new_file(self) -> None:
        """Each command is a fresh process: a fresh noise estimate for each file."""
        self.recognizer.forget_noise()
        self.heard_so_far = ()

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        self.heard_so_far += (hash(utterance.samples),)
        if self.heard_so_far not in self.memo:
            self.decodes += 1
            self.memo[self.heard_so_far] = self.recognizer.recognize(utterance)
        return self.memo[self.heard_so_far]


@needs_dev
def test_every_dev_file_is_heard_alike_by_simulate_and_run_input(
    parts: Parts, hearing: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command is a fresh process, so each path starts each file as one would: a fresh
    engine, and a fresh noise estimate in pocketsphinx (which otherwise follows the room from
    one utterance to the next, and simulate's echo gate, deaf while Haven answers, skips
    decodes that ``run --input --voice none`` makes)."""
    from skill.asr.hearing import Hearing

    remembered = Remembered(hearing.recognizer)

    def fresh() -> Hearing:  # webrtcvad's own noise model too, as a new process has it
        return Hearing(VadSegmenter(hearing.segmenter.settings), remembered)  # type: ignore[arg-type]

    differ, commands, decoded_again = [], 0, 0
    for number, row in enumerate(dev_manifest()):
        path = DEV_CORPUS / row["file"]
        monkeypatch.setenv("HAVEN_STATE_DIR", str(tmp_path / f"state-{number}"))
        remembered.new_file()
        by_simulate = [(e.text, e.intent, e.slots or {}) for e in simulated(path, parts, fresh())
                       if e.event == "heard"]
        remembered.new_file()
        decoded = remembered.decodes
        by_run = run_input(path, parts, fresh())
        decoded_again += remembered.decodes - decoded
        commands += any(intent for _, intent, _ in by_run)
        if by_simulate != by_run:
            differ.append((row["file"], by_simulate, by_run))
    assert differ == []  # the same words, and the same intents in the engine's (idle) context
    assert decoded_again == 0  # the run path handed the recogniser exactly the same audio
    assert commands >= 15  # of the 24 commands an idle Haven listens for: not a comparison of silences


@needs_dev
def test_a_recording_after_a_script_is_heard_in_the_engine_context(
    parts: Parts, hearing: Any
) -> None:
    """"next" in a recording means nothing when idle; a script starts a check-in first, so the
    same recording, started at 00:30, moves to the next question."""
    row = next(r for r in dev_manifest() if r["intent"] == "checkin.next" and "clean" in r["condition"])
    path = DEV_CORPUS / row["file"]
    idle = simulated(path, parts, hearing)
    assert not any(e.intent == "checkin.next" for e in idle if e.event == "heard")
    events: list[SimEvent] = []
    simulation(parts, parse_script("00:00 start check in"), START, events.append, audio=path,
               audio_at_s=30.0, hearing=hearing)
    heard = [e for e in events if e.event == "heard" and e.intent == "checkin.next"]
    assert heard and 30.0 < heard[0].t < 30.0 + 8
    after = [e.line for e in events if e.event == "said" and e.t >= heard[0].t]
    assert "checkin.question" in after


class Words:
    """A recogniser that 'hears' the command given for an utterance ending in a time window,
    and nothing for the rest (talk): the real segmenter and gate decide what reaches it."""

    name = "scripted"

    def __init__(self, commands: dict[tuple[float, float], str]) -> None:
        self.commands = commands
        self.decoded: list[tuple[float, float]] = []

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        span = (utterance.timestamp_s, utterance.timestamp_s + utterance.duration_s)
        self.decoded.append(span)
        for (start, end), text in self.commands.items():
            if start <= span[1] <= end:
                return Transcript(text)
        return None


@pytest.mark.skipif(not TALK.exists(), reason=f"the argument corpus is not at {TALK}")
def test_the_twenty_minute_argument_replays_with_the_gate_deaf_while_haven_speaks(parts: Parts) -> None:
    """All of talk.flac through the segmenter, echo gate, matcher and engine, with a recogniser
    that hears one command a minute in: the break's lines take their spoken time, nothing is
    decoded while they play (plus the echo tail), and the rest of the argument is heard."""
    from skill.asr.hearing import Hearing

    words = Words({(55.0, 75.0): "we need a break"})
    events: list[SimEvent] = []
    started = time.process_time()
    simulation(parts, [], START, events.append, audio=TALK,
               hearing=Hearing(VadSegmenter(), words))  # type: ignore[arg-type]
    took = time.process_time() - started
    heard = [e for e in events if e.event == "heard"]
    assert [e.intent for e in heard] == ["break.start"]
    said = [e for e in events if e.event == "said"]
    assert said[0].t == heard[0].t and said[0].line == "break.started"
    tail = parts.settings.listen.echo_tail_seconds
    speaking = [(e.t, e.t + spoken_seconds(e.text, parts.settings.speech.rate_wpm) + tail) for e in said]
    for start, end in words.decoded:
        assert not any(s < end and start < e for s, e in speaking), "heard audio Haven spoke over"
    assert max(end for _, end in words.decoded) > 19 * 60  # the whole recording was heard
    assert len(words.decoded) > 100
    assert took < 60  # 20 minutes of audio, all but the recogniser: about 3 s of CPU here


@needs_dev
def test_the_cli_prints_rows_with_times_for_a_recording(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = DEV_CORPUS / "000-piper-clean.wav"
    assert main(["simulate", "--json", "--audio", str(path), "--audio-at", "01:00"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["event"] == "heard" and rows[0]["intent"] == "break.start"
    assert 60.0 < rows[0]["t"] < 64.0 and rows[0]["t"] == round(rows[0]["t"], 1)
    assert set(rows[0]) == {"t", "event", "text", "intent", "slots"}
    replies = [r for r in rows if r["event"] == "said" and r["intent"] == "break.start"]
    assert len(replies) == 2 and replies[1]["t"] > replies[0]["t"]  # the first line takes its time


def test_a_bad_audio_offset_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--audio", "x.wav", "--audio-at", "ten"]) == 1
    assert "--audio-at 'ten' is not a time" in capsys.readouterr().err


def test_spoken_length_grows_with_words_and_sentences() -> None:
    short, long = spoken_seconds("Okay.", 160), spoken_seconds("Sure. Twenty minutes of quiet, then back.", 160)
    assert 0.3 < short < 1.0 < long < 4.0
    assert np.isclose(spoken_seconds("one two three four", 120), 2.0 + 0.3)


@needs_dev
def test_a_recording_a_day_after_the_start_is_still_heard(parts: Parts, hearing: Any) -> None:
    events: list[SimEvent] = []
    simulation(parts, [], START, events.append, audio=DEV_CORPUS / "000-piper-clean.wav",
               audio_at_s=25 * 3600.0, hearing=hearing)
    heard = [e for e in events if e.event == "heard" and e.intent == "break.start"]
    assert heard and heard[0].t > 25 * 3600


class Kept:
    """The real recogniser, keeping every utterance it is handed."""

    name = "kept"

    def __init__(self, recognizer: Any) -> None:
        self.recognizer = recognizer
        self.utterances: list[AudioChunk] = []

    def listen_for(self, intents: frozenset[str]) -> None:  # the engine's context, as the real one
        self.recognizer.listen_for(intents)

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        self.utterances.append(utterance)
        return self.recognizer.recognize(utterance)


@needs_dev
def test_a_command_in_a_noisy_recording_is_heard_by_simulate_as_by_recognize(
    parts: Parts, hearing: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recording whose room noise runs to its last sample: simulate once closed its last
    utterance on a second of digital silence added after the end, and the room's level took
    its floor from those zeros, so a noisy command was heard as in a quiet room (8 of 20
    generated noisy commands against 14 by ``haven recognize``)."""
    import wave

    from skill.asr.hearing import Hearing, hear_recording
    from skill.audio.wav import read_wav

    speech = read_wav(DEV_CORPUS / "000-piper-clean.wav")  # "we need a break"
    x = np.frombuffer(speech.samples, "<i2").astype(np.float64)
    spectrum = np.fft.rfft(np.random.default_rng(7).standard_normal(len(x)))
    pink = np.fft.irfft(spectrum / np.sqrt(np.maximum(np.fft.rfftfreq(len(x), 1 / 16000), 50.0)), len(x))
    loud = x[np.abs(x) > 0.1 * np.abs(x).max()]
    pink *= np.sqrt(np.mean(loud ** 2) / np.mean(pink ** 2)) / 10 ** (15 / 20)  # 15 dB below the speech
    noisy = tmp_path / "noisy.wav"
    with wave.open(str(noisy), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.clip(x + pink, -32768, 32767).astype("<i2").tobytes())

    monkeypatch.setenv("HAVEN_STATE_DIR", str(tmp_path / "state"))
    kept = Kept(hearing.recognizer)
    hearing.recognizer.forget_noise()
    events = simulated(noisy, parts, Hearing(VadSegmenter(hearing.segmenter.settings), kept))  # type: ignore[arg-type]
    by_simulate = [(e.text, e.intent) for e in events if e.event == "heard"]
    assert kept.utterances and not any(u.samples.endswith(bytes(960)) for u in kept.utterances)
    hearing.recognizer.forget_noise()
    heard = hear_recording(read_wav(noisy), hearing.recognizer)
    assert heard is not None
    assert by_simulate == [(heard.text, "break.start")]
