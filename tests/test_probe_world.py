"""The aws profile's probes share one user and device while nothing changed them
(`conformance.scenarios.probe_world`): on a conformant endpoint each scenario makes its world once and
leaves nothing; on one that wrongly accepts the probe (here: malformed codes enable the device), the
check still FAILs and every accepted probe gets a fresh world, so none judges what another changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.reference import ReferenceEndpoint
from tests.suite_runner import run_suite

pytestmark = pytest.mark.slow

_AREA = "test_malformed_code or test_unknown_entity"
_PROBES = ("vmfa.enable.malformed-codes", "vmfa.lifecycle.unknown-entity")


def _run(tmp_path: Path, endpoint: ReferenceEndpoint) -> dict[str, str]:
    run = run_suite(tmp_path, url=endpoint.url, profile="aws", keyword=_AREA)
    assert not run.document["leftovers"], run.stdout[-2000:]
    assert not endpoint.app.context.store.devices and not endpoint.app.context.store.users
    return {check: run.verdicts[check] for check in _PROBES}


def test_a_conformant_endpoint_sees_one_world_per_scenario(tmp_path: Path) -> None:
    with ReferenceEndpoint() as endpoint:
        assert _run(tmp_path, endpoint) == dict.fromkeys(_PROBES, "PASS")
        # malformed codes: a user and a device; unknown entities: a user, a device and one deleted
        assert endpoint.app.actions["CreateUser"] == 2
        assert endpoint.app.actions["CreateVirtualMFADevice"] == 3


def test_an_accepted_probe_fails_and_the_next_gets_a_fresh_world(tmp_path: Path) -> None:
    with ReferenceEndpoint() as endpoint:
        context = endpoint.app.context
        rules = dataclasses.replace(context.rules, validate_code_format=False, verify_auth_codes=False)
        object.__setattr__(context, "rules", rules)  # malformed codes are compared, and any is taken
        verdicts = _run(tmp_path, endpoint)
        assert verdicts == {"vmfa.enable.malformed-codes": "FAIL", "vmfa.lifecycle.unknown-entity": "PASS"}
        enabled = endpoint.app.actions["EnableMFADevice"]
        # every malformed probe enabled its device: one world each (unknown entities: one more)
        assert endpoint.app.actions["CreateUser"] - 1 >= 2
        assert endpoint.app.actions["DeactivateMFADevice"] >= 2, (enabled, endpoint.app.actions)
