"""Bad endpoints and bad paths are one line and exit 2, before the run (issue: faults and interrupts).

An endpoint that answers HTML, an empty 403 or an XML document that is not IAM is found out at the
preflight; a report directory that is a file (or under one), a missing folder for --write-expectations
and a negative seed are refused before anything is sent. Credentials in an endpoint URL never reach a
report.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.reference import ReferenceEndpoint
from tests.suite_runner import SuiteRun, run_suite

pytestmark = pytest.mark.slow  # runs the suite end to end

_ANSWERS = {
    "an HTML page": (200, b"<html><body>a web server</body></html>", "text/html"),
    "an empty 403": (403, b"", "text/plain"),
    "XML that is not IAM": (200, b"<?xml version='1.0'?><Other><Thing>1</Thing></Other>", "text/xml"),
}


@pytest.fixture(params=sorted(_ANSWERS))
def not_iam(request: pytest.FixtureRequest) -> Iterator[str]:
    status, body, kind = _ANSWERS[request.param]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _one_line(run: SuiteRun, says: str) -> None:
    assert run.returncode == 2, run.stdout[-1000:] + run.stderr[-1000:]
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0], lines
    assert "Traceback" not in run.stderr


def test_an_endpoint_that_is_not_iam_is_one_line(not_iam: str, tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report", url=not_iam)
    _one_line(run, "does not answer as IAM")
    assert not (tmp_path / "report" / "results.json").exists()


@pytest.mark.parametrize(
    ("where", "says"),
    [("file", "is a file, not a folder"), ("file/under", "cannot write in")],
)
def test_a_report_directory_that_cannot_be_written_is_refused_first(
    tmp_path: Path, where: str, says: str
) -> None:
    (tmp_path / "file").write_text("not a folder")
    _one_line(run_suite(tmp_path / where, "--profile", "quick"), says)


def test_expectations_are_not_written_into_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report", "--write-expectations", str(tmp_path / "nowhere" / "e.toml"))
    _one_line(run, "does not exist")
    assert not (tmp_path / "nowhere").exists()


def test_a_negative_seed_is_refused(tmp_path: Path) -> None:
    _one_line(run_suite(tmp_path / "report", "--seed", "-1"), "invalid seed -1")


def test_credentials_in_the_url_reach_no_report(tmp_path: Path) -> None:
    with ReferenceEndpoint() as endpoint:
        plain = endpoint.url
        url = plain.replace("http://", "http://someone:hunter2secret@")
        run = run_suite(
            tmp_path / "report",
            url=url,
            profile="quick",
            keyword="test_valid_request and not test_created_device",
        )
    assert run.returncode == 0, run.stderr[-2000:]
    texts = [run.stdout, run.stderr, *(p.read_text() for p in (tmp_path / "report").iterdir())]
    assert not any("hunter2secret" in text or "someone:" in text for text in texts)
    assert run.document["target"]["url"] == plain
