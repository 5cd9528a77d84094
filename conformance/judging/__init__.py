"""Judging: what a check returns (`outcomes`), the registry of checks (`registry`), which error codes an
operation may answer (`error_tables`), observations shared by a scenario's checks (`memo`), and how a
conformance test's end becomes a verdict (`verdicts`, the one place that decides NOT_IMPLEMENTED),
what a broken endpoint does to the results (`damage`), and whether the run's Hypothesis seed is fixed,
which lets one test judge what another drew (`run_seed`).
"""
