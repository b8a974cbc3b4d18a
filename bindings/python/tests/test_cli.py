"""The `toriihq` console script: the Rust command line through the native module; Ctrl-C ends it with 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from conftest import KEY, Mock

ENTRY = "import sys; from toriihq._cli import main; sys.argv[0] = 'toriihq'; main()"


def environment(mock: Mock) -> dict[str, str]:
    return {**os.environ, "TORII_API_KEY": KEY, "TORII_BASE_URL": mock.url}


def test_the_script_lists_formats_and_exits_by_error_kind(mock: Mock) -> None:
    args = ["apps", "list", "--size", "2", "--format", "csv", "--fields", "id,name"]
    listed = subprocess.run([sys.executable, "-c", ENTRY, *args], env=environment(mock), capture_output=True, text=True, check=False)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == "id,name\n1,Salesforce\n2,Salesforce 2\n"
    missing = subprocess.run([sys.executable, "-c", ENTRY, "apps", "get", "999"], env=environment(mock), capture_output=True, text=True, check=False)
    assert missing.returncode == 4 and KEY not in missing.stderr


def test_ctrl_c_ends_a_call_with_130_and_no_traceback(mock: Mock) -> None:
    mock.fault(path="/apps/{idApp}", kind="delay", delay_ms=20000)
    child = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "apps", "get", "1"],
        env=environment(mock),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not mock.requests("/apps/1"):
        time.sleep(0.02)
    started = time.monotonic()
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=10)
    assert child.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert time.monotonic() - started < 5


def test_torii_log_writes_each_attempt_to_stderr_as_the_package_does(mock: Mock) -> None:
    args = ["apps", "list", "--size", "2"]
    for level in ("info", "debug"):
        listed = subprocess.run(
            [sys.executable, "-c", ENTRY, *args],
            env={**environment(mock), "TORII_LOG": level},
            capture_output=True,
            text=True,
            check=False,
        )
        assert listed.returncode == 0, listed.stderr
        lines = [line for line in listed.stderr.splitlines() if " toriihq " in line]
        assert any("toriihq INFO GET /apps (getApps) → 200 OK" in line for line in lines), listed.stderr
        assert KEY not in listed.stderr
        if level == "debug":
            assert any("toriihq DEBUG" in line for line in lines), listed.stderr
    quiet = subprocess.run([sys.executable, "-c", ENTRY, *args], env=environment(mock), capture_output=True, text=True, check=False)
    assert quiet.stderr == ""
