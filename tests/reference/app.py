"""The WSGI application: one URL answering IAM and STS Query requests.

Flow per request: read the form, pick the service by ``Action`` (STS for its own operations, IAM for the
rest; an action neither model knows, or that this reference does not implement, is ``400 InvalidAction``),
parse the parameters along the model's input shape, validate them, run the handler under the store lock,
and render the result or the error. Error statuses come from the model (``error.httpStatusCode``).
Signatures are not checked, and nothing is logged: requests carry secrets in their answers.

The switches of ``Noise`` wrap that flow: a throttled request is answered before its parameters are
parsed, a read runs on the account as it was ``read_lag_s`` ago, and every answer waits ``latency_ms``
before it leaves.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from . import devices, lifecycle
from .core import HANDLERS, Context, Handler, Params, Result
from .model import IAM, error_status, known_error, operation, service, service_for_action
from .mutants import Rules
from .noise import THROTTLING, History, Noise, Throttle
from .protocol import ApiError, ServerPage, parse_input, render_error, render_result, request_id
from .store import Store
from .validation import input_violations, raise_for

__all__ = ["ReferenceApp"]

_LOG = logging.getLogger(__name__)
_XML = "text/xml"

# The handler modules register themselves on import.
_REGISTERED = (devices, lifecycle)


class ReferenceApp:
    """A WSGI callable holding one account's state, the rules (conformant or one mutant) and the noise."""

    def __init__(self, account_id: str, rules: Rules, noise: Noise | None = None) -> None:
        self.context = Context(Store(account_id), rules)
        self.noise = noise or Noise()
        self.internal_errors: list[str] = []  # exception type names, for self-tests to assert none happened
        # How often each action was asked for (names only: never a parameter, which may be a secret).
        self.actions: Counter[str] = Counter()
        # Each is shown every request before it is answered: a self-test's view of what was sent.
        self.taps: list[Callable[[Request], None]] = []
        self._throttle = Throttle(self.noise.throttle_rate, self.noise.seed)
        self._history: History | None = None
        if self.noise.read_lag_s > 0:
            self._history = History(self.noise.read_lag_s, self.context.store, time.monotonic())

    def settle(self) -> None:
        """Make the account as it is now what every read sees at once: state a test set up directly in
        the store (a pre-filled account) is old, not a write that reads lag behind."""
        history = self._history
        if history is not None:
            with self.context.store.lock:
                lag = self.noise.read_lag_s
                self._history = History(lag, self.context.store, time.monotonic() - lag)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        for tap in self.taps:
            tap(request)
        response = self._respond(request)
        if self.noise.latency_ms > 0:
            time.sleep(self.noise.latency_ms / 1000)  # outside the store lock: slow, not serialised
        return response(environ, start_response)

    def _respond(self, request: Request) -> Response:
        rid = request_id()
        form = request.form.to_dict() if request.method == "POST" else request.args.to_dict()
        action = form.get("Action", "")
        self.actions[action] += 1
        service_name = service_for_action(action) or IAM
        namespace = str(service(service_name).metadata["xmlNamespace"])
        if self._throttle.next_throttled():
            # Refused before anything is parsed or performed, in the service's own error document.
            body = render_error(namespace, THROTTLING.code, THROTTLING.message, THROTTLING.sender_fault, rid)
            return Response(body, status=THROTTLING.status, content_type=_XML)
        try:
            body = self._dispatch(service_name, action, form, rid)
            return Response(body, status=200, content_type=_XML)
        except ApiError as error:
            return self._error(service_name, namespace, error, rid)
        except ServerPage as page:
            return Response(page.body, status=page.status, content_type="text/html")
        except Exception:
            # Only the traceback, never the request or the state: they may hold seeds.
            _LOG.exception("reference endpoint: unexpected failure in %s", action)
            self.internal_errors.append(f"{action}: {sys.exc_info()[0]!r}")
            failure = ApiError("ServiceFailure", "An internal error occurred.")
            return self._error(service_name, namespace, failure, rid)

    def _dispatch(self, service_name: str, action: str, form: dict[str, str], rid: str) -> bytes:
        registered = HANDLERS.get(action)
        if registered is None or service_for_action(action) is None:
            version = service(service_name).metadata["apiVersion"]
            raise ApiError("InvalidAction", f"Could not find operation {action} for version {version}")
        op = operation(service_name, action)
        params = parse_input(op.input_shape, form) if op.input_shape is not None else {}
        with self.context.store.lock:
            if not registered.validates_itself:
                raise_for(input_violations(op, params, self.context.rules))
            result = self._run(registered, params)
        namespace = str(service(service_name).metadata["xmlNamespace"])
        return render_result(op, namespace, result, rid)

    def _run(self, registered: Handler, params: Params) -> Result:
        """Run a handler (under the store lock): a read on the lagging past, a write on the present."""
        history = self._history
        if history is None:
            return registered.run(self.context, params)
        if registered.read:
            past = dataclasses.replace(self.context, store=history.as_of(time.monotonic()))
            return registered.run(past, params)
        try:
            return registered.run(self.context, params)
        finally:
            history.record(self.context.store, time.monotonic())  # a refused write may change state too

    def _error(self, service_name: str, namespace: str, error: ApiError, rid: str) -> Response:
        rules = self.context.rules
        code = error.code
        if code == "ValidationError":
            code = rules.validation_error_code
        # A code of the mutants' own (not in the model) keeps the client-fault 400 of the one it replaces.
        status = error_status(service_name, code if known_error(service_name, code) else error.code)
        http_status = dict(rules.status_overrides).get(code, status.status)
        body = render_error(namespace, code, error.message, status.sender_fault, rid)
        return Response(body, status=http_status, content_type=_XML)
