"""The package in the way services run it: threads that come and go, an event loop per job, a thread pool, a
client whose progress callback runs while other threads call. Memory and descriptors stay flat; `cargo xtask soak`
runs the long versions against the built wheel."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import toriihq
from conftest import KEY, Mock


def resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_short_lived_threads_over_one_client_leave_nothing_behind(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0)
    failures: list[BaseException] = []

    def call() -> None:
        try:
            client.get_organization()
        except BaseException as error:  # noqa: BLE001 - collected, asserted below
            failures.append(error)

    def churn(threads: int) -> None:
        for _ in range(threads):
            thread = threading.Thread(target=call)
            thread.start()
            thread.join()

    churn(50)
    gc.collect()
    rss, fds = resident_kb(), open_fds()
    churn(400)  # a runtime and a connection pool per thread cost 0.2 MiB each: 80 MiB here
    gc.collect()
    assert failures == []
    assert resident_kb() - rss < 15 * 1024, (rss, resident_kb())
    assert open_fds() - fds <= 5, (fds, open_fds())


def test_asyncio_run_per_job_keeps_no_descriptor_per_loop(mock: Mock) -> None:
    client = toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0)
    for _ in range(20):
        asyncio.run(client.get_organization())
    gc.collect()
    fds = open_fds()
    for _ in range(300):  # two sockets a loop were kept: 600 descriptors here
        asyncio.run(client.get_organization())
    gc.collect()
    assert open_fds() - fds <= 10, (fds, open_fds())


def test_a_closed_loop_someone_still_holds_has_its_bridge_closed(mock: Mock) -> None:
    client = toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0)
    kept = []
    fds = open_fds()
    for _ in range(100):
        loop = asyncio.new_event_loop()
        loop.run_until_complete(client.get_organization())
        loop.close()
        kept.append(loop)  # a closed loop that is never collected
    asyncio.run(client.get_organization())  # a new loop's first call closes the bridges of closed ones
    assert open_fds() - fds <= 10, (fds, open_fds())


def test_a_thread_pool_shares_one_connection_pool(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0)
    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda i: client.get_contract(id_contract=1 + i % 5)["contract"]["id"], range(640)))
    assert answers == [1 + i % 5 for i in range(640)]


def test_a_blocking_uploads_progress_reaches_its_callback_on_the_calling_thread(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0)
    seen: list[tuple[int, int, str]] = []
    uploaded = client.upload(
        file=b"x" * (5 * 1024 * 1024),
        file_type="attachment",
        progress=lambda sent, total: seen.append((sent, total, threading.current_thread().name)),
    )
    assert uploaded["id"]
    assert seen and seen[-1][:2] == (5 * 1024 * 1024, 5 * 1024 * 1024)
    assert {name for _, _, name in seen} == {threading.current_thread().name}
