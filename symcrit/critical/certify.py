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

from fractions import Fraction

import mpmath
from collections.abc import Sequence
from typing import Any

from flint import arb, arb_mat, ctx as flint_ctx

from symcrit.core.contexts import get_context

__all__ = ["krawczyk", "certify_point", "Certificate", "box_radii", "k_ball", "tighten"]


class Certificate:
    """The outcome of a Krawczyk test: ``ok``, ``radius`` (max over coordinates of the box's
    half-widths: every coordinate of the zero is within it), ``radii`` (the half-width of each
    coordinate), ``rho`` and ``scale`` (how the radii were chosen: 'relative', r_i = ρ|y_i|, or
    'absolute', r_i = ρ), ``reason``, ``contraction`` (max over components of |K(X)_i - y_i| / r_i:
    below 1 means success)."""

    def __init__(self, ok, radius, reason, contraction=None, prec=None, radii=None, rho=None, scale="absolute",
                 image_radii=None):
        self.ok, self.radius, self.reason, self.contraction, self.prec = ok, radius, reason, contraction, prec
        self.radii, self.rho, self.scale = radii, rho, scale
        #: upper bounds of |K(X)_i - y_i|: every zero of G in X lies within them of y (None if not finite)
        self.image_radii = image_radii
        #: after :func:`certify_point`: upper bounds of |x*_i - y_i| for the unique zero x* (the
        #: Krawczyk images of the box, iterated: K(X) holds every zero in X); None if not certified
        self.enclosure_radii = None

    def __repr__(self):
        return (f"Certificate(ok={self.ok}, radius={mpmath.nstr(self.radius, 3)}, scale={self.scale!r}, "
                f"reason={self.reason!r})")


def _arb_exact(x):
    return get_context("arb").convert(x)


def k_ball(k: Any) -> arb:
    """k as a ball at the flint precision in force, never through an mpf or a float at another
    precision: an int exactly, a Fraction as the ball of p/q, an mpf as its exact binary value, a
    decimal string parsed exactly first (k = 10^30 + 1 stays 10^30 + 1)."""
    if isinstance(k, str):
        from symcrit.core.numbers import parse_k
        k = parse_k(k)
    if isinstance(k, bool) or not isinstance(k, (int, Fraction, mpmath.mpf)) and not hasattr(k, "__index__"):
        raise TypeError(f"k must be an int, a Fraction, an mpf or a decimal string, got {type(k).__name__}")
    return _arb_exact(int(k) if hasattr(k, "__index__") and not isinstance(k, mpmath.mpf) else k)


def box_radii(y: Sequence, rho: Any, scale: str = "relative") -> list:
    """The half-widths r_i of the candidate box around ``y``: 'absolute' r_i = ρ; 'relative'
    r_i = ρ·|y_i| (coordinates that scale like k^-1, k^-2 at large k get boxes of their own size;
    a coordinate that is exactly 0 gets ρ times the smallest nonzero |y_j|)."""
    rho = mpmath.mpf(rho)
    if scale == "absolute":
        return [rho] * len(y)
    if scale != "relative":
        raise ValueError(f"scale must be 'relative' or 'absolute', got {scale!r}")
    nz = [abs(v) for v in y if v != 0]
    floor = min(nz) if nz else mpmath.mpf(1)
    return [rho * (abs(v) if v != 0 else floor) for v in y]


def krawczyk(space: Any, y: Sequence, k: Any, radius: Any, prec: int) -> Certificate:
    """Krawczyk test for the entry gradient of ``space`` at k around ``y`` (mpf list), working
    precision ``prec`` bits.  ``radius``: the box's half-width, one number for every coordinate or
    one per coordinate (a list).  Returns a :class:`Certificate`."""
    n = space.dim
    grad = space.gradient_function("arb")
    J = space.jacobian_function("arb")
    radii = list(radius) if isinstance(radius, (list, tuple)) else [radius] * n
    rmax = max(radii)
    with flint_ctx.workprec(prec), mpmath.workprec(prec):
        ya = [_arb_exact(v) for v in y]
        ka = k_ball(k)
        # each half-width rounded up to a binary number: the box tested is the box reported
        rad = [arb(_arb_exact(mpmath.mpf(r)).upper()) for r in radii]
        radii = [_mid_mpf(r) for r in rad]
        rmax = max(radii)
        X = [arb(v.mid(), r) for v, r in zip(ya, rad)]

        def fail(reason, c=None):
            return Certificate(False, rmax, reason, c, prec, radii)
        try:
            Gy = grad(ya, ka)
            JX = J(X, ka)
        except (ZeroDivisionError, ValueError) as exc:
            return fail(f"the Jacobian cannot be enclosed on the box ({exc})")
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
            return fail("; ".join(what) + f" (ball arithmetic at {prec} bits: a square root or atan2 of a "
                        "ball that reaches 0 or a negative value, a division by a ball containing 0, or too "
                        "little precision)")
        # C: inverse of the midpoint Jacobian (at the working precision: the Jacobian's condition
        # grows like k), as exact midpoints
        Jmid = mpmath.matrix([[_mid_mpf(JX[i * n + j]) for j in range(n)] for i in range(n)])
        try:
            Cm = mpmath.inverse(Jmid)
        except ZeroDivisionError:
            return fail("the Jacobian is singular at the point")
        C = arb_mat([[_arb_exact(Cm[i, j]) for j in range(n)] for i in range(n)])
        JXm = arb_mat([[JX[i * n + j] for j in range(n)] for i in range(n)])
        Gym = arb_mat([[g] for g in Gy])
        D = arb_mat([[X[i] - ya[i]] for i in range(n)])
        Id = arb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
        Kx = -(C * Gym) + (Id - C * JXm) * D  # K(X) - y
        ratios = [Kx[i, 0].abs_upper() / rad[i] if rad[i] != 0 else arb(0 if Kx[i, 0] == 0 else 2)
                  for i in range(n)]
        c = float(max(_mid_mpf(r) for r in ratios))
        image = [_mid_mpf(Kx[i, 0].abs_upper()) for i in range(n)] if all(Kx[i, 0].is_finite() for i in range(n)) \
            else None
        ok = all(Kx[i, 0].abs_upper() < rad[i] for i in range(n))
        if ok:
            return Certificate(True, rmax, "Krawczyk: K(X) lies inside X, so X holds exactly one zero", c, prec,
                               radii, image_radii=image)
        cert = fail(f"Krawczyk: K(X) is not inside X (contraction {c:.3g} >= 1): the point is not within the "
                    "radius of a zero, or the radius is too large", c)
        cert.image_radii = image
        return cert


def _mid_mpf(b):
    """The midpoint of an arb ball as an mpmath number (exact)."""
    from symcrit.core.laurent import ball_mid
    return ball_mid(b)


def certify_point(cp: Any, radius: Any = None, scale: str | None = None) -> Any:
    """Certify a :class:`~symcrit.critical.families.CriticalPoint`.

    The box has half-widths r_i = ρ|y_i| ('relative': the coordinates' sizes differ by powers of k
    at large k, and the Jacobian's condition grows like k) or r_i = ρ ('absolute'); ρ runs from
    10^(-dps/2) down to 10^(-dps+5), then the same divided by k and by k² (the Jacobian's second
    derivatives grow like k or k²: the box must shrink so for I - CJ(X) to stay small), and the largest that
    passes is kept, relative boxes first.
    ``radius``: one ρ only; ``scale``: one scaling only.  The precision is the point's working
    precision (which grows with log k).  Sets ``certified``, ``radius`` (max r_i), ``radii`` and
    ``certificate``."""
    prec = int(cp.work_dps * 3.33) + 32
    rhos = [radius] if radius is not None else [mpmath.mpf(10) ** (-e) for e in _exponents(cp)]
    scales = [scale] if scale is not None else (["absolute", "relative"] if radius is not None
                                                 else ["relative", "absolute"])
    cert = first = None
    for sc in scales:
        for r in rhos:
            if r <= 0:
                continue
            with mpmath.workprec(prec):
                radii = box_radii(cp.values, r, sc)
            cert = krawczyk(cp.space, cp.values, cp.k, radii, prec)
            cert.rho, cert.scale = mpmath.mpf(r), sc
            first = first or cert
            if cert.ok:
                break
        if cert is not None and cert.ok:
            break
    if cert is not None and not cert.ok:
        cert = first  # the reason of the first (largest, preferred) attempt
    if cert is not None and cert.ok:
        cert.enclosure_radii = tighten(cp.space, cp.values, cp.k, cert)
    cp.certificate = cert
    cp.certified = bool(cert is not None and cert.ok)
    cp.radius = cert.radius if cert is not None and cp.certified else None
    cp.radii = cert.radii if cert is not None and cp.certified else None
    cp.enclosure_radii = cert.enclosure_radii if cert is not None and cp.certified else None
    return cp


def tighten(space: Any, y: Sequence, k: Any, cert: Certificate, steps: int = 4) -> list:
    """Upper bounds of |x*_i - y_i| for the zero x* that a successful Krawczyk test ``cert`` put
    in its box: its image K(X), then the images of the boxes y ± (the bounds so far), which hold
    x* again (every zero of G in a box X around y lies in K(X), by the mean value form), kept
    coordinate by coordinate while they shrink.  The box proves uniqueness; these bound the digits
    of the point (the box is chosen large, for the uniqueness statement)."""
    if not cert.ok or cert.image_radii is None:
        raise ValueError("tighten needs a successful Krawczyk certificate with a finite image")
    bound = [min(a, b) for a, b in zip(cert.image_radii, cert.radii)]
    for _ in range(steps):
        nxt = krawczyk(space, y, k, bound, cert.prec)
        if nxt.image_radii is None:
            break
        new = [min(a, b) for a, b in zip(bound, nxt.image_radii)]
        if all(b2 > b1 / 4 for b1, b2 in zip(bound, new)):  # no coordinate improved much: done
            bound = new
            break
        bound = new
    return bound


def _exponents(cp):
    """The decimal exponents e of the trial ρ = 10^-e: dps/2, 3dps/4, dps - 5, the same plus
    log10 k and plus 2 log10 k (the second derivatives of some families' gradients grow like k²),
    kept below the working precision (the point is accurate to about work_dps digits)."""
    L = max(0, int(mpmath.floor(mpmath.log10(cp.k_mpf)))) if cp.k_mpf >= 1 else 0
    base = [cp.dps // 2, (3 * cp.dps) // 4, cp.dps - 5]
    return sorted({e for e in base + [b + L for b in base] + [b + 2 * L for b in base] if 0 < e < cp.work_dps - 5})
