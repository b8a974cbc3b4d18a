"""The Python quickstart: what IT and security engineers script against Torii.

Reads TORII_API_KEY and TORII_BASE_URL (`cargo xtask demo` points them at the local mock).
"""

from __future__ import annotations

import asyncio

import toriihq


def main() -> None:
    with toriihq.Client() as client:
        print(f"Torii API at {client.base_url}")

        # Every app in a state, every page; the filter is sent with each page.
        apps = list(client.get_apps_iter(state="state 2", size=100))
        print(f"{len(apps)} apps in state 'state 2'")

        # A contract: read, rename, read back.
        contract = client.get_contract(id_contract="1")
        print(f"contract 1 is {contract.get('name')!r}")
        client.update_contract(id_contract="1", body={"name": "Renewal 2027"})
        print(f"contract 1 is now {client.get_contract(id_contract='1').get('name')!r}")

        # Offboarding through SCIM: find the user, deactivate them.
        found = client.list_scim_users(filter='userName eq "user1@example.com"')
        for user in found.get("Resources", []):
            patched = client.patch_scim_user(
                id_user=user.get("id", ""),
                body={
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "replace", "path": "active", "value": False}],
                },
            )
            print(f"SCIM user {user.get('id')} active: {patched.get('active')}")

        # Upload a small file (checked against the 3 MiB limit before sending).
        uploaded = client.upload_file(file=b'{"users": []}')
        print(f"uploaded file {uploaded.get('id')}")

        # Typed errors.
        try:
            client.get_contract(id_contract="999999")
        except toriihq.NotFoundError as error:
            print(f"contract 999999: not found ({error.status_code})")


async def audit() -> None:
    async with toriihq.AsyncClient() as client:
        page = await client.get_audit(size=3)
        print(f"{len(page.get('data', []))} audit entries on the first page (asyncio)")


if __name__ == "__main__":
    main()
    asyncio.run(audit())
