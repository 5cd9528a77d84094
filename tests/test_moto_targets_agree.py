"""The same moto, in process (``--target moto``) or as its server (``--target moto-server``), gets the
same verdicts for the same seed: an action moto lacks is NOT_IMPLEMENTED either way (in process it raises
NotImplementedError, its server answers an HTML 500), never an ERROR of ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.suite_runner import run_suite
from tests.test_report_against_moto import shared_moto_run

pytestmark = pytest.mark.slow  # runs the whole suite twice


def test_moto_in_process_and_moto_server_agree(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    runs = {  # the server's run is the one the report's tests read (the same command)
        "moto": run_suite(tmp_path / "moto", "--target", "moto", "--profile", "quick"),
        "moto-server": shared_moto_run(tmp_path_factory),
    }
    for run in runs.values():
        assert run.returncode == 1, run.stderr[-2000:]  # moto fails checks: the report says which
    in_process, server = (runs[target].document["results"] for target in ("moto", "moto-server"))

    def verdicts(results: list[dict[str, object]]) -> dict[tuple[object, object], object]:
        return {(item["check"], item["case"]): item["verdict"] for item in results}

    assert verdicts(in_process) == verdicts(server)
    assert "NOT_IMPLEMENTED" in verdicts(in_process).values()
    assert "ERROR" not in verdicts(in_process).values()
