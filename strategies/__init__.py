"""Hypothesis strategies for the IAM virtual MFA device API, derived from botocore's service model.

One pipeline, each stage a module (STYLE.md, "What to absorb" 1):

- ``model``: the botocore model, loaded once into frozen dataclasses (constraints, errors, secrets).
- ``patterns``: the model's Java regexes as standard ``re`` patterns with Java's semantics.
- ``alphabets``: which characters to generate for a pattern, and strings built from them.
- ``paths``, ``names``, ``tags``: one strategy module per member of CreateVirtualMFADevice;
  ``serials`` holds where path and name meet the SerialNumber constraint.
- ``valid``: whole valid requests; ``invalid``: requests breaking one labelled constraint each,
  with the label vocabulary and ``Violation`` in ``violations``; ``invalid_serials`` the same for the
  SerialNumber of every operation that takes one.
- ``boundaries``: the characters at the edges of each pattern's class, inside and just outside;
  ``edge_cases`` (valid) and ``boundary_requests`` (invalid) are the requests every run sends with them.

Nothing here copies a pattern, length or limit from the model: all are read at run time.
"""
