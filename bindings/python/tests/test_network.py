"""A proxy on loopback sees every call when the client is given one (the TLS side is tested in Rust: the core)."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import toriihq
from conftest import KEY, Mock


class Forwarding(BaseHTTPRequestHandler):
    """An HTTP proxy: records each request line and passes it on (plain http: the request names the whole URL)."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        forwarded = urllib.request.Request(self.path, headers={"Authorization": self.headers["Authorization"]})
        with urllib.request.urlopen(forwarded) as answer:
            body = answer.read()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


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
