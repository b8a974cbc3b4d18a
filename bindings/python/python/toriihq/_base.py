"""The plumbing under the generated operations: argument encoding, calls into the native core, decoding."""

from __future__ import annotations

import io
import math
import os
import sys
from collections.abc import Mapping

TYPE_CHECKING = False  # not `typing`'s: `import toriihq` does without `typing` (and the `re` it imports)
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterable, Iterator
    from types import TracebackType
    from typing import Any, Union

    from typing_extensions import Self, Unpack

    from . import _bridge, _bulk
    from ._bulk import BulkSettings
    from ._native import _Call, _RawRequest, _Upload
    from ._options import ClientOptions, RequestOptions

    #: A workflow's call as the generated methods give it: its name, arguments, file arguments and options.
    _WorkflowCall = tuple[str, Mapping[str, Any], Mapping[str, Any], Union[RequestOptions, None]]
    #: Told `(bytes sent, total)` as an upload goes.
    _Progress = Callable[[int, int], object]

from . import _log, _native, _raw  # noqa: F401 - _log: TORII_LOG sets up its handler on import
from ._errors import ArgumentTypeError, InvalidArgumentError

__all__ = ["AsyncBase", "SyncBase"]

_RUNTIME = {"cpython": "CPython", "pypy": "PyPy"}.get(sys.implementation.name, sys.implementation.name)
#: The package and its runtime; the core adds itself and the platform.
_USER_AGENT = f"toriihq-python/{_native.__version__} {_RUNTIME}/{'.'.join(map(str, sys.version_info[:3]))}"


# One encoder for every call (`json.dumps` with any option builds a new one each time), made at the first: `json`
# imports `re`, which `import toriihq` does without.
_encode: Callable[[object], str] | None = None


def _encoded(value: object) -> str:
    global _encode
    if _encode is None:
        import json

        _encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
    return _encode(value)


def _dumps(params: Mapping[str, Any] | None, what: str = "params") -> bytes:
    """JSON for the core, which checks it; `None` values are left out. NaN and Infinity are refused (JSON has
    neither), and so is any value JSON cannot carry, with the path of the value at fault."""
    if params is None:
        return b""
    if not isinstance(params, Mapping):
        raise ArgumentTypeError(f"`{what}` must be a mapping, not {type(params).__name__}", {"argument": what})
    present = {name: value for name, value in params.items() if value is not None}
    try:
        return _encoded(present).encode()
    except (TypeError, ValueError, RecursionError):
        found = _not_json(present)
        if found is None:  # the encoder failed on something the walk allows: say what it said
            raise
        path, problem = found
        where = path or what
        error = InvalidArgumentError if problem.startswith("must be a finite") else ArgumentTypeError
        raise error(f"`{where}` {problem}", {"argument": where}) from None


#: A scalar JSON carries as it is; `float` is checked for NaN and infinities on its own.
_SCALARS = (str, int, bool, type(None))
#: What `json` accepts as an object's key (it writes the others as strings).
_KEYS = (str, int, float, bool, type(None))


def _not_json(value: Any) -> tuple[str, str] | None:
    """The path (`body.users[2].score`) of the first thing in `value` JSON cannot carry, and why: a value of
    another type, NaN or an infinity, a list or dict that contains itself, or nesting past the core's limit. The
    walk keeps its own stack, so no depth makes it fail."""
    limit: int = _native.MAX_JSON_DEPTH
    # (value, path, depth); an `_EXIT` entry leaves a container, so `open_ids` holds only its ancestors.
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    open_ids: set[int] = set()
    while stack:
        item, path, depth = stack.pop()
        if item is _EXIT:
            open_ids.discard(depth)
            continue
        if isinstance(item, _SCALARS):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return path, f"must be a finite number, not {item}"
            continue
        if not isinstance(item, (Mapping, list, tuple)):
            return path, f"cannot be sent as JSON (a {type(item).__name__})"
        if id(item) in open_ids:
            return path, "contains itself: JSON cannot carry a cycle"
        if depth > limit:
            return path, f"nests deeper than {limit} levels, the most a call sends"
        open_ids.add(id(item))
        stack.append((_EXIT, path, id(item)))
        if isinstance(item, Mapping):
            for key in item:
                if not isinstance(key, _KEYS):
                    return path, f"has a key JSON cannot carry (a {type(key).__name__})"
            children = [(child, f"{path}.{key}" if path else str(key)) for key, child in item.items()]
        else:
            children = [(child, f"{path}[{index}]") for index, child in enumerate(item)]
        stack.extend((child, child_path, depth + 1) for child, child_path in reversed(children))
    return None


_EXIT = object()


def _upload_parts(params: dict[str, Any], field: str, file: Any) -> _Upload | None:
    """The file of an upload: a path goes into `params` (the core reads it), anything else becomes
    `(field, name, bytes)` with at most one byte over the limit (the core refuses anything longer, before sending)."""
    if isinstance(file, (str, os.PathLike)):
        params[field] = os.fspath(file)
        return None
    if isinstance(file, (bytes, bytearray, memoryview)):
        return field, "upload", bytes(file)
    read = getattr(file, "read", None)
    if callable(read):
        name = os.path.basename(str(getattr(file, "name", "upload")))
        data = read(_native.MAX_UPLOAD_BYTES + 1)
        if not isinstance(data, bytes):
            raise ArgumentTypeError(f"`{field}` must be opened in binary mode", {"argument": field})
        return field, name, data
    raise ArgumentTypeError(
        f"`{field}` must be a path, bytes or a binary file object, not {type(file).__name__}", {"argument": field}
    )


def _on_disk_at_start(file: Any) -> bool:
    """A binary file opened by path on a regular file, not yet read: the core can stream it by its path."""
    name = getattr(file, "name", None)
    return isinstance(file, io.BufferedReader) and isinstance(name, str) and os.path.isfile(name) and file.tell() == 0


def _workflow_files(params: dict[str, Any], files: Mapping[str, Any]) -> _Upload | None:
    """The file arguments of a workflow: a path goes into `params` (the core streams it from disk), bytes go
    beside them. A binary file opened on a regular file at its start is sent by its path, anything else readable
    is read whole."""
    upload = None
    for field, file in files.items():
        if file is None:
            continue
        if isinstance(file, (str, os.PathLike)):
            params[field] = os.fspath(file)
        elif isinstance(file, (bytes, bytearray, memoryview)):
            upload = field, "upload", bytes(file)
        elif _on_disk_at_start(file):
            params[field] = file.name
        elif callable(getattr(file, "read", None)):
            data = file.read()
            if not isinstance(data, bytes):
                raise ArgumentTypeError(f"`{field}` must be opened in binary mode", {"argument": field})
            upload = field, os.path.basename(str(getattr(file, "name", "upload"))), data
        else:
            raise ArgumentTypeError(
                f"`{field}` must be a path, bytes or a binary file object, not {type(file).__name__}",
                {"argument": field},
            )
    return upload


def _plain_call(operation: str, params: Mapping[str, Any], options: RequestOptions | None) -> _Call:
    return operation, _dumps(params), _dumps(options, "options"), None


def _upload_call(
    operation: str, params: dict[str, Any], field: str, file: Any, options: RequestOptions | None
) -> _Call:
    upload = _upload_parts(params, field, file)
    return operation, _dumps(params), _dumps(options, "options"), upload


def _workflow_call(call: _WorkflowCall, progress: _Progress | None) -> _Call:
    """A workflow's call as the native module takes it, the file given as bytes beside its JSON arguments; the
    progress callback checked."""
    if progress is not None and not callable(progress):
        raise ArgumentTypeError(
            f"`progress` must be a callable taking (sent, total), not {type(progress).__name__}",
            {"argument": "progress"},
        )
    name, params, files, options = call
    sent = dict(params)
    upload = _workflow_files(sent, files)
    return name, _dumps(sent), _dumps(options, "options"), upload


def _request_call(method: Any, path: Any, query: Any, body: Any, options: RequestOptions | None) -> _RawRequest:
    """`request`'s call as the native module takes it: method and path checked to be text (the core checks what
    they say), query and body as one JSON object (what JSON cannot carry is refused with its path)."""
    for name, value in (("method", method), ("path", path)):
        if not isinstance(value, str):
            raise ArgumentTypeError(f"`{name}` must be a string, not {type(value).__name__}", {"argument": name})
    return method, path, _dumps({"query": query, "body": body}), _dumps(options, "options")


class _Base:
    _native: _native.NativeClient

    def __init__(self, api_key: str | None = None, **options: Unpack[ClientOptions]) -> None:
        """The key defaults to `TORII_API_KEY`; every option (see `ClientOptions`) is checked by the core."""
        settings = {"api_key": api_key, **options}
        self._native = _native.NativeClient(_dumps(settings, "options"), _USER_AGENT)

    @property
    def base_url(self) -> str:
        return self._native.base_url

    def with_options(self, **options: Unpack[ClientOptions]) -> Self:
        """A new client of the same kind with this one's settings and `options` over them
        (`client.with_options(timeout=5).get_apps()`); extra headers are added to this client's. It has a connection
        pool of its own."""
        copy = object.__new__(type(self))
        copy._native = self._native.with_options(_dumps(options, "options"))
        return copy

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    __str__ = __repr__


class SyncBase(_Base):
    """Blocking calls: they wait in Rust with the GIL released, so threads run in parallel."""

    def _call(self, operation: str, params: Mapping[str, Any], options: RequestOptions | None = None) -> Any:
        return self._send(_plain_call(operation, params, options))

    def _upload(
        self, operation: str, params: dict[str, Any], field: str, file: Any, options: RequestOptions | None = None
    ) -> Any:
        return self._send(_upload_call(operation, params, field, file, options))

    def _send(self, call: _Call) -> Any:
        if _raw.wanted():
            return _raw.answer(self._native.call_response(call))
        return self._native.call(call)

    def _workflow(self, call: _WorkflowCall, progress: _Progress | None) -> Any:
        return self._native.call(_workflow_call(call, progress), progress)

    def _iter(self, operation: str, params: Mapping[str, Any], options: RequestOptions | None = None) -> Iterator[Any]:
        for items in self._native.pages(_plain_call(operation, params, options)):
            yield from items

    def _request(self, request: _RawRequest) -> Any:
        return self._native.request(request)

    def bulk(
        self, operation: str, inputs: Iterable[Mapping[str, Any]] | None = None, **settings: Unpack[BulkSettings]
    ) -> Iterator[_bulk.BulkResult]:
        """Calls `operation` (or a workflow: `offboard_user`) once per input, yielding each `BulkResult` as it
        ends. The inputs are parameter mappings (`{"id_user": 7, "body": {...}}`), or the lines of `from_file` (CSV
        with a header, or NDJSON); `key` names the parameter whose value keys each result (default: its number).
        Paced to the operation's rate limit (or `rate`, `"100/min"`), `concurrency` at a time; with `journal` a run
        stopped at any point resumes where it stopped. Settings are checked before the first input is read."""
        from . import _bulk  # on first use: `import toriihq` stays as quick as it was

        return _bulk.results(_bulk.Job(self._native, operation, inputs, settings), inputs)

    def close(self) -> None:
        """Nothing to release: connections close with the client. Kept for `with` and for symmetry."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _bridge_here() -> _bridge.LoopBridge:
    # Imported on first use: `import asyncio` costs tens of milliseconds that blocking-only scripts never need.
    from . import _bridge

    return _bridge.for_running_loop()


class AsyncBase(_Base):
    """asyncio calls: every operation returns an awaitable; lists iterate with `async for`."""

    async def _call(self, operation: str, params: Mapping[str, Any], options: RequestOptions | None = None) -> Any:
        return await self._start(_plain_call(operation, params, options))

    async def _upload(
        self, operation: str, params: dict[str, Any], field: str, file: Any, options: RequestOptions | None = None
    ) -> Any:
        return await self._start(_upload_call(operation, params, field, file, options))

    async def _start(self, call: _Call) -> Any:
        bridge = _bridge_here()
        if _raw.wanted():
            return _raw.answer(await bridge.wait(self._native.start_call_response(bridge.native, call)))
        return await bridge.wait(self._native.start_call(bridge.native, call))

    async def _workflow(self, call: _WorkflowCall, progress: _Progress | None) -> Any:
        sent = _workflow_call(call, progress)
        bridge = _bridge_here()
        return await bridge.wait(self._native.start_call(bridge.native, sent, progress is not None), progress)

    async def _request(self, request: _RawRequest) -> Any:
        bridge = _bridge_here()
        return await bridge.wait(self._native.start_request(bridge.native, request))

    def bulk(
        self, operation: str, inputs: _bulk.BulkInputs | None = None, **settings: Unpack[BulkSettings]
    ) -> AsyncIterator[_bulk.BulkResult]:
        """As `Client.bulk`, for `async for`; `inputs` may be an async iterable too."""
        from . import _bulk

        return _bulk.async_results(_bulk.Job(self._native, operation, inputs, settings), inputs)

    async def _iter(
        self, operation: str, params: Mapping[str, Any], options: RequestOptions | None = None
    ) -> AsyncIterator[Any]:
        pages = self._native.pages(_plain_call(operation, params, options))
        while True:
            bridge = _bridge_here()
            items = await bridge.wait(pages.start_next(bridge.native))
            if items is None:
                return
            for item in items:
                yield item

    async def close(self) -> None:
        """Nothing to release: connections close with the client. Kept for `async with`."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()
