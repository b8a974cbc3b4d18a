"""Corporate networks on loopback: a proxy sees every call when the client is given one, and a TLS server signed by
a private CA (made for the run by `cargo xtask test`, folder in TORIIHQ_TEST_TLS) is reached only with that CA."""

from __future__ import annotations

import json
import os
import ssl
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import toriihq
from conftest import KEY, Mock


class JsonHandler(BaseHTTPRequestHandler):
    """A quiet handler that answers 200 with a JSON body."""

    def answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Forwarding(JsonHandler):
    """An HTTP proxy: records each request line and passes it on (plain http: the request names the whole URL)."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        forwarded = urllib.request.Request(self.path, headers={"Authorization": self.headers["Authorization"]})
        with urllib.request.urlopen(forwarded) as forwarded_answer:
            self.answer(forwarded_answer.read())


@pytest.fixture
def proxy() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Forwarding)
    Forwarding.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://user:pr0xy-secret@127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_every_call_goes_through_the_proxy(mock: Mock, proxy: str) -> None:
    client = toriihq.Client(KEY, base_url=mock.url, proxy=proxy, max_retries=0)
    assert client.get_contract(id_contract=1)["contract"]["id"] == 1
    assert Forwarding.seen == [f"GET {mock.url}/contracts/1"]
    assert "pr0xy-secret" not in repr(client)


def test_a_bad_proxy_or_ca_bundle_is_named(mock: Mock) -> None:
    with pytest.raises(toriihq.InvalidArgumentError) as bad:
        toriihq.Client(KEY, base_url=mock.url, proxy="not a url:pr0xy-secret")
    assert bad.value.argument == "proxy" and "pr0xy-secret" not in str(bad.value)
    with pytest.raises(toriihq.ConfigurationError, match="/nonexistent/ca.pem"):
        toriihq.Client(KEY, base_url=mock.url, ca_bundle="/nonexistent/ca.pem")


class Answering(JsonHandler):
    """Answers every GET with one contract."""

    def do_GET(self) -> None:
        self.answer(json.dumps({"contract": {"id": 1}}).encode())


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A refused handshake (the client without the CA) is the point of the test, not news."""


@pytest.fixture
def tls_server() -> Iterator[tuple[str, Path]]:
    folder = Path(os.environ.get("TORIIHQ_TEST_TLS", Path(__file__).resolve().parents[3] / "target" / "test-tls"))
    if not (folder / "ca.pem").exists():
        pytest.fail(f"no test CA in {folder}: run the tests with `cargo xtask test python`, which makes one")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "server.pem", folder / "server-key.pem")
    server = QuietServer(("127.0.0.1", 0), Answering)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://localhost:{server.server_address[1]}", folder / "ca.pem"
    finally:
        server.shutdown()


def test_a_server_signed_by_a_private_ca_is_reached_only_with_that_ca(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, ca = tls_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with pytest.raises(toriihq.APIConnectionError):
        toriihq.Client(KEY, base_url=url, max_retries=0).get_contract(id_contract=1)
    client = toriihq.Client(KEY, base_url=url, max_retries=0, ca_bundle=str(ca))
    assert client.get_contract(id_contract=1)["contract"]["id"] == 1
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    assert toriihq.Client(KEY, base_url=url, max_retries=0).get_contract(id_contract=1)["contract"]["id"] == 1
