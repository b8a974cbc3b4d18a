"""The `toriihq` console script: the command line of the Rust core (`toriihq --help`), not a second one in
Python."""

from __future__ import annotations

import sys

from . import _native

__all__ = ["main"]


def main() -> None:
    try:
        code = _native.cli_main(["toriihq", *sys.argv[1:]])
    except KeyboardInterrupt:
        # The command stopped itself on Ctrl-C (and said so); Python saw the signal too.
        code = 130
    sys.exit(code)
