"""The slow tests' schedule (``LONGEST_FIRST`` in the root conftest) names tests that exist: a name that
matches nothing is silently ranked last, and the long test it meant starts late and ends the run alone."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import LONGEST_FIRST

ROOT = Path(__file__).resolve().parent.parent


def test_every_name_in_the_schedule_is_a_test_that_exists() -> None:
    for prefix in LONGEST_FIRST:
        path, _, name = prefix.partition("::")
        source = ROOT / path
        assert source.is_file(), prefix
        if name:
            function = re.escape(name.split("[")[0])
            assert re.search(rf"^def {function}\w*\(", source.read_text(), re.MULTILINE), prefix
