"""The real API's operations through the blocking and the asyncio client, against the mock: envelopes, wrapped
objects, integer ids, custom fields, the three paging kinds. (Every one of the 60 operations is called by the
cross-language scenario `tests/scenarios/every_operation.json`, run by test_scenarios.py.)"""

from __future__ import annotations

from typing import Any, Callable

import pytest
import toriihq
from conftest import Mock

Call = Callable[..., Any]


def test_get_apps_reads_the_real_page(call: Call, mock: Mock) -> None:
    page = call("get_apps", size=3, fields="id,name,primaryOwner")
    assert [a["id"] for a in page["apps"]] == [1, 2, 3]
    assert set(page["apps"][0]) == {"id", "name", "primaryOwner"}
    assert page["apps"][0]["primaryOwner"]["email"]
    assert page["total"] == 500 and page["count"] == 3 and page["nextCursor"]
    assert mock.query(mock.requests("/apps")[0]) == {"size": "3", "fields": "id,name,primaryOwner"}


def test_any_field_is_a_filter_through_extra_query(call: Call, mock: Mock) -> None:
    page = call("get_apps", size=1000, fields="id,state", extra_query={"state": "Discovered 2"})
    assert page["total"] == 100 and {a["state"] for a in page["apps"]} == {"Discovered 2"}


def test_get_apps_metadata_searches_with_q(call: Call) -> None:
    fields = call("get_apps_metadata", q="Department")
    assert fields["predefinedFields"] and fields["customFields"] is not None


def test_get_users_sorts_and_pages(call: Call) -> None:
    page = call("get_users", size=10, sort="email:desc")
    assert len(page["users"]) == 10 and page["total"] == 30
    emails = [u["email"] for u in page["users"]]
    assert emails == sorted(emails, reverse=True)


def test_a_contract_is_wrapped_and_takes_custom_fields(call: Call) -> None:
    assert call("get_contract", id_contract=2)["contract"]["id"] == 2
    updated = call("update_contract", id_contract=3, body={"name": "Renewal 2027", "renewalOwner": "ada@example.com"})
    assert updated["contract"]["name"] == "Renewal 2027"
    assert call("get_contract", id_contract=3)["contract"]["renewalOwner"] == "ada@example.com"
    with pytest.raises(toriihq.NotFoundError):
        call("get_contract", id_contract=999)


def test_a_path_id_must_be_an_integer(call: Call, mock: Mock) -> None:
    with pytest.raises((toriihq.ArgumentTypeError, toriihq.InvalidArgumentError)) as caught:
        call("get_contract", id_contract="two")
    assert "id_contract" in str(caught.value) or "idContract" in str(caught.value)
    assert mock.requests("/contracts/two") == []


def test_offboarding_a_user(call: Call) -> None:
    updated = call("update_user", id_user=1, body={"lifecycleStatus": "offboarding"})
    assert updated["user"]["lifecycleStatus"] == "offboarding"
    apps = call("list_user_apps", id_user=1)["apps"]
    assert apps and {"id", "name", "isUserRemovedFromApp", "state"} <= set(apps[0])
    removed = call("update_user_app", id_user=1, id_app=apps[0]["id"], body={"isUserRemovedFromApp": True})
    assert removed["app"]["isUserRemovedFromApp"] is True


def test_the_audit_log_pages_by_cursor_without_a_total(call: Call) -> None:
    page = call("get_audit", size=2)
    assert len(page["audit"]) == 2 and page["nextCursor"] and "total" not in page


def test_the_upload_url_and_the_upload(call: Call, mock: Mock) -> None:
    target = call("get_file_upload_url", name="big.csv", type_="text/csv")["uploadFileParameters"]
    # The presigned URL is on the storage origin (another port of the mock, as S3 is another host).
    assert "/_storage/uploads/" in target["url"] and not target["url"].startswith(mock.url)
    assert target["filePath"].endswith("/big.csv")
    uploaded = call("upload_file", file=b"a,b\n1,2\n", type_="expenseReport")
    assert isinstance(uploaded["id"], int)


def test_an_upload_needs_a_known_type(call: Call, mock: Mock) -> None:
    with pytest.raises(toriihq.InvalidArgumentError) as caught:
        call("upload_file", file=b"{}", type_="contract")
    assert caught.value.argument == "type"
    assert mock.requests("/files/upload") == []


def test_the_custom_integration_sync_is_a_put(call: Call, mock: Mock) -> None:
    uploaded = call("upload_file", file=b'{"users": [{"email": "ada@example.com"}]}', type_="customIntegrationData")
    assert call("sync_custom_integration", body={"idFile": uploaded["id"], "idAppAccount": 2}) == {"success": True}
    assert mock.requests("/services/sync/custom")[0]["method"] == "PUT"


def test_a_manual_parse_takes_its_config(call: Call, mock: Mock) -> None:
    config = {"idFile": 1, "transactionDateColumn": "A", "descriptionColumn": "B", "amountColumn": "C", "dateFormat": "DD/MM/YYYY", "currency": "USD"}
    answer = call("update_parsing_manual", body={"parseConfig": config})
    assert isinstance(answer["id"], int)
    assert call("get_parsing_request", id=answer["id"])["parse"]["id"] == answer["id"]
    assert mock.requests("/parsings/manual")[0]["body"]["parseConfig"]["dateFormat"] == "DD/MM/YYYY"


def test_scim_lifecycle(call: Call) -> None:
    created = call(
        "create_scim_user",
        body={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada@example.com", "active": True},
    )
    user_id = int(created["id"])
    assert call("get_scim_user", id_user=user_id)["userName"] == "ada@example.com"
    listed = call("list_scim_users", filter='userName eq "ada@example.com"')
    assert listed["totalResults"] == 1 and listed["Resources"][0]["id"] == created["id"]
    call(
        "patch_scim_user",
        id_user=user_id,
        body={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert call("get_scim_user", id_user=user_id)["active"] is False
    assert call("delete_scim_user", id_user=user_id) is None
    with pytest.raises(toriihq.NotFoundError):
        call("get_scim_user", id_user=user_id)


def test_upload_from_path_bytes_and_file_object(call: Call, mock: Mock, tmp_path: Any) -> None:
    path = tmp_path / "users.json"
    path.write_bytes(b'{"users": []}')
    assert call("upload_file", file=str(path), type_="customIntegrationData")["id"]
    assert call("upload_file", file=b"a,b\n1,2\n", type_="expenseReport")["id"]
    with open(path, "rb") as handle:
        assert call("upload_file", file=handle, type_="attachment")["id"]
    requests = mock.requests("/files/upload")
    assert len(requests) == 3


def test_an_upload_over_three_mib_is_refused_before_sending(call: Call, mock: Mock, tmp_path: Any) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (toriihq.MAX_UPLOAD_BYTES + 1))
    for file in (str(big), big.read_bytes()):
        with pytest.raises(toriihq.InvalidArgumentError) as caught:
            call("upload_file", file=file, type_="expenseReport")
        assert caught.value.argument == "file"
    assert mock.requests("/files/upload") == []
