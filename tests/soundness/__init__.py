"""Regression tests for the soundness audit (issue 9): one module per class of accepted false
result, named after the class (``test_c01_...`` is class 1 of the issue)."""
