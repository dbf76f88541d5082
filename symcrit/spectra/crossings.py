r"""Crossings: the real k where an isotypic Hessian eigenvalue of a family is 0, proven.

1. **Scan** (float64, fast): the branch is followed along the grid k_lo, k_lo + step, … by warm
   starts (a secant predictor from the two previous points and Newton on the reduced gradient), and
   at each k only the components' small blocks are formed (the pencil A − λB with A = UᵀHU,
   B = UᵀU the Gram matrix in the orbit-weighted inner product, from directional derivatives of the
   finer fixed-point space's gradient; see :mod:`symcrit.spectra.hessian`).  A change in the
   number of negative eigenvalues of a component between two grid points brackets a crossing.
   The scan alone is not a proof that no crossing was missed (two crossings within one step
   cancel): that is step 4.
2. **Refinement**: secant steps in float64 on the eigenvalue, then Newton at digits + 25 digits on
   the extended system in (x, v, k): G(x, k) = 0, A(x, k) v = 0, cᵀv = 1
   (:class:`symcrit.critical.extended.ExtendedSystem`; the Jacobian by second-order jets).
3. **Proof**: the Krawczyk test in ball arithmetic on that system (a box of radius 10^-(digits+10)
   holds exactly one solution); the k-coordinate of K(Z) encloses k*.  B is proven positive
   definite on the k-ball (leading minors > 0), so A v = 0 with v ≠ 0 is exactly a zero eigenvalue
   of the pencil.  The derivative dλ/dk = vᵀ(dA/dk)v / vᵀBv along the branch (dA/dk the total
   derivative, x'(k) = −G_x⁻¹G_k) is enclosed in balls over the proven box: nonzero means the
   eigenvalue changes sign at k* (a transversal crossing), and its sign gives the direction.

4. **Completeness** (``completeness=True``, :func:`prove_completeness`): on every interval between
   scan points (halved where needed) a parametric Krawczyk test encloses the branch x(k) for all
   k in the interval at once (:func:`branch_box`), and every isotypic block, enclosed over it, has
   a ball LDLᵀ with every pivot's sign decided: no eigenvalue reaches 0 there; on an interval
   holding a proven crossing, the crossing eigenvalue's Schur complement is strictly monotone
   (:func:`_single_crossing`).  Then the records are all the crossings in the scanned range
   (``completeness["evidence"] == "proven"``), or the sub-intervals not decided are listed.

Only the digits the enclosure guarantees are printed: ``k`` is k* correctly rounded to at most
``digits`` significant digits, ``k_enclosure`` bounds it; ``certified`` is true only with the
proof.  Where the branch ends at a fold, the fold is proven the same way
(:func:`symcrit.critical.folds.refine_fold`).

>>> from symcrit.critical.families import family
>>> c = crossings(family("sk1"), k_lo=5.5, k_hi=6, step=0.5, digits=20)
>>> [(r["k"], r["component"], r["certified"]) for r in c]
[('5.5855052474258800069', 'V_2', True)]
"""
from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np
from flint import arb, arb_mat, ctx as flint_ctx

from symcrit.core.contexts import get_context
from symcrit.core.dual import Dual, DualOver
from symcrit.core.errors import BranchEnded, NotConverged
from symcrit.core.jet import Jet, JetContext
from symcrit.core.laurent import ball_mid
from symcrit.core.newton import newton
from symcrit.critical.continuation import natural, relative_jump
from symcrit.critical.extended import ExtendedSystem, MatrixBlock, ball_bounds, ball_digits
from symcrit.spectra.hessian import component_types, fine_space, spectrum
from symcrit.symmetry.blocks import K_SYMBOL, poly_at

__all__ = ["crossings", "prove_crossing", "prove_completeness", "branch_box", "CrossingList", "ComponentBlock", "ExtraColumnBlock", "CrossingSystem", "attach_arm_spectra",
           "component_blocks", "float_pencil_eigs"]


# ---------------------------------------------------------------------------------------------
# the blocks

_ARB_DUAL = DualOver(get_context("arb"))


class ComponentBlock:
    """The Hessian on one isotypic component of the space ``coarse`` as a pencil A − λB acting on
    the coefficients of the copies u_1 … u_m: A_ab = u_aᵀ H u_b (directional derivatives of the
    finer fixed-point space's entry gradient, weighted by its orbit sizes), B_ab = u_aᵀ u_b.
    ``keep`` selects independent copies (default all)."""

    def __init__(self, coarse, name, labels, vecs):
        self.coarse, self.name = coarse, name
        key = tuple(sorted((I, tuple(l)) for I, l in labels.items()))
        self.fine = fine_space(tuple(coarse.sizes), key, coarse.extra)
        self.W_all = [self.fine.coords(f) for f in vecs]
        self.support = sorted({t for w in self.W_all for t, c in enumerate(w) if c != 0})
        self.only = set(self.support)
        self.orb = {t: self.fine.space.orbit_sizes[t] for t in self.support}
        self.set_keep(range(len(self.W_all)))

    def set_keep(self, keep):
        self.keep = list(keep)
        self.W = [self.W_all[i] for i in self.keep]
        self.m = len(self.W)

    # -- float64 (the scan) ----------------------------------------------------------------------
    def float_pencil(self, x, k, h=1e-6):
        """(A, B) over all copies at (x, k), float64 arrays; A by central differences of the fine
        gradient along the copies, all 2m points in one vectorised evaluation (a scan only: the
        stated results come from the extended system)."""
        y0 = np.array(self.fine.point([float(t) for t in x]), dtype=float)
        k = float(k)
        m = len(self.W_all)
        Wm = np.array(self.W_all, dtype=float)                      # m × (fine dim)
        steps = np.concatenate([Wm, -Wm]) * h                        # 2m × dim
        Y = y0[None, :] + steps
        g = self.fine.space.entry_gradient_in(get_context("float"), [Y[:, t] for t in range(len(y0))], k,
                                              only=self.only)
        orb = {t: float(poly_at(c, k)) for t, c in self.orb.items()}
        A, B = np.zeros((m, m)), np.zeros((m, m))
        for t in self.support:
            gt = np.asarray(g[t], dtype=float)
            hw = (gt[:m] - gt[m:]) / (2 * h)                         # (H u_b)_t for every b
            A += orb[t] * np.outer(Wm[:, t], hw)
            B += orb[t] * np.outer(Wm[:, t], Wm[:, t])
        return (A + A.T) / 2, B

    # -- any context (the extended system) ------------------------------------------------------------
    def apply(self, jctx, x, k, v):
        """Jets of A(x, k) v: the ε₁ part is A v, the ε₁ε₂ part its derivative along the ε₂
        direction carried by the jets ``x``, ``k`` (see :class:`~symcrit.critical.extended.ExtendedSystem`)."""
        y = self.fine.point(x)
        w = [sum((vb * Wb[t] for vb, Wb in zip(v, self.W) if Wb[t] != 0), 0) for t in range(len(y))]
        y = [Jet(Jet.lift(yt).a, wt, Jet.lift(yt).c, 0) for yt, wt in zip(y, w)]
        g = self.fine.space.entry_gradient_in(jctx, y, k, only=self.only)
        h = {t: poly_at(self.orb[t], k) * g[t] for t in self.support}
        return [Jet.lift(sum((Wa[t] * h[t] for t in self.support if Wa[t] != 0), Jet(0))) for Wa in self.W]

    def residual_arb(self, x, k, v):
        """A(x, k) v in ball arithmetic (first-order duals over arb: cheaper than jets)."""
        y0 = self.fine.point(list(x))
        y = [Dual(yt, sum((vb * Wb[t] for vb, Wb in zip(v, self.W) if Wb[t] != 0), arb(0))) for t, yt in enumerate(y0)]
        g = self.fine.space.entry_gradient_in(_ARB_DUAL, y, Dual(k, arb(0)), only=self.only)
        h = {t: poly_at(self.orb[t], k) * Dual.lift(g[t]).du for t in self.support}
        return [sum((Wa[t] * h[t] for t in self.support if Wa[t] != 0), arb(0)) for Wa in self.W]

    def gram(self, k):
        """B(k) over the kept copies (any number type for k)."""
        orb = {t: poly_at(c, k) for t, c in self.orb.items()}
        return [[sum((orb[t] * Wa[t] * Wb[t] for t in self.support if Wa[t] and Wb[t]), 0) for Wb in self.W]
                for Wa in self.W]


class ExtraColumnBlock(MatrixBlock):
    """The Hessian on the extra input columns (d > k): 'extra:trivial' (r×r, in the unsymmetrised
    form M_IJ = p_J C_IJ, similar to the symmetric one) or 'extra:V_I' (1×1: D_I − O_I)."""

    def __init__(self, coarse, name):
        self.coarse, self.name = coarse, name
        r = len(coarse.sizes)
        if name == "extra:trivial":
            super().__init__(r, self._trivial)
        else:
            self.I = int(name.split("_")[1]) - 1
            super().__init__(1, self._standard)
        self.keep = list(range(self.m))

    def _trivial(self, ctx, x, k):
        D, O, C = self.coarse.extra_column_block(ctx, x, k)
        p = [poly_at(s, k) for s in self.coarse.sizes]
        r = len(p)
        return [[(D[I] + ((p[I] - 1) * O[I] if O[I] is not None else 0)) if I == J else p[J] * C[I][J]
                 for J in range(r)] for I in range(r)]

    def _standard(self, ctx, x, k):
        D, O, _ = self.coarse.extra_column_block(ctx, x, k)
        return [[D[self.I] - O[self.I]]]

    def float_pencil(self, x, k):
        M = self.entries(get_context("float"), [float(t) for t in x], float(k))
        M = np.array([[float(e) for e in row] for row in M])
        if self.name == "extra:trivial":
            p = np.array([float(poly_at(s, float(k))) for s in self.coarse.sizes])
            S = np.sqrt(p)
            M = (S[:, None] * M / S[None, :])
            M = (M + M.T) / 2
        return M, np.eye(self.m)

    def residual_arb(self, x, k, v):
        M = self.entries(get_context("arb"), list(x), k)
        return [sum((M[a][b] * v[b] for b in range(self.m)), arb(0)) for a in range(self.m)]

    def gram(self, k):
        return [[1 if a == b else 0 for b in range(self.m)] for a in range(self.m)]


def component_blocks(space: Any, k: float, extra_columns: bool = False, cache: dict | None = None) -> dict:
    """{name: block} for the non-trivial isotypic components present at (real) k (``cache``: a dict
    of blocks already built, by name)."""
    cache = {} if cache is None else cache
    sizes_at_k = [float(poly_at(s, float(k))) for s in space.sizes]
    # which types exist depends only on which block sizes reach 2, 3, 4
    present = ("types", tuple(min(math.floor(p), 4) for p in sizes_at_k))
    if present not in cache:
        cache[present] = [(name, labels, vecs) for name, _, labels, vecs in component_types(space, sizes_at_k)]
    out = {}
    for name, labels, vecs in cache[present]:
        if name not in cache:
            cache[name] = ComponentBlock(space, name, labels, vecs)
        out[name] = cache[name]
    if extra_columns:
        out["extra:trivial"] = ExtraColumnBlock(space, "extra:trivial")
        for I, p in enumerate(sizes_at_k):
            if p >= 2:
                out[f"extra:V_{I + 1}"] = ExtraColumnBlock(space, f"extra:V_{I + 1}")
    return out


def _independent(B, tol=1e-9):
    """Indices of linearly independent copies (a float64 scan: greedy on the normalised Gram
    matrix, unit diagonal, so the decision does not depend on the copies' scale; the exact
    decision is :class:`symcrit.spectra.hessian.CopyBasis`)."""
    keep = []
    for a in range(B.shape[0]):
        if not B[a, a] > 0:
            continue
        idx = keep + [a]
        d = np.sqrt(np.diag(B)[idx])
        sub = B[np.ix_(idx, idx)] / np.outer(d, d)
        if np.linalg.eigvalsh(sub)[0] > tol:
            keep.append(a)
    return keep


def float_pencil_eigs(block: Any, x: Sequence, k: float) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Eigenvalues (ascending) and eigenvectors (columns, coefficients of the kept copies) of the
    pencil at (x, k) in float64, and the kept copies."""
    A, B = block.float_pencil(x, k)
    keep = _independent(B)
    A, B = A[np.ix_(keep, keep)], B[np.ix_(keep, keep)]
    L = np.linalg.cholesky(B)
    Li = np.linalg.inv(L)
    ev, Y = np.linalg.eigh(Li @ A @ Li.T)
    return ev, Li.T @ Y, keep


def _trivial_eigs(space, x, k):
    n = space.dim
    J = np.array(space.jacobian_function("float")(list(x), float(k)), dtype=float).reshape(n, n)
    orb = np.array([float(poly_at(o, float(k))) for o in space.orbit_sizes])
    live = orb > 0
    s = np.sqrt(orb[live])
    H = (s[:, None] * J[np.ix_(live, live)] / s[None, :])
    return np.linalg.eigvalsh((H + H.T) / 2)


# ---------------------------------------------------------------------------------------------
# following the branch


def _newton_float(space, x, k):
    x, _, _ = newton(space, [float(t) for t in x], float(k), backend="float", maxit=20)
    return np.array(x, dtype=float)


class _Walk:
    """The branch of a family in float64 at the scanned k, by warm starts."""

    def __init__(self, fam):
        self.fam = fam
        self.space = fam.space

    def from_family(self, k):
        return np.array([float(t) for t in self.fam.solve(_kval(k), dps=20, verify=False).values])

    def at(self, k, prev):
        """x at k from the previous points ``prev`` [(k, x)] (secant predictor + Newton), checked
        against the previous step; falls back to the family's own solve."""
        if not prev:
            return self.from_family(k)
        # one natural step in k (secant predictor, a jump test relative to the last change)
        with np.errstate(all="ignore"):
            res = natural(self.space, prev, variable="k", backend="float", predictor="secant", schedule=[k],
                          jump=relative_jump(10, 1e-8, first=0.05), maxit=20)
        if res.end == "target":
            return np.array(res.x, dtype=float)
        return self.from_family(k)


def _kval(k):
    from symcrit.core.numbers import parse_k
    return parse_k(k, allow_float=True)  # exact: int, Fraction, mpf (a float grid point at its own value)


def _counts(fam, blocks, x, k):
    out = {"trivial": int(np.sum(_trivial_eigs(fam.space, x, k) < 0))}
    eig = {}
    for name, b in blocks.items():
        ev, V, keep = float_pencil_eigs(b, x, k)
        out[name] = int(np.sum(ev < 0))
        eig[name] = (ev, V, keep)
    return out, eig


# ---------------------------------------------------------------------------------------------
# refinement and proof


def _secant(fam, walk, block, j, a, b, tol=1e-11, maxit=30):
    """Float64 secant (with bisection safeguard) on the j-th eigenvalue of ``block`` between the
    scan points a = (k, x, λ) and b; returns (k, x, v, keep) at the last iterate."""
    (ka, xa, la), (kb, xb, lb) = a, b
    k = ka - la * (kb - ka) / (lb - la)
    for _ in range(maxit):
        t = (k - ka) / (kb - ka)
        x = _newton_float(fam.space, xa + t * (xb - xa), k)
        ev, V, keep = float_pencil_eigs(block, x, k)
        lk = ev[j]
        if (lk < 0) == (la < 0):
            ka, xa, la = k, x, lk
        else:
            kb, xb, lb = k, x, lk
        k_new = ka - la * (kb - ka) / (lb - la)
        if not ka < k_new < kb:
            k_new = (ka + kb) / 2
        if abs(k_new - k) < tol * max(1.0, abs(k)):
            k = k_new
            break
        k = k_new
    t = (k - ka) / (kb - ka)
    x = _newton_float(fam.space, xa + t * (xb - xa), k)
    ev, V, keep = float_pencil_eigs(block, x, k)
    return k, x, V[:, j], keep


class CrossingSystem(ExtendedSystem):
    """The extended system with the residual A v in balls by first-order duals (cheaper than jets)."""

    def residual(self, base, x, v, k):
        if base.name != "arb":
            return super().residual(base, x, v, k)
        grad = self.space.gradient_function("arb")(x, k)
        return list(grad) + self.block.residual_arb(x, k, v) + [sum((base.convert(ci) * vi for ci, vi in zip(self.c, v)), arb(0)) - 1]


def _chord_newton(system, x, v, k, dps, maxit=40):
    """Newton with the Jacobian of the first iterate (a float-accurate start: each step gains about
    the start's digits), residuals in balls at ``dps`` digits, iterates in mpmath."""
    n, m = system.n, system.m
    ar = get_context("arb")
    prec = int(dps * 3.33) + 32
    with mpmath.workdps(dps):
        z = [mpmath.mpf(float(t)) for t in list(x) + list(v) + [k]]
        # the Jacobian at the start, in balls at 128 bits (faster than mpmath jets), midpoints only
        with flint_ctx.workprec(128):
            Jb = system.jacobian(ar, *[[ar.convert(t) for t in part] for part in (z[:n], z[n:n + m])],
                                 ar.convert(z[-1]))
            J = mpmath.matrix([[ball_mid(ar.convert(e)) for e in row] for row in Jb])
        with mpmath.workdps(30):
            Ji = mpmath.inverse(J)
        tol = mpmath.mpf(10) ** (-(dps - 8))
        last = None
        for it in range(maxit):
            with flint_ctx.workprec(prec):
                zb = [ar.convert(t) for t in z]
                F = [ball_mid(ar.convert(f)) for f in system.residual(ar, zb[:n], zb[n:n + m], zb[-1])]
            dz = Ji * mpmath.matrix(F)
            z = [a - dz[i] for i, a in enumerate(z)]
            step = max(abs(dz[i]) for i in range(len(z)))
            if step < tol * (1 + max(abs(t) for t in z)):
                return z[:n], z[n:n + m], z[-1]
            if last is not None and step > last / 2 and it > 3:
                break
            last = step
    # the chord stalled: full Newton
    return system.newton(z[:n], z[n:n + m], z[-1], dps)


def prove_crossing(space: Any, block: Any, x: Sequence, v: Sequence, k: Any, digits: int = 30,
                   polish: bool = True) -> dict:
    """Prove a zero eigenvalue of ``block`` (a :class:`ComponentBlock`, its copies fixed by
    ``block.keep``) on the branch of ``space`` near (x, v, k): Newton on the extended system at
    digits + 25 digits (unless ``polish`` is False: the given point is the centre as it is), then
    the Krawczyk test, the Gram matrix B positive definite on the k-ball, and dλ/dk in balls.

    Returns a dict: ``certified`` (all three proven), ``k``, ``k_enclosure`` (None unless proven),
    ``dlambda_dk`` (a ball as a string), ``evidence`` (what was proven, or why not), and the
    Newton solution (``x``, ``v``, ``k_mid``)."""
    wdps = digits + 25
    with mpmath.workdps(wdps):
        v = [mpmath.mpf(float(t)) if not isinstance(t, mpmath.mpf) else t for t in v]
        nrm = sum(t * t for t in v)
        c = [+(t / nrm) for t in v]
    system = CrossingSystem(space, block, c)
    if polish:
        x, v, k = _chord_newton(system, x, v, k, wdps)
    proof = system.prove(x, v, k, digits, wdps)
    out = {"certified": False, "k": None, "k_enclosure": None, "dlambda_dk": None,
           "x": x, "v": v, "k_mid": k, "proof": proof, "system": system}
    if not proof.ok:
        out["evidence"] = f"not proven: {proof.reason} (box radius {mpmath.nstr(proof.radius, 3)})"
        return out
    n, m = system.n, system.m
    with flint_ctx.workprec(proof.prec):
        Kb = proof.box[-1]
        Bk = arb_mat([[get_context("arb").convert(e) if not isinstance(e, arb) else e for e in row]
                      for row in block.gram(Kb)])
        minors = [arb_mat([[Bk[i, j] for j in range(r)] for i in range(r)]).det() for r in range(1, m + 1)]
        spd = all(d > 0 for d in minors)
        dlam = _dlambda_dk(system, proof, Bk)
    out["dlambda_dk"] = dlam.str(5) if dlam is not None else None
    transversal = dlam is not None and (dlam > 0 or dlam < 0)
    out["k"] = ball_digits(proof.k, digits)
    out["k_enclosure"] = list(ball_bounds(proof.k, digits + 5))
    out["certified"] = bool(spd and transversal and out["k"] is not None)
    out["direction_sign"] = (1 if dlam > 0 else -1) if transversal else 0
    parts = [f"Krawczyk on (G(x,k) = 0, A(x,k) v = 0, c·v = 1) in {n + m + 1} unknowns: the box of radius "
             f"{mpmath.nstr(proof.radius, 3)} holds exactly one solution (contraction {proof.contraction:.2g}, "
             f"{proof.prec} bits)"]
    parts.append("B (Gram) positive definite on the k-ball: leading minors > 0" if spd else
                 "B (Gram) not proven positive definite")
    parts.append(f"dλ/dk = {out['dlambda_dk']} ≠ 0: a transversal crossing" if transversal else
                 f"dλ/dk = {out['dlambda_dk']}: the sign is not decided")
    out["evidence"] = "; ".join(parts)
    return out


def _dlambda_dk(system, proof, Bk):
    """dλ/dk = vᵀ Ȧ v / vᵀ B v over the proven box Z (λ = 0 at the solution in it),
    Ȧ = ∂A/∂k + Σ_j ∂A/∂x_j x'_j with x' = −G_x⁻¹ G_k, from the enclosure of the Jacobian over Z;
    None if not enclosable."""
    n, m = system.n, system.m
    V = proof.Z[n:n + m]
    J = proof.jacobian
    Gx = arb_mat([[J[i][j] for j in range(n)] for i in range(n)])
    Gk = arb_mat([[J[i][n + m]] for i in range(n)])
    try:
        xp = -(Gx.solve(Gk))
    except (ZeroDivisionError, ValueError):
        return None
    # rows n .. n+m-1: ∂(A v)/∂x_j and ∂(A v)/∂k
    Adot_v = [J[n + a][n + m] + sum((J[n + a][j] * xp[j, 0] for j in range(n)), arb(0)) for a in range(m)]
    num = sum((V[a] * Adot_v[a] for a in range(m)), arb(0))
    den = sum((V[a] * Bk[a, b] * V[b] for a in range(m) for b in range(m)), arb(0))
    if not (den > 0):
        return None
    return num / den


# ---------------------------------------------------------------------------------------------


def crossings(fam: Any, k_lo: float | None = None, k_hi: float = 20.0, step: float = 0.25, digits: int = 30,
              progress: bool = False, extra_columns: bool = False, completeness: bool = False,
              k_first: float | None = None, components: bool = False) -> CrossingList:
    """Every k in [k_lo, k_hi] (real) where an isotypic Hessian eigenvalue of the family crosses 0,
    proven (see module doc), with the component and the direction; plus the fold where the branch
    ends, if it ends at one (proven by :func:`symcrit.critical.folds.refine_fold`).

    Each record: ``k`` (the proven digits of k*, at most ``digits``), ``k_enclosure`` ([lo, hi]
    strings), ``certified``, ``evidence``, ``component``, ``kind`` ('eigenvalue' / 'fold'),
    ``direction``, ``negative_in_component`` (distinct negative eigenvalues before / after),
    ``dlambda_dk`` (a ball), ``sign_change_confirmed`` (proven: dλ/dk ≠ 0; for a fold: the fold is
    proven).  The direction counts distinct negative eigenvalues over all components (at
    non-integer k multiplicities are not integers): 'saddle → minimum' when none is left.

    ``extra_columns``: also the components of the extra input columns for d > k (teacher
    [I_k | 0]; 'extra:trivial', 'extra:V_I'); their eigenvalues do not depend on d.

    ``k_first``: the first scan point (default: the first multiple of ``step`` at or above the
    start of the scan); the multiples of ``step`` above it follow.  A scan from just above the
    branch's end (e.g. its end + 10⁻³) covers the stretch below the first multiple of the step.

    ``components``: also the records (kind 'component') where an isotypic component with negative
    eigenvalues appears or disappears (a block size reaching 2, 3 or 4 at an exact k): the state
    saddle/minimum changes there although no eigenvalue crosses 0.

    ``completeness``: also prove that no crossing between the scan points is missing
    (:func:`prove_completeness`; about 10-30 s per unit of k); the result's ``completeness``
    attribute holds the outcome, and every record gets ``complete``: 'proven' or 'not proven' (for
    the scanned range).  Without it ``completeness`` is None and the scan does not exclude two
    crossings cancelling within one step.
    """
    if extra_columns and fam.space.extra:
        raise ValueError("d > k with an extra student neuron (n = k + 1) is not implemented")
    lo = max(fam.k_low, fam.space.k_min) if k_lo is None else max(k_lo, fam.k_low)
    grid = []
    kk = math.ceil(lo / step) * step
    if k_first is not None:
        if k_first < lo - 1e-9:
            raise ValueError(f"k_first = {k_first:g} is below the start of the scan, k = {lo:g}")
        grid.append(k_first)
        kk = math.floor(k_first / step + 1) * step
        if kk - k_first < 1e-9:
            kk += step
    while kk <= k_hi + 1e-12:
        grid.append(kk)
        kk += step
    walk = _Walk(fam)
    out: list[dict] = []
    scanned: list = []
    cache: dict = {}
    from tqdm import tqdm
    prev_pts: list = []
    prev = None
    for kk in tqdm(grid, desc=f"crossings {fam.id}", unit="k", disable=not progress, leave=False, file=sys.stderr):
        x = walk.at(kk, prev_pts)
        prev_pts = (prev_pts + [(kk, x)])[-2:]
        blocks = component_blocks(fam.space, kk, extra_columns, cache)
        cur, eig = _counts(fam, blocks, x, kk)
        cur_tot = sum(cur.values())
        if prev is not None:
            pk, px, pcounts, peig, ptot = prev
            for name in sorted(set(pcounts) | set(cur)):
                a, b = pcounts.get(name), cur.get(name)
                if components and (a is None) != (b is None) and (a or b):
                    out.append(_component_event(fam.space, name, pk, kk, a, b, ptot, cur_tot))
                    continue
                if a is None or b is None or a == b:
                    continue
                rec = {"component": name, "kind": "eigenvalue", "direction": _direction(ptot, cur_tot),
                       "negative_in_component": [a, b]}
                if name == "trivial":
                    rec.update(k=None, k_enclosure=None, certified=False, sign_change_confirmed=False,
                               evidence=f"the trivial component changes sign between k = {pk:g} and {kk:g}: the "
                               "reduced Jacobian is singular there (a fold or a branch point; see `symcrit folds`)")
                    out.append(rec)
                    continue
                j = min(a, b)
                block = blocks[name]  # its float scan uses every copy; set_keep affects the proof only
                ks, xs, vs, keep = _secant(fam, walk, block, j, (pk, px, peig[name][0][j]), (kk, x, eig[name][0][j]))
                block.set_keep(keep)
                res = prove_crossing(fam.space, block, xs, vs, ks, digits)
                rec.update({key: res[key] for key in ("k", "k_enclosure", "certified", "evidence", "dlambda_dk")})
                rec["sign_change_confirmed"] = bool(res["certified"])
                rec["_proof"] = res
                if rec["k"] is None:
                    with mpmath.workdps(digits + 5):
                        rec["k_estimate"] = mpmath.nstr(res["k_mid"], 15)
                out.append(rec)
        prev = (kk, x, cur, eig, cur_tot)
        scanned.append((kk, x))
    if fam.track["end"] == "fold" and (k_lo is None or fam.k_low >= k_lo - 1e-9):
        from symcrit.critical.folds import refine_fold
        t = fam.track
        f = attach_arm_spectra(refine_fold(fam.space, list(t["x"][-1]), t["k_low"], digits))
        d = f.to_dict()
        out.append({"k": d["k"], "k_enclosure": d["k_enclosure"], "certified": d["certified"],
                    "evidence": d["evidence"], "component": "trivial", "kind": "fold",
                    "direction": f"branch ends (it exists for k {'>' if f.side == 'above' else '<'} k*)"
                    if f.side else "branch ends (the side is not decided)",
                    "sign_change_confirmed": f.certified, "checks": d})
    result = CrossingList(sorted(out, key=_sort_key))
    result.scanned_range = [scanned[0][0], scanned[-1][0]] if scanned else None
    if completeness:
        result.completeness = prove_completeness(fam, scanned, result, extra_columns)
    for rec in result:
        rec.pop("_proof", None)
        if result.completeness is not None:
            rec["complete"] = result.completeness["evidence"]
    return result


def _direction(before: int, after: int) -> str:
    """The change of state between two scan points from the counts of distinct negative eigenvalues
    over all components."""
    if before > 0 and after == 0:
        return "saddle → minimum"
    if before == 0 and after > 0:
        return "minimum → saddle"
    return f"{before} → {after} distinct negative eigenvalues"


def _component_event(space: Any, name: str, pk: float, kk: float, a: int | None, b: int | None, ptot: int,
                     cur_tot: int) -> dict:
    """A component with negative eigenvalues that appears (or disappears) between the scan points
    pk < kk: it exists from the k where a block size reaches 2, 3 or 4 (exact: the root of the
    size polynomial), and the count of negative eigenvalues jumps there without any eigenvalue
    crossing 0."""
    import sympy

    roots = []
    for size in space.sizes:
        lo_v, hi_v = float(poly_at(size, pk)), float(poly_at(size, kk))
        for n in (2, 3, 4):
            if min(lo_v, hi_v) < n <= max(lo_v, hi_v) or min(lo_v, hi_v) <= n < max(lo_v, hi_v):
                roots += [r for r in sympy.solve(sympy.sympify(size) - n, K_SYMBOL)
                          if r.is_real and pk < float(r) <= kk]
    appears = a is None
    direction = _direction(ptot, cur_tot)
    what = (f"appears with {b} negative eigenvalue(s)" if appears else f"disappears with {a} negative eigenvalue(s)")
    if len(roots) == 1:
        kstr = str(roots[0])
        return {"component": name, "kind": "component", "direction": direction, "negative_in_component": [a, b],
                "k": kstr, "k_enclosure": [kstr, kstr], "certified": True, "sign_change_confirmed": False,
                "evidence": f"the component {name} {what} at k = {kstr}, where a block size reaches an integer "
                            "(exact: a root of the size polynomial); no eigenvalue crosses 0 there"}
    return {"component": name, "kind": "component", "direction": direction, "negative_in_component": [a, b],
            "k": None, "k_enclosure": [f"{pk:g}", f"{kk:g}"], "certified": False, "sign_change_confirmed": False,
            "evidence": f"the component {name} {what} between the scan points k = {pk:g} and {kk:g}"}


# ---------------------------------------------------------------------------------------------
# completeness: no crossing missed between the scan points


class CrossingList(list):
    """The crossing records (a list, sorted by k), ``scanned_range`` ([first, last] scan point, or
    None) and ``completeness``: whether every crossing in the scanned range is among them, proven
    (see :func:`prove_completeness`), or None when not computed."""

    completeness: dict | None = None
    scanned_range: list | None = None


def _mpf_exact(t: Any) -> mpmath.mpf:
    """A float or an mpf as an mpf, exactly (a float's binary value)."""
    return t if isinstance(t, mpmath.mpf) else mpmath.mpf(float(t))


def _k_interval(lo: Any, hi: Any) -> arb:
    """A ball holding the interval [lo, hi] (floats or mpf, taken exactly)."""
    ar = get_context("arb")
    a, b = ar.convert(_mpf_exact(lo)), ar.convert(_mpf_exact(hi))
    m = (a + b) / 2
    # python-flint's arb.union widens far beyond the hull: [m ± (|b − a|/2 + rad m)] instead
    out = arb(m.mid(), ((b - a) / 2).abs_upper() + m.rad() + a.rad() + b.rad())
    assert out.contains(a) and out.contains(b)
    return out


class BranchBox:
    """The branch over a k-interval K = k_m + T, T = [−w/2, w/2]: x(k) = y + x'·(k − k_m) + z(k)
    with z(k) ∈ Z for every k in K (proven by :func:`branch_box`); ``X`` = y + x'T + Z holds the
    branch; ``y`` (exact binary), ``xp`` (x', floats as exact balls), ``K``, ``km``, ``T``."""

    def __init__(self, y, xp, Z, k_iv, km):
        self.y, self.xp, self.Z, self.k_iv, self.km = y, xp, Z, k_iv, km
        self.JX: Any = None  # the reduced Jacobian over the box, once enclosed
        self.T = k_iv - km
        self.X = [yi + xi * self.T + zi for yi, xi, zi in zip(y, xp, Z)]


def _grad_jets(space, X, k_iv, e1, e2):
    """The entry gradient at the jet point X + e1 ε₁ + e2 ε₂ (directions include k as the last
    entry; balls allowed): part b = DG[e1], c = DG[e2], d = D²G[e1, e2], each over the box."""
    jctx = JetContext(get_context("arb"))
    xs = [Jet(X[i], e1[i], e2[i], 0) for i in range(len(X))]
    ks = Jet(k_iv, e1[-1], e2[-1], 0)
    return [Jet.lift(g) for g in space.compiled["grad"](jctx, *xs, ks)]


def branch_box(space: Any, k_iv: arb, x_mid: Sequence, inflate: int = 4) -> tuple[BranchBox | None, str | None]:
    """A parametric Krawczyk test over the k-interval ``K`` (a ball) in first-order Taylor form.

    With k = k_m + t, the predictor x_p(k) = y + x't (y near x(k_m), x' = −J⁻¹G_k at (y, k_m)) and the
    preconditioner C(t) = C₀ + C₁t (C₀ ≈ J⁻¹, C₁ = −C₀ J' C₀), the map z ↦ z − C(t) G(x_p(k) + z, k)
    is enclosed over a box Z and every t: G(x_p + z, k) ∈ G(y, k_m) + G'·t + ½G''(ξ)t² + J(ξ)z and
    C(t) J(x_p + z, k) ∈ C₀J₀ + (C₀P + C₁J₀)t + C₁P t² + C(t)Q, with P = DJ(ξ)[(x', 1)],
    Q = DJ(ξ)[(Z, 0)], G'' = D²G(ξ)[(x', 1), (x', 1)], ξ over the box (X, K) (mean value theorem, jets
    over balls); the t-coefficients are formed before t is substituted, so the first-order terms
    cancel as they do in exact arithmetic.  If K(Z) ⊂ int Z, then for every k in K the box
    x_p(k) + Z holds exactly one zero x(k) (Krawczyk at each fixed k: C(t) is nonsingular, being
    close to J⁻¹), and the reduced Jacobian is nonsingular on it: no fold.  Returns (BranchBox with
    Z replaced by K(Z) ∩ Z, None) or (None, reason)."""
    n = space.dim
    ar = get_context("arb")
    gval = space.gradient_function("arb")
    J = space.jacobian_function("arb")
    km = arb(k_iv.mid())
    T = k_iv - km
    y = [ar.convert(_mpf_exact(float(t))) for t in x_mid]
    try:
        G0 = gval(y, km)
        J0 = arb_mat([[e for e in J(y, km)[i * n:(i + 1) * n]] for i in range(n)])
        Jm = np.array([[float(ball_mid(J0[i, j])) for j in range(n)] for i in range(n)])
        Gk = [Dual.lift(g).du for g in space.entry_gradient_in(_ARB_DUAL, [Dual(t, arb(0)) for t in y], Dual(km, arb(1)))]
        C0m = np.linalg.inv(Jm)
        xpm = -C0m @ np.array([float(ball_mid(g)) for g in Gk])
    except (ZeroDivisionError, ValueError, np.linalg.LinAlgError):
        return None, "the reduced Jacobian is singular (or not enclosable) at the centre"
    if not (np.all(np.isfinite(C0m)) and np.all(np.isfinite(xpm))):
        return None, "the reduced Jacobian is singular at the centre"
    C0 = arb_mat([[ar.convert(_mpf_exact(float(C0m[i, j]))) for j in range(n)] for i in range(n)])
    xp = [ar.convert(_mpf_exact(float(t))) for t in xpm]
    u = xp + [arb(1)]
    # J' = DJ[(x', 1)] at the centre (midpoints) for C₁
    try:
        jc = [_grad_jets(space, y, km, [arb(1) if t == c else arb(0) for t in range(n + 1)], u) for c in range(n)]
    except (ZeroDivisionError, ValueError):
        return None, "the Jacobian's derivative is not enclosable at the centre"
    Jpm = np.array([[float(ball_mid(jc[c][r].d)) for c in range(n)] for r in range(n)])
    C1m = -C0m @ Jpm @ C0m
    C1 = arb_mat([[ar.convert(_mpf_exact(float(C1m[i, j]))) for j in range(n)] for i in range(n)])
    Id = arb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
    Gm = arb_mat([[g] for g in G0])
    r = None
    for _ in range(inflate):
        if r is None:  # first guess: the size of the quadratic term with a small box
            r = [arb(2) ** -40 * (1 + abs(y[i]).upper()) for i in range(n)]
        Z = [arb(0, r[i]) for i in range(n)]
        X = [y[i] + xp[i] * T + Z[i] for i in range(n)]
        try:
            cols = [_grad_jets(space, X, k_iv, [arb(1) if t == c else arb(0) for t in range(n + 1)], u) for c in range(n)]
            colsZ = [_grad_jets(space, X, k_iv, [arb(1) if t == c else arb(0) for t in range(n + 1)], Z + [arb(0)])
                     for c in range(n)]
            g2 = _grad_jets(space, X, k_iv, u, u)
        except (ZeroDivisionError, ValueError):
            return None, "the gradient's derivatives are not enclosable over the box"
        JX = arb_mat([[cols[c][rr].b for c in range(n)] for rr in range(n)])
        P = arb_mat([[cols[c][rr].d for c in range(n)] for rr in range(n)])
        Q = arb_mat([[colsZ[c][rr].d for c in range(n)] for rr in range(n)])
        if not all(JX[a, b].is_finite() and P[a, b].is_finite() and Q[a, b].is_finite()
                   for a in range(n) for b in range(n)):
            return None, "the Jacobian is not enclosable over the box (a non-finite ball)"
        # G(x_p + z, k) − J(ξ)z ∈ G0 + G'(y,k_m) t + ½ G'' t²; G'(y, k_m) = J0 x' + G_k
        G1 = J0 * arb_mat([[t] for t in xp]) + arb_mat([[g] for g in Gk])
        G2 = arb_mat([[g2[rr].d / 2] for rr in range(n)])
        Ct = C0 + C1 * T
        g_part = C0 * Gm + (C0 * G1 + C1 * Gm) * T + (C1 * G1) * (T * T) + Ct * G2 * (T * T)
        M = (Id - C0 * J0) - (C0 * P + C1 * J0) * T - (C1 * P) * (T * T) - Ct * Q
        Kz = -g_part + M * arb_mat([[z] for z in Z])
        if not all(Kz[i, 0].is_finite() for i in range(n)):
            return None, "the Krawczyk image is not finite"
        if all(Kz[i, 0].abs_upper() < r[i] for i in range(n)):
            bb = BranchBox(y, xp, [Z[i].intersection(Kz[i, 0]) for i in range(n)], k_iv, km)
            bb.JX = JX  # the reduced Jacobian over the box (for x'(k) = −J⁻¹G_k)
            return bb, None
        r = [arb(2) * Kz[i, 0].abs_upper() + r[i] / 4 for i in range(n)]
    return None, "parametric Krawczyk: K(Z) is not inside Z (the interval is too long for the branch)"


def _symmetric(A):
    m = len(A)
    return [[(A[i][j] + A[j][i]) / 2 for j in range(m)] for i in range(m)]


def _arb_poly(p, k_iv):
    v = poly_at(p, k_iv)
    return v if isinstance(v, arb) else get_context("arb").convert(v)


def _block_ball(block, bb: BranchBox):
    """The block on its kept copies, A = UᵀHU (or the extra-column matrix, in symmetric form),
    enclosed for every k in the interval at x(k): A(y, k_m) + DA(ξ)[(x', 1)]t + DA(ξ)[(Z, 0)] with ξ
    over the box (mean value theorem; jets over balls through the block's own gradient code)."""
    m = block.m
    jctx = JetContext(get_context("arb"))
    at0 = ([Jet(t) for t in bb.y], Jet(bb.km))
    atu = ([Jet(x, 0, u, 0) for x, u in zip(bb.X, bb.xp)], Jet(bb.k_iv, 0, arb(1), 0))
    atz = ([Jet(x, 0, z, 0) for x, z in zip(bb.X, bb.Z)], Jet(bb.k_iv))
    cols = []
    for b in range(m):
        e = [1 if t == b else 0 for t in range(m)]
        c0 = block.apply(jctx, *at0, e)
        cu = block.apply(jctx, *atu, e)
        cz = block.apply(jctx, *atz, e)
        cols.append([Jet.lift(c0[a]).b + Jet.lift(cu[a]).d * bb.T + Jet.lift(cz[a]).d for a in range(m)])
    A = [[cols[b][a] if isinstance(cols[b][a], arb) else arb(cols[b][a]) for b in range(m)] for a in range(m)]
    if isinstance(block, ExtraColumnBlock) and block.name == "extra:trivial":
        # M_IJ = p_J C_IJ is similar to the symmetric S M S⁻¹, S = diag(√p)
        sq = [_arb_poly(p, bb.k_iv).sqrt() for p in block.coarse.sizes]
        A = [[sq[i] * A[i][j] / sq[j] for j in range(m)] for i in range(m)]
    return _symmetric(A)


_RANKS: dict = {}


def _fix_copies(block, k_mid):
    """Keep an independent set of copies for the proof on an interval around ``k_mid``: chosen in
    float64 at k_mid and accepted only if there are as many as the generic rank of the Gram matrix
    (exact, with k symbolic); then wherever B on the kept copies is proven positive definite, they
    span every copy (the rank never exceeds the generic rank).  Returns an error string or None."""
    if isinstance(block, ExtraColumnBlock):
        return None
    import sympy
    key = (tuple(str(s) for s in block.coarse.sizes), block.coarse.extra, block.name)
    if key not in _RANKS:
        gram = sympy.Matrix([[sympy.expand(sum((block.orb[t] * Wa[t] * Wb[t] for t in block.support if Wa[t] and Wb[t]),
                                            sympy.Integer(0))) for Wb in block.W_all] for Wa in block.W_all])
        _RANKS[key] = gram.rank(simplify=True)
    rank = _RANKS[key]
    B = np.array([[float(poly_at(sum((block.orb[t] * Wa[t] * Wb[t] for t in block.support if Wa[t] and Wb[t]), 0),
                                     float(k_mid))) for Wb in block.W_all] for Wa in block.W_all], dtype=float)
    keep = _independent(B)
    if len(keep) != rank:
        return f"{len(keep)} independent copies found in float64, the generic rank is {rank}"
    block.set_keep(keep)
    return None


def _naive_block_ball(block, bb: BranchBox):
    """The block over the box (X, K) by direct evaluation in balls (duals over arb: cheaper than
    :func:`_block_ball`, wider for small blocks)."""
    m = block.m
    if isinstance(block, ExtraColumnBlock):
        return _block_ball(block, bb)
    cols = [block.residual_arb(bb.X, bb.k_iv, [arb(1) if t == b else arb(0) for t in range(m)]) for b in range(m)]
    return _symmetric([[cols[b][a] for b in range(m)] for a in range(m)])


def _component_inertia(space, blocks, bb: BranchBox, skip=()):
    """({name: negative count}, {name: reason}) over the interval of ``bb``: the count where the
    block's inertia is proven the same for every k there (the kept copies' Gram matrix positive
    definite, a ball LDLᵀ of the block with every pivot's sign decided: first on the direct
    enclosure, then on the mean-value form), the reason where it is not.  The trivial component is
    nonsingular by the parametric Krawczyk test itself (count None)."""
    from symcrit.spectra.inertia import ball_inertia
    out: dict = {}
    bad: dict = {}
    for name, block in blocks.items():
        if name in skip:
            continue
        if not isinstance(block, ExtraColumnBlock):
            Bs, _, _ = ball_inertia(_gram_ball(block, bb.k_iv))
            if not (Bs.decided and Bs.negative == 0 and Bs.zero == 0):
                bad[name] = "the Gram matrix of the kept copies is not proven positive definite"
                continue
        signs = None
        for enclose in (_naive_block_ball, _block_ball):
            try:
                signs, _, _ = ball_inertia(enclose(block, bb))
            except (ZeroDivisionError, ValueError):
                signs = None
                continue
            if signs.decided and not signs.zero:
                break
        if signs is not None and signs.decided and not signs.zero:
            out[name] = signs.negative
        else:
            bad[name] = "an eigenvalue is not proven nonzero over the interval"
    return out, bad


def _gram_ball(block, k_iv):
    ar = get_context("arb")
    return [[e if isinstance(e, arb) else ar.convert(e) for e in row] for row in block.gram(k_iv)]


def _single_crossing(space, block, bb: BranchBox) -> tuple[bool, str]:
    """At most one zero eigenvalue of ``block`` for k in the interval of ``bb``, proven by the
    Schur complement: with Q the midpoint eigenvectors (the one nearest 0 last) and M = QᵀAQ over
    the interval, M₁₁ (the rest) is nonsingular, so the block is singular exactly where
    s = m₂₂ − m₂₁M₁₁⁻¹m₁₂ vanishes; ds/dk = ŵᵀṀŵ with ŵ = (−M₁₁⁻¹m₁₂, 1) and Ṁ = QᵀȦQ, Ȧ the
    derivative along the branch (x'(k) = −J⁻¹G_k enclosed over the box), is enclosed away from 0:
    s is strictly monotone, so it has at most one zero."""
    from symcrit.spectra.inertia import ball_inertia
    m, n = block.m, space.dim
    ar = get_context("arb")
    try:
        A = _block_ball(block, bb)
        Gk = [Dual.lift(g).du for g in space.entry_gradient_in(_ARB_DUAL, [Dual(t, arb(0)) for t in bb.X],
                                                                Dual(bb.k_iv, arb(1)))]
        xdot = bb.JX.solve(arb_mat([[-g] for g in Gk]))
        jctx = JetContext(ar)
        xs = [Jet(x, 0, xdot[i, 0], 0) for i, x in enumerate(bb.X)]
        ks = Jet(bb.k_iv, 0, arb(1), 0)
        cols = [block.apply(jctx, xs, ks, [1 if t == b else 0 for t in range(m)]) for b in range(m)]
    except (ZeroDivisionError, ValueError) as exc:
        return False, f"not enclosable ({exc})"
    Adot = _symmetric([[Jet.lift(cols[b][a]).d for b in range(m)] for a in range(m)])
    mid = mpmath.matrix([[ball_mid(A[i][j]) for j in range(m)] for i in range(m)])
    ev, Qm = mpmath.eigsy(mid)
    j0 = min(range(m), key=lambda j: abs(ev[j]))
    order = [j for j in range(m) if j != j0] + [j0]
    Q = arb_mat([[ar.convert(Qm[i, j]) for j in order] for i in range(m)])
    QtQ = Q.transpose() * Q
    qs, _, _ = ball_inertia([[QtQ[i, j] for j in range(m)] for i in range(m)])
    if not (qs.decided and qs.positive == m):
        return False, "the eigenvector matrix is not proven nonsingular"
    M = Q.transpose() * arb_mat(A) * Q
    Md = Q.transpose() * arb_mat(Adot) * Q
    if m > 1:
        s11, _, _ = ball_inertia([[M[i, j] for j in range(m - 1)] for i in range(m - 1)])
        if not s11.decided or s11.zero:
            return False, "the block without the crossing eigenvector is not proven nonsingular"
        try:
            u = arb_mat([[M[i, j] for j in range(m - 1)] for i in range(m - 1)]).solve(
                arb_mat([[-M[i, m - 1]] for i in range(m - 1)]))
        except (ZeroDivisionError, ValueError):
            return False, "M₁₁ is not invertible in balls"
        w = [u[i, 0] for i in range(m - 1)] + [arb(1)]
    else:
        w = [arb(1)]
    ds = sum((w[i] * Md[i, j] * w[j] for i in range(m) for j in range(m)), arb(0))
    if ds > 0 or ds < 0:
        return True, f"ds/dk = {ds.str(3)}"
    return False, f"ds/dk = {ds.str(3)} is not proven nonzero"


def _thresholds(space, lo, hi):
    """The k in (lo, hi) where a block size reaches 2, 3 or 4 (which isotypic types exist changes)."""
    import sympy
    from symcrit.symmetry.fixedpoint import K_SYMBOL as Ksym
    out = set()
    for s in space.sizes:
        for j in (1, 2, 3, 4):
            for r in sympy.solve(sympy.Eq(sympy.sympify(s), j), Ksym):
                if r.is_real and lo < float(r) < hi:
                    out.add(float(r))
    return sorted(out)


def prove_completeness(fam: Any, points: Sequence, records: Sequence[dict], extra_columns: bool = False,
                       max_depth: int = 12, prec: int = 128) -> dict:
    """Prove that no zero crossing of an isotypic eigenvalue (nor a fold) in [k_0, k_N] is missing
    from ``records``, given the scan's points [(k_i, x_i)] (floats).

    [k_0, k_N] is cut at the scan points and at the k where a block size reaches 1, 2, 3, 4 (which
    isotypic types exist changes there).  Each piece is covered by sub-intervals (halved up to
    ``max_depth`` times where needed) on which (1) a parametric Krawczyk test encloses the branch
    x(k) for every k (:func:`branch_box`: one zero, the reduced Jacobian nonsingular, so no fold and
    no trivial-component crossing), and (2) every isotypic block, enclosed over the interval, has a
    ball LDLᵀ with every pivot's sign decided — its inertia is the same for every k there — except,
    on a sub-interval holding a proven crossing of a component, that component's block, where
    :func:`_single_crossing` proves at most one zero eigenvalue (the record's).  A block proven on
    an interval is not re-examined on its halves.  Then the crossings in [k_0, k_N] are exactly the
    records'.  Returns ``{"range", "evidence" ('proven' or 'not proven'), "intervals" (sub-intervals
    with a proven branch box), "crossing_intervals" (those proving a single crossing), "undecided"
    ([lo, hi, reason] not decided), "seconds", "method"}``."""
    import time
    t0 = time.perf_counter()
    space = fam.space
    cache: dict = {}
    undecided: list = []
    proven: list = []
    singles: list = []
    if len(points) < 2:
        return {"range": [float(points[0][0]), float(points[0][0])] if points else None, "evidence": "not proven",
                "intervals": 0, "crossing_intervals": 0, "undecided": [], "seconds": 0.0,
                "method": "no interval scanned"}
    lo_all, hi_all = float(points[0][0]), float(points[-1][0])

    def blocks_at(k):
        bl = component_blocks(space, float(k), extra_columns, cache)
        for b in bl.values():
            why = _fix_copies(b, float(k))
            if why:
                return None, f"{b.name}: {why}"
        return bl, None

    def x_at(k, xa, xb, ka, kb):
        t = (float(k) - float(ka)) / (float(kb) - float(ka)) if kb != ka else 0.0
        try:
            with np.errstate(all="ignore"):
                return _newton_float(space, xa + t * (xb - xa), float(k))
        except (NotConverged, BranchEnded, np.linalg.LinAlgError, ValueError, ZeroDivisionError):
            return xa + t * (xb - xa)

    def decide(a, b, xa, xb, depth, todo=None):
        """Prove the blocks in ``todo`` (None: all) on [a, b]; halve where needed.  A block proven on
        an interval is proven on its halves: only the others are carried down."""
        km = (a + b) / 2
        xm = x_at(km, xa, xb, a, b)
        why = None
        with flint_ctx.workprec(prec):
            k_iv = _k_interval(a, b)
            bl, why = blocks_at(km)
            if bl is not None:
                if todo is not None:
                    bl = {nm: blk for nm, blk in bl.items() if nm in todo}
                bb, why = branch_box(space, k_iv, xm)
                if bb is not None:
                    cross = {r["component"] for r in certified if a <= _sort_key(r) <= b}
                    counts, bad = _component_inertia(space, bl, bb, skip=cross)
                    for name in cross & set(bl):
                        ok, why_c = _single_crossing(space, bl[name], bb)
                        if ok:
                            singles.append((a, b, name))
                        else:
                            bad[name] = f"around the crossing: {why_c}"
                    proven.append((a, b, counts))
                    if not bad:
                        return
                    todo = set(bad)
                    why = "; ".join(f"{k}: {v}" for k, v in bad.items())
        if depth >= max_depth:
            undecided.append([a, b, why])
            return
        decide(a, km, xa, xm, depth + 1, todo)
        decide(km, b, xm, xb, depth + 1, todo)

    # the cut points: the scan points and where the isotypic types change; a crossing record that
    # is not proven leaves its interval undecided
    cuts: dict[float, Any] = {float(k): np.asarray(x, dtype=float) for k, x in points}
    certified = []
    for r in records:
        if not lo_all <= _sort_key(r) <= hi_all:
            continue
        if r.get("kind") == "eigenvalue" and r.get("certified"):
            certified.append(r)
        else:
            undecided.append([_sort_key(r), _sort_key(r), f"a {r.get('kind')} record that is not proven "
                              f"({r.get('component')}): the interval holding it is not decided"])
    for t in _thresholds(space, lo_all, hi_all):
        cuts.setdefault(t, None)
    ks = sorted(cuts)
    for a, b in zip(ks, ks[1:]):
        if any(u[0] == u[1] and a <= u[0] <= b for u in undecided):
            undecided.append([a, b, "holds a record that is not proven"])
            continue
        xa = cuts[a] if cuts[a] is not None else x_at(a, *_neighbours(cuts, a))
        xb = cuts[b] if cuts[b] is not None else x_at(b, *_neighbours(cuts, b))
        decide(a, b, xa, xb, 0)
    ok = not undecided
    return {"range": [lo_all, hi_all], "evidence": "proven" if ok else "not proven", "intervals": len(proven),
            "crossing_intervals": len(singles), "undecided": undecided, "seconds": round(time.perf_counter() - t0, 2),
            "method": "parametric Krawczyk (the branch over each k-interval, no fold) and a ball LDLᵀ of every "
                      "isotypic block over it (a fixed inertia); around each proven crossing, the Schur complement "
                      "of the crossing eigenvalue is strictly monotone (at most one zero)"}


def _neighbours(cuts, k):
    """(xa, xb, ka, kb): the nearest cut points with a known x on either side of k."""
    known = sorted(t for t, x in cuts.items() if x is not None)
    left = max((t for t in known if t < k), default=known[0])
    right = min((t for t in known if t > k), default=known[-1])
    return cuts[left], cuts[right], left, right


def _sort_key(rec):
    for key in ("k", "k_estimate"):
        if rec.get(key):
            return float(rec[key])
    return float(rec["k_enclosure"][0]) if rec.get("k_enclosure") else 0.0


def attach_arm_spectra(fold: Any) -> Any:
    """Fill ``fold.arms``: for each of the two critical points beside the fold (at k* ± δ on the side
    where they exist), the distinct negative eigenvalues per component of the spectrum by symmetry."""
    from symcrit.critical.families import CriticalPoint, Family

    if fold.arm_points is None:
        fold.arms = []
        return fold
    kk, pts, wdps = fold.arm_points
    arms = []
    for x in pts:
        fam = Family("fold arm", fold.space, start=(float(kk), [float(v) for v in x]))
        sp = spectrum(CriticalPoint(fam, kk, fold.digits, list(x), wdps))
        neg = {c.name: sp.component_signs(c.name).negative for c in sp.components}
        arms.append({"negative": {n: v for n, v in neg.items() if v}, "negative_distinct": sum(neg.values()),
                     "trivial_eigenvalue_nearest_0": mpmath.nstr(min(sp.components[0].eigenvalues, key=abs), 5)})
    fold.arms = arms
    return fold
