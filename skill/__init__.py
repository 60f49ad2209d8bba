"""Haven: an offline voice companion for couples."""

from __future__ import annotations

import os

__version__ = "0.1.0"

# onnxruntime (under the piper voice) otherwise looks up a Microsoft telemetry host (DNS from the
# device) and keeps a device id and a queue of events under ~/.cache/Microsoft. It reads this
# variable once, when it is first imported, so it is set before anything of Haven's can import it.
# See skill.speech.telemetry.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
