"""Awaiting the core's calls from asyncio.

The Rust runtime never calls into Python: a finished call only queues its outcome and writes a byte to a socket
this module registers with the running event loop. The loop then settles the waiting futures on its own thread,
which is where the answers become Python objects. One bridge per event loop (and per process, after fork).
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import Callable
from typing import Any

from . import _log, _native

__all__ = ["LoopBridge", "for_running_loop"]


class LoopBridge:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.native = _native.Bridge()
        self.pid = os.getpid()
        self._loop = loop
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._progress: dict[int, Callable[[int, int], object]] = {}
        loop.add_reader(self.native.fileno(), self._settle)

    def _settle(self) -> None:
        outcomes = self.native.drain()
        _log.flush()
        for call_id, outcome in outcomes:
            future = self._waiting.pop(call_id, None)
            if future is None or future.done():
                continue
            if isinstance(outcome, BaseException):  # the answers themselves are JSON values, never exceptions
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
        for call_id, sent, total in self.native.drain_progress():
            callback = self._progress.get(call_id)
            if callback is None:
                continue
            try:
                callback(sent, total)
            except Exception as error:  # noqa: BLE001 - a broken progress bar must not stop the upload
                self._loop.call_exception_handler(
                    {"message": "a toriihq progress callback raised", "exception": error}
                )

    async def wait(self, call_id: int, progress: Callable[[int, int], object] | None = None) -> Any:
        """The outcome of a call started on this bridge; cancelling the wait stops the call. `progress` hears an
        upload's progress, on the loop's thread."""
        future: asyncio.Future[Any] = self._loop.create_future()
        self._waiting[call_id] = future
        if progress is not None:
            self._progress[call_id] = progress
        try:
            return await future
        except asyncio.CancelledError:
            self._waiting.pop(call_id, None)
            self.native.cancel(call_id)
            raise
        finally:
            self._progress.pop(call_id, None)


_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopBridge] = weakref.WeakKeyDictionary()


def for_running_loop() -> LoopBridge:
    loop = asyncio.get_running_loop()
    bridge = _bridges.get(loop)
    if bridge is None or bridge.pid != os.getpid():
        bridge = _bridges[loop] = LoopBridge(loop)
    return bridge
