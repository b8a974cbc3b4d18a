"""Bulk jobs: one operation or workflow called once per input, paced to its rate limit, a few at a time, and
resumable through a journal. The runner is the core's; this module hands it the inputs as it asks for them and
turns what it answers into `BulkResult`s."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sized
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypedDict, Union, cast

from ._errors import ArgumentTypeError, ToriiError

if TYPE_CHECKING:
    from . import _native
    from ._options import RequestOptions

__all__ = ["BulkProgress", "BulkResult", "BulkSettings"]


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


class BulkSettings(TypedDict, total=False):
    """How a bulk job runs; every key is optional."""

    from_file: str | os.PathLike[str]
    """Read the inputs from this CSV (header row) or NDJSON file instead of `inputs`."""
    key: str
    """The parameter whose value keys each result and journal line (default: the input's number, from 1)."""
    concurrency: int
    """Inputs in flight at once, 1 to 256 (default 4)."""
    rate: str
    """The pace, `"200/min"` or `"5/s"` (default: the operation's limit in the spec)."""
    journal: str | os.PathLike[str]
    """A file recording what was sent and how it ended: run again with it to resume."""
    total: int
    """How many inputs there are, for the time left (`len(inputs)` is used without it)."""
    progress: BulkProgressCallback
    """Told a `BulkProgress` after each result."""
    options: RequestOptions
    """Each call's options (its timeout, retries, headers)."""


class Job:
    """A native job and what the Python side keeps of it: the inputs handed over, the progress callback."""

    def __init__(self, native: _native.NativeClient, operation: str, inputs: object, settings: BulkSettings) -> None:
        """Starts the job; every setting is checked by the core before the first input is read."""
        from ._base import _dumps

        job: dict[str, Any] = dict(settings)
        from_file, key, progress = job.pop("from_file", None), job.pop("key", None), job.pop("progress", None)
        if (inputs is None) == (from_file is None):
            raise ArgumentTypeError("give `inputs` or `from_file`, one of them", {"argument": "inputs"})
        if progress is not None and not callable(progress):
            raise ArgumentTypeError(
                f"`progress` must be a callable taking a BulkProgress, not {type(progress).__name__}",
                {"argument": "progress"},
            )
        if job.get("total") is None and isinstance(inputs, Sized):
            job["total"] = len(inputs)
        if job.get("journal") is not None:
            job["journal"] = os.fspath(job["journal"])
        job.update(job.pop("options", None) or {})
        source = None if from_file is None else os.fspath(from_file)
        self.native = native.bulk(operation, _dumps(job, "options"), source, key)
        self._progress: BulkProgressCallback | None = progress
        self._number = 0

    def feed(self, item: object) -> None:
        """Hands over the next input (`_END`: there are no more); one JSON cannot carry fails that input alone."""
        from ._base import _dumps

        if item is _END:
            self.native.close()
            return
        self._number += 1
        try:
            params = _dumps(item, "inputs")  # type: ignore[arg-type]  # _dumps checks it is a mapping
        except ToriiError as error:
            self.native.push_refused(self._number, getattr(error, "argument", None) or "inputs", str(error))
            return
        self.native.push(self._number, params)

    def result(self, got: tuple[str, str, Any, Any]) -> BulkResult:
        key, status, answer, error = got
        if self._progress is not None:
            self._progress(BulkProgress(*self.native.progress()))
        return BulkResult(key, cast('Literal["ok", "failed", "skipped", "unknown"]', status), answer, error)


def results(job: Job, inputs: Iterable[Mapping[str, Any]] | None) -> Iterator[BulkResult]:
    """The results as they come (`None` from the job: it ended; a bool: it has room for an input)."""
    items = iter(inputs if inputs is not None else ())
    while (got := job.native.next()) is not None:
        if isinstance(got, bool):
            job.feed(next(items, _END))
        else:
            yield job.result(got)


async def async_results(job: Job, inputs: BulkInputs | None) -> AsyncIterator[BulkResult]:
    """As `results`, for `async for`; the inputs may be an async iterable too."""
    from . import _bridge

    pull = _async_pull(inputs)
    while True:
        bridge = _bridge.for_running_loop()
        got = await bridge.wait(job.native.start_next(bridge.native))
        if got is None:
            return
        if isinstance(got, bool):
            job.feed(await pull())
        else:
            yield job.result(got)


def _async_pull(inputs: BulkInputs | None) -> Callable[[], Awaitable[object]]:
    if isinstance(inputs, AsyncIterable):
        items = inputs.__aiter__()  # not aiter()/anext(): Python 3.9 has neither

        async def pull_async() -> object:
            try:
                return await items.__anext__()
            except StopAsyncIteration:
                return _END

        return pull_async
    plain = iter(inputs if inputs is not None else ())

    async def pull() -> object:
        return next(plain, _END)

    return pull


_END = object()
