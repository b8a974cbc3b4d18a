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

if sys.argv[1] in ("import", "first_call"):
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
# The fields a page asks for (custom ones included), named by `cargo xtask bench` for every language.
USER_FIELDS = os.environ.get("TORIIHQ_BENCH_USER_FIELDS", "")
APP_FIELDS = os.environ.get("TORIIHQ_BENCH_APP_FIELDS", "")


def report(count: int, seconds: float) -> None:
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"count": count, "seconds": seconds, "rss_kb": rss_kb}))


# --- one call: getContract, or one page of 1,000 users or apps, decoded -------------------------------------------
# A client name `X+orjson` is client X with its body decoded by `orjson.loads` instead of its own `.json()`.


def page_query(page: str) -> tuple[str, dict[str, Any]]:
    if page == "apps":
        return "/apps", {"size": PAGE, "fields": APP_FIELDS, "includeLicenses": "true"}
    return "/users", {"size": PAGE, "fields": USER_FIELDS}


def getter() -> Callable[[str, dict[str, Any]], Any]:
    """GET path?params, decoded, with one reused client of CLIENT's kind."""
    base, _, decoder = CLIENT.partition("+")
    decode = decoder_for(base, decoder)
    if base == "requests":
        import requests

        session = requests.Session()
        session.headers.update(HEADERS)
        return lambda path, params: decode(session.get(f"{URL}{path}", params=params))
    if base == "httpx":
        import httpx

        httpx_client = httpx.Client(base_url=URL, headers=HEADERS)
        return lambda path, params: decode(httpx_client.get(path, params=params))
    if base == "pyreqwest":
        from pyreqwest.client import SyncClientBuilder

        reqwest = SyncClientBuilder().base_url(URL).default_headers(HEADERS).build()
        return lambda path, params: decode(reqwest.get(path).query(params).build().send())
    if base == "openapi-python-client":
        from torii_api_client import AuthenticatedClient
        from torii_api_client.api.apps import get_apps
        from torii_api_client.api.contracts import get_contracts_idcontract
        from torii_api_client.api.users import get_users

        # Torii's spec declares its answers as `*/*`, so the generated functions return the raw response: its
        # users parse the JSON themselves, as here.
        generated = AuthenticatedClient(base_url=URL, token=KEY)

        def generated_get(path: str, params: dict[str, Any]) -> Any:
            if path == "/contracts/1":
                answer = get_contracts_idcontract.sync_detailed(id_contract=1, client=generated)
            elif path == "/apps":
                answer = get_apps.sync_detailed(client=generated, **params_for(params, include_licenses=True))
            else:
                answer = get_users.sync_detailed(client=generated, **params_for(params))
            return json.loads(answer.content)

        return generated_get
    raise SystemExit(f"no client {CLIENT}")


def decoder_for(base: str, decoder: str) -> Callable[[Any], Any]:
    """The answer's own `.json()`, or orjson on its bytes (pyreqwest's, through a zero-copy memoryview)."""
    if decoder != "orjson":
        return lambda answer: answer.json()
    import orjson

    if base == "pyreqwest":
        return lambda answer: orjson.loads(memoryview(answer.bytes()))
    return lambda answer: orjson.loads(answer.content)


def params_for(params: dict[str, Any], **extra: Any) -> dict[str, Any]:
    named = {"size": params["size"], "fields": params["fields"], **extra}
    if "cursor" in params:
        named["cursor"] = params["cursor"]
    return named


def sequential_call(page: str | None) -> Callable[[], Any]:
    if CLIENT == "toriihq":
        import toriihq

        client = toriihq.Client(KEY, base_url=URL, max_retries=0)
        if page == "apps":
            return lambda: client.get_apps(size=PAGE, fields=APP_FIELDS, include_licenses=True)
        if page == "users":
            return lambda: client.get_users(size=PAGE, fields=USER_FIELDS)
        return lambda: client.get_contract(id_contract=1)
    get = getter()
    if page is None:
        return lambda: get("/contracts/1", {})
    path, params = page_query(page)
    return lambda: get(path, params)


def run_decode() -> None:
    """Decoding alone: one page of 1,000 users, its bytes already in memory, into Python objects."""
    import urllib.parse
    import urllib.request

    path, params = page_query("users")
    request = urllib.request.Request(f"{URL}{path}?{urllib.parse.urlencode(params)}", headers=HEADERS)
    with urllib.request.urlopen(request) as answer:
        body = answer.read()
    if CLIENT == "toriihq":
        from toriihq import _native

        decode: Callable[[bytes], Any] = _native.decode_json
    elif CLIENT == "orjson":
        import orjson

        decode = orjson.loads
    elif CLIENT == "json":
        decode = json.loads
    else:
        raise SystemExit(f"no decoder {CLIENT}")
    assert len(decode(body)["users"]) == PAGE
    count, started = 0, time.perf_counter()
    deadline = started + SECONDS
    while True:
        decode(body)
        count += 1
        if count & 3 == 0 and time.perf_counter() >= deadline:
            break
    report(count, time.perf_counter() - started)


def run_first_call() -> None:
    """Import (timed before this module's own imports), client set-up and the first call, in a fresh process."""
    started = time.perf_counter()
    sequential_call(None)()
    report(1, import_seconds + time.perf_counter() - started)


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


def run_sequential(page: str | None) -> None:
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

        yield from toriihq.Client(KEY, base_url=URL, max_retries=0).get_users_iter(size=PAGE, fields=USER_FIELDS)
        return
    get = getter()
    path, params = page_query("users")
    while True:
        body = get(path, params)
        yield from body["users"]
        if not body.get("nextCursor"):
            return
        params["cursor"] = body["nextCursor"]


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


def run_soak_pool() -> None:
    """The soak on one blocking Client through a ThreadPoolExecutor of 32 workers, as a web service runs it."""
    from concurrent.futures import ThreadPoolExecutor

    import toriihq

    tally = SoakTally()
    with toriihq.Client(KEY, base_url=URL, max_retries=2) as client:

        def one(i: int) -> tuple[int, BaseException | None]:
            name, arguments = tally.call(i)
            try:
                getattr(client, name)(**arguments)
            except Exception as error:  # noqa: BLE001 - record() tells ours from anything else
                return i, error
            return i, None

        with ThreadPoolExecutor(max_workers=32) as pool:
            for i, error in pool.map(one, range(tally.calls)):
                tally.record(i, error)
    tally.print()


class Churn:
    """What the churn runs report: runs that ended well and that did not, and memory and descriptors once warm (a
    tenth of the runs in) and at the end."""

    def __init__(self) -> None:
        self.runs = int(os.environ["TORIIHQ_SOAK_CALLS"])
        self.warm_at = max(self.runs // 10, 1)
        self.ok = 0
        self.failed: list[str] = []
        self.marks: dict[str, int] = {}
        self.started = time.perf_counter()

    def done(self, run: int, error: BaseException | None) -> None:
        if error is None:
            self.ok += 1
        elif len(self.failed) < 5:
            self.failed.append(f"{type(error).__name__}: {error}")
        else:
            self.failed.append("")
        if run + 1 == self.warm_at:
            import gc

            gc.collect()
            self.marks = {"rss_warm_kb": resident_kb(), "fds_warm": open_fds()}

    def print(self) -> None:
        import gc

        gc.collect()
        print(json.dumps({"runs": self.runs, "seconds": time.perf_counter() - self.started, "ok": self.ok,
                          "failed": len(self.failed), "errors": [e for e in self.failed if e], **self.marks,
                          "rss_end_kb": resident_kb(), "fds_end": open_fds()}))


def run_churn_threads() -> None:
    """One blocking Client; each call on a thread of its own, started and joined one after another (a
    thread-per-request server, a recycled pool)."""
    import threading

    import toriihq

    churn = Churn()
    client = toriihq.Client(KEY, base_url=URL, max_retries=0)
    for run in range(churn.runs):
        outcome: list[BaseException | None] = [None]

        def call(outcome: list[BaseException | None] = outcome) -> None:
            try:
                client.get_organization()
            except Exception as error:  # noqa: BLE001 - reported, not raised
                outcome[0] = error

        thread = threading.Thread(target=call)
        thread.start()
        thread.join()
        churn.done(run, outcome[0])
    churn.print()


def run_churn_loops() -> None:
    """One AsyncClient; each call in an event loop of its own (`asyncio.run` per job, as sync code calls async
    code)."""
    import toriihq

    churn = Churn()
    client = toriihq.AsyncClient(KEY, base_url=URL, max_retries=0)
    for run in range(churn.runs):
        try:
            asyncio.run(client.get_organization())
            churn.done(run, None)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            churn.done(run, error)
    churn.print()


def run_churn_forks() -> None:
    """The pre-fork model (gunicorn): a Client made in the parent, which calls once, then used by each forked child
    for a few blocking calls, a page walk and an awaited call, four children at a time."""
    import toriihq

    churn = Churn()
    client = toriihq.Client(KEY, base_url=URL, max_retries=0)
    async_client = toriihq.AsyncClient(KEY, base_url=URL, max_retries=0)
    client.get_organization()

    def child() -> int:
        try:
            for contract in (1, 2, 3):
                client.get_contract(id_contract=contract)
            sum(1 for _ in client.get_users_iter(size=2))
            asyncio.run(async_client.get_organization())
        except BaseException:  # noqa: BLE001 - the exit status says it
            return 1
        return 0

    run = 0
    while run < churn.runs:
        children = []
        for _ in range(min(4, churn.runs - run)):
            pid = os.fork()
            if pid == 0:
                os._exit(child())
            children.append(pid)
        for pid in children:
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            churn.done(run, None if code == 0 else RuntimeError(f"a forked child exited with {code}"))
            run += 1
    churn.print()


def run_paginate() -> None:
    started = time.perf_counter()
    count = sum(1 for _ in users())
    report(count, time.perf_counter() - started)


if SCENARIO == "import":
    report(1, import_seconds)
elif SCENARIO == "first_call":
    run_first_call()
elif SCENARIO == "decode":
    run_decode()
elif SCENARIO in ("sequential", "page", "page_apps"):
    run_sequential({"sequential": None, "page": "users", "page_apps": "apps"}[SCENARIO])
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
elif SCENARIO == "soak_pool":
    run_soak_pool()
elif SCENARIO == "churn_threads":
    run_churn_threads()
elif SCENARIO == "churn_loops":
    run_churn_loops()
elif SCENARIO == "churn_forks":
    run_churn_forks()
else:
    raise SystemExit(f"unknown scenario {SCENARIO}")

# The figures are out; skip interpreter shutdown, which is not what is measured and which pyreqwest's runtime
# threads can abort ("PyGILState_Release: thread state must be current", seen in a quick run).
sys.stdout.flush()
os._exit(0)
