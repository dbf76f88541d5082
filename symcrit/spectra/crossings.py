r"""Crossings: the real k where an isotypic Hessian eigenvalue of a family is 0, proven.

1. **Scan** (float64, fast): the branch is followed along the grid k_lo, k_lo + step, … by warm
   starts (a secant predictor from the two previous points and Newton on the reduced gradient), and
   at each k only the components' small blocks are formed (the pencil A − λB with A = UᵀHU,
   B = UᵀU the Gram matrix in the orbit-weighted inner product, from directional derivatives of the
   finer fixed-point space's gradient; see :mod:`symcrit.spectra.hessian`).  A change in the
   number of negative eigenvalues of a component between two grid points brackets a crossing.
   The scan is not a proof that no crossing was missed (two crossings within one step cancel).
2. **Refinement**: secant steps in float64 on the eigenvalue, then Newton at digits + 25 digits on
   the extended system in (x, v, k): G(x, k) = 0, A(x, k) v = 0, cᵀv = 1
   (:class:`symcrit.critical.extended.ExtendedSystem`; the Jacobian by second-order jets).
3. **Proof**: the Krawczyk test in ball arithmetic on that system (a box of radius 10^-(digits+10)
   holds exactly one solution); the k-coordinate of K(Z) encloses k*.  B is proven positive
   definite on the k-ball (leading minors > 0), so A v = 0 with v ≠ 0 is exactly a zero eigenvalue
   of the pencil.  The derivative dλ/dk = vᵀ(dA/dk)v / vᵀBv along the branch (dA/dk the total
   derivative, x'(k) = −G_x⁻¹G_k) is enclosed in balls over the proven box: nonzero means the
   eigenvalue changes sign at k* (a transversal crossing), and its sign gives the direction.

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
from symcrit.core.jet import Jet
from symcrit.core.laurent import ball_mid
from symcrit.core.newton import newton
from symcrit.critical.continuation import natural, relative_jump
from symcrit.critical.extended import ExtendedSystem, MatrixBlock, ball_bounds, ball_digits
from symcrit.spectra.hessian import component_types, fine_space, spectrum
from symcrit.symmetry.blocks import poly_at

__all__ = ["crossings", "prove_crossing", "ComponentBlock", "ExtraColumnBlock", "CrossingSystem", "attach_arm_spectra",
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
        G = self.space.gradient_function("arb")(x, k)
        return list(G) + self.block.residual_arb(x, k, v) + [sum((base.convert(ci) * vi for ci, vi in zip(self.c, v)), arb(0)) - 1]


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
           "x": x, "v": v, "k_mid": k, "proof": proof}
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
              progress: bool = False, extra_columns: bool = False) -> list[dict]:
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
    """
    if extra_columns and fam.space.extra:
        raise ValueError("d > k with an extra student neuron (n = k + 1) is not implemented")
    lo = max(fam.k_low, fam.space.k_min) if k_lo is None else max(k_lo, fam.k_low)
    grid = []
    kk = math.ceil(lo / step) * step
    while kk <= k_hi + 1e-12:
        grid.append(kk)
        kk += step
    walk = _Walk(fam)
    out: list[dict] = []
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
                if a is None or b is None or a == b:
                    continue
                if ptot > 0 and cur_tot == 0:
                    direction = "saddle → minimum"
                elif ptot == 0 and cur_tot > 0:
                    direction = "minimum → saddle"
                else:
                    direction = f"{ptot} → {cur_tot} distinct negative eigenvalues"
                rec = {"component": name, "kind": "eigenvalue", "direction": direction,
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
                if rec["k"] is None:
                    with mpmath.workdps(digits + 5):
                        rec["k_estimate"] = mpmath.nstr(res["k_mid"], 15)
                out.append(rec)
        prev = (kk, x, cur, eig, cur_tot)
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
    return sorted(out, key=_sort_key)


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
