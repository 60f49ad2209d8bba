"""Haven: an offline voice companion for couples."""

from __future__ import annotations

import os

from skill.offline import telemetry_off_on_import

__version__ = "0.1.0"

# Before any module can load onnxruntime: see skill.offline.
telemetry_off_on_import()

# One BLAS thread, read when numpy loads: Haven's matrices (the dereverberation's, per
# utterance) are small, and OpenBLAS's worker threads spun for 3 % of the CPU of a noisy
# stream (argument-dev's first 240 s through ``haven recognize``: 107.4 s of CPU with a
# thread per core, 104.2 s with one), CPU the live loop needs on a Pi.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
