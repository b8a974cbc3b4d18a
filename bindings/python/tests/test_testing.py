"""`toriihq.testing`: the mock inside the package, as a user's own tests would use it."""

from __future__ import annotations

import asyncio

import pytest
import toriihq
from toriihq.testing import MockServer


def test_the_fixture_is_a_mock_reset_for_each_test(torii_mock: MockServer) -> None:
    client = torii_mock.client()
    client.update_user(id_user=1, body={"lifecycleStatus": "offboarding"})
    assert client.get_user(id_user=1)["user"]["lifecycleStatus"] == "offboarding"
    assert [(r["method"], r["path"]) for r in torii_mock.requests("/users/1")] == [("PUT", "/users/1"), ("GET", "/users/1")]


def test_the_fixture_starts_from_the_seed_again(torii_mock: MockServer) -> None:
    assert torii_mock.requests() == []
    assert torii_mock.client().get_user(id_user=1)["user"].get("lifecycleStatus") != "offboarding"


def test_faults_state_and_the_key(torii_mock: MockServer) -> None:
    torii_mock.fault(path="/contracts/{idContract}", kind="status", status=503)
    with pytest.raises(toriihq.InternalServerError):
        torii_mock.client().get_contract(id_contract=1)
    assert torii_mock.client().get_contract(id_contract=1)["contract"]["id"] == 1
    created = torii_mock.client().create_contract(body={"name": "Renewal", "idApp": 1, "status": "active"})
    assert any(c["name"] == "Renewal" for c in torii_mock.collection("/contracts"))
    assert created["contract"]["name"] == "Renewal"
    with pytest.raises(toriihq.AuthenticationError):
        toriihq.Client("wrong-key", base_url=torii_mock.url).get_contract(id_contract=1)


def test_a_mock_of_ones_own_with_its_settings() -> None:
    with MockServer(seed="users=3", api_key="my-key", sync_seconds=0.2) as mock:
        assert mock.api_key == "my-key" and mock.url.startswith("http://127.0.0.1:")
        assert len(list(mock.client().get_users_iter(size=2))) == 3

        async def go() -> int:
            async with mock.async_client() as client:
                return len((await client.get_users())["users"])

        assert asyncio.run(go()) == 3
    with pytest.raises(toriihq.ConfigurationError, match="seed"):
        MockServer(seed="apps=lots")
    with pytest.raises(toriihq.APIConnectionError):
        toriihq.Client("my-key", base_url=mock.url, max_retries=0).get_users()


def test_pacing_to_the_specs_limits_against_a_mock_enforcing_them() -> None:
    with MockServer(seed="none", rate_limit="spec") as mock:
        paced = mock.client(pace_to_rate_limits=True)
        for i in range(50):  # createAppField: 50 a minute
            paced.create_app_field(body={"name": f"Plan {i}", "type": "singleLine"})
        with pytest.raises(toriihq.APITimeoutError):
            paced.create_app_field(body={"name": "Plan 50", "type": "singleLine"}, options={"timeout": 0.3})
        assert len(mock.requests("/apps/fields")) == 50, "the 51st waited for its minute instead of being sent"
        with pytest.raises(toriihq.RateLimitError):
            mock.client().create_app_field(body={"name": "Unpaced", "type": "singleLine"})
