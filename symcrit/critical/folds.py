r"""Folds of branches of critical points in real k: where a branch turns back (a saddle-node).

A branch of critical points of a fixed-point space is a curve in (x, k).  At a *fold* the reduced
Jacobian J = ∂G/∂x is singular and the curve turns back in k: on one side of k* the branch has two
critical points close together, on the other side none.  In the Hessian this is a zero eigenvalue
of the trivial isotypic component (the reduced Hessian is J symmetrised by the orbit sizes).

* :func:`trace_branch` follows a branch through its folds by pseudo-arclength continuation in
  (x, k) (float64): a natural-parameter continuation in k (as :class:`~symcrit.critical.families.Family`
  uses) stops at the first fold, this one passes it and turns with the branch.
* :func:`refine_fold` solves the extended system G(x, k) = 0, J(x, k) φ = 0, cᵀφ = 1 in (x, φ, k)
  by Newton's method and *proves* it with the Krawczyk test in ball arithmetic
  (:func:`symcrit.critical.extended.prove_fold`): a box holds exactly one solution, so k* lies in
  a proven enclosure (a regular solution is a quadratic fold).  The side where the two nearby
  critical points are is the sign of k₂ = −ψᵀG_xx[φ, φ] / (2ψᵀG_k) (k − k* ≈ k₂ t² along the
  branch x* + tφ; ψ = Dφ the left null vector), evaluated in balls over the proven box: proven
  when the ball excludes 0.  On the other side there is no critical point near the fold (locally:
  the neighbourhood is not sized).  As an independent check, two critical points at k* ± 10^-(digits-5)
  on the proven side are each proved by the Krawczyk test, with determinants of opposite sign.

>>> from symcrit.symmetry.fixedpoint import fixed_point_space
>>> sp = fixed_point_space(["3", "k-3"])
>>> fs = folds(sp, [-0.512, 0.544, 0.179, 0.058, -0.821, 0.21], 10, k_lo=5, k_hi=8, digits=20)
>>> [f.k_str(12) for f in fs]
['5.57235257694', '7.03675830525']
>>> [f.side for f in fs], all(f.certified for f in fs)
(['above', 'below'], True)

So this Δ(S_3 × S_{k−3}) branch is S-shaped: for 5.5724 < k < 7.0368 (k = 6 and 7) it has three
critical points, coming in from k = ∞ on one arm and leaving towards k < 5.57 on the other.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import mpmath

from symcrit.core.errors import BranchEnded, NotConverged, PrecisionError
from symcrit.core.newton import newton
from symcrit.critical.continuation import arclength
from symcrit.critical.extended import ball_bounds, ball_digits, prove_fold

if TYPE_CHECKING:
    from symcrit.symmetry.fixedpoint import FixedPointSpace

__all__ = ["Fold", "trace_branch", "refine_fold", "folds"]


class Fold:
    """A fold of a branch: ``k`` (mpf, the Newton solution), the point ``x`` (mpf list) and the null
    vector ``null`` of the reduced Jacobian there; ``proof`` (the Krawczyk proof on the extended
    system, :func:`symcrit.critical.extended.prove_fold`); ``side`` ('above' / 'below': where the
    two nearby critical points are, from the proven sign of the quadratic coefficient; None if not
    decided); ``checks``: the proof's data and the independent checks (the arms)."""

    def __init__(self, space: FixedPointSpace, k: Any, x: list[Any], null: list[Any], digits: int,
                 side: str | None, checks: dict[str, Any]) -> None:
        self.space, self.k, self.x, self.null = space, k, x, null
        self.digits, self.side, self.checks = digits, side, checks
        self.proof: Any = None  # the ball proof (symcrit.critical.extended.prove_fold), once run

    @property
    def certified(self):
        """Proven: the extended system has exactly one solution in the box (Krawczyk) and the side
        is decided by the sign of the quadratic coefficient in balls."""
        return bool(self.proof is not None and self.proof.ok and self.side is not None)

    def k_str(self, digits: int | None = None) -> str | None:
        """The digits of k* the proven enclosure guarantees (at most ``digits``); None unless proven."""
        if self.proof is None or not self.proof.ok:
            return None
        return ball_digits(self.proof.k, digits or self.digits)

    @property
    def k_enclosure(self):
        return list(ball_bounds(self.proof.k, self.digits + 5)) if self.proof is not None and self.proof.ok else None

    @property
    def evidence(self):
        p = self.proof
        if p is None or not p.ok:
            return "not proven: " + (p.reason if p is not None else "no proof")
        parts = [f"Krawczyk on (G(x,k) = 0, J(x,k) φ = 0, c·φ = 1) in {2 * self.space.dim + 1} unknowns: the box "
                 f"of radius {mpmath.nstr(p.radius, 3)} holds exactly one solution (contraction {p.contraction:.2g}, "
                 f"{p.prec} bits): a quadratic fold"]
        if self.side is not None:
            parts.append(f"k₂ = {p.quadratic.str(5)} (k − k* ≈ k₂ t² along x* + tφ) has a proven sign: two critical "
                         f"points for k {'>' if self.side == 'above' else '<'} k*, none on the other side near the "
                         "fold (locally, by the implicit function theorem; the neighbourhood is not sized)")
        else:
            parts.append("the sign of the quadratic coefficient k₂ is not decided")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"k": self.k_str(), "k_enclosure": self.k_enclosure, "certified": self.certified,
             "evidence": self.evidence, "kind": "fold", "component": "trivial", "side": self.side,
             "direction": (f"two critical points for k {'>' if self.side == 'above' else '<'} k*, none on the other "
                           "side (near the fold)") if self.side else "side not decided",
             "x": [mpmath.nstr(v, 15) for v in self.x],
             "params": [str(p) for p in self.space.params]}
        d.update({key: (mpmath.nstr(v, 5) if isinstance(v, mpmath.mpf) else v) for key, v in self.checks.items()})
        d["arms"] = getattr(self, "arms", [])
        return d

    def to_latex(self, digits: int | None = None) -> str:
        """The fold in LaTeX: k* to its digits, the side with two critical points, the point."""
        import sympy

        from symcrit.core.tex import tex_number
        dig = digits or self.digits
        pts = ", ".join(f"{sympy.latex(p)} = {tex_number(v, min(dig, 15))}" for p, v in zip(self.space.params, self.x))
        return (f"k^* = {tex_number(self.k, dig)}\\quad(\\text{{two critical points for }} k "
                f"{'>' if self.side == 'above' else '<'} k^*\\text{{; certified: {'yes' if self.certified else 'no'}}})"
                f"\\\\ {pts}")

    def _repr_latex_(self):
        return "$$" + self.to_latex() + "$$"

    def __repr__(self):
        return f"<Fold of {self.space!r} at k = {self.k_str(15)} ({self.side}; certified: {self.certified})>"


# ---------------------------------------------------------------------------------------------
# pseudo-arclength continuation (symcrit.critical.continuation)


def trace_branch(space: FixedPointSpace, x0: Sequence[Any], k0: Any, k_lo: float = 2.0, k_hi: float = 20.0,
                 h: float = 0.02, max_steps: int = 20000) -> dict[str, Any]:
    """Follow the branch through (x0, k0) in both directions by pseudo-arclength continuation
    (:func:`symcrit.critical.continuation.arclength`, float64).

    Returns ``{"points": [(k, x)], "brackets": [(k, x)], "ends": [why, why]}``: the points in order
    along the branch (float64), the points in [k_lo, k_hi] where k turned (fold candidates), and
    why each end stopped ('range': k left [k_lo, k_hi], widened to contain k0; 'stuck': the
    corrector failed, e.g. at the edge of the domain where two rows align).
    """
    res = arclength(space, x0, k0, k_lo, k_hi, h=h, max_steps=max_steps)
    return {"points": res.points, "brackets": res.brackets, "ends": res.ends}


# ---------------------------------------------------------------------------------------------
# the extended system: proven by symcrit.critical.extended


def _jac(space, x, k):
    n = space.dim
    flat = space.jacobian_function("mpmath")(x, k)
    return mpmath.matrix([flat[i * n:(i + 1) * n] for i in range(n)])


def _det(space, x, k):
    return mpmath.det(_jac(space, x, k))


def refine_fold(space, x, k, digits=30):
    """The fold near (x, k), proven (see module doc), with the two arms as a check."""
    from symcrit.critical.certify import krawczyk

    if digits < 10:
        raise PrecisionError(f"digits must be at least 10, got {digits}")
    proof = prove_fold(space, x, k, digits)
    x2, k2, phi = proof.x, proof.k_mid, proof.null
    side = proof.side
    checks = {"krawczyk": proof.reason, "box_radius": proof.radius,
              "contraction": proof.contraction, "precision_bits": proof.prec,
              "quadratic_coefficient": proof.quadratic.str(5) if proof.quadratic is not None else None,
              "side_proven": side is not None}
    wdps = digits + 25
    pts, kk = [], None
    if side is not None:
        # the arms (checked, an independent route): two critical points at k* ± δ on the proven side,
        # x(k) - x* ≈ ±c √|k - k*| φ; each proved by the Krawczyk test, determinants of opposite sign
        with mpmath.workdps(wdps):
            nphi = mpmath.sqrt(sum(p * p for p in phi))
            phi = [p / nphi for p in phi]
            delta = mpmath.mpf(10) ** (-(digits - 5))
            eps = mpmath.sqrt(delta)
            kk = k2 + (delta if side == "above" else -delta)
            for t in (1, -1):
                for scale in (1, 10, mpmath.mpf(1) / 10, 100):
                    start = [a + t * scale * eps * p for a, p in zip(x2, phi)]
                    try:
                        z, r, _ = newton(space, start, kk, maxit=40)
                    except (NotConverged, BranchEnded, ZeroDivisionError):
                        continue
                    if max(abs(a - b) for a, b in zip(z, x2)) < 1000 * eps and \
                            all(max(abs(a - b) for a, b in zip(z, f)) > eps / 100 for f in pts):
                        pts.append(z)
                        break
    certs, dets = [], []
    if len(pts) == 2:
        sep = max(abs(a - b) for a, b in zip(*pts))
        prec = int(wdps * 3.33) + 64
        # near a fold the Jacobian's smallest singular value is of the order of the separation,
        # so the box must be much smaller than it: try radii sep/10^3 … sep/10^9
        with mpmath.workdps(wdps):  # krawczyk takes k through mpmath.mpf: at this precision
            for e in (3, 5, 7, 9):
                radius = sep / mpmath.mpf(10) ** e
                certs = [krawczyk(space, p, kk, radius, prec) for p in pts]
                if all(c.ok for c in certs):
                    break
            dets = [_det(space, p, kk) for p in pts]
        checks["arm_separation"] = sep
    checks["arms_found"] = len(pts)
    checks["two_certified_zeros"] = bool(len(certs) == 2 and all(c.ok for c in certs))
    checks["det_signs_differ"] = bool(len(dets) == 2 and dets[0] * dets[1] < 0)
    with mpmath.workdps(digits + 10):
        f = Fold(space, +k2, [+v for v in x2], [+p for p in phi], digits, side, checks)
    f.proof = proof
    f.arm_points = (kk, pts, wdps) if len(pts) == 2 else None
    f.arms = []  # filled by symcrit.spectra.crossings.attach_arm_spectra (spectra is a higher layer)
    return f


def folds(space: FixedPointSpace, x0: Sequence[Any], k0: Any, k_lo: float = 2.0, k_hi: float = 20.0,
          digits: int = 30) -> list[Fold]:
    """Every fold of the branch through the critical point (x0, k0) with k in [k_lo, k_hi], refined
    to ``digits`` digits and checked (:func:`refine_fold`), in increasing k."""
    tr = trace_branch(space, x0, k0, k_lo, k_hi)
    out: list[Fold] = []
    for kb, xb in tr["brackets"]:
        f = refine_fold(space, list(xb), kb, digits)
        if not any(abs(f.k - g.k) < mpmath.mpf(10) ** (-digits // 2) for g in out):
            out.append(f)
    return sorted(out, key=lambda f: f.k)
