"""Input a hostile or careless caller gives, through the package as installed: ids that try to leave their path
segment (proved for arbitrary text against a server that records the request line as it arrived), bodies that are
not what the operation takes, values that contain themselves or nest without end, files that are not files. Each
is a typed error naming the argument before anything is sent, or sent exactly as it should be."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import toriihq
from conftest import KEY, Mock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class RecordingServer:
    """Keeps each request's head as it arrived, byte for byte, and answers `200 {}`."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.heads: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        buffer = b""
        with connection:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                text = head.decode("latin-1")
                length = next((int(line.split(":", 1)[1]) for line in text.split("\r\n") if line.lower().startswith("content-length:")), 0)
                while len(buffer) < length:
                    buffer += connection.recv(65536)
                buffer = buffer[length:]
                self.heads.append(text)
                connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")

    def take_request_lines(self) -> list[str]:
        lines = [head.split("\r\n", 1)[0] for head in self.heads]
        self.heads.clear()
        return lines


@pytest.fixture(scope="module")
def recorder() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.listener.close()


def test_a_backslash_traversal_stays_inside_the_plugin_path(recorder: RecordingServer) -> None:
    client = toriihq.Client(KEY, base_url=recorder.url, max_retries=0)
    client.delete_plugin(uuid_plugin="..\\..\\admin")
    client.create_plugin_api_key(uuid_plugin="..\\..\\admin")
    assert recorder.take_request_lines() == [
        "DELETE /plugins/..%5C..%5Cadmin HTTP/1.1",
        "POST /plugins/..%5C..%5Cadmin/apikey HTTP/1.1",
    ]


HOSTILE_PIECES = st.sampled_from([".", "..", "\\", "/", "%2e", "%2F", "%5c", "%", "?", "#", "\r\n", "admin", ";", " "])


@settings(max_examples=300, database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(), st.lists(st.one_of(HOSTILE_PIECES, st.characters()), max_size=10).map("".join)))
def test_any_id_is_one_segment_of_the_path_or_refused(recorder: RecordingServer, plugin: str) -> None:
    client = toriihq.Client(KEY, base_url=recorder.url, max_retries=0)
    if plugin in ("", ".", ".."):
        with pytest.raises(toriihq.InvalidArgumentError) as refused:
            client.delete_plugin(uuid_plugin=plugin)
        assert refused.value.argument == "uuid_plugin"
        assert recorder.take_request_lines() == []
        return
    client.delete_plugin(uuid_plugin=plugin)
    [line] = recorder.take_request_lines()
    method, target, version = line.split(" ")
    assert (method, version) == ("DELETE", "HTTP/1.1")
    segments = target.split("/")
    assert segments[:2] == ["", "plugins"] and len(segments) == 3, target
    assert all(c.isascii() and (c.isalnum() or c in "-._~%") for c in segments[2]), target
    assert unquote(segments[2], errors="strict") == plugin


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (42, "a number"),
        ("rename", "a string"),
        ([{"name": "x"}], "a list"),
        (True, "true or false"),
        (4.5, "a number"),
    ],
)
def test_a_body_of_the_wrong_type_is_refused_before_sending(client: toriihq.Client, mock: Mock, body: Any, named: str) -> None:
    with pytest.raises(toriihq.ArgumentTypeError) as refused:
        client.update_contract(id_contract=1, body=body)
    assert refused.value.argument == "body" and f"must be an object, not {named}" in str(refused.value)
    assert mock.requests() == []


def cycle() -> dict[str, Any]:
    body: dict[str, Any] = {"name": "loop"}
    body["self"] = body
    return body


def nested_list(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def nested_dict(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    ("body", "path_prefix", "says"),
    [
        (cycle(), "body.self", "contains itself"),
        ({"name": "x", "items": [cycle()]}, "body.items[0].self", "contains itself"),
        ({"name": "x", "deep": nested_list(200)}, "body.deep[0][0]", "deeper than 127"),
        ({"name": "x", "deep": nested_list(5_000)}, "body.deep[0][0]", "deeper than 127"),
        ({"name": "x", "deep": nested_dict(100_000)}, "body.deep.a.a", "deeper than 127"),
    ],
    ids=["cycle", "cycle-in-list", "200-deep", "5000-deep", "100000-deep"],
)
def test_values_json_cannot_carry_are_typed_errors_not_recursion_errors(
    client: toriihq.Client, mock: Mock, body: Any, path_prefix: str, says: str
) -> None:
    with pytest.raises(toriihq.ArgumentTypeError) as refused:
        client.update_contract(id_contract=1, body=body)
    assert refused.value.argument.startswith(path_prefix), refused.value.argument
    assert says in str(refused.value)
    assert mock.requests() == []


def test_the_async_client_refuses_the_same_values(mock: Mock) -> None:
    import asyncio

    async def main() -> None:
        async with toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0) as client:
            with pytest.raises(toriihq.ArgumentTypeError):
                await client.update_contract(id_contract=1, body=cycle())
            with pytest.raises(toriihq.ArgumentTypeError):
                await client.update_contract(id_contract=1, body={"deep": nested_list(5_000)})

    asyncio.run(main())
    assert mock.requests() == []


@pytest.fixture
def fifo(tmp_path: Path) -> str:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return str(path)


def test_a_named_pipe_is_refused_at_once_by_every_file_argument(client: toriihq.Client, mock: Mock, fifo: str) -> None:
    calls = [
        lambda: client.validate_custom_integration(file=fifo),
        lambda: client.sync_custom_integration_data(id_app_account=1, file=fifo),
        lambda: client.upload(file=fifo, file_type="attachment"),
        lambda: client.upload_file(file=fifo, type_="attachment"),
    ]
    for call in calls:
        with pytest.raises(toriihq.InvalidArgumentError) as refused:
            call()
        assert refused.value.argument == "file" and "named pipe" in str(refused.value)
    assert mock.requests() == []


FIFO_SCRIPT = """
import sys, toriihq
client = toriihq.Client("k", base_url=sys.argv[1], max_retries=0)
for call in (lambda: client.validate_custom_integration(file=sys.argv[2]),
             lambda: client.sync_custom_integration_data(id_app_account=1, file=sys.argv[2])):
    try:
        call()
    except toriihq.InvalidArgumentError as error:
        print(error.argument)
"""


def test_an_interpreter_that_met_a_named_pipe_exits_by_itself(mock: Mock, fifo: str) -> None:
    done = subprocess.run([sys.executable, "-c", FIFO_SCRIPT, mock.url, fifo], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["file", "file"]


def test_the_raw_download_follows_its_documented_redirect(client: toriihq.Client, mock: Mock) -> None:
    uploaded = client.upload(file=b"x" * 10_000, file_type="attachment")
    data = client.download_file(id=uploaded["id"])
    assert data == b"x" * 10_000 and data == client.download(id=uploaded["id"])
    storage = [r for r in mock.requests() if r["path"].startswith("/_storage/files/")]
    assert len(storage) == 2 and all(h[0] != "authorization" for r in storage for h in r["headers"])
