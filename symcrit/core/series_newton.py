r"""Newton's method on truncated power series, and its a-posteriori certificate (Krawczyk).

Both work over any coefficient ring (:mod:`symcrit.core.rings`) through :class:`~symcrit.core.laurent.LSeries`
and know nothing of families: the caller passes the residual, its Jacobian, a starting point and a
stopping rule.

:func:`newton_on_series` iterates y ← y − M(y)⁻¹ R(y) on vectors of power series (M solved over
Laurent series by elimination with least-valuation pivots, :func:`symcrit.core.linalg.lsolve`),
keeping ``lengths(it)`` coefficients of y at iteration ``it`` (Newton doubles the number of correct
coefficients per step, so a doubling schedule costs about two full-length steps).  In a numerical
ring this computes an *approximate* series (its balls are not enclosures).

:func:`krawczyk_series` proves an enclosure of the exact truncated solution.  Let
y(c) = Σ_{j≤N} c_j s^j and let row i of the residual, R_i(s, y), be analytic with its first r_i
coefficients (``shifts``) constant on the box (the caller's Jacobian must vanish there: this is
checked, exactly, on the box), so that F(c) = (coefficients r_i … r_i + N of R_i(s, y(c)))_i is a
map R^{n(N+1)} → R^{n(N+1)}.  Its Jacobian is the block-Toeplitz matrix of the power series
M̂(s) = (s^{-r_i} ∂R_i/∂y_j), lower triangular with diagonal block M̂(0).  With C the (midpoint)
inverse of M̂ as a power series, the Krawczyk operator is, as truncated series products,

    K(Y) = ỹ − C·F(ỹ) + (I − C·M̂(Y))·(Y − ỹ),

and K(Y) ⊂ int Y proves that F has exactly one zero in Y and that it lies in K(Y) (Krawczyk), and
that M̂(0) is invertible on Y.  Ball arithmetic encloses every product, so this is a proof.
"""
from __future__ import annotations

from typing import Callable, Sequence

from flint import arb, arb_mat, arb_series

from symcrit.core.errors import NotConverged, PrecisionError
from symcrit.core.laurent import LSeries, make_series
from symcrit.core.linalg import lsolve

__all__ = ["newton_on_series", "krawczyk_series", "series_matrix_inverse", "Certificate"]


def newton_on_series(residual: Callable, jacobian: Callable, y0: Sequence[LSeries], stop: Callable,
                     lengths: Callable[[int], int], max_iter: int = 40,
                     on_pole: str = "Newton's correction has a pole: the starting values are off the branch"):
    """Newton's method on a vector of power series (valuation >= 0), in the ring in force.

    ``residual(y)`` → list of LSeries, ``jacobian(y)`` → matrix (list of rows) of LSeries, the
    derivative of the residual in y; ``stop(it, y, d)`` → True to stop after iteration ``it``
    (``d`` the correction just applied); ``lengths(it)`` the number of coefficients of y kept after
    iteration ``it``.  Returns (y, corrections, iterations)."""
    y = list(y0)
    last = None
    for it in range(1, max_iter + 1):
        res = residual(y)
        M = jacobian(y)
        d = lsolve(M, res)
        L = lengths(it)
        new = []
        for yi, di in zip(y, d):
            z = yi - di
            if z.stripped().v < 0:
                raise NotConverged(on_pole)
            # the iterate is a polynomial: coefficients beyond the correction's precision are
            # taken as 0 (the next step corrects them)
            cs = z.coeffs()[-z.v:] if z.v < 0 else [0] * z.v + z.coeffs()
            cs = cs[:L]
            new.append(LSeries(0, make_series(cs + [0] * (L - len(cs)), L), None))
        y = new
        last = d
        if stop(it, y, d):
            return y, last, it
    raise NotConverged("Newton's method on series did not converge")


def _mid_series(a: arb_series, n: int) -> arb_series:
    c = list(a.coeffs())[:n]
    return arb_series([arb(x.mid()) for x in c], prec=n)


def series_matrix_inverse(M: list, n: int) -> list:
    """Inverse of a square matrix of power series (arb_series) modulo s^n, by Newton's iteration
    X ← X + X(I − M X) from the inverse of M(0) (midpoints: an approximate inverse, whose quality
    the Krawczyk test accounts for).  Raises PrecisionError if M(0) is not invertible."""
    d = len(M)
    M0 = arb_mat([[arb(M[i][j].coeffs()[0].mid()) if M[i][j].coeffs() else arb(0) for j in range(d)] for i in range(d)])
    try:
        X0 = M0.inv()
    except ZeroDivisionError:
        raise PrecisionError("the rescaled Jacobian at s = 0 is singular (to the working precision)") from None
    X = [[arb_series([arb(X0[i, j].mid())], prec=1) for j in range(d)] for i in range(d)]
    p = 1
    while p < n:
        p = min(2 * p, n)
        Mp = [[_mid_series(M[i][j], p) for j in range(d)] for i in range(d)]
        Xp = [[arb_series(list(X[i][j].coeffs()), prec=p) for j in range(d)] for i in range(d)]
        MX = _matmul(Mp, Xp, p)
        E = [[(arb_series([1], prec=p) if i == j else arb_series([], prec=p)) - MX[i][j] for j in range(d)] for i in range(d)]
        XE = _matmul(Xp, E, p)
        X = [[_mid_series(Xp[i][j] + XE[i][j], p) for j in range(d)] for i in range(d)]
    return X


def _matmul(A, B, n):
    d, e, f = len(A), len(B), len(B[0])
    out = []
    for i in range(d):
        row = []
        for j in range(f):
            acc = arb_series([], prec=n)
            for t in range(e):
                acc = acc + A[i][t] * B[t][j]
            row.append(arb_series(list(acc.coeffs())[:n], prec=n))
        out.append(row)
    return out


def _matvec(A, v, n):
    return [r[0] for r in _matmul(A, [[x] for x in v], n)]


def _coeffs(a: arb_series, n: int) -> list:
    c = list(a.coeffs())[:n]
    return c + [arb(0)] * (n - len(c))


class Certificate:
    """Result of :func:`krawczyk_series`: ``boxes[i][j]`` encloses coefficient j of unknown i;
    ``dropped[i]`` are the residual coefficients below ``shifts[i]``; ``attempts`` the number of
    boxes tried; ``contraction`` the largest ratio |K − ỹ| / r; ``structure_defect`` the largest
    magnitude of a rescaled-Jacobian coefficient below s^0 that is not exactly zero on the box
    (0: the dropped residual coefficients are proven constant on the box)."""

    def __init__(self, boxes, dropped, shifts, attempts, contraction, structure_defect=None):
        self.structure_defect = arb(0) if structure_defect is None else structure_defect
        self.boxes = boxes
        self.dropped = dropped
        self.shifts = shifts
        self.attempts = attempts
        self.contraction = contraction


def krawczyk_series(residual: Callable, jacobian: Callable, y_mid: Sequence[Sequence], order: int,
                    shifts: Sequence[int], radii: Sequence[Sequence] | None = None, attempts: int = 6,
                    strict: bool = True) -> Certificate:
    """Prove an enclosure of the solution of the truncated system near the approximate one.

    ``y_mid[i]`` are exact coefficients (radius 0) c̃_0 … c̃_N of unknown i; ``residual(y)`` and
    ``jacobian(y)`` evaluate R and ∂R/∂y at a vector of LSeries y in the rigorous ring in force
    (ball arithmetic; y given as polynomials with ball coefficients); ``shifts[i]`` = r_i.  Raises
    PrecisionError when no box contracts after ``attempts`` tries (or a valuation is undecidable).

    The coefficients of the rescaled Jacobian below s^0 (``shifts``) must vanish on the box for
    the residual's dropped coefficients to be constant there.  With ``strict`` a coefficient that
    is not exactly zero raises; without, the largest such magnitude is returned as
    ``Certificate.structure_defect`` and the certificate is conditional on it being zero (the
    structural hypothesis: those coefficients vanish identically near the branch)."""
    n = len(y_mid)
    N1 = order + 1
    ytil = [[arb(c.mid()) if isinstance(c, arb) else arb(c) for c in row[:N1]] for row in y_mid]

    def poly(rows):
        return [LSeries.polynomial(list(r)) for r in rows]

    def rows_of(res, what):
        out = []
        for i, g in enumerate(res):
            lo, hi = shifts[i], shifts[i] + N1
            if g.prec < hi:
                raise PrecisionError(f"the {what} is known to O(s^{g.prec}) only (row {i} needs s^{hi})")
            out.append([g.coeff(p) for p in range(lo, hi)])
        return out

    res = residual(poly(ytil))
    Gc = rows_of(res, "residual")
    dropped = [[g.coeff(p) for p in range(g.v, shifts[i])] for i, g in enumerate(res)]
    Rt = [arb_series(r, prec=N1) for r in Gc]
    # C: approximate inverse of M̂ at the midpoint
    Mm = jacobian(poly(ytil))
    Mhat_mid = [[arb_series(_shifted(Mm[i][j], shifts[i], N1, check=False), prec=N1) for j in range(n)] for i in range(n)]
    C = series_matrix_inverse(Mhat_mid, N1)
    CR = _matvec(C, Rt, N1)
    step = [_coeffs(x, N1) for x in CR]
    if radii is None:
        r = [[arb((abs(step[i][j]) * 4 + (abs(ytil[i][j]) + 1) * arb(2) ** (-_prec_bits() + 40)).upper())
              for j in range(N1)] for i in range(n)]
    else:
        r = [[arb(x) for x in row] for row in radii]
    worst = None
    for att in range(1, attempts + 1):
        box = [[arb(ytil[i][j].mid(), r[i][j]) for j in range(N1)] for i in range(n)]
        MY = jacobian(poly(box))
        defect = [arb(0)]
        Mhat = [[arb_series(_shifted(MY[i][j], shifts[i], N1, check=True, defect=None if strict else defect), prec=N1)
                 for j in range(n)] for i in range(n)]
        CM = _matmul(C, Mhat, N1)
        E = [[(arb_series([1], prec=N1) if i == j else arb_series([], prec=N1)) - CM[i][j] for j in range(n)] for i in range(n)]
        Delta = [arb_series([arb(0, box[i][j].rad()) for j in range(N1)], prec=N1) for i in range(n)]
        ED = _matvec(E, Delta, N1)
        kraw = [[ytil[i][j] - step[i][j] + _coeffs(ED[i], N1)[j] for j in range(N1)] for i in range(n)]
        ok = True
        worst = 0.0
        for i in range(n):
            for j in range(N1):
                if not box[i][j].contains_interior(kraw[i][j]):
                    ok = False
                dev = (abs(kraw[i][j] - ytil[i][j]) + kraw[i][j].rad()).upper()
                rr = box[i][j].rad()
                if rr > 0:
                    worst = max(worst, float(dev / rr))
        if ok:
            return Certificate(kraw, dropped, list(shifts), att, worst, defect[0])
        # inflate: the new radii twice the deviation found (plus a floor), then retry
        r = [[arb(max((abs(kraw[i][j] - ytil[i][j]) + kraw[i][j].rad()).upper() * 2, arb(box[i][j].rad()) * 2).upper())
              for j in range(N1)] for i in range(n)]
    raise PrecisionError(f"the Krawczyk test did not contract in {attempts} tries (worst ratio {worst:.3g}): "
                         "try higher precision")


def _prec_bits() -> int:
    from flint import ctx as flint_ctx
    return flint_ctx.prec


def _shifted(e: LSeries, r: int, n: int, check: bool, defect: list | None = None) -> list:
    """Coefficients r … r+n-1 of a series; with ``check``, those below r should be exactly zero:
    the largest magnitude of those that are not is recorded in ``defect[0]`` (strict callers
    raise on it)."""
    if e.prec < r + n:
        raise PrecisionError(f"a Jacobian entry is known to O(s^{e.prec}) only (needs s^{r + n})")
    if check:
        for p in range(e.v, r):
            c = e.coeff(p)
            if not (c.is_exact() and c == 0):
                if defect is None:
                    raise PrecisionError(f"a rescaled Jacobian entry has a coefficient of s^{p - r} that is not "
                                         f"exactly zero on the box ({c.str(3, radius=True)}): the row scaling is not proven")
                defect[0] = max(defect[0], (abs(c) + c.rad()).upper())
    return [e.coeff(p) for p in range(r, r + n)]
