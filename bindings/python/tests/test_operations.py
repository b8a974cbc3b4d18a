"""Every operation of the spec, through the blocking and the asyncio client, against the mock."""

from __future__ import annotations

from typing import Any, Callable

import pytest
import toriihq
from conftest import Mock

Call = Callable[..., Any]


def test_get_apps(call: Call, mock: Mock) -> None:
    page = call("get_apps", size=3, fields="id,name")
    assert [a["id"] for a in page["data"]] == ["1", "2", "3"]
    assert page["data"][0] == {"id": "1", "name": "name 1"}
    assert page["total"] == 2500 and page["count"] == 3 and page["nextCursor"]
    assert mock.query(mock.requests("/apps")[0]) == {"size": "3", "fields": "id,name"}


def test_get_apps_metadata(call: Call) -> None:
    fields = call("get_apps_metadata", search="name 3")
    assert [f["name"] for f in fields["data"]] == ["name 3"]
    assert set(fields["data"][0]) >= {"key", "name", "type"}


def test_get_users(call: Call) -> None:
    page = call("get_users", size=10, sort="email:desc")
    assert len(page["data"]) == 10 and page["total"] == 30
    emails = [u["email"] for u in page["data"]]
    assert emails == sorted(emails, reverse=True)


def test_get_users_metadata(call: Call) -> None:
    assert call("get_users_metadata")["data"]


def test_get_contract(call: Call) -> None:
    contract = call("get_contract", id_contract="2")
    assert contract["id"] == "2" and contract["name"] == "name 2"


def test_update_contract(call: Call) -> None:
    updated = call("update_contract", id_contract="3", body={"name": "Renewal 2027"})
    assert updated["name"] == "Renewal 2027"
    assert call("get_contract", id_contract="3")["name"] == "Renewal 2027"


def test_get_contracts_metadata(call: Call) -> None:
    assert len(call("get_contracts_metadata", search="name")["data"]) == 10
    assert call("get_contracts_metadata", search="no such field")["data"] == []


def test_get_audit(call: Call) -> None:
    page = call("get_audit", size=2)
    assert len(page["data"]) == 2 and "nextCursor" in page


def test_get_file_upload_url_and_the_presigned_put(call: Call, mock: Mock) -> None:
    target = call("get_file_upload_url")
    assert target["url"].startswith(mock.url + "/_mock/uploads/")
    assert target["fileId"]


def test_get_parsing_request(call: Call) -> None:
    parse = call("get_parsing_request", id="2")
    assert parse["id"] == "2" and "status" in parse
    with pytest.raises(toriihq.NotFoundError):
        call("get_parsing_request", id="no-such-parse")


def test_update_parsing_manual(call: Call, mock: Mock) -> None:
    answer = call("update_parsing_manual", body={"fileId": "f1", "mappings": [{"sourceColumn": "A", "targetField": "amount"}]})
    assert isinstance(answer, dict) and answer["id"]
    assert mock.requests("/parsings/manual")[0]["body"]["mappings"][0]["sourceColumn"] == "A"


def test_sync_custom_integration(call: Call, mock: Mock) -> None:
    answer = call("sync_custom_integration", body={"appName": "Payroll", "users": [{"email": "ada@example.com"}]})
    assert "status" in answer
    recorded = mock.admin("GET", "collection?path=/services/sync/custom")
    assert recorded[0]["appName"] == "Payroll"


def test_get_workflow_action_executions(call: Call) -> None:
    page = call("get_workflow_action_executions", size=5)
    assert len(page["data"]) == 5 and page["total"] == 10


def test_scim_lifecycle(call: Call) -> None:
    created = call(
        "create_scim_user",
        body={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada@example.com", "active": True},
    )
    user_id = created["id"]
    assert call("get_scim_user", id_user=user_id)["userName"] == "ada@example.com"
    listed = call("list_scim_users", filter='userName eq "ada@example.com"')
    assert listed["totalResults"] == 1 and listed["Resources"][0]["id"] == user_id
    patched = call(
        "patch_scim_user",
        id_user=user_id,
        body={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert patched["active"] is False
    assert call("delete_scim_user", id_user=user_id) is None
    with pytest.raises(toriihq.NotFoundError):
        call("get_scim_user", id_user=user_id)


def test_upload_file_from_path_bytes_and_file_object(call: Call, mock: Mock, tmp_path: Any) -> None:
    path = tmp_path / "users.json"
    path.write_bytes(b'{"users": []}')
    assert call("upload_file", file=str(path))["id"]
    assert call("upload_file", file=b"a,b\n1,2\n")["id"]
    with open(path, "rb") as handle:
        assert call("upload_file", file=handle)["id"]
    files = mock.admin("GET", "collection?path=/files")
    assert [f["fileName"] for f in files] == ["users.json", "upload", "users.json"]


def test_an_upload_over_three_mib_is_refused_before_sending(call: Call, mock: Mock, tmp_path: Any) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (toriihq.MAX_UPLOAD_BYTES + 1))
    for file in (str(big), big.read_bytes()):
        with pytest.raises(toriihq.InvalidArgumentError) as caught:
            call("upload_file", file=file)
        assert caught.value.argument == "file"
    assert mock.requests("/files/upload") == []
