"""The helpers the end-to-end tests share: a run made once per session (``shared_run``)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.suite_runner import SuiteRun, shared_run


def test_a_shared_run_is_made_once_and_read_back_the_same(tmp_path_factory: pytest.TempPathFactory) -> None:
    made: list[Path] = []

    def make(report_dir: Path) -> SuiteRun:
        made.append(report_dir)
        return SuiteRun(1, "out", "err", report_dir)

    name = f"test-{uuid.uuid4().hex}"
    first = shared_run(tmp_path_factory, name, make)
    second = shared_run(tmp_path_factory, name, make)
    assert len(made) == 1 and first == second == SuiteRun(1, "out", "err", made[0])


def test_a_run_that_could_not_be_made_is_tried_again(tmp_path_factory: pytest.TempPathFactory) -> None:
    def broken(report_dir: Path) -> SuiteRun:
        raise RuntimeError("endpoint down")

    name = f"test-{uuid.uuid4().hex}"
    with pytest.raises(RuntimeError):
        shared_run(tmp_path_factory, name, broken)
    assert (
        shared_run(tmp_path_factory, name, lambda report_dir: SuiteRun(0, "", "", report_dir)).returncode == 0
    )
