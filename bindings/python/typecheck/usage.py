"""Typed use of the package: `mypy --strict` must accept all of it."""

from __future__ import annotations

import asyncio

import toriihq
from toriihq import types


def offboarding(client: toriihq.Client) -> list[str]:
    page: types.GetAppsResponse = client.get_apps(size=100, state="managed", fields="id,name")
    names = [app.get("name", "") for app in page.get("data", [])]
    app: types.App
    for app in client.get_apps_iter(state="managed"):
        names.append(app.get("name", ""))
    contract: types.Contract = client.get_contract(id_contract="42")
    update: types.ContractUpdate = {"name": "Renewal 2027", "annualCost": 1200.0}
    client.update_contract(id_contract="42", body=update)
    scim = client.list_scim_users(filter='userName eq "ada@example.com"', count=10)
    for user in scim.get("Resources", []):
        client.patch_scim_user(
            id_user=user.get("id", ""),
            body={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active"}]},
        )
    uploaded: types.UploadFileResponse = client.upload_file(file="users.json")
    names.append(uploaded.get("id", ""))
    names.append(str(contract.get("annualCost", 0.0)))
    return names


async def audit(client: toriihq.AsyncClient) -> int:
    page = await client.get_audit(size=10)
    seen = len(page.get("data", []))
    async for user in client.get_users_iter(size=1000):
        seen += 1 if user.get("email") else 0
    return seen


def errors() -> None:
    try:
        toriihq.Client(max_retries=0).get_contract(id_contract="1")
    except toriihq.RateLimitError as error:
        wait: float | None = error.retry_after
        print(wait)
    except toriihq.APIStatusError as error:
        status: int = error.status_code
        print(status, error.body, error.headers)
    except toriihq.InvalidArgumentError as error:
        print(error.argument)


asyncio.run(audit(toriihq.AsyncClient()))
