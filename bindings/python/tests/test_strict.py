"""Strict mode: answers checked against the spec in the core; a difference is a `toriihq` warning (`warn`) or a
`SpecDriftError` (`error`), with the operation and the JSON path."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import toriihq
from conftest import KEY, Mock


def extra_key_on_apps(mock: Mock) -> None:
    mock.fault(path="/apps", kind="extra_key", key="renewalOwner")


def test_the_mocks_answers_pass_error_mode(mock: Mock) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, strict="error")
    assert sum(1 for _ in client.get_apps_iter(size=100)) == 500
    client.get_contract(id_contract=1)
    client.list_scim_users()


def test_warn_logs_the_difference_and_returns_the_answer(
    mock: Mock, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.WARNING, logger="toriihq")
    report_file = tmp_path / "drift.ndjson"
    client = toriihq.Client(KEY, base_url=mock.url, strict="warn", strict_report=str(report_file))
    extra_key_on_apps(mock)
    page = client.get_apps(size=3)
    assert len(page["apps"]) == 3
    warnings = [r for r in caplog.records if r.name == "toriihq" and r.levelno == logging.WARNING]
    assert len(warnings) == 1, caplog.records
    assert "getApps (GET /apps) answered 200" in warnings[0].getMessage()
    assert "$.renewalOwner is not declared (string)" in warnings[0].getMessage()
    report = json.loads(report_file.read_text())
    assert report["differences"][0]["path"] == "$.renewalOwner"


def test_error_raises_spec_drift_with_the_report_sync_and_async(mock: Mock) -> None:
    extra_key_on_apps(mock)
    with pytest.raises(toriihq.SpecDriftError) as raised:
        toriihq.Client(KEY, base_url=mock.url, strict="error").get_apps()
    error = raised.value
    assert isinstance(error, toriihq.APIResponseValidationError) and error.kind == "spec_drift"
    assert error.drift["operation"] == "getApps"
    assert error.drift["differences"][0]["kind"] == "undeclared"

    async def go() -> None:
        extra_key_on_apps(mock)
        async with toriihq.AsyncClient(KEY, base_url=mock.url, strict="error") as client:
            await client.get_apps()

    with pytest.raises(toriihq.SpecDriftError):
        asyncio.run(go())


def test_torii_strict_turns_it_on_and_a_warning_reaches_stderr_with_no_setup(mock: Mock) -> None:
    extra_key_on_apps(mock)
    script = "import toriihq; print(len(toriihq.Client().get_apps(size=2)['apps']))"
    environment = {**os.environ, "TORII_STRICT": "warn", "TORII_API_KEY": KEY, "TORII_BASE_URL": mock.url}
    environment.pop("TORII_LOG", None)
    run = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0 and run.stdout.strip() == "2", run.stderr
    assert "$.renewalOwner is not declared" in run.stderr and KEY not in run.stderr
