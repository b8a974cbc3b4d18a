"""The package's JSON decoder (Rust, straight into Python objects) against `json.loads` as the reference, on real
pages mutated byte by byte and on random JSON: no crash, no hang, and the same verdict and value. Seeded, so a
failure repeats; TORIIHQ_FUZZ_CASES sets how many (`cargo xtask fuzz` runs many more than CI)."""

from __future__ import annotations

import gc
import json
import os
import random
from typing import Any

import pytest
import toriihq
from toriihq import _native

CASES = int(os.environ.get("TORIIHQ_FUZZ_CASES", "3000"))
PAGE = (
    b'{"users":[{"id":1,"email":"ada@example.com","firstName":"Ada \\u00e9","score":-1.5e3,"tags":["a",null,true]},'
    b'{"id":2,"email":"grace@example.com","additionalEmails":[],"nested":{"deep":[[1,2],[3]]}}],'
    b'"nextCursor":"Mg==","count":2,"total":30}'
)
GRAMMAR = b'{}[]":,\\ 0123456789.eE+-tfnul'
INT_RANGE = (-(2**63), 2**64)


def reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def as_int_or_float(text: str) -> int | float:
    # The package's decoder keeps integers within 64 bits and makes larger ones floats (Torii sends none).
    number = int(text)
    return number if INT_RANGE[0] <= number < INT_RANGE[1] else float(text)


def reference(body: bytes) -> tuple[bool, Any]:
    try:
        return True, json.loads(body.decode("utf-8"), parse_constant=reject_constant, parse_int=as_int_or_float)
    except (ValueError, RecursionError):
        return False, None


def ours(body: bytes) -> tuple[bool, Any]:
    try:
        return True, _native.decode_json(body)
    except toriihq.APIResponseValidationError:
        return False, None


def mutate(rng: random.Random, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(data) + 1)
        byte = rng.choice(GRAMMAR) if rng.random() < 0.7 else rng.randrange(256)
        kind = rng.randrange(4)
        if kind == 0 and data:
            data[at % len(data)] = byte
        elif kind == 1:
            data.insert(at, byte)
        elif kind == 2:
            del data[at : at + rng.randrange(1, 16)]
        else:
            data[at:at] = data[at : at + rng.randrange(1, 32)]
    return bytes(data)


def random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(2**70), 2**70) if rng.random() < 0.1 else rng.randint(-1000, 1000)
    if kind == 3:
        return rng.uniform(-1e12, 1e12)
    if kind == 4:
        return "".join(rng.choice('ab"\\\u00e9\u2028 \t/') for _ in range(rng.randrange(8)))
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(5))]
    return {rng.choice(["users", "id", "nextCursor", "é", ""]): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def agree(body: bytes) -> None:
    if not body:
        return  # an empty answer is `None` by design (no body), not a JSON document
    expected, got = reference(body), ours(body)
    assert got == expected, f"{body!r}: json.loads {expected}, toriihq {got}"


@pytest.mark.parametrize("seed", range(4))
def test_mutated_pages_decode_as_json_loads_decodes_them(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(CASES // 4):
        agree(mutate(rng, PAGE))


def test_random_json_decodes_as_json_loads_decodes_it() -> None:
    rng = random.Random(7)
    for _ in range(CASES):
        agree(json.dumps(random_json(rng), ensure_ascii=rng.random() < 0.5).encode())


def test_a_large_body_decodes_without_collections_and_leaves_the_collector_as_it_found_it() -> None:
    big = b'{"users":[' + b",".join(b'{"id":%d,"tags":["a"]}' % i for i in range(3000)) + b"]}"
    collections: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        collections.append(phase)

    gc.callbacks.append(record)
    try:
        assert gc.isenabled()
        assert len(_native.decode_json(big)["users"]) == 3000
        # 6,000 new containers would start about eight collections; paused, at most the one on resuming.
        assert collections.count("start") <= 1, collections
        assert gc.isenabled()
        with pytest.raises(toriihq.APIResponseValidationError):
            _native.decode_json(big[:-1])
        assert gc.isenabled()
        gc.disable()
        _native.decode_json(big)
        assert not gc.isenabled()  # a program that turned it off keeps it off
    finally:
        gc.enable()
        gc.callbacks.remove(record)


def test_objects_of_changing_width_and_strings_of_any_width_decode_as_json_loads_decodes_them() -> None:
    # A build for one Python sizes each dict like the last one at its depth and copies ASCII strings as they are:
    # wider, narrower, empty and nested objects in turn, and strings of one, two and four bytes per character.
    rng = random.Random(11)
    texts = ["", "ascii", "caf\u00e9", "\u65e5\u672c", "\U0001f600 emoji", "x" * 300, "tab\tand\\u0041"]
    for _ in range(CASES // 10):
        rows = [
            {f"k{rng.randrange(40)}": rng.choice(texts) for _ in range(rng.choice([0, 1, 3, 6, 9, 20, 40]))}
            for _ in range(rng.randrange(1, 12))
        ]
        for row in rows[: rng.randrange(len(rows) + 1)]:
            row["nested"] = [dict(row)] if rng.random() < 0.5 else {}
        agree(json.dumps({"users": rows}, ensure_ascii=rng.random() < 0.5).encode())
