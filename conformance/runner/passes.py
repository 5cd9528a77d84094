"""How a conformance test is called: on a lagging endpoint, a first pass that gathers its examples
side by side, then the plain pass only when that one's verdict could differ
(`conformance.judging.first_pass`); elsewhere, a memo pass when a sibling test has judged its examples
already (`conformance.runner.memo_passes`).

Only where it helps and cannot change what a test sees: a remote target (a patience above 0, reads
polled), a Hypothesis test judged through `Judge.gathered` whose gatherer allows it, and not with
``--workers`` (a worker holds the device names it draws while an observation is open:
observations open side by side would hold them longer than the test). A test that pages through the
account (``exclusive``) may: the turns change hands only while a read waits, never inside a walk, so
no write lands between two pages of it; the other examples' devices it meets are other devices of the
account, which it is written to meet. The first test to make a first pass also starts the gatherings of the
later ones (`conformance.runner.ahead`): their waits are one.

A test that may break the endpoint (``damages_state``: a breakage must be named after the one step
that made it) makes one too, but is never drawn ahead: it runs after every test that may not. Its
gatherer reads the endpoint's health right before and right after the call that may break it, in one
turn (a turn changes hands only while a read waits out the lag), so the step named is the same as one
after another; once a gathering raised, no other example is started (`FirstPass.defer`), and an
`EndpointBroke` met there ends the test at once, as it ends the plain pass.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.judging.first_pass import FirstPass
from conformance.judging.verdicts import Judge
from conformance.runner import ahead, memo_passes
from conformance.runner.run_state import DAMAGES_STATE
from conformance.session.health import EndpointBroke
from conformance.session.suite import SuiteSession
from conformance.session.turns import TurnNames

__all__ = ["call"]


def call(item: pytest.Function, suite: SuiteSession | None) -> bool | None:
    """True: the test was called here (a first pass's result stands, or a memo pass's, or the plain
    pass ran here, recorded); None: pytest calls the test as usual (the plain pass)."""
    judge = item.funcargs.get("judge")
    if not (isinstance(judge, Judge) and suite is not None):
        return None
    arguments = {name: item.funcargs[name] for name in item._fixtureinfo.argnames}
    if _eligible(item, suite):
        return True if _first_pass(item, suite, judge, arguments) else None
    return memo_passes.call(item, judge, arguments)


def _eligible(item: pytest.Function, suite: SuiteSession) -> bool:
    """Whether ``item`` makes a first pass (module docstring)."""
    return suite.consistency.patience_s > 0 and suite.names is None and hasattr(item.obj, "hypothesis")


def _drawn_ahead(item: pytest.Function, suite: SuiteSession) -> bool:
    """Whether an earlier test may draw ``item``'s examples ahead: not one that may break the endpoint,
    which runs after every test that may not (`conformance.runner.run_state`), and so gathers after."""
    return (
        suite.consistency.patience_s > 0
        and hasattr(item.obj, "hypothesis")
        and item.get_closest_marker(DAMAGES_STATE) is None
    )


def _first_pass(item: pytest.Function, suite: SuiteSession, judge: Judge, arguments: dict[str, Any]) -> bool:
    """The examples drawn and gathered side by side, then judged: True when that is the result."""
    side = FirstPass()
    judge.side, suite.names = side, TurnNames()  # a drawn name is used by one example at a time
    try:
        with side.turns:  # its end waits for every gathering started
            drawn = side.call(item.obj, arguments)
            if _drawn_ahead(item, suite):
                ahead.draw_ahead(item, judge, side, lambda other: _drawn_ahead(other, suite))
    finally:
        judge.side, suite.names = None, None
    broke = next((error for error in side.turns.errors if isinstance(error, EndpointBroke)), None)
    if broke is not None:  # the test ends as its plain pass would have, at the step that broke it
        raise broke
    return side.judged(judge) if drawn else side.judged_none(judge)
