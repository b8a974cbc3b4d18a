"""An access review: every app with its users (who, their status in the app, when they last used it), to CSV.

usage: access_review.py [OUTPUT_CSV]
"""

from __future__ import annotations

import csv
import sys

import toriihq


def main(output: str = "access-review.csv") -> int:
    client = toriihq.Client()
    rows = 0
    with open(output, "w", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(["app", "email", "status", "last_visit", "lifecycle"])
        for app in client.get_apps_iter(fields="id,name,state", size=1000):
            for user in client.list_app_users_iter(id_app=app["id"], size=1000):
                writer.writerow(
                    [app["name"], user.get("email"), user.get("status"), user.get("lastVisitTime"),
                     user.get("lifecycleStatus")]
                )
                rows += 1
    print(f"wrote {rows} app users to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
