"""Awaiting the core's calls from asyncio.

The Rust runtime never calls into Python: a finished call only queues its outcome and raises a flag. The loop then
settles the waiting futures on its own thread, which is where the answers become Python objects. One bridge per
event loop (and per process, after fork).

The loop learns of the flag through a socket it watches (`loop.add_reader`), or — on a loop without
`add_reader`, such as Windows' proactor loop, or with `TORIIHQ_ASYNCIO_WAKER=thread` — from one waker thread per
bridge that waits in Rust with the GIL released and calls `loop.call_soon_threadsafe`. That thread is not a daemon
and is stopped by `threading`'s exit hooks, before the interpreter finalises, so it never runs during finalisation.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import Callable
from typing import Any

from . import _log, _native

__all__ = ["LoopBridge", "for_running_loop"]

WAKER_ENV = "TORIIHQ_ASYNCIO_WAKER"


class LoopBridge:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.native = _native.Bridge()
        self.pid = os.getpid()
        self._loop = loop
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._progress: dict[int, Callable[[int, int], object]] = {}
        self.waker: _Waker | None = None
        if os.environ.get(WAKER_ENV) == "thread" or not self._watch_socket():
            self.waker = _Waker(self)

    def _watch_socket(self) -> bool:
        fileno = getattr(self.native, "fileno", None)
        if fileno is None:
            return False
        try:
            self._loop.add_reader(fileno(), self._settle)
        except NotImplementedError:
            return False
        return True

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


class _Waker:
    """The waker thread of a bridge whose loop cannot watch a socket: it waits in Rust, GIL released, and hands each
    wake-up to the loop. It ends when the loop closes, or at interpreter exit, before finalisation."""

    def __init__(self, bridge: LoopBridge) -> None:
        self._bridge = bridge
        self._stopping = False
        self.thread = threading.Thread(target=self._run, name="toriihq-asyncio-waker")
        self.thread.start()
        threading._register_atexit(self.stop)  # type: ignore[attr-defined]  # runs before threads are joined

    def _run(self) -> None:
        bridge = self._bridge
        while not self._stopping:
            if not bridge.native.wait(0.5):
                if bridge._loop.is_closed():
                    return
                continue
            if self._stopping:
                return
            try:
                bridge._loop.call_soon_threadsafe(bridge._settle)
            except RuntimeError:  # the loop closed in between
                return

    def stop(self) -> None:
        self._stopping = True
        self._bridge.native.wake()


_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopBridge] = weakref.WeakKeyDictionary()


def for_running_loop() -> LoopBridge:
    loop = asyncio.get_running_loop()
    bridge = _bridges.get(loop)
    if bridge is None or bridge.pid != os.getpid():
        bridge = _bridges[loop] = LoopBridge(loop)
    return bridge
