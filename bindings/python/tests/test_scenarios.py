"""The cross-language scenarios in tests/scenarios/*.json, with the Python client."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import toriihq
from conftest import ROOT, Mock

SCENARIOS_DIR = ROOT / "tests" / "scenarios"
SCENARIOS = sorted(SCENARIOS_DIR.glob("*.json"))
# The classes each kind is raised as, from the core's error catalogue.
KIND_TO_CLASS = toriihq._errors.CLASSES_BY_KIND


def contains(actual: Any, wanted: Any, at: str = "body") -> None:
    if isinstance(wanted, dict):
        assert isinstance(actual, dict), f"{at} is {actual!r}, expected an object"
        for key, value in wanted.items():
            assert key in actual, f"{at}.{key} is missing"
            contains(actual[key], value, f"{at}.{key}")
    elif isinstance(wanted, list):
        assert isinstance(actual, list) and len(actual) >= len(wanted), f"{at} is {actual!r}"
        for i, (a, w) in enumerate(zip(actual, wanted)):
            contains(a, w, f"{at}[{i}]")
    else:
        assert actual == wanted, f"{at} is {actual!r}, expected {wanted!r}"


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_").replace("-", "_")


def argument(method: Any, name: str) -> str:
    """The keyword a spec parameter has in Python: snake_case, with `_` after a name Python reserves (`type_`)."""
    if name in ("body", "extra_query"):
        return name
    keyword = snake(name)
    accepted = inspect.signature(method).parameters
    return keyword if keyword in accepted or f"{keyword}_" not in accepted else f"{keyword}_"


@pytest.fixture
def scenario_mock(request: pytest.FixtureRequest, mock_server: Mock) -> Iterator[Mock]:
    seed = request.param.get("seed", "")
    binary = mock_server  # the session mock serves scenarios that need no particular seed
    if not seed:
        binary.admin("POST", "reset")
        yield binary
        return
    import os

    path = os.environ.get("TORIIHQ_MOCK_BIN") or str(ROOT / "target" / "debug" / "toriihq-mock")
    process = subprocess.Popen([path, "--port", "0", "--api-key", "scenario-key", "--seed", seed], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    try:
        yield Mock(line.removeprefix("listening on "))
    finally:
        process.kill()
        process.wait()


def file_argument(file: Any, tmp_path: Path) -> str:
    """A path relative to the scenarios folder, `{"generate": N}`: N bytes written for the run (byte i is
    i*31 mod 251, as in every language), or `{"fifo": true}`: a named pipe no one writes to."""
    if isinstance(file, str):
        return str(SCENARIOS_DIR / file)
    if file.get("fifo"):
        pipe = tmp_path / "named-pipe"
        if not pipe.exists():
            os.mkfifo(pipe)
        return str(pipe)
    size: int = file["generate"]
    path = tmp_path / f"generated-{size}.bin"
    period = bytes(i * 31 % 251 for i in range(251))  # the pattern repeats every 251 bytes
    path.write_bytes((period * (size // 251 + 1))[:size])
    return str(path)


def check_bulk(results: list[toriihq.BulkResult], expect: dict[str, Any], where: str) -> None:
    """The counts by status, and the error kind of each key named in `errors`."""
    for status in ("ok", "failed", "skipped", "unknown"):
        if status in expect:
            count = sum(r.status == status for r in results)
            assert count == expect[status], f"{where}: {count} ended {status}: {results}"
    for key, kind in expect.get("errors", {}).items():
        error = next(r.error for r in results if r.key == key)
        assert isinstance(error, toriihq.ToriiError) and error.kind == kind, f"{where}: {key} failed with {error!r}"


def load(path: Path) -> dict[str, Any]:
    scenario: dict[str, Any] = json.loads(path.read_text())
    return scenario


@pytest.mark.parametrize("scenario_mock", [load(p) for p in SCENARIOS], indirect=True, ids=[p.stem for p in SCENARIOS])
def test_scenario(scenario_mock: Mock, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    scenario = request.node.callspec.params["scenario_mock"]
    key = "scenario-key" if scenario.get("seed") else __import__("conftest").KEY
    settings = scenario.get("client", {})
    client = toriihq.Client(key, base_url=scenario_mock.url, max_retries=settings.get("max_retries", 2), api_version=settings.get("api_version"))
    seen = 0
    for index, step in enumerate(scenario["steps"]):
        where = f"step {index}: {json.dumps(step)}"
        if "call" in step:
            method = getattr(client, snake(step["call"]))
            params = {argument(method, k): v for k, v in step.get("params", {}).items()}
            if "file" in params:
                params["file"] = file_argument(params["file"], tmp_path)
            params = {k: "x" * v["repeat_x"] if isinstance(v, dict) and "repeat_x" in v else v for k, v in params.items()}
            expect = step.get("expect", {})
            if "error" in expect:
                expected = KIND_TO_CLASS[expect["error"]]
                if expect["error"] == "invalid_argument":
                    # Python itself refuses a missing or unknown keyword argument, with a TypeError naming it.
                    expected = (toriihq.InvalidArgumentError, TypeError)
                with pytest.raises(expected) as caught:  # type: ignore[arg-type]
                    method(**params)
                error = caught.value
                if "status" in expect:
                    assert getattr(error, "status_code", None) == expect["status"], where
                if "message_contains" in expect:
                    assert expect["message_contains"] in str(error), where
                if "argument" in expect:
                    # Python refuses an unknown or missing keyword itself: its TypeError names it in the message.
                    named = getattr(error, "argument", None) or str(error)
                    assert expect["argument"] in named, f"{where}: {error!r}"
            else:
                try:
                    answer = method(**params)
                except TypeError as error:  # a scenario argument the Python signature refuses outright
                    pytest.fail(f"{where}: {error}")
                if "body" in expect:
                    contains(answer, expect["body"])
                if "length" in expect:
                    assert isinstance(answer, bytes) and len(answer) == expect["length"], where
        elif "iterate" in step:
            params = {snake(k): v for k, v in step.get("params", {}).items()}
            items = list(getattr(client, snake(step["iterate"]) + "_iter")(**params))
            expect = step.get("expect", {})
            if "count" in expect:
                assert len(items) == expect["count"], where
            for item in items if "every" in expect else []:
                contains(item, expect["every"], "item")
        elif "bulk" in step:
            journal = tmp_path / f"{step['journal']}.jsonl" if "journal" in step else None
            run = client.bulk(
                snake(step["bulk"]), step["inputs"], key=step.get("key"), concurrency=step.get("concurrency", 4), journal=journal
            )
            check_bulk(list(run), step.get("expect", {}), where)
        elif "writes" in step:
            writes = scenario_mock.admin("GET", "writes")
            for write, count in step["writes"].items():
                assert writes.get(write, 0) == count, f"{where}: {write} applied {writes.get(write, 0)} times"
        elif "fault" in step:
            scenario_mock.admin("POST", "faults", step["fault"])
        elif "requests" in step:
            log = scenario_mock.requests()
            fresh, seen = log[seen:], len(log)
            expect = step["requests"]
            matching = [
                r
                for r in fresh
                if ("path" not in expect or r["path"] == expect["path"])
                and r["path"].startswith(expect.get("path_prefix", ""))
            ]
            if expect.get("without_key"):
                keyed = [r["path"] for r in matching if any(name == "authorization" for name, _ in r["headers"])]
                assert not keyed, f"{where}: carried the key: {keyed}"
            if "count" in expect:
                assert len(matching) == expect["count"], f"{where}: {[(r['method'], r['path']) for r in fresh]}"
            for request_ in matching if "every_query" in expect else []:
                contains(scenario_mock.query(request_), expect["every_query"], "query")
            if "last" in expect:
                last = matching[-1]
                for key_ in ("method", "path", "body"):
                    if key_ in expect["last"]:
                        contains(last[key_], expect["last"][key_], key_)
                if "query" in expect["last"]:
                    contains(scenario_mock.query(last), expect["last"]["query"], "query")
        else:
            pytest.fail(f"unknown step {where}")
