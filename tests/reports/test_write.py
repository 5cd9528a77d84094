"""The report directory: four files for a run, two for a matrix, atomic, and scrubbed of secrets."""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.session.secrets import Secret, describe_secret, forget_secrets, scrub
from reports.model import load_results
from reports.write import MATRIX_FILES, RUN_FILES, write_matrix_reports, write_progress, write_run_reports
from tests.reports.recorded import every_verdict, second_target


@pytest.fixture
def seed() -> Iterator[bytes]:
    """A seed the process has seen (base32 text, as AWS returns it), remembered by `Secret`."""
    value = base64.b32encode(bytes(range(40)))
    Secret(value)
    yield value
    forget_secrets()


def test_a_run_writes_its_four_files(tmp_path: Path) -> None:
    run = every_verdict()
    written = write_run_reports(run, tmp_path / "out", scrub)
    assert [path.name for path in written] == list(RUN_FILES)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["results.json", "report.md", "report.html", "junit.xml"]
    )  # and no temporary file left behind
    assert load_results(tmp_path / "out" / "results.json") == run
    assert ET.parse(tmp_path / "out" / "junit.xml").getroot().tag == "testsuites"
    assert "## IAM virtual MFA conformance" in (tmp_path / "out" / "report.md").read_text()
    assert (tmp_path / "out" / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_a_matrix_writes_markdown_and_html(tmp_path: Path) -> None:
    first = every_verdict()
    written = write_matrix_reports([first, second_target(first)], tmp_path, scrub)
    assert [path.name for path in written] == list(MATRIX_FILES) == ["report.md", "report.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(MATRIX_FILES)
    assert "url at http://127.0.0.1:4566" in (tmp_path / "report.html").read_text()  # where, not a name
    with pytest.raises(ValueError, match="at least one run"):
        write_matrix_reports([], tmp_path, scrub)


def test_a_secret_is_scrubbed_before_rendering_even_when_clipped(tmp_path: Path, seed: bytes) -> None:
    spelled = seed.decode()
    run = every_verdict()
    leaky = dataclasses.replace(run.results[1], message="x" * 1_490 + spelled, observed=f"seed {spelled}")
    run = dataclasses.replace(run, results=(leaky, *run.results[2:]))
    write_run_reports(run, tmp_path / "run", scrub)
    write_matrix_reports([run, run], tmp_path / "matrix", scrub)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(files) == len(RUN_FILES) + len(MATRIX_FILES)
    for path in files:
        text = path.read_text()
        assert spelled[:20] not in text, path.name  # not even the part a clipped field would keep
        described = describe_secret(seed)
        assert described in text or html.escape(described) in text, path.name
    ET.parse(tmp_path / "run" / "junit.xml")  # the description is text, not markup
    assert json.loads((tmp_path / "run" / "results.json").read_text())["results"][0]["observed"] == (
        f"seed {describe_secret(seed)}"
    )


def test_progress_is_written_at_most_once_a_second_of_a_run(tmp_path: Path) -> None:
    """results.json of a running run: the first result at once, later ones when a second has passed
    since the last write (it grows with the run: rewriting it after every result was a tenth of a
    run's time), a new run into the same folder at once; always whole JSON, complete false."""
    run = every_verdict()
    first, *rest = run.results
    folder = tmp_path / "out"

    def written() -> int:
        return len(json.loads((folder / "results.json").read_text())["results"])

    write_progress(dataclasses.replace(run, results=(first,), complete=False), folder, now=100.0)
    assert written() == 1
    write_progress(dataclasses.replace(run, results=(first, rest[0]), complete=False), folder, now=100.5)
    assert written() == 1  # within the second: kept for the next write
    write_progress(dataclasses.replace(run, results=(first, *rest[:2]), complete=False), folder, now=101.0)
    assert written() == 3
    document = json.loads((folder / "results.json").read_text())
    assert document["complete"] is False
    later = dataclasses.replace(run, results=(first,), complete=False, started="2099-01-01T00:00:00Z")
    write_progress(later, folder, now=101.2)
    assert written() == 1  # another run: its first result replaces the last one's at once
    assert sorted(path.name for path in folder.iterdir()) == ["results.json"]
