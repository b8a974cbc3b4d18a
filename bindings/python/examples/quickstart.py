"""The Python quickstart: what IT and security engineers script against Torii.

Reads TORII_API_KEY and TORII_BASE_URL (`cargo xtask demo` points them at the local mock).
"""

from __future__ import annotations

import asyncio

import toriihq


def main() -> None:
    with toriihq.Client() as client:
        print(f"Torii API at {client.base_url}")

        # Every app, every page; any field is a filter (custom fields too) and is sent with each page.
        apps = list(client.get_apps_iter(fields="id,name,state,primaryOwner", size=1000))
        discovered = list(client.get_apps_iter(size=1000, extra_query={"state": "Discovered"}))
        print(f"{len(apps)} apps, {len(discovered)} of them discovered and not yet managed")

        # Offboarding: mark a leaver as offboarding, then list the apps they still have.
        page = client.get_users(size=5)
        users = page.get("users", [])
        print(f"first {len(users)} of {page.get('total')} users")
        if users:
            leaver = users[0]["id"]
            updated = client.update_user(id_user=leaver, body={"lifecycleStatus": "offboarding"})
            print(f"user {leaver} is now {updated.get('user', {}).get('lifecycleStatus')}")
            their_apps = client.list_user_apps(id_user=leaver).get("apps", [])
            print(f"user {leaver} has {len(their_apps)} apps")

        # A contract: read, rename (any contract field goes by its system key), read back.
        contract = client.get_contract(id_contract=1).get("contract", {})
        print(f"contract 1 is {contract.get('name')!r}")
        client.update_contract(id_contract=1, body={"name": "Renewal 2027"})
        print(f"contract 1 is now {client.get_contract(id_contract=1).get('contract', {}).get('name')!r}")

        # Deprovisioning through SCIM: find the user by userName, deactivate them.
        found = client.list_scim_users(filter='userName eq "user1@example.com"')
        for user in found.get("Resources", []):
            scim_id = int(user.get("id", "0"))
            client.patch_scim_user(
                id_user=scim_id,
                body={
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "replace", "path": "active", "value": False}],
                },
            )
            print(f"SCIM user {scim_id} active: {client.get_scim_user(id_user=scim_id).get('active')}")

        # Push an app's users and licences into Torii: validated first (every problem, with its path), uploaded
        # (any size), synced; a sync already running is waited for, up to 30 s.
        synced = client.sync_custom_integration_data(
            id_app_account=1,
            users=[{"email": "ada@example.com", "roles": ["Admin"]}],
            licenses=[{"name": "Pro", "pricePerUser": 3520, "users": [{"email": "ada@example.com"}]}],
            wait_seconds=30,
        )
        print(f"custom integration sync: {synced['success']} (file {synced['idFile']})")

        # A file of any size: over 3 MiB it goes through a presigned URL, streamed, without the Torii key.
        def progress(sent: int, total: int) -> None:
            if sent == total:
                print(f"uploaded {sent} of {total} bytes")

        uploaded = client.upload(file=b"x" * (4 * 1024 * 1024), file_type="expenseReport", progress=progress)
        print(f"file {uploaded['id']} holds {len(client.download(id=uploaded['id']))} bytes")

        # Typed errors.
        try:
            client.get_contract(id_contract=999999)
        except toriihq.NotFoundError as error:
            print(f"contract 999999: not found ({error.status_code})")


async def audit() -> None:
    async with toriihq.AsyncClient() as client:
        page = await client.get_audit(size=3)
        print(f"{len(page.get('audit', []))} audit entries on the first page (asyncio)")


if __name__ == "__main__":
    main()
    asyncio.run(audit())
