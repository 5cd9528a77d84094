"""Random sequences of lifecycle calls against the endpoint, judged after every step by a model.

A Hypothesis `RuleBasedStateMachine` (the template: Hypothesis's provider-conformance harness) creates
devices and users, enables devices with real TOTP codes, deactivates and deletes them, deletes users,
tags and untags; `conformance.scenarios.lifecycle.model` says what each call must answer and what the
state then is, and an invariant reads the endpoint's lists (`conformance.scenarios.lifecycle.views`) to
compare. A disagreement raises through the ``judge`` fixture, so Hypothesis shrinks the sequence, and
the report shows it as a numbered list of calls (`conformance.scenarios.lifecycle.checks`: the two
checks, and which disagreement each one owns).

Every sequence opens the same way (a user, two devices enabled for it, the second deactivated again),
and each new assignment is followed by the calls the documents then refuse, so that neither depends on
which rules Hypothesis happens to draw; the random steps go on from there. Sequences are short and few
(the profile's examples, capped), names, paths and tags are short (`strategies.lifecycle`), and
shrinking has a budget (`conformance.scenarios.lifecycle.budget`): each replay is dozens of requests.
An endpoint without the tag operations gets sequences without tag steps, so the rest is still judged.
Every device and user a sequence creates is tracked, and released when the sequence ends.

On an eventually consistent endpoint (a patience above 0) the views lag behind the steps. Waiting for
them after every step would cost the lag at every step, and what a view shows between steps depends on
when it is read, which Hypothesis, replaying a sequence to shrink it, cannot reproduce. So there the
views are compared, polled until they agree (`views.compare_views`), at two points that depend on the
steps alone: before a refusal that disagrees with the model is blamed (the views might have disagreed
first; a step wrongly accepted is blamed at once, the views after it showing its effect, which the
model cannot know), and when the sequence ends (the lists check); then with the tags of every device.
The lists check first makes those closing comparisons while the next sequence runs, and runs plainly
only when one of them did not agree (`conformance.scenarios.lifecycle.closing`).

Without a patience, the answers check's run also reads, where the lists check's run would, the views
the lists check reads, when that check's test follows in the same process with the run's seed fixed:
the lists check's test then judges those observations, and runs its own sequences only when one of
them, or anything in the answers check's run, did not agree (`conformance.scenarios.lifecycle.alongside`).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from conformance.judging.registry import Check
from conformance.judging.verdicts import Judge
from conformance.scenarios.created_device.seed import no_totp_codes
from conformance.scenarios.lifecycle import alongside, closing
from conformance.scenarios.lifecycle.alongside import Alongside
from conformance.scenarios.lifecycle.budget import ShrinkBudget, run_sequences
from conformance.scenarios.lifecycle.checks import (
    ANSWERS,
    LISTS,
    AnsweredStep,
    ListedState,
    Step,
    answer_miss,
    numbered,
)
from conformance.scenarios.lifecycle.model import Expected, LifecycleModel, Prediction
from conformance.scenarios.lifecycle.views import compare_views, compare_views_alongside
from conformance.session.calls import ApiCall, OperationMissing, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.suite import CLEANUP_ERRORS, SuiteSession
from conformance.session.totp import seed_usable, totp_codes
from conformance.session.turns import Turns
from strategies.lifecycle import SMALL, small_create_requests, small_tag_lists, small_tag_values
from strategies.tags import Tag, built_tag_lists, keys_collide, tag_list_max

_STEPS = 10  # rules per sequence, the opening one included
# When a run draws one example per test (the aws profile on the AWS target), each check gets one
# sequence, and Hypothesis's first sequence is its simplest: the opening, then the first rule (a
# CreateUser) again and again. Steps past the opening and one such rule judge nothing new and cost
# two or three calls each.
_ONE_SEQUENCE_STEPS = 2
_MAX_SEQUENCES = 10  # the profile's examples, at most this many: a sequence is some 50 to 100 requests
_TAGGING = "lifecycle.tagging"  # `SuiteSession.held`: whether the endpoint offers the tag operations
_SHRINK_REPLAYS = 25  # sequences replaying a failure to shrink it (conformance.scenarios.lifecycle.budget)
# The opening's devices (a unique token is appended to the name); their tags are sent only to an
# endpoint that offers the tag operations.
_OPENING_DEVICE = {"VirtualMFADeviceName": "start", "Tags": [{"Key": "start", "Value": ""}]}


@dataclass(frozen=True)
class SequenceRun:
    """What every sequence of one test shares: the session, the check it judges, whether the endpoint
    offers the tag operations, and the shrinking budget (`conformance.scenarios.lifecycle.budget`)."""

    suite: SuiteSession
    judge: Judge
    check: Check[Any]
    tagging: bool
    budget: ShrinkBudget = field(default_factory=lambda: ShrinkBudget(_SHRINK_REPLAYS))
    closings: Turns | None = None  # the lists check's first pass: closing comparisons taking turns
    alongside: Alongside | None = None  # the answers check's run: the lists check's readings kept


@dataclass(frozen=True, repr=False)
class DeviceRef:
    """A device the sequence created; shown by its serial only (the created device holds the seed)."""

    created: CreatedDevice
    serial: str

    def __repr__(self) -> str:
        return f"<device {self.serial}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@dataclass
class _Progress:
    """Where a sequence is: its numbered steps, and whether the endpoint still agrees with the model."""

    steps: list[Step] = field(default_factory=list)
    lost: bool = False  # the endpoint disagreed once: the model no longer knows its state
    views_due: bool = False  # a step agreed: the lists are to be compared
    lists_due: bool = False  # views_due as the lists check's run has it: no refusals sent (`alongside`)
    touched: set[str] = field(default_factory=set)  # devices whose tags the step may have changed


def _no_case_twins(tags: Iterable[Tag], taken: Iterable[str]) -> list[Tag]:
    """``tags`` without those whose key collides with a taken one in any letter case: what a key in
    another case does is not documented (vmfa.tags.key-case records it)."""
    taken = list(taken)
    return [tag for tag in tags if not any(keys_collide(tag["Key"], key) for key in taken)]


class LifecycleMachine(RuleBasedStateMachine):
    """Devices and users through random lifecycle calls; `machine_for` binds it to one test."""

    run: ClassVar[SequenceRun]
    devices = Bundle("devices")

    def __init__(self) -> None:
        super().__init__()
        self.run.budget.admit()
        self.model = LifecycleModel(tag_limit=tag_list_max())
        self.progress = _Progress()
        self._device_cleanups: list[contextlib.ExitStack] = []  # one a device: deleted side by side
        self._live_users: list[str] = []
        self._refs: dict[str, DeviceRef] = {}  # every device created, by serial
        self._refused: set[tuple[str, str]] = set()  # assignments whose refusals were sent
        # Above 0: the views are compared only where the steps alone decide (module docstring).
        self._patience = self.run.suite.consistency.patience_s

    @initialize(target=devices)
    def start(self) -> Any:
        """A user and two devices, both enabled for the user and the second deactivated again: the
        same opening for every sequence (nothing drawn, so nothing in it for Hypothesis to shrink),
        the documented path through both states that every sequence starts from."""
        user = self._create_user()
        created = [self._create_device(_OPENING_DEVICE) for _ in range(2)]
        refs = [ref for ref in created if ref is not None]
        for ref in refs:
            self._enable(ref, user)
        if len(refs) == 2 and self.model.assigned().get(refs[1].serial) == user:
            self._deactivate(refs[1].serial, user)
        return multiple(*refs)

    @rule(target=devices, request=small_create_requests())
    def create_device(self, request: dict[str, Any]) -> Any:
        ref = self._create_device(request)
        return ref if ref is not None else multiple()

    @rule()
    def create_user(self) -> None:
        self._create_user()

    @rule(device=devices, data=st.data())
    def enable(self, device: DeviceRef, data: st.DataObject) -> None:
        self._enable(device, data.draw(st.sampled_from(self.model.known_users), label="user"))

    @precondition(lambda self: bool(self.model.assigned()))
    @rule(data=st.data())
    def deactivate(self, data: st.DataObject) -> None:
        assigned = self.model.assigned()
        serial = data.draw(st.sampled_from(list(assigned)), label="an assigned device")
        self._deactivate(serial, assigned[serial])

    @rule(device=devices)
    def delete_device(self, device: DeviceRef) -> None:
        prediction = self.model.delete(device.serial)
        self._send("delete_virtual_mfa_device", {"SerialNumber": device.serial}, prediction)

    @rule(data=st.data())
    def delete_user(self, data: st.DataObject) -> None:
        user = data.draw(st.sampled_from(self.model.known_users), label="user")
        self._send("delete_user", {"UserName": user}, self.model.delete_user(user))

    @precondition(lambda self: self.run.tagging)
    @rule(
        device=devices,
        fresh=small_tag_lists(),
        to_the_limit=st.sampled_from((None, "at", "past")),
        data=st.data(),
    )
    def tag(self, device: DeviceRef, fresh: list[Tag], to_the_limit: str | None, data: st.DataObject) -> None:
        """New keys and new values for held ones; or as many new keys as fill the device to the model's
        maximum, or one more."""
        held = self._held_tags(device.serial)
        if to_the_limit is None:
            keys = (
                st.lists(st.sampled_from(sorted(held)), max_size=SMALL, unique=True) if held else st.just([])
            )
            overwritten = data.draw(keys, label="held keys given new values")
            tags = [{"Key": key, "Value": data.draw(small_tag_values(), label=key)} for key in overwritten]
            tags += _no_case_twins(fresh, held)
        else:
            room = self.model.tag_limit - len(held) + (to_the_limit == "past")
            count = min(max(room, 1), tag_list_max())  # one request carries at most the maximum itself
            tags = _no_case_twins(data.draw(built_tag_lists(count, count), label="new tags"), held)
        if tags:  # empty only when every drawn key was a case twin of a held one
            pairs = [(tag["Key"], tag["Value"]) for tag in tags]
            request = {"SerialNumber": device.serial, "Tags": tags}
            self._send("tag_mfa_device", request, self.model.tag(device.serial, pairs), device.serial)

    @precondition(lambda self: self.run.tagging and bool(self.model.tagged()))
    @rule(data=st.data())
    def untag(self, data: st.DataObject) -> None:
        serial = data.draw(st.sampled_from(self.model.tagged()), label="a tagged device")
        held = sorted(self.model.devices[serial].tags)
        keys = data.draw(st.lists(st.sampled_from(held), min_size=1, unique=True), label="keys removed")
        request = {"SerialNumber": serial, "TagKeys": keys}
        self._send("untag_mfa_device", request, self.model.untag(serial, keys), serial)

    @precondition(lambda self: self.progress.views_due and not self.progress.lost)
    @invariant()
    def endpoint_matches_model(self) -> None:
        """After each step that answered as the model said: the lists (without a patience: with one
        they are compared where the steps alone decide, module docstring), then the refusals a new
        assignment brings when answers are the check.

        The refusals are not left to chance (Hypothesis turns rules off at random, to reach rarer
        states): each time a device is newly assigned, the three calls the documents then refuse are
        sent at once: deleting the device (DeleteConflict), enabling it again (EntityAlreadyExists),
        deleting its user (DeleteConflict). Only for the answers: an endpoint that wrongly accepts one
        would end every sequence there, before its lists were judged. The lists are read first, so
        that an accepted refusal which breaks the endpoint is the first call after a read that worked
        (`conformance.session.health` names it).
        """
        if self._patience > 0:
            self.progress.views_due = False  # compared where the steps alone decide (module docstring)
        else:
            self._compare_lists()
        if self.run.check.scenario == ANSWERS:
            lists_due = self.progress.lists_due
            for serial, user in self.model.assigned().items():
                if (serial, user) not in self._refused and not self.progress.lost:
                    self._refused.add((serial, user))
                    self._refuse(serial, user)
            self.progress.lists_due = lists_due  # the lists check's run sends no refusals

    def _refuse(self, serial: str, user: str) -> None:
        refusals: list[Callable[[], None]] = [
            lambda: self._send(
                "delete_virtual_mfa_device", {"SerialNumber": serial}, self.model.delete(serial)
            ),
            lambda: self._enable(self._refs[serial], user),
            lambda: self._send("delete_user", {"UserName": user}, self.model.delete_user(user)),
        ]
        for send_refused in refusals:
            if not self.progress.lost:
                send_refused()

    def _compare_lists(self, *, steps: tuple[Step, ...] | None = None) -> None:
        """The lists (all of them when they are the check; else the cheapest views of the state, only
        to know whether the model still keeps track), judged after ``steps`` (default: all so far).
        With a patience, the tags of every device are listed: which the steps touched is not enough, the
        views having been read last at a time that depends on the endpoint's lag."""
        progress, run = self.progress, self.run
        every_view = run.check.scenario == LISTS
        tagged = set(self.model.devices) if self._patience > 0 else progress.touched
        kept = run.alongside if run.alongside and run.alongside.reading and progress.lists_due else None
        with self._noting_failures():
            if kept is not None:  # what the lists check's run would read here, read beside (`alongside`)
                first, disagreements, listed = compare_views_alongside(
                    run.suite, self.model, tagged, tagging=run.tagging
                )
                shown = tuple(progress.steps)  # the refusals sent so far too (`alongside`)
                kept.keep(None if listed is None else ListedState(shown, listed[1], listed[0]))
            else:
                first, disagreements = compare_views(
                    run.suite, self.model, tagged, tagging=run.tagging, every_view=every_view
                )
            progress.views_due, progress.lists_due, progress.touched = False, False, set()
            progress.lost = bool(disagreements)
            if progress.lost and run.alongside is not None:
                run.alongside.spoil("the answers check's run lost track of the state")
            if every_view:
                shown = tuple(progress.steps) if steps is None else steps
                run.judge(run.check, ListedState(shown, disagreements, first))

    def teardown(self) -> None:
        """With a patience, judge the views of the sequence's last state (the lists check: module
        docstring); then release what the sequence left: users first (their devices deactivated), then
        devices.

        Each user's release touches that user and its devices only, and each device's delete that
        device only, so the users are released side by side, then the devices
        (`SuiteSession.side_by_side`): against an endpoint that answers in tens of milliseconds a
        sequence's clean-up was a tenth of the state machine's time, one request after another. Where
        the session keeps its requests in order (a call budget, in process), they are sent so."""
        ending = sys.exc_info()[1] is None  # not while an exception ends the sequence
        if not ending and self.run.alongside is not None:
            self.run.alongside.spoil("a sequence of the answers check's run ended with an exception")
        closes = ending and self._patience > 0 and not self.progress.lost and self.run.check.scenario == LISTS
        if closes and self.run.closings is not None:  # made while the next sequence runs (`closing`)
            self.run.closings.start(self._close)
            return
        try:
            if closes:
                self._compare_lists()
        finally:
            self._release(together=True)

    def _close(self) -> None:
        """The closing comparison, then the release (on a thread of `SequenceRun.closings`, taking
        turns with the next sequence: its release one request after another, within its turns)."""
        try:
            self._compare_lists()
        finally:
            self._release(together=False)

    def _release(self, *, together: bool) -> None:
        """Users first (their devices deactivated), then devices; each batch side by side or not."""
        users = [partial(self._release_user_kept, name) for name in list(self._live_users)]
        devices = [cleanup.close for cleanup in reversed(self._device_cleanups)]
        for batch in (users, devices):
            self.run.suite.side_by_side(batch, together=together)

    def _release_user_kept(self, name: str) -> None:
        with contextlib.suppress(*CLEANUP_ERRORS):  # kept for the final sweep
            self._release_user(name)

    def _release_user(self, name: str) -> None:
        """Deactivate the devices the model says the user holds, then delete the user: no list is read,
        which a lagging endpoint may show behind. When the model lost track, or that fails, the
        session's way (it lists the user's devices)."""
        suite = self.run.suite
        if not self.progress.lost:
            for serial in sorted(self.model.devices_of(name)):
                suite.send("deactivate_mfa_device", {"UserName": name, "SerialNumber": serial})
            if suite.send("delete_user", {"UserName": name}).rejection is None:
                suite.tracker.forget_user(name)
                return
        suite.tracker.release_user(name)

    # -- sending and judging -------------------------------------------------------------------------

    def _create_user(self) -> str:
        suite = self.run.suite
        with self._noting_failures():
            name = suite.new_user()  # a helper: its failure is an ERROR
        self._live_users.append(name)
        prediction = Prediction(Expected.success(), lambda: self.model.user_created(name))
        self._record(suite.call("create_user", {"UserName": name}), prediction, None)
        return name

    def _create_device(self, request: dict[str, Any]) -> DeviceRef | None:
        suite = self.run.suite
        params = {
            **request,
            "VirtualMFADeviceName": f"{request['VirtualMFADeviceName']}-{suite.unique_token()}",
        }
        if not self.run.tagging:
            params.pop("Tags", None)
        cleanup = contextlib.ExitStack()
        self._device_cleanups.append(cleanup)
        created = cleanup.enter_context(suite.create_device(params))
        expected = Expected.success("a path and name no device has")
        if isinstance(created, Rejection):
            if created.not_implemented:
                raise OperationMissing.of(created)
            self._record(created.call, Prediction(expected), created)
            return None
        serial = created.serial_number
        assert serial, "CreateVirtualMFADevice answered without a SerialNumber"
        tags = {tag["Key"]: tag["Value"] for tag in params.get("Tags", ())}

        def commit() -> None:
            self.model.created(serial, created.path, created.name, tags)

        self._record(created.call, Prediction(expected, commit), None, f", serial {serial}", serial)
        self._refs[serial] = DeviceRef(created, serial)
        return self._refs[serial]

    def _enable(self, device: DeviceRef, user: str) -> None:
        if not seed_usable(device.created.seed):  # the model would blame the endpoint for our codes
            self.run.judge.cannot_judge(no_totp_codes())
        codes = totp_codes(device.created.seed, time.time())
        request = {"UserName": user, "SerialNumber": device.serial, **codes}
        self._send("enable_mfa_device", request, self.model.enable(user, device.serial))

    def _deactivate(self, serial: str, user: str) -> None:
        params = {"UserName": user, "SerialNumber": serial}
        self._send("deactivate_mfa_device", params, self.model.deactivate(user, serial))

    def _held_tags(self, serial: str) -> dict[str, str]:
        device = self.model.devices.get(serial)
        return dict(device.tags) if device is not None else {}

    def _send(
        self, operation: str, params: Mapping[str, Any], prediction: Prediction, touched: str | None = None
    ) -> None:
        reply = self.run.suite.send(operation, params).offered()
        call, rejection = reply.call, reply.rejection
        if rejection is None and operation == "delete_user" and params["UserName"] in self._live_users:
            # Settled before the answer is judged: the endpoint says the user is gone, so the final
            # sweep must not look for it (whether the delete was right is the check's business).
            self._live_users.remove(params["UserName"])
            self.run.suite.tracker.forget_user(params["UserName"])
        self._record(call, prediction, rejection, touched=touched)

    def _record(
        self,
        call: ApiCall,
        prediction: Prediction,
        answer: Rejection | None,
        result: str = "",
        touched: str | None = None,
    ) -> None:
        """Number the step and, while the model keeps track, judge its answer; commit its effect when it
        succeeded. Once the model lost track nothing is judged, but successes are still committed: the
        steps drawn next depend on the model, and must not depend on the step at which it lost track
        (on a lagging endpoint that depends on timing, and Hypothesis replays a sequence to shrink it)."""
        progress = self.progress
        progress.steps.append(Step(len(progress.steps) + 1, call, prediction.expected, answer, result))
        if progress.lost:
            if answer is None:
                prediction.commit()
            return
        # Accepted what the model refuses: whether that broke the endpoint is read at once, so that a
        # breakage is named after this very step (`conformance.session.health`).
        accepted_wrongly = answer is None and answer_miss(progress.steps[-1]) is not None
        if self._patience > 0 and answer is not None and answer_miss(progress.steps[-1]) is not None:
            # Before a refusal is blamed, the views must show the state the model predicted it from;
            # if they never do, they disagreed first (judged so, after the steps before this one). Not
            # before a step wrongly accepted: it changed the state as the model cannot know (a device
            # deleted while assigned is gone), so the views can never show the state before it again,
            # and their polling would end in a view refused (that device's tags: NoSuchEntity), an
            # ERROR, where the step itself is the endpoint's fault, as it is without a patience.
            self._compare_lists(steps=tuple(progress.steps[:-1]))
            if progress.lost:
                return
        if self.run.check.scenario == ANSWERS:
            with self._noting_failures(check_health=accepted_wrongly):
                self.run.judge(self.run.check, AnsweredStep(tuple(progress.steps)))
        if answer_miss(progress.steps[-1]) is not None:
            if accepted_wrongly:
                self.run.suite.check_health()
            progress.lost = True
            return
        if answer is None:
            prediction.commit()
        elif prediction.expected.succeeds and self.run.alongside is not None:
            # the other answer the model accepts (codes refused as used): which comes depends on the clock
            self.run.alongside.spoil("a step took the answer the model accepts besides success")
        progress.views_due = progress.lists_due = True
        progress.touched |= {touched} if touched else set()

    @contextlib.contextmanager
    def _noting_failures(self, *, check_health: bool = False) -> Iterator[None]:
        """A check's miss, or a call the sequence relied on failing (an ERROR): noted with the steps;
        ``check_health``: then read whether the endpoint still answers (it may end the test)."""
        try:
            yield
        except AssertionError as failure:  # CheckMiss, EndpointFailure
            self.run.budget.failed(failure, numbered(self.progress.steps), len(self.progress.steps))
            if check_health:
                self.run.suite.check_health()
            raise


def run_machine(
    suite: SuiteSession, judge: Judge, check: Check[Any], profile: settings, *, lists_follow: bool = False
) -> None:
    """Random sequences judged by ``check`` (one of the two lifecycle checks), as many as the run's
    Hypothesis ``profile`` allows (capped), with a shrink budget; on a lagging endpoint, the lists
    check's first pass before (`conformance.scenarios.lifecycle.closing`). The lists check first judges
    what the answers check's run kept for it, if anything; the answers check keeps that when
    ``lists_follow`` (the lists check's test runs later in this process) and the run's seed is fixed
    (`conformance.scenarios.lifecycle.alongside`)."""
    if check.scenario == LISTS and alongside.judged(suite, judge, check):
        return
    tagging, sequence_settings = _tagging_offered(suite), _sequence_settings(profile)
    if closing.overlaps(suite, check):
        unshrunk = settings(
            sequence_settings, phases=[p for p in sequence_settings.phases if p != Phase.shrink]
        )

        def first(kept: Judge, turns: Turns) -> None:
            run = SequenceRun(suite, kept, check, tagging=tagging, closings=turns)
            run_sequences(machine_for(run), unshrunk, run.budget)

        if closing.first_pass(judge, first):
            return
    kept = alongside.begin(suite, lists_follow=lists_follow and check.scenario == ANSWERS)
    run = SequenceRun(suite, judge, check, tagging=tagging, alongside=kept)
    try:
        run_sequences(machine_for(run), sequence_settings, run.budget)
    except BaseException:
        if kept is not None:
            kept.spoil("the answers check's run raised")
        raise


def machine_for(run: SequenceRun) -> type[LifecycleMachine]:
    """The machine bound to one test's session and check (Hypothesis instantiates it per sequence)."""
    return type("LifecycleMachine", (LifecycleMachine,), {"run": run})


def _tagging_offered(suite: SuiteSession) -> bool:
    """Whether the endpoint offers all three tag operations: each is sent once for a device that does
    not exist (a conformant endpoint answers NoSuchEntity; one that lacks the operation, not so). Asked
    once a run (the two checks' tests both need it; what an endpoint offers does not change)."""
    offered = suite.held.get(_TAGGING)
    if offered is None:
        offered = suite.held[_TAGGING] = _ask_tagging(suite)
    return bool(offered)


def _ask_tagging(suite: SuiteSession) -> bool:
    account = suite.identity.account_id or "123456789012"
    serial = suite.ownership.serial_under_prefix(suite.identity.partition, account, suite.unique_token())
    requests: list[tuple[str, dict[str, Any]]] = [
        ("tag_mfa_device", {"SerialNumber": serial, "Tags": [{"Key": "probe", "Value": ""}]}),
        ("untag_mfa_device", {"SerialNumber": serial, "TagKeys": ["probe"]}),
        ("list_mfa_device_tags", {"SerialNumber": serial}),
    ]
    answers = [suite.send(operation, params).rejection for operation, params in requests]
    return not any(answer is not None and answer.not_implemented for answer in answers)


def _sequence_settings(profile: settings) -> settings:
    steps = _ONE_SEQUENCE_STEPS if profile.max_examples <= 1 else _STEPS
    return settings(
        profile, max_examples=min(profile.max_examples, _MAX_SEQUENCES), stateful_step_count=steps
    )
