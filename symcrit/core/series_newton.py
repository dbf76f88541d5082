r"""Newton's method on truncated power series, and its a-posteriori certificate (Krawczyk).

Both work over any coefficient ring (:mod:`symcrit.core.rings`) through :class:`~symcrit.core.laurent.LSeries`
and know nothing of families: the caller passes the residual, its Jacobian, a starting point and a
stopping rule.

:func:`newton_on_series` iterates y ← y − M(y)⁻¹ R(y) on vectors of power series (M solved over
Laurent series by elimination with least-valuation pivots, :func:`symcrit.core.linalg.lsolve`),
keeping ``lengths(it)`` coefficients of y at iteration ``it`` (Newton doubles the number of correct
coefficients per step, so a doubling schedule costs about two full-length steps).  In a numerical
ring this computes an *approximate* series (its balls are not enclosures).

:func:`midpoint_newton_on_series` is the same iteration for a system with a nonsingular Jacobian
at t = 0 whose coefficients are balls (``arb`` or ``acb``: python-flint's ``arb_series`` /
``acb_series``, e.g. the branch x(s) of a family at a complex centre), in midpoint arithmetic:
instead of solving with J at every step, it carries an approximate inverse Y of J along the
iteration, one Newton–Schulz step Y ← Y + Y(I − J Y) per Newton step (:func:`series_matrix_inverse`
uses the same step for a fixed matrix).  Its result is an approximation, certified elsewhere.

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

from typing import Any, Callable, Sequence

from flint import acb, acb_mat, acb_series, arb, arb_mat, arb_series

from symcrit.core.errors import NotConverged, PrecisionError
from symcrit.core.laurent import LSeries, make_series
from symcrit.core.linalg import lsolve

__all__ = ["newton_on_series", "midpoint_newton_on_series", "krawczyk_series", "series_matrix_inverse",
           "Certificate"]


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


def _kind(x):
    """The power-series type (acb_series or arb_series) of a ball or a series of balls."""
    return acb_series if isinstance(x, (acb, acb_series)) else arb_series


def _lift(v, n: int, kind):
    """v as a power series of type ``kind`` (a constant lifted, a series returned as it is)."""
    return v if isinstance(v, (arb_series, acb_series)) else kind([v], prec=n)


def _mid_series(a, n: int):
    """The first n coefficients of a series (or a constant) rounded to their midpoints."""
    kind = _kind(a)
    c = list(_lift(a, n, kind).coeffs())[:n]
    return kind([x.mid() for x in c], prec=n)


def _schulz_step(M: list, X: list, n: int) -> list:
    """One Newton–Schulz step X ← X + X(I − M X) for matrices of power series modulo s^n, the result
    rounded to midpoints (doubles the number of correct coefficients of an approximate inverse)."""
    d = len(X)
    kind = _kind(X[0][0])
    MX = _matmul(M, X, n)
    E = [[(kind([1], prec=n) if i == j else kind([], prec=n)) - MX[i][j] for j in range(d)] for i in range(d)]
    XE = _matmul(X, E, n)
    return [[_mid_series(X[i][j] + XE[i][j], n) for j in range(d)] for i in range(d)]


def _doubling(n: int) -> list:
    """The lengths 2, 4, 8, … up to n (the last one n)."""
    out, L = [], 1
    while L < n:
        L = min(2 * L, n)
        out.append(L)
    return out


def midpoint_newton_on_series(system: Callable, z0: Sequence, N: int, constant_steps: int = 3) -> tuple[list, list]:
    """Newton's method on a vector of power series in t with ball coefficients (acb or arb), in
    midpoint arithmetic: an approximate solution z(t) = Σ_{j≤N} z_j t^j of F(z(t), t) = 0 and an
    approximate inverse of the Jacobian along it.

    ``system(z, L)`` → (F, J): the residual (a list) and its Jacobian in z (a list of rows; an
    entry may be a constant ball), at z a list of balls when ``L`` is None (the problem at t = 0)
    and a list of power series of length ``L`` otherwise (the caller puts t in as the series of that
    length).  ``z0``: starting balls (acb or arb) for z(0), which J(z0, 0) must be nonsingular at.

    ``constant_steps`` Newton steps on z(0) (midpoint matrices), Y = J⁻¹ there; then at the lengths
    L = 2, 4, …, N + 1 and once more at N + 1 (Newton doubles the number of correct coefficients per
    step): Y ← Y + Y(I − J Y) (:func:`_schulz_step`, J at the current z), z ← z − Y F(z), each
    rounded to midpoints.  Returns (P, A): P[i] the N + 1 coefficients of z_i, A[i][j] those of
    Y_ij.  Approximations (radius-0 balls that enclose nothing): the caller proves what it uses
    (a Krawczyk test).  The caller scopes the precision and the series length (at least N + 1).
    A singular midpoint matrix raises ZeroDivisionError."""
    if constant_steps < 1:
        raise ValueError("midpoint_newton_on_series needs at least one Newton step on the constant term")
    kind = _kind(z0[0])
    scalar: Any = acb if kind is acb_series else arb   # the ball type and its matrices
    mat: Any = acb_mat if kind is acb_series else arb_mat
    z = list(z0)
    for _ in range(constant_steps):   # the constant term, at the working precision
        F, J = system(z, None)
        Jm = mat([[scalar(v.mid()) for v in row] for row in J])
        d = Jm.solve(mat([[scalar(f.mid())] for f in F]))
        z = [scalar((v - d[i, 0]).mid()) for i, v in enumerate(z)]
    m = len(z)
    Jinv = mat([[scalar(v.mid()) for v in row] for row in J]).inv()
    Y = [[scalar(Jinv[i, j].mid()) for j in range(m)] for i in range(m)]
    zs = [kind([v], prec=1) for v in z]
    for L in _doubling(N + 1) + [N + 1]:   # one more step at the full length
        zs = [kind(_coeffs(v, L), prec=L) for v in zs]
        F, J = system(zs, L)
        Y = _schulz_step(J, [[_mid_series(v, L) for v in row] for row in Y], L)
        dz = _matvec(Y, [_lift(f, L, kind) for f in F], L)
        zs = [_mid_series(zs[i] - dz[i], L) for i in range(m)]
    return [_coeffs(v, N + 1) for v in zs], [[_coeffs(v, N + 1) for v in row] for row in Y]


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
    for p in _doubling(n):
        Mp = [[_mid_series(M[i][j], p) for j in range(d)] for i in range(d)]
        Xp = [[arb_series(list(X[i][j].coeffs()), prec=p) for j in range(d)] for i in range(d)]
        X = _schulz_step(Mp, Xp, p)
    return X


def _matmul(A, B, n):
    """The product of two matrices (lists of rows) of power series modulo s^n (arb or acb; constant
    entries are lifted to series)."""
    d, e, f = len(A), len(B), len(B[0])
    kind = _kind(B[0][0])
    out = []
    for i in range(d):
        row = []
        for j in range(f):
            acc = kind([], prec=n)
            for t in range(e):
                acc = acc + _lift(A[i][t], n, kind) * _lift(B[t][j], n, kind)
            row.append(kind(list(acc.coeffs())[:n], prec=n))
        out.append(row)
    return out


def _matvec(A, v, n):
    return [r[0] for r in _matmul(A, [[x] for x in v], n)]


def _coeffs(a, n: int) -> list:
    """The first n coefficients of a series (or a constant ball), padded with zeros."""
    c = list(a.coeffs())[:n] if isinstance(a, (arb_series, acb_series)) else [a]
    zero = acb(0) if isinstance(a, (acb, acb_series)) else arb(0)
    return c + [zero] * (n - len(c))


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
