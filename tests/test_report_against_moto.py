"""`make report`'s run, against the embedded moto server: a report, not a crash, and no secret in it.

moto 5.2.5 returns 64 random bytes as QRCodePNG, so the QR check must FAIL there (and the checks that
need a readable QR are not judged), while its seed and serial pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.suite_runner import SuiteRun, run_suite

# moto's seeds are 64 base32 characters; a PNG in base64 starts with "iVBORw0KGgo".
_SECRET_SHAPES = re.compile(r"[A-Z2-7]{64}|iVBORw0KGgo")


@pytest.fixture(scope="module")
def moto_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SuiteRun]:
    yield run_suite(tmp_path_factory.mktemp("moto") / "report", "--profile", "quick")


def test_moto_report_is_written_with_the_qr_check_failing(moto_run: SuiteRun) -> None:
    assert moto_run.returncode == 1, moto_run.stderr
    verdicts = moto_run.verdicts
    assert verdicts["vmfa.create.qr.png"] == "FAIL"
    assert verdicts["vmfa.create.qr.secret-matches-seed"] == "SKIP"
    assert verdicts["vmfa.create.seed.base32"] == "PASS"
    assert verdicts["vmfa.create.serial.arn"] == "PASS"
    assert "ERROR" not in verdicts.values()
    target = moto_run.document["target"]
    assert (target["name"], target["version"]) == ("moto-server", "5.2.5")


def test_the_terminal_shows_a_short_summary(moto_run: SuiteRun) -> None:
    assert "IAM virtual MFA conformance: moto-server 5.2.5" in moto_run.stdout
    assert "FAIL [CreateVirtualMFADevice: VirtualMFADevice.QRCodePNG]" in moto_run.stdout
    assert "reproduce: iam-conformance run --target moto-server" in moto_run.stdout
    assert "Traceback" not in moto_run.stdout + moto_run.stderr


def test_no_seed_or_qr_byte_reaches_the_report_or_the_terminal(moto_run: SuiteRun) -> None:
    texts = [moto_run.stdout, moto_run.stderr]
    texts += [path.read_text(errors="replace") for path in moto_run.report_dir.rglob("*") if path.is_file()]
    for text in texts:
        assert not _SECRET_SHAPES.search(text)
        assert "\\x89PNG" not in text
