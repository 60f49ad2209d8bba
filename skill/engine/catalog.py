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
        "help.checkin": (),
        "help.checkin_opening": (),
        "help.checkin_paused": (),
        "help.breathing": (),
        "safety.info": ("name", "phone", "text"),
        "safety.info_phone": ("name", "phone"),
        # the pause-and-return
        "break.started": ("duration", "time"),
        "break.out_of_range": ("low", "high", "duration"),
        "break.offer_breathing": (),
        "break.already": ("time",),
        "break.nudge": (),
        "break.heads_up": ("duration", "time"),
        "break.return": (),
        "break.reprompt": (),
        "break.last_call": (),
        "break.status": ("duration", "time"),
        "break.status_due": (),
        "break.none": (),
        "break.extended": ("added", "time"),
        "break.extended_to_cap": ("cap", "time"),
        "break.at_cap": ("cap",),
        "break.stopped": (),
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
        "breathing.intro_478": (),
        "breathing.done": (),
        "breathing.stopped": (),
        "breathing.stopped_in_break": ("time",),
        "breathing.already": (),
        "breathe.in4": (),
        "breathe.out6": (),
        "breathe.out4": (),
        "breathe.out8": (),
        "breathe.hold4": (),
        "breathe.hold7": (),
        "breathe.sigh_in": (),
        "breathe.sigh_out": (),
        # the check-in
        "checkin.intro": ("title", "count"),
        "checkin.intro_one": ("title",),
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
        "checkin.opening": ("title",),
        "checkin.opening_expired": (),
        "checkin.another_time": (),
        "checkin.guidance": ("text",),
        "checkin.paused": (),
        "checkin.continued": (),
        "checkin.not_paused": (),
        "checkin.enough": (),
        "turn.first_earlier": ("duration",),
        "turn.first_later": ("duration",),
        "turn.sum_up": (),
        "turn.swap": ("duration",),
        "turn.both_done": (),
        "turn.done": (),
        # the device (said by the live loop, not the engine)
        "device.mic_lost": (),
    }.items()
}
