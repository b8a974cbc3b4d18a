"""`client.request`: an endpoint the spec does not describe yet, through the same pipeline as every operation, and
never anywhere but under the base URL."""

from __future__ import annotations

import asyncio

import pytest
import toriihq
from conftest import KEY, Mock


def test_a_request_answers_its_json_and_raises_its_error_class(client: toriihq.Client, mock: Mock) -> None:
    page = client.request("GET", "/apps", query={"size": 2})
    assert len(page["apps"]) == 2
    created = client.request("POST", "/contracts", body={"name": "Renewal", "idApp": 1, "status": "active"})
    assert created["contract"]["name"] == "Renewal"
    with pytest.raises(toriihq.NotFoundError):
        client.request("GET", "/not/in/the/spec")
    sent = mock.requests()
    assert [r["path"] for r in sent] == ["/apps", "/contracts", "/not/in/the/spec"]
    assert all(h[1] == "Bearer ****" for r in sent for h in r["headers"] if h[0] == "authorization")


@pytest.mark.parametrize(
    "path", ["http://evil.example/x", "//evil.example/x", "evil", "/../admin", "/a/%2e%2e/admin", "/x?y=1", "/a\\b"]
)
def test_a_request_cannot_leave_the_base_url(client: toriihq.Client, mock: Mock, path: str) -> None:
    with pytest.raises(toriihq.InvalidArgumentError) as refused:
        client.request("GET", path)
    assert refused.value.argument == "path"
    assert mock.requests() == []


def test_wrong_argument_types_are_refused(client: toriihq.Client, mock: Mock) -> None:
    with pytest.raises(toriihq.ArgumentTypeError):
        client.request("GET", 42)  # type: ignore[arg-type]
    with pytest.raises(toriihq.ArgumentTypeError):
        client.request("GET", "/apps", query="size=2")  # type: ignore[arg-type]
    with pytest.raises(toriihq.ArgumentTypeError) as cyclic:
        loop: dict[str, object] = {}
        loop["self"] = loop
        client.request("POST", "/contracts", body=loop)
    assert cyclic.value.argument == "body.self"
    assert mock.requests() == []


def test_the_async_client_requests_too(mock: Mock) -> None:
    async def main() -> int:
        async with toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0) as client:
            page = await client.request("GET", "/apps", query={"size": 3})
            with pytest.raises(toriihq.InvalidArgumentError):
                await client.request("GET", "//evil.example/x")
            return len(page["apps"])

    assert asyncio.run(main()) == 3
