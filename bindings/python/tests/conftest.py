"""Starts one `toriihq-mock` for the session (on a port the OS picks) and resets it before every test."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest
import toriihq

KEY = "py-test-key-SECRET-0123"
ROOT = Path(__file__).resolve().parents[3]


class Mock:
    def __init__(self, url: str) -> None:
        self.url = url

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_mock/{path}", data=data, method=method)
        request.add_header("content-type", "application/json")
        with urllib.request.urlopen(request) as answer:
            raw = answer.read()
        return json.loads(raw) if raw else None

    def fault(self, **fault: Any) -> None:
        self.admin("POST", "faults", fault)

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        log = self.admin("GET", "requests")
        return [r for r in log if path is None or r["path"] == path]

    def query(self, request: dict[str, Any]) -> dict[str, str]:
        return {k: v for k, v in request["query"]}


@pytest.fixture(scope="session")
def mock_server() -> Iterator[Mock]:
    binary = os.environ.get("TORIIHQ_MOCK_BIN") or str(ROOT / "target" / "debug" / "toriihq-mock")
    process = subprocess.Popen(
        [binary, "--port", "0", "--api-key", KEY, "--seed", "apps=500,contracts=5,users=30"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line.startswith("listening on "), line
    try:
        yield Mock(line.removeprefix("listening on "))
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def mock(mock_server: Mock) -> Mock:
    mock_server.admin("POST", "reset")
    return mock_server


@pytest.fixture
def client(mock: Mock) -> toriihq.Client:
    return toriihq.Client(KEY, base_url=mock.url, max_retries=0)


@pytest.fixture
def async_client(mock: Mock) -> toriihq.AsyncClient:
    return toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0)


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest, mock: Mock) -> Callable[..., Any]:
    """`call("get_apps", size=3)` through the blocking client or the asyncio client."""
    if request.param == "sync":
        sync = toriihq.Client(KEY, base_url=mock.url, max_retries=0)
        return lambda method, **kwargs: getattr(sync, method)(**kwargs)

    def run(method: str, **kwargs: Any) -> Any:
        async def go() -> Any:
            async with toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0) as ac:
                return await getattr(ac, method)(**kwargs)

        return asyncio.run(go())

    return run
