"""Answers with their status and headers: `client.with_raw_response.get_contract(id_contract=1)` returns an
`APIResponse` whose `parse()` gives what `client.get_contract(id_contract=1)` would have."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from . import _native

if TYPE_CHECKING:
    from typing_extensions import ParamSpec

    _P = ParamSpec("_P")

__all__ = ["APIResponse", "Headers", "async_raw", "sync_raw"]

R = TypeVar("R")

# Set while a `with_raw_response` method runs: the operation's call answers with the whole response.
_WANTED: contextvars.ContextVar[bool] = contextvars.ContextVar("toriihq_raw_response", default=False)


def wanted() -> bool:
    return _WANTED.get()


class Headers(Mapping[str, str]):
    """An answer's headers: names in any case; a header sent twice reads as its values joined by `, `
    (`get_list` keeps them apart)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = [(name.lower(), value) for name, value in pairs]

    def get_list(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self._pairs if key == wanted]

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(key for key, _ in self._pairs))

    def __len__(self) -> int:
        return len(dict.fromkeys(key for key, _ in self._pairs))

    def __repr__(self) -> str:
        return f"Headers({dict(self)!r})"


class APIResponse(Generic[R]):
    """One answer as it came: `status_code`, `headers`, `content` (bytes), `text`; `parse()` decodes it as the plain
    method would."""

    def __init__(self, status_code: int, headers: list[tuple[str, str]], content: bytes) -> None:
        self.status_code = status_code
        self.headers = Headers(headers)
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def parse(self) -> R:
        """The answer decoded (`None` for an empty body); a body that is not JSON raises
        `APIResponseValidationError`."""
        if not self.content:
            return cast(R, None)
        return cast(R, _native.decode_json(self.content))

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {len(self.content)} bytes>"


def answer(raw: tuple[int, list[tuple[str, str]], bytes]) -> APIResponse[Any]:
    status, headers, content = raw
    return APIResponse(status, headers, content)


def sync_raw(method: Callable[_P, R]) -> Callable[_P, APIResponse[R]]:
    """`method` answering with its whole response."""

    @functools.wraps(method)
    def with_response(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[R]:
        token = _WANTED.set(True)
        try:
            return cast("APIResponse[R]", method(*args, **kwargs))
        finally:
            _WANTED.reset(token)

    return with_response


def async_raw(method: Callable[_P, Awaitable[R]]) -> Callable[_P, Awaitable[APIResponse[R]]]:
    """`method` (a coroutine function) answering with its whole response."""

    @functools.wraps(method)
    async def with_response(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[R]:
        token = _WANTED.set(True)
        try:
            return cast("APIResponse[R]", await method(*args, **kwargs))
        finally:
            _WANTED.reset(token)

    return with_response
