"""A user's offboarding job, as an IT team would write it: every leaver's lifecycle set to `offboarding`."""

from __future__ import annotations

import toriihq


def offboard(client: toriihq.Client, emails: list[str]) -> list[int]:
    """Offboards each email's user; returns their ids. An unknown email raises `NotFoundError`."""
    return [user.get("id", 0) for user in (client.offboard_user(email=email) for email in emails)]
