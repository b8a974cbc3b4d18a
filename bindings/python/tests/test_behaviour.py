"""The core's behaviour as Python sees it: error classes, retries, iterators, threads, fork, secrets."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any, Callable

import pytest
import toriihq
from conftest import KEY, Mock

STATUS_CLASSES = [
    (400, toriihq.BadRequestError),
    (401, toriihq.AuthenticationError),
    (403, toriihq.PermissionDeniedError),
    (404, toriihq.NotFoundError),
    (409, toriihq.ConflictError),
    (413, toriihq.PayloadTooLargeError),
    (422, toriihq.UnprocessableEntityError),
    (429, toriihq.RateLimitError),
    (500, toriihq.InternalServerError),
    (503, toriihq.InternalServerError),
    (418, toriihq.APIStatusError),
]


@pytest.mark.parametrize("status,cls", STATUS_CLASSES)
def test_each_status_raises_its_class(client: toriihq.Client, mock: Mock, status: int, cls: type) -> None:
    mock.fault(path="/contracts/{idContract}", kind="status", status=status)
    with pytest.raises(cls) as caught:
        client.get_contract(id_contract=1)
    error = caught.value
    assert isinstance(error, toriihq.APIStatusError) and isinstance(error, toriihq.ToriiError)
    assert error.status_code == status
    assert error.body == {"statusCode": status, "error": error.body["error"], "message": "injected fault"}
    assert error.headers["content-type"] == "application/json"


def test_each_status_raises_its_class_from_the_async_client(async_client: toriihq.AsyncClient, mock: Mock) -> None:
    mock.fault(path="/contracts/{idContract}", kind="status", status=404)
    with pytest.raises(toriihq.NotFoundError):
        asyncio.run(async_client.get_contract(id_contract=1))


def test_connection_timeout_and_decode_errors(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0, timeout=0.2)
    mock.fault(path="/apps", kind="delay", delay_ms=1000)
    with pytest.raises(toriihq.APITimeoutError):
        client.get_apps()
    mock.fault(path="/apps", kind="reset")
    with pytest.raises(toriihq.APIConnectionError):
        client.get_apps()
    mock.fault(path="/apps", kind="invalid_json")
    with pytest.raises(toriihq.APIResponseValidationError):
        client.get_apps()


def test_bad_arguments_raise_value_or_type_errors_naming_them_and_send_nothing(client: toriihq.Client, mock: Mock) -> None:
    with pytest.raises(ValueError) as out_of_range:
        client.get_apps(size=5000)
    assert isinstance(out_of_range.value, toriihq.InvalidArgumentError) and out_of_range.value.argument == "size"
    with pytest.raises(TypeError) as wrong_type:
        client.get_apps(size="ten")  # type: ignore[arg-type]
    assert isinstance(wrong_type.value, toriihq.ArgumentTypeError) and wrong_type.value.argument == "size"
    with pytest.raises(TypeError):
        client.get_apps(size=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.get_contract()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        client.upload_file(file=12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        toriihq.Client(KEY, base_url=mock.url, timeout="soon")  # type: ignore[arg-type]
    assert mock.requests() == []


def test_a_429_with_retry_after_is_retried(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=2)
    mock.fault(path="/contracts/{idContract}", kind="status", status=429, retry_after=1)
    started = time.monotonic()
    assert client.get_contract(id_contract=1)["contract"]["id"] == 1
    assert time.monotonic() - started >= 1.0
    assert len(mock.requests("/contracts/1")) == 2


def test_a_long_retry_after_is_raised_with_its_value(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=2)
    mock.fault(path="/apps", kind="status", status=429, retry_after=3600)
    with pytest.raises(toriihq.RateLimitError) as caught:
        client.get_apps()
    assert caught.value.retry_after == 3600.0


def test_iterators_walk_every_page_and_keep_the_filters(client: toriihq.Client, mock: Mock) -> None:
    apps = list(client.get_apps_iter(extra_query={"state": "Discovered 2"}, size=20, fields="id,state"))
    assert len(apps) == 100 and all(app["state"] == "Discovered 2" for app in apps)
    pages = mock.requests("/apps")
    assert len(pages) == 5
    for page in pages:
        assert {k: v for k, v in mock.query(page).items() if k != "cursor"} == {"state": "Discovered 2", "size": "20", "fields": "id,state"}


def test_async_iterators_walk_every_page(async_client: toriihq.AsyncClient, mock: Mock) -> None:
    async def collect() -> list[Any]:
        return [user async for user in async_client.get_users_iter(size=7)]

    users = asyncio.run(collect())
    assert len(users) == 30
    assert len(mock.requests("/users")) == 5


def test_a_custom_field_survives(client: toriihq.Client, mock: Mock) -> None:
    client.update_contract(id_contract=1, body={"renewalOwner": "ada@example.com"})
    assert client.get_contract(id_contract=1)["contract"]["renewalOwner"] == "ada@example.com"  # type: ignore[typeddict-item]
    page = client.get_apps(size=1, extra_query={"noSuchField": "x"})
    assert page["apps"] == []
    assert mock.query(mock.requests("/apps")[-1]) == {"size": "1", "noSuchField": "x"}


EVERY_JSON_KIND = {
    "text": "plain",
    "escaped": "quote \" backslash \\ newline \n tab \t",
    "unicode": "café 東京 🚀",
    "int": -42,
    "big": 2**63 + 5,
    "float": 3.25,
    "exp": 1.5e-7,
    "yes": True,
    "no": False,
    "nothing": None,
    "empty_list": [],
    "empty_dict": {},
    "nested": [{"a": [1, [2, [3]]], "b": {"c": None}}, "x"],
}


def test_answers_decode_exactly_as_json_loads_would(client: toriihq.Client, mock: Mock) -> None:
    # Answers are decoded into Python objects in Rust; every JSON kind must come out as json.loads gives it.
    client.update_contract(id_contract=1, body={"renewalTerms": EVERY_JSON_KIND})
    decoded = client.get_contract(id_contract=1)["contract"]["renewalTerms"]  # type: ignore[typeddict-item]
    assert decoded == EVERY_JSON_KIND
    assert type(decoded["big"]) is int and type(decoded["float"]) is float and decoded["nothing"] is None
    with urllib.request.urlopen(urllib.request.Request(f"{mock.url}/contracts/1", headers={"Authorization": f"Bearer {KEY}"})) as answer:
        assert client.get_contract(id_contract=1) == json.loads(answer.read())


def test_calls_release_the_gil(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0)
    mock.fault(path="/contracts/{idContract}", kind="delay", delay_ms=300, times=8)
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(client.get_contract(id_contract=1))) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert len(results) == 8
    assert elapsed < 1.2, f"8 delayed calls took {elapsed:.2f}s: the GIL is held while waiting"


def _passes_in_a_forked_child(check: Callable[[], bool]) -> None:
    """Forks; the child runs `check` and must pass (or fail clearly), never hang."""
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(0 if check() else 1)
        except Exception:  # noqa: BLE001 - the child reports any failure through its exit status
            os._exit(2)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    pytest.fail("the forked child hung")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX-only")
def test_a_forked_child_can_call(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0)
    assert client.get_contract(id_contract=1)["contract"]["id"] == 1  # the parent's runtime and pool are in use
    _passes_in_a_forked_child(lambda: client.get_contract(id_contract=2)["contract"]["id"] == 2)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX-only")
def test_a_forked_child_can_await(mock: Mock) -> None:
    client = toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0)
    assert asyncio.run(client.get_contract(id_contract=1))["contract"]["id"] == 1  # the parent's runtime is in use
    _passes_in_a_forked_child(lambda: asyncio.run(client.get_contract(id_contract=2))["contract"]["id"] == 2)


def test_cancelling_an_await_stops_the_call(async_client: toriihq.AsyncClient, mock: Mock) -> None:
    mock.fault(path="/contracts/{idContract}", kind="delay", delay_ms=2000, times=1)

    async def cancel_midway() -> int:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(async_client.get_contract(id_contract=1), timeout=0.2)
        bridge = toriihq._bridge.for_running_loop()
        return bridge.native.running()

    started = time.monotonic()
    assert asyncio.run(cancel_midway()) == 0
    assert time.monotonic() - started < 1.5


def test_many_awaits_in_flight_each_get_their_own_answer(async_client: toriihq.AsyncClient) -> None:
    async def all_at_once() -> list[Any]:
        ids = [1 + n % 5 for n in range(64)]
        answers = await asyncio.gather(*(async_client.get_contract(id_contract=i) for i in ids))
        return [(i, a["contract"]["id"]) for i, a in zip(ids, answers)]

    assert all(asked == got for asked, got in asyncio.run(all_at_once()))


ASYNC_SCRIPT = """
import asyncio, sys, toriihq
async def main():
    async with toriihq.AsyncClient(sys.argv[1], base_url=sys.argv[2]) as client:
        await client.get_contract(id_contract=1)
        async for user in client.get_users_iter(size=4):
            pass
asyncio.run(main())
"""


def test_asyncio_scripts_exit_cleanly(mock: Mock) -> None:
    # The runtime's threads outlive the interpreter; they must never touch Python while it shuts down.
    for _ in range(25):
        done = subprocess.run([sys.executable, "-c", ASYNC_SCRIPT, KEY, mock.url], capture_output=True, timeout=60, check=False)
        assert done.returncode == 0, (done.returncode, done.stderr.decode()[-2000:])


def test_the_key_never_shows(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0)
    assert KEY not in repr(client) and KEY not in str(client)
    async_client = toriihq.AsyncClient(KEY, base_url=mock.url)
    assert KEY not in repr(async_client)
    for status in (401, 404, 500):
        mock.fault(path="/apps", kind="status", status=status)
        with pytest.raises(toriihq.APIStatusError) as caught:
            client.get_apps()
        assert KEY not in str(caught.value) and KEY not in repr(caught.value) and KEY not in repr(caught.value.__dict__)
    with pytest.raises(toriihq.ToriiError) as missing:
        toriihq.Client("", base_url=mock.url)
    assert KEY not in str(missing.value)
    sent = mock.requests("/apps")[0]
    assert dict(sent["headers"])["authorization"] == "Bearer ****"
    agent = dict(sent["headers"])["user-agent"]
    assert re.fullmatch(r"toriihq-python/\S+ (CPython|PyPy)/\d+\.\d+\.\d+ toriihq-rust/\S+ \w+-\w+", agent), agent


def test_the_key_comes_from_the_environment(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORII_API_KEY", KEY)
    monkeypatch.setenv("TORII_BASE_URL", mock.url)
    with toriihq.Client() as client:
        assert client.get_contract(id_contract=1)["contract"]["id"] == 1
    monkeypatch.delenv("TORII_API_KEY")
    with pytest.raises(toriihq.ToriiError, match="TORII_API_KEY"):
        toriihq.Client()


def test_options_come_from_the_core_table_for_the_client_and_each_call(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=2, extra_headers={"x-team": "it"})
    mock.fault(path="/apps", kind="status", status=503, times=1)
    with pytest.raises(toriihq.InternalServerError):
        client.get_apps(options={"max_retries": 0, "extra_headers": {"x-run": "7"}})
    sent = dict(mock.requests("/apps")[-1]["headers"])
    assert (sent["x-team"], sent["x-run"]) == ("it", "7")
    assert len(mock.requests("/apps")) == 1, "the call's max_retries=0 did not replace the client's 2"
    mock.fault(path="/apps", kind="status", status=503, times=1)
    client.get_apps()
    assert len(mock.requests("/apps")) == 3, "the client's own retries"
    mock.fault(path="/apps", kind="delay", delay_ms=2000, times=1)
    started = time.monotonic()
    with pytest.raises(toriihq.APITimeoutError):
        client.get_apps(options={"timeout": 0.2})
    assert time.monotonic() - started < 1.5


def test_with_options_copies_a_client_with_changed_defaults(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=2, extra_headers={"x-team": "it"})
    quiet = client.with_options(max_retries=0, extra_headers={"x-run": "8"})
    assert type(quiet) is toriihq.Client and quiet.base_url == client.base_url
    mock.fault(path="/apps", kind="status", status=503, times=1)
    with pytest.raises(toriihq.InternalServerError):
        quiet.get_apps()
    sent = dict(mock.requests("/apps")[-1]["headers"])
    assert (sent["x-team"], sent["x-run"], len(mock.requests("/apps"))) == ("it", "8", 1)
    mock.fault(path="/apps", kind="status", status=503, times=1)
    client.get_apps()
    assert len(mock.requests("/apps")) == 3, "the original keeps its retries"
    assert "x-run" not in dict(mock.requests("/apps")[-1]["headers"]), "nor gains the copy's headers"
    with pytest.raises(toriihq.InvalidArgumentError) as bad:
        client.with_options(timeout=0)
    assert bad.value.argument == "timeout"


def test_async_with_options_is_an_async_client(mock: Mock) -> None:
    async def go() -> toriihq.types.GetContract:
        async with toriihq.AsyncClient(KEY, base_url=mock.url).with_options(max_retries=0) as client:
            assert isinstance(client, toriihq.AsyncClient)
            return await client.get_contract(id_contract=1)

    assert asyncio.run(go())["contract"]["id"] == 1


def test_bad_options_are_refused_by_name_before_anything_is_sent(mock: Mock) -> None:
    with pytest.raises(toriihq.ArgumentTypeError) as unknown:
        toriihq.Client(KEY, base_url=mock.url, max_retry=1)  # type: ignore[call-arg]
    assert unknown.value.argument == "max_retry" and "max_retries" in str(unknown.value)
    with pytest.raises(toriihq.InvalidArgumentError) as negative:
        toriihq.Client(KEY, base_url=mock.url, timeout=-1)
    assert negative.value.argument == "timeout"
    client = toriihq.Client(KEY, base_url=mock.url)
    before = len(mock.requests())
    with pytest.raises(toriihq.InvalidArgumentError) as client_only:
        client.get_apps(options={"api_key": "another"})  # type: ignore[typeddict-unknown-key]
    assert client_only.value.argument == "api_key" and "another" not in str(client_only.value)
    with pytest.raises(toriihq.InvalidArgumentError) as header:
        client.get_apps(options={"extra_headers": {"Authorization": "Bearer stolen"}})
    assert header.value.argument == "extra_headers.Authorization"
    assert len(mock.requests()) == before


def test_an_error_carries_the_core_detail_record(client: toriihq.Client, mock: Mock) -> None:
    mock.fault(path="/apps", kind="status", status=429, retry_after=1)
    with pytest.raises(toriihq.RateLimitError) as caught:
        client.get_apps()
    detail = caught.value.detail
    assert (detail["kind"], detail["class"], detail["status"], detail["retry_after"]) == (
        "rate_limited",
        "RateLimitError",
        429,
        1.0,
    )
    assert caught.value.retry_after == 1.0 and caught.value.kind == "rate_limited"
    for kind, classes in toriihq._errors.CLASSES_BY_KIND.items():
        assert all(issubclass(c, toriihq.ToriiError) and c.kind == kind for c in classes), kind


@pytest.mark.parametrize(
    ("body", "path", "kind"),
    [
        ({"lifecycleStatus": "offboarding", "score": float("nan")}, "body.score", toriihq.InvalidArgumentError),
        ({"lifecycleStatus": "offboarding", "list": [1, float("inf")]}, "body.list[1]", toriihq.InvalidArgumentError),
        ({"lifecycleStatus": "offboarding", "tags": {"a", "b"}}, "body.tags", toriihq.ArgumentTypeError),
        ({"lifecycleStatus": "offboarding", "blob": b"\x00"}, "body.blob", toriihq.ArgumentTypeError),
        ({"lifecycleStatus": "offboarding", "nested": [{"when": object()}]}, "body.nested[0].when", toriihq.ArgumentTypeError),
    ],
)
def test_values_json_cannot_carry_are_refused_with_their_path(
    client: toriihq.Client, mock: Mock, body: dict[str, Any], path: str, kind: type[Exception]
) -> None:
    with pytest.raises(kind) as caught:
        client.update_user(id_user=1, body=body)  # type: ignore[arg-type]
    assert caught.value.argument == path  # type: ignore[attr-defined]
    assert mock.requests() == []
