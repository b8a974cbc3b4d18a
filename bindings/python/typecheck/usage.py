"""Typed use of the package: `mypy --strict` must accept all of it."""

from __future__ import annotations

import asyncio

import toriihq
from toriihq import types


def offboarding(client: toriihq.Client) -> list[str]:
    page: types.AppsPage = client.get_apps(size=100, fields="id,name", extra_query={"state": "managed"})
    names = [app.get("name", "") for app in page.get("apps", [])]
    app: types.App
    for app in client.get_apps_iter(extra_query={"state": "managed"}):
        names.append(app.get("name", ""))
    answer: types.GetContract = client.get_contract(id_contract=42)
    contract: types.Contract = answer.get("contract", {})
    client.update_contract(id_contract=42, body={"name": "Renewal 2027", "amount": {"value": 1200, "currency": "EUR"}})
    leaver: types.UserResponse = client.update_user(id_user=7, body={"lifecycleStatus": "offboarding"})
    names.append(leaver.get("user", {}).get("email", ""))
    scim = client.list_scim_users(filter='userName eq "ada@example.com"', count=10)
    for user in scim.get("Resources", []):
        client.patch_scim_user(
            id_user=int(user.get("id", "0")),
            body={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": False}]},
        )
    uploaded: types.FileId = client.upload_file(file="users.json", type_="customIntegrationData")
    client.sync_custom_integration(body={"idFile": uploaded.get("id", 0), "idAppAccount": 3})
    names.append(str(contract.get("id", 0)))
    raw: toriihq.APIResponse[types.GetContract] = client.with_raw_response.get_contract(id_contract=42)
    remaining: str | None = raw.headers.get("x-ratelimit-remaining")
    parsed: types.GetContract = raw.parse()
    patient: toriihq.Client = client.with_options(timeout=120, max_retries=5)
    patient.get_contract(id_contract=42)
    names.append(f"{raw.status_code} {remaining} {parsed.get('contract', {}).get('name', '')}")
    return names


async def audit(client: toriihq.AsyncClient) -> int:
    page = await client.get_audit(size=10)
    seen = len(page.get("audit", []))
    async for user in client.get_users_iter(size=1000):
        seen += 1 if user.get("email") else 0
    raw = await client.with_raw_response.get_audit(size=10)
    entries: types.AuditLog = raw.parse()
    return seen + raw.status_code + len(entries.get("audit", []))


def errors() -> None:
    try:
        toriihq.Client(max_retries=0).get_contract(id_contract=1)
    except toriihq.RateLimitError as error:
        wait: float | None = error.retry_after
        print(wait)
    except toriihq.APIStatusError as error:
        status: int = error.status_code
        print(status, error.body, error.headers)
    except toriihq.InvalidArgumentError as error:
        print(error.argument)


asyncio.run(audit(toriihq.AsyncClient()))


def bulk_offboarding(client: toriihq.Client) -> int:
    def show(progress: toriihq.BulkProgress) -> None:
        left: float | None = progress.eta
        print(progress.done, progress.failed, left)

    inputs = [{"id_user": 1, "body": {"lifecycleStatus": "offboarding"}}]
    failed = 0
    for result in client.bulk("update_user", inputs, key="id_user", rate="100/min", journal="j.jsonl", progress=show):
        error: toriihq.ToriiError | None = result.error
        if not result.ok:
            failed += 1
            print(result.key, error)
    return failed


async def bulk_async(client: toriihq.AsyncClient) -> list[str]:
    return [result.status async for result in client.bulk("offboard_user", from_file="leavers.csv", key="email")]
