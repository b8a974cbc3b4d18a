"""A nightly custom-integration sync from an HR export: one row per person (email, names, employment, last login,
licence) becomes Torii's users and licences, validated first, then uploaded and synced.

usage: nightly_sync.py [HR_EXPORT_CSV] [ID_APP_ACCOUNT]
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict

import toriihq


def main(export: str = "examples/data/hr-export.csv", id_app_account: str = "1") -> int:
    users: list[toriihq.types.CustomIntegrationUser] = []
    holders: dict[str, list[toriihq.types.CustomIntegrationLicenseUser]] = defaultdict(list)
    with open(export, newline="") as source:
        for row in csv.DictReader(source):
            active = row["employment"] == "employed"
            user: toriihq.types.CustomIntegrationUser = {
                "email": row["email"],
                "firstName": row["first_name"],
                "lastName": row["last_name"],
                "status": "active" if active else "deleted",
            }
            if row["last_login"]:
                user["lastUsedDate"] = row["last_login"]
            users.append(user)
            if row["licence"]:
                holders[row["licence"]].append(
                    {"email": row["email"], "licenseStatus": "active" if active else "inactive"}
                )
    licenses: list[toriihq.types.CustomIntegrationLicense] = [
        {"name": name, "users": people} for name, people in sorted(holders.items())
    ]
    client = toriihq.Client()
    try:
        result = client.sync_custom_integration_data(
            id_app_account=int(id_app_account), users=users, licenses=licenses, wait_seconds=600
        )
    except toriihq.InvalidFileError as error:  # nothing was sent
        for problem in error.problems:
            print(f"{problem['path']}: {problem['message']}", file=sys.stderr)
        return 2
    print(f"synced {len(users)} users and {len(licenses)} licences (file {result['idFile']})")
    for warning in result["warnings"]:
        print(f"warning: {warning['path']}: {warning['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
