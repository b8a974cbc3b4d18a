"""One measurement of one client, in a fresh process, for `cargo xtask bench`.

usage: driver.py SCENARIO CLIENT SECONDS BASE_URL API_KEY
Prints one JSON line: {"count": operations or items, "seconds": measured time, "rss_kb": peak RSS}.
Every client does the same work: the HTTP call, and the JSON decoded into Python objects.
"""

from __future__ import annotations

import sys
import time

MODULES = {
    "toriihq": "toriihq",
    "requests": "requests",
    "httpx": "httpx",
    "aiohttp": "aiohttp",
    "pyreqwest": "pyreqwest.client",
    "openapi-python-client": "torii_api_client.api.contracts.get_contracts_idcontract",
}

if sys.argv[1] == "import":
    # Before anything else is imported: the client pays for everything it pulls in (asyncio, json, typing...).
    started = time.perf_counter()
    __import__(MODULES[sys.argv[2]])
    import_seconds = time.perf_counter() - started

import asyncio
import json
import os
import resource
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

SCENARIO, CLIENT, SECONDS, URL, KEY = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
HEADERS = {"Authorization": f"Bearer {KEY}"}
IN_FLIGHT = 64
PAGE = 1000


def report(count: int, seconds: float) -> None:
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"count": count, "seconds": seconds, "rss_kb": rss_kb}))


# --- one call: getContract, or (scenario "page") one page of 1,000 users, decoded ----------------------------


def sequential_call(page: bool) -> Callable[[], Any]:
    path = f"/users?size={PAGE}" if page else "/contracts/1"
    if CLIENT == "toriihq":
        import toriihq

        client = toriihq.Client(KEY, base_url=URL, max_retries=0)
        if page:
            return lambda: client.get_users(size=PAGE)
        return lambda: client.get_contract(id_contract=1)
    if CLIENT == "requests":
        import requests

        session = requests.Session()
        session.headers.update(HEADERS)
        return lambda: session.get(f"{URL}{path}").json()
    if CLIENT == "httpx":
        import httpx

        httpx_client = httpx.Client(base_url=URL, headers=HEADERS)
        return lambda: httpx_client.get(path).json()
    if CLIENT == "pyreqwest":
        from pyreqwest.client import SyncClientBuilder

        reqwest = SyncClientBuilder().base_url(URL).default_headers(HEADERS).build()
        return lambda: reqwest.get(path).build().send().json()
    if CLIENT == "openapi-python-client":
        from torii_api_client import AuthenticatedClient
        from torii_api_client.api.contracts import get_contracts_idcontract
        from torii_api_client.api.users import get_users

        # Torii's spec declares its answers as `*/*`, so the generated functions return the raw response: its
        # users parse the JSON themselves, as here.
        generated = AuthenticatedClient(base_url=URL, token=KEY)
        if page:
            return lambda: json.loads(get_users.sync_detailed(client=generated, size=PAGE).content)
        return lambda: json.loads(get_contracts_idcontract.sync_detailed(id_contract=1, client=generated).content)
    raise SystemExit(f"no sequential client {CLIENT}")


async def async_call() -> tuple[Callable[[], Awaitable[Any]], Callable[[], Awaitable[None]]]:
    """The call, and how to close the client afterwards."""
    if CLIENT == "toriihq":
        import toriihq

        client = toriihq.AsyncClient(KEY, base_url=URL, max_retries=0)
        return (lambda: client.get_contract(id_contract=1)), client.close
    if CLIENT == "httpx":
        import httpx

        httpx_client = httpx.AsyncClient(base_url=URL, headers=HEADERS, limits=httpx.Limits(max_connections=IN_FLIGHT))

        async def httpx_get() -> Any:
            return (await httpx_client.get("/contracts/1")).json()

        return httpx_get, httpx_client.aclose
    if CLIENT == "aiohttp":
        import aiohttp

        session = aiohttp.ClientSession(URL, headers=HEADERS, connector=aiohttp.TCPConnector(limit=IN_FLIGHT))

        async def aiohttp_get() -> Any:
            async with session.get("/contracts/1") as answer:
                return await answer.json()

        return aiohttp_get, session.close
    if CLIENT == "pyreqwest":
        from pyreqwest.client import ClientBuilder

        reqwest = ClientBuilder().base_url(URL).default_headers(HEADERS).build()

        async def reqwest_get() -> Any:
            return await (await reqwest.get("/contracts/1").build().send()).json()

        return reqwest_get, reqwest.close
    if CLIENT == "openapi-python-client":
        from torii_api_client import AuthenticatedClient
        from torii_api_client.api.contracts import get_contracts_idcontract

        generated = AuthenticatedClient(base_url=URL, token=KEY, httpx_args={"limits": _httpx_limits()})

        async def generated_get() -> Any:
            return json.loads((await get_contracts_idcontract.asyncio_detailed(id_contract=1, client=generated)).content)

        async def close() -> None:
            await generated.get_async_httpx_client().aclose()

        return generated_get, close
    raise SystemExit(f"no asyncio client {CLIENT}")


def _httpx_limits() -> Any:
    import httpx

    return httpx.Limits(max_connections=IN_FLIGHT)


def run_sequential(page: bool) -> None:
    call = sequential_call(page)
    call()  # connect, warm caches
    count, started = 0, time.perf_counter()
    deadline = started + SECONDS
    while True:
        result = call()
        count += 1
        if count & 3 == 0 and time.perf_counter() >= deadline:
            break
    assert result is not None
    report(count, time.perf_counter() - started)


async def run_in_flight() -> None:
    call, close = await async_call()
    await asyncio.gather(*(call() for _ in range(IN_FLIGHT)))  # open the connections
    count = 0
    deadline = 0.0

    async def worker() -> None:
        nonlocal count
        while time.perf_counter() < deadline:
            assert await call() is not None
            count += 1

    started = time.perf_counter()
    deadline = started + SECONDS
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    elapsed = time.perf_counter() - started
    await close()
    report(count, elapsed)


# --- paginate: every user, 1000 per page, following nextCursor ----------------------------------------------


def users() -> Iterator[Any]:
    if CLIENT == "toriihq":
        import toriihq

        yield from toriihq.Client(KEY, base_url=URL, max_retries=0).get_users_iter(size=PAGE)
        return
    if CLIENT == "openapi-python-client":
        from torii_api_client import AuthenticatedClient
        from torii_api_client.api.users import get_users
        from torii_api_client.types import UNSET

        generated = AuthenticatedClient(base_url=URL, token=KEY)
        cursor: Any = UNSET
        while True:
            body = json.loads(get_users.sync_detailed(client=generated, size=PAGE, cursor=cursor).content)
            yield from body["users"]
            cursor = body.get("nextCursor")
            if not cursor:
                return
    get = page_getter()
    params: dict[str, Any] = {"size": PAGE}
    while True:
        body = get(params)
        yield from body["users"]
        if not body.get("nextCursor"):
            return
        params["cursor"] = body["nextCursor"]


def page_getter() -> Callable[[dict[str, Any]], Any]:
    if CLIENT == "requests":
        import requests

        session = requests.Session()
        session.headers.update(HEADERS)
        return lambda params: session.get(f"{URL}/users", params=params).json()
    if CLIENT == "httpx":
        import httpx

        httpx_client = httpx.Client(base_url=URL, headers=HEADERS)
        return lambda params: httpx_client.get("/users", params=params).json()
    if CLIENT == "pyreqwest":
        from pyreqwest.client import SyncClientBuilder

        reqwest = SyncClientBuilder().base_url(URL).default_headers(HEADERS).build()
        return lambda params: reqwest.get("/users").query(params).build().send().json()
    raise SystemExit(f"no paging client {CLIENT}")


def run_file_job() -> None:
    """`upload` or `sync` of the file TORIIHQ_BENCH_FILE, once, with toriihq: its peak RSS is the figure."""
    import toriihq

    client = toriihq.Client(KEY, base_url=URL, max_retries=0)
    path = os.environ["TORIIHQ_BENCH_FILE"]
    started = time.perf_counter()
    if SCENARIO == "upload":
        client.upload(file=path, file_type="attachment")
    else:
        client.sync_custom_integration_data(id_app_account=int(os.environ["TORIIHQ_BENCH_ACCOUNT"]), file=path)
    report(os.path.getsize(path), time.perf_counter() - started)


def resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class SoakTally:
    """What `cargo xtask soak` reads: outcomes by kind, and memory and descriptors after call 1,000 and at the end.
    Call `i` is a POST when i % 20 == 0 (its contract name is unique, so the mock's store shows one run twice), a PUT
    when i % 20 < 4, else a GET."""

    def __init__(self) -> None:
        self.calls, self.prefix = int(os.environ["TORIIHQ_SOAK_CALLS"]), os.environ["TORIIHQ_SOAK_PREFIX"]
        self.counts: dict[str, int] = {"ok": 0, "posts_ok": 0, "untyped": 0}
        self.kinds: dict[str, int] = {}
        self.marks: dict[str, int] = {}
        self.started = time.perf_counter()

    def call(self, i: int) -> tuple[str, dict[str, Any]]:
        contract = i % 5 + 1
        if i % 20 == 0:
            return "create_contract", {"body": {"name": f"{self.prefix}-{i}", "idApp": 1, "status": "active"}}
        if i % 20 < 4:
            return "update_contract", {"id_contract": contract, "body": {"name": f"soak {i}"}}
        return "get_contract", {"id_contract": contract}

    def record(self, i: int, error: BaseException | None) -> None:
        import toriihq

        if error is None:
            self.counts["ok"] += 1
            self.counts["posts_ok"] += i % 20 == 0
        elif isinstance(error, toriihq.ToriiError):
            self.kinds[error.kind] = self.kinds.get(error.kind, 0) + 1
        else:
            self.counts["untyped"] += 1
        if i == 1000:
            self.marks.update(rss_1000_kb=resident_kb(), fds_1000=open_fds())

    def print(self) -> None:
        seconds = time.perf_counter() - self.started
        print(json.dumps({"calls": self.calls, "seconds": seconds, **self.counts, "typed": self.kinds, **self.marks,
                          "rss_end_kb": resident_kb(), "fds_end": open_fds()}))


async def run_soak() -> None:
    """The soak on one AsyncClient, 64 calls in flight."""
    import toriihq

    tally = SoakTally()
    indices = iter(range(tally.calls))
    async with toriihq.AsyncClient(KEY, base_url=URL, max_retries=2) as client:

        async def worker() -> None:
            for i in indices:
                name, arguments = tally.call(i)
                try:
                    await getattr(client, name)(**arguments)
                    tally.record(i, None)
                except Exception as error:  # noqa: BLE001 - record() tells ours from anything else
                    tally.record(i, error)

        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    tally.print()


def run_soak_threads() -> None:
    """The soak on one blocking Client shared by 8 threads, each one call at a time."""
    import threading

    import toriihq

    tally = SoakTally()
    indices = iter(range(tally.calls))
    lock = threading.Lock()
    with toriihq.Client(KEY, base_url=URL, max_retries=2) as client:

        def worker() -> None:
            while True:
                with lock:
                    i = next(indices, None)
                if i is None:
                    return
                name, arguments = tally.call(i)
                error: BaseException | None = None
                try:
                    getattr(client, name)(**arguments)
                except Exception as raised:  # noqa: BLE001 - record() tells ours from anything else
                    error = raised
                with lock:
                    tally.record(i, error)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    tally.print()


def run_paginate() -> None:
    started = time.perf_counter()
    count = sum(1 for _ in users())
    report(count, time.perf_counter() - started)


if SCENARIO == "import":
    report(1, import_seconds)
elif SCENARIO in ("sequential", "page"):
    run_sequential(SCENARIO == "page")
elif SCENARIO == "in_flight":
    asyncio.run(run_in_flight())
elif SCENARIO == "paginate":
    run_paginate()
elif SCENARIO in ("upload", "sync"):
    run_file_job()
elif SCENARIO == "soak":
    asyncio.run(run_soak())
elif SCENARIO == "soak_threads":
    run_soak_threads()
else:
    raise SystemExit(f"unknown scenario {SCENARIO}")

# The figures are out; skip interpreter shutdown, which is not what is measured and which pyreqwest's runtime
# threads can abort ("PyGILState_Release: thread state must be current", seen in a quick run).
sys.stdout.flush()
os._exit(0)
