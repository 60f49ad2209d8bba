"""Every line id the engine can emit, with the parameters it passes.

``intents/lines.yaml`` is validated against this table: a missing id, an id
the engine never uses, or a ``{param}`` the engine does not pass is an error
with its file and line. Parameter kinds: ``datetime`` renders as a clock time,
``timedelta`` as a spoken duration, ``int`` and ``str`` as they are.
"""

from __future__ import annotations

from typing import Mapping

LINE_PARAMS: Mapping[str, frozenset[str]] = {
    name: frozenset(params)
    for name, params in {
        # always
        "help.idle": (),
        "help.break": (),
        "help.break_return": (),
        "help.break_return_final": (),
        "help.checkin": (),
        "help.breathing": (),
        "safety.info": ("name", "phone", "emergency"),
        "safety.info_text": ("name", "phone", "text", "emergency"),
        "safety.repeat": ("name", "phone"),
        "safety.call": ("name", "phone", "emergency"),
        "mute.on": (),
        "mute.off": (),
        # the pause-and-return
        "break.started": ("duration", "time"),
        "break.out_of_range": ("low", "high", "duration"),
        "break.offer_breathing": (),
        "break.already": ("duration", "time"),
        "break.day_limit": ("limit",),
        "break.day_left": ("duration",),
        "break.nudge": (),
        "break.heads_up": ("duration", "time"),
        "break.return": (),
        "break.return_final": (),
        "break.reprompt": (),
        "break.reprompt_final": (),
        "break.last_call": (),
        "break.status": ("duration", "time"),
        "break.status_due": (),
        "break.status_due_final": (),
        "break.none": (),
        "break.extended": ("added", "time"),
        "break.extended_to_limit": ("added", "time"),
        "break.extend_later": ("time", "end"),
        "break.at_limit": ("time",),
        "break.limit_reached": (),
        "break.confirm_end": (),
        "break.kept": ("duration", "time"),
        "break.stop_kept": ("time",),
        "break.reminders_off": (),
        "break.continues": ("duration", "time"),
        "break.return_missed": ("time",),
        "break.missed_long_ago": ("time",),
        "resume.guide": (),
        "resume.first_earlier": (),
        "resume.first_later": (),
        # guided breathing
        "breathing.intro_paced": ("duration",),
        "breathing.intro_sigh": ("duration",),
        "breathing.intro_box": ("duration",),
        "breathing.intro_478": ("rounds",),
        "breathing.no_time": ("time",),
        "breathing.done": (),
        "breathing.stopped": (),
        "breathing.stopped_in_break": ("time",),
        "breathing.already": (),
        "breathe.in": (),
        "breathe.out": (),
        "breathe.hold": (),
        "breathe.count": ("n",),
        "breathe.sigh_in": (),
        "breathe.sigh_out": (),
        # the check-in
        "checkin.intro": ("title", "count"),
        "checkin.turns_earlier": (),
        "checkin.turns_later": (),
        "checkin.section": ("title",),
        "checkin.question": ("text",),
        "checkin.skipped": (),
        "checkin.first": (),
        "checkin.closing": (),
        "checkin.stopped": (),
        "checkin.none": (),
        "checkin.already": (),
        "checkin.in_break": (),
        "checkin.restored": (),
        "turn.switch": (),
        "turn.done": (),
        # the device (said by the live loop, not the engine)
        "device.mic_lost": (),
    }.items()
}
