"""Verification: the checks (checks), the runner (runner), trust lists (trust), status lists (status,
status_copies), digests, a stack's components, JAdES-sealed credentials (sealed) and batches.

The report model the checks fill is below this package, in mcred.report.
"""
