"""Conformance suite for the AWS IAM virtual MFA device API: pytest plugin, targets, checks, tests."""

__version__ = "0.1.0"
