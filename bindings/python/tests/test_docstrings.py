"""Every example in the package's docstrings runs, against the mock, and prints what it says it prints."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest
import toriihq
from conftest import KEY, Mock


def modules() -> list[str]:
    names = ["toriihq"]
    names += [info.name for info in pkgutil.walk_packages(toriihq.__path__, "toriihq.") if "pytest_plugin" not in info.name]
    return names


def test_every_docstring_example_runs(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORII_API_KEY", KEY)
    monkeypatch.setenv("TORII_BASE_URL", mock.url)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    examples = 0
    for name in modules():
        for test in finder.find(importlib.import_module(name)):
            examples += len(test.examples)
            runner.run(test)
    outcome = runner.summarize(verbose=False)
    assert outcome.failed == 0, f"{outcome.failed} docstring examples failed (their output is above)"
    # The package's and the testing module's own examples, at least: a finder that found nothing proves nothing.
    assert examples >= 6, examples
