"""The exceptions toriihq raises. The Rust core decides which one; these classes only carry what it found."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ArgumentTypeError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ToriiError",
    "UnprocessableEntityError",
]


class ToriiError(Exception):
    """Every error toriihq raises."""

    message: str
    kind: str

    def __init__(self, message: str, *, kind: str = "error", **_: Any) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


class APIError(ToriiError):
    """The request was sent and something went wrong with the answer, or with getting one."""


class APIStatusError(APIError):
    """The API answered with a non-2xx status."""

    status_code: int
    body: Any
    headers: dict[str, str]

    def __init__(
        self,
        message: str,
        *,
        kind: str = "unexpected_status",
        status_code: int = 0,
        body_json: str | None = None,
        headers: Sequence[tuple[str, str]] = (),
        **extra: Any,
    ) -> None:
        super().__init__(message, kind=kind, **extra)
        self.status_code = status_code
        self.body = json.loads(body_json) if body_json else None
        self.headers = {name.lower(): value for name, value in headers}


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409 (for example a custom-integration sync already running)."""


class PayloadTooLargeError(APIStatusError):
    """413."""


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429 after the retries; `retry_after` is the wait the API asked for, in seconds, when it said."""

    retry_after: float | None

    def __init__(self, message: str, *, retry_after: float | None = None, **extra: Any) -> None:
        super().__init__(message, **extra)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx after the retries."""


class APIConnectionError(APIError):
    """The API could not be reached, or the connection broke."""


class APITimeoutError(APIConnectionError):
    """The request timed out (after the retries)."""


class APIResponseValidationError(APIError):
    """A 2xx answer whose body is not what the spec describes."""


class InvalidArgumentError(ToriiError, ValueError):
    """An argument with a value the spec does not allow; nothing was sent. `argument` names it."""

    argument: str | None

    def __init__(self, message: str, *, argument: str | None = None, **extra: Any) -> None:
        super().__init__(message, **extra)
        self.argument = argument


class ArgumentTypeError(ToriiError, TypeError):
    """An argument of the wrong type; nothing was sent. `argument` names it."""

    argument: str | None

    def __init__(self, message: str, *, argument: str | None = None, **extra: Any) -> None:
        super().__init__(message, **extra)
        self.argument = argument
