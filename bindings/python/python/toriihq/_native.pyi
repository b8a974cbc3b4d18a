# The native module (Rust, built by maturin). Generic over operations (answers come back already decoded into
# dict/list/str/...): toriihq/_operations.py is the typed,
# per-operation surface built on it.
from collections.abc import Callable, Iterator
from typing import Any

from typing_extensions import Self, final

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_UPLOAD_BYTES",
    "Bridge",
    "NativeClient",
    "NativeMock",
    "Pages",
    "__version__",
    "cli_main",
    "decode_json",
    "drain_logs",
]

__version__: str
MAX_UPLOAD_BYTES: int
MAX_JSON_DEPTH: int

def decode_json(body: bytes) -> Any: ...
def cli_main(argv: list[str]) -> int: ...

def drain_logs() -> list[tuple[str, str]]: ...

@final
class NativeMock:
    def __new__(cls, config: bytes) -> Self: ...
    @property
    def url(self) -> str: ...
    @property
    def storage_url(self) -> str: ...
    def admin(self, method: str, path: str, body: bytes) -> tuple[int, bytes]: ...
    def stop(self) -> None: ...

@final
class NativeClient:
    def __new__(cls, options: bytes, user_agent: str) -> Self: ...
    @property
    def base_url(self) -> str: ...
    def call(
        self,
        operation: str,
        params: bytes,
        options: bytes,
        upload: tuple[str, str, bytes] | None = None,
        progress: Callable[[int, int], object] | None = None,
    ) -> Any: ...
    def start_call(
        self,
        bridge: Bridge,
        operation: str,
        params: bytes,
        options: bytes,
        upload: tuple[str, str, bytes] | None = None,
        progress: bool = False,
    ) -> int: ...
    def with_options(self, changes: bytes) -> NativeClient: ...
    def call_response(
        self, operation: str, params: bytes, options: bytes, upload: tuple[str, str, bytes] | None = None
    ) -> tuple[int, list[tuple[str, str]], bytes]: ...
    def start_call_response(
        self,
        bridge: Bridge,
        operation: str,
        params: bytes,
        options: bytes,
        upload: tuple[str, str, bytes] | None = None,
    ) -> int: ...
    def pages(self, operation: str, params: bytes, options: bytes) -> Pages: ...

@final
class Pages:
    def __iter__(self) -> Iterator[list[Any]]: ...
    def __next__(self) -> list[Any]: ...
    def start_next(self, bridge: Bridge) -> int: ...

@final
class Bridge:
    def __new__(cls) -> Self: ...
    def fileno(self) -> int: ...
    def wait(self, timeout: float) -> bool: ...
    def wake(self) -> None: ...
    def drain(self) -> list[tuple[int, Any]]: ...
    def drain_progress(self) -> list[tuple[int, int, int]]: ...
    def cancel(self, call_id: int) -> None: ...
    def running(self) -> int: ...
