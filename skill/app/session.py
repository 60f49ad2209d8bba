"""One ``haven run`` session: the loop, its inputs, and a clean stop.

The session owns the input queue, the status line and the signal
handling. SIGINT or SIGTERM cuts the line being spoken, ends the loop within
a fraction of a second, saves the state and returns exit code 0; the input
threads are daemons told to stop, and are not waited for long (a dead audio
device may take its time to close).
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Callable

from skill.app.listen import Item
from skill.app.loop import Loop, QueueInput
from skill.app.shutdown import Shutdown
from skill.app.status import StatusLine
from skill.messages import Say
from skill.speech.base import Speaker

log = logging.getLogger(__name__)

JOIN_S = 0.5  # per input thread, at the end


class Session:
    """Runs ``loop`` on ``queue`` until the input ends or a signal arrives."""

    def __init__(self, loop: Loop, speaker: Speaker | None, status: StatusLine) -> None:
        self.loop = loop
        self.speaker = speaker
        self.status = status
        self.queue: queue.Queue[Item] = queue.Queue()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, target: Callable[..., None], *args: object) -> threading.Thread:
        """Run an input in a daemon thread; it should return once ``stopping`` is set."""
        name = getattr(target, "__name__", "input")
        thread = threading.Thread(target=target, args=args, daemon=True, name=name)
        thread.start()
        self._threads.append(thread)
        return thread

    def stop(self) -> None:
        """From any thread: end the session soon."""
        self.stopping.set()
        self.loop.stop()
        self.queue.put(None)

    def run(self, announcement: list[Say], start_inputs: Callable[[Session], object]) -> int:
        with Shutdown() as shutdown:
            shutdown.on_stop(self.stop)
            try:
                self.loop.save()  # what the restore changed is on disk before it is announced
                self.loop.announce(announcement)
                start_inputs(self)
                self.loop.run(QueueInput(self.queue, self.loop.clock))
            finally:
                self._finish()
        return 0

    def _finish(self) -> None:
        self.stopping.set()
        self.loop.save()
        for thread in self._threads:
            thread.join(JOIN_S)
        if self.speaker is not None:
            try:
                self.speaker.close()
            except Exception as exc:  # closing a broken voice must not hide the saved state
                log.debug("closing the voice failed: %s", exc)
        self.status.close()
        log.info("stopped; state saved")
