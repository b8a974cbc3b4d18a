"""Bulk jobs: one operation or workflow called once per input, paced to its rate limit, a few at a time, and
resumable through a journal. The runner is the core's; this module hands it the inputs as it asks for them and
turns what it answers into `BulkResult`s."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping, Sized
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Union

from ._errors import ArgumentTypeError, ToriiError

if TYPE_CHECKING:
    from . import _bridge, _native
    from ._options import RequestOptions

__all__ = ["BulkProgress", "BulkResult"]


class BulkResult(NamedTuple):
    """How one input of a bulk job ended."""

    key: str
    """The input's key: the value of the `key` parameter, or its number (from 1) in the inputs."""
    status: Literal["ok", "failed", "skipped", "unknown"]
    """`skipped`: done by an earlier run (the journal says so). `unknown`: an earlier run sent it and stopped before
    the answer, and it is not safe to send twice (a POST): check it."""
    answer: Any
    """The decoded answer when `ok` (bytes for a download), else `None`."""
    error: ToriiError | None
    """The error when `failed`: the same class a single call raises."""

    @property
    def ok(self) -> bool:
        """Done, in this run or an earlier one."""
        return self.status in ("ok", "skipped")


class BulkProgress(NamedTuple):
    """A bulk job's state, given to the `progress` callback after each result."""

    done: int
    failed: int
    skipped: int
    unknown: int
    total: int | None
    """How many inputs there are: `len(inputs)` when they have one, the lines of `from_file`, or `total=`."""
    elapsed: float
    """Seconds since the job started."""
    per_second: float
    eta: float | None
    """Seconds left: the inputs left at the pace so far, never faster than the rate limit allows."""


BulkProgressCallback = Callable[[BulkProgress], object]
BulkInputs = Union[Iterable[Mapping[str, Any]], AsyncIterable[Mapping[str, Any]]]


def start(
    native: _native.NativeClient,
    operation: str,
    inputs: object,
    from_file: str | os.PathLike[str] | None,
    key: str | None,
    settings: dict[str, Any],
    options: RequestOptions | None,
) -> _native.Bulk:
    """The native job, every setting checked by the core before the first input is read."""
    from ._base import _dumps

    if (inputs is None) == (from_file is None):
        raise ArgumentTypeError("give `inputs` or `from_file`, one of them", {"argument": "inputs"})
    if settings.get("total") is None and isinstance(inputs, Sized):
        settings["total"] = len(inputs)
    if settings.get("journal") is not None:
        settings["journal"] = os.fspath(settings["journal"])
    job = _dumps({**settings, **(options or {})}, "options")
    return native.bulk(operation, job, None if from_file is None else os.fspath(from_file), key)


def _push(bulk: _native.Bulk, number: int, item: object) -> None:
    """Hands over one input; one JSON cannot carry fails that item, not the job."""
    from ._base import _dumps

    try:
        bulk.push(number, _dumps(item, "inputs"))  # type: ignore[arg-type]  # _dumps checks it is a mapping
    except ToriiError as error:
        bulk.push_refused(number, getattr(error, "argument", None) or "inputs", str(error))


def _result(bulk: _native.Bulk, got: tuple[str, str, Any, Any], progress: BulkProgressCallback | None) -> BulkResult:
    result = BulkResult(*got)
    if progress is not None:
        progress(BulkProgress(*bulk.progress()))
    return result


def results(
    bulk: _native.Bulk, inputs: Iterable[Mapping[str, Any]] | None, progress: BulkProgressCallback | None
) -> Iterator[BulkResult]:
    """The results as they come, inputs handed over only when the job has room for them."""
    items = iter(inputs) if inputs is not None else iter(())
    number = 0
    while True:
        got = bulk.next()
        if got is None:
            return
        if got is True:
            item = next(items, _END)
            if item is _END:
                bulk.close()
            else:
                number += 1
                _push(bulk, number, item)
            continue
        yield _result(bulk, got, progress)


async def async_results(
    bulk: _native.Bulk, inputs: BulkInputs | None, progress: BulkProgressCallback | None
) -> AsyncIterator[BulkResult]:
    """As `results`, for `async for`; the inputs may be an async iterable too."""
    pull = _async_pull(inputs)
    number = 0
    while True:
        bridge = _bridge_here()
        got = await bridge.wait(bulk.start_next(bridge.native))
        if got is None:
            return
        if got is True:
            item = await pull()
            if item is _END:
                bulk.close()
            else:
                number += 1
                _push(bulk, number, item)
            continue
        yield _result(bulk, got, progress)


def _async_pull(inputs: BulkInputs | None) -> Callable[[], Any]:
    if inputs is None:
        inputs = ()
    if isinstance(inputs, AsyncIterable):
        items = aiter(inputs)

        async def pull_async() -> object:
            try:
                return await anext(items)
            except StopAsyncIteration:
                return _END

        return pull_async
    plain = iter(inputs)

    async def pull() -> object:
        return next(plain, _END)

    return pull


def _bridge_here() -> _bridge.LoopBridge:
    from . import _bridge

    return _bridge.for_running_loop()


_END = object()
