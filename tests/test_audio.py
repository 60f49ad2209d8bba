"""WAV reading at any rate/channels, and utterance segmentation with webrtcvad on real speech."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from skill.audio.level import levels_db
from skill.audio.vad import VadSegmenter, VadSettings, speech_span
from skill.audio.wav import read_wav, split_chunks
from skill.errors import UserError
from skill.messages import AudioChunk

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"


def _write(path: Path, rate: int, channels: int, seconds: float = 1.0) -> None:
    t = np.arange(int(rate * seconds)) / rate
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    frames = np.repeat(tone[:, None], channels, axis=1)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames.tobytes())


@pytest.mark.parametrize("rate,channels", [(44100, 2), (8000, 1), (48000, 1), (16000, 2)])
def test_any_wav_becomes_16k_mono(tmp_path: Path, rate: int, channels: int) -> None:
    path = tmp_path / "tone.wav"
    _write(path, rate, channels)
    audio = read_wav(path)
    assert (audio.rate, audio.width, audio.channels) == (16000, 2, 1)
    assert abs(audio.duration_s - 1.0) < 0.01
    samples = np.frombuffer(audio.samples, np.int16)
    assert 7000 < np.abs(samples[100:-100]).max() < 8500  # the tone survives resampling


def test_unreadable_file_is_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav")
    with pytest.raises(UserError, match="not a readable WAV"):
        read_wav(bad)
    with pytest.raises(UserError, match="no such file"):
        read_wav(tmp_path / "missing.wav")


def _pad(audio: AudioChunk, seconds: float) -> AudioChunk:
    silence = bytes(int(16000 * seconds) * 2)
    return AudioChunk(16000, 2, 1, silence + audio.samples + silence)


@pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")
def test_two_utterances_are_cut_apart() -> None:
    one = read_wav(DEV / "000-piper-clean.wav")
    two = read_wav(DEV / "016-piper-fan20.wav")
    stream = AudioChunk(16000, 2, 1, _pad(one, 1.0).samples + _pad(two, 1.0).samples)
    segmenter = VadSegmenter(VadSettings(trailing_silence_seconds=0.6))
    found = [u for u in map(segmenter.feed, split_chunks(stream)) if u is not None]
    last = segmenter.flush()
    found += [last] if last else []
    assert len(found) == 2
    assert all(0.8 < u.duration_s < 4.0 for u in found)


@pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")
def test_speech_span_drops_the_silence_around_one_recording() -> None:
    one = read_wav(DEV / "000-piper-clean.wav")
    two = read_wav(DEV / "016-piper-fan20.wav")
    padded = _pad(one, 2.0)
    span = speech_span(padded, VadSettings(trailing_silence_seconds=0.6))
    assert span.duration_s < one.duration_s + 1.0 < padded.duration_s - 2.0
    own = speech_span(one, VadSettings(trailing_silence_seconds=0.6))  # the file's own silence too
    assert abs(span.timestamp_s - (2.0 + own.timestamp_s)) < 0.05
    assert abs(span.duration_s - own.duration_s) < 0.05
    start = round(span.timestamp_s * 16000) * 2
    assert padded.samples[start:start + len(span.samples)] == span.samples
    loud = levels_db(padded.samples, 480).max()
    assert levels_db(span.samples, 480).max() == loud  # none of the speech is lost
    # Two utterances in one recording: one span from the first to the last, the pause kept.
    both = AudioChunk(16000, 2, 1, _pad(one, 2.0).samples + _pad(two, 2.0).samples)
    whole = speech_span(both, VadSettings(trailing_silence_seconds=0.6))
    assert one.duration_s + two.duration_s < whole.duration_s < both.duration_s - 2.5


def test_speech_span_keeps_a_recording_with_no_speech_whole() -> None:
    silence = AudioChunk(16000, 2, 1, bytes(16000 * 2 * 2))
    assert speech_span(silence) == silence
    with pytest.raises(ValueError, match="16 kHz"):
        speech_span(AudioChunk(8000, 2, 1, bytes(1600)))


@pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")
def test_haven_recognize_decodes_the_span_the_live_loop_would_hear() -> None:
    from skill.asr.hearing import hear_recording

    class Ear:  # a recogniser that keeps what it was given
        name = "ear"

        def __init__(self) -> None:
            self.heard: list[AudioChunk] = []

        def recognize(self, utterance: AudioChunk) -> None:
            self.heard.append(utterance)

    padded = _pad(read_wav(DEV / "000-piper-clean.wav"), 2.0)
    ear = Ear()
    assert hear_recording(padded, ear) is None
    assert ear.heard == [speech_span(padded, VadSettings(trailing_silence_seconds=0.6))]
    assert ear.heard[0].duration_s < padded.duration_s - 3


def test_max_length_cuts_endless_speech() -> None:
    class AlwaysSpeech:
        def is_speech(self, frame: bytes, rate: int) -> bool:
            return True

    segmenter = VadSegmenter(VadSettings(max_utterance_seconds=1.0), vad=AlwaysSpeech())
    chunk = AudioChunk(16000, 2, 1, bytes(int(16000 * 3.0) * 2))
    cut = [u for u in map(segmenter.feed, split_chunks(chunk)) if u is not None]
    assert len(cut) >= 2 and all(u.duration_s <= 1.05 for u in cut)


def test_a_recording_reads_like_a_microphone_paced_on_its_clock(tmp_path: Path) -> None:
    from fakes import FakeTime

    from skill.app.listen import InputEnded
    from skill.app.recording import RecordingSource

    path = tmp_path / "tone.wav"
    _write(path, 16000, 1, 0.3)
    clock = FakeTime()
    source = RecordingSource(path, clock=clock)
    chunks = []
    with pytest.raises(InputEnded):
        while True:
            chunks.append(source.read(0.1))
    total = sum(c.duration_s for c in chunks if c is not None)
    assert total == pytest.approx(0.3, abs=0.001)  # no digital silence added after the end
    assert clock.now - 100.0 == pytest.approx(total, abs=0.001)  # paced: a chunk's length per chunk
    source.close()


def test_snr_estimate_tells_a_quiet_room_from_a_noisy_one() -> None:
    from skill.audio.level import snr_db

    rng = np.random.default_rng(1)
    t = np.arange(32000) / 16000
    tone = np.where((t > 0.5) & (t < 1.5), 8000 * np.sin(2 * np.pi * 220 * t), 0.0)
    quiet = tone + rng.normal(0, 10, len(t))
    noisy = tone + rng.normal(0, 1500, len(t))
    as_bytes = [np.clip(x, -32768, 32767).astype("<i2").tobytes() for x in (quiet, noisy)]
    assert snr_db(as_bytes[0]) > 40
    assert 5 < snr_db(as_bytes[1]) < 25
    assert snr_db(b"") == 0.0


@pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")
def test_an_utterance_ends_soon_after_clean_speech_does() -> None:
    """webrtcvad alone holds 'voiced' ~150 ms past the end; the energy test ends it sooner."""
    speech = np.frombuffer(read_wav(DEV / "000-piper-clean.wav").samples, np.int16)
    levels = levels_db(speech.tobytes())  # 30 ms frames
    end_s = (np.flatnonzero(levels > levels.max() - 40)[-1] + 1) * 0.03
    quiet_room = (np.random.default_rng(1).standard_normal(32000) * 3).astype(np.int16)
    stream = AudioChunk(16000, 2, 1, speech.tobytes() + quiet_room.tobytes())

    def heard_at(settings: VadSettings) -> float:
        segmenter = VadSegmenter(settings)
        fed = 0.0
        for chunk in split_chunks(stream):
            fed += chunk.duration_s
            if segmenter.feed(chunk) is not None:
                return fed
        raise AssertionError("the utterance never ended")

    trailing = 0.5
    assert heard_at(VadSettings(trailing_silence_seconds=trailing)) - end_s < trailing + 0.1
    webrtc_only = VadSettings(trailing_silence_seconds=trailing, quiet_below_peak_db=1000.0)
    assert heard_at(webrtc_only) - end_s > trailing + 0.1  # what the energy test saves


def test_a_long_utterance_is_cut_at_its_last_pause_and_the_rest_starts_the_next() -> None:
    """Eight seconds of unbroken argument and a command after a short breath: the command is
    not cut in two at the maximum length."""

    class LoudIsSpeech:
        def is_speech(self, frame: bytes, rate: int) -> bool:
            return bool(np.abs(np.frombuffer(frame, "<i2")).max() > 100)

    rng = np.random.default_rng(3)
    talk = (rng.standard_normal(int(16000 * 7.0)) * 3000).astype("<i2")  # 0-7 s
    breath = np.zeros(int(16000 * 0.15), "<i2")  # a 150 ms pause, 7.0-7.15 s
    command = (rng.standard_normal(int(16000 * 1.5)) * 3000).astype("<i2")  # 7.15-8.65 s
    tail = np.zeros(16000, "<i2")
    stream = AudioChunk(16000, 2, 1, np.concatenate([talk, breath, command, tail]).tobytes())
    segmenter = VadSegmenter(VadSettings(max_utterance_seconds=8.0, trailing_silence_seconds=0.5),
                             vad=LoudIsSpeech())
    found = [u for u in map(segmenter.feed, split_chunks(stream, 0.1)) if u is not None]
    assert len(found) == 2
    first, second = found
    assert 7.0 <= first.timestamp_s + first.duration_s <= 7.15  # cut inside the pause
    assert second.timestamp_s == pytest.approx(first.timestamp_s + first.duration_s, abs=1e-6)
    assert second.timestamp_s + second.duration_s > 8.65  # the whole command, in one utterance
    joined = first.samples + second.samples
    start = round(first.timestamp_s * 16000) * 2
    assert joined == stream.samples[start:start + len(joined)]  # nothing lost or repeated


def test_last_pause_is_the_last_long_enough_quiet_run_in_the_window() -> None:
    from skill.audio.vad import last_pause

    q = [False] * 10 + [True] * 4 + [False] * 10 + [True] * 2 + [False] * 5
    assert last_pause(q, window=30, shortest=3) == 12  # the 2-frame run is too short
    assert last_pause(q, window=15, shortest=3) is None  # the 4-frame run ends outside the window
    assert last_pause(q + [True] * 5, window=30, shortest=3) == 12  # quiet at the very end: no cut there
