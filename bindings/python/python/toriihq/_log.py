"""The core's log lines (one per attempt; see `log_level`) on the `toriihq` logger. With `TORII_LOG=info` or
`debug` and no handler of its own, the logger also writes to stderr, as a script run with it expects. `logging`
loads when a line is emitted or TORII_LOG is set, not with the package (it was a fifth of `import toriihq`)."""

from __future__ import annotations

import os

from . import _native

TYPE_CHECKING = False  # not `typing`'s: `import toriihq` does without `typing`

if TYPE_CHECKING:
    import logging

__all__ = ["emit", "flush", "logger"]

_LEVELS = {"warning": 30, "info": 20, "debug": 10}  # logging.WARNING, INFO, DEBUG


def logger() -> logging.Logger:
    import logging

    return logging.getLogger("toriihq")


def emit(lines: list[tuple[str, str]]) -> None:
    log = logger()
    for level, line in lines:
        log.log(_LEVELS.get(level, 20), line)


def flush() -> None:
    """Lines written on the runtime's threads (asyncio calls), emitted on this one."""
    lines = _native.drain_logs()
    if lines:
        emit(lines)


def _from_environment() -> None:
    level = _LEVELS.get(os.environ.get("TORII_LOG", "").strip().lower())
    if level is None:
        return
    import logging
    import sys

    log = logger()
    if log.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(level)


_from_environment()
