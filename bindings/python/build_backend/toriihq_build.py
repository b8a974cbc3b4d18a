"""The build backend of the sdist: maturin's, with one difference. Building toriihq from source needs a Rust
toolchain, which pip cannot install; when the build fails and there is none, the error says so and what to do
instead of ending in a stack trace from deep inside the build."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import maturin

NO_RUST = """
toriihq could not be built from source: this needs a Rust toolchain (1.88 or newer), and none was found
(no `cargo` on PATH{cargo_env}).

pip is building from source because no toriihq wheel fits this machine; wheels are published for
Linux x86_64 (glibc 2.17 or newer, CPython 3.9+). Either:
  - install Rust (https://rustup.rs), open a new shell so `cargo` is on PATH, and run pip again; or
  - install on a platform that has a wheel.
"""


def _has_rust() -> bool:
    cargo = os.environ.get("CARGO")
    return bool(cargo and os.path.exists(cargo)) or shutil.which("cargo") is not None


def _guarded(build: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return build(*args, **kwargs)
        except BaseException as error:
            if _has_rust():
                raise
            cargo_env = "; CARGO is not set" if "CARGO" not in os.environ else ""
            raise SystemExit(NO_RUST.format(cargo_env=cargo_env)) from error

    run.__name__ = getattr(build, "__name__", "build")
    return run


build_wheel = _guarded(maturin.build_wheel)
build_editable = _guarded(maturin.build_editable)
prepare_metadata_for_build_wheel = _guarded(maturin.prepare_metadata_for_build_wheel)
prepare_metadata_for_build_editable = _guarded(maturin.prepare_metadata_for_build_editable)
build_sdist = maturin.build_sdist
get_requires_for_build_wheel = maturin.get_requires_for_build_wheel
get_requires_for_build_editable = maturin.get_requires_for_build_editable
get_requires_for_build_sdist = maturin.get_requires_for_build_sdist
