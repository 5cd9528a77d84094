"""The wire format on the conformant reference: Query in, namespaced XML out; STS; the CLI; mutant names."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.reference import MUTANTS, ReferenceEndpoint

from .helpers import Clients, new_device, post_form, serials

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def test_success_document_shape() -> None:
    with ReferenceEndpoint() as endpoint:
        status, root = post_form(
            endpoint.url,
            {"Action": "CreateVirtualMFADevice", "Version": "2010-05-08", "VirtualMFADeviceName": "x"},
        )
    assert status == 200
    assert root.tag == f"{{{IAM_NS}}}CreateVirtualMFADeviceResponse"
    device = root.find(f"{{{IAM_NS}}}CreateVirtualMFADeviceResult/{{{IAM_NS}}}VirtualMFADevice")
    assert device is not None
    assert [child.tag.split("}")[1] for child in device] == ["SerialNumber", "Base32StringSeed", "QRCodePNG"]
    assert root.findtext(f"{{{IAM_NS}}}ResponseMetadata/{{{IAM_NS}}}RequestId")


def test_error_document_shape_and_unknown_action() -> None:
    with ReferenceEndpoint() as endpoint:
        status, root = post_form(endpoint.url, {"Action": "StealSeeds", "Version": "2010-05-08"})
    assert status == 400
    assert root.tag == f"{{{IAM_NS}}}ErrorResponse"
    assert root.findtext(f"{{{IAM_NS}}}Error/{{{IAM_NS}}}Type") == "Sender"
    assert root.findtext(f"{{{IAM_NS}}}Error/{{{IAM_NS}}}Code") == "InvalidAction"
    assert root.findtext(f"{{{IAM_NS}}}RequestId")


def test_sts_get_caller_identity(clients: Clients) -> None:
    identity = clients.sts.get_caller_identity()
    assert identity["Account"] == clients.account_id
    assert identity["Arn"] == f"arn:aws:iam::{clients.account_id}:root"


def test_sts_namespace() -> None:
    with ReferenceEndpoint(account_id="210987654321") as endpoint:
        status, root = post_form(endpoint.url, {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    assert status == 200
    assert root.findtext(f"{{{STS_NS}}}GetCallerIdentityResult/{{{STS_NS}}}Account") == "210987654321"


def test_endpoint_lifecycle() -> None:
    endpoint = ReferenceEndpoint()
    with pytest.raises(RuntimeError):
        _ = endpoint.url
    with endpoint:
        assert endpoint.url.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError):
        _ = endpoint.url


def test_unknown_mutant_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown mutant"):
        ReferenceEndpoint(mutant="no-such-mutant")


def test_mutant_descriptions_are_one_sentence() -> None:
    assert all(text.endswith(".") and text.count(". ") == 0 for text in MUTANTS.values())


def test_module_prints_the_url_and_serves_until_terminated() -> None:
    command = [sys.executable, "-m", "tests.reference", "--mutant", "qr-hotp"]
    repository = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=repository
    ) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:")
            status, _ = post_form(url, {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
            assert status == 200
        finally:
            process.terminate()
            _, err = process.communicate(timeout=10)
    assert process.returncode == 0 and err == ""


def test_concurrent_creates_are_all_kept(clients: Clients) -> None:
    def create_five(worker: int) -> list[str]:
        return [new_device(clients.iam, f"w{worker}-{i}")["SerialNumber"] for i in range(5)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = [serial for batch in pool.map(create_five, range(4)) for serial in batch]
    assert sorted(serials(clients.iam)) == sorted(created) and len(set(created)) == 20
