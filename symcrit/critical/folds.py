r"""Folds of branches of critical points in real k: where a branch turns back (a saddle-node).

A branch of critical points of a fixed-point space is a curve in (x, k).  At a *fold* the reduced
Jacobian J = ∂G/∂x is singular and the curve turns back in k: on one side of k* the branch has two
critical points close together, on the other side none.  In the Hessian this is a zero eigenvalue
of the trivial isotypic component (the reduced Hessian is J symmetrised by the orbit sizes).

* :func:`trace_branch` follows a branch through its folds by pseudo-arclength continuation in
  (x, k) (float64): a natural-parameter continuation in k (as :class:`~symcrit.critical.families.Family`
  uses) stops at the first fold, this one passes it and turns with the branch.
* :func:`refine_fold` solves the extended system G(x, k) = 0, g(x, k) = 0 by Newton's method, where
  g is the bordering scalar of J (zero exactly where J is singular:
  [[J, b], [cᵀ, 0]] (v, g) = (0, 1) with b, c near the left and right null vectors), to any
  number of digits, and checks it: the same k* at a second precision (15 more digits); on the
  side where the branch exists, two critical points at k* ± 10^-(digits-5), each proved by the
  Krawczyk test (disjoint boxes: two zeros), with reduced Jacobian determinants of opposite sign;
  Newton started on the other side does not find a zero near the fold.

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


import mpmath
import numpy as np

from symcrit.core.errors import BranchEnded, NotConverged, PrecisionError
from symcrit.core.newton import newton, newton_system

__all__ = ["Fold", "trace_branch", "refine_fold", "folds"]


class Fold:
    """A fold of a branch: ``k`` (mpf), the point ``x`` (mpf list) and the null vector ``null``
    of the reduced Jacobian there; ``side`` ('above' / 'below': where the two nearby critical
    points are); ``checks``: the independent checks and their outcome."""

    def __init__(self, space, k, x, null, digits, side, checks):
        self.space, self.k, self.x, self.null = space, k, x, null
        self.digits, self.side, self.checks = digits, side, checks

    @property
    def certified(self):
        c = self.checks
        return bool(c.get("two_precisions_agree") and c.get("two_certified_zeros") and c.get("det_signs_differ"))

    def k_str(self, digits=None):
        return mpmath.nstr(self.k, digits or self.digits)

    def to_dict(self):
        d = {"k": self.k_str(), "kind": "fold", "component": "trivial", "side": self.side,
             "direction": f"two critical points for k {'>' if self.side == 'above' else '<'} k*, none on the other side",
             "x": [mpmath.nstr(v, self.digits) for v in self.x],
             "params": [str(p) for p in self.space.params], "certified": self.certified}
        d.update({key: (mpmath.nstr(v, 5) if isinstance(v, mpmath.mpf) else v) for key, v in self.checks.items()})
        d["arms"] = getattr(self, "arms", [])
        return d

    def __repr__(self):
        return f"<Fold of {self.space!r} at k = {self.k_str(15)} ({self.side}; certified: {self.certified})>"


# ---------------------------------------------------------------------------------------------
# pseudo-arclength continuation in float64


def _float_system(space):
    G = space.gradient_function("float")
    J = space.jacobian_function("float")
    n = space.dim

    def F(y):
        return np.array(G(list(y[:n]), float(y[n])), dtype=float)

    def DF(y):
        Jx = np.array(J(list(y[:n]), float(y[n])), dtype=float).reshape(n, n)
        eps = 1e-6 * max(1.0, abs(y[n]))
        dk = (F(np.r_[y[:n], y[n] + eps]) - F(np.r_[y[:n], y[n] - eps])) / (2 * eps)
        return np.c_[Jx, dk]

    return F, DF


def trace_branch(space, x0, k0, k_lo=2.0, k_hi=20.0, h=0.02, max_steps=20000):
    """Follow the branch through (x0, k0) in both directions by pseudo-arclength continuation.

    Returns ``{"points": [(k, x)], "brackets": [(k, x)], "ends": [why, why]}``: the points in order
    along the branch (float64), the points in [k_lo, k_hi] where k turned (fold candidates), and
    why each end stopped ('range': k left [k_lo, k_hi], widened to contain k0; 'stuck': the
    corrector failed, e.g. at the edge of the domain where two rows align).
    """
    n = space.dim
    F, DF = _float_system(space)
    with np.errstate(all="ignore"):
        # polish the starting point (it may be given to a few digits)
        x0, _, _ = newton(space, [float(v) for v in x0], float(k0), backend="float")
        x0 = np.array(x0, dtype=float)
        y0 = np.r_[x0, float(k0)]
        t0 = np.linalg.svd(DF(y0))[2][-1]
        halves, ends = [], []
        for direction in (-1, 1):
            y, t, step = y0, t0 * np.sign(t0[n]) * direction, h
            pts, brackets, why = [], [], "steps"
            for _ in range(max_steps):
                yp = y + step * t
                # corrector: Newton on (F(z), (z - yp)·t) = 0, converged when the step is below 1e-12
                try:
                    z, _, _ = newton_system(lambda z: np.r_[F(np.asarray(z)), (np.asarray(z) - yp) @ t],
                                            lambda z: np.r_[DF(np.asarray(z)), t[None, :]], yp.copy(), "float", tol=0,
                                            maxit=20, step_tol=1e-12, relative_step=False, stall=False,
                                            final_residual=False)
                    z, ok = np.array(z, dtype=float), True
                except (NotConverged, BranchEnded):
                    ok = False
                if not ok:
                    step /= 2
                    if step < 1e-8:
                        why = "stuck"
                        break
                    continue
                tn = np.linalg.svd(DF(z))[2][-1]
                tn = tn if tn @ t >= 0 else -tn
                if tn @ t < 0.95 or np.max(np.abs(z - yp)) > step / 4:
                    # the tangent turned too far, or the corrector went far from the predictor:
                    # the step may have jumped to a nearby arm; take a smaller one
                    step /= 2
                    if step < 1e-8:
                        why = "stuck"
                        break
                    continue
                if tn[n] * t[n] < 0:
                    # k turned: keep the point of the pair with the smaller |dk/ds|
                    brackets.append((float(z[n]), z[:n].copy()) if abs(tn[n]) < abs(t[n]) else (float(y[n]), y[:n].copy()))
                y, t = z, tn
                pts.append((float(y[n]), y[:n].copy()))
                step = min(step * 1.3, h * max(1.0, y[n] / 10))
                if not (min(k_lo, k0) <= y[n] <= max(k_hi, k0)):
                    why = "range"
                    break
            halves.append((pts, brackets))
            ends.append(why)
    (p0, b0), (p1, b1) = halves
    brackets = [b for b in b0[::-1] + b1 if k_lo <= b[0] <= k_hi]
    return {"points": p0[::-1] + [(float(k0), x0)] + p1, "brackets": brackets, "ends": ends}


# ---------------------------------------------------------------------------------------------
# the extended system, in mpmath


def _bordered(Jm, b, c):
    n = Jm.rows
    M = mpmath.matrix(n + 1, n + 1)
    for i in range(n):
        for j in range(n):
            M[i, j] = Jm[i, j]
        M[i, n] = b[i]
        M[n, i] = c[i]
    rhs = mpmath.matrix(n + 1, 1)
    rhs[n] = 1
    sol = mpmath.lu_solve(M, rhs)
    return [sol[i] for i in range(n)], sol[n]


def _jac(space, x, k):
    n = space.dim
    flat = space.jacobian_function("mpmath")(x, k)
    return mpmath.matrix([flat[i * n:(i + 1) * n] for i in range(n)])


def _null_vectors(Jm):
    U, S, V = mpmath.svd_r(Jm)
    n = Jm.rows
    return [U[i, n - 1] for i in range(n)], [V[n - 1, i] for i in range(n)]


def _newton_fold(space, x, k, wdps, maxit=40):
    """Newton on (G, g) = 0 at wdps digits; returns (x, k, null vector)."""
    n = space.dim
    G = space.gradient_function("mpmath")
    with mpmath.workdps(wdps):
        x = [mpmath.mpf(v) for v in x]
        k = mpmath.mpf(k)
        b, c = _null_vectors(_jac(space, x, k))
        h = mpmath.mpf(10) ** (-(wdps // 2 + 2))

        def ext(y):
            xx, kk = y[:n], y[n]
            v, g = _bordered(_jac(space, xx, kk), b, c)
            return list(G(xx, kk)) + [g]

        def jac(y):
            Jm = mpmath.matrix(n + 1, n + 1)
            Jx = _jac(space, y[:n], y[n])
            for j in range(n + 1):
                yp, ym = list(y), list(y)
                yp[j] += h
                ym[j] -= h
                fp, fm = ext(yp), ext(ym)
                for i in range(n + 1):
                    Jm[i, j] = Jx[i, j] if (i < n and j < n) else (fp[i] - fm[i]) / (2 * h)
            return Jm

        # converged when the step is below 10^-(wdps-8) relative to |y| (no residual test)
        try:
            y, _, _ = newton_system(ext, jac, x + [k], "mpmath", tol=0, maxit=maxit,
                                    step_tol=mpmath.mpf(10) ** (-(wdps - 8)), stall=False, final_residual=False)
        except NotConverged:
            raise NotConverged(f"Newton on the fold system did not converge near k = {float(k):.6g}") from None
        v, _ = _bordered(_jac(space, y[:n], y[n]), b, c)
        nv = mpmath.sqrt(sum(t * t for t in v))
        return y[:n], y[n], [t / nv for t in v]


def _det(space, x, k):
    return mpmath.det(_jac(space, x, k))


def refine_fold(space, x, k, digits=30):
    """The fold near (x, k) to ``digits`` digits, with its checks (see module doc)."""
    from symcrit.critical.certify import krawczyk

    if digits < 10:
        raise PrecisionError(f"digits must be at least 10, got {digits}")
    wdps = 2 * digits + 30
    x1, k1, phi = _newton_fold(space, x, k, wdps)
    x2, k2, _ = _newton_fold(space, x1, k1, wdps + 30)
    with mpmath.workdps(wdps + 30):
        agree = abs(k2 - k1)
    checks = {"k_difference_second_precision": agree,
              "two_precisions_agree": bool(agree < mpmath.mpf(10) ** (-(digits + 2)))}
    # which side has the two critical points: the curvature of k along the branch
    with mpmath.workdps(wdps):
        delta = mpmath.mpf(10) ** (-(digits - 5))
        eps = mpmath.sqrt(delta)
        sides = {}
        for sgn, name in ((1, "above"), (-1, "below")):
            kk = k2 + sgn * delta
            found = []
            for t in (1, -1):
                # on a fold x(k) - x* ≈ ±c √|k - k*| φ; search along φ at a few scales
                for scale in (1, 10, mpmath.mpf(1) / 10, 100):
                    start = [a + t * scale * eps * p for a, p in zip(x2, phi)]
                    try:
                        z, r, _ = newton(space, start, kk, maxit=40)
                    except Exception:
                        continue
                    if max(abs(a - b) for a, b in zip(z, x2)) < 1000 * eps and \
                            all(max(abs(a - b) for a, b in zip(z, f)) > eps / 100 for f in found):
                        found.append(z)
                        break
            sides[name] = (kk, found)
        side = max(sides, key=lambda s: len(sides[s][1]))
        other = "below" if side == "above" else "above"
        kk, pts = sides[side]
        checks["zeros_found_" + side] = len(pts)
        checks["zeros_found_" + other] = len(sides[other][1])
        certs, dets = [], []
        if len(pts) == 2:
            sep = max(abs(a - b) for a, b in zip(*pts))
            prec = int(wdps * 3.33) + 64
            # near a fold the Jacobian's smallest singular value is of the order of the separation,
            # so the box must be much smaller than it: try radii sep/10^3 … sep/10^9
            for e in (3, 5, 7, 9):
                radius = sep / mpmath.mpf(10) ** e
                certs = [krawczyk(space, p, kk, radius, prec) for p in pts]
                if all(c.ok for c in certs):
                    break
            dets = [_det(space, p, kk) for p in pts]
            checks["separation"] = sep
            checks["box_radius"] = radius
            checks["krawczyk"] = [c.reason for c in certs]
    checks["two_certified_zeros"] = bool(len(certs) == 2 and all(c.ok for c in certs))
    checks["det_signs_differ"] = bool(len(dets) == 2 and dets[0] * dets[1] < 0)
    checks["no_zero_on_other_side"] = checks["zeros_found_" + other] == 0
    with mpmath.workdps(digits + 10):
        f = Fold(space, +k2, [+v for v in x2], [+p for p in phi], digits, side, checks)
    f.arm_points = (kk, pts, wdps) if len(pts) == 2 else None
    f.arms = []  # filled by symcrit.spectra.hessian.attach_arm_spectra (spectra is a higher layer)
    return f


def folds(space, x0, k0, k_lo=2.0, k_hi=20.0, digits=30):
    """Every fold of the branch through the critical point (x0, k0) with k in [k_lo, k_hi], refined
    to ``digits`` digits and checked (:func:`refine_fold`), in increasing k."""
    tr = trace_branch(space, x0, k0, k_lo, k_hi)
    out = []
    for kb, xb in tr["brackets"]:
        f = refine_fold(space, list(xb), kb, digits)
        if not any(abs(f.k - g.k) < mpmath.mpf(10) ** (-digits // 2) for g in out):
            out.append(f)
    return sorted(out, key=lambda f: f.k)
