"""The error classes (symcrit.core.errors)."""
from symcrit.core.errors import BadInput, SymcritError


def test_user_errors_are_symcrit_errors():
    from symcrit.cli.registry import UsageError
    from symcrit.symmetry.fixedpoint import BlocksError
    assert issubclass(UsageError, SymcritError) and issubclass(BlocksError, SymcritError)
    assert issubclass(BadInput, ValueError)  # callers that caught ValueError still do
