"""The error classes (symcrit.core.errors)."""
from symcrit.core.errors import BadInput, SymcritError


def test_user_errors_are_symcrit_errors():
    from symcrit.cli.registry import UsageError
    from symcrit.symmetry.fixedpoint import BlocksError
    assert issubclass(UsageError, SymcritError) and issubclass(BlocksError, SymcritError)
    assert issubclass(BadInput, ValueError)  # callers that caught ValueError still do


def test_every_error_class_is_a_symcrit_error_and_keeps_its_builtin_base():
    """Callers may catch SymcritError for any user error, or the builtin they caught before."""
    from symcrit.core import errors
    classes = [getattr(errors, n) for n in errors.__all__ if isinstance(getattr(errors, n), type)]
    assert len(classes) >= 8
    assert all(issubclass(c, errors.SymcritError) for c in classes)
    assert issubclass(errors.OutOfRange, ValueError) and issubclass(errors.BadFile, OSError)
    assert issubclass(errors.UnknownFamily, KeyError)
    assert not issubclass(errors.NotConverged, ValueError)  # an iteration's failure is not a bad value
