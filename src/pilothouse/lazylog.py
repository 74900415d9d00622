"""A logger that imports `logging` only when something is logged.

`logging` (with the modules it pulls in: traceback, string, threading's helpers) costs several
milliseconds of start-up in every command, and most runs never log a line. Modules keep a
``log = LazyLogger(name)`` and call it as they would a `logging.Logger`.
"""

from __future__ import annotations

from typing import Any


class LazyLogger:
    """Stands for ``logging.getLogger(name)``; the real logger is fetched on first use."""

    __slots__ = ("_name", "_logger")

    def __init__(self, name: str) -> None:
        self._name = name
        self._logger: Any = None

    def __getattr__(self, attr: str) -> Any:
        logger = self._logger
        if logger is None:
            import logging

            logger = self._logger = logging.getLogger(self._name)
        return getattr(logger, attr)
