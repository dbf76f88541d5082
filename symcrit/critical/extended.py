r"""Proofs for extended systems: a critical point together with a null vector and the k where it exists.

The unknowns are z = (x, v, k): x the point in a fixed-point space, v ∈ R^m a null vector, k the
(real) width.  The equations are

.. math:: G(x, k) = 0,\qquad M(x, k)\, v = 0,\qquad c^\top v = 1,

with G the entry gradient of the space and M an m×m *block*: the space's own Jacobian ∂G/∂x
(:class:`JacobianBlock`: a fold, where the branch turns back in k) or the Hessian restricted to
one isotypic component (a crossing: an eigenvalue of that component is 0; built in
:mod:`symcrit.spectra.crossings`).  At a regular solution (the Jacobian of the system invertible:
a simple zero eigenvalue that moves with k, resp. a quadratic fold) the solution is isolated and

* :meth:`ExtendedSystem.newton` finds it to any precision (Jacobian by second-order jets,
  :mod:`symcrit.core.jet`: no finite differences);
* :meth:`ExtendedSystem.krawczyk` proves, in ball arithmetic (python-flint ``arb``), that a box
  around it holds exactly one solution: with Z the box, z̃ its centre, C ≈ DF(z̃)⁻¹ and DF(Z) an
  enclosure of the Jacobian over Z (the jets evaluated on balls),
  K(Z) = z̃ − C F(z̃) + (I − C DF(Z))(Z − z̃) ⊂ int Z.  Every solution in Z lies in K(Z), so the
  k-coordinate of K(Z) is a proven enclosure of k*.

:func:`ball_digits` prints only the digits a ball guarantees.

>>> from symcrit.symmetry.fixedpoint import fixed_point_space
>>> import mpmath
>>> sp = fixed_point_space(["3", "k-3"])
>>> x0 = [-0.5178, 0.6179, 0.2465, 0.1143, -0.5139, 0.4963]   # near the fold at k = 5.572…
>>> f = prove_fold(sp, x0, 5.5724, digits=20)
>>> f.ok, f.k_str
(True, '5.572352576941281546')
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import mpmath
from flint import arb, arb_mat, ctx as flint_ctx

from symcrit.core.contexts import get_context
from symcrit.core.errors import NotConverged, PrecisionError
from symcrit.core.jet import Jet, JetContext
from symcrit.core.laurent import ball_mid
from symcrit.core.rings import arb_str
from symcrit.symmetry.blocks import poly_at

__all__ = ["ExtendedSystem", "JacobianBlock", "MatrixBlock", "Proof", "ball_digits", "ball_bounds",
           "prove_fold", "null_vector"]


# ---------------------------------------------------------------------------------------------
# blocks: (jets x, k) and a direction v  ->  the jets of M(x, k) v


class JacobianBlock:
    """M = ∂G/∂x (the entry Jacobian of the space): M v = 0 with G = 0 is a fold."""

    def __init__(self, space):
        self.space = space
        self.m = space.dim

    def apply(self, jctx, x, k, v):
        """Jets whose ε₁ part is M(x, k) v and whose ε₁ε₂ part is its derivative along the ε₂
        direction carried by ``x`` and ``k``."""
        xs = [Jet(xi.a, vi, xi.c, 0) for xi, vi in zip(x, v)]
        return [Jet.lift(g) for g in self.space.compiled["grad"](jctx, *xs, k)]


class MatrixBlock:
    """A block given by its entries ``entries(ctx, x, k) -> m×m`` in any number context."""

    def __init__(self, m, entries):
        self.m = m
        self.entries = entries

    def apply(self, jctx, x, k, v):
        xs = [Jet(xi.a, 0, xi.c, 0) for xi in x]
        M = self.entries(jctx, xs, k)
        out = []
        for a in range(self.m):
            acc = Jet(0)
            for b in range(self.m):
                e = Jet.lift(M[a][b])
                acc = acc + Jet(0, e.a * v[b], 0, e.c * v[b])
            out.append(acc)
        return out


# ---------------------------------------------------------------------------------------------


class Proof:
    """The outcome of a Krawczyk test on an extended system: ``ok``; ``k`` (the enclosure of k* as
    an arb ball, when ok); ``box`` (the enclosure of every unknown); ``radius`` of the box tried;
    ``contraction`` (max |K(Z)_i − z̃_i| / radius: below 1 is success); ``prec`` bits; ``reason``."""

    def __init__(self, ok, reason, radius, prec, k=None, box=None, contraction=None, digits=30):
        self.ok, self.reason, self.radius, self.prec = ok, reason, radius, prec
        self.k, self.box, self.contraction, self.digits = k, box, contraction, digits
        self.Z = self.jacobian = None  # the box tried and the enclosure of the Jacobian over it

    @property
    def k_str(self):
        """The digits of k* the enclosure guarantees (None when not proven)."""
        return ball_digits(self.k, self.digits) if self.ok else None

    @property
    def k_enclosure(self):
        return list(ball_bounds(self.k, self.digits + 5)) if self.ok else None

    def __repr__(self):
        return f"Proof(ok={self.ok}, k={self.k_str}, reason={self.reason!r})"


class ExtendedSystem:
    """F(x, v, k) = (G(x, k), M(x, k) v, cᵀv − 1) for a fixed-point space and a block (see module
    doc); ``c`` (exact binary numbers, e.g. mpf) normalises the null vector."""

    def __init__(self, space, block, c):
        self.space, self.block, self.c = space, block, list(c)
        self.n, self.m = space.dim, block.m

    def _directional(self, jctx, x, v, k, j):
        n = self.n
        xs = [Jet(xi, 0, 1 if i == j else 0, 0) for i, xi in enumerate(x)]
        ks = Jet(k, 0, 1 if j == n else 0, 0)
        grad = [Jet.lift(g) for g in self.space.compiled["grad"](jctx, *xs, ks)]
        return grad, self.block.apply(jctx, xs, ks, v)

    def residual(self, base: Any, x: Sequence, v: Sequence, k: Any) -> list:
        grad, Mv = self._directional(JetContext(base), x, v, k, None)
        # c enters through the base context: an mpf times an arb is an mpf (a point: the radius lost)
        return [g.a for g in grad] + [h.b for h in Mv] + [sum((base.convert(ci) * vi for ci, vi in zip(self.c, v)), 0) - 1]

    def jacobian(self, base: Any, x: Sequence, v: Sequence, k: Any) -> list[list]:
        """DF at (x, v, k) (base numbers; balls give an enclosure over the box), row-major lists."""
        n, m = self.n, self.m
        N = n + m + 1
        jctx = JetContext(base)
        J = [[0] * N for _ in range(N)]
        for j in range(n + 1):
            grad, Mv = self._directional(jctx, x, v, k, j)
            col = j if j < n else n + m
            for i in range(n):
                J[i][col] = grad[i].c
            for a in range(m):
                J[n + a][col] = Mv[a].d
        xs = [Jet(xi) for xi in x]
        ks = Jet(k)
        for b in range(m):
            Mb = self.block.apply(jctx, xs, ks, [1 if t == b else 0 for t in range(m)])
            for a in range(m):
                J[n + a][n + b] = Mb[a].b
        for b in range(m):
            J[n + m][n + b] = base.convert(self.c[b])
        return J

    def newton(self, x: Sequence, v: Sequence, k: Any, dps: int, maxit: int = 30) -> tuple[list, list, Any]:
        """Newton's method at ``dps`` digits from (x, v, k); returns (x, v, k) as mpf lists / mpf."""
        n, m = self.n, self.m
        base = get_context("mpmath")
        with mpmath.workdps(dps):
            z = [mpmath.mpf(t) for t in list(x) + list(v) + [k]]
            tol = mpmath.mpf(10) ** (-(dps - 8))
            for _ in range(maxit):
                xs, vs, ks = z[:n], z[n:n + m], z[-1]
                F = self.residual(base, xs, vs, ks)
                J = self.jacobian(base, xs, vs, ks)
                try:
                    dz = mpmath.lu_solve(mpmath.matrix(J), mpmath.matrix(F))
                except ZeroDivisionError:
                    raise NotConverged("the extended system is singular at the Newton iterate") from None
                z = [a - dz[i] for i, a in enumerate(z)]
                if max(abs(dz[i]) for i in range(len(z))) < tol * (1 + max(abs(t) for t in z)):
                    return z[:n], z[n:n + m], z[-1]
        raise NotConverged(f"Newton on the extended system did not converge near k = {float(k):.6g}")

    def krawczyk(self, x: Sequence, v: Sequence, k: Any, radius: Any, prec: int, digits: int = 30) -> Proof:
        """The Krawczyk test on the box of radius ``radius`` around (x, v, k) (exact binary
        numbers, e.g. mpf), at ``prec`` bits.  Returns a :class:`Proof`."""
        n, m = self.n, self.m
        N = n + m + 1
        ar = get_context("arb")
        with flint_ctx.workprec(prec):
            zc = [ar.convert(t) for t in list(x) + list(v) + [k]]
            rad = ar.convert(mpmath.mpf(radius))
            Z = [t + arb(0, rad) for t in zc]
            try:
                F = self.residual(ar, zc[:n], zc[n:n + m], zc[-1])
                JZ = self.jacobian(ar, Z[:n], Z[n:n + m], Z[-1])
            except (ZeroDivisionError, ValueError) as exc:
                return Proof(False, f"the extended system cannot be enclosed on the box ({exc})", radius, prec)
            JZ = [[ar.convert(e) for e in row] for row in JZ]
            F = [ar.convert(e) for e in F]
            if not all(e.is_finite() for e in F) or not all(e.is_finite() for row in JZ for e in row):
                return Proof(False, f"the residual or the Jacobian is not finite on the box (ball arithmetic at "
                             f"{prec} bits: a square root or atan2 of a ball reaching 0, or too little precision)",
                             radius, prec)
            with mpmath.workprec(prec):
                Jmid = mpmath.matrix([[ball_mid(e) for e in row] for row in JZ])
                try:
                    Cm = mpmath.inverse(Jmid)
                except ZeroDivisionError:
                    return Proof(False, "the Jacobian of the extended system is singular at the centre", radius, prec)
                C = arb_mat([[ar.convert(Cm[i, j]) for j in range(N)] for i in range(N)])
            Id = arb_mat([[1 if i == j else 0 for j in range(N)] for i in range(N)])
            D = arb_mat([[Z[i] - zc[i]] for i in range(N)])
            Kx = -(C * arb_mat([[f] for f in F])) + (Id - C * arb_mat(JZ)) * D
            worst = max(Kx[i, 0].abs_upper() for i in range(N))
            contraction = float(ball_mid(worst / rad))
            ok = all(Kx[i, 0].abs_upper() < rad for i in range(N))
            box = [zc[i] + Kx[i, 0] for i in range(N)]
        if ok:
            proof = Proof(True, "Krawczyk: K(Z) lies inside the box Z, so Z holds exactly one solution of the "
                          "extended system, and it lies in K(Z)", radius, prec, box[-1], box, contraction, digits)
            proof.Z, proof.jacobian = Z, JZ
            return proof
        return Proof(False, f"Krawczyk: K(Z) is not inside Z (contraction {contraction:.3g} >= 1)", radius, prec,
                     contraction=contraction, digits=digits)

    def prove(self, x: Sequence, v: Sequence, k: Any, digits: int, wdps: int) -> Proof:
        """Krawczyk on boxes of radius 10^-(digits+10), 10^-(digits+5), 10^-(wdps-10) around the
        Newton solution (x, v, k) at ``wdps`` digits; the first that succeeds (or the last failure)."""
        prec = int(wdps * 3.33) + 64
        for e in (digits + 10, digits + 5, wdps - 10):
            proof = self.krawczyk(x, v, k, mpmath.mpf(10) ** (-e), prec, digits)
            if proof.ok:
                break
        return proof


# ---------------------------------------------------------------------------------------------
# printing balls


def _exact(b):
    """An exact arb (a midpoint or a radius) as a Fraction."""
    m, e = b.man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def _ends(b):
    """The exact ends (Fractions) of a ball: midpoint ∓ radius (both exact binary numbers)."""
    mid, rad = _exact(b.mid()), _exact(b.rad())
    return mid - rad, mid + rad


def _format(n, E, D):
    """The decimal n · 10^(E − D + 1) with its digits."""
    sign, s = ("-", str(-int(n))) if n < 0 else ("", str(int(n)))
    q = E - D + 1
    if q >= 0:
        return sign + s + "0" * q
    s = s.rjust(1 - q, "0")
    return sign + s[:q] + "." + s[q:]


def _exponent(f):
    E = math.floor(math.log10(float(f))) if f > 0 else 0
    while Fraction(10) ** E > f:
        E -= 1
    while Fraction(10) ** (E + 1) <= f:
        E += 1
    return E


def ball_digits(b: arb | None, digits: int) -> str | None:
    """The digits of the ball ``b`` that it guarantees, at most ``digits`` (the one rule,
    :func:`symcrit.core.rings.arb_str`: the printed decimal is within half a unit of its last digit of
    every point of the ball); None when not even one digit is determined, the ball is not finite or
    it contains 0."""
    if b is None or not b.is_finite():
        return None
    text = arb_str(b, digits)
    return None if text.startswith("±") or text == "0" else text


def ball_bounds(b: arb, digits: int) -> tuple[str, str]:
    """(lower, upper) decimal strings with ``digits`` significant digits, rounded outwards: the
    interval they bound contains the ball."""
    lo, hi = _ends(b)
    out = []
    for f, rnd in ((lo, math.floor), (hi, math.ceil)):
        E = _exponent(abs(f)) if f != 0 else 0
        s = Fraction(10) ** (digits - 1 - E)
        out.append(_format(rnd(f * s), E, digits))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# folds


def null_vector(Jm: Any) -> list:
    """The right singular vector of the smallest singular value (mpmath matrix)."""
    U, S, V = mpmath.svd_r(Jm)
    n = Jm.rows
    return [V[n - 1, i] for i in range(n)]


class FoldProof(Proof):
    """A :class:`Proof` for a fold, with ``x``, ``null`` (mpf: the Newton solution), ``k_mid`` (mpf),
    ``quadratic`` (the ball k₂ in k − k* ≈ k₂ t² along the branch x* + t φ) and ``side``
    ('above' / 'below': where the two nearby critical points are; None when the sign of k₂ is not
    decided)."""

    def __init__(self, proof: Proof, x: list, null: list, k_mid: Any):
        self.__dict__.update(proof.__dict__)
        self.x, self.null, self.k_mid = x, null, k_mid
        self.quadratic: Any = None
        self.side: str | None = None


def prove_fold(space: Any, x: Sequence, k: Any, digits: int = 30) -> FoldProof:
    """The fold of ``space``'s branch near (x, k): Newton on (G = 0, J φ = 0, cᵀφ = 1) at
    digits + 25 digits, the Krawczyk proof, and the side, from the sign of
    k₂ = −ψᵀ G_xx[φ, φ] / (2 ψᵀ G_k) with ψ = D φ (D the orbit sizes: D J is the symmetric reduced
    Hessian, so ψ is the left null vector) evaluated in balls over the proven box.
    Returns a :class:`FoldProof`."""
    if digits < 10:
        raise PrecisionError(f"digits must be at least 10, got {digits}")
    wdps = digits + 25
    n = space.dim
    with mpmath.workdps(wdps):
        x = [mpmath.mpf(t) for t in x]
        k = mpmath.mpf(k)
        flat = space.jacobian_function("mpmath")(x, k)
        phi = null_vector(mpmath.matrix([flat[i * n:(i + 1) * n] for i in range(n)]))
        nrm = sum(p * p for p in phi)
        c = [+(p / nrm) for p in phi]
    system = ExtendedSystem(space, JacobianBlock(space), c)
    xs, phis, ks = system.newton(x, phi, k, wdps)
    proof = FoldProof(system.prove(xs, phis, ks, digits, wdps), xs, phis, ks)
    if proof.ok:
        with flint_ctx.workprec(proof.prec):
            ar = get_context("arb")
            X, P, Kb = proof.box[:n], proof.box[n:2 * n], proof.box[-1]
            jctx = JetContext(ar)
            # G_xx[φ, φ]: ε₁ = ε₂ = φ; G_k: ε₂ = ∂/∂k
            g2 = space.compiled["grad"](jctx, *[Jet(xi, p, p, 0) for xi, p in zip(X, P)], Jet(Kb))
            gk = space.compiled["grad"](jctx, *[Jet(xi) for xi in X], Jet(Kb, 0, 1, 0))
            D = [poly_at(o, Kb) for o in space.orbit_sizes]
            num = sum((d * p * Jet.lift(g).d for d, p, g in zip(D, P, g2)), arb(0))
            den = sum((d * p * Jet.lift(g).c for d, p, g in zip(D, P, gk)), arb(0))
            k2 = -num / (2 * den)
        proof.quadratic = k2
        proof.side = "above" if k2 > 0 else "below" if k2 < 0 else None
    return proof
