"""Errors symcrit raises on purpose: each says in one line what went wrong and what to try.

Every :class:`SymcritError` is a *user-facing* error: something the caller can fix (a value, a
name, a file, a precision, a range).  The command line reports these in one line with exit code 2.
Anything else that escapes is a bug in symcrit: the command line shows its traceback, asks for a
report and exits with code 1.
"""

__all__ = ["SymcritError", "BadInput", "BadFile", "TooExpensive", "UnknownFamily", "OutOfRange",
           "NotConverged", "BranchEnded", "PrecisionError", "BranchLost"]


class SymcritError(Exception):
    """Base class of the errors a user can fix."""


class BadInput(SymcritError, ValueError):
    """A value the caller gave is malformed or out of its domain (k, a parameter, a name, an option)."""


class OutOfRange(BadInput):
    """k (or another argument) outside the range where the object exists."""


class BadFile(SymcritError, OSError):
    """A file or folder the caller named cannot be read or written, or its content is malformed."""

    def __str__(self):
        return self.args[0] if self.args else "bad file"


class TooExpensive(SymcritError):
    """The request would run far longer than a sensible default (by symcrit's own cost estimate);
    pass ``force=True`` (``--force`` on the command line) to run it anyway."""


class UnknownFamily(SymcritError, KeyError):
    def __str__(self):
        return self.args[0] if self.args else "unknown family"





class NotConverged(SymcritError):
    """Newton's method (or another iteration) did not reach the requested tolerance."""


class BranchEnded(SymcritError):
    """Continuation met a fold or a singular Jacobian: the branch does not continue there."""


class PrecisionError(SymcritError, ValueError):
    """Too few digits for the requested result (try higher precision)."""


class BranchLost(SymcritError):
    """Analytic continuation could not keep the branch of a square root or arctangent (a branch
    point of the kernel is near the path, or the step was too long)."""
