"""Hypothesis strategies for the IAM virtual MFA device API, derived from botocore's service model."""
