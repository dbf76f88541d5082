"""Errors symcrit raises on purpose: each says in one line what went wrong and what to try."""

__all__ = ["SymcritError", "UnknownFamily", "OutOfRange", "NotConverged", "BranchEnded", "PrecisionError", "BranchLost"]


class SymcritError(Exception):
    """Base class."""


class UnknownFamily(SymcritError, KeyError):
    def __str__(self):
        return self.args[0] if self.args else "unknown family"


class OutOfRange(SymcritError, ValueError):
    """k (or another argument) outside the range where the object exists."""


class NotConverged(SymcritError):
    """Newton's method (or another iteration) did not reach the requested tolerance."""


class BranchEnded(SymcritError):
    """Continuation met a fold or a singular Jacobian: the branch does not continue there."""


class PrecisionError(SymcritError, ValueError):
    """Too few digits for the requested result (try higher precision)."""


class BranchLost(SymcritError):
    """Analytic continuation could not keep the branch of a square root or arctangent (a branch
    point of the kernel is near the path, or the step was too long)."""
