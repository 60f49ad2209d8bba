"""``haven devices``: the audio devices sounddevice sees, with the defaults marked."""

from __future__ import annotations

import argparse
from typing import Any

from skill.errors import UserError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "devices",
        help="list audio devices (> marks the default input, < the default output)",
        description="List the audio devices PortAudio can use; pass a name or index to "
                    "haven run --input-device / --output-device.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import sounddevice as sd
    except OSError:
        raise UserError("PortAudio is not installed; install it with: sudo apt-get install libportaudio2") from None
    devices = sd.query_devices()
    default_in, default_out = sd.default.device
    if not len(devices):
        print("no audio devices found (is a microphone or speaker connected?)")
        return 0
    for index, dev in enumerate(devices):
        mark = (">" if index == default_in else " ") + ("<" if index == default_out else " ")
        kinds = []
        if dev["max_input_channels"]:
            kinds.append(f"{dev['max_input_channels']} in")
        if dev["max_output_channels"]:
            kinds.append(f"{dev['max_output_channels']} out")
        print(f"{mark} {index:>2} {dev['name']}  ({', '.join(kinds)}, "
              f"{int(dev['default_samplerate'])} Hz)")
    return 0
