"""The log: the core's lines on the `toriihq` logger, one per attempt, never the key, a query value or a body."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys

import pytest
import toriihq
from conftest import KEY, Mock


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "toriihq"]


def test_each_attempt_is_a_line_on_the_toriihq_logger(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="toriihq")
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=1, log_level="info")
    mock.fault(path="/contracts/{idContract}", kind="status", status=503, times=1)
    client.get_contract(id_contract=1)
    logged = lines(caplog)
    assert len(logged) == 2, logged
    assert logged[0].startswith("GET /contracts/{idContract} (getContract) → 503") and "retrying in" in logged[0]
    assert logged[1].startswith("GET /contracts/{idContract} (getContract) → 200 OK")
    assert {record.levelno for record in caplog.records} == {logging.INFO}


def test_debug_masks_the_key_and_shows_no_query_value_or_body(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="toriihq")
    client = toriihq.Client(KEY, base_url=mock.url, max_retries=0, log_level="debug")
    client.get_users(email="ada.private@example.com")
    client.create_contract(body={"name": "Confidential renewal", "idApp": 1, "status": "active"})
    text = "\n".join(lines(caplog))
    assert "authorization: Bearer ****" in text and "GET /users (getUsers) → 200" in text
    for secret in (KEY, "ada.private", "Confidential"):
        assert secret not in text


def test_asyncio_calls_and_iterators_log_too(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="toriihq")

    async def go() -> None:
        async with toriihq.AsyncClient(KEY, base_url=mock.url, log_level="info") as client:
            await client.get_contract(id_contract=1)

    asyncio.run(go())
    for _ in toriihq.Client(KEY, base_url=mock.url, log_level="info").get_users_iter(size=10):
        pass
    logged = lines(caplog)
    assert any(line.startswith("GET /contracts/{idContract} (getContract) → 200") for line in logged), logged
    assert sum(line.startswith("GET /users (getUsers) → 200") for line in logged) == 3, logged


def test_off_by_default_and_a_bad_level_is_refused(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="toriihq")
    env_level = os.environ.pop("TORII_LOG", None)
    try:
        toriihq.Client(KEY, base_url=mock.url).get_contract(id_contract=1)
    finally:
        if env_level is not None:
            os.environ["TORII_LOG"] = env_level
    assert lines(caplog) == []
    with pytest.raises(toriihq.InvalidArgumentError) as bad:
        toriihq.Client(KEY, base_url=mock.url, log_level="loud")  # type: ignore[typeddict-item]
    assert bad.value.argument == "log_level"


def test_torii_log_writes_to_stderr_with_no_setup(mock: Mock) -> None:
    script = "import toriihq; toriihq.Client().get_contract(id_contract=1)"
    environment = {**os.environ, "TORII_LOG": "debug", "TORII_API_KEY": KEY, "TORII_BASE_URL": mock.url}
    run = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert "toriihq INFO GET /contracts/{idContract} (getContract) → 200 OK" in run.stderr
    assert "toriihq DEBUG   sent: " in run.stderr and KEY not in run.stderr


def test_import_loads_neither_the_typeddicts_nor_logging_nor_typing_until_asked() -> None:
    """They were most of `import toriihq`'s time (`typing` brings `re`; `json` too); what needs them still works
    as an attribute and an import."""
    script = (
        "import sys, toriihq\n"
        "unwanted = {'toriihq.types', 'logging', 'typing', 're', 'json', 'asyncio'} & set(sys.modules)\n"
        "assert not unwanted, sorted(unwanted)\n"
        "assert toriihq.types.AppsPage.__name__ == 'AppsPage'\n"
        "from toriihq import types\n"
        "assert types is sys.modules['toriihq.types']\n"
        "from toriihq import APIResponse, ClientOptions, FileInput, Headers, RequestOptions\n"
        "assert toriihq.RequestOptions is RequestOptions and 'IO[bytes]' in str(FileInput)\n"
        "assert [APIResponse.__name__, Headers.__name__, ClientOptions.__name__] == "
        "['APIResponse', 'Headers', 'ClientOptions']\n"
        "try:\n"
        "    toriihq.no_such_name\n"
        "except AttributeError as error:\n"
        "    assert 'no_such_name' in str(error)\n"
        "else:\n"
        "    raise SystemExit('an unknown attribute must raise AttributeError')\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "TORII_LOG"}
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=environment)
    assert done.returncode == 0, done.stderr
