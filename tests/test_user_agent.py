"""The clients send the User-Agent they were given once (`make_clients`), naming the suite, the same on
every request: botocore no longer assembles it from its parts twice a request (the cost is `make
bench`'s business)."""

from __future__ import annotations

from collections.abc import Iterator

import botocore
import pytest

from conformance import __version__
from conformance.session.clients import make_clients
from conformance.session.targets import Endpoint
from tests.reference import ReferenceEndpoint


@pytest.fixture
def agents() -> Iterator[tuple[ReferenceEndpoint, list[str]]]:
    """A reference endpoint, and the User-Agent of each request it was sent, in order."""
    endpoint = ReferenceEndpoint()
    seen: list[str] = []
    endpoint.app.taps.append(lambda request: seen.append(request.headers.get("User-Agent", "")))
    with endpoint:
        yield endpoint, seen


def test_every_request_carries_the_user_agent_given_once(agents: tuple[ReferenceEndpoint, list[str]]) -> None:
    endpoint, seen = agents
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    clients = make_clients(Endpoint("url", endpoint.url, "us-east-1", credentials))
    clients.iam.list_virtual_mfa_devices()
    clients.iam_unvalidated.create_virtual_mfa_device(VirtualMFADeviceName="agent")
    clients.iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")
    expected = f"iam-conformance/{__version__} Botocore/{botocore.__version__}"
    assert len(seen) == 3
    assert all(agent.startswith(expected) for agent in seen), seen
    assert len(set(seen)) == 1, seen  # no per-request features added (botocore's own rebuilt string)
