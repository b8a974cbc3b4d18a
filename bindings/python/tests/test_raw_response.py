"""`with_raw_response`: the status and headers of an answer, and `parse()` giving what the plain method gives."""

from __future__ import annotations

import asyncio

import pytest
import toriihq
from conftest import KEY, Mock

SCIM_USER = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "raw@example.com"}


def test_a_call_shows_its_status_headers_and_body(client: toriihq.Client) -> None:
    response = client.with_raw_response.get_contract(id_contract=1)
    assert isinstance(response, toriihq.APIResponse)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers.get_list("content-type") == [response.headers["content-type"]]
    assert response.parse() == client.get_contract(id_contract=1)
    assert response.text.startswith('{"contract"')


def test_other_statuses_and_an_empty_body(client: toriihq.Client) -> None:
    created = client.with_raw_response.create_scim_user(body=SCIM_USER)
    assert (created.status_code, created.parse()["userName"]) == (201, "raw@example.com")
    deleted = client.with_raw_response.delete_contract(id_contract=2)
    assert (deleted.status_code, deleted.content, deleted.parse()) == (204, b"", None)


def test_errors_are_raised_as_from_the_plain_method(client: toriihq.Client, mock: Mock) -> None:
    with pytest.raises(toriihq.NotFoundError):
        client.with_raw_response.get_contract(id_contract=999_999)
    with pytest.raises(toriihq.ArgumentTypeError):
        client.with_raw_response.get_contract(id_contract="")  # type: ignore[arg-type]
    assert mock.requests("/contracts/") == []


def test_the_plain_methods_still_decode_after_a_raw_call(client: toriihq.Client) -> None:
    client.with_raw_response.get_contract(id_contract=1)
    assert client.get_contract(id_contract=1)["contract"]["id"] == 1
    assert client.with_raw_response is client.with_raw_response


def test_workflows_and_iterators_have_no_raw_form(client: toriihq.Client) -> None:
    assert not hasattr(client.with_raw_response, "offboard_user")
    assert not hasattr(client.with_raw_response, "get_users_iter")


def test_the_async_client_answers_the_same(mock: Mock) -> None:
    async def go() -> tuple[toriihq.APIResponse[object], object]:
        async with toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0) as client:
            raw = await client.with_raw_response.get_contract(id_contract=1)
            plain = await client.get_contract(id_contract=1)
            return raw, plain

    raw, plain = asyncio.run(go())
    assert (raw.status_code, raw.parse()) == (200, plain)
