"""Linear algebra over truncated Laurent series, over any coefficient ring (:mod:`symcrit.core.rings`).

Gaussian elimination with pivots of least valuation: the pivot of a column is the entry with the
lowest power of s (ties: the largest leading coefficient), so that a matrix singular at s = 0
but invertible as a Laurent series is still solved.  One forward elimination serves both the
solve (:func:`lsolve`) and the determinant (:func:`ldet`).  Only the pivots' valuations need to be
decided (by the ring: with balls, a pivot's leading coefficient is proven nonzero); entries whose
leading coefficient the ring cannot decide are never chosen as pivots, and the elimination raises
PrecisionError only when a column has no decidable pivot.
"""
from __future__ import annotations

from typing import Any

from symcrit.core.errors import PrecisionError
from symcrit.core.laurent import LSeries, ball_mid

__all__ = ["pivot_row", "eliminate", "lsolve", "back_substitute", "ldet", "exact_left_null_vector"]


def pivot_row(M, col):
    """The row (from ``col`` down) whose entry in column ``col`` has the least valuation (ties: the
    largest leading coefficient), or None if every entry is zero to its precision."""
    best = None
    for r in range(col, len(M)):
        try:
            e = M[r][col].normalized()
        except PrecisionError:
            continue
        if e.r == 0:
            continue
        key = (e.v, -abs(ball_mid(e.coeffs()[0])))
        if best is None or key < best[0]:
            best = (key, r)
    return None if best is None else best[1]


def eliminate(M, b=None, singular="the Jacobian is singular as a Laurent series (or too little precision)"):
    """Forward Gaussian elimination over truncated Laurent series with least-valuation pivots, in
    place on M (and the right-hand side b, if given); returns the sign of the row permutation.
    Raises PrecisionError(``singular``) when a column has no usable pivot."""
    n = len(M)
    sign = 1
    for col in range(n):
        r = pivot_row(M, col)
        if r is None:
            raise PrecisionError(singular)
        if r != col:
            M[col], M[r] = M[r], M[col]
            if b is not None:
                b[col], b[r] = b[r], b[col]
            sign = -sign
        p = M[col][col]
        for r in range(col + 1, n):
            if M[r][col].stripped().r == 0:
                continue
            f = M[r][col] / p
            for c in range(col, n):
                M[r][c] = M[r][c] - f * M[col][c]
            if b is not None:
                b[r] = b[r] - f * b[col]
    return sign


def lsolve(M, b):
    """Solve M x = b over truncated Laurent series (Gaussian elimination, least-valuation pivots)."""
    M = [row[:] for row in M]
    b = b[:]
    eliminate(M, b)
    return back_substitute(M, b)


def back_substitute(M, b):
    """Solve the upper triangular system M x = b (entries of any ring with -, * and /)."""
    n = len(b)
    x = [None] * n
    for i in reversed(range(n)):
        acc = b[i]
        for j in range(i + 1, n):
            acc = acc - M[i][j] * x[j]
        x[i] = acc / M[i][i]
    return x


def ldet(M, singular="the matrix is singular to the working precision"):
    """Determinant of a matrix of truncated Laurent series (one forward elimination)."""
    M = [row[:] for row in M]
    sign = eliminate(M, singular=singular)
    det = LSeries.const(1)
    for c in range(len(M)):
        det = det * M[c][c]
    return det * sign


def exact_left_null_vector(M: list, zero: Any, one: Any) -> list | None:
    """A nonzero v with v·M = 0 over an exact field (elements with +, -, *, /, ``is_zero``; ``zero``
    and ``one`` its constants), by exact Gauss-Jordan elimination on Mᵀ; None if M is invertible.
    The first free column of the reduced Mᵀ is set to one."""
    n = len(M)
    A = [[M[i][j] for i in range(n)] for j in range(n)]  # Mᵀ: rows j, columns i
    pivots: list[int] = []
    r = 0
    for col in range(n):
        piv = next((i for i in range(r, n) if not A[i][col].is_zero()), None)
        if piv is None:
            continue
        A[r], A[piv] = A[piv], A[r]
        inv = 1 / A[r][col]
        A[r] = [a * inv for a in A[r]]
        for i in range(n):
            if i != r and not A[i][col].is_zero():
                f = A[i][col]
                A[i] = [a - f * b for a, b in zip(A[i], A[r])]
        pivots.append(col)
        r += 1
    if r == n:
        return None
    free = next(c for c in range(n) if c not in pivots)
    v = [zero] * n
    v[free] = one
    for row, col in enumerate(pivots):
        v[col] = -A[row][free]
    return v
