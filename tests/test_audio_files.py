"""Recordings of every PCM kind are heard; every broken one is one sentence naming the file."""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from skill.audio.convert import ChunkConverter
from skill.audio.wav import MAX_HOURS, AudioFile, read_wav
from skill.cli import main
from skill.errors import UserError
from skill.messages import AudioChunk

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"


def tone(rate: int, seconds: float = 1.0, channels: int = 1) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    wave = 0.25 * np.sin(2 * np.pi * 440 * t)
    return np.repeat(wave[:, None], channels, axis=1)


def write(path: Path, samples: np.ndarray, rate: int, subtype: str, fmt: str = "WAV") -> Path:
    import soundfile

    soundfile.write(str(path), samples, rate, subtype=subtype, format=fmt)
    return path


def level(audio: AudioChunk) -> float:
    samples = np.frombuffer(audio.samples, np.int16)[200:-200].astype(np.float64)
    return float(np.abs(samples).max()) / 32768


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"])
def test_every_pcm_width_is_heard_at_its_level(tmp_path: Path, subtype: str) -> None:
    audio = read_wav(write(tmp_path / "tone.wav", tone(22050), 22050, subtype))
    assert (audio.rate, audio.width, audio.channels) == (16000, 2, 1)
    assert audio.duration_s == pytest.approx(1.0, abs=0.002)
    assert level(audio) == pytest.approx(0.25, abs=0.01)


@pytest.mark.parametrize("rate,channels", [(8000, 1), (44100, 2), (48000, 6), (96000, 1)])
def test_any_rate_and_channel_count_becomes_16k_mono(tmp_path: Path, rate: int, channels: int) -> None:
    audio = read_wav(write(tmp_path / "tone.flac", tone(rate, channels=channels), rate, "PCM_16", "FLAC"))
    assert audio.duration_s == pytest.approx(1.0, abs=0.002)
    assert level(audio) == pytest.approx(0.25, abs=0.01)  # averaged channels, no loss in the passband


def test_a_tone_above_the_speech_band_does_not_fold_into_it(tmp_path: Path) -> None:
    t = np.arange(48000) / 48000
    whistle = 0.5 * np.sin(2 * np.pi * 11000 * t)  # over 8 kHz: linear interpolation folds it to 5 kHz
    audio = read_wav(write(tmp_path / "whistle.wav", whistle, 48000, "PCM_16"))
    assert level(audio) < 0.005


def wav_header(rate: int = 16000, channels: int = 1, bits: int = 16, data_bytes: int = 3200) -> bytes:
    align = channels * bits // 8
    return (b"RIFF" + struct.pack("<I", (36 + data_bytes) & 0xFFFFFFFF) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, channels, rate, (rate * align) & 0xFFFFFFFF, align, bits)
            + b"data" + struct.pack("<I", data_bytes & 0xFFFFFFFF))


BROKEN = {
    "empty": (b"", "not a readable WAV or FLAC"),
    "not audio": (b"this is a text file, not a recording\n" * 10, "not a readable WAV or FLAC"),
    "torn header": (wav_header()[:20], "not a readable WAV or FLAC"),
    "header only": (wav_header(data_bytes=0), "holds no audio"),
    "rate 0 Hz": (wav_header(rate=0) + bytes(3200), "not a readable WAV or FLAC"),
    "rate 1 Hz": (wav_header(rate=1) + bytes(3200), "1 Hz is not an audio rate"),
    "rate 4 GHz": (wav_header(rate=4_000_000_000) + bytes(3200), "not a readable WAV or FLAC"),
    "no channels": (wav_header(channels=0) + bytes(3200), "not a readable WAV or FLAC"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_file_is_one_sentence_naming_it(tmp_path: Path, kind: str) -> None:
    data, says = BROKEN[kind]
    path = tmp_path / "broken.wav"
    path.write_bytes(data)
    with pytest.raises(UserError, match=says) as raised:
        read_wav(path)
    message = str(raised.value)
    assert str(path) in message and "\n" not in message


def test_a_missing_file_and_a_directory_are_named(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="missing.wav: no such file"):
        read_wav(tmp_path / "missing.wav")
    with pytest.raises(UserError, match="not a file"):
        read_wav(tmp_path)


def test_a_truncated_file_is_heard_as_far_as_it_goes(tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    path.write_bytes(wav_header(data_bytes=32000) + np.full(8000, 1000, "<i2").tobytes()[:15999])
    audio = read_wav(path)  # the header promises 1 s; half a second (and a torn sample) is there
    assert audio.duration_s == pytest.approx(0.5, abs=0.01)


def test_a_header_claiming_days_of_audio_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "forged.wav"
    frames = (MAX_HOURS + 1) * 3600 * 4000  # 8-bit mono at 4 kHz: the smallest file per hour
    with path.open("wb") as out:
        out.write(wav_header(rate=4000, bits=8, data_bytes=frames))
        out.truncate(44 + frames)  # sparse: nothing is written to disk
    with pytest.raises(UserError, match="hours of audio"):
        AudioFile(path)


def test_a_long_recording_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    noise = (rng.normal(0, 0.1, 8000 * 600)).astype(np.float32)  # 10 minutes at 8 kHz
    path = write(tmp_path / "long.wav", noise, 8000, "PCM_16")
    del noise
    tracemalloc.start()
    try:
        with AudioFile(path) as audio:
            seconds = sum(chunk.duration_s for chunk in audio.chunks())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seconds == pytest.approx(600, abs=0.05)
    assert peak < 4_000_000  # the whole file as float64 would be 38 MB; at 16 kHz int16, 19 MB


def test_simulate_reports_a_bad_recording_in_one_sentence(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(wav_header(rate=1) + bytes(3200))
    assert main(["simulate", "--audio", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.wav" in err and "Traceback" not in err


def mic_blocks(samples: np.ndarray, rate: int) -> list[AudioChunk]:
    """What a microphone at ``rate`` delivers: 30 ms blocks of 16-bit mono."""
    pcm = np.clip(np.round(samples * 32768), -32768, 32767).astype("<i2")
    step = int(rate * 0.03)
    return [AudioChunk(rate, 2, 1, pcm[i:i + step].tobytes(), i / rate) for i in range(0, len(pcm), step)]


@pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")
@pytest.mark.parametrize("rate", [48000, 44100])
def test_an_utterance_through_the_microphone_path_at_48_and_44k_is_heard_as_at_16k(
    tmp_path: Path, rate: int
) -> None:
    """The dev file played at ``rate`` (a sox conversion, as a sound card would capture it) and
    fed block by block through the microphone's converter gives the 16 kHz file's transcript."""
    import subprocess

    from skill.asr.hearing import hear_recording
    from skill.asr.factory import make_recognizer
    from skill.config import ListenSettings

    source = DEV / "009-piper-clean.wav"
    played = tmp_path / f"played-{rate}.wav"
    subprocess.run(["sox", str(source), "-r", str(rate), str(played)], check=True)
    import soundfile

    samples, _ = soundfile.read(str(played), dtype="float32")
    converter = ChunkConverter()
    heard = b"".join(converter.convert(block).samples for block in mic_blocks(samples, rate))
    recognizer = make_recognizer(ListenSettings(recognizer="pocketsphinx"))
    expected = hear_recording(read_wav(source), recognizer)
    got = hear_recording(AudioChunk(16000, 2, 1, heard), recognizer)
    assert expected is not None and got is not None
    assert got.text == expected.text
