"""`with_raw_response`: while its methods run, the operation's call answers with the whole response, which
`_response.APIResponse` (loaded then) wraps."""

from __future__ import annotations

import contextvars
import functools

TYPE_CHECKING = False  # not `typing`'s: `import toriihq` does without `typing`
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any, TypeVar

    from typing_extensions import ParamSpec

    from ._response import APIResponse

    _P = ParamSpec("_P")
    _R = TypeVar("_R")

__all__ = ["answer", "async_raw", "sync_raw", "wanted"]

# Set while a `with_raw_response` method runs: the operation's call answers with the whole response.
_WANTED: contextvars.ContextVar[bool] = contextvars.ContextVar("toriihq_raw_response", default=False)


def wanted() -> bool:
    return _WANTED.get()


def answer(raw: tuple[int, list[tuple[str, str]], bytes]) -> APIResponse[Any]:
    from ._response import APIResponse

    status, headers, content = raw
    return APIResponse(status, headers, content)


def sync_raw(method: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    """`method` answering with its whole response."""

    @functools.wraps(method)
    def with_response(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_R]:
        token = _WANTED.set(True)
        try:
            return method(*args, **kwargs)  # type: ignore[return-value]  # `_WANTED` makes it an APIResponse
        finally:
            _WANTED.reset(token)

    return with_response


def async_raw(method: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[APIResponse[_R]]]:
    """`method` (a coroutine function) answering with its whole response."""

    @functools.wraps(method)
    async def with_response(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_R]:
        token = _WANTED.set(True)
        try:
            return await method(*args, **kwargs)  # type: ignore[return-value]  # `_WANTED`: an APIResponse
        finally:
            _WANTED.reset(token)

    return with_response
