"""A local Torii for your own tests: the mock the SDK is tested against, running inside this process.

>>> import toriihq
>>> from toriihq.testing import MockServer
>>> with MockServer(seed="users=3") as mock:
...     client = mock.client()
...     mock.fault(path="/users/{idUser}", kind="status", status=503)  # the next matching request fails
...     try:
...         client.get_user(id_user=1)
...     except toriihq.InternalServerError as error:
...         print(error.status_code)
...     _ = client.update_user(id_user=1, body={"lifecycleStatus": "offboarding"})
...     print([r["method"] for r in mock.requests("/users/1")])
503
['GET', 'PUT']

It serves every operation of the spec with state (what you create is there to read), pages lists, keeps Torii's
documented rules (SCIM, files, syncs) and checks what you send against the spec. With pytest, the fixture
`torii_mock` gives one, reset before each test.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .. import _native
from .._client import AsyncClient, Client
from .._errors import ConfigurationError

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from .._options import ClientOptions

__all__ = ["DEFAULT_SEED", "MockServer"]

#: What a mock holds when not told otherwise: enough of each collection to page through.
DEFAULT_SEED = "apps=20,contracts=5,users=30"


class MockServer:
    """The mock, started at construction on 127.0.0.1 and a port the OS picks; `stop()` (or leaving a `with`)
    ends it."""

    def __init__(
        self,
        *,
        seed: str = DEFAULT_SEED,
        api_key: str = "toriihq-mock-key",
        rate_limit: str | None = None,
        sync_seconds: float | None = None,
        presigned_ttl: float | None = None,
        chaos: int | None = None,
        time_scale: float | None = None,
    ) -> None:
        """`seed` is items per collection (`"apps=500,users=100000"`, or `"none"`); `rate_limit` (`"100/min"`)
        answers 429 beyond it, per operation; `sync_seconds` is how long a custom-integration sync runs (another
        meanwhile answers 409); `presigned_ttl` how long an upload URL lives; `chaos` the percent of requests
        given a random fault; `time_scale` makes the rate limits' clock run faster (60: a minute lasts a second,
        for testing a bulk job at the spec's limits in seconds)."""
        settings = {
            "seed": seed,
            "api_key": api_key,
            "rate_limit": rate_limit,
            "sync_seconds": sync_seconds,
            "presigned_ttl": presigned_ttl,
            "chaos": chaos,
            "time_scale": time_scale,
        }
        self.api_key = api_key
        self._native = _native.NativeMock(json.dumps(settings).encode())

    @property
    def url(self) -> str:
        """The base URL to give a client."""
        return self._native.url

    @property
    def storage_url(self) -> str:
        """The storage origin, where presigned uploads go and downloads are redirected."""
        return self._native.storage_url

    def client(self, **options: Unpack[ClientOptions]) -> Client:
        """A blocking client of this mock (retries off unless `max_retries` says otherwise)."""
        settings: ClientOptions = {"base_url": self.url, "max_retries": 0, **options}
        return Client(self.api_key, **settings)

    def async_client(self, **options: Unpack[ClientOptions]) -> AsyncClient:
        """An asyncio client of this mock (retries off unless `max_retries` says otherwise)."""
        settings: ClientOptions = {"base_url": self.url, "max_retries": 0, **options}
        return AsyncClient(self.api_key, **settings)

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        data = b"" if body is None else json.dumps(body).encode()
        status, answer = self._native.admin(method, path, data)
        if status >= 400:
            raise ConfigurationError(f"the mock refused {method} /_mock/{path}: {answer.decode(errors='replace')}")
        return json.loads(answer) if answer else None

    def fault(self, **fault: Any) -> None:
        """Queues a fault for the next matching request: `path` (the spec's template or the path sent), `method`,
        `times` (default 1), `after` (matching requests to let pass first; default 0) and `kind`: `status` (with
        `status`, optional `retry_after` seconds), `delay` (`delay_ms`), `reset`, `truncated`, `invalid_json`,
        `wrong_types`, `extra_key` (`key`: the normal answer with a key the spec does not declare, as a newer API
        sends)."""
        self._admin("POST", "faults", fault)

    def clear_faults(self) -> None:
        self._admin("DELETE", "faults")

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        """What the mock received (the last 10,000), oldest first: `method`, `path`, `query` and `headers` as
        `[name, value]` pairs (the key masked), `body`; only those to `path` when given."""
        log: list[dict[str, Any]] = self._admin("GET", "requests")
        return [request for request in log if path is None or request["path"] == path]

    def clear_requests(self) -> None:
        self._admin("DELETE", "requests")

    def writes(self) -> dict[str, int]:
        """Writes answered with success, counted by method and path (`{"PUT /users/17": 1}`): how a test proves a
        bulk job applied each input once."""
        counts: dict[str, int] = self._admin("GET", "writes")
        return counts

    def reset(self) -> None:
        """State back to the seed; faults and the request log cleared."""
        self._admin("POST", "reset")

    def collection(self, path: str) -> list[dict[str, Any]]:
        """The stored items of a collection (`"/contracts"`, `"/scim/v2/Users"`)."""
        items: list[dict[str, Any]] = self._admin("GET", f"collection?path={path}")
        return items

    def file(self, file_id: int) -> Mapping[str, Any]:
        """A stored file: `name`, `size`, `sha256`, whether its bytes were kept."""
        found: Mapping[str, Any] = self._admin("GET", f"files/{file_id}")
        return found

    def stop(self) -> None:
        self._native.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"MockServer(url={self.url!r})"
