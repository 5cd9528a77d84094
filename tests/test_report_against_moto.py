"""The suite against a real third-party implementation: the embedded moto server (moto pinned at
5.2.5 in requirements.lock), run as ``make report`` runs it. A regression test both ways: a finding
that disappears (moto fixed it, or a check went blind) and a new one (a check broke) both fail here.

Each finding carries the reason, as read in moto's source (moto/iam/models.py, 5.2.5).
"""

from __future__ import annotations

import re

import pytest

from strategies.authentication_codes import MALFORMED_CODE_LABELS
from strategies.list_requests import INVALID_LIST_LABELS
from strategies.violations import SERIAL_LABELS
from tests.suite_runner import SuiteRun, run_suite, shared_run

_UNVALIDATED = "moto does not validate this member of CreateVirtualMFADevice"
_TAG_UNVALIDATED = "moto ignores Tags at creation, so an invalid tag list is never looked at"
_PATH_SLASHES = "moto rejects a path only when it lacks both the leading and the trailing '/'"

# (check, case) -> (verdict, why moto 5.2.5 gets it)
MOTO_FINDINGS: dict[tuple[str, str | None], tuple[str, str]] = {
    ("vmfa.create.qr.png", None): ("FAIL", "QRCodePNG is os.urandom(64), not an image"),
    ("vmfa.create.valid-request-accepted", None): (
        "FAIL",
        "moto refuses an empty path segment ('/a//b/'), which the model allows and AWS accepts",
    ),
    ("vmfa.create.tags.listed", None): ("NOT_IMPLEMENTED", "ListMFADeviceTags answers an HTML 500"),
    ("vmfa.create.invalid.rejected", "path.pattern.no-leading-slash"): ("FAIL", _PATH_SLASHES),
    ("vmfa.create.invalid.rejected", "path.pattern.no-trailing-slash"): ("FAIL", _PATH_SLASHES),
    ("vmfa.create.invalid.rejected", "path.pattern.char"): ("FAIL", "moto checks no path characters"),
    ("vmfa.create.invalid.rejected", "path.length.min"): ("FAIL", "an empty path becomes the default '/'"),
    ("vmfa.create.invalid.rejected", "name.pattern.char"): ("FAIL", _UNVALIDATED),
    ("vmfa.create.invalid.rejected", "name.length.min"): ("FAIL", _UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tags.count.max"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tag.key.length.min"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tag.key.length.max"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tag.key.pattern"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tag.key.required"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tag.value.length.max"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tag.value.pattern"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tag.value.required"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.rejected", "tags.keys.duplicate-case-insensitive"): ("FAIL", _TAG_UNVALIDATED),
    ("vmfa.create.invalid.client-fault", "name.required"): ("FAIL", "a missing name crashes moto: HTML 500"),
    ("vmfa.create.invalid.error-code", "name.required"): ("FAIL", "the HTML 500 carries no error code"),
    ("vmfa.create.invalid.as-aws", "name.required"): (
        "FAIL",  # a 5xx: FAIL whatever the evidence
        "a missing name crashes moto (HTML 500); AWS answers 400 ValidationError",
    ),
    ("vmfa.create.invalid.as-aws", "path.length.max"): (
        "DEVIATION",
        'moto\'s message keeps an unformatted placeholder: \'Value "{}" at "path"\'',
    ),
    ("vmfa.enable.wrong-codes", None): ("FAIL", "moto does not verify authentication codes"),
    ("vmfa.list.no-secrets", None): ("FAIL", "moto's list entries carry Base32StringSeed and QRCodePNG"),
    ("vmfa.delete.assigned", None): ("FAIL", "moto deletes a device that is still assigned"),
    ("vmfa.list-mfa-devices.no-dangling", None): (
        "FAIL",
        "moto's delete_virtual_mfa_device leaves it in the user's mfa_devices: ListMFADevices lists it",
    ),
    ("vmfa.enable.other-user", None): (
        "FAIL",
        "moto refuses an enable only for the user who holds the serial: another user takes the device over",
    ),
    ("vmfa.delete-user.device-attached", None): (
        "FAIL",
        "moto's delete_user looks only at policies: a user holding an MFA device is deleted",
    ),
    ("vmfa.lifecycle.answers-agree", None): (
        "FAIL",
        "moto deletes a device that is still assigned (also: it deletes a user holding a device, enables a "
        "deleted serial, and enables a device another user holds)",
    ),
    # What moto does where the spec is silent or contradicts itself (recorded, never judged):
    ("vmfa.create.duplicate.other-path", None): ("INFO", "a second device"),
    (
        "vmfa.create.serial.spec-contradiction",
        "a path holding '!~', the edges of its class, which a serial may not hold",
    ): (
        "INFO",
        "created, and deleted again: moto does not validate serial numbers",
    ),
    (
        "vmfa.create.serial.spec-contradiction",
        "a path that makes the serial one character longer than the model allows",
    ): (
        "INFO",
        "created, and deleted again: moto does not validate serial numbers",
    ),
}

_NO_TAGGING = "moto 5.2.5 has no TagMFADevice, UntagMFADevice or ListMFADeviceTags: an HTML 500"
# Reported once per missing operation (the checks after the first that need it are SKIP).
MOTO_FINDINGS.update(
    {
        ("vmfa.tags.tag-adds", None): ("NOT_IMPLEMENTED", _NO_TAGGING),
        ("vmfa.tags.untag-removes", None): ("NOT_IMPLEMENTED", _NO_TAGGING),
        ("vmfa.get.enabled-device", None): ("NOT_IMPLEMENTED", "moto 5.2.5 has no GetMFADevice"),
        ("vmfa.resync.valid-codes", None): ("NOT_IMPLEMENTED", "moto 5.2.5 has no ResyncMFADevice"),
        ("vmfa.lifecycle.unknown-entity", "EnableMFADevice: the device"): (
            "FAIL",
            "moto attaches any serial to the user, whether or not a device has it",
        ),
        ("vmfa.list.last-page", None): (
            "FAIL",
            "moto's Marker is an index, set whenever a page is full: an exactly full last page says "
            "IsTruncated=true and leads to an empty page",
        ),
        ("vmfa.list.unknown-marker", None): (
            "FAIL",  # a 5xx: FAIL whatever the evidence
            "moto turns the Marker into an int: a marker it did not issue crashes it (HTML 500)",
        ),
    }
)
MOTO_FINDINGS.update(
    {
        ("vmfa.enable.malformed-codes", label): ("FAIL", "moto does not look at the codes: any enables")
        for label in MALFORMED_CODE_LABELS
    }
)
MOTO_FINDINGS.update(
    {
        ("vmfa.list.invalid-rejected", label): (
            "FAIL",
            "moto validates neither MaxItems nor AssignmentStatus",
        )
        for label in INVALID_LIST_LABELS
        if label != "marker.pattern.char"
    }
)
MOTO_FINDINGS[("vmfa.list.invalid-rejected", "marker.pattern.char")] = (
    "FAIL",
    "moto turns the Marker into an int: a character outside its pattern crashes it (HTML 500)",
)
# moto validates no SerialNumber: a broken one is looked up (404), or enabled for the user as any serial
# is; the operations moto lacks (GetMFADevice, ResyncMFADevice, the tag operations) are SKIP there, their
# NOT_IMPLEMENTED reported once by an earlier check.
MOTO_FINDINGS.update(
    {
        ("vmfa.serial.invalid-rejected", f"{operation}: {spec.label}"): (
            "FAIL",
            "moto enables any serial" if operation == "EnableMFADevice" else "moto looks it up: 404",
        )
        for operation in ("DeleteVirtualMFADevice", "EnableMFADevice", "DeactivateMFADevice")
        for spec in SERIAL_LABELS
    }
)

# moto's seeds are 64 base32 characters; a PNG in base64 starts with "iVBORw0KGgo".
SECRET_SHAPES = re.compile(r"[A-Z2-7]{64}|iVBORw0KGgo")

pytestmark = pytest.mark.slow  # every test here reads a full run against moto


def shared_moto_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """One quick run against the embedded moto server (the default target), made once for every test
    and xdist worker that reads it (here, and `tests.test_moto_targets_agree`)."""
    return shared_run(
        tmp_path_factory,
        "moto",
        lambda folder: run_suite(folder, "--target", "moto-server", "--profile", "quick"),
    )


@pytest.fixture(scope="module")
def moto_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return shared_moto_run(tmp_path_factory)


def test_moto_fails_exactly_the_known_checks(moto_run: SuiteRun) -> None:
    assert moto_run.returncode == 1, moto_run.stderr
    found = {
        (item["check"], item["case"]): item["verdict"]
        for item in moto_run.document["results"]
        if item["verdict"] not in ("PASS", "SKIP")
    }
    assert found == {key: verdict for key, (verdict, _) in MOTO_FINDINGS.items()}
    target = moto_run.document["target"]
    assert (target["name"], target["version"]) == ("moto-server", "5.2.5")


def test_checks_that_need_a_readable_qr_are_not_judged_on_moto(moto_run: SuiteRun) -> None:
    verdicts = {item["check"]: item["verdict"] for item in moto_run.document["results"]}
    assert verdicts["vmfa.create.qr.secret-matches-seed"] == "SKIP"
    assert verdicts["vmfa.create.seed.base32"] == "PASS"
    assert verdicts["vmfa.create.serial.arn"] == "PASS"


def test_the_terminal_shows_a_short_summary(moto_run: SuiteRun) -> None:
    assert "IAM virtual MFA conformance: moto 5.2.5 at http://127.0.0.1:" in moto_run.stdout  # its label
    assert "    CreateVirtualMFADevice\n" in moto_run.stdout  # what needs attention, by operation
    assert "      FAIL vmfa.create.qr.png: no PNG signature: <redacted: " in moto_run.stdout
    assert "reproduce: iam-conformance run --target moto-server" in moto_run.stdout
    assert "Traceback" not in moto_run.stdout + moto_run.stderr


def test_no_seed_or_qr_byte_reaches_the_report_or_the_terminal(moto_run: SuiteRun) -> None:
    texts = [moto_run.stdout, moto_run.stderr]
    texts += [path.read_text(errors="replace") for path in moto_run.report_dir.rglob("*") if path.is_file()]
    for text in texts:
        assert not SECRET_SHAPES.search(text)
        assert "\\x89PNG" not in text
