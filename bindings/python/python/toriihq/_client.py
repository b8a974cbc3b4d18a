"""`Client` and `AsyncClient`: the generated operations over the native core."""

from __future__ import annotations

from ._operations import AsyncOperations, SyncOperations

__all__ = ["AsyncClient", "Client"]


class Client(SyncOperations):
    """The blocking client.

    `Client(api_key=None, **options)` with the keys of `ClientOptions`; the key defaults to `TORII_API_KEY` and the
    base URL to `TORII_BASE_URL`, then the public API. Every method also takes `options=` (`RequestOptions`: a
    deadline, retries, headers for that call). Calls wait in Rust with the GIL
    released, retry on connection errors, 408/409/429/5xx (POST and PATCH only on 429), and raise the error class
    of the answer's status.
    """


class AsyncClient(AsyncOperations):
    """The asyncio client: the same operations, each returning an awaitable; lists iterate with `async for`."""
