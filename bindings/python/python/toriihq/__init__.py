"""toriihq: the SDK for the Torii SaaS-management API.

    import toriihq
    with toriihq.Client() as client:          # the key from TORII_API_KEY
        for app in client.get_apps_iter(state="managed"):
            print(app["name"])
"""

from . import types
from ._client import AsyncClient, Client, FileInput
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ArgumentTypeError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ToriiError,
    UnprocessableEntityError,
)
from ._native import MAX_UPLOAD_BYTES, __version__

__all__ = [
    "MAX_UPLOAD_BYTES",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ArgumentTypeError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "FileInput",
    "InternalServerError",
    "InvalidArgumentError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ToriiError",
    "UnprocessableEntityError",
    "__version__",
    "types",
]
