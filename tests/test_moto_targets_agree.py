"""The same moto, in process (``--target moto``) or as its server (``--target moto-server``), gets the
same verdicts for the same seed: an action moto lacks is NOT_IMPLEMENTED either way (in process it raises
NotImplementedError, its server answers an HTML 500), never an ERROR of ours."""

from __future__ import annotations

from pathlib import Path

from tests.suite_runner import run_suite


def test_moto_in_process_and_moto_server_agree(tmp_path: Path) -> None:
    runs = {
        target: run_suite(tmp_path / target, "--target", target, "--profile", "quick")
        for target in ("moto", "moto-server")
    }
    for run in runs.values():
        assert run.returncode == 1, run.stderr[-2000:]  # moto fails checks: the report says which
    in_process, server = (runs[target].document["results"] for target in ("moto", "moto-server"))

    def verdicts(results: list[dict[str, object]]) -> dict[tuple[object, object], object]:
        return {(item["check"], item["case"]): item["verdict"] for item in results}

    assert verdicts(in_process) == verdicts(server)
    assert "NOT_IMPLEMENTED" in verdicts(in_process).values()
    assert "ERROR" not in verdicts(in_process).values()
