"""Hypothesis settings for each ``--iam-profile``, and how the conformance tests get them.

Kept apart from `conformance.runner.config` so that the CLI can validate its options without importing
Hypothesis before pytest does (pytest can only rewrite asserts in modules it imports first).
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import InMemoryExampleDatabase
from hypothesis.errors import InvalidArgument

from conformance.session.economy import set_profile, shares_probes

__all__ = ["hypothesis_settings", "register_suite_profile", "shares_probes", "suite_settings"]


# On the AWS target each drawn example is calls in the user's account: the aws profile draws one per
# test there (the boundary examples every profile sends judge each rule at its edges besides).
_AWS_TARGET_EXAMPLES = 1


def hypothesis_settings(profile: str, *, on_aws: bool = False) -> settings:
    """Hypothesis settings per profile. Deadlines are off: endpoints have their own latency.

    Built on Hypothesis's own defaults, not on the profile loaded where the run happens (only its example
    database is kept): Hypothesis loads its ``ci`` profile by itself when a CI variable is set (``CI``,
    ``GITHUB_ACTIONS``, ...), and that profile derandomizes, which ignores ``--seed``. A run in CI then
    drew other inputs than the same command anywhere else, and its reproduce line did not reproduce it.
    """
    examples = {"quick": 5, "default": 25, "thorough": 200, "aws": 3}[profile]
    if profile == "aws" and on_aws:
        examples = _AWS_TARGET_EXAMPLES
    # No explain phase: it re-runs the failing example many times against the endpoint to say which
    # parts of the input mattered, minutes of API calls for a line the report does not need.
    phases: tuple[Phase, ...] = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
    defaults = settings.get_profile("default")
    # The one setting kept from where the run happens: no example database on disk in CI (``ci``).
    database = settings().database
    if profile == "quick":
        database = InMemoryExampleDatabase()
    elif profile == "aws":
        # Each example is real API calls in the user's account: few of them, no shrinking storm,
        # nothing written to disk.
        phases = (Phase.explicit, Phase.generate)
        database = None
    return settings(
        defaults,
        max_examples=examples,
        derandomize=False,  # the seed decides (the ``default`` profile says so too; said here for why)
        deadline=None,
        database=database,
        phases=phases,
        print_blob=False,
        report_multiple_bugs=False,  # one test judges one rule: one counterexample is the answer
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


_HYPOTHESIS_PROFILE = "iam-conformance"


def register_suite_profile(profile: str, *, on_aws: bool = False) -> None:
    settings.register_profile(_HYPOTHESIS_PROFILE, hypothesis_settings(profile, on_aws=on_aws))
    set_profile(profile)  # the aws profile's economy (`conformance.session.economy`)


def suite_settings() -> settings:
    """The settings of this run's profile, for the conformance tests' ``@settings(...)``.

    ``@given`` fixes a test's settings when the module is imported, so the plugin registers the
    profile while pytest configures, before any conformance module is collected.
    """
    try:
        return settings.get_profile(_HYPOTHESIS_PROFILE)
    except InvalidArgument:  # imported outside a run (a linter, a REPL): the default profile
        register_suite_profile("default")
        return settings.get_profile(_HYPOTHESIS_PROFILE)
