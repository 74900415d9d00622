"""SIGTERM as an exception, so `pilot` stops what it does (a running plugin too) and exits 143.

Ctrl-C already arrives as KeyboardInterrupt (exit 130). Both reach a Wasm plugin that never
calls out: the runtime's epoch ticks run Python at least every few milliseconds while guest
code runs, and the handler's exception stops the guest there.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


class Terminated(BaseException):
    """The process received SIGTERM."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated()


def install() -> None:
    """Make SIGTERM raise `Terminated` (only the main thread may set handlers)."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
