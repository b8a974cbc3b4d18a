"""Awaiting the core's calls from asyncio.

The Rust runtime never calls into Python: a finished call only queues its outcome and writes a byte to a socket
this module registers with the running event loop. The loop then settles the waiting futures on its own thread,
which is where the answers become Python objects. One bridge per event loop (and per process, after fork).
"""

from __future__ import annotations

import asyncio
import os
import weakref
from typing import Any

from . import _native

__all__ = ["LoopBridge", "for_running_loop"]


class LoopBridge:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.native = _native.Bridge()
        self.pid = os.getpid()
        self._loop = loop
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        loop.add_reader(self.native.fileno(), self._settle)

    def _settle(self) -> None:
        for call_id, outcome in self.native.drain():
            future = self._waiting.pop(call_id, None)
            if future is None or future.done():
                continue
            if isinstance(outcome, BaseException):  # the answers themselves are JSON values, never exceptions
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

    async def wait(self, call_id: int) -> Any:
        """The outcome of a call started on this bridge; cancelling the wait stops the call."""
        future: asyncio.Future[Any] = self._loop.create_future()
        self._waiting[call_id] = future
        try:
            return await future
        except asyncio.CancelledError:
            self._waiting.pop(call_id, None)
            self.native.cancel(call_id)
            raise


_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopBridge] = weakref.WeakKeyDictionary()


def for_running_loop() -> LoopBridge:
    loop = asyncio.get_running_loop()
    bridge = _bridges.get(loop)
    if bridge is None or bridge.pid != os.getpid():
        bridge = _bridges[loop] = LoopBridge(loop)
    return bridge
