"""Fixtures: a fresh reference endpoint per test (it starts in milliseconds) and its clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .helpers import Clients, running


@pytest.fixture
def clients() -> Iterator[Clients]:
    with running() as run:
        yield run.clients
