"""Export the admin audit log to CSV, every page, one row per event.

usage: audit_to_csv.py [OUTPUT_CSV]
"""

from __future__ import annotations

import csv
import sys

import toriihq


def main(output: str = "audit.csv") -> int:
    client = toriihq.Client()
    rows = 0
    with open(output, "w", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(["time", "email", "type", "method", "path"])
        for event in client.get_audit_iter(size=1000):
            details = event.get("requestDetails") or {}
            writer.writerow(
                [event.get("creationTime"), event.get("performedByEmail"), event.get("type"),
                 details.get("method"), details.get("path")]
            )
            rows += 1
    print(f"wrote {rows} events to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
