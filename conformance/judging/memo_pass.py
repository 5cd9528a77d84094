"""A memo pass: a test whose examples a sibling has judged already calls itself with them, without
Hypothesis, and its result stands only when every call ends as the sibling's did.

The checks of a scenario each have a test of their own, and with the run's seed they draw the same
examples (`conformance.judging.memo`): the first gathers each observation, the others judge it from the
memo without a call. Yet each ran Hypothesis again to draw its examples, a tenth of a second for some.
Hypothesis's draws depend on its seed, its settings, the strategies, and how each call of the test
ended (returned, or rejected: ``assume``/``reject``): for two tests that differ only by their check,
with a fixed seed, the calls Hypothesis makes are the same as long as every call ends the same way. So:

1. a plain pass (Hypothesis's own run) is recorded (`recording`): the arguments Hypothesis drew for each
   call of the inner test (``wrapped_test.hypothesis.inner_test``, which Hypothesis lets plugins wrap),
   the values drawn inside through ``st.data()``, and how the call ended. The recording is usable when
   every call returned None or was rejected, and nothing changed what Hypothesis draws meanwhile (its
   constants read from the project's modules, read again when a module is imported);
2. a sibling test calls its own inner test with its own fixtures and each recorded call's arguments, in
   order (`replayed`): a ``data.draw`` gets the recorded value when it asks for the same strategy object
   with the same label. When every call ends as recorded, Hypothesis would have made exactly these calls
   with these endings (it never shrinks when nothing failed): that is the test's result. A call that
   skips the test (a prerequisite that failed: ``pytest.skip``, `OperationMissing`) ends it there too,
   as it ends Hypothesis's run at once, unshrunk, whichever call it is: the calls before it were the
   same. Anything else (a miss, an error, another ending, another draw, a draw left over) and the
   judge's record is put back as it was, and Hypothesis runs as always: a finding always comes from a
   plain run, with its shrinking and reproduction. An interrupt (Ctrl-C, the endpoint's breakage, a
   lost answer) goes on.

The memo pass gathers through the judge as the plain pass does: an observation no longer kept is
gathered again, as the plain pass would have gathered it. Drawn values are copied, both when recorded and
when handed out, so that a test that changes its input changes nobody else's.
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from hypothesis.core import skip_exceptions_to_reraise
from hypothesis.errors import HypothesisDeprecationWarning, StopTest, UnsatisfiedAssumption
from hypothesis.internal.entropy import deterministic_PRNG
from hypothesis.strategies import DataObject, SearchStrategy

try:  # private: how Hypothesis reads constants from the project's modules (6.131+)
    from hypothesis.internal.conjecture.providers import _get_local_constants
except ImportError:  # pragma: no cover - another Hypothesis: nothing to compare, every recording unusable
    _get_local_constants = None  # type: ignore[assignment]

__all__ = ["Recording", "recording", "replayed", "skips"]

# How a call ended: returned None; rejected (``assume``); DISCARDED: a draw inside ran out of data or was
# invalid, and Hypothesis dropped the example; OTHER (failed, skipped, ...): Hypothesis went on otherwise,
# only a skip is replayed.
RETURNED, REJECTED, DISCARDED, OTHER = "returned", "rejected", "discarded", "other"
_OUTSIDE = "Using `(assume|reject)` outside a property-based test"
_DATA = object()  # stands for a ``st.data()`` argument in a recorded call: its draws are recorded


class _Record(Protocol):
    examples: int
    notes: list[str]
    first_miss: Any


@dataclass(frozen=True)
class _Draw:
    strategy: SearchStrategy[Any]
    label: Any
    value: Any  # a copy; `_REJECTED_DRAW` when the draw itself rejected the example


_REJECTED_DRAW, _DISCARDED_DRAW = object(), object()


class _Discarded(BaseException):
    """A replayed draw that Hypothesis dropped (its `StopTest`): the call ends as recorded, DISCARDED."""


@dataclass(frozen=True)
class _Call:
    drawn: dict[str, Any]  # the arguments Hypothesis drew (copies), `_DATA` for a ``st.data()``
    draws: tuple[_Draw, ...]
    ending: str


@dataclass
class Recording:
    """The calls a plain pass made of its inner test, in order, up to the first that neither returned
    None nor was rejected (``noting`` until then); ``complete`` once Hypothesis's run returned after
    them. A recording that is not complete (a call failed or skipped, and Hypothesis went on from
    there) still tells which calls Hypothesis makes first, that one included: it serves a sibling
    that skips among them."""

    constants: int | None
    calls: list[_Call] = field(default_factory=list)
    noting: bool = True
    complete: bool = False
    broken: bool = False  # something changed what Hypothesis draws meanwhile: nothing can be told

    @property
    def usable(self) -> bool:
        return not self.broken and (self.complete or bool(self.calls))

    def finish(self) -> None:
        """Hypothesis's run returned: every call was noted."""
        self.complete = self.noting


def _constants() -> int | None:
    """How many constants Hypothesis has read from the project's modules (it reads them again when
    a module was imported since): the same count, the same draws."""
    return None if _get_local_constants is None else len(_get_local_constants())


@contextmanager
def recording(handle: Any, fixtures: Mapping[str, Any]) -> Iterator[Recording]:
    """While Hypothesis runs a test, note each call of its inner test (``handle`` is the test's
    ``.hypothesis``; ``fixtures`` the arguments pytest gives, not drawn). Call `Recording.finish`
    when the run returns."""
    inner = handle.inner_test
    recorded = Recording(_constants())

    @functools.wraps(inner)  # Hypothesis reads the inner test's name, signature and digest
    def noted(*args: Any, **kwargs: Any) -> Any:
        drawn = _copied({name: value for name, value in kwargs.items() if name not in fixtures})
        if args or drawn is None or not recorded.noting:
            recorded.noting = False  # the calls from here on are not known
            return inner(*args, **kwargs)
        draws: list[_Draw] = []
        for name, value in drawn.items():
            if value is _DATA:
                kwargs[name] = _RecordingData(kwargs[name], draws)
        try:
            result = inner(**kwargs)
        except UnsatisfiedAssumption:
            recorded.calls.append(_Call(drawn, tuple(draws), REJECTED))
            raise
        except StopTest:
            dropped = bool(draws) and draws[-1].value is _DISCARDED_DRAW  # by a draw of its own
            recorded.calls.append(_Call(drawn, tuple(draws), DISCARDED if dropped else OTHER))
            recorded.noting = dropped
            raise
        except BaseException:
            recorded.calls.append(_Call(drawn, tuple(draws), OTHER))
            recorded.noting = False
            raise
        # A value returned fails the test (a Hypothesis health check).
        recorded.calls.append(_Call(drawn, tuple(draws), RETURNED if result is None else OTHER))
        recorded.noting = result is None
        return result

    handle.inner_test = noted
    try:
        yield recorded
    finally:
        handle.inner_test = inner
        recorded.broken = recorded.constants is None or _constants() != recorded.constants


def _copied(given: dict[str, Any]) -> dict[str, Any] | None:
    """The drawn arguments, copied (`_DATA` for ``st.data()``), or None when one cannot be copied."""
    try:
        return {
            name: _DATA if isinstance(value, DataObject) else copy.deepcopy(value)
            for name, value in given.items()
        }
    except Exception:
        return None


class _RecordingData:
    """The ``st.data()`` object Hypothesis gave, its draws noted."""

    def __init__(self, data: DataObject, draws: list[_Draw]) -> None:
        self._data = data
        self._draws = draws

    def draw(self, strategy: SearchStrategy[Any], label: Any = None) -> Any:
        try:
            value = self._data.draw(strategy, label=label)
        except UnsatisfiedAssumption:
            self._draws.append(_Draw(strategy, label, _REJECTED_DRAW))
            raise
        except StopTest:  # the example ran out of data (overrun) or was invalid: Hypothesis drops it
            self._draws.append(_Draw(strategy, label, _DISCARDED_DRAW))
            raise
        self._draws.append(_Draw(strategy, label, copy.deepcopy(value)))
        return value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)

    def __repr__(self) -> str:
        return repr(self._data)


class Unreplayable(BaseException):
    """A memo pass call that does not go as recorded. Not an `Exception`, so that no ``except
    Exception`` in a test takes it for its own."""


class _ReplayData:
    """Stands for ``st.data()`` in a memo pass: the recorded draws, in order, for the same strategy."""

    def __init__(self, draws: tuple[_Draw, ...]) -> None:
        self._draws = list(draws)

    def draw(self, strategy: SearchStrategy[Any], label: Any = None) -> Any:
        if not self._draws:
            raise Unreplayable("a draw more than recorded")
        recorded = self._draws.pop(0)
        if recorded.strategy is not strategy or recorded.label != label:
            raise Unreplayable("another draw than recorded")
        if recorded.value is _REJECTED_DRAW:
            raise UnsatisfiedAssumption("rejected as recorded")
        if recorded.value is _DISCARDED_DRAW:
            raise _Discarded("dropped as recorded")
        return copy.deepcopy(recorded.value)

    @property
    def exhausted(self) -> bool:
        return not self._draws


def replayed(
    inner: Callable[..., Any], fixtures: Mapping[str, Any], recorded: Recording, record: _Record
) -> bool:
    """Make the memo pass (module docstring): True when every call ended as recorded (``record``, the
    judge's, then holds this test's result), else False with ``record`` as it was."""
    saved = (record.examples, list(record.notes), record.first_miss)
    try:
        if not recorded.usable or recorded.constants != _constants():
            return False
        for call in recorded.calls:
            if not _same_ending(inner, fixtures, call):
                raise Unreplayable("another ending than recorded")
        if not recorded.complete:  # what Hypothesis does after these calls is not known
            raise Unreplayable("no skip among the calls recorded")
    except KeyboardInterrupt:  # Ctrl-C, the endpoint's breakage, a lost answer: the test ends there
        raise
    except skips():  # Hypothesis re-raises a skip at once, unshrunk: the test's result, as there
        raise
    except BaseException:
        record.examples, record.notes[:], record.first_miss = saved
        return False
    return True


def skips() -> tuple[type[BaseException], ...]:
    """The exceptions that skip a test (pytest's, unittest's, and so `OperationMissing`): Hypothesis
    re-raises them from the call that raised them, explicit example or drawn, without another call."""
    found: tuple[type[BaseException], ...] = skip_exceptions_to_reraise()  # type: ignore[no-untyped-call]
    return found


def _same_ending(inner: Callable[..., Any], fixtures: Mapping[str, Any], call: _Call) -> bool:
    data = _ReplayData(call.draws)
    arguments = dict(fixtures)
    for name, value in call.drawn.items():
        arguments[name] = data if value is _DATA else copy.deepcopy(value)
    # As Hypothesis calls a test: the global random seeded alike. ``assume`` (a judge's, a gatherer's)
    # warns when called outside Hypothesis: here it rejects the call as it does there.
    with deterministic_PRNG(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", _OUTSIDE, HypothesisDeprecationWarning)
        try:
            result = inner(**arguments)
        except UnsatisfiedAssumption:
            ending = REJECTED
        except _Discarded:
            ending = DISCARDED
        else:
            ending = RETURNED if result is None else "returned a value"
    return ending == call.ending and data.exhausted
