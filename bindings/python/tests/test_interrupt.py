"""Ctrl-C during a blocking call or iteration: `KeyboardInterrupt` within moments, the request cancelled, the client
still usable. Each case runs in a fresh interpreter, whose main thread gets the SIGINT as a terminal would send it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import KEY, Mock

SCRIPT = """
import json, os, signal, sys, threading, time
import toriihq

# A job started in the background (`cmd &`, nohup, some CI runners) inherits SIGINT ignored, and Python keeps an
# ignored SIGINT ignored: this script is a terminal's foreground program, whatever started the tests.
signal.signal(signal.SIGINT, signal.default_int_handler)
client = toriihq.Client(sys.argv[1], base_url=sys.argv[2], max_retries=0)
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
try:
    if sys.argv[3] == "call":
        client.get_contract(id_contract=1)
    else:
        for _ in client.get_apps_iter(size=10):
            pass
    outcome = "finished"
except KeyboardInterrupt:
    outcome = "interrupted"
waited = time.monotonic() - started
again = client.get_contract(id_contract=2)["contract"]["id"]
print(json.dumps({"outcome": outcome, "after_signal": waited - 0.5, "then": again}))
"""


@pytest.mark.parametrize(("what", "path"), [("call", "/contracts/{idContract}"), ("iteration", "/apps")])
def test_ctrl_c_interrupts_a_blocking_wait_and_the_client_goes_on(mock: Mock, what: str, path: str) -> None:
    mock.fault(path=path, kind="delay", delay_ms=8000, times=1)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, KEY, mock.url, what],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["outcome"] == "interrupted"
    # The server holds the answer 8 s; the interrupt must not wait for it (the issue asks for 200 ms; measured
    # figures are in the README, the bound here only separates "at once" from "when the call ended").
    assert figures["after_signal"] < 2.0, figures
    assert figures["then"] == 2, "the client still works"
