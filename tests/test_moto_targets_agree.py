"""The same moto, in process (``--target moto``) or as its server (``--target moto-server``), gets the
same verdicts for the same seed: an action moto lacks is NOT_IMPLEMENTED either way (in process it raises
NotImplementedError, its server answers an HTML 500), never an ERROR of ours."""

from __future__ import annotations

import pytest

from tests.test_expectations_against_moto import shared_shipped_file_run
from tests.test_report_against_moto import shared_moto_run

pytestmark = pytest.mark.slow  # reads two whole-suite runs (each shared with other tests)


def test_moto_in_process_and_moto_server_agree(tmp_path_factory: pytest.TempPathFactory) -> None:
    runs = {  # each is a run other tests read: the report's tests the server's (the same command), the
        # shipped expectations file's test the one in process (the file makes its exit code 0)
        "moto": shared_shipped_file_run(tmp_path_factory),
        "moto-server": shared_moto_run(tmp_path_factory),
    }
    assert runs["moto-server"].returncode == 1, runs["moto-server"].stderr[-2000:]  # moto fails checks
    assert runs["moto"].returncode == 0, runs["moto"].stderr[-2000:]  # ... each one listed in the file
    in_process, server = (runs[target].document["results"] for target in ("moto", "moto-server"))

    def verdicts(results: list[dict[str, object]]) -> dict[tuple[object, object], object]:
        return {(item["check"], item["case"]): item["verdict"] for item in results}

    assert verdicts(in_process) == verdicts(server)
    assert "NOT_IMPLEMENTED" in verdicts(in_process).values()
    assert "ERROR" not in verdicts(in_process).values()
