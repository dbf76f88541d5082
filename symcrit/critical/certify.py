r"""Certification of critical points with ball arithmetic (python-flint ``arb``).

The Krawczyk test.  Let G be the entry gradient of a fixed-point space (one full-space gradient
entry per orbit: G = 0 exactly at the critical points in the space), y a numerical zero, X the
box of radius ρ around y, C ≈ J(y)^{-1}.  If

.. math:: K(X) = y - C\,G(y) + (I - C\,J(X))(X - y) \subset \operatorname{int} X,

with J(X) an enclosure of the Jacobian over X, then X contains exactly one zero of G (Krawczyk
1969, Moore 1977).  Everything is evaluated in ball arithmetic, so rounding is accounted for.
By the principle of symmetric criticality that zero is a critical point of the full loss F; the
uniqueness statement is within the fixed-point space.

The test fails, and says why, when the point is not close to a zero (the image is not in the
box), when the Jacobian is not enclosable on the box (for instance at exactly aligned pairs,
where F is only C², as at the global minimum) or when the precision is too low.

>>> from symcrit.critical.families import family
>>> cp = family("sk1").solve(6, dps=30).certify()
>>> cp.certified, cp.radius < 1e-10
(True, True)
"""
from __future__ import annotations



import mpmath
from fractions import Fraction

from flint import arb, arb_mat, ctx as flint_ctx, fmpq

from symcrit.core.contexts import get_context

__all__ = ["krawczyk", "certify_point", "Certificate"]


class Certificate:
    """The outcome of a Krawczyk test: ``ok``, ``radius``, ``reason``, ``contraction``
    (max over components of |K(X)_i - y_i| / ρ: below 1 means success)."""

    def __init__(self, ok, radius, reason, contraction=None, prec=None):
        self.ok, self.radius, self.reason, self.contraction, self.prec = ok, radius, reason, contraction, prec

    def __repr__(self):
        return f"Certificate(ok={self.ok}, radius={mpmath.nstr(self.radius, 3)}, reason={self.reason!r})"


def _arb_exact(x):
    return get_context("arb").convert(x)


def krawczyk(space, y, k, radius, prec):
    """Krawczyk test for the entry gradient of ``space`` at k around ``y`` (mpf list), box radius
    ``radius``, working precision ``prec`` bits.  Returns a :class:`Certificate`."""
    n = space.dim
    G = space.gradient_function("arb")
    J = space.jacobian_function("arb")
    with flint_ctx.workprec(prec):
        ya = [_arb_exact(v) for v in y]
        if isinstance(k, Fraction):  # a ball around the exact rational k (e.g. 15/2, 1/3 + 7)
            ka = arb(fmpq(k.numerator, k.denominator))
        else:
            ka = _arb_exact(mpmath.mpf(k)) if not isinstance(k, int) else arb(k)
        rad = arb(mpmath.nstr(radius, 20))
        X = [arb(v.mid(), rad) for v in ya]
        try:
            Gy = G(ya, ka)
            JX = J(X, ka)
        except (ZeroDivisionError, ValueError) as exc:
            return Certificate(False, radius, f"the Jacobian cannot be enclosed on the box ({exc})", prec=prec)
        bad_g = [i for i, v in enumerate(Gy) if not v.is_finite()]
        bad_j = sorted({i // n for i, v in enumerate(JX) if not v.is_finite()})
        if bad_g or bad_j:
            def _rows(rows):
                return ", ".join(str(space.params[i]) for i in rows)
            what = []
            if bad_g:
                what.append(f"the gradient at the centre is not finite in entries {_rows(bad_g)}")
            if bad_j:
                what.append(f"the Jacobian over the box is not finite in rows {_rows(bad_j)}")
            return Certificate(False, radius, "; ".join(what) + f" (ball arithmetic at {prec} bits: a "
                               "square root or atan2 of a ball that reaches 0 or a negative value, a division "
                               "by a ball containing 0, or too little precision)", prec=prec)
        # C: inverse of the midpoint Jacobian, as exact midpoints
        Jmid = mpmath.matrix([[_mid_mpf(JX[i * n + j]) for j in range(n)] for i in range(n)])
        try:
            Cm = mpmath.inverse(Jmid)
        except ZeroDivisionError:
            return Certificate(False, radius, "the Jacobian is singular at the point", prec=prec)
        C = arb_mat([[_arb_exact(Cm[i, j]) for j in range(n)] for i in range(n)])
        JXm = arb_mat([[JX[i * n + j] for j in range(n)] for i in range(n)])
        Gym = arb_mat([[g] for g in Gy])
        D = arb_mat([[X[i] - ya[i]] for i in range(n)])
        Id = arb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
        Kx = -(C * Gym) + (Id - C * JXm) * D  # K(X) - y
        worst = max(Kx[i, 0].abs_upper() for i in range(n))
        contraction = worst / rad
        ok = all(Kx[i, 0].abs_upper() < rad for i in range(n))
        c = float(_mid_mpf(contraction))
        if ok:
            return Certificate(True, radius, "Krawczyk: K(X) lies inside X, so X holds exactly one zero", c, prec)
        return Certificate(False, radius, f"Krawczyk: K(X) is not inside X (contraction {c:.3g} >= 1): the "
                           "point is not within the radius of a zero, or the radius is too large", c, prec)


def _mid_mpf(b):
    """The midpoint of an arb ball as an mpmath number (exact)."""
    from symcrit.core.laurent import ball_mid
    return ball_mid(b)


def certify_point(cp, radius=None):
    """Certify a :class:`~symcrit.critical.families.CriticalPoint`; tries radii from 10^(-dps/2) down to
    10^(-dps+5) and keeps the largest that passes."""
    prec = int(cp.work_dps * 3.33) + 32
    radii = [radius] if radius is not None else [mpmath.mpf(10) ** (-e) for e in
                                                 sorted({cp.dps // 2, (3 * cp.dps) // 4, cp.dps - 5})]
    cert = None
    for r in radii:
        if r <= 0:
            continue
        cert = krawczyk(cp.space, cp.values, cp.k, mpmath.mpf(r), prec)
        if cert.ok:
            break
    cp.certificate = cert
    cp.certified = bool(cert.ok)
    cp.radius = cert.radius if cert.ok else None
    return cp
