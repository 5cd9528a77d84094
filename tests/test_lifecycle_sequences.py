"""The lifecycle state machine's parts, offline: the model's predictions, the two checks on hand-made
steps, the list views against a fake endpoint, the shrinking budget, and the report's step list.

The end-to-end half (the machine against the reference endpoint and its mutants, and against moto) is
in tests/test_conformance_against_reference.py and tests/test_report_against_moto.py.
"""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from conformance.judging.outcomes import Miss, Pass
from conformance.judging.verdicts import STEPS_NOTE, drawn_inputs
from conformance.scenarios.lifecycle.budget import ShrinkBudget, run_sequences
from conformance.scenarios.lifecycle.checks import (
    AnsweredStep,
    Disagreement,
    ListedState,
    Step,
    answers_agree,
    lists_agree,
    numbered,
)
from conformance.scenarios.lifecycle.machine import SequenceRun, machine_for
from conformance.scenarios.lifecycle.model import Expected, LifecycleModel
from conformance.scenarios.lifecycle.views import VIEW_PAGES, compare_views, view_page_size
from conformance.session.calls import ApiCall, Rejection, Reply
from conformance.session.settling import Consistency
from conformance.session.side_by_side import side_by_side
from conformance.session.suite import SuiteSession

SERIAL = "arn:aws:iam::123456789012:mfa/phone"
OTHER = "arn:aws:iam::123456789012:mfa/tablet"
T = TypeVar("T")


def _model(limit: int = 3) -> LifecycleModel:
    model = LifecycleModel(tag_limit=limit)
    model.user_created("alice")
    model.created(SERIAL, "/", "phone", {"team": "a"})
    return model


def _call(operation: str, **params: Any) -> ApiCall:
    return ApiCall("iam", operation, params, "http://127.0.0.1:1", "us-east-1")


def _rejection(operation: str, code: str, status: int) -> Rejection:
    return Rejection(_call(operation), status, code, "message", "Sender")


def test_an_assigned_device_and_its_user_cannot_be_deleted() -> None:
    model = _model()
    model.enable("alice", SERIAL).commit()
    assert model.delete(SERIAL).expected.codes == {"DeleteConflict"}
    assert model.delete_user("alice").expected.codes == {"DeleteConflict"}
    assert model.enable("alice", SERIAL).expected.codes == {"EntityAlreadyExists"}
    model.deactivate("alice", SERIAL).commit()
    again = model.enable("alice", SERIAL).expected  # perhaps with the codes it accepted a moment ago
    assert again.succeeds and again.codes == {"InvalidAuthenticationCode"}
    model.delete(SERIAL).commit()
    assert model.delete(SERIAL).expected.codes == {"NoSuchEntity"}
    assert model.delete_user("alice").expected.succeeds


def test_two_broken_preconditions_accept_either_code() -> None:
    model = _model()
    model.enable("alice", SERIAL).commit()
    model.users.remove("alice")  # as if DeleteUser had (wrongly) succeeded
    assert model.enable("alice", SERIAL).expected.codes == {"NoSuchEntity", "EntityAlreadyExists"}


def test_tagging_past_the_maximum_is_refused_and_changes_nothing() -> None:
    model = _model(limit=3)
    at_limit = model.tag(SERIAL, [("b", "1"), ("c", "2")])
    assert at_limit.expected.succeeds
    past = model.tag(SERIAL, [("b", "1"), ("c", "2"), ("d", "3")])
    assert past.expected.codes == {"LimitExceeded"}
    overwrite = model.tag(SERIAL, [("team", "b"), ("b", "1"), ("c", "2")])
    assert overwrite.expected.succeeds  # an overwritten key is not a new one
    assert model.devices[SERIAL].tags == {"team": "a"}  # nothing is committed before the endpoint agrees
    overwrite.commit()
    assert model.devices[SERIAL].tags == {"team": "b", "b": "1", "c": "2"}


def _step(expected: Expected, answer: Rejection | None, operation: str = "delete_virtual_mfa_device") -> Step:
    return Step(4, _call(operation, SerialNumber=SERIAL), expected, answer)


def test_answers_agree_on_code_and_the_model_status() -> None:
    conflict = Expected.error(("DeleteConflict", "the device is assigned to alice"))
    assert answers_agree(AnsweredStep((_step(conflict, _rejection("x", "DeleteConflict", 409)),))) == Pass()
    accepted = answers_agree(AnsweredStep((_step(conflict, None),)))
    assert accepted == Miss(
        f"step 4: DeleteVirtualMFADevice(SerialNumber='{SERIAL}'): HTTP 409 DeleteConflict "
        "(the device is assigned to alice)",
        "step 4: HTTP 200",
    )
    wrong_status = answers_agree(AnsweredStep((_step(conflict, _rejection("x", "DeleteConflict", 400)),)))
    assert isinstance(wrong_status, Miss) and "HTTP 400 DeleteConflict" in wrong_status.received
    refused = answers_agree(AnsweredStep((_step(Expected.success(), _rejection("x", "NoSuchEntity", 404)),)))
    assert isinstance(refused, Miss) and refused.expected.endswith("HTTP 200")
    either = Expected.success_or("InvalidAuthenticationCode", "reused codes")
    enable = "enable_mfa_device"
    assert answers_agree(AnsweredStep((_step(either, None, enable),))) == Pass()
    assert (
        answers_agree(
            AnsweredStep((_step(either, _rejection(enable, "InvalidAuthenticationCode", 403), enable),))
        )
        == Pass()
    )


def test_a_step_shows_no_authentication_code_and_counts_long_tag_lists() -> None:
    codes = {"AuthenticationCode1": "918273", "AuthenticationCode2": "564738"}
    enable = _call("enable_mfa_device", UserName="alice", SerialNumber=SERIAL, **codes).shown()
    assert "918273" not in enable and "564738" not in enable
    assert enable.endswith("two authentication codes)")
    tags = [{"Key": f"k{index}", "Value": "v"} for index in range(50)]
    assert (
        _call("tag_mfa_device", Tags=tags).shown() == "TagMFADevice(Tags=['k0', 'k1', 'k2', ... 50 in all])"
    )
    keyless = _call("create_virtual_mfa_device", VirtualMFADeviceName="d", Tags=[{"Value": "v"}])
    assert keyless.shown() == "CreateVirtualMFADevice(VirtualMFADeviceName='d', Tags=[None])"


def test_lists_agree_names_the_step_and_every_view_that_differs() -> None:
    steps = (_step(Expected.success(), None),)
    view = _call("list_virtual_mfa_devices", AssignmentStatus="Assigned")
    assert lists_agree(ListedState(steps, (), view)) == Pass()
    found = Disagreement("ListVirtualMFADevices(AssignmentStatus='Assigned')", "lists x", "lists y", view)
    assert lists_agree(ListedState(steps, (found,), view)) == Miss(
        "after step 4: ListVirtualMFADevices(AssignmentStatus='Assigned') lists x",
        "ListVirtualMFADevices(AssignmentStatus='Assigned') lists y",
    )


class _FakeEndpoint:
    """Pages of ListVirtualMFADevices and ListMFADevices, as `SuiteSession.send` returns them, walked
    by the session's own `SuiteSession.entries`; ``drop_last`` loses the last entry of a page reached
    through a marker (the paging-drops-last bug)."""

    entries = SuiteSession.entries
    settle = SuiteSession.settle

    def __init__(self, devices: Mapping[str, str | None], *, drop_last: bool = False) -> None:
        self.devices = devices
        self.drop_last = drop_last
        self.consistency = Consistency(patience_s=0.0)  # a local endpoint: each view is read once
        self.sent: list[tuple[str, Mapping[str, Any]]] = []

    def call(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> ApiCall:
        return _call(operation, **params)

    def small_page(self, smallest: int) -> int:
        """A handful of devices: the views page at the smallest size."""
        return smallest

    def side_by_side(self, reads: Sequence[Callable[[], T]], *, together: bool = True) -> list[T]:
        """As a remote endpoint's session reads a step's views: each in a thread of its own."""
        return side_by_side(reads, together=together)

    def send(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> Reply:
        self.sent.append((operation, params))
        return Reply(self.call(operation, params), self._page(operation, params), None)

    def _page(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        status = params.get("AssignmentStatus", "Any")
        serials = sorted(
            serial
            for serial, user in self.devices.items()
            if (operation == "list_mfa_devices" and user == params["UserName"])
            or (
                operation == "list_virtual_mfa_devices"
                and status in ("Any", "Assigned" if user else "Unassigned")
            )
        )
        start = int(params.get("Marker", 0))
        page = serials[start : start + params["MaxItems"]]
        truncated = start + len(page) < len(serials)
        if not truncated and start and self.drop_last:
            page = page[:-1]
        entries: list[dict[str, Any]] = [
            {"SerialNumber": serial, "Base32StringSeed": b"SEED"} for serial in page
        ]
        for entry in entries:
            if self.devices[str(entry["SerialNumber"])]:
                entry["User"] = {"UserName": self.devices[str(entry["SerialNumber"])]}
        member = "MFADevices" if operation == "list_mfa_devices" else "VirtualMFADevices"
        marker = {"Marker": str(start + len(page))} if truncated else {}
        return {member: entries, "IsTruncated": truncated, **marker}


def _views(endpoint: _FakeEndpoint, model: LifecycleModel) -> tuple[Disagreement, ...]:
    suite = cast(SuiteSession, endpoint)
    return compare_views(suite, model, (), tagging=False, every_view=True)[1]


def test_the_views_page_every_filter_and_catch_a_dropped_entry() -> None:
    model = _model()
    model.created(OTHER, "/", "tablet", {})
    model.enable("alice", SERIAL).commit()
    state = {SERIAL: "alice", OTHER: None, "arn:aws:iam::123456789012:mfa/not-ours": None}
    assert _views(_FakeEndpoint(state), model) == ()
    dropped = _views(_FakeEndpoint(state, drop_last=True), model)
    assert [item.view for item in dropped] == [  # the filters whose last page is reached by a marker
        "ListVirtualMFADevices(AssignmentStatus='Any', MaxItems=1)",
        "ListVirtualMFADevices(AssignmentStatus='Unassigned', MaxItems=1)",
    ]
    assert all(OTHER in item.expected and OTHER not in item.received for item in dropped)


def test_the_views_walk_a_few_pages_each_and_still_catch_a_dropped_entry() -> None:
    model = _model()
    model.enable("alice", SERIAL).commit()
    unassigned = [f"arn:aws:iam::123456789012:mfa/spare{number}" for number in range(7)]
    for serial in unassigned:
        model.created(serial, "/", serial.rsplit("/", 1)[1], {})
    state: dict[str, str | None] = {SERIAL: "alice", **dict.fromkeys(unassigned)}
    endpoint = _FakeEndpoint(state)
    assert _views(endpoint, model) == ()
    walks = Counter((operation, params.get("AssignmentStatus")) for operation, params in endpoint.sent)
    # 8 devices in all, 7 unassigned: ceil(8 / 3) = ceil(7 / 3) = 3 a page, three pages each
    assert walks == {
        ("list_virtual_mfa_devices", "Any"): VIEW_PAGES,
        ("list_virtual_mfa_devices", "Unassigned"): VIEW_PAGES,
        ("list_virtual_mfa_devices", "Assigned"): 1,
        ("list_mfa_devices", None): 1,
    }
    dropped = _views(_FakeEndpoint(state, drop_last=True), model)
    assert [item.view for item in dropped] == [
        "ListVirtualMFADevices(AssignmentStatus='Any', MaxItems=3)",
        "ListVirtualMFADevices(AssignmentStatus='Unassigned', MaxItems=3)",
    ]


@pytest.mark.parametrize("expected", range(2, 40))
def test_a_view_of_two_entries_or_more_follows_a_marker_in_a_few_pages(expected: int) -> None:
    size = view_page_size(cast(SuiteSession, _FakeEndpoint({})), expected)
    assert 2 <= -(-expected // size) <= VIEW_PAGES


def test_the_views_catch_an_assignment_the_model_does_not_have() -> None:
    model = _model()
    model.created(OTHER, "/", "tablet", {})
    found = _views(_FakeEndpoint({SERIAL: "alice", OTHER: None}), model)
    assert {item.view.split("(")[1].split(",")[0] for item in found} == {
        "AssignmentStatus='Any'",
        "AssignmentStatus='Assigned'",
        "AssignmentStatus='Unassigned'",
        "UserName='alice'",
    }


def test_the_report_shows_the_numbered_steps_as_the_counterexample() -> None:
    steps = [
        Step(1, _call("create_user", UserName="alice"), Expected.success(), None),
        _step(Expected.error(("DeleteConflict", "assigned")), None),
    ]
    notes = [
        "Failing test case: <state machine>",
        "Draw 1 (user): 'alice'",
        f"{STEPS_NOTE}\n{numbered(steps)}",
    ]
    assert drawn_inputs(notes, {"suite"}) == (
        "1. CreateUser(UserName='alice') -> HTTP 200\n"
        f"4. DeleteVirtualMFADevice(SerialNumber='{SERIAL}') -> HTTP 200"
    )


def test_the_budget_ends_shrinking_with_the_shortest_failure_seen() -> None:
    budget = ShrinkBudget(replays=3)
    failed: list[bool] = []  # per sequence run: did it fail?

    class Failing(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            budget.admit()
            failed.append(False)
            self.steps = 0

        @rule(n=st.integers(0, 10))
        def step(self, n: int) -> None:
            self.steps += 1
            if n > 2:
                failed[-1] = True
                failure = AssertionError(f"n={n}")
                budget.failed(failure, f"{self.steps}. step({n})", self.steps)
                raise failure

    with pytest.raises(AssertionError) as raised:
        run_sequences(Failing, settings(max_examples=50, database=None, stateful_step_count=5), budget)
    replays = len(failed) - failed.index(True) - 1
    assert replays == 3  # the budget spent: Hypothesis would have replayed it many more times
    assert budget.shortest is not None and raised.value is budget.shortest[1]
    assert any(note.startswith(STEPS_NOTE) for note in getattr(raised.value, "__notes__", ()))


def test_hypothesis_is_handed_a_maker_of_the_machine_whose_digest_reads_no_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hypothesis takes a digest of what runs the sequences (for its example database); of a class, by
    parsing its module's source, each test. A partial of the class has no source to read, and makes the
    same machine."""
    import inspect

    from hypothesis.internal.reflection import function_digest

    from conformance.scenarios.lifecycle import budget as budget_module

    handed: list[Any] = []
    monkeypatch.setattr(
        budget_module, "run_state_machine_as_test", lambda factory, settings: handed.append(factory)
    )
    run = cast(SequenceRun, object())
    run_sequences(machine_for(run), settings(max_examples=1), ShrinkBudget(replays=1))
    (factory,) = handed
    assert not inspect.isclass(factory) and factory.func.run is run
    with pytest.raises(TypeError):  # no source: a class's would be found by parsing its module
        inspect.getsource(factory)
    assert function_digest(factory) == function_digest(functools.partial(machine_for(run)))


class _CleanupSession:
    """What a sequence's teardown uses of the session: sends, each batch of side-by-side work noted."""

    def __init__(self) -> None:
        self.consistency = Consistency(patience_s=0.0)
        self.sent: list[tuple[str, str]] = []
        self.batches: list[int] = []
        self.forgotten: list[str] = []
        self.tracker = self

    def forget_user(self, name: str) -> None:
        self.forgotten.append(name)

    def side_by_side(self, tasks: Sequence[Callable[[], T]], *, together: bool = True) -> list[T]:
        self.batches.append(len(tasks))
        return side_by_side(tasks, together=together)

    def send(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> Reply:
        self.sent.append((operation, str(params.get("SerialNumber") or params.get("UserName"))))
        return Reply(_call(operation, **params), {}, None)


def test_a_sequence_releases_its_users_side_by_side_then_its_devices() -> None:
    """Every user is released (its devices deactivated first), then every device deleted: each a
    batch of side-by-side work, so that a slow endpoint's waits overlap; nothing is left to the sweep."""
    suite = _CleanupSession()
    run = SequenceRun(cast(SuiteSession, suite), cast(Any, None), cast(Any, None), tagging=False)
    machine = machine_for(run)()
    deleted: list[str] = []
    for user, serial in (("alice", SERIAL), ("bob", OTHER)):
        machine.model.user_created(user)
        machine.model.created(serial, "/", serial.rsplit("/", 1)[1], {})
        machine.model.enable(user, serial).commit()
        machine._live_users.append(user)
        cleanup = contextlib.ExitStack()
        cleanup.callback(deleted.append, serial)
        machine._device_cleanups.append(cleanup)
    machine.teardown()
    assert suite.batches == [2, 2]
    assert Counter(suite.sent) == Counter(
        [
            ("deactivate_mfa_device", SERIAL),
            ("delete_user", "alice"),
            ("deactivate_mfa_device", OTHER),
            ("delete_user", "bob"),
        ]
    )
    for user, serial in (("alice", SERIAL), ("bob", OTHER)):  # each user's devices before the user
        assert suite.sent.index(("deactivate_mfa_device", serial)) < suite.sent.index(("delete_user", user))
    assert sorted(suite.forgotten) == ["alice", "bob"] and sorted(deleted) == sorted([SERIAL, OTHER])


class _DeletesAssigned(_FakeEndpoint):
    """A remote endpoint (a patience) that deletes a device still assigned (the delete-assigned-allowed
    mutant): afterwards the device is in no list and its tags are NoSuchEntity, read at once or later."""

    def __init__(self) -> None:
        super().__init__({SERIAL: "alice"})
        self.consistency = Consistency(patience_s=0.3)

    def send(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> Reply:
        if operation == "delete_virtual_mfa_device":
            self.sent.append((operation, params))
            self.devices = {}
            return Reply(self.call(operation, params), {}, None)
        if operation == "list_mfa_device_tags" and params["SerialNumber"] not in self.devices:
            self.sent.append((operation, params))
            return Reply(self.call(operation, params), None, _rejection(operation, "NoSuchEntity", 404))
        return super().send(operation, params)

    def check_health(self) -> None:
        self.sent.append(("check_health", {}))


@pytest.mark.parametrize("check", [answers_agree, lists_agree], ids=["answers", "lists"])
def test_a_step_wrongly_accepted_is_blamed_at_once_with_a_patience(check: Any) -> None:
    """Rule 4: the views read after a step the endpoint wrongly accepted show its effect (the device is
    gone), which the model cannot know; compared with the state before the step, as a refusal's are,
    they never agreed, and the deleted device's tags, NoSuchEntity to the end of the patience, made an
    ERROR of the endpoint's fault. The step is judged as without a patience: answers-agree's FAIL, and
    the lists check blames nothing (the model lost track)."""
    suite, judged = _DeletesAssigned(), list[Any]()
    judge = cast(Any, lambda check, observation: judged.append(check(observation)))
    run = SequenceRun(cast(SuiteSession, suite), judge, check, tagging=True)
    machine = machine_for(run)()
    machine.model.user_created("alice")
    machine.model.created(SERIAL, "/", "phone", {"team": "a"})
    machine.model.enable("alice", SERIAL).commit()
    machine._send("delete_virtual_mfa_device", {"SerialNumber": SERIAL}, machine.model.delete(SERIAL))
    assert [operation for operation, _ in suite.sent] == ["delete_virtual_mfa_device", "check_health"]
    assert machine.progress.lost and SERIAL in machine.model.devices  # nothing committed
    if check is answers_agree:
        assert judged == [
            Miss(
                f"step 1: DeleteVirtualMFADevice(SerialNumber='{SERIAL}'): HTTP 409 DeleteConflict "
                "(the device is assigned to alice)",
                "step 1: HTTP 200",
            )
        ]
    else:
        assert judged == []
