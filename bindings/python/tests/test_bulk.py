"""Bulk jobs from Python: results as they end, typed errors per input, progress, a journal that resumes, inputs
pulled only as the job has room, and every setting checked before anything is sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import toriihq
from conftest import Mock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def offboarding(ids: range) -> list[dict[str, Any]]:
    return [{"id_user": i, "body": {"lifecycleStatus": "offboarding"}} for i in ids]


def test_each_input_ends_once_with_its_answer_or_its_typed_error(client: toriihq.Client, mock: Mock) -> None:
    inputs: list[Any] = [*offboarding(range(1, 6)), {"id_user": 999}, "not a mapping"]
    seen: list[toriihq.BulkProgress] = []
    results = {r.key: r for r in client.bulk("update_user", inputs, key="id_user", progress=seen.append)}
    assert sorted(results) == ["1", "2", "3", "4", "5", "7", "999"]
    assert results["3"].ok and results["3"].answer["user"]["lifecycleStatus"] == "offboarding"
    assert isinstance(results["999"].error, toriihq.NotFoundError) and results["999"].status == "failed"
    assert isinstance(results["7"].error, toriihq.ArgumentTypeError)
    assert mock.admin("GET", "writes") == {f"PUT /users/{i}": 1 for i in range(1, 6)}
    last = seen[-1]
    assert (last.done, last.failed, last.total, len(seen)) == (5, 2, 7, 7)
    assert last.eta == 0


def test_a_job_read_from_a_file_resumes_from_its_journal(client: toriihq.Client, mock: Mock, tmp_path: Path) -> None:
    source = tmp_path / "leavers.csv"
    source.write_text("idUser,body.lifecycleStatus\n" + "".join(f"{i},offboarding\n" for i in range(1, 9)))
    journal = tmp_path / "leavers.jsonl"
    first = client.bulk("update_user", from_file=source, key="idUser", journal=journal, concurrency=2)
    done = [next(first).key for _ in range(3)]
    del first  # stopped part way, as a killed script would be
    again = {r.key: r.status for r in client.bulk("update_user", from_file=source, key="idUser", journal=journal)}
    assert len(again) == 8 and all(again[key] == "skipped" for key in done)
    writes = mock.admin("GET", "writes")
    assert all(1 <= writes[f"PUT /users/{i}"] <= 2 for i in range(1, 9)), writes


def test_inputs_are_pulled_only_as_the_job_has_room(client: toriihq.Client) -> None:
    pulled = 0

    def inputs() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for item in offboarding(range(1, 31)):
            pulled += 1
            yield item

    run = client.bulk("update_user", inputs(), concurrency=2)
    next(run)
    assert pulled <= 4, pulled
    # To the end: a job left part way would still have requests on their way to the next test's mock.
    assert sum(1 for _ in run) == 29 and pulled == 30


def test_settings_are_refused_before_anything_is_sent(client: toriihq.Client, mock: Mock, tmp_path: Path) -> None:
    with pytest.raises(toriihq.InvalidArgumentError, match="rate"):
        client.bulk("update_user", [], rate="fast")
    with pytest.raises(toriihq.InvalidArgumentError, match="concurrency"):
        client.bulk("update_user", [], concurrency=0)
    with pytest.raises(toriihq.InvalidArgumentError, match="no operation named"):
        client.bulk("offboard_everyone", [])
    with pytest.raises(toriihq.ArgumentTypeError, match="one of them"):
        client.bulk("update_user", [], from_file=tmp_path / "x.csv")
    with pytest.raises(toriihq.ArgumentTypeError, match="progress"):
        client.bulk("update_user", [], progress="yes")  # type: ignore[arg-type]
    assert mock.requests() == []


def test_async_bulk_takes_an_async_iterable(async_client: toriihq.AsyncClient, mock: Mock) -> None:
    async def inputs() -> AsyncIterator[dict[str, Any]]:
        for item in offboarding(range(1, 11)):
            await asyncio.sleep(0)
            yield item

    async def run() -> list[toriihq.BulkResult]:
        return [r async for r in async_client.bulk("update_user", inputs(), key="id_user", concurrency=3)]

    results = asyncio.run(run())
    assert sorted(int(r.key) for r in results) == list(range(1, 11)) and all(r.ok for r in results)


def test_a_workflow_runs_in_bulk(client: toriihq.Client) -> None:
    emails = [{"email": f"user{i}@example.com"} for i in (1, 2)] + [{"email": "nobody@example.com"}]
    results = {r.key: r for r in client.bulk("offboard_user", emails, key="email")}
    assert results["user1@example.com"].ok and results["user2@example.com"].ok
    assert isinstance(results["nobody@example.com"].error, toriihq.NotFoundError)


# Whatever a caller's iterable holds, each element ends as exactly one result keyed by its number, and nothing
# escapes as an exception or a crash.
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_VALUES | st.dictionaries(st.sampled_from(["id_user", "idUser", "body", "x"]), _VALUES), max_size=6))
def test_any_inputs_end_one_result_each(client: toriihq.Client, inputs: list[Any]) -> None:
    results = list(client.bulk("get_user", inputs, concurrency=2))
    assert sorted(int(r.key) for r in results) == list(range(1, len(inputs) + 1))
    for result in results:
        assert result.status in ("ok", "failed")
        assert (result.error is None) == result.ok
        assert result.error is None or isinstance(result.error, toriihq.ToriiError)
