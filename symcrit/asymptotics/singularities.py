r"""The singularities of a family's branch x(s) in the complex s-plane, which decide where its
series in s = k^(-1/2) converges.

A family is a branch x(s) of zeros of the entry gradient G(x, k), k = s^-2.  Its power series at
s = 0 converges in the largest disc |s| < R into which x(s) continues analytically; R is the
distance to the nearest singularity.  This module

1. **continues** the branch from a real point (k = 100) into the complex s-plane along paths
   (an arc |s| = s0 to the angle α, then the ray of angle α outwards), with a predictor-corrector
   in double precision; the branches of every square root, arctangent and |·| of the kernel are
   carried along the path (:class:`symcrit.core.branches.BranchContext`);
2. **locates** candidate singularities: on a grid of rays, where the smallest singular value of
   the Jacobian J(x(s), s) is smallest (a fold: J becomes singular), also where the continuation
   itself fails (a branch point of the kernel: a square-root argument S or |u|²|v|² → 0);
3. **refines** a fold by Newton's method on the extended system G(x, s) = 0, J(x, s) φ = 0,
   cᵀφ = 1 (unknowns x, φ ∈ Cⁿ, s ∈ C; derivatives by dual numbers) at 50 digits;
4. **proves** it: the Krawczyk test in ball arithmetic (python-flint ``acb``), in the real
   2(2n+1)-dimensional form of the extended system (Re, Im of every unknown; Cauchy–Riemann gives
   the real Jacobian from the complex one).  Success proves that the box holds exactly one zero
   of the extended system and that its Jacobian is invertible there, so the zero is a
   nondegenerate (quadratic) turning point: the solution set near it is a smooth curve
   on which s - s_c vanishes to second order, x(s) = x_c ± φ·c·(s - s_c)^(1/2) + …, a square-root
   branch point;
5. **checks** (not proves) that the branch x(s) of the family is one of the two sheets that meet
   there (continuation along the ray to |s_c|(1 - 10^-3), then Newton on the extended system from
   that point returns to the same s_c), and that no singularity is nearer (continuation along
   every ray of the grid succeeds up to |s_c|(1 - 10^-3)).  The growth of the series
   coefficients (Padé poles, ratio) is a cross-check, never the verdict.
6. **proves** analyticity on the annulus r0 <= |s| <= r = R(1 - ε) (:func:`prove_disc`): a
   covering by discs, on each a Krawczyk test with Taylor models of degree 24
   (:func:`disc_krawczyk`, :mod:`symcrit.core.taylor`: one analytic zero x(s) within eps of the
   Taylor polynomial P(s - s0) for every s in the disc), the discs glued along every intersection
   (a pointwise Krawczyk enclosure of one branch inside the other's polydisc, and the same branch
   of every sqrt/atan2 there), the covering checked exactly (polar cells, each inside its disc),
   the mirror image by reflection, and the family's real branch identified at k = 25.  The
   first-order parametric boxes this replaces passed only at half-widths of 1e-7 to 4e-6 (about
   3e11 boxes for sk1); the Taylor-model discs have radii from ~1e-3 (near the fold) to ~0.06:
   250 discs and 2 minutes for sk from r0 = r/8 (141 discs and 26 s from r0 = 0.2, where the
   inner disc reaches: item 7).  The discs cannot reach the inner disc |s| < r0: k = s^-2
   has its pole at s = 0, where their radii (a fraction of |s|) shrink to nothing;
7. **proves** analyticity on the inner disc |s| <= r0 in the series engine's coordinates
   x = x∞ + s^m y (:func:`symcrit.asymptotics.innerdisc.prove_inner_disc`: valuation-form
   Taylor models, :mod:`symcrit.core.vtaylor`, of H = T·G, its negative powers dropped by the
   structure proof, and a parametric Krawczyk test), and glues it to the annulus
   (:func:`_glue_inner`).  With both, x(s) is analytic on the closed disc |s| <= r, the series is
   its Taylor series (the certified y(0) is in the inner polydisc), R >= r is proven and the
   Cauchy tail bound (:func:`tail_bound`) is proven for every k >= k0.  Without the inner disc,
   "no nearer singularity" is proven on the annulus and *checked* inside it.
8. **proves** that the fold lies on the family's branch (:func:`_fold_link`, run by
   :func:`prove_disc` after the whole disc is proven), which item 5 only checks: the solution curve
   (x(t), s(t)) through the fold, t = ℓ·(x - x_c), proven analytic on a disc |t| <= τ by a
   Taylor-model Krawczyk test (:func:`curve_krawczyk`), s'(t) with exactly one zero t_c there
   (Rouché), |s(t)| < |s(t_c)| on the segment from t_c to a point t*, and x(t*) glued to a proven
   disc over s(t*) (discs chained along the ray from |s| = r towards the fold where needed).  Then
   x(s) is not analytic at s_c = s(t_c): R <= |s_c| is proven, and with item 7, R lies in the proven
   interval [r, |s_c|] (``radius_proven`` of :func:`with_analyticity`).  For sk: τ = 0.1, 11 chain
   discs, 3 s.
9. **proves** R = |s_c| (:func:`prove_disc` with ``exact``, :func:`_exact_radius`): first the curve
   through the fold and the radius ρ' of the disc |s - s_c| <= ρ' that it covers with exactly two
   sheets (Rouché: s(t) - s has exactly two zeros in |t| < τ2; :func:`_fold_curve`,
   :func:`_rouche_cover`), then the covering extended to r <= |s| <= |s_c| + ρ_c/2 except the disc
   |s - s_c| < ρ_c, ρ_c = :data:`EXACT_HOLE` ρ' (open to the outside so that no disc chain encircles the
   square-root point), glued to one sheet at s(t*), |s(t*) - s_c| ≈ :data:`EXACT_GLUE` ρ'.  (A hole
   fixed at 1e-3 |s_c| failed for s2: its glue point, at |t*| = 0.6 τ, fell 1 % inside the hole.)
   For sk: ρ' = 1.10e-3, 314 discs; s2: ρ' = 5.48e-4, 384 discs, R = |s_c| in
   [0.28222646990993, 0.28222646990994].  The outcome, and the first step that failed, is
   ``exact_radius`` of :func:`prove_disc`; :func:`radius_outcome` renders what is proven about R.

The complex conjugate s̄_c is a singularity as well (proven from the first: the formulas have real
coefficients and the branch is real for real s; Schwarz reflection).

>>> from symcrit.critical.families import family
>>> res = singularities(family("sk1"))                       # doctest: +SKIP
>>> res["radius"][:12], res["singularities"][0]["kind"]      # doctest: +SKIP
('0.3165...', 'fold (square-root branch point)')
"""
from __future__ import annotations

import cmath
import functools
import math
from typing import Any

import mpmath
import numpy as np
from flint import acb, acb_mat, arb, arb_mat, ctx as flint_ctx

from symcrit.core.branches import BranchContext, convert_refs
from symcrit.core.dual import Dual, DualOver
from symcrit.core.errors import BranchLost, NotConverged
from symcrit.core.laurent import ball_mid, ball_str
from symcrit.critical.continuation import along

__all__ = ["singularities", "decimal_bound", "BranchSystem", "continue_path", "ray_scan", "circle_check", "tail_bound", "locate_fold",
           "refine_fold", "certify_fold", "pade_poles", "taylor_branch", "disc_krawczyk", "prove_disc", "with_analyticity",
           "fold_curve_taylor", "curve_krawczyk", "radius_outcome", "k_interval"]

S0 = 0.1          # the real point (k = 100) where continuation starts
DELTA = 1e-3      # rays are checked up to |s_c| (1 - DELTA)
CIRCLE = 0.99     # the circle check runs on |s| = CIRCLE·|s_c|
CIRCLE_M = 2048   # with this many points (aliasing ≈ CIRCLE^(3M/4) ≈ 2e-7)


# ---------------------------------------------------------------------------------------------
class BranchSystem:
    """The reduced system of a family as analytic functions of (x, s), k = s^-2, with the branches
    of the kernel carried in references (one list per compiled formula: 'grad', 'jac')."""

    def __init__(self, space) -> None:
        self.space = space
        self.n = space.dim

    def call(self, what: str, base: str, refs: dict | None, x: list, s, near: float | None = None, ctx=None) -> tuple:
        bctx = BranchContext(base, None if refs is None else refs[what], near)
        c = bctx if ctx is None else ctx(bctx)
        k = 1 / (s * s)
        out = self.space.compiled[what](c, *x, k)
        return out, bctx.references()

    def gj(self, base: str, refs: dict | None, x: list, s, near: float | None = None) -> tuple:
        """G, J (n×n row-major) and the references recorded at (x, s)."""
        g, rg = self.call("grad", base, refs, x, s, near)
        j, rj = self.call("jac", base, refs, x, s, near)
        return g, j, {"grad": rg, "jac": rj}

    def extended(self, base: str, refs: dict, x: list, phi: list, s, c: list, jacobian: bool = True) -> tuple:
        """The fold system F = (G, Jφ, cᵀφ - 1) and (optionally) its Jacobian in (x, φ, s), as
        lists of numbers of ``base`` (row-major, N = 2n + 1)."""
        n = self.n
        b = BranchContext(base).base
        g, j, _ = self.gj(base, refs, x, s)
        Jphi = [sum((j[i * n + l] * phi[l] for l in range(n)), b.convert(0)) for i in range(n)]
        F = list(g) + Jphi + [sum((ci * p for ci, p in zip(c, phi)), b.convert(0)) - 1]
        if not jacobian:
            return F, None
        N = 2 * n + 1
        D = [[b.convert(0)] * N for _ in range(N)]
        for i in range(n):
            for l in range(n):
                D[i][l] = j[i * n + l]
                D[n + i][n + l] = j[i * n + l]
        for l in range(n):
            D[2 * n][n + l] = b.convert(c[l])

        def dual_call(what, xs, ss):
            out, _ = self.call(what, base, refs, xs, ss, ctx=DualOver)
            return [o.du if isinstance(o, Dual) else b.convert(0) for o in out]

        zero = b.convert(0)
        xd = [Dual(v, zero) for v in x]
        sd = Dual(s, b.convert(1))
        gs = dual_call("grad", xd, sd)
        js = dual_call("jac", xd, sd)
        for i in range(n):
            D[i][2 * n] = gs[i]
            D[n + i][2 * n] = sum((js[i * n + l] * phi[l] for l in range(n)), zero)
        for m in range(n):
            xm = [Dual(v, b.convert(1) if t == m else zero) for t, v in enumerate(x)]
            jm = dual_call("jac", xm, Dual(s, zero))
            for i in range(n):
                D[n + i][m] = sum((jm[i * n + l] * phi[l] for l in range(n)), zero)
        return F, D


# ---------------------------------------------------------------------------------------------
def _cnewton(sysm, x, s, refs, near=0.3, tol=1e-11, maxit=12):
    """Newton's method in double-precision complex arithmetic at fixed s; the branch references
    stay those of the previous path point.  Returns (x, refs at x, smallest/largest singular value
    ratio of J)."""
    n = sysm.n
    x = [complex(v) for v in x]
    for _ in range(maxit):
        g, j, _ = sysm.gj("complex", refs, x, s, near)
        J = np.array(j, dtype=complex).reshape(n, n)
        if not np.all(np.isfinite(J)):
            raise NotConverged("non-finite Jacobian")
        dx = np.linalg.solve(J, np.array(g, dtype=complex))
        x = [a - d for a, d in zip(x, dx)]
        if np.max(np.abs(dx)) < tol * (1 + max(abs(v) for v in x)):
            g, j, new = sysm.gj("complex", refs, x, s, near)
            sv = np.linalg.svd(np.array(j, dtype=complex).reshape(n, n), compute_uv=False)
            return x, new, float(sv[-1] / sv[0])
    raise NotConverged("complex Newton did not converge")


def _start(fam, sysm):
    """The real branch point at s = S0 with its references (recorded from principal real values)."""
    cp = fam.solve(round(S0 ** -2), dps=20, verify=False)
    x = [complex(float(v)) for v in cp.values]
    s = complex(S0)
    _, _, refs = sysm.gj("complex", None, x, s)
    x, refs, _ = _cnewton(sysm, x, s, refs)
    return s, x, refs


def continue_path(sysm: BranchSystem, start: tuple, targets: list, h0: float = 0.01, hmin: float = 1e-7) -> dict:
    """Continue (s, x, refs) through the complex points ``targets`` (in order) with adaptive
    steps (the continuation engine's path mode, :func:`symcrit.critical.continuation.along`, with
    the branch-keeping complex Newton as corrector).  Returns a dict: ``ok``, ``s``/``x``/``refs``
    (last point reached), ``reason`` (why it stopped early), ``trace`` (list of (s, σ_min/σ_max of J))."""

    def corrector(s_new, pred, refs):
        return _cnewton(sysm, pred, s_new, refs)

    def jump(points, step):
        change = max(abs(a - b) for a, b in zip(points[-1][1], points[-2][1])) if len(points) > 1 else 0.05
        return 0.5 * change + 1e-6 * (1 + step)

    res = along(start, targets, corrector, step=h0, step_min=hmin, jump=jump, errors=(BranchLost,))
    s, x = res.points[-1]
    return {"ok": res.end == "target", "s": s, "x": x, "refs": res.state,
            "reason": None if res.end == "target" else str(res.failure), "trace": res.info}


def _arc_ray(alpha, r_end, s0=S0, dtheta=0.05, dr=0.01):
    """Targets: the arc |s| = s0 from angle 0 to alpha, then the ray of angle alpha to r_end."""
    m = max(1, int(math.ceil(abs(alpha) / dtheta)))
    arc = [s0 * cmath.exp(1j * alpha * t / m) for t in range(1, m + 1)]
    q = max(1, int(math.ceil((r_end - s0) / dr)))
    ray = [(s0 + (r_end - s0) * t / q) * cmath.exp(1j * alpha) for t in range(1, q + 1)]
    return arc + ray


def ray_scan(fam, r_max: float, angles: list, sysm: BranchSystem | None = None, start: tuple | None = None) -> list:
    """Continue the branch along the rays of the given angles (radians, 0..π) up to |s| = r_max.

    Returns one dict per ray: ``alpha``, ``ok``, ``r_reached``, ``reason``, ``min_ratio``
    (smallest σ_min/σ_max of J on the ray) and ``at`` (the s where it is smallest)."""
    sysm = sysm or BranchSystem(fam.space)
    start = start or _start(fam, sysm)
    out = []
    for a in angles:
        res = continue_path(sysm, start, _arc_ray(a, r_max))
        ray = [(s, r) for s, r in res["trace"] if abs(s) > S0 * (1 + 1e-9)] or res["trace"]
        m = min(ray, key=lambda t: t[1]) if ray else (res["s"], math.nan)
        out.append({"alpha": a, "ok": res["ok"], "r_reached": abs(res["s"]), "reason": res["reason"],
                    "min_ratio": m[1], "at": m[0], "end": res})
    return out


def circle_check(fam, r: float, M: int = 2048, S=None, sysm: BranchSystem | None = None,
                 start: tuple | None = None) -> dict:
    """Continue the branch around the whole circle |s| = r (M points, from the real point s = r)
    and take its Laurent coefficients a_n = c_n r^n by the trapezoidal rule (FFT).

    If x(s) is analytic in the disc |s| < r' (r' > r) the continuation closes up and the
    coefficients of negative index vanish (up to aliasing ≈ (r/r')^(3M/4) and rounding);
    a branch point inside the circle (a pair of them: both are enclosed) shows as nonzero
    negative coefficients or as a continuation that does not close.  Returns ``closes``
    (|x(end) - x(start)|), ``negative`` (max_{1 <= n <= M/4} |a_-n| / max|x|), and, with ``S``,
    ``series_mismatch`` (max over parameters and n <= order of |a_n - c_n r^n| / max|x|).  A check,
    not a proof.  ``max_abs`` (per parameter, the largest |x_i| at the M points) feeds
    :func:`tail_bound`."""
    sysm = sysm or BranchSystem(fam.space)
    start = start or _start(fam, sysm)
    res = continue_path(sysm, start, [complex(r)])
    if not res["ok"]:
        return {"r": r, "ok": False, "reason": f"the real branch does not reach s = {r}: {res['reason']}"}
    pts = [complex(r) * cmath.exp(2j * math.pi * t / M) for t in range(1, M + 1)]
    vals = [res["x"]]
    cur = (res["s"], res["x"], res["refs"])
    for p in pts:
        step = continue_path(sysm, cur, [p], h0=2 * math.pi * r / M)
        if not step["ok"]:
            return {"r": r, "ok": False, "reason": f"continuation around the circle failed at arg s = "
                                                   f"{cmath.phase(p):.4f}: {step['reason']}"}
        cur = (step["s"], step["x"], step["refs"])
        vals.append(step["x"])
    f = np.array(vals[:M], dtype=complex)  # f[j] = x(r e^{2πij/M})
    closes = float(np.max(np.abs(np.array(vals[M]) - np.array(vals[0]))))
    scale = float(np.max(np.abs(f)))
    a = np.fft.fft(f, axis=0) / M
    neg = float(np.max(np.abs(a[M - M // 4:M]))) / scale
    names = [str(p) for p in fam.space.params]
    out = {"r": r, "ok": True, "M": M, "closes": closes, "negative": neg,
           "max_abs": {nm: float(np.max(np.abs(f[:, i]))) for i, nm in enumerate(names)}}
    if S is not None:
        mism = 0.0
        for i, nm in enumerate(S.names):
            for n in range(S.order + 1):
                c = complex(float(ball_mid(S.coefficient(nm, n))))
                mism = max(mism, abs(a[n, i] - c * r ** n) / scale)
        out["series_mismatch"] = mism
    return out


# ---------------------------------------------------------------------------------------------
def _mp_solve(D, F):
    return mpmath.lu_solve(mpmath.matrix(D), mpmath.matrix(F))


def locate_fold(fam, s_guess: complex, sysm: BranchSystem | None = None, start: tuple | None = None) -> tuple:
    """From a guess of the singular point: continue along the ray through it to |s|(1 - 0.05),
    then Newton on the extended system in double precision.  Returns (s, x, φ, c, refs, path end)
    or raises NotConverged."""
    sysm = sysm or BranchSystem(fam.space)
    start = start or _start(fam, sysm)
    alpha = cmath.phase(s_guess)
    res = continue_path(sysm, start, _arc_ray(alpha, abs(s_guess) * 0.95))
    if not res["ok"]:
        r = abs(res["s"])
        res = continue_path(sysm, start, _arc_ray(alpha, r * 0.98))
    s, x, refs = res["s"], res["x"], res["refs"]
    n = sysm.n
    for attempt in range(3):
        g, j, _ = sysm.gj("complex", refs, x, s)
        _, _, vh = np.linalg.svd(np.array(j, dtype=complex).reshape(n, n))
        phi = list(np.conj(vh[-1]))
        c = [complex(round(v.real, 12), round(v.imag, 12)) for v in np.conj(phi)]
        phi = [p / sum(ci * pi for ci, pi in zip(c, phi)) for p in phi]
        try:
            z = _newton_ext(sysm, "complex", refs, x, phi, s, c, tol=1e-12)
            return z + (c, refs, res)
        except (NotConverged, BranchLost, np.linalg.LinAlgError, ZeroDivisionError):
            # move a little closer along the branch and try again
            res = continue_path(sysm, (s, x, refs), [s + (s_guess - s) * 0.5])
            s, x, refs = res["s"], res["x"], res["refs"]
    raise NotConverged(f"Newton on the fold system did not converge from s = {s_guess:.4g}")


def _newton_ext(sysm, base, refs, x, phi, s, c, tol, maxit=40):
    n = sysm.n
    z = list(x) + list(phi) + [s]
    for _ in range(maxit):
        F, D = sysm.extended(base, refs, z[:n], z[n:2 * n], z[2 * n], c)
        if base == "complex":
            dz = np.linalg.solve(np.array(D, dtype=complex), np.array(F, dtype=complex))
            step = float(np.max(np.abs(dz)))
        else:
            dz = _mp_solve(D, F)
            step = max(abs(v) for v in dz)
        z = [a - d for a, d in zip(z, dz)]
        if step < tol * (1 + max(abs(v) for v in z)):
            return z[:n], z[n:2 * n], z[2 * n]
    raise NotConverged("Newton on the fold system did not converge")


def refine_fold(sysm: BranchSystem, x: list, phi: list, s, c: list, refs: dict, dps: int = 50) -> tuple:
    """Newton on the extended system in mpmath complex at ``dps`` digits.  Returns (x, φ, s, refs
    recorded at the solution)."""
    with mpmath.workdps(dps):
        r = {w: convert_refs(v, "mpc") for w, v in refs.items()}
        cm = [mpmath.mpc(v) for v in c]
        x, phi, s = _newton_ext(sysm, "mpc", r, [mpmath.mpc(v) for v in x], [mpmath.mpc(v) for v in phi],
                                mpmath.mpc(s), cm, tol=mpmath.mpf(10) ** (-dps + 8))
        # one more Newton step with references recorded at the solution
        _, _, new = sysm.gj("mpc", r, x, s)
        x, phi, s = _newton_ext(sysm, "mpc", new, x, phi, s, cm, tol=mpmath.mpf(10) ** (-dps + 8))
        _, _, new = sysm.gj("mpc", new, x, s)
    return x, phi, s, new


class FoldCertificate:
    """Outcome of the Krawczyk test on the fold system: ``ok``, ``reason``, ``s`` and ``k``
    (acb enclosures of s_c and k_c = s_c^-2), ``radius`` (box radius), ``contraction``, ``prec``."""

    def __init__(self, ok, reason, s=None, k=None, radius=None, contraction=None, prec=None, x=None):
        self.ok, self.reason, self.s, self.k = ok, reason, s, k
        self.radius, self.contraction, self.prec, self.x = radius, contraction, prec, x

    def __repr__(self):
        return f"FoldCertificate(ok={self.ok}, s={self.s}, reason={self.reason!r})"


def _acb_of(v):
    return acb(_exact_arb(mpmath.re(v)), _exact_arb(mpmath.im(v)))


def _exact_arb(v):
    from symcrit.core.contexts import get_context
    return get_context("arb").convert(v if isinstance(v, mpmath.mpf) else mpmath.mpmathify(v))


def certify_fold(sysm: BranchSystem, x: list, phi: list, s, c: list, refs: dict, radius: float = 1e-30,
                 prec: int = 256) -> FoldCertificate:
    """Krawczyk test for the fold system around the (mpc) point (x, φ, s), box half-width
    ``radius`` in the real and imaginary part of every unknown, branches fixed by ``refs``
    (recorded at the point).  Returns a :class:`FoldCertificate`."""
    n = sysm.n
    N = 2 * n + 1
    with flint_ctx.workprec(prec):
        y = [_acb_of(v) for v in list(x) + list(phi) + [s]]
        ca = [_acb_of(mpmath.mpc(v)) for v in c]
        ra = {w: convert_refs(v, "acb") for w, v in refs.items()}
        rho = arb(mpmath.nstr(mpmath.mpf(radius), 20))
        X = [acb(arb(v.real.mid(), rho), arb(v.imag.mid(), rho)) for v in y]
        try:
            Fy, _ = sysm.extended("acb", ra, y[:n], y[n:2 * n], y[2 * n], ca, jacobian=False)
            _, DX = sysm.extended("acb", ra, X[:n], X[n:2 * n], X[2 * n], ca)
        except (BranchLost, ZeroDivisionError, ValueError) as exc:
            return FoldCertificate(False, f"the system cannot be enclosed on the box ({exc})", prec=prec)
        if not all(v.is_finite() for v in Fy) or not all(v.is_finite() for row in DX for v in row):
            return FoldCertificate(False, "non-finite enclosure on the box (raise the precision)", prec=prec)
        # the real 2N-dimensional form: unknowns (Re z, Im z), equations (Re F, Im F)
        M: list = [[None] * (2 * N) for _ in range(2 * N)]
        for i in range(N):
            for j in range(N):
                a = DX[i][j]
                M[i][j], M[i][N + j] = a.real, -a.imag
                M[N + i][j], M[N + i][N + j] = a.imag, a.real
        Fr = [v.real for v in Fy] + [v.imag for v in Fy]
        with mpmath.workprec(prec):
            Mm = mpmath.matrix([[ball_mid(M[i][j]) for j in range(2 * N)] for i in range(2 * N)])
            try:
                Cm = mpmath.inverse(Mm)
            except ZeroDivisionError:
                return FoldCertificate(False, "the extended Jacobian is singular at the point", prec=prec)
            C = arb_mat([[_exact_arb(Cm[i, j]) for j in range(2 * N)] for i in range(2 * N)])
        Ma = arb_mat(M)
        Id = arb_mat([[1 if i == j else 0 for j in range(2 * N)] for i in range(2 * N)])
        D = arb_mat([[arb(0, rho)] for _ in range(2 * N)])
        kraw = -(C * arb_mat([[f] for f in Fr])) + (Id - C * Ma) * D  # K(X) - y
        worst = max(kraw[i, 0].abs_upper() for i in range(2 * N))
        contraction = float(ball_mid(worst / rho))
        ok = all(kraw[i, 0].abs_upper() < rho for i in range(2 * N))
        if not ok:
            return FoldCertificate(False, f"Krawczyk: K(X) is not inside X (contraction {contraction:.3g})",
                                   radius=radius, contraction=contraction, prec=prec)
        ys = y[2 * n]
        s_enc = acb(ys.real + kraw[2 * n, 0], ys.imag + kraw[N + 2 * n, 0])
        x_enc = [acb(y[i].real + kraw[i, 0], y[i].imag + kraw[N + i, 0]) for i in range(n)]
        k_enc = 1 / (s_enc * s_enc)
        return FoldCertificate(True, "Krawczyk: K(X) lies inside X: exactly one zero of the fold system in "
                               "X, and the extended Jacobian is invertible on X (a nondegenerate turning point)",
                               s=s_enc, k=k_enc, radius=radius, contraction=contraction, prec=prec, x=x_enc)


def decimal_bound(x, up: bool, digits: int = 6) -> str:
    """The midpoint of the ball x (an exact endpoint such as ``b.upper()``) as a decimal string of
    ``digits`` significant digits, rounded towards +inf (``up``) or -inf: outward rounding for
    the ends of an enclosure.

    >>> from flint import arb
    >>> decimal_bound(arb(1) / 3, False), decimal_bound(arb(1) / 3, True, 3)
    ('0.333333', '0.334')
    """
    import decimal
    man, exp = x.mid().man_exp()
    if man == 0:
        return "0"
    with decimal.localcontext() as c:
        c.prec = digits
        c.rounding = decimal.ROUND_CEILING if up else decimal.ROUND_FLOOR
        d = +decimal.Decimal(_exact_decimal(int(man), int(exp)))
    return format(d, "g") if abs(d.adjusted()) < 5 else f"{d:.{digits - 1}e}"


def _exact_decimal(man, exp):
    """man·2^exp as an exact decimal string (binary fractions have finite decimal expansions)."""
    import decimal
    with decimal.localcontext() as c:
        c.prec = 10_000
        d = decimal.Decimal(man) * (decimal.Decimal(2) ** int(exp))
    return str(d)



# ---------------------------------------------------------------------------------------------
def pade_poles(coeffs: list, m: int | None = None) -> list[complex]:
    """Poles of the diagonal Padé approximant [m/m] of Σ c_n s^n (coefficient midpoints): an
    estimate of the singularities nearest the origin, sorted by modulus."""
    cs = [ball_mid(c) if isinstance(c, arb) else mpmath.mpf(c) for c in coeffs]
    L = len(cs) - 1
    m = m or L // 2
    with mpmath.workdps(60):
        _, q = mpmath.pade(cs, L - m, m)
        roots = mpmath.polyroots(q[::-1], maxsteps=400, extraprec=400)
    return sorted((complex(r) for r in roots), key=abs)


def _ratio_radius(coeffs):
    """|c_n|^(-1/n) averaged over the top orders (estimate)."""
    cs = [abs(float(ball_mid(c))) for c in coeffs]
    L = len(cs) - 1
    vals = [cs[j] ** (-1.0 / j) for j in range(max(2, L - 5), L + 1) if cs[j] > 0]
    return sum(vals) / len(vals) if vals else math.inf


def _cstr(z, digits):
    return [ball_str(z.real, digits), ball_str(z.imag, digits)]


def _constant_branch(fam):
    """True if W∞ is a zero of the entry gradient at every k (proven by exact symbolic evaluation)."""
    import sympy
    sp = fam.space
    subs = {p: sympy.nsimplify(v) for p, v in zip(sp.params, fam.limit)}
    return all(sympy.simplify(g.subs(subs)) == 0 for g in sp.entry_gradient())


@functools.lru_cache(maxsize=16)
def _cached(fam_id):
    from symcrit.critical.families import family
    return _compute(family(fam_id))


def singularities(fam, S=None, n_rays: int = 36) -> dict:
    """The nearest singularities of the family's branch x(s) (cached per registered family).

    Returns a dict: ``singularities`` (list of {s: [re, im], k: [re, im], kind, certified,
    evidence}, decimal strings with the digits the enclosures guarantee, nearest first),
    ``radius`` (R = |s_c| of the nearest one, a decimal string; 'inf' for a constant branch),
    ``radius_enclosure`` ([lo, hi]), ``k_convergence`` (1/R²: the series converges for real k above
    it), ``proven`` / ``checked`` / ``estimated`` (sentences saying which statement has which
    standing), ``cross_check`` (Padé poles and ratio radius from the series coefficients) and
    ``radius_outcome`` (:func:`radius_outcome`: what is proven about R; :func:`with_analyticity`
    renews it with the disc proof)."""
    from symcrit.asymptotics.engine import require_limit
    from symcrit.critical.families import is_registered
    require_limit(fam, "the singularity analysis of the branch x(s)")
    res = _cached(fam.id) if is_registered(fam) and n_rays == 36 else _compute(fam, n_rays)
    out = dict(res)
    if S is not None:
        out["cross_check"] = _cross_check(S)
    out["radius_outcome"] = radius_outcome(out)
    return out


def _cross_check(S):
    out = {}
    for nm in S.names:
        cs = [S.coefficient(nm, j) for j in range(S.order + 1)]
        try:
            poles = pade_poles(cs)[:2]
        except (ZeroDivisionError, ValueError):
            poles = []
        out[nm] = {"pade_poles": [[round(p.real, 6), round(p.imag, 6)] for p in poles],
                   "ratio_radius": round(_ratio_radius(cs), 6)}
    return {"estimated": "Padé poles [m/m] and |c_n|^(-1/n) from the series coefficients (estimates)",
            "by_parameter": out}


def _compute(fam, n_rays=36):
    if fam.limit is not None and _constant_branch(fam):
        return {"family": fam.id, "singularities": [], "radius": "inf", "radius_enclosure": ["inf", "inf"],
                "k_convergence": "0",
                "proven": "the branch is constant: the entry gradient vanishes at W∞ identically in k "
                          "(exact symbolic evaluation), so x(s) = W∞ is entire and the series is its "
                          "constant term",
                "checked": None, "estimated": None, "none_nearer_checked": True, "cross_check": None,
                "nearer": "none (the branch is constant: proven)"}
    from symcrit.asymptotics.engine import compute_series
    sysm = BranchSystem(fam.space)
    start = _start(fam, sysm)
    # hints: Padé poles of the series (estimate) and the minimum of σ_min(J) over a coarse ray scan
    S = compute_series(fam, 30, 40)
    hints = []
    for nm in S.names:
        try:
            hints += [p for p in pade_poles([S.coefficient(nm, j) for j in range(31)])[:4]
                      if p.imag >= 0 and 0.02 < abs(p) < 2]
        except (ZeroDivisionError, ValueError):
            pass
    r_hint = min((abs(h) for h in hints), default=0.6)
    coarse = ray_scan(fam, min(1.5 * r_hint, 0.95), [math.pi * t / 12 for t in range(13)], sysm, start)
    for ray in sorted(coarse, key=lambda r: r["min_ratio"])[:2]:
        hints.append(ray["at"])
    found = []
    for h in sorted(hints, key=abs):
        if any(abs(h - f["s_mid"]) < 1e-3 for f in found):
            continue
        try:
            x, phi, s, c, refs, path = locate_fold(fam, h, sysm, start)
        except NotConverged:
            continue
        s = complex(s)
        if s.imag < 0:
            continue  # the conjugate is reported with its partner
        if any(abs(s - f["s_mid"]) < 1e-6 for f in found):
            continue
        found.append({"s_mid": s, "x": x, "phi": phi, "c": c, "refs": refs, "path": path})
        if len(found) >= 3:
            break
    if not found:
        raise NotConverged(f"family {fam.id}: no fold of the branch found near the hints {hints[:4]}")
    found.sort(key=lambda f: abs(f["s_mid"]))
    sings = []
    for f in found[:2]:
        x, phi, s, refs = refine_fold(sysm, f["x"], f["phi"], f["s_mid"], f["c"], f["refs"])
        cert = certify_fold(sysm, x, phi, s, f["c"], refs)
        # checked: the branch continued along the ray reaches the fold
        sm = complex(s)
        reach = continue_path(sysm, start, _arc_ray(cmath.phase(sm), abs(sm) * (1 - DELTA)))
        back = None
        if reach["ok"]:
            try:
                xb, _, sb = locate_fold(fam, sm, sysm, start)[:3]
                back = abs(complex(sb) - sm)
            except NotConverged:
                back = None
        dist_x = max(abs(complex(a) - complex(b)) for a, b in zip(reach["x"], x)) if reach["ok"] else None
        reached = reach["ok"] and back is not None and back < 1e-8
        kind = "fold (square-root branch point)"
        with mpmath.workdps(40):
            if cert.ok:
                s_str, k_str = _cstr(cert.s, 20), _cstr(cert.k, 20)
            else:
                s_str = [mpmath.nstr(mpmath.re(s), 20), mpmath.nstr(mpmath.im(s), 20)]
                kk = 1 / (s * s)
                k_str = [mpmath.nstr(mpmath.re(kk), 20), mpmath.nstr(mpmath.im(kk), 20)]
        ev = {"krawczyk": cert.reason, "box_radius": cert.radius, "contraction": cert.contraction,
              "precision_bits": cert.prec,
              "reached_by_continuation": bool(reached),
              "continuation": (f"continued from the real branch at s = {S0} along |s| = {S0} and the ray "
                               f"arg s = {cmath.phase(sm):.6f} to |s| = {abs(sm) * (1 - DELTA):.6g}: "
                               + ("ok" if reach["ok"] else f"failed ({reach['reason']})")
                               + (f"; Newton on the fold system from there returns to s_c (|Δs| = {back:.1e}),"
                                  f" |x - x_c| = {dist_x:.3g} there" if back is not None else "")),
              "s_enclosure": None if not cert.ok else [str(cert.s.real), str(cert.s.imag)]}
        entry = {"s": s_str, "k": k_str, "kind": kind, "certified": bool(cert.ok), "evidence": ev,
                 "_cert": cert, "_s": sm}
        sings.append(entry)
        if cert.ok:
            with flint_ctx.workprec(cert.prec):
                sc = cert.s.conjugate()
                kc = 1 / (sc * sc)
                sings.append({"s": _cstr(sc, 20), "k": _cstr(kc, 20), "kind": kind, "certified": True,
                              "evidence": {"symmetry": "complex conjugate of the proven fold: the formulas have "
                                                       "real coefficients and the branch is real for real s "
                                                       "(Schwarz reflection)"},
                              "_cert": None, "_s": sm.conjugate()})
    nearest = sings[0]
    R_mid = abs(nearest["_s"])
    # checked: no nearer singularity on a grid of rays
    angles = [math.pi * t / n_rays for t in range(n_rays + 1)]
    scan = ray_scan(fam, R_mid * (1 - DELTA), angles, sysm, start)
    failed = [r for r in scan if not r["ok"]]
    circ = circle_check(fam, R_mid * CIRCLE, CIRCLE_M, S=S, sysm=sysm, start=start)
    circ_ok = bool(circ["ok"] and circ["closes"] < 1e-9 and circ["negative"] < 1e-8
                   and circ.get("series_mismatch", 1.0) < 1e-8)
    cert = nearest["_cert"]
    if cert is not None and cert.ok:
        with flint_ctx.workprec(cert.prec):
            Rb = abs(cert.s)
            radius = ball_str(Rb, 20)
            r_enc = [decimal_bound(arb(Rb.lower()), False, 25), decimal_bound(arb(Rb.upper()), True, 25)]
            kconv = ball_str(1 / (Rb * Rb), 20)
    else:
        radius = mpmath.nstr(R_mid, 15)
        r_enc = None
        kconv = mpmath.nstr(1 / R_mid ** 2, 15)
    for e in sings:
        e.pop("_cert")
        e.pop("_s")
    proven = ("a nondegenerate fold (square-root branch point) of the reduced system, with the branches "
              "of sqrt/atan2/|·| fixed by continuation from the real branch, lies in the stated enclosure "
              "of s_c (Krawczyk on the extended system in ball arithmetic), and at its complex conjugate"
              if nearest["certified"] else "nothing (the Krawczyk test failed)")
    reached = bool(nearest["evidence"].get("reached_by_continuation"))
    checked = (f"the family's branch continued from the real axis reaches that fold ({'yes' if reached else 'NO'}); "
               f"no singularity in the disc |s| < {CIRCLE}·R: the branch continued around the circle |s| = "
               + (f"{circ['r']:.6g} ({CIRCLE_M} points) closes up to {circ['closes']:.1e}, its Laurent coefficients "
                  f"of negative index are below {circ['negative']:.1e} (relative) and those of index 0..{S.order} "
                  f"agree with the series to {circ.get('series_mismatch', float('nan')):.1e}"
                  if circ["ok"] else f"{R_mid * CIRCLE:.6g} FAILED ({circ['reason']})")
               + f"; none in {CIRCLE}·R <= |s| < R on the {len(angles)} rays arg s = 0..π (step π/{n_rays}) "
               + ("(continuation succeeded on every ray to R(1 - " + f"{DELTA}))" if not failed else
                  f"(FAILED on {len(failed)} rays, first at arg s = {failed[0]['alpha']:.4f}, "
                  f"|s| = {failed[0]['r_reached']:.4f})")
               + "; the conjugate half-plane follows by symmetry")
    none_nearer = not failed and circ_ok and reached
    nearer = (f"none found in |s| < R (checked, not proven: the circle |s| = {CIRCLE}R and {len(angles)} rays; "
              f"prove_disc proves it on the closed disc |s| <= R(1 - eps): an annulus and the inner disc, glued; see with_analyticity)"
              if none_nearer else "NOT established (a check failed)")
    return {"family": fam.id, "singularities": sings, "radius": radius, "radius_enclosure": r_enc,
            "k_convergence": kconv, "proven": proven, "checked": checked, "nearer": nearer,
            "estimated": "the Padé poles and coefficient ratios in cross_check",
            "none_nearer_checked": not failed and circ_ok and reached, "circle": circ, "cross_check": _cross_check(S)}


def with_analyticity(sing: dict, disc: dict) -> dict:
    """The result of :func:`singularities` with that of :func:`prove_disc` added: ``analyticity``
    (the disc proof's summary), ``nearer`` and ``proven`` restated.  ``none_nearer_proven`` is True
    only if analyticity is proven on the whole closed disc |s| <= r: the annulus r0 <= |s| <= r
    and the inner disc |s| <= r0 (:mod:`symcrit.asymptotics.innerdisc`) both proven and glued
    (``disc["whole_disc"]``).  The radius of convergence R >= r is then proven
    (``radius_lower_proven``, rounded down).  R <= |s_c| is proven when the disc proof also proved
    that the fold lies on the family's branch (``disc["fold_link"]``, :func:`_fold_link`: the
    solution curve through the fold glued to a proven disc): then ``radius_upper_proven`` (an upper
    bound of |s_c|, rounded up), ``radius_proven`` ([lower, upper]) and ``fold_on_branch_proven``
    True; otherwise that is only checked (``reached_by_continuation``).  When the covering also reached
    the fold (:func:`prove_disc` with ``exact``) and the link proved R = |s_c| (``fold_link["radius_exact"]``):
    ``radius_exact_proven`` True and ``radius_proven`` the enclosure [lower, upper] of |s_c|.  When R = |s_c|
    was asked for (``disc["exact_radius"]``) but not proven: ``radius_exact_proven`` False and
    ``radius_exact_failure`` the first step that failed.  With ``radius_proven``: ``k_convergence_proven``
    (:func:`k_interval`).  Always: ``radius_outcome`` (:func:`radius_outcome`)."""
    out = dict(sing)
    keys = ("proven", "statement", "failure", "r", "r0", "R_lower", "eps_R", "order", "discs", "mirrors", "tried",
            "glued_pairs", "max_eps", "min_radius", "max_radius", "max_abs", "inner_max_abs", "seconds",
            "real_identification", "inner", "inner_glued", "glue", "whole_disc", "fold_link", "exact_radius")
    out["analyticity"] = {k: disc.get(k) for k in keys}
    whole = bool(disc.get("proven") and disc.get("whole_disc"))
    out["none_nearer_proven"] = whole
    if disc.get("proven"):
        r0, r = float(disc["r0"]), float(disc["r"])
        if whole:
            out["nearer"] = (f"none in the closed disc |s| <= {r:.12g} (proven: {disc['statement']})")
            # R >= r is proven; R <= |s_c| needs the fold on this branch, which is checked (continuation)
            out["radius_lower_proven"] = decimal_bound(arb(float(disc["r"])), False, 12)
            link = disc.get("fold_link") or {}
            out["fold_on_branch_proven"] = bool(link.get("proven"))
            if link.get("proven"):
                out["radius_upper_proven"] = link["radius_upper"]
                out["radius_proven"] = [out["radius_lower_proven"], link["radius_upper"]]
                out["radius_exact_proven"] = bool(link.get("radius_exact"))
                if out["radius_exact_proven"]:     # R = |s_c|: the covering reaches the fold (prove_disc exact)
                    out["radius_proven"] = list(link["radius_exact"])
                    out["nearer"] += f"; none in the open disc |s| < |s_c|, |s_c| in [{link['radius_exact'][0]}, {link['radius_exact'][1]}] (proven)"
                if out.get("singularities"):
                    first = dict(out["singularities"][0])
                    first["evidence"] = dict(first["evidence"], on_branch_proven=True, on_branch=link["statement"])
                    out["singularities"] = [first] + list(out["singularities"][1:])
        else:
            out["nearer"] = (f"none in the closed annulus {r0:.6g} <= |s| <= {r:.12g} "
                             f"(proven: {disc['statement']}); none in |s| < {r0:.6g} (checked, not "
                             f"proven: the circle and ray checks; the inner disc is not proven and glued)")
        out["proven"] = sing["proven"] + "; " + disc["statement"]
        if out.get("radius_exact_proven"):
            lo, hi = out["radius_proven"]
            out["proven"] += (f"; {disc['fold_link']['statement']}; {disc['fold_link']['exact_radius']['statement']}; "
                              f"so the radius of convergence R = |s_c| lies in [{lo}, {hi}] (proven)")
        elif out.get("radius_upper_proven"):
            out["proven"] += (f"; {disc['fold_link']['statement']}; so the radius of convergence R lies in "
                              f"[{out['radius_lower_proven']}, {out['radius_upper_proven']}] (proven)")
    ex = disc.get("exact_radius")
    if ex is not None:       # R = |s_c| was asked for (prove_disc with exact): say whether, and if not, why not
        out["radius_exact_proven"] = bool(out.get("radius_exact_proven"))
        out["radius_exact_failure"] = None if out["radius_exact_proven"] else (
            ex.get("failure") or "the fold link did not prove it")
    if out.get("radius_proven"):
        out["k_convergence_proven"] = k_interval(out["radius_proven"])
    out["radius_outcome"] = radius_outcome(out)
    return out


def k_interval(radius: list, digits: int = 14) -> list[str]:
    """The proven interval [1/hi², 1/lo²] of k_c = 1/R² from a proven interval [lo, hi] of R (decimal
    strings), rounded outward to ``digits`` significant digits."""
    with flint_ctx.workprec(128):
        lo, hi = arb(radius[0]), arb(radius[1])
        return [decimal_bound(arb((1 / (hi * hi)).lower()), False, digits),
                decimal_bound(arb((1 / (lo * lo)).upper()), True, digits)]


def radius_outcome(sing: dict) -> dict:
    """What is established about the radius of convergence R, from the facts in ``sing`` (a result
    of :func:`singularities`, possibly through :func:`with_analyticity`).  Returns a dict:
    ``outcome`` -- 'infinite' (constant branch), 'exact' (R = |s_c| proven), 'interval' (R in
    [r, |s_c|] proven), 'lower' (R >= r proven, R <= |s_c| not), 'checked' (the fold s_c is proven,
    that it is the nearest singularity of the branch is checked) or 'estimated' (the fold is not
    proven) --, ``missing`` (what is not proven and why; None for 'exact' and 'infinite') and
    ``text``, the sentence "R ..." rendered from these facts (every number in it is one of them)."""
    if sing.get("radius") == "inf":
        return {"outcome": "infinite", "missing": None,
                "text": "R = inf: the branch is constant (proven), the series is exact"}
    ss = sing.get("singularities") or []
    R_, kc_ = sing.get("radius", "not located"), sing.get("k_convergence", "not located")
    a = sing.get("analyticity") or {}
    link = a.get("fold_link") or {}
    exact_why = sing.get("radius_exact_failure") or "not attempted (the interval-only disc proof)"
    if sing.get("radius_exact_proven") and sing.get("radius_proven"):
        lo, hi = sing["radius_proven"]
        klo, khi = sing.get("k_convergence_proven") or k_interval([lo, hi])
        return {"outcome": "exact", "missing": None,
                "text": f"R = |s_c| in [{lo}, {hi}] (proven: x(s) is analytic on the open disc |s| < |s_c| and "
                        f"singular at the fold s_c); the series converges exactly for real k > k_c = 1/R², "
                        f"k_c in [{klo}, {khi}] (proven)"}
    if sing.get("radius_proven"):
        lo, hi = sing["radius_proven"]
        klo, khi = sing.get("k_convergence_proven") or k_interval([lo, hi])
        missing = f"R = |s_c| is NOT proven: {exact_why}"
        return {"outcome": "interval", "missing": missing,
                "text": f"{lo} <= R <= {hi} (proven both sides; k_c = 1/R² in [{klo}, {khi}]); {missing}"}
    if sing.get("radius_lower_proven"):
        lo = sing["radius_lower_proven"]
        missing = ("R <= |s_c| is NOT proven (the fold is not proven to lie on the branch: "
                   f"{link.get('failure') or 'the fold link was not run'}); R = |s_c| is checked only")
        return {"outcome": "lower", "missing": missing,
                "text": f"R >= {lo} (proven); R = |s_c| = {R_} is checked only: {missing}"}
    if ss and ss[0].get("certified"):
        nearer = "checked" if sing.get("none_nearer_checked") else "NOT established (a check failed)"
        why = (f"the disc proof failed: {a.get('failure')}" if a and a.get("failure") else
               "the disc proof does not cover the whole disc" if a else "no disc proof was run")
        missing = (f"the fold s_c is proven; that no singularity is nearer is {nearer} and that the fold is on the "
                   f"branch is checked, not proven ({why})")
        return {"outcome": "checked", "missing": missing,
                "text": f"R = |s_c| = {R_}, checked only: {missing}; the series converges for real "
                        f"k > {kc_} (checked)"}
    missing = "the nearest singularity is not proven (the Krawczyk test failed)"
    return {"outcome": "estimated", "missing": missing,
            "text": f"R = {R_} (estimated: {missing}); k_convergence = {kc_} (estimated)"}


def tail_bound(sing: dict, k0, N: int, margin: float = 1.01, disc: dict | None = None) -> dict | None:
    """Cauchy's estimate of the truncation error of the series for every real k >= k0.

    With x analytic in |s| <= r and |x_i - x∞_i| <= M_i on the circle |s| = r, |c_n| <= M_i r^-n
    (n >= 1), so for |s| <= s0 = k0^(-1/2) < r the tail after s^N is at most
    M_i (s0/r)^(N+1) / (1 - s0/r).

    With ``disc`` (a proven result of :func:`prove_disc`), r and M_i are proven: r is the outer
    radius of the annulus r0 <= |s| <= r where x(s) is proven analytic and single valued, M_i the
    proven bound of |x_i - x∞_i| on |s| = r from the disc enclosures.  If the inner disc |s| <= r0
    is proven and glued too (``disc["whole_disc"]``), x is analytic on the closed disc |s| <= r
    and its Taylor series is the certified series: the bound is ``proven`` for every k >= k0.
    Otherwise it is proven only *given* analyticity in |s| < r0: ``proven`` False, ``standing``
    says so.  Without ``disc``, r and M_i come from :func:`circle_check` (the branch continued
    numerically around the circle, M_i the largest |x_i| at its points times ``margin``):
    checked.  Returns None if s0 >= r."""
    s0 = float(mpmath.mpf(k0) ** -0.5)
    if disc is not None and disc.get("proven") and disc.get("max_abs"):
        r = float(disc["r"])
        if s0 >= r:
            return None
        with flint_ctx.workprec(128):
            q = (arb(mpmath.nstr(mpmath.mpf(k0) ** -0.5, 30)) + arb(0, 1e-25)) / arb(r)
            per = {nm: float((arb(m) * q ** (N + 1) / (1 - q)).upper()) for nm, m in disc["max_abs"].items()}
        whole = bool(disc.get("whole_disc"))
        r0 = float(disc["r0"])
        standing = (f"proven: x(s) is analytic on the closed disc |s| <= {r:.6g} (the inner disc |s| <= {r0:.4g} "
                    f"by valuation-form Taylor models in the series coordinates, the annulus by Taylor-model discs, "
                    f"glued) with the proven bound M_i of |x_i - x∞_i| on |s| = r" if whole else
                    f"proven given analyticity in |s| < {r0:.4g} (checked, not proven): "
                    f"x(s) is proven analytic on {r0:.4g} <= |s| <= {r:.6g} "
                    f"(Taylor-model discs) with the proven bound M_i of |x_i - x∞_i| on |s| = r")
        return {"k0": k0, "order": N, "r": r, "r0": r0, "bound": max(per.values()),
                "by_parameter": per, "proven": whole, "standing": standing}
    circ = sing.get("circle")
    if not circ or not circ.get("ok"):
        return None
    r = circ["r"]
    if s0 >= r:
        return None
    q = s0 / r
    per = {nm: margin * m * q ** (N + 1) / (1 - q) for nm, m in circ["max_abs"].items()}
    return {"k0": k0, "order": N, "r": r, "bound": max(per.values()), "by_parameter": per, "proven": False,
            "standing": "checked (Cauchy estimate on the numerically continued circle |s| = r)"}


# ---------------------------------------------------------------------------------------------
def _conj_refs(refs):
    out = []
    for r in refs:
        out.append(r if r[0] == "sigma" else (r[0],) + tuple(v.conjugate() for v in r[1:]))
    return out


def _same_branch(sysm, refs_a, refs_b, x, s, prec=96):
    """True if the two branch evaluations of the entry gradient agree call by call at the point
    (x, s) (acb), proven: sqrt values closer than their modulus, atan2 values closer than 3 < π."""
    with flint_ctx.workprec(prec):
        ca, cb = BranchContext("acb", refs_a), BranchContext("acb", refs_b)
        try:
            sysm.space.compiled["grad"](ca, *x, 1 / (s * s))
            sysm.space.compiled["grad"](cb, *x, 1 / (s * s))
        except (BranchLost, ZeroDivisionError, ValueError):
            return False
        if len(ca.values) != len(cb.values):
            return False
        for (ka, va), (kb, vb) in zip(ca.values, cb.values):
            if ka != kb:
                return False
            if ka == "sigma":
                if va != vb:
                    return False
            elif ka == "sqrt":
                if not (abs(va - vb) < abs(va)):
                    return False
            elif not (abs(va - vb) < 3):
                return False
    return True


# ---------------------------------------------------------------------------------------------
# Proven analyticity on discs by high-order Taylor models.
#
# On a disc D = {|s - s0| <= rho} of the s-plane, with t = s - s0, P(t) a polynomial of degree N
# (the Taylor polynomial of the branch at s0, midpoints), A(t) an n x n polynomial matrix (the
# Taylor polynomial of J(P(t), s0 + t)^-1) and the polydisc X(s) = {x : |x_i - P_i(t)| <= eps}:
#
#   (1) the entry gradient G_a (references a) is evaluated on Taylor models of degree N on the
#       disc |t| <= rho (symcrit.core.taylor: polynomial + remainder bound, every operation
#       enclosing the exact function on the whole disc) at x = P(t) (giving f(t) = G_a(P(t),
#       s0 + t) within its remainder) and, with dual numbers over the same branch context (so
#       J_a is the derivative of G_a), at x = P(t) + d with d a ball of radius eps in the
#       constant terms (giving J_a(P(t) + d, s0 + t) for every such d).  Every sqrt/log of the
#       branch context is taken only where the real part of its argument's model is positive on
#       the whole disc, so G_a is one analytic function on a neighbourhood of the graph
#       {(P(t) + d, s0 + t) : |t| <= rho, |d_i| <= eps};
#   (2) the Krawczyk operator at s: K = P - A f + (I - A J~)(X - P), J~ the mean of J_a over a
#       segment in X(s) (in the convex hull of the values J_a(P(t) + d, s)).  With
#       beta_i >= sup_D |(A f)_i| and E_ij >= sup |(I - A J)_ij| (Taylor-model products and their
#       bounds), the test beta_i + sum_j E_ij eps < eps for every i proves, for every s in D:
#       x -> x - A G_a(x, s) maps X(s) into its interior (a zero, Brouwer), I - A J~ is a
#       contraction in the max norm (the zero is unique in X(s), J_a(x, s) and A are invertible
#       on X(s)), and the zero lies within beta_i + sum_j E_ij eps of P(t) (strictly inside
#       X(s)).  By the implicit function theorem and uniqueness, x_a(s) is analytic on D.
#
# Why Taylor models and not a Cauchy estimate of the remainder of f from a ball evaluation of G
# over a larger disc: that ball evaluation has the dependency problem of the first-order boxes
# (at s0 = 0.2 + 0.05i for sk, the square roots' arguments leave the half plane Re > 0 already on
# boxes of half-width 0.01, so even a 16 x 16 grid of sub-boxes passes only for rho2 <= 0.01),
# while the Taylor models carry the dependence on t in the polynomial exactly and pass for
# rho = 0.02 with eps ~ 1e-22 (sk) and rho = 0.03 (sk1) at that point.
#
# Two discs are glued at one point s* of their (convex) intersection: the pointwise Krawczyk
# image K* at s* of disc b (it holds x_b(s*)) lies in the interior of X_a(s*), and G_a = G_b near
# (K*, s*) (the branch values agree call by call, _same_branch).  Then x_b(s*) = x_a(s*), by
# continuity x_b(s) is in int X_a(s) near s*, so x_a = x_b near s*, and on the whole
# intersection by the identity theorem.  The lower half plane is the mirror image (the formulas
# have real coefficients: conjugate s, x and references); mirror discs are glued to the discs
# they meet like any other pair.
TAYLOR_ORDER = 24    # degree N of the Taylor models
DISC_FRACTION = 0.25  # a disc's radius at most this fraction of the distance to the nearest known
#                      singularity (the fold, its conjugate, and s = 0 where k = s^-2 has its pole)


def _grad_and_jac(sysm, rd, base, xs, s, jac: bool = True):
    """G and (optionally) J = dG/dx (a list of rows) in the number context ``base`` with the
    references ``rd`` ({'grad': [...]}); J by dual numbers over the same branch context."""
    n = sysm.n
    z = acb(0)
    G, _ = sysm.call("grad", base, rd, xs, s)
    if not jac:
        return G, None
    cols = []
    for m in range(n):
        out, _ = sysm.call("grad", base, rd, [Dual(v, acb(1) if t == m else z) for t, v in enumerate(xs)],
                           Dual(s, z), ctx=DualOver)
        cols.append([o.du if isinstance(o, Dual) else z for o in out])
    return G, [[cols[j][i] for j in range(n)] for i in range(n)]


def taylor_branch(sysm: BranchSystem, refs: list, x0: list, s0: complex, N: int = TAYLOR_ORDER,
                  prec: int = 128) -> tuple:
    """The Taylor polynomials at s0 (degree N) of the branch x(s) through x0 (the references
    ``refs``, the 'grad' list in acb) and of J(x(s), s)^-1, by Newton's method on power series
    with acb coefficients (:func:`symcrit.core.series_newton.midpoint_newton_on_series`: the number
    of coefficients doubling), midpoints.  Returns (P, A): P[i] the coefficient list of x_i,
    A[i][j] that of (J^-1)_ij.  Approximations: the proof is :func:`disc_krawczyk`."""
    from flint import acb_series
    from symcrit.core.laurent import series_precision
    from symcrit.core.series_newton import midpoint_newton_on_series
    rd = {"grad": refs}
    with series_precision(prec, N + 1):
        sa = acb(s0.real, s0.imag)

        def system(xs, L):   # G and J at s = s0 (L None) or at s = s0 + t, t the series of length L
            if L is None:
                return _grad_and_jac(sysm, rd, "acb", xs, sa)
            return _grad_and_jac(sysm, rd, "acb_series", xs, acb_series([sa, acb(1)], prec=L))
        return midpoint_newton_on_series(system, [acb(complex(v).real, complex(v).imag) for v in x0], N)


def _horner(coeffs, t):
    out = acb(0)
    for c in reversed(coeffs):
        out = out * t + c
    return out


def _poly_sup(coeffs, rho):
    """An upper bound (arb) of |Σ c_n t^n| over |t| <= rho: Σ |c_n| rho^n."""
    tot = arb(0)
    p = arb(1)
    for c in coeffs:
        tot += c.abs_upper() * p
        p = p * rho
    return arb(tot.upper())


def disc_krawczyk(sysm: BranchSystem, refs: list, P: list, A: list, s0: complex, rho: float,
                  eps: float | None = None, prec: int = 128) -> dict:
    """The Taylor-model Krawczyk test on the disc |s - s0| <= rho (see the comment above
    :data:`TAYLOR_ORDER` for the proof): for every s in the disc, exactly one zero x(s) of the
    branch ``refs`` ('grad' references, acb) of the entry gradient with |x_i(s) - P_i(s - s0)| <=
    eps, J invertible there, so x(s) is analytic on the disc.  ``P``, ``A``: coefficient lists
    from :func:`taylor_branch` (any polynomials: the test proves or fails, whatever they are; the
    degree N of the models is that of P).  ``eps``: the radius to test (default: 8 times the bound
    of the residual term).  Returns a dict: ``ok``, ``reason``, ``eps`` (a float, exact binary),
    ``enclosure`` (per component, the proven bound of |x_i(s) - P_i(s - s0)|, rounded up),
    ``beta`` (the bound of |A G(P(t), s0 + t)|), ``E`` (the largest row sum of the bound of
    |I - A J|), ``remainder`` (the largest Taylor-model remainder of G), ``order``, ``rho``."""
    rd = {"grad": refs}
    return _taylor_test(lambda tm, xs, s, jac: _grad_and_jac(sysm, rd, tm, xs, s, jac), P, A, acb(s0.real, s0.imag),
                        rho, eps, prec, "rho", "disc", "Krawczyk: K(X(s)) lies in the interior of X(s) for every s in the disc")


def _taylor_test(system, P, A, centre, radius, eps, prec, key, where, holds) -> dict:
    """:func:`symcrit.core.taylor.taylor_krawczyk` with its verdict in words (``holds`` when proven,
    ``where`` names the domain) and the models' order and the radius (under ``key``) added."""
    from symcrit.core.taylor import taylor_krawczyk
    N = len(P[0]) - 1
    kr = taylor_krawczyk(system, P, A, centre, radius, eps, prec)
    if not kr["ok"] and "failure" in kr:
        return {"ok": False, "reason": f"G is not enclosed as one analytic function on the {where} ({kr['failure']})",
                "order": N, key: radius}
    out = dict(kr, order=N)
    out[key] = radius
    out["reason"] = (holds if out["ok"] else f"Krawczyk: not contracting (residual bound {out['beta']:.3g}, "
                                             f"eps {out['eps']:.3g}, contraction {out['E']:.3g})")
    return out


class _Disc:
    """One disc of the covering: centre, radius, the Taylor polynomials, eps, references."""
    __slots__ = ("cell", "c", "rho", "P", "eps", "refs", "mirror", "x", "krawczyk")
    cell: Any
    c: complex
    rho: float
    P: list
    eps: Any
    refs: Any
    mirror: bool
    x: Any
    krawczyk: Any

    def conj(self):
        d = _Disc()
        d.cell, d.c, d.rho, d.eps, d.mirror = self.cell, self.c.conjugate(), self.rho, self.eps, True
        d.P = [[v.conjugate() for v in p] for p in self.P]
        d.refs = _conj_refs(self.refs)
        d.x, d.krawczyk = None, None
        return d


def _cell_disc(cell):
    """Centre (complex, exact binary) and radius (float, padded 2%) of the disc around a polar
    cell (R0, R1, u0, u1): r0 <= |s| <= r1, π u0 <= arg s <= π u1."""
    R0, R1, u0, u1 = cell
    Rm, um = (R0 + R1) / 2, (u0 + u1) / 2
    c = complex(Rm * math.cos(math.pi * um), Rm * math.sin(math.pi * um))
    far = max(abs(R * cmath.exp(1j * math.pi * u) - c) for R in (R0, R1) for u in (u0, u1))
    return c, far * 1.02


def _cell_in_disc(cell, c, rho, prec=64) -> bool:
    """Proven: the polar cell (in the upper half plane) lies in the closed disc (centre c in the
    upper half plane): its farthest point from c is a corner, as |s - c|² = |s|² + |c|² -
    2|s||c|cos(arg s - arg c) is convex in |s| and increasing in |arg s - arg c| <= π."""
    R0, R1, u0, u1 = cell
    with flint_ctx.workprec(prec):
        ca = acb(c.real, c.imag)
        for R in (R0, R1):
            for u in (u0, u1):
                z = arb(R) * acb(arb(u)).exp_pi_i()
                if not abs(z - ca) < arb(rho):
                    return False
    return True


def _split(cell):
    R0, R1, u0, u1 = cell
    if (R1 - R0) >= (R0 + R1) / 2 * math.pi * (u1 - u0):
        Rm = (R0 + R1) / 2
        return [(R0, Rm, u0, u1), (Rm, R1, u0, u1)]
    um = (u0 + u1) / 2
    return [(R0, R1, u0, um), (R0, R1, um, u1)]


def _point_krawczyk(sysm, refs, P, c, eps, s_star, prec, boxes=False):
    """At the point s* (acb): the Krawczyk image K of the box P(s* - c) + [-eps, eps]² (every
    zero of the branch in the box lies in K), or None if the branch cannot be evaluated there."""
    n = sysm.n
    rd = {"grad": refs}
    with flint_ctx.workprec(prec):
        t = s_star - acb(c.real, c.imag)
        y = [_horner(p, t) for p in P]
        ym = [acb(v.mid()) for v in y]
        X = [acb(arb(v.real.mid(), eps + float(v.real.rad()) * 2), arb(v.imag.mid(), eps + float(v.imag.rad()) * 2))
             for v in y]
        try:
            gval, _ = _grad_and_jac(sysm, rd, "acb", ym, s_star, jac=False)
            _, J = _grad_and_jac(sysm, rd, "acb", X, s_star)
        except (BranchLost, ZeroDivisionError, ValueError):
            return (None, None) if boxes else None
        Jm = acb_mat([[acb(v.mid()) for v in row] for row in J])
        try:
            C = Jm.inv()
        except ZeroDivisionError:
            return (None, None) if boxes else None
        C = acb_mat([[acb(C[i, j].mid()) for j in range(n)] for i in range(n)])
        Id = acb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
        D = acb_mat([[X[i] - ym[i]] for i in range(n)])
        kraw = acb_mat([[v] for v in ym]) - C * acb_mat([[g] for g in gval]) + (Id - C * acb_mat(J)) * D
        kraw = [kraw[i, 0] for i in range(n)]
        return (kraw, X) if boxes else kraw


def _in_polydisc(kraw, P, c, eps, s_star, prec) -> bool:
    with flint_ctx.workprec(prec):
        t = s_star - acb(c.real, c.imag)
        return all(abs(k - _horner(p, t)) < arb(eps) for k, p in zip(kraw, P))


def _glue_discs(sysm, a, b, prec):
    """None if the discs a and b (overlapping) carry the same branch on their intersection, else
    the reason."""
    d = abs(a.c - b.c)
    with flint_ctx.workprec(prec):
        dist = abs(acb(a.c.real, a.c.imag) - acb(b.c.real, b.c.imag))
        if dist > arb(a.rho) + arb(b.rho):
            return None   # disjoint (proven)
    u = (b.c - a.c) / d if d > 0 else 1
    lo, hi = max(-a.rho, d - b.rho), min(a.rho, d + b.rho)
    sp = a.c + u * (lo + hi) / 2
    with flint_ctx.workprec(prec):
        s_star = acb(sp.real, sp.imag)
        if not (abs(s_star - acb(a.c.real, a.c.imag)) <= arb(a.rho) and abs(s_star - acb(b.c.real, b.c.imag)) <= arb(b.rho)):
            return f"discs at {a.c:.6g} and {b.c:.6g}: no point of the intersection found"
    for P, Q in ((b, a), (a, b)):
        kraw = _point_krawczyk(sysm, P.refs, P.P, P.c, P.eps, s_star, prec)
        if kraw is not None and _in_polydisc(kraw, Q.P, Q.c, Q.eps, s_star, prec):
            if _same_branch(sysm, P.refs, Q.refs, kraw, s_star, prec):
                return None
            return f"discs at {a.c:.6g} and {b.c:.6g}: the branches of the formulas differ on the intersection"
    return f"discs at {a.c:.6g} and {b.c:.6g}: no enclosure of one branch lies in the other polydisc"


# ---------------------------------------------------------------------------------------------
# The fold lies on the family's branch (proven).
#
# Near a nondegenerate fold the solution set of G(x, s) = 0 is a smooth curve, parametrised by
# t = ℓ·(x - x_c) (ℓ the normalisation c of the fold system, x_c the fold's x, midpoints): the
# augmented system F(z, t) = (G(x, s), ℓ·(x - x_c) - t) in z = (x, s) has the Jacobian
# [[J, G_s], [ℓᵀ, 0]], invertible at the fold.  The proof that x(s) is singular at s_c:
#
#   (a) the Taylor-model Krawczyk test of F on the disc |t| <= τ (:func:`curve_krawczyk`, the
#       proof of :func:`disc_krawczyk` with the unknowns (x, s)) proves one analytic zero z(t) =
#       (x(t), s(t)) within ``enclosure`` of the polynomial P(t) for every |t| <= τ;
#   (b) Rouché on |t| = τ₁: |s'(t) - 2a₂t| <= |a₁| + Σ_{k>=3} k|a_k|τ₁^(k-1) + e/(τ - τ₁) < 2|a₂|τ₁
#       (a_k the coefficients of P_s, e the enclosure of s(t) - P_s(t), e/(τ - |t|) its Cauchy bound
#       of the derivative) proves exactly one zero t_c of s' in |t| < τ₁, so s is not constant;
#       s_c := s(t_c) lies in a₀ + (Σ_{k>=1}|a_k|τ₁^k + e)·disc;
#   (c) on the segment from t_c to t*, s(t) - s_c = (t - t_c)² q with q in ½·hull{s''}, s'' =
#       P_s'' + (a Cauchy bound 2e/(τ - |t|)²); if |s_c + u²q| < |s_c| for every such q (u = t* - t_c),
#       then |s(t)| < |s_c| on the segment but at t_c: the path s(segment) lies in |s| <= |s_c|;
#   (d) at t*, s(t*) lies in a proven disc d of the covering, the box X around both the curve's
#       enclosure of x(t*) and d's polydisc over s(t*) holds exactly one zero of d's branch for
#       every s in the ball of s(t*) (pointwise Krawczyk with s a ball), and the branches of the
#       formulas agree call by call there: x(t*) = x_d(s(t*)), and (open conditions) x(t) =
#       x_d(s(t)) for t near t*.
#
# If R > |s_c|, x(s) would be analytic on |s| < R ⊃ s(segment); x(s(t)) - x(t) vanishes near t*,
# so (identity theorem along the segment) near t_c; s'(t_c) = 0 and s is not constant, so s is not
# injective near t_c: s(t₁) = s(t₂) with t₁ ≠ t₂, and then x(t₁) = x(s(t₁)) = x(t₂), but t = ℓ·(x(t) - x_c)
# gives t₁ = t₂.  So R <= |s_c|.  The conjugate s̄_c is a singularity by reflection.
CURVE_ORDER = 24
CURVE_EPS = 1e-13    # the largest tube radius accepted for the curve (the glue needs a thin one)


def _curve_system(sysm, rd, base, zs, t, ell, xc, jac=True):
    """F(z, t) = (G(x, s), ℓ·(x - x_c) - t) at z = (x, s) and (optionally) its Jacobian in z (rows)."""
    n = sysm.n
    xs, s = list(zs[:n]), zs[n]
    z = acb(0)
    G, J = _grad_and_jac(sysm, rd, base, xs, s, jac)
    lin = ell[0] * (xs[0] - xc[0])
    for i in range(1, n):
        lin = lin + ell[i] * (xs[i] - xc[i])
    F = list(G) + [lin - t]
    if not jac:
        return F, None
    out, _ = sysm.call("grad", base, rd, [Dual(v, z) for v in xs], Dual(s, acb(1)), ctx=DualOver)
    gs = [o.du if isinstance(o, Dual) else z for o in out]
    Ja = [list(J[i]) + [gs[i]] for i in range(n)] + [list(ell) + [z]]
    return F, Ja


def fold_curve_taylor(sysm: BranchSystem, refs: list, xc: list, sc, ell: list, N: int = CURVE_ORDER,
                      prec: int = 128) -> tuple:
    """The Taylor polynomials at t = 0 (degree N) of the solution curve z(t) = (x(t), s(t)) of
    G(x, s) = 0, ℓ·(x - x_c) = t through the fold (x_c, s_c) (acb points), and of the inverse of
    the augmented Jacobian [[J, G_s], [ℓᵀ, 0]] (Newton on power series, midpoints, the driver of
    :func:`taylor_branch`).  Returns (P, A): n + 1 coefficient lists (x_1..x_n, s) and the
    (n + 1)² matrix.  Approximations: the proof is :func:`curve_krawczyk`."""
    from flint import acb_series
    from symcrit.core.laurent import series_precision
    from symcrit.core.series_newton import midpoint_newton_on_series
    rd = {"grad": refs}

    def system(zs, L):   # F and its Jacobian at t = 0 (L None) or at t the series of length L
        if L is None:
            return _curve_system(sysm, rd, "acb", zs, acb(0), ell, xc)
        return _curve_system(sysm, rd, "acb_series", zs, acb_series([acb(0), acb(1)], prec=L), ell, xc)
    with series_precision(prec, N + 1):
        return midpoint_newton_on_series(system, list(xc) + [sc], N)


def curve_krawczyk(sysm: BranchSystem, refs: list, P: list, A: list, ell: list, xc: list, tau: float,
                   eps: float | None = None, prec: int = 128) -> dict:
    """The Taylor-model Krawczyk test of the augmented system F(z, t) = (G(x, s), ℓ·(x - x_c) - t)
    on the disc |t| <= τ (the proof of :func:`disc_krawczyk` with the unknowns z = (x, s)): for
    every t there, exactly one zero z(t) with |z_i(t) - P_i(t)| <= eps, the augmented Jacobian
    invertible there, so z(t) is analytic on the disc.  Returns a dict as :func:`disc_krawczyk`
    (``enclosure``: per component of z, the proven bound of |z_i(t) - P_i(t)|)."""
    rd = {"grad": refs}
    return _taylor_test(lambda tm, zs, t, jac: _curve_system(sysm, rd, tm, zs, t, ell, xc, jac), P, A, acb(0), tau, eps,
                        prec, "tau", "tube", "Krawczyk: K(Z(t)) lies in the interior of Z(t) for every |t| <= tau")


def _acb_disc(z, rad):
    """The ball z widened by rad in the real and the imaginary part (holds the complex disc)."""
    return z + acb(arb(0, rad), arb(0, rad))


def _box_zero_test(sysm, d, Xs, Ss, prec):
    """True if a box X around both the boxes ``Xs`` and disc d's polydisc over the s-ball ``Ss``
    (which must lie in the disc) holds exactly one zero of d's branch for every s in ``Ss``
    (pointwise Krawczyk with s a ball; K strictly inside X; X widened up to 6 times to the
    Krawczyk image, as the s-ball moves the zero)."""
    n = sysm.n
    rd = {"grad": d.refs}
    with flint_ctx.workprec(prec):
        t = Ss - acb(d.c.real, d.c.imag)
        y = [_horner(p, t) for p in d.P]
        ym = [acb(v.mid()) for v in y]
        need = max(float(v.upper()) for i in range(n)
                   for v in (abs(Xs[i] - ym[i]), abs(y[i] - ym[i]) + arb(d.eps)))
        eta = 2 * need + 1e-300
        try:
            gval, _ = _grad_and_jac(sysm, rd, "acb", ym, Ss, jac=False)
        except (BranchLost, ZeroDivisionError, ValueError):
            return False
        for _ in range(6):
            X = [_acb_disc(v, eta) for v in ym]
            try:
                _, J = _grad_and_jac(sysm, rd, "acb", X, Ss)
                C = acb_mat([[acb(v.mid()) for v in row] for row in J]).inv()
            except (BranchLost, ZeroDivisionError, ValueError):
                return False
            C = acb_mat([[acb(C[i, j].mid()) for j in range(n)] for i in range(n)])
            Id = acb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
            D = acb_mat([[X[i] - ym[i]] for i in range(n)])
            K = acb_mat([[v] for v in ym]) - C * acb_mat([[g] for g in gval]) + (Id - C * acb_mat(J)) * D
            e = arb(eta)
            if all(abs(K[i, 0].real - ym[i].real) < e and abs(K[i, 0].imag - ym[i].imag) < e for i in range(n)):
                return True
            eta = 2 * max(float(v.upper()) for i in range(n) for v in (abs(K[i, 0].real - ym[i].real),
                                                                        abs(K[i, 0].imag - ym[i].imag)))
            if not math.isfinite(eta):
                return False
    return False


def _chain_discs(sysm, anchors_s, anchors, targets, sc, order, fraction, prec):
    """Taylor-model discs at the centres ``targets`` (towards the fold sc), radius ``fraction``
    times the distance to sc (halved up to 3 times where the test fails).  Returns (discs, failure)."""
    out = []
    for c in targets:
        arr = np.array(anchors_s)
        src = anchors[int(np.argmin(np.abs(arr - c)))]
        res = continue_path(sysm, src, [c], h0=max(min(0.01, abs(c - src[0])), 1e-6))
        if not res["ok"]:
            return out, f"continuation to the chain disc centre {c:.6g} failed ({res['reason']})"
        anchors_s.append(c)
        anchors.append((c, res["x"], res["refs"]))
        with flint_ctx.workprec(prec):
            racb = convert_refs(res["refs"]["grad"], "acb")
        rho = fraction * abs(c - sc)
        kr = {"ok": False, "reason": "not tried"}
        for _ in range(4):
            try:
                P, A = taylor_branch(sysm, racb, res["x"], c, order, prec)
                kr = disc_krawczyk(sysm, racb, P, A, c, rho, prec=prec)
            except (BranchLost, ZeroDivisionError, ValueError, NotConverged) as exc:
                kr = {"ok": False, "reason": str(exc)}
            if kr["ok"]:
                break
            rho /= 2
        if not kr["ok"]:
            return out, f"the chain disc at {c:.6g} is not proven: {kr['reason']}"
        d = _Disc()
        d.cell, d.c, d.rho, d.P, d.eps, d.refs, d.mirror, d.x, d.krawczyk = None, c, rho, P, kr["eps"], racb, False, res["x"], kr
        out.append(d)
    return out, None


def _glue_chain(sysm, chain, discs, prec):
    """Glue each disc of ``chain`` to its predecessor, the first to every disc of ``discs`` it meets."""
    for k, dk in enumerate(chain):
        others = [chain[k - 1]] if k else [d for d in discs if abs(d.c - dk.c) <= (d.rho + dk.rho) * (1 + 1e-9)]
        if not others:
            return f"the chain disc at {dk.c:.6g} meets no disc of the covering"
        for o in others:
            err = _glue_discs(sysm, o, dk, prec)
            if err:
                return f"chain: {err}"
    return None


#: the curve disc radii τ tried by :func:`_fold_link`, largest first
FOLD_TAUS = tuple(1.6 * 2 ** (-j / 2) for j in range(16))


def _fold_curve(fam, sysm, start, sing, prec=128, taus=FOLD_TAUS) -> dict:
    """Steps (a)-(b) of :func:`_fold_link`, which need no covering: the fold located again and refined,
    the solution curve (x(t), s(t)) through it proven analytic on |t| <= τ (the largest of ``taus``
    where the Taylor-model Krawczyk test passes with a tube radius <= :data:`CURVE_EPS`), and the
    Rouché disc |t| < τ1 holding the only zero t_c of s'(t), with the ball ``Sc`` of s(t_c).  Returns a
    dict: ``ok``, ``failure`` (why not, else None) and the pieces (``sm`` the fold in double precision,
    ``racb``, ``xc``, ``ell``, ``P``, ``A``, ``kr``, ``tau``, ``a`` (the coefficients of s(t)), ``es``,
    ``ta``, ``tau1``, ``Sc``: arb/acb at ``prec``)."""
    out: dict = {"ok": False, "failure": None}

    def fail(msg):
        out["failure"] = msg
        return out
    e = sing["singularities"][0]
    guess = complex(float(e["s"][0]), float(e["s"][1]))
    try:
        x, phi, s, c, refs, _ = locate_fold(fam, guess, sysm, start)
        x, phi, s, refs = refine_fold(sysm, x, phi, s, c, refs)
    except (NotConverged, BranchLost, ZeroDivisionError) as exc:
        return fail(f"the fold could not be located again ({exc})")
    sm = complex(s)
    n = sysm.n
    with flint_ctx.workprec(prec):
        racb = convert_refs(refs["grad"], "acb")
        xc = [acb(_acb_of(v).mid()) for v in x]
        sc = acb(_acb_of(s).mid())
        ell = [acb(v.real, v.imag) for v in c]
        try:
            P, A = fold_curve_taylor(sysm, racb, xc, sc, ell, CURVE_ORDER, prec)
        except (BranchLost, ZeroDivisionError, ValueError) as exc:
            return fail(f"the Taylor polynomials of the curve through the fold ({exc})")
        kr: dict[str, Any] = {"ok": False, "reason": "no tau tried", "eps": None}
        for tau in taus:   # the largest tau where the tube is thin (a wide one spoils the glue)
            kr = curve_krawczyk(sysm, racb, P, A, ell, xc, tau, prec=prec)
            if kr["ok"] and kr["eps"] <= CURVE_EPS:
                break
        if not (kr["ok"] and kr["eps"] <= CURVE_EPS):
            return fail(f"the curve through the fold: {kr['reason']} (tau down to {taus[-1]:.3g}, eps {kr.get('eps')})")
        a = P[n]
        es = arb(kr["enclosure"][n])
        ta = arb(tau)
        # (b) Rouché: exactly one zero t_c of s' in |t| < tau1
        a1, a2 = a[1].abs_upper(), arb(a[2].abs_lower())
        if not a2 > 0:
            return fail("the second coefficient of s(t) is not proven nonzero")
        tau1 = arb(float((4 * (a1 + 2 * es / ta) / (2 * a2)).upper()) + 1e-300)
        if not tau1 < ta / 4:
            return fail("the zero of s'(t) cannot be isolated (Rouché radius too large)")
        lhs = a1 + es / (ta - tau1)
        for k in range(3, len(a)):
            lhs += k * a[k].abs_upper() * tau1 ** (k - 1)
        if not lhs < 2 * a2 * tau1:
            return fail("Rouché: s'(t) and 2 a2 t are not proven to have the same zeros")
        rad = es
        for k in range(1, len(a)):
            rad += a[k].abs_upper() * tau1 ** k
        Sc = _acb_disc(a[0], float(rad.upper()))
    out.update(ok=True, sm=sm, racb=racb, xc=xc, ell=ell, P=P, A=A, kr=kr, tau=tau, a=a, es=es, ta=ta, tau1=tau1,
               Sc=Sc, prec=prec)
    return out


def _glue_magnitude(a, u, target, m_max):
    """The m in (0, m_max] with |s(m u) - s(0)| = ``target`` for the midpoint polynomial s(t) of the
    coefficients ``a`` (bisection; m_max if it is not reached): where the glue point t* = m u is put.
    A placement only: the proof checks |s(t*) - s_c| with the ball enclosures."""
    c = [complex(float(v.real.mid()), float(v.imag.mid())) for v in a]

    def dist(m):
        t = m * u
        return abs(sum(ck * t ** k for k, ck in enumerate(c) if k))
    if dist(m_max) <= target:
        return m_max
    lo, hi = 0.0, m_max
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if dist(mid) < target else (lo, mid)
    return lo


def _fold_link(fam, sysm, start, anchors_s, anchors, discs, sing, r, order=TAYLOR_ORDER, fraction=DISC_FRACTION,
               prec=128, sheet=None, taus=FOLD_TAUS, hole=None, curve=None, glue_distance=None):
    """Prove that the family's branch (the proven discs ``discs`` of the annulus, glued to the
    inner disc) reaches the nearest fold (the comment above :data:`CURVE_ORDER`).  ``sheet``
    (+1/-1): only this sign of t* (for tests; default: both tried).  Returns a dict: ``proven``,
    ``failure``, ``statement``, ``s_c`` (the enclosure of s(t_c), decimal strings), ``radius_upper``
    (an upper bound of |s_c|, rounded up), ``tau``, ``t_star``, ``s_star``, ``sheet``,
    ``chain_discs``, ``glued_to``, ``curve_eps``, ``seconds``.

    ``hole`` (an object with ``c``, ``rho``: the disc |s - c| < rho left out of a covering that
    reaches beyond |s_c|, :func:`prove_disc` with ``exact``): also prove R = |s_c| (:func:`_exact_radius`);
    then ``exact_radius`` (its dict) and, if proven, ``radius_exact`` ([lower, upper] of |s_c|).
    ``curve``: the result of :func:`_fold_curve` if already computed (``taus`` is then unused).
    ``glue_distance``: the glue point t* is placed where |s(t*) - s(0)| (midpoints) has this modulus
    (:func:`_glue_magnitude`; default |t*| = 0.6 τ)."""
    import time
    t0 = time.time()
    out: dict = {"proven": False, "failure": None}

    def fail(msg):
        out["failure"] = msg
        out["statement"] = f"NOT proven that the fold is on the branch: {msg}"
        out["seconds"] = round(time.time() - t0, 2)
        return out
    if curve is None:
        curve = _fold_curve(fam, sysm, start, sing, prec, taus)
    if not curve["ok"]:
        return fail(curve["failure"])
    n = sysm.n
    sm, racb, P, kr, tau = curve["sm"], curve["racb"], curve["P"], curve["kr"], curve["tau"]
    a, es, ta, tau1, Sc = curve["a"], curve["es"], curve["ta"], curve["tau1"], curve["Sc"]
    out.update(tau=tau, curve_eps=kr["eps"], curve_order=CURVE_ORDER)
    with flint_ctx.workprec(prec):
        a2m = complex(float(a[2].real.mid()), float(a[2].imag.mid()))
        # (c) t* with s(t*) - s_c ≈ -|.| s_c (towards 0), |t*| = 0.6 tau or |s(t*) - s_c| ≈ glue_distance
        w = cmath.sqrt(-sm / a2m)
        mag = 0.6 * tau
        signs = [sheet] if sheet else [1, -1]
        tried = []
        chain: list = []
        delta0 = 1 - r / abs(sm)   # the covering reaches |s| = r
        for sg in signs:
            u = sg * w / abs(w)
            if glue_distance is not None:
                mag = _glue_magnitude(a, u, glue_distance, 0.95 * tau)
            tz = mag * u
            T = acb(tz.real, tz.imag)
            Zs = [_acb_disc(_horner(p, T), kr["enclosure"][i]) for i, p in enumerate(P)]
            Ss = Zs[n]
            sstar = complex(float(Ss.real.mid()), float(Ss.imag.mid()))
            Tc = acb(arb(0, tau1), arb(0, tau1))
            U = T - Tc
            tmax = abs(T) + 2 * tau1
            if not tmax < ta:
                return fail("the segment leaves the disc of the curve")
            seg = acb(arb(T.real.mid() / 2, float((abs(T.real) / 2 + tau1).upper())),
                      arb(T.imag.mid() / 2, float((abs(T.imag) / 2 + tau1).upper())))
            d2 = [k * (k - 1) * a[k] for k in range(2, len(a))]
            cb = 2 * es / ((ta - tmax) * (ta - tmax))
            Q = (_horner(d2, seg) + acb(arb(0, float(cb.upper())), arb(0, float(cb.upper())))) / 2
            W = U * U * Q
            inward = 2 * (Sc.conjugate() * W).real + abs(W) * abs(W)
            if not inward < 0:
                tried.append(f"t* = {tz:.4g}: |s(t)| < |s_c| on the segment not proven")
                continue
            # (d) chain discs along the ray to s(t*) if the covering stops short of it
            # (the chain is common to both signs; its last disc, centred at s(t*), is per sign)
            delta1 = 1 - abs(sstar) / abs(sm)
            if delta0 > delta1:
                if not chain:
                    targets = []
                    dl = delta0
                    while dl > delta1:
                        targets.append(sm * (1 - dl))
                        dl = max(dl * 0.75, delta1)
                    chain, err = _chain_discs(sysm, anchors_s, anchors, targets, sm, order, fraction, prec)
                    if err:
                        return fail(err)
                    err = _glue_chain(sysm, chain, discs, prec)
                    if err:
                        return fail(err)
            # a disc centred at s(t*), glued to the chain or to the covering's discs that it meets
            last, err = _chain_discs(sysm, anchors_s, anchors, [sstar], sm, order, fraction, prec)
            err = err or _glue_chain(sysm, last, chain or discs, prec)
            if err:
                tried.append(f"t* = {tz:.4g}: {err}")
                continue
            ok_d = None
            for d in sorted(last + chain + list(discs), key=lambda d: abs(d.c - sstar) / d.rho):
                if not abs(Ss - acb(d.c.real, d.c.imag)) < arb(d.rho):
                    continue
                if _box_zero_test(sysm, d, Zs[:n], Ss, prec) and _same_branch(sysm, racb, d.refs, Zs[:n], Ss, prec):
                    ok_d = d
                    break
            if ok_d is None:
                tried.append(f"t* = {tz:.4g}: x(t*) is not the zero of a proven disc's branch at s(t*) = {sstar:.6g}")
                continue
            hi = abs(Sc)
            if hole is not None:
                ex = _exact_radius(a, es, ta, Sc, Ss, hole, T)
                out["exact_radius"] = ex
                if ex["proven"]:
                    out["radius_exact"] = [decimal_bound(arb(hi.lower()), False, 14), decimal_bound(arb(hi.upper()), True, 14)]
            out.update(proven=True, sheet=sg, t_star=[float(tz.real), float(tz.imag)],
                       s_star=[float(sstar.real), float(sstar.imag)], chain_discs=len(chain) + len(last),
                       glued_to=[float(ok_d.c.real), float(ok_d.c.imag)], tau1=float(tau1.upper()),
                       s_c=[ball_str(Sc.real, 15), ball_str(Sc.imag, 15)],
                       radius_upper=decimal_bound(arb(hi.upper()), True, 12))
            out["statement"] = (
                f"the fold lies on the family's branch (proven): the solution curve (x(t), s(t)) through it, "
                f"t = ℓ·(x - x_c), is analytic on |t| <= {tau:g} (Taylor-model Krawczyk of order {CURVE_ORDER}); "
                f"s'(t) has exactly one zero t_c in |t| < {float(tau1.upper()):.1e} (Rouché), so s is not injective "
                f"near t_c; |s(t)| < |s(t_c)| on the segment from t_c to t* = {tz:.6g} (ball bound); at t*, x(t*) is the "
                f"zero of the proven disc at {ok_d.c:.6g} over s(t*) = {sstar:.6g} (pointwise Krawczyk, same branch of "
                f"the formulas)" + (f", reached by {len(chain) + len(last)} more discs along the ray to the fold, glued" if chain or last else "")
                + f": x(s) continued along s(t) is x(t), which is injective in t, so x(s) is not analytic at "
                f"s_c = s(t_c) and the radius of convergence R <= |s_c| <= {out['radius_upper']}")
            out["seconds"] = round(time.time() - t0, 2)
            return out
        return fail("; ".join(tried))


#: the hole left out of the covering (``exact``): the disc |s - s_c| < ρ_c with ρ_c = EXACT_HOLE ρ', ρ' the
#: proven radius of the disc around s_c that the curve through the fold covers with two sheets (Rouché,
#: :func:`_rouche_cover`); the glue point s(t*) is placed at |a2 t*²| = EXACT_GLUE ρ', between the two
EXACT_HOLE = 0.45
EXACT_GLUE = 0.7


def _rouche_cover(a, es, ta, Sc, steps: int = 256):
    """The largest proven ρ' (over a grid of τ2 = τ j/steps) such that s(t) - s has exactly two zeros in
    |t| < τ2 for every |s - s_c| <= ρ', s_c in the ball ``Sc`` (coefficients ``a`` of s(t), tube radius
    ``es`` on |t| <= ``ta``): on |t| = τ2, |s(t) - s - a2 t²| <= |a0 - s| + |a1| τ2 + Σ_{k>=3} |a_k| τ2^k + es
    < |a2| τ2², and s' has exactly one zero there (|s'(t) - 2 a2 t| <= |a1| + Σ k |a_k| τ2^(k-1) + es/(τ - τ2)
    < 2 |a2| τ2).  Returns (ρ' as an arb strictly below the margin, τ2 as an arb), or None if no τ2 of the
    grid isolates the zero of s'."""
    a2 = arb(a[2].abs_lower())
    best = None
    for j in range(1, steps):
        t2 = ta * j / steps
        d1 = a[1].abs_upper() + es / (ta - t2)        # Rouché for s'(t) against 2 a2 t on |t| = τ2
        for k in range(3, len(a)):
            d1 += k * a[k].abs_upper() * t2 ** (k - 1)
        if not d1 < 2 * a2 * t2:
            continue
        m = a2 * t2 * t2 - a[1].abs_upper() * t2 - es - abs(Sc - a[0]).upper()
        for k in range(3, len(a)):
            m -= a[k].abs_upper() * t2 ** k
        if best is None or m.lower() > best[0].lower():
            best = (m, t2)
    if best is None:
        return None
    return arb(float(best[0].lower()) * (1 - 1e-6)), best[1]    # strictly below the margin: Rouché's strict inequality


def _exact_radius(a, es, ta, Sc, Ss, hole, T, steps: int = 256) -> dict:
    """R = |s_c| from the curve through the fold (coefficients ``a`` of s(t), tube radius ``es`` on
    |t| <= ``ta``, s_c = s(t_c) in the ball ``Sc``, the glue point s(t*) in ``Ss``, t* = ``T``) and a covering
    proven on r <= |s| <= |s_c| + ρ_c/2 except ``hole`` = {|s - c| < ρ_c}.  Rouché (:func:`_rouche_cover`):
    s(t) = s has exactly two roots in |t| < τ2 for |s - s_c| <= ρ', distinct unless s = s_c.  Proven when
    ρ' exceeds the hole (ρ_c + |c - s_c|), ρ_c + |c - s_c| < |s(t*) - s_c| < ρ' and |t*| < τ2 (x(t*) is
    one of the two sheets).  Then on U = {|s| < |s_c|, 0 < |s - s_c| < ρ'}
    (simply connected, the curve's two sheets analytic there) the covering's branch is the sheet
    through x(t*) on the connected U minus the hole, which extends it to U: x(s) is analytic on
    |s| < |s_c| (with the reflection), and singular at s_c (the fold link), so R = |s_c|.  Returns a
    dict: ``proven``, ``failure`` (None if proven), ``statement``, ``rho_prime``, ``tau2``, ``rho_hole``,
    ``glue_distance``."""
    out: dict = {"proven": False, "failure": None}
    off = abs(Sc - acb(hole.c.real, hole.c.imag))
    cover = _rouche_cover(a, es, ta, Sc, steps)
    if cover is None:
        out["failure"] = "Rouché: no τ2 < τ where s' has exactly one zero"
        return out
    rho1, tau2 = cover
    dstar = abs(Ss - Sc)
    out.update(rho_prime=float(rho1.lower()), tau2=float(tau2.mid()), rho_hole=float(hole.rho),
               glue_distance=float(dstar.mid()))
    if not rho1 > arb(hole.rho) + off:
        out["failure"] = f"the curve covers |s - s_c| <= {float(rho1.lower()):.3g} only, not the hole ({hole.rho:.3g})"
    elif not abs(T) < tau2:
        out["failure"] = f"the glue point t* is not inside |t| < τ2 = {float(tau2.mid()):.4g}"
    elif not (dstar > arb(hole.rho) + off and dstar < rho1):
        out["failure"] = (f"the glue point s(t*) at distance {float(dstar.mid()):.3g} from s_c is not between the hole "
                          f"({hole.rho:.3g}) and ρ' ({float(rho1.lower()):.3g})")
    else:
        out["proven"] = True
        out["statement"] = (f"s(t) - s has exactly two zeros in |t| < {float(tau2.mid()):.4g} for |s - s_c| <= "
                            f"{float(rho1.lower()):.3g} (Rouché against a2 t²), the covering proven on |s| <= |s_c| + "
                            f"{hole.rho / 2:.3g} except |s - s_c| < {hole.rho:.3g} (and its mirror image), glued at s(t*) "
                            f"to one sheet: x(s) is analytic on the open disc |s| < |s_c|")
    if not out["proven"]:
        out["statement"] = f"NOT proven that R = |s_c|: {out['failure']}"
    return out


def prove_disc(fam, eps_R: float = 0.02, r0: float | None = None, r: float | None = None, order: int = TAYLOR_ORDER,
               fraction: float = DISC_FRACTION, prec: int = 128, max_discs: int = 20000, max_depth: int = 40,
               progress: bool = False, sing: dict | None = None, drop: int | None = None,
               u_range: tuple = (0.0, 1.0), inner: bool | dict = True, link: bool = True,
               link_sheet: int | None = None, exact: bool = False) -> dict:
    r"""Prove that the family's branch x(s), continued from the real axis, is analytic and single
    valued in the closed annulus r0 <= |s| <= r (default r = R(1 - eps_R), R the lower end of the
    proven radius of the nearest fold, r0 = r/8 or where the inner disc reaches: see ``inner``), by a
    covering with discs on each of which the
    Taylor-model Krawczyk test (:func:`disc_krawczyk`) succeeds, glued along every intersection
    (:func:`_glue_discs`), the lower half plane by reflection, anchored at the certified real
    critical point at k = 25 (s = 1/5).

    The discs come from polar cells (split until a disc's radius is at most ``fraction`` times the
    distance to the nearest known singularity — the fold, its conjugate and s = 0 — and again
    where the test fails); each cell lies in its disc (proven at the corners), so the discs cover
    the annulus.  ``u_range``: only the sector π u0 <= arg s <= π u1 (for tests; no reflection
    unless u0 = 0, single valuedness only on the whole annulus).  ``drop``: leave out this disc
    before the covering check (for tests: the proof must then fail).

    Returns a dict: ``proven``, ``statement``, ``failure``, ``r``, ``r0``, ``R_lower``, ``discs``
    (in the upper half plane), ``mirrors`` (glued reflected discs), ``tried``, ``glued_pairs``,
    ``max_eps``, ``min_radius``/``max_radius``, ``order``, ``seconds``, ``real_identification``,
    ``max_abs`` (per parameter, a proven upper bound of |x_i(s) - x∞_i| on |s| = r) and
    ``inner_max_abs`` (on |s| = r0).

    ``inner`` (True, or a dict of keyword arguments of
    :func:`symcrit.asymptotics.innerdisc.prove_inner_disc`; False: annulus only): first prove the
    series branch analytic on the inner disc |s| <= r0 -- with the default r0, the first of
    min(0.2, r/2), r/4, r/8, … where that succeeds (the inner disc is cheap and reaches far: sk 0.24,
    sk1 0.10, sk1b 0.12, s2 0.08, against r/8 ≈ 0.04-0.05); with an r0 given, r0 halved at most 4
    times -- the annulus then starts at the r0 reached, and glue it to the annulus
    (:func:`_glue_inner`: at the points r0 e^(iπu), u = u0, (u0 + u1)/2, u1 of the sector, the
    annulus disc's pointwise Krawczyk enclosure lies inside the inner polydisc and the formulas'
    branches agree call by call).  Then ``inner`` (the inner proof's summary), ``inner_glued`` and
    ``glue``; on the whole annulus with both proven and glued, x(s) is analytic on the closed disc
    |s| <= r and the series' branch is the family's (``whole_disc`` True).

    ``link`` (default True): with the whole disc proven and ``sing`` known, also prove that the
    nearest fold lies on this branch (:func:`_fold_link`; ``fold_link``: its ``proven``,
    ``statement``, ``radius_upper`` (an upper bound of |s_c|), ``s_c``, ``tau``, ``t_star``,
    ``chain_discs``, ``seconds``), so that R <= |s_c| is proven too.  ``link_sheet`` (+1/-1): only
    that sign of the glue point t* (for tests: the other sheet must fail).

    ``exact`` (needs ``sing``): first prove the curve through the nearest fold s_c and the radius ρ' of
    the disc |s - s_c| <= ρ' it covers with two sheets (:func:`_fold_curve`, :func:`_rouche_cover`),
    then also cover r <= |s| <= |s_c| + ρ_c/2 except the disc |s - s_c| < ρ_c, ρ_c = :data:`EXACT_HOLE` ρ'
    (its conjugate by reflection; the hole stays open to the outside, so no disc encircles the
    square-root point), and let the fold link glue one sheet at |s(t*) - s_c| ≈ :data:`EXACT_GLUE` ρ':
    then x(s) is analytic on |s| < |s_c| and R = |s_c| (``exact_radius`` in ``fold_link``).  The
    outcome is ``exact_radius``: ``asked``, ``proven``, ``failure`` (the first step that failed, None
    if proven), ``statement``, ``radius`` ([lower, upper] of R = |s_c| if proven), ``rho_prime``,
    ``rho_hole``, ``tau``, ``tau2``, ``glue_distance``."""
    import sys
    import time
    from tqdm import tqdm
    from symcrit.core.numbers import to_mpf
    t_start = time.time()
    R_lo = None
    if r is None:
        if sing is None:
            sing = singularities(fam)
        if sing["radius"] == "inf":
            return {"family": fam.id, "proven": True, "r": "inf", "r0": "0", "statement": sing["proven"],
                    "failure": None}
        if not sing.get("radius_enclosure"):
            return {"family": fam.id, "proven": False, "failure": "the nearest fold is not proven",
                    "statement": "NOT proven: the nearest fold is not proven",
                    **({"exact_radius": {"asked": True, "proven": False, "failure": "the nearest fold is not proven",
                                         "statement": "NOT proven that R = |s_c|: the nearest fold is not proven"}}
                       if exact else {})}
        R_lo = float(mpmath.mpf(sing["radius_enclosure"][0]))
        r = R_lo * (1 - eps_R)
    r = math.floor(r * 2 ** 40) / 2 ** 40
    asked = r0
    r0 = math.floor((r / 8 if r0 is None else r0) * 2 ** 40) / 2 ** 40
    inner_res = None
    if inner is not False and r0 > 0:
        from symcrit.asymptotics.innerdisc import prove_inner_disc
        opts = inner if isinstance(inner, dict) else {}
        r0_first = r0
        # default r0: the largest of min(0.2, r/2), r/4, r/8, … where the inner disc is proven (it
        # reaches far beyond r/8, and every octave it covers saves annulus discs; 0.2 keeps s = 1/5,
        # where the real branch is identified, in the annulus); an r0 asked for: it, halved
        tries = ([min(0.2, r / 2), r / 4, r / 8, r / 16, r / 32, r / 64] if asked is None else
                 [r0 / 2 ** t for t in range(5)])
        for t in tries:
            r0 = math.floor(t * 2 ** 40) / 2 ** 40
            inner_res = prove_inner_disc(fam, r0, **opts)
            if inner_res["proven"]:
                break
        if inner_res is None or not inner_res["proven"]:
            r0 = r0_first          # the annulus as asked; the inner disc is reported as not proven
    folds = []
    if sing is not None:
        for e in sing.get("singularities", []):
            folds.append(complex(float(e["s"][0]), float(e["s"][1])))
    sysm = BranchSystem(fam.space)
    start = _start(fam, sysm)

    def dist(c):
        return min([abs(c)] + [abs(c - f) for f in folds])

    hole = None
    r_out = r
    curve = glue_at = None
    exact_info: dict[str, Any] | None = None
    if exact:
        if not folds:
            return {"family": fam.id, "proven": False, "failure": "exact: the nearest fold is not known",
                    "statement": "NOT proven: exact: the nearest fold is not known",
                    "exact_radius": {"asked": True, "proven": False, "failure": "the nearest fold is not known",
                                     "statement": "NOT proven that R = |s_c|: the nearest fold is not known"}}
        # the curve through the fold first: the hole is sized from the disc it is proven to cover
        exact_info = {"asked": True, "proven": False, "failure": None}
        curve = _fold_curve(fam, sysm, start, sing, prec)
        cover = None
        if not curve["ok"]:
            exact_info["failure"] = curve["failure"]
        else:
            with flint_ctx.workprec(prec):
                cover = _rouche_cover(curve["a"], curve["es"], curve["ta"], curve["Sc"])
            if cover is None:
                exact_info["failure"] = "Rouché: no τ2 < τ where s' has exactly one zero"
            elif not cover[0] > 0:
                exact_info["failure"] = "Rouché: the curve through the fold is not proven to cover a disc around s_c"
        if exact_info["failure"] is None and cover is not None:
            rho_p = float(cover[0].lower())
            sc0 = complex(float(curve["Sc"].real.mid()), float(curve["Sc"].imag.mid()))
            sc0 = sc0 if sc0.imag >= 0 else sc0.conjugate()
            hole = _Disc()
            hole.c, hole.rho = sc0, EXACT_HOLE * rho_p
            glue_at = EXACT_GLUE * rho_p
            r_out = math.ceil((abs(sc0) + hole.rho / 2) * 2 ** 40) / 2 ** 40
            exact_info.update(rho_prime=rho_p, rho_hole=hole.rho, tau=curve["tau"])
    cells = [(r0, r_out, u_range[0], u_range[1])]
    ready = []
    excluded = []
    while cells:
        cell = cells.pop()
        c, rho = _cell_disc(cell)
        if hole is not None and _cell_in_disc(cell, hole.c, hole.rho):
            excluded.append(cell)
        elif rho > fraction * dist(c):
            cells += _split(cell)
        else:
            ready.append(cell)
    ready.sort(key=lambda k: ((k[2] + k[3]) / 2, k[0]))
    anchors_s: list = [start[0]]
    anchors: list = [start]
    discs: list = []
    failure = None
    tried = 0
    bar = tqdm(desc=f"discs {fam.id}", unit="disc", disable=not progress, leave=False, file=sys.stderr)
    queue = [(cell, 0) for cell in ready]
    while queue and failure is None:
        if tried >= max_discs:
            failure = f"budget: {tried} disc tests made, {len(queue)} cells left"
            break
        cell, depth = queue.pop(0)
        c, rho = _cell_disc(cell)
        arr = np.array(anchors_s)
        src = anchors[int(np.argmin(np.abs(arr - c)))]
        res = continue_path(sysm, src, [c], h0=max(min(0.01, abs(c - src[0])), 1e-6))
        if not res["ok"]:
            failure = f"continuation to the disc centre {c:.6g} failed ({res['reason']})"
            break
        anchors_s.append(c)
        anchors.append((c, res["x"], res["refs"]))
        with flint_ctx.workprec(prec):
            racb = convert_refs(res["refs"]["grad"], "acb")
        try:
            P, A = taylor_branch(sysm, racb, res["x"], c, order, prec)
            kr = disc_krawczyk(sysm, racb, P, A, c, rho, prec=prec)
        except (BranchLost, ZeroDivisionError, ValueError, NotConverged) as exc:
            kr = {"ok": False, "reason": str(exc)}
        tried += 1
        bar.update(1)
        if not kr["ok"]:
            if depth >= max_depth:
                failure = f"disc at {c:.6g} (radius {rho:.3g}) not proven at the finest level: {kr['reason']}"
                break
            queue[:0] = [(ch, depth + 1) for ch in _split(cell)]
            continue
        d = _Disc()
        d.cell, d.c, d.rho, d.P, d.eps, d.refs, d.mirror, d.x, d.krawczyk = cell, c, rho, P, kr["eps"], racb, False, res["x"], kr
        discs.append(d)
    bar.close()
    out = {"family": fam.id, "r": repr(r), "r0": repr(r0), "eps_R": eps_R, "R_lower": R_lo, "order": order,
           "discs": len(discs), "tried": tried, "sector": [repr(u_range[0]), repr(u_range[1])]}
    if failure is None and drop is not None:
        discs.pop(drop)
    if failure is None:
        # the cells tile the sector exactly (binary splits); each must lie in a proven disc
        proven_cells = {d.cell: d for d in discs}
        proven_cells.update({cell: hole for cell in excluded})   # the hole: covered by the fold's disc
        for cell in _leaves(ready + excluded, proven_cells):
            dc = proven_cells.get(cell)
            if dc is None or not _cell_in_disc(cell, dc.c, dc.rho):
                failure = f"the discs do not cover the annulus: the cell {cell} is not in a proven disc"
                break
    mirrors = []
    pairs = 0
    if failure is None:
        if u_range[0] <= 0:
            # every mirror disc that can meet an upper disc: the upper discs reach down to
            # Im s = -depth, a mirror disc up to Im s = -(Im c - rho)
            depth = max(d.rho - d.c.imag for d in discs)
            mirrors = [d.conj() for d in discs if d.c.imag - d.rho <= depth * (1 + 1e-9) + 1e-15]
        alld = discs + mirrors
        cx = np.array([d.c for d in alld])
        rr = np.array([d.rho for d in alld])
        nu = len(discs)
        for a in range(len(alld)):
            near = np.nonzero(np.abs(cx - cx[a]) <= (rr + rr[a]) * (1 + 1e-9))[0]
            for b in near:
                if b <= a or (a >= nu and b >= nu):
                    continue
                err = _glue_discs(sysm, alld[a], alld[b], prec)
                if err:
                    failure = err
                    break
                pairs += 1
            if failure:
                break
    out["glued_pairs"] = pairs
    out["mirrors"] = len(mirrors)
    whole = u_range[0] <= 0 and u_range[1] >= 1
    if inner_res is not None:
        out["inner"] = {k: v for k, v in inner_res.items() if k != "branch"}
        out["inner_glued"] = False
        if failure is None and inner_res["proven"]:
            us = sorted({u_range[0], (u_range[0] + u_range[1]) / 2, u_range[1]})
            err, out["glue"] = _glue_inner(sysm, inner_res["branch"], discs, r0, us, prec)
            if err:
                failure = f"the inner disc and the annulus: {err}"
            else:
                out["inner_glued"] = True
    if failure is None and u_range[0] <= 0 and r0 <= 0.2 <= r:
        failure, out["real_identification"] = _identify_real_disc(fam, sysm, discs, prec)
    if discs:
        out["max_eps"] = max(d.eps for d in discs)
        out["min_radius"] = min(d.rho for d in discs)
        out["max_radius"] = max(d.rho for d in discs)
    if failure is None:
        names = [str(p) for p in fam.space.params]
        lim = [to_mpf(v) for v in fam.limit] if fam.limit is not None else None
        out.update(_disc_moduli(discs, names, lim, r0, r, prec))
    if link and failure is None and whole and out.get("inner_glued") and sing is not None and sing.get("singularities"):
        out["fold_link"] = _fold_link(fam, sysm, start, anchors_s, anchors, discs, sing, r_out, order, fraction, prec,
                                      sheet=link_sheet, hole=hole, curve=curve, glue_distance=glue_at)
    if exact_info is not None:
        link_res: dict[str, Any] | None = out.get("fold_link")
        ex = (link_res or {}).get("exact_radius")
        if exact_info["failure"] is not None:
            pass
        elif failure is not None:
            exact_info["failure"] = f"the covering: {failure}"
        elif link_res is None:
            exact_info["failure"] = ("the fold link was not run (it needs the whole disc proven: the inner disc "
                                     "glued to the annulus, and the fold)")
        elif not link_res.get("proven"):
            exact_info["failure"] = f"the fold link: {link_res.get('failure')}"
        elif ex is None:
            exact_info["failure"] = "the exact step was not run"
        elif not ex.get("proven"):
            exact_info["failure"] = ex.get("failure")
        else:
            exact_info["proven"] = True
            exact_info["radius"] = list(link_res["radius_exact"])
        if ex is not None:
            exact_info.update({k: ex[k] for k in ("rho_prime", "tau2", "glue_distance") if k in ex})
        exact_info["statement"] = (ex["statement"] if exact_info["proven"] and ex is not None else
                                   f"NOT proven that R = |s_c|: {exact_info['failure']}")
        out["exact_radius"] = exact_info
    out["seconds"] = round(time.time() - t_start, 2)
    out["proven"] = failure is None
    out["failure"] = failure
    out["whole_disc"] = bool(failure is None and whole and out.get("inner_glued"))
    where = (f"the closed annulus {r0:.6g} <= |s| <= {r:.12g}" if whole else
             f"the closed sector {r0:.6g} <= |s| <= {r:.12g}, {u_range[0]:.6g}π <= arg s <= {u_range[1]:.6g}π")
    out["statement"] = (f"the branch x(s) of {fam.id}, continued from the real axis, is analytic"
                        f"{' and single valued' if whole else ''} in {where} (proven: {len(discs)} discs in the "
                        f"upper half plane and {len(mirrors)} mirror images, a Taylor-model Krawczyk test of order "
                        f"{order} on each, glued along every intersection)" if failure is None else f"NOT proven: {failure}")
    if hole is not None and failure is None:
        out["r_out"], out["hole"] = repr(r_out), [hole.c.real, hole.c.imag, hole.rho]
        out["statement"] += (f"; the covering also reaches {r:.12g} <= |s| <= {r_out:.12g} except the disc "
                             f"|s - s_c| < {hole.rho:.3g} around the nearest fold s_c and its mirror image")
    if out["whole_disc"]:
        out["statement"] += (f"; and on the inner disc |s| <= {r0:.6g} ({out['inner']['statement']}), glued to the "
                             f"annulus: x(s) is analytic and single valued on the closed disc |s| <= {r:.12g}, and "
                             f"the series' branch is the family's")
    elif inner_res is not None and failure is None:
        out["statement"] += (f"; the inner disc |s| < {r0:.6g}: "
                             + (out["inner"]["statement"] if not inner_res["proven"] else
                                "proven on its own and glued at the points of the sector (not the whole disc)"))
    return out


def _glue_inner(sysm, branch, discs, r0, us, prec):
    """Glue the inner branch (an :class:`symcrit.asymptotics.innerdisc.InnerBranch`, proven on
    |s| <= r0) to the annulus discs at the points s* = r0 e^(iπu), u in ``us`` (s* exact, moved
    inside |s| <= r0 by a relative 2^-30 off the real axis): a disc containing s*
    strictly gives the pointwise Krawczyk enclosure K* of its branch at s* (it holds x_d(s*)); K*
    mapped to y = (x - x∞)/s*^m lies strictly inside the inner polydisc Y(s*), and the formulas'
    branches (every sqrt, atan2, sign) agree call by call on the box of x over Y(s*) (the annulus
    disc's references against the inner evaluation's recorded values, as :func:`_same_branch`).
    Then G_d = G_inner near (x_d(s*), s*), x_d(s*) is a zero of H(s*, ·) in Y(s*), so it is y(s*);
    by continuity and uniqueness x_d = x∞ + s^m y near s*, and (identity theorem) on the thin
    open annulus around |s| = r0 where both are analytic.  Returns (None or the reason, a
    sentence)."""
    done = []
    for u in us:
        with flint_ctx.workprec(prec):
            # just inside |s| = r0 (the point must lie in the inner disc: a ball around r0 e^(iπu) does not)
            s_star = acb(arb(r0) * (1 - arb(2) ** -30)) * acb(arb(u)).exp_pi_i()
            s_star = acb(s_star.real.mid(), s_star.imag.mid())
            if u == 0:
                s_star = acb(arb(r0))
            elif u == 1:
                s_star = acb(-arb(r0))
            sp = complex(float(s_star.real.mid()), float(s_star.imag.mid()))
            cand = [d for d in discs if abs(s_star - acb(d.c.real, d.c.imag)) < arb(d.rho)]
        if not cand:
            return f"no annulus disc contains the point {sp:.6g} strictly", None
        ok = False
        for d in sorted(cand, key=lambda d: abs(d.c - sp) / d.rho):
            kraw = _point_krawczyk(sysm, d.refs, d.P, d.c, d.eps, s_star, prec)
            if kraw is None:
                continue
            with flint_ctx.workprec(prec):
                if not branch.inside(kraw, s_star):
                    continue
                X = branch.x_box(s_star)
                ca = BranchContext("acb", d.refs)
                try:
                    sysm.space.compiled["grad"](ca, *X, 1 / (s_star * s_star))
                    vin = branch.values(s_star)
                except (BranchLost, ZeroDivisionError, ValueError):
                    continue
                if len(ca.values) != len(vin):
                    continue
                same = True
                for (ka, va), (kb, vb) in zip(ca.values, vin):
                    if ka != kb:
                        same = False
                    elif ka == "sigma":
                        same = same and va == vb
                    elif ka == "sqrt":
                        same = same and bool(abs(va - vb) < abs(va))
                    else:
                        same = same and bool(abs(va - vb) < 3)
                    if not same:
                        break
            if same:
                ok = True
                done.append(f"{sp:.6g} (disc at {d.c:.6g})")
                break
        if not ok:
            return (f"at s = {sp:.6g} no annulus disc's enclosure lies in the inner polydisc with the same "
                    f"branches of the formulas"), None
    return None, ("the annulus discs' pointwise Krawczyk enclosures at s = " + ", ".join(done) + " lie inside the "
                  "inner polydisc, with the same branch of every sqrt/atan2/sign there: one analytic function")


def _leaves(ready, proven):
    """The cells of the final tiling: the ready cells, each replaced by its proven descendants."""
    out = []
    stack = list(ready)
    while stack:
        cell = stack.pop()
        if cell in proven:
            out.append(cell)
            continue
        kids = _split(cell)
        if any(_descendant_in(k, proven) for k in kids):
            stack += kids
        else:
            out.append(cell)   # not proven, no proven descendant: reported as missing
    return out


def _descendant_in(cell, proven):
    R0, R1, u0, u1 = cell
    return any(p[0] >= R0 and p[1] <= R1 and p[2] >= u0 and p[3] <= u1 for p in proven)


def _identify_real_disc(fam, sysm, discs, prec):
    """At s = 1/5 (k = 25) the glued function is the family's real branch: a pointwise Krawczyk
    test on a box X' around P(1/5 - c) wide enough to hold both the disc's polydisc and the
    certified real critical point proves one zero of the disc's branch in X'; the real point is a
    zero of it (the references select the principal real values there), so it is x(1/5)."""
    cp = fam.solve(25, dps=30, verify=False)
    cp.certify()
    if not cp.certified:
        return "the real critical point at k = 25 is not certified", None
    with flint_ctx.workprec(prec):
        s = acb(arb(1) / 5)
        rad = float(mpmath.mpf(cp.radius)) * 1.01
        xr = [acb(arb(_exact_arb(mpmath.mpf(v)).mid(), rad)) for v in cp.values]
        for d in discs:
            if not abs(s - acb(d.c.real, d.c.imag)) <= arb(d.rho):
                continue
            eta = 1000 * max(rad, d.eps)
            kraw, X = _point_krawczyk(sysm, d.refs, d.P, d.c, eta, s, prec, boxes=True)
            if kraw is None:
                continue
            inside = all(X[i].contains(k) and X[i].contains(x) for i, (k, x) in enumerate(zip(kraw, xr)))
            strict = all(abs(k.real - X[i].real.mid()) < arb(X[i].real.rad()) and abs(k.imag - X[i].imag.mid()) < arb(X[i].imag.rad())
                         for i, k in enumerate(kraw))
            if not (inside and strict):
                continue
            if not _same_branch(sysm, d.refs, None, xr, s, prec):
                return f"the references of the disc at {d.c:.6g} do not select the principal real branch", None
            return None, (f"the certified real critical point at k = 25 (Krawczyk radius {float(cp.radius):.1e}) "
                          f"and the polydisc of the disc at {d.c:.6g} over s = 1/5 lie in a box of half-width "
                          f"{eta:.1e} holding exactly one zero of the disc's branch (Krawczyk), and the references "
                          f"select the principal real values there: the glued function is the family's branch")
    return "no disc over s = 1/5 holds the certified real critical point at k = 25", None


def _disc_moduli(discs, names, lim, r0, r, prec):
    """Upper bounds of |x_i - x∞_i| over the discs meeting |s| = r, and over those meeting |s| = r0."""
    out = {}
    for tag, rad in (("max_abs", r), ("inner_max_abs", r0)):
        best = [arb(0)] * len(names)
        with flint_ctx.workprec(prec):
            for d in discs:
                if not (abs(d.c) - d.rho * (1 + 1e-9) <= rad <= abs(d.c) + d.rho * (1 + 1e-9)):
                    continue
                for i, p in enumerate(d.P):
                    q = [p[0] - (_exact_arb(lim[i]) if lim is not None else 0)] + list(p[1:])
                    u = _poly_sup(q, arb(d.rho)) + arb(d.eps)
                    if u > best[i]:
                        best[i] = u
        out[tag] = {nm: decimal_bound(arb(b.upper()), True, 8) for nm, b in zip(names, best)}
    return out
