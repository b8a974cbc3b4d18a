"""The pytest fixture `torii_mock`, registered when toriihq is installed: one mock for the test session, reset to
its seed before each test that asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import MockServer


@pytest.fixture(scope="session")
def _torii_mock_session() -> Iterator[MockServer]:
    with MockServer() as mock:
        yield mock


@pytest.fixture
def torii_mock(_torii_mock_session: MockServer) -> MockServer:
    """A `MockServer` (`toriihq.testing`), fresh for this test: `torii_mock.client()` is a client of it."""
    _torii_mock_session.reset()
    return _torii_mock_session
