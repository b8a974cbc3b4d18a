"""The file workflows and the custom-integration sync from Python: which way a file goes, progress in the blocking
and the asyncio client, file objects, bytes answers, and the typed errors of a bad file and a running sync."""

from __future__ import annotations

import asyncio
import io
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import toriihq
from conftest import KEY, ROOT, Mock

MIB = 1024 * 1024
EXAMPLES = ROOT / "spec" / "custom-integration" / "examples"


def pattern(size: int) -> bytes:
    period = bytes(i * 31 % 251 for i in range(251))
    return (period * (size // 251 + 1))[:size]


def steps(mock: Mock) -> list[tuple[str, str, bool]]:
    """What the mock received since the last reset: method, path (the upload token cut off), whether keyed."""
    return [
        (r["method"], r["path"].split("/upload-")[0], any(name == "authorization" for name, _ in r["headers"]))
        for r in mock.requests()
    ]


def test_a_large_file_goes_the_three_step_way_with_progress_and_no_key_on_the_put(
    client: toriihq.Client, mock: Mock, tmp_path: Path
) -> None:
    data = pattern(5 * MIB)
    path = tmp_path / "expenses.csv"
    path.write_bytes(data)
    seen: list[tuple[int, int]] = []
    uploaded = client.upload(file=path, file_type="expenseReport", progress=lambda sent, total: seen.append((sent, total)))
    assert steps(mock) == [
        ("GET", "/files/url", True),
        ("PUT", "/_storage/uploads", False),
        ("POST", "/files", True),
    ]
    assert mock.admin("GET", f"files/{uploaded['id']}")["size"] == len(data)
    assert seen[-1] == (len(data), len(data)) and len(seen) > 2
    assert all(a[0] < b[0] for a, b in zip(seen, seen[1:]))
    assert client.download(id=uploaded["id"]) == data


def test_a_small_file_object_goes_in_one_request_and_downloads_to_a_path(
    client: toriihq.Client, mock: Mock, tmp_path: Path
) -> None:
    data = pattern(2 * MIB)
    uploaded = client.upload(file=io.BytesIO(data), file_type="attachment")
    assert [(m, p) for m, p, _ in steps(mock)] == [("POST", "/files/upload")]
    target = tmp_path / "back.bin"
    written = client.download_to(id=uploaded["id"], path=str(target))
    assert written == {"path": str(target), "size": len(data)}
    assert target.read_bytes() == data


def test_an_open_file_on_disk_is_streamed_by_its_path(client: toriihq.Client, mock: Mock, tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(pattern(4 * MIB))
    with path.open("rb") as opened:
        client.upload(file=opened, file_type="attachment")
    assert mock.requests("/files/url")[0]["query"] == [["name", "big.bin"], ["type", "application/octet-stream"]]


def test_progress_reaches_an_asyncio_caller_on_the_loops_thread(mock: Mock, tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(pattern(4 * MIB))
    seen: list[tuple[int, int, int]] = []

    async def go() -> Any:
        async with toriihq.AsyncClient(KEY, base_url=mock.url, max_retries=0) as client:
            return await client.upload(
                file=path, file_type="attachment", progress=lambda s, t: seen.append((s, t, threading.get_ident()))
            )

    uploaded = asyncio.run(go())
    assert isinstance(uploaded["id"], int)
    assert seen and seen[-1][:2] == (4 * MIB, 4 * MIB)
    assert {thread for *_, thread in seen} == {threading.get_ident()}, "asyncio.run runs the loop on this thread"


def test_a_progress_callback_that_raises_does_not_stop_the_upload(
    client: toriihq.Client, mock: Mock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(pattern(4 * MIB))
    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: reported.append(hook.exc_value))

    def broken(sent: int, total: int) -> None:
        raise RuntimeError("the bar broke")

    assert isinstance(client.upload(file=path, file_type="attachment", progress=broken)["id"], int)
    assert reported and isinstance(reported[0], RuntimeError)


def test_wrong_arguments_are_typed_errors_before_any_request(client: toriihq.Client, mock: Mock) -> None:
    with pytest.raises(toriihq.ArgumentTypeError):
        client.upload(file=12345, file_type="attachment")  # type: ignore[arg-type]
    with pytest.raises(toriihq.ArgumentTypeError):
        client.upload(file=b"x", file_type="attachment", progress=5)  # type: ignore[arg-type]
    with pytest.raises(toriihq.InvalidArgumentError) as caught:
        client.upload(file=b"x", file_type="contract")
    assert caught.value.argument == "file_type"
    with pytest.raises(toriihq.InvalidArgumentError):
        client.upload(file="/no/such/file.csv", file_type="attachment")
    assert mock.requests() == []


def test_a_bad_file_raises_every_problem_before_any_request(client: toriihq.Client, mock: Mock) -> None:
    with pytest.raises(toriihq.InvalidFileError) as caught:
        client.sync_custom_integration_data(id_app_account=7, file=EXAMPLES / "six-problems.json")
    error = caught.value
    assert isinstance(error, ValueError) and error.kind == "invalid_file"
    assert [p["path"] for p in error.problems] == [
        "users[1].email",
        "users[2].email",
        "users[2].status",
        "users[3].email",
        "users[3].lastUsedDate",
        "licenses[0].pricePerUser",
    ]
    assert "cents" in error.problems[5]["message"]
    assert mock.requests() == []
    report = client.validate_custom_integration(users=[{"email": "ada@example.com"}, {"email": "ADA@example.com"}])
    assert [p["path"] for p in report["errors"]] == ["users[1].email"]


def test_a_running_sync_is_a_conflict_and_waiting_outlasts_it(client: toriihq.Client, mock: Mock) -> None:
    users: list[toriihq.types.CustomIntegrationUser] = [{"email": "ada@example.com", "status": "active"}]
    first = client.sync_custom_integration_data(id_app_account=7, users=users)
    assert first["success"] and first["warnings"] == []
    with pytest.raises(toriihq.ConflictError) as caught:
        client.sync_custom_integration_data(id_app_account=7, users=users)
    assert isinstance(caught.value, toriihq.SyncInProgressError) and caught.value.status_code == 409
    assert client.sync_custom_integration_data(id_app_account=7, users=users, wait_seconds=10)["success"]
