"""Testing `offboard.py` with `toriihq.testing`: no Torii tenant, no network, just the installed package."""

from __future__ import annotations

import pytest
import toriihq
from offboard import offboard
from toriihq.testing import MockServer


def test_leavers_are_offboarded_once(torii_mock: MockServer) -> None:
    client = torii_mock.client()
    assert client.get_user(id_user=4)["user"]["lifecycleStatus"] == "active"
    assert offboard(client, ["user4@example.com", "USER4@example.com"]) == [4, 4]
    assert client.get_user(id_user=4)["user"]["lifecycleStatus"] == "offboarding"
    assert [r["method"] for r in torii_mock.requests("/users/4")] == ["GET", "PUT", "GET"], "the second is a no-op"


def test_an_unknown_email_stops_the_job(torii_mock: MockServer) -> None:
    with pytest.raises(toriihq.NotFoundError, match="nobody@example.com"):
        offboard(torii_mock.client(), ["nobody@example.com"])


def test_a_torii_outage_surfaces(torii_mock: MockServer) -> None:
    torii_mock.fault(path="/users", kind="status", status=503, times=3)
    with pytest.raises(toriihq.InternalServerError):
        offboard(torii_mock.client(max_retries=2), ["user1@example.com"])
