"""Offboard everyone in a CSV of leavers (a column `email`), and write what happened to each.

usage: offboard_leavers.py [LEAVERS_CSV] [RESULTS_CSV]
"""

from __future__ import annotations

import csv
import sys

import toriihq


def main(leavers: str = "examples/data/leavers.csv", results: str = "offboarded.csv") -> int:
    client = toriihq.Client()  # TORII_API_KEY, TORII_BASE_URL
    failed = 0
    with open(leavers, newline="") as source, open(results, "w", newline="") as sink:
        report = csv.writer(sink)
        report.writerow(["email", "outcome", "id_user", "apps_still_held"])
        for row in csv.DictReader(source):
            email = row["email"].strip()
            try:
                user = client.offboard_user(email=email)
            except toriihq.NotFoundError:
                report.writerow([email, "not in Torii", "", ""])
                continue
            except toriihq.APIError as error:  # an outage: say so, go on with the others
                failed += 1
                report.writerow([email, f"failed: {error.kind}", "", ""])
                continue
            apps = client.list_user_apps(id_user=user["id"]).get("apps", [])
            report.writerow([email, user["lifecycleStatus"], user["id"], len(apps)])
    print(f"wrote {results}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
