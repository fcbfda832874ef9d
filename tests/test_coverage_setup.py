"""How `make test` measures coverage: what it traces and what it leaves alone."""

from __future__ import annotations

import sys

import pytest

from conftest import coverage_controller


def _measuring(config: pytest.Config) -> bool:
    return coverage_controller(config) is not None


@pytest.mark.no_cover
def test_a_sweep_marked_no_cover_runs_untraced(request: pytest.FixtureRequest) -> None:
    # under `make test` (pytest-cov on pytest-xdist's workers) no tracer may be left
    # running: a second coverage pytest-cov starts in each worker took over here
    # and made every sweep twice as slow (conftest.py stops it)
    if not _measuring(request.config):
        pytest.skip("coverage is not measured in this run (make test measures it)")
    assert sys.gettrace() is None, sys.gettrace()


def test_a_test_not_marked_is_traced(request: pytest.FixtureRequest) -> None:
    if not _measuring(request.config):
        pytest.skip("coverage is not measured in this run (make test measures it)")
    assert sys.gettrace() is not None
