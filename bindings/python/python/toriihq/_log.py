"""The core's log lines (one per attempt; see `log_level`) on the `toriihq` logger. With `TORII_LOG=info` or
`debug` and no handler of its own, the logger also writes to stderr, as a script run with it expects."""

from __future__ import annotations

import logging
import os
import sys

from . import _native

__all__ = ["emit", "flush", "logger"]

logger = logging.getLogger("toriihq")
_LEVELS = {"warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}


def emit(lines: list[tuple[str, str]]) -> None:
    for level, line in lines:
        logger.log(_LEVELS.get(level, logging.INFO), line)


def flush() -> None:
    """Lines written on the runtime's threads (asyncio calls), emitted on this one."""
    lines = _native.drain_logs()
    if lines:
        emit(lines)


def _from_environment() -> None:
    level = _LEVELS.get(os.environ.get("TORII_LOG", "").strip().lower())
    if level is None or logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


_from_environment()
