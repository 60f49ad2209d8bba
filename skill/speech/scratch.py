"""Where the pyttsx3 voice's one-line WAV files are written, and their clean-up.

espeak-ng (through pyttsx3) can only render into a file. A temporary directory
in ``/tmp`` outlived a ``kill -9`` with the last spoken line in it, so the file
lives in a private directory of Haven's own (mode 0700): the user's runtime
directory (a tmpfs, emptied at logout) when there is one, else Haven's state
directory. Each process names its file after its pid, deletes it as soon as it
is read, and on start removes the files left by processes that no longer run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from skill.paths import state_dir

_NAME = re.compile(r"^line-(\d+)\.wav$")


def scratch_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "haven" if runtime and Path(runtime).is_dir() else state_dir() / "scratch"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    base.chmod(0o700)
    return base


def scratch_file() -> Path:
    """This process's scratch file, after removing what dead processes left behind."""
    directory = scratch_dir()
    remove_leftovers(directory)
    return directory / f"line-{os.getpid()}.wav"


def remove_leftovers(directory: Path) -> list[Path]:
    removed = []
    for path in directory.iterdir():
        found = _NAME.match(path.name)
        if found and not _alive(int(found.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process with that pid: leave its file alone
    return True
