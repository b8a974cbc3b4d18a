"""Awaiting the core's calls from asyncio.

The Rust runtime never calls into Python: a finished call only queues its outcome and raises a flag. The loop then
settles the waiting futures on its own thread, which is where the answers become Python objects. One bridge per
event loop (and per process, after fork).

The loop learns of the flag through a socket it watches (`loop.add_reader`), or — on a loop without
`add_reader`, such as Windows' proactor loop, or with `TORIIHQ_ASYNCIO_WAKER=thread` — from one waker thread per
bridge that waits in Rust with the GIL released and calls `loop.call_soon_threadsafe`. That thread is not a daemon
and is stopped by `threading`'s exit hooks, before the interpreter finalises, so it never runs during finalisation.

A bridge ends with its loop: it holds the loop weakly, so a loop that is dropped (as `asyncio.run` drops its own)
takes its bridge with it, and a loop found closed when another one first calls has its bridge closed — the socket
pair released and the waker thread stopped. Services that run `asyncio.run(...)` per job keep no descriptor per job.
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
        self._loop_ref = weakref.ref(loop)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._progress: dict[int, Callable[[int, int], object]] = {}
        self.waker: _Waker | None = None
        if os.environ.get(WAKER_ENV) == "thread" or not self._watch_socket(loop):
            self.waker = _Waker(self)
            # The thread would notice a loop gone within its half-second wait; told at once, it ends at once.
            weakref.finalize(loop, self.waker.stop)

    @property
    def _loop(self) -> asyncio.AbstractEventLoop:
        loop = self._loop_ref()
        if loop is None:  # only a running loop's bridge is used, and a running loop is alive
            raise RuntimeError("the event loop of this bridge is gone")
        return loop

    def loop_is_gone(self) -> bool:
        loop = self._loop_ref()
        return loop is None or loop.is_closed()

    def _watch_socket(self, loop: asyncio.AbstractEventLoop) -> bool:
        fileno = getattr(self.native, "fileno", None)
        if fileno is None:
            return False
        try:
            loop.add_reader(fileno(), self._settle)
        except NotImplementedError:
            return False
        return True

    def close(self) -> None:
        """Releases what this bridge holds once its loop is closed: the waker thread, and the socket pair (the
        native bridge goes, and with it the socket; calls still running hold only their end, until they end)."""
        if self.waker is not None:
            self.waker.stop()
        self.native.close()

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
    wake-up to the loop. It ends when the loop closes or goes, or at interpreter exit, before finalisation."""

    def __init__(self, bridge: LoopBridge) -> None:
        self._native = bridge.native
        self._bridge_ref = weakref.ref(bridge)
        self._stopping = False
        self.thread = threading.Thread(target=self._run, name="toriihq-asyncio-waker")
        _live_wakers.add(self)
        self.thread.start()

    def _run(self) -> None:
        try:
            while not self._stopping:
                woken = self._native.wait(0.5)
                bridge = self._bridge_ref()
                if bridge is None or bridge.loop_is_gone() or self._stopping:
                    return
                if not woken:
                    continue
                try:
                    bridge._loop.call_soon_threadsafe(bridge._settle)
                except RuntimeError:  # the loop closed in between
                    return
                del bridge
        finally:
            _live_wakers.discard(self)

    def stop(self) -> None:
        self._stopping = True
        self._native.wake()


#: Waker threads still running: stopped by one exit hook before `threading` joins its threads.
_live_wakers: weakref.WeakSet[_Waker] = weakref.WeakSet()


def _stop_wakers() -> None:
    for waker in list(_live_wakers):
        waker.stop()


threading._register_atexit(_stop_wakers)  # type: ignore[attr-defined]  # runs before threads are joined

_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopBridge] = weakref.WeakKeyDictionary()


def for_running_loop() -> LoopBridge:
    loop = asyncio.get_running_loop()
    bridge = _bridges.get(loop)
    if bridge is None or bridge.pid != os.getpid():
        _close_bridges_of_closed_loops()
        bridge = _bridges[loop] = LoopBridge(loop)
    return bridge


def _close_bridges_of_closed_loops() -> None:
    """A closed loop someone still holds keeps its entry; its bridge is closed all the same. Runs when a new loop
    first calls, so never more often than loops are made."""
    for loop, bridge in list(_bridges.items()):
        if loop.is_closed():
            bridge.close()
            del _bridges[loop]
