"""The asyncio bridge on loops that cannot watch a socket (Windows' proactor loop): one waker thread per bridge,
chosen automatically, stopped with the loop; `TORIIHQ_ASYNCIO_WAKER=thread` forces it, so the asyncio tests also
run through it on Linux (`cargo xtask test python` does)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
import toriihq
from conftest import KEY, Mock
from toriihq import _bridge


class NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop without `add_reader`, as the proactor loop is."""

    def add_reader(self, fd: Any, callback: Any, *args: Any) -> None:
        raise NotImplementedError


def wakers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "toriihq-asyncio-waker"]


def test_a_loop_without_add_reader_gets_the_waker_thread(mock: Mock) -> None:
    loop = NoReaderLoop()
    seen: dict[str, Any] = {}

    async def go() -> None:
        async with toriihq.AsyncClient(KEY, base_url=mock.url) as client:
            results = await asyncio.gather(*(client.get_contract(id_contract=1) for _ in range(20)))
            seen["ids"] = {r["contract"]["id"] for r in results}
            seen["waker"] = _bridge.for_running_loop().waker
            seen["apps"] = [app async for app in client.get_apps_iter(size=100)]

    try:
        loop.run_until_complete(go())
    finally:
        loop.close()
    assert seen["ids"] == {1} and len(seen["apps"]) == 500
    waker = seen["waker"]
    assert waker is not None
    waker.thread.join(timeout=2)
    assert not waker.thread.is_alive(), "the waker ends with its loop"


def test_the_environment_forces_it_and_cancelling_still_stops_the_call(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_bridge.WAKER_ENV, "thread")
    mock.fault(path="/contracts/{idContract}", kind="delay", delay_ms=5000)

    async def go() -> tuple[bool, int]:
        client = toriihq.AsyncClient(KEY, base_url=mock.url)
        task = asyncio.ensure_future(client.get_contract(id_contract=1))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        bridge = _bridge.for_running_loop()
        return bridge.waker is not None, bridge.native.running()

    forced, running = asyncio.run(go())
    assert forced and running == 0
    for thread in wakers():
        thread.join(timeout=2)
    assert not wakers()
