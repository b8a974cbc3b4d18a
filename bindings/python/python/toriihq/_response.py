"""Answers with their status and headers: `client.with_raw_response.get_contract(id_contract=1)` returns an
`APIResponse` whose `parse()` gives what `client.get_contract(id_contract=1)` would have. Loaded with the first
raw answer (or `toriihq.APIResponse`): it needs `typing`, which `import toriihq` does without."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar, cast

from . import _native

__all__ = ["APIResponse", "Headers"]

R = TypeVar("R")


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
